"""``cnlp train dict``: build a :class:`Dictionary` bundle from a corpus or a word list."""
from __future__ import annotations

import argparse
import time

from .trie import Dictionary


def build_dictionary(paths: list[str], fmt: str = "pd98") -> Dictionary:
    """Dictionary from PD98 / SIGHAN corpora (word counts, POS distributions) or text dictionaries."""
    if fmt in ("pd98", "sighan"):
        from ..corpus.stats import CorpusStats
        from ..corpus.readers import read_pd98, read_sighan

        def stream():
            for p in paths:
                if fmt == "pd98":
                    yield from read_pd98(p)
                else:
                    for words in read_sighan(p):
                        yield [(w, None) for w in words]
        return Dictionary.from_stats(CorpusStats.build(stream()))
    entries = []
    from .trie import read_dictionary_text
    for p in paths:
        entries.extend(read_dictionary_text(p, format=fmt))
    return Dictionary.from_entries(entries)


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="corpus or dictionary file (repeatable; default with --format pd98: "
                             "$CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--format", default="pd98", choices=["pd98", "sighan", "words", "jieba", "hanlp", "auto"])
    parser.add_argument("--out", required=True, metavar="DIR")


def train_main(args) -> int:
    from ..cli import PD98_CORPUS, UsageError, default_corpus
    from ..errors import require_data
    t0 = time.perf_counter()
    if not args.corpus:
        if args.format != "pd98":
            raise UsageError(f"give --corpus PATH (the default corpus is in pd98 format, not {args.format})")
        args.corpus = [default_corpus(*PD98_CORPUS)]
    d = build_dictionary(args.corpus, args.format)
    require_data(len(d), args.corpus, "words")
    d.meta.update({"source": [str(p) for p in args.corpus], "format": args.format,
                   "command": f"cnlp train dict --corpus {' --corpus '.join(args.corpus)} "
                              f"--format {args.format} --out {args.out}"})
    d.save(args.out)
    print(f"{d} -> {args.out} in {time.perf_counter() - t0:.1f}s")
    return 0
