"""POS tagging with gold words on the PD98 test split (the last 10 % of the non-empty lines of
199801.txt), for a saved POS model and, in the same run, the first-order HMM baseline trained on
the same training lines.

    python benchmarks/pos_accuracy.py [--model data/pos] [--dev]

``--dev`` scores the dev split instead (the last 5 % of the training lines), which is what every
setting was chosen on. Prints accuracy, accuracy on words unseen in training, tagging speed and the
ten most frequent confusions.
"""
from __future__ import annotations

import argparse
import sys
import time

from cnlp.corpus.readers import corpus_path
from cnlp.corpus.splits import pd98_split
from cnlp.evaluate import TagEvaluator
from cnlp.pos.hmm import HMMPOSTagger


def score(name, tagger, sents, train_words):
    ev = TagEvaluator(train_words)
    words = [[w for w, _ in s] for s in sents]
    tagger.predict(words[0])
    t0 = time.perf_counter()
    preds = [tagger.predict(w) for w in words]
    dt = time.perf_counter() - t0
    for s, p in zip(sents, preds):
        ev.add(s, p)
    r = ev.result()
    n_chars = sum(len(w) for ws in words for w in ws)
    print(f"| {name} | {r['accuracy']:.4f} | {r['oov_accuracy']:.4f} | {r['n_oov']} / {r['n']} | "
          f"{n_chars / dt / 1e3:.0f} k chars/s |", flush=True)
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="POS model directory (default: the shipped data/pos)")
    ap.add_argument("--dev", action="store_true", help="score the dev split instead of the test split")
    args = ap.parse_args()
    print("command: python benchmarks/pos_accuracy.py " + " ".join(sys.argv[1:]))
    split = pd98_split(corpus_path("pd1998", "199801.txt"), test_ratio=0.1, dev_ratio=0.05)
    train = split.train if args.dev else split.train + split.dev
    sents = split.dev if args.dev else split.test
    train_words = {w for s in train for w, _ in s}
    print(f"{len(train)} training lines, {len(sents)} {'dev' if args.dev else 'test'} lines")
    print("| tagger | accuracy | unseen-word accuracy | unseen / words | speed |")
    print("|---|---|---|---|---|")
    from cnlp.models import pos_tagger
    from cnlp.pos.tagger import POSTagger
    model = POSTagger.load(args.model) if args.model else pos_tagger()
    r = score(f"cnlp {model.model.meta_['kind']}", model, sents, train_words)
    t0 = time.perf_counter()
    hmm = HMMPOSTagger().fit(train)
    print(f"(HMM trained in {time.perf_counter() - t0:.1f} s)")
    score("HMM baseline", hmm, sents, train_words)
    print("ten most frequent confusions (gold -> predicted) of cnlp:",
          ", ".join(f"{g}->{p} {c}" for g, p, c in r["confusions"]))


if __name__ == "__main__":
    main()
