"""The UD front end's models: the task adapter of ``cnlp train dep --component tagger|segmenter``.

The UD segmenter is the segmentation adapter (:mod:`cnlp.train.cws`) on treebank words; the
UPOS / XPOS taggers are the POS adapter (:mod:`cnlp.train.pos`) with UD tag sets, and the shipped
UPOS tagger a :class:`cnlp.parsing.frontend.LexiconTagger` whose extra features (a PD98 lexicon, a
guide tagger's PKU tags, treebank copies) are added to the jackknifed word features here.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..evaluate import TagEvaluator
from ..parsing.conllu import UDSentence
from ..parsing.frontend import PKU_TO_UPOS, UPOS, LexiconTagger, UDTagger, _treebank_copy, pku_to_upos
from ..pos.features import AFFIX_TEMPLATES, DEFAULT_TEMPLATES, GUIDE_TEMPLATES, LEXICON_TEMPLATES, WordFeatures
from ..pos.tagger import DICT_MIN_COUNT, POSTagger
from ..sequence.features import DEFAULT_EXTRA
from ..tagset import TagSet
from ..text import to_codes
from . import dev_scorer, fit_linear
from .cws import train_cws
from .pos import accuracy, jackknife_arrays, tag_dictionary, train_pos

__all__ = ["lexicon_dictionary", "read_tagged_words", "JIEBA_TO_UPOS", "WORD_LIST_TAG", "train_guide",
           "train_lexicon_tagger", "train_ud_tagger", "train_xpos_tagger", "train_ud_segmenter"]


#: tags of jieba's dictionary that PKU does not have (or that :data:`PKU_TO_UPOS` maps otherwise),
#: as UPOS; None: the word is left out (``zg``: single characters of no clear class)
JIEBA_TO_UPOS = {"nrt": "PROPN", "nrfg": "PROPN", "mq": "NUM", "vi": "VERB", "vq": "VERB", "rr": "PRON",
                 "rz": "PRON", "df": "ADV", "uz": "AUX", "ul": "AUX", "uv": "PART", "uj": "PART", "ug": "AUX",
                 "ud": "PART", "zg": None, "eng": "X"}


def read_tagged_words(path, min_freq: int = 0) -> list[tuple[str, str]]:
    """``[(word, UPOS)]`` of a word list with PKU-style tags, one ``word freq tag`` a line (jieba's
    dictionary format), the tags mapped with :data:`JIEBA_TO_UPOS` and :data:`PKU_TO_UPOS`; lines
    without a tag, with an unknown tag, or whose frequency is below ``min_freq`` are left out."""
    from ..corpus.readers import iter_lines
    out = []
    for _, line in iter_lines(path):
        f = line.split()
        if len(f) < 3 or f[0].startswith("#") or (min_freq and (not f[1].isdigit() or int(f[1]) < min_freq)):
            continue
        tag = JIEBA_TO_UPOS[f[2]] if f[2] in JIEBA_TO_UPOS else PKU_TO_UPOS.get(f[2])
        if tag is not None:
            out.append((f[0], tag))
    return out


#: prefix of the tags of :func:`lexicon_dictionary` entries that come from a word list, not PD98
WORD_LIST_TAG = "wl:"


def lexicon_dictionary(pd98_sents, words=(), *, apart: bool = False):
    """The UPOS tag dictionary of PD98 sentences (PKU tags mapped with :func:`pku_to_upos`);
    ``words``: more ``(word, UPOS)`` entries (:func:`read_tagged_words`), each added once
    (frequency 1) when PD98 does not have the word; with ``apart``, their tags are written
    ``wl:UPOS`` (:data:`WORD_LIST_TAG`), so that the lexicon features of those words are their own."""
    sents = [pku_to_upos(s) for s in pd98_sents]
    if words:
        have = {w for s in sents for w, _ in s}
        pre = WORD_LIST_TAG if apart else ""
        sents.extend([(w, pre + t)] for w, t in dict(words).items() if w not in have)
    return tag_dictionary(sents)


def train_guide(pd98_sents, *, n_iter: int = 5, bits: int = 22, prune: float = 1.0,
                verbose: bool = False) -> POSTagger:
    """The guide of a :class:`LexiconTagger`: a PKU :class:`POSTagger` (the ``cnlp train pos``
    tagger: default templates, features seen twice) trained on all of ``pd98_sents`` for a fixed
    ``n_iter`` epochs, returned as saved (rows with all ``|w| <= prune`` dropped, float16 weights),
    so that the features a UD tagger is trained on are the ones it sees after loading."""
    g = train_pos([list(s) for s in pd98_sents], (), n_iter=n_iter, bits=bits, min_count=2, verbose=verbose)
    with tempfile.TemporaryDirectory() as d:
        g.save(Path(d) / "guide", meta={"stage": "guide"}, prune=prune)
        return POSTagger.load(Path(d) / "guide")


def train_lexicon_tagger(train: list[UDSentence], dev: list[UDSentence] = (), *, lexicon=None,
                         guide: POSTagger | None = None, treebank_features: bool = False, treebank: str | None = None, repeat: dict | None = None,
                         templates=None, n_iter: int = 10, bits: int = 22, folds: int = 5,
                         verbose: bool = False, **fit_kw) -> LexiconTagger:
    """A :class:`LexiconTagger` on the UD sentences ``train`` (early-stopped on ``dev``, tagged in
    the style of ``treebank``; ``lexicon``: a tag :class:`cnlp.dictionary.Dictionary` or None;
    ``guide``: a tagger of another tag set (:func:`train_guide`) whose tags are features, or None).
    ``repeat``: treebank -> times its sentences count, or one count per sentence of ``train``
    (repeated after the jackknifed dictionary features are computed, so copies never see each
    other's words)."""
    names = tuple(DEFAULT_TEMPLATES) + tuple(t.name for t in AFFIX_TEMPLATES) if templates is None else tuple(templates)
    tagset = TagSet.plain(list(UPOS))
    sents = [list(zip(s.forms, s.upos)) for s in train]
    X, y = jackknife_arrays(sents, tagset, bits=bits, folds=folds, templates=names)
    feats = WordFeatures(bits=bits, dictionary=tag_dictionary(sents), templates=names)
    lex = WordFeatures(bits=bits, dictionary=lexicon, templates=[t.name for t in LEXICON_TEMPLATES]) \
        if lexicon is not None else None
    tbs = sorted({s.treebank for s in train}) if treebank_features else []
    if tbs and treebank not in tbs:
        raise ValueError(f"treebank {treebank!r} is not a training treebank {tbs}")
    gfeats = WordFeatures(bits=bits, templates=[t.name for t in GUIDE_TEMPLATES]) if guide is not None else None
    probe = LexiconTagger(POSTagger(_EmptyModel(len(tagset)), feats, tagset), lex, tbs, treebank, guide=guide,
                          guide_features=gfeats)
    bounds_of = [np.r_[0, np.cumsum([len(w) for w in s.forms])].astype(np.int32) for s in train]
    for i, s in enumerate(train):
        codes = to_codes("".join(s.forms))
        parts = [X[i]]
        if lex is not None:
            parts.append(lex.transform(codes, bounds_of[i]))
        if guide is not None:
            parts.append(probe.guide_transform(codes, bounds_of[i]))
        Xi = np.hstack(parts)
        if tbs:
            Xi = np.hstack([Xi, _treebank_copy(Xi, s.treebank, bits)])
        X[i] = np.ascontiguousarray(Xi, np.int32)
    if repeat is not None and not isinstance(repeat, dict):
        repeat = [int(k) for k in repeat]
        if len(repeat) != len(train) or any(k < 0 for k in repeat):
            raise ValueError("repeat: one count >= 0 per training sentence, or a dict treebank -> count")
        order = [i for i, k in enumerate(repeat) for _ in range(k)]
        X, y = [X[i] for i in order], [y[i] for i in order]
    elif repeat:
        order = [i for i, s in enumerate(train) for _ in range(repeat.get(s.treebank, 1))]
        X, y = [X[i] for i in order], [y[i] for i in order]
    score = None
    dev = [s for s in dev if all(t in tagset for t in s.upos)]
    if dev:
        dev_X = [probe.transform(to_codes("".join(s.forms)),
                                 np.r_[0, np.cumsum([len(w) for w in s.forms])].astype(np.int32),
                                 s.treebank if s.treebank in tbs else None) for s in dev]
        score = dev_scorer(dev_X, [list(zip(s.forms, s.upos)) for s in dev], TagEvaluator,
                           lambda i, labels: tagset.decode(labels), accuracy)
    model = fit_linear("perceptron", X, y, n_labels=len(tagset), n_features=feats.n_features, tagset=tagset,
                       dev_score=score, n_iter=n_iter, verbose=verbose, **fit_kw)
    base = POSTagger(model, feats, tagset, dict_min_count=DICT_MIN_COUNT)
    return LexiconTagger(base, lex, tbs, treebank, guide=guide, guide_features=gfeats)


class _EmptyModel:
    """Stands in for a model when only a :class:`LexiconTagger`'s features are needed."""

    def __init__(self, n_labels):
        self.n_labels = n_labels


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


def train_xpos_tagger(train: list[UDSentence], dev: list[UDSentence] = (), *, n_iter: int = 10,
                      verbose: bool = False, **kw) -> POSTagger | None:
    """An XPOS :class:`POSTagger` on the sentences of ``train`` that have XPOS (None if none has)."""
    xs = [list(zip(s.forms, s.xpos)) for s in train if s.xpos and all(x != "_" for x in s.xpos)]
    if not xs:
        return None
    xdev = [list(zip(s.forms, s.xpos)) for s in dev if s.xpos and all(x != "_" for x in s.xpos)]
    names = sorted({t for s in xs for _, t in s})
    return train_pos(xs, xdev, tagset=TagSet.plain(names), n_iter=n_iter, verbose=verbose, **kw)


def train_ud_segmenter(train: list[list[str]], dev: list[list[str]] = (), *, n_iter: int = 10, seeds: int = 1,
                       bits: int = 22, folds: int = 5, lexicon=(), verbose: bool = False):
    """A :class:`cnlp.segmentation.tagging.TaggingSegmenter` (averaged perceptron over BMES labels with
    jackknifed dictionary features, as ``cnlp train cws``: :func:`cnlp.train.cws.train_cws`)
    trained on word lists; ``lexicon``: more words for the dictionary features
    (:func:`cnlp.train.cws.read_lexicon`)."""
    return train_cws(train, dev, n_iter=n_iter, seeds=seeds, bits=bits, folds=folds, extra=DEFAULT_EXTRA,
                     lexicon=lexicon, verbose=verbose)
