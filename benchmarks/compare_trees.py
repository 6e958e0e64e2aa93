"""Speed of the public entry points in two source trees, measured side by side in one run.

    python benchmarks/compare_trees.py BASE_TREE NEW_TREE [--rounds 5] [--only segment,tag,...]

Each measurement runs in a fresh subprocess that imports ``cnlp`` from the given tree (kernels
compiled and models loaded before the clock starts); the two trees alternate for ``--rounds``
rounds and the best time of each is reported with the ratio base/new (> 1: the new tree is
faster). Pin with ``taskset -c 0`` for steadier figures. Training is timed on the first 3,000
paragraphs of 199801.txt (perceptron segmenter, 3 epochs; POS perceptron, 3 epochs).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir  # noqa: E402

CHILD = r'''
import json, sys, time, os
sys.path.insert(0, os.getcwd())
what = sys.argv[1]
import cnlp
assert os.path.dirname(os.path.dirname(os.path.abspath(cnlp.__file__))) == os.getcwd(), cnlp.__file__
corp = os.environ["CNLP_CORPORA"]
pku = open(f"{corp}/sighan2005/pku_test.utf8", encoding="utf-8").read().splitlines()
gsd = [l[9:].rstrip("\n") for l in open(f"{corp}/ud_chinese/zh_gsdsimp-ud-dev.conllu", encoding="utf-8")
       if l.startswith("# text = ")]
words10 = ["天安门广场", "和服", "云计算", "李小福", "创新办", "蓝翔", "攻城狮", "试了一下", "钟行", "新兵"]

def best(fn, n=3):
    fn()
    t = min(_timed(fn) for _ in range(n))
    return t

def _timed(fn):
    t0 = time.perf_counter(); fn(); return time.perf_counter() - t0

if what == "segment":
    t = best(lambda: [cnlp.segment(l) for l in pku])
elif what == "segment_many":
    t = best(lambda: list(cnlp.segment_many(pku)))
elif what == "segment_fmm":
    t = best(lambda: [cnlp.segment(l, algorithm="fmm") for l in pku])
elif what == "user_dict_none":
    t = best(lambda: [cnlp.segment(l) for l in pku[:500]])
elif what == "user_dict_10":
    t = best(lambda: [cnlp.segment(l, user_dict=words10) for l in pku[:500]])
elif what == "tag":
    t = best(lambda: [cnlp.tag(l) for l in pku[:600]])
elif what == "ner":
    t = best(lambda: [cnlp.ner(l) for l in pku[:600]])
elif what == "analyze":
    t = best(lambda: [cnlp.analyze(l) for l in gsd[:300]])
elif what == "parse":
    t = best(lambda: [cnlp.parse(l) for l in gsd[:300]])
else:
    raise SystemExit(what)
print(json.dumps({"t": t}))
'''

TRAIN = {
    "train_cws": ["train", "cws", "--algorithm", "perceptron", "--n-iter", "3", "-q"],
    "train_pos": ["train", "pos", "--algorithm", "perceptron", "--n-iter", "3", "--seeds", "1", "-q"],
}
WHATS = ["segment", "segment_many", "segment_fmm", "user_dict_none", "user_dict_10", "tag", "ner",
         "analyze", "parse", "train_cws", "train_pos"]


def run(tree: Path, what: str, corpus: Path, tmp: Path) -> float:
    env = dict(os.environ, CNLP_CORPORA=str(corpora_dir()), PYTHONPATH=str(tree))
    if what in TRAIN:
        cmd = [sys.executable, "-m", "cnlp", *TRAIN[what], "--corpus", str(corpus), "--out", str(tmp / "m")]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
        return time.perf_counter() - t0
    out = subprocess.run([sys.executable, "-c", CHILD, what], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["t"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", default=",".join(WHATS))
    args = ap.parse_args()
    trees = [Path(args.base).resolve(), Path(args.new).resolve()]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        corpus = tmp / "pd98_3000.txt"
        with open(corpora_dir() / "pd1998" / "199801.txt", encoding="utf-8") as f:
            corpus.write_text("".join(l for _, l in zip(range(3000), f)), encoding="utf-8")
        print(f"{'entry point':16s} {'base s':>9s} {'new s':>9s} {'base/new':>9s}")
        for what in args.only.split(","):
            best = [float("inf"), float("inf")]
            for r in range(args.rounds):
                for i in ((0, 1) if r % 2 == 0 else (1, 0)):
                    best[i] = min(best[i], run(trees[i], what, corpus, tmp))
            print(f"{what:16s} {best[0]:9.3f} {best[1]:9.3f} {best[0] / best[1]:9.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
