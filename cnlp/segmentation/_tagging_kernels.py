"""One Numba call per text for the tagging segmenters: features, Viterbi and cut offsets fused.

Calling the feature kernels, the constraint code, Viterbi and the label-to-offset conversion one
by one from Python cost about a third of the decoding time on news paragraphs (nine dispatches
and as many temporary arrays per line, ``benchmarks/profile_tagging.py``). :func:`tag_bounds`
does the same work in one dispatch; it calls the very same kernels, so its output is identical to
the step-by-step path (tested).
"""
# Numba's on-disk cache keys a kernel by its own source file only: the code of the kernels it
# calls (char_attributes, hash_templates, viterbi ...) is cached inside it, so after changing one
# of them in its own file, clear the cache of this file (``__pycache__/_tagging_kernels.*.nb?``)
from __future__ import annotations

import numpy as np
from numba import njit

from .._tagset_kernels import append_bounds, bmes_bounds, class_runs, force_spans
from .._text_kernels import _fold, char_class
from ..dictionary._user_kernels import bmes_user_constraints, merge_preferred
from ..sequence._feature_kernels import CHAR_PAD, char_attributes, hash_templates
from ..sequence._kernels import viterbi


@njit(cache=True, nogil=True)
def space_mask(raw, table, space):
    """Allowed BMES labels with every maximal run of class ``space`` forced to be one word
    (:func:`cnlp._tagset_kernels.force_spans`); shape (0, 4) when the text has no whitespace."""
    n = raw.shape[0]
    cls = np.empty(n, np.int8)
    for i in range(n):
        cls[i] = char_class(raw[i], table)
    starts, ends = class_runs(cls, space)
    if starts.shape[0] == 0:
        return np.zeros((0, 4), np.bool_)
    return force_spans(np.ones((n, 4), np.bool_), starts, ends)


@njit(cache=True, nogil=True)
def tag_bounds(raw, table, use_dict, tries, spec, bits, space, model, allowed, bias):
    """int32 cut offsets of ``raw`` (int32 code points) under a BMES linear model.

    Features as :meth:`cnlp.sequence.features.CharFeatures.transform_codes` (``table``,
    ``use_dict``, ``tries``, ``spec``, ``bits`` from its ``kernel_args()``); ``model`` = (index,
    weights, trans, start, end) as :meth:`cnlp.sequence.linear.LinearChainModel.decode_params`
    gives them; ``allowed`` (n, 4) from the caller (user words and whitespace) or (0, 4), in which
    case whitespace runs are forced here; ``bias`` (n, 4) or (0, 4).
    """
    n = raw.shape[0]
    A = char_attributes(raw, table, use_dict, tries)
    X = hash_templates(A, np.int64(CHAR_PAD), spec, bits, np.empty((n, spec[0].shape[0]), np.int32), np.int64(0))
    if allowed.shape[0] != n:
        allowed = space_mask(raw, table, space)
    index, W, trans, start, end = model
    return bmes_bounds(viterbi(X, index, W, trans, start, end, allowed, bias))


@njit(cache=True, nogil=True)
def tag_bounds_user(raw, table, use_dict, tries, spec, bits, space, model, uroot, uhtab, uword, ukids, umode,
                    ustrength, suggest_unit, prefer_unit):
    """:func:`tag_bounds` under the user words of a user dictionary's trie (``uroot, uhtab, uword, ukids``;
    ``umode``/``ustrength`` per word id), in one call: width folding, the user-word mask and biases
    (:func:`cnlp.dictionary._user_kernels.bmes_user_constraints`), decoding, and the merge of
    preferred words (:func:`cnlp.dictionary._user_kernels.merge_preferred`)."""
    n = raw.shape[0]
    folded = _fold(raw, table, np.empty(n, np.int32))
    allowed, bias, ps, pe = bmes_user_constraints(uroot, uhtab, uword, ukids, folded, raw, table, space, umode, ustrength,
                                                  suggest_unit, prefer_unit)
    b = tag_bounds(raw, table, use_dict, tries, spec, bits, space, model, allowed, bias)
    if ps.shape[0] > 0:
        b = merge_preferred(b, n, ps, pe)
    return b


@njit(cache=True, nogil=True)
def tag_bounds_many(codes, offsets, table, use_dict, tries, spec, bits, space, model):
    """:func:`tag_bounds` without user constraints on each line ``codes[offsets[l]:offsets[l + 1]]``,
    in one call. Returns (int32 cut offsets of all lines, each from 0 to its length (``[0]`` for an
    empty line), int64 starts (L+1,) of each line's offsets)."""
    L = offsets.shape[0] - 1
    allowed = np.zeros((0, 4), np.bool_)
    bias = np.zeros((0, 4), np.float64)
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        r = tag_bounds(codes[a:z], table, use_dict, tries, spec, bits, space, model, allowed, bias) if z > a \
            else np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts


@njit(cache=True, nogil=True)
def tag_bounds_user_many(codes, offsets, table, use_dict, tries, spec, bits, space, model, uroot, uhtab, uword, ukids,
                         umode, ustrength, suggest_unit, prefer_unit):
    """:func:`tag_bounds_user` on each line ``codes[offsets[l]:offsets[l + 1]]`` in one call; returns
    what :func:`tag_bounds_many` returns."""
    L = offsets.shape[0] - 1
    out = np.empty(codes.shape[0] + L, np.int32)
    starts = np.empty(L + 1, np.int64)
    p = 0
    for ln in range(L):
        starts[ln] = p
        a, z = offsets[ln], offsets[ln + 1]
        if z > a:
            r = tag_bounds_user(codes[a:z], table, use_dict, tries, spec, bits, space, model, uroot, uhtab, uword,
                                ukids, umode, ustrength, suggest_unit, prefer_unit)
        else:
            r = np.zeros(1, np.int32)
        p = append_bounds(out, p, r)
    starts[L] = p
    return out[:p], starts
