"""Segmentation speed of cnlp's segmenters vs jieba, in one run, on the raw text of 199801.txt.

    taskset -c 0 python benchmarks/bench_segment.py [--algorithms bimm bigram ...] [--repeat 3] [--lines N] [--model DIR]

End-to-end = str in, list[str] out, per line (results discarded, as a streaming batch job does;
both sides are timed the same way). Kernel-only = the code points of all lines concatenated, one
kernel call (max-match only). Prints chars/s (best of N) and the ratio to
jieba.lcut(HMM=False) and jieba.lcut (default, DAG + HMM) measured in the same run. Model load
and first-call (Numba compile / cache load) times are measured in fresh subprocesses, with a cold
(empty) and a warm Numba cache.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import best_of, best_of_interleaved, pd98_raw_lines, run_lines

import cnlp
from cnlp import registry

ROOT = Path(__file__).resolve().parent.parent

_FIRST_CALL = """
import time, json
t0 = time.perf_counter(); import cnlp; ti = time.perf_counter(); seg = cnlp.get_segmenter({algo!r}); t1 = time.perf_counter()
seg.segment("中文分词测试，１９９８年。"); t2 = time.perf_counter()
print(json.dumps({{"load": t1 - t0, "import": ti - t0, "first_call": t2 - t1}}))
"""


def first_call(algo: str, cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", _FIRST_CALL.format(algo=algo)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithms", nargs="*", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lines", type=int, default=None, help="only the first N paragraphs")
    ap.add_argument("--no-compile-times", action="store_true")
    ap.add_argument("--model", action="append", default=[], metavar="DIR",
                    help="also time a saved tagging model (e.g. a candidate default) from DIR (repeatable)")
    args = ap.parse_args()
    lines = pd98_raw_lines(args.lines)
    nchars = sum(map(len, lines))
    print(f"input: 199801.txt raw, {len(lines)} lines, {nchars} chars; best of {args.repeat}")

    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    fns = {"jieba lcut(HMM=False)": lambda: run_lines(lambda l: jieba.lcut(l, HMM=False), lines),
           "jieba lcut (default)": lambda: run_lines(jieba.lcut, lines)}
    algos = args.algorithms or list(registry.SEGMENTERS)
    compile_rows = []
    for algo in algos:
        try:
            seg = cnlp.get_segmenter(algo).warmup()
        except Exception as e:
            print(f"{algo}: not available ({type(e).__name__}: {e})")
            continue
        fns[f"cnlp {algo}"] = (lambda s: lambda: run_lines(s.segment, lines))(seg)
    from cnlp.segmentation.tagging import TaggingSegmenter
    for d in args.model:
        seg = TaggingSegmenter.load(d).warmup()
        fns[f"cnlp {d}"] = (lambda s: lambda: run_lines(s.segment, lines))(seg)
    # every round times every segmenter once, so the machine's slow phases hit all sides alike
    results = {name: nchars / t for name, t in best_of_interleaved(fns, args.repeat).items()}
    for algo in algos:
        if f"cnlp {algo}" in results and not args.no_compile_times:
            with tempfile.TemporaryDirectory() as cache:
                cold = first_call(algo, cache)
                warm = first_call(algo, cache)
            compile_rows.append((algo, cold, warm))


    kernel_rows = []
    mm = [a for a in algos if a in ("fmm", "bmm")]
    if mm:
        import numpy as np
        from cnlp.segmentation.maxmatch import _NONE, bmm_kernel, fmm_kernel
        from cnlp.text import _BMP_TABLE, to_codes
        codes = np.concatenate([to_codes(l) for l in lines])
        for algo in mm:
            d = cnlp.get_segmenter(algo).dictionary
            kern, t = (fmm_kernel, d.fwd) if algo == "fmm" else (bmm_kernel, d.bwd)
            sec = best_of(lambda: kern(codes, _BMP_TABLE, True, t.root, t.htab, t.word, _NONE, _NONE, True),
                          args.repeat)
            kernel_rows.append((algo, codes.shape[0] / sec))

    base1, base2 = results["jieba lcut(HMM=False)"], results["jieba lcut (default)"]
    print("\n| segmenter | chars/s | × jieba HMM=False | × jieba default |")
    print("|---|---|---|---|")
    for name, cps in results.items():
        print(f"| {name} | {cps:,.0f} | {cps / base1:.2f} | {cps / base2:.2f} |")
    if kernel_rows:
        print("\n| kernel only (all text as one int32 array) | chars/s |")
        print("|---|---|")
        for algo, cps in kernel_rows:
            print(f"| {algo} | {cps:,.0f} |")
    if compile_rows:
        print("\n| algorithm | load s (cold cache) | first call s (cold: compile) | load s (warm) | of which import cnlp | first call s (warm cache) |")
        print("|---|---|---|---|---|---|")
        for algo, cold, warm in compile_rows:
            print(f"| {algo} | {cold['load']:.2f} | {cold['first_call']:.2f} | {warm['load']:.2f} | {warm['import']:.2f} | "
                  f"{warm['first_call']:.3f} |")


if __name__ == "__main__":
    main()
