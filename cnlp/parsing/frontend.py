"""The UD front end: a segmenter and a UPOS / XPOS tagger trained on UD Chinese treebanks.

UD treebanks segment and tag differently from PKU (CTB-like words, UPOS + CTB-like XPOS), so the
parser's input comes from models trained on the same treebanks with cnlp's own machinery: the BMES
perceptron of ``cnlp train cws`` (:mod:`cnlp.segmentation.tagging`) and the POS tagger of
``cnlp train pos`` (:class:`cnlp.pos.tagger.POSTagger`) with a plain UPOS tag set. XPOS is a second
tagger trained on the treebanks that have XPOS. The shipped UPOS tagger is a :class:`LexiconTagger`:
affix templates, a second tag dictionary (lexicon) from People's Daily 1998 with its PKU tags
mapped to UPOS (:data:`PKU_TO_UPOS`), the PKU tags that a tagger trained on People's Daily predicts
for the words (guide features), and treebank features. They are trained by :mod:`cnlp.train.ud`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from ..dictionary import Dictionary
from ..errors import ModelFormatError
from ..pos._kernels import candidate_mask
from ..pos.features import GUIDE_TEMPLATES, LEXICON_TEMPLATES, WordFeatures
from ..pos.tagger import POSTagger
from ..pos.tags import check_words
from ..sequence._kernels import viterbi
from ..sequence.tagger import LinearTagger
from ..text import _BMP_TABLE, to_codes

__all__ = ["UDTagger", "LexiconTagger", "UPOS", "PKU_TO_UPOS", "pku_to_upos"]

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

    def predict_both(self, words, treebank: str | None = None) -> tuple[list[str], list[str]]:
        """(UPOS tags, XPOS tags; ``_`` each without an XPOS tagger)."""
        up = self.predict(words, treebank)
        xp = self.xpos.predict(words) if self.xpos is not None else ["_"] * len(up)
        return up, xp

    def predict_ids(self, codes: np.ndarray, bounds: np.ndarray, treebank: str | None = None):
        """``(UPOS ids, XPOS ids or None, guide ids or None)`` of the words between ``bounds`` of the
        code points ``codes`` (names: ``self.upos.tagset`` / ``self.xpos.tagset``; the guide's PKU
        tag ids, which a parser with the same guide reads instead of tagging again); ``treebank``
        as in :meth:`predict`."""
        guide = None
        if isinstance(self.upos, LexiconTagger):
            if self.upos.guide is not None:
                guide = self.upos.guide.predict_ids(codes, bounds)
            tb = treebank if treebank is not None and self.upos.treebanks else None
            up = self.upos.predict_ids(codes, bounds, tb, guide_ids=guide)
        else:
            up = self.upos.predict_ids(codes, bounds)
        xp = self.xpos.predict_ids(codes, bounds) if self.xpos is not None else None
        return up, xp, guide

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


class LexiconTagger(LinearTagger):
    """A UPOS tagger: a :class:`POSTagger` (word templates + jackknifed UD tag dictionary) whose
    features are extended with (a) ``lexicon`` features: the tag set / top tag / affixes of a word
    in an external tag dictionary (People's Daily with PKU tags mapped to UPOS;
    :data:`cnlp.pos.features.LEXICON_TEMPLATES`), (b) ``guide`` features: the tags that ``guide``
    (a :class:`POSTagger` trained on another corpus and tag set, People's Daily with PKU tags)
    predicts for the word and its neighbours (``guide_features``, a :class:`WordFeatures` with
    :data:`cnlp.pos.features.GUIDE_TEMPLATES`), and (c) with ``treebanks``, a copy of every feature
    conjoined with the sentence's treebank, so that shared weights learn what the treebanks agree
    on and the copies each treebank's conventions; it tags in the style of ``treebank``."""

    task = "pos"

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
        #: the saved bundle ``guide`` was loaded from, when a save should refer to it, not copy it
        self.guide_dir = None
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
        X = self.transform(codes, bounds, treebank, guide_ids)
        L = len(self.tagset)
        f = self.base.features
        allowed = candidate_mask(codes, bounds, _BMP_TABLE, f.trie, self.base._args[-1], L, np.zeros((0, L), np.bool_))
        index, weights, trans, start, end = self.model.decode_params()
        return viterbi(X, index, weights, trans, start, end, allowed, np.zeros((0, L), np.float64))

    def predict(self, words, treebank: str | None = None) -> list[str]:
        words = check_words(words, "pos_tag")
        if not words:
            return []
        if any(not w for w in words):
            raise ValueError(f"pos_tag() got an empty word at position {[i for i, w in enumerate(words) if not w][0]}")
        bounds = np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int32)
        return self.tagset.decode(self.predict_ids(to_codes("".join(words)), bounds, treebank))

    def predict_bounds(self, text: str, bounds) -> list[str]:
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
        the extension in meta.json (``ud_tagger``). With :attr:`guide_dir` set (the guide was loaded
        from that saved bundle, e.g. the parser's ``guide/``), the guide is not copied: meta.json
        records its path relative to ``directory`` and the sha256 of its meta.json (``guide_ref``)."""
        self._target = Path(directory)
        try:
            return super().save(directory, meta=meta, prune=prune)
        finally:
            del self._target

    def _bundle_meta(self) -> dict:
        ext = {"lexicon_templates": [t.name for t in self.lexicon.templates] if self.lexicon is not None else [],
               "treebanks": self.treebanks, "treebank": self.treebank}
        if self.guide is not None:
            ext["guide_templates"] = [t.name for t in self.guide_features.templates]
            if self.guide_dir is not None:
                ext["guide_ref"] = {"path": Path(os.path.relpath(os.path.abspath(self.guide_dir),
                                                                 os.path.abspath(self._target))).as_posix(),
                                    "meta_sha256": _file_sha256(Path(self.guide_dir) / "meta.json")}
        return {**self.base._bundle_meta(), "ud_tagger": ext}

    def _save_parts(self, directory: Path, prune: float) -> None:
        self.base._save_parts(directory, prune)
        if self.lexicon is not None:
            self.lexicon.dictionary.save(directory / "lexicon")
        if self.guide is not None and self.guide_dir is None:
            self.guide.save(directory / "guide", meta={"stage": "guide"}, prune=0.0)     # as trained on

    @classmethod
    def load(cls, directory, *, guide: POSTagger | None = None) -> "POSTagger | LexiconTagger":
        """A :class:`LexiconTagger` if ``directory`` holds one, else a plain :class:`POSTagger`;
        ``guide``: a loaded tagger used in place of the bundle's ``guide/`` (the same model)."""
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
            gdir = guide_reference(directory, ext)
            if not gnames:
                guide = None
            else:
                if guide is None:
                    guide = POSTagger.load(gdir if gdir is not None else Path(directory) / "guide")
                gfeats = WordFeatures(bits=base.features.bits, templates=gnames)
            t = cls(base, lexicon, tbs, ext.get("treebank"), guide=guide, guide_features=gfeats)
            t.guide_dir = gdir
            return t
        except (ValueError, TypeError, AttributeError, KeyError) as e:
            raise ModelFormatError(path, str(e)) from None


def _file_sha256(path) -> str:
    import hashlib
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def guide_reference(directory, ext: dict | None = None) -> "Path | None":
    """The guide bundle that the UPOS tagger in ``directory`` refers to instead of holding a copy
    (``ud_tagger.guide_ref`` of its meta.json: a path relative to ``directory`` and the sha256 of
    that bundle's meta.json), resolved and checked; None when the tagger has no reference.
    A reference to a missing or different bundle is a :class:`ModelFormatError` naming the meta.json."""
    path = Path(directory) / "meta.json"
    if ext is None:
        ext = json.loads(path.read_text("utf-8")).get("ud_tagger") or {}
    ref = ext.get("guide_ref") if isinstance(ext, dict) else None
    if ref is None:
        return None
    if not isinstance(ref, dict) or not isinstance(ref.get("path"), str) or not ref["path"] \
            or not isinstance(ref.get("meta_sha256"), str) or len(ref["meta_sha256"]) != 64:
        raise ModelFormatError(path, "ud_tagger.guide_ref must be {path: str, meta_sha256: 64 hex digits}")
    gdir = (Path(directory) / ref["path"]).resolve()
    try:
        digest = _file_sha256(gdir / "meta.json")
    except OSError as e:
        raise ModelFormatError(path, f"the guide tagger it refers to ({gdir}) cannot be read: {e.strerror}") from None
    if digest != ref["meta_sha256"]:
        raise ModelFormatError(path, f"the guide tagger it refers to ({gdir}) is not the one it was trained "
                                     f"with (meta.json sha256 differs): retrain the tagger with that guide")
    return gdir
