"""Numba kernels of the linear sequence models: Viterbi over hashed features, perceptron epochs.

Shapes: X int32 (n, T) feature ids; ``index`` uint64 (F/64, 2), the rank dictionary that maps a
hashed feature id to its weight row (:func:`row_of`), or (0, 2) when the ids already are rows; ``weights`` = (W, table): W float (R, L) weight rows and an empty
table, or W uint16 (R, L) float16 bit patterns and ``table`` float32 (65536,) their values;
trans float (L, L); start, end float (L,) (``end`` may be (0,): no end scores); allowed bool (n, L)
or (0, L) for "no constraint"; bias float (n, L) added to the emissions, or (0, L) for none. All
labels are ints in [0, L).
"""
from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

from .._intrinsics import ctpop as _ctpop
from .._intrinsics import prefetch_row as _prefetch_row


@njit(cache=True, nogil=True, inline="always")
def _popcount(x):
    return np.int64(_ctpop(x))


@njit(cache=True, nogil=True, inline="always")
def row_of(f, ranked):
    """Weight row of feature id ``f`` (-1: none). ``ranked`` uint64 (F/64, 2): per 64 ids, their
    presence bits and the number of set bits before them; the row is that count plus the set bits
    before ``f`` when bit ``f`` is set. One 16-byte read (1 MB for 2**22 ids). Ids outside the
    table (a model whose features hash into more ids than it has) have no row."""
    w = f >> 6
    if w >= ranked.shape[0] or f < 0:
        return -1
    word = ranked[w, 0]
    b = np.uint64(f & 63)
    if not (word >> b) & np.uint64(1):
        return -1
    return np.int64(ranked[w, 1]) + _popcount(word & ((np.uint64(1) << b) - np.uint64(1)))


def _value(W, table, r, y):  # pragma: no cover - replaced by the overload in compiled code
    return table[W[r, y]] if table.shape[0] else W[r, y]


@overload(_value, inline="always")
def _value_impl(W, table, r, y):
    if isinstance(W.dtype, types.Integer):
        return lambda W, table, r, y: table[W[r, y]]
    return lambda W, table, r, y: W[r, y]


#: positions ahead whose weight rows :func:`emissions` asks the CPU to fetch
PREFETCH_AHEAD = 2


@njit(cache=True, nogil=True, inline="always")
def _rows_at(X, t, index, W, ring, slot):
    """ring[slot, k] = weight row of X[t, k] (-1: none), each row prefetched."""
    direct = index.shape[0] == 0
    for k in range(X.shape[1]):
        f = X[t, k]
        r = -1
        if f >= 0:
            r = f if direct else row_of(f, index)
            if r >= 0:
                _prefetch_row(W, r)
        ring[slot, k] = r


@njit(cache=True, nogil=True)
def emissions(X, index, weights, out):
    """out[t, y] = sum_k W[row(X[t, k]), y] (see the module docstring for ``index`` and
    ``weights``); ids < 0 and ids without a row are skipped. O(n·T·L).

    The rows of position ``t + PREFETCH_AHEAD`` are looked up (and prefetched) while position
    ``t`` is summed: the row reads are cache misses in a model of many MB, and this lets them
    overlap (1.5x faster for the shipped CRF segmenter; the sums are the same, in the same order)."""
    n, T = X.shape
    W, table = weights
    L = W.shape[1]
    D = PREFETCH_AHEAD
    ring = np.empty((D + 1, T), np.int64)
    for t in range(min(D, n)):
        _rows_at(X, t, index, W, ring, t % (D + 1))
    for t in range(n):
        if t + D < n:
            _rows_at(X, t + D, index, W, ring, (t + D) % (D + 1))
        slot = t % (D + 1)
        for y in range(L):
            out[t, y] = 0.0
        for k in range(T):
            r = ring[slot, k]
            if r >= 0:
                for y in range(L):
                    out[t, y] += _value(W, table, r, y)
    return out


@njit(cache=True, nogil=True)
def _masked_scores(em, trans, start, allowed, score, back):
    """The Viterbi recursion visiting only the allowed labels of each position (ascending, as the
    unmasked loop does, so ties break alike); a row without an allowed label allows all."""
    n, L = em.shape
    cand = np.empty((n, L), np.int32)
    ncand = np.empty(n, np.int32)
    for t in range(n):
        c = 0
        for y in range(L):
            if allowed[t, y]:
                cand[t, c] = y
                c += 1
        if c == 0:
            for y in range(L):
                cand[t, y] = y
            c = L
        ncand[t] = c
    for i in range(ncand[0]):
        y = cand[0, i]
        score[0, y] = start[y] + em[0, y]
    for t in range(1, n):
        for i in range(ncand[t]):
            y = cand[t, i]
            best = -2e30
            arg = 0
            for j in range(ncand[t - 1]):
                p = cand[t - 1, j]
                v = score[t - 1, p] + trans[p, y]
                if v > best:
                    best = v
                    arg = p
            score[t, y] = best + em[t, y]
            back[t, y] = arg


