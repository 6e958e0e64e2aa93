"""The word preset's unknown-word cues (affix tag dictionary, characters inside the word) and the
stacked (first-pass tag) templates."""
import json

import numpy as np
import pytest

from cnlp.pos import _kernels as K
from cnlp.pos.features import AFFIX_TEMPLATES, TEMPLATE_LIBRARY, STACK_TEMPLATES, WORD_TEMPLATES, WordFeatures, \
    _hash, affix_arrays, uses_predictions
from cnlp.pos.tagger import POSTagger, _bounds
from cnlp.train.pos import tag_dictionary, train_pos
from cnlp.text import _BMP_TABLE, to_codes

#: every template of the library (the default set leaves the affix and stacked ones out)
ALL = tuple(TEMPLATE_LIBRARY)

SENTS = [[tuple(t.split("/")) for t in line.split()] for line in [
    "学生/n 研究/v 生命/n 的/u 起源/n 。/w", "研究生/n 研究/vn 问题/n 。/w", "医生/n 说/v 好/a 。/w",
    "北京/ns 的/u 学生/n 很/d 好/a 。/w", "我们/r 研究/v 生产/vn 。/w",
]] * 3


def attributes(feats, words, pred=None):
    pred = np.zeros(0, np.int64) if pred is None else np.asarray(pred, np.int64)
    return K.word_attributes(to_codes("".join(words)), _bounds(words), _BMP_TABLE, feats.trie, feats.ambig,
                             feats.top, feats.freq, feats.affix, pred)[K.WORD_PAD:-K.WORD_PAD]


def test_affix_tag_dictionary():
    d = tag_dictionary(SENTS)
    keys, vals = affix_arrays(d)
    assert keys.dtype == np.int64 and vals.shape == (len(keys), 2) and np.all(np.diff(keys) > 0)
    row = {int(k): tuple(v) for k, v in zip(keys, vals)}
    # words of 2+ characters ending in 生: 学生 n, 研究生 n, 医生 n  (one-character words are left out)
    assert row[K.AFFIX_S1 << K.AFFIX_SHIFT | ord("生")] == (_hash("n"), _hash("n"))
    # starting with 研究: 研究 (top tag v: 2 v against 1 vn) and 研究生 n -> both in the set, top n (ties by name)
    s = row[K.AFFIX_P2 << K.AFFIX_SHIFT | (ord("研") * 1114112 + ord("究"))]
    assert s == (_hash("n,v"), _hash("n"))
    assert (K.AFFIX_S1 << K.AFFIX_SHIFT | ord("的")) not in row
    assert affix_arrays(None)[0].shape == (0,)


def test_unknown_word_attributes():
    feats = WordFeatures(bits=16, dictionary=tag_dictionary(SENTS), templates=ALL)
    A = attributes(feats, ["护生", "研究所", "医学院士", "的"])
    # 护生 is unknown; its suffix 生 is known from the dictionary, its prefix 护 is not
    assert A[0, K.FREQ] == 0 and A[0, K.S1TOP] == _hash("n") and A[0, K.S1SET] == _hash("n")
    assert A[0, K.P1SET] == 0 and A[0, K.P1TOP] == 0
    assert A[1, K.P2TOP] == _hash("n") and A[1, K.P1TOP] == _hash("n")
    # characters inside the word: the second, second-to-last, and (4+ characters) second + third
    assert A[2, K.CHAR1] == ord("学") and A[2, K.CHARM2] == ord("院")
    assert A[2, K.MID2] == ord("学") * 1114112 + ord("院")
    assert A[1, K.MID2] == -3 and A[3, K.CHAR1] == -3 and A[3, K.CHARM2] == -3
    assert A[3, K.S2SET] == 0           # one-character word: no two-character affixes
    assert np.all(A[:, K.PRED] == 0)


def test_affix_table_only_built_when_used():
    d = tag_dictionary(SENTS)
    old = [t.name for t in WORD_TEMPLATES]
    assert WordFeatures(bits=16, dictionary=d, templates=old).affix[0].shape == (0,)
    assert WordFeatures(bits=16, dictionary=d, templates=ALL).affix[0].shape[0] > 0


def test_old_templates_hash_as_before():
    # the attributes of the original templates did not change: their ids ignore the new rows
    d = tag_dictionary(SENTS)
    old = [t.name for t in WORD_TEMPLATES]
    words = ["学生", "研究", "新词", "。"]
    X_old = WordFeatures(bits=18, dictionary=d, templates=old).transform(to_codes("".join(words)), _bounds(words))
    X_new = WordFeatures(bits=18, dictionary=d, templates=ALL).transform(to_codes("".join(words)), _bounds(words))
    names = list(ALL)
    assert np.array_equal(X_old, X_new[:, [names.index(n) for n in old]])


def test_predicted_tags_attribute():
    feats = WordFeatures(bits=16, dictionary=tag_dictionary(SENTS), templates=ALL)
    assert feats.stacked and not WordFeatures(bits=16, templates=[t.name for t in AFFIX_TEMPLATES]).stacked
    A = K.word_attributes(to_codes("学生研究"), _bounds(["学生", "研究"]), _BMP_TABLE, feats.trie, feats.ambig,
                          feats.top, feats.freq, feats.affix, np.array([3, 0], np.int64))
    assert A[K.WORD_PAD:-K.WORD_PAD, K.PRED].tolist() == [4, 1]
    assert A[0, K.PRED] == -1 and A[-1, K.PRED] == -2
    assert uses_predictions([t.name for t in STACK_TEMPLATES[:1]]) and not uses_predictions(["w0", "s1set"])


@pytest.fixture(scope="module")
def stacked():
    return train_pos(SENTS, SENTS[:5], bits=16, folds=2, n_iter=5, templates=ALL, verbose=False)


def test_stacked_tagger_round_trip(stacked, tmp_path):
    assert stacked.first is not None and not stacked.first.features.stacked
    assert stacked.first.tagset.names == stacked.tagset.names
    words = ["学生", "研究", "问题", "。"]
    tags = stacked.predict(words)
    stacked.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    assert "y-1" in meta["features"]["templates"] and (tmp_path / "m" / "first" / "meta.json").exists()
    loaded = POSTagger.load(tmp_path / "m")
    assert loaded.first is not None and loaded.predict(words) == tags


def test_non_stacked_tagger_has_no_first_pass():
    names = [n for n in ALL if not uses_predictions([n])]
    tagger = train_pos(SENTS, (), bits=16, folds=2, n_iter=3, templates=names, verbose=False)
    assert tagger.first is None
    with pytest.raises(ValueError, match="first-pass"):
        POSTagger(tagger.model, WordFeatures(bits=16, templates=ALL), tagger.tagset)
