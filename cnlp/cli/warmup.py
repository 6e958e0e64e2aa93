"""``cnlp warmup``: compile every kernel of the default entry points into Numba's cache now.

A fresh install compiles each kernel at its first call (tens of seconds in all); after
``cnlp warmup`` every process loads them from the cache. ``--all`` adds the other segmentation
algorithms and new-word discovery; ``STEP`` names choose steps. A progress bar on stderr (a
terminal only, ``-q`` none); one line per step on stdout: its name and seconds.
"""
from __future__ import annotations

import argparse

from .. import _jit
from ..errors import UsageError
from ..kernel_cache import EXTRA_STEPS, STEPS, build
from .common import add_quiet_argument, progress_bar

__all__ = ["add_warmup_arguments", "warmup_main"]


def add_warmup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("steps", nargs="*", metavar="STEP",
                        help=f"steps to run (default: {' '.join(STEPS)}; others: {' '.join(EXTRA_STEPS)})")
    parser.add_argument("--all", dest="every", action="store_true",
                        help="also the other segmentation algorithms and new-word discovery")
    add_quiet_argument(parser)


def warmup_main(args) -> int:
    names = list(args.steps) or list(STEPS) + (list(EXTRA_STEPS) if args.every else [])
    unknown = [n for n in names if n not in STEPS and n not in EXTRA_STEPS]
    if unknown:
        raise UsageError(f"unknown step {unknown[0]!r}; choose from {', '.join(list(STEPS) + list(EXTRA_STEPS))}")
    with progress_bar(args, total=len(names), unit=" steps", desc="compiling") as bar:
        done = build(names, progress=bar)
    for name, seconds in done:
        print(f"{name}\t{seconds:.1f} s")
    where = _jit.cache_dir() or "beside the sources (__pycache__)"
    print(f"Numba cache: {where}")
    return 0
