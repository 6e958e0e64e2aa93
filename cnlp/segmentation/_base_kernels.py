"""Numba kernels of the segmenter base (:mod:`cnlp.segmentation.base`): checking cut offsets, marks,
and turning the cut offsets of one text or a chunk of lines into separated words."""
from __future__ import annotations

import numpy as np
from numba import njit

from .. import _jit  # noqa: F401  (Numba cache directory, before any kernel)
from .._text_kernels import CN_NUM, DIGIT, SPACE, char_class


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


@njit(cache=True, nogil=True)
def space_pieces(codes, offsets, table, joined):
    """Lines cut at whitespace runs (the hard boundaries of :meth:`cnlp.segmentation.base.Segmenter`).

    Line ``l`` is ``codes[offsets[l]:offsets[l + 1]]`` (int64 ``offsets``); ``table``: the class table
    of :func:`cnlp._text_kernels.char_class`; ``joined``: bool[n] (or empty), True at a position inside a
    user word, where whitespace is not a boundary. Returns (int64 piece offsets (P + 1,) over the same
    buffer, int8 kind (P,): 1 for a whitespace run, int64 first piece of each line (L + 1,)). Pieces
    are non-empty and consecutive; an empty line has none."""
    L = offsets.shape[0] - 1
    n = codes.shape[0]
    po = np.empty(n + 1, np.int64)
    kind = np.empty(max(n, 1), np.int8)
    first = np.empty(L + 1, np.int64)
    has_j = joined.shape[0] > 0
    p = 0
    for ln in range(L):
        first[ln] = p
        i = offsets[ln]
        z = offsets[ln + 1]
        while i < z:
            sp = char_class(codes[i], table) == SPACE and not (has_j and joined[i])
            j = i + 1
            while j < z and (char_class(codes[j], table) == SPACE and not (has_j and joined[j])) == sp:
                j += 1
            po[p] = i
            kind[p] = 1 if sp else 0
            p += 1
            i = j
    first[L] = p
    po[p] = offsets[L]
    return po[:p + 1], kind[:p], first


@njit(cache=True, nogil=True)
def merge_pieces(b, starts, po, kind, first, offsets, whole):
    """Cut offsets of lines from those of their pieces (:func:`space_pieces`): piece ``k``'s offsets
    (0 .. its length) are ``b[starts[k]:starts[k + 1]]``; with ``whole`` a whitespace piece is one
    word whatever they are. Returns (int32 bounds, int64 starts (L + 1,)) as ``_bounds_many`` does
    (``[0]`` for an empty line)."""
    L = offsets.shape[0] - 1
    out = np.empty(b.shape[0] + L + 1, np.int32)
    ls = np.empty(L + 1, np.int64)
    q = 0
    for ln in range(L):
        ls[ln] = q
        base = offsets[ln]
        out[q] = 0
        q += 1
        for k in range(first[ln], first[ln + 1]):
            off = po[k] - base
            if whole and kind[k] == 1:
                out[q] = po[k + 1] - base
                q += 1
            else:
                for t in range(starts[k] + 1, starts[k + 1]):
                    out[q] = b[t] + off
                    q += 1
    ls[L] = q
    return out[:q], ls


@njit(cache=True, nogil=True)
def apply_word_spans(b, starts, offsets, ss, se, force):
    """Cut offsets of lines (as ``_bounds_many`` gives them) with expression words kept whole.

    ``ss`` / ``se``: starts and ends of the words in the coordinates of the lines' buffer (sorted,
    not overlapping, each inside one line). A forced word loses the cuts inside it and gets cuts at
    both ends; another one loses the cuts inside it where the offsets cut at both of its ends.
    Returns (int32 bounds, int64 starts (L + 1,))."""
    L = offsets.shape[0] - 1
    out = np.empty(b.shape[0] + 2 * ss.shape[0], np.int32)
    ls = np.empty(L + 1, np.int64)
    longest = 0
    for ln in range(L):
        longest = max(longest, offsets[ln + 1] - offsets[ln])
    cut = np.zeros(longest + 1, np.bool_)
    q = 0
    k = 0
    K = ss.shape[0]
    for ln in range(L):
        ls[ln] = q
        a = offsets[ln]
        n = offsets[ln + 1] - a
        while k < K and ss[k] < a:
            k += 1
        if k >= K or se[k] > a + n:
            for t in range(starts[ln], starts[ln + 1]):
                out[q] = b[t]
                q += 1
            continue
        for t in range(n + 1):
            cut[t] = False
        for t in range(starts[ln], starts[ln + 1]):
            cut[b[t]] = True
        while k < K and se[k] <= a + n:
            s = ss[k] - a
            e = se[k] - a
            if force[k] or (cut[s] and cut[e]):
                cut[s] = True
                cut[e] = True
                for t in range(s + 1, e):
                    cut[t] = False
            k += 1
        for t in range(n + 1):
            if cut[t]:
                out[q] = t
                q += 1
    ls[L] = q
    return out[:q], ls


@njit(cache=True, nogil=True, inline="always")
def _is_separator(c):
    return c == 45 or c == 47 or c == 46 or c == 58 or c == 44 or c == 37 or c == 0xFF0E or c == 0xFF0F \
        or c == 0xFF0D or c == 0xFF1A or c == 0xFF0C or c == 0xFF05


@njit(cache=True, nogil=True, inline="always")
def _maybe_line(codes, a, n, b, s0, s1, table):
    """:func:`maybe_expression_word` of the line ``codes[a:a + n]`` with cut offsets ``b[s0:s1]``."""
    for i in range(a, a + n - 1):
        if char_class(codes[i], table) == DIGIT and _is_separator(codes[i + 1]):
            return True
    for k in range(s0 + 1, s1 - 1):
        i = a + b[k]
        p = codes[i - 1]
        c = codes[i]
        if char_class(c, table) == CN_NUM:
            if char_class(p, table) == CN_NUM or p == 0x4E4B or p == 0x70B9:        # 之 点
                return True
        elif (c == 0x5E74 or c == 0x70B9) and char_class(p, table) == CN_NUM:    # 年 点
            return True
        elif (c == 0x5206 and p == 0x767E) or (c == 0x4E4B and p == 0x5206):      # 百|分 分|之
            return True
    return False


@njit(cache=True, nogil=True)
def maybe_expression_word(codes, b, table):
    """False when the cut offsets ``b`` of ``codes`` cannot change under the expression words of
    :data:`cnlp.expressions.WORDS`: no digit is followed by a separator (the forced words all have
    one) and no cut lies between two Chinese numerals, between a numeral and 年 or 点, after 之 or 点
    before a numeral, or inside 百分之 (the other words only lose the cuts inside them). The
    segmenter then skips the grammar (most lines)."""
    return _maybe_line(codes, 0, codes.shape[0], b, 0, b.shape[0], table)


@njit(cache=True, nogil=True)
def expression_lines(codes, offsets, b, starts, table):
    """:func:`maybe_expression_word` of every line of a chunk (bool (L,)): lines as ``_bounds_many``
    gives them."""
    L = offsets.shape[0] - 1
    out = np.zeros(L, np.bool_)
    for ln in range(L):
        out[ln] = _maybe_line(codes, offsets[ln], offsets[ln + 1] - offsets[ln], b, starts[ln], starts[ln + 1],
                              table)
    return out
