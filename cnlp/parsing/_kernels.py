"""Numba kernels of the arc-hybrid parser: word attributes, transitions, feature hashing, the static
oracle, greedy/beam decoding and one perceptron training epoch (early update).

Conventions (every kernel):

* A sentence of ``n`` words is a token table ``tok`` int64 (n + 2, N_TOK): row 0 is ROOT, rows 1..n
  the words, row n + 1 the NONE token that stands for every missing position. Columns: ``TW`` word
  hash, ``TP`` tag id, ``TF`` first and ``TL`` last character (width-folded code point), ``TC``
  the number of clause punctuation words (，；：) after the word, at most 3, and in a
  table of N_TOK + 1 columns ``TG``, the tag id a guide tagger (another tag set) gave the word; such
  a table adds the N_GUIDE guide templates to the features.
* A parser state is ``st`` int64 (n + 2, N_ST) (head, label, two leftmost / rightmost children,
  left / right valency, left / right child-label bit sets; -1 = none), ``stack`` int32 (n + 1,) with
  ROOT at the bottom, and two scalars ``sp`` (stack size) and ``b`` (next buffer word, n + 1 = empty).
* Actions: 0 = SHIFT, 1 + l = LEFT-l (s0 <- b0), 1 + L + l = RIGHT-l (s0 <- s1). RIGHT onto ROOT is
  allowed only with the ``root`` label and an empty buffer, every other arc never takes ``root``,
  so every terminal state (2n transitions) is one tree with one root.
* Weights: ``index`` (2**bits,) maps a hashed feature id to its weights, or -1 (no weight). In
  training, ``index`` int32 holds row numbers of a dense ``W`` float32 (rows, n_actions). When
  parsing, ``index`` (int32, or int64 for very large models) holds one packed code per feature,
  ``start << LEN_BITS | length`` (see :func:`score`): a feature with a ``length`` > 0 has the
  sparse entries ``ent[start:start + length]`` (uint64: ``action << 32 |`` the float32 bits of its
  score), one with ``length`` 0 the dense row ``dense[start]`` (float32, n_actions padded to a
  multiple of 8). Rows with many non-zero scores are dense (one vectorised add); every feature
  costs one index lookup and one row lookup, both prefetched (:func:`cnlp.parsing.parser.pack_rows`
  builds the layout).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._hash_kernels import FNV_OFFSET, fnv1a_codes, salted_id
from .._hash_kernels import parser_hash as _h
from .._intrinsics import float32_from_bits, prefetch, prefetch_row

# token table columns
TW, TP, TF, TL, TC, TG = 0, 1, 2, 3, 4, 5
N_TOK = 5
# state columns
HEAD, LABEL, LC1, LC2, RC1, RC2, NL, NR, LSET, RSET = range(10)
N_ST = 10
#: number of feature templates (without the treebank copies)
N_TEMPLATES = 77
#: number of guide-tag templates (token tables with a ``TG`` column)
N_GUIDE = 12
#: low bits of a packed weight code that hold a sparse row's length (0: a dense row); actions < 2**LEN_BITS
LEN_BITS = 7


# ------------------------------------------------------------------------------ words and hashing
@njit(cache=True, nogil=True)
def word_table(folded, bounds, tags, guide, out):
    """Fill ``out`` int64 (m + 2, N_TOK or N_TOK + 1) for the m words between ``bounds`` (int32
    (m + 1,)) of the width-folded code points ``folded`` (int32); ``tags`` int64 (m,) tag ids;
    ``guide`` int64 (m,) guide tag ids (the ``TG`` column of a wider ``out``). Word hash: FNV-1a
    over the folded code points. Row 0 (ROOT) and row m + 1 (NONE) get fixed values."""
    m = bounds.shape[0] - 1
    for c in range(out.shape[1]):
        out[0, c] = -2
        out[m + 1, c] = -3
    after = 0                    # clause punctuation words after word i (at most 3)
    for i in range(m - 1, -1, -1):
        out[i + 1, TW] = fnv1a_codes(folded, bounds[i], bounds[i + 1], FNV_OFFSET)
        out[i + 1, TP] = tags[i]
        out[i + 1, TF] = folded[bounds[i]]
        out[i + 1, TL] = folded[bounds[i + 1] - 1]
        out[i + 1, TC] = after
        if out.shape[1] > N_TOK:
            out[i + 1, TG] = guide[i]
        if bounds[i + 1] - bounds[i] == 1 and _clause_punct(folded[bounds[i]]) and after < 3:
            after += 1


@njit(cache=True, nogil=True, inline="always")
def _clause_punct(c):
    """，；： and their ASCII forms (what width folding gives)."""
    return c == 44 or c == 59 or c == 58 or c == 0xFF0C or c == 0xFF1B or c == 0xFF1A


@njit(cache=True, nogil=True, inline="always")
def n_raw(tok):
    """Templates of a token table: N_TEMPLATES, + N_GUIDE with a ``TG`` column."""
    return N_TEMPLATES + N_GUIDE if tok.shape[1] > N_TOK else N_TEMPLATES


# ------------------------------------------------------------------------------ states
@njit(cache=True, nogil=True)
def init_state(n, st, stack):
    """Reset ``st`` / ``stack`` to the initial state; returns (sp, b) = (1, 1)."""
    for i in range(n + 2):
        st[i, HEAD] = -1
        st[i, LABEL] = -1
        st[i, LC1] = -1
        st[i, LC2] = -1
        st[i, RC1] = -1
        st[i, RC2] = -1
        st[i, NL] = 0
        st[i, NR] = 0
        st[i, LSET] = 0
        st[i, RSET] = 0
    stack[0] = 0
    return 1, 1


@njit(cache=True, nogil=True)
def _attach(st, h, d, lab):
    st[d, HEAD] = h
    st[d, LABEL] = lab
    bit = np.int64(1) << np.int64(lab & 63)
    if d < h:
        if st[h, LC1] == -1 or d < st[h, LC1]:
            st[h, LC2] = st[h, LC1]
            st[h, LC1] = d
        elif st[h, LC2] == -1 or d < st[h, LC2]:
            st[h, LC2] = d
        st[h, NL] += 1
        st[h, LSET] |= bit
    else:
        if st[h, RC1] == -1 or d > st[h, RC1]:
            st[h, RC2] = st[h, RC1]
            st[h, RC1] = d
        elif st[h, RC2] == -1 or d > st[h, RC2]:
            st[h, RC2] = d
        st[h, NR] += 1
        st[h, RSET] |= bit


@njit(cache=True, nogil=True)
def apply(st, stack, sp, b, a, n_labels):
    """Apply action ``a`` (assumed valid); returns the new (sp, b)."""
    if a == 0:
        stack[sp] = b
        return sp + 1, b + 1
    if a <= n_labels:
        _attach(st, b, stack[sp - 1], a - 1)
    else:
        _attach(st, stack[sp - 2], stack[sp - 1], a - 1 - n_labels)
    return sp - 1, b


@njit(cache=True, nogil=True)
def valid(a, sp, b, n, n_labels, root_label):
    """Whether action ``a`` is allowed in a state with stack size ``sp`` and next word ``b``."""
    if a == 0:
        return b <= n
    if a <= n_labels:
        return sp >= 2 and b <= n and a - 1 != root_label
    if sp >= 3:
        return a - 1 - n_labels != root_label
    return sp == 2 and b > n and a - 1 - n_labels == root_label


# ------------------------------------------------------------------------------ features
@njit(cache=True, nogil=True)
def features(tok, st, stack, sp, b, n, tb, mask, raw, out):
    """Fill ``out`` int64 (T or 2 * T,) (scratch ``raw`` uint64 (T,), T = :func:`n_raw`) with the
    hashed feature ids of the state (Zhang & Nivre 2011 templates adapted to arc-hybrid: s0, s1, s2,
    b0, b1, b2, children of s0 / s1 / b0, distance, valency, child-label sets, third order,
    word-edge characters; with a ``TG`` column, guide tags of s0, s1, b0, b1 alone and combined
    with words, tags and distance). With the longer ``out`` the second half repeats every template
    conjoined with the treebank id ``tb`` (-1 there when ``tb`` < 0)."""
    N = n + 1
    s0 = stack[sp - 1]
    s1 = stack[sp - 2] if sp >= 2 else N
    s2 = stack[sp - 3] if sp >= 3 else N
    b0 = b if b <= n else N
    b1 = b + 1 if b + 1 <= n else N
    b2 = b + 2 if b + 2 <= n else N
    s0l = st[s0, LC1] if st[s0, LC1] >= 0 else N
    s0l2 = st[s0, LC2] if st[s0, LC2] >= 0 else N
    s0r = st[s0, RC1] if st[s0, RC1] >= 0 else N
    s0r2 = st[s0, RC2] if st[s0, RC2] >= 0 else N
    s1l = st[s1, LC1] if st[s1, LC1] >= 0 else N
    s1r = st[s1, RC1] if st[s1, RC1] >= 0 else N
    b0l = st[b0, LC1] if st[b0, LC1] >= 0 else N
    b0l2 = st[b0, LC2] if st[b0, LC2] >= 0 else N
    s0w, s0p = tok[s0, TW], tok[s0, TP]
    s1w, s1p = tok[s1, TW], tok[s1, TP]
    b0w, b0p = tok[b0, TW], tok[b0, TP]
    b1w, b1p = tok[b1, TW], tok[b1, TP]
    b2w, b2p = tok[b2, TW], tok[b2, TP]
    s2p = tok[s2, TP]
    d = min(b0 - s0, 6) if b0 <= n and s0 > 0 else 0
    d1 = min(s0 - s1, 6) if s1 <= n and s1 > 0 else 0
    o = raw
    # single words
    o[0] = _h(0, s0w, s0p, 0); o[1] = _h(1, s0w, 0, 0); o[2] = _h(2, s0p, 0, 0)
    o[3] = _h(3, b0w, b0p, 0); o[4] = _h(4, b0w, 0, 0); o[5] = _h(5, b0p, 0, 0)
    o[6] = _h(6, b1w, b1p, 0); o[7] = _h(7, b1w, 0, 0); o[8] = _h(8, b1p, 0, 0)
    o[9] = _h(9, b2w, b2p, 0); o[10] = _h(10, b2w, 0, 0); o[11] = _h(11, b2p, 0, 0)
    o[12] = _h(12, s1w, s1p, 0); o[13] = _h(13, s1w, 0, 0); o[14] = _h(14, s1p, 0, 0)
    o[15] = _h(15, s2p, 0, 0)
    # pairs
    o[16] = _h(16, s0w * 31 + s0p, b0w * 31 + b0p, 0); o[17] = _h(17, s0w * 31 + s0p, b0w, 0)
    o[18] = _h(18, s0w, b0w * 31 + b0p, 0); o[19] = _h(19, s0w * 31 + s0p, b0p, 0)
    o[20] = _h(20, s0p, b0w * 31 + b0p, 0); o[21] = _h(21, s0w, b0w, 0)
    o[22] = _h(22, s0p, b0p, 0); o[23] = _h(23, b0p, b1p, 0)
    o[24] = _h(24, s1w * 31 + s1p, s0w * 31 + s0p, 0); o[25] = _h(25, s1w, s0w, 0)
    o[26] = _h(26, s1p, s0w, 0); o[27] = _h(27, s1w, s0p, 0)
    # three words
    o[28] = _h(28, b0p, b1p, b2p); o[29] = _h(29, s0p, b0p, b1p); o[30] = _h(30, s1p, s0p, b0p)
    o[31] = _h(31, s0p, tok[s0l, TP], b0p); o[32] = _h(32, s0p, tok[s0r, TP], b0p)
    o[33] = _h(33, s0p, b0p, tok[b0l, TP]); o[34] = _h(34, s2p, s1p, s0p)
    o[35] = _h(35, s1p, s0p, tok[s0l, TP]); o[36] = _h(36, s1p, s0p, tok[s0r, TP])
    o[37] = _h(37, s1p, tok[s1r, TP], s0p)
    # distance
    o[38] = _h(38, s0w, d, 0); o[39] = _h(39, s0p, d, 0); o[40] = _h(40, b0w, d, 0)
    o[41] = _h(41, b0p, d, 0); o[42] = _h(42, s0w * 31 + b0w, d, 0); o[43] = _h(43, s0p, b0p, d)
    o[44] = _h(44, s1p, s0p, d1); o[45] = _h(45, s1w, s0w, d1)
    # valency
    o[46] = _h(46, s0w, st[s0, NR], 0); o[47] = _h(47, s0p, st[s0, NR], 0)
    o[48] = _h(48, s0w, st[s0, NL], 0); o[49] = _h(49, s0p, st[s0, NL], 0)
    o[50] = _h(50, b0w, st[b0, NL], 0); o[51] = _h(51, b0p, st[b0, NL], 0)
    o[52] = _h(52, s1p, st[s1, NR], 0)
    # children (second order)
    o[53] = _h(53, tok[s0l, TW], tok[s0l, TP], st[s0l, LABEL])
    o[54] = _h(54, tok[s0r, TW], tok[s0r, TP], st[s0r, LABEL])
    o[55] = _h(55, tok[b0l, TW], tok[b0l, TP], st[b0l, LABEL])
    o[56] = _h(56, st[s0l, LABEL], s0p, 0); o[57] = _h(57, st[s0r, LABEL], s0p, 0)
    o[58] = _h(58, st[b0l, LABEL], b0p, 0); o[59] = _h(59, tok[s1l, TP], st[s1l, LABEL], s1p)
    # third order
    o[60] = _h(60, tok[s0l2, TP], st[s0l2, LABEL], 0); o[61] = _h(61, tok[s0r2, TP], st[s0r2, LABEL], 0)
    o[62] = _h(62, tok[b0l2, TP], st[b0l2, LABEL], 0)
    o[63] = _h(63, s0p, tok[s0l, TP], tok[s0l2, TP]); o[64] = _h(64, s0p, tok[s0r, TP], tok[s0r2, TP])
    o[65] = _h(65, b0p, tok[b0l, TP], tok[b0l2, TP])
    # label sets
    o[66] = _h(66, s0w, st[s0, RSET], 0); o[67] = _h(67, s0p, st[s0, RSET], st[s0, LSET])
    o[68] = _h(68, b0w, st[b0, LSET], 0); o[69] = _h(69, b0p, st[b0, LSET], 0)
    # word-edge characters (unknown words)
    o[70] = _h(70, tok[s0, TL], s0p, b0p); o[71] = _h(71, tok[b0, TL], b0p, s0p)
    o[72] = _h(72, tok[b0, TF], b0p, 0); o[73] = _h(73, tok[s0, TF], s0p, 0)
    # clauses ahead: clause punctuation after b0, and between s0 and b0
    cb = tok[b0, TC] if b0 <= n else 0
    cs = tok[s0, TC] - cb if s0 > 0 else 0
    o[74] = _h(74, s0p, b0p, cb); o[75] = _h(75, s0p, b0p, 4 + cs); o[76] = _h(76, b0p, cb, st[s0, NL])
    T = raw.shape[0]
    if T > N_TEMPLATES:
        s0g, s1g, b0g, b1g = tok[s0, TG], tok[s1, TG], tok[b0, TG], tok[b1, TG]
        o[77] = _h(77, s0g, 0, 0); o[78] = _h(78, b0g, 0, 0); o[79] = _h(79, b1g, 0, 0)
        o[80] = _h(80, s1g, 0, 0); o[81] = _h(81, s0g, b0g, 0); o[82] = _h(82, s0w, b0g, 0)
        o[83] = _h(83, s0g, b0w, 0); o[84] = _h(84, s1g, s0g, 0); o[85] = _h(85, s0g, b0g, b1g)
        o[86] = _h(86, s1g, s0g, b0g); o[87] = _h(87, s0g, b0g, d)
        o[88] = _h(88, s0p * 64 + s0g, b0p * 64 + b0g, 0)
    m = np.uint64(mask)
    for j in range(T):
        out[j] = np.int64(raw[j] & m)
    if out.shape[0] > T:
        for j in range(T):
            out[T + j] = salted_id(raw[j], tb, m) if tb >= 0 else -1


@njit(cache=True, nogil=True)
def score(feats, index, W, ent, dense, out):
    """``out`` float32 = sum of the weights of the features ``feats`` (int64; -1 skipped), action by
    action in feature order. Dense training rows (``W`` float32 (rows, A), ``index`` -> row; ``out``
    (A,)) when ``W`` has rows, else the packed parse layout of the module docstring (``out``
    (``dense.shape[1]``,); a dense row adds exact zeros for the actions it lacks)."""
    score_many(feats.reshape((1, feats.shape[0])), np.int64(1), index, W, ent, dense, out.reshape((1, out.shape[0])))


@njit(cache=True, nogil=True)
def score_many(feats, m, index, W, ent, dense, out):
    """:func:`score` of the feature rows ``feats[:m]`` (int64 (>= m, F)) into ``out[:m]`` (float32
    2-D). With the packed layout the cache misses of all ``m`` rows overlap: the index entries are
    prefetched, then read and their weight rows prefetched, then the rows are added."""
    nf = feats.shape[1]
    out[:m] = 0.0
    if W.shape[0] > 0:
        for i in range(m):
            for f in feats[i]:
                if f >= 0:
                    r = index[f]
                    if r >= 0:
                        for a in range(W.shape[1]):
                            out[i, a] += W[r, a]
        return
    lmask = (1 << LEN_BITS) - 1
    for i in range(m):
        for j in range(nf):
            if feats[i, j] >= 0:
                prefetch(index, feats[i, j])
    codes = np.empty((m, nf), np.int64)
    for i in range(m):
        for j in range(nf):
            c = np.int64(index[feats[i, j]]) if feats[i, j] >= 0 else -1
            codes[i, j] = c
            if c >= 0:
                s, ln = c >> LEN_BITS, c & lmask
                if ln > 0:
                    prefetch(ent, s)
                    prefetch(ent, s + ln - 1)
                else:
                    prefetch_row(dense, s)
    width = dense.shape[1]
    for i in range(m):
        o = out[i]
        for j in range(nf):
            c = codes[i, j]
            if c >= 0:
                s, ln = c >> LEN_BITS, c & lmask
                if ln > 0:
                    for k in range(s, s + ln):
                        e = ent[k]
                        o[e >> np.uint64(32)] += float32_from_bits(e)
                else:
                    row = dense[s]
                    for a in range(width):
                        o[a] += row[a]


@njit(cache=True, nogil=True)
def pack_rows(ids, ptr, act, bits, dense_min, index, ent, dense):
    """Write the parse layout of sparse rows (feature ``ids[i]``: the actions ``act[ptr[i]:ptr[i + 1]]``
    with the float32 scores whose bits are ``bits[...]`` (uint32)) into ``index`` (all -1),
    ``ent`` and ``dense`` (zeros), sized by the caller: rows of ``dense_min`` or more entries are
    dense, in order, the others fill ``ent`` in order; empty rows get no code."""
    e = 0
    d = 0
    for i in range(ids.shape[0]):
        lo, hi = ptr[i], ptr[i + 1]
        if hi == lo:
            continue
        if hi - lo >= dense_min:
            for k in range(lo, hi):
                dense[d, act[k]] = float32_from_bits(bits[k])
            index[ids[i]] = d << LEN_BITS
            d += 1
        else:
            index[ids[i]] = (e << LEN_BITS) | (hi - lo)
            for k in range(lo, hi):
                ent[e] = (np.uint64(act[k]) << np.uint64(32)) | np.uint64(bits[k])
                e += 1


# ------------------------------------------------------------------------------ oracle
@njit(cache=True, nogil=True)
def gold_actions(gold_head, gold_label, n, n_labels, out):
    """Static arc-hybrid oracle: fill ``out`` int32 (2n,) with the actions that build the projective
    tree ``gold_head`` int64 (n + 1,) (entry 0 unused, 0 = root) labelled ``gold_label`` (int64);
    returns False when the tree is not reachable (non-projective, or not one root)."""
    st = np.empty((n + 2, N_ST), np.int64)
    stack = np.empty(n + 1, np.int32)
    sp, b = init_state(n, st, stack)
    need = np.zeros(n + 2, np.int64)
    for i in range(1, n + 1):
        need[gold_head[i]] += 1
    for t in range(2 * n):
        a = -1
        if sp >= 2:
            s0 = stack[sp - 1]
            if b <= n and gold_head[s0] == b:
                a = 1 + gold_label[s0]
            elif gold_head[s0] == stack[sp - 2] and st[s0, NL] + st[s0, NR] == need[s0] and \
                    (stack[sp - 2] != 0 or b > n):
                a = 1 + n_labels + gold_label[s0]
        if a < 0:
            if b > n:
                return False
            a = 0
        out[t] = a
        sp, b = apply(st, stack, sp, b, a, n_labels)
    return True


# ------------------------------------------------------------------------------ decoding
@njit(cache=True, nogil=True)
def _insert(top_s, top_k, top_a, cnt, s, k, a):
    """Insert candidate (score s, hyp k, action a) into the descending top list; returns new count."""
    B = top_s.shape[0]
    if cnt == B and s <= top_s[B - 1]:
        return cnt
    j = cnt if cnt < B else B - 1
    while j > 0 and top_s[j - 1] < s:
        top_s[j] = top_s[j - 1]
        top_k[j] = top_k[j - 1]
        top_a[j] = top_a[j - 1]
        j -= 1
    top_s[j] = s
    top_k[j] = k
    top_a[j] = a
    return cnt + 1 if cnt < B else cnt


@njit(cache=True, nogil=True)
def beam_search(tok, n, index, W, ent, dense, n_labels, root_label, tb, mask, n_feats, beam, gold, hist_k, hist_a):
    """Beam search over the 2n transitions of a sentence (``beam`` = 1: greedy). Weights: ``W`` in
    training, else ``ent`` / ``dense`` (:func:`score`).

    ``hist_k`` / ``hist_a`` int32 (2n, beam) receive each step's parent and action per beam item.
    With ``gold`` int32 (2n,) (training; else length 0) the search stops at the first step whose
    beam lost the gold prefix. Returns (steps done, state of the best item st int64 (n + 2, N_ST),
    gold_lost: bool)."""
    A = 1 + 2 * n_labels
    B = beam
    sts = np.empty((2, B, n + 2, N_ST), np.int64)
    stacks = np.empty((2, B, n + 1), np.int32)
    sps = np.empty((2, B), np.int64)
    bs = np.empty((2, B), np.int64)
    hs = np.zeros((2, B), np.float64)
    isgold = np.zeros((2, B), np.bool_)
    sp0, b0 = init_state(n, sts[0, 0], stacks[0, 0])
    sps[0, 0] = sp0
    bs[0, 0] = b0
    isgold[0, 0] = True
    raw = np.empty(n_raw(tok), np.uint64)
    feats = np.empty((B, n_feats), np.int64)
    sc = np.empty((B, max(A, dense.shape[1])), np.float32)
    top_s = np.empty(B, np.float64)
    top_k = np.empty(B, np.int64)
    top_a = np.empty(B, np.int64)
    cur, nh = 0, np.int64(1)          # np.int64: not a Literal[int] (one compiled score_many, not two)
    training = gold.shape[0] > 0
    for t in range(2 * n):
        cnt = np.int64(0)
        for k in range(nh):
            features(tok, sts[cur, k], stacks[cur, k], sps[cur, k], bs[cur, k], n, tb, mask, raw, feats[k])
        score_many(feats, nh, index, W, ent, dense, sc)
        for k in range(nh):
            sp, b = sps[cur, k], bs[cur, k]
            if B == 1:                      # greedy: the first best valid action, as _insert keeps it
                for a in range(A):
                    if valid(a, sp, b, n, n_labels, root_label):
                        s = hs[cur, k] + sc[k, a]
                        if cnt == 0 or s > top_s[0]:
                            top_s[0], top_k[0], top_a[0], cnt = s, k, a, 1
                continue
            for a in range(A):
                if valid(a, sp, b, n, n_labels, root_label):
                    cnt = _insert(top_s, top_k, top_a, cnt, hs[cur, k] + sc[k, a], k, a)
        nxt = 1 - cur
        lost = True
        for j in range(cnt):
            k, a = top_k[j], top_a[j]
            if B > 1:                       # element loops: a slice copy compiles a shape-error message (~2 s)
                for r in range(n + 2):
                    for q in range(N_ST):
                        sts[nxt, j, r, q] = sts[cur, k, r, q]
                for r in range(n + 1):
                    stacks[nxt, j, r] = stacks[cur, k, r]
            else:
                nxt = cur
            sps[nxt, j], bs[nxt, j] = apply(sts[nxt, j], stacks[nxt, j], sps[cur, k], bs[cur, k], a, n_labels)
            hs[nxt, j] = top_s[j]
            if training:
                isgold[nxt, j] = isgold[cur, k] and a == gold[t]
                if isgold[nxt, j]:
                    lost = False
            hist_k[t, j] = k
            hist_a[t, j] = a
        cur, nh = nxt, cnt
        if training and lost:
            return t + 1, sts[cur, 0].copy(), True
    return 2 * n, sts[cur, 0].copy(), training and not isgold[cur, 0]


@njit(cache=True, nogil=True)
def parse_sentence(tok, n, index, ent, dense, n_labels, root_label, tb, mask, n_feats, beam, heads, labels):
    """Parse one sentence: ``heads`` / ``labels`` int32 (n,) receive 1-based heads (0 = root) and
    label ids. The result is always one tree with one root (see the module docstring)."""
    hist_k = np.empty((2 * n, beam), np.int32)
    hist_a = np.empty((2 * n, beam), np.int32)
    W = np.zeros((0, 1 + 2 * n_labels), np.float32)
    _, st, _ = beam_search(tok, n, index, W, ent, dense, n_labels, root_label, tb, mask, n_feats, beam,
                           np.zeros(0, np.int32), hist_k, hist_a)
    for i in range(n):
        heads[i] = st[i + 1, HEAD]
        labels[i] = st[i + 1, LABEL]


@njit(cache=True, nogil=True)
def parse_batch(toks, offsets, tbs, index, ent, dense, n_labels, root_label, mask, n_feats, beam, heads, labels):
    """:func:`parse_sentence` over many sentences: sentence i has token rows
    ``toks[offsets[i]:offsets[i + 1]]`` and its words' heads / labels go to
    ``heads/labels[offsets[i] - 2 * i : ...]`` (int32, one entry per word)."""
    for i in range(offsets.shape[0] - 1):
        o, e = offsets[i], offsets[i + 1]
        n = e - o - 2
        w = o - 2 * i
        parse_sentence(toks[o:e], n, index, ent, dense, n_labels, root_label, tbs[i], mask, n_feats, beam,
                       heads[w:w + n], labels[w:w + n])


# ------------------------------------------------------------------------------ training
@njit(cache=True, nogil=True)
def _update(tok, n, actions, length, sign, index, W, U, c, n_labels, tb, mask, n_feats):
    """Add ``sign`` to the weights of the first ``length`` (state, action) pairs of ``actions``
    (and ``sign * c`` to the averaging sums ``U``)."""
    st = np.empty((n + 2, N_ST), np.int64)
    stack = np.empty(n + 1, np.int32)
    raw = np.empty(n_raw(tok), np.uint64)
    feats = np.empty(n_feats, np.int64)
    sp, b = init_state(n, st, stack)
    for t in range(length):
        a = actions[t]
        features(tok, st, stack, sp, b, n, tb, mask, raw, feats)
        for f in feats:
            if f >= 0:
                r = index[f]
                if r >= 0:
                    W[r, a] += sign
                    U[r, a] += sign * c
        sp, b = apply(st, stack, sp, b, a, n_labels)


@njit(cache=True, nogil=True, inline="always")
def _step_update(feats, index, W, U, c, good, bad):
    """Perceptron update of one greedy step: +1 for action ``good``, -1 for ``bad`` on every
    feature with a weight row (``U`` accumulates ``c`` times the change, for averaging)."""
    for f in feats:
        if f >= 0:
            r = index[f]
            if r >= 0:
                W[r, good] += 1.0
                U[r, good] += c
                W[r, bad] -= 1.0
                U[r, bad] -= c


@njit(cache=True, nogil=True)
def train_epoch(toks, offsets, tbs, golds, order, index, W, U, c, n_labels, root_label, mask, n_feats, beam):
    """One perceptron epoch over the sentences in ``order`` (gold actions of sentence i:
    ``golds[2 * (offsets[i] - 2 * i) : ...]``; sentences with no gold sequence have ``golds`` -1).
    ``beam`` > 1: beam search with early update; 1: greedy, update at every wrong step and continue
    on the gold path. ``c`` counts sentences for averaging; returns (c, number of updates)."""
    A = W.shape[1]
    ent = np.zeros(0, np.uint64)
    dense = np.zeros((0, A), np.float32)
    n_upd = 0
    raw = np.empty(n_raw(toks), np.uint64)
    feats = np.empty(n_feats, np.int64)
    sc = np.empty(A, np.float32)
    for i in order:
        o, e = offsets[i], offsets[i + 1]
        n = e - o - 2
        tok = toks[o:e]
        g0 = 2 * (o - 2 * i)
        gold = golds[g0:g0 + 2 * n]
        c += 1
        if n == 0 or gold[0] < 0:
            continue
        tb = tbs[i]
        if beam == 1:
            st = np.empty((n + 2, N_ST), np.int64)
            stack = np.empty(n + 1, np.int32)
            sp, b = init_state(n, st, stack)
            for t in range(2 * n):
                features(tok, st, stack, sp, b, n, tb, mask, raw, feats)
                score(feats, index, W, ent, dense, sc)
                best, bs_ = -1, -np.inf
                for a in range(A):
                    if valid(a, sp, b, n, n_labels, root_label) and sc[a] > bs_:
                        best, bs_ = a, sc[a]
                g = gold[t]
                if best != g and sc[g] <= bs_:
                    n_upd += 1
                    _step_update(feats, index, W, U, c, g, best)
                sp, b = apply(st, stack, sp, b, g, n_labels)
            continue
        hist_k = np.empty((2 * n, beam), np.int32)
        hist_a = np.empty((2 * n, beam), np.int32)
        steps, _, wrong = beam_search(tok, n, index, W, ent, dense, n_labels, root_label, tb, mask, n_feats, beam,
                                      gold, hist_k, hist_a)
        if wrong:
            n_upd += 1
            pred = np.empty(steps, np.int32)
            k = 0
            for t in range(steps - 1, -1, -1):
                pred[t] = hist_a[t, k]
                k = hist_k[t, k]
            _update(tok, n, gold, steps, 1.0, index, W, U, c, n_labels, tb, mask, n_feats)
            _update(tok, n, pred, steps, -1.0, index, W, U, c, n_labels, tb, mask, n_feats)
    return c, n_upd


@njit(cache=True, nogil=True)
def gold_features(toks, offsets, tbs, golds, mask, n_feats, n_labels, out):
    """Feature ids of every gold (state, action) pair: ``out`` int64 (total steps, n_feats); rows of
    sentences without a gold sequence are -1."""
    raw = np.empty(n_raw(toks), np.uint64)
    row = 0
    for i in range(offsets.shape[0] - 1):
        o, e = offsets[i], offsets[i + 1]
        n = e - o - 2
        tok = toks[o:e]
        g0 = 2 * (o - 2 * i)
        st = np.empty((n + 2, N_ST), np.int64)
        stack = np.empty(n + 1, np.int32)
        sp, b = init_state(n, st, stack)
        for t in range(2 * n):
            a = golds[g0 + t]
            if a < 0:
                out[row] = -1
            else:
                features(tok, st, stack, sp, b, n, tbs[i], mask, raw, out[row])
                sp, b = apply(st, stack, sp, b, a, n_labels)
            row += 1


# ------------------------------------------------------------------------------ dynamic oracle
#: the cost :func:`action_costs` gives an action that is not valid in the state
INVALID = 1 << 30


@njit(cache=True, nogil=True)
def action_costs(stack, sp, b, n, gold_head, gold_label, n_labels, root_label, out):
    """Arc-hybrid dynamic oracle (Goldberg & Nivre 2013): ``out`` int64 (1 + 2 * n_labels,)
    receives, for every action, the number of gold arcs (head and label) that were still reachable
    in the state and are not after the action; ``INVALID`` for actions not valid there.
    ``gold_head`` / ``gold_label`` int64 (n + 1,) are the projective gold tree (entry 0 unused,
    head 0 = ROOT). Words on the stack and in the buffer have no head yet, so only they count:
    SHIFT loses b0's arcs to the stack below s0 (head) and to all of the stack (dependents);
    LEFT loses s0's head when it is s1 or in the buffer after b0, its dependents in the buffer and,
    when b0 is its gold head, the label if it is another; RIGHT loses s0's head when it is in the
    buffer, its dependents in the buffer and, when s1 is its gold head, the label if it is another.
    Zero-cost actions from any state lead to a tree with the fewest errors reachable from it."""
    A = 1 + 2 * n_labels
    for a in range(A):
        out[a] = INVALID
    if b <= n:
        c = 0
        hb = gold_head[b]
        for k in range(sp):
            s = stack[k]
            if s > 0 and gold_head[s] == b:
                c += 1
            if k < sp - 1 and s == hb:
                c += 1
        out[0] = c
    if sp < 2:
        return
    s0 = stack[sp - 1]
    s1 = stack[sp - 2]
    h = gold_head[s0]
    deps = 0
    for d in range(b, n + 1):
        if gold_head[d] == s0:
            deps += 1
    if b <= n:                                      # LEFT: s0 <- b0
        base = deps + (1 if h == s1 else 0) + (1 if h > b else 0)
        for l in range(n_labels):
            if l != root_label:
                out[1 + l] = base + (1 if h == b and l != gold_label[s0] else 0)
    base = deps + (1 if b <= n and h >= b else 0)   # RIGHT: s0 <- s1
    for l in range(n_labels):
        if valid(1 + n_labels + l, sp, b, n, n_labels, root_label):
            out[1 + n_labels + l] = base + (1 if h == s1 and l != gold_label[s0] else 0)


@njit(cache=True, nogil=True)
def train_epoch_dynamic(toks, offsets, tbs, golds, gheads, glabels, order, index, W, U, c, n_labels, root_label,
                        mask, n_feats, explore, seed):
    """One greedy perceptron epoch with the dynamic oracle (:func:`action_costs`): at every step the
    update is towards the best-scoring zero-cost action when the predicted action has a cost, and
    the parser then follows its own prediction with probability ``explore`` (else that zero-cost
    action), so it learns from states that its mistakes lead to. Gold tree of sentence i (token rows
    ``toks[o:e]``): ``gheads[o:o + n + 1]`` / ``glabels[...]`` (entry 0 unused); sentences whose
    ``golds`` are -1 (no projective tree) are skipped. ``seed`` seeds the exploration draws.
    Returns (c, number of updates) as :func:`train_epoch`."""
    np.random.seed(seed)
    A = W.shape[1]
    ent = np.zeros(0, np.uint64)
    dense = np.zeros((0, A), np.float32)
    n_upd = 0
    raw = np.empty(n_raw(toks), np.uint64)
    feats = np.empty(n_feats, np.int64)
    sc = np.empty(A, np.float32)
    cost = np.empty(A, np.int64)
    for i in order:
        o, e = offsets[i], offsets[i + 1]
        n = e - o - 2
        tok = toks[o:e]
        g0 = 2 * (o - 2 * i)
        c += 1
        if n == 0 or golds[g0] < 0:
            continue
        gh = gheads[o:o + n + 1]
        gl = glabels[o:o + n + 1]
        tb = tbs[i]
        st = np.empty((n + 2, N_ST), np.int64)
        stack = np.empty(n + 1, np.int32)
        sp, b = init_state(n, st, stack)
        for t in range(2 * n):
            features(tok, st, stack, sp, b, n, tb, mask, raw, feats)
            score(feats, index, W, ent, dense, sc)
            action_costs(stack, sp, b, n, gh, gl, n_labels, root_label, cost)
            best, bs_ = -1, -np.inf
            g, gs, gc = -1, -np.inf, INVALID
            for a in range(A):
                if cost[a] < INVALID:
                    if sc[a] > bs_:
                        best, bs_ = a, sc[a]
                    if cost[a] < gc or (cost[a] == gc and sc[a] > gs):
                        g, gs, gc = a, sc[a], cost[a]
            nxt = g
            if cost[best] > gc:
                n_upd += 1
                _step_update(feats, index, W, U, c, g, best)
                if explore > 0.0 and np.random.random() < explore:
                    nxt = best
            else:
                nxt = best
            sp, b = apply(st, stack, sp, b, nxt, n_labels)
    return c, n_upd
