"""``cnlp parse``: dependency-parse raw text or pre-tokenized CoNLL-U.

Raw text: every input line is split into sentences (:func:`cnlp.text.sentence_spans`, as
:func:`cnlp.parse` does; ``--no-split``: the line is one sentence), and every sentence gives one
output sentence (UD segmenter -> UPOS/XPOS tagger -> parser; whitespace is never a word); an
empty line gives one empty sentence. ``--pretokenized``: the input is CoNLL-U; word forms,
sentence order and comment lines are kept, every other column is predicted (input values ignored).
"""
from __future__ import annotations

import argparse
import errno
import os
import sys

from ..corpus.readers import iter_lines, iter_stream_lines
from .. import models
from ..errors import UsageError
from ..text import sentence_spans
from ..parsing.conllu import UDSentence, format_ud, read_ud_stream
from ..parsing.frontend import UDTagger
from ..parsing.parser import ArcHybridParser
from ..segmentation.tagging import TaggingSegmenter
from .common import (add_errors_argument, add_input_argument, add_output_argument, check_output, output_stream,
                     positive_int, report_bad_lines)

__all__ = ["add_parse_arguments", "parse_main", "load_components"]


def add_parse_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser)
    add_output_argument(parser)
    add_errors_argument(parser)
    parser.add_argument("--format", choices=["conllu", "json"], default="conllu")
    parser.add_argument("--pretokenized", action="store_true", help="input is CoNLL-U: keep its words")
    parser.add_argument("--no-split", dest="split", action="store_false",
                        help="raw text: parse each line as one sentence as given (default: split each line "
                             "into sentences after 。！？… and their full/half-width forms, not at ；)")
    parser.add_argument("--beam", type=positive_int, default=None,
                        help="beam width >= 1 (default: the model's; 1 = greedy)")
    parser.add_argument("--model", "--parser", metavar="DIR", dest="parser", default=None,
                        help="parser model (default: shipped data/dep)")
    parser.add_argument("--tagger", metavar="DIR", default=None, help="UPOS tagger model (default: data/ud_pos)")
    parser.add_argument("--xpos-tagger", metavar="DIR", default=None, help="XPOS tagger (default: data/ud_xpos)")
    parser.add_argument("--segmenter", metavar="DIR", default=None, help="segmenter (default: data/ud_cws)")
    parser.add_argument("--treebank", default=None,
                        help="tag and parse in the style of this training treebank (default: the models')")


def load_components(args, *, segmenter: bool):
    parser = ArcHybridParser.load(args.parser) if args.parser else models.parser()
    if args.tagger:
        tagger = UDTagger.load(args.tagger, args.xpos_tagger)
    else:
        tagger = models.ud_tagger()
    seg = None
    if segmenter:
        if args.segmenter:
            seg = TaggingSegmenter.load(args.segmenter)
        else:
            seg = models.ud_segmenter()
    return seg, tagger, parser


def _annotate(s: UDSentence, tagger, parser, beam, treebank) -> UDSentence:
    if s.forms:
        s.upos, s.xpos = tagger.predict_both(s.forms, treebank=treebank) if treebank else tagger.predict_both(s.forms)
        s.heads, s.deprels = parser.parse(s.forms, s.upos, beam=beam, treebank=treebank)
    else:
        s.upos, s.xpos, s.heads, s.deprels = [], [], [], []
    return s


def _write(s: UDSentence, fmt: str, out) -> None:
    if fmt == "json":
        from ..outputs import json_record
        out.write(json_record({"text": s.text, "words": s.forms, "upos": s.upos, "xpos": s.xpos,
                               "heads": s.heads, "deprels": s.deprels}) + "\n")
    else:
        out.write(format_ud(s))


def _sentences(args):
    paths = args.files or ["-"]
    args._bad_lines = {}
    for path in paths:
        if path == "-":
            lines = iter_stream_lines(sys.stdin.buffer, "<stdin>", args.errors, args._bad_lines)
        elif args.errors == "strict":
            lines = iter_lines(path)
        else:
            lines = _file_lines(path, args.errors, args._bad_lines)
        if args.pretokenized:
            yield from read_ud_stream(lines, "<stdin>" if path == "-" else path, need_heads=False)
        else:
            for lineno, line in lines:
                if not args.split:
                    yield line
                    continue
                for a, b in sentence_spans(line, merge_blank=True, semicolons=False) or [(0, len(line))]:
                    yield line[a:b]


def _file_lines(path, errors, counts):
    with open(path, "rb") as f:
        yield from iter_stream_lines(f, path, errors, counts)


def _check(args) -> None:
    """What can be refused before any model is loaded: option values and missing input files."""
    check_output(args)
    if args.pretokenized and not args.split:
        raise UsageError("--no-split applies to raw text; --pretokenized input keeps its sentences")
    for path in args.files:
        if path != "-" and not os.path.isfile(path):
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)


def parse_main(args) -> int:
    _check(args)
    seg, tagger, parser = load_components(args, segmenter=not args.pretokenized)
    if args.treebank:
        try:                                     # an unknown style: one error line, not a traceback
            _annotate(UDSentence(["。"]), tagger, parser, 1, args.treebank)
        except ValueError as e:
            raise UsageError(f"--treebank: {e}") from None
    with output_stream(args) as out:
        for k, item in enumerate(_sentences(args), 1):
            if args.pretokenized:
                s = item
            else:
                text = item
                words = [w for w in seg.segment(text) if not w.isspace()]
                clean = text.replace("\t", " ").replace("\r", " ").strip()
                s = UDSentence([w.strip() for w in words],
                               comments=[f"# sent_id = {k}", f"# text = {clean}"])
            _write(_annotate(s, tagger, parser, args.beam, args.treebank), args.format, out)
        out.flush()
    report_bad_lines(args)
    return 0
