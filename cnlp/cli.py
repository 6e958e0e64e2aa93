"""Command line: ``cnlp segment | tag | ner | eval | train TASK | discover | keywords | summarize | classify``.

Sub-commands other than ``segment`` and ``eval`` are registered in :mod:`cnlp.registry`
and imported only when used.

Conventions shared by every command (documented in docs/usage.md, "Command line"): exit status 0
on success, 1 when the work fails (an unreadable or malformed input file, a bad model), 2 for a
usage error (:class:`UsageError`, argparse errors); ``-`` names stdin wherever a file is read;
``--model DIR`` replaces the default model; a ``--corpus`` left out defaults to a file under
``$CNLP_CORPORA`` (:func:`default_corpus`); progress bars (:func:`progress_bar`) go to stderr, only
when it is a terminal, and ``-q/--quiet`` turns them off.
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import io
import os
import sys
from typing import Iterator, TextIO

from . import registry
from .errors import CnlpError


class UsageError(Exception):
    """A command line that cannot run as given (bad option values, missing inputs): reported in
    one line on stderr, exit status 2. ``raise SystemExit("message")`` in a command means the same."""


def progress_enabled(args=None) -> bool:
    """True when a progress bar should be drawn: stderr is a terminal and ``-q/--quiet`` is not given."""
    if args is not None and getattr(args, "quiet", False):
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        return False


class _NoBar:
    """The do-nothing stand-in for a tqdm bar (no terminal, or ``--quiet``)."""
    format_dict: dict = {}

    def update(self, n=1):
        pass

    def set_postfix_str(self, s="", refresh=True):
        pass

    def set_description(self, desc=None, refresh=True):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(args=None, *, total=None, unit: str = " lines", desc: str | None = None):
    """A tqdm bar on stderr when :func:`progress_enabled`, else a no-op object with the same methods
    (``update``, ``set_postfix_str``, ``close``; usable as a context manager)."""
    if not progress_enabled(args):
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True, leave=False)


def with_progress(items, args=None, *, total=None, unit: str = " lines", desc: str | None = None):
    """Iterate over ``items``, advancing a :func:`progress_bar` by one per item."""
    bar = progress_bar(args, total=total, unit=unit, desc=desc)
    try:
        for item in items:
            yield item
            bar.update(1)
    finally:
        bar.close()


def add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bar (it is drawn on stderr only when stderr is a terminal)."""
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


#: the shared corpus file a training ``--corpus`` defaults to (under ``$CNLP_CORPORA``)
PD98_CORPUS = ("pd1998", "199801.txt")


def default_corpus(*parts: str, option: str = "--corpus") -> str:
    """The shared corpus file ``$CNLP_CORPORA/<parts>``, for an option left out. :class:`UsageError`
    naming the variable when it is not set; :class:`CnlpError` (exit status 1) when the file is
    not there."""
    root = os.environ.get("CNLP_CORPORA")
    rel = "/".join(parts)
    if not root:
        raise UsageError(f"give {option} PATH, or set CNLP_CORPORA to the directory of the shared corpora "
                         f"to train on $CNLP_CORPORA/{rel}")
    path = os.path.join(root, *parts)
    if not os.path.exists(path):
        raise CnlpError(f"{option} defaults to $CNLP_CORPORA/{rel}, but {path} is not there (CNLP_CORPORA={root})")
    return path


def dev_summary(log, key: str = "dev", name: str = "dev F1") -> str:
    """``", dev F1 last 0.9512 / best 0.9530"`` from a training log (possibly nested per seed), or ``""``."""
    flat, stack = [], [log]
    while stack:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            flat.append(x)
    avg = [e["averaged_dev"] for e in flat if "averaged_dev" in e]
    devs = [e[key] for e in flat if key in e and isinstance(e[key], (int, float))]
    if avg:
        return f", {name} {avg[-1]:.4f} (weights averaged over seeds)"
    if not devs:
        return ""
    return f", {name} last {devs[-1]:.4f} / best {max(devs):.4f}"


