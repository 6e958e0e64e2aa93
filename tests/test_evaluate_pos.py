"""Tests of the POS additions to cnlp.evaluate: TagEvaluator, SpanTagEvaluator, evaluate_pos_files, eval_pos_cli."""
from __future__ import annotations

import math

import pytest

from cnlp.errors import CorpusFormatError
from cnlp.eval_files import eval_pos_cli, evaluate_pos_files
from cnlp.evaluate import SpanTagEvaluator, TagEvaluator


# ---------------------------------------------------------------------------------- TagEvaluator
def test_tag_evaluator_by_hand():
    ev = TagEvaluator(train_words={"研究", "生命", "的"})
    ev.add([("研究", "vn"), ("生命", "n"), ("的", "u"), ("起源", "n")], ["v", "n", "u", "v"])
    ev.add([("新词", "nz"), ("的", "u")], ["nz", "u"])
    ev.add([], [])
    r = ev.result()
    assert (r["n"], r["correct"], r["n_oov"], r["oov_correct"], r["lines"]) == (6, 4, 2, 1, 3)
    assert r["accuracy"] == pytest.approx(4 / 6)
    assert r["oov_accuracy"] == pytest.approx(1 / 2)          # 起源 wrong, 新词 right
    assert r["iv_accuracy"] == pytest.approx(3 / 4)
    assert r["confusions"] == [("n", "v", 1), ("vn", "v", 1)]  # ties ordered by the pair


def test_tag_evaluator_confusions_top_ten():
    ev = TagEvaluator()
    gold = [(f"w{i}", f"g{i}") for i in range(12) for _ in range(i + 1)]
    ev.add(gold, ["p"] * len(gold))
    r = ev.result()
    assert r["confusions"][0] == ("g11", "p", 12) and len(r["confusions"]) == 10
    assert [c for _, _, c in r["confusions"]] == list(range(12, 2, -1))
    assert math.isnan(r["oov_accuracy"]) and r["n_oov"] == 0 and math.isnan(r["iv_accuracy"])


def test_tag_evaluator_errors():
    ev = TagEvaluator()
    with pytest.raises(ValueError, match="2 gold words but 1 predicted tags"):
        ev.add([("a", "n"), ("b", "v")], ["n"])
    with pytest.raises(TypeError, match="item 0"):
        ev.add(["a"], ["n"])
    assert math.isnan(ev.result()["accuracy"])


