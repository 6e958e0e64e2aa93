"""Shared helpers for the benchmark scripts: corpus text, PKU test data, best-of-N timing."""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir  # noqa: E402

_TAG = re.compile(r"/[A-Za-z]+\]?[a-z]*")


def pd98_raw_lines(limit: int | None = None) -> list[str]:
    """Raw text of 199801.txt, one paragraph per line (tags and brackets removed)."""
    out = []
    with open(corpora_dir() / "pd1998" / "199801.txt", encoding="utf-8") as f:
        for line in f:
            toks = line.split()
            if not toks:
                continue
            out.append("".join(t.rsplit("/", 1)[0].lstrip("[") for t in toks))
            if limit and len(out) >= limit:
                break
    return out


def pku_test() -> tuple[list[str], list[list[str]], set[str]]:
    """(raw test lines, gold word lists, training word list)."""
    d = corpora_dir() / "sighan2005"
    raw = (d / "pku_test.utf8").read_text("utf-8").splitlines()
    gold = [l.split() for l in (d / "pku_test_gold.utf8").read_text("utf-8").splitlines()]
    words = {w.strip() for w in (d / "pku_training_words.utf8").read_text("utf-8").splitlines() if w.strip()}
    return raw, gold, words


def run_lines(segment, lines) -> None:
    """Segment every line, discarding the results (as a streaming batch job would)."""
    for line in lines:
        segment(line)


def best_of(fn, n: int = 3) -> float:
    """Best wall time of ``n`` calls of ``fn()`` in seconds."""
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_interleaved(fns: dict, n: int = 3) -> dict:
    """Best wall time (s) of each ``fns[name]()`` over ``n`` rounds, every round timing every
    function once in turn, so that a slow phase of a noisy machine hits all sides alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(n):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def score(pred_lines: list[list[str]], gold: list[list[str]], words: set[str]) -> dict:
    from cnlp.evaluate import SegEvaluator
    ev = SegEvaluator(words)
    for g, p in zip(gold, pred_lines):
        ev.add(g, p)
    return ev.result()