def iter_lines(paths: list[str], stdin: TextIO | None = None, errors: str = "strict",
               counts: dict | None = None) -> Iterator[str]:
    """Yield the lines (without line terminator) of ``paths`` (``-`` or none: stdin), in order.

    Invalid UTF-8 raises :class:`CorpusFormatError` naming the file and line (``errors="strict"``);
    ``"replace"`` decodes it with U+FFFD, ``"skip"`` drops the line; either way the line is counted
    in ``counts[errors]`` when a dict is given.
    """
    if errors not in ("strict", "replace", "skip"):
        raise ValueError(f"errors must be 'strict', 'replace' or 'skip', got {errors!r}")
    if not paths:
        paths = ["-"]
    from .corpus.readers import iter_stream_lines
    for path in paths:
        if path == "-":
            lines = iter_stream_lines((stdin or sys.stdin).buffer, "<stdin>", errors, counts)
            yield from (line for _, line in lines)
        else:
            with open(path, "rb") as f:
                yield from (line for _, line in iter_stream_lines(f, path, errors, counts))


def numbered_lines(path) -> Iterator[tuple[int, str]]:
    """``(lineno, line)`` of the UTF-8 file ``path``, or of stdin when ``path`` is ``-``
    (:func:`cnlp.corpus.readers.iter_lines`: 1-based numbers, no line terminators, BOM dropped)."""
    from .corpus.readers import iter_lines as _file_lines, iter_stream_lines
    if os.fspath(path) == "-":
        return iter_stream_lines(sys.stdin.buffer, "<stdin>")
    return _file_lines(path)


def _input(args) -> Iterator[str]:
    """The input lines of a command, decoded under its ``--errors`` policy (counted in ``args``)."""
    args._bad_lines = {}
    return iter_lines(args.files, errors=getattr(args, "errors", "strict"), counts=args._bad_lines)


def _report_bad_lines(args) -> None:
    for what, n in getattr(args, "_bad_lines", {}).items():
        print(f"cnlp: {n} line(s) not valid UTF-8 were {'replaced' if what == 'replace' else 'skipped'}",
              file=sys.stderr)


def _cli_user_dict(args):
    """The ``--user-dict`` files merged in order (None without any), as :func:`_build_segmenter` layers them."""
    from .dictionary import UserDictionary
    ud = None
    for path in args.user_dict or []:
        ud = UserDictionary.load(path) if ud is None else ud.merged_with_file(path)
    return ud


def _build_segmenter(args):
    from . import get_segmenter
    if args.dictionary:
        from .dictionary import Dictionary
        from .segment.maxmatch import MaxMatchSegmenter
        algo = args.algorithm or "bimm"
        if algo not in ("fmm", "bmm", "bimm"):
            raise SystemExit(f"cnlp segment: --dictionary replaces the dictionary of the max-match "
                             f"segmenters (fmm, bmm, bimm), not of {algo!r}")
        seg = MaxMatchSegmenter(Dictionary.load_text(args.dictionary, fold=not args.pure),
                               direction={"fmm": "forward", "bmm": "backward"}.get(algo, "both"),
                                atoms=not args.pure)
    elif getattr(args, "seg_model", None):
        seg = registry.load(args.seg_model)
        if not callable(getattr(seg, "segment", None)):
            opt = "--model" if args.command == "segment" else "--segmenter"
            raise CnlpError(f"{opt} {args.seg_model} holds a {type(seg).__name__}, not a segmenter")
    else:
        seg = get_segmenter(args.algorithm)
    for path in args.user_dict or []:
        seg = seg.with_user_dict(path) if seg.user_dict is None else seg.with_user_dict(
            seg.user_dict.merged_with_file(path))
    return seg


#: ``--jobs`` not given: one worker per core once the input files reach this size, else one
AUTO_JOBS_BYTES = 1 << 20


def _add_batch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes (default: one per core for input files of 1 MB or more, else 1)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--resume", action="store_true",
                   help="with --output: continue a run that was killed (the output ends up byte-identical)")
    p.add_argument("--resume-stdin", action="store_true",
                   help="with --resume and standard input: the same input is given again (its first lines are "
                        "checked against the stopped run)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--errors", choices=["strict", "replace", "skip"], default="strict",
                   help="a line that is not valid UTF-8: stop with an error naming it (default), decode it with "
                        "U+FFFD, or skip it; replaced or skipped lines are counted on stderr")


def check_output(args) -> None:
    """:class:`UsageError` when the output (``-o FILE``, else stdout) is one of the input files
    (the same file, through links too): writing it would destroy the input."""
    from .outputs import input_is_output
    out = args.output if getattr(args, "output", None) else sys.stdout
    same = input_is_output(out, args.files or ["-"], stdin=sys.stdin)
    if same is not None:
        raise UsageError(f"the output {getattr(args, 'output', None) or '(standard output)'} is the input file "
                         f"{same}; write to another file")


