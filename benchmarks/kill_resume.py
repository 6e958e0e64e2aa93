"""Kill a batch run with SIGKILL at a random moment, resume it, compare with an uninterrupted run.

The input is real text: the sentiment corpus's reviews cut into sentences (3.7 MB, 42,576 lines),
three times over (11 MB, 127,728 lines: six checkpoints of 20,000 lines), or ``--input FILE``. The reference is
one uninterrupted ``cnlp segment BIG -j 2 -o REF`` (timed after a first run warms the caches); each trial starts ``cnlp segment BIG -j 2 -o OUT``,
sends it SIGKILL after a random time (between ``--min-kill`` s and 90 % of the reference run's time;
a run that finished before its kill is started again with an earlier one),
runs ``cnlp segment BIG -j 2 -o OUT --resume`` to the end and compares OUT with REF byte for byte
(and checks that no ``OUT.cnlp-partial`` / ``OUT.cnlp-progress`` is left).

    python benchmarks/kill_resume.py --trials 20 --seed 0
"""
from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_input(path: Path, repeat: int) -> None:
    corpus = Path(os.environ.get("CNLP_CORPORA", ROOT.parent / "shared" / "corpora")) / "sentiment"
    lines = []
    for name in ("pos.txt", "neg.txt"):
        with open(corpus / name, encoding="utf-8") as f:
            for review in f:
                lines += [s for s in re.split(r"(?<=[。！？!?])", review.rstrip("\n")) if s]
    path.write_text(("\n".join(lines) + "\n") * repeat, "utf-8")


def cnlp(*args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "cnlp", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--input", help="the input file (default: sentences of the sentiment corpus)")
    ap.add_argument("--repeat", type=int, default=3, help="the default input, this many times over")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--min-kill", type=float, default=0.2, help="earliest kill, seconds after the start")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="cnlp-kill-") as tmp:
        tmp = Path(tmp)
        big = Path(args.input) if args.input else tmp / "big.txt"
        if not args.input:
            make_input(big, args.repeat)
        n_lines = sum(1 for _ in open(big, "rb"))
        ref, out = tmp / "ref.txt", tmp / "out.txt"
        for _ in range(2):                   # the first one warms the caches; the second is timed
            t0 = time.perf_counter()
            p = cnlp("segment", str(big), "-j", args.jobs, "-o", str(ref), "-q")
            if p.wait() != 0:
                sys.exit(f"reference run failed: {p.stderr.read().decode()[-2000:]}")
            t_ref = time.perf_counter() - t0
        print(f"input {big.stat().st_size / 1e6:.1f} MB, {n_lines} lines; reference run {t_ref:.1f} s", flush=True)
        counts = {"identical": 0, "different": 0, "failed": 0}
        redrawn = 0
        for i in range(args.trials):
            hi = max(args.min_kill, 0.9 * t_ref)
            while True:                      # a run that finished before its kill is drawn again, sooner
                out.unlink(missing_ok=True)
                delay = rng.uniform(args.min_kill, hi)
                p = cnlp("segment", str(big), "-j", args.jobs, "-o", str(out), "-q")
                time.sleep(delay)
                finished = p.poll() is not None
                p.send_signal(signal.SIGKILL)
                p.wait()
                if not finished:
                    break
                redrawn += 1
                hi = max(args.min_kill, 0.8 * delay)
            progress = Path(str(out) + ".cnlp-progress")
            done_lines = None
            if progress.exists():
                m = re.search(rb'"lines":\s*(\d+)', progress.read_bytes())
                done_lines = int(m.group(1)) if m else None
            r = cnlp("segment", str(big), "-j", args.jobs, "-o", str(out), "-q", "--resume")
            rc = r.wait()
            err = r.stderr.read().decode()
            left = [s for s in (".cnlp-partial", ".cnlp-progress") if Path(str(out) + s).exists()]
            if rc != 0 or left:
                outcome, detail = "failed", f"exit {rc} {err[-300:]!r} left {left}"
            elif out.read_bytes() == ref.read_bytes():
                outcome, detail = "identical", ""
            else:
                outcome, detail = "different", ""
            counts[outcome] += 1
            print(f"trial {i:2d}: SIGKILL at {delay:5.2f} s, "
                  f"checkpoint {done_lines} lines -> resume: {outcome} {detail}", flush=True)
        print(f"{args.trials} trials: {counts} ({redrawn} runs finished before their kill and were drawn again)")
    return 0 if counts["identical"] == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())
