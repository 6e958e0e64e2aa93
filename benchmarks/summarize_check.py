"""Centrality check used to choose summarize()'s default similarity (no gold summaries exist here).

For each of N documents: consecutive PKU test lines (sighan2005/pku_test.utf8) until >= 1,200
characters (one topic, mostly one article), plus 3 *distractor* lines of >= 20 characters taken
from ~970 lines away and inserted at random positions (seeded). A summarizer that picks central
sentences should rarely pick a distractor. Reported: the share of the top-3 picks that are
distractors (lower is better) next to the expectation for random picks, for each similarity.

    python benchmarks/summarize_check.py [--docs 150]
"""
from __future__ import annotations

import argparse
import random

from common import corpora_dir

from cnlp import summarize  # the one-call function: shipped segmenter, dictionary, IDF table)


def build_docs(n_docs: int, seed: int = 0):
    lines = [l.strip() for l in (corpora_dir() / "sighan2005" / "pku_test.utf8").read_text("utf-8").splitlines()]
    lines = [l for l in lines if l]
    rng = random.Random(seed)
    docs = []
    step = max(1, len(lines) // n_docs)
    for start in range(0, step * n_docs, step):
        main, i = [], start
        while sum(map(len, main)) < 1200:
            main.append(lines[i % len(lines)])
            i += 1
        far = [l for l in (lines[(start + 970 + k) % len(lines)] for k in range(30)) if len(l) >= 20][:3]
        sents = list(main)
        for d in far:
            sents.insert(rng.randrange(len(sents) + 1), d)
        docs.append((sents, set(far)))
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=150)
    args = ap.parse_args()
    docs = build_docs(args.docs)
    expected = sum(3 * 3 / len(s) for s, _ in docs) / (3 * len(docs))
    print(f"{len(docs)} documents, mean {sum(len(s) for s, _ in docs) / len(docs):.1f} lines, 3 distractors each")
    print("| similarity | distractor share of top-3 picks | random picks |")
    print("|---|---|---|")
    for sim in ("overlap", "bm25"):
        bad = picks = 0
        for sents, far in docs:
            # one line per "sentence": join with newlines so sentence_spans never merges two lines
            got = summarize("\n".join(sents), 3, similarity=sim)
            picks += len(got)
            bad += sum(any(g in f for f in far) for g in got)
        print(f"| {sim} | {bad / picks:.3f} ({bad}/{picks}) | {expected:.3f} |")


if __name__ == "__main__":
    main()
