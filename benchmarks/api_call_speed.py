"""Per-call speed of the one-call API (``tag``, ``analyze``, ``ner``, ``parse``, ``segment`` with and
without a per-call ``user_dict``) on GSDSimp dev sentences, for two checkouts in turns.

    taskset -c 0 python benchmarks/api_call_speed.py [--lines 200] [--repeat 5] [--rounds 3] REPO [REPO ...]

Each REPO (a checkout of cnlp) is timed in its own subprocess (one ``import cnlp`` per process);
the subprocesses alternate ``--rounds`` times and the best time of every round and repeat is kept,
so two checkouts share the machine's noise. Prints µs per call.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import cnlp
assert cnlp.__file__.startswith(sys.argv[1]), cnlp.__file__
from cnlp.io import corpora_dir
lines = []
with open(corpora_dir() / "ud_chinese" / "zh_gsdsimp-ud-dev.conllu", encoding="utf-8") as f:
    for line in f:
        if line.startswith("# text = "):
            lines.append(line[len("# text = "):].rstrip("\n"))
lines = lines[:int(sys.argv[2])]
repeat = int(sys.argv[3])
words = ["和服", "商品", "北京大学", "中文分词", "自然语言", "清华", "人工智能", "机器学习", "深度", "语言模型"]
cases = {
    "segment": lambda l: cnlp.segment(l),
    "segment user_dict=10 words": lambda l: cnlp.segment(l, user_dict=words),
    "tag": lambda l: cnlp.tag(l),
    "analyze": lambda l: cnlp.analyze(l),
    "analyze ner=False": lambda l: cnlp.analyze(l, ner=False),
    "ner": lambda l: cnlp.ner(l),
    "parse": lambda l: cnlp.parse(l),
}
for f in cases.values():
    for l in lines[:20]:
        f(l)
out = {}
for name, f in cases.items():
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for l in lines:
            f(l)
        best = min(best, time.perf_counter() - t)
    out[name] = best / len(lines) * 1e6
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+")
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    best: dict = {r: {} for r in args.repos}
    for _ in range(args.rounds):
        for repo in args.repos:
            root = os.path.abspath(repo)
            res = subprocess.run([sys.executable, "-c", CHILD, root, str(args.lines), str(args.repeat)],
                                 capture_output=True, text=True, cwd=root)
            if res.returncode:
                sys.exit(res.stderr)
            for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items():
                best[repo][k] = min(best[repo].get(k, float("inf")), v)
    names = list(best[args.repos[0]])
    print("| call | " + " | ".join(args.repos) + " |")
    print("|---|" + "---|" * len(args.repos))
    for k in names:
        print(f"| {k} | " + " | ".join(f"{best[r][k]:.0f} µs" for r in args.repos) + " |")


if __name__ == "__main__":
    main()
