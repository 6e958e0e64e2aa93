"""Tune the bigram lattice's smoothing constants on a dev split of 199801.txt (never the test set).

    python scripts/tune_bigram.py [--dev-ratio 0.1]

Trains CorpusStats on the first 90 % of the paragraphs, decodes the last 10 % (raw text = the
gold words joined) and prints dev F1 for a grid of λ, α and the unknown-character probability,
then the best setting. The grid also chooses which words become class nodes (all numeric, digit-only, or
only Latin words). Stage 2 adds unknown-word candidates from a character HMM (trained on the same
90 %) and chooses their cost and maximum length; stage 3 re-checks λ with the candidates on. The shipped model (`cnlp train bigram`) uses the values in
cnlp/segmentation/lattice.py:TUNED, copied from this script's output.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.corpus.readers import read_pd98  # noqa: E402
from cnlp.corpus.stats import CorpusStats  # noqa: E402
from cnlp.evaluate import SegEvaluator  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402
from cnlp.segmentation.hmm import HMMSegmenter  # noqa: E402
from cnlp.segmentation.lattice import BigramModel, LatticeSegmenter  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev-ratio", type=float, default=0.1)
    args = ap.parse_args()
    sents = list(read_pd98(corpora_dir() / "pd1998" / "199801.txt"))
    cut = int(len(sents) * (1 - args.dev_ratio))
    train, dev = sents[:cut], sents[cut:]
    stats = CorpusStats.build(train)
    train_words = {w for s in train for w, _ in s}
    gold = [[w for w, _ in s] for s in dev]
    raw = ["".join(g) for g in gold]
    models = {c: BigramModel.from_stats(stats, classes=c) for c in ("all", "digits", "latin")}
    print(f"train {len(train)} paragraphs, dev {len(dev)} paragraphs ({sum(map(len, raw))} chars)")
    def dev_score(model):
        seg = LatticeSegmenter(model)
        ev = SegEvaluator(train_words)
        for g, r in zip(gold, raw):
            ev.add(g, seg.segment(r))
        return ev.result()

    print("| classes | λ | α | unk_p | dev F1 | dev OOV-R |")
    print("|---|---|---|---|---|---|")
    best = None
    for classes, lam, alpha, unk in itertools.product(models, (0.3, 0.4, 0.5, 0.7), (0.1, 1.0, 10.0), (1e-7,)):
        model = models[classes]
        model.set_params(lam=lam, alpha=alpha, unk_p=unk)
        res = dev_score(model)
        print(f"| {classes} | {lam} | {alpha} | {unk:g} | {res['f1']:.4f} | {res['oov_recall']:.4f} |", flush=True)
        if best is None or res["f1"] > best[0]:
            best = (res["f1"], classes, lam, alpha, unk)
    print(f"best dev F1 {best[0]:.4f}: classes={best[1]} lam={best[2]} alpha={best[3]} unk_p={best[4]:g}")

    _, classes, lam, alpha, unk = best
    model = models[classes]
    model.set_params(lam=lam, alpha=alpha, unk_p=unk)
    hmm = HMMSegmenter().fit(train)
    print("\n| HMM candidate cost | max length | dev F1 | dev OOV-R |\n|---|---|---|---|")
    best2 = (best[0], 0.0, 4)
    for cost, maxlen in itertools.product((16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0), (3, 4, 6)):
        model.set_candidates(hmm, cost, maxlen)
        res = dev_score(model)
        print(f"| {cost:g} | {maxlen} | {res['f1']:.4f} | {res['oov_recall']:.4f} |", flush=True)
        if res["f1"] > best2[0]:
            best2 = (res["f1"], cost, maxlen)
    model.set_candidates(hmm, best2[1], best2[2])
    print(f"best dev F1 {best2[0]:.4f}: cand_cost={best2[1]:g} cand_maxlen={best2[2]}")
    print("\n| λ (with candidates) | α | dev F1 | dev OOV-R |\n|---|---|---|---|")
    best3 = (best2[0], lam, alpha)
    for lam3, alpha3 in itertools.product((0.2, 0.3, 0.4, 0.5), (0.1, 1.0)):
        model.set_params(lam=lam3, alpha=alpha3, unk_p=unk)
        res = dev_score(model)
        print(f"| {lam3} | {alpha3} | {res['f1']:.4f} | {res['oov_recall']:.4f} |", flush=True)
        if res["f1"] > best3[0]:
            best3 = (res["f1"], lam3, alpha3)
    print(f"best dev F1 {best3[0]:.4f}: classes={classes} lam={best3[1]} alpha={best3[2]} unk_p={unk:g} "
          f"cand_cost={best2[1]:g} cand_maxlen={best2[2]}")

if __name__ == "__main__":
    main()
