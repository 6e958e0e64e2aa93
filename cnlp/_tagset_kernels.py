"""Numba kernels of the tag sets: BMES labels <-> cut offsets, forced-span label masks; and the one
home of the label layouts.

Label ids of the BMES scheme are fixed: B = 0, M = 1, E = 2, S = 3 (the shipped segmenters were
trained with them); BMES statistics add BOS = 4 and EOS = 5. The span schemes put ``O`` = 0 first,
then per entity type one block of ``parts`` labels: BIO ``B I`` (2), BIOES ``B I E S`` (4); the
role of a label in its block (:func:`span_role`) uses the BMES numbers (``I`` is ``M``), so a
position's BMES role in a span is also its BIOES offset.
"""
from __future__ import annotations

import numpy as np
from numba import njit

#: BMES label ids, their names, and the boundary ids of BMES label statistics
B, M, E, S = 0, 1, 2, 3
BMES_LABELS = "BMES"
BMES_BOS, BMES_EOS = 4, 5
#: span schemes: the ``O`` label, and the roles of each type's block (labels per type)
O = 0
ROLE_B, ROLE_I, ROLE_E, ROLE_S = B, M, E, S
BIO_ROLES, BIOES_ROLES = "BI", "BIES"
BIO_PARTS, BIOES_PARTS = 2, 4


@njit(cache=True, nogil=True, inline="always")
def bmes_role(i, s, e):
    """BMES label of position ``i`` in the word (or span) ``[s, e)``."""
    if e - s == 1:
        return S
    if i == s:
        return B
    if i == e - 1:
        return E
    return M


@njit(cache=True, nogil=True, inline="always")
def span_role(y, parts):
    """Role of span label ``y`` in its type's block (B 0, I 1, E 2, S 3), -1 for ``O``."""
    return -1 if y == O else (y - 1) % parts


@njit(cache=True, nogil=True, inline="always")
def span_type(y, parts):
    """Type index of span label ``y``, -1 for ``O``."""
    return -1 if y == O else (y - 1) // parts


@njit(cache=True, nogil=True, inline="always")
def span_label(base, i, s, e, parts):
    """Label of position ``i`` of a span ``[s, e)`` whose type's ``B`` label is ``base``."""
    if parts == BIOES_PARTS:
        return base + bmes_role(i, s, e)
    return base if i == s else base + ROLE_I


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
        if b == B or b == S or a == E or a == S:
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
        role = span_role(y, parts)
        t = span_type(y, parts)
        if cur >= 0 and (role == -1 or role == ROLE_B or role == ROLE_S or t != cur):
            starts[k], ends[k], types[k] = start, i, cur
            k += 1
            cur = -1
        if role >= 0 and cur < 0:
            cur, start = t, i
        if role == ROLE_E or role == ROLE_S:
            starts[k], ends[k], types[k] = start, i + 1, cur
            k += 1
            cur = -1
    if cur >= 0:
        starts[k], ends[k], types[k] = start, n, cur
        k += 1
    return starts[:k], ends[:k], types[:k]
