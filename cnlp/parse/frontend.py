"""The UD front end: a segmenter and a UPOS / XPOS tagger trained on UD Chinese treebanks.

UD treebanks segment and tag differently from PKU (CTB-like words, UPOS + CTB-like XPOS), so the
parser's input comes from models trained on the same treebanks with cnlp's own machinery: the BMES
perceptron of ``cnlp train cws`` (:mod:`cnlp.segment.tagging`) and the POS tagger of
``cnlp train pos`` (:func:`cnlp.pos.tagger.train_pos`) with a plain UPOS tag set. XPOS is a second
tagger trained on the treebanks that have XPOS. The shipped UPOS tagger is a :class:`LexiconTagger`:
affix templates, a second tag dictionary (lexicon) from People's Daily 1998 with its PKU tags
mapped to UPOS (:data:`PKU_TO_UPOS`), the PKU tags that a tagger trained on People's Daily predicts
for the words (guide features, :func:`train_guide`), and treebank features
(:func:`train_lexicon_tagger`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ModelFormatError
from ..pos.tagger import POSTagger, train_pos
from ..tagset import TagSet
from .conllu import UDSentence

__all__ = ["UDTagger", "LexiconTagger", "train_lexicon_tagger", "lexicon_dictionary", "train_guide", "UPOS", "PKU_TO_UPOS", "train_ud_segmenter", "train_ud_tagger"]

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

    def predict(self, words, treebank: str | None = None) -> list[str]:
        """UPOS tags of ``words`` (``treebank``: the style of a :class:`LexiconTagger` with treebank
        features, ``ValueError`` if it has no such treebank; None: its default style; ignored by a
        tagger without treebank features)."""
        if treebank is not None and isinstance(self.upos, LexiconTagger) and self.upos.treebanks:
            return self.upos.predict(words, treebank=treebank)
        return self.upos.predict(words)

    def predict_ids(self, codes: np.ndarray, bounds: np.ndarray):
        """``(UPOS ids, XPOS ids or None, guide ids or None)`` of the words between ``bounds`` of the
        code points ``codes`` (names: ``self.upos.tagset`` / ``self.xpos.tagset``; the guide's PKU
        tag ids, which a parser with the same guide reads instead of tagging again)."""
        guide = None
        if isinstance(self.upos, LexiconTagger):
            if self.upos.guide is not None:
                guide = self.upos.guide.predict_ids(codes, bounds)
            up = self.upos.predict_ids(codes, bounds, guide_ids=guide)
        else:
            up = self.upos.predict_ids(codes, bounds)
        xp = self.xpos.predict_ids(codes, bounds) if self.xpos is not None else None
        return up, xp, guide

    def predict_both(self, words, treebank: str | None = None) -> tuple[list[str], list[str]]:
        """(UPOS tags, XPOS tags; ``_`` each without an XPOS tagger)."""
        up = self.predict(words, treebank)
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
    def load(cls, upos_dir, xpos_dir=None, *, guide: POSTagger | None = None) -> "UDTagger":
        """``guide``: an already loaded tagger to use as the UPOS tagger's guide instead of loading
        its ``guide/`` bundle (the caller vouches that they are the same model)."""
        return cls(LexiconTagger.load(upos_dir, guide=guide),
                   POSTagger.load(xpos_dir) if xpos_dir is not None else None)


#: the UPOS tagger's treebank copies hash a feature id with the treebank's name
def _treebank_hash(name: str) -> int:
    import zlib
    return (zlib.crc32(("treebank:" + name).encode("utf-8")) | 1) * 0x9E3779B1


def _treebank_copy(X: np.ndarray, name: str, bits: int) -> np.ndarray:
    """int32 ids of ``X``'s features conjoined with treebank ``name`` (same shape, ``bits`` bits)."""
    h = X.astype(np.uint64) * np.uint64(0xFF51AFD7ED558CCD) ^ np.uint64(_treebank_hash(name))
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(32)
    return (h & np.uint64((1 << bits) - 1)).astype(np.int32)


