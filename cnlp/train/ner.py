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
from ..corpus.readers import iter_lines
from ..entities.data import CLUENER_TYPES, ENTITY_TYPES, pd98_entities, read_bio, read_cluener, read_resume, \
    read_weibo
from ..errors import CorpusFormatError
from ..entities.features import EntityLexicon, NERFeatures
from ..entities.pd98 import convert_pd98
from ..entities.recognizer import EntityRecognizer, run_cascade
from ..entities.router import DomainRouter
from ..sequence.perceptron import PerceptronTagger
from ..tagset import TagSet
from ..text import to_codes
from . import dev_scorer, fit_linear, jackknife

__all__ = ["cascade_arrays", "entity_tagset", "jackknife_features", "f1_scorer", "train_ner", "load_training_data",
           "load_corpus", "dictionary_gazetteer", "cluener_split", "CLUENER_COARSE", "CORPUS_READERS"]

#: the domain router's hashed feature bits, SGD epochs and learning rate (chosen on the dev sets'
#: routing accuracy: MSRA 0.988, Weibo 0.937, Resume 0.998 at 16 bits; 14 bits within 0.003)
ROUTER_BITS, ROUTER_EPOCHS, ROUTER_LR = 14, 3, 1.0
#: corpus name -> reader of its training / dev files (``(text, spans)`` with PER / LOC / ORG)
CORPUS_READERS = {"weibo": read_weibo, "resume": read_resume}
#: CLUENER's fine types -> PER / LOC / ORG, for the character statistics of the lexicon only
CLUENER_COARSE = {"name": "PER", "address": "LOC", "scene": "LOC", "company": "ORG", "government": "ORG",
                  "organization": "ORG"}


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
                       lexicon_extra=(), gazetteer=(), coarse=None):
    """Features of each fold with a lexicon of the other folds (:func:`cnlp.train.jackknife`: unseen
    names occur in training at the rate they occur in use); ``domains`` (one int per sentence, or
    None) selects each sentence's feature copy."""
    def fit(rest):
        lex = EntityLexicon.build(chain(((sents[i][0], sents[i][1], casc[i][1]) for i in rest),
                                        ((t, s, None) for t, s in lexicon_extra)), types, gazetteer, coarse)
        return NERFeatures(bits=bits, lexicon=lex, templates=templates)

    def apply(feats, i):
        codes, bounds, wtags = casc[i]
        return feats.transform(codes, bounds, wtags, domain=0 if domains is None else domains[i])
    return jackknife(len(sents), folds, fit, apply)


def f1_scorer(dev, dev_casc, tagset: TagSet, feats: NERFeatures, hidden=(), *, router=None, domains=None):
    """``f(model) -> micro F1`` of exact entity spans on ``dev`` (features precomputed once;
    :class:`cnlp.evaluate.EntityEvaluator`); ``dev`` may be a dict of named dev sets (and
    ``dev_casc`` one of their cascades): the mean of their micro F1. With a ``router``, each
    sentence's features are those of the domain it routes to (``domains``: name -> copy)."""
    if isinstance(dev, dict):
        scores = [f1_scorer(dev[k], dev_casc[k], tagset, feats, hidden, router=router, domains=domains)
                  for k in dev if dev[k]]
        return lambda model: sum(f(model) for f in scores) / len(scores)
    if router is not None:
        dev_X = [feats.transform(*c, domain=domains[router.route(t, c[0])]) for (t, _), c in zip(dev, dev_casc)]
    else:
        dev_X = [feats.transform(*c) for c in dev_casc]
    hidden = set(hidden)
    return dev_scorer(dev_X, [gold for _, gold in dev], EntityEvaluator,
                      lambda i, labels: [sp for sp in tagset.decode_spans(labels) if sp[2] not in hidden],
                      lambda r: r["micro"]["f1"])


