"""Which PKU test words does a segmenter miss?  (the error analysis quoted in docs/)

    python benchmarks/pku_errors.py [--algorithm crf] [--pkuseg-model DIR] [--top 30]

A gold word is missed when its span is not a predicted word. Prints the number of missed gold words,
how many contain half-width digits or Latin letters, how many are in the weather/sign pattern
(contain ℃ or ／, or a minus sign followed by a digit), and the most frequent missed words.
``--pkuseg-model`` scores a pkuseg model instead (e.g. the one benchmarks/peers_pku.py retrains,
``$TMPDIR/cnlp_bench/pkuseg_pd98_it10/model``).
"""
from __future__ import annotations

import argparse
import re
from collections import Counter

from common import pku_test

HALF = re.compile(r"[0-9A-Za-z]")
SIGN = re.compile(r"℃|／|[－-][0-9０-９]")


def spans(words):
    out, p = set(), 0
    for w in words:
        out.add((p, p + len(w)))
        p += len(w)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default=None)
    ap.add_argument("--pkuseg-model", default=None)
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    raw, gold, _ = pku_test()
    if args.pkuseg_model:
        import spacy_pkuseg
        cut = spacy_pkuseg.pkuseg(model_name=args.pkuseg_model).cut
        name = f"pkuseg {args.pkuseg_model}"
    else:
        import cnlp
        seg = cnlp.get_segmenter(args.algorithm)
        cut, name = seg.segment, f"cnlp {args.algorithm or cnlp.registry.DEFAULT_SEGMENTER}"
    missed = Counter()
    for r, g in zip(raw, gold):
        pred = [w for w in cut(r) if w.strip()]
        text = "".join(g)
        for a, b in spans(g) - spans(pred):
            missed[text[a:b]] += 1
    total = sum(missed.values())
    half = sum(n for w, n in missed.items() if HALF.search(w))
    sign = sum(n for w, n in missed.items() if SIGN.search(w))
    print(f"{name}: {total} missed gold words; {half} ({half / total:.1%}) contain half-width digits/Latin; "
          f"{sign} ({sign / total:.1%}) contain ℃, ／ or a signed number")
    print("most frequent:", " ".join(f"{w}:{n}" for w, n in missed.most_common(args.top)))


if __name__ == "__main__":
    main()
