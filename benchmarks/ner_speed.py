"""Segmentation + NER end to end: cnlp's recognizer (segment, POS-tag, tag entities) against
``jieba.posseg.lcut`` (which marks nr / ns / nt), in the same run on the same text (the SIGHAN PKU
test input, 1,945 lines), best of N interleaved rounds, plus first-call (compile and load) time.

    taskset -c 0 python benchmarks/ner_speed.py [--repeat 5] [--model DIR] [--compare DIR]

``--compare DIR`` times a second recognizer in the same interleaved rounds.
"""
from __future__ import annotations

import argparse
import sys
import time

from common import best_of_interleaved, pku_test


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--model", default=None, help="NER model directory (default: the shipped data/ner)")
    ap.add_argument("--compare", default=None, help="another NER model directory timed in the same rounds")
    args = ap.parse_args()
    print("command: python benchmarks/ner_speed.py " + " ".join(sys.argv[1:]))
    lines = pku_test()[0]
    n_chars = sum(len(x) for x in lines)
    t0 = time.perf_counter()
    from cnlp import models
    rec = models.load_entity_recognizer(args.model) if args.model else models.entity_recognizer()
    rec.predict("江泽民在北京会见了新华社记者。")
    first = time.perf_counter() - t0
    import jieba
    import jieba.posseg as pseg
    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    pseg.lcut("江泽民在北京会见了新华社记者。")
    jfirst = time.perf_counter() - t0

    def run_cnlp():
        for x in lines:
            rec.predict(x)

    def run_jieba():
        for x in lines:
            pseg.lcut(x)

    runs = {"cnlp": run_cnlp, "jieba": run_jieba}
    if args.compare:
        other = models.load_entity_recognizer(args.compare)
        other.predict("江泽民在北京会见了新华社记者。")

        def run_other():
            for x in lines:
                other.predict(x)
        runs["compare"] = run_other
    best = best_of_interleaved(runs, args.repeat)
    print(f"{len(lines)} lines, {n_chars} chars; best of {args.repeat} interleaved rounds")
    print(f"first call (load + compile): cnlp {first:.2f} s, jieba.posseg {jfirst:.2f} s")
    print("| system | chars/s | ratio |")
    print("|---|---|---|")
    label = {"cnlp": "cnlp.entities", "compare": f"cnlp.entities ({args.compare})", "jieba": "jieba.posseg.lcut"}
    for name in runs:
        print(f"| {label[name]} | {n_chars / best[name]:,.0f} | {best['jieba'] / best[name]:.2f}x |")


if __name__ == "__main__":
    main()
