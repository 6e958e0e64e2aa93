import math

import numpy as np
import pytest
import scipy.sparse as sp

import cnlp
from cnlp.cli import main
from cnlp.errors import ModelFormatError
from cnlp.extract import keywords as K
from cnlp.extract.idf import IDFTable
from cnlp.models import dictionary as shipped_dictionary
from cnlp.models import idf_table as default_idf
from cnlp.extract.keywords import DEFAULT_POS, candidate_tag, cooccurrence_graph, textrank

# the one-call function: the library's keywords() with the shipped segmenter, dictionary and IDF table
keywords = cnlp.keywords
lib_keywords = K.keywords


def default_stopwords():
    return K.default_stopwords(shipped_dictionary())


def spaces(text):
    """A segmenter for hand-checked tests: words are separated by spaces."""
    return text.split()


# ------------------------------------------------------------------ TextRank
def dense_solution(w, d=0.85):
    """Solve S = (1-d) + d W^T D^+ S exactly."""
    out = w.sum(axis=1)
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    m = w.T * inv[None, :]
    return np.linalg.solve(np.eye(len(w)) - d * m, np.full(len(w), 1 - d))


def test_textrank_matches_dense_solution_undirected():
    w = np.array([[0, 2, 1, 0, 0],
                  [2, 0, 0, 3, 0],
                  [1, 0, 0, 1, 1],
                  [0, 3, 1, 0, 0],
                  [0, 0, 1, 0, 0]], float)
    got = textrank(sp.csr_matrix(w), tol=1e-12, max_iter=1000)
    np.testing.assert_allclose(got, dense_solution(w), rtol=1e-9)
    np.testing.assert_allclose(textrank(w, tol=1e-12, max_iter=1000), got, rtol=1e-12)


def test_textrank_directed_with_dangling_vertex():
    w = np.array([[0, 1, 1, 0], [0, 0, 1, 0], [1, 0, 0, 1], [0, 0, 0, 0]], float)
    np.testing.assert_allclose(textrank(sp.csr_matrix(w), tol=1e-12, max_iter=1000),
                               dense_solution(w), rtol=1e-9)


def test_textrank_bad_damping():
    with pytest.raises(ValueError, match="damping"):
        textrank(np.zeros((2, 2)), d=1.0)


