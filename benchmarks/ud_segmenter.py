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
    ap.add_argument("--n-iter", type=int, default=10)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--lexicon", metavar="PATH", default=None,
                    help="word list (one word a line, or jieba's 'word freq tag') for the dictionary features")
    ap.add_argument("--lexicon-min-freq", type=int, default=0, help="leave out --lexicon words rarer than this")
    ap.add_argument("--pd98-words", metavar="PATH", default=None,
                    help="the words of this PD98 file for the dictionary features (with --lexicon: both)")
    ap.add_argument("--pd98-min-count", type=int, default=1, help="PD98 words seen fewer times are left out")
    args = ap.parse_args(argv)
    from cnlp.train.cws import read_lexicon
    from cnlp.train.ud import train_ud_segmenter
    lexicon = set(read_lexicon(args.lexicon, args.lexicon_min_freq)) if args.lexicon else set()
    if args.pd98_words:
        from collections import Counter
        from cnlp.corpus.readers import read_pd98
        from cnlp.text import fold_str
        c = Counter(fold_str(w) for s in read_pd98(args.pd98_words) for w, _ in s)
        lexicon |= {w for w, n in c.items() if n >= args.pd98_min_count}
    if lexicon:
        print(f"lexicon: {len(lexicon)} words", flush=True)
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
        seg = train_ud_segmenter([s.forms for s in data], n_iter=args.n_iter, seeds=args.seeds,
                                 lexicon=sorted(lexicon))
        ev = SegEvaluator()
        for s in even:
            ev.add(s.forms, seg.segment("".join(s.forms)))
        res = ev.result()
        print(f"{recipe}: {len(data)} sentences, word F1 {res['f1']:.4f} "
              f"(P {res['precision']:.4f}, R {res['recall']:.4f}; {time.perf_counter() - t:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
