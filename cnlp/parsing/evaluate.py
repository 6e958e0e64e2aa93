"""Dependency evaluation following the CoNLL 2018 shared task definitions.

Gold and system words are aligned by their character spans over the whole file (whitespace
ignored; both files must spell the same characters). Word P/R/F1 counts aligned words; a word's
UPOS / XPOS counts when it is aligned and its tag is right; UAS when the head is aligned to the gold
head (or both are root); LAS when, in addition, the relation without its subtype (``obl:tmod`` ->
``obl``) is right. Punctuation is included. With identical tokenization precision = recall = F1
= accuracy, which the report then calls accuracy.
"""
from __future__ import annotations

from dataclasses import dataclass

from .conllu import UDSentence, read_ud

__all__ = ["DepScores", "evaluate_dep", "eval_dep_cli"]


@dataclass
class DepScores:
    gold_words: int
    system_words: int
    counts: dict          # metric -> correct count (Words, UPOS, XPOS, UAS, LAS)
    same_tokens: bool

    def precision(self, m: str) -> float:
        return self.counts[m] / self.system_words if self.system_words else 0.0

    def recall(self, m: str) -> float:
        return self.counts[m] / self.gold_words if self.gold_words else 0.0

    def f1(self, m: str) -> float:
        tot = self.gold_words + self.system_words
        return 2 * self.counts[m] / tot if tot else 0.0

    def as_dict(self) -> dict:
        return {m: {"precision": self.precision(m), "recall": self.recall(m), "f1": self.f1(m)} for m in self.counts}


def _spans(sents: list[UDSentence], what: str):
    """(text without whitespace, [(start, end, sentence index, word index)])."""
    chars, spans, pos = [], [], 0
    for si, s in enumerate(sents):
        for wi, w in enumerate(s.forms):
            w = "".join(w.split())
            chars.append(w)
            spans.append((pos, pos + len(w), si, wi))
            pos += len(w)
    return "".join(chars), spans


def evaluate_dep(gold: list[UDSentence], system: list[UDSentence]) -> DepScores:
    """Scores of ``system`` against ``gold`` (see the module docstring); ValueError when the two
    do not spell the same characters."""
    gt, gs = _spans(gold, "gold")
    st, ss = _spans(system, "system")
    if gt != st:
        k = next((i for i, (a, b) in enumerate(zip(gt, st)) if a != b), min(len(gt), len(st)))
        raise ValueError(f"gold and system texts differ at character {k} (whitespace ignored): "
                         f"gold {gt[k:k + 10]!r}, system {st[k:k + 10]!r}")
    gmap = {(a, b): (si, wi) for a, b, si, wi in gs}
    align = {}                      # (system sent, word) -> (gold sent, word)
    for a, b, si, wi in ss:
        g = gmap.get((a, b))
        if g is not None:
            align[(si, wi)] = g
    counts = dict.fromkeys(("Words", "UPOS", "XPOS", "UAS", "LAS"), 0)
    for (si, wi), (gi, gw) in align.items():
        s, g = system[si], gold[gi]
        counts["Words"] += 1
        counts["UPOS"] += s.upos[wi] == g.upos[gw]
        counts["XPOS"] += s.xpos[wi] == g.xpos[gw]
        sh, gh = s.heads[wi], g.heads[gw]
        if sh is None or gh is None:
            continue
        if sh == 0 or gh == 0:
            ok = sh == gh
        else:
            ok = align.get((si, sh - 1)) == (gi, gh - 1)
        if ok:
            counts["UAS"] += 1
            counts["LAS"] += s.deprels[wi].split(":")[0] == g.deprels[gw].split(":")[0]
    same = len(gs) == len(ss) and counts["Words"] == len(gs)
    return DepScores(len(gs), len(ss), counts, same)


def format_scores(sc: DepScores) -> str:
    lines = [f"gold words {sc.gold_words}, system words {sc.system_words}, "
             f"tokenization {'identical' if sc.same_tokens else 'differs (aligned by character spans)'}"]
    if sc.same_tokens:
        for m in ("UPOS", "XPOS", "UAS", "LAS"):
            lines.append(f"{m:<6} accuracy {sc.f1(m):.4f}")
    else:
        lines.append(f"{'metric':<6} {'P':>7} {'R':>7} {'F1':>7}")
        for m in ("Words", "UPOS", "XPOS", "UAS", "LAS"):
            lines.append(f"{m:<6} {sc.precision(m):7.4f} {sc.recall(m):7.4f} {sc.f1(m):7.4f}")
    return "\n".join(lines)


def eval_dep_cli(gold_path, pred_path) -> str:
    """Report text of ``cnlp eval dep --gold GOLD --pred PRED`` (two CoNLL-U files)."""
    gold = read_ud(gold_path)
    system = read_ud(pred_path)
    return format_scores(evaluate_dep(gold, system))
