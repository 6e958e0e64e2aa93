"""partial_fit check: correct a handful of sentences online and re-score the whole PKU test.

    python benchmarks/partial_fit_check.py [--n 5] [--model cws|crf]

Takes the first N PKU test lines the shipped perceptron segments wrongly, teaches it their gold
segmentation jointly with ``TaggingSegmenter.learn`` (perceptron passes until they are right), then reports
whether they are fixed and the full-test F1 before and after.
"""
from __future__ import annotations

import argparse

from common import pku_test, score

from cnlp.segmentation.tagging import TaggingSegmenter
from cnlp.io import model_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5)
    ap.add_argument("--model", default=None, help="shipped model directory name (default: the default segmenter's)")
    args = ap.parse_args()
    raw, gold, words = pku_test()
    from cnlp.registry import DEFAULT_SEGMENTER
    name = args.model or {"perceptron": "cws", "crf": "crf"}[DEFAULT_SEGMENTER]
    seg = TaggingSegmenter.load(model_path(name))
    print(f"model data/{name}")
    before = [seg.segment(x) for x in raw]
    f_before = score(before, gold, words)["f1"]
    wrong = [i for i, (p, g) in enumerate(zip(before, gold)) if p != g][:args.n]
    seg.learn([gold[i] for i in wrong])
    fixed = sum(seg.segment(raw[i]) == gold[i] for i in wrong)
    f_after = score([seg.segment(x) for x in raw], gold, words)["f1"]
    print(f"corrected lines {wrong}: {fixed}/{len(wrong)} now segmented as gold")
    print(f"PKU F1 before {f_before:.4f}, after {f_after:.4f} (change {f_after - f_before:+.4f})")


if __name__ == "__main__":
    main()
