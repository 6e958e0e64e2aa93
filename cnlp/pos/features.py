"""The word-level feature preset of the POS tagger (templates as data over word attributes).

Attributes per word (:func:`cnlp.pos._kernels.word_attributes`): the folded word, its first /
first two / last / last two characters, length, shape, and from a tag dictionary (a
:class:`cnlp.dictionary.Dictionary` with POS distributions, built from ``CorpusStats``) the word's
set of tags, its most frequent tag and a frequency bucket. Unknown words are described by the
affixes, length and shape; known ones also by their dictionary entry. Training uses jackknifed
dictionaries (each fold's words looked up in a dictionary of the other folds), so unknown words
look in training as they do in use.

Unknown-word cues learned from the dictionary (:func:`affix_arrays`, jackknifed with it): the tag
set and top tag of the dictionary words sharing the word's last / first one or two characters;
and the characters inside the word. Stacked templates (:data:`STACK_TEMPLATES`) read the tags a
first-pass tagger predicted for the neighbours (:class:`cnlp.pos.tagger.POSTagger` ``first``).
"""
from __future__ import annotations

import numpy as np

from .._hash_kernels import name_hash
from ..sequence.features import Template, compile_templates
from ..text import _BMP_TABLE
from ._kernels import AFFIX_P1, AFFIX_P2, AFFIX_S1, AFFIX_S2, AFFIX_SHIFT, AMBIG, CHAR1, CHARM2, FREQ, LENGTH, \
    MID2, N_ATTRIBUTES, P1SET, P1TOP, P2SET, P2TOP, PRE1, PRE2, PRED, S1SET, S1TOP, S2SET, S2TOP, SHAPE, SUF1, SUF2, TOP, \
    WORD, WORD_PAD, word_attributes

__all__ = ["WordFeatures", "WORD_TEMPLATES", "AFFIX_TEMPLATES", "STACK_TEMPLATES", "LEXICON_TEMPLATES", "GUIDE_TEMPLATES",
           "affix_arrays", "uses_predictions"]


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
#: unknown-word cues: the affix tag dictionary (:func:`affix_arrays`) and characters inside the word
AFFIX_TEMPLATES = (
    _t("s1set", 160, [(S1SET, 0)]), _t("s1top", 161, [(S1TOP, 0)]), _t("p1set", 162, [(P1SET, 0)]),
    _t("p1top", 163, [(P1TOP, 0)]), _t("s2set", 164, [(S2SET, 0)]), _t("s2top", 165, [(S2TOP, 0)]),
    _t("p2set", 166, [(P2SET, 0)]), _t("p2top", 167, [(P2TOP, 0)]),
    _t("s1set,p1set", 168, [(S1SET, 0)], [(P1SET, 0)]), _t("s1set,len", 169, [(S1SET, 0)], [(LENGTH, 0)]),
    _t("s2set,freq", 170, [(S2SET, 0)], [(FREQ, 0)]), _t("s1top,t-1", 171, [(S1TOP, 0)], [(T, -1)]),
    _t("c1", 172, [(CHAR1, 0)]), _t("c-2", 173, [(CHARM2, 0)]), _t("c1c2", 174, [(MID2, 0)]))
#: stacking: the tags a first-pass tagger predicted for the neighbours (:attr:`WordFeatures.stacked`)
STACK_TEMPLATES = (
    _t("y-1", 180, [(PRED, -1)]), _t("y1", 181, [(PRED, 1)]), _t("y-2", 182, [(PRED, -2)]), _t("y2", 183, [(PRED, 2)]),
    _t("y-1,y1", 184, [(PRED, -1)], [(PRED, 1)]), _t("w0,y-1", 185, [(W, 0)], [(PRED, -1)]),
    _t("w0,y1", 186, [(W, 0)], [(PRED, 1)]), _t("a0,y-1,y1", 187, [(A, 0)], [(PRED, -1, 64), (PRED, 1, 1)]),
    _t("y1,y2", 188, [(PRED, 1)], [(PRED, 2)]), _t("y-2,y-1", 189, [(PRED, -2)], [(PRED, -1)]),
    _t("w0,y2", 190, [(W, 0)], [(PRED, 2)]), _t("w0,y-2", 191, [(W, 0)], [(PRED, -2)]))
