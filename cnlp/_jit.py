"""Where Numba's on-disk kernel cache lives (imported before any cnlp kernel is compiled).

``cache=True`` kernels need a writable directory when they are *decorated* (at import): by default
Numba writes ``__pycache__`` beside the sources, then tries ``~/.cache``; with a read-only install
and no writable home ``import cnlp`` failed ("no locator available"). The rule:

1. ``NUMBA_CACHE_DIR`` if set (Numba reads it itself);
2. beside the sources when the package directory is writable (a development checkout);
3. else the per-user cache directory ``$XDG_CACHE_HOME/cnlp/numba`` (``~/.cache/cnlp/numba``);
4. else ``<tempdir>/cnlp-numba-<uid>``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numba


def _writable(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=d):
            pass
        return True
    except OSError:
        return False


def cache_dir() -> str | None:
    """The directory chosen by the rule above (None: Numba's default, beside the sources)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    if _writable(Path(__file__).resolve().parent / "__pycache__"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    for d in (Path(xdg) / "cnlp" / "numba", Path(tempfile.gettempdir()) / f"cnlp-numba-{uid}"):
        if _writable(d):
            return str(d)
    return None


def configure() -> None:
    d = cache_dir()
    if d is not None and not numba.config.CACHE_DIR:
        numba.config.CACHE_DIR = d


configure()


def writable(a):
    """``a`` when writable, else a writable view of it when its memory allows (no copy), else ``a``.

    Numba compiles a read-only array argument as a type of its own: a kernel called with the
    read-only code points of a Doc and with the writable ones of ``segment()`` is compiled twice.
    Kernels never write to their inputs; this only gives them one array type."""
    if a.flags.writeable:
        return a
    v = a.view()
    try:
        v.setflags(write=True)
    except ValueError:
        return a
    return v
