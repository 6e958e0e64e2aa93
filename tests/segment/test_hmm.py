"""Tests of cnlp.segmentation.hmm.HMMSegmenter (BMES character HMM)."""
from __future__ import annotations

import argparse

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.corpus.readers import read_pd98, read_sighan
from cnlp.errors import ModelFormatError
from cnlp.cli.train import add_hmm_arguments as add_train_arguments, hmm_main as train_main
from cnlp.models import hmm as default_hmm, hmm2 as default_hmm2
from cnlp.segmentation.hmm import HMMSegmenter
from conftest import as_legacy


def FakeUserDict(force=(), suggest=()):
    """A real UserDictionary with the given forced and suggested words."""
    from cnlp.dictionary import UserDictionary
    ud = UserDictionary(suggest, mode="suggest")
    for w in force:
        ud.add_word(w, mode="force")
    return ud


@pytest.fixture(params=[1, 2])
def seg(request, tiny_pd98):
    return HMMSegmenter(order=request.param).fit(list(read_pd98(tiny_pd98)) * 3)


def test_reproduces_training_sentences(seg, tiny_pd98):
    for sent in read_pd98(tiny_pd98):
        words = [w for w, _ in sent]
        assert seg.segment("".join(words)) == words


def test_a_space_run_is_one_word(seg):
    words = seg.segment("我们  研究")
    assert "".join(words) == "我们  研究"
    assert [w for w in words if w.isspace()] == ["  "]      # the base's hard boundary, as for every segmenter


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40)
       | st.text(alphabet="商品和服务研究生命的起源 \t\n1２aＢ😀\x00\ud800。", max_size=40))
def test_lossless_property(text):
    s = _SEGS[len(text) % 2]
    words = s.segment(text)
    assert "".join(words) == text and all(words)


def test_lossless_long_line(seg):
    text = "研究生命起源商品和服务abc123" * 40000                # ~0.8 M chars, no punctuation
    assert "".join(seg.segment(text)) == text


def test_forced_word_is_honoured(seg):
    text = "研究生命的起源"
    assert "究生" not in seg.segment(text)
    forced = _with(seg, FakeUserDict(force=["究生"]))
    words = forced.segment(text)
    assert "究生" in words and "".join(words) == text
    single = _with(seg, FakeUserDict(force=["生"])).segment(text)
    assert "生" in single
    # the original segmenter is untouched
    assert "究生" not in seg.segment(text)


def test_suggested_word_gets_a_bonus(seg):
    text = "研究生命的起源"
    plain = seg.segment(text)
    sug = _with(seg, FakeUserDict(suggest=["究生命的起"]))
    sug.suggest_bonus = 50.0
    assert "究生命的起" in sug.segment(text) and "究生命的起" not in plain


def test_save_load_identical(seg, tmp_path):
    seg.save(tmp_path / "m")
    r = HMMSegmenter.load(tmp_path / "m")
    assert r.order == seg.order
    for t in ["研究生命的起源", "江泽民说商品和服务都很好。", "未知字符龘靐 abc 123"]:
        assert r.segment(t) == seg.segment(t)


