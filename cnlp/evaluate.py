"""Streaming evaluation accumulators: SIGHAN segmentation P/R/F1 with OOV and IV recall.

Scoring follows the SIGHAN bakeoff convention: a predicted word is correct when its
character span equals a gold word's span on the same line; a gold word is OOV when it is
not in the training word list.
"""
from __future__ import annotations

from itertools import zip_longest
from typing import Iterable

from .errors import CorpusFormatError


def _spans(words: Iterable[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for w in words:
        out.append((pos, pos + len(w)))
        pos += len(w)
    return out


class SegEvaluator:
    """Accumulate SIGHAN segmentation scores line by line.

    >>> ev = SegEvaluator(train_words={"研究", "生命"})
    >>> ev.add(["研究", "生命", "起源"], ["研究", "生命", "起", "源"])
    >>> round(ev.result()["recall"], 3), round(ev.result()["oov_recall"], 3)
    (0.667, 0.0)
    """

    def __init__(self, train_words: Iterable[str] | None = None):
        self.train_words = set(train_words) if train_words is not None else None
        self.gold = self.pred = self.correct = 0
        self.oov = self.oov_correct = self.iv = self.iv_correct = 0
        self.lines = 0

    def add(self, gold_words: list[str], pred_words: list[str], where: str = "") -> None:
        gold_words = [w for w in gold_words if w and not w.isspace()]
        pred_words = [w for w in pred_words if w and not w.isspace()]
        g_text, p_text = "".join(gold_words), "".join(pred_words)
        if g_text != p_text:
            raise ValueError(f"{where}gold and prediction differ in characters: "
                             f"{g_text[:40]!r} vs {p_text[:40]!r}")
        gs = _spans(gold_words)
        ps = set(_spans(pred_words))
        self.lines += 1
        self.gold += len(gs)
        self.pred += len(ps)
        for w, sp in zip(gold_words, gs):
            hit = sp in ps
            self.correct += hit
            if self.train_words is not None:
                if w in self.train_words:
                    self.iv += 1
                    self.iv_correct += hit
                else:
                    self.oov += 1
                    self.oov_correct += hit

    def result(self) -> dict:
        p = self.correct / self.pred if self.pred else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        nan = float("nan")
        return {
            "precision": p, "recall": r, "f1": f,
            "oov_rate": self.oov / self.gold if self.gold and self.train_words is not None else nan,
            "oov_recall": self.oov_correct / self.oov if self.oov else nan,
            "iv_recall": self.iv_correct / self.iv if self.iv else nan,
            "gold_words": self.gold, "pred_words": self.pred, "correct": self.correct,
            "lines": self.lines,
        }


def read_word_list(path) -> set[str]:
    """One word per line (surrounding whitespace stripped, blank lines skipped)."""
    words = set()
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            w = line.strip()
            if w:
                words.add(w)
    return words


def evaluate_files(gold_path, pred_path, words_path=None) -> dict:
    """Score a whitespace-segmented prediction file against a gold file, line by line."""
    ev = SegEvaluator(read_word_list(words_path) if words_path else None)
    with open(gold_path, encoding="utf-8-sig") as g, open(pred_path, encoding="utf-8-sig") as p:
        for lineno, (gl, pl) in enumerate(zip_longest(g, p), 1):
            if gl is None or pl is None:
                longer = gold_path if pl is None else pred_path
                raise CorpusFormatError(longer, lineno, "files have different numbers of lines")
            try:
                ev.add(gl.split(), pl.split())
            except ValueError as e:
                raise CorpusFormatError(pred_path, lineno, str(e)) from None
    return ev.result()
