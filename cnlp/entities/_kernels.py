"""Numba kernels of the entity recognizer: character attributes from the text, the cascade's
words and POS tags and the entity lexicon; one fused call per sentence (attributes, hashed
templates, constrained Viterbi)."""
from __future__ import annotations

import numpy as np
from numba import njit

from .._hash_kernels import TAGGER_WORD_BASIS, feature_id, fnv1a_codes
from .._tagset_kernels import BIO_PARTS, BIOES_PARTS, ROLE_B, ROLE_E, ROLE_I, ROLE_S, bmes_role, span_label, span_role
from .._text_kernels import MK_AT, MK_EMOJI, MK_HASH, MK_URL, char_class, fold_code, markup_marks
from ..dictionary._kernels import _step
from ..pos._kernels import lookup
from ..sequence._feature_kernels import hash_templates, padded_attributes
from ..sequence._kernels import viterbi

#: attribute rows (see :mod:`cnlp.entities.features`)
(CODE, CLASS, ROLE, WTAG, WORD, PTAG, NTAG, WLEN, PB, PI, LB, LE, OB, OE, WPROF, WIN, PWORD, NWORD,
 PPROF, NPROF, GB, GC, GE, MARK) = range(24)
N_ATTRIBUTES = 24
NER_PAD = 2
#: columns of the character statistics (PER start, PER inside, LOC start/end, ORG start/end)
N_CHAR_STATS = 6
#: columns of the word statistics (role profile, share inside entities)
N_WORD_STATS = 2


@njit(cache=True, nogil=True)
def _gazetteer(A, codes, gaz, gtypes, P):
    """Gazetteer attributes: for the longest known entity starting at / ending at / covering each
    character, its type and length (GB, GE: type * 8 + min(length, 7)) or the type and the
    character's role in it (GC: type * 4 + B 0 / I 1 / E 2 / S 3, plus 1); 0 where none."""
    root, htab, word = gaz
    n = codes.shape[0]
    if root.shape[0] <= 1:
        return
    cover = np.zeros(n, np.int64)
    for i in range(n):
        node = 0
        best_e, best_k = -1, -1
        for j in range(i, min(n, i + 32)):
            node = _step(root, htab, node, codes[j])
            if node < 0:
                break
            if node > 0 and word[node] >= 0:
                best_e, best_k = j + 1, word[node]
        if best_e < 0:
            continue
        t = gtypes[best_k]
        L = best_e - i
        A[i + P, GB] = t * 8 + min(L, 7)
        if A[best_e - 1 + P, GE] == 0 or L > (A[best_e - 1 + P, GE] & 7):
            A[best_e - 1 + P, GE] = t * 8 + min(L, 7)
        for p in range(i, best_e):
            if L > cover[p]:
                cover[p] = L
                A[p + P, GC] = t * 4 + bmes_role(p, i, best_e) + 1


