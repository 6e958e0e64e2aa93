"""``cnlp parse``: dependency-parse raw text or pre-tokenized CoNLL-U.

Raw text: every input line is what :func:`cnlp.parse` returns for it (the same pipeline,
:func:`cnlp.pipeline.build_pipeline`, with the components and ``--beam``/``--treebank`` given),
printed by the same functions: ``doc.to_conllu(number_from=N)`` (sentences numbered through the
whole output; an empty line gives no sentence) or one ``doc.to_json()`` record per input line.
``--pretokenized``: the input is CoNLL-U; word forms, sentence order and comment lines are kept,
every other column is predicted (input values ignored); ``--format json`` gives the same record
(a Doc of the words).
"""
from __future__ import annotations

import argparse
import errno
import os
import sys

from ..corpus.readers import iter_lines, iter_stream_lines
from .. import models
from ..errors import UsageError
from ..pipeline import build_pipeline
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


def _ud_doc(s: UDSentence):
    """A pre-tokenized sentence as a :class:`cnlp.doc.Doc` (its words joined without spaces)."""
    from ..doc import Doc
    bounds = [0]
    for w in s.forms:
        bounds.append(bounds[-1] + len(w))
    return Doc("".join(s.forms), bounds, pos=s.upos or None, xpos=s.xpos or None, heads=s.heads or None,
               deprels=s.deprels or None)


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
            for _, line in lines:
                yield line


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
    from ..outputs import json_record
    pipe = None if args.pretokenized else build_pipeline("parse", segmenter=seg, pos=tagger, parser=parser,
                                                         split=args.split, beam=args.beam, treebank=args.treebank)
    k = 1                                        # the next sentence number
    with output_stream(args) as out:
        for item in _sentences(args):
            if args.pretokenized:
                s = _annotate(item, tagger, parser, args.beam, args.treebank)
                out.write(json_record(_ud_doc(s).to_json()) + "\n" if args.format == "json" else format_ud(s))
                continue
            doc = pipe(item)
            if args.format == "json":
                out.write(json_record(doc.to_json()) + "\n")
                continue
            for sent in doc.sents:
                block = sent.to_conllu(number_from=k)
                if block:
                    out.write(block)
                    k += 1
        out.flush()
    report_bad_lines(args)
    return 0
