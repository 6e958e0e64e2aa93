"""Which sentences the UD segmenter should train on: word F1 on the even half of GSDSimp dev.

    python scripts/convert_ud14.py /tmp/ud/final/zh_gsdsimp-r1.4-ud-train.conllu
    python benchmarks/ud_segmenter.py --gsd14 /tmp/ud/final/zh_gsdsimp-r1.4-ud-train.conllu \\
        others+odd gsd14+odd gsd14+others+odd gsd14+odd+odd

Each recipe is a ``+``-separated list of parts: ``others`` (the four training treebanks of
``cnlp.parsing.conllu.UD_FILES``) or one of them by name (``zh_beginner``, ``zh_cfl``, ``zh_pud``,
``zh_hk``), ``gsd14`` (the converted UD 1.4 GSD training set) and ``odd``
(the odd sentences of GSDSimp dev; twice = repeated). The segmenter is the ``cnlp train dep
--component segmenter`` recipe (:func:`cnlp.train.ud.train_ud_segmenter`, 10 epochs); F1 is over
word spans of the even sentences of GSDSimp dev (6,134 words), as in the other half-dev estimates.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.evaluate import SegEvaluator  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402
from cnlp.parsing.conllu import UD_DEV, UD_FILES, read_ud  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("recipes", nargs="+")
    ap.add_argument("--gsd14", required=True, metavar="PATH")
    args = ap.parse_args(argv)
    from cnlp.train.ud import train_ud_segmenter
    base = corpora_dir() / "ud_chinese"
    dev = read_ud(base / UD_DEV)
    others = [s for f in UD_FILES for s in read_ud(base / f)]
    parts = {"others": others, "gsd14": read_ud(args.gsd14), "odd": [s for i, s in enumerate(dev) if i % 2 == 1]}
    for s in others:                                  # each training treebank by its name, e.g. zh_pud
        parts.setdefault(s.treebank, []).append(s)
    even = [s for i, s in enumerate(dev) if i % 2 == 0]
    for recipe in args.recipes:
        t = time.perf_counter()
        data = [s for p in recipe.split("+") for s in parts[p]]
        seg = train_ud_segmenter([s.forms for s in data], n_iter=10)
        ev = SegEvaluator()
        for s in even:
            ev.add(s.forms, seg.segment("".join(s.forms)))
        res = ev.result()
        print(f"{recipe}: {len(data)} sentences, word F1 {res['f1']:.4f} "
              f"(P {res['precision']:.4f}, R {res['recall']:.4f}; {time.perf_counter() - t:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
