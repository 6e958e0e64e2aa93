"""Where decoding time goes in a tagging segmenter (perceptron / CRF), kernel by kernel.

    python benchmarks/profile_tagging.py [--algorithm crf] [--lines 5000]

Times each stage over the first N paragraphs of 199801.txt (second of two passes, so compilation is
excluded): code points, the character attributes (window, classes, dictionary lengths), hashing the
templates, emissions alone, Viterbi (emissions included), and the whole ``segment()``.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import pd98_raw_lines

import cnlp
from cnlp.sequence._feature_kernels import CHAR_PAD, char_attributes, hash_templates
from cnlp.sequence._kernels import emissions, viterbi
from cnlp.text import to_codes


def timed(fn) -> float:
    fn()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default=None)
    ap.add_argument("--lines", type=int, default=5000)
    args = ap.parse_args()
    seg = cnlp.get_segmenter(args.algorithm)
    feats, tagger = seg.features, seg.tagger
    lines = pd98_raw_lines(args.lines)
    codes = [to_codes(line) for line in lines]
    outs = [np.empty((c.shape[0], feats.n_templates), np.int32) for c in codes]
    table, use_dict, tries, spec, bits = feats.kernel_args()
    attrs = [char_attributes(c, table, use_dict, tries) for c in codes]
    rows = {"to_codes": timed(lambda: [to_codes(line) for line in lines]),
            "attributes (incl. dictionary)": timed(lambda: [char_attributes(c, table, use_dict, tries) for c in codes]),
            "hash templates": timed(lambda: [hash_templates(a, CHAR_PAD, spec, bits, o, 0) for a, o in zip(attrs, outs)])}
    index, weights, trans, start, end = tagger.decode_params()
    L = tagger.n_labels
    no_mask, no_bias = np.zeros((0, L), np.bool_), np.zeros((0, L))
    rows["emissions"] = timed(lambda: [emissions(o, index, weights, np.empty((o.shape[0], L))) for o in outs])
    rows["viterbi (with emissions)"] = timed(lambda: [viterbi(o, index, weights, trans, start, end, no_mask, no_bias)
                                                      for o in outs])
    rows["segment() end to end"] = timed(lambda: [seg.segment(line) for line in lines])
    print(f"{len(lines)} lines, {sum(map(len, lines))} chars, weight rows {tagger.weights_.nbytes / 2**20:.0f} MB "
          f"+ row index {tagger.index_.nbytes / 2**20:.0f} MB, {feats.n_templates} templates")
    for k, v in rows.items():
        print(f"  {k:28s} {v:.3f} s")


if __name__ == "__main__":
    main()