@njit(cache=True, nogil=True)
def viterbi(X, index, weights, trans, start, end, allowed, bias):
    """Best label sequence (int32[n]) under emissions from (X, index, weights) (+ ``bias``),
    transition, start and end scores. Where ``allowed`` is given, only allowed labels are
    visited (a row without any allowed label allows all). O(n·(T·L + C²)), C allowed labels per
    position (L without a mask)."""
    n = X.shape[0]
    L = weights[0].shape[1]
    out = np.zeros(n, np.int32)
    if n == 0:
        return out
    em = emissions(X, index, weights, np.empty((n, L), np.float64))
    if bias.shape[0] == n:
        for t in range(n):
            for y in range(L):
                em[t, y] += bias[t, y]
    return best_path(em, trans, start, end, allowed, -1e30 * 2, out)


@njit(cache=True, nogil=True)
def best_path(em, trans, start, end, allowed, floor, out):
    """The one first-order Viterbi recursion (the linear models' :func:`viterbi` and the HMM's
    :func:`cnlp.sequence._hmm_kernels.viterbi1` both decode with it): the best label path (written
    to ``out`` int32 (n,) and returned) under emission scores ``em`` float64 (n, L), transition
    scores ``trans`` (L, L), ``start`` (L,) and ``end`` (L,) or (0,) (none); where ``allowed``
    bool (n, L) is given, only allowed labels are visited. ``floor`` is the score a predecessor must
    beat (ties and all-forbidden positions go to the first label): -2e30 for the linear models
    (forbidden transitions are -1e30), -inf for the HMM. O(n·L²)."""
    n, L = em.shape
    if n == 0:
        return out
    masked = allowed.shape[0] == n
    NEG = -1e30
    score = np.full((n, L), NEG)
    back = np.zeros((n, L), np.int32)
    if not masked:
        for y in range(L):
            score[0, y] = start[y] + em[0, y]
        for t in range(1, n):
            for y in range(L):
                best = floor
                arg = 0
                for p in range(L):
                    v = score[t - 1, p] + trans[p, y]
                    if v > best:
                        best = v
                        arg = p
                score[t, y] = best + em[t, y]
                back[t, y] = arg
    else:
        _masked_scores(em, trans, start, allowed, score, back)
    if end.shape[0] == L:
        for y in range(L):
            score[n - 1, y] += end[y]
    arg = 0
    for y in range(1, L):
        if score[n - 1, y] > score[n - 1, arg]:
            arg = y
    out[n - 1] = arg
    for t in range(n - 1, 0, -1):
        out[t - 1] = back[t, out[t]]
    return out


@njit(cache=True, nogil=True)
def perceptron_epoch(X, y, offsets, order, W, U, trans, transU, start, startU, pen, step, frozen):
    """One pass of the structured perceptron over sentences ``order`` (indices into ``offsets``).

    ``X`` holds weight rows (compacted ids). ``pen``: (trans (L, L), start (L,), end (L,)) added to
    the scores while decoding (0 or -1e30: the tag set's forbidden transitions), never updated.
    ``frozen``: bool[T] feature columns that are used for decoding but never updated (or empty).

    Updates W/trans/start in place; U/transU/startU accumulate ``step * delta`` so that the
    averaged weights are ``W - U / step`` (the lazy averaging trick). Returns (step, mistakes).
    """
    L = W.shape[1]
    T = X.shape[1]
    no_mask = np.zeros((0, L), np.bool_)
    no_bias = np.zeros((0, L), np.float64)
    direct = np.zeros((0, 2), np.uint64)
    dense = (W, np.zeros(0, np.float32))
    use_frozen = frozen.shape[0] == T
    tr = np.empty((L, L), np.float64)
    st = np.empty(L, np.float64)
    mistakes = 0
    for s in order:
        a, b = offsets[s], offsets[s + 1]
        if b <= a:
            continue
        step += 1
        xs = X[a:b]
        gold = y[a:b]
        tr[:, :] = trans + pen[0]
        st[:] = start + pen[1]
        pred = viterbi(xs, direct, dense, tr, st, pen[2], no_mask, no_bias)
        wrong = False
        for t in range(b - a):
            if pred[t] != gold[t]:
                wrong = True
                break
        if not wrong:
            continue
        mistakes += 1
        for t in range(b - a):
            g, p = gold[t], pred[t]
            if g != p:
                for k in range(T):
                    f = xs[t, k]
                    if f >= 0 and not (use_frozen and frozen[k]):
                        W[f, g] += 1.0
                        U[f, g] += step
                        W[f, p] -= 1.0
                        U[f, p] -= step
            if t == 0:
                if g != p:
                    start[g] += 1.0
                    startU[g] += step
                    start[p] -= 1.0
                    startU[p] -= step
            else:
                gp, pp = gold[t - 1], pred[t - 1]
                if gp != pp or g != p:
                    trans[gp, g] += 1.0
                    transU[gp, g] += step
                    trans[pp, p] -= 1.0
                    transU[pp, p] -= step
    return step, mistakes
