"""What a model trained on the converted UD 1.4 GSD file alone gets wrong on GSDSimp dev.

    python scripts/convert_ud14.py --rules v2 /tmp/ud/zh_gsd14-ud-train.v2.conllu
    python scripts/convert_ud14.py /tmp/ud/zh_gsd14-ud-train.conllu
    python benchmarks/ud14_confusions.py /tmp/ud/zh_gsd14-ud-train.v2.conllu /tmp/ud/zh_gsd14-ud-train.conllu

For each converted file: a parser (greedy training, ``--n-iter`` epochs, gold UPOS) and UPOS / XPOS
taggers (the ``cnlp train pos`` perceptron, no lexicon or guide) trained on that file alone; GSDSimp
dev is parsed with its gold words and gold UPOS, and tagged with its gold words. Prints UAS / LAS,
UPOS / XPOS accuracy and the most frequent confusions (gold -> predicted; relations over the
words whose head is right, so that a confusion is a labelling convention, not an attachment error).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir  # noqa: E402
from cnlp.parsing.conllu import UD_DEV, read_ud  # noqa: E402
from cnlp.parsing.parser import ArcHybridParser  # noqa: E402


def confusions(pairs, top):
    c = Counter((g, p) for g, p in pairs if g != p)
    total = sum(1 for _ in pairs)
    return f"{sum(c.values())} of {total} wrong; " + ", ".join(f"{g}->{p} {k}" for (g, p), k in c.most_common(top))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--n-iter", type=int, default=8)
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    from cnlp.train.ud import train_lexicon_tagger, train_xpos_tagger
    dev = read_ud(corpora_dir() / "ud_chinese" / UD_DEV)
    for f in args.files:
        train = read_ud(f)
        p = ArcHybridParser(beam=args.beam, n_iter=args.n_iter, verbose=False, patience=args.n_iter)
        p.fit(train)
        pred = p.parse_many([(s.forms, s.upos) for s in dev], beam=args.beam)
        toks = [(gh, gr.split(":")[0], ph, pr.split(":")[0], gr, pr)
                for s, (hs, rs) in zip(dev, pred) for gh, gr, ph, pr in zip(s.heads, s.deprels, hs, rs)]
        n = len(toks)
        uas = sum(t[0] == t[2] for t in toks) / n
        las = sum(t[0] == t[2] and t[1] == t[3] for t in toks) / n
        print(f"== {f}: {len(train)} sentences")
        print(f"UAS {uas:.4f} LAS {las:.4f} (gold words and UPOS, beam {args.beam}, {args.n_iter} epochs)")
        print("relations (head right):", confusions([(t[4], t[5]) for t in toks if t[0] == t[2]], args.top))
        wrong = Counter(t[4] for t in toks if t[0] != t[2])
        print("wrong heads by gold relation:", ", ".join(f"{r} {k}" for r, k in wrong.most_common(12)))
        up = train_lexicon_tagger(train, (), n_iter=5)
        pairs = [(g, t) for s in dev for g, t in zip(s.upos, up.predict(s.forms))]
        print(f"UPOS {sum(g == t for g, t in pairs) / len(pairs):.4f}:", confusions(pairs, args.top))
        xp = train_xpos_tagger(train, (), n_iter=5)
        pairs = [(g, t) for s in dev for g, t in zip(s.xpos, xp.predict(s.forms))]
        print(f"XPOS {sum(g == t for g, t in pairs) / len(pairs):.4f}:", confusions(pairs, args.top), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
