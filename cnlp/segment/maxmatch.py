"""Forward, backward and bidirectional maximum matching over the dictionary's array tries.

One ``@njit`` kernel per direction walks the trie from each position (O(n·L)); BiMM runs both
in one kernel call and applies its rule there. Runs of digits and
Latin letters, and runs of whitespace, are kept whole ("atoms") unless ``atoms=False`` (the pure
SIGHAN baseline). User words: forced ones are spans no other word may cross; preferred and suggested
ones are extra candidates, and a preferred word is merged when the match cuts at both of its edges.
"""
from __future__ import annotations


import numpy as np
from numba import njit

from .._tagset_kernels import append_bounds
from ..dictionary import FORCE, PREFER, Dictionary, LayeredDictionary, merge_preferred
from ..dictionary._kernels import walk_backward, walk_forward
from ..text import _BMP_TABLE, _fold, char_class, fold_code
from .base import Segmenter

__all__ = ["MaxMatchSegmenter", "fmm_kernel", "bmm_kernel", "bimm_kernel", "fmm_many", "bmm_many", "bimm_many"]
DIRECTIONS = ("forward", "backward", "both")
_NONE = np.zeros(0, np.int32)


@njit(cache=True, nogil=True, inline="always")
def _same_atom(a, b):
    if a == 4:
        return b == 4
    return (a == 2 or a == 3) and (b == 2 or b == 3)


@njit(cache=True, nogil=True)
def prepare(raw, table, fold):
    """(codes to match, classes): folded (if ``fold``) int32[n] and int8[n] char classes, in one pass."""
    n = raw.shape[0]
    codes = np.empty(n, np.int32)
    cls = np.empty(n, np.int8)
    for i in range(n):
        c = raw[i]
        cls[i] = char_class(c, table)
        codes[i] = fold_code(c, table) if fold else c
    return codes, cls


@njit(cache=True, nogil=True)
def fmm_kernel(raw, table, fold, root, htab, word, span_end, extra_end, atoms):
    """Forward maximum matching. raw: int32[n] code points; table: int8[65536] char classes;
    fold: match width-folded codes; root, htab, word: arrays of the forward TrieArrays; span_end[i]: end of the
    forced span starting at i or -1; extra_end[i]: end of a suggested user word or -1 (both may
    be empty arrays: no user words). Returns int32 cut offsets. O(n·L).

    (Trie arrays are passed one by one: a namedtuple argument costs ~1 µs more per call.)"""
    codes, cls = prepare(raw, table, fold)
    return _fmm(codes, cls, root, htab, word, span_end, extra_end, atoms)


@njit(cache=True, nogil=True)
def _fmm(codes, cls, root, htab, word, span_end, extra_end, atoms):
    n = codes.shape[0]
    out = np.empty(n + 1, np.int32)
    user = span_end.shape[0] > 0
    nxt = np.empty(n + 1 if user else 0, np.int32)
    if user:
        nxt[n] = n
        for i in range(n - 1, -1, -1):
            nxt[i] = i if span_end[i] >= 0 else nxt[i + 1]
    out[0] = 0
    k = 0
    i = 0
    while i < n:
        e = span_end[i] if user else -1
        if e < 0:
            lim = nxt[i] if user else n
            e = i + 1
            c = cls[i]
            if atoms and (c == 2 or c == 3 or c == 4):
                while e < lim and _same_atom(c, cls[e]):
                    e += 1
            w = walk_forward(root, htab, word, codes, i, lim)
            if w > e:
                e = w
            if user:
                x = extra_end[i]
                if x > e and x <= lim:
                    e = x
        k += 1
        out[k] = e
        i = e
    return out[:k + 1]


@njit(cache=True, nogil=True)
def bmm_kernel(raw, table, fold, root, htab, word, span_start, extra_start, atoms):
    """Backward maximum matching over the reversed-word trie arrays. span_start[j]: start of the
    forced span ending at j or -1 (length n+1, or empty); extra_start likewise for suggested
    words. Returns int32 cut offsets in ascending order. O(n·L)."""
    codes, cls = prepare(raw, table, fold)
    return _bmm(codes, cls, root, htab, word, span_start, extra_start, atoms)