# ---------------------------------------------------------------------------------- SpanTagEvaluator
def test_span_tag_evaluator_by_hand():
    ev = SpanTagEvaluator(train_words={"研究", "生命"})
    gold = [("研究", "vn"), ("生命", "n"), ("起源", "n")]            # spans (0,2) (2,4) (4,6)
    pred = [("研究", "v"), ("生", "n"), ("命", "n"), ("起源", "n")]    # (0,2) (2,3) (3,4) (4,6)
    ev.add(gold, pred)
    r = ev.result()
    assert (r["gold_tokens"], r["pred_tokens"], r["seg_correct"], r["correct"]) == (3, 4, 2, 1)
    assert r["precision"] == pytest.approx(1 / 4) and r["recall"] == pytest.approx(1 / 3)
    assert r["f1"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert r["seg_precision"] == pytest.approx(2 / 4) and r["seg_recall"] == pytest.approx(2 / 3)
    assert r["seg_f1"] == pytest.approx(4 / 7)
    assert r["n_oov"] == 1 and r["oov_recall"] == 1.0             # 起源: right span, right tag
    assert r["confusions"] == [("vn", "v", 1)]


def test_span_tag_evaluator_coarse_and_whitespace():
    gold = [("研究", "vn"), (" ", "w"), ("江", "nr")]
    pred = [("研究", "v"), ("江", "n")]
    fine, crs = SpanTagEvaluator(), SpanTagEvaluator(coarse=True)
    fine.add(gold, pred)
    crs.add(gold, pred)
    assert fine.result()["correct"] == 0 and fine.result()["seg_f1"] == 1.0
    assert crs.result()["correct"] == 2 and crs.result()["f1"] == 1.0
    custom = SpanTagEvaluator(coarse=lambda t: "x")
    custom.add(gold, pred)
    assert custom.result()["f1"] == 1.0
    with pytest.raises(TypeError):
        SpanTagEvaluator(coarse="yes")


def test_span_tag_evaluator_equal_words_is_accuracy():
    gold = [("a", "n"), ("bc", "v"), ("d", "u"), ("ef", "n")]
    pred_tags = ["n", "v", "d", "v"]
    span, acc = SpanTagEvaluator(), TagEvaluator()
    span.add(gold, [(w, t) for (w, _), t in zip(gold, pred_tags)])
    acc.add(gold, pred_tags)
    r = span.result()
    assert r["precision"] == r["recall"] == r["f1"] == acc.result()["accuracy"] == 0.5


def test_span_tag_evaluator_text_mismatch_names_line():
    ev = SpanTagEvaluator()
    ev.add([("甲", "n")], [("甲", "n")])
    with pytest.raises(ValueError, match=r"^file\.txt: line 2: gold and prediction differ"):
        ev.add([("甲", "n")], [("乙", "n")], where="file.txt: ")
    assert ev.result()["lines"] == 1


# ---------------------------------------------------------------------------------- files and CLI
GOLD = "共同/v  创造/v  美好/a  的/u  新/a  世纪/n\n\n江/nr  泽民/nr  讲话/v\n"


def test_files_accuracy_mode(tmp_path):
    g, p, w = tmp_path / "g", tmp_path / "p", tmp_path / "w"
    g.write_text(GOLD, "utf-8")
    p.write_text("共同/d  创造/v  美好/a  的/u  新/a  世纪/n\n\n江/nr  泽民/n  讲话/vn\n", "utf-8")
    w.write_text("共同\n创造\n美好\n的\n新\n世纪\n讲话\n", "utf-8")
    r = evaluate_pos_files(g, p, w)
    assert r["mode"] == "accuracy" and r["lines"] == 2 and r["lines_words_differ"] == 0
    assert (r["n"], r["n_oov"]) == (9, 2)
    assert r["accuracy"] == pytest.approx(6 / 9) and r["oov_accuracy"] == pytest.approx(1 / 2)
    assert r["span"]["f1"] == pytest.approx(6 / 9)
    assert r["confusions"] == [("nr", "n", 1), ("v", "d", 1), ("v", "vn", 1)]
    report = eval_pos_cli(g, p, w)
    assert "accuracy     0.6667" in report and "oov_accuracy 0.5000" in report
    assert "     v -> d    1" in report.splitlines()
    assert "n/a" in eval_pos_cli(g, p)


def test_files_span_mode(tmp_path):
    g, p = tmp_path / "g", tmp_path / "p"
    g.write_text(GOLD, "utf-8")
    p.write_text("共同/v  创造/v  美好/a  的/u  新世纪/n\n\n江泽民/nr  讲话/v\n", "utf-8")
    r = evaluate_pos_files(g, p)
    assert r["mode"] == "span" and r["accuracy"] is None and r["confusions"] is None
    assert r["lines_words_differ"] == 2 and r["first_line_words_differ"] == 1
    s = r["span"]
    assert (s["gold_tokens"], s["pred_tokens"], s["correct"]) == (9, 7, 5)
    assert s["precision"] == pytest.approx(5 / 7) and s["recall"] == pytest.approx(5 / 9)
    assert "differ from the gold words on 2 of 2 lines" in r["note"]
    report = eval_pos_cli(g, p)
    assert report.startswith("mode         span") and "seg   P 0.7143" in report


def test_files_errors(tmp_path):
    g, p = tmp_path / "g", tmp_path / "p"
    g.write_text(GOLD, "utf-8")
    p.write_text("共同/v  创造/v  美好/a  的/u  新/a  世纪/n\n", "utf-8")
    with pytest.raises(CorpusFormatError, match="different numbers of lines"):
        evaluate_pos_files(g, p)
    p.write_text("共同/v\n\n江/nr  泽民/nr  讲话/v\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r":1: line 1: gold and prediction differ"):
        evaluate_pos_files(g, p)
    p.write_text("共同/v  创造/v  美好/a  的/u  新/a  世纪\n\n江/nr  泽民/nr  讲话/v\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"p:1: token"):
        evaluate_pos_files(g, p)
