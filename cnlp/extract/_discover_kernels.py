"""Numba kernels of new-word discovery (:mod:`cnlp.extract.discover`): dense character ids, and
n-gram grouping and neighbour sums over open-addressing int64 hashes."""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._hash_kernels import mix_slot
from .._text_kernels import CN_NUM, HAN


@njit(cache=True, nogil=True)
def _map_ids(codes, classes, table, inv, nxt, out):
    """Dense character ids for one chunk: out[i] = id (>= 1) of a run character, 0 otherwise.

    table: int32[0x110000] code point -> id (0 = unseen, updated); inv: int32[0x110001] id -> code
    point (updated); nxt: int64[1] next free id (updated).
    """
    for i in range(codes.shape[0]):
        c = classes[i]
        if c == HAN or c == CN_NUM:
            cp = codes[i]
            v = table[cp]
            if v == 0:
                v = nxt[0]
                nxt[0] = v + 1
                table[cp] = v
                inv[v] = cp
            out[i] = v
        else:
            out[i] = 0
    return out


@njit(cache=True, nogil=True)
def _rehash(table, cap):
    """table: int64[cap_old, 2] of (key or -1, value) -> the same entries in a table of cap slots."""
    new = np.full((cap, 2), -1, np.int64)
    mask = cap - 1
    for s in range(table.shape[0]):
        k = table[s, 0]
        if k >= 0:
            h = mix_slot(k, mask)
            while new[h, 0] >= 0:
                h = (h + 1) & mask
            new[h, 0] = k
            new[h, 1] = table[s, 1]
    return new


@njit(cache=True, nogil=True)
def _extend(ids, prev_idx, n, v1, min_freq, out_idx):
    """Group the (n+1)-grams that extend a kept n-gram, keyed ``prev_idx[i] * v1 + ids[i + n]``.

    One pass with an open-addressing hash (grown at load 1/2); groups are numbered in order of
    first occurrence. Returns (vocab keys int64[g], counts int64[g], first positions int32[g]) and
    writes out_idx[i] = group of the (n+1)-gram at i if its count >= min_freq, else -1.
    """
    L = ids.shape[0]
    cap = 1 << 16
    table = np.full((cap, 2), -1, np.int64)     # (key, group) in one cache line
    vocab = np.empty(cap // 2, np.int64)
    counts = np.zeros(cap // 2, np.int64)
    first = np.empty(cap // 2, np.int32)
    ng = 0
    for i in range(L):
        out_idx[i] = -1
        if i + n >= L:
            continue
        p = prev_idx[i]
        c = ids[i + n]
        if p < 0 or c == 0:
            continue
        key = p * v1 + c
        mask = cap - 1
        h = mix_slot(key, mask)
        while table[h, 0] >= 0 and table[h, 0] != key:
            h = (h + 1) & mask
        if table[h, 0] == key:
            g = table[h, 1]
        else:
            g = ng
            ng += 1
            table[h, 0] = key
            table[h, 1] = g
            vocab[g] = key
            first[g] = i
            if 2 * ng >= cap:
                cap *= 2
                table = _rehash(table, cap)
                v2 = np.empty(cap // 2, np.int64)
                v2[:ng] = vocab[:ng]
                vocab = v2
                c2 = np.zeros(cap // 2, np.int64)
                c2[:ng] = counts[:ng]
                counts = c2
                f2 = np.empty(cap // 2, np.int32)
                f2[:ng] = first[:ng]
                first = f2
        counts[g] += 1
        out_idx[i] = g
    for i in range(L):
        g = out_idx[i]
        if g >= 0 and counts[g] < min_freq:
            out_idx[i] = -1
    return vocab[:ng].copy(), counts[:ng].copy(), first[:ng].copy()


@njit(cache=True, nogil=True)
def _left_sums(ids, idx, v1, sum_c, sum_clogc):
    """Per kept n-gram (idx[i + 1] >= 0): occurrences with a left neighbour character (sum_c)
    and sum over those characters x of c_x log c_x (sum_clogc), counted in a hash of
    ``idx[i + 1] * v1 + ids[i]``."""
    L = ids.shape[0]
    cap = 1 << 16
    table = np.full((cap, 2), -1, np.int64)     # (key, count)
    used = 0
    for i in range(L - 1):
        w = idx[i + 1]
        c = ids[i]
        if w < 0 or c == 0:
            continue
        key = w * v1 + c
        mask = cap - 1
        h = mix_slot(key, mask)
        while table[h, 0] >= 0 and table[h, 0] != key:
            h = (h + 1) & mask
        if table[h, 0] != key:
            table[h, 0] = key
            table[h, 1] = 0
            used += 1
        table[h, 1] += 1
        if 2 * used >= cap:
            cap *= 2
            table = _rehash(table, cap)
    for s in range(cap):
        k = table[s, 0]
        if k >= 0:
            c = table[s, 1]
            owner = k // v1
            sum_c[owner] += c
            sum_clogc[owner] += c * math.log(c)


@njit(cache=True, nogil=True)
def _right_sums(vocab_next, counts_next, v1, sum_c, sum_clogc):
    for g in range(vocab_next.shape[0]):
        c = counts_next[g]
        owner = vocab_next[g] // v1
        sum_c[owner] += c
        sum_clogc[owner] += c * math.log(c)
