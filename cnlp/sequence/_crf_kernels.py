"""Numba kernels of the linear-chain CRF: log-space forward-backward, corpus NLL and gradient.

Same parameterisation as the perceptron (:mod:`cnlp.sequence._kernels`): label y at position t
scores ``sum_k W[X[t, k], y]`` (ids < 0 skipped) + ``trans[y_prev, y]`` (+ ``start[y]`` at t = 0).

Log space without L² exponentials per position: alpha/beta are kept as logs, and one step is
``alpha[t, y] = em[t, y] + m + tmax + log(sum_p exp(alpha[t-1, p] - m) * E[p, y])`` with
``m = max_p alpha[t-1, p]`` and ``E = exp(trans - tmax)`` computed once per sentence, i.e. L
exponentials and L logarithms per position instead of L² (both factors are <= 1, so nothing
overflows; an underflow only zeroes a path weight that is below e^-700 anyway).

Corpus layout: X int32 (N, T) of all sentences concatenated, offsets int64 (S+1,).
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._kernels import emissions


@njit(cache=True, nogil=True)
def forward_backward(em, trans, start, alpha, beta):
    """Fill log alpha/beta (n, L) for emissions ``em`` (n, L); return log Z."""
    n, L = em.shape
    tmax = trans.max()
    E = np.exp(trans - tmax)
    e = np.empty(L)
    for y in range(L):
        alpha[0, y] = start[y] + em[0, y]
    for t in range(1, n):
        m = alpha[t - 1, 0]
        for p in range(1, L):
            m = max(m, alpha[t - 1, p])
        for p in range(L):
            e[p] = np.exp(alpha[t - 1, p] - m)
        for y in range(L):
            s = 0.0
            for p in range(L):
                s += e[p] * E[p, y]
            alpha[t, y] = em[t, y] + m + tmax + np.log(s)
    for y in range(L):
        beta[n - 1, y] = 0.0
    for t in range(n - 2, -1, -1):
        m = em[t + 1, 0] + beta[t + 1, 0]
        for y in range(1, L):
            m = max(m, em[t + 1, y] + beta[t + 1, y])
        for y in range(L):
            e[y] = np.exp(em[t + 1, y] + beta[t + 1, y] - m)
        for p in range(L):
            s = 0.0
            for y in range(L):
                s += E[p, y] * e[y]
            beta[t, p] = m + tmax + np.log(s)
    m = alpha[n - 1, 0]
    for y in range(1, L):
        m = max(m, alpha[n - 1, y])
    s = 0.0
    for y in range(L):
        s += np.exp(alpha[n - 1, y] - m)
    return m + np.log(s)


@njit(cache=True, nogil=True)
def _posteriors(em, trans, start, marg, pair):
    """log Z; ``marg`` (n, L) gets P(y_t = y); ``pair`` (L, L) *accumulates* sum_t P(y_t-1 = p, y_t = y)."""
    n, L = em.shape
    alpha = np.empty((n, L))
    beta = np.empty((n, L))
    logz = forward_backward(em, trans, start, alpha, beta)
    for t in range(n):
        for y in range(L):
            marg[t, y] = np.exp(alpha[t, y] + beta[t, y] - logz)
    tmax = trans.max()
    E = np.exp(trans - tmax)
    a = np.empty(L)
    b = np.empty(L)
    for t in range(1, n):
        ma = alpha[t - 1, 0]
        mb = em[t, 0] + beta[t, 0]
        for y in range(1, L):
            ma = max(ma, alpha[t - 1, y])
            mb = max(mb, em[t, y] + beta[t, y])
        for y in range(L):
            a[y] = np.exp(alpha[t - 1, y] - ma)
            b[y] = np.exp(em[t, y] + beta[t, y] - mb)
        c = np.exp(ma + mb + tmax - logz)
        for p in range(L):
            for y in range(L):
                pair[p, y] += c * a[p] * E[p, y] * b[y]
    return logz


@njit(cache=True, nogil=True)
def sentence_marginals(X, W, trans, start):
    """(log Z, marginals (n, L), expected transition counts (L, L)) of one sentence."""
    n = X.shape[0]
    L = W.shape[1]
    marg = np.zeros((n, L))
    pair = np.zeros((L, L))
    if n == 0:
        return 0.0, marg, pair
    em = emissions(X, W, np.empty((n, L)))
    logz = _posteriors(em, trans, start, marg, pair)
    return logz, marg, pair


@njit(cache=True, nogil=True, parallel=True)
def corpus_posteriors(X, offsets, W, trans, start, marg, pair, logz):
    """For every sentence s (in parallel): logz[s], marg[offsets[s]:offsets[s+1]] and pair[s] (L, L)."""
    S = offsets.shape[0] - 1
    L = W.shape[1]
    for s in prange(S):
        a, b = offsets[s], offsets[s + 1]
        for p in range(L):
            for y in range(L):
                pair[s, p, y] = 0.0
        if b <= a:
            logz[s] = 0.0
            continue
        em = emissions(X[a:b], W, np.empty((b - a, L)))
        logz[s] = _posteriors(em, trans, start, marg[a:b], pair[s])


@njit(cache=True, nogil=True)
def scatter_serial(X, marg, gW):
    """gW[X[t, k], :] += marg[t, :] over all positions (gW is not zeroed)."""
    N, T = X.shape
    L = gW.shape[1]
    for t in range(N):
        for k in range(T):
            f = X[t, k]
            if f >= 0:
                for y in range(L):
                    gW[f, y] += marg[t, y]


@njit(cache=True, nogil=True, parallel=True)
def scatter_partitioned(X, marg, gW, n_parts):
    """Same sum as :func:`scatter_serial`, in parallel: part j owns the rows whose 8-row block
    index is j modulo ``n_parts`` (no write conflicts, no false sharing, balanced even when
    frequent features have small ids); each part scans all of X."""
    N, T = X.shape
    L = gW.shape[1]
    for j in prange(n_parts):
        for t in range(N):
            for k in range(T):
                f = X[t, k]
                if f >= 0 and (f >> 3) % n_parts == j:
                    for y in range(L):
                        gW[f, y] += marg[t, y]


@njit(cache=True, nogil=True)
def gold_counts(X, y, offsets, cW, ctrans, cstart):
    """Empirical feature counts of the gold paths (added into cW (F, L), ctrans, cstart)."""
    T = X.shape[1]
    S = offsets.shape[0] - 1
    for s in range(S):
        a, b = offsets[s], offsets[s + 1]
        if b <= a:
            continue
        cstart[y[a]] += 1.0
        for t in range(a, b):
            for k in range(T):
                f = X[t, k]
                if f >= 0:
                    cW[f, y[t]] += 1.0
            if t > a:
                ctrans[y[t - 1], y[t]] += 1.0
