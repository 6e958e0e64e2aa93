import pytest

from cnlp.errors import CorpusFormatError
from cnlp.eval_files import evaluate_files
from cnlp.evaluate import SegEvaluator


def test_scores_by_hand():
    ev = SegEvaluator(train_words={"研究", "生命", "起源"})
    ev.add(["研究", "生命", "起源"], ["研究", "生", "命", "起源"])
    ev.add(["新词"], ["新词"])
    r = ev.result()
    assert (r["gold_words"], r["pred_words"], r["correct"]) == (4, 5, 3)
    assert r["precision"] == pytest.approx(3 / 5)
    assert r["recall"] == pytest.approx(3 / 4)
    assert r["oov_rate"] == pytest.approx(1 / 4)
    assert r["oov_recall"] == 1.0
    assert r["iv_recall"] == pytest.approx(2 / 3)


def test_mismatched_text_raises():
    with pytest.raises(ValueError):
        SegEvaluator().add(["甲"], ["乙"])


def test_files(tmp_path):
    g = tmp_path / "g"; p = tmp_path / "p"; w = tmp_path / "w"
    g.write_text("共同  创造  美好\n新  世纪\n", "utf-8")
    p.write_text("共同 创造美好\n新 世纪\n", "utf-8")
    w.write_text("共同\n创造\n", "utf-8")
    r = evaluate_files(g, p, w)
    assert r["correct"] == 3 and r["gold_words"] == 5 and r["pred_words"] == 4
    p.write_text("共同 创造美好\n", "utf-8")
    with pytest.raises(CorpusFormatError, match="different numbers of lines"):
        evaluate_files(g, p, w)
    p.write_text("共同 创造美\n新 世纪\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r":1:"):
        evaluate_files(g, p, w)
