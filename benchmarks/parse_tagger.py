"""UD UPOS tagger choices on GSDSimp dev: train on the four training treebanks (never dev),
score UPOS accuracy on dev (all words / words unseen in training).

    python benchmarks/parse_tagger.py base affix affix+stack
    python benchmarks/parse_tagger.py --half --dev-repeat 1 --n-iter 5 lex+tb lex+tb+guide

``+guide``: the tags of a PKU tagger trained on PD98 (:func:`cnlp.train.ud.train_guide`,
``--guide-iter`` epochs) are features. ``--n-iter``: at most this many epochs, the best on dev kept.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir
from cnlp.parsing.conllu import UD_DEV, UD_FILES, read_ud
from cnlp.pos.features import AFFIX_TEMPLATES, DEFAULT_TEMPLATES, STACK_TEMPLATES

AFFIX = DEFAULT_TEMPLATES + tuple(t.name for t in AFFIX_TEMPLATES)
#: name -> (train_lexicon_tagger keywords, uses the PD98 lexicon); "+stack" configs use train_ud_tagger
CONFIGS = {
    "base": (dict(templates=DEFAULT_TEMPLATES), False),
    "affix": (dict(templates=AFFIX), False),
    "affix+stack": (dict(templates=AFFIX + tuple(t.name for t in STACK_TEMPLATES)), False),
    "lex": (dict(templates=AFFIX), True),
    "tb": (dict(templates=AFFIX, treebank_features=True), False),
    "lex+tb": (dict(templates=AFFIX, treebank_features=True), True),
    "base+lex": (dict(templates=DEFAULT_TEMPLATES), True),
    "lex+tb+guide": (dict(templates=AFFIX, treebank_features=True), True),
    "tb+guide": (dict(templates=AFFIX, treebank_features=True), False),
}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--half", action="store_true", help="train + odd half of dev (--dev-repeat times), score on the even half")
    ap.add_argument("--dev-repeat", type=int, default=4)
    ap.add_argument("--pd98", default=None, help="PD98 corpus (default: $CNLP_CORPORA/pd1998/199801.txt)")
    ap.add_argument("--n-iter", type=int, default=10)
    ap.add_argument("--guide-iter", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=1, help="average this many shuffle seeds (each early-stopped on dev)")
    args = ap.parse_args(argv)
    from cnlp.corpus.readers import read_pd98
    from cnlp.train.ud import lexicon_dictionary, train_guide, train_lexicon_tagger, train_ud_tagger
    base = corpora_dir() / "ud_chinese"
    train = [s for f in UD_FILES for s in read_ud(base / f)]
    dev = read_ud(base / UD_DEV)
    repeat, style = None, "zh_pud"
    if args.half:
        train = train + [s for i, s in enumerate(dev) if i % 2 == 1]
        repeat, style = {dev[0].treebank: args.dev_repeat}, dev[0].treebank
        dev = [s for i, s in enumerate(dev) if i % 2 == 0]
    lexicon = guide = None
    pd98 = args.pd98 or corpora_dir() / "pd1998" / "199801.txt"
    seen = {w for s in train for w in s.forms}
    unseen = np.array([w not in seen for s in dev for w in s.forms])
    gold = np.array([t for s in dev for t in s.upos])
    for name in args.configs:
        t0 = time.perf_counter()
        kw, use_lex = CONFIGS[name]
        if use_lex and lexicon is None:
            lexicon = lexicon_dictionary(read_pd98(pd98))
        if "guide" in name and guide is None:
            guide = train_guide(read_pd98(pd98), n_iter=args.guide_iter)
            print(f"guide: {time.perf_counter() - t0:.0f}s", flush=True)
        if "stack" in name:
            rep = [s for s in train for _ in range((repeat or {}).get(s.treebank, 1))]
            tagger = train_ud_tagger(rep, dev, xpos=False, n_iter=args.n_iter, **kw).upos
        else:
            tagger = train_lexicon_tagger(train, dev, lexicon=lexicon if use_lex else None, repeat=repeat,
                                          guide=guide if "guide" in name else None, treebank=style,
                                          n_iter=args.n_iter, seeds=args.seeds, **kw)
        pred = np.array([t for s in dev for t in tagger.predict(s.forms)])
        ok = pred == gold
        log = tagger.model.training_log_
        log = [[round(e["dev"], 4) for e in s] for s in log[:-1]] if args.seeds > 1 and "stack" not in name \
            else [round(e["dev"], 4) for e in log]
        print(f"{name}: UPOS {ok.mean():.4f} seen {ok[~unseen].mean():.4f} unseen {ok[unseen].mean():.4f} "
              f"({unseen.mean():.3f} unseen) epochs {log} {time.perf_counter() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
