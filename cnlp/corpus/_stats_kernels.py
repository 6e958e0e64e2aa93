"""Numba kernels of the corpus statistics (:mod:`cnlp.corpus.stats`): document frequencies and
BMES label trigrams."""
from __future__ import annotations

import numpy as np
from numba import njit

from .._tagset_kernels import BMES_BOS, BMES_EOS


@njit(cache=True, nogil=True)
def _count_docs(tok_doc, tok_id, n):
    """Distinct documents per id; ``tok_doc`` must be non-decreasing (tokens in corpus order)."""
    out = np.zeros(n, np.int64)
    last = np.full(n, -1, np.int64)
    for k in range(tok_doc.shape[0]):
        i = tok_id[k]
        if last[i] != tok_doc[k]:
            last[i] = tok_doc[k]
            out[i] += 1
    return out


@njit(cache=True, nogil=True)
def _count_label_trigrams(labels, sent_end):
    """Label trigrams ``(6, 6, 6)`` of each sentence padded as ``BOS BOS l1 .. ln EOS`` (BMES labels,
    BOS = 4, EOS = 5); sentence k is ``labels[sent_end[k - 1]:sent_end[k]]`` and is never empty."""
    out = np.zeros((BMES_EOS + 1, BMES_EOS + 1, BMES_EOS + 1), np.int64)
    start = 0
    for k in range(sent_end.shape[0]):
        a = BMES_BOS
        b = BMES_BOS
        for i in range(start, sent_end[k]):
            c = labels[i]
            out[a, b, c] += 1
            a = b
            b = c
        out[a, b, BMES_EOS] += 1
        start = sent_end[k]
    return out
