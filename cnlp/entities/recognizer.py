"""Named entity recognition: character-level BIOES/BIO tagging over a segment → POS cascade.

:class:`EntityRecognizer` = a :class:`cnlp.sequence.linear.LinearChainModel` (averaged perceptron
or CRF) + the character preset of :mod:`cnlp.entities.features` (its lexicon learned from the training
data) + a ``bio``/``bioes`` :class:`cnlp.tagset.TagSet` whose forbidden transitions Viterbi
enforces. The cascade (a segmenter and a POS tagger, given to the recognizer:
:func:`cnlp.models.entity_recognizer` gives the shipped ones) supplies word boundaries and tags as
features; in a :class:`cnlp.pipeline.Pipeline` the recognizer reads them from the Doc. Entity dictionaries (:class:`EntityDictionary`) and forced user
words act inside Viterbi: a forced entity is a label mask, a suggested one an additive score, and
no entity crosses a forced user word.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np

from .._jit import writable
from ..dictionary.trie import read_dictionary_text
from ..dictionary.user import UserDictionary, as_user_dictionary
from ..doc import Entity
from ..errors import CorpusFormatError, ModelFormatError, check_str
from ..io import Arr, guard_load, load_arrays, load_meta
from ..sequence.tagger import LinearTagger
from ..tagset import TagSet
from ..text import fold_str, fold_width, to_codes
from ._kernels import entity_constraints, tag_entities
from .features import EntityLexicon, NERFeatures, tag_hash

__all__ = ["EntityRecognizer", "EntityDictionary", "run_cascade", "tag_hashes"]

#: score added per character to the labels of a suggested entity, as a multiple of a typical label
#: score at one position (mean absolute weight times the number of templates)
SUGGEST_BIAS = 1.0
_SPACE = re.compile(r"\s")
_SPACE_HASH = tag_hash("w")


class EntityDictionary:
    """User entities: ``text → (type, mode)``; ``force`` makes every occurrence exactly one entity
    of that type, ``suggest`` only favours it. File format, one entry per line:
    ``text TYPE [force|suggest]`` (``#`` comments, BOM stripped).

    >>> ed = EntityDictionary(); ed.add_entity("华为", "ORG", mode="force"); len(ed)
    1
    """

    def __init__(self):
        self._ud = UserDictionary(pku_pos=False)      # its "pos" is the entity type

    def add_entity(self, text: str, type: str, *, mode: str = "suggest") -> None:
        check_str(text, "add_entity")
        if not isinstance(type, str) or not type or "-" in type or type.strip() != type or " " in type:
            raise ValueError(f"entity type must be a non-empty str without '-' or spaces, got {type!r}")
        if not text.strip():
            raise ValueError("cannot add an empty or whitespace-only entity")
        self._ud.add_word(text, None, type, mode=mode)

    def del_entity(self, text: str) -> None:
        self._ud.del_word(text)

    @classmethod
    def load(cls, path, *, mode: str = "suggest") -> "EntityDictionary":
        ed = cls()
        ed.update_from_file(path, mode=mode)
        return ed

    def update_from_file(self, path, *, mode: str = "suggest") -> None:
        """Add the ``text TYPE [force|suggest]`` entries of ``path`` (``CorpusFormatError`` with
        file and line on a malformed one)."""
        for lineno, (word, freq, dist, m) in enumerate(
                read_dictionary_text(path, format="words", lenient=False, extra_columns=True), 1):
            if not dist or freq is not None:
                raise CorpusFormatError(path, lineno, "expected 'text TYPE [force|suggest]'", word)
            self.add_entity(word, next(iter(dist)), mode=m or mode)

    def __len__(self) -> int:
        return len(self._ud)

    def __contains__(self, text) -> bool:
        return text in self._ud

    def items(self) -> list[tuple[str, str, str]]:
        """``(text (folded), type, mode)`` of every entry."""
        return [(w, p, m) for w, _, p, m in self._ud.items()]

    def matches(self, folded_codes: np.ndarray, text: str):
        """``(starts, ends, types, force)`` of the entries occurring in the text (forced ones
        leftmost-longest and non-overlapping, suggested ones every occurrence)."""
        s, e, f = self._ud.constraints(folded_codes)
        folded = fold_str(text)
        types = [self._ud.get(folded[a:b])[1] for a, b in zip(s.tolist(), e.tolist())]
        return s, e, types, f

    def __repr__(self) -> str:
        return f"EntityDictionary({len(self)} entities)"


class EntityRecognizer(LinearTagger):
    """Find person, place and organization names (the types of ``tagset``) in text.

    >>> ner = cnlp.models.entity_recognizer()              # doctest: +SKIP
    >>> ner.predict("江泽民在北京会见了华为公司的代表")        # doctest: +SKIP
    [Entity(text='江泽民', type='PER', start=0, end=3), Entity(text='北京', type='LOC', start=4, end=6), ...]
    """

    task = "ner"

    def __init__(self, model, features: NERFeatures, tagset: TagSet, *, segmenter=None, pos=None,
                 entities: EntityDictionary | None = None, user_dict=None, suggest_bias: float = SUGGEST_BIAS):
        if tagset.scheme not in ("bio", "bioes"):
            raise ValueError(f"an entity tag set has the bio or bioes scheme, got {tagset.scheme!r}")
        if model.n_labels != len(tagset):
            raise ValueError(f"model has {model.n_labels} labels, tag set {len(tagset)}")
        self.model = (model.use_float32() if hasattr(model, "weights_") else model).constrain(tagset)
        self.features = features
        self.tagset = tagset
        self.entities = entities
        self.user_dict = as_user_dictionary(user_dict)
        self.suggest_bias = float(suggest_bias)
        self._segmenter = segmenter
        self._pos = pos
        self._type_base = {t: 1 + k * tagset.parts for k, t in enumerate(tagset.types)}

    # ------------------------------------------------------------------ the cascade
    @property
    def segmenter(self):
        """The cascade's segmenter (given to the constructor or :meth:`load`)."""
        if self._segmenter is None:
            raise ValueError("this EntityRecognizer has no cascade segmenter: pass segmenter= (and pos=) to "
                             "EntityRecognizer.load, or use cnlp.models.entity_recognizer()")
        return self._segmenter

    @property
    def pos(self):
        """The cascade's POS tagger (given to the constructor or :meth:`load`)."""
        if self._pos is None:
            raise ValueError("this EntityRecognizer has no cascade POS tagger: pass pos= (and segmenter=) to "
                             "EntityRecognizer.load, or use cnlp.models.entity_recognizer()")
        return self._pos

    def with_dictionaries(self, *, entities=None, user_dict=None) -> "EntityRecognizer":
        """A shallow copy using ``entities`` (an :class:`EntityDictionary`) and ``user_dict`` (its
        forced words are never crossed by an entity; the default cascade also segments with it)."""
        clone = copy.copy(self)
        clone.entities = entities
        clone.user_dict = as_user_dictionary(user_dict)
        if user_dict is not None:       # cnlp's own cascade components honour the user words too
            for attr in ("_segmenter", "_pos"):
                comp = getattr(self, attr)
                if callable(getattr(comp, "with_user_dict", None)):
                    setattr(clone, attr, comp.with_user_dict(clone.user_dict))
        return clone

    def cascade(self, text: str, codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(word cut offsets, per-word POS tag hashes) of ``text`` from the segmenter and tagger."""
        return run_cascade(text, to_codes(text) if codes is None else codes, self.segmenter, self.pos)

    def _tag_hashes(self, text, codes, bounds) -> np.ndarray:
        return tag_hashes(text, codes, bounds, self.pos)

    # ------------------------------------------------------------------ decoding
    def _constraints(self, text: str, codes: np.ndarray):
        n, L = codes.shape[0], len(self.tagset)
        ed, ud = self.entities, self.user_dict
        has_ed = ed is not None and len(ed)
        has_ud = ud is not None and len(ud)
        if not (has_ed or has_ud) or n == 0:
            return np.zeros((0, L), np.bool_), np.zeros((0, L), np.float64)
        folded = fold_width(codes)
        z = np.zeros(0, np.int64)
        es, ee, eb, ef = z, z, z, np.zeros(0, np.bool_)
        if has_ed:
            s, e, types, f = ed.matches(folded, text)
            keep = [k for k, t in enumerate(types) if t in self._type_base]
            if len(keep) < len(types):
                unknown = sorted({t for t in types if t not in self._type_base})
                raise ValueError(f"entity dictionary types {unknown} are not types of this model "
                                 f"({list(self.tagset.types)})")
            es, ee, ef = s.astype(np.int64), e.astype(np.int64), f
            eb = np.array([self._type_base[t] for t in types], np.int64)
        ws = we = z
        if has_ud:
            s, e, f = ud.constraints(folded)
            ws, we = s[f].astype(np.int64), e[f].astype(np.int64)
        allowed = np.ones((n, L), np.bool_)
        bias = np.zeros((n, L), np.float64)
        strength = self.suggest_bias * self._score_scale()
        parts = self.tagset.parts
        forced = entity_constraints(n, L, es, ee, eb, ef, strength, parts, ws, we, allowed, bias)
        if not forced:
            allowed = np.zeros((0, L), np.bool_)
        if not (has_ed and (~ef).any()):
            bias = np.zeros((0, L), np.float64)
        return allowed, bias

    def _score_scale(self) -> float:
        """A typical label score at one position: mean absolute weight times the number of templates."""
        scale = getattr(self, "_scale", None)
        if scale is None:
            w = self.model.weights_
            scale = float(np.abs(w).mean(dtype=np.float64)) * len(self.features.templates) if w.size else 0.0
            self._scale = scale = scale or 1.0
        return scale

    def predict_spans(self, text: str, bounds=None, wtags=None, *, codes=None) -> list[tuple[int, int, str]]:
        """``(start, end, type)`` of the entities in ``text``; ``bounds`` / ``wtags`` give the
        cascade's result and ``codes`` the text's code points when the caller has them (a Pipeline)."""
        text = check_str(text, "ner")
        if not text:
            return []
        if codes is None:
            codes = to_codes(text)
        if bounds is None:
            bounds, wtags = self.cascade(text, codes)
        allowed, bias = self._constraints(text, codes)
        table, cstats, trie, wstats, gaz, gtypes, spec, bits, domain = self.features.kernel_args()
        labels = tag_entities(codes, table, np.ascontiguousarray(bounds, np.int32),
                              np.ascontiguousarray(wtags, np.int64), cstats, trie, wstats, gaz, gtypes, spec, bits,
                              domain, self.model.decode_params(), allowed, bias)
        return self.tagset.decode_spans(labels)

    def predict(self, text: str) -> list[Entity]:
        """The entities of ``text``, each with ``text[start:end] == entity.text``."""
        return [Entity(text[s:e], t, s, e) for s, e, t in self.predict_spans(text)]

    __call__ = predict

    def predict_doc(self, doc) -> list[tuple[int, int, str]]:
        """Entity spans of a :class:`cnlp.doc.Doc`, reading its code points, tokens and POS tags:
        the tag ids a tagger wrote, else the tag names, else (no POS layer) the cascade's tagger
        runs on the Doc's tokens (the cascade's segmentation is the Doc's)."""
        bounds = np.array(doc.bounds, np.int32)          # writable (one compiled kernel type, see _jit.writable)
        codes = writable(doc.codes)
        ids = doc.tag_ids()
        if ids is not None:
            wtags = _names_hashes(ids[1])[ids[0]]
        elif doc.pos is not None:
            wtags = np.array([tag_hash(t) for t in doc.pos], np.int64)
        else:
            wtags = self._tag_hashes(doc.text, codes, bounds)
        return self.predict_spans(doc.text, bounds, wtags, codes=codes)

    def warmup(self) -> "EntityRecognizer":
        self.predict("江泽民在北京会见了新华社记者。")
        return self

    # ------------------------------------------------------------------ persistence
    def _bundle_meta(self) -> dict:
        return {"tagset": self.tagset.to_json(), "features": self.features.get_params()}

    def _save_parts(self, directory: Path, prune: float) -> None:
        """The entity lexicon in ``directory/lexicon.npz``."""
        np.savez_compressed(directory / "lexicon.npz", **self.features.lexicon.arrays())

    @classmethod
    @guard_load
    def load(cls, directory, **kw) -> "EntityRecognizer":
        """Load a saved recognizer; keyword arguments as for the constructor (cascade, dictionaries)."""
        meta = load_meta(directory)
        path = Path(directory) / "meta.json"
        model_cls = cls.model_class(meta, directory, "ner", "an NER model")
        spec = {"cstats": Arr("u", 2), "wstats": Arr("iu", 2, lo=0), "word_ptr": Arr("iu", 1, lo=0),
                "word_codes": Arr("iu", 1), "gaz_ptr": Arr("iu", 1, lo=0), "gaz_codes": Arr("iu", 1),
                "gaz_types": Arr("iu", 1)}
        a = load_arrays(directory, spec, meta=meta if "checksums" in meta else None, filename="lexicon.npz")
        lex_path = Path(directory) / "lexicon.npz"
        try:
            lexicon = EntityLexicon.from_arrays(a)
        except (ValueError, TypeError) as e:
            raise ModelFormatError(lex_path, f"malformed entity lexicon ({e})") from None
        try:
            tagset = TagSet.from_json(meta.get("tagset"))
            if tagset.scheme not in ("bio", "bioes"):
                raise ValueError(f"tag set scheme {tagset.scheme!r}, expected bio or bioes")
            fp = meta.get("features", {})
            if not isinstance(fp, dict):
                raise ValueError("'features' must be a JSON object")
            feats = NERFeatures(bits=fp.get("bits", 22), lexicon=lexicon, templates=fp.get("templates"),
                                domain=fp.get("domain", 0))
            model = cls.load_model(model_cls, directory, len(tagset), feats.n_features)
            return cls(model, feats, tagset, **kw)
        except (ValueError, TypeError, AttributeError) as e:
            raise ModelFormatError(path, str(e)) from None


# ---------------------------------------------------------------------------------- the cascade
def run_cascade(text: str, codes: np.ndarray, segmenter, pos) -> tuple[np.ndarray, np.ndarray]:
    """(int32 word cut offsets, int64 per-word POS tag hashes) of ``text`` (its code points
    ``codes``) through ``segmenter`` and ``pos``."""
    bounds = np.ascontiguousarray(segmenter.bounds(text), np.int32)
    return bounds, tag_hashes(text, codes, bounds, pos)


def tag_hashes(text: str, codes: np.ndarray, bounds: np.ndarray, pos) -> np.ndarray:
    """:func:`cnlp.entities.features.tag_hash` of the tag ``pos`` gives each word between ``bounds``;
    whitespace tokens get the tag a Pipeline gives them."""
    if len(bounds) < 2:
        return np.zeros(0, np.int64)
    if hasattr(pos, "predict_ids"):
        wtags = _hash_table(pos.tagset)[pos.predict_ids(codes, bounds)]
    else:
        b = bounds.tolist()
        wtags = np.array([tag_hash(t) for t in pos.predict([text[i:j] for i, j in zip(b, b[1:])])], np.int64)
    if _SPACE.search(text):
        b = bounds.tolist()
        for k, (i, j) in enumerate(zip(b, b[1:])):
            if text[i:j].isspace():
                wtags[k] = _SPACE_HASH
    return wtags


_HASH_TABLES: dict = {}


def _names_hashes(names) -> np.ndarray:
    """int64 tag hash per name of the sequence ``names`` (cached per names object)."""
    table = _HASH_TABLES.get(names)
    if table is None:
        table = _HASH_TABLES[names] = np.array([tag_hash(t) for t in names], np.int64)
    return table


def _hash_table(tagset) -> np.ndarray:
    """int64 tag hash per tag id of ``tagset`` (cached per tag set)."""
    table = _HASH_TABLES.get(tagset)
    if table is None:
        table = _HASH_TABLES[tagset] = np.array([tag_hash(t) for t in tagset.names], np.int64)
    return table