#: a second, external tag dictionary (a lexicon, e.g. People's Daily tags mapped to UPOS, read by
#: :class:`cnlp.parsing.frontend.LexiconTagger` through a second :class:`WordFeatures`): the word's
#: lexicon tag set / top tag / frequency and the lexicon's affix tag dictionary, with their own seeds
LEXICON_TEMPLATES = (
    _t("lx:a0", 200, [(AMBIG, 0)]), _t("lx:t0", 201, [(TOP, 0)]), _t("lx:a0,freq", 202, [(AMBIG, 0)], [(FREQ, 0)]),
    _t("lx:a-1", 203, [(AMBIG, -1)]), _t("lx:a1", 204, [(AMBIG, 1)]), _t("lx:t-1,t0", 205, [(TOP, -1)], [(TOP, 0)]),
    _t("lx:t0,t1", 206, [(TOP, 0)], [(TOP, 1)]), _t("lx:a0,s1", 207, [(AMBIG, 0)], [(SUF1, 0)]),
    _t("lx:a0,w-1", 208, [(AMBIG, 0)], [(WORD, -1)]), _t("lx:a0,w1", 209, [(AMBIG, 0)], [(WORD, 1)]),
    _t("lx:s1set", 210, [(S1SET, 0)]), _t("lx:s1top", 211, [(S1TOP, 0)]), _t("lx:p1set", 212, [(P1SET, 0)]),
    _t("lx:p1top", 213, [(P1TOP, 0)]), _t("lx:s2set", 214, [(S2SET, 0)]), _t("lx:s2top", 215, [(S2TOP, 0)]),
    _t("lx:p2set", 216, [(P2SET, 0)]), _t("lx:p2top", 217, [(P2TOP, 0)]),
    _t("lx:s1set,len", 218, [(S1SET, 0)], [(LENGTH, 0)]), _t("lx:a0,len", 219, [(AMBIG, 0)], [(LENGTH, 0)]))
#: guided tagging: the tags a tagger trained on another corpus with another tag set (People's Daily
#: with PKU tags, read by :class:`cnlp.parsing.frontend.LexiconTagger` through a third
#: :class:`WordFeatures`) predicted for the word and its neighbours, passed as ``pred``; with their own
#: seeds. Unlike :data:`STACK_TEMPLATES` they include the word's own predicted tag
GUIDE_TEMPLATES = (
    _t("gd:y0", 230, [(PRED, 0)]), _t("gd:y-1", 231, [(PRED, -1)]), _t("gd:y1", 232, [(PRED, 1)]),
    _t("gd:y-2", 233, [(PRED, -2)]), _t("gd:y2", 234, [(PRED, 2)]), _t("gd:y-1y0", 235, [(PRED, -1)], [(PRED, 0)]),
    _t("gd:y0y1", 236, [(PRED, 0)], [(PRED, 1)]), _t("gd:y-1y0y1", 237, [(PRED, -1, 1000003), (PRED, 0, 1)], [(PRED, 1)]),
    _t("gd:w0y0", 238, [(WORD, 0)], [(PRED, 0)]), _t("gd:y0len", 239, [(PRED, 0)], [(LENGTH, 0)]))
TEMPLATE_LIBRARY = {t.name: t for t in WORD_TEMPLATES + EXTRA_WORD_TEMPLATES + AFFIX_TEMPLATES + STACK_TEMPLATES
                    + LEXICON_TEMPLATES + GUIDE_TEMPLATES}
#: what ``cnlp train pos`` uses: the base and extra templates (dev accuracy 0.9600 -> 0.9608 with the
#: extra ones). The affix and stacked templates are there to be selected by name: on dev (one seed,
#: benchmarks/pos_accuracy.py --dev) they give 0.9609 (unseen 0.745) -> 0.9612 (0.780) with the affix
#: tag dictionary, 0.9618 (0.777) with the characters inside the word too, 0.9627 (0.787) stacked,
#: at 0.77x / 0.41x the tagging speed and (stacked) 2.5x the model size
DEFAULT_TEMPLATES = tuple(t.name for t in WORD_TEMPLATES + EXTRA_WORD_TEMPLATES)
del W, A, T


