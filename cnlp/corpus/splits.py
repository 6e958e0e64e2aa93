"""The fixed train / dev / test split of a PD98 file, shared by the POS and NER experiments.

Rule (deterministic, no shuffling, so every experiment and every peer sees the same lines):

1. Take the *non-empty* lines of the file in file order (a line of only spaces/tabs is empty,
   exactly as :func:`cnlp.corpus.readers.read_pd98` skips it). Call their number ``n``.
2. The first ``floor(n * (1 - test_ratio))`` lines are the training part, the remaining lines
   (the end of the file) are the test part.
3. If ``dev_ratio > 0``, the dev part is the *last* ``floor(n_train * dev_ratio)`` lines of the
   training part (so train + dev together are always the same lines, and the test part does not
   depend on ``dev_ratio``).

Ratios are taken as the decimal numbers they are written as (``0.1`` is exactly one tenth), so
``floor`` is never off by one because of binary floating point. For ``199801.txt`` (19,484
non-empty lines) the defaults give 17,535 training and 1,949 test lines.

Sentences are ``[(word, tag), ...]`` lists as :func:`cnlp.corpus.readers.parse_pd98_line` gives
them with ``compounds="flatten"``: inside ``[中国/ns  人民/n]nt`` the inner words keep their own
tags (``中国/ns``, ``人民/n``) and the bracket tag ``nt`` is dropped.

>>> split_lines(["a/n", "", "b/v", "c/n", "d/v"], test_ratio=0.25, dev_ratio=0.34)
Split(train=[[('a', 'n')], [('b', 'v')]], dev=[[('c', 'n')]], test=[[('d', 'v')]])
"""
from __future__ import annotations

import math
import os
from fractions import Fraction
from typing import Iterable, NamedTuple

from .readers import iter_lines, parse_pd98_line

__all__ = ["Split", "split_sizes", "split_lines", "pd98_split"]


class Split(NamedTuple):
    """``(train, dev, test)``: lists of sentences (or of raw lines with ``parse=False``)."""
    train: list
    dev: list
    test: list


def _exact(ratio, name: str) -> Fraction:
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float, Fraction)):
        raise TypeError(f"{name} must be a number, got {type(ratio).__name__}")
    r = Fraction(repr(float(ratio))) if isinstance(ratio, float) else Fraction(ratio)
    if not (0 <= r < 1):
        raise ValueError(f"{name} must be in [0, 1), got {ratio!r}")
    return r


def split_sizes(n: int, *, test_ratio: float = 0.1, dev_ratio: float = 0.0) -> tuple[int, int, int]:
    """``(n_train, n_dev, n_test)`` for ``n`` non-empty lines under the module's rule.

    >>> split_sizes(19484)
    (17535, 0, 1949)
    >>> split_sizes(19484, dev_ratio=0.1)
    (15782, 1753, 1949)
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    tr, dr = _exact(test_ratio, "test_ratio"), _exact(dev_ratio, "dev_ratio")
    n_train_all = math.floor(n * (1 - tr))
    n_dev = math.floor(n_train_all * dr)
    return n_train_all - n_dev, n_dev, n - n_train_all


def split_lines(lines: Iterable[str], *, test_ratio: float = 0.1, dev_ratio: float = 0.0,
                parse: bool = True, compounds: str = "flatten", path="<lines>") -> Split:
    """Split in-memory PD98 lines (blank ones are dropped first) by the module's rule.

    Parameters
    ----------
    lines : iterable of str
        Lines in file order, with or without line terminators.
    parse : bool
        True: return ``[(word, tag), ...]`` sentences (:func:`parse_pd98_line`); False: the raw
        non-empty lines (terminators stripped).
    compounds : {"flatten", "merge"}
        Passed to :func:`parse_pd98_line`.
    path : str
        Used in :class:`~cnlp.errors.CorpusFormatError` messages (with the 1-based index of the
        line in ``lines``).
    """
    kept = []
    for lineno, line in enumerate(lines, 1):
        if not isinstance(line, str):
            raise TypeError(f"split_lines() expects str lines; item {lineno - 1} is {type(line).__name__}")
        line = line.rstrip("\r\n")
        if line.strip():
            kept.append((lineno, line))
    return _split(kept, test_ratio, dev_ratio, parse, compounds, path)


def pd98_split(path, *, test_ratio: float = 0.1, dev_ratio: float = 0.0, parse: bool = True,
               compounds: str = "flatten") -> Split:
    """The split of a PD98 file (e.g. ``corpus_path("pd1998", "199801.txt")``).

    Malformed lines raise :class:`~cnlp.errors.CorpusFormatError` naming the file and the
    physical line number. See the module docstring for the rule and :func:`split_lines` for
    ``parse`` and ``compounds``.
    """
    name = os.fspath(path)
    kept = [(lineno, line) for lineno, line in iter_lines(name) if line.strip()]
    return _split(kept, test_ratio, dev_ratio, parse, compounds, name)


def _split(kept, test_ratio, dev_ratio, parse, compounds, path) -> Split:
    n_train, n_dev, _ = split_sizes(len(kept), test_ratio=test_ratio, dev_ratio=dev_ratio)
    if parse:
        items = [parse_pd98_line(line, compounds=compounds, path=path, lineno=k) for k, line in kept]
    else:
        items = [line for _, line in kept]
    return Split(items[:n_train], items[n_train:n_train + n_dev], items[n_train + n_dev:])
