"""One Numba call per text for the tagging segmenters: features, Viterbi and cut offsets fused.

Calling the feature kernels, the constraint code, Viterbi and the label-to-offset conversion one
by one from Python cost about a third of the decoding time on news paragraphs (nine dispatches
and as many temporary arrays per line, ``benchmarks/profile_tagging.py``). :func:`tag_bounds`
does the same work in one dispatch; it calls the very same kernels, so its output is identical to
the step-by-step path (tested).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..sequence._kernels import viterbi
from ..sequence.features import N_TEMPLATES, dict_features, extra_features, extract_kernel
from .hmm import _labels_to_bounds

#: dictionary templates added when the model has a feature dictionary (len(DICT_TEMPLATES))
N_DICT = 7


@njit(cache=True, nogil=True)
def space_mask(raw, table, space):
    """Allowed BMES labels with every maximal run of class ``space`` forced to be one word,
    as :func:`cnlp.dictionary.bmes_mask` builds it; shape (0, 4) when the text has no whitespace."""
    n = raw.shape[0]
    is_sp = np.zeros(n, np.bool_)
    found = False
    for i in range(n):
        x = raw[i]
        if 0 <= x < 65536 and table[x] == space:
            is_sp[i] = True
            found = True
    if not found:
        return np.zeros((0, 4), np.bool_)
    mask = np.ones((n, 4), np.bool_)
    i = 0
    while i < n:
        if not is_sp[i]:
            i += 1
            continue
        s = i
        while i < n and is_sp[i]:
            i += 1
        e = i
        for p in range(s, e):
            for y in range(4):
                mask[p, y] = False
        if e - s == 1:
            mask[s, 3] = True
        else:
            mask[s, 0] = True
            for p in range(s + 1, e - 1):
                mask[p, 1] = True
            mask[e - 1, 2] = True
        if s > 0:
            mask[s - 1, 0] = False
            mask[s - 1, 1] = False
        if e < n:
            mask[e, 1] = False
            mask[e, 2] = False
    return mask


@njit(cache=True, nogil=True)
def tag_bounds(raw, table, bits, space, use_dict, root_f, htab_f, word_f, root_b, htab_b, word_b,
               flags, n_extra, W, trans, start, allowed, bias):
    """int32 cut offsets of ``raw`` (int32 code points) under a BMES linear model.

    Feature columns as :meth:`cnlp.sequence.features.CharFeatures.transform_codes`; ``allowed``
    (n, 4) from the caller (user words and whitespace) or (0, 4), in which case whitespace runs
    are forced here; ``bias`` (n, 4) or (0, 4) as in :func:`cnlp.sequence._kernels.viterbi`.
    """
    n = raw.shape[0]
    T = N_TEMPLATES + (N_DICT if use_dict else 0) + n_extra
    X = np.empty((n, T), np.int32)
    extract_kernel(raw, table, bits, X)
    if use_dict:
        dict_features(raw, root_f, htab_f, word_f, root_b, htab_b, word_b, bits, X, N_TEMPLATES)
    if n_extra > 0:
        extra_features(raw, table, bits, flags, X, T - n_extra)
    if allowed.shape[0] != n:
        allowed = space_mask(raw, table, space)
    return _labels_to_bounds(viterbi(X, W, trans, start, allowed, bias))
