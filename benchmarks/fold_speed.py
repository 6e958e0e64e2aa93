"""Segmentation speed and cold compile time of this checkout vs a baseline checkout (e.g. the commit
before a change to cnlp.text's fold), side by side: fresh processes alternate between the two trees,
each with an empty Numba cache, for ``--rounds`` rounds; every process times its segmenters in CPU
seconds (best of 5 passes over the first ``--lines`` paragraphs of 199801.txt), so other load on
the machine disturbs both sides alike. Prints the best of all rounds per tree and the ratio.

    git archive <commit> | tar x -C /tmp/base          # a baseline tree
    taskset -c 0 python benchmarks/fold_speed.py --baseline /tmp/base [--rounds 4] [--lines 4000]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALGOS = ("crf", "bimm", "hmm")

_CHILD = """
import json, sys, time
t0 = time.process_time()
import cnlp
cnlp.get_segmenter("crf").segment("中文分词测试，１９９８年。")
compile_s = time.process_time() - t0
sys.path.insert(0, {bench!r})
from common import pd98_raw_lines, run_lines
lines = pd98_raw_lines({lines})
n = sum(map(len, lines))
segs = {{a: cnlp.get_segmenter(a).warmup() for a in {algos!r}}}
best = {{a: float("inf") for a in segs}}
for _ in range(5):
    for a, s in segs.items():
        t = time.process_time(); run_lines(s.segment, lines); best[a] = min(best[a], time.process_time() - t)
print(json.dumps({{"compile": compile_s, **{{a: n / t for a, t in best.items()}}}}))
"""


def run(tree: Path, lines: int) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(tree))
        env.setdefault("CNLP_CORPORA", str(ROOT.parent / "shared" / "corpora"))
        code = _CHILD.format(bench=str(ROOT / "benchmarks"), lines=lines, algos=ALGOS)
        out = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True,
                             text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, type=Path, help="a baseline checkout (tree with cnlp/ and data/)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--lines", type=int, default=4000)
    args = ap.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this checkout": ROOT}
    best = {name: {} for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            r = run(tree, args.lines)
            b = best[name]
            b["compile"] = min(b.get("compile", float("inf")), r["compile"])
            for a in ALGOS:
                b[a] = max(b.get(a, 0.0), r[a])
    print(f"best of {args.rounds} alternating rounds; speed in chars per CPU second, first {args.lines} "
          f"paragraphs of 199801.txt")
    print("| | " + " | ".join(f"{a} chars/s" for a in ALGOS) + " | crf cold first call (CPU s, compile) |")
    print("|---|" + "---|" * (len(ALGOS) + 1))
    for name in trees:
        b = best[name]
        print(f"| {name} | " + " | ".join(f"{b[a]:,.0f}" for a in ALGOS) + f" | {b['compile']:.2f} |")
    o, n = best["baseline"], best["this checkout"]
    print("| ratio | " + " | ".join(f"{n[a] / o[a]:.3f}" for a in ALGOS) + f" | {n['compile'] / o['compile']:.3f} |")


if __name__ == "__main__":
    main()
