"""Numba kernels of the HMM: first- and second-order Viterbi in log space.

Conventions shared by both kernels (``T`` real tags, index ``T`` is the boundary tag used
for BOS in histories and EOS as the final transition target; ``V`` known observations,
column ``V`` of the emission table is the unknown-observation distribution):

* ``obs``: int32[n]; an id outside ``0..V-1`` reads column ``V``.
* ``log_emit``: float32[T, V + 1].
* ``extra``: float32[n, T] added to each state score (0 = neutral, ``-inf`` = forbidden,
  > 0 = bonus), or shape ``(0, T)`` for none.
* ``out``: int32[n], written with the best tag path and returned.

If every path has probability zero (an ``extra`` mask that contradicts strict transitions)
the kernels still return a tag sequence: the back-pointers of the first maximum.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ._kernels import best_path


@njit(cache=True, nogil=True)
def viterbi1(obs, log_trans, log_emit, extra, out):
    """First-order Viterbi. log_trans: float32[T + 1, T + 1] (row ``T`` = from BOS, column ``T`` = to EOS).

    The HMM's scores as an emission matrix (the BOS transition folded into its first row, summed
    in float32 as the model's own recursion did) for the one Viterbi recursion of the linear models,
    :func:`cnlp.sequence._kernels.best_path`. O(n T^2) time, O(n T) memory.
    """
    n = obs.shape[0]
    T = log_emit.shape[0]
    V = log_emit.shape[1] - 1
    if n == 0:
        return out
    use_extra = extra.shape[0] == n
    em = np.empty((n, T), np.float64)
    o = obs[0]
    if o < 0 or o >= V:
        o = V
    for t in range(T):
        em[0, t] = log_trans[T, t] + log_emit[t, o]
        if use_extra:
            em[0, t] += extra[0, t]
    for i in range(1, n):
        o = obs[i]
        if o < 0 or o >= V:
            o = V
        for t in range(T):
            e = log_emit[t, o]
            if use_extra:
                e += extra[i, t]
            em[i, t] = e
    trans = np.empty((T, T), np.float64)
    end = np.empty(T, np.float64)
    for s in range(T):
        for t in range(T):
            trans[s, t] = log_trans[s, t]
        end[s] = log_trans[s, T]
    return best_path(em, trans, np.zeros(T, np.float64), end, np.zeros((0, T), np.bool_), -np.inf, out)


@njit(cache=True, nogil=True)
def viterbi2(obs, log_trans, log_emit, extra, out):
    """Second-order (trigram) Viterbi over tag pairs.

    log_trans: float32[T + 1, T + 1, T + 1], ``log_trans[a, b, c] = log P(c | a, b)``; index ``T``
    is BOS in ``a``/``b`` and EOS in ``c``. State at position i is (tag i-1, tag i), tag -1 = BOS.
    O(n T^3) time, O(n T^2) memory (int16 back-pointers).
    """
    n = obs.shape[0]
    T = log_emit.shape[0]
    V = log_emit.shape[1] - 1
    if n == 0:
        return out
    use_extra = extra.shape[0] == n
    P = T + 1                                   # previous-tag index range, T = BOS
    back = np.zeros((n, P, T), np.int16)
    cur = np.full((P, T), -np.inf)
    nxt = np.empty((P, T), np.float64)
    o = obs[0]
    if o < 0 or o >= V:
        o = V
    for c in range(T):
        cur[T, c] = log_trans[T, T, c] + log_emit[c, o]
        if use_extra:
            cur[T, c] += extra[0, c]
    for i in range(1, n):
        o = obs[i]
        if o < 0 or o >= V:
            o = V
        nxt[:, :] = -np.inf
        for b in range(T):
            for c in range(T):
                best = -np.inf
                arg = 0
                for a in range(P):
                    v = cur[a, b] + log_trans[a, b, c]
                    if v > best:
                        best = v
                        arg = a
                e = log_emit[c, o]
                if use_extra:
                    e += extra[i, c]
                nxt[b, c] = best + e
                back[i, b, c] = arg
        for a in range(P):
            for c in range(T):
                cur[a, c] = nxt[a, c]
    best = -np.inf
    bb = T
    bc = 0
    for b in range(P):
        for c in range(T):
            v = cur[b, c] + log_trans[b, c, T]
            if v > best:
                best = v
                bb = b
                bc = c
    if best == -np.inf and n > 1:               # infeasible: pick any real previous tag
        bb = 0
    out[n - 1] = bc
    for i in range(n - 1, 0, -1):
        out[i - 1] = bb
        a = back[i, bb, bc]
        bc = bb
        bb = a
    return out
