"""Per-core speed of the batch path (``Segmenter.segment_many``: many lines per kernel call) on the
raw lines of the SIGHAN 2005 PKU and MSR test files, against the per-line path (``segment()`` line
by line) and, in the same run, rjieba (``rjieba.cut``) and jieba (``jieba.lcut``, with and without
its HMM). Every side segments the same list of lines and keeps the word lists; timings are
best-of-N, interleaved (each round times every side once). The batch output is checked to equal
the per-line output before timing.

    python benchmarks/batch_speed.py [--repeat 5] [--cpu 0] [--no-compile] [--profile]

``--cpu 0`` pins the process to one core (as ``taskset -c 0``). First-call compile time is measured
separately, in a fresh process with an empty Numba cache (``--no-compile`` skips it). ``--profile``
adds where the batch path of the default segmenter spends its time on each corpus, stage by stage
(each stage timed alone over all lines, best of N; the kernel stages are those ``tag_bounds`` runs).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from common import best_of_interleaved

import cnlp
from cnlp.io import corpora_dir
from cnlp.registry import DEFAULT_SEGMENTER

ALGORITHMS = tuple(dict.fromkeys(("fmm", DEFAULT_SEGMENTER, "perceptron", "crf", "bigram", "hmm")))

COMPILE = r"""
import sys, time
t0 = time.perf_counter()
import cnlp
seg = cnlp.get_segmenter(sys.argv[1])
t1 = time.perf_counter()
seg.segment("中文分词 warm-up 123")
t2 = time.perf_counter()
list(seg.segment_many(["中文分词", "", "warm-up 123"]))
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def corpus_lines(name: str) -> list[str]:
    path = corpora_dir() / "sighan2005" / f"{name}_test.utf8"
    return path.read_text("utf-8").splitlines()


def compile_times(algorithms, cpu) -> dict:
    """(import + load, first segment(), first segment_many()) seconds per algorithm, each in a fresh
    process with an empty Numba cache."""
    out = {}
    for algo in algorithms:
        with tempfile.TemporaryDirectory(prefix="cnlp-numba-") as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            cmd = [sys.executable, "-c", COMPILE, algo]
            if cpu is not None:
                cmd = ["taskset", "-c", str(cpu)] + cmd
            r = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
            out[algo] = tuple(float(x) for x in r.stdout.split())
    return out


