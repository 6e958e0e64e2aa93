"""Numba kernels of the linear-chain CRF: log-space forward-backward, corpus NLL and gradient.

Same parameterisation as the perceptron (:mod:`cnlp.sequence._kernels`): label y at position t
scores ``sum_k W[X[t, k], y]`` (ids < 0 skipped) + ``trans[y_prev, y]`` (+ ``start[y]`` at t = 0).

Two implementations of the same posteriors: :func:`_posteriors` runs the textbook log-space
(log-sum-exp) recursions, L^2 exp/log per position; :func:`_posteriors_scaled` normalises each
position instead (shift by the max emission, scale alpha to sum 1, keep the logs of the shifts),
which needs L exps and one log per position and is what training uses. Where the scaled path
would underflow (label scores ~700 apart) it reports NaN and the log-space one is used, so the
result is always exact; tests check both against enumeration of all paths.

Corpus layout: X int32 (N, T) of all sentences concatenated, offsets int64 (S+1,).
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._kernels import emissions


@njit(cache=True, nogil=True, inline="always")
def _lse2(a, b):
    if a < b:
        a, b = b, a
    if b == -np.inf:
        return a
    return a + np.log1p(np.exp(b - a))


@njit(cache=True, nogil=True)
def forward_backward(em, trans, start, alpha, beta):
    """Log-space recursions: fill log alpha/beta (n, L) for emissions ``em`` (n, L); return log Z.

    ``alpha[t, y] = em[t, y] + logsumexp_p(alpha[t-1, p] + trans[p, y])``; every exponent is <= 0,
    so nothing overflows whatever the scale of the scores (L^2 exp/log per position: the exact
    fallback of :func:`_posteriors_scaled`).
    """
    n, L = em.shape
    for y in range(L):
        alpha[0, y] = start[y] + em[0, y]
    for t in range(1, n):
        for y in range(L):
            acc = -np.inf
            for p in range(L):
                acc = _lse2(acc, alpha[t - 1, p] + trans[p, y])
            alpha[t, y] = em[t, y] + acc
    for y in range(L):
        beta[n - 1, y] = 0.0
    for t in range(n - 2, -1, -1):
        for p in range(L):
            acc = -np.inf
            for y in range(L):
                acc = _lse2(acc, trans[p, y] + em[t + 1, y] + beta[t + 1, y])
            beta[t, p] = acc
    logz = -np.inf
    for y in range(L):
        logz = _lse2(logz, alpha[n - 1, y])
    return logz


@njit(cache=True, nogil=True)
def _posteriors(em, trans, start, marg, pair):
    """Log-space: log Z; ``marg`` (n, L) gets P(y_t = y); ``pair`` (L, L) *accumulates*
    sum_t P(y_t-1 = p, y_t = y)."""
    n, L = em.shape
    alpha = np.empty((n, L))
    beta = np.empty((n, L))
    logz = forward_backward(em, trans, start, alpha, beta)
    for t in range(n):
        for y in range(L):
            marg[t, y] = np.exp(alpha[t, y] + beta[t, y] - logz)
    for t in range(1, n):
        for p in range(L):
            for y in range(L):
                pair[p, y] += np.exp(alpha[t - 1, p] + trans[p, y] + em[t, y] + beta[t, y] - logz)
    return logz


@njit(cache=True, nogil=True)
def _posteriors_scaled(em, trans, start, marg, pair):
    """Fast path of :func:`_posteriors`: per-position normalised (Rabiner-scaled) recursions.

    Each position's emission scores are shifted by their maximum before ``exp`` and every
    forward vector is normalised to sum 1; the logs of the shifts and normalisers add up to
    log Z. That is L exponentials and one log per position (the log-space recursion needs 2L
    exponentials and 2L logs for alpha/beta alone, plus more for the marginals). All factors stay
    in [0, 1]; if a normaliser still underflows (scores ~700 apart) it returns NaN, ``pair``
    untouched, and the caller falls back to the log-space recursion.
    """
    n, L = em.shape
    tmax = trans.max()
    E = np.exp(trans - tmax)
    P = np.empty((n, L))
    a = np.empty((n, L))
    b = np.empty((n, L))
    c = np.empty(n)
    logz = 0.0
    for t in range(n):
        m = em[t, 0]
        for y in range(1, L):
            m = max(m, em[t, y])
        for y in range(L):
            P[t, y] = np.exp(em[t, y] - m)
        logz += m
    smax = start.max()
    s = 0.0
    for y in range(L):
        a[0, y] = np.exp(start[y] - smax) * P[0, y]
        s += a[0, y]
    if not (s > 0.0) or s == np.inf:
        return np.nan
    c[0] = s
    for y in range(L):
        a[0, y] /= s
    logz += smax + np.log(s)
    for t in range(1, n):
        s = 0.0
        for y in range(L):
            v = 0.0
            for p in range(L):
                v += a[t - 1, p] * E[p, y]
            v *= P[t, y]
            a[t, y] = v
            s += v
        if not (s > 0.0) or s == np.inf:
            return np.nan
        c[t] = s
        inv = 1.0 / s
        for y in range(L):
            a[t, y] *= inv
        logz += tmax + np.log(s)
    for y in range(L):
        b[n - 1, y] = 1.0
    for t in range(n - 2, -1, -1):
        inv = 1.0 / c[t + 1]
        for p in range(L):
            v = 0.0
            for y in range(L):
                v += E[p, y] * P[t + 1, y] * b[t + 1, y]
            b[t, p] = v * inv
    for t in range(n):
        for y in range(L):
            marg[t, y] = a[t, y] * b[t, y]
    for t in range(1, n):
        inv = 1.0 / c[t]
        for p in range(L):
            ap = a[t - 1, p] * inv
            for y in range(L):
                pair[p, y] += ap * E[p, y] * P[t, y] * b[t, y]
    return logz


@njit(cache=True, nogil=True)
def posteriors(em, trans, start, marg, pair):
    """log Z, marginals into ``marg`` and expected transitions added into ``pair``: the scaled
    fast path, or the log-space recursion where that underflows."""
    logz = _posteriors_scaled(em, trans, start, marg, pair)
    if np.isnan(logz):
        logz = _posteriors(em, trans, start, marg, pair)
    return logz


@njit(cache=True, nogil=True, inline="always")
def _row_emissions(X, W, out):
    """Emissions of ``X`` holding weight rows of ``W`` directly (compacted ids, as in training)."""
    dense = (W, np.zeros(0, np.float32))
    return emissions(X, np.zeros((0, 2), np.uint64), dense, out)


@njit(cache=True, nogil=True)
def sentence_marginals(X, index, weights, trans, start):
    """(log Z, marginals (n, L), expected transition counts (L, L)) of one sentence; ``index`` and
    ``weights`` as in :func:`cnlp.sequence._kernels.emissions`."""
    n = X.shape[0]
    L = weights[0].shape[1]
    marg = np.zeros((n, L))
    pair = np.zeros((L, L))
    if n == 0:
        return 0.0, marg, pair
    em = emissions(X, index, weights, np.empty((n, L)))
    logz = posteriors(em, trans, start, marg, pair)
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
        em = _row_emissions(X[a:b], W, np.empty((b - a, L)))
        logz[s] = posteriors(em, trans, start, marg[a:b], pair[s])


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
def scatter_buffers(X, marg, gW, buf):
    """Same sum as :func:`scatter_serial` in ``1 + buf.shape[0]`` parallel parts: part 0 adds
    into ``gW``, part j > 0 into the zeroed buffer ``buf[j - 1]`` (same shape as gW), each over
    a contiguous block of positions; the buffers are then added into gW (rows split in parallel).
    (A conflict-free split by feature id, each part scanning all of X, measured 2x slower.)"""
    N, T = X.shape
    L = gW.shape[1]
    P = 1 + buf.shape[0]
    for j in prange(P):
        lo = N * j // P
        hi = N * (j + 1) // P
        if j > 0:
            G = buf[j - 1]
            G[:, :] = 0.0
        else:
            G = gW
        for t in range(lo, hi):
            for k in range(T):
                f = X[t, k]
                if f >= 0:
                    for y in range(L):
                        G[f, y] += marg[t, y]
    R = gW.shape[0]
    for j in prange(P):
        lo = R * j // P
        hi = R * (j + 1) // P
        for q in range(buf.shape[0]):
            for r in range(lo, hi):
                for y in range(L):
                    gW[r, y] += buf[q, r, y]


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


@njit(cache=True, nogil=True, parallel=True)
def nll_gradient(X, offsets, bounds, W, trans, start, emp, theta, c2, grad, buf, marg, pair, logz):
    """Regularised corpus NLL and its gradient in one fused pass (what training calls).

    Sentences are split into ``P = 1 + buf.shape[0]`` contiguous blocks ``bounds`` (int64 (P+1,),
    sentence indices, about equal positions each), one per thread. Each block runs, sentence by
    sentence, emissions -> posteriors -> scatter of the marginals into its own gradient rows (block
    0 into ``grad``'s emission part, block j into ``buf[j-1]``), while the sentence's features and
    marginals are still in cache. Then one parallel pass over the flat parameter vector adds the
    buffers, subtracts the gold counts ``emp`` and adds ``2 c2 theta``.

    ``theta``/``grad``: flat (R*L + L*L + L,), W/trans/start are views of theta. Returns f.
    """
    N, T = X.shape
    R, L = W.shape
    P = bounds.shape[0] - 1
    nW = R * L
    gW = grad[:nW].reshape((R, L))
    for j in prange(P):
        if j > 0:
            G = buf[j - 1]
        else:
            G = gW
        G[:, :] = 0.0
        for s in range(bounds[j], bounds[j + 1]):
            a, b = offsets[s], offsets[s + 1]
            for p in range(L):
                for y in range(L):
                    pair[s, p, y] = 0.0
            if b <= a:
                logz[s] = 0.0
                continue
            em = _row_emissions(X[a:b], W, np.empty((b - a, L)))
            logz[s] = posteriors(em, trans, start, marg[a:b], pair[s])
            for t in range(a, b):
                for k in range(T):
                    f = X[t, k]
                    if f >= 0:
                        for y in range(L):
                            G[f, y] += marg[t, y]
    # transitions and start (small, serial)
    S = offsets.shape[0] - 1
    for q in range(nW, grad.shape[0]):
        grad[q] = 0.0
    for s in range(S):
        a, b = offsets[s], offsets[s + 1]
        if b > a:
            for y in range(L):
                grad[nW + L * L + y] += marg[a, y]
            for p in range(L):
                for y in range(L):
                    grad[nW + p * L + y] += pair[s, p, y]
    # reduce buffers, gold counts, L2; dot products per block
    K = grad.shape[0]
    dots = np.zeros((P, 2))
    nb = buf.shape[0]
    for j in prange(P):
        lo = K * j // P
        hi = K * (j + 1) // P
        de = 0.0
        dt = 0.0
        for q in range(lo, hi):
            g = grad[q]
            if q < nW:
                for m in range(nb):
                    g += buf[m, q // L, q % L]
            th = theta[q]
            de += th * emp[q]
            dt += th * th
            grad[q] = g - emp[q] + 2.0 * c2 * th
        dots[j, 0] = de
        dots[j, 1] = dt
    f = 0.0
    for s in range(S):
        f += logz[s]
    for j in range(P):
        f += -dots[j, 0] + c2 * dots[j, 1]
    return f