@contextlib.contextmanager
def output_stream(args):
    """The text stream a command writes to: ``sys.stdout``, or ``-o FILE`` written atomically
    (:class:`cnlp.outputs.AtomicOutput`; a FIFO or device directly)."""
    if not getattr(args, "output", None):
        yield sys.stdout
        return
    from .outputs import AtomicOutput, is_regular_target
    if not is_regular_target(args.output):
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            yield f
        return
    out = AtomicOutput(args.output)
    try:
        out.file.truncate()
        text = io.TextIOWrapper(out.file, encoding="utf-8", newline="")
        yield text
        text.flush()
        out.commit()
    except BaseException:
        out.discard()
        raise


def _jobs(args) -> int:
    if args.jobs is not None:
        if args.jobs < 0:
            raise SystemExit(f"cnlp: --jobs must be >= 0, got {args.jobs}")
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
            raise SystemExit("cnlp: --resume needs --output FILE")
        return False
    if args.resume and not args.output:
        raise SystemExit("cnlp: --resume needs --output FILE")
    import json
    from .batch import run_to_file
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
        run_to_file(spec, _input(args), args.output, n_jobs=jobs, resume=args.resume, progress=progress,
                    stdout=sys.stdout, source=source, stdin="-" in files, resume_stdin=args.resume_stdin)
    except ValueError as exc:
        raise SystemExit(f"cnlp: {exc}") from None
    finally:
        bar.close()
    _report_bad_lines(args)
    return True


def cmd_segment(args) -> int:
    check_output(args)
    if not args.dictionary and args.mode != "search" and _jobs(args) > 1:
        # the workers load the model: this process only reads, orders and writes
        from .batch import AnnotatorSpec
        ud = _cli_user_dict(args)
        spec = AnnotatorSpec("segment", algorithm=args.algorithm, model=args.seg_model,
                             user_words=tuple(ud.items()) if ud is not None else (), format=args.delimiter,
                             keep_spaces=args.keep_spaces)
        if _batched(args, spec):
            return 0
    seg = _build_segmenter(args)
    if args.mode == "search":
        return _segment_search(args, seg)
    if not args.dictionary:
        from .batch import AnnotatorSpec
        spec = AnnotatorSpec("segment", algorithm=args.algorithm, model=args.seg_model,
                             user_words=_user_entries(seg), format=args.delimiter, keep_spaces=args.keep_spaces)
        if _batched(args, spec):
            return 0
    sep = args.delimiter
    # files: many lines per kernel call; standard input: each line answered as soon as it is read
    from_stdin = not args.files or "-" in args.files
    with output_stream(args) as out:
        for words in seg.segment_many(_input(args), chunk_size=1 if from_stdin else 4096):
            if not args.keep_spaces:
                words = [w for w in words if not w.isspace()]
            out.write(sep.join(words))
            out.write("\n")
        out.flush()
    _report_bad_lines(args)
    return 0


def _segment_search(args, seg) -> int:
    """``cnlp segment --mode search``: one output line per input line, each word of three or more
    characters preceded by the dictionary words inside it (``Segmenter.tokenize(mode="search")``)."""
    if (args.jobs or 0) > 1 or args.jobs == 0 or args.resume:
        raise UsageError("--mode search runs in one process (no --jobs, no --resume)")
    with output_stream(args) as out, contextlib.closing(with_progress(_input(args), args)) as lines:
        for line in lines:
            words = [w for w, _, _ in seg.tokenize(line, mode="search")]
            if not args.keep_spaces:
                words = [w for w in words if not w.isspace()]
            out.write(args.delimiter.join(words))
            out.write("\n")
        out.flush()
    _report_bad_lines(args)
    return 0


def cmd_tag(args) -> int:
    """``cnlp tag``: one output line per input line (``word/TAG`` tokens, a CoNLL-U sentence, or a JSON object)."""
    import json
    from . import get_pos_tagger
    from .pipeline import Pipeline
    check_output(args)
    seg = _build_segmenter(args)
    from .batch import AnnotatorSpec
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
    pipe = Pipeline(seg, pos=pos)
    out = sys.stdout
    for line in _input(args):
        doc = pipe(line)
        if args.format == "pd98":
            out.write(doc.to_pd98() + "\n")
        elif args.format == "json":
            out.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(doc.to_conllu() or "\n")
    out.flush()
    _report_bad_lines(args)
    return 0


