"""Command line: ``cnlp segment | tag | ner | eval | train TASK | discover | keywords | summarize | classify``.

Sub-commands other than ``segment`` and ``eval`` are registered in :mod:`cnlp.registry`
and imported only when used.
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


def _input(args) -> Iterator[str]:
    """The input lines of a command, decoded under its ``--errors`` policy (counted in ``args``)."""
    args._bad_lines = {}
    return iter_lines(args.files, errors=getattr(args, "errors", "strict"), counts=args._bad_lines)


def _report_bad_lines(args) -> None:
    for what, n in getattr(args, "_bad_lines", {}).items():
        print(f"cnlp: {n} line(s) not valid UTF-8 were {'replaced' if what == 'replace' else 'skipped'}",
              file=sys.stderr)


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
    elif getattr(args, "model", None):
        seg = registry.load(args.model)
        if not callable(getattr(seg, "segment", None)):
            raise SystemExit(f"cnlp: --model {args.model} holds a {type(seg).__name__}, not a segmenter")
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
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--errors", choices=["strict", "replace", "skip"], default="strict",
                   help="a line that is not valid UTF-8: stop with an error naming it (default), decode it with "
                        "U+FFFD, or skip it; replaced or skipped lines are counted on stderr")


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
    source = json.dumps([(f, os.path.getsize(f), os.stat(f).st_mtime_ns) if f != "-" else (f, 0, 0) for f in files])
    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(unit=" lines", file=sys.stderr, dynamic_ncols=True)
    last = [0]

    def progress(n_lines, n_chars):
        if bar is not None:
            bar.update(n_lines - last[0])
            last[0] = n_lines
            rate = bar.format_dict.get("elapsed") or 0
            if rate:
                bar.set_postfix_str(f"{n_chars / rate:,.0f} chars/s", refresh=False)
    try:
        run_to_file(spec, _input(args), args.output, n_jobs=jobs, resume=args.resume, progress=progress,
                    stdout=sys.stdout, source=source)
    except ValueError as exc:
        raise SystemExit(f"cnlp: {exc}") from None
    finally:
        if bar is not None:
            bar.close()
    _report_bad_lines(args)
    return True


def cmd_segment(args) -> int:
    seg = _build_segmenter(args)
    if not args.dictionary:
        from .batch import AnnotatorSpec
        spec = AnnotatorSpec("segment", algorithm=args.algorithm, model=args.model, user_words=_user_entries(seg),
                             format=args.delimiter, keep_spaces=args.keep_spaces)
        if _batched(args, spec):
            return 0
    out = sys.stdout
    sep = args.delimiter
    for line in _input(args):
        words = seg.segment(line)
        if not args.keep_spaces:
            words = [w for w in words if not w.isspace()]
        out.write(sep.join(words))
        out.write("\n")
    out.flush()
    _report_bad_lines(args)
    return 0


def cmd_tag(args) -> int:
    """``cnlp tag``: one output line per input line (``word/TAG`` tokens, a CoNLL-U sentence, or a JSON object)."""
    import json
    from . import get_pos_tagger
    from .pipeline import Pipeline
    seg = _build_segmenter(args)
    from .batch import AnnotatorSpec
    if _batched(args, AnnotatorSpec("tag", algorithm=args.algorithm, user_words=_user_entries(seg),
                                    format=args.format)):
        return 0
    pos = get_pos_tagger()
    if seg.user_dict is not None:
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
    if _batched(args, AnnotatorSpec("ner", user_words=_user_entries(rec), entities=ents, format=args.format)):
        return 0
    out = sys.stdout
    for line in _input(args):
        out.write(format_entities(line, rec.predict(line), args.format))
    out.flush()
    _report_bad_lines(args)
    return 0


def cmd_eval(args) -> int:
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
    s.add_argument("--model", metavar="DIR", help="a segmenter model directory (from cnlp train cws|hmm|bigram)")
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
    e.add_argument("--gold", required=True)
    e.add_argument("--pred", required=True)
    e.add_argument("--words", help="training word list defining OOV")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("train", help="train a model")
    tsub = t.add_subparsers(dest="task", required=True)
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
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    # Lazily let the chosen module add its own arguments, then parse again.
    rest = [a for a in argv if a not in ("-h", "--help")]
    if not rest or rest[0] == "--version":   # bare `cnlp --help`, `cnlp --version` (or nothing)
        args = parser.parse_args(argv)
    try:   # first pass without --help, so a lazily loaded module can add its options first
        args, _ = parser.parse_known_args(rest)
    except SystemExit:
        args = parser.parse_args(argv)
    if getattr(args, "_module", None):
        mod = importlib.import_module(args._module)
        sp = _find_subparser(parser, argv)
        getattr(mod, args._adder)(sp)
        args = parser.parse_args(argv)
        func = getattr(mod, args._entry)
    else:
        args = parser.parse_args(argv)
        func = args.func
    args.argv = list(argv)
    return run(func, args)


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
    """Run a command: exit status 0 when the reader of stdout goes away (``| head``), 130 on
    Ctrl-C, 2 with a one-line message on cnlp errors, I/O errors and an output encoding that
    cannot represent the text; output is flushed in complete lines only."""
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
        return 2
    except UnicodeDecodeError as e:
        print(f"cnlp: error: input is not valid {e.encoding} ({e.reason} at byte {e.start})", file=sys.stderr)
        return 2
    except (CnlpError, OSError) as e:
        if isinstance(e, OSError) and e.errno == errno.EPIPE:
            _silence_stdout(real)
            return 0
        print(f"cnlp: error: {e}", file=sys.stderr)
        return 2
    finally:
        sys.stdout = real


def _find_subparser(parser, argv):
    """The innermost sub-parser selected by ``argv`` (``train TASK`` or a command)."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sp = action.choices[next(x for x in argv if x in action.choices)]
    if argv[argv.index(next(x for x in argv if x in action.choices))] == "train":
        inner = next(a for a in sp._actions if isinstance(a, argparse._SubParsersAction))
        rest = argv[argv.index("train") + 1:]
        sp = inner.choices[next(x for x in rest if x in inner.choices)]
    return sp


if __name__ == "__main__":
    raise SystemExit(main())
