"""Max-match speed: cnlp FMM/BMM/BiMM vs jieba.lcut(HMM=False), same run, same lines.

    taskset -c 0 python benchmarks/bench_maxmatch.py [--repeat 5] [--lines N] [--no-compile-times]

Input: the raw text of 199801.txt (tags and brackets removed, one paragraph per line).

* end-to-end: ``str`` in, ``list[str]`` out, line by line, results discarded; best of N.
  jieba's dictionary is loaded before timing (``jieba.initialize()``).
* the same with jieba's own dictionary loaded into cnlp (``jieba_dict.txt``, 349k entries), so both
  sides match against the same words.
* kernel only: int32 code points in, cut offsets out (``fmm_kernel``/``bmm_kernel``), per line
  over pre-converted arrays and once over all text concatenated.
* first call: a fresh process loads the default dictionary and segments one sentence, with an
  empty (cold: Numba compiles) and then a filled (warm) ``NUMBA_CACHE_DIR``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from common import best_of, pd98_raw_lines, run_lines

from cnlp.dictionary import Dictionary
from cnlp.io import corpora_dir
from cnlp.models import dictionary as default_dictionary
from cnlp.segmentation.maxmatch import _NONE, MaxMatchSegmenter, bmm_kernel, fmm_kernel
from cnlp.text import _BMP_TABLE, to_codes

ROOT = Path(__file__).resolve().parent.parent
DIRS = (("FMM", "forward"), ("BMM", "backward"), ("BiMM", "both"))
_FIRST_CALL = """
import time, json
t0 = time.perf_counter()
from cnlp.models import dictionary as default_dictionary
from cnlp.segmentation.maxmatch import MaxMatchSegmenter
t1 = time.perf_counter(); d = default_dictionary(); t2 = time.perf_counter()
seg = MaxMatchSegmenter(d, direction={direction!r})
seg.segment("中文分词测试，１９９８年。"); t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "load": t2 - t1, "first_call": t3 - t2}}))
"""


def first_call(direction: str, cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", _FIRST_CALL.format(direction=direction)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def kernel_runner(d: Dictionary, direction: str, arrays):
    t = d.fwd if direction == "forward" else d.bwd
    kern = fmm_kernel if direction == "forward" else bmm_kernel
    root, htab, word, folded = t.root, t.htab, t.word, d.folded

    def run():
        for c in arrays:
            kern(c, _BMP_TABLE, folded, root, htab, word, _NONE, _NONE, True)
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lines", type=int, default=None, help="only the first N paragraphs")
    ap.add_argument("--no-compile-times", action="store_true")
    ap.add_argument("--no-jieba-dict", action="store_true", help="skip the rows over jieba's dictionary")
    args = ap.parse_args()
    lines = pd98_raw_lines(args.lines)
    nchars = sum(map(len, lines))
    print(f"input: 199801.txt raw, {len(lines)} lines, {nchars:,} chars; best of {args.repeat}")

    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    rows = []
    t = best_of(lambda: run_lines(lambda l: jieba.lcut(l, HMM=False), lines), args.repeat)
    base = nchars / t
    rows.append(("jieba lcut(HMM=False)", "jieba (349k)", base))

    dicts = [("default data/dict (55k)", default_dictionary())]
    if not args.no_jieba_dict:
        dicts.append(("jieba_dict.txt (349k)", Dictionary.load_text(corpora_dir() / "dicts" / "jieba_dict.txt")))
    for dname, d in dicts:
        for name, direction in DIRS:
            seg = MaxMatchSegmenter(d, direction=direction).warmup()
            t = best_of(lambda: run_lines(seg.segment, lines), args.repeat)
            rows.append((f"cnlp {name}", dname, nchars / t))

    codes = [to_codes(l) for l in lines]
    allc = [np.concatenate(codes)]
    d = default_dictionary()
    krows = []
    for name, direction in DIRS[:2]:
        per_line = best_of(kernel_runner(d, direction, codes), args.repeat)
        whole = best_of(kernel_runner(d, direction, allc), args.repeat)
        krows.append((name, nchars / per_line, nchars / whole))

    print("\n| segmenter (end-to-end, str -> list[str]) | dictionary | chars/s | × jieba HMM=False |")
    print("|---|---|---|---|")
    for name, dname, cps in rows:
        print(f"| {name} | {dname} | {cps:,.0f} | {cps / base:.1f} |")
    print("\n| kernel only (default dict, atoms) | per line chars/s | one array chars/s |")
    print("|---|---|---|")
    for name, a, b in krows:
        print(f"| {name} | {a:,.0f} | {b:,.0f} |")

    if not args.no_compile_times:
        print("\n| direction | import s | dict load s (cold) | first call s (cold cache: compile) "
              "| dict load s (warm) | first call s (warm cache) |")
        print("|---|---|---|---|---|---|")
        for name, direction in DIRS:
            with tempfile.TemporaryDirectory() as cache:
                cold = first_call(direction, cache)
                warm = first_call(direction, cache)
            print(f"| {name} | {warm['import']:.2f} | {cold['load']:.2f} | {cold['first_call']:.2f} | "
                  f"{warm['load']:.3f} | {warm['first_call']:.3f} |")


if __name__ == "__main__":
    main()
