"""POS tagging over words: the task adapter of ``cnlp train pos`` (and of the UD taggers).

Words are the positions, :class:`cnlp.pos.features.WordFeatures` the attributes (word window,
affixes, shape and, jackknifed, the word's entry in a tag dictionary of the training split), a
plain tag set the labels; the model is a :class:`cnlp.pos.tagger.POSTagger`.
"""
from __future__ import annotations

from ..corpus.stats import CorpusStats
from ..dictionary import Dictionary
from ..evaluate import TagEvaluator
from ..pos.features import DEFAULT_TEMPLATES, WordFeatures, uses_predictions
from ..pos.tagger import DICT_MIN_COUNT, POSTagger, _bounds
from ..tagset import TagSet
from ..text import to_codes
from . import dev_scorer, fit_linear, jackknife

__all__ = ["PRUNE", "FIRST_N_ITER", "tag_dictionary", "sentence_arrays", "jackknife_arrays", "accuracy_scorer",
           "train_pos"]

#: rows whose weights are all at most this small are not saved (dev accuracy 0.96126 with all
#: 893,563 rows, 0.96124 with the 332,331 kept; emissions 1.3x faster; benchmarks/pos_accuracy.py --dev)
PRUNE = 1.0
#: epochs of the first-pass taggers trained on the jackknife folds for stacked templates
FIRST_N_ITER = 5


def tag_dictionary(sents) -> Dictionary:
    """The tag dictionary of tagged sentences: word counts and tag distributions from ``CorpusStats``."""
    return Dictionary.from_stats(CorpusStats.build(sents))


def sentence_arrays(feats: WordFeatures, sents, tagset: TagSet | None = None, first: POSTagger | None = None):
    """(X list, y list or None) of tagged sentences under ``feats`` (stacked ones read the tags
    ``first`` predicts)."""
    X, y = [], []
    for s in sents:
        words = [w for w, _ in s]
        codes, bounds = to_codes("".join(words)), _bounds(words)
        pred = first.predict_ids(codes, bounds) if first is not None and feats.stacked else None
        X.append(feats.transform(codes, bounds, pred))
        if tagset is not None:
            y.append(tagset.encode([t for _, t in s]))
    return X, (y if tagset is not None else None)


def jackknife_arrays(sents, tagset: TagSet, *, bits: int, folds: int, templates=None, first_kw=None):
    """Features of each fold looked up in a tag dictionary of the *other* folds (:func:`cnlp.train.jackknife`:
    unknown words occur in training at the rate they occur in use), and the labels. Stacked templates read
    the tags of a first-pass tagger trained on the other folds (``train_pos(**first_kw)``)."""
    def fit(rest):
        rest = [sents[i] for i in rest]
        feats = WordFeatures(bits=bits, dictionary=tag_dictionary(rest), templates=templates)
        first = train_pos(rest, (), bits=bits, folds=folds, **(first_kw or {})) if feats.stacked else None
        return feats, first

    def apply(fitted, i):
        feats, first = fitted
        return sentence_arrays(feats, [sents[i]], first=first)[0][0]
    X = jackknife(len(sents), folds, fit, apply)
    return X, [tagset.encode([t for _, t in s]) for s in sents]


def accuracy(result: dict) -> float:
    """The accuracy of a :class:`cnlp.evaluate.TagEvaluator` result (0.0 without any word)."""
    return result["accuracy"] if result["n"] else 0.0


def accuracy_scorer(dev, tagset: TagSet, feats: WordFeatures, first: POSTagger | None = None):
    """``f(model) -> accuracy`` on the tagged ``dev`` sentences (features precomputed once;
    :class:`cnlp.evaluate.TagEvaluator`)."""
    dev_X, _ = sentence_arrays(feats, dev, None, first)
    return dev_scorer(dev_X, dev, TagEvaluator, lambda i, labels: tagset.decode(labels), accuracy)


def train_pos(train, dev=(), *, algorithm: str = "perceptron", bits: int = 22, folds: int = 5, templates=None,
              dict_min_count: int = DICT_MIN_COUNT, first_n_iter: int = FIRST_N_ITER, tagset: TagSet | None = None,
              **fit_kw):
    """A :class:`POSTagger` trained on tagged sentences ``train`` (dev accuracy logged on ``dev``).

    With stacked templates (:func:`cnlp.pos.features.uses_predictions`) a first-pass tagger with
    the other templates is trained first (on ``train``, early-stopped on ``dev``), and the training
    features read the tags of first-pass taggers trained on the other jackknife folds
    (``first_n_iter`` epochs, one seed). ``tagset``: default the tags of ``train``."""
    if tagset is None:
        tagset = TagSet.plain(sorted({t for s in train for _, t in s}))
    names = DEFAULT_TEMPLATES if templates is None else tuple(templates)
    dev = [s for s in dev if all(t in tagset for _, t in s)]
    first, first_kw = None, None
    if uses_predictions(names):
        base = [n for n in names if not uses_predictions([n])]
        first_kw = dict(algorithm=algorithm, templates=base, tagset=tagset, dict_min_count=dict_min_count,
                        min_count=fit_kw.get("min_count", 1), n_iter=first_n_iter, verbose=False)
        if algorithm == "crf":
            first_kw.update(c2=fit_kw.get("c2", 1.0), max_iter=fit_kw.get("max_iter", 100))
        first = train_pos(train, dev, bits=bits, folds=folds, templates=base, dict_min_count=dict_min_count,
                          tagset=tagset, **fit_kw)
    X, y = jackknife_arrays(train, tagset, bits=bits, folds=folds, templates=names, first_kw=first_kw)
    feats = WordFeatures(bits=bits, dictionary=tag_dictionary(train), templates=names)
    score = accuracy_scorer(dev, tagset, feats, first) if dev else None
    model = fit_linear(algorithm, X, y, n_labels=len(tagset), n_features=feats.n_features, tagset=tagset,
                       dev_score=score, **fit_kw)
    return POSTagger(model, feats, tagset, dict_min_count=dict_min_count, first=first)
