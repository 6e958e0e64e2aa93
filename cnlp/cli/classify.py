"""``cnlp classify train | predict``.

    cnlp classify train --data FILE [--data FILE ...] [--class LABEL=FILE ...] --out DIR
                        [--k K|all] [--model nb|linear] [--char-ngrams LO-HI|none] [--C C] [--alpha A]
    cnlp classify predict --model DIR FILE...

``--data`` files hold ``label<TAB>text`` per line (blank lines are skipped); ``--class LABEL=FILE``
files hold one text of class LABEL per line (blank lines are skipped). ``predict`` prints
``label<TAB>probability`` for every input line of every file, in order — empty lines included.
"""
from __future__ import annotations

import argparse
import sys
import time

from .. import get_segmenter
from ..errors import CnlpError, CorpusFormatError
from .common import (add_errors_argument, add_input_argument, add_output_argument, check_output, command_input,
                     numbered_lines, output_stream, positive_float, positive_int, progress_bar, progress_enabled,
                     report_bad_lines)

__all__ = ["add_classify_arguments", "classify_main", "read_labelled"]

_BATCH = 20000


def _k(value: str):
    if value == "all":
        return "all"
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'all', got {value!r}") from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'all', got {value!r}")
    return k


def _range(value: str):
    if value.lower() == "none":
        return None
    try:
        lo, _, hi = value.partition("-")
        r = (int(lo), int(hi or lo))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO-HI (e.g. 1-3) or 'none', got {value!r}") from None
    if not 1 <= r[0] <= r[1]:
        raise argparse.ArgumentTypeError(f"expected 1 <= LO <= HI, got {value!r}")
    return r


def _class_spec(value: str):
    label, eq, path = value.partition("=")
    if not eq or not label or not path:
        raise argparse.ArgumentTypeError(f"expected LABEL=FILE, got {value!r}")
    return label, path


def add_classify_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    t = sub.add_parser("train", help="train a text classifier and save it to a directory")
    t.add_argument("--data", action="append", default=[], metavar="FILE",
                   help="training file, 'label<TAB>text' per line (repeatable)")
    t.add_argument("--class", dest="classes", action="append", default=[], type=_class_spec,
                   metavar="LABEL=FILE", help="training file whose every line is a text of class LABEL (repeatable)")
    t.add_argument("--out", required=True, metavar="DIR", help="model directory to write")
    t.add_argument("--k", type=_k, default=None, help="number of chi-square terms kept, or 'all' (default 100000)")
    t.add_argument("--classifier", "--model", dest="model", choices=["nb", "linear"], default="linear",
                   help="naive Bayes or logistic regression (default: linear)")
    t.add_argument("--ngrams", type=_range, default=(1, 2), metavar="LO-HI",
                   help="word n-gram orders (default 1-2; 'none' for characters only)")
    t.add_argument("--char-ngrams", type=_range, default=(1, 3), metavar="LO-HI",
                   help="character n-gram orders (default 1-3; 'none' for words only)")
    t.add_argument("--min-df", type=positive_int, default=2, help="drop terms seen in fewer texts (default 2)")
    t.add_argument("--C", type=positive_float, default=None, help="logistic-regression inverse regularisation")
    t.add_argument("--alpha", type=positive_float, default=None, help="naive Bayes smoothing")
    t.add_argument("-a", "--algorithm", default=None, help="cnlp segmentation algorithm (default: cnlp's default)")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("predict", help="print 'label<TAB>probability' for each input line")
    p.add_argument("--model", required=True, metavar="DIR", help="model directory written by 'train'")
    add_input_argument(p, "input files, one text per line (default or -: stdin)")
    add_output_argument(p)
    add_errors_argument(p)


def read_labelled(path) -> tuple[list[str], list[str]]:
    """``(texts, labels)`` of a ``label<TAB>text`` file (``-``: stdin); blank lines are skipped."""
    texts, labels = [], []
    for lineno, line in numbered_lines(path):
        if not line.strip():
            continue
        label, tab, text = line.partition("\t")
        if not tab:
            raise CorpusFormatError(path, lineno, "expected 'label<TAB>text' (no tab found)", line)
        label = label.strip()
        if not label:
            raise CorpusFormatError(path, lineno, "empty label before the tab", line)
        texts.append(text)
        labels.append(label)
    return texts, labels


def _estimators():
    """``(TextClassifier, check_texts)``; a missing scikit-learn is one error line (exit status 1)."""
    from ..classify import require_sklearn
    try:
        require_sklearn()
    except ModuleNotFoundError as e:
        raise CnlpError(str(e)) from None
    from ..classify.classifier import TextClassifier
    from ..classify.features import check_texts
    return TextClassifier, check_texts


def _train(args) -> int:
    if not args.data and not args.classes:
        raise SystemExit("cnlp classify train: give training data with --data FILE or --class LABEL=FILE")
    texts: list[str] = []
    labels: list[str] = []
    for path in args.data:
        t, y = read_labelled(path)
        texts += t
        labels += y
    for label, path in args.classes:
        for _, line in numbered_lines(path):
            if line.strip():
                texts.append(line)
                labels.append(label)
    if len(set(labels)) < 2:
        raise CnlpError(f"need at least two classes in the training data, got {sorted(set(labels))}")
    params = {"model": args.model, "ngram_range": args.ngrams, "char_ngram_range": args.char_ngrams,
              "min_df": args.min_df, "algorithm": args.algorithm}
    for name in ("k", "C", "alpha"):
        if getattr(args, name) is not None:
            params[name] = getattr(args, name)
    t0 = time.perf_counter()
    TextClassifier, check_texts = _estimators()
    clf = TextClassifier(**params, segmenter=get_segmenter(args.algorithm))     # the shipped segmenter
    if progress_enabled(args):                 # segmenting is the long part: analyse in chunks under a bar
        texts = check_texts(texts, "fit")
        analyzer = clf._make_features()          # the same feature parameters fit() would use
        docs: list = []
        with progress_bar(args, total=len(texts), unit=" texts", desc="segmenting") as bar:
            for i in range(0, len(texts), 1000):
                docs += analyzer.analyze(texts[i:i + 1000])
                bar.update(len(texts[i:i + 1000]))
        clf.fit_analyzed(docs, labels)
    else:
        clf.fit(texts, labels)
    clf.save(args.out)
    f = clf.features_
    print(f"trained {args.model} on {len(texts)} texts, {len(clf.classes_)} classes, "
          f"{f.n_features_out_} of {f.n_terms_total_} terms kept, {time.perf_counter() - t0:.1f} s -> {args.out}",
          file=sys.stderr)
    return 0


def _predict(args) -> int:
    check_output(args)
    clf = _estimators()[0].load(args.model)
    batch: list[str] = []

    def flush():
        proba = clf.predict_proba(batch)
        best = proba.argmax(axis=1)
        out.writelines(f"{clf.classes_[j]}\t{proba[i, j]:.4f}\n" for i, j in enumerate(best))
        batch.clear()

    with output_stream(args) as out:
        for line in command_input(args):
            batch.append(line)
            if len(batch) >= _BATCH:
                flush()
        if batch:
            flush()
        out.flush()
    report_bad_lines(args)
    return 0


def classify_main(args) -> int:
    return _train(args) if args.action == "train" else _predict(args)
