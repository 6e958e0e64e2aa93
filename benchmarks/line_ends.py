"""Line ends as hard boundaries: ``segment(line + "\\n") == segment(line) + ["\\n"]`` on every line of
199801.txt (the raw text of each non-empty line: its words joined), for every segmenter, one call per
line and through ``segment_many``; and ``segment(a + "\\n" + b) == segment(a) + ["\\n"] + segment(b)`` for
consecutive lines.

    python benchmarks/line_ends.py [--algorithms crf perceptron ...] [--limit N]
"""
from __future__ import annotations

import argparse
import sys
import time

import cnlp
from cnlp.corpus.readers import corpus_path, read_pd98
from cnlp.registry import SEGMENTERS


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithms", nargs="+", default=sorted(SEGMENTERS))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    print("command: python benchmarks/line_ends.py " + " ".join(sys.argv[1:]))
    lines = ["".join(w for w, _ in s) for s in read_pd98(corpus_path("pd1998", "199801.txt"))]
    if args.limit:
        lines = lines[:args.limit]
    print(f"{len(lines)} lines of 199801.txt")
    print("| segmenter | line + \\n (one call) | line + \\n (segment_many) | a + \\n + b | seconds |")
    print("|---|---|---|---|---|")
    for name in args.algorithms:
        seg = cnlp.get_segmenter(name)
        t0 = time.perf_counter()
        plain = list(seg.segment_many(lines))
        one = sum(seg.segment(x + "\n") == p + ["\n"] for x, p in zip(lines, plain))
        many = sum(m == p + ["\n"] for m, p in zip(seg.segment_many([x + "\n" for x in lines]), plain))
        pair = sum(seg.segment(a + "\n" + b) == pa + ["\n"] + pb
                   for a, b, pa, pb in zip(lines, lines[1:], plain, plain[1:]))
        n = len(lines)
        print(f"| {name} | {one} / {n} | {many} / {n} | {pair} / {n - 1} | {time.perf_counter() - t0:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
