"""Numba kernels over the array form of a trie (CSR children, dense BMP root table).

A trie is passed as a :class:`TrieArrays` namedtuple of int32 arrays:

* ``root``  (65536,)  child node of the root for each BMP code point, -1 if none
* ``first`` (n_nodes + 1,) children of node v are edges ``first[v]:first[v+1]``
* ``code``  (n_edges,) edge code points, ascending within a node
* ``child`` (n_edges,) node reached by each edge
* ``word``  (n_nodes,) word id ending at node, -1 if none

Walking from position i costs O(L log b) for a word of length L (b = branching).
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

TrieArrays = namedtuple("TrieArrays", "root first code child word")


def empty_trie() -> TrieArrays:
    return TrieArrays(np.full(65536, -1, np.int32), np.zeros(2, np.int32), np.zeros(0, np.int32),
                      np.zeros(0, np.int32), np.full(1, -1, np.int32))


@njit(cache=True, nogil=True, inline="always")
def _step(t, node, c):
    """Child of ``node`` along code point ``c`` or -1 (binary search over the node's edges)."""
    if node == 0 and 0 <= c < 65536:
        return t.root[c]
    lo = t.first[node]
    hi = t.first[node + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        v = t.code[mid]
        if v < c:
            lo = mid + 1
        elif v > c:
            hi = mid
        else:
            return t.child[mid]
    return -1


@njit(cache=True, nogil=True)
def longest_forward(t, codes, i, lim):
    """End of the longest word of ``t`` in ``codes[i:lim]`` starting at i, or -1."""
    node = 0
    best = -1
    j = i
    while j < lim:
        node = _step(t, node, codes[j])
        if node < 0:
            break
        j += 1
        if t.word[node] >= 0:
            best = j
    return best


@njit(cache=True, nogil=True)
def longest_backward(t, codes, j, lim):
    """Start of the longest word of reversed trie ``t`` in ``codes[lim:j]`` ending at j, or -1."""
    node = 0
    best = -1
    i = j
    while i > lim:
        node = _step(t, node, codes[i - 1])
        if node < 0:
            break
        i -= 1
        if t.word[node] >= 0:
            best = i
    return best


@njit(cache=True, nogil=True)
def count_matches(t, codes):
    n = codes.shape[0]
    m = 0
    for i in range(n):
        node = 0
        j = i
        while j < n:
            node = _step(t, node, codes[j])
            if node < 0:
                break
            j += 1
            if t.word[node] >= 0:
                m += 1
    return m


@njit(cache=True, nogil=True)
def fill_matches(t, codes, offsets, ends, ids):
    """All words starting at each position: ``ends[offsets[i]:offsets[i+1]]`` ascending. O(n L)."""
    n = codes.shape[0]
    m = 0
    for i in range(n):
        offsets[i] = m
        node = 0
        j = i
        while j < n:
            node = _step(t, node, codes[j])
            if node < 0:
                break
            j += 1
            w = t.word[node]
            if w >= 0:
                ends[m] = j
                ids[m] = w
                m += 1
    offsets[n] = m
    return m
