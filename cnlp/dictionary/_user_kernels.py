"""Numba kernels of user-word placement: which occurrences count, and merging after decoding."""
from __future__ import annotations

import numpy as np
from numba import njit

from .. import _jit  # noqa: F401  (Numba cache directory, before any kernel)
from .._hash_kernels import fib_slot
from .._intrinsics import prefetch
from .._tagset_kernels import force_spans
from .._text_kernels import char_class
from ._kernels import edge_child, edge_key, probe

#: user-word modes as int8 codes (see :data:`cnlp.dictionary.user.MODES`)
SUGGEST, PREFER, FORCE = 0, 1, 2
#: positions ahead whose first trie hash probe :func:`match_spans` prefetches
PREFETCH_AHEAD = 4


@njit(cache=True, nogil=True)
def select_spans(offsets, ends, mode, keep):
    """Which matches of the user words in a text take part in decoding (``keep``, bool, written).

    Matches are grouped by start (``offsets``, CSR over positions) with ends ascending. Forced
    words: leftmost-longest and non-overlapping, so forced spans never cross each other. Preferred
    and suggested words: every occurrence, except a preferred one that overlaps a chosen forced
    span (a forced word always wins)."""
    n = offsets.shape[0] - 1
    covered_to = 0
    forced_cover = np.zeros(n + 1, np.int32)     # prefix count of characters inside forced spans
    inside = np.zeros(n, np.bool_)
    for i in range(n):
        best = -1
        for p in range(offsets[i], offsets[i + 1]):
            keep[p] = mode[p] != FORCE
            if mode[p] == FORCE and i >= covered_to:
                best = p                # ends ascending: the last forced one is the longest
        if best >= 0:
            keep[best] = True
            for j in range(i, ends[best]):
                inside[j] = True
            covered_to = ends[best]
    for i in range(n):
        forced_cover[i + 1] = forced_cover[i] + (1 if inside[i] else 0)
    for i in range(n):
        for p in range(offsets[i], offsets[i + 1]):
            if mode[p] == PREFER and forced_cover[ends[p]] - forced_cover[i] > 0:
                keep[p] = False


@njit(cache=True, nogil=True)
def merge_preferred(bounds, n, starts, ends):
    """Cut offsets ``bounds`` with the cuts inside preferred words removed.

    A preferred span ``[s, e)`` (sorted by start, then end) is merged into one word when the
    decoder cut at both of its edges; among such spans the leftmost, then the longest, wins, and
    merged spans never overlap. Returns int32 offsets (a subset of ``bounds``)."""
    is_cut = np.zeros(n + 1, np.bool_)
    for i in range(bounds.shape[0]):
        is_cut[bounds[i]] = True
    drop = np.zeros(n + 1, np.bool_)
    covered_to = 0
    k = 0
    m = starts.shape[0]
    any_drop = False
    while k < m:
        s = starts[k]
        best = -1
        while k < m and starts[k] == s:
            if s >= covered_to and is_cut[s] and is_cut[ends[k]] and ends[k] - s > 1:
                best = k                # ends ascending: the last eligible one is the longest
            k += 1
        if best >= 0:
            e = ends[best]
            for j in range(s + 1, e):
                if is_cut[j]:
                    drop[j] = True
                    any_drop = True
            covered_to = e
    if not any_drop:
        return bounds
    out = np.empty(bounds.shape[0], np.int32)
    q = 0
    for i in range(bounds.shape[0]):
        if not drop[bounds[i]]:
            out[q] = bounds[i]
            q += 1
    return out[:q]


@njit(cache=True, nogil=True)
def edge_bias(n, starts, ends, strength, bias):
    """Add ``strength`` to the BMES labels that put a word boundary at an edge of a preferred
    span (``B`` and ``S`` of the character after the boundary), once per boundary position however
    many spans share it. ``bias``: float64 (n, 4), modified in place."""
    mark = np.zeros(n + 1, np.bool_)
    for k in range(starts.shape[0]):
        mark[starts[k]] = True
        mark[ends[k]] = True
    for p in range(1, n):
        if mark[p]:
            bias[p, 0] += strength
            bias[p, 3] += strength


