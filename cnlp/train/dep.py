"""Dependency parsing: the task adapter of ``cnlp train dep --component parser``.

The parser (:class:`cnlp.parsing.parser.ArcHybridParser`) trains with its own ``fit`` (transitions,
beam search with early update); what it shares with the other tasks is the training data made
in advance: UPOS tags predicted by jackknifed UD taggers (:func:`jackknife_tags`), so that the
parser learns from tags as noisy as those it will read.
"""
from __future__ import annotations

import copy

from . import jackknife
from .ud import train_lexicon_tagger

__all__ = ["jackknife_tags"]


def jackknife_tags(train, folds: int, **kw):
    """Each fold's UPOS as predicted (in its own treebank's style) by a tagger trained on the other
    folds (:func:`cnlp.train.ud.train_lexicon_tagger` with ``kw``; copies of the sentences)."""
    def fit(rest):
        rest = [train[i] for i in rest]
        tbs = {s.treebank for s in rest}
        tagger = train_lexicon_tagger(rest, (), treebank=sorted(tbs)[0] if kw.get("treebank_features") else None,
                                      **kw)
        return tagger, tbs

    def apply(fitted, i):
        tagger, tbs = fitted
        s = copy.copy(train[i])
        s.upos = tagger.predict(s.forms, treebank=s.treebank if s.treebank in tbs else None)
        return s
    return jackknife(len(train), folds, fit, apply)
