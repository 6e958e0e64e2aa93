"""Parallel scaling of the batch path: ``cnlp segment FILE -j 1`` and ``-j 2`` (default segmenter)
on ≥ 20 M characters (the raw text of 199801.txt repeated), and in the same run jieba with
``enable_parallel(1)`` / ``enable_parallel(2)`` on the same file. Checks the two cnlp outputs are
byte-identical; reports wall time, chars/s, the ratio and the peak RSS of the largest process.

    python benchmarks/batch_scaling.py [--chars 20000000] [--repeat 1]
    python benchmarks/batch_scaling.py --identity [--chars 20000000] [--algorithm crf]

``--identity`` instead checks that every way of segmenting the file gives byte-identical output:
``cnlp segment -j 1`` to standard output (in process), ``cnlp segment -j 1 -o`` and
``-j 2 -o`` (the batch path: many lines per kernel call), Python ``cnlp.segment_many(f, n_jobs=2)``
and a Dask ``LocalCluster`` (2 worker processes) through ``cnlp.dask.annotate_bag``.

Say what else was running on the machine when you quote the figures.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
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


PY_SEGMENT_MANY = r"""
import sys, cnlp
algo = sys.argv[3] or None
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for words in cnlp.segment_many(f, algorithm=algo, n_jobs=2):
        out.write(" ".join(w for w in words if not w.isspace()))
        out.write("\n")
"""

PY_DASK = r"""
import sys
import dask.bag as db
from dask.distributed import Client, LocalCluster
from cnlp.batch import AnnotatorSpec
from cnlp.dask import annotate_bag
if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        bag = db.read_text(sys.argv[1], blocksize="16MB").map(lambda x: x.rstrip("\n"))
        spec = AnnotatorSpec("segment", algorithm=sys.argv[3] or None, format=" ")
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            for rec in annotate_bag(bag, spec).compute():
                out.write(rec)
                out.write("\n")
"""


def _stdout_to(cmd: list, path: str) -> None:
    with open(path, "wb") as f:
        subprocess.run(cmd, check=True, stdout=f)


def identity(src: str, tmp: str, algorithm: str | None) -> None:
    """Run every way of segmenting ``src`` and compare the outputs byte for byte."""
    algo = ["-a", algorithm] if algorithm else []
    runs = {
        "cnlp segment -j 1 (standard output)": lambda out: _stdout_to(
            [sys.executable, "-m", "cnlp", "segment", *algo, "-j", "1", "-q", src], out),
        "cnlp segment -j 1 -o": lambda out: subprocess.run(
            [sys.executable, "-m", "cnlp", "segment", *algo, "-j", "1", "-q", "-o", out, src], check=True),
        "cnlp segment -j 2 -o": lambda out: subprocess.run(
            [sys.executable, "-m", "cnlp", "segment", *algo, "-j", "2", "-q", "-o", out, src], check=True),
        "cnlp.segment_many(n_jobs=2)": lambda out: subprocess.run(
            [sys.executable, "-c", PY_SEGMENT_MANY, src, out, algorithm or ""], check=True),
        "dask LocalCluster annotate_bag (2 workers)": lambda out: subprocess.run(
            [sys.executable, "-c", PY_DASK, src, out, algorithm or ""], check=True),
    }
    digests = {}
    print("| run | wall s | sha256 of the output |")
    print("|---|---|---|")
    for i, (name, run) in enumerate(runs.items()):
        out = os.path.join(tmp, f"identity{i}.txt")
        t0 = time.perf_counter()
        run(out)
        t = time.perf_counter() - t0
        with open(out, "rb") as f:
            digests[name] = hashlib.sha256(f.read()).hexdigest()
        print(f"| {name} | {t:.1f} | {digests[name][:16]} |")
    same = len(set(digests.values())) == 1
    print(f"all {len(runs)} outputs byte-identical: {same}")
    if not same:
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=20_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--identity", action="store_true", help="check byte identity of the batch paths instead")
    ap.add_argument("--algorithm", default=None, help="--identity: segmentation algorithm (default: the default)")
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
    if args.identity:
        try:
            identity(src, tmp, args.algorithm)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
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
    print("| run | wall s | chars/s | speed-up vs 1 job | peak RSS of the largest process so far |")
    print("|---|---|---|---|---|")
    for name, (jobs, t, rss) in best.items():
        one = best["cnlp segment -j 1" if name.startswith("cnlp") else "jieba.cut"][1]
        print(f"| {name} | {t:.1f} | {n_chars / t:,.0f} | {one / t:.2f}x | {rss:.0f} MiB |")
    print(f"cnlp outputs with -j 1 and -j 2 byte-identical: {same}")
    print(f"peak RSS of the largest child process so far: {peak_child_rss_mb():.0f} MiB "
          "(cnlp: one per worker; jieba's time excludes its loading, cnlp's includes start-up and writing)")


if __name__ == "__main__":
    main()
