"""Tests of cnlp.corpus.stats.CorpusStats: counts, save/load, corrupt files, the PD98 totals."""
from __future__ import annotations

import argparse

import numpy as np
import pytest

from cnlp.corpus.readers import read_pd98
from cnlp.cli.train import add_stats_arguments as add_train_arguments, stats_main as train_main
from cnlp.corpus.stats import CorpusStats
from cnlp.errors import ModelFormatError
from conftest import as_legacy


def test_counts_on_tiny(tiny_pd98):
    s = CorpusStats.from_pd98(tiny_pd98)
    assert s.total_words == 36 and s.n_sentences == 5
    assert s.word_count("的") == 3 and s.word_count("没有") == 0
    assert s.n_words == len(set(w for sent in read_pd98(tiny_pd98) for w, _ in sent))
    assert s.tags_of("的") == {"u": 3} and s.tags_of("zzz") == {}
    assert s.bigram_count("生命", "的") == 1 and s.bigram_count("的", "生命") == 0
    assert s.bigram_count("<s>", "我们") == 1 and s.bigram_count("。", "</s>") == 3
    assert s.bigram_count("<s>", "</s>") == 0
    assert s.char_count("的") == 3 and s.char_count("好") == 1 and s.char_count("龘") == 0
    assert "w" in s.tag_names and s.tag_count("w") == 5 and s.tag_count("nr") == 2
    nt = len(s.tag_names)
    t = s.transitions
    assert t[nt].sum() == 5 and t[:, nt + 1].sum() == 5            # BOS row / EOS column
    assert t[s.tag_id("nr"), s.tag_id("nr")] == 1
    assert t.sum() == s.total_words + s.n_sentences
    # bigram table covers every token plus one end marker per sentence
    assert s.bigram_counts.sum() == s.total_words + s.n_sentences
    assert np.all(np.diff(s.bigram_keys) > 0)
    # ids are the trie ids
    assert s.word_counts[s.trie["的"]] == 3
    assert sorted(s.words()) == sorted(w for w, _ in s.word_items())


def test_untagged_and_mixed_input():
    s = CorpusStats.build([["a", "b", "a"], [], [("a", "x"), ("c", "y")]])
    assert s.n_sentences == 3 and s.total_words == 5
    assert s.tag_names == ["x", "y"] and s.tags_of("a") == {"x": 1}
    assert s.transitions.sum() == 3
    assert s.bigram_count("a", "b") == 1 and s.bigram_count("<s>", "a") == 2
    with pytest.raises(ValueError):
        CorpusStats.build([[("", "n")]])


def test_save_load_round_trip(tmp_path, tiny_pd98):
    s = CorpusStats.from_pd98(tiny_pd98)
    s.save(tmp_path / "st")
    r = CorpusStats.load(tmp_path / "st")
    for k in ("word_counts", "bigram_keys", "bigram_counts", "char_codes", "char_counts", "tag_counts",
              "transitions", "emit_indptr", "emit_tags", "emit_counts"):
        np.testing.assert_array_equal(getattr(s, k), getattr(r, k), err_msg=k)
    assert r.tag_names == s.tag_names and r.n_sentences == 5
    assert r.tags_of("江") == {"nr": 1} and r.bigram_count("江", "泽民") == 1
    assert r.meta["sources"][0]["format"] == "pd98"


def test_truncated_npz_raises_model_format_error(tmp_path, tiny_pd98):
    d = tmp_path / "st"
    CorpusStats.from_pd98(tiny_pd98).save(d)
    npz = d / "arrays.npz"
    data = npz.read_bytes()
    npz.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError) as ei:
        CorpusStats.load(d)
    assert "arrays.npz" in str(ei.value)