def uses_predictions(names) -> bool:
    """Whether any of the template ``names`` reads first-pass predicted tags."""
    return any(a == PRED for n in names for slot in TEMPLATE_LIBRARY[n].slots for a, _, _ in slot)


_hash = name_hash


#: a tag belongs to an affix's tag set when at least this share of its words has it as top tag
AFFIX_SHARE = 0.15


def affix_arrays(dictionary) -> tuple:
    """The affix tag dictionary for :func:`word_attributes`: (sorted int64 keys, int64 (K, 2)).
    Key = ``kind << AFFIX_SHIFT | value`` for the last / first character (code) and last / first
    two characters (``code * 1114112 + code``) of the dictionary's words of 2+ characters; row =
    (hash of the sorted tags that are the top tag of at least :data:`AFFIX_SHARE` of those words,
    hash of the most common top tag). Built from the (jackknifed) dictionary, so in training a
    fold's words see the affixes of the other folds' words only."""
    if dictionary is None or not len(dictionary):
        return np.zeros(0, np.int64), np.zeros((0, 2), np.int64)
    names = dictionary.pos_names
    po, pids = dictionary.pos_offsets.tolist(), dictionary.pos_ids.tolist()
    counts: dict = {}
    for w, i in dictionary.trie.items():
        if len(w) < 2 or po[i] == po[i + 1]:
            continue
        tag = names[pids[po[i]]]
        c = [ord(ch) for ch in w]
        for kind, v in ((AFFIX_S1, c[-1]), (AFFIX_P1, c[0]), (AFFIX_S2, c[-2] * 1114112 + c[-1]),
                        (AFFIX_P2, c[0] * 1114112 + c[1])):
            d = counts.setdefault(kind << AFFIX_SHIFT | v, {})
            d[tag] = d.get(tag, 0) + 1
    keys = np.array(sorted(counts), np.int64)
    vals = np.zeros((len(keys), 2), np.int64)
    for r, k in enumerate(keys.tolist()):
        d = counts[k]
        n = sum(d.values())
        vals[r, 0] = _hash(",".join(sorted(t for t, c in d.items() if c >= AFFIX_SHARE * n)))
        vals[r, 1] = _hash(max(sorted(d), key=d.get))
    return keys, vals


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
        self.affix = affix_arrays(dictionary) if any(S1SET <= a <= P2TOP for a in self.spec[3].tolist()) \
            else affix_arrays(None)

    @property
    def stacked(self) -> bool:
        """Whether a template reads first-pass predicted tags (``pred`` of :meth:`transform`)."""
        return uses_predictions(t.name for t in self.templates)

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    @property
    def n_templates(self) -> int:
        return len(self.templates)

    def kernel_args(self) -> tuple:
        """(table, trie, ambig, top, freq, affix, spec, bits) as :func:`cnlp.pos._kernels.tag_words` takes them."""
        return _BMP_TABLE, self.trie, self.ambig, self.top, self.freq, self.affix, self.spec, self.bits

    def transform(self, codes: np.ndarray, bounds: np.ndarray, pred: np.ndarray | None = None) -> np.ndarray:
        """int32 (m, T) feature ids of the words between cut offsets ``bounds`` of ``codes``
        (``pred``: first-pass tag ids of the words, for stacked templates)."""
        from ..sequence._feature_kernels import hash_templates
        pred = np.zeros(0, np.int64) if pred is None else np.ascontiguousarray(pred, np.int64)
        A = word_attributes(codes, bounds, _BMP_TABLE, self.trie, self.ambig, self.top, self.freq, self.affix, pred)
        out = np.empty((bounds.shape[0] - 1, self.n_templates), np.int32)
        return hash_templates(A, WORD_PAD, self.spec, self.bits, out, 0)

    def get_params(self) -> dict:
        return {"preset": "word", "bits": self.bits, "templates": [t.name for t in self.templates]}
