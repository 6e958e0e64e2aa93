"""What every command shares: the option parser (one error style, option validators), input
files (none or ``-`` = stdin, the ``--errors`` policy), output (``-o FILE``, written atomically),
progress bars (``-q/--quiet``), corpus defaults and :class:`UsageError`.

Every numeric option of every command is declared with one of the validators below (never a bare
``type=int``/``type=float``), so a bad value is refused by the option parser with one line and exit
status 2 before anything is loaded."""
from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
from typing import Iterator, TextIO

from .. import progress as _progress
from ..errors import UsageError
from ..io import PD98_CORPUS, default_corpus

__all__ = ["UsageError", "PD98_CORPUS", "default_corpus", "progress_enabled", "progress_bar",
           "with_progress", "add_quiet_argument", "iter_lines", "numbered_lines", "Parser", "positive_int",
           "non_negative_int", "integer", "positive_float", "non_negative_float", "ratio", "number",
           "add_input_argument", "add_output_argument", "add_errors_argument", "finish_parser", "check_output",
           "output_stream", "command_input", "report_bad_lines", "NUMERIC_TYPES"]


# ------------------------------------------------------------------ the option parser
class Parser(argparse.ArgumentParser):
    """:class:`argparse.ArgumentParser` whose usage errors are one line on stderr,
    ``cnlp COMMAND: error: MESSAGE (see 'cnlp COMMAND --help')``, exit status 2 (sub-parsers are of
    this class too)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _number(kind, text: str, what: str, ok) -> int | float:
    try:
        v = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if isinstance(v, float) and not math.isfinite(v) or not ok(v):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return v


def positive_int(text: str) -> int:
    """An option value that is an integer >= 1 (counts, widths, epochs)."""
    return _number(int, text, "an integer >= 1", lambda v: v >= 1)


def non_negative_int(text: str) -> int:
    """An option value that is an integer >= 0."""
    return _number(int, text, "an integer >= 0", lambda v: v >= 0)


def integer(text: str) -> int:
    """Any integer (a seed)."""
    return _number(int, text, "an integer", lambda v: True)


def positive_float(text: str) -> float:
    """A finite number > 0."""
    return _number(float, text, "a number > 0", lambda v: v > 0)


def non_negative_float(text: str) -> float:
    """A finite number >= 0."""
    return _number(float, text, "a number >= 0", lambda v: v >= 0)


def ratio(text: str) -> float:
    """A fraction: 0 <= x < 1."""
    return _number(float, text, "a number in [0, 1)", lambda v: 0 <= v < 1)


def number(text: str) -> float:
    """Any finite number (a threshold that may be negative)."""
    return _number(float, text, "a number", lambda v: True)


#: the validators a numeric option is declared with (checked for every option by the tests)
NUMERIC_TYPES = (positive_int, non_negative_int, integer, positive_float, non_negative_float, ratio, number)


def add_input_argument(parser: argparse.ArgumentParser, help: str = "input files (default or -: stdin)") -> None:
    """``FILE ...``: the input files of a command; none (or ``-``) reads stdin."""
    parser.add_argument("files", nargs="*", metavar="FILE", help=help)


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    """``-o/--output FILE``: written atomically, refused when it is one of the inputs (:func:`output_stream`)."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def add_errors_argument(parser: argparse.ArgumentParser) -> None:
    """``--errors strict|replace|skip``: what a line of input that is not valid UTF-8 does (:func:`command_input`)."""
    parser.add_argument("--errors", choices=["strict", "replace", "skip"], default="strict",
                        help="a line that is not valid UTF-8: stop with an error naming it (default), decode it with "
                             "U+FFFD, or skip it; replaced or skipped lines are counted on stderr")


def _leaves(parser: argparse.ArgumentParser):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield parser
    for a in subs:
        for sp in dict.fromkeys(a.choices.values()):
            yield from _leaves(sp)


def finish_parser(parser: argparse.ArgumentParser) -> None:
    """What every command accepts: ``-q/--quiet`` on every leaf sub-parser that does not have it."""
    for leaf in _leaves(parser):
        add_quiet_argument(leaf)


def _quiet(args) -> bool:
    return args is not None and bool(getattr(args, "quiet", False))


def progress_enabled(args=None) -> bool:
    """True when a progress bar should be drawn: stderr is a terminal and ``-q/--quiet`` is not given."""
    return _progress.progress_enabled(_quiet(args))


def progress_bar(args=None, *, total=None, unit: str = " lines", desc: str | None = None):
    """:func:`cnlp.progress.progress_bar` under the command's ``-q/--quiet``."""
    return _progress.progress_bar(_quiet(args), total=total, unit=unit, desc=desc)


def with_progress(items, args=None, *, total=None, unit: str = " lines", desc: str | None = None):
    """:func:`cnlp.progress.with_progress` under the command's ``-q/--quiet``."""
    return _progress.with_progress(items, _quiet(args), total=total, unit=unit, desc=desc)


def add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bar (it is drawn on stderr only when stderr is a terminal); once."""
    if "--quiet" in parser._option_string_actions:
        return
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


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
    from ..corpus.readers import iter_stream_lines
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
    from ..corpus.readers import iter_lines as _file_lines, iter_stream_lines
    if os.fspath(path) == "-":
        return iter_stream_lines(sys.stdin.buffer, "<stdin>")
    return _file_lines(path)


def check_output(args) -> None:
    """:class:`UsageError` when the output (``-o FILE``, else stdout) is one of the input files
    (the same file, through links too): writing it would destroy the input."""
    from ..outputs import input_is_output
    out = args.output if getattr(args, "output", None) else sys.stdout
    same = input_is_output(out, getattr(args, "files", None) or ["-"], stdin=sys.stdin)
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
    from ..outputs import AtomicOutput, is_regular_target
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


def command_input(args) -> Iterator[str]:
    """The input lines of a command, decoded under its ``--errors`` policy (counted in ``args``)."""
    args._bad_lines = {}
    return iter_lines(args.files, errors=getattr(args, "errors", "strict"), counts=args._bad_lines)


def report_bad_lines(args) -> None:
    for what, n in getattr(args, "_bad_lines", {}).items():
        print(f"{getattr(args, 'prog', 'cnlp')}: {n} line(s) not valid UTF-8 were {'replaced' if what == 'replace' else 'skipped'}",
              file=sys.stderr)
