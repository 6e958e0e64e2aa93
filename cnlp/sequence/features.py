"""Feature templates as data, hashed in Numba into integer feature ids.

Contract shared by every linear sequence model: ``X = transform(...)`` is an int32 array (n, T) of
feature ids in ``[0, 2**bits)``, one column per template; label y at position t scores
``sum_k weights[row(X[t, k]), y]`` plus a transition (:mod:`cnlp.sequence.linear`).

A task supplies *attributes* (int64 arrays, one value per position: a folded character code, a
character class, a word hash, a dictionary length ...) and a list of :class:`Template` s; one
generic kernel (:func:`~cnlp.sequence._feature_kernels.hash_templates`) hashes every template.
A template has a seed (its identity in the hash) and up to two slots; a slot's value is the sum of
its parts ``attribute[t + offset] * multiplier`` (a multiplier packs two small values into one
slot). :class:`CharFeatures` is the character-window preset of the segmenters; the word preset of
the POS tagger lives in :mod:`cnlp.pos.features`.

Why hashing rather than an exact index: no feature dictionary to build, store or look up (one
multiply per feature in the kernel); only the ids seen in training get a weight row.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from ..text import _BMP_TABLE
from ._feature_kernels import CHAR_PAD, CLASS, CODE, DCOVER, DEND, DROLE, DSTART, SAME1, SAME2, augment, \
    char_attributes, hash_templates

__all__ = ["Template", "compile_templates", "CharFeatures", "TEMPLATES", "DICT_TEMPLATES", "EXTRA_TEMPLATES",
           "DEFAULT_EXTRA", "DEFAULT_EXTRA_CRF", "NON_LEXICAL", "CHAR_TEMPLATES"]


class Template(NamedTuple):
    """``name``; ``seed`` (distinct per template of a model); ``slots``: up to two tuples of parts
    ``(attribute_row, offset, multiplier)``."""
    name: str
    seed: int
    slots: tuple


def compile_templates(templates: Sequence[Template], n_attributes: int, pad: int) -> tuple:
    """The ``spec`` tuple :func:`~cnlp.sequence._feature_kernels.hash_templates` takes;
    ``ValueError`` on a malformed template."""
    seeds, ptr, mid, attr, off, mult = [], [0], [], [], [], []
    for t in templates:
        if not isinstance(t.seed, int) or not 0 <= t.seed < 1 << 31 or not 1 <= len(t.slots) <= 2:
            raise ValueError(f"template {t.name!r}: a seed in [0, 2**31) and one or two slots are required")
        for s, parts in enumerate(t.slots):
            if s == 1:
                mid.append(len(attr))
            for a, o, m in parts:
                if not (0 <= a < n_attributes and -pad <= o <= pad):
                    raise ValueError(f"template {t.name!r}: attribute {a} / offset {o} outside "
                                     f"[0, {n_attributes}) / [-{pad}, {pad}]")
                attr.append(a), off.append(o), mult.append(m)
        if len(t.slots) == 1:
            mid.append(len(attr))
        seeds.append(t.seed)
        ptr.append(len(attr))
    return tuple(np.array(x, np.int64) for x in (seeds, ptr, mid, attr, off, mult))


def _t(name, seed, *slots):
    return Template(name, seed, tuple(tuple((*p, 1) if len(p) == 2 else tuple(p) for p in s) for s in slots))


C, K = CODE, CLASS
#: the character-window templates, in column order of X
CHAR_TEMPLATES = (
    _t("C0", 0, [(C, 0)]), _t("C-1", 1, [(C, -1)]), _t("C1", 2, [(C, 1)]), _t("C-2", 3, [(C, -2)]),
    _t("C2", 4, [(C, 2)]), _t("C-1C0", 5, [(C, -1)], [(C, 0)]), _t("C0C1", 6, [(C, 0)], [(C, 1)]),
    _t("C-2C-1", 7, [(C, -2)], [(C, -1)]), _t("C1C2", 8, [(C, 1)], [(C, 2)]), _t("C-1C1", 9, [(C, -1)], [(C, 1)]),
    _t("T-1T0T1", 10, [(K, -1, 16), (K, 0, 1)], [(K, 1)]), _t("T0", 11, [(K, 0)]),
    _t("C0=C1", 12, [(SAME1, 0)]), _t("C-1=C1", 13, [(SAME2, 0)]))
#: with a dictionary: length of the longest word starting / ending here, of the longest word
#: covering this character with the character's role in it, and the start/end pair
DICT_CHAR_TEMPLATES = (
    _t("Dstart", 20, [(DSTART, 0)]), _t("Dend", 21, [(DEND, 0)]), _t("Dcover", 22, [(DCOVER, 0)], [(DROLE, 0)]),
    _t("Dstart,Dend", 23, [(DSTART, 0)], [(DEND, 0)]), _t("C0,Dstart", 24, [(C, 0)], [(DSTART, 0)]),
    _t("C0,Dend", 25, [(C, 0)], [(DEND, 0)]), _t("C0,Dcover", 26, [(C, 0)], [(DCOVER, 0, 4), (DROLE, 0, 1)]))
#: optional templates, appended after all others in this order: the character trigram, and the
#: character conjoined with its neighbours' classes
EXTRA_CHAR_TEMPLATES = (
    _t("C-1C0C1", 30, [(C, -1, 1114112), (C, 0, 1)], [(C, 1)]), _t("C0T1", 31, [(C, 0)], [(K, 1)]),
    _t("T-1C0", 32, [(K, -1)], [(C, 0)]), _t("T-1C0T1", 33, [(C, 0, 16), (K, -1, 1)], [(K, 1)]))
del C, K

TEMPLATES = tuple(t.name for t in CHAR_TEMPLATES)
DICT_TEMPLATES = tuple(t.name for t in DICT_CHAR_TEMPLATES)
EXTRA_TEMPLATES = tuple(t.name for t in EXTRA_CHAR_TEMPLATES)
#: the optional templates ``cnlp train cws`` uses by default, per algorithm (chosen on the dev split,
#: docs/models.md: the trigram helps the CRF, dev 0.9592 -> 0.9597, but not the perceptron)
DEFAULT_EXTRA = ("C0T1", "T-1C0", "T-1C0T1")
DEFAULT_EXTRA_CRF = ("C-1C0C1", "C0T1", "T-1C0", "T-1C0T1")
N_TEMPLATES = len(TEMPLATES)
#: templates that do not name a character (classes, dictionary lengths): they fire almost
#: everywhere, so online corrections (``learn``) leave them alone
NON_LEXICAL_NAMES = frozenset({"T-1T0T1", "T0", "C0=C1", "C-1=C1", "Dstart", "Dend", "Dcover", "Dstart,Dend"})
NON_LEXICAL = (10, 11, 12, 13, N_TEMPLATES, N_TEMPLATES + 1, N_TEMPLATES + 2, N_TEMPLATES + 3)


class CharFeatures:
    """The character-window preset (:data:`CHAR_TEMPLATES`, + :data:`DICT_CHAR_TEMPLATES` with a
    ``dictionary``, + the chosen optional ``extra`` templates), used by the BMES segmenters.

    ``standards``: names of the segmentation standards a model is trained on (several corpora
    that disagree); every feature then has a weight all standards share and one per standard
    (feature augmentation: each id is hashed once more with the standard's number,
    :func:`~cnlp.sequence._feature_kernels.augment`). ``standard``: the one these features compute
    (``None``: the shared features only); :meth:`for_standard` gives the features of another.

    >>> X = CharFeatures(bits=18).transform_codes(np.array([20013, 25991], np.int32))
    >>> X.shape, int(X.min()) >= 0
    ((2, 14), True)
    """

    def __init__(self, *, bits: int = 22, dictionary=None, extra=(), standards=(), standard: str | None = None):
        if not 10 <= bits <= 30:
            raise ValueError(f"bits must be in [10, 30], got {bits}")
        if isinstance(extra, str):
            raise TypeError("extra must be a sequence of template names, not a str")
        unknown = set(extra) - set(EXTRA_TEMPLATES)
        if unknown:
            raise ValueError(f"unknown feature templates {sorted(unknown)}; choose from {list(EXTRA_TEMPLATES)}")
        if isinstance(standards, str) or not all(isinstance(x, str) and x for x in standards) \
                or len(set(standards)) != len(standards):
            raise ValueError(f"standards must be distinct non-empty names, got {standards!r}")
        self.standards = tuple(standards)
        if standard is not None and standard not in self.standards:
            raise ValueError(f"unknown standard {standard!r}; choose one of {list(self.standards)}")
        self.standard = standard
        #: 0: shared features only; k: augmented with the copies of ``standards[k - 1]``
        self.domain = 0 if standard is None else self.standards.index(standard) + 1
        self.bits = int(bits)
        #: [the dictionary or None, a function reading it again or None] (shared by for_standard copies)
        self._lexicon = [dictionary, None]
        #: whether the dictionary templates are computed (the dictionary may be released)
        self.use_dict = dictionary is not None
        self.extra = tuple(t for t in EXTRA_TEMPLATES if t in set(extra))      # canonical order
        self.templates = (CHAR_TEMPLATES + (DICT_CHAR_TEMPLATES if dictionary is not None else ())
                          + tuple(t for t in EXTRA_CHAR_TEMPLATES if t.name in self.extra))
        self.spec = compile_templates(self.templates, 8, CHAR_PAD)
        d = dictionary
        if d is None:
            e32, e64 = np.zeros(1, np.int32), np.zeros(1, np.int64)
            self.tries = (e32, e64, e32, e32, e64, e32)
        else:
            # char_attributes walks the forward trie only (the backward slots are not read)
            self.tries = (d.fwd.root, d.fwd.htab, d.fwd.word, d.fwd.root, d.fwd.htab, d.fwd.word)

    @property
    def dictionary(self):
        """The dictionary of the dictionary templates (None: none), read again if it was released."""
        box = self._lexicon
        if box[0] is None and box[1] is not None:
            box[0] = box[1]()
        return box[0]

    def release_dictionary(self, reload) -> None:
        """Keep only the forward trie arrays the kernels read; ``reload()`` gives the dictionary
        back when :attr:`dictionary` is asked for (saving a model, search mode)."""
        if self.use_dict:
            self._lexicon[:] = [None, reload]

    def for_standard(self, standard: str | None) -> "CharFeatures":
        """The same features computing ``standard``'s copies (``None``: the shared ones only)."""
        if standard == self.standard:
            return self
        f = object.__new__(type(self))
        f.__dict__.update(self.__dict__)
        if standard is not None and standard not in self.standards:
            raise ValueError(f"unknown standard {standard!r}; choose one of {list(self.standards)}")
        f.standard = standard
        f.domain = 0 if standard is None else self.standards.index(standard) + 1
        return f

    @property
    def n_templates(self) -> int:
        """Columns of ``X``: the templates, twice with a standard (shared + that standard's copy)."""
        return len(self.templates) * (2 if self.domain else 1)

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    @property
    def non_lexical(self) -> list[int]:
        """Columns of the templates that name no character (and their standard's copies)."""
        cols = [j for j, t in enumerate(self.templates) if t.name in NON_LEXICAL_NAMES]
        return cols + [len(self.templates) + j for j in cols] if self.domain else cols

    def kernel_args(self) -> tuple:
        """(table, use_dict, tries, spec, bits): what the fused decoding kernel needs."""
        return _BMP_TABLE, self.use_dict, self.tries, self.spec, self.bits

    def transform_codes(self, codes: np.ndarray) -> np.ndarray:
        codes = np.ascontiguousarray(codes, dtype=np.int32)
        A = char_attributes(codes, _BMP_TABLE, self.use_dict, self.tries)
        out = np.empty((codes.shape[0], len(self.templates)), np.int32)
        X = hash_templates(A, CHAR_PAD, self.spec, self.bits, out, 0)
        return augment(X, self.domain, (1 << self.bits) - 1) if self.domain else X

    def get_params(self) -> dict:
        p = {"bits": self.bits, "templates": list(TEMPLATES),
             "dict_templates": list(DICT_TEMPLATES) if self.use_dict else [],
             "extra_templates": list(self.extra)}
        if self.standards:
            p["standards"] = list(self.standards)
        return p

    @classmethod
    def from_params(cls, params: dict, dictionary=None) -> "CharFeatures":
        """The features a saved model was trained with (``get_params()`` as stored in its meta)."""
        if not isinstance(params, dict):
            raise ValueError("'features' must be a JSON object")
        extra = params.get("extra_templates", [])
        bits = params.get("bits", 22)
        if not isinstance(extra, list) or not isinstance(bits, int) or isinstance(bits, bool):
            raise ValueError("'features' must give an int 'bits' and a list 'extra_templates'")
        standards = params.get("standards", [])
        if not isinstance(standards, list):
            raise ValueError("'standards' must be a list of names")
        f = cls(bits=bits, dictionary=dictionary, extra=extra, standards=standards)
        if list(f.extra) != extra:
            raise ValueError(f"extra_templates {extra} are not in the order {list(EXTRA_TEMPLATES)}")
        if params.get("templates", list(TEMPLATES)) != list(TEMPLATES):
            raise ValueError(f"unknown character templates {params.get('templates')}")
        return f
