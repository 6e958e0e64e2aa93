"""Time and number expressions: precision and recall per type on tests/fixtures/expressions.txt, and
the PD98 recall check (how many ``t`` words of the PD98 test split fall inside one DATE/TIME entity,
and ``m`` words inside one expression entity).

    python benchmarks/expressions_accuracy.py [--pd98-lines N]

Two systems: the grammar alone (:func:`cnlp.expressions.find` on the raw text) and ``cnlp.ner``
(the default pipeline: expressions on word boundaries where no other entity is). Exact spans and types.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import cnlp
from cnlp.corpus.readers import corpus_path
from cnlp.corpus.splits import pd98_split
from cnlp.expressions import TYPES, find

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "expressions.txt"
MARK = re.compile(r"\[([^\]]+)\]/(" + "|".join(TYPES) + ")")


def read_fixture(path=FIXTURE):
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, pos = [], [], 0
        for m in MARK.finditer(line):
            text.append(line[pos:m.start()])
            a = sum(map(len, text))
            text.append(m.group(1))
            spans.append((a, a + len(m.group(1)), m.group(2)))
            pos = m.end()
        text.append(line[pos:])
        out.append(("".join(text), spans))
    return out


def prf(gold, pred):
    rows = {}
    for t in TYPES + ("all",):
        g = {x for x in gold if t == "all" or x[-1] == t}
        p = {x for x in pred if t == "all" or x[-1] == t}
        tp = len(g & p)
        P = tp / len(p) if p else 0.0
        R = tp / len(g) if g else 0.0
        rows[t] = (P, R, 2 * P * R / (P + R) if P + R else 0.0, len(g), len(p))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pd98-lines", type=int, default=0, help="only the first N lines of the PD98 test split")
    args = ap.parse_args()
    print("command: python benchmarks/expressions_accuracy.py " + " ".join(sys.argv[1:]))
    data = read_fixture()
    gold = [(k, s, e, t) for k, (_, spans) in enumerate(data) for s, e, t in spans]
    grammar = [(k, s, e, t) for k, (text, _) in enumerate(data) for s, e, t, _ in find(text)]
    ner = [(k, x.start, x.end, x.type) for k, (text, _) in enumerate(data) for x in cnlp.ner(text) if x.type in TYPES]
    print(f"{len(data)} sentences, {len(gold)} expressions ({dict(Counter(t for *_, t in gold))})")
    print("| type | gold | grammar P | grammar R | grammar F1 | cnlp.ner P | cnlp.ner R | cnlp.ner F1 |")
    print("|---|---|---|---|---|---|---|---|")
    a, b = prf(gold, grammar), prf(gold, ner)
    for t in TYPES + ("all",):
        print(f"| {t} | {a[t][3]} | {a[t][0]:.3f} | {a[t][1]:.3f} | {a[t][2]:.3f} | {b[t][0]:.3f} | {b[t][1]:.3f} | "
              f"{b[t][2]:.3f} |")
    t0 = time.perf_counter()
    sents = pd98_split(corpus_path("pd1998", "199801.txt"), test_ratio=0.1).test
    if args.pd98_lines:
        sents = sents[:args.pd98_lines]
    counts = Counter()
    for s in sents:
        text = "".join(w for w, _ in s)
        ents = [(x.start, x.end, x.type) for x in cnlp.ner(text) if x.type in TYPES]
        gram = [(a_, b_, t) for a_, b_, t, _ in find(text)]
        pos = 0
        for w, tag in s:
            a_, b_ = pos, pos + len(w)
            pos = b_
            if tag not in ("t", "m"):
                continue
            ok = ("DATE", "TIME") if tag == "t" else TYPES
            counts[tag, "n"] += 1
            counts[tag, "ner"] += any(x <= a_ and b_ <= y and t in ok for x, y, t in ents)
            counts[tag, "grammar"] += any(x <= a_ and b_ <= y and t in ok for x, y, t in gram)
    print(f"\nPD98 test split: {len(sents)} lines ({time.perf_counter() - t0:.0f} s)")
    print("| PD98 words | n | inside one entity, grammar | inside one entity, cnlp.ner |")
    print("|---|---|---|---|")
    for tag, what in (("t", "t (time words) in DATE/TIME"), ("m", "m (numerals) in any expression")):
        n = counts[tag, "n"]
        print(f"| {what} | {n} | {counts[tag, 'grammar'] / n:.3f} | {counts[tag, 'ner'] / n:.3f} |")


if __name__ == "__main__":
    main()
