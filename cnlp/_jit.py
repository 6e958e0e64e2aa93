"""Where Numba's on-disk kernel cache lives (imported before any cnlp kernel is compiled).

``cache=True`` kernels need a writable directory when they are *decorated* (at import): by default
Numba writes ``__pycache__`` beside the sources, then tries ``~/.cache``; with a read-only install
and no writable home ``import cnlp`` failed ("no locator available"). The rule:

1. ``NUMBA_CACHE_DIR`` if set (Numba reads it itself);
2. beside the sources when the package directory is writable (a development checkout);
3. else the per-user cache directory ``$XDG_CACHE_HOME/cnlp/numba/<sources>`` (``~/.cache/cnlp/numba/...``);
4. else ``<tempdir>/cnlp-numba-<uid>/<sources>``.

``<sources>`` is a fingerprint of the kernel files' contents (:func:`sources_fingerprint`): Numba
checks only a kernel's own file before reusing its cached machine code, while the kernels of one file
call (and inline) kernels of others; a per-user cache outlives an upgrade of the package, so each set
of kernel sources gets its own directory.

Also here, for the first calls: :func:`writable` (one array type per kernel argument),
:func:`cached` / :func:`notice` (the one-line stderr notice when a first call will compile; the
kernels are compiled ahead by :mod:`cnlp.kernel_cache`, ``cnlp warmup``).
"""
from __future__ import annotations

import importlib
import os
import sys
import tempfile
import threading
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


def sources_fingerprint() -> str:
    """16 hex digits of the SHA-256 of every kernel source file of the package (``_*kernels.py`` and
    ``_intrinsics.py``, by relative path and contents)."""
    import hashlib
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(list(root.rglob("_*kernels.py")) + [root / "_intrinsics.py"]):
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def cache_dir() -> str | None:
    """The directory chosen by the rule above (None: Numba's default, beside the sources)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    if _writable(Path(__file__).resolve().parent / "__pycache__"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    fp = sources_fingerprint()
    for d in (Path(xdg) / "cnlp" / "numba" / fp, Path(tempfile.gettempdir()) / f"cnlp-numba-{uid}" / fp):
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


def cached(dispatcher) -> bool:
    """True when Numba's on-disk cache holds machine code of ``dispatcher`` (a ``cache=True``
    kernel) for this CPU, or it is compiled in this process already: its next first call loads
    rather than compiles. (Numba keys each entry by the CPU name and features, see docs/benchmarks.md.)"""
    if dispatcher.overloads:
        return True
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    if cache_file is None:
        return True
    magic = dispatcher.targetctx.codegen().magic_tuple()
    return any(key[1] == magic for key in cache_file._load_index())


#: entry point -> its top-level kernels (module, function) whose cache tells whether a first call
#: compiles, and roughly how long that takes on an idle 2-core machine (s)
_FIRST_KERNELS = {
    "segment": ((("cnlp.segmentation._tagging_kernels", "tag_bounds"),), 5),
    "tag": ((("cnlp.pos._kernels", "tag_words"),), 8),
    "ner": ((("cnlp.entities._kernels", "tag_entities"),), 10),
    "parse": ((("cnlp.parsing._kernels", "parse_sentence"),), 15),
}


def is_cold(kernels) -> bool:
    """True when one of ``kernels`` ((module, function) pairs) has no machine code for this CPU in
    Numba's cache: its first call compiles."""
    for module, name in kernels:
        try:
            d = getattr(importlib.import_module(module), name)
            if not cached(d):
                return True
        except Exception:            # a check only: never let it break the call it announces
            return False
    return False


_building = threading.Event()


def quiet() -> None:
    """No more notices in this process (cnlp.kernel_cache.build compiles on purpose)."""
    _building.set()


_notified: set = set()


def notice(entry: str) -> None:
    """Print one line on stderr (once per entry point and process) when the first call of ``entry``
    (a key of ``_FIRST_KERNELS``) will compile its kernels; silent with ``CNLP_NO_NOTICE=1``."""
    if _building.is_set() or entry in _notified or entry not in _FIRST_KERNELS or os.environ.get("CNLP_NO_NOTICE"):
        return
    _notified.add(entry)
    kernels, seconds = _FIRST_KERNELS[entry]
    if not is_cold(kernels):
        return
    try:
        print(f"cnlp: compiling the {entry} kernels for their first use on this install (~{seconds} s or more, "
              f"once); `cnlp warmup` compiles every kernel ahead", file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass
