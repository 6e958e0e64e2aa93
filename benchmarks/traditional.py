"""Traditional Chinese: segmentation word F1 on traditional vs simplified text, with and without
the traditional -> simplified fold (cnlp.text.fold_code).

    python benchmarks/traditional.py [--algorithms crf bimm ...]     # default: the default segmenter

1. UD Chinese HK test: ``zh_hk-ud-test.conllu`` (original traditional characters) and its aligned
   ``zh_hk-ud-test.simp.conllu``, each scored against its own gold words (UD segmentation standard).
2. SIGHAN 2005 PKU test converted with OpenCC's phrase-level ``s2t`` converter word by word (each
   gold word converted alone, so the boundaries are kept; the raw line is the join of the
   converted words), vs the original simplified test.

The "without fold" column runs the same evaluation in a fresh process whose fold has the
traditional -> simplified part switched off (``cnlp.text._FOLD_TABLE`` and ``FOLD_TRANSLATE``
patched to width folding only before any kernel compiles, with an empty Numba cache), i.e. cnlp
as it was before the fold. Needs the ``opencc`` pip package and the corpora.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import pku_test, score

from cnlp.io import corpora_dir


def read_conllu_words(path) -> list[list[str]]:
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if "-" not in cols[0] and "." not in cols[0]:
                    cur.append(cols[1])
    if cur:
        sents.append(cur)
    return sents


def datasets() -> dict[str, list[list[str]]]:
    """name -> gold word lists (the raw text of a sentence is the join of its words)."""
    import opencc
    ud = corpora_dir() / "ud_chinese"
    hk_t = read_conllu_words(ud / "zh_hk-ud-test.conllu")
    hk_s = read_conllu_words(ud / "zh_hk-ud-test.simp.conllu")
    assert [len(s) for s in hk_t] == [len(s) for s in hk_s], "HK files are not aligned"
    _, gold, _ = pku_test()
    s2t = opencc.OpenCC("s2t")
    return {"HK simplified": hk_s, "HK traditional": hk_t,
            "PKU simplified": gold, "PKU traditional (s2t)": [[s2t.convert(w) for w in g] for g in gold]}


def evaluate(algorithms: list[str]) -> dict:
    import cnlp
    out = {}
    for name, gold in datasets().items():
        for algo in algorithms:
            seg = cnlp.get_segmenter(algo)
            pred = [seg.segment("".join(g)) for g in gold]
            out[f"{name}|{algo}"] = score(pred, gold, set())["f1"]
    return out


def switch_off_t2s() -> None:
    """Width folding only (the fold is a kernel argument, so this works at any time)."""
    import numpy as np
    import cnlp.text as T
    width = np.arange(0x10000, dtype=np.int32)
    width[0xFF01:0xFF5F] -= 0xFEE0
    width[0x3000] = 0x20
    width[(width >= 65) & (width <= 90)] += 32
    T._FOLD_TABLE[:] = width
    T._BMP_TABLE[:] = T.pack_tables(T._CLASS_TABLE, width)     # the table every kernel is given
    T.FOLD_TRANSLATE.clear()
    T.FOLD_TRANSLATE.update({int(c): int(width[c]) for c in np.flatnonzero(width != np.arange(0x10000))})
    assert T.fold_str("選擇ＡＢ") == "選擇ab"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithms", nargs="*", default=None, help="default: cnlp's default segmenter")
    ap.add_argument("--no-t2s-json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    from cnlp import registry
    algos = args.algorithms or [registry.DEFAULT_SEGMENTER]
    if args.no_t2s_json:
        switch_off_t2s()
        print(json.dumps(evaluate(algos)))
        return
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        res = subprocess.run([sys.executable, __file__, "--no-t2s-json", "--algorithms", *algos], env=env,
                             cwd=Path(__file__).resolve().parent, capture_output=True, text=True)
        if res.returncode:
            sys.exit(res.stderr)
        before = json.loads(res.stdout.strip().splitlines()[-1])
    after = evaluate(algos)
    for corpus in ("HK", "PKU"):
        print(f"\n{corpus}: word F1 against each file's own gold")
        print("| segmenter | text | F1 with fold | F1 without fold |")
        print("|---|---|---|---|")
        for algo in algos:
            for key in after:
                name, a = key.split("|")
                if a == algo and name.startswith(corpus):
                    print(f"| {algo} | {name[len(corpus) + 1:]} | {after[key]:.4f} | {before[key]:.4f} |")
            simp = after[next(k for k in after if k.startswith(corpus + " simplified|" + algo))]
            trad = after[next(k for k in after if k.startswith(corpus + " traditional") and k.endswith("|" + algo))]
            print(f"| {algo} | traditional - simplified (points) | {100 * (trad - simp):+.2f} | |")


if __name__ == "__main__":
    main()
