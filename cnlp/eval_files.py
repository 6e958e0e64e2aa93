"""Scoring prediction files against gold files: ``cnlp eval cws|pos|ner``.

The accumulators are those of :mod:`cnlp.evaluate` (ground floor, used by the trainer); this
module reads the files (whitespace-segmented lines, PD98 ``word/TAG`` lines through
:mod:`cnlp.corpus.readers`, ``char<TAB>tag`` BIO/BIOES files through :mod:`cnlp.entities.data`)
and writes the reports the command line prints. Dependency parsing is scored by
:mod:`cnlp.parsing.evaluate`.
"""
from __future__ import annotations

from itertools import zip_longest

from .corpus.readers import iter_lines, parse_pd98_line
from .entities.data import read_bio
from .errors import CorpusFormatError, InputMismatchError
from .evaluate import EntityEvaluator, SegEvaluator, SpanTagEvaluator, TagEvaluator

__all__ = ["read_word_list", "evaluate_files", "evaluate_pos_files", "eval_pos_cli", "evaluate_ner_files",
           "eval_ner_cli"]


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


def evaluate_pos_files(gold_path, pred_path, words_path=None) -> dict:
    """Score a PD98-format prediction file (``word/TAG  word/TAG``) against a gold file, line by line.

    Lines are paired by position (both files must have the same number of lines; a line blank
    in both is skipped). ``words_path`` is a training word list (one word per line) defining OOV.

    Returns
    -------
    dict
        ``mode``: ``"accuracy"`` when every line has the same words in both files, else
        ``"span"``. ``accuracy``, ``oov_accuracy``, ``iv_accuracy``, ``n``, ``n_oov`` and
        ``confusions`` are those of :class:`TagEvaluator` in accuracy mode and ``None`` in span
        mode; ``span`` is always the :class:`SpanTagEvaluator` result (in accuracy mode its F1
        equals the accuracy). ``lines``, ``lines_words_differ`` (count) and
        ``first_line_words_differ`` (1-based, or None) say which mode was used and why;
        ``note`` says it in words.

    Raises
    ------
    CorpusFormatError
        Different numbers of lines, a malformed line, or a line whose texts differ (naming
        the prediction file and the line).
    """
    train_words = read_word_list(words_path) if words_path else None
    tag_ev = TagEvaluator(train_words)
    span_ev = SpanTagEvaluator(train_words=train_words)
    differ, first = 0, None
    gold_lines, pred_lines = iter_lines(gold_path), iter_lines(pred_path)
    for (gl, pl) in zip_longest(gold_lines, pred_lines):
        if gl is None or pl is None:
            longer, (lineno, _) = (gold_path, gl) if pl is None else (pred_path, pl)
            raise CorpusFormatError(longer, lineno, "files have different numbers of lines")
        lineno = gl[0]
        if not gl[1].strip() and not pl[1].strip():
            continue
        gold = parse_pd98_line(gl[1], path=gold_path, lineno=lineno)
        pred = parse_pd98_line(pl[1], path=pred_path, lineno=lineno)
        try:
            span_ev.add(gold, pred)
        except ValueError as e:
            raise CorpusFormatError(pred_path, lineno, str(e)) from None
        if [w for w, _ in gold] == [w for w, _ in pred]:
            tag_ev.add(gold, [t for _, t in pred])
        else:
            differ += 1
            first = first or lineno
    span = span_ev.result()
    res = {"mode": "accuracy" if not differ else "span", "lines": span["lines"],
           "lines_words_differ": differ, "first_line_words_differ": first, "span": span}
    keys = ("accuracy", "oov_accuracy", "iv_accuracy", "n", "n_oov", "confusions")
    if differ:
        res.update(dict.fromkeys(keys))
        res["note"] = (f"predicted words differ from the gold words on {differ} of {span['lines']} lines "
                       f"(first: line {first}); token accuracy is undefined, scored span+tag P/R/F1")
    else:
        tr = tag_ev.result()
        res.update({k: tr[k] for k in keys})
        res["note"] = f"same words as the gold on all {span['lines']} lines; scored tag accuracy"
    return res


