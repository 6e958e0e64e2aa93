"""Tests of cnlp.corpus.stats.CorpusStats: counts, save/load, corrupt files, the PD98 totals."""
from __future__ import annotations

import argparse

import numpy as np
import pytest

from cnlp.corpus.readers import read_pd98
from cnlp.corpus.stats import CorpusStats, add_train_arguments, train_main
from cnlp.errors import ModelFormatError


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


@pytest.mark.corpus
def test_pd98_documented_totals(corpora):
    s = CorpusStats.from_pd98(corpora / "pd1998" / "199801.txt")
    assert s.total_words == 1_121_447
    assert s.n_words == 55_310
    assert s.n_sentences == 19_484
    assert len(s.tag_names) == 44
    assert s.bigram_count("江", "泽民") > 0
