"""Numba kernels of the POS tagger: word attributes, and one fused call per sentence (attributes,
hashed templates, constrained Viterbi)."""
from __future__ import annotations

import numpy as np
from numba import njit

from .._hash_kernels import TAGGER_WORD_BASIS, fnv1a_codes
from .._text_kernels import char_class, fold_code
from ..dictionary._kernels import _step
from ..sequence._feature_kernels import hash_templates, padded_attributes
from ..sequence._kernels import viterbi

#: attribute rows of the word preset (see :mod:`cnlp.pos.features`)
WORD, PRE1, PRE2, SUF1, SUF2, LENGTH, SHAPE, AMBIG, TOP, FREQ = range(10)
#: affix tag dictionary (tag set / top tag of the dictionary words of 2+ characters with the same
#: last / first character or last / first two characters) and characters inside the word
S1SET, S1TOP, P1SET, P1TOP, S2SET, S2TOP, P2SET, P2TOP, CHAR1, CHARM2, MID2 = range(10, 21)
#: stacking: the tag id + 1 a first-pass tagger predicted for the word (0 without one)
PRED = 21
N_ATTRIBUTES = 22
#: affix kinds of the affix table keys (``kind << AFFIX_SHIFT | value``)
AFFIX_S1, AFFIX_P1, AFFIX_S2, AFFIX_P2 = range(4)
AFFIX_SHIFT = 42
WORD_PAD = 2


@njit(cache=True, nogil=True)
def lookup(root, htab, word, codes, s, e):
    """Dictionary id of the folded ``codes[s:e]`` (-1 if it is not a word of the trie)."""
    node = 0
    for j in range(s, e):
        node = _step(root, htab, node, codes[j])
        if node < 0:
            return -1
    return word[node] if node > 0 else -1


@njit(cache=True, nogil=True, inline="always")
def _affix(keys, vals, key, A, p, col):
    """Copy the (set, top) row of ``key`` of the affix table into ``A[p, col:col + 2]`` (0 if absent)."""
    i = np.searchsorted(keys, key)
    if i < keys.shape[0] and keys[i] == key:
        A[p, col] = vals[i, 0]
        A[p, col + 1] = vals[i, 1]


@njit(cache=True, nogil=True)
def word_attributes(raw, bounds, table, trie, ambig, top, freq, affix, pred):
    """int64 (m + 4, N_ATTRIBUTES) attributes of the m words between cut offsets ``bounds`` of the
    code points ``raw``: a hash of the folded word, first / first two / last / last two characters,
    length (max 8), shape (classes of the first and last character, all characters of one class),
    and from the dictionary (``trie`` = forward trie arrays; ``ambig``, ``top``, ``freq`` int64 per
    word id) the word's set of tags, its most frequent tag and a frequency bucket (0: unknown);
    from the affix table ``affix`` = (sorted int64 keys, int64 (K, 2) (set, top) hashes) the tag
    set / top tag of the word's one- and two-character suffix and prefix (two-character ones for
    words of 2+ characters); the second and second-to-last characters and (4+ characters) the
    bigram of the second and third; ``pred`` int64 (m,) first-pass tag ids or (0,). Pads: -1 before, -2 after the sentence. O(total length)."""
    m = bounds.shape[0] - 1
    P = WORD_PAD
    A = padded_attributes(m, N_ATTRIBUTES, P)
    root, htab, word = trie
    n = raw.shape[0]
    codes = np.empty(n, np.int32)
    for i in range(n):
        codes[i] = fold_code(raw[i], table)
    for w in range(m):
        s, e = bounds[w], bounds[w + 1]
        p = w + P
        uniform = 1
        c0 = char_class(raw[s], table)
        for j in range(s + 1, e):
            if char_class(raw[j], table) != c0:
                uniform = 0
        A[p, WORD] = fnv1a_codes(codes, s, e, TAGGER_WORD_BASIS)
        A[p, PRE1] = codes[s]
        A[p, PRE2] = codes[s] * 1114112 + (codes[s + 1] if e - s > 1 else -3)
        A[p, SUF1] = codes[e - 1]
        A[p, SUF2] = (codes[e - 2] if e - s > 1 else -3) * 1114112 + codes[e - 1]
        A[p, LENGTH] = min(e - s, 8)
        A[p, SHAPE] = (c0 * 16 + char_class(raw[e - 1], table)) * 2 + uniform
        A[p, CHAR1] = codes[s + 1] if e - s > 1 else -3
        A[p, CHARM2] = codes[e - 2] if e - s > 1 else -3
        A[p, MID2] = codes[s + 1] * 1114112 + codes[s + 2] if e - s > 3 else -3
        if pred.shape[0] == m:
            A[p, PRED] = pred[w] + 1
        akeys, avals = affix
        if akeys.shape[0] > 0:
            _affix(akeys, avals, (AFFIX_S1 << AFFIX_SHIFT) | codes[e - 1], A, p, S1SET)
            _affix(akeys, avals, (AFFIX_P1 << AFFIX_SHIFT) | codes[s], A, p, P1SET)
            if e - s > 1:
                _affix(akeys, avals, (AFFIX_S2 << AFFIX_SHIFT) | (codes[e - 2] * 1114112 + codes[e - 1]), A, p, S2SET)
                _affix(akeys, avals, (AFFIX_P2 << AFFIX_SHIFT) | (codes[s] * 1114112 + codes[s + 1]), A, p, P2SET)
        k = lookup(root, htab, word, codes, s, e) if root.shape[0] > 1 else -1
        if k >= 0:
            A[p, AMBIG] = ambig[k]
            A[p, TOP] = top[k]
            A[p, FREQ] = freq[k]
    return A