def format_entities(text: str, ents, fmt: str) -> str:
    """One output record of ``cnlp ner`` (with its final newline): ``bio`` one ``char<TAB>tag``
    line per character then a blank line; ``json`` a JSON list of entities; ``inline`` the text
    with ``[entity]/TYPE`` marks."""
    if fmt == "bio":
        from .ner.data import format_bio
        return format_bio(text, [(e.start, e.end, e.type) for e in ents])
    if fmt == "json":
        import json
        return json.dumps([{"text": e.text, "type": e.type, "start": e.start, "end": e.end} for e in ents],
                          ensure_ascii=False) + "\n"
    parts, pos = [], 0
    for e in ents:
        parts.append(text[pos:e.start])
        parts.append(f"[{e.text}]/{e.type}")
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts) + "\n"


def cmd_ner(args) -> int:
    """``cnlp ner``: one output record per input line, always."""
    from . import get_ner
    check_output(args)
    if args.model:
        from .ner.recognizer import EntityRecognizer
        rec = registry.load(args.model)
        if not isinstance(rec, EntityRecognizer):
            raise CnlpError(f"--model {args.model} holds a {type(rec).__name__}, not an entity recognizer")
    else:
        rec = get_ner()
    if args.user_dict or args.entity_dict:
        from .dictionary import UserDictionary
        from .ner.recognizer import EntityDictionary
        ud = None
        for path in args.user_dict or []:
            ud = UserDictionary.load(path) if ud is None else ud.merged_with_file(path)
        ed = None
        for path in args.entity_dict or []:
            ed = ed or EntityDictionary()
            ed.update_from_file(path)
        rec = rec.with_dictionaries(entities=ed if ed is not None else rec.entities,
                                    user_dict=ud if ud is not None else rec.user_dict)
    from .batch import AnnotatorSpec
    ents = tuple(rec.entities.items()) if rec.entities is not None else ()
    if _batched(args, AnnotatorSpec("ner", model=args.model, user_words=_user_entries(rec), entities=ents,
                                    format=args.format)):
        return 0
    out = sys.stdout
    for line in _input(args):
        out.write(format_entities(line, rec.predict(line), args.format))
    out.flush()
    _report_bad_lines(args)
    return 0


def cmd_eval(args) -> int:
    if "-" in (args.gold, args.words) or args.gold == args.pred == "-":
        raise UsageError("only --pred may be - (stdin)")
    if args.pred == "-":
        import shutil
        import tempfile
        with tempfile.TemporaryDirectory(prefix="cnlp-eval-") as tmp:
            path = os.path.join(tmp, "stdin")
            with open(path, "wb") as f:
                shutil.copyfileobj(sys.stdin.buffer, f)
            args.pred = path
            return _eval(args)
    return _eval(args)


