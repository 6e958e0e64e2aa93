"""Would a smaller weight table decode faster? float32 vs int16 vs int8 weights, same run.

    taskset -c 0 python benchmarks/quantize_weights.py [--algorithm crf] [--lines 5000]

Times the emission sums (the part of decoding that reads the weight table) over the features of the
first N paragraphs of 199801.txt with the model's weight rows as loaded (float32) and with the same
weights linearly quantised to int16 and int8, one global scale each; best of 7.
Then scores the PKU test with the dequantised weights, to show what the precision costs.
"""
from __future__ import annotations

import argparse

import numpy as np
from common import best_of, pd98_raw_lines, pku_test, score
from numba import njit

import cnlp
from cnlp.sequence._kernels import emissions
from cnlp.text import to_codes


@njit(cache=True, nogil=True)
def em_int(X, W, scale, out):
    """cnlp.sequence._kernels.emissions over integer weights, one scale at the end."""
    n, T = X.shape
    L = W.shape[1]
    acc = np.zeros(L, np.int32)
    for t in range(n):
        for y in range(L):
            acc[y] = 0
        for k in range(T):
            f = X[t, k]
            if f < 0:
                continue
            for y in range(L):
                acc[y] += W[f, y]
        for y in range(L):
            out[t, y] = acc[y] * scale


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default="crf")
    ap.add_argument("--lines", type=int, default=5000)
    args = ap.parse_args()
    seg = cnlp.get_segmenter(args.algorithm)
    W = seg.tagger.weights_.copy()
    X = np.concatenate([seg.features.transform_codes(to_codes(line)) for line in pd98_raw_lines(args.lines)])
    X = np.ascontiguousarray(seg.tagger.rows_of(X), np.int32)      # feature ids -> weight rows
    rows_only = np.zeros((0, 2), np.uint64)
    out = np.empty((X.shape[0], W.shape[1]))
    m = float(np.abs(W).max())
    s16, s8 = m / 32767, m / 127
    W16 = np.round(W / s16).astype(np.int16)
    W8 = np.round(W / s8).astype(np.int8)
    dense = (W, np.zeros(0, np.float32))
    emissions(X[:10], rows_only, dense, out)        # compile outside the timings
    em_int(X[:10], W16, s16, out)
    em_int(X[:10], W8, s8, out)
    rows = [("float32 (as loaded, the decoder's own kernel)", W.nbytes,
             best_of(lambda: emissions(X, rows_only, dense, out), 7), W),
            ("int16", W16.nbytes, best_of(lambda: em_int(X, W16, s16, out), 7), W16 * s16),
            ("int8", W8.nbytes, best_of(lambda: em_int(X, W8, s8, out), 7), W8 * s8)]
    raw, gold, words = pku_test()
    print(f"{X.shape[0]} characters x {X.shape[1]} templates, model {args.algorithm}")
    print("| weights | table MB | emissions s (best of 7) | PKU F1 |\n|---|---|---|---|")
    for name, nbytes, sec, Wd in rows:
        seg.tagger.weights_ = np.ascontiguousarray(Wd, np.float32)
        f1 = score([seg.segment(line) for line in raw], gold, words)["f1"]
        print(f"| {name} | {nbytes / 2**20:.0f} | {sec:.3f} | {f1:.5f} |")
    seg.tagger.weights_ = W


if __name__ == "__main__":
    main()
