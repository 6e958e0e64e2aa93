"""Parallel scaling of the batch path: ``cnlp segment FILE -j 1`` and ``-j 2`` (default segmenter)
on ≥ 20 M characters (the raw text of 199801.txt repeated), and in the same run jieba with
``enable_parallel(1)`` / ``enable_parallel(2)`` on the same file. Checks the two cnlp outputs are
byte-identical; reports wall time, chars/s, the ratio and the peak RSS of the largest process.

    python benchmarks/batch_scaling.py [--chars 20000000] [--repeat 1]

Say what else was running on the machine when you quote the figures.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

from common import pd98_raw_lines

JIEBA = r"""
import sys, time, jieba
jieba.setLogLevel(60)
jieba.initialize()
n = int(sys.argv[2])
if n > 1:
    jieba.enable_parallel(n)
text = open(sys.argv[1], encoding="utf-8").read()
t0 = time.perf_counter()
out = " ".join(jieba.cut(text))
print(time.perf_counter() - t0)
"""


def peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=20_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    print("command: python benchmarks/batch_scaling.py " + " ".join(sys.argv[1:]))
    lines = pd98_raw_lines()
    per = sum(len(x) for x in lines)
    reps = -(-args.chars // per)
    tmp = tempfile.mkdtemp(prefix="cnlp-scaling-")
    src = os.path.join(tmp, "in.txt")
    with open(src, "w", encoding="utf-8") as f:
        for _ in range(reps):
            f.write("\n".join(lines))
            f.write("\n")
    n_chars = per * reps
    print(f"{n_chars:,} chars, {len(lines) * reps:,} lines ({reps}x 199801 raw text); cores: {os.cpu_count()}")
    rows = []
    outs = {}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            out = os.path.join(tmp, f"out{jobs}.txt")
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cnlp", "segment", "-j", str(jobs), "-q", "-o", out, src],
                           check=True)
            rows.append((f"cnlp segment -j {jobs}", jobs, time.perf_counter() - t0, peak_child_rss_mb()))
            outs[jobs] = out
        for jobs in (1, 2):
            r = subprocess.run([sys.executable, "-c", JIEBA, src, str(jobs)], check=True, capture_output=True,
                               text=True)
            rows.append((f"jieba enable_parallel({jobs})" if jobs > 1 else "jieba.cut", jobs,
                         float(r.stdout.strip()), peak_child_rss_mb()))
    same = open(outs[1], "rb").read() == open(outs[2], "rb").read()
    best: dict = {}
    for name, jobs, t, rss in rows:
        if name not in best or t < best[name][1]:
            best[name] = (jobs, t, rss)
    print("| run | wall s | chars/s | speed-up vs 1 job |")
    print("|---|---|---|---|")
    for name, (jobs, t, rss) in best.items():
        one = best["cnlp segment -j 1" if name.startswith("cnlp") else "jieba.cut"][1]
        print(f"| {name} | {t:.1f} | {n_chars / t:,.0f} | {one / t:.2f}x |")
    print(f"cnlp outputs with -j 1 and -j 2 byte-identical: {same}")
    print(f"peak RSS of the largest child process so far: {peak_child_rss_mb():.0f} MiB "
          "(cnlp: one per worker; jieba's time excludes its loading, cnlp's includes start-up and writing)")


if __name__ == "__main__":
    main()
