"""Numba kernel of the bigram word-lattice segmenter: lattice construction + Viterbi in one call.

Ids: ``0..n_dict-1`` dictionary words, then the class ids below. Bigram counts live in an
open-addressing int64 table whose slots pack ``(a * n_vocab + b) << 32 | count`` (0 = empty).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._hash_kernels import fib_slot
from .._tagset_kernels import append_bounds, bmes_bounds
from .._text_kernels import DIGIT, HAN, LATIN, SPACE, is_atom_class, is_number_class
from ..dictionary._kernels import nb_prefix_matches
from ..sequence._hmm_kernels import viterbi1
from ._hmm_kernels import _observe
from ._maxmatch_kernels import prepare

# class ids are offsets from n_dict
BOS, NUM, TIME, LAT, UNK, SP = range(6)
N_CLASSES = 6
SUFFIXES = np.array(sorted(map(ord, "年月日时分秒号点")), np.int32)


@njit(cache=True, nogil=True, inline="always")
def _bigram(bg, key):
    mask = bg.shape[0] - 1
    h = fib_slot(key, mask)
    while True:
        e = bg[h]
        if e == 0:
            return 0
        if (e >> 32) == key:
            return e & 0xFFFFFFFF
        h = (h + 1) & mask


@njit(cache=True, nogil=True)
def _grow(ns, ne, nid, nb, m):
    cap = ns.shape[0] * 2 + 64
    ns2 = np.empty(cap, np.int32); ns2[:m] = ns[:m]
    ne2 = np.empty(cap, np.int32); ne2[:m] = ne[:m]
    ni2 = np.empty(cap, np.int32); ni2[:m] = nid[:m]
    nb2 = np.zeros(cap, np.float64); nb2[:m] = nb[:m]
    return ns2, ne2, ni2, nb2


@njit(cache=True, nogil=True)
def lattice_viterbi(raw, table, root, htab, word, present, suffixes, uni, hist, bg, lam,
                    span_end, span_id, ex_off, ex_end, ex_id, ex_bonus,
                    hmm_codes, log_trans, log_emit, cand_maxlen, cand_cost):
    """Best segmentation of ``raw`` (int32 code points) under the interpolated bigram model.

    word: trie node -> dict id; present: bool[n_dict] (word usable in the lattice);
    uni: float64[n_vocab] smoothed P(w); hist: float64[n_vocab] history counts c(a);
    bg: packed bigram table; span_end/span_id: forced spans (or empty arrays);
    ex_off/ex_end/ex_id/ex_bonus: extra nodes (suggested user words, candidate words) as CSR by
    start position, ``ex_off`` int32[n+1] (or empty), with their log-score bonus;
    hmm_codes/log_trans/log_emit: a first-order BMES character HMM (its observation code points
    and float32 log tables, as in :class:`cnlp.segmentation.hmm.HMMSegmenter`; empty = none): each word
    of 2..cand_maxlen Han characters in its segmentation that is not a dictionary word becomes an
    unknown-word node of cost ``cand_cost`` (-log P).
    Returns int32 cut offsets. Time O(n · L · P) for L words per start and P per end.
    """
    codes, cls = prepare(raw, table, True)
    n = codes.shape[0]
    nv = uni.shape[0]
    nd = nv - 6
    forced = span_end.shape[0] > 0
    # next hard boundary (forced span or whitespace run start) after each position
    nxt = np.empty(n + 1, np.int32)
    nxt[n] = n
    for i in range(n - 1, -1, -1):
        hard = (forced and span_end[i] >= 0) or (cls[i] == SPACE and (i == 0 or cls[i - 1] != SPACE))
        nxt[i] = i if hard else nxt[i + 1]
    cand_end = np.full(n + 1, -1, np.int32)
    cand = np.zeros(0, np.int32)
    if hmm_codes.shape[0] > 0 and n > 0:
        obs, _ = _observe(raw, table, hmm_codes)
        labels = np.empty(n, np.int32)
        viterbi1(obs, log_trans, log_emit, np.zeros((0, 4), np.float32), labels)
        cand = bmes_bounds(labels)
    for q in range(cand.shape[0] - 1):
        a, b = cand[q], cand[q + 1]
        if 2 <= b - a <= cand_maxlen:
            han = True
            for j in range(a, b):
                if cls[j] != HAN:
                    han = False
                    break
            if han:
                cand_end[a] = b
    cand_bonus = -np.log((1.0 - lam) * uni[nd + UNK]) - cand_cost
    cap = 2 * n + 16
    ns = np.empty(cap, np.int32)
    ne = np.empty(cap, np.int32)
    nid = np.empty(cap, np.int32)
    nb = np.zeros(cap, np.float64)
    m = 0
    mends = np.empty(64, np.int32)     # words starting at one position (longer lists are cut)
    mids = np.empty(64, np.int32)
    i = 0
    skip_to = 0
    for i in range(n):
        if m + 80 > ns.shape[0]:  # grow: up to 64 words + 4 other nodes per position
            ns, ne, nid, nb = _grow(ns, ne, nid, nb, m)
        if i < skip_to:
            continue
        if forced and span_end[i] >= 0:
            ns[m] = i; ne[m] = span_end[i]; nid[m] = span_id[i]; m += 1
            skip_to = span_end[i]
            continue
        c = cls[i]
        if c == SPACE:
            j = i + 1
            while j < n and cls[j] == SPACE and not (forced and span_end[j] >= 0):
                j += 1
            ns[m] = i; ne[m] = j; nid[m] = nd + SP; m += 1
            skip_to = j
            continue
        lim = nxt[i + 1] if i + 1 <= n else n
        # dictionary words
        k = nb_prefix_matches(root, htab, word, codes, i, lim, mends, mids)
        single = False
        for q in range(k):
            w = mids[q]
            if present[w]:
                ns[m] = i; ne[m] = mends[q]; nid[m] = w; m += 1
                if mends[q] == i + 1:
                    single = True
        if not single:
            ns[m] = i; ne[m] = i + 1; nid[m] = nd + UNK; m += 1
        ce = cand_end[i]
        if ce > 0 and ce <= lim:
            for q in range(k):
                if mends[q] == ce and present[mids[q]]:
                    ce = -1
                    break
            if ce > 0:
                ns[m] = i; ne[m] = ce; nid[m] = nd + UNK; nb[m] = cand_bonus; m += 1
        # numbers, dates, Latin runs (only at the start of a run)
        if is_number_class(c) and (i == 0 or not is_number_class(cls[i - 1])):
            j = i + 1
            while j < lim and (is_number_class(cls[j]) or (codes[j] == 46 and j + 1 < lim and cls[j + 1] == DIGIT)):
                j += 1
            ns[m] = i; ne[m] = j; nid[m] = nd + NUM; m += 1
            if j < lim and codes[j] == 37:
                ns[m] = i; ne[m] = j + 1; nid[m] = nd + NUM; m += 1
            elif j < lim:
                k = np.searchsorted(suffixes, codes[j])
                if k < suffixes.shape[0] and suffixes[k] == codes[j]:
                    ns[m] = i; ne[m] = j + 1; nid[m] = nd + TIME; m += 1
        elif c == LATIN and (i == 0 or not is_atom_class(cls[i - 1])):
            j = i + 1
            while j < lim and is_atom_class(cls[j]):
                j += 1
            ns[m] = i; ne[m] = j; nid[m] = nd + LAT; m += 1
        if ex_off.shape[0] > 0:
            for q in range(ex_off[i], ex_off[i + 1]):
                if ex_end[q] > i + 1 and ex_end[q] <= lim:
                    if m >= ns.shape[0]:
                        ns, ne, nid, nb = _grow(ns, ne, nid, nb, m)
                    ns[m] = i; ne[m] = ex_end[q]; nid[m] = ex_id[q]; nb[m] = ex_bonus[q]; m += 1
    # CSR of nodes by end position
    cnt = np.zeros(n + 2, np.int32)
    for k in range(m):
        cnt[ne[k] + 1] += 1
    for p in range(n + 1):
        cnt[p + 1] += cnt[p]
    by_end = np.empty(m, np.int32)
    fill = cnt[:n + 1].copy()
    for k in range(m):
        by_end[fill[ne[k]]] = k
        fill[ne[k]] += 1
    best = np.full(m, np.inf)
    back = np.full(m, -1, np.int32)
    bos = nd + BOS
    for k in range(m):       # nodes are in order of start
        b = nid[k]
        s = ns[k]
        ub = (1.0 - lam) * uni[b]
        if s == 0:
            p = ub
            ca = hist[bos]
            if ca > 0:
                cab = _bigram(bg, np.int64(bos) * nv + b)
                if cab > 0:
                    p += lam * cab / ca
            best[k] = -np.log(p) - nb[k]
            continue
        cu = -np.log(ub) - nb[k]        # cost without a bigram: one log per node, not per edge
        for q in range(cnt[s], cnt[s + 1]):
            pk = by_end[q]
            bp = best[pk]
            if bp == np.inf:
                continue
            a = nid[pk]
            v = bp + cu
            ca = hist[a]
            if ca > 0:
                cab = _bigram(bg, np.int64(a) * nv + b)
                if cab > 0:
                    v = bp - np.log(ub + lam * cab / ca) - nb[k]
            if v < best[k]:
                best[k] = v
                back[k] = pk
    # end of sentence
    final = -1
    fv = np.inf
    for q in range(cnt[n], cnt[n + 1]):
        pk = by_end[q]
        a = nid[pk]
        p = (1.0 - lam) * uni[bos]
        ca = hist[a]
        if ca > 0:
            cab = _bigram(bg, np.int64(a) * nv + bos)
            if cab > 0:
                p += lam * cab / ca
        v = best[pk] - np.log(p)
        if v < fv:
            fv = v
            final = pk
    out = np.empty(n + 1, np.int32)
    k = 0
    out[0] = n
    node = final
    while node >= 0:
        k += 1
        out[k] = ns[node]
        node = back[node]
    return out[:k + 1][::-1].copy()


@njit(cache=True, nogil=True)
def lattice_many(codes, offsets, table, root, htab, word, present, suffixes, uni, hist, bg, lam,
                 hmm_codes, log_trans, log_emit, cand_maxlen, cand_cost):
    """:func:`lattice_viterbi` without user words on each line ``codes[offsets[l]:offsets[l + 1]]``,
    in one call. Returns (int32 cut offsets of all lines, each from 0 to its length (``[0]`` for an
    empty line), int64 starts (L+1,) of each line's offsets)."""
    L = offsets.shape[0] - 1
    none = np.zeros(0, np.int32)
    none_f = np.zeros(0, np.float64)
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        if z > a:
            r = lattice_viterbi(codes[a:z], table, root, htab, word, present, suffixes, uni, hist, bg, lam,
                                none, none, none, none, none, none_f, hmm_codes, log_trans, log_emit,
                                cand_maxlen, cand_cost)
        else:
            r = np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts
