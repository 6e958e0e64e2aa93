"""PKU test score of the shipped bigram lattice (trained on 199801.txt only), with OOV recall.

    python benchmarks/accuracy_bigram.py [--model DIR] [--out PRED.txt]

OOV is defined by pku_training_words.utf8; scored with cnlp.evaluate.SegEvaluator. The per-step
table (what each lattice addition bought) is scripts/ablate_bigram.py.
"""
from __future__ import annotations

import argparse
import time

from common import pku_test, score

from cnlp.io import model_path
from cnlp.segmentation.lattice import LatticeSegmenter


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(model_path("bigram")))
    ap.add_argument("--out", default=None, help="also write the predicted segmentation here")
    args = ap.parse_args()
    seg = LatticeSegmenter.load(args.model).warmup()
    raw, gold, words = pku_test()
    t0 = time.perf_counter()
    pred = [seg.segment(line) for line in raw]
    dt = time.perf_counter() - t0
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.writelines(" ".join(p) + "\n" for p in pred)
    r = score(pred, gold, words)
    print("| model | P | R | F1 | OOV rate | OOV-R | IV-R | seconds |\n|---|---|---|---|---|---|---|---|")
    print(f"| {args.model} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['oov_rate']:.4f} | "
          f"{r['oov_recall']:.4f} | {r['iv_recall']:.4f} | {dt:.2f} |")


if __name__ == "__main__":
    main()