class LexiconTagger:
    """A UPOS tagger: a :class:`POSTagger` (word templates + jackknifed UD tag dictionary) whose
    features are extended with (a) ``lexicon`` features: the tag set / top tag / affixes of a word
    in an external tag dictionary (People's Daily with PKU tags mapped to UPOS;
    :data:`cnlp.pos.features.LEXICON_TEMPLATES`), (b) ``guide`` features: the tags that ``guide``
    (a :class:`POSTagger` trained on another corpus and tag set, People's Daily with PKU tags)
    predicts for the word and its neighbours (``guide_features``, a :class:`WordFeatures` with
    :data:`cnlp.pos.features.GUIDE_TEMPLATES`), and (c) with ``treebanks``, a copy of every feature
    conjoined with the sentence's treebank, so that shared weights learn what the treebanks agree
    on and the copies each treebank's conventions; it tags in the style of ``treebank``."""

    def __init__(self, base: POSTagger, lexicon=None, treebanks=(), treebank: str | None = None, *,
                 guide: POSTagger | None = None, guide_features=None):
        if base.first is not None:
            raise ValueError("LexiconTagger does not support stacked templates")
        if (guide is None) != (guide_features is None):
            raise ValueError("guide and guide_features go together")
        self.base = base
        self.lexicon = lexicon
        self.guide = guide
        self.guide_features = guide_features
        self.treebanks = list(treebanks)
        if self.treebanks and treebank not in self.treebanks:
            raise ValueError(f"treebank {treebank!r} is not one of {self.treebanks}")
        self.treebank = treebank if self.treebanks else None
        self.tagset = base.tagset
        self.model = base.model

    def transform(self, codes: np.ndarray, bounds: np.ndarray, treebank: str | None = None,
                  guide_ids: np.ndarray | None = None) -> np.ndarray:
        X = self.base.features.transform(codes, bounds)
        if self.lexicon is not None:
            X = np.hstack([X, self.lexicon.transform(codes, bounds)])
        if self.guide is not None:
            X = np.hstack([X, self.guide_transform(codes, bounds, guide_ids)])
        if self.treebanks:
            if treebank is not None and treebank not in self.treebanks:
                raise ValueError(f"unknown treebank {treebank!r}; this tagger knows {self.treebanks}")
            tb = self.treebank if treebank is None else treebank
            X = np.hstack([X, _treebank_copy(X, tb, self.base.features.bits)])
        return np.ascontiguousarray(X, np.int32)

    def guide_transform(self, codes: np.ndarray, bounds: np.ndarray, guide_ids: np.ndarray | None = None) -> np.ndarray:
        """int32 (m, G) guide feature ids: :data:`GUIDE_TEMPLATES` over the guide's tag ids
        (``guide_ids`` when the caller has them already)."""
        pred = (self.guide.predict_ids(codes, bounds) if guide_ids is None else guide_ids).astype(np.int64)
        return self.guide_features.transform(codes, bounds, pred)

    def predict_ids(self, codes, bounds, treebank: str | None = None, *, guide_ids: np.ndarray | None = None) -> np.ndarray:
        """int32 UPOS ids of the words between ``bounds``; ``guide_ids``: the guide tagger's ids of
        the same words when the caller has them (a pipeline tags with the guide once)."""
        from ..pos._kernels import candidate_mask
        from ..text import _BMP_TABLE
        from ..sequence._kernels import viterbi
        X = self.transform(codes, bounds, treebank, guide_ids)
        L = len(self.tagset)
        f = self.base.features
        allowed = candidate_mask(codes, bounds, _BMP_TABLE, f.trie, self.base._args[-1], L, np.zeros((0, L), np.bool_))
        index, weights, trans, start, end = self.model.decode_params()
        return viterbi(X, index, weights, trans, start, end, allowed, np.zeros((0, L), np.float64))

    def predict(self, words, treebank: str | None = None) -> list[str]:
        from ..pos.tags import check_words
        from ..text import to_codes
        words = check_words(words, "pos_tag")
        if not words:
            return []
        if any(not w for w in words):
            raise ValueError(f"pos_tag() got an empty word at position {[i for i, w in enumerate(words) if not w][0]}")
        bounds = np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int32)
        return self.tagset.decode(self.predict_ids(to_codes("".join(words)), bounds, treebank))

    def predict_bounds(self, text: str, bounds) -> list[str]:
        from ..text import to_codes
        if len(bounds) < 2:
            return []
        return self.tagset.decode(self.predict_ids(to_codes(text), np.ascontiguousarray(bounds, np.int32)))

    def __call__(self, words) -> list[str]:
        return self.predict(words)

    def warmup(self) -> "LexiconTagger":
        self.predict(["中文", "词性", "标注"])
        return self

    def save(self, directory, *, meta: dict | None = None, prune: float = 1.0):
        """The base tagger's files, the lexicon in ``lexicon/``, the guide tagger in ``guide/`` and
        the extension in meta.json (``ud_tagger``)."""
        ext = {"lexicon_templates": [t.name for t in self.lexicon.templates] if self.lexicon is not None else [],
               "treebanks": self.treebanks, "treebank": self.treebank}
        if self.guide is not None:
            ext["guide_templates"] = [t.name for t in self.guide_features.templates]
        from ..io import atomic_directory
        with atomic_directory(directory) as d:      # the parts first: the base's checksums cover them
            if self.lexicon is not None:
                self.lexicon.dictionary.save(d / "lexicon")
            if self.guide is not None:
                self.guide.save(d / "guide", meta={"stage": "guide"}, prune=0.0)     # as trained on
            self.base.save(d, meta={**(meta or {}), "ud_tagger": ext}, prune=prune)
        return Path(directory)

    @classmethod
    def load(cls, directory, *, guide: POSTagger | None = None) -> "POSTagger | LexiconTagger":
        """A :class:`LexiconTagger` if ``directory`` holds one, else a plain :class:`POSTagger`;
        ``guide``: a loaded tagger used in place of the bundle's ``guide/`` (the same model)."""
        import json
        from ..dictionary import Dictionary
        from ..pos.features import GUIDE_TEMPLATES, LEXICON_TEMPLATES, WordFeatures
        base = POSTagger.load(directory)
        path = Path(directory) / "meta.json"
        ext = json.loads(path.read_text("utf-8")).get("ud_tagger")
        if ext is None:
            return base
        try:
            if not isinstance(ext, dict):
                raise ValueError("ud_tagger must be an object")
            names = ext.get("lexicon_templates", [])
            tbs = ext.get("treebanks", [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names) \
                    or not isinstance(tbs, list) or not all(isinstance(t, str) and t for t in tbs):
                raise ValueError("ud_tagger.lexicon_templates / treebanks must be lists of str")
            allowed = {t.name for t in LEXICON_TEMPLATES}
            if any(n not in allowed for n in names):
                raise ValueError(f"unknown lexicon templates {[n for n in names if n not in allowed]}")
            gnames = ext.get("guide_templates", [])
            if not isinstance(gnames, list) or any(n not in {t.name for t in GUIDE_TEMPLATES} for n in gnames):
                raise ValueError(f"ud_tagger.guide_templates must be a list of {[t.name for t in GUIDE_TEMPLATES]}")
            lexicon = None
            if names:
                d = Dictionary.load(Path(directory) / "lexicon")
                lexicon = WordFeatures(bits=base.features.bits, dictionary=d, templates=names)
            gfeats = None
            if not gnames:
                guide = None
            else:
                if guide is None:
                    guide = POSTagger.load(Path(directory) / "guide")
                gfeats = WordFeatures(bits=base.features.bits, templates=gnames)
            return cls(base, lexicon, tbs, ext.get("treebank"), guide=guide, guide_features=gfeats)
        except (ValueError, TypeError, AttributeError, KeyError) as e:
            raise ModelFormatError(path, str(e)) from None


def lexicon_dictionary(pd98_sents):
    """The UPOS tag dictionary of PD98 sentences (PKU tags mapped with :func:`pku_to_upos`)."""
    from ..pos.tagger import tag_dictionary
    return tag_dictionary([pku_to_upos(s) for s in pd98_sents])


def train_guide(pd98_sents, *, n_iter: int = 5, bits: int = 22, prune: float = 1.0,
                verbose: bool = False) -> POSTagger:
    """The guide of a :class:`LexiconTagger`: a PKU :class:`POSTagger` (the ``cnlp train pos``
    tagger: default templates, features seen twice) trained on all of ``pd98_sents`` for a fixed
    ``n_iter`` epochs, returned as saved (rows with all ``|w| <= prune`` dropped, float16 weights),
    so that the features a UD tagger is trained on are the ones it sees after loading."""
    import tempfile
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
    ``repeat``: treebank -> times its sentences count (repeated after the jackknifed dictionary
    features are computed, so copies never see each other's words)."""
    from ..pos.features import AFFIX_TEMPLATES, DEFAULT_TEMPLATES, GUIDE_TEMPLATES, LEXICON_TEMPLATES, WordFeatures
    from ..pos.tagger import DICT_MIN_COUNT, jackknife_arrays, tag_dictionary
    from ..text import to_codes
    from ..train import fit_linear
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
    if repeat:
        order = [i for i, s in enumerate(train) for _ in range(repeat.get(s.treebank, 1))]
        X, y = [X[i] for i in order], [y[i] for i in order]
    score = None
    dev = [s for s in dev if all(t in tagset for t in s.upos)]
    if dev:
        dev_X = [probe.transform(to_codes("".join(s.forms)),
                                 np.r_[0, np.cumsum([len(w) for w in s.forms])].astype(np.int32),
                                 s.treebank if s.treebank in tbs else None) for s in dev]
        gold = np.concatenate([tagset.encode(list(s.upos)) for s in dev])

        def score(model) -> float:
            return float((np.concatenate(model.predict(dev_X)) == gold).mean())
    model = fit_linear("perceptron", X, y, n_labels=len(tagset), n_features=feats.n_features, tagset=tagset,
                       dev_score=score, n_iter=n_iter, verbose=verbose, **fit_kw)
    base = POSTagger(model, feats, tagset, dict_min_count=DICT_MIN_COUNT)
    return LexiconTagger(base, lex, tbs, treebank, guide=guide, guide_features=gfeats)


class _EmptyModel:
    """Stands in for a model when only a :class:`LexiconTagger`'s features are needed."""

    def __init__(self, n_labels):
        self.n_labels = n_labels


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
