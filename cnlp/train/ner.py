"""Named entity recognition as character tagging: the task adapter of ``cnlp train ner``.

Characters are the positions; :class:`cnlp.entities.features.NERFeatures` the attributes (character
window and classes, the segment -> POS cascade's words and tags and, jackknifed, an entity lexicon
learned from the training data); a bio / bioes tag set the labels; the model is an
:class:`cnlp.entities.recognizer.EntityRecognizer`.
"""
from __future__ import annotations

import sys
import time
from itertools import chain

from ..corpus.splits import pd98_split, split_sizes
from ..errors import require_data
from ..evaluate import EntityEvaluator
from ..entities.data import ENTITY_TYPES, pd98_entities, read_bio
from ..entities.features import EntityLexicon, NERFeatures
from ..entities.pd98 import convert_pd98
from ..entities.recognizer import EntityRecognizer, run_cascade
from ..sequence.perceptron import PerceptronTagger
from ..tagset import TagSet
from ..text import to_codes
from . import dev_scorer, fit_linear, jackknife

__all__ = ["cascade_arrays", "entity_tagset", "jackknife_features", "f1_scorer", "train_ner", "load_training_data"]


def cascade_arrays(texts, segmenter, pos, *, verbose: bool = False):
    """``[(codes, bounds, wtags)]`` of ``texts`` through the segmenter and POS tagger."""
    out = []
    t0 = time.perf_counter()
    for text in texts:
        codes = to_codes(text)
        out.append((codes, *run_cascade(text, codes, segmenter, pos)))
    if verbose:
        print(f"cascade: {len(out)} sentences in {time.perf_counter() - t0:.1f}s", file=sys.stderr, flush=True)
    return out


def entity_tagset(types, scheme: str) -> TagSet:
    if scheme not in ("bio", "bioes"):
        raise ValueError(f"scheme must be 'bio' or 'bioes', got {scheme!r}")
    return TagSet.bio(types) if scheme == "bio" else TagSet.bioes(types)


def jackknife_features(sents, casc, *, bits: int, folds: int, templates=None, types=ENTITY_TYPES, domains=None,
                       lexicon_extra=(), gazetteer=()):
    """Features of each fold with a lexicon of the other folds (:func:`cnlp.train.jackknife`: unseen
    names occur in training at the rate they occur in use); ``domains`` (one int per sentence, or
    None) selects each sentence's feature copy."""
    def fit(rest):
        lex = EntityLexicon.build(chain(((sents[i][0], sents[i][1], casc[i][1]) for i in rest),
                                        ((t, s, None) for t, s in lexicon_extra)), types, gazetteer)
        return NERFeatures(bits=bits, lexicon=lex, templates=templates)

    def apply(feats, i):
        codes, bounds, wtags = casc[i]
        return feats.transform(codes, bounds, wtags, domain=0 if domains is None else domains[i])
    return jackknife(len(sents), folds, fit, apply)


def f1_scorer(dev, dev_casc, tagset: TagSet, feats: NERFeatures):
    """``f(model) -> micro F1`` of exact entity spans on ``dev`` (features precomputed once;
    :class:`cnlp.evaluate.EntityEvaluator`)."""
    dev_X = [feats.transform(*c) for c in dev_casc]
    return dev_scorer(dev_X, [gold for _, gold in dev], EntityEvaluator,
                      lambda i, labels: tagset.decode_spans(labels), lambda r: r["micro"]["f1"])


def train_ner(train, dev=(), *, extra=(), adapt: bool = False, algorithm: str = "perceptron", scheme: str = "bioes",
              lexicon_extra=(), gazetteer=(), segmenter=None, pos=None, bits: int = 22, folds: int = 5,
              templates=None,
              types=ENTITY_TYPES, verbose: bool = True, **fit_kw):
    """An :class:`EntityRecognizer` trained on ``(text, spans)`` sentences (micro F1 on ``dev``
    logged every epoch); the cascade is ``segmenter`` / ``pos`` (required; :mod:`cnlp.models` has the shipped ones).

    ``extra``: sentences of another corpus (another annotation convention) trained on as well;
    with ``adapt`` every feature has a shared weight and one per corpus (feature augmentation),
    and the recognizer decodes with the shared + ``train`` weights. ``lexicon_extra``: sentences
    of another corpus that only feed the lexicon (character statistics and gazetteer);
    ``gazetteer``: ``(text, type)`` names that only enter the gazetteer."""
    extra = [(t, [sp for sp in s if sp[2] in types]) for t, s in extra if t]
    n_main = sum(1 for t, _ in train if t)
    train = [(t, [sp for sp in s if sp[2] in types]) for t, s in train if t] + extra
    dev = [(t, [sp for sp in s if sp[2] in types]) for t, s in dev if t]
    require_data(len(train), "the training data", "sentences")
    domains = [1] * n_main + [2] * len(extra) if adapt else None
    tagset = entity_tagset(types, scheme)
    rec = EntityRecognizer(PerceptronTagger(n_labels=len(tagset), n_features=1 << bits), NERFeatures(bits=bits),
                           tagset, segmenter=segmenter, pos=pos)
    casc = cascade_arrays([t for t, _ in train], rec.segmenter, rec.pos, verbose=verbose)
    lexicon_extra = [(t, [sp for sp in s if sp[2] in types]) for t, s in lexicon_extra]
    gazetteer = list(gazetteer)
    X = jackknife_features(train, casc, bits=bits, folds=folds, templates=templates, types=types, domains=domains,
                           lexicon_extra=lexicon_extra, gazetteer=gazetteer)
    y = [tagset.encode_spans(len(t), s) for t, s in train]
    lexicon = EntityLexicon.build(chain(((t, s, c[1]) for (t, s), c in zip(train, casc)),
                                        ((t, s, None) for t, s in lexicon_extra)), types, gazetteer)
    feats = NERFeatures(bits=bits, lexicon=lexicon, templates=templates, domain=1 if adapt else 0)
    score = f1_scorer(dev, cascade_arrays([t for t, _ in dev], rec.segmenter, rec.pos), tagset, feats) if dev else None
    model = fit_linear(algorithm, X, y, n_labels=len(tagset), n_features=feats.n_features, tagset=tagset,
                       dev_score=score, verbose=verbose, **fit_kw)
    return EntityRecognizer(model, feats, tagset, segmenter=rec._segmenter, pos=rec._pos)


def load_training_data(msra, pd98=None, *, dev_ratio: float = 0.1, pd98_test_ratio: float = 0.1,
                       pd98_mode: str = "plain"):
    """(train, dev, extra) ``(text, spans)`` lists: the MSRA BIO file (its last ``dev_ratio`` is
    dev) and, optionally, the training part of the PD98 split converted (:mod:`cnlp.entities.pd98`;
    without MSRA it is the training data and its dev part the dev set)."""
    train, dev, extra = [], [], []
    if msra:
        sents = list(read_bio(msra))
        n_train, n_dev, _ = split_sizes(len(sents), test_ratio=dev_ratio)
        train, dev = sents[:n_train], sents[n_train:]
    if pd98:
        split = pd98_split(pd98, test_ratio=pd98_test_ratio, dev_ratio=0.0 if msra else 0.05, compounds="merge")
        extra = convert_pd98(split.train, mode=pd98_mode, reference=train)
        if not msra:
            train, extra, dev = extra, [], [pd98_entities(s) for s in split.dev]
    return train, dev, extra
