"""Command line: ``cnlp segment | tag | ner | eval | train TASK | discover | keywords | summarize | classify | parse | warmup``.

One module per command family: :mod:`cnlp.cli.segment` (``segment``, ``tag``, ``ner``),
:mod:`cnlp.cli.eval`, :mod:`cnlp.cli.train` (every ``cnlp train TASK``), :mod:`cnlp.cli.extract`
(``discover``, ``keywords``, ``summarize``), :mod:`cnlp.cli.classify`, :mod:`cnlp.cli.parse`; what
they share is in :mod:`cnlp.cli.common`. The modules of ``train TASK`` and of the commands in
:data:`COMMANDS` are imported only when used.

Conventions shared by every command (documented in docs/usage.md, "Command line"): exit status 0
on success, 1 when the work fails (an unreadable or malformed input file, a bad model), 2 for a
usage error (:class:`UsageError`, option parser errors); every error is one line on stderr,
``cnlp COMMAND: error: MESSAGE``; input files left out (or ``-``) mean stdin;
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

from ..errors import CnlpError, UsageError
from ..io import PD98_CORPUS, default_corpus
from ..entities.data import format_entities
from . import eval as _eval_cmd, segment as _segment_cmd
from .common import (Parser, add_quiet_argument, finish_parser, iter_lines, numbered_lines, progress_bar,
                     progress_enabled, with_progress)

__all__ = ["main", "run", "build_parser", "UsageError", "PD98_CORPUS", "default_corpus", "format_entities",
           "progress_enabled", "progress_bar", "with_progress", "add_quiet_argument", "iter_lines",
           "numbered_lines", "TRAIN_TASKS", "COMMANDS"]

#: ``cnlp train TASK``, each driven by ``add_TASK_arguments(parser)`` / ``TASK_main(args)`` of :mod:`cnlp.cli.train`
TRAIN_TASKS = ("dict", "stats", "bigram", "hmm", "cws", "pos", "ner", "idf", "dep")

#: other lazily loaded commands -> their module under ``cnlp.cli``, with ``add_CMD_arguments(parser)`` / ``CMD_main(args)``
COMMANDS: dict[str, str] = {
    "discover": "extract",
    "keywords": "extract",
    "summarize": "extract",
    "classify": "classify",
    "parse": "parse",
    "warmup": "warmup",
}


def _lazy(module: str, name: str) -> dict:
    """The ``set_defaults`` of a lazily loaded command: module, argument adder and entry point."""
    return {"_module": f"{__name__}.{module}", "_adder": f"add_{name}_arguments", "_entry": f"{name}_main"}


def build_parser(*, complete: bool = False) -> argparse.ArgumentParser:
    """The ``cnlp`` option parser. The options of ``train TASK`` and of the commands in
    :data:`COMMANDS` are added when the command is run; ``complete=True`` adds them all (for
    listing every command's options, as the option table of docs/usage.md is checked)."""
    from .. import __version__
    p = Parser(prog="cnlp", description="Classical Chinese NLP toolkit.")
    p.add_argument("--version", action="version", version=f"cnlp {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    _segment_cmd.add_parsers(sub)
    _eval_cmd.add_parser(sub)

    t = sub.add_parser("train", help="train a model (see `cnlp train TASK --help`)")
    tsub = t.add_subparsers(dest="task", required=True, metavar="TASK")
    for task in TRAIN_TASKS:
        tp = tsub.add_parser(task, help=f"train the {task} model")
        tp.set_defaults(**_lazy("train", task))
        if complete:
            getattr(importlib.import_module(f"{__name__}.train"), f"add_{task}_arguments")(tp)
    for cmd, module in COMMANDS.items():
        cp = sub.add_parser(cmd, help=f"{cmd} (see `cnlp {cmd} --help`)")
        cp.set_defaults(**_lazy(module, cmd))
        if complete:
            getattr(importlib.import_module(f"{__name__}.{module}"), f"add_{cmd}_arguments")(cp)
    finish_parser(p)
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
        finish_parser(sp)
    args = parser.parse_args(argv)
    func = getattr(importlib.import_module(args._module), args._entry) if getattr(args, "_module", None) \
        else args.func
    args.argv = argv
    args.prog = _prog(args)
    return run(func, args)


def _prog(args) -> str:
    """``cnlp train cws``, ``cnlp segment`` ...: the command of ``args``, for messages."""
    words = [getattr(args, "command", None)]
    if words[0] == "train":
        words.append(getattr(args, "task", None))
    elif words[0] == "classify":
        words.append(getattr(args, "action", None))
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
    Ctrl-C. Output is flushed in complete lines only. Every message is one line,
    ``cnlp COMMAND: error: MESSAGE`` (the style of the option parser's own errors)."""
    prog = _prog(args)
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
        print(f"{prog}: error: the output encoding {enc!r} cannot represent {e.object[e.start:e.end]!r}; "
              f"set PYTHONIOENCODING=utf-8", file=sys.stderr)
        return 1
    except UnicodeDecodeError as e:
        print(f"{prog}: error: input is not valid {e.encoding} ({e.reason} at byte {e.start})", file=sys.stderr)
        return 1
    except (CnlpError, OSError) as e:
        if isinstance(e, OSError) and e.errno == errno.EPIPE:
            _silence_stdout(real)
            return 0
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 1
    except UsageError as e:
        if out is not None:
            out.discard()
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:                  # raise SystemExit("message") in a command: a usage error
        if not isinstance(e.code, str):
            raise
        if out is not None:
            out.discard()
        msg = e.code
        if msg.startswith(prog + ": "):          # a message that names its command already
            msg = msg[len(prog) + 2:]
        print(msg if msg.startswith(prog + ": error:") else f"{prog}: error: {msg}", file=sys.stderr)
        return 2
    finally:
        sys.stdout = real


def _lazy_subparser(parser, argv):
    """``(sub-parser, module, adder, entry)`` of the lazily loaded command named in ``argv``
    (``train TASK`` or a command of :data:`COMMANDS`), or ``(None, ...)``. Only the top-level
    options (``-h``, ``--version``) may come before the command name."""
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
        d = _lazy("train", task)
        return inner.choices[task], d["_module"], d["_adder"], d["_entry"]
    if cmd in COMMANDS:
        d = _lazy(COMMANDS[cmd], cmd)
        return sp, d["_module"], d["_adder"], d["_entry"]
    return none


if __name__ == "__main__":
    raise SystemExit(main())
