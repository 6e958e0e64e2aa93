"""Streaming evaluation accumulators: SIGHAN segmentation P/R/F1 with OOV and IV recall
(:class:`SegEvaluator`), POS accuracy and span+tag scores (:class:`TagEvaluator`,
:class:`SpanTagEvaluator`), exact-span entity scores (:class:`EntityEvaluator`).

Scoring follows the SIGHAN bakeoff convention: a predicted word is correct when its
character span equals a gold word's span on the same line; a gold word is OOV when it is
not in the training word list.

This module is on the ground floor (the trainer's dev scoring uses the accumulators); scoring
*files* (reading PD98 / BIO / word-list files, the ``cnlp eval`` reports) is
:mod:`cnlp.eval_files`.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable



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


# ---------------------------------------------------------------------------------- POS tagging
def _require_pairs(pairs, what: str) -> list[tuple[str, str]]:
    out = []
    for i, item in enumerate(pairs):
        if not (isinstance(item, (tuple, list)) and len(item) == 2
                and isinstance(item[0], str) and isinstance(item[1], str)):
            raise TypeError(f"{what}: item {i} is {item!r}, expected a (word, tag) pair of str")
        out.append((item[0], item[1]))
    return out


class TagEvaluator:
    """Accumulate token accuracy of tags predicted for *gold* words (POS with gold segmentation).

    Signature: ``add(gold_pairs, pred_tags)`` where ``gold_pairs`` is the gold sentence
    ``[(word, tag), ...]`` and ``pred_tags`` the predicted tags of those words, same length.
    A word is OOV when ``train_words`` is given and does not contain it.

    :meth:`result` gives ``accuracy``, ``oov_accuracy`` / ``iv_accuracy`` (NaN when undefined),
    ``n``, ``n_oov``, ``correct``, ``oov_correct``, ``lines`` and ``confusions``: the ten most
    frequent errors as ``(gold_tag, predicted_tag, count)``, most frequent first.

    >>> ev = TagEvaluator(train_words={"研究", "生命"})
    >>> ev.add([("研究", "vn"), ("生命", "n"), ("起源", "n")], ["v", "n", "v"])
    >>> r = ev.result(); r["accuracy"], r["oov_accuracy"], r["confusions"]
    (0.3333333333333333, 0.0, [('n', 'v', 1), ('vn', 'v', 1)])
    """

    def __init__(self, train_words: Iterable[str] | None = None):
        self.train_words = set(train_words) if train_words is not None else None
        self.n = self.correct = self.n_oov = self.oov_correct = self.lines = 0
        self.errors: Counter = Counter()

    def add(self, gold_pairs: list[tuple[str, str]], pred_tags: list[str], where: str = "") -> None:
        gold_pairs = _require_pairs(gold_pairs, f"{where}TagEvaluator.add() gold_pairs")
        pred_tags = list(pred_tags)
        if len(gold_pairs) != len(pred_tags):
            raise ValueError(f"{where}{len(gold_pairs)} gold words but {len(pred_tags)} predicted tags")
        tw = self.train_words
        for (w, g), p in zip(gold_pairs, pred_tags):
            hit = g == p
            self.correct += hit
            if not hit:
                self.errors[g, p] += 1
            if tw is not None and w not in tw:
                self.n_oov += 1
                self.oov_correct += hit
        self.n += len(gold_pairs)
        self.lines += 1

    def result(self) -> dict:
        nan = float("nan")
        n_iv = self.n - self.n_oov
        return {
            "accuracy": self.correct / self.n if self.n else nan,
            "oov_accuracy": self.oov_correct / self.n_oov if self.n_oov else nan,
            "iv_accuracy": (self.correct - self.oov_correct) / n_iv if self.train_words is not None and n_iv else nan,
            "n": self.n, "n_oov": self.n_oov if self.train_words is not None else 0,
            "correct": self.correct, "oov_correct": self.oov_correct, "lines": self.lines,
            "confusions": _top_confusions(self.errors),
        }


def coarse(tag: str) -> str:
    """The coarse tag: the first letter, lower-cased (``nr`` -> ``n``, ``Vg`` -> ``v``, ``vn`` -> ``v``).

    This is the mapping used to compare with taggers whose tag sets only approximate PKU's
    (jieba, THULAC). ``coarse("") == ""``. Re-exported by :mod:`cnlp.pos.tags`.
    """
    return tag[:1].lower()


_COARSE = coarse          # SpanTagEvaluator's ``coarse`` argument shadows the name


def _top_confusions(errors: Counter, k: int = 10) -> list[tuple[str, str, int]]:
    # ties broken by the pair itself, so reports are reproducible
    return [(g, p, c) for (g, p), c in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _prf(correct: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class SpanTagEvaluator:
    """End-to-end tagging score when the predicted words may differ from the gold words.

    ``add(gold_pairs, pred_pairs)`` takes two ``[(word, tag), ...]`` sentences over the same
    text. A token's span is its character offsets computed from the word lengths; empty and
    whitespace-only words are ignored on both sides (as in :class:`SegEvaluator`). A predicted
    token is *correct* when a gold token has the same span **and** the same tag; it is
    *seg-correct* when the span alone matches. P = correct / predicted tokens, R = correct / gold
    tokens (SIGHAN convention). With words equal on both sides, P = R = F1 = tag accuracy.

    Parameters
    ----------
    coarse : bool or callable
        True compares :func:`coarse` tags (first letter, lower-cased); a callable
        maps every tag (gold and predicted) before comparing.
    train_words : iterable of str, optional
        Defines OOV gold tokens for ``oov_recall`` (gold tokens not in it that are predicted
        with the right span and tag).

    :meth:`result` keys: ``precision``, ``recall``, ``f1``, ``seg_precision``, ``seg_recall``,
    ``seg_f1``, ``oov_recall`` (NaN when undefined), ``gold_tokens``, ``pred_tokens``,
    ``correct``, ``seg_correct``, ``n_oov``, ``lines``, ``confusions`` (top ten
    ``(gold_tag, predicted_tag, count)`` among tokens with the right span and a wrong tag).

    Raises
    ------
    ValueError
        From :meth:`add` when the two texts differ, naming the line (the 1-based count of
        :meth:`add` calls, after the optional ``where`` prefix).

    >>> ev = SpanTagEvaluator()
    >>> ev.add([("研究", "vn"), ("生命", "n")], [("研究", "v"), ("生", "n"), ("命", "n")])
    >>> r = ev.result(); r["correct"], round(r["precision"], 3), r["recall"], round(r["seg_f1"], 3)
    (0, 0.0, 0.0, 0.4)
    """

    def __init__(self, coarse=False, train_words: Iterable[str] | None = None):
        if coarse is True:
            self._map = _COARSE
        elif coarse is False or coarse is None:
            self._map = None
        elif callable(coarse):
            self._map = coarse
        else:
            raise TypeError(f"coarse must be a bool or a callable, got {type(coarse).__name__}")
        self.coarse = coarse
        self.train_words = set(train_words) if train_words is not None else None
        self.gold = self.pred = self.correct = self.seg_correct = 0
        self.n_oov = self.oov_correct = self.lines = 0
        self.errors: Counter = Counter()

    def add(self, gold_pairs: list[tuple[str, str]], pred_pairs: list[tuple[str, str]], where: str = "") -> None:
        line = self.lines + 1
        gold = [(w, t) for w, t in _require_pairs(gold_pairs, f"{where}line {line}: gold")
                if w and not w.isspace()]
        pred = [(w, t) for w, t in _require_pairs(pred_pairs, f"{where}line {line}: prediction")
                if w and not w.isspace()]
        g_text, p_text = "".join(w for w, _ in gold), "".join(w for w, _ in pred)
        if g_text != p_text:
            raise ValueError(f"{where}line {line}: gold and prediction differ in characters: "
                             f"{g_text[:40]!r} vs {p_text[:40]!r}")
        m = self._map
        pred_at: dict[tuple[int, int], str] = {}
        pos = 0
        for w, t in pred:
            pred_at[pos, pos + len(w)] = m(t) if m else t
            pos += len(w)
        pos = 0
        tw = self.train_words
        for w, t in gold:
            span = (pos, pos + len(w))
            pos += len(w)
            g = m(t) if m else t
            p = pred_at.get(span)
            hit = p == g
            if p is not None:
                self.seg_correct += 1
                self.correct += hit
                if not hit:
                    self.errors[g, p] += 1
            if tw is not None and w not in tw:
                self.n_oov += 1
                self.oov_correct += hit
        self.gold += len(gold)
        self.pred += len(pred)
        self.lines += 1

    def result(self) -> dict:
        p, r, f = _prf(self.correct, self.pred, self.gold)
        sp, sr, sf = _prf(self.seg_correct, self.pred, self.gold)
        return {"precision": p, "recall": r, "f1": f, "seg_precision": sp, "seg_recall": sr, "seg_f1": sf,
                "oov_recall": self.oov_correct / self.n_oov if self.n_oov else float("nan"),
                "gold_tokens": self.gold, "pred_tokens": self.pred, "correct": self.correct,
                "seg_correct": self.seg_correct, "n_oov": self.n_oov, "lines": self.lines,
                "confusions": _top_confusions(self.errors)}


# ---------------------------------------------------------------------------------- entities
class EntityEvaluator:
    """Exact-span entity scores, per type and micro-averaged (conlleval's figures).

    ``add(gold_spans, pred_spans)`` takes two lists of ``(start, end, type)`` of one sentence; a
    predicted entity is correct when a gold one has the same start, end and type. Precision =
    correct / predicted, recall = correct / gold, over all sentences added.

    >>> ev = EntityEvaluator()
    >>> ev.add([(0, 3, "PER"), (4, 6, "LOC")], [(0, 3, "PER"), (4, 6, "ORG")])
    >>> r = ev.result(); r["micro"]["f1"], r["PER"]["f1"], r["LOC"]["recall"]
    (0.5, 1.0, 0.0)
    """

    def __init__(self):
        self.gold: Counter = Counter()
        self.pred: Counter = Counter()
        self.correct: Counter = Counter()
        self.sentences = 0

    def add(self, gold_spans, pred_spans) -> None:
        gold = {(int(s), int(e), t) for s, e, t in gold_spans}
        pred = {(int(s), int(e), t) for s, e, t in pred_spans}
        for _, _, t in gold:
            self.gold[t] += 1
        for _, _, t in pred:
            self.pred[t] += 1
        for _, _, t in gold & pred:
            self.correct[t] += 1
        self.sentences += 1

    def result(self) -> dict:
        """``{type: {precision, recall, f1, gold, pred, correct}, ..., "micro": {...}, "sentences": n}``."""
        def block(c, p, g):
            pr, rc, f = _prf(c, p, g)
            return {"precision": pr, "recall": rc, "f1": f, "gold": g, "pred": p, "correct": c}
        out: dict = {t: block(self.correct[t], self.pred[t], self.gold[t])
                     for t in sorted(set(self.gold) | set(self.pred))}
        out["micro"] = block(sum(self.correct.values()), sum(self.pred.values()), sum(self.gold.values()))
        out["sentences"] = self.sentences
        return out