def train_ner(train, dev=(), *, extra=(), adapt: bool = False, algorithm: str = "perceptron", scheme: str = "bioes",
              lexicon_extra=(), gazetteer=(), segmenter=None, pos=None, bits: int = 22, folds: int = 5,
              templates=None, corpora=(), main_name: str = "main", decode_domain: str | None = None,
              hidden_types=(), coarse=None, mask_markup: bool = False, repeat=None,
              types=ENTITY_TYPES, verbose: bool = True, **fit_kw):
    """An :class:`EntityRecognizer` trained on ``(text, spans)`` sentences (micro F1 on ``dev``
    logged every epoch; ``dev`` a list, or a dict of named dev sets scored by their mean micro F1);
    the cascade is ``segmenter`` / ``pos`` (required; :mod:`cnlp.models` has the shipped ones).

    ``extra``: sentences of another corpus (another annotation convention) trained on as well;
    ``corpora``: more ``(name, sentences)`` training corpora. With ``adapt`` every feature has a
    shared weight and one per corpus (feature augmentation: ``train`` is corpus ``main_name``,
    ``extra`` ``"extra"``); the recognizer decodes with the shared weights plus those of corpus
    ``decode_domain`` (default ``main_name``; ``"shared"``: the shared weights only; ``"auto"``:
    of the corpus a :class:`cnlp.entities.router.DomainRouter` trained on the corpora's texts
    picks for each text).
    ``lexicon_extra``: sentences of another corpus that only feed the lexicon (character
    statistics and gazetteer); ``gazetteer``: ``(text, type)`` names that only enter the gazetteer
    (a type outside ``types`` is a word list's own signal). ``hidden_types``: types of ``types``
    trained on but never output; ``coarse``: fine type -> PER / LOC / ORG for the character
    statistics; ``mask_markup``: URL, ``@``, ``#`` and emoji characters are never in an entity;
    ``repeat``: corpus name -> how many times its sentences are trained on (their jackknifed
    features computed once, so a copy never sees its own names in the lexicon)."""
    keep = lambda sents: [(t, [sp for sp in s if sp[2] in types]) for t, s in sents if t]  # noqa: E731
    named = [(main_name, keep(train))] + ([("extra", keep(extra))] if extra else []) + \
        [(name, keep(s)) for name, s in corpora]
    train = [x for _, sents in named for x in sents]
    shown = [t for t in types if t not in hidden_types]
    keep_dev = lambda sents: [(t, [sp for sp in s if sp[2] in shown]) for t, s in sents if t]  # noqa: E731
    dev = {k: keep_dev(v) for k, v in dev.items()} if isinstance(dev, dict) else keep_dev(dev)
    require_data(len(train), "the training data", "sentences")
    domain_ids = {name: k + 1 for k, (name, _) in enumerate(named)} if adapt else {}
    domains = [domain_ids[name] for name, sents in named for _ in sents] if adapt else None
    if decode_domain is None:
        decode_domain = main_name
    if adapt and decode_domain not in ("shared", "auto") and decode_domain not in domain_ids:
        raise ValueError(f"decode_domain {decode_domain!r} is not one of {['shared', 'auto', *domain_ids]}")
    router = None
    if adapt and decode_domain == "auto":
        if len(named) < 2:
            raise ValueError("decode_domain='auto' needs two or more training corpora")
        router = DomainRouter.fit({name: [t for t, _ in sents] for name, sents in named}, bits=ROUTER_BITS,
                                  epochs=ROUTER_EPOCHS, lr=ROUTER_LR)
    tagset = entity_tagset(types, scheme)
    rec = EntityRecognizer(PerceptronTagger(n_labels=len(tagset), n_features=1 << bits), NERFeatures(bits=bits),
                           tagset, segmenter=segmenter, pos=pos)
    casc = cascade_arrays([t for t, _ in train], rec.segmenter, rec.pos, verbose=verbose)
    lexicon_extra = keep(lexicon_extra)
    gazetteer = list(gazetteer)
    X = jackknife_features(train, casc, bits=bits, folds=folds, templates=templates, types=types, domains=domains,
                           lexicon_extra=lexicon_extra, gazetteer=gazetteer, coarse=coarse)
    y = [tagset.encode_spans(len(t), s) for t, s in train]
    if repeat:
        unknown = set(repeat) - {name for name, _ in named}
        if unknown:
            raise ValueError(f"repeat names corpora {sorted(unknown)} that are not trained on")
        pos_ = 0
        more_X, more_y = [], []
        for name, sents in named:
            k = int(repeat.get(name, 1))
            if k < 1:
                raise ValueError(f"repeat of {name!r} must be >= 1, got {k}")
            more_X += X[pos_:pos_ + len(sents)] * (k - 1)
            more_y += y[pos_:pos_ + len(sents)] * (k - 1)
            pos_ += len(sents)
        X, y = X + more_X, y + more_y
    lexicon = EntityLexicon.build(chain(((t, s, c[1]) for (t, s), c in zip(train, casc)),
                                        ((t, s, None) for t, s in lexicon_extra)), types, gazetteer, coarse)
    domain = 0 if not adapt or decode_domain in ("shared", "auto") else domain_ids[decode_domain]
    feats = NERFeatures(bits=bits, lexicon=lexicon, templates=templates, domain=domain)
    score = None
    if dev:
        if isinstance(dev, dict):
            dev_casc = {k: cascade_arrays([t for t, _ in v], rec.segmenter, rec.pos) for k, v in dev.items()}
        else:
            dev_casc = cascade_arrays([t for t, _ in dev], rec.segmenter, rec.pos)
        score = f1_scorer(dev, dev_casc, tagset, feats, hidden_types, router=router, domains=domain_ids)
    model = fit_linear(algorithm, X, y, n_labels=len(tagset), n_features=feats.n_features, tagset=tagset,
                       dev_score=score, verbose=verbose, **fit_kw)
    return EntityRecognizer(model, feats, tagset, segmenter=rec._segmenter, pos=rec._pos, mask_markup=mask_markup,
                            hidden_types=hidden_types, domains=domain_ids, router=router)


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


def load_corpus(name: str, path, **kw) -> list:
    """``(text, spans)`` sentences of the ``name`` corpus file (:data:`CORPUS_READERS`)."""
    return list(CORPUS_READERS[name](path, **kw))


def dictionary_gazetteer(path, tags=("nr", "ns", "nt"), *, min_freq: int = 1, prefix: str = "dict:"):
    """``(word, prefix + tag)`` gazetteer entries of a ``word freq tag`` dictionary (the jieba
    format) for the words tagged one of ``tags`` with a frequency of at least ``min_freq``; a word
    list's own types, so the model learns how far to trust them. ``CorpusFormatError`` with file
    and line on a malformed line."""
    out = []
    tags = set(tags)
    for lineno, line in iter_lines(path):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[1].isdigit():
            raise CorpusFormatError(path, lineno, "expected 'word freq tag'", line)
        if parts[2] in tags and int(parts[1]) >= min_freq and len(parts[0]) >= 2:
            out.append((parts[0], prefix + parts[2]))
    return out


def cluener_split(path, *, test_ratio: float = 0.1, dev_ratio: float = 0.1):
    """(train, dev, test) ``(text, spans)`` lists of a CLUENER file: its last ``test_ratio`` of
    records held out as test, the last ``dev_ratio`` of the rest as dev (in file order)."""
    sents = list(read_cluener(path, types=CLUENER_TYPES))
    n_train, n_dev, _ = split_sizes(len(sents), test_ratio=test_ratio, dev_ratio=dev_ratio)
    return sents[:n_train], sents[n_train:n_train + n_dev], sents[n_train + n_dev:]
