"""The word-level feature preset of the POS tagger (templates as data over word attributes).

Attributes per word (:func:`cnlp.pos._kernels.word_attributes`): the folded word, its first /
first two / last / last two characters, length, shape, and from a tag dictionary (a
:class:`cnlp.dictionary.Dictionary` with POS distributions, built from ``CorpusStats``) the word's
set of tags, its most frequent tag and a frequency bucket. Unknown words are described by the
affixes, length and shape; known ones also by their dictionary entry. Training uses jackknifed
dictionaries (each fold's words looked up in a dictionary of the other folds), so unknown words
look in training as they do in use.
"""
from __future__ import annotations

import zlib

import numpy as np

from ..sequence.features import Template, compile_templates
from ..text import _BMP_TABLE
from ._kernels import AMBIG, FREQ, LENGTH, N_ATTRIBUTES, PRE1, PRE2, SHAPE, SUF1, SUF2, TOP, WORD, WORD_PAD, \
    word_attributes

__all__ = ["WordFeatures", "WORD_TEMPLATES"]


def _t(name, seed, *slots):
    return Template(name, seed, tuple(tuple((*p, 1) if len(p) == 2 else tuple(p) for p in s) for s in slots))


W, A, T = WORD, AMBIG, TOP
#: the word preset: words in a ±2 window, affixes, length and shape (unknown-word cues), and the
#: dictionary's tag set / top tag / frequency of the word and its neighbours
WORD_TEMPLATES = (
    _t("w0", 100, [(W, 0)]), _t("w-1", 101, [(W, -1)]), _t("w1", 102, [(W, 1)]), _t("w-2", 103, [(W, -2)]),
    _t("w2", 104, [(W, 2)]), _t("w-1w0", 105, [(W, -1)], [(W, 0)]), _t("w0w1", 106, [(W, 0)], [(W, 1)]),
    _t("w-1w1", 107, [(W, -1)], [(W, 1)]),
    _t("p1", 110, [(PRE1, 0)]), _t("p2", 111, [(PRE2, 0)]), _t("s1", 112, [(SUF1, 0)]), _t("s2", 113, [(SUF2, 0)]),
    _t("len,shape", 114, [(LENGTH, 0)], [(SHAPE, 0)]), _t("s1,len", 115, [(SUF1, 0)], [(LENGTH, 0)]),
    _t("p1,len", 116, [(PRE1, 0)], [(LENGTH, 0)]), _t("s1,w-1", 117, [(SUF1, 0)], [(W, -1)]),
    _t("p1,w1", 118, [(PRE1, 0)], [(W, 1)]), _t("s1,s1[-1]", 119, [(SUF1, 0)], [(SUF1, -1)]),
    _t("a0", 120, [(A, 0)]), _t("t0", 121, [(T, 0)]), _t("a0,freq", 122, [(A, 0)], [(FREQ, 0)]),
    _t("a-1", 123, [(A, -1)]), _t("a1", 124, [(A, 1)]), _t("t-1,t0", 125, [(T, -1)], [(T, 0)]),
    _t("t0,t1", 126, [(T, 0)], [(T, 1)]), _t("a0,w-1", 127, [(A, 0)], [(W, -1)]),
    _t("a0,w1", 128, [(A, 0)], [(W, 1)]), _t("t-2,t-1", 129, [(T, -2)], [(T, -1)]),
    _t("a0,s1", 130, [(A, 0)], [(SUF1, 0)]))
#: further templates a model may select by name (``WordFeatures(templates=...)``)
EXTRA_WORD_TEMPLATES = (
    _t("t-1,w0", 140, [(T, -1)], [(W, 0)]), _t("w0,t1", 141, [(W, 0)], [(T, 1)]),
    _t("a-1,a0", 142, [(A, -1)], [(A, 0)]), _t("a0,a1", 143, [(A, 0)], [(A, 1)]),
    _t("w0,p1[1]", 144, [(W, 0)], [(PRE1, 1)]), _t("s1[-1],w0", 145, [(SUF1, -1)], [(W, 0)]),
    _t("w-2,w-1", 146, [(W, -2)], [(W, -1)]), _t("w1,w2", 147, [(W, 1)], [(W, 2)]),
    _t("t1,t2", 148, [(T, 1)], [(T, 2)]), _t("a0,t-1,t1", 149, [(A, 0)], [(T, -1, 1000003), (T, 1, 1)]))
