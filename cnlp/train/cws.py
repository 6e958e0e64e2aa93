"""Segmentation as BMES tagging: the task adapter of ``cnlp train cws`` and of the UD segmenter.

Characters are the positions, :class:`cnlp.sequence.features.CharFeatures` the attributes
(character window, classes and, jackknifed, the words of a dictionary of the training split),
BMES the tag set; the model is a :class:`cnlp.segmentation.tagging.TaggingSegmenter`.
"""
from __future__ import annotations

import numpy as np

from ..corpus.readers import read_pd98
from ..corpus.stats import CorpusStats
from ..dictionary import Dictionary
from ..errors import require_data
from ..evaluate import SegEvaluator
from ..segmentation.tagging import TaggingSegmenter, _codes, _labels
from ..sequence.features import DEFAULT_EXTRA, CharFeatures
from ..tagset import BMES
from . import dev_scorer as _dev_scorer, fit_linear, jackknife

__all__ = ["CRF_C2", "CRF_MAX_ITER", "CRF_PRUNE", "word_dictionary", "jackknife_features", "training_data",
           "dev_scorer", "train_cws"]

#: CRF defaults of ``cnlp train cws --algorithm crf`` (chosen on the dev split, docs/benchmarks.md)
CRF_C2, CRF_MAX_ITER, CRF_PRUNE = 0.5, 300, 1e-3


def word_dictionary(sents, min_count: int) -> Dictionary:
    """Dictionary of the words of ``sents`` (lists of words) seen at least ``min_count`` times;
    the counts are :class:`~cnlp.corpus.stats.CorpusStats` word counts."""
    stats = CorpusStats.build(sents)
    return Dictionary.from_counts({w: c for w, c in stats.word_items() if c >= min_count})


def jackknife_features(sents, bits: int, min_count: int, folds: int, extra=()) -> list[np.ndarray]:
    """Features of each fold computed with a dictionary of the *other* folds' words
    (:func:`cnlp.train.jackknife`)."""
    def fit(rest):
        return CharFeatures(bits=bits, dictionary=word_dictionary([sents[i] for i in rest], min_count), extra=extra)
    return jackknife(len(sents), folds, fit, lambda feats, i: feats.transform_codes(_codes("".join(sents[i]))))


def training_data(corpus, *, dev_ratio: float = 0.05, bits: int = 22, dict_features: bool = True,
                  dict_min_count: int = 1, folds: int = 5, extra=()):
    """(train words, dev words, features, X, y, dev_X) as ``cnlp train cws`` builds them: the last
    ``dev_ratio`` of the paragraphs held out, the dictionary of the training split, and jackknifed
    dictionary features for the training sentences. Unlike the CLI (``DEFAULT_EXTRA``, ``DEFAULT_EXTRA_CRF``), ``extra``
    defaults to no optional templates, the feature set of the python-crfsuite comparison."""
    sents = [[w for w, _ in s] for p in corpus for s in read_pd98(p) if s]
    n_dev = int(len(sents) * dev_ratio)
    train, dev = sents[:len(sents) - n_dev], sents[len(sents) - n_dev:]
    require_data(len(train), corpus, "segmented sentences")
    dictionary = word_dictionary(train, dict_min_count) if dict_features else None   # closed track
    feats = CharFeatures(bits=bits, dictionary=dictionary, extra=extra)
    if dictionary is None:
        X = [feats.transform_codes(_codes("".join(s))) for s in train]
    else:
        X = jackknife_features(train, bits, dict_min_count, folds, extra)
    y = [_labels(s) for s in train]
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]
    return train, dev, feats, X, y, dev_X


def dev_scorer(dev, dev_X):
    """``f(tagger) -> F1`` of the tagger's Viterbi output on the dev words (:class:`cnlp.evaluate.SegEvaluator`)."""
    def words(i, labels):
        text = "".join(dev[i])
        b = BMES.decode_spans(labels).tolist()
        return [text[s:e] for s, e in zip(b, b[1:])]
    return _dev_scorer(dev_X, dev, SegEvaluator, words, lambda r: r["f1"])


def train_cws(train: list[list[str]], dev: list[list[str]] = (), *, n_iter: int = 10, seeds: int = 1,
              bits: int = 22, folds: int = 5, extra=DEFAULT_EXTRA, verbose: bool = False) -> TaggingSegmenter:
    """A :class:`TaggingSegmenter` (averaged perceptron over BMES labels with jackknifed dictionary
    features of the words of ``train``, as ``cnlp train cws``) trained on word lists."""
    extra = list(extra)
    feats = CharFeatures(bits=bits, dictionary=word_dictionary(train, 1), extra=extra)
    X = jackknife_features(train, bits, 1, folds, extra)
    y = [_labels(s) for s in train]
    dev = list(dev)
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]
    model = fit_linear("perceptron", X, y, n_labels=4, n_features=feats.n_features,
                       dev_score=dev_scorer(dev, dev_X) if dev else None, seeds=seeds, n_iter=n_iter,
                       verbose=verbose)
    return TaggingSegmenter(model, feats)
