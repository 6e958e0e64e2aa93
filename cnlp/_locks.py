"""Fork safety: a child forked while another thread is inside cnlp's first call does not hang.

A child forked while another thread holds a lock inherits the lock held, by a thread that does not
exist in the child: whatever waits for it there waits forever. Three kinds of lock are involved in
cnlp's first call, and each is handled here with ``os.register_at_fork``:

* cnlp's own locks (the model cache, the front's process-wide objects, a user dictionary):
  every module-level lock of a ``cnlp`` module and the ``_lock`` of every object registered with
  :func:`fork_safe` is replaced by a new one in the child. State those locks guard is only ever
  published complete (a lazily loaded model is stored after it is built), so the child at worst
  loads it again.
* Numba's compiler lock (``numba.core.compiler_lock.global_compiler_lock``), held while a kernel is
  compiled or loaded from the cache (LLVM's own state included): before the fork, the forking thread
  waits for it and holds it across the fork, so no compilation is half done in the child; the
  child gets a fresh one.
* The import locks of cnlp's lazy imports (a ``cnlp`` module being imported by another thread,
  its per-module import lock held): before the fork, the forking thread waits until no ``cnlp``
  module is being imported, and holds the interpreter's import lock across the fork, so none can
  start in between.

The wait is bounded (:data:`FORK_WAIT` seconds, for a cold first compile on a slow machine); past
it the fork goes ahead as before (the child still gets fresh cnlp and Numba locks).
"""
from __future__ import annotations

import _imp
import os
import sys
import threading
import time
import weakref

_LOCK_TYPES = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}
_objects: "weakref.WeakSet" = weakref.WeakSet()

FORK_WAIT = 120.0   # seconds a fork waits for another thread's compilation or cnlp import to finish
_held: list = []    # what _before_fork acquired (released after the fork, in the parent)


def fork_safe(obj):
    """Give ``obj._lock`` (a Lock or RLock) a fresh lock in forked children; returns ``obj``."""
    _objects.add(obj)
    return obj


def _compiler_lock():
    """Numba's compiler lock object, if Numba's compiler is loaded (it is never imported here)."""
    mod = sys.modules.get("numba.core.compiler_lock")
    lock = getattr(mod, "global_compiler_lock", None)
    return lock if isinstance(getattr(lock, "_lock", None), tuple(_LOCK_TYPES)) else None


def _importing_cnlp() -> bool:
    """Whether another thread is importing a ``cnlp`` module (holds its per-module import lock, or
    the module body is still running)."""
    me = threading.get_ident()
    bootstrap = sys.modules.get("_frozen_importlib")
    locks = getattr(bootstrap, "_module_locks", None)
    if isinstance(locks, dict):
        for name, ref in list(locks.items()):
            if name == "cnlp" or name.startswith("cnlp."):
                lock = ref() if callable(ref) else None
                owner = getattr(lock, "owner", None)
                if owner is not None and owner != me:
                    return True
    for name, module in list(sys.modules.items()):
        if name == "cnlp" or name.startswith("cnlp."):
            spec = getattr(module, "__spec__", None)
            if getattr(spec, "_initializing", False) and locks is None:
                return True
    return False


def _before_fork() -> None:
    """In the forking thread: wait until no other thread compiles or imports cnlp, and keep it so."""
    deadline = time.monotonic() + FORK_WAIT
    compiler = _compiler_lock()
    while True:
        while _importing_cnlp() and time.monotonic() < deadline:
            time.sleep(0.002)
        got = compiler is None or compiler._lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
        _imp.acquire_lock()                 # no import starts between this check and the fork
        if not _importing_cnlp() or time.monotonic() >= deadline:
            if got and compiler is not None:
                _held.append(compiler._lock)
            _held.append(_imp)
            return
        _imp.release_lock()                 # an import started meanwhile (it may need the compiler): let it end
        if got and compiler is not None:
            compiler._lock.release()


def _after_fork_in_parent() -> None:
    while _held:
        lock = _held.pop()
        lock.release_lock() if lock is _imp else lock.release()


def _reset_after_fork() -> None:
    """In the child: fresh cnlp locks and a fresh Numba compiler lock."""
    if _imp in _held:
        _imp.release_lock()
    _held.clear()
    compiler = _compiler_lock()
    if compiler is not None:
        compiler._lock = threading.RLock()
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "cnlp" or name.startswith("cnlp.")):
            continue
        for attr, value in list(vars(module).items()):
            new = _LOCK_TYPES.get(type(value))
            if new is not None:
                setattr(module, attr, new())
    for obj in list(_objects):
        new = _LOCK_TYPES.get(type(getattr(obj, "_lock", None)))
        if new is not None:
            obj._lock = new()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_reset_after_fork)
