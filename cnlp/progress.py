"""Progress bars on stderr, for the command line and for long library calls.

A bar is drawn only when stderr is a terminal and ``quiet`` is false; otherwise the functions
return a do-nothing object with the same methods, so callers never test for it.
"""
from __future__ import annotations

import sys

__all__ = ["progress_enabled", "progress_bar", "with_progress", "NoBar"]


def progress_enabled(quiet: bool = False) -> bool:
    """True when a progress bar should be drawn: stderr is a terminal and ``quiet`` is false."""
    if quiet:
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        return False


class NoBar:
    """The do-nothing stand-in for a tqdm bar (no terminal, or quiet)."""
    format_dict: dict = {}

    def update(self, n=1):
        pass

    def set_postfix_str(self, s="", refresh=True):
        pass

    def set_description(self, desc=None, refresh=True):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(quiet: bool = False, *, total=None, unit: str = " lines", desc: str | None = None):
    """A tqdm bar on stderr when :func:`progress_enabled`, else a :class:`NoBar` (same methods:
    ``update``, ``set_postfix_str``, ``close``; usable as a context manager)."""
    if not progress_enabled(quiet):
        return NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True, leave=False)


def with_progress(items, quiet: bool = False, *, total=None, unit: str = " lines", desc: str | None = None):
    """Iterate over ``items``, advancing a :func:`progress_bar` by one per item."""
    bar = progress_bar(quiet, total=total, unit=unit, desc=desc)
    try:
        for item in items:
            yield item
            bar.update(1)
    finally:
        bar.close()
