"""Entity F1 (exact spans, per type and micro, conlleval's counting) of saved NER models on the three
dev sets the coarse model is chosen on: MSRA dev (the last 10 % of ``msra_ner/train_extra.bio``),
Weibo NER dev (``weibo_ner/dev.txt``, named mentions, GPE counted as LOC) and Resume NER dev
(``resume_ner/dev.txt``, NAME as PER, ORG, LOC), and their mean micro F1; or, with ``--cluener``, a
fine-grained model on the held-out part of ``cluener/train.json`` (its last 10 %; ``--cluener-dev``:
the dev part before it).

    python benchmarks/ner_domains.py [--model DIR ...] [--domain NAME ...] [--cluener] [--errors N]

``--domain`` decodes a model trained with per-corpus weights (``cnlp train ner --adapt``) with the
shared weights only (``shared``) or with those of one corpus (``msra``, ``weibo``, ``resume``).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from cnlp.corpus.readers import corpus_path
from cnlp.corpus.splits import split_sizes
from cnlp.evaluate import EntityEvaluator
from cnlp.entities.data import read_bio, read_resume, read_weibo


def dev_sets():
    msra = list(read_bio(corpus_path("msra_ner", "train_extra.bio")))
    n_train, _, _ = split_sizes(len(msra), test_ratio=0.1)
    return {"MSRA": msra[n_train:], "Weibo": list(read_weibo(corpus_path("weibo_ner", "dev.txt"))),
            "Resume": list(read_resume(corpus_path("resume_ner", "dev.txt")))}


def score(rec, sents, n_errors=0):
    ev = EntityEvaluator()
    errors = Counter()
    t0 = time.perf_counter()
    for text, gold in sents:
        pred = rec.predict_spans(text)
        ev.add(gold, pred)
        if n_errors:
            for s, e, t in set(gold) - set(pred):
                errors[f"missed {t} {text[s:e]}"] += 1
            for s, e, t in set(pred) - set(gold):
                errors[f"spurious {t} {text[s:e]}"] += 1
    r = ev.result()
    r["_seconds"] = time.perf_counter() - t0
    if n_errors:
        print("  errors:", "; ".join(f"{k} ({c})" for k, c in errors.most_common(n_errors)))
    return r


def cell(r, t):
    if t not in r:
        return "–"
    return f"{r[t]['f1']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", nargs="+", default=[None], help="NER model directories (default: the shipped one)")
    ap.add_argument("--domain", nargs="+", default=[None], help="decode domains to try (adapted models)")
    ap.add_argument("--cluener", action="store_true", help="score a fine-grained model on CLUENER's held-out part")
    ap.add_argument("--cluener-dev", action="store_true", help="with --cluener: the dev part instead")
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    print("command: python benchmarks/ner_domains.py " + " ".join(sys.argv[1:]))
    from cnlp import models
    if args.cluener:
        from cnlp.entities.data import CLUENER_TYPES
        from cnlp.train.ner import cluener_split
        _, dev, test = cluener_split(corpus_path("cluener", "train.json"))
        sents = dev if args.cluener_dev else test
        for m in args.model:
            rec = models.load_entity_recognizer(m) if m else models.fine_entity_recognizer()
            r = score(rec, sents, args.errors)
            print(f"model {m or 'data/ner_fine'}, CLUENER {'dev' if args.cluener_dev else 'held-out'} "
                  f"({len(sents)} records)")
            print("| type | P | R | F1 | gold |")
            print("|---|---|---|---|---|")
            for t in (*CLUENER_TYPES, "micro"):
                if t in r:
                    print(f"| {t} | {r[t]['precision']:.4f} | {r[t]['recall']:.4f} | {r[t]['f1']:.4f} | "
                          f"{r[t].get('gold', '')} |")
        return
    devs = dev_sets()
    print("| model | domain | " + " | ".join(f"{k} PER / LOC / ORG / micro" for k in devs) + " | mean micro |")
    print("|---|---|" + "---|" * len(devs) + "---|")
    for m in args.model:
        base = models.load_entity_recognizer(m) if m else models.entity_recognizer()
        for d in args.domain:
            rec = base.with_domain(d) if d else base
            cells, micro = [], []
            for name, sents in devs.items():
                r = score(rec, sents, args.errors)
                micro.append(r["micro"]["f1"])
                cells.append(" / ".join(cell(r, t) for t in ("PER", "LOC", "ORG", "micro")))
            print(f"| {m or 'data/ner'} | {d or 'default'} | " + " | ".join(cells) +
                  f" | **{sum(micro) / len(micro):.4f}** |", flush=True)


if __name__ == "__main__":
    main()