TEMPLATE_LIBRARY = {t.name: t for t in WORD_TEMPLATES + EXTRA_WORD_TEMPLATES}
#: what ``cnlp train pos`` uses: all of them (dev accuracy 0.9600 -> 0.9608 with the extra ones)
DEFAULT_TEMPLATES = tuple(TEMPLATE_LIBRARY)
del W, A, T


def _hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) + 1


def dictionary_arrays(dictionary) -> tuple:
    """(trie arrays, ambig, top, freq) for :func:`word_attributes`: per dictionary word id, a hash
    of its sorted tag names, of its most frequent tag, and log2 of its frequency + 1 (max 12)."""
    if dictionary is None:
        e32, e64 = np.zeros(1, np.int32), np.zeros(1, np.int64)
        return (e32, e64, e32), e64, e64, e64
    n = len(dictionary)
    names = dictionary.pos_names
    po, pids = dictionary.pos_offsets.tolist(), dictionary.pos_ids.tolist()
    ambig = np.zeros(n, np.int64)
    top = np.zeros(n, np.int64)
    for i in range(n):
        tags = [names[t] for t in pids[po[i]:po[i + 1]]]       # most frequent first
        if tags:
            ambig[i] = _hash(",".join(sorted(tags)))
            top[i] = _hash(tags[0])
    freq = np.minimum(np.log2(dictionary.freq_ + 1).astype(np.int64) + 1, 12)
    f = dictionary.fwd
    return (f.root, f.htab, f.word), ambig, top, freq


class WordFeatures:
    """Hashed word-level features (:data:`WORD_TEMPLATES`) with an optional tag ``dictionary``."""

    def __init__(self, *, bits: int = 22, dictionary=None, templates=None):
        if not 10 <= bits <= 30:
            raise ValueError(f"bits must be in [10, 30], got {bits}")
        if templates is None:
            templates = DEFAULT_TEMPLATES
        if isinstance(templates, str) or any(t not in TEMPLATE_LIBRARY for t in templates):
            raise ValueError(f"unknown word templates {[t for t in templates if t not in TEMPLATE_LIBRARY]}; "
                             f"choose from {sorted(TEMPLATE_LIBRARY)}")
        self.bits = int(bits)
        self.dictionary = dictionary
        self.templates = tuple(TEMPLATE_LIBRARY[t] for t in templates)
        self.spec = compile_templates(self.templates, N_ATTRIBUTES, WORD_PAD)
        self.trie, self.ambig, self.top, self.freq = dictionary_arrays(dictionary)

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    @property
    def n_templates(self) -> int:
        return len(self.templates)

    def kernel_args(self) -> tuple:
        """(table, trie, ambig, top, freq, spec, bits) as :func:`cnlp.pos._kernels.tag_words` takes them."""
        return _BMP_TABLE, self.trie, self.ambig, self.top, self.freq, self.spec, self.bits

    def transform(self, codes: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """int32 (m, T) feature ids of the words between cut offsets ``bounds`` of ``codes``."""
        from ..sequence._feature_kernels import hash_templates
        A = word_attributes(codes, bounds, _BMP_TABLE, self.trie, self.ambig, self.top, self.freq)
        out = np.empty((bounds.shape[0] - 1, self.n_templates), np.int32)
        return hash_templates(A, WORD_PAD, self.spec, self.bits, out, 0)

    def get_params(self) -> dict:
        return {"preset": "word", "bits": self.bits, "templates": [t.name for t in self.templates]}
