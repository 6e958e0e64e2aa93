import math

import numpy as np
import pytest

import cnlp
from cnlp.cli import main
from cnlp.extract.summarize import sentences, similarity_matrix
from cnlp.extract.summarize import summarize as lib_summarize
from cnlp.models import idf_table

# the one-call function: the library's summarize() with the shipped segmenter, dictionary and IDF table
summarize = cnlp.summarize

DOC = ("经济改革推动农村发展。\n"
       "今天天气很好。"
       "农村经济改革取得进展，农民收入增加！"
       "  城市建设加快，农村经济改革深化，农民生活改善；"
       "猫咪睡觉了？\n"
       "农民支持经济改革。")


def spaces(text):
    return text.split()


@pytest.mark.parametrize("similarity", ["overlap", "bm25"])
def test_substrings_in_document_order(similarity):
    got = summarize(DOC, 3, similarity=similarity)
    assert len(got) == 3
    pos = [DOC.index(s) for s in got]
    assert pos == sorted(pos)
    assert all(s and s == s.strip() for s in got)
    assert "今天天气很好。" not in got and "猫咪睡觉了？" not in got


@pytest.mark.parametrize("top_k", [6, 7, 100, None])
def test_top_k_at_least_sentence_count_returns_all(top_k):
    got = summarize(DOC, top_k)
    assert got == [DOC[s:e] for s, e in sentences(DOC)]
    assert len(got) == 6


def test_sentences_strip_whitespace_and_skip_blank():
    text = "  甲。\n\n  乙！  \n"
    assert [text[s:e] for s, e in sentences(text)] == ["甲。", "乙！"]
    assert summarize("") == [] and summarize(" \n ") == []
    assert summarize("只有一句", 3) == ["只有一句"]


def test_central_sentence_wins():
    # sentence 1 shares a word with each of the others; the others share nothing with each other
    text = "甲甲 乙乙。丙丙 丁丁。甲甲 丙丙 戊戊。己己 庚庚。"
    got = lib_summarize(text, 1, segmenter=lambda s: s.rstrip("。").split(), stopwords=())   # no dictionary needed
    assert got == ["甲甲 丙丙 戊戊。"]


def test_overlap_similarity_hand_checked():
    w = similarity_matrix([["甲甲", "乙乙"], ["甲甲", "丙丙", "丁丁"], ["戊戊"], ["戊戊"]], "overlap")
    assert w[0, 1] == pytest.approx(1 / (math.log(2) + math.log(3)))
    assert w[0, 2] == 0 and w[2, 3] == pytest.approx(1.0)   # two singletons: denominator 0 -> 1
    assert (np.diag(w) == 0).all() and (w == w.T).all()


def test_bm25_similarity_symmetric_positive():
    w = similarity_matrix([["经济", "改革"], ["经济", "发展", "农村"], ["猫咪"]], "bm25", idf_table())
    with pytest.raises(TypeError, match="needs idf="):
        similarity_matrix([["经济"]], "bm25")
    assert (w == w.T).all() and w[0, 1] > 0 and w[0, 2] == 0 and (np.diag(w) == 0).all()


def test_with_weight():
    got = summarize(DOC, 2, with_weight=True)
    assert [s for s, _ in got] == summarize(DOC, 2)
    assert all(isinstance(x, float) and x > 0 for _, x in got)


def test_errors():
    with pytest.raises(TypeError, match="expects str"):
        summarize(["a"])
    with pytest.raises(TypeError, match="top_k as int"):
        summarize(DOC, 2.5)
    with pytest.raises(ValueError, match=r"choose one of \['overlap', 'bm25'\]"):
        summarize(DOC, similarity="cosine")
    with pytest.raises(ValueError, match="top_k >= 0"):
        summarize(DOC, -2)
    with pytest.raises(ValueError, match="damping"):
        summarize(DOC, d=1.5)
    with pytest.raises(TypeError, match="segmenter"):
        summarize(DOC, segmenter=object())


def test_public_wrapper_and_received_components():
    from cnlp.models import dictionary
    seg, d = cnlp.get_segmenter(), dictionary()
    assert cnlp.summarize(DOC, 2) == lib_summarize(DOC, 2, segmenter=seg, dictionary=d)
    assert (cnlp.summarize(DOC, 2, similarity="bm25", pos={"n"})
            == lib_summarize(DOC, 2, similarity="bm25", pos={"n"}, segmenter=seg, dictionary=d, idf=idf_table()))
    with pytest.raises(TypeError, match="needs segmenter="):
        lib_summarize(DOC, 2, dictionary=d)
    with pytest.raises(TypeError, match="needs dictionary="):
        lib_summarize(DOC, 2, segmenter=seg)
    with pytest.raises(TypeError, match="needs idf="):
        lib_summarize(DOC, 2, similarity="bm25", segmenter=seg, dictionary=d)


def test_cli_summarize(tmp_path, capsys):
    p = tmp_path / "doc.txt"
    p.write_text(DOC + "\n", encoding="utf-8")
    assert main(["summarize", str(p), "--top-k", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == summarize(DOC, 2)
    assert main(["summarize", str(p), str(p), "-k", "1", "--similarity", "bm25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[1] == "" and lines[0] == lines[2]