def profile(seg, lines, repeat) -> None:
    """Stage times of the batch path of a tagging segmenter over ``lines``."""
    import numpy as np
    from common import best_of

    from cnlp.segmentation.base import MARKS, ZWJ, _join_many
    from cnlp.sequence._feature_kernels import CHAR_PAD, char_attributes, hash_templates
    from cnlp.sequence._kernels import emissions, viterbi
    from cnlp.text import to_codes
    if not hasattr(seg, "features"):
        print(f"(--profile: {type(seg).__name__} is not a tagging segmenter)")
        return
    feats = seg.features
    table, use_dict, tries, spec, bits = feats.kernel_args()
    index, weights, trans, start, end = seg._decoder.decode_params()      # the folded model it decodes with
    codes_l = [to_codes(x) for x in lines if x]
    attrs = [char_attributes(c, table, use_dict, tries) for c in codes_l]
    X = [hash_templates(a, CHAR_PAD, spec, bits, np.empty((c.shape[0], feats.n_templates), np.int32), 0)
         for a, c in zip(attrs, codes_l)]
    no_mask, no_bias = np.zeros((0, 4), np.bool_), np.zeros((0, 4))
    text = "".join(lines)
    codes = to_codes(text)
    offsets = np.r_[0, np.cumsum([len(x) for x in lines])].astype(np.int64)
    b, starts = seg._bounds_many(codes, offsets)
    joined = _join_many(codes, offsets, b, starts, MARKS, ZWJ, False, 0xFFFF)
    rows = {
        "join lines + code points": lambda: to_codes("".join(lines)),
        "kernel: character attributes (incl. dictionary)": lambda: [char_attributes(c, table, use_dict, tries)
                                                                    for c in codes_l],
        "kernel: hash templates": lambda: [hash_templates(a, CHAR_PAD, spec, bits, x, 0) for a, x in zip(attrs, X)],
        "kernel: emissions (weight rows)": lambda: [emissions(x, index, weights, np.empty((x.shape[0], 4)))
                                                    for x in X],
        "kernel: Viterbi incl. emissions": lambda: [viterbi(x, index, weights, trans, start, end, no_mask, no_bias)
                                                    for x in X],
        "batch kernel (tag_bounds_many)": lambda: seg._bounds_many(codes, offsets),
        "marks + separators (_join_many)": lambda: _join_many(codes, offsets, b, starts, MARKS, ZWJ, False, 0xFFFF),
        "decode + split into words": lambda: joined[4].tobytes().decode("utf-32-le", "surrogatepass").split("\uffff"),
        "segment_many() end to end": lambda: list(seg.segment_many(lines)),
    }
    n = len(text)
    print("| stage | ms | ns/char |")
    print("|---|---|---|")
    for name, fn in rows.items():
        t = best_of(fn, repeat)
        print(f"| {name} | {t * 1e3:.1f} | {t / n * 1e9:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5, help="best of this many rounds")
    ap.add_argument("--cpu", type=int, default=None, help="pin this process to one core (as taskset -c CPU)")
    ap.add_argument("--corpora", nargs="+", default=["pku", "msr"], choices=["pku", "msr"])
    ap.add_argument("--algorithms", nargs="+", default=list(ALGORITHMS))
    ap.add_argument("--no-compile", action="store_true", help="skip the first-call compile times")
    ap.add_argument("--profile", action="store_true", help="stage times of the default segmenter's batch path")
    args = ap.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    print("command: python benchmarks/batch_speed.py " + " ".join(sys.argv[1:]))
    import jieba
    import rjieba
    jieba.setLogLevel(60)
    jieba.initialize()
    segs = {a: cnlp.get_segmenter(a) for a in args.algorithms}
    for a, s in segs.items():
        s.warmup()
        list(s.segment_many(["中文分词", "", "warm-up 123"]))
    for name in args.corpora:
        lines = corpus_lines(name)
        n_chars = sum(map(len, lines))
        for a, s in segs.items():
            if list(s.segment_many(lines)) != [s.segment(x) for x in lines]:
                raise SystemExit(f"{a}: segment_many() differs from segment() line by line on {name}")
        fns = {}
        for a, s in segs.items():
            fns[f"{a} batch"] = lambda s=s, lines=lines: list(s.segment_many(lines))
            fns[f"{a} per line"] = lambda s=s, lines=lines: [s.segment(x) for x in lines]
        fns["rjieba.cut"] = lambda lines=lines: [rjieba.cut(x) for x in lines]
        fns["jieba.lcut"] = lambda lines=lines: [jieba.lcut(x) for x in lines]
        fns["jieba.lcut(HMM=False)"] = lambda lines=lines: [jieba.lcut(x, HMM=False) for x in lines]
        best = best_of_interleaved(fns, args.repeat)
        speed = {k: n_chars / v for k, v in best.items()}
        print(f"\n{name} test: {len(lines):,} lines, {n_chars:,} chars; best of {args.repeat}, "
              f"cpu {'any' if args.cpu is None else args.cpu}")
        print("| segmenter | batch chars/s | per-line chars/s | batch / per line |")
        print("|---|---|---|---|")
        for a in segs:
            b, p = speed[f"{a} batch"], speed[f"{a} per line"]
            label = f"{a} (default)" if a == DEFAULT_SEGMENTER else a
            print(f"| cnlp {label} | {b:,.0f} | {p:,.0f} | {b / p:.2f} |")
        for k in ("rjieba.cut", "jieba.lcut", "jieba.lcut(HMM=False)"):
            print(f"| {k} | {speed[k]:,.0f} | | |")
        if "fmm" in segs:
            print(f"fmm batch / rjieba.cut: {speed['fmm batch'] / speed['rjieba.cut']:.2f}")
        if DEFAULT_SEGMENTER in segs:
            d = speed[f"{DEFAULT_SEGMENTER} batch"]
            print(f"{DEFAULT_SEGMENTER} (default) batch / jieba.lcut: {d / speed['jieba.lcut']:.2f}; "
                  f"/ jieba.lcut(HMM=False): {d / speed['jieba.lcut(HMM=False)']:.2f}")
        if args.profile and DEFAULT_SEGMENTER in segs:
            print(f"\nwhere the {DEFAULT_SEGMENTER} batch path spends its time on {name} (best of {args.repeat}):")
            profile(segs[DEFAULT_SEGMENTER], lines, args.repeat)
    if not args.no_compile:
        print("\nfirst calls in a fresh process with an empty Numba cache (s): import + load, first segment(), "
              "then first segment_many()")
        print("| segmenter | import + load | first segment() | first segment_many() |")
        print("|---|---|---|---|")
        t0 = time.perf_counter()
        for a, (load, first, batch) in compile_times(args.algorithms, args.cpu).items():
            print(f"| {a} | {load:.2f} | {first:.2f} | {batch:.2f} |")
        print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