def eval_pos_cli(gold, pred, words=None) -> str:
    """The report printed by ``cnlp eval pos --gold G --pred P [--words W]`` (see :func:`evaluate_pos_files`).

    Accuracy mode: accuracy, accuracy on words unseen in training (needs ``words``), and the ten
    most frequent confusions as ``gold -> pred  count`` lines. Span mode: span+tag and seg-only
    P/R/F1 and the confusions among tokens with the right span.
    """
    r = evaluate_pos_files(gold, pred, words)
    out = [f"mode         {r['mode']}: {r['note']}"]
    if r["mode"] == "accuracy":
        out.append(f"accuracy     {r['accuracy']:.4f}  ({r['n']} tokens)")
        if words:
            out.append(f"oov_accuracy {r['oov_accuracy']:.4f}  ({r['n_oov']} tokens unseen in training)")
            out.append(f"iv_accuracy  {r['iv_accuracy']:.4f}")
        else:
            out.append("oov_accuracy n/a (give the training word list with --words)")
        conf = r["confusions"]
    else:
        s = r["span"]
        out.append(f"tag   P {s['precision']:.4f}  R {s['recall']:.4f}  F1 {s['f1']:.4f}  (span and tag)")
        out.append(f"seg   P {s['seg_precision']:.4f}  R {s['seg_recall']:.4f}  F1 {s['seg_f1']:.4f}  (span only)")
        if words:
            out.append(f"oov_recall {s['oov_recall']:.4f}  ({s['n_oov']} gold tokens unseen in training)")
        out.append(f"tokens gold={s['gold_tokens']} pred={s['pred_tokens']} correct={s['correct']}")
        conf = r["span"]["confusions"]
    out.append("confusions (gold -> pred  count):" if conf else "confusions: none")
    out.extend(f"  {g:>4s} -> {p:<4s} {c}" for g, p, c in conf)
    return "\n".join(out)


def evaluate_ner_files(gold_path, pred_path) -> dict:
    """:class:`EntityEvaluator` over two ``char<TAB>tag`` BIO/BIOES files with the same sentences
    (:class:`~cnlp.errors.InputMismatchError`, a ``ValueError``, naming the files and the sentence where
    the characters differ)."""
    ev = EntityEvaluator()
    gold_it, pred_it = read_bio(gold_path), read_bio(pred_path)
    k = 0
    for k, (g, p) in enumerate(zip_longest(gold_it, pred_it), 1):
        if g is None or p is None:
            raise InputMismatchError(f"{pred_path if p is None else gold_path} ends before sentence {k} "
                             f"of {gold_path if p is None else pred_path}")
        if g[0] != p[0]:
            raise InputMismatchError(f"{gold_path} and {pred_path}, sentence {k}: gold and prediction differ in "
                                     f"characters: {g[0][:40]!r} vs {p[0][:40]!r}")
        ev.add(g[1], p[1])
    return ev.result()


def eval_ner_cli(gold, pred) -> str:
    """The report of ``cnlp eval ner``: precision, recall and F1 per type and micro-averaged."""
    r = evaluate_ner_files(gold, pred)
    lines = [f"{r['sentences']} sentences",
             f"{'type':6s} {'precision':>9s} {'recall':>9s} {'f1':>9s} {'gold':>7s} {'pred':>7s} {'correct':>7s}"]
    for t in [k for k in r if k not in ("micro", "sentences")] + ["micro"]:
        b = r[t]
        lines.append(f"{t:6s} {b['precision']:9.4f} {b['recall']:9.4f} {b['f1']:9.4f} "
                     f"{b['gold']:7d} {b['pred']:7d} {b['correct']:7d}")
    return "\n".join(lines)
