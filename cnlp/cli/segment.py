"""``cnlp segment``, ``cnlp tag`` and ``cnlp ner``: one output record per input line, in this
process or through :mod:`cnlp.batch` (``-j N``, ``-o FILE``, ``--resume``)."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys

from .. import registry
from ..errors import CnlpError, UsageError
from ..entities.data import format_entities
from .common import (add_errors_argument, add_input_argument, add_output_argument, check_output, command_input,
                     non_negative_int, output_stream, progress_bar, report_bad_lines, with_progress)

__all__ = ["add_parsers", "cmd_segment", "cmd_tag", "cmd_ner", "format_entities", "check_output", "output_stream"]


def add_parsers(sub) -> None:
    """The ``segment``, ``tag`` and ``ner`` sub-parsers."""
    s = sub.add_parser("segment", help="segment text, one output line per input line")
    add_input_argument(s)
    s.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    s.add_argument("--dictionary", metavar="PATH",
                   help="a word list (text file) or a dictionary bundle directory (from cnlp train dict) for a "
                        "max-match segmenter: bimm unless -a fmm|bmm|bimm is given; not with --model")
    s.add_argument("--model", metavar="DIR", dest="seg_model",
                   help="a segmenter model directory (from cnlp train cws|hmm|bigram); not with -a or --dictionary")
    s.add_argument("--mode", choices=["default", "search", "full"], default="default",
                   help="search: each word of 3+ characters is preceded by the dictionary words inside it "
                        "(2+ characters), as jieba's cut_for_search; the default words are all there. "
                        "full: every dictionary word at every position, overlapping, as jieba's cut_all")
    s.add_argument("--user-dict", action="append", metavar="PATH", help="user dictionary (repeatable)")
    s.add_argument("--standard", metavar="NAME", default=None,
                   help="segmentation standard of the output: pku, ctb, weibo or shared for the default model "
                        "(default: the model's default); a model of one standard writes only its own")
    s.add_argument("--pure", action="store_true", help="with --dictionary: no atoms and no width folding (the SIGHAN max-match baseline)")
    s.add_argument("-d", "--delimiter", default=" ", help="word delimiter in the output (default: one space)")
    s.add_argument("--keep-spaces", action="store_true", help="also print whitespace tokens")
    _add_batch_arguments(s)
    s.set_defaults(func=cmd_segment)

    g = sub.add_parser("tag", help="segment and POS-tag text, one output line per input line")
    add_input_argument(g)
    g.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    g.add_argument("--model", metavar="DIR", help="a POS tagger model directory (from cnlp train pos)")
    g.add_argument("--segmenter", metavar="DIR", dest="seg_model",
                   help="a segmenter model directory (from cnlp train cws|hmm|bigram); not with -a")
    g.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); a word's POS column fixes its tag")
    g.add_argument("--format", choices=["pd98", "conllu", "json"], default="pd98",
                   help="pd98: word/TAG tokens separated by single spaces (default); conllu: one sentence per "
                        "line (a blank line for an empty one); json: one object per line")
    _add_batch_arguments(g)
    g.set_defaults(func=cmd_tag, dictionary=None, pure=False)

    n = sub.add_parser("ner", help="find named entities and time and number expressions, one output record per "
                                   "input line (the default model: person PER, place LOC and organization ORG "
                                   "names; --model: that model's types)")
    add_input_argument(n)
    n.add_argument("--format", choices=["bio", "json", "inline"], default="inline",
                   help="inline: the text with [entity]/TYPE marks (default); bio: one char<TAB>tag line per "
                        "character (BIO tags) and a blank line after each input line; json: one JSON list of "
                        "entities per line")
    n.add_argument("--model", metavar="DIR", help="an entity recognizer model directory (from cnlp train ner), or "
                                                  "ner_fine: the shipped fine-grained model (ten CLUENER types)")
    n.add_argument("--entity-dict", action="append", metavar="PATH",
                   help="entity dictionary, lines 'text TYPE [force|suggest]' (repeatable)")
    n.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); no entity crosses a forced word")
    n.add_argument("--no-expressions", action="store_true",
                   help="no DATE/TIME/MONEY/PERCENT/NUMBER entities: the model's types and the entity "
                        "dictionaries' only (e.g. to score against MSRA files)")
    _add_batch_arguments(n)
    n.set_defaults(func=cmd_ner)


def _cli_user_dict(args):
    """The ``--user-dict`` files merged in order (None without any), as :func:`_build_segmenter` layers them."""
    from ..dictionary import UserDictionary
    ud = None
    for path in args.user_dict or []:
        ud = UserDictionary.load(path) if ud is None else ud.merged_with_file(path)
    return ud


def check_segmenter_options(args) -> None:
    """:class:`UsageError` for segmenter options that contradict each other (one line, exit 2):
    ``-a`` with a model directory, ``--dictionary`` with ``--model`` or with a statistical
    ``-a``, ``--pure`` without ``--dictionary``."""
    model_opt = "--model" if args.command == "segment" else "--segmenter"
    if getattr(args, "seg_model", None):
        if args.algorithm:
            raise UsageError(f"-a/--algorithm {args.algorithm} and {model_opt} {args.seg_model} both choose the "
                             f"segmenter: give one of them")
        if args.dictionary:
            raise UsageError(f"--dictionary and {model_opt} both choose the segmenter: give one of them "
                             f"(--dictionary makes a max-match segmenter over the word list)")
    if args.dictionary and (args.algorithm or "bimm") not in ("fmm", "bmm", "bimm"):
        raise UsageError(f"--dictionary replaces the dictionary of the max-match segmenters (fmm, bmm, bimm), "
                         f"not of {args.algorithm!r}")
    if args.pure and not args.dictionary:
        raise UsageError("--pure applies to --dictionary (a max-match segmenter over your word list)")


def _load_dictionary(path, pure: bool):
    """A word list file or a dictionary bundle directory (``cnlp train dict``)."""
    import os
    from ..dictionary import Dictionary
    if os.path.isdir(path):
        d = Dictionary.load(path)
        if pure and d.folded:
            raise UsageError(f"--pure: the dictionary bundle {path} was built with width folding "
                             f"(give the word list file instead)")
        return d
    return Dictionary.load_text(path, fold=not pure)


def _build_segmenter(args):
    from .. import get_segmenter
    check_segmenter_options(args)
    if args.dictionary:
        from ..segmentation.maxmatch import MaxMatchSegmenter
        algo = args.algorithm or "bimm"
        seg = MaxMatchSegmenter(_load_dictionary(args.dictionary, args.pure),
                               direction={"fmm": "forward", "bmm": "backward"}.get(algo, "both"),
                                atoms=not args.pure)
    elif getattr(args, "seg_model", None):
        seg = registry.load(args.seg_model)
        if not callable(getattr(seg, "segment", None)):
            opt = "--model" if args.command == "segment" else "--segmenter"
            hint = " (a dictionary bundle: give it with --dictionary)" \
                if type(seg).__name__ == "Dictionary" and args.command == "segment" else ""
            raise CnlpError(f"{opt} {args.seg_model} holds a {type(seg).__name__}, not a segmenter{hint}")
    else:
        seg = get_segmenter(args.algorithm)
    for path in args.user_dict or []:
        seg = seg.with_user_dict(path) if seg.user_dict is None else seg.with_user_dict(
            seg.user_dict.merged_with_file(path))
    return seg


#: ``--jobs`` not given: one worker per core once the input files reach this size, else one
AUTO_JOBS_BYTES = 1 << 20


def _add_batch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-j", "--jobs", type=non_negative_int, default=None,
                   help="worker processes (default: one per core for input files of 1 MB or more, else 1)")
    add_output_argument(p)
    p.add_argument("--resume", action="store_true",
                   help="with --output: continue a run that was killed (the output ends up byte-identical)")
    p.add_argument("--resume-stdin", action="store_true",
                   help="with --resume and standard input: the same input is given again (its first lines are "
                        "checked against the stopped run)")
    add_errors_argument(p)


def _jobs(args) -> int:
    if args.jobs is not None:
        return args.jobs or (os.cpu_count() or 1)
    files = args.files or ["-"]
    if "-" in files:
        return 1
    size = sum(os.path.getsize(f) for f in files if os.path.isfile(f))
    return (os.cpu_count() or 1) if size >= AUTO_JOBS_BYTES else 1


def _user_entries(seg) -> tuple:
    ud = getattr(seg, "user_dict", None)
    return tuple(ud.items()) if ud is not None else ()


def _batched(args, spec) -> bool:
    """Run ``spec`` through :mod:`cnlp.batch` when workers, an output file or resuming are asked
    for (or implied by a large input); returns False to let the caller run in this process."""
    jobs = _jobs(args)
    if jobs <= 1 and not args.output:
        if args.resume:
            raise UsageError("--resume needs --output FILE")
        return False
    if args.resume and not args.output:
        raise UsageError("--resume needs --output FILE")
    import json
    from ..batch import run_to_file
    files = args.files or ["-"]
    source = json.dumps(files)                 # the content is checked by the fingerprint of the lines read
    bar = progress_bar(args)
    last = [0]

    def progress(n_lines, n_chars):
        bar.update(n_lines - last[0])
        last[0] = n_lines
        rate = bar.format_dict.get("elapsed") or 0
        if rate:
            bar.set_postfix_str(f"{n_chars / rate:,.0f} chars/s", refresh=False)
    try:
        run_to_file(spec, command_input(args), args.output, n_jobs=jobs, resume=args.resume, progress=progress,
                    stdout=sys.stdout, source=source, stdin="-" in files, resume_stdin=args.resume_stdin)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    finally:
        bar.close()
    report_bad_lines(args)
    return True


def cmd_segment(args) -> int:
    check_output(args)
    check_segmenter_options(args)
    if not args.dictionary and args.mode == "default" and _jobs(args) > 1:
        # the workers load the model: this process only reads, orders and writes
        from ..batch import AnnotatorSpec
        ud = _cli_user_dict(args)
        if args.standard is not None:              # a wrong name fails here, before the workers start
            _build_segmenter(args).with_standard(args.standard)
        spec = AnnotatorSpec("segment", algorithm=args.algorithm, model=args.seg_model,
                             user_words=tuple(ud.items()) if ud is not None else (), format=args.delimiter,
                             keep_spaces=args.keep_spaces, standard=args.standard)
        if _batched(args, spec):
            return 0
    seg = _build_segmenter(args).with_standard(args.standard)
    if args.mode != "default":
        return _segment_search(args, seg)
    if not args.dictionary:
        from ..batch import AnnotatorSpec
        spec = AnnotatorSpec("segment", algorithm=args.algorithm, model=args.seg_model,
                             user_words=_user_entries(seg), format=args.delimiter, keep_spaces=args.keep_spaces,
                             standard=args.standard)
        if _batched(args, spec):
            return 0
    sep = args.delimiter
    # files: many lines per kernel call; standard input: each line answered as soon as it is read
    from_stdin = not args.files or "-" in args.files
    with output_stream(args) as out:
        for words in seg.segment_many(command_input(args), chunk_size=1 if from_stdin else 4096):
            if not args.keep_spaces:
                words = [w for w in words if not w.isspace()]
            out.write(sep.join(words))
            out.write("\n")
        out.flush()
    report_bad_lines(args)
    return 0


def _segment_search(args, seg) -> int:
    """``cnlp segment --mode search|full``: one output line per input line, the tokens of
    ``Segmenter.tokenize(mode=...)`` (search: each word of three or more characters preceded by the
    dictionary words inside it; full: every dictionary word at every position)."""
    if (args.jobs or 0) > 1 or args.jobs == 0 or args.resume:
        raise UsageError(f"--mode {args.mode} runs in one process (no --jobs, no --resume)")
    with output_stream(args) as out, contextlib.closing(with_progress(command_input(args), args)) as lines:
        for line in lines:
            words = [w for w, _, _ in seg.tokenize(line, mode=args.mode)]
            if not args.keep_spaces:
                words = [w for w in words if not w.isspace()]
            out.write(args.delimiter.join(words))
            out.write("\n")
        out.flush()
    report_bad_lines(args)
    return 0


def cmd_tag(args) -> int:
    """``cnlp tag``: one output line per input line (``word/TAG`` tokens, a CoNLL-U sentence, or a JSON object)."""
    from .. import get_pos_tagger
    from ..outputs import json_record
    from ..pipeline import Pipeline
    check_output(args)
    if not (args.algorithm or args.seg_model or getattr(args, "dictionary", None)):
        args.algorithm = registry.PKU_SEGMENTER          # the tagger learned PKU words
    seg = _build_segmenter(args)
    from ..batch import AnnotatorSpec
    if args.model or args.seg_model:                 # not expressible by a worker recipe: one process
        if (args.jobs or 0) > 1 or args.jobs == 0 or args.resume or args.output:
            raise UsageError("tag --model / --segmenter run in one process (no --jobs, --output or --resume)")
    elif _batched(args, AnnotatorSpec("tag", algorithm=args.algorithm, user_words=_user_entries(seg),
                                      format=args.format)):
        return 0
    pos = registry.load(args.model) if args.model else get_pos_tagger()
    if not callable(getattr(pos, "predict", None)) or hasattr(pos, "segment"):
        raise CnlpError(f"--model {args.model} holds a {type(pos).__name__}, not a POS tagger")
    if seg.user_dict is not None and hasattr(pos, "with_user_dict"):
        pos = pos.with_user_dict(seg.user_dict)
    from ..models import pku_words
    pipe = Pipeline(pku_words(seg), pos=pos)          # the POS tagger learned PKU words
    out = sys.stdout
    for line in command_input(args):
        doc = pipe(line)
        if args.format == "pd98":
            out.write(doc.to_pd98() + "\n")
        elif args.format == "json":
            out.write(json_record(doc.to_json()) + "\n")
        else:
            out.write(doc.to_conllu() or "\n")
    out.flush()
    report_bad_lines(args)
    return 0


#: shipped entity recognizers ``cnlp ner --model`` also takes by name
SHIPPED_NER = ("ner", "ner_fine")


def cmd_ner(args) -> int:
    """``cnlp ner``: one output record per input line, always."""
    from .. import get_ner
    check_output(args)
    if args.model in SHIPPED_NER and not os.path.exists(args.model):
        from ..io import model_path
        args.model = str(model_path(args.model))
    if args.model:
        from ..entities.recognizer import EntityRecognizer
        rec = registry.load(args.model)
        if not isinstance(rec, EntityRecognizer):
            raise CnlpError(f"--model {args.model} holds a {type(rec).__name__}, not an entity recognizer")
    else:
        rec = get_ner()
    rec = rec.with_expressions(not args.no_expressions)
    if args.user_dict or args.entity_dict:
        from ..dictionary import UserDictionary
        from ..entities.recognizer import EntityDictionary
        ud = None
        for path in args.user_dict or []:
            ud = UserDictionary.load(path) if ud is None else ud.merged_with_file(path)
        ed = None
        for path in args.entity_dict or []:
            ed = ed or EntityDictionary()
            ed.update_from_file(path)
        rec = rec.with_dictionaries(entities=ed if ed is not None else rec.entities,
                                    user_dict=ud if ud is not None else rec.user_dict)
    from ..batch import AnnotatorSpec
    ents = tuple(rec.entities.items()) if rec.entities is not None else ()
    if _batched(args, AnnotatorSpec("ner", model=args.model, user_words=_user_entries(rec), entities=ents,
                                    format=args.format, expressions=not args.no_expressions)):
        return 0
    out = sys.stdout
    for line in command_input(args):
        out.write(format_entities(line, rec.predict(line), args.format))
    out.flush()
    report_bad_lines(args)
    return 0