@njit(cache=True, nogil=True)
def ner_attributes(raw, table, bounds, wtags, cstats, trie, wstats, gaz, gtypes):
    """int64 (n + 4, N_ATTRIBUTES) attributes of the n characters ``raw`` (int32 code points)
    segmented at ``bounds`` (m + 1 cut offsets) with per-word POS hashes ``wtags`` (int64 (m,)):
    folded code, class; the character's role in its word (B 0, M 1, E 2, S 3), the word's tag,
    hash and length (max 6), the previous / next word's tag and hash; the character's lexicon
    buckets (``cstats`` uint8 (C, 6) by folded code, 0 beyond C) and the word's (``trie`` =
    forward trie arrays of the lexicon words, ``wstats`` int64 (V, 2)) for it and its neighbours;
    the gazetteer matches (``gaz`` trie arrays of known entities, ``gtypes`` int64 type id + 1 per
    entry; :func:`_gazetteer`); the social-media mark (:func:`cnlp._text_kernels.markup_marks`).
    Pads: -1 before, -2 after the sentence. O(n)."""
    n = raw.shape[0]
    m = bounds.shape[0] - 1
    P = NER_PAD
    A = padded_attributes(n, N_ATTRIBUTES, P)
    codes = np.empty(n, np.int32)
    C = cstats.shape[0]
    for i in range(n):
        c = fold_code(raw[i], table)
        codes[i] = c
        p = i + P
        A[p, CODE] = c
        A[p, CLASS] = char_class(raw[i], table)
        if c < C:
            for k in range(N_CHAR_STATS):
                A[p, PB + k] = cstats[c, k]
    _gazetteer(A, codes, gaz, gtypes, np.int64(P))
    marks = markup_marks(raw, table, np.empty(n, np.int8))
    for i in range(n):
        A[i + P, MARK] = marks[i]
    root, htab, word = trie
    wh = np.empty(m, np.int64)
    wp = np.zeros(m, np.int64)
    wi = np.zeros(m, np.int64)
    for w in range(m):
        s, e = bounds[w], bounds[w + 1]
        wh[w] = fnv1a_codes(codes, s, e, TAGGER_WORD_BASIS)
        k = lookup(root, htab, word, codes, s, e) if root.shape[0] > 1 else -1
        if k >= 0:
            wp[w] = wstats[k, 0]
            wi[w] = wstats[k, 1]
    for w in range(m):
        s, e = bounds[w], bounds[w + 1]
        for i in range(s, e):
            p = i + P
            A[p, ROLE] = bmes_role(i, s, e)
            A[p, WTAG] = wtags[w]
            A[p, WORD] = wh[w]
            A[p, WLEN] = min(e - s, 6)
            A[p, WPROF] = wp[w]
            A[p, WIN] = wi[w]
            if w > 0:
                A[p, PTAG], A[p, PWORD], A[p, PPROF] = wtags[w - 1], wh[w - 1], wp[w - 1]
            else:
                A[p, PTAG], A[p, PWORD], A[p, PPROF] = -1, -1, -1
            if w + 1 < m:
                A[p, NTAG], A[p, NWORD], A[p, NPROF] = wtags[w + 1], wh[w + 1], wp[w + 1]
            else:
                A[p, NTAG], A[p, NWORD], A[p, NPROF] = -2, -2, -2
    return A


@njit(cache=True, nogil=True, inline="always")
def copy_id(f, domain, k, mask):
    """The id of feature ``f``'s copy for training corpus ``domain``; ``k`` is the template's
    column, or -1 for the copy hashed from the id alone (which :func:`copy_ids` can recompute
    from a weight row, so decoding can add each copy to its shared row once)."""
    if k < 0:
        return feature_id(2000003 + domain, f, 0, mask)
    return feature_id(1000003 + domain, f, k, mask)


@njit(cache=True, nogil=True)
def copy_ids(ids, domain, bits):
    """int64 copy ids (:func:`copy_id`, hashed from the id alone) of the feature ids ``ids``."""
    mask = (1 << bits) - 1
    out = np.empty(ids.shape[0], np.int64)
    for i in range(ids.shape[0]):
        out[i] = copy_id(ids[i], domain, -1, mask)
    return out


@njit(cache=True, nogil=True)
def ner_features(raw, table, bounds, wtags, cstats, trie, wstats, gaz, gtypes, spec, bits, domain, by_id=False):
    """int32 (n, T) feature ids: :func:`ner_attributes` hashed by the templates of ``spec``; with
    ``domain`` > 0, (n, 2T): each id followed (in columns T..2T-1) by its copy for that domain
    (feature augmentation: weights shared by all training corpora plus one set per corpus;
    ``by_id``: the copy hashed from the id alone, see :func:`copy_id`)."""
    A = ner_attributes(raw, table, bounds, wtags, cstats, trie, wstats, gaz, gtypes)
    n, T = raw.shape[0], spec[0].shape[0]
    out = np.empty((n, 2 * T if domain > 0 else T), np.int32)
    hash_templates(A, np.int64(NER_PAD), spec, bits, out, np.int64(0))
    if domain > 0:
        mask = (1 << bits) - 1
        for t in range(n):
            for k in range(T):
                out[t, T + k] = copy_id(out[t, k], domain, -1 if by_id else k, mask)
    return out


@njit(cache=True, nogil=True)
def markup_mask(raw, table, allowed, L):
    """``allowed`` (n, L) or (0, L) with the characters of URLs, the ``@`` / ``#`` signs and emoji
    allowed only the label O (0); a new (n, L) array when one is needed, else ``allowed`` itself."""
    n = raw.shape[0]
    marks = markup_marks(raw, table, np.empty(n, np.int8))
    out = allowed
    for i in range(n):
        m = marks[i]
        if m == MK_URL or m == MK_AT or m == MK_HASH or m == MK_EMOJI:
            if out.shape[0] == 0:
                out = np.ones((n, L), np.bool_)
            for y in range(1, L):
                out[i, y] = False
            out[i, 0] = True
    return out


