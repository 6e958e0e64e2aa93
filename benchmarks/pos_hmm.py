"""POS tagging with gold words: the first-order HMM baseline (cnlp.pos.hmm.HMMPOSTagger) on PD98.

    python benchmarks/pos_hmm.py [--test-ratio 0.1] [--dev-ratio 0.0] [--save DIR]

Data: :func:`cnlp.corpus.splits.pd98_split` of ``pd1998/199801.txt`` (the non-empty lines in file
order; the first floor(90 %) train, the last 10 % test; with ``--dev-ratio`` the dev lines come from
the end of the training part and the model is scored on dev instead of test). Training uses the
training lines only. Scored with :class:`cnlp.evaluate.TagEvaluator`: token accuracy with the gold
words given, accuracy on words unseen in the training lines (OOV), and the ten most frequent
confusions. Timings: fit (CorpusStats pass + tables) and predict (one ``predict`` call per line,
the first call, which compiles/loads the Numba Viterbi, excluded).
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.corpus.readers import corpus_path  # noqa: E402
from cnlp.corpus.splits import pd98_split  # noqa: E402
from cnlp.evaluate import TagEvaluator  # noqa: E402
from cnlp.pos.hmm import HMMPOSTagger  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--test-ratio", type=float, default=0.1)
    ap.add_argument("--dev-ratio", type=float, default=0.0,
                    help="if > 0, score on the dev lines (end of the training part) instead of test")
    ap.add_argument("--save", default=None, metavar="DIR", help="also save the trained model here")
    args = ap.parse_args()
    print("$ " + shlex.join(["python"] + sys.argv))
    path = corpus_path("pd1998", "199801.txt")
    split = pd98_split(path, test_ratio=args.test_ratio, dev_ratio=args.dev_ratio)
    scored, name = (split.dev, "dev") if args.dev_ratio > 0 else (split.test, "test")
    print(f"{path}: train {len(split.train)} lines, dev {len(split.dev)}, test {len(split.test)}; "
          f"scoring {name} ({len(scored)} lines)")

    t0 = time.perf_counter()
    model = HMMPOSTagger().fit(split.train)
    fit_s = time.perf_counter() - t0
    print(f"{model!r}: {len(model.tags_)} tags, {len(model.words_)} training words, "
          f"{len(model.suffixes_)} suffix keys; fit {fit_s:.1f} s")
    if args.save:
        model.save(args.save)
        print(f"saved to {args.save}")

    train_words = {w for sent in split.train for w, _ in sent}
    model.predict([scored[0][0][0]])                     # warm-up: Numba cache / compile
    ev = TagEvaluator(train_words)
    t0 = time.perf_counter()
    preds = [model.predict([w for w, _ in sent]) for sent in scored]
    pred_s = time.perf_counter() - t0
    for sent, tags in zip(scored, preds):
        ev.add(sent, tags)
    r = ev.result()
    print(f"accuracy      {r['accuracy']:.4f}  ({r['n']} tokens)")
    print(f"oov_accuracy  {r['oov_accuracy']:.4f}  ({r['n_oov']} tokens unseen in training, "
          f"{r['n_oov'] / r['n']:.2%})")
    print(f"iv_accuracy   {r['iv_accuracy']:.4f}")
    print(f"predict       {pred_s:.2f} s, {r['n'] / pred_s:,.0f} tokens/s")
    print("confusions (gold -> pred  count):")
    for g, p, c in r["confusions"]:
        print(f"  {g:>4s} -> {p:<4s} {c}")


if __name__ == "__main__":
    main()
