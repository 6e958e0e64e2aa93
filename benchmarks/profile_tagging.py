"""Where decoding time goes in a tagging segmenter (perceptron / CRF), kernel by kernel.

    python benchmarks/profile_tagging.py [--algorithm crf] [--lines 5000]

Times each stage over the first N paragraphs of 199801.txt (second of two passes, so compilation is
excluded): code points, the character-window features, the dictionary features, the optional
templates, emissions alone, Viterbi (emissions included), and the whole ``segment()``.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import pd98_raw_lines

import cnlp
from cnlp.sequence._kernels import emissions, viterbi
from cnlp.sequence.features import N_TEMPLATES, dict_features, extra_features, extract_kernel
from cnlp.text import _BMP_TABLE, to_codes


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
    rows = {"to_codes": timed(lambda: [to_codes(line) for line in lines]),
            "window features": timed(lambda: [extract_kernel(c, _BMP_TABLE, feats.bits, o) for c, o in zip(codes, outs)])}
    d = feats.dictionary
    if d is not None:
        f, b = d.fwd, d.bwd
        rows["dictionary features"] = timed(lambda: [dict_features(c, f.root, f.htab, f.word, b.root, b.htab, b.word,
                                                                   feats.bits, o, N_TEMPLATES) for c, o in zip(codes, outs)])
    if feats.extra:
        rows["optional templates"] = timed(lambda: [extra_features(c, _BMP_TABLE, feats.bits, feats._flags, o,
                                                                   o.shape[1] - len(feats.extra)) for c, o in zip(codes, outs)])
    L = tagger.W_.shape[1]
    no_mask, no_bias = np.zeros((0, L), np.bool_), np.zeros((0, L))
    rows["emissions"] = timed(lambda: [emissions(o, tagger.W_, np.empty((o.shape[0], L))) for o in outs])
    rows["viterbi (with emissions)"] = timed(lambda: [viterbi(o, tagger.W_, tagger.trans_, tagger.start_, no_mask, no_bias)
                                                      for o in outs])
    rows["segment() end to end"] = timed(lambda: [seg.segment(line) for line in lines])
    print(f"{len(lines)} lines, {sum(map(len, lines))} chars, weight table {tagger.W_.nbytes / 2**20:.0f} MB, "
          f"{feats.n_templates} templates")
    for k, v in rows.items():
        print(f"  {k:28s} {v:.3f} s")


if __name__ == "__main__":
    main()