def test_truncated_or_bad_model(seg, tmp_path):
    seg.save(tmp_path / "m")
    npz = tmp_path / "m" / "arrays.npz"
    data = npz.read_bytes()
    npz.write_bytes(data[:len(data) // 3])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMSegmenter.load(tmp_path / "m")
    seg.save(tmp_path / "m2")
    a = dict(np.load(tmp_path / "m2" / "arrays.npz"))
    a["obs_codes"] = a["obs_codes"][::-1].copy()
    np.savez(tmp_path / "m2" / "arrays.npz", **a)
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMSegmenter.load(tmp_path / "m2")
    with pytest.raises(ModelFormatError, match="meta.json"):
        HMMSegmenter.load(tmp_path / "nothing")


def test_train_cli_sighan(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("商品  和  服务\n\n研究  生命\n", encoding="utf-8")
    p = argparse.ArgumentParser()
    add_train_arguments(p)
    args = p.parse_args(["--corpus", str(corpus), "--format", "sighan", "--order", "2", "--out", str(tmp_path / "o")])
    assert train_main(args) == 0
    r = HMMSegmenter.load(tmp_path / "o")
    assert r.order == 2 and r.segment("商品和服务") == ["商品", "和", "服务"]
    assert list(read_sighan(corpus))[1] == []


@pytest.mark.corpus
@pytest.mark.parametrize("factory", [default_hmm, default_hmm2])
def test_shipped_models_on_pku_sample(factory, corpora):
    from cnlp.eval_files import evaluate_files
    seg = factory()
    gold = (corpora / "sighan2005" / "pku_test_gold.utf8").read_text("utf-8").splitlines()[:300]
    raw = (corpora / "sighan2005" / "pku_test.utf8").read_text("utf-8").splitlines()[:300]
    pred = ["  ".join(w for w in seg.segment(line) if not w.isspace()) for line in raw]
    import tempfile, os
    with tempfile.TemporaryDirectory() as d:
        g, p = os.path.join(d, "g"), os.path.join(d, "p")
        open(g, "w", encoding="utf-8").write("\n".join(gold) + "\n")
        open(p, "w", encoding="utf-8").write("\n".join(pred) + "\n")
        res = evaluate_files(g, p, str(corpora / "sighan2005" / "pku_training_words.utf8"))
    assert res["f1"] > 0.75 and res["oov_recall"] > 0.3


def _with(seg, ud):
    import copy
    clone = copy.copy(seg)
    clone.user_dict = ud
    return clone


def _build_segs():
    from pathlib import Path
    import tempfile
    from conftest import TINY_PD98
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.txt"
        p.write_text(TINY_PD98, encoding="utf-8")
        sents = list(read_pd98(p))
    return [HMMSegmenter(order=1).fit(sents), HMMSegmenter(order=2).fit(sents)]


_SEGS = _build_segs()


def test_fused_kernels_match_numpy_path(seg):
    from hypothesis import given, settings, strategies as st
    from cnlp.segmentation.hmm import SYM_SPACE, _observe, symbols
    from cnlp.text import to_codes
    from cnlp.text import _BMP_TABLE

    @settings(max_examples=100, deadline=None)
    @given(st.text(max_size=40), st.lists(st.integers(0, 3), min_size=1, max_size=40))
    def check(s, labels):
        codes = to_codes(s)
        obs, space = _observe(codes, _BMP_TABLE, seg.obs_codes_)
        assert obs.tolist() == seg._obs_ids(symbols(codes)).tolist()
        assert space == bool((symbols(codes) == SYM_SPACE).any())
    check()


# ------------------------------------------------------------------ counts from CorpusStats
def _reference_fit(sentences, order):
    """What HMMSegmenter.fit did before its counts came from CorpusStats: BMES sequences of the
    folded symbols counted by HMMTagger.fit itself."""
    from cnlp.sequence.hmm import HMMTagger
    from cnlp.segmentation.hmm import symbols
    from cnlp.tagset import BMES
    from cnlp.text import to_codes
    texts, lengths, sent_chars = [], [], []
    for sent in sentences:
        ws = [item if isinstance(item, str) else item[0] for item in sent]
        texts += ws
        lengths += [len(w) for w in ws]
        if ws:
            sent_chars.append(sum(len(w) for w in ws))
    sym = symbols(to_codes("".join(texts)))
    labels = BMES.encode_spans(len(sym), np.r_[0, np.cumsum(lengths)])
    vocab, obs = np.unique(sym, return_inverse=True)
    cut = np.cumsum(sent_chars)[:-1]
    seqs = zip(np.split(obs.astype(np.int32), cut), np.split(labels.astype(np.int32), cut))
    tagger = HMMTagger(order=order, emission_alpha=0.01, strict_transitions=True).fit(
        seqs, n_obs=vocab.shape[0], n_tags=4)
    return vocab.astype(np.int32), tagger


def _assert_same_model(seg, codes, tagger):
    np.testing.assert_array_equal(seg.obs_codes_, codes)
    for k in ("log_trans_", "log_emit_", "bigram_counts_", "lambdas_"):
        a, b = getattr(seg.tagger_, k), getattr(tagger, k)
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), k
    assert (seg.tagger_.n_obs_, seg.tagger_.n_tags_) == (tagger.n_obs_, tagger.n_tags_)


@pytest.mark.parametrize("order", [1, 2])
def test_fit_through_stats_equals_counting_sequences(order, tiny_pd98):
    # folded pairs (１/1, Ａ/a), Latin and whitespace class symbols, hapaxes, an empty sentence
    sents = list(read_pd98(tiny_pd98)) * 2 + [
        [], ["１９９８年", "1998年", "Ａb", "ab", " ", "\t", "x"], [("ＷＴＯ", "nx"), ("龘", None)], ["好"]]
    seg = HMMSegmenter(order=order).fit(sents)
    _assert_same_model(seg, *_reference_fit(sents, order))


@pytest.mark.parametrize("order", [1, 2])
def test_fit_stats_from_a_saved_bundle(order, tiny_pd98, tmp_path):
    from cnlp.corpus.stats import CorpusStats
    CorpusStats.from_pd98(tiny_pd98).save(tmp_path / "st")
    seg = HMMSegmenter(order=order).fit_stats(CorpusStats.load(tmp_path / "st"))
    _assert_same_model(seg, *_reference_fit(list(read_pd98(tiny_pd98)), order))


def test_fit_stats_needs_bmes_counts(tiny_pd98, tmp_path):
    from cnlp.corpus.stats import CorpusStats
    d = tmp_path / "st"
    CorpusStats.from_pd98(tiny_pd98).save(d)
    with np.load(d / "arrays.npz") as z:                  # a bundle from before BMES counts
        arrays = {k: z[k] for k in z.files if k not in ("char_bmes", "bmes_trigrams")}
    np.savez_compressed(d / "arrays.npz", **arrays)
    as_legacy(d)
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*no BMES label counts.*cnlp train stats"):
        HMMSegmenter().fit_stats(CorpusStats.load(d))
    with pytest.raises(TypeError):
        HMMSegmenter().fit_stats({"char_bmes": None})


def test_fit_rejects_empty_and_bad_input():
    with pytest.raises(ValueError, match="non-empty sentence"):
        HMMSegmenter().fit([[], []])
    with pytest.raises(ValueError, match="non-empty str"):
        HMMSegmenter().fit([["商品"], ["和", ""]])
    with pytest.raises(ValueError, match="non-empty str"):
        HMMSegmenter().fit([[("商品", "n"), (5, "m")]])
    with pytest.raises(ValueError, match="order"):
        HMMSegmenter(order=3).fit([["商品"]])


def test_train_cli_from_stats(tmp_path, tiny_pd98):
    from cnlp.cli.train import add_stats_arguments as stats_args, stats_main
    p = argparse.ArgumentParser()
    stats_args(p)
    assert stats_main(p.parse_args(["--corpus", str(tiny_pd98), "--out", str(tmp_path / "st")])) == 0
    p = argparse.ArgumentParser()
    add_train_arguments(p)
    for src in (["--stats", str(tmp_path / "st")], ["--corpus", str(tiny_pd98)]):
        assert train_main(p.parse_args(src + ["--order", "2", "--out", str(tmp_path / src[0][2:])])) == 0
    a, b = HMMSegmenter.load(tmp_path / "stats"), HMMSegmenter.load(tmp_path / "corpus")
    np.testing.assert_array_equal(a.tagger_.log_trans_, b.tagger_.log_trans_)
    np.testing.assert_array_equal(a.tagger_.log_emit_, b.tagger_.log_emit_)
    with pytest.raises(SystemExit):                       # one source only
        p.parse_args(["--stats", "x", "--corpus", "y", "--out", "z"])


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("order", [1, 2])
def test_retrained_on_pd98_equals_shipped(order, corpora):
    """The shipped models were trained by `cnlp train hmm --corpus .../199801.txt --order N`."""
    from cnlp.io import load_bundle, model_path
    seg = HMMSegmenter(order=order).fit(read_pd98(corpora / "pd1998" / "199801.txt"))
    _, shipped, _ = load_bundle(model_path(f"hmm/order{order}"), "hmm_segmenter")
    np.testing.assert_array_equal(seg.obs_codes_, shipped["obs_codes"])
    np.testing.assert_array_equal(seg.tagger_.log_trans_, shipped["log_trans"])
    np.testing.assert_array_equal(seg.tagger_.log_emit_, shipped["log_emit"])
    np.testing.assert_array_equal(seg.tagger_.bigram_counts_, shipped["bigram_counts"])