def test_corrupt_trie_and_meta(tmp_path, tiny_pd98):
    d = tmp_path / "st"
    CorpusStats.from_pd98(tiny_pd98).save(d)
    (d / "words.marisa").write_bytes(b"garbage")
    with pytest.raises(ModelFormatError, match="words.marisa"):
        CorpusStats.load(d)
    (d / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        CorpusStats.load(d)


def test_train_cli(tmp_path, tiny_pd98):
    p = argparse.ArgumentParser()
    add_train_arguments(p)
    args = p.parse_args(["--corpus", str(tiny_pd98), "--corpus", str(tiny_pd98), "--out", str(tmp_path / "o")])
    assert train_main(args) == 0
    s = CorpusStats.load(tmp_path / "o")
    assert s.total_words == 72 and s.word_count("的") == 6


@pytest.mark.slow
@pytest.mark.corpus
def test_pd98_documented_totals(corpora):
    s = CorpusStats.from_pd98(corpora / "pd1998" / "199801.txt")
    assert s.total_words == 1_121_447
    assert s.n_words == 55_310
    assert s.n_sentences == 19_484
    assert len(s.tag_names) == 44
    assert s.bigram_count("江", "泽民") > 0
    assert s.n_docs == 19_484 and s.has_doc_freqs
    assert np.all((1 <= s.doc_freqs) & (s.doc_freqs <= s.word_counts) & (s.doc_freqs <= s.folded_doc_freqs))
    # the shipped IDF table (data/idf) is exactly what these counts give
    from cnlp.extract.idf import IDFTable
    from cnlp.models import idf_table as default_idf
    new, shipped = IDFTable.from_stats(s), default_idf()
    assert new.n_docs_ == shipped.n_docs_ and list(new.trie.keys()) == list(shipped.trie.keys())
    np.testing.assert_array_equal(new.df_, shipped.df_)
    np.testing.assert_array_equal(new.idf_, shipped.idf_)


# ------------------------------------------------------------------ document frequencies
def _reference_doc_freqs(sentences, key=lambda w: w):
    """Per-document sets, counted the slow obvious way."""
    df = {}
    for sent in sentences:
        for k in {key(w if isinstance(w, str) else w[0]) for w in sent}:
            df[k] = df.get(k, 0) + 1
    return df


def test_doc_freqs_repeated_word_counts_once():
    s = CorpusStats.build([["猫", "狗", "猫"], ["猫"], [], ["狗", "鱼", "狗", "狗"]])
    assert s.n_docs == s.n_sentences == 4                 # the empty sentence is a document
    assert s.word_count("猫") == 3 and s.doc_freq("猫") == 2
    assert s.word_count("狗") == 4 and s.doc_freq("狗") == 2
    assert s.doc_freq("鱼") == 1 and s.doc_freq("象") == 0
    np.testing.assert_array_equal(s.doc_freqs, s.folded_doc_freqs)   # no width-fold partners
    assert s.doc_freqs[s.trie["猫"]] == 2


def test_folded_doc_freqs_count_a_document_once():
    # doc 0 holds two forms of WTO: once for the fold class, once for each exact form
    sents = [["ＷＴＯ", "WTO", "ＷＴＯ"], ["wto", "猫"], ["WTO"], ["猫"]]
    s = CorpusStats.build(sents)
    assert s.n_words == 4                                  # CorpusStats itself does not fold words
    assert (s.doc_freq("ＷＴＯ"), s.doc_freq("WTO"), s.doc_freq("wto")) == (1, 2, 1)
    assert {s.doc_freq(w, folded=True) for w in ("ＷＴＯ", "WTO", "wto")} == {3}
    assert s.doc_freq("猫", folded=True) == s.doc_freq("猫") == 2
    # summing the exact forms would give 4 (doc 0 twice)
    assert sum(s.doc_freq(w) for w in ("ＷＴＯ", "WTO", "wto")) == 4


def test_doc_freqs_match_reference_on_tiny(tiny_pd98):
    from cnlp.dictionary.trie import fold_key
    s = CorpusStats.from_pd98(tiny_pd98)
    sents = list(read_pd98(tiny_pd98))
    ref = _reference_doc_freqs(sents)
    assert {w: s.doc_freq(w) for w in s.words()} == ref
    assert s.doc_freq("的") == 3 and s.doc_freq("。") == 3 and s.n_docs == 5
    fref = _reference_doc_freqs(sents, fold_key)
    assert {w: s.doc_freq(w, folded=True) for w in s.words()} == {w: fref[fold_key(w)] for w in s.words()}


def test_doc_freqs_sighan_style_with_blank_lines(tmp_path):
    p = tmp_path / "seg.txt"
    p.write_text("Ａ  a  b  a\n\nA  c\n", encoding="utf-8")
    s = CorpusStats.from_sighan(p)
    assert s.n_docs == 3
    assert s.doc_freq("a") == 1 and s.doc_freq("Ａ") == 1 and s.doc_freq("A") == 1
    assert s.doc_freq("a", folded=True) == s.doc_freq("Ａ", folded=True) == s.doc_freq("A", folded=True) == 2


def test_doc_freqs_empty_corpus():
    s = CorpusStats.build([[], []])
    assert s.n_docs == 2 and s.doc_freqs.shape == (0,) and s.folded_doc_freqs.shape == (0,)


def test_doc_freqs_save_load(tmp_path):
    s = CorpusStats.build([["ＷＴＯ", "WTO"], ["wto", "猫", "猫"]])
    s.save(tmp_path / "st")
    r = CorpusStats.load(tmp_path / "st")
    assert r.has_doc_freqs
    np.testing.assert_array_equal(r.doc_freqs, s.doc_freqs)
    np.testing.assert_array_equal(r.folded_doc_freqs, s.folded_doc_freqs)
    assert r.doc_freq("猫") == 1 and r.doc_freq("wto", folded=True) == 2


def _rewrite_arrays(d, drop=(), change=None):
    with np.load(d / "arrays.npz") as z:
        arrays = {k: z[k] for k in z.files if k not in drop}
    arrays.update(change or {})
    np.savez_compressed(d / "arrays.npz", **arrays)
    as_legacy(d)


def test_bundle_without_doc_freqs_still_loads(tmp_path, tiny_pd98):
    """A bundle saved before document frequencies were counted: loads, and says so when they are asked for."""
    d = tmp_path / "st"
    CorpusStats.from_pd98(tiny_pd98).save(d)
    _rewrite_arrays(d, drop=("doc_freqs", "folded_doc_freqs"))
    r = CorpusStats.load(d)
    assert not r.has_doc_freqs and r.doc_freqs is None and r.word_count("的") == 3 and r.n_docs == 5
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*no document frequencies.*cnlp train stats"):
        r.doc_freq("的")
    r.save(tmp_path / "again")                            # re-saving keeps the old layout
    assert not CorpusStats.load(tmp_path / "again").has_doc_freqs


def test_built_without_doc_freqs_raises_value_error():
    s = CorpusStats.build([["猫"]])
    s.doc_freqs = s.folded_doc_freqs = None
    with pytest.raises(ValueError, match="no document frequencies"):
        s.doc_freq("猫")


@pytest.mark.parametrize("drop, change, reason", [
    (("folded_doc_freqs",), lambda s: {}, "without its partner"),
    ((), lambda s: {"doc_freqs": np.ones(s.n_words + 1, np.int64)}, "shape"),
    ((), lambda s: {"doc_freqs": np.ones(s.n_words, np.float64)}, "dtype"),
    ((), lambda s: {"doc_freqs": np.zeros(s.n_words, np.int64)}, "inconsistent"),
    ((), lambda s: {"doc_freqs": s.word_counts + 1}, "inconsistent"),
    ((), lambda s: {"folded_doc_freqs": np.full(s.n_words, s.n_docs + 1, np.int64)}, "inconsistent"),
])
def test_corrupt_doc_freqs(tmp_path, tiny_pd98, drop, change, reason):
    d = tmp_path / "st"
    s = CorpusStats.from_pd98(tiny_pd98)
    s.save(d)
    _rewrite_arrays(d, drop=drop, change=change(s))
    with pytest.raises(ModelFormatError, match=reason):
        CorpusStats.load(d)


# ------------------------------------------------------------------ BMES label counts
B, M, E, S, BOS, EOS = 0, 1, 2, 3, 4, 5


def _grid(counts: dict, shape) -> np.ndarray:
    out = np.zeros(shape, np.int64)
    for k, v in counts.items():
        out[k] = v
    return out


def test_bmes_counts_by_hand():
    # labels: 商B 品E 和S 服B 务E | (empty) | 和S 服B 务M 员E ＡS | 和S
    s = CorpusStats.build([["商品", "和", "服务"], [], ["和", "服务员", "Ａ"], ["和"]])
    assert s.has_bmes
    assert s.char_labels("商") == {"B": 1} and s.char_labels("品") == {"E": 1}
    assert s.char_labels("和") == {"S": 3} and s.char_labels("服") == {"B": 2}
    assert s.char_labels("务") == {"M": 1, "E": 1} and s.char_labels("员") == {"E": 1}
    assert s.char_labels("Ａ") == {"S": 1} and s.char_labels("A") == {} and s.char_labels("龘") == {}
    np.testing.assert_array_equal(s.char_bmes.sum(axis=1), s.char_counts)
    assert s.char_bmes[np.searchsorted(s.char_codes, ord("务"))].tolist() == [0, 1, 1, 0]
    # bigrams of BOS l1 .. ln EOS: 11 characters + 3 non-empty sentences
    want_bi = {(BOS, B): 1, (BOS, S): 2, (B, E): 2, (E, S): 2, (S, B): 2, (E, EOS): 1,
               (B, M): 1, (M, E): 1, (S, EOS): 2}
    np.testing.assert_array_equal(s.bmes_transitions, _grid(want_bi, (6, 6)))
    assert s.bmes_transitions.sum() == 14
    # trigrams of BOS BOS l1 .. ln EOS
    want_tri = {(BOS, BOS, B): 1, (BOS, B, E): 1, (B, E, S): 1, (E, S, B): 1, (S, B, E): 1, (B, E, EOS): 1,
                (BOS, BOS, S): 2, (BOS, S, B): 1, (S, B, M): 1, (B, M, E): 1, (M, E, S): 1, (E, S, EOS): 1,
                (BOS, S, EOS): 1}
    np.testing.assert_array_equal(s.bmes_trigrams, _grid(want_tri, (6, 6, 6)))


def test_bmes_labels_follow_the_tagset():
    from cnlp.corpus.stats import BMES_BOS, BMES_EOS, BMES_LABELS
    from cnlp.tagset import BMES
    assert BMES_LABELS == "".join(BMES.names) and (BMES_BOS, BMES_EOS) == (4, 5)


def _reference_bmes(sentences):
    """Per-char label counts and label trigrams, counted the slow obvious way."""
    chars, tri = {}, {}
    for sent in sentences:
        labels = []
        for item in sent:
            w = item if isinstance(item, str) else item[0]
            lab = "S" if len(w) == 1 else "B" + "M" * (len(w) - 2) + "E"
            for ch, l in zip(w, lab):
                chars.setdefault(ch, {}).setdefault(l, 0)
                chars[ch][l] += 1
            labels += ["BMES".index(l) for l in lab]
        if labels:
            seq = [BOS, BOS] + labels + [EOS]
            for k in zip(seq, seq[1:], seq[2:]):
                tri[k] = tri.get(k, 0) + 1
    return chars, _grid(tri, (6, 6, 6))


def test_bmes_counts_match_reference_on_tiny(tiny_pd98):
    sents = list(read_pd98(tiny_pd98)) + [[], [("ＷＴＯ", "nx"), ("a", None)], [("x", None)]]
    s = CorpusStats.build(sents)
    chars, tri = _reference_bmes(sents)
    assert {chr(c): s.char_labels(chr(c)) for c in s.char_codes.tolist()} == chars
    np.testing.assert_array_equal(s.bmes_trigrams, tri)
    np.testing.assert_array_equal(s.bmes_transitions, tri.sum(axis=0))


def test_bmes_empty_corpus():
    s = CorpusStats.build([[], []])
    assert s.char_bmes.shape == (0, 4) and s.bmes_trigrams.sum() == 0 and s.bmes_transitions.shape == (6, 6)


def test_plain_words_and_pairs_count_the_same():
    """Plain word lists are interned by the fast path, pairs one by one: same counts either way."""
    words = [["研究", "生命", "的", "起源"], [], ["生命", "Ａ", "a", "研究"], ["的"]]
    plain = CorpusStats.build(words)
    pairs = CorpusStats.build([(w, None) for w in s] for s in words)       # generators, untagged pairs
    mixed = CorpusStats.build([[w if i % 2 else (w, None) for i, w in enumerate(s)] for s in words])
    for other in (pairs, mixed):
        assert list(other.trie.keys()) == list(plain.trie.keys()) and other.n_sentences == 4
        for k in ("word_counts", "bigram_keys", "bigram_counts", "char_codes", "char_counts", "doc_freqs",
                  "folded_doc_freqs", "char_bmes", "bmes_trigrams"):
            np.testing.assert_array_equal(getattr(other, k), getattr(plain, k), err_msg=k)
    assert plain.word_count("研究") == 2 and plain.bigram_count("生命", "的") == 1


@pytest.mark.parametrize("sents", [[["a"], ["b", ""]], [["a"], [("b", "n"), ("", "n")]], [["a"], [("b", "n"), ""]]])
def test_bad_word_names_its_sentence(sents):
    with pytest.raises(ValueError, match="sentence 2"):
        CorpusStats.build(sents)


def test_bmes_save_load(tmp_path, tiny_pd98):
    s = CorpusStats.from_pd98(tiny_pd98)
    s.save(tmp_path / "st")
    r = CorpusStats.load(tmp_path / "st")
    assert r.has_bmes
    np.testing.assert_array_equal(r.char_bmes, s.char_bmes)
    np.testing.assert_array_equal(r.bmes_trigrams, s.bmes_trigrams)
    assert r.char_labels("的") == {"S": 3}


def test_bundle_without_bmes_still_loads(tmp_path, tiny_pd98):
    """A bundle saved before BMES labels were counted: loads, and says so when they are needed."""
    d = tmp_path / "st"
    CorpusStats.from_pd98(tiny_pd98).save(d)
    _rewrite_arrays(d, drop=("char_bmes", "bmes_trigrams"))
    r = CorpusStats.load(d)
    assert not r.has_bmes and r.char_bmes is None and r.bmes_transitions is None
    assert r.char_count("的") == 3 and r.doc_freq("的") == 3          # everything else still works
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*no BMES label counts.*cnlp train stats"):
        r.require_bmes()
    with pytest.raises(ModelFormatError, match="no BMES label counts"):
        r.char_labels("的")
    r.save(tmp_path / "again")                            # re-saving keeps the old layout
    assert not CorpusStats.load(tmp_path / "again").has_bmes


def test_built_without_bmes_raises_value_error():
    s = CorpusStats.build([["猫"]])
    s.char_bmes = s.bmes_trigrams = None
    with pytest.raises(ValueError, match="no BMES label counts"):
        s.require_bmes()


@pytest.mark.parametrize("drop, change, reason", [
    (("bmes_trigrams",), lambda s: {}, "without its partner"),
    ((), lambda s: {"char_bmes": np.ones((s.char_codes.shape[0] + 1, 4), np.int64)}, "shape"),
    ((), lambda s: {"char_bmes": s.char_bmes.astype(np.float64)}, "dtype"),
    ((), lambda s: {"bmes_trigrams": np.zeros((5, 5, 5), np.int64)}, "shape"),
    ((), lambda s: {"char_bmes": s.char_bmes[:, ::-1] + 1}, "inconsistent"),
    ((), lambda s: {"bmes_trigrams": s.bmes_trigrams * 2}, "inconsistent"),
])
def test_corrupt_bmes(tmp_path, tiny_pd98, drop, change, reason):
    d = tmp_path / "st"
    s = CorpusStats.from_pd98(tiny_pd98)
    s.save(d)
    _rewrite_arrays(d, drop=drop, change=change(s))
    with pytest.raises(ModelFormatError, match=reason):
        CorpusStats.load(d)
