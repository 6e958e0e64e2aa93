"""What every command shares: progress bars (``-q/--quiet``), input lines (``-`` = stdin, the
``--errors`` policy), corpus defaults and :class:`UsageError`."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator, TextIO

from .. import progress as _progress
from ..errors import UsageError
from ..io import PD98_CORPUS, default_corpus

__all__ = ["UsageError", "PD98_CORPUS", "default_corpus", "progress_enabled", "progress_bar",
           "with_progress", "add_quiet_argument", "iter_lines", "numbered_lines"]


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
    """``-q/--quiet``: no progress bar (it is drawn on stderr only when stderr is a terminal)."""
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


def command_input(args) -> Iterator[str]:
    """The input lines of a command, decoded under its ``--errors`` policy (counted in ``args``)."""
    args._bad_lines = {}
    return iter_lines(args.files, errors=getattr(args, "errors", "strict"), counts=args._bad_lines)


def report_bad_lines(args) -> None:
    for what, n in getattr(args, "_bad_lines", {}).items():
        print(f"cnlp: {n} line(s) not valid UTF-8 were {'replaced' if what == 'replace' else 'skipped'}",
              file=sys.stderr)
