"""How strongly should a *suggested* user word pull the BMES tagger?  (chooses ``SUGGEST_BIAS``)

    python benchmarks/user_dict_check.py [--algorithm perceptron] [--bias 0 0.1 0.2 0.3 0.35 0.4 0.5 1]

Two user dictionaries on the PKU test, for each bias value (score added per character to the labels
that make a suggested word a word, in units of the model's mean absolute transition score):

* **half the test OOV words** (gold words absent from the training word list; every other one in
  sorted order) — a user teaching the words of their domain. Reported: recall of the suggested words'
  gold occurrences, recall of the *other* OOV words (should not drop), and F1.
* **jieba's 349k-word dictionary** — a large third-party dictionary with a different segmentation
  standard. Reported: F1 (a good bias gains from the first and loses little here).

Forced mode (hard constraints) is shown for comparison.
"""
from __future__ import annotations

import argparse
import time

from common import pku_test, score

from cnlp.dictionary import UserDictionary
from cnlp.io import corpora_dir


def recall_of(pred, gold, targets: set[str]) -> float:
    hit = tot = 0
    for p, g in zip(pred, gold):
        ps, pos = set(), 0
        for w in p:
            ps.add((pos, pos + len(w)))
            pos += len(w)
        pos = 0
        for w in g:
            if w in targets:
                tot += 1
                hit += (pos, pos + len(w)) in ps
            pos += len(w)
    return hit / max(tot, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default="perceptron")
    ap.add_argument("--bias", type=float, nargs="+", default=[0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 1])
    args = ap.parse_args()
    from cnlp.registry import SEGMENTERS, resolve
    factory = resolve(SEGMENTERS, args.algorithm)
    raw, gold, words = pku_test()
    oov = sorted({w for g in gold for w in g if w not in words})
    taught, other = set(oov[::2]), set(oov[1::2])
    ud_oov = UserDictionary(taught, mode="suggest")
    ud_oov_force = UserDictionary(taught, mode="force")
    t0 = time.perf_counter()
    jieba_words = []
    with open(corpora_dir() / "dicts" / "jieba_dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                jieba_words.append(parts[0])
    ud_jieba = UserDictionary(jieba_words, mode="suggest")
    print(f"{len(taught)} taught OOV words, {len(other)} other OOV words; jieba dictionary {len(ud_jieba)} words "
          f"({time.perf_counter() - t0:.1f}s to load)")
    base = factory()
    print("\n| bias | taught-OOV recall | other-OOV recall | F1 (half OOV suggested) | F1 (jieba dict suggested) |")
    print("|---|---|---|---|---|")
    for b in args.bias:
        seg = factory(user_dict=ud_oov, suggest_bias=b)
        pred = [seg.segment(x) for x in raw]
        segj = factory(user_dict=ud_jieba, suggest_bias=b)
        predj = [segj.segment(x) for x in raw]
        print(f"| {b:g} | {recall_of(pred, gold, taught):.4f} | {recall_of(pred, gold, other):.4f} | "
              f"{score(pred, gold, words)['f1']:.4f} | {score(predj, gold, words)['f1']:.4f} |", flush=True)
    pred = [base.with_user_dict(ud_oov_force).segment(x) for x in raw]
    print(f"| forced | {recall_of(pred, gold, taught):.4f} | {recall_of(pred, gold, other):.4f} | "
          f"{score(pred, gold, words)['f1']:.4f} | (forcing jieba's dictionary is not meaningful) |")


if __name__ == "__main__":
    main()
