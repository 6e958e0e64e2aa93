"""Warm load time of a shipped segmenter, split into its parts, in fresh processes.

    taskset -c 0 python benchmarks/load_time.py [--algorithm crf] [--runs 3]

Each run is a new Python process (Numba's on-disk cache warm, as after the first use):
``import cnlp``; Numba's runtime start-up (the first call of any cached kernel, paid once per
process whatever is loaded); then ``cnlp.get_segmenter(algorithm)`` itself.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CODE = """
import time, json
t0 = time.perf_counter(); import cnlp, numpy as np; t1 = time.perf_counter()
from cnlp.text import char_classes; char_classes(np.array([20013], np.int32)); t2 = time.perf_counter()
cnlp.get_segmenter({algo!r}); t3 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2]))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default="crf")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", CODE.format(algo=args.algorithm)], cwd=root, check=True,
                   capture_output=True)                                     # warm the Numba cache
    print(f"| run | import cnlp s | Numba start-up s | load {args.algorithm} s |\n|---|---|---|---|")
    for i in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CODE.format(algo=args.algorithm)], cwd=root, check=True,
                             capture_output=True, text=True).stdout
        a, b, c = json.loads(out.strip().splitlines()[-1])
        print(f"| {i + 1} | {a:.2f} | {b:.2f} | {c:.2f} |")


if __name__ == "__main__":
    main()