@njit(cache=True, nogil=True)
def _bmm(codes, cls, root, htab, word, span_start, extra_start, atoms):
    n = codes.shape[0]
    out = np.empty(n + 1, np.int32)
    user = span_start.shape[0] > 0
    prv = np.empty(n + 1 if user else 0, np.int32)
    if user:
        prv[0] = 0
        for j in range(1, n + 1):
            prv[j] = j if span_start[j] >= 0 else prv[j - 1]
    k = 0
    out[0] = n
    j = n
    while j > 0:
        s = span_start[j] if user else -1
        if s < 0:
            lim = prv[j] if user else 0
            s = j - 1
            c = cls[j - 1]
            if atoms and (c == 2 or c == 3 or c == 4):
                while s > lim and _same_atom(c, cls[s - 1]):
                    s -= 1
            w = walk_backward(root, htab, word, codes, j, lim)
            if 0 <= w < s:
                s = w
            if user:
                x = extra_start[j]
                if 0 <= x < s and x >= lim:
                    s = x
        k += 1
        out[k] = s
        j = s
    return out[:k + 1][::-1].copy()


@njit(cache=True, nogil=True)
def bimm_kernel(raw, table, fold, froot, fhtab, fword, broot, bhtab, bword,
                span_end, extra_end, span_start, extra_start, atoms):
    """Bidirectional maximum matching: FMM and BMM over one prepared array, then the BiMM rule
    (fewer words, then fewer single characters, then backward). Arguments as for
    :func:`fmm_kernel` (forward trie arrays) and :func:`bmm_kernel` (backward ones). O(n·L)."""
    codes, cls = prepare(raw, table, fold)
    fo = _fmm(codes, cls, froot, fhtab, fword, span_end, extra_end, atoms)
    bo = _bmm(codes, cls, broot, bhtab, bword, span_start, extra_start, atoms)
    if fo.shape[0] != bo.shape[0]:
        return fo if fo.shape[0] < bo.shape[0] else bo
    sf = 0
    sb = 0
    for k in range(1, fo.shape[0]):
        sf += fo[k] - fo[k - 1] == 1
        sb += bo[k] - bo[k - 1] == 1
    return fo if sf < sb else bo


@njit(cache=True, nogil=True)
def fmm_many(codes, offsets, table, fold, root, htab, word, atoms):
    """:func:`fmm_kernel` without user words on each line ``codes[offsets[l]:offsets[l + 1]]``, in
    one call. Returns (int32 cut offsets of all lines, each from 0 to its length (``[0]`` for an
    empty line), int64 starts (L+1,) of each line's offsets). Likewise :func:`bmm_many` and
    :func:`bimm_many` (one kernel per direction: each compiles only what it runs)."""
    L = offsets.shape[0] - 1
    none = np.zeros(0, np.int32)
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        r = fmm_kernel(codes[a:z], table, fold, root, htab, word, none, none, atoms) if z > a else np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts


@njit(cache=True, nogil=True)
def bmm_many(codes, offsets, table, fold, root, htab, word, atoms):
    """:func:`bmm_kernel` without user words on each line (see :func:`fmm_many`)."""
    L = offsets.shape[0] - 1
    none = np.zeros(0, np.int32)
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        r = bmm_kernel(codes[a:z], table, fold, root, htab, word, none, none, atoms) if z > a else np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts


@njit(cache=True, nogil=True)
def bimm_many(codes, offsets, table, fold, froot, fhtab, fword, broot, bhtab, bword, atoms):
    """:func:`bimm_kernel` without user words on each line (see :func:`fmm_many`)."""
    L = offsets.shape[0] - 1
    none = np.zeros(0, np.int32)
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        if z > a:
            r = bimm_kernel(codes[a:z], table, fold, froot, fhtab, fword, broot, bhtab, bword,
                            none, none, none, none, atoms)
        else:
            r = np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts


