"""Decoding speed of the default segmenter with and without a large user dictionary, vs jieba.lcut.

    taskset -c 0 python benchmarks/user_dict_speed.py [--lines 5000] [--repeat 3]

jieba's 349k-word dictionary (``dicts/jieba_dict.txt``) is loaded as a cnlp user dictionary in each
mode (``prefer`` is what a file without a mode column gives). Every side segments the same raw
lines of 199801.txt, one call per line (``segment``), or all lines through ``segment_many`` (many
lines per kernel call), timed in turns in the same run (best of ``--repeat``); the ratio is chars/s
over ``jieba.lcut``'s (one call per line).
"""
from __future__ import annotations

import argparse
import time

from common import best_of_interleaved, pd98_raw_lines, run_lines

import cnlp
from cnlp.dictionary import UserDictionary
from cnlp.io import corpora_dir


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import jieba
    jieba.setLogLevel(60)
    lines = pd98_raw_lines(args.lines)
    n_chars = sum(map(len, lines))
    jieba.lcut(lines[0])
    path = corpora_dir() / "dicts" / "jieba_dict.txt"
    sides = {"jieba.lcut": lambda: run_lines(jieba.lcut, lines)}
    base = cnlp.get_segmenter()
    sides["cnlp default, no user dictionary"] = lambda: run_lines(base.segment, lines)
    sides["cnlp default, no user dictionary, segment_many"] = lambda: list(base.segment_many(lines))
    for mode in ("prefer", "suggest", "force"):
        t0 = time.perf_counter()
        ud = UserDictionary.load(path, mode=mode)
        seg = base.with_user_dict(ud)
        seg.segment(lines[0])
        print(f"jieba_dict.txt as {mode} user words: {len(ud):,} words, loaded and compiled in "
              f"{time.perf_counter() - t0:.1f}s")
        sides[f"cnlp default + jieba_dict.txt ({mode})"] = (lambda s: lambda: run_lines(s.segment, lines))(seg)
        sides[f"cnlp default + jieba_dict.txt ({mode}), segment_many"] = (lambda s: lambda: list(s.segment_many(lines)))(seg)
    best = best_of_interleaved(sides, args.repeat)
    ref = n_chars / best["jieba.lcut"]
    print(f"\n{len(lines):,} lines, {n_chars:,} characters, best of {args.repeat}\n")
    print("| segmenter | chars/s | vs jieba.lcut |")
    print("|---|---|---|")
    for name, t in best.items():
        print(f"| {name} | {n_chars / t:,.0f} | {n_chars / t / ref:.2f}× |")


if __name__ == "__main__":
    main()
