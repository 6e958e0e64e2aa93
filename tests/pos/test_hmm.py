"""Tests of cnlp.pos.hmm (HMMPOSTagger) and cnlp.pos.tags (PKU_TAGS, coarse, check_words)."""
from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from cnlp.corpus.stats import CorpusStats
from cnlp.errors import ModelFormatError, NotFittedError
from cnlp.pos.hmm import HMMPOSTagger, word_shape
from cnlp.pos.tags import PKU_TAGS, check_words, coarse
from conftest import as_legacy

TRAIN = [
    [("我们", "r"), ("研究", "v"), ("语言", "n"), ("。", "w")],
    [("他", "r"), ("研究", "v"), ("历史", "n"), ("。", "w")],
    [("他们", "r"), ("喜欢", "v"), ("历史", "n"), ("和", "c"), ("语言", "n"), ("。", "w")],
    [("江", "nr"), ("泽民", "nr"), ("访问", "v"), ("广东省", "ns"), ("。", "w")],
    [("我们", "r"), ("访问", "v"), ("浙江省", "ns"), ("。", "w")],
    [("他", "r"), ("买", "v"), ("１２", "m"), ("本", "q"), ("书", "n"), ("。", "w")],
    [("他", "r"), ("买", "v"), ("３", "m"), ("本", "q"), ("ＳＯＤ", "nx"), ("。", "w")],
    [("他", "r"), ("访问", "v"), ("福建省", "ns"), ("和", "c"), ("ＢＢＣ", "nx"), ("。", "w")],
]


@pytest.fixture(scope="module")
def model():
    return HMMPOSTagger().fit(TRAIN)


# ---------------------------------------------------------------------------------- tags.py
def test_pku_tags():
    assert len(PKU_TAGS) == 44 and len(set(PKU_TAGS)) == 44
    assert list(PKU_TAGS) == sorted(PKU_TAGS)
    assert {"n", "nr", "ns", "nt", "nx", "nz", "v", "vn", "w", "m", "Ng", "Vg"} <= set(PKU_TAGS)


def test_coarse():
    assert [coarse(t) for t in ("nr", "Vg", "vn", "w", "Ng", "")] == ["n", "v", "v", "w", "n", ""]


def test_check_words():
    assert check_words(("a", "b")) == ["a", "b"]
    assert check_words([]) == []
    with pytest.raises(TypeError, match=r"^pos_tag\(\) expects a list of str, got str"):
        check_words("商品和服务")
    with pytest.raises(TypeError, match=r"^pos_tag\(\) expects a list of str; item 3 is int$"):
        check_words(["a", "b", "c", 4])
    with pytest.raises(TypeError, match=r"^tag\(\) expects a list of str; item 0 is bytes$"):
        check_words([b"x"], func="tag")


# ---------------------------------------------------------------------------------- fit/predict
def test_fit_predict_known_sentences(model):
    for sent in TRAIN:
        assert model.predict([w for w, _ in sent]) == [t for _, t in sent]
    assert model.predict(("他", "研究", "语言")) == ["r", "v", "n"]
    assert model.tag(["他们", "研究"]) == [("他们", "r"), ("研究", "v")]
    assert model.predict_many([["他"], []]) == [["r"], []]


def test_oov_backoff(model):
    assert not model.is_known("江苏省") and not model.is_known("４５")
    # suffix: rare words ending in 省 are ns; digits -> m; Latin -> nx
    assert model.predict(["我们", "访问", "江苏省", "。"]) == ["r", "v", "ns", "w"]
    assert model.predict(["他", "买", "４５", "本", "书"]) == ["r", "v", "m", "q", "n"]
    assert model.predict(["他", "访问", "福建省", "和", "ＣＮＮ"])[-1] == "nx"
    # a shape never seen among rare words falls back to a fixed prior: half-width digits -> m
    assert word_shape("45") == word_shape("４５")
    assert model.predict(["ABC"]) == ["nx"]


def test_empty_and_type_errors(model):
    assert model.predict([]) == []
    with pytest.raises(TypeError, match=r"pos_tag\(\) expects a list of str, got str"):
        model.predict("他研究")
    with pytest.raises(TypeError, match=r"pos_tag\(\) expects a list of str; item 3 is int"):
        model.predict(["他", "研究", "语言", 3])
    with pytest.raises(TypeError, match="item 0 is NoneType"):
        model.predict([None])


def test_not_fitted_and_bad_training_data():
    with pytest.raises(NotFittedError):
        HMMPOSTagger().predict(["他"])
    with pytest.raises(TypeError, match="sentence 1 item 0"):
        HMMPOSTagger().fit([[("他", "r")], ["他"]])
    with pytest.raises(ValueError, match="sentence 0 item 1"):
        HMMPOSTagger().fit([[("他", "r"), ("说", "")]])
    with pytest.raises(TypeError, match="sentence 0 is str"):
        HMMPOSTagger().fit(["他/r"])
    with pytest.raises(ValueError, match="tagged words"):
        HMMPOSTagger().fit([])
    with pytest.raises(ValueError, match="invalid parameters"):
        HMMPOSTagger(rare_max=0).fit(TRAIN)