@njit(cache=True, nogil=True)
def tag_entities(raw, table, bounds, wtags, cstats, trie, wstats, gaz, gtypes, spec, bits, domain, model, allowed,
                 bias, mask_markup=False, by_id=False):
    """int32 entity labels of the characters ``raw`` in one call: :func:`ner_features` and Viterbi
    under ``model`` = (index, weights, trans, start, end) with the label mask ``allowed`` (n, L) or
    (0, L) and additive scores ``bias`` (n, L) or (0, L); with ``mask_markup``, URL, ``@``, ``#``
    and emoji characters are O (:func:`markup_mask`); ``by_id``: see :func:`ner_features`."""
    X = ner_features(raw, table, bounds, wtags, cstats, trie, wstats, gaz, gtypes, spec, bits, domain, by_id)
    index, weights, trans, start, end = model
    if mask_markup:
        allowed = markup_mask(raw, table, allowed, trans.shape[0])
    return viterbi(X, index, weights, trans, start, end, allowed, bias)


@njit(cache=True, nogil=True)
def entity_constraints(n, L, starts, ends, type_base, force, strength, scheme_parts, word_starts, word_ends,
                       allowed, bias):
    """Fill ``allowed`` bool (n, L) and ``bias`` float64 (n, L) (both start all True / 0):

    * a forced entity ``[s, e)`` of the type whose ``B`` label is ``type_base`` may only take the
      labels that make it exactly one entity of that type;
    * a suggested one adds ``strength`` to those labels;
    * a forced word ``[ws, we)`` (``word_starts`` / ``word_ends``) is never crossed by an entity:
      no entity starts inside it or ends before its last character.

    ``scheme_parts`` is 2 (BIO: B, I per type) or 4 (BIOES: B, I, E, S). Spans of one kind must
    not overlap each other. Returns the number of forced positions."""
    forced = 0
    for k in range(starts.shape[0]):
        s, e, b = starts[k], ends[k], type_base[k]
        for i in range(s, e):
            lab = span_label(b, i, s, e, scheme_parts)
            if force[k]:
                for y in range(L):
                    allowed[i, y] = False
                allowed[i, lab] = True
                forced += 1
            else:
                bias[i, lab] += strength
        if force[k] and e < n and scheme_parts == BIO_PARTS:
            # BIO: the character after a forced entity must not continue it (its I label)
            allowed[e, b + ROLE_I] = False
    for k in range(word_starts.shape[0]):
        s, e = word_starts[k], word_ends[k]
        for i in range(s, e):
            for y in range(1, L):
                r = span_role(y, scheme_parts)
                starts_here = r == ROLE_B or r == ROLE_S
                ends_here = r == ROLE_E or r == ROLE_S
                if (i > s and starts_here) or (scheme_parts == BIOES_PARTS and i < e - 1 and ends_here):
                    allowed[i, y] = False
            forced += 1
    return forced


@njit(cache=True, nogil=True)
def route_features(raw, table, bits):
    """int32 hashed ids of the folded character unigrams and bigrams of ``raw`` and of its
    social-media marks (:func:`cnlp._text_kernels.markup_marks`): the bag the domain router reads."""
    n = raw.shape[0]
    mask = (1 << bits) - 1
    marks = markup_marks(raw, table, np.empty(n, np.int8))
    out = np.empty(2 * n + 1, np.int32)
    prev = -1
    k = 0
    for i in range(n):
        c = fold_code(raw[i], table)
        out[k] = feature_id(7001, c, 0, mask)
        out[k + 1] = feature_id(7002, prev, c, mask) if marks[i] == 0 else feature_id(7003, marks[i], 0, mask)
        k += 2
        prev = c
    out[k] = feature_id(7004, prev, -2, mask)
    return out


@njit(cache=True, nogil=True)
def route_scores(raw, table, bits, weights, bias):
    """float64 (K,) score of each domain for the text ``raw``: ``bias`` plus the mean of the
    ``weights`` (2**bits, K) rows of :func:`route_features`."""
    ids = route_features(raw, table, bits)
    K = weights.shape[1]
    s = np.zeros(K, np.float64)
    for j in range(ids.shape[0]):
        for k in range(K):
            s[k] += weights[ids[j], k]
    for k in range(K):
        s[k] = s[k] / max(ids.shape[0], 1) + bias[k]
    return s
