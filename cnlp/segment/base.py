"""The one segmenter interface: subclasses implement ``_bounds(codes)``; the rest derives.

``_bounds`` maps an int32 code-point array to int32 cut offsets ``[0, ..., n]``
(strictly increasing). Words are always slices of the caller's original ``str``, so a
segmenter cannot lose, add or reorder characters.
"""
from __future__ import annotations

import copy
from itertools import pairwise
from abc import ABC, abstractmethod
from typing import Iterable, Iterator

import numpy as np
from numba import njit

from .. import _jit  # noqa: F401  (Numba cache directory, before any kernel)

from .._marks import MARKS, ZWJ
from ..errors import CnlpError, check_str
from ..text import to_codes


_SEP = "\uffff"          # a Unicode noncharacter; texts containing it take the slicing path


@njit(cache=True, nogil=True)
def _interleave(codes, b, sep):
    """codes with ``sep`` inserted at every inner cut offset of ``b`` (int32[n + k - 1])."""
    n = codes.shape[0]
    out = np.empty(n + b.shape[0] - 2, np.int32)
    p = 0
    q = 1
    for i in range(n):
        if i == b[q] and i > 0:
            out[p] = sep
            p += 1
            q += 1
        out[p] = codes[i]
        p += 1
    return out


def cut(text: str, codes: np.ndarray, b: np.ndarray) -> list[str]:
    """The words of ``text`` between valid cut offsets ``b`` (``codes = to_codes(text)``).

    For more than a few words, the text is rebuilt once with a separator at each cut and split in
    C (about 1.5x faster than slicing word by word); texts that contain the separator are sliced.
    """
    if b.shape[0] > 6 and _SEP not in text:
        return _interleave(codes, b, 0xFFFF).tobytes().decode("utf-32-le", "surrogatepass").split(_SEP)
    return [text[i:j] for i, j in pairwise(b.tolist())]


@njit(cache=True, nogil=True)
def _has_mark(codes, marks):
    """True when some code point of int32 ``codes`` is set in bool ``marks`` (0x110000,)."""
    for i in range(codes.shape[0]):
        if marks[codes[i]]:
            return True
    return False


def keep_marks(codes: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``b`` without the cuts before a combining mark or a joiner, or after a joiner
    (:mod:`cnlp._marks`): a mark stays in the word of its base character, whatever the decoder did."""
    at = np.flatnonzero(MARKS[codes])
    after = np.flatnonzero(codes == ZWJ) + 1
    inner = np.concatenate([at, after])
    keep = ~np.isin(b, inner) | (b == 0) | (b == codes.shape[0])
    return np.ascontiguousarray(b[keep], np.int32)


@njit(cache=True, nogil=True)
def _valid_bounds(b, n):
    """True when int32 ``b`` goes from 0 to n in strictly increasing steps."""
    if b.shape[0] < 2 or b[0] != 0 or b[b.shape[0] - 1] != n:
        return False
    for i in range(1, b.shape[0]):
        if b[i] <= b[i - 1]:
            return False
    return True


class Segmenter(ABC):
    """Base class of all segmenters.

    Subclasses set ``self.user_dict`` (a :class:`cnlp.dictionary.UserDictionary` or None)
    and honour it *inside* decoding: forced words must appear whenever they occur (and do
    not cross another forced word); suggested words only gain weight.
    """

    user_dict = None
    #: True only for segmenters whose kernels produce valid offsets by construction (every step
    #: advances by at least one character and the last offset is n); others are checked per call.
    _exact_bounds = False

    @abstractmethod
    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        """int32 code points (n,) -> int32 cut offsets (k+1,), from 0 to n, strictly increasing."""

    # ---- derived API -------------------------------------------------------------------
    def bounds(self, text: str) -> np.ndarray:
        """Cut offsets of ``text`` (int32, starting at 0 and ending at ``len(text)``)."""
        text = check_str(text, "segment")
        n = len(text)
        if n == 0:
            return np.zeros(1, np.int32)
        codes = to_codes(text)
        b = self._bounds(codes)
        if b.dtype != np.int32 or not b.flags.c_contiguous:
            b = np.ascontiguousarray(b, dtype=np.int32)
        if not _valid_bounds(b, n):
            self._invalid(b, n)
        if _has_mark(codes, MARKS):
            b = keep_marks(codes, b)
        return b

    def _invalid(self, b, n):
        raise CnlpError(f"{type(self).__name__} produced invalid cut offsets for a text of "
                        f"length {n}: {b[:10]}... (this is a bug in cnlp; please report it)")

    def segment(self, text: str) -> list[str]:
        """Split ``text`` into words; ``"".join(result) == text`` always."""
        if type(text) is not str:
            check_str(text, "segment")
        n = len(text)
        if n == 0:
            return []
        codes = to_codes(text)
        b = self._bounds(codes)
        if b.dtype != np.int32 or not b.flags.c_contiguous:
            b = np.ascontiguousarray(b, dtype=np.int32)
        if not (self._exact_bounds or _valid_bounds(b, n)):
            self._invalid(b, n)
        if _has_mark(codes, MARKS):
            b = keep_marks(codes, b)
        return cut(text, codes, b)

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Yield ``(word, start, end)`` with ``text[start:end] == word``."""
        for i, j in pairwise(self.bounds(text).tolist()):
            yield text[i:j], i, j

    def segment_many(self, lines: Iterable[str]) -> Iterator[list[str]]:
        """Segment each line in order (an iterator; one result per input, never dropped).
        ``lines`` is an iterable of str, not a str (TypeError at the call)."""
        if isinstance(lines, (str, bytes, bytearray)):
            raise TypeError(f"segment_many() expects an iterable of str (lines), got {type(lines).__name__}; "
                            f"use segment() for one text")
        return map(self.segment, lines)

    def __call__(self, text: str) -> list[str]:
        return self.segment(text)

    def with_user_dict(self, user_dict) -> "Segmenter":
        """A shallow copy of this segmenter that decodes with ``user_dict`` layered on top.

        ``user_dict`` is a :class:`cnlp.dictionary.UserDictionary`, a path to a user
        dictionary file, or an iterable of words (all treated as ``mode="suggest"``).
        """
        from ..dictionary import as_user_dictionary
        clone = copy.copy(self)
        clone.user_dict = as_user_dictionary(user_dict)
        clone._on_user_dict_changed()
        return clone

    def _on_user_dict_changed(self) -> None:
        """Hook for subclasses that cache structures derived from ``user_dict``."""

    def warmup(self) -> "Segmenter":
        """Compile the Numba kernels this segmenter uses (on a tiny input) and return self."""
        self.segment("中文分词 warm-up 123")
        return self
