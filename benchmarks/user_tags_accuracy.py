"""PKU-tag accuracy around words that carry a user tag of the user's own, on the PD98 test split
(the last 10 % of the non-empty lines of 199801.txt, gold words).

    python benchmarks/user_tags_accuracy.py [--words 200] [--seed 0]

``--words`` random word types of the test split are given a label of the user's own (``自定义``) in a
user dictionary. Three runs of the shipped POS tagger over the same gold words:

* base: no user dictionary;
* open tag (what cnlp does): the user's label is shown for those words, the model decodes them
  freely, so the tag their neighbours see is the word's most likely PKU tag in context;
* forced n: the alternative of mapping an unknown label to a fixed PKU tag (``n``, fixed in Viterbi).

Printed: accuracy over every other token, and over the neighbours (the token just before and just
after each occurrence of a user-tagged word, when that token is not user-tagged itself), and how
many user-tagged occurrences show the user's label.
"""
from __future__ import annotations

import argparse
import random
import sys

from cnlp import models
from cnlp.corpus.readers import corpus_path
from cnlp.corpus.splits import pd98_split
from cnlp.dictionary import UserDictionary

LABEL = "自定义"


def run(tagger, sents, chosen):
    n = ok = nn = nok = shown = occ = 0
    for s in sents:
        words = [w for w, _ in s]
        gold = [t for _, t in s]
        pred = tagger.predict(words)
        user = [w in chosen for w in words]
        near = set()
        for i, u in enumerate(user):
            if u:
                occ += 1
                shown += pred[i] == LABEL
                near.update(j for j in (i - 1, i + 1) if 0 <= j < len(words) and not user[j])
        for i, (g, p) in enumerate(zip(gold, pred)):
            if user[i]:
                continue
            n += 1
            ok += g == p
            if i in near:
                nn += 1
                nok += g == p
    return ok / n, n, nok / max(nn, 1), nn, shown, occ


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print("command: python benchmarks/user_tags_accuracy.py " + " ".join(sys.argv[1:]))
    sents = pd98_split(corpus_path("pd1998", "199801.txt"), test_ratio=0.1).test
    types = sorted({w for s in sents for w, _ in s})
    chosen = set(random.Random(args.seed).sample(types, args.words))
    tagger = models.pos_tagger()
    own, forced = UserDictionary(), UserDictionary()
    for w in chosen:
        own.add_word(w, pos=LABEL)
        forced.add_word(w, pos="n")
    print(f"{len(sents)} test lines, {args.words} of {len(types)} word types given the tag {LABEL!r}")
    print("| run | accuracy, other tokens | neighbour accuracy | user label shown |")
    print("|---|---|---|---|")
    for name, t in (("base (no user tags)", tagger), ("open tag (cnlp)", tagger.with_user_dict(own)),
                    ("forced n", tagger.with_user_dict(forced))):
        acc, n, nacc, nn, shown, occ = run(t, sents, chosen)
        print(f"| {name} | {acc:.4f} ({n}) | {nacc:.4f} ({nn}) | {shown} / {occ} |", flush=True)


if __name__ == "__main__":
    main()