class MaxMatchSegmenter(Segmenter):
    """Maximum-matching segmenter.

    Parameters
    ----------
    dictionary : Dictionary or LayeredDictionary
        Words to match (a LayeredDictionary is flattened, and re-flattened when a layer changes).
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

    _exact_bounds = True     # fmm/bmm kernels advance >= 1 char per step and end at n

    def __init__(self, dictionary: Dictionary, *, direction: str = "both", atoms: bool = True,
                 user_dict=None):
        if not isinstance(dictionary, (Dictionary, LayeredDictionary)):
            raise TypeError(f"MaxMatchSegmenter expects a cnlp.dictionary.Dictionary or LayeredDictionary, "
                            f"got {type(dictionary).__name__}")
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; choose one of {list(DIRECTIONS)}")
        self.dictionary = dictionary
        self.direction = direction
        self.atoms = bool(atoms)
        from ..dictionary import as_user_dictionary
        self.user_dict = as_user_dictionary(user_dict)

    def _spans(self, codes: np.ndarray):
        ud = self.user_dict
        n = codes.shape[0]
        folded = _fold(codes, _BMP_TABLE, np.empty(n, np.int32))
        span_end = np.full(n, -1, np.int32)
        extra_end = np.full(n, -1, np.int32)
        span_start = np.full(n + 1, -1, np.int32)
        extra_start = np.full(n + 1, -1, np.int32)
        s, e, m, _ = ud.spans(folded)
        f = m == FORCE
        span_end[s[f]] = e[f]
        span_start[e[f]] = s[f]
        sg = ~f
        # longest preferred/suggested word per start / earliest start per end (later writes win: ends ascending)
        extra_end[s[sg]] = e[sg]
        order = np.argsort(-s[sg], kind="stable")
        extra_start[e[sg][order]] = s[sg][order]
        pf = m == PREFER
        return span_end, extra_end, span_start, extra_start, ((s[pf], e[pf]) if pf.any() else None)

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        d = self.dictionary
        if type(d) is not Dictionary:
            d = d.flatten()                        # LayeredDictionary: cached until a layer changes
        ud = self.user_dict
        prefer = None
        if ud is None or not ud._entries:          # the common, fast path
            span_end = extra_end = span_start = extra_start = _NONE
        else:
            span_end, extra_end, span_start, extra_start, prefer = self._spans(codes)
        f, b = d.fwd, d.bwd
        if self.direction == "forward":
            out = fmm_kernel(codes, _BMP_TABLE, d.folded, f.root, f.htab, f.word, span_end, extra_end, self.atoms)
        elif self.direction == "backward":
            out = bmm_kernel(codes, _BMP_TABLE, d.folded, b.root, b.htab, b.word,
                             span_start, extra_start, self.atoms)
        else:
            out = bimm_kernel(codes, _BMP_TABLE, d.folded, f.root, f.htab, f.word, b.root, b.htab, b.word,
                              span_end, extra_end, span_start, extra_start, self.atoms)
        if prefer is not None:
            out = merge_preferred(out, codes.shape[0], *prefer)
        return out

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray):
        d = self.dictionary
        if type(d) is not Dictionary:
            d = d.flatten()
        f, b = d.fwd, d.bwd
        if self.direction == "forward":
            return fmm_many(codes, offsets, _BMP_TABLE, d.folded, f.root, f.htab, f.word, self.atoms)
        if self.direction == "backward":
            return bmm_many(codes, offsets, _BMP_TABLE, d.folded, b.root, b.htab, b.word, self.atoms)
        return bimm_many(codes, offsets, _BMP_TABLE, d.folded, f.root, f.htab, f.word, b.root, b.htab, b.word,
                         self.atoms)

    def __repr__(self) -> str:
        return (f"MaxMatchSegmenter({self.dictionary!r}, direction={self.direction!r}, "
                f"atoms={self.atoms}, user_dict={self.user_dict!r})")