def test_counts_come_from_corpus_stats(model):
    stats = CorpusStats.build(TRAIN)
    other = HMMPOSTagger().fit_stats(stats)
    assert other.tags_ == model.tags_ == tuple(stats.tag_names)
    np.testing.assert_array_equal(model.transitions_, stats.transitions)
    np.testing.assert_array_equal(model.emit_counts_, stats.emit_counts)
    i = model.words_["研究"]
    a, b = model.emit_indptr_[i], model.emit_indptr_[i + 1]
    assert {model.tags_[t]: int(c) for t, c in zip(model.emit_tags_[a:b], model.emit_counts_[a:b])} \
        == stats.tags_of("研究") == {"v": 2}
    # known word emission: log c(w, t) / c(t); a tag never seen with the word is impossible
    v, n = model.tags_.index("v"), model.tags_.index("n")
    assert model.hmm_.log_emit_[v, i] == pytest.approx(np.log(2 / stats.tag_count("v")))
    assert model.hmm_.log_emit_[n, i] == -np.inf
    # rare-word back-off counts: 广东省/浙江省/福建省 (each seen once) under the suffix "省"
    key = f"{word_shape('广东省')}.3:省"
    assert model.suffix_counts_[model.suffixes_[key], model.tags_.index("ns")] == 3


def test_untagged_stats_refused():
    with pytest.raises(ValueError, match="tagged words"):
        HMMPOSTagger().fit_stats(CorpusStats.build([["他", "说"]]))


# ---------------------------------------------------------------------------------- persistence
SENTS = [["我们", "访问", "江苏省", "。"], ["他", "买", "４５", "本", "ＣＮＮ"], ["江", "泽民", "研究", "历史"],
         ["新词", "旧词", "的", "。"]]


def test_save_load_round_trip(model, tmp_path):
    d = model.save(tmp_path / "pos")
    assert sorted(p.name for p in d.iterdir()) == ["arrays.npz", "meta.json", "suffixes.marisa", "words.marisa"]
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    assert meta["kind"] == "hmm_pos" and meta["task"] == "pos" and meta["tags"] == list(model.tags_)
    with np.load(d / "arrays.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    loaded = HMMPOSTagger.load(d)
    assert loaded.get_params() == model.get_params()
    for s in SENTS + [[w for w, _ in t] for t in TRAIN]:
        assert loaded.predict(s) == model.predict(s)
    np.testing.assert_array_equal(loaded.hmm_.log_emit_, model.hmm_.log_emit_)
    np.testing.assert_array_equal(loaded.log_oov_, model.log_oov_)


def test_truncated_npz(model, tmp_path):
    d = model.save(tmp_path / "pos")
    data = (d / "arrays.npz").read_bytes()
    (d / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMPOSTagger.load(d)


def test_corrupt_files(model, tmp_path):
    d = model.save(tmp_path / "pos")
    (d / "suffixes.marisa").write_bytes(b"garbage")
    with pytest.raises(ModelFormatError, match="suffixes.marisa"):
        HMMPOSTagger.load(d)
    d = model.save(tmp_path / "pos2")
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    (d / "meta.json").write_text(json.dumps({**meta, "tags": meta["tags"][::-1]}), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json.*checksum"):     # tag order edited
        HMMPOSTagger.load(d)
    del meta["checksums"]["meta.json"]            # crafted models below: their meta.json is not checked
    (d / "meta.json").write_text(json.dumps({**meta, "task": "ner"}), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json.*task"):
        HMMPOSTagger.load(d)
    (d / "meta.json").write_text(json.dumps({**meta, "tags": meta["tags"][:-1]}), "utf-8")
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMPOSTagger.load(d)
    (d / "meta.json").write_text(json.dumps({**meta, "kind": "hmm_tagger"}), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        HMMPOSTagger.load(d)
    (d / "meta.json").write_text(json.dumps({**meta, "params": {"rare_max": -1}}), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json.*parameters"):
        HMMPOSTagger.load(d)


def test_inconsistent_arrays(model, tmp_path):
    d = model.save(tmp_path / "pos")
    with np.load(d / "arrays.npz") as z:
        arrays = {k: z[k] for k in z.files}
    bad = dict(arrays, emit_tags=np.full_like(arrays["emit_tags"], 99))
    np.savez_compressed(d / "arrays.npz", **bad)
    as_legacy(d)
    with pytest.raises(ModelFormatError, match="arrays.npz.*CSR"):
        HMMPOSTagger.load(d)
    np.savez_compressed(d / "arrays.npz", **dict(arrays, suffix_counts=arrays["suffix_counts"][:-1]))
    with pytest.raises(ModelFormatError, match="suffix_counts"):
        HMMPOSTagger.load(d)
    del arrays["transitions"]
    np.savez_compressed(d / "arrays.npz", **arrays)
    with pytest.raises(ModelFormatError, match="transitions"):
        HMMPOSTagger.load(d)


# ---------------------------------------------------------------------------------- real corpus
@pytest.mark.corpus
def test_pku_tags_are_the_corpus_tags(corpora):
    from cnlp.corpus.readers import read_pd98
    seen = Counter(t for s in read_pd98(corpora / "pd1998" / "199801.txt") for _, t in s)
    assert tuple(sorted(seen)) == PKU_TAGS


@pytest.mark.slow
@pytest.mark.corpus
def test_hmm_on_pd98_split(corpora):
    """Measured (benchmarks/pos_hmm.py): accuracy 0.9461, accuracy on unseen words 0.6672."""
    from cnlp.corpus.splits import pd98_split
    from cnlp.evaluate import TagEvaluator
    split = pd98_split(corpora / "pd1998" / "199801.txt")
    model = HMMPOSTagger().fit(split.train)
    ev = TagEvaluator({w for s in split.train for w, _ in s})
    for sent in split.test:
        ev.add(sent, model.predict([w for w, _ in sent]))
    r = ev.result()
    assert r["n"] == 103477 and r["n_oov"] == 3807
    assert r["accuracy"] > 0.94
    assert r["oov_accuracy"] > 0.64
