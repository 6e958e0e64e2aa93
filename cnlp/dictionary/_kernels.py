"""Numba kernels over the array form of a trie (CSR children, dense BMP root table).

A trie is passed as a :class:`TrieArrays` namedtuple of int32 arrays:

* ``root``  (65536,)  child node of the root for each BMP code point: 0 if none, negated when
  a word ends at that child
* ``first`` (n_nodes + 1,) children of node v are edges ``first[v]:first[v+1]``
* ``code``  (n_edges,) edge code points, ascending within a node
* ``child`` (n_edges,) node reached by each edge
* ``word``  (n_nodes,) word id ending at node, -1 if none
* ``htab``  (2^k,) int64 open-addressing hash of the edges below the root: each slot packs
  ``(node << 21 | code) << 21 | child`` in one word (0 = empty; negated when a word ends at the
  child), so a probe touches one cache line and the walk needs no ``word`` lookup.
  Hence the limit of 2^21 nodes (about a million words).

Below the root, a step is one hash probe (expected O(1)); the CSR arrays remain for
enumeration. Walking from position i costs O(L) for a word of length L.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from .._hash_kernels import fib_slot

TrieArrays = namedtuple("TrieArrays", "root first code child word htab")
MAX_NODES = 1 << 21


def empty_trie() -> TrieArrays:
    return TrieArrays(np.zeros(65536, np.int32), np.zeros(2, np.int32), np.zeros(0, np.int32),
                      np.zeros(0, np.int32), np.full(1, -1, np.int32), np.zeros(16, np.int64))


@njit(cache=True, nogil=True)
def build_edges(codes, offsets, ids, parents, ecodes, children, node_word, path):
    """Trie edges of keys given in sorted order (``codes[offsets[k]:offsets[k+1]]`` is key k).

    Consecutive sorted keys share the path of their longest common prefix, so each key adds one
    node per character past it. Writes edges ``(parents, ecodes, children)`` and
    ``node_word[node]`` (= ``ids[k]`` at the end of key k, else -1); ``path`` is scratch of
    length max key length + 1. Returns ``(n_nodes, n_edges)``. O(total characters).
    """
    n_nodes = 1
    node_word[0] = -1
    m = 0
    path[0] = 0
    ps = 0
    pe = 0
    for k in range(offsets.shape[0] - 1):
        s = offsets[k]
        e = offsets[k + 1]
        L = e - s
        lim = min(L, pe - ps)
        lcp = 0
        while lcp < lim and codes[s + lcp] == codes[ps + lcp]:
            lcp += 1
        for d in range(lcp, L):
            node_word[n_nodes] = -1
            parents[m] = path[d]
            ecodes[m] = codes[s + d]
            children[m] = n_nodes
            path[d + 1] = n_nodes
            n_nodes += 1
            m += 1
        if L > 0:
            node_word[path[L]] = ids[k]
        ps = s
        pe = e
    return n_nodes, m


@njit(cache=True, nogil=True)
def build_hash(parents, codes, children, node_word, htab):
    """Fill the edge hash (linear probing). htab must be zeros, of power-of-two size."""
    mask = htab.shape[0] - 1
    for e in range(parents.shape[0]):
        key = (np.int64(parents[e]) << 21) | np.int64(codes[e] & 0x1FFFFF)
        h = fib_slot(key, mask)
        while htab[h] != 0:
            h = (h + 1) & mask
        v = (key << 21) | np.int64(children[e])
        htab[h] = -v if node_word[children[e]] >= 0 else v


@njit(cache=True, nogil=True, inline="always")
def edge_key(node, c):
    """Key of the edge from ``node`` along code point ``c`` in the edge hash."""
    return (np.int64(node) << 21) | np.int64(c & 0x1FFFFF)


@njit(cache=True, nogil=True, inline="always")
def probe(htab, mask, key):
    """The one open-addressing probe of the edge hash: the slot value of edge ``key``, or 0 when
    there is no such edge (then :func:`edge_child` is the child, and ``< 0`` means a word ends there).

    Inlined at Numba IR level (``inline="always"``) into every walk: a *called* function per trie
    step (arrays passed by value, with reference counting) made the walks about 3x slower, which is
    why they used to repeat this loop inline; inlined, the walks time the same (docs/architecture.md)."""
    h = fib_slot(key, mask)
    while True:
        e = htab[h]
        if e == 0:
            return e
        a = -e if e < 0 else e
        if (a >> 21) == key:
            return e
        h = (h + 1) & mask


@njit(cache=True, nogil=True, inline="always")
def edge_child(e):
    """Child node of a non-empty edge-hash slot value ``e``."""
    return np.int32((-e if e < 0 else e) & 0x1FFFFF)


@njit(cache=True, nogil=True, inline="always")
def _step(root, htab, node, c):
    """Child of ``node`` along code point ``c`` or -1 (for the less hot enumeration kernels)."""
    if node == 0 and 0 <= c < 65536:
        r = root[c]
        return -1 if r == 0 else abs(r)
    e = probe(htab, htab.shape[0] - 1, edge_key(node, c))
    if e == 0:
        return -1
    return edge_child(e)


@njit(cache=True, nogil=True)
def walk_forward(root, htab, word, codes, i, lim):
    """End of the longest word in ``codes[i:lim]`` starting at i, or -1 (arrays of a TrieArrays)."""
    node = 0
    best = -1
    isw = False
    j = i
    mask = htab.shape[0] - 1
    while j < lim:
        c = codes[j]
        if node == 0 and 0 <= c < 65536:
            r = root[c]
            if r == 0:
                break
            isw = r < 0
            node = -r if isw else r
        else:
            e = probe(htab, mask, edge_key(node, c))
            if e == 0:
                break
            isw = e < 0
            node = edge_child(e)
        j += 1
        if isw:
            best = j
    return best


@njit(cache=True, nogil=True)
def walk_backward(root, htab, word, codes, j, lim):
    """Start of the longest word (of a reversed-word trie) in ``codes[lim:j]`` ending at j, or -1."""
    node = 0
    best = -1
    isw = False
    i = j
    mask = htab.shape[0] - 1
    while i > lim:
        c = codes[i - 1]
        if node == 0 and 0 <= c < 65536:
            r = root[c]
            if r == 0:
                break
            isw = r < 0
            node = -r if isw else r
        else:
            e = probe(htab, mask, edge_key(node, c))
            if e == 0:
                break
            isw = e < 0
            node = edge_child(e)
        i -= 1
        if isw:
            best = i
    return best


@njit(cache=True, nogil=True)
def nb_prefix_matches(root, htab, word, codes, i, lim, ends, ids):
    """All words of the trie in ``codes[i:lim]`` starting at i, for use *inside* other kernels.

    Writes their end offsets (ascending) to ``ends[:k]`` and word ids to ``ids[:k]`` and returns
    k. ``ends``/``ids`` need room for ``max_len`` entries (the dictionary's longest word); extra
    matches are dropped. ``root, htab, word`` are fields of a :class:`TrieArrays`. O(L).
    """
    node = 0
    k = 0
    cap = ends.shape[0]
    j = i
    while j < lim:
        node = _step(root, htab, node, codes[j])
        if node < 0:
            break
        j += 1
        w = word[node]
        if w >= 0 and k < cap:
            ends[k] = j
            ids[k] = w
            k += 1
    return k


@njit(cache=True, nogil=True)
def count_matches(t, codes):
    root, htab, word = t.root, t.htab, t.word
    n = codes.shape[0]
    m = 0
    for i in range(n):
        node = 0
        j = i
        while j < n:
            node = _step(root, htab, node, codes[j])
            if node < 0:
                break
            j += 1
            if word[node] >= 0:
                m += 1
    return m


@njit(cache=True, nogil=True)
def fill_matches(t, codes, offsets, ends, ids):
    """All words starting at each position: ``ends[offsets[i]:offsets[i+1]]`` ascending. O(n L)."""
    root, htab, word = t.root, t.htab, t.word
    n = codes.shape[0]
    m = 0
    for i in range(n):
        offsets[i] = m
        node = 0
        j = i
        while j < n:
            node = _step(root, htab, node, codes[j])
            if node < 0:
                break
            j += 1
            w = word[node]
            if w >= 0:
                ends[m] = j
                ids[m] = w
                m += 1
    offsets[n] = m
    return m
