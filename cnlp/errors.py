"""Exception types shared by every cnlp module."""
from __future__ import annotations


class CnlpError(Exception):
    """Base class of all cnlp errors."""


class ModelFormatError(CnlpError):
    """A model, dictionary or statistics file is missing, truncated or malformed.

    The message always names the file.
    """

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class InputMismatchError(CnlpError, ValueError):
    """Two inputs that must line up (a gold file and a prediction of it) do not; the message names
    both files and the first place they differ."""


class CorpusFormatError(CnlpError, ValueError):
    """A line of a corpus or dictionary file cannot be parsed.

    The message names the file and the 1-based line number.
    """

    def __init__(self, path, lineno: int, reason: str, line: str | None = None):
        self.path = str(path)
        self.lineno = lineno
        self.reason = reason
        self.line = line
        shown = "" if line is None else f": {line[:80]!r}"
        super().__init__(f"{self.path}:{lineno}: {reason}{shown}")


class EmptyCorpusError(CnlpError, ValueError):
    """A training corpus holds nothing to learn from (empty, or no sentence of the kind needed).
    The message names the corpus; the command line reports it in one line (exit status 1)."""


def require_data(n, source, what: str = "sentences") -> None:
    """:class:`EmptyCorpusError` when ``n`` (a count) is zero: ``source`` (a path or list of
    paths) has no ``what`` to train on. Training functions call it before fitting anything."""
    if not n:
        if isinstance(source, (list, tuple)):
            source = ", ".join(map(str, source))
        raise EmptyCorpusError(f"{source}: no {what} to train on (is the corpus empty or in another format?)")


class ParameterError(CnlpError, ValueError):
    """A hyper-parameter out of its range, found by ``fit()`` before any work (the command line
    reports it in one line, exit status 1)."""


class NotFittedError(CnlpError, ValueError):
    """A model was used before ``fit()`` or ``load()``."""


class UsageError(Exception):
    """A command line that cannot run as given (bad option values, missing inputs): reported in
    one line on stderr, exit status 2. ``raise SystemExit("message")`` in a command means the same."""


def check_str(value, func: str = "segment") -> str:
    """Return ``value`` if it is a ``str``; otherwise raise a TypeError naming the expected type."""
    if isinstance(value, str):
        return value
    hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
    raise TypeError(f"{func}() expects str, got {type(value).__name__}{hint}")
