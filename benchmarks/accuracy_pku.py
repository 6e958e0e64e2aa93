"""PKU test table (SIGHAN 2005) for every shipped segmenter.

    python benchmarks/accuracy_pku.py [ALGO ...] [--model DIR]     # default: all registered algorithms
Every segmenter writes the PKU standard (``with_standard("pku")``: the multi-standard model's PKU
copy; the others write only PKU). ``--model DIR``: also a saved segmenter.

Trained on 199801.txt only; OOV is defined by pku_training_words.utf8.
"""
from __future__ import annotations

import argparse
import time

from common import pku_test, score

import cnlp
from cnlp import registry


#: shipped models not (yet) in the registry: name -> factory
EXTRA = {"crf": "cnlp.models:crf"}


def get(algo: str):
    if algo in registry.SEGMENTERS:
        return cnlp.get_segmenter(algo)
    return registry.resolve(EXTRA, algo)()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("algorithms", nargs="*", default=list(registry.SEGMENTERS) + [a for a in EXTRA if a not in registry.SEGMENTERS])
    ap.add_argument("--model", action="append", default=[], metavar="DIR")
    args = ap.parse_args()
    raw, gold, words = pku_test()
    print("| algorithm | P | R | F1 | OOV-R | IV-R | seconds |")
    print("|---|---|---|---|---|---|---|")
    for algo in args.algorithms + args.model:
        try:
            seg = (cnlp.load(algo) if algo in args.model else get(algo)).with_standard("pku").warmup()
        except Exception as e:  # a model not shipped yet
            print(f"| {algo} | n/a ({type(e).__name__}: {e}) |||||")
            continue
        t0 = time.perf_counter()
        pred = [seg.segment(l) for l in raw]
        dt = time.perf_counter() - t0
        r = score(pred, gold, words)
        print(f"| {algo} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | "
              f"{r['oov_recall']:.4f} | {r['iv_recall']:.4f} | {dt:.2f} |", flush=True)


if __name__ == "__main__":
    main()