@njit(cache=True, nogil=True)
def candidate_mask(raw, bounds, table, trie, cands, L, user):
    """bool (m, L) allowed tags, or (0, L) when nothing is restricted: a word seen at least
    ``min_count`` times in the tag dictionary may only take the tags it had there (``cands`` =
    (ptr int64 (V+1,), tag ids int32, word counts int64 (V,), min_count)); a row of ``user`` (m, L)
    with a False in it (a user-dictionary POS) replaces the row. O(m · L)."""
    m = bounds.shape[0] - 1
    ptr, ids, counts, min_count = cands
    root, htab, word = trie
    use_user = user.shape[0] == m
    mask = np.ones((m, L), np.bool_)
    restricted = False
    if min_count > 0 and root.shape[0] > 1:
        n = raw.shape[0]
        codes = np.empty(n, np.int32)
        for i in range(n):
            codes[i] = fold_code(raw[i], table)
        for w in range(m):
            k = lookup(root, htab, word, codes, bounds[w], bounds[w + 1])
            if k >= 0 and counts[k] >= min_count and ptr[k + 1] > ptr[k]:
                for y in range(L):
                    mask[w, y] = False
                for j in range(ptr[k], ptr[k + 1]):
                    mask[w, ids[j]] = True
                restricted = True
    if use_user:
        for w in range(m):
            fixed = False
            for y in range(L):
                if not user[w, y]:
                    fixed = True
            if fixed:
                for y in range(L):
                    mask[w, y] = user[w, y]
                restricted = True
    if not restricted:
        return np.zeros((0, L), np.bool_)
    return mask


@njit(cache=True, nogil=True)
def tag_words(raw, bounds, table, trie, ambig, top, freq, affix, spec, bits, cands, model, user, pred):
    """int32 tag ids of the words between ``bounds`` in one call: :func:`word_attributes`,
    :func:`hash_templates`, :func:`candidate_mask` and Viterbi under ``model`` = (index, weights,
    trans, start, end); ``user`` bool (m, L) or (0, L); ``pred`` first-pass tag ids (m,) or (0,)."""
    m = bounds.shape[0] - 1
    A = word_attributes(raw, bounds, table, trie, ambig, top, freq, affix, pred)
    X = hash_templates(A, np.int64(WORD_PAD), spec, bits, np.empty((m, spec[0].shape[0]), np.int32), np.int64(0))
    index, weights, trans, start, end = model
    L = weights[0].shape[1]
    allowed = candidate_mask(raw, bounds, table, trie, cands, L, user)
    return viterbi(X, index, weights, trans, start, end, allowed, np.zeros((0, L), np.float64))
