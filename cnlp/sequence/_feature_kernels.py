"""Numba kernels of the feature templates: one generic hashing kernel over attribute arrays, and
the attribute kernel of the character (segmentation) preset.

A template is data: a seed and up to two value slots, each slot a sum of ``attribute[t + offset] *
multiplier`` parts; the feature id is a 64-bit mix of (seed, slot 0, slot 1) masked to ``bits``
bits. Attribute arrays are int64 (n + 2 * pad, n_attributes), position ``t`` at row ``t + pad``
(all attributes of a position in one cache line), the pad rows holding each attribute's begin /
end-of-sentence values.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._hash_kernels import feature_id
from .._tagset_kernels import bmes_role
from .._text_kernels import char_class, fold_code
from ..dictionary._kernels import edge_child, edge_key, probe
from ._kernels import _value, row_of


@njit(cache=True, nogil=True, inline="always")
def padded_attributes(n, width, pad):
    """int64 (n + 2 * pad, width) zeros with the pad rows set to -1 (before the sequence) and -2
    (after it): the attribute layout :func:`hash_templates` reads."""
    A = np.zeros((n + 2 * pad, width), np.int64)
    for r in range(width):
        for i in range(pad):
            A[i, r] = -1
            A[n + pad + i, r] = -2
    return A


@njit(cache=True, nogil=True)
def hash_templates(A, pad, spec, bits, out, col):
    """Fill ``out[:, col:col + J]`` (int32 (n, >= col + J)) with the ids of the J templates of
    ``spec`` = (seeds int64 (J,), ptr int64 (J+1,), mid int64 (J,), attr, offset, mult: int64 (P,))
    over the padded attributes ``A`` (C-contiguous, one row per position): template j sums parts
    ptr[j]..mid[j]-1 into its first slot and mid[j]..ptr[j+1]-1 into its second. O(n·P)."""
    seeds, ptr, mid, attr, off, mult = spec
    n = out.shape[0]
    width = A.shape[1]
    flat = A.ravel()
    base = np.empty(attr.shape[0], np.int64)          # flat index of each part at t = 0
    for p in range(attr.shape[0]):
        base[p] = (pad + off[p]) * width + attr[p]
    mask = (1 << bits) - 1
    for j in range(seeds.shape[0]):                   # template-major: fixed parts, all positions
        a0, m0, a1 = ptr[j], mid[j], ptr[j + 1]
        seed = seeds[j]
        if m0 - a0 == 1 and a1 - m0 <= 1:             # the common shape: one part per slot
            b0, k0 = base[a0], mult[a0]
            b1, k1 = (base[m0], mult[m0]) if a1 > m0 else (0, 0)
            for t in range(n):
                row = t * width
                out[t, col + j] = feature_id(seed, flat[row + b0] * k0, flat[row + b1] * k1, mask)
            continue
        for t in range(n):
            row = t * width
            v0 = 0
            for p in range(a0, m0):
                v0 += flat[row + base[p]] * mult[p]
            v1 = 0
            for p in range(m0, a1):
                v1 += flat[row + base[p]] * mult[p]
            out[t, col + j] = feature_id(seed, v0, v1, mask)
    return out


#: seed offset of the standard-specific copies of :func:`augment` (the one NER's corpus copies use too)
AUGMENT_SEED = 1000003


@njit(cache=True, nogil=True)
def augment(X, domain, mask):
    """Feature augmentation (Daume III): int32 (n, 2T) with ``X`` (n, T) in the first T columns (the
    weights every standard shares) and, in columns T..2T-1, each id hashed again with ``domain``
    (> 0) (the weights of that standard only: :func:`augmented_id`, a function of the id alone, so
    a standard's copy can be folded into the shared row)."""
    n, T = X.shape
    out = np.empty((n, 2 * T), np.int32)
    for t in range(n):
        for k in range(T):
            out[t, k] = X[t, k]
            out[t, T + k] = feature_id(AUGMENT_SEED + domain, X[t, k], 0, mask)
    return out


@njit(cache=True, nogil=True)
def augmented_ids(ids, domain, mask):
    """int64 the copy of each feature id in ``ids`` for standard ``domain`` (as :func:`augment`)."""
    out = np.empty(ids.shape[0], np.int64)
    for i in range(ids.shape[0]):
        out[i] = feature_id(AUGMENT_SEED + domain, ids[i], 0, mask)
    return out


@njit(cache=True, nogil=True)
def fold_rows(index, weights, domains, alphas, mask, out):
    """``out`` float32 (R, L) = each weight row plus ``alphas[j]`` times the row of its copy for
    standard ``domains[j]`` (:func:`augmented_id`), the terms added in order in float32. ``index``:
    the rank dictionary of the rows' feature ids (:func:`cnlp.sequence._kernels.row_of`, rows in id
    order); ``weights`` = (W, table) as :func:`cnlp.sequence._kernels.emissions` reads them. No
    temporary arrays (the default segmenter folds its standards at load: peak memory)."""
    W, table = weights
    L = W.shape[1]
    r = 0
    for w in range(index.shape[0]):
        word = index[w, 0]
        if word == 0:
            continue
        for b in range(64):
            if not (word >> np.uint64(b)) & np.uint64(1):
                continue
            f = np.int64(w) * 64 + b
            for y in range(L):
                out[r, y] = np.float32(_value(W, table, r, y))
            for j in range(domains.shape[0]):
                q = row_of(feature_id(AUGMENT_SEED + domains[j], f, 0, mask), index)
                if q >= 0:
                    a = alphas[j]
                    for y in range(L):
                        out[r, y] += a * np.float32(_value(W, table, q, y))
            r += 1
    return out


#: rows of the character attributes (:func:`char_attributes`) and the padding of their arrays
CODE, CLASS, SAME1, SAME2, DSTART, DEND, DCOVER, DROLE = range(8)
CHAR_PAD = 2
BOS_CODE, EOS_CODE, BOS_CLASS, EOS_CLASS = -1, -2, 8, 9


@njit(cache=True, nogil=True)
def char_attributes(raw, table, use_dict, tries):
    """int64 (n + 4, 8) attributes of the character preset for code points ``raw`` (int32 (n,)):
    folded code, class, "same as the next character", "previous same as next", and with a
    dictionary (``tries`` = forward and backward trie arrays) the length (max 6) of the longest
    word starting / ending here, of the longest word of 2+ characters covering it and the
    character's role in that word (0 first, 1 inside, 2 last). O(n · longest word)."""
    n = raw.shape[0]
    P = CHAR_PAD
    A = np.zeros((n + 2 * P, 8), np.int64)
    for i in range(P):
        A[i, CODE], A[n + P + i, CODE] = BOS_CODE, EOS_CODE
        A[i, CLASS], A[n + P + i, CLASS] = BOS_CLASS, EOS_CLASS
    for i in range(n):
        A[i + P, CODE] = fold_code(raw[i], table)
        A[i + P, CLASS] = char_class(raw[i], table)
    for i in range(n):
        p = i + P
        A[p, SAME1] = 1 if A[p, CODE] == A[p + 1, CODE] else 0
        A[p, SAME2] = 1 if A[p - 1, CODE] == A[p + 1, CODE] else 0
    if not use_dict:
        return A
    # every word occurrence is found by the forward walk from its start: the longest word ending
    # at a position is the first one found there (starts ascend), so the backward trie of ``tries``
    # is not walked (the same lengths as walking it, at half the trie lookups). The walk is inlined
    # (no call per position) and reads word ends from the signs of the root table and edge hash
    # (no lookup of the node's word id): the same lengths as nb_prefix_matches gives
    root_f, htab_f = tries[0], tries[1]
    hmask = htab_f.shape[0] - 1
    cov = np.zeros(n, np.int64)
    for i in range(n):
        node = 0
        j = i
        e = -1
        while j < n:
            c = A[j + P, CODE]
            if node == 0 and 0 <= c < 65536:
                r = root_f[c]
                if r == 0:
                    break
                isw = r < 0
                node = -r if isw else r
            else:
                h = probe(htab_f, hmask, edge_key(node, c))
                if h == 0:
                    break
                isw = h < 0
                node = edge_child(h)
            j += 1
            if isw:
                e = j
                q = j - 1 + P
                if A[q, DEND] == 0:
                    A[q, DEND] = min(j - i, 6)
        if e < 0:
            continue
        A[i + P, DSTART] = min(e - i, 6)
        L = e - i
        if L >= 2:
            for p in range(i, e):
                if L > cov[p]:
                    cov[p] = L
                    A[p + P, DROLE] = bmes_role(p, i, e)        # L >= 2: B 0, M 1, E 2
    for i in range(n):
        A[i + P, DCOVER] = min(cov[i], 6)
    return A
