"""Numba kernels of the segmenter base (:mod:`cnlp.segmentation.base`): checking cut offsets, marks,
and turning the cut offsets of one text or a chunk of lines into separated words."""
from __future__ import annotations

import numpy as np
from numba import njit

from .. import _jit  # noqa: F401  (Numba cache directory, before any kernel)


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


@njit(cache=True, nogil=True)
def _has_mark(codes, marks):
    """True when some code point of int32 ``codes`` is set in bool ``marks`` (0x110000,)."""
    for i in range(codes.shape[0]):
        if marks[codes[i]]:
            return True
    return False


@njit(cache=True, nogil=True)
def _join_many(codes, offsets, b, starts, marks, zwj, check, sep):
    """The batch counterpart of ``_valid_bounds`` + :func:`cnlp.segmentation.base.keep_marks` + :func:`_interleave`.

    Line ``l`` is ``codes[offsets[l]:offsets[l + 1]]`` and its cut offsets (from 0 to its length;
    ``[0]`` for an empty line) are ``b[starts[l]:starts[l + 1]]``. Returns (first line whose offsets
    are invalid, or -1 (checked only when ``check``); the offsets without the cuts before a mark
    or after a joiner, and their ``starts``; the number of words of each line in ``buf``; ``buf``:
    the words of all lines that do not contain ``sep``, ``sep`` between consecutive words)."""
    L = offsets.shape[0] - 1
    fb = np.empty(b.shape[0], np.int32)
    fstarts = np.empty(L + 1, np.int64)
    nw = np.zeros(L, np.int64)
    bad = -1
    q = 0
    size = 0
    for ln in range(L):
        a = offsets[ln]
        n = offsets[ln + 1] - a
        s0, s1 = starts[ln], starts[ln + 1]
        fstarts[ln] = q
        if n == 0:
            fb[q] = 0
            q += 1
            continue
        if check and bad < 0:
            ok = s1 - s0 >= 2 and b[s0] == 0 and b[s1 - 1] == n
            for k in range(s0 + 1, s1):
                if b[k] <= b[k - 1]:
                    ok = False
            if not ok:
                bad = ln
                continue
        q0 = q
        for k in range(s0, s1):
            c = b[k]
            if 0 < c < n and (marks[codes[a + c]] or codes[a + c - 1] == zwj):
                continue
            fb[q] = c
            q += 1
        has_sep = False
        for i in range(a, a + n):
            if codes[i] == sep:
                has_sep = True
                break
        if not has_sep:
            nw[ln] = q - q0 - 1
            size += n + q - q0 - 1
    fstarts[L] = q
    if bad >= 0:
        return bad, fb, fstarts, nw, np.empty(0, np.int32)
    buf = np.empty(max(size - 1, 0), np.int32)
    p = 0
    for ln in range(L):
        if nw[ln] == 0:
            continue
        a = offsets[ln]
        for k in range(fstarts[ln], fstarts[ln + 1] - 1):
            if p > 0:
                buf[p] = sep
                p += 1
            for i in range(a + fb[k], a + fb[k + 1]):
                buf[p] = codes[i]
                p += 1
    return -1, fb, fstarts, nw, buf[:p]


@njit(cache=True, nogil=True)
def _valid_bounds(b, n):
    """True when int32 ``b`` goes from 0 to n in strictly increasing steps."""
    if b.shape[0] < 2 or b[0] != 0 or b[b.shape[0] - 1] != n:
        return False
    for i in range(1, b.shape[0]):
        if b[i] <= b[i - 1]:
            return False
    return True