def test_cooccurrence_graph_window():
    ids = np.array([0, 1, 2, 0, 0])
    w2 = cooccurrence_graph(ids, 3, 2).toarray()
    # window 2: adjacent pairs (0,1) (1,2) (2,0); (0,0) is a self pair and dropped
    np.testing.assert_array_equal(w2, [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    w3 = cooccurrence_graph(ids, 3, 3).toarray()
    # window 3 adds (0,2) (1,0) (2,0) at distance 2
    np.testing.assert_array_equal(w3, [[0, 2, 3], [2, 0, 1], [3, 1, 0]])
    assert (w3 == w3.T).all()


# ------------------------------------------------------------------ keywords
TEXT = ("经济发展需要改革。改革推动经济增长，经济结构不断优化。"
        "农民收入提高，经济效益明显，城市经济和农村经济共同进步。")


@pytest.mark.parametrize("algorithm", ["tfidf", "textrank"])
def test_repeated_word_ranks_first(algorithm):
    kw = keywords(TEXT, 5, algorithm=algorithm)
    assert kw[0] == "经济"
    assert len(kw) == 5 and len(set(kw)) == 5


@pytest.mark.parametrize("algorithm", ["tfidf", "textrank"])
def test_with_weight_sorted(algorithm):
    kw = keywords(TEXT, None, algorithm=algorithm, with_weight=True)
    scores = [s for _, s in kw]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert [w for w, _ in kw][:3] == keywords(TEXT, 3, algorithm=algorithm)


def test_default_stopwords_derived_from_dictionary():
    stop = default_stopwords()
    assert stop is cnlp.default_stopwords()
    for w in ("我们", "但是", "因为", "所以", "一个", "这个", "已经"):
        assert w in stop, w
    for w in ("经济", "改革", "农民"):
        assert w not in stop, w


@pytest.mark.parametrize("algorithm", ["tfidf", "textrank"])
def test_stopwords_never_returned(algorithm):
    text = ("我们因为但是所以已经这个一个他们的了在和是，我们的经济，我们的改革，但是我们已经这个一个。" * 3)
    kw = keywords(text, None, algorithm=algorithm, pos=None)
    stop = default_stopwords()
    assert kw and all(w not in stop and len(w) >= 2 for w in kw)
    kw2 = keywords(text, None, algorithm=algorithm, pos=None, stopwords=stop | {"经济"})
    assert "经济" not in kw2 and "改革" in kw2


def test_pos_filter_and_unknown_words():
    d = shipped_dictionary()
    assert candidate_tag("经济", d) == "n"
    assert candidate_tag("丕霏霂", d) == "n"        # unknown, 2+ Han chars -> noun
    assert candidate_tag("ＡＰＥＣ", d) == "nx"      # unknown Latin run (folded) -> nx
    assert candidate_tag("3个", d) is None
    kw = keywords(TEXT, None, pos={"n"})
    assert kw and all(candidate_tag(w, d) == "n" for w in kw)
    assert "n" in DEFAULT_POS and "u" not in DEFAULT_POS


def test_tfidf_hand_checked_weights():
    table = IDFTable.fit([["甲乙", "丙丁"], ["甲乙"], ["戊己"]])
    kw = lib_keywords("甲乙 丙丁 甲乙 庚辛 的", None, pos=None, stopwords=(), idf=table,
                  segmenter=spaces, with_weight=True)
    # tf over 5 tokens; idf = ln((3+1)/(df+1)) + 1; 庚辛 unseen -> median idf; "的" is one character
    expect = {"甲乙": 2 / 5 * (math.log(4 / 3) + 1), "丙丁": 1 / 5 * (math.log(2) + 1),
              "庚辛": 1 / 5 * table.default_idf}
    assert dict(kw) == pytest.approx(expect)
    assert table.default_idf == pytest.approx(math.log(2) + 1)   # median of the three idf values
    assert [w for w, _ in kw] == ["甲乙", "丙丁", "庚辛"]          # equal scores: first occurrence first


def test_ties_break_by_first_occurrence():
    # window 2: the path 乙-甲-丙, the middle vertex wins, the two ends tie
    assert lib_keywords("乙乙 甲甲 丙丙", None, algorithm="textrank", pos=None, stopwords=(),
                        segmenter=spaces, window=2) == ["甲甲", "乙乙", "丙丙"]
    # window 5: a triangle, all equal -> text order
    assert lib_keywords("乙乙 甲甲 丙丙", None, algorithm="textrank", pos=None, stopwords=(),
                        segmenter=spaces) == ["乙乙", "甲甲", "丙丙"]
    table = IDFTable.fit([["x"]])
    assert lib_keywords("乙乙 甲甲 丙丙", None, pos=None, stopwords=(), segmenter=spaces,
                        idf=table) == ["乙乙", "甲甲", "丙丙"]


def test_empty_and_no_candidates():
    assert keywords("") == []
    assert keywords("的了。，", algorithm="textrank") == []
    assert keywords(TEXT, 0) == []


def test_type_and_value_errors():
    with pytest.raises(TypeError, match="expects str"):
        keywords(b"abc")
    with pytest.raises(TypeError, match="top_k as int"):
        keywords(TEXT, "3")
    with pytest.raises(ValueError, match=r"choose one of \['tfidf', 'textrank'\]"):
        keywords(TEXT, algorithm="pagerank")
    with pytest.raises(ValueError, match="top_k >= 0"):
        keywords(TEXT, -1)
    with pytest.raises(ValueError, match="window >= 2"):
        keywords(TEXT, algorithm="textrank", window=1)
    with pytest.raises(TypeError, match="pos as an iterable"):
        keywords(TEXT, pos=5)
    with pytest.raises(TypeError, match="stopwords as an iterable"):
        keywords(TEXT, stopwords="的")
    with pytest.raises(TypeError, match="IDFTable"):
        keywords(TEXT, idf={"经济": 1.0})
    with pytest.raises(TypeError, match="segmenter"):
        keywords(TEXT, segmenter=5)
    with pytest.raises(TypeError, match="with_weight as bool"):
        keywords(TEXT, with_weight=1)


def test_public_wrapper_and_segmenter_choices():
    from cnlp import get_segmenter
    shipped = {"segmenter": get_segmenter(), "dictionary": shipped_dictionary(), "idf": default_idf()}
    for algorithm in ("tfidf", "textrank"):
        assert cnlp.keywords(TEXT, 3, algorithm=algorithm) == lib_keywords(TEXT, 3, algorithm=algorithm, **shipped)
    assert keywords(TEXT, 3, segmenter="bimm")[0] == "经济"
    assert keywords(TEXT, 3, segmenter=get_segmenter("fmm"))[0] == "经济"
    assert lib_keywords(TEXT, 3, segmenter=get_segmenter("fmm"), dictionary=shipped_dictionary(),
                        idf=default_idf())[0] == "经济"


def test_library_receives_its_components():
    """cnlp.extract.keywords fetches no shipped model: a missing component is a TypeError naming it."""
    from cnlp import get_segmenter
    seg, d, idf = get_segmenter(), shipped_dictionary(), default_idf()
    with pytest.raises(TypeError, match="needs segmenter="):
        lib_keywords(TEXT, dictionary=d, idf=idf)
    with pytest.raises(TypeError, match="needs dictionary="):
        lib_keywords(TEXT, segmenter=seg, idf=idf)                     # default stopwords
    with pytest.raises(TypeError, match="needs dictionary="):
        lib_keywords(TEXT, segmenter=seg, idf=idf, stopwords=())       # POS filter
    with pytest.raises(TypeError, match="needs idf="):
        lib_keywords(TEXT, segmenter=seg, dictionary=d)
    with pytest.raises(TypeError, match="get_segmenter"):
        lib_keywords(TEXT, segmenter="fmm", dictionary=d, idf=idf)    # names are the front's
    with pytest.raises(TypeError, match="needs dictionary="):
        K.default_stopwords(None)
    with pytest.raises(TypeError, match="cnlp Dictionary"):
        candidate_tag("经济", {"经济": 1})
    # textrank needs no IDF table; stopwords given and no POS filter need no dictionary
    assert lib_keywords(TEXT, 3, algorithm="textrank", segmenter=seg, dictionary=d)[0] == "经济"
    assert lib_keywords("乙乙 甲甲", None, algorithm="textrank", pos=None, stopwords=(), segmenter=spaces)


# ------------------------------------------------------------------ IDF table
def test_idf_hand_checked():
    t = IDFTable.fit([["猫", "狗", "猫"], ["猫", "鱼"], ["猫", " "]])
    assert t.n_docs_ == 3 and len(t) == 3           # whitespace is not a word
    assert t.df("猫") == 3 and t.df("狗") == 1 and t.df("象") == 0
    assert t["猫"] == pytest.approx(1.0)               # ln(4/4) + 1
    assert t["狗"] == pytest.approx(math.log(2) + 1)   # ln(4/2) + 1
    assert t.default_idf == pytest.approx(math.log(2) + 1)   # median of (1, 1+ln2, 1+ln2)
    assert t["象"] == t.default_idf
    np.testing.assert_allclose(t.idf_many(["狗", "象", "猫"]), [math.log(2) + 1, t.default_idf, 1.0], rtol=1e-6)


def test_idf_folds_width():
    t = IDFTable.fit([["ＷＴＯ", "１９９８年"], ["wto"]])
    assert t.df("WTO") == 2 and t.df("1998年") == 1 and "ｗｔｏ" in t


def test_idf_fit_type_errors():
    with pytest.raises(TypeError, match="word lists"):
        IDFTable.fit(["猫狗"])
    with pytest.raises(TypeError, match="words as str"):
        IDFTable.fit([[1, 2]])


def test_idf_save_load_round_trip(tmp_path):
    t = IDFTable.fit([["猫", "狗"], ["猫"], ["鱼", "狗"], []])
    t.save(tmp_path / "m")
    u = IDFTable.load(tmp_path / "m")
    assert u.n_docs_ == 4 and u.default_idf == t.default_idf
    for w in ("猫", "狗", "鱼", "象"):
        assert u[w] == t[w] and u.df(w) == t.df(w)


@pytest.mark.parametrize("victim", ["arrays.npz", "words.marisa", "meta.json"])
def test_idf_corrupt_files(tmp_path, victim):
    IDFTable.fit([["猫", "狗"], ["猫"]]).save(tmp_path / "m")
    p = tmp_path / "m" / victim
    p.write_bytes(p.read_bytes()[: max(1, p.stat().st_size // 3)])
    with pytest.raises(ModelFormatError, match=victim.replace(".", r"\.")):
        IDFTable.load(tmp_path / "m")


def test_idf_inconsistent_arrays(tmp_path):
    from cnlp.io import save_bundle
    import marisa_trie
    save_bundle(tmp_path / "m", "idf", {"n_docs": 2, "default_idf": 1.0},
                {"df": np.array([1, 5], np.int32), "idf": np.ones(2, np.float32)},
                {"words": marisa_trie.Trie(["a", "b"])})
    with pytest.raises(ModelFormatError, match="n_docs"):
        IDFTable.load(tmp_path / "m")
    with pytest.raises(ModelFormatError, match="kind|expected 'idf'"):
        from cnlp.dictionary import Dictionary
        Dictionary.from_counts({"猫": 1}).save(tmp_path / "d")
        IDFTable.load(tmp_path / "d")


def test_shipped_idf_table():
    t = default_idf()
    assert t is default_idf() and t.n_docs_ > 10000
    assert t["的"] < t["经济"] < t["股市"]
    assert t["１９９８年"] == t["1998年"]


# ------------------------------------------------------------------ CLI
def test_cli_train_idf(tmp_path, tiny_pd98, capsys):
    assert main(["train", "idf", "--corpus", str(tiny_pd98), "--out", str(tmp_path / "pd")]) == 0
    t = IDFTable.load(tmp_path / "pd")
    assert t.n_docs_ == 5 and t.df("的") == 3 and t.df("世纪") == 1
    raw = tmp_path / "raw.txt"
    raw.write_text("商品和服务\n研究生命的起源\n\n", encoding="utf-8")
    assert main(["train", "idf", "--corpus", str(raw), "--format", "raw", "--out", str(tmp_path / "raw")]) == 0
    t = IDFTable.load(tmp_path / "raw")
    assert t.n_docs_ == 3 and t.df("商品") == 1
    capsys.readouterr()


def test_cli_keywords(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT[:30] + "\n" + TEXT[30:] + "\n", encoding="utf-8")
    b.write_text("改革开放推动改革。\n", encoding="utf-8")
    assert main(["keywords", str(a), "--top-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.split() == keywords(TEXT[:30] + "\n" + TEXT[30:], 2)
    assert main(["keywords", str(a), str(b), "--algorithm", "textrank", "--with-weight"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{a}\t经济:") and lines[1].startswith(f"{b}\t改革:")
    assert main(["keywords", str(a), "--per-line", "-k", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == ["经济", "经济"]


@pytest.mark.corpus
def test_shipped_idf_matches_pd98(corpora):
    """data/idf was built from 199801.txt: one document per non-blank paragraph, gold words."""
    from cnlp.corpus.readers import read_pd98
    t = default_idf()
    docs = 0
    with_jingji = 0
    for sent in read_pd98(corpora / "pd1998" / "199801.txt"):
        docs += 1
        with_jingji += any(w == "经济" for w, _ in sent)
    assert t.n_docs_ == docs and t.df("经济") == with_jingji


@pytest.mark.corpus
def test_pku_test_keywords_are_candidates(corpora):
    lines = (corpora / "sighan2005" / "pku_test.utf8").read_text("utf-8").splitlines()[:40]
    text = "\n".join(lines)
    stop = default_stopwords()
    for algorithm in ("tfidf", "textrank"):
        kw = keywords(text, 20, algorithm=algorithm)
        assert len(kw) == 20 and all(w in text and w not in stop and len(w) >= 2 for w in kw)
