"""Bigram lattice segmenter vs jieba default (DAG + HMM), same run, raw text of 199801.txt.

    taskset -c 0 python benchmarks/bench_bigram.py [--repeat 3] [--lines N]

End to end: ``str`` in, ``list[str]`` out, one call per paragraph (tags stripped), results
discarded; both sides timed the same way, best of N. First-call time (Numba compile with an empty
cache, then cache load with a warm one) is measured in fresh subprocesses and reported apart.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import best_of, pd98_raw_lines, run_lines

ROOT = Path(__file__).resolve().parent.parent
_FIRST = """
import time, json
t0 = time.perf_counter(); from cnlp.models import bigram; seg = bigram()
t1 = time.perf_counter(); seg.segment("中文分词测试，１９９８年。"); t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "first_call": t2 - t1}))
"""


def first_call(cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", _FIRST], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lines", type=int, default=None)
    args = ap.parse_args()
    lines = pd98_raw_lines(args.lines)
    nchars = sum(map(len, lines))
    print(f"input: 199801.txt raw, {len(lines)} lines, {nchars} chars; best of {args.repeat}")
    with tempfile.TemporaryDirectory() as cache:
        cold, warm = first_call(cache), first_call(cache)
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    from cnlp.models import bigram
    seg = bigram().warmup()
    rows = {}
    rows["jieba.lcut (default)"] = nchars / best_of(lambda: run_lines(jieba.lcut, lines), args.repeat)
    rows["cnlp bigram"] = nchars / best_of(lambda: run_lines(seg.segment, lines), args.repeat)
    base = rows["jieba.lcut (default)"]
    print("\n| segmenter | chars/s | × jieba default |\n|---|---|---|")
    for name, cps in rows.items():
        print(f"| {name} | {cps:,.0f} | {cps / base:.2f} |")
    print("\n| bigram | load s | first call s |\n|---|---|---|")
    print(f"| cold Numba cache (compile) | {cold['load']:.2f} | {cold['first_call']:.2f} |")
    print(f"| warm Numba cache | {warm['load']:.2f} | {warm['first_call']:.3f} |")


if __name__ == "__main__":
    main()
