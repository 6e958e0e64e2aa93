"""Locks that are fresh in a forked child.

A child forked while another thread holds a lock (e.g. inside the first ``segment()`` call, which
loads the model under a lock) inherits the lock held, by a thread that does not exist in the child:
its first ``segment()`` would wait forever. After a fork, every module-level lock of a ``cnlp``
module and the ``_lock`` of every object registered with :func:`fork_safe` is replaced by a new one
(``os.register_at_fork``). State those locks guard is only ever published complete (a lazily loaded
model is stored after it is built), so the child at worst loads it again.
"""
from __future__ import annotations

import os
import sys
import threading
import weakref

_LOCK_TYPES = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}
_objects: "weakref.WeakSet" = weakref.WeakSet()


def fork_safe(obj):
    """Give ``obj._lock`` (a Lock or RLock) a fresh lock in forked children; returns ``obj``."""
    _objects.add(obj)
    return obj


def _reset_after_fork() -> None:
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
    os.register_at_fork(after_in_child=_reset_after_fork)
