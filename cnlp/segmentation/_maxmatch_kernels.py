"""Numba kernels of maximum matching (:mod:`cnlp.segmentation.maxmatch`): forward, backward and
bidirectional matching over the dictionary's array tries, one call per text or per chunk of lines."""
from __future__ import annotations

import numpy as np
from numba import njit

from .._tagset_kernels import append_bounds
from .._text_kernels import SPACE, char_class, fold_code, is_atom_class, same_atom
from ..dictionary._kernels import walk_backward, walk_forward


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
            if atoms and (is_atom_class(c) or c == SPACE):
                while e < lim and same_atom(c, cls[e]):
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
            if atoms and (is_atom_class(c) or c == SPACE):
                while s > lim and same_atom(c, cls[s - 1]):
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