@njit(cache=True, nogil=True)
def match_spans(root, htab, word, kids, codes, mode_by_id):
    """The user words of a trie (``root, htab, word`` of its :class:`TrieArrays`: plain arrays, which
    Numba unboxes far faster than the namedtuple; ``kids``: bit v of the uint8 bitset set when node v
    has children, so a walk ends at a leaf without a hash probe) occurring in ``codes`` that take
    part in decoding (:func:`select_spans`): ``(starts, ends, ids)`` int32, sorted by start then end.
    One pass."""
    n = codes.shape[0]
    cap = 2 * n + 16
    offsets = np.empty(n + 1, np.int32)
    ends = np.empty(cap, np.int32)
    ids = np.empty(cap, np.int32)
    m = 0
    mask = htab.shape[0] - 1
    for i in range(n):
        offsets[i] = m
        # hint the hash slot of the second character's step a few positions ahead: those probes are
        # cache misses in a large dictionary, and this lets them overlap (same results)
        a = i + PREFETCH_AHEAD
        if a + 1 < n and 0 <= codes[a] < 65536 and root[codes[a]] != 0:
            r0 = root[codes[a]]
            prefetch(htab, fib_slot(edge_key(-r0 if r0 < 0 else r0, codes[a + 1]), mask))
        node = 0
        j = i
        while j < n:
            # one step of _step, written out to skip the hash at a leaf (probe() is inlined)
            c = codes[j]
            if node == 0 and 0 <= c < 65536:
                r = root[c]
                if r == 0:
                    break
                isw = r < 0
                node = -r if isw else r
            else:
                if node > 0 and (kids[node >> 3] >> (node & 7)) & 1 == 0:
                    break                           # a leaf: no word continues here
                e = probe(htab, mask, edge_key(node, c))
                if e == 0:
                    break
                isw = e < 0
                node = edge_child(e)
            j += 1
            if isw:
                if m == cap:
                    cap *= 2
                    e2 = np.empty(cap, np.int32)
                    i2 = np.empty(cap, np.int32)
                    e2[:m] = ends[:m]
                    i2[:m] = ids[:m]
                    ends, ids = e2, i2
                ends[m] = j
                ids[m] = word[node]
                m += 1
    offsets[n] = m
    mode = np.empty(m, np.int8)
    for p in range(m):
        mode[p] = mode_by_id[ids[p]]
    keep = np.empty(m, np.bool_)
    select_spans(offsets, ends, mode, keep)
    k = 0
    for p in range(m):
        k += keep[p]
    s_out = np.empty(k, np.int32)
    e_out = np.empty(k, np.int32)
    i_out = np.empty(k, np.int32)
    q = 0
    for i in range(n):
        for p in range(offsets[i], offsets[i + 1]):
            if keep[p]:
                s_out[q] = i
                e_out[q] = ends[p]
                i_out[q] = ids[p]
                q += 1
    return s_out, e_out, i_out


@njit(cache=True, nogil=True)
def bmes_user_constraints(root, htab, word, kids, folded, raw, table, space, mode_by_id, strength_by_id,
                          suggest_unit, prefer_unit):
    """Everything a BMES decoder needs from the user words of a trie (``root, htab, word, kids`` as
    :func:`match_spans` takes them) in one call.

    Returns ``(allowed bool (n, 4), bias float64 (n, 4), prefer_starts, prefer_ends)``, where
    ``allowed`` is (0, 4) when nothing is forced and ``bias`` (0, 4) when nothing is biased: forced
    words and whitespace runs (of class ``space``, unless inside a forced word) are fixed spans
    (:func:`cnlp._tagset_kernels.force_spans`); a suggested word adds ``suggest_unit`` times its
    strength to the labels that make it a word; a preferred word adds ``prefer_unit`` to a boundary at
    each of its edges (:func:`edge_bias`) and is returned for :func:`merge_preferred`.
    """
    n = folded.shape[0]
    starts, ends, ids = match_spans(root, htab, word, kids, folded, mode_by_id)
    k = starts.shape[0]
    fs = np.empty(k + n, np.int64)
    fe = np.empty(k + n, np.int64)
    nf = 0
    n_pref = 0
    n_sug = 0
    taken = np.zeros(n, np.bool_)
    for q in range(k):
        md = mode_by_id[ids[q]]
        if md == FORCE:
            fs[nf] = starts[q]
            fe[nf] = ends[q]
            nf += 1
            for j in range(starts[q], ends[q]):
                taken[j] = True
        elif md == PREFER:
            n_pref += 1
        else:
            n_sug += 1
    i = 0
    while i < n:                                    # whitespace runs are words of their own
        if char_class(raw[i], table) == space:
            j = i + 1
            while j < n and char_class(raw[j], table) == space:
                j += 1
            free = True
            for p in range(i, j):
                if taken[p]:
                    free = False
            if free:
                fs[nf] = i
                fe[nf] = j
                nf += 1
            i = j
        else:
            i += 1
    if nf > 0:
        allowed = np.ones((n, 4), np.bool_)
        force_spans(allowed, fs[:nf], fe[:nf])
    else:
        allowed = np.zeros((0, 4), np.bool_)
    ps = np.empty(n_pref, np.int32)
    pe = np.empty(n_pref, np.int32)
    if n_pref == 0 and (n_sug == 0 or suggest_unit == 0.0):
        return allowed, np.zeros((0, 4), np.float64), ps, pe
    bias = np.zeros((n, 4), np.float64)
    r = 0
    for q in range(k):
        md = mode_by_id[ids[q]]
        s, e = starts[q], ends[q]
        if md == PREFER:
            ps[r] = s
            pe[r] = e
            r += 1
        elif md == SUGGEST and suggest_unit != 0.0:
            st = suggest_unit * strength_by_id[ids[q]]
            if e - s == 1:
                bias[s, 3] += st
            else:
                bias[s, 0] += st
                for p in range(s + 1, e - 1):
                    bias[p, 1] += st
                bias[e - 1, 2] += st
    if prefer_unit != 0.0 and n_pref > 0:
        edge_bias(n, ps, pe, prefer_unit, bias)
    return allowed, bias, ps, pe
