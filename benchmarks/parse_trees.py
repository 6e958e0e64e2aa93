"""Greedy parsing speed of two source trees side by side (their code and their shipped models).

    NUMBA_NUM_THREADS=1 taskset -c 0 python benchmarks/parse_trees.py OLD_TREE NEW_TREE [--rounds 2]

Each tree is measured in a fresh subprocess (models loaded and kernels compiled first), the two
alternating for ``--rounds`` rounds, on GSDSimp dev (500 sentences): ``parse`` one sentence per
call and ``parse_many`` (gold words and UPOS, beam 1), and ``build_pipeline("parse", beam=1)``
on each sentence's raw text (what ``cnlp.parse`` runs). Best of 5 (pipeline: 3) within a round.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

CHILD = r'''
import os, sys, time
sys.path.insert(0, os.getcwd())
from cnlp.io import corpora_dir
from cnlp.models import parser
from cnlp.parsing.conllu import UD_DEV, read_ud
from cnlp.pipeline import build_pipeline
dev = read_ud(corpora_dir() / "ud_chinese" / UD_DEV)
p = parser().warmup()
pairs = [(s.forms, s.upos) for s in dev]
texts = [s.text for s in dev]
nlp = build_pipeline("parse", beam=1)
nlp(texts[0])
def best(f, r=5):
    b = 1e9
    for _ in range(r):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
n = len(dev)
a = best(lambda: [p.parse(w, t, beam=1) for w, t in pairs])
b = best(lambda: p.parse_many(pairs, beam=1))
c = best(lambda: [nlp(x) for x in texts], 3)
print(f"parse {n / a:,.0f}/s, parse_many {n / b:,.0f}/s, pipeline (greedy) {n / c:,.0f}/s")
'''


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    for r in range(args.rounds):
        for tree in args.trees:
            out = subprocess.run([sys.executable, "-c", CHILD], cwd=tree, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": tree})
            print(f"round {r + 1} {tree}: {out.stdout.strip() or out.stderr.strip()[-300:]}", flush=True)
    print(f"load average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
