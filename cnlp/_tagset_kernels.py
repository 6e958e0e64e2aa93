"""Numba kernels of the tag sets: BMES labels <-> cut offsets, forced-span label masks.

Label ids of the BMES scheme are fixed: B = 0, M = 1, E = 2, S = 3 (the shipped segmenters were
trained with them).
"""
from __future__ import annotations

import numpy as np
from numba import njit

B, M, E, S = 0, 1, 2, 3


@njit(cache=True, nogil=True, inline="always")
def append_bounds(out, p, r):
    """Copy one line's cut offsets ``r`` into ``out`` at ``p``; returns the next free position. The
    batch kernels (``*_many``) give an empty line the offsets ``[0]`` (``np.zeros(1, np.int32)``)."""
    out[p:p + r.shape[0]] = r
    return p + r.shape[0]


@njit(cache=True, nogil=True)
def bmes_bounds(labels):
    """int32 cut offsets (k+1,) from BMES label ids (n,); lenient: a word starts at B or S and
    after E or S, so any label sequence gives valid offsets. O(n)."""
    n = labels.shape[0]
    out = np.empty(n + 1, np.int32)
    k = 0
    out[0] = 0
    for i in range(1, n):
        a, b = labels[i - 1], labels[i]
        if b == 0 or b == 3 or a == 2 or a == 3:
            k += 1
            out[k] = i
    k += 1
    out[k] = n
    return out[:k + 1]


@njit(cache=True, nogil=True)
def bmes_of_bounds(bounds, out):
    """Fill int32 ``out`` (n,) with the BMES labels of the words between cut offsets ``bounds``."""
    for w in range(bounds.shape[0] - 1):
        s, e = bounds[w], bounds[w + 1]
        if e - s == 1:
            out[s] = S
        else:
            out[s] = B
            for p in range(s + 1, e - 1):
                out[p] = M
            out[e - 1] = E
    return out


@njit(cache=True, nogil=True)
def force_spans(mask, starts, ends):
    """Restrict the BMES ``mask`` (bool (n, 4), modified in place) so that each span
    ``[starts[i], ends[i])`` is one word: ``S`` or ``B M* E`` inside, a word end before it and a
    word start after it. Spans must not overlap. Rows never end up empty. O(n + total span length)."""
    n = mask.shape[0]
    for i in range(starts.shape[0]):
        s, e = starts[i], ends[i]
        for p in range(s, e):
            for y in range(4):
                mask[p, y] = False
        if e - s == 1:
            mask[s, S] = True
        else:
            mask[s, B] = True
            for p in range(s + 1, e - 1):
                mask[p, M] = True
            mask[e - 1, E] = True
        if s > 0:
            mask[s - 1, B] = False
            mask[s - 1, M] = False
        if e < n:
            mask[e, M] = False
            mask[e, E] = False
    for p in range(n):
        empty = True
        for y in range(4):
            if mask[p, y]:
                empty = False
        if empty:
            for y in range(4):
                mask[p, y] = True
    return mask


@njit(cache=True, nogil=True)
def class_runs(classes, cls):
    """(starts, ends) int64 of the maximal runs of ``classes == cls`` (int8 classes (n,))."""
    n = classes.shape[0]
    count = 0
    for i in range(n):
        if classes[i] == cls and (i == 0 or classes[i - 1] != cls):
            count += 1
    starts = np.empty(count, np.int64)
    ends = np.empty(count, np.int64)
    k = 0
    for i in range(n):
        if classes[i] == cls:
            if i == 0 or classes[i - 1] != cls:
                starts[k] = i
            if i == n - 1 or classes[i + 1] != cls:
                ends[k] = i + 1
                k += 1
    return starts, ends


@njit(cache=True, nogil=True)
def entity_spans(labels, parts):
    """(starts, ends, type ids) int32 of the entity spans of BIO (``parts`` 2) or BIOES (4) label
    ids (0 = O, then ``parts`` labels per type in the order B, I[, E, S]), read leniently as
    conlleval reads chunks: a span starts at B/S, or at I/E after O or another type, and ends
    before O, B, S or another type, or after E/S. O(n)."""
    n = labels.shape[0]
    starts = np.empty(n, np.int32)
    ends = np.empty(n, np.int32)
    types = np.empty(n, np.int32)
    k = 0
    cur = -1
    start = 0
    for i in range(n):
        y = labels[i]
        role = -1 if y == 0 else (y - 1) % parts
        t = -1 if y == 0 else (y - 1) // parts
        if cur >= 0 and (role == -1 or role == 0 or role == 3 or t != cur):
            starts[k], ends[k], types[k] = start, i, cur
            k += 1
            cur = -1
        if role >= 0 and cur < 0:
            cur, start = t, i
        if role == 2 or role == 3:
            starts[k], ends[k], types[k] = start, i + 1, cur
            k += 1
            cur = -1
    if cur >= 0:
        starts[k], ends[k], types[k] = start, n, cur
        k += 1
    return starts[:k], ends[:k], types[:k]
