"""Feature templates over a character window, hashed in Numba into integer feature ids.

Contract shared by every linear sequence model (perceptron now, CRF, POS and NER next):
``X = extract(codes)`` is an int32 array (n, T) of feature ids in ``[0, 2**bits)``, one per
template; label y at position t scores ``sum_k W[X[t, k], y]`` plus a transition
``trans[y_prev, y]``. Labels are plain ints, so any tag set works.

Why hashing rather than an exact index: no feature dictionary to build, store or look up (one
multiply per feature in the kernel), and with 2**22 buckets the collision rate on 199801.txt's
~2 M distinct features is small; rare/unused buckets are pruned when the model is saved.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..dictionary._kernels import walk_backward, walk_forward
from ..text import _BMP_TABLE, fold_code

#: template names, in column order of X
TEMPLATES = ("C0", "C-1", "C1", "C-2", "C2", "C-1C0", "C0C1", "C-2C-1", "C1C2", "C-1C1",
             "T-1T0T1", "T0", "C0=C1", "C-1=C1")
#: with a dictionary: length of the longest word starting / ending here, of the longest word
#: covering this character with the character's role in it, and the start/end pair
DICT_TEMPLATES = ("Dstart", "Dend", "Dcover", "Dstart,Dend", "C0,Dstart", "C0,Dend", "C0,Dcover")
#: optional templates, appended after all others in this order (so the column indices above never
#: move): the character trigram, and the character conjoined with its neighbours' classes
#: (C0 with the class of C1, the class of C-1 with C0, and C0 between both classes)
EXTRA_TEMPLATES = ("C-1C0C1", "C0T1", "T-1C0", "T-1C0T1")
#: the optional templates ``cnlp train cws`` uses by default, per algorithm (chosen on the dev split,
#: docs/models.md: the trigram helps the CRF, dev 0.9592 -> 0.9597, but not the perceptron)
DEFAULT_EXTRA = ("C0T1", "T-1C0", "T-1C0T1")
DEFAULT_EXTRA_CRF = ("C-1C0C1", "C0T1", "T-1C0", "T-1C0T1")
N_TEMPLATES = len(TEMPLATES)
#: column indices of templates that do not name a character (classes, dictionary lengths): they fire
#: almost everywhere, so online corrections (``learn``) leave them alone
NON_LEXICAL = (10, 11, 12, 13, N_TEMPLATES, N_TEMPLATES + 1, N_TEMPLATES + 2, N_TEMPLATES + 3)
BOS_CODE, EOS_CODE = -1, -2


@njit(cache=True, nogil=True, inline="always")
def _mix(h, v):
    h ^= np.uint64(v & 0xFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) + (h >> np.uint64(2))
    return h


@njit(cache=True, nogil=True, inline="always")
def _fid(tmpl, a, b, mask):
    h = np.uint64(tmpl + 1) * np.uint64(0x9E3779B97F4A7C15)
    h = _mix(h, a)
    h = _mix(h, b)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(31)
    return np.int32(h & np.uint64(mask))


@njit(cache=True, nogil=True, inline="always")
def _padded(raw, table, pad):
    """Folded code points ``c`` and classes ``k`` of ``raw`` with ``pad`` sentinels on each side
    (code BOS_CODE / EOS_CODE, class 8 / 9); supplementary-plane Han (U+20000..3FFFF) is class 1."""
    n = raw.shape[0]
    c = np.empty(n + 2 * pad, np.int64)
    k = np.empty(n + 2 * pad, np.int64)
    for i in range(pad):
        c[i], c[n + pad + i] = BOS_CODE, EOS_CODE
        k[i], k[n + pad + i] = 8, 9
    for i in range(n):
        x = raw[i]
        c[i + pad] = fold_code(x)
        if 0 <= x < 65536:
            k[i + pad] = table[x]
        elif 0x20000 <= x <= 0x3FFFF:
            k[i + pad] = 1
        else:
            k[i + pad] = 0
    return c, k


@njit(cache=True, nogil=True)
def extract_kernel(raw, table, bits, out):
    """raw: int32[n] code points; table: int8[65536] classes; out: int32[n, N_TEMPLATES]."""
    n = raw.shape[0]
    mask = (1 << bits) - 1
    c, k = _padded(raw, table, 2)
    for t in range(n):
        p = t + 2  # noqa
        cm2, cm1, c0, c1, c2 = c[p - 2], c[p - 1], c[p], c[p + 1], c[p + 2]
        out[t, 0] = _fid(0, c0, 0, mask)
        out[t, 1] = _fid(1, cm1, 0, mask)
        out[t, 2] = _fid(2, c1, 0, mask)
        out[t, 3] = _fid(3, cm2, 0, mask)
        out[t, 4] = _fid(4, c2, 0, mask)
        out[t, 5] = _fid(5, cm1, c0, mask)
        out[t, 6] = _fid(6, c0, c1, mask)
        out[t, 7] = _fid(7, cm2, cm1, mask)
        out[t, 8] = _fid(8, c1, c2, mask)
        out[t, 9] = _fid(9, cm1, c1, mask)
        out[t, 10] = _fid(10, k[p - 1] * 16 + k[p], k[p + 1], mask)
        out[t, 11] = _fid(11, k[p], 0, mask)
        out[t, 12] = _fid(12, 1 if c0 == c1 else 0, 0, mask)
        out[t, 13] = _fid(13, 1 if cm1 == c1 else 0, 0, mask)
    return out


@njit(cache=True, nogil=True)
def dict_features(raw, root_f, htab_f, word_f, root_b, htab_b, word_b, bits, out, col):
    """Fill ``out[:, col:col+7]`` with the dictionary templates (see DICT_TEMPLATES)."""
    n = raw.shape[0]
    mask = (1 << bits) - 1
    codes = np.empty(n, np.int32)
    for i in range(n):
        codes[i] = fold_code(raw[i])
    ls = np.zeros(n, np.int64)
    le = np.zeros(n, np.int64)
    cov = np.zeros(n, np.int64)
    role = np.zeros(n, np.int64)
    for i in range(n):
        e = walk_forward(root_f, htab_f, word_f, codes, i, n)
        if e > i:
            ls[i] = min(e - i, 6)
            L = e - i
            if L >= 2:
                for p in range(i, e):
                    if L > cov[p]:
                        cov[p] = L
                        role[p] = 0 if p == i else (2 if p == e - 1 else 1)
        s = walk_backward(root_b, htab_b, word_b, codes, i + 1, 0)
        if 0 <= s <= i:
            le[i] = min(i + 1 - s, 6)
    for t in range(n):
        out[t, col] = _fid(20, ls[t], 0, mask)
        out[t, col + 1] = _fid(21, le[t], 0, mask)
        out[t, col + 2] = _fid(22, min(cov[t], 6), role[t], mask)
        out[t, col + 3] = _fid(23, ls[t], le[t], mask)
        out[t, col + 4] = _fid(24, codes[t], ls[t], mask)
        out[t, col + 5] = _fid(25, codes[t], le[t], mask)
        out[t, col + 6] = _fid(26, codes[t], min(cov[t], 6) * 4 + role[t], mask)
    return out


@njit(cache=True, nogil=True)
def extra_features(raw, table, bits, flags, out, col):
    """Fill ``out[:, col:]`` with the optional templates whose ``flags[j]`` is set, in
    :data:`EXTRA_TEMPLATES` order (folded code points, classes as in :func:`extract_kernel`)."""
    n = raw.shape[0]
    mask = (1 << bits) - 1
    c, k = _padded(raw, table, 1)
    for t in range(n):
        p = t + 1
        j = col
        if flags[0]:
            out[t, j] = _fid(30, c[p - 1] * 1114112 + c[p], c[p + 1], mask)
            j += 1
        if flags[1]:
            out[t, j] = _fid(31, c[p], k[p + 1], mask)
            j += 1
        if flags[2]:
            out[t, j] = _fid(32, k[p - 1], c[p], mask)
            j += 1
        if flags[3]:
            out[t, j] = _fid(33, c[p] * 16 + k[p - 1], k[p + 1], mask)
            j += 1
    return out


class CharFeatures:
    """Hashed character-window features (see :data:`TEMPLATES`).

    >>> X = CharFeatures(bits=18).transform_codes(np.array([20013, 25991], np.int32))
    >>> X.shape, int(X.min()) >= 0
    ((2, 14), True)
    """

    def __init__(self, *, bits: int = 22, dictionary=None, extra=()):
        if not 10 <= bits <= 30:
            raise ValueError(f"bits must be in [10, 30], got {bits}")
        if isinstance(extra, str):
            raise TypeError("extra must be a sequence of template names, not a str")
        unknown = set(extra) - set(EXTRA_TEMPLATES)
        if unknown:
            raise ValueError(f"unknown feature templates {sorted(unknown)}; choose from {list(EXTRA_TEMPLATES)}")
        self.bits = int(bits)
        self.dictionary = dictionary
        self.extra = tuple(t for t in EXTRA_TEMPLATES if t in set(extra))      # canonical order
        self._flags = np.array([t in self.extra for t in EXTRA_TEMPLATES], np.bool_)

    @property
    def n_templates(self) -> int:
        return N_TEMPLATES + (len(DICT_TEMPLATES) if self.dictionary is not None else 0) + len(self.extra)

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def transform_codes(self, codes: np.ndarray) -> np.ndarray:
        codes = np.ascontiguousarray(codes, dtype=np.int32)
        out = np.empty((codes.shape[0], self.n_templates), np.int32)
        extract_kernel(codes, _BMP_TABLE, self.bits, out)
        d = self.dictionary
        if d is not None:
            f, b = d.fwd, d.bwd
            dict_features(codes, f.root, f.htab, f.word, b.root, b.htab, b.word, self.bits, out, N_TEMPLATES)
        if self.extra:
            extra_features(codes, _BMP_TABLE, self.bits, self._flags, out, out.shape[1] - len(self.extra))
        return out

    def get_params(self) -> dict:
        return {"bits": self.bits, "templates": list(TEMPLATES),
                "dict_templates": list(DICT_TEMPLATES) if self.dictionary is not None else [],
                "extra_templates": list(self.extra)}

    @classmethod
    def from_params(cls, params: dict, dictionary=None) -> "CharFeatures":
        """The features a saved model was trained with (``get_params()`` as stored in its meta)."""
        extra = list(params.get("extra_templates", []))
        f = cls(bits=params.get("bits", 22), dictionary=dictionary, extra=extra)
        if list(f.extra) != extra:
            raise ValueError(f"extra_templates {extra} are not in the order {list(EXTRA_TEMPLATES)}")
        return f
