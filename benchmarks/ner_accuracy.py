"""Entity F1 (exact spans, per type and micro) of a saved NER model on the MSRA dev set (the last
10 % of train_extra.bio, what every setting was chosen on) and on the PD98 test split (the last
10 % of the non-empty lines of 199801.txt, converted: nr → PER with surname + given name merged,
ns → LOC, nt → ORG).

    python benchmarks/ner_accuracy.py [--model DIR] [--cws DIR] [--skip-pd98] [--skip-msra] [--errors N]

The recognizer segments and POS-tags each sentence itself (the shipped cascade, or ``--cws DIR``
as its segmenter: the shipped segmenter was trained on all of 199801.txt, so for the PD98 test
split pass a segmenter trained on its first 90 % only) and tags its characters; speed is reported
for that whole path.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from cnlp.corpus.readers import corpus_path
from cnlp.corpus.splits import pd98_split, split_sizes
from cnlp.evaluate import EntityEvaluator
from cnlp.entities.data import pd98_entities, read_bio


def score(name, rec, sents, n_errors=0):
    ev = EntityEvaluator()
    rec.predict("预热")
    t0 = time.perf_counter()
    preds = [rec.predict_spans(t) for t, _ in sents]
    dt = time.perf_counter() - t0
    errors = Counter()
    for (text, gold), pred in zip(sents, preds):
        ev.add(gold, pred)
        if n_errors:
            g, p = set(gold), set(pred)
            for s, e, t in g - p:
                errors[f"missed {t} {text[s:e]}"] += 1
            for s, e, t in p - g:
                errors[f"spurious {t} {text[s:e]}"] += 1
    r = ev.result()
    n_chars = sum(len(t) for t, _ in sents)
    cells = " | ".join(f"{r[t]['precision']:.4f} / {r[t]['recall']:.4f} / {r[t]['f1']:.4f}"
                       for t in ("PER", "LOC", "ORG", "micro") if t in r)
    print(f"| {name} | {cells} | {n_chars / dt / 1e3:.0f} k chars/s |", flush=True)
    if n_errors:
        print("  most frequent errors:", "; ".join(f"{k} ({c})" for k, c in errors.most_common(n_errors)))
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="NER model directory (default: the shipped data/ner)")
    ap.add_argument("--cws", default=None, help="segmenter model directory for the cascade (default: the shipped CRF)")
    ap.add_argument("--skip-pd98", action="store_true")
    ap.add_argument("--skip-msra", action="store_true")
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent dev errors")
    args = ap.parse_args()
    print("command: python benchmarks/ner_accuracy.py " + " ".join(sys.argv[1:]))
    from cnlp import models
    kw = {}
    if args.cws:
        from cnlp.segmentation.tagging import TaggingSegmenter
        kw["segmenter"] = TaggingSegmenter.load(args.cws)
    from cnlp.io import model_path
    rec = models.load_entity_recognizer(args.model or model_path("ner"), **kw) if args.model or kw \
        else models.entity_recognizer()
    print(f"model: {args.model or 'data/ner'} ({rec.model.meta_.get('command', '?')}); cascade segmenter: "
          f"{args.cws or 'the shipped CRF'}")
    msra = list(read_bio(corpus_path("msra_ner", "train_extra.bio")))
    n_train, _, _ = split_sizes(len(msra), test_ratio=0.1)
    print("| set | PER P / R / F1 | LOC P / R / F1 | ORG P / R / F1 | micro P / R / F1 | speed |")
    print("|---|---|---|---|---|---|")
    if not args.skip_msra:
        score(f"MSRA dev ({len(msra) - n_train} sentences)", rec, msra[n_train:], args.errors)
    if not args.skip_pd98:
        test = [pd98_entities(s) for s in pd98_split(corpus_path("pd1998", "199801.txt"), compounds="merge").test]
        score(f"PD98 test ({len(test)} lines)", rec, test)


if __name__ == "__main__":
    main()
