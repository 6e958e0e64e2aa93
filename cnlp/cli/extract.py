"""``cnlp discover``, ``cnlp keywords`` and ``cnlp summarize``."""
from __future__ import annotations

import argparse
from pathlib import Path

from .. import get_segmenter, models
from ..dictionary import Dictionary
from ..errors import CnlpError
from ..extract.discover import DEFAULT_MIN_ENTROPY, DEFAULT_MIN_MI, discover_words
from ..extract.idf import IDFTable
from ..extract.keywords import ALGORITHMS, DEFAULT_POS, keywords
from ..extract.summarize import SIMILARITIES, summarize
from .common import (add_errors_argument, add_input_argument, add_output_argument, add_quiet_argument, check_output,
                     iter_lines, non_negative_int, number, output_stream, positive_int, report_bad_lines,
                     with_progress)

__all__ = ["add_discover_arguments", "discover_main", "add_keywords_arguments", "keywords_main",
           "add_summarize_arguments", "summarize_main"]


# ------------------------------------------------------------------------------ discover
def add_discover_arguments(parser) -> None:
    parser.description = ("New-word discovery: print word<TAB>score<TAB>freq<TAB>mi<TAB>left_H<TAB>right_H, "
                          "best first.")
    add_input_argument(parser, "UTF-8 text files, together the corpus (default or -: stdin)")
    add_output_argument(parser)
    add_errors_argument(parser)
    add_quiet_argument(parser)
    parser.add_argument("--top", type=non_negative_int, default=None, metavar="N", help="print only the best N")
    parser.add_argument("--max-len", type=positive_int, default=4, metavar="K", help="longest candidate (default 4)")
    parser.add_argument("--min-freq", type=positive_int, default=5, metavar="F", help="minimum frequency (default 5)")
    parser.add_argument("--min-entropy", type=number, default=DEFAULT_MIN_ENTROPY, metavar="H",
                        help=f"minimum left and right neighbour entropy, nats (default {DEFAULT_MIN_ENTROPY})")
    parser.add_argument("--min-mi", type=number, default=DEFAULT_MIN_MI, metavar="MI",
                        help=f"minimum cohesion (weakest-split PMI), nats (default {DEFAULT_MIN_MI})")
    parser.add_argument("--exclude-dict", action="store_true",
                        help="print only words absent from the shipped default dictionary")
    parser.add_argument("--dict", action="append", metavar="PATH",
                        help="print only words absent from this dictionary (a saved bundle directory or a "
                             "text dictionary: words / jieba / hanlp format; repeatable)")


def _load_dict(path):
    p = Path(path)
    return Dictionary.load(p) if p.is_dir() else Dictionary.load_text(p)


def _counted_lines(args, paths):
    """The lines of ``paths`` under the command's ``--errors`` policy (counted for :func:`report_bad_lines`)."""
    if not hasattr(args, "_bad_lines"):
        args._bad_lines = {}
    return iter_lines(paths, errors=args.errors, counts=args._bad_lines)


def discover_main(args) -> int:
    check_output(args)
    tests = []
    if args.exclude_dict:
        tests.append(models.dictionary().__contains__)      # the shipped dictionary
    for path in args.dict or []:
        tests.append(_load_dict(path).__contains__)
    exclude = None
    if tests:
        class _Any:                               # membership in any of the dictionaries
            def __contains__(self, w):
                return any(t(w) for t in tests)
        exclude = _Any()

    try:
        res = discover_words(with_progress(_counted_lines(args, args.files), args, desc="counting"), max_len=args.max_len, min_freq=args.min_freq,
                             min_entropy=args.min_entropy, min_mi=args.min_mi, top=None,
                             exclude=None)
    except CnlpError:
        raise                                     # unreadable file: reported by cnlp.cli.main
    except ValueError as e:
        raise SystemExit(str(e))
    with output_stream(args) as out:
        k = 0
        for r in res:
            if exclude is not None and r.word in exclude:
                continue
            if args.top is not None and k >= args.top:
                break
            out.write(f"{r.word}\t{r.score:.4f}\t{r.freq}\t{r.mi:.4f}\t{r.left_entropy:.4f}\t{r.right_entropy:.4f}\n")
            k += 1
        out.flush()
    report_bad_lines(args)
    return 0


# ------------------------------------------------------------------------------ keywords
def add_keywords_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser, "UTF-8 text files, one document each (default or -: stdin)")
    add_output_argument(parser)
    add_errors_argument(parser)
    parser.add_argument("-k", "--top-k", type=positive_int, default=10, help="keywords per document (default 10)")
    parser.add_argument("-a", "--algorithm", choices=list(ALGORITHMS), default="tfidf")
    parser.add_argument("--with-weight", action="store_true", help="print word:score")
    parser.add_argument("--per-line", action="store_true", help="one document per input line (one output line each)")
    parser.add_argument("--all-pos", action="store_true", help="no POS filter (stopwords only)")
    parser.add_argument("--model", metavar="DIR", help="an IDF table directory (from cnlp train idf) replacing the "
                                                      "shipped one (tfidf)")
    add_quiet_argument(parser)


def _keyword_documents(args):
    for path in args.files or ["-"]:
        if args.per_line:
            for line in _counted_lines(args, [path]):
                yield path, line
        else:
            yield path, "\n".join(_counted_lines(args, [path]))


def keywords_main(args) -> int:
    check_output(args)
    idf = None
    if args.model:
        idf = IDFTable.load(args.model)
    elif args.algorithm == "tfidf":
        idf = models.idf_table()
    seg, dictionary = get_segmenter(), models.dictionary()      # the shipped components
    prefix = len(args.files) > 1 and not args.per_line
    docs = _keyword_documents(args)
    if args.per_line:
        docs = with_progress(docs, args, desc="keywords")
    with output_stream(args) as out:
        for path, doc in docs:
            kw = keywords(doc, args.top_k, algorithm=args.algorithm, with_weight=args.with_weight,
                          pos=None if args.all_pos else DEFAULT_POS, idf=idf, segmenter=seg, dictionary=dictionary)
            items = [f"{w}:{s:.4f}" for w, s in kw] if args.with_weight else kw
            out.write((f"{path}\t" if prefix else "") + " ".join(items) + "\n")
        out.flush()
    report_bad_lines(args)
    return 0


# ----------------------------------------------------------------------------- summarize
def add_summarize_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser, "UTF-8 text files, one document each (default or -: stdin)")
    add_output_argument(parser)
    add_errors_argument(parser)
    parser.add_argument("-k", "--top-k", type=positive_int, default=3, help="sentences to keep (default 3)")
    parser.add_argument("--similarity", choices=list(SIMILARITIES), default="overlap")


def summarize_main(args) -> int:
    check_output(args)
    seg, dictionary = get_segmenter(), models.dictionary()      # the shipped components
    idf = models.idf_table() if args.similarity == "bm25" else None
    with output_stream(args) as out:
        for n, path in enumerate(args.files or ["-"]):
            if n:
                out.write("\n")                                # blank line between documents
            for sent in summarize("\n".join(_counted_lines(args, [path])), args.top_k, similarity=args.similarity,
                                  segmenter=seg, dictionary=dictionary, idf=idf):
                out.write(sent.replace("\n", " ") + "\n")
        out.flush()
    report_bad_lines(args)
    return 0
