"""The UD front end: a segmenter and a UPOS / XPOS tagger trained on UD Chinese treebanks.

UD treebanks segment and tag differently from PKU (CTB-like words, UPOS + CTB-like XPOS), so the
parser's input comes from models trained on the same treebanks with cnlp's own machinery: the BMES
perceptron of ``cnlp train cws`` (:mod:`cnlp.segment.tagging`) and the POS tagger of
``cnlp train pos`` (:func:`cnlp.pos.tagger.train_pos`) with a plain UPOS tag set. XPOS is a second
tagger trained on the treebanks that have XPOS. The UPOS tagger can also learn from People's Daily
1998 with its PKU tags mapped to UPOS (:data:`PKU_TO_UPOS`).
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..errors import ModelFormatError
from ..io import model_path
from ..pos.tagger import POSTagger, train_pos
from ..tagset import TagSet
from .conllu import UDSentence

__all__ = ["UDTagger", "UPOS", "PKU_TO_UPOS", "train_ud_segmenter", "train_ud_tagger", "default_ud_tagger",
           "default_ud_segmenter"]

#: the 17 universal POS tags
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
#: PKU (People's Daily) tag -> UPOS, for using PD98 as extra tagger training data
PKU_TO_UPOS = {
    "a": "ADJ", "ad": "ADJ", "ag": "ADJ", "an": "NOUN", "b": "ADJ", "bg": "ADJ", "c": "CCONJ", "d": "ADV",
    "dg": "ADV", "e": "INTJ", "f": "NOUN", "g": "X", "h": "PART", "i": "X", "j": "PROPN", "k": "PART",
    "l": "X", "m": "NUM", "mg": "NUM", "n": "NOUN", "ng": "NOUN", "nr": "PROPN", "ns": "PROPN", "nt": "PROPN",
    "nx": "X", "nz": "PROPN", "o": "ADV", "p": "ADP", "q": "NOUN", "qg": "NOUN", "r": "PRON", "rg": "PRON",
    "s": "NOUN", "t": "NOUN", "tg": "NOUN", "u": "PART", "v": "VERB", "vd": "VERB", "vg": "VERB",
    "vn": "VERB", "w": "PUNCT", "x": "X", "y": "PART", "yg": "PART", "z": "ADJ",
}
#: PKU words whose UPOS in UD Chinese differs from their tag's default
_PKU_WORDS = {("是", "v"): "AUX", ("的", "u"): "PART", ("了", "u"): "AUX", ("着", "u"): "AUX",
              ("过", "u"): "AUX", ("地", "u"): "PART", ("得", "u"): "PART", ("这", "r"): "DET",
              ("那", "r"): "DET", ("各", "r"): "DET", ("每", "r"): "DET", ("该", "r"): "DET",
              ("能", "v"): "AUX", ("可以", "v"): "AUX", ("要", "v"): "AUX", ("会", "v"): "AUX",
              ("应该", "v"): "AUX", ("可能", "v"): "AUX", ("被", "p"): "AUX", ("和", "c"): "CCONJ",
              ("如果", "c"): "SCONJ", ("因为", "c"): "SCONJ", ("虽然", "c"): "SCONJ", ("但", "c"): "ADV",
              ("但是", "c"): "ADV", ("而", "c"): "CCONJ", ("所以", "c"): "ADV"}


def pku_to_upos(sent: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A PD98 ``[(word, pku_tag)]`` sentence with UPOS tags."""
    return [(w, _PKU_WORDS.get((w, t), PKU_TO_UPOS.get(t, "X"))) for w, t in sent]


class UDTagger:
    """UPOS tagger (``predict``, what :class:`cnlp.pipeline.Pipeline` and the parser read) with an
    optional XPOS tagger (``predict_both``)."""

    def __init__(self, upos: POSTagger, xpos: POSTagger | None = None):
        self.upos = upos
        self.xpos = xpos

    def predict(self, words) -> list[str]:
        """UPOS tags of ``words``."""
        return self.upos.predict(words)

    def predict_both(self, words) -> tuple[list[str], list[str]]:
        """(UPOS tags, XPOS tags; ``_`` each without an XPOS tagger)."""
        up = self.upos.predict(words)
        xp = self.xpos.predict(words) if self.xpos is not None else ["_"] * len(up)
        return up, xp

    def __call__(self, words) -> list[str]:
        return self.predict(words)

    def warmup(self) -> "UDTagger":
        self.predict_both(["中文", "词性", "标注"])
        return self

    def save(self, upos_dir, xpos_dir=None, *, meta: dict | None = None, prune: float = 1.0) -> None:
        self.upos.save(upos_dir, meta=meta, prune=prune)
        if self.xpos is not None and xpos_dir is not None:
            self.xpos.save(xpos_dir, meta=meta, prune=prune)

    @classmethod
    def load(cls, upos_dir, xpos_dir=None) -> "UDTagger":
        return cls(POSTagger.load(upos_dir), POSTagger.load(xpos_dir) if xpos_dir is not None else None)


