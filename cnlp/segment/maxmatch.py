"""Forward, backward and bidirectional maximum matching over the dictionary's array tries.

One ``@njit`` kernel per direction walks the trie from each position (O(n·L)). Runs of digits and
Latin letters, and runs of whitespace, are kept whole ("atoms") unless ``atoms=False`` (the pure
SIGHAN baseline). User words: forced ones are spans no other word may cross; suggested ones are
extra candidates.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..dictionary import Dictionary
from ..dictionary._kernels import longest_backward, longest_forward
from ..io import model_path
from ..text import _BMP_TABLE, _classify, _fold
from .base import Segmenter

__all__ = ["MaxMatchSegmenter", "default_fmm", "default_bmm", "default_bimm"]
DIRECTIONS = ("forward", "backward", "both")


@njit(cache=True, nogil=True, inline="always")
def _same_atom(a, b):
    if a == 4:
        return b == 4
    return (a == 2 or a == 3) and (b == 2 or b == 3)


@njit(cache=True, nogil=True)
def fmm_kernel(codes, cls, t, span_end, extra_end, atoms, out):
    """Forward maximum matching. codes: folded int32[n]; cls: int8[n]; span_end[i]: end of the
    forced span starting at i or -1; extra_end[i]: end of a suggested user word or -1;
    out: int32[n+1] receives the cut offsets. Returns the number of offsets. O(n·L)."""
    n = codes.shape[0]
    nxt = np.empty(n + 1, np.int32)
    nxt[n] = n
    for i in range(n - 1, -1, -1):
        nxt[i] = i if span_end[i] >= 0 else nxt[i + 1]
    out[0] = 0
    k = 0
    i = 0
    while i < n:
        e = span_end[i]
        if e < 0:
            lim = nxt[i]
            e = i + 1
            c = cls[i]
            if atoms and (c == 2 or c == 3 or c == 4):
                while e < lim and _same_atom(c, cls[e]):
                    e += 1
            w = longest_forward(t, codes, i, lim)
            if w > e:
                e = w
            x = extra_end[i]
            if x > e and x <= lim:
                e = x
        k += 1
        out[k] = e
        i = e
    return k + 1


@njit(cache=True, nogil=True)
def bmm_kernel(codes, cls, t, span_start, extra_start, atoms, out):
    """Backward maximum matching over the reversed-word trie ``t``. span_start[j]: start of the
    forced span ending at j or -1 (length n+1); extra_start likewise for suggested words.
    out: int32[n+1] receives the cut offsets in ascending order. Returns their number."""
    n = codes.shape[0]
    prv = np.empty(n + 1, np.int32)
    prv[0] = 0
    for j in range(1, n + 1):
        prv[j] = j if span_start[j] >= 0 else prv[j - 1]
    k = 0
    out[0] = n
    j = n
    while j > 0:
        s = span_start[j]
        if s < 0:
            lim = prv[j]
            s = j - 1
            c = cls[j - 1]
            if atoms and (c == 2 or c == 3 or c == 4):
                while s > lim and _same_atom(c, cls[s - 1]):
                    s -= 1
            w = longest_backward(t, codes, j, lim)
            if 0 <= w < s:
                s = w
            x = extra_start[j]
            if 0 <= x < s and x >= lim:
                s = x
        k += 1
        out[k] = s
        j = s
    out[:k + 1] = out[:k + 1][::-1].copy()
    return k + 1


class MaxMatchSegmenter(Segmenter):
    """Maximum-matching segmenter.

    Parameters
    ----------
    dictionary : Dictionary
    direction : {"forward", "backward", "both"}
        ``both`` (BiMM): fewer words wins, then fewer single characters, then backward.
    atoms : bool
        Keep digit/Latin runs and whitespace runs whole (default). ``False`` reproduces the
        pure SIGHAN maximum-matching baseline.
    user_dict : UserDictionary, optional

    >>> d = Dictionary.from_counts(["研究", "研究生", "生命", "起源", "命"])
    >>> MaxMatchSegmenter(d, direction="forward").segment("研究生命起源")
    ['研究生', '命', '起源']
    >>> MaxMatchSegmenter(d, direction="both").segment("研究生命起源")
    ['研究', '生命', '起源']
    """

    def __init__(self, dictionary: Dictionary, *, direction: str = "both", atoms: bool = True,
                 user_dict=None):
        if not isinstance(dictionary, Dictionary):
            raise TypeError(f"MaxMatchSegmenter expects a cnlp.dictionary.Dictionary, got {type(dictionary).__name__}")
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; choose one of {list(DIRECTIONS)}")
        self.dictionary = dictionary
        self.direction = direction
        self.atoms = bool(atoms)
        from ..dictionary import as_user_dictionary
        self.user_dict = as_user_dictionary(user_dict)

    def _spans(self, folded: np.ndarray):
        n = folded.shape[0]
        span_end = np.full(n, -1, np.int32)
        extra_end = np.full(n, -1, np.int32)
        span_start = np.full(n + 1, -1, np.int32)
        extra_start = np.full(n + 1, -1, np.int32)
        ud = self.user_dict
        if ud is not None and len(ud):
            s, e, f = ud.constraints(folded)
            span_end[s[f]] = e[f]
            span_start[e[f]] = s[f]
            sg = ~f
            # longest suggested word per start / earliest start per end (later writes win: ends ascending)
            extra_end[s[sg]] = e[sg]
            order = np.argsort(-s[sg], kind="stable")
            extra_start[e[sg][order]] = s[sg][order]
        return span_end, extra_end, span_start, extra_start

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        n = codes.shape[0]
        d = self.dictionary
        folded = _fold(codes, np.empty(n, np.int32))
        cls = _classify(codes, _BMP_TABLE, np.empty(n, np.int8))
        span_end, extra_end, span_start, extra_start = self._spans(folded)
        if not d.folded:
            folded = codes
        if self.direction != "backward":
            fo = np.empty(n + 1, np.int32)
            fo = fo[:fmm_kernel(folded, cls, d.fwd, span_end, extra_end, self.atoms, fo)]
            if self.direction == "forward":
                return fo
        bo = np.empty(n + 1, np.int32)
        bo = bo[:bmm_kernel(folded, cls, d.bwd, span_start, extra_start, self.atoms, bo)]
        if self.direction == "backward":
            return bo
        if fo.shape[0] != bo.shape[0]:
            return fo if fo.shape[0] < bo.shape[0] else bo
        single_f = int(np.count_nonzero(np.diff(fo) == 1))
        single_b = int(np.count_nonzero(np.diff(bo) == 1))
        return fo if single_f < single_b else bo

    def __repr__(self) -> str:
        return (f"MaxMatchSegmenter({self.dictionary!r}, direction={self.direction!r}, "
                f"atoms={self.atoms}, user_dict={self.user_dict!r})")


_DEFAULT_DICT = None


def default_dictionary() -> Dictionary:
    """The shipped default dictionary (``data/dict``), loaded once."""
    global _DEFAULT_DICT
    if _DEFAULT_DICT is None:
        _DEFAULT_DICT = Dictionary.load(model_path("dict"))
    return _DEFAULT_DICT


def default_fmm(user_dict=None, **kw) -> MaxMatchSegmenter:
    return MaxMatchSegmenter(default_dictionary(), direction="forward", user_dict=user_dict, **kw)


def default_bmm(user_dict=None, **kw) -> MaxMatchSegmenter:
    return MaxMatchSegmenter(default_dictionary(), direction="backward", user_dict=user_dict, **kw)


def default_bimm(user_dict=None, **kw) -> MaxMatchSegmenter:
    return MaxMatchSegmenter(default_dictionary(), direction="both", user_dict=user_dict, **kw)