def _eval(args) -> int:
    from .evaluate import evaluate_files
    if args.task == "ner":
        from .evaluate import eval_ner_cli
        print(eval_ner_cli(args.gold, args.pred))
        return 0
    if args.task == "dep":
        from .parse.evaluate import eval_dep_cli
        print(eval_dep_cli(args.gold, args.pred))
        return 0
    if args.task == "pos":
        from .evaluate import eval_pos_cli
        print(eval_pos_cli(args.gold, args.pred, args.words))
        return 0
    res = evaluate_files(args.gold, args.pred, args.words)
    for k in ("precision", "recall", "f1", "oov_rate", "oov_recall", "iv_recall"):
        print(f"{k:11s} {res[k]:.4f}")
    print(f"{'words':11s} gold={res['gold_words']} pred={res['pred_words']} correct={res['correct']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    p = argparse.ArgumentParser(prog="cnlp", description="Classical Chinese NLP toolkit.")
    p.add_argument("--version", action="version", version=f"cnlp {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("segment", help="segment text, one output line per input line")
    s.add_argument("files", nargs="*", help="input files (default: stdin)")
    s.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    s.add_argument("--dictionary", help="dictionary file replacing the default (max-match algorithms)")
    s.add_argument("--model", metavar="DIR", dest="seg_model",
                   help="a segmenter model directory (from cnlp train cws|hmm|bigram)")
    s.add_argument("--mode", choices=["default", "search"], default="default",
                   help="search: each word of 3+ characters is preceded by the dictionary words inside it "
                        "(2+ characters), as jieba's cut_for_search; the default words are all there")
    s.add_argument("--user-dict", action="append", metavar="PATH", help="user dictionary (repeatable)")
    s.add_argument("--pure", action="store_true", help="with --dictionary: no atoms and no width folding (the SIGHAN max-match baseline)")
    s.add_argument("-d", "--delimiter", default=" ", help="word delimiter in the output (default: one space)")
    s.add_argument("--keep-spaces", action="store_true", help="also print whitespace tokens")
    _add_batch_arguments(s)
    s.set_defaults(func=cmd_segment)

    g = sub.add_parser("tag", help="segment and POS-tag text, one output line per input line")
    g.add_argument("files", nargs="*", help="input files (default: stdin)")
    g.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    g.add_argument("--model", metavar="DIR", help="a POS tagger model directory (from cnlp train pos)")
    g.add_argument("--segmenter", metavar="DIR", dest="seg_model",
                   help="a segmenter model directory (from cnlp train cws|hmm|bigram)")
    g.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); a word's POS column fixes its tag")
    g.add_argument("--format", choices=["pd98", "conllu", "json"], default="pd98",
                   help="pd98: word/TAG tokens separated by single spaces (default); conllu: one sentence per "
                        "line (a blank line for an empty one); json: one object per line")
    _add_batch_arguments(g)
    g.set_defaults(func=cmd_tag, dictionary=None, pure=False)

    n = sub.add_parser("ner", help="find person (PER), place (LOC) and organization (ORG) names, one output "
                                   "record per input line")
    n.add_argument("files", nargs="*", help="input files (default: stdin)")
    n.add_argument("--format", choices=["bio", "json", "inline"], default="inline",
                   help="inline: the text with [entity]/TYPE marks (default); bio: one char<TAB>tag line per "
                        "character (BIO tags) and a blank line after each input line; json: one JSON list of "
                        "entities per line")
    n.add_argument("--model", metavar="DIR", help="an entity recognizer model directory (from cnlp train ner)")
    n.add_argument("--entity-dict", action="append", metavar="PATH",
                   help="entity dictionary, lines 'text TYPE [force|suggest]' (repeatable)")
    n.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); no entity crosses a forced word")
    _add_batch_arguments(n)
    n.set_defaults(func=cmd_ner)

    e = sub.add_parser("eval", help="score predictions against gold (cws: SIGHAN P/R/F1, OOV/IV recall; "
                                    "pos: accuracy, accuracy on unseen words, confusions; ner: exact-span "
                                    "P/R/F1 per type and micro-averaged, as conlleval; dep: CoNLL 2018 "
                                    "UPOS/XPOS/UAS/LAS)")
    e.add_argument("task", choices=["cws", "pos", "ner", "dep"])
    e.add_argument("--gold", required=True, metavar="FILE")
    e.add_argument("--pred", required=True, metavar="FILE", help="predictions (- for stdin)")
    e.add_argument("--words", help="training word list defining OOV")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("train", help="train a model (see `cnlp train TASK --help`)")
    tsub = t.add_subparsers(dest="task", required=True, metavar="TASK")
    for task, module in registry.TRAIN_TASKS.items():
        tp = tsub.add_parser(task, help=f"train the {task} model")
        tp.set_defaults(_module=module, _entry="train_main", _adder="add_train_arguments")
    for cmd, module in registry.COMMANDS.items():
        cp = sub.add_parser(cmd, help=f"{cmd} (see `cnlp {cmd} --help`)")
        cp.set_defaults(_module=module, _entry="cli_main", _adder="add_cli_arguments")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:          # Ctrl-C while starting up: no traceback either
        return 130


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # A lazily imported command adds its own arguments to its sub-parser first; then one parse
    # (so `--help` shows them, and an error is reported once).
    sp, module, adder, entry = _lazy_subparser(parser, argv)
    if sp is not None:
        mod = importlib.import_module(module)
        getattr(mod, adder)(sp)
    args = parser.parse_args(argv)
    func = getattr(importlib.import_module(args._module), args._entry) if getattr(args, "_module", None) \
        else args.func
    args.argv = argv
    return run(func, args)


def _prog(args) -> str:
    """``cnlp train cws``, ``cnlp segment`` ...: the command of ``args``, for messages."""
    words = [getattr(args, "command", None)]
    if words[0] == "train":
        words.append(getattr(args, "task", None))
    return " ".join(["cnlp"] + [w for w in words if w])