# ---------------------------------------------------------------------------------- training
def train_ud_tagger(train: list[UDSentence], dev: list[UDSentence] = (), *, pd98=None, pd98_weight: float = 1.0,
                    n_iter: int = 10, seeds: int = 1, xpos: bool = True, verbose: bool = False, **kw) -> UDTagger:
    """UPOS tagger on ``train`` (+ PD98 sentences ``pd98`` with mapped tags, the first
    ``pd98_weight`` x len(train words) words of it) and an XPOS tagger on the sentences that have XPOS."""
    up = [list(zip(s.forms, s.upos)) for s in train]
    if pd98:
        budget = int(pd98_weight * sum(len(s) for s in up))
        extra = []
        for s in pd98:
            if budget <= 0:
                break
            extra.append(pku_to_upos(s))
            budget -= len(s)
        up = up + extra
    upos_dev = [list(zip(s.forms, s.upos)) for s in dev]
    upos = train_pos(up, upos_dev, tagset=TagSet.plain(list(UPOS)), n_iter=n_iter, seeds=seeds,
                     verbose=verbose, **kw)
    xp = None
    if xpos:
        xs = [list(zip(s.forms, s.xpos)) for s in train if s.xpos and all(x != "_" for x in s.xpos)]
        if xs:
            xdev = [list(zip(s.forms, s.xpos)) for s in dev if s.xpos and all(x != "_" for x in s.xpos)]
            names = sorted({t for s in xs for _, t in s})
            xp = train_pos(xs, xdev, tagset=TagSet.plain(names), n_iter=n_iter, seeds=seeds, verbose=verbose, **kw)
    return UDTagger(upos, xp)


def train_ud_segmenter(train: list[list[str]], dev: list[list[str]] = (), *, n_iter: int = 10, seeds: int = 1,
                       bits: int = 22, folds: int = 5, verbose: bool = False):
    """A :class:`cnlp.segment.tagging.TaggingSegmenter` (averaged perceptron over BMES labels with
    jackknifed dictionary features, as ``cnlp train cws``) trained on word lists."""
    from ..segment.tagging import TaggingSegmenter, _codes, _dictionary, _jackknife_features, _labels, dev_scorer
    from ..sequence.features import DEFAULT_EXTRA, CharFeatures
    from ..train import fit_linear
    extra = list(DEFAULT_EXTRA)
    feats = CharFeatures(bits=bits, dictionary=_dictionary(train, 1), extra=extra)
    X = _jackknife_features(train, bits, 1, folds, extra)
    y = [_labels(s) for s in train]
    dev = list(dev)
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]
    model = fit_linear("perceptron", X, y, n_labels=4, n_features=feats.n_features,
                       dev_score=dev_scorer(dev, dev_X) if dev else None, seeds=seeds, n_iter=n_iter,
                       verbose=verbose)
    return TaggingSegmenter(model, feats)


# ---------------------------------------------------------------------------------- defaults
_lock = threading.Lock()
_DEFAULT: dict = {}


def default_ud_segmenter():
    """The shipped UD segmenter (``data/ud_cws``), loaded once."""
    from ..segment.tagging import TaggingSegmenter
    with _lock:
        if "cws" not in _DEFAULT:
            _DEFAULT["cws"] = TaggingSegmenter.load(model_path("ud_cws"))
        return _DEFAULT["cws"]


def default_ud_tagger() -> UDTagger:
    """The shipped UD tagger (``data/ud_pos`` UPOS, ``data/ud_xpos`` XPOS when present), loaded once."""
    with _lock:
        if "pos" not in _DEFAULT:
            try:
                xdir = model_path("ud_xpos")
            except ModelFormatError:
                xdir = None
            _DEFAULT["pos"] = UDTagger.load(model_path("ud_pos"), xdir)
        return _DEFAULT["pos"]
