"""What keeping the expression words whole costs a segmenter: the same segmenter in one process with
them switched on and off in turn (best of 12 rounds, the order alternating), one call per line and
through ``segment_many``, on the SIGHAN 2005 PKU test lines.

    taskset -c 0 python benchmarks/expressions_speed.py [--algorithms crf fmm]
"""
from __future__ import annotations

import argparse
import time

import cnlp
from cnlp.io import corpora_dir


def once(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithms", nargs="+", default=["crf", "fmm"])
    ap.add_argument("--rounds", type=int, default=12)
    args = ap.parse_args()
    lines = (corpora_dir() / "sighan2005" / "pku_test.utf8").read_text(encoding="utf-8").splitlines()
    print("| segmenter | path | on s | off s | off / on |")
    print("|---|---|---|---|---|")
    for name in args.algorithms:
        seg = cnlp.get_segmenter(name)
        cls = type(seg)
        saved = cls.__dict__.get("_expression_words")
        res = {(on, k): [] for on in (True, False) for k in ("line", "many")}
        try:
            for r in range(args.rounds):
                for on in ((False, True) if r % 2 else (True, False)):
                    cls._expression_words = property(lambda self, on=on: on)
                    res[on, "line"].append(once(lambda: [seg.segment(x) for x in lines]))
                    res[on, "many"].append(once(lambda: list(seg.segment_many(lines))))
        finally:
            if saved is None:
                del cls._expression_words
            else:
                cls._expression_words = saved
        for k in ("line", "many"):
            a, b = min(res[True, k]), min(res[False, k])
            print(f"| {name} | {'one call per line' if k == 'line' else 'segment_many'} | {a:.4f} | {b:.4f} | "
                  f"{b / a:.3f} |", flush=True)


if __name__ == "__main__":
    main()