class _LineOutput(io.TextIOBase):
    """``sys.stdout`` for a command: passes on complete lines only, so an interrupted command
    never leaves half a line (what is pending is written at a normal end, dropped on Ctrl-C)."""

    def __init__(self, out):
        self._out = out
        self._pending: list[str] = []

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._out.fileno()

    def isatty(self) -> bool:
        try:
            return self._out.isatty()
        except (ValueError, OSError):         # closed (libraries may keep a reference until exit)
            return False

    @property
    def encoding(self):
        return self._out.encoding

    def write(self, s: str) -> int:
        i = s.rfind("\n")
        if i < 0:
            self._pending.append(s)
        else:
            self._out.write("".join(self._pending) + s[:i + 1])
            self._pending = [s[i + 1:]] if i + 1 < len(s) else []
        return len(s)

    def flush(self) -> None:
        self._out.flush()

    def finish(self) -> None:
        if self._pending:
            self._out.write("".join(self._pending))
            self._pending = []
        self._out.flush()

    def discard(self) -> None:
        self._pending = []


def _silence_stdout(stream) -> None:
    """Point ``stream``'s file descriptor at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run(func, args) -> int:
    """Run a command: exit status 0 on success and when the reader of stdout goes away (``| head``);
    1 with a one-line message when the work fails (cnlp errors: malformed input or model files; I/O
    errors; input that is not UTF-8; an output encoding that cannot represent the text); 2 with a
    one-line message on a usage error (:class:`UsageError`, ``SystemExit("message")``); 130 on
    Ctrl-C. Output is flushed in complete lines only."""
    real = sys.stdout
    out = _LineOutput(real) if real is not None else None
    if out is not None:
        sys.stdout = out
    try:
        status = func(args) or 0
        if out is not None:
            out.finish()
        return status
    except KeyboardInterrupt:
        if out is not None:
            out.discard()
            with contextlib.suppress(OSError, ValueError):
                real.flush()
        return 130
    except BrokenPipeError:
        _silence_stdout(real)
        return 0
    except UnicodeEncodeError as e:
        if out is not None:
            out.discard()
        enc = getattr(real, "encoding", None)
        print(f"cnlp: error: the output encoding {enc!r} cannot represent {e.object[e.start:e.end]!r}; "
              f"set PYTHONIOENCODING=utf-8", file=sys.stderr)
        return 1
    except UnicodeDecodeError as e:
        print(f"cnlp: error: input is not valid {e.encoding} ({e.reason} at byte {e.start})", file=sys.stderr)
        return 1
    except (CnlpError, OSError) as e:
        if isinstance(e, OSError) and e.errno == errno.EPIPE:
            _silence_stdout(real)
            return 0
        print(f"cnlp: error: {e}", file=sys.stderr)
        return 1
    except UsageError as e:
        if out is not None:
            out.discard()
        print(f"{_prog(args)}: error: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:                  # raise SystemExit("message") in a command: a usage error
        if not isinstance(e.code, str):
            raise
        if out is not None:
            out.discard()
        print(e.code if e.code.startswith("cnlp") else f"{_prog(args)}: error: {e.code}", file=sys.stderr)
        return 2
    finally:
        sys.stdout = real


def _lazy_subparser(parser, argv):
    """``(sub-parser, module, adder, entry)`` of the lazily loaded command named in ``argv``
    (``train TASK`` or a registered command), or ``(None, ...)``. Only the top-level options
    (``-h``, ``--version``) may come before the command name."""
    none = (None, None, None, None)
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    cmd = next((x for x in argv if not x.startswith("-")), None)
    if cmd not in action.choices:
        return none
    sp = action.choices[cmd]
    if cmd == "train":
        inner = next(a for a in sp._actions if isinstance(a, argparse._SubParsersAction))
        rest = argv[argv.index("train") + 1:]
        task = next((x for x in rest if not x.startswith("-")), None)
        if task not in inner.choices:
            return none
        return inner.choices[task], registry.TRAIN_TASKS[task], "add_train_arguments", "train_main"
    if cmd in registry.COMMANDS:
        return sp, registry.COMMANDS[cmd], "add_cli_arguments", "cli_main"
    return none


if __name__ == "__main__":
    raise SystemExit(main())
