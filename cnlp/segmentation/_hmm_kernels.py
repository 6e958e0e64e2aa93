"""Numba kernels of the BMES HMM segmenter (:mod:`cnlp.segmentation.hmm`): observation ids of code
points, and decoding a chunk of lines in one call."""
from __future__ import annotations

import numpy as np
from numba import njit

from .._tagset_kernels import append_bounds, bmes_bounds
from .._text_kernels import LATIN, SPACE, char_class, fold_code
from ..sequence._hmm_kernels import viterbi1, viterbi2

#: pseudo code points of the class symbols (negative, so they never collide with a real character)
SYM_LATIN, SYM_SPACE = -3, -4


@njit(cache=True, nogil=True)
def _observe(codes, table, obs_codes):
    """Observation ids (-1 = unknown) of code points, and whether any is whitespace, in one pass.

    Same mapping as ``_obs_ids(symbols(codes))``: folded code point, or the Latin / space symbol,
    looked up in the sorted ``obs_codes`` by binary search.
    """
    n = codes.shape[0]
    out = np.empty(n, np.int32)
    space = False
    m = obs_codes.shape[0]
    for i in range(n):
        c = codes[i]
        k = char_class(c, table)
        if k == LATIN:
            sym = SYM_LATIN
        elif k == SPACE:
            sym = SYM_SPACE
            space = True
        else:
            sym = fold_code(c, table)
        lo, hi = 0, m
        while lo < hi:
            mid = (lo + hi) >> 1
            if obs_codes[mid] < sym:
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo if lo < m and obs_codes[lo] == sym else -1
    return out, space


@njit(cache=True, nogil=True)
def hmm_many(codes, offsets, table, obs_codes, log_trans, log_emit):
    """:meth:`HMMSegmenter._bounds` without user words on each line ``codes[offsets[l]:offsets[l + 1]]``,
    in one call (first- or second-order model, by the shape of ``log_trans``). Returns (int32 cut
    offsets of all lines, each from 0 to its length (``[0]`` for an empty line), int64 starts (L+1,)
    of each line's offsets)."""
    L = offsets.shape[0] - 1
    T = log_emit.shape[0]
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        if z == a:
            p = append_bounds(out, p, np.zeros(1, np.int32))
            continue
        raw = codes[a:z]
        n = z - a
        obs, has_space = _observe(raw, table, obs_codes)
        extra = np.zeros((n if has_space else 0, T), np.float32)
        if has_space:                       # whitespace: a single-character word (S) each
            for i in range(n):
                if char_class(raw[i], table) == SPACE:
                    for y in range(T - 1):          # every label but S (the last, S = T - 1)
                        extra[i, y] = -np.inf
        labels = np.empty(n, np.int32)
        if log_trans.ndim == 2:
            viterbi1(obs, log_trans, log_emit, extra, labels)
        else:
            viterbi2(obs, log_trans, log_emit, extra, labels)
        p = append_bounds(out, p, bmes_bounds(labels))
    starts[L] = p
    return out[:p], starts
