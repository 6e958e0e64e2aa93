"""IDFTable built from CorpusStats document frequencies: fit / from_stats / from_pd98 agree with a
per-document-set reference, width folding counts a document once, old stats bundles are refused clearly."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnlp.corpus.readers import read_pd98
from cnlp.corpus.stats import CorpusStats
from cnlp.errors import ModelFormatError
from cnlp.extract.idf import IDFTable, fold_word, idf_formula
from conftest import as_legacy


def reference_df(documents):
    """Today's definition, written the obvious way: folded per-document word sets."""
    df, n = {}, 0
    for doc in documents:
        n += 1
        for w in {fold_word(w) for w in doc if w and not w.isspace()}:
            df[w] = df.get(w, 0) + 1
    return df, n


def table_df(t: IDFTable) -> dict:
    return {w: int(t.df_[i]) for w, i in t.trie.items()}


def test_word_twice_in_a_document_counts_once():
    t = IDFTable.fit([["猫", "猫", "猫"], ["狗", "猫"], []])
    assert t.n_docs_ == 3 and t.df("猫") == 2 and t.df("狗") == 1
    assert t["猫"] == pytest.approx(float(idf_formula(2, 3)))


def test_width_folded_pair_in_one_document_counts_once():
    t = IDFTable.fit([["ＷＴＯ", "WTO", "wto"], ["Wto", "猫"], ["猫"]])
    assert len(t) == 2 and t.df("WTO") == t.df("ｗｔｏ") == 2 and t.df("猫") == 2


def test_from_stats_equals_fit():
    docs = [["ＷＴＯ", "谈判", "WTO"], ["谈判", " ", "谈判"], [], ["１９９８年", "1998年", "wto"]]
    a = IDFTable.fit(docs)
    b = IDFTable.from_stats(CorpusStats.build(docs))
    assert table_df(a) == table_df(b) == reference_df(docs)[0]
    assert a.n_docs_ == b.n_docs_ == 4 and a.default_idf == b.default_idf
    assert " " not in b                                   # whitespace is never a word


WORDS = st.sampled_from(["WTO", "ＷＴＯ", "wto", "Wto", "ｗｔｏ", "猫", "狗", " ", "　", "", "Ａ", "a", "A",
                         "1998年", "１９９８年"])


@given(st.lists(st.lists(WORDS, max_size=6), max_size=6))
def test_fit_matches_per_document_sets(docs):
    t = IDFTable.fit(docs)
    df, n = reference_df(docs)
    assert t.n_docs_ == n and table_df(t) == df


def test_from_pd98_goes_through_corpus_stats(tiny_pd98):
    a = IDFTable.from_pd98(tiny_pd98)
    b = IDFTable.from_stats(CorpusStats.from_pd98(tiny_pd98))
    df, n = reference_df([w for w, _ in sent] for sent in read_pd98(tiny_pd98))
    assert table_df(a) == table_df(b) == df and a.n_docs_ == n == 5
    assert a.meta == {"source": tiny_pd98.name, "format": "pd98"}
    assert b.meta == {"source": tiny_pd98.name, "format": "pd98"}      # derived from the stats' sources


def test_fold_matches_the_dictionary_fold():
    """CorpusStats groups words with the dictionary's fold; IDFTable folds with its own table: same mapping."""
    from cnlp.dictionary.trie import fold_key
    from cnlp.text import fold_str
    bmp = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert fold_word(bmp) == fold_key(bmp) == fold_str(bmp)


def test_from_stats_type_error_and_old_bundle(tmp_path):
    with pytest.raises(TypeError, match="expects a CorpusStats, got dict"):
        IDFTable.from_stats({"猫": 1})
    d = tmp_path / "st"
    CorpusStats.build([["猫"], ["狗", "猫"]]).save(d)
    with np.load(d / "arrays.npz") as z:                  # as written before doc frequencies existed
        arrays = {k: z[k] for k in z.files if "doc_freqs" not in k}
    np.savez_compressed(d / "arrays.npz", **arrays)
    as_legacy(d)
    stats = CorpusStats.load(d)
    assert stats.word_count("猫") == 2
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*no document frequencies"):
        IDFTable.from_stats(stats)


def test_fit_type_errors_unchanged():
    with pytest.raises(TypeError, match="got a str document"):
        IDFTable.fit(["猫狗"])
    with pytest.raises(TypeError, match="expects words as str, got int"):
        IDFTable.fit([[1, 2]])
    with pytest.raises(TypeError, match="expects words as str, got tuple"):
        IDFTable.fit([[("猫", "n")]])                   # (word, tag) pairs are not words here
