"""Output files that never destroy data: not an input, written atomically, one writer at a time,
and (for resumable runs) a progress record holding a fingerprint of the input consumed.

* :func:`input_is_output` finds an input that is the output file itself (same device and inode:
  through symlinks and hard links too), before anything is opened for writing.
* :class:`AtomicOutput` writes a regular file ``FILE`` through ``FILE.cnlp-partial`` beside it
  (the real file, when ``FILE`` is a symlink), holding an exclusive lock on it: a second writer of
  the same output is refused (:class:`OutputBusyError`). :meth:`AtomicOutput.commit` fsyncs and
  renames it over ``FILE`` in one step, so ``FILE`` holds either its old content or a complete new
  output, never a partial one.
* Pipes, FIFOs and devices (``-o /dev/null``, ``-o >(gzip > x.gz)``) are written directly
  (:func:`is_regular_target`); they cannot be resumed.
* :class:`Fingerprint` hashes the lines of the input as they are consumed (sha256 of their UTF-8
  with a newline each), with snapshots at chunk boundaries, so a progress record states exactly
  which input its lines came from.
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections import deque
from typing import Iterable, Iterator

from .errors import CnlpError

try:                                     # POSIX; elsewhere outputs are written without a lock
    import fcntl
except ImportError:                      # pragma: no cover
    fcntl = None

__all__ = ["input_is_output", "is_regular_target", "AtomicOutput", "Fingerprint", "OutputBusyError",
           "ResumeError", "PARTIAL_SUFFIX", "PROGRESS_SUFFIX", "write_file_atomic", "json_record"]

PARTIAL_SUFFIX = ".cnlp-partial"
PROGRESS_SUFFIX = ".cnlp-progress"


#: characters ``json.dumps(ensure_ascii=False)`` writes as they are that ``str.splitlines()`` breaks on
_JSON_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_record(obj) -> str:
    """``obj`` as one JSON output record, without its final newline: ``json.dumps(obj,
    ensure_ascii=False)`` with U+0085, U+2028 and U+2029 escaped (``\\u2028`` ...; the same JSON
    value), so the record is one line for every reader, ``str.splitlines()`` included (the other
    line-breaking characters, CR among them, are control characters that JSON escapes anyway)."""
    import json
    s = json.dumps(obj, ensure_ascii=False)
    if "\x85" in s or "\u2028" in s or "\u2029" in s:
        s = s.translate(_JSON_LINE_BREAKS)
    return s


class OutputBusyError(CnlpError):
    """Another process is writing the same output file."""


class ResumeError(CnlpError, ValueError):
    """A run cannot be resumed as asked (another input, other settings, an output that is not a file)."""


def _stat(path):
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def input_is_output(output, inputs: Iterable, stdin=None) -> str | None:
    """The first of ``inputs`` (paths; ``-`` is ``stdin``'s file) that is the same file as
    ``output`` (a path, or a file object such as ``sys.stdout``), compared by device and inode, so
    symlinks and hard links are seen through; None when there is none. Only regular files count
    (``/dev/null`` in and out is fine)."""
    if output is None:
        return None
    if isinstance(output, (str, bytes, os.PathLike)):
        out = _stat(output)
    else:
        try:
            out = os.fstat(output.fileno())
        except (OSError, ValueError, AttributeError):
            return None
    if out is None or not stat.S_ISREG(out.st_mode):
        return None
    for path in inputs:
        if os.fspath(path) == "-":
            try:
                st = os.fstat(stdin.fileno()) if stdin is not None else None
            except (OSError, ValueError, AttributeError):
                st = None
        else:
            st = _stat(path)
        if st is not None and (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            return os.fspath(path)
    return None


def is_regular_target(path) -> bool:
    """True when ``path`` is a regular file or does not exist yet (written through a partial file
    and renamed); False for a FIFO, a pipe (``/dev/fd/N``) or a device (written directly)."""
    st = _stat(path)
    return st is None or stat.S_ISREG(st.st_mode)


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file beside it, fsync, rename)."""
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


class AtomicOutput:
    """The partial file of the regular output ``path``, opened and locked (binary, read-write, not
    truncated: :attr:`file`). ``commit()`` renames it over the output; ``discard()`` removes it;
    ``close()`` leaves it (for ``--resume``). :class:`OutputBusyError` when another process holds
    it. The names: :attr:`target` (``path`` with symlinks resolved), :attr:`partial`,
    :attr:`progress` (the progress record beside it)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self.target = os.path.realpath(self.path)
        self.partial = self.target + PARTIAL_SUFFIX
        self.progress = self.target + PROGRESS_SUFFIX
        self.file = None
        for _ in range(100):
            fd = os.open(self.partial, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            try:
                if fcntl is not None:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except (BlockingIOError, PermissionError):
                        raise OutputBusyError(
                            f"{self.path}: another run is writing this output (its partial file "
                            f"{self.partial} is locked); wait for it to end or write to another file") from None
                # the path may have been renamed away (committed) between open and lock: retry
                now, mine = _stat(self.partial), os.fstat(fd)
                if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                    self.file = os.fdopen(fd, "r+b")
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
        raise OutputBusyError(f"{self.path}: cannot lock its partial file {self.partial}")

    def size(self) -> int:
        return os.fstat(self.file.fileno()).st_size

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())

    def commit(self) -> None:
        """fsync the partial file and rename it over the output (keeping the mode of an existing
        output); the progress record is removed after that. The lock goes with the file."""
        self.sync()
        old = _stat(self.target)
        if old is not None and stat.S_ISREG(old.st_mode):
            os.chmod(self.partial, stat.S_IMODE(old.st_mode))
        os.replace(self.partial, self.target)
        _fsync_dir(self.target)
        if os.path.exists(self.progress):
            os.remove(self.progress)
        self.close()

    def discard(self) -> None:
        """Remove the partial file and the progress record (a run that is not to be resumed)."""
        for p in (self.partial, self.progress):
            if os.path.exists(p):
                os.remove(p)
        self.close()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            if self.file is not None:
                self.commit()
        else:
            self.close()
        return False


class Fingerprint:
    """Iterate over ``lines`` while hashing them (sha256 of each line's UTF-8, lone surrogates
    kept, plus a newline). :meth:`at` gives the hex digest after the first ``n`` lines, for ``n``
    the number consumed so far or a multiple of ``every`` lines after :meth:`mark`."""

    def __init__(self, lines: Iterable[str], every: int):
        self._lines = iter(lines)
        self._h = hashlib.sha256()
        self.n = 0
        self._every = max(1, int(every))
        self._base = 0
        self._snaps: deque = deque()

    def __iter__(self) -> Iterator[str]:
        h, every = self._h, self._every
        for line in self._lines:
            h.update(line.encode("utf-8", "surrogatepass") if isinstance(line, str) else repr(line).encode())
            h.update(b"\n")
            self.n += 1
            if (self.n - self._base) % every == 0:
                self._snaps.append((self.n, h.copy()))
            yield line

    def mark(self) -> None:
        """Chunks start here: snapshots are taken every ``every`` lines from now on."""
        self._base = self.n
        self._snaps.clear()

    def at(self, n: int) -> str:
        if n == self.n:
            return self._h.hexdigest()
        while self._snaps and self._snaps[0][0] < n:
            self._snaps.popleft()
        if not self._snaps or self._snaps[0][0] != n:
            raise AssertionError(f"no input fingerprint at line {n}")   # a bug in cnlp
        return self._snaps[0][1].hexdigest()
