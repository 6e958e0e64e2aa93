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

import builtins
import copy
import re
from bisect import bisect_left
from pathlib import Path

import numpy as np

from .._jit import writable
from ..dictionary.trie import dictionary_lines
from ..dictionary.user import UserDictionary, as_user_dictionary
from ..doc import Entity
from ..errors import CorpusFormatError, ModelFormatError, check_str
from ..expressions import find as find_expressions
from ..io import Arr, guard_load, load_arrays, load_meta
from ..sequence.tagger import LinearTagger
from ..tagset import TagSet
from ..text import fold_str, fold_width, to_codes
from ..sequence.linear import weight_tuple
from ._kernels import copy_ids, entity_constraints, tag_entities
from .features import EntityLexicon, NERFeatures, tag_hash
from .router import DomainRouter

__all__ = ["EntityRecognizer", "EntityDictionary", "run_cascade", "tag_hashes", "check_entity_type"]

#: score added per character to the labels of a suggested entity, as a multiple of a typical label
#: score at one position (mean absolute weight times the number of templates)
SUGGEST_BIAS = 1.0
_SPACE = re.compile(r"\s")
_SPACE_HASH = tag_hash("w")


#: longest entity type name accepted
MAX_TYPE_LEN = 32


def check_entity_type(type) -> str:
    """``type`` if it can name an entity type: a str of 1 to :data:`MAX_TYPE_LEN` letters, digits
    and ``_`` (any script) that does not start with a digit (``"SCHOOL"``, ``"学校"``); such names
    write safely in every output format (``B-TYPE``, ``[text]/TYPE``, JSON). ValueError otherwise."""
    if not isinstance(type, str):
        raise TypeError(f"entity type must be a str, got {builtins.type(type).__name__}")
    if not type.isidentifier() or len(type) > MAX_TYPE_LEN:
        raise ValueError(f"malformed entity type {type!r}: a type is 1 to {MAX_TYPE_LEN} letters, digits or '_' "
                         f"(any script), not starting with a digit, e.g. 'SCHOOL' or '学校'")
    return type


class EntityDictionary:
    """User entities: ``text → (type, mode)``; ``force`` makes every occurrence exactly one entity
    of that type, ``suggest`` only favours it. A type the model does not have (``"SCHOOL"``) is a
    type of its own: a forced entry is an entity of it wherever it occurs (the model's entities kept
    out of it), a suggested one where no other entity overlaps it. File format, one entry per line:
    ``text TYPE [force|suggest]`` (``#`` comments, BOM stripped).

    >>> ed = EntityDictionary(); ed.add_entity("华为", "ORG", mode="force"); len(ed)
    1
    """

    def __init__(self):
        self._ud = UserDictionary(pku_pos=False)      # its "pos" is the entity type

    def add_entity(self, text: str, type: str, *, mode: str = "suggest") -> None:
        check_str(text, "add_entity")
        check_entity_type(type)
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
        """Add the ``text TYPE [force|suggest]`` entries of ``path`` (a tab after the text keeps a
        text with spaces whole); ``CorpusFormatError`` with file and line on a malformed one."""
        name = getattr(path, "name", "<file object>") if callable(getattr(path, "read", None)) else path
        for lineno, line, cols in dictionary_lines(path):
            m = cols.pop() if len(cols) > 2 and cols[-1] in ("force", "suggest") else None
            if len(cols) != 2:
                raise CorpusFormatError(name, lineno, "expected 'text TYPE [force|suggest]'", line)
            try:
                self.add_entity(cols[0], cols[1], mode=m or mode)
            except ValueError as e:
                raise CorpusFormatError(name, lineno, str(e), line) from None

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
    #: find time and number expressions too (:meth:`with_expressions`; the front's recognizer does)
    expressions = False

    def __init__(self, model, features: NERFeatures, tagset: TagSet, *, segmenter=None, pos=None,
                 entities: EntityDictionary | None = None, user_dict=None, suggest_bias: float = SUGGEST_BIAS,
                 mask_markup: bool = False, hidden_types=(), domains=None, router=None):
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
        #: URL, ``@``, ``#`` and emoji characters are never part of an entity (:func:`cnlp.text.markup`)
        self.mask_markup = bool(mask_markup)
        #: tag set types trained as a signal but never output (e.g. nominal mentions)
        self.hidden_types = tuple(hidden_types)
        if any(t not in tagset.types for t in self.hidden_types):
            raise ValueError(f"hidden types {list(self.hidden_types)} are not all types of the tag set "
                             f"{list(tagset.types)}")
        #: training corpus name -> feature copy (``features.domain`` is the one decoded with; 0: the
        #: weights shared by all corpora)
        self.domains = dict(domains or {})
        #: a :class:`cnlp.entities.router.DomainRouter` choosing the corpus copy per text (None:
        #: ``features.domain`` always); :meth:`with_domain` fixes one
        self.router = router
        if router is not None and any(nm not in self.domains for nm in router.names):
            raise ValueError(f"router domains {router.names} are not all domains of the model {list(self.domains)}")

    @property
    def types(self) -> tuple:
        """The entity types this recognizer outputs."""
        return tuple(t for t in self.tagset.types if t not in self.hidden_types)

    def with_domain(self, name: str) -> "EntityRecognizer":
        """A shallow copy decoding with the feature copy of training corpus ``name`` (one of
        :attr:`domains`) added to the shared weights, with the shared weights only (``"shared"``),
        or (``"auto"``, a model with a router) with the copy of the corpus each text resembles."""
        if name == "auto":
            if getattr(self, "_router", None) is None and self.router is None:
                raise ValueError("this model has no domain router")
            clone = copy.copy(self)
            clone.router = self.router if self.router is not None else self._router
            return clone
        if name != "shared" and name not in self.domains:
            raise ValueError(f"unknown domain {name!r}; this model has {['shared', *self.domains]}")
        clone = copy.copy(self)
        clone._router = self.router if self.router is not None else getattr(self, "_router", None)
        clone.router = None
        feats = copy.copy(self.features)
        feats.domain = 0 if name == "shared" else int(self.domains[name])
        clone.features = feats
        return clone

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
        """``(allowed bool (n, L) or (0, L), bias float64 (n, L) or (0, L), own)``: the dictionaries'
        constraints for Viterbi, and ``own``, the entries of types the model does not have
        ``(start, end, type, force)`` (:meth:`_own_types`)."""
        n, L = codes.shape[0], len(self.tagset)
        ed, ud = self.entities, self.user_dict
        has_ed = ed is not None and len(ed)
        has_ud = ud is not None and len(ud)
        if not (has_ed or has_ud) or n == 0:
            return np.zeros((0, L), np.bool_), np.zeros((0, L), np.float64), []
        folded = fold_width(codes)
        z = np.zeros(0, np.int64)
        es, ee, eb, ef = z, z, z, np.zeros(0, np.bool_)
        own = []
        if has_ed:
            s, e, types, f = ed.matches(folded, text)
            keep = [k for k, t in enumerate(types) if t in self._type_base]
            if len(keep) < len(types):          # types of the user's own: decided after decoding
                own = [(int(s[k]), int(e[k]), t, bool(f[k])) for k, t in enumerate(types)
                       if t not in self._type_base]
                s, e, f = s[keep], e[keep], f[keep]
                types = [types[k] for k in keep]
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
        outside = self.tagset.index("O")
        for a, b, _, force in own:              # a forced entry of an own type: no model entity there
            if force:
                allowed[a:b] = False
                allowed[a:b, outside] = True
                forced += b - a
        if not forced:
            allowed = np.zeros((0, L), np.bool_)
        if not (ef.shape[0] and (~ef).any()):
            bias = np.zeros((0, L), np.float64)
        return allowed, bias, own

    @staticmethod
    def _own_types(spans: list, own: list) -> list:
        """``spans`` (the model's ``(start, end, type)``) plus the dictionary entries of types the
        model does not have (``own``: ``(start, end, type, force)``). A forced one is always there
        (the model was kept out of it); a suggested one is added where it overlaps no other entity
        (leftmost, then longest, first)."""
        if not own:
            return spans
        out = list(spans)
        taken = sorted((s, e) for s, e, _ in spans)          # never overlapping: sorted by start and end
        for s, e, t, force in sorted(own, key=lambda x: (not x[3], x[0], x[0] - x[1])):
            i = bisect_left(taken, (s, s))
            if force or not ((i and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e)):
                taken.insert(i, (s, e))
                out.append((s, e, t))
        return sorted(out)

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
        allowed, bias, own = self._constraints(text, codes)
        table, cstats, trie, wstats, gaz, gtypes, spec, bits, domain = self.features.kernel_args()
        if self.router is not None:
            domain = self.domains[self.router.route(text, codes)]
        by_id = self.features.copy_hash == "id"
        if domain > 0 and by_id:        # the copies folded into the shared rows: half the lookups
            params, domain = self._folded(domain), 0
        else:
            params = self.model.decode_params()
        labels = tag_entities(codes, table, np.ascontiguousarray(bounds, np.int32),
                              np.ascontiguousarray(wtags, np.int64), cstats, trie, wstats, gaz, gtypes, spec, bits,
                              domain, params, allowed, bias, self.mask_markup, by_id)
        spans = self.tagset.decode_spans(labels)
        if self.hidden_types:
            spans = [sp for sp in spans if sp[2] not in self.hidden_types]
        if self.expressions:          # time and number expressions on word boundaries, where no entity is
            cuts = set(np.asarray(bounds).tolist())
            own = own + [(s, e, t, False) for s, e, t, _ in find_expressions(text) if s in cuts and e in cuts]
        return self._own_types(spans, own)

    def _folded(self, domain: int) -> tuple:
        """Decode parameters with the copy rows of ``domain`` added to their shared rows (built on
        first use, one float32 weight matrix per domain decoded with, cached on the model)."""
        base = self.model.decode_params()
        cache = self.model.__dict__.setdefault("_ner_folded", {})
        hit = cache.get(domain)
        if hit is not None and hit[0] is base:
            return hit[1]
        ids = self.model.rows()
        rows = self.model.rows_of(copy_ids(ids.astype(np.int64), domain, self.features.bits))
        W = np.asarray(self.model.weights_, np.float32)
        Wd = W.copy()
        has = rows >= 0
        Wd[has] += W[rows[has]]
        params = (base[0], weight_tuple(Wd), *base[2:])
        cache[domain] = (base, params)
        return params

    def with_expressions(self, on: bool = True) -> "EntityRecognizer":
        """A shallow copy that also finds time and number expressions (``DATE``, ``TIME``, ``MONEY``,
        ``PERCENT``, ``NUMBER``: :mod:`cnlp.expressions`) where they lie on word boundaries and
        overlap no other entity (``on=False``: the model's types and the dictionaries' only)."""
        clone = copy.copy(self)
        clone.expressions = bool(on)
        return clone

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
        meta = {"tagset": self.tagset.to_json(), "features": self.features.get_params()}
        if self.mask_markup:
            meta["mask_markup"] = True
        if self.hidden_types:
            meta["hidden_types"] = list(self.hidden_types)
        if self.domains:
            meta["domains"] = self.domains
        if self.router is not None:
            meta["router"] = {"names": self.router.names, "bits": self.router.bits}
        return meta

    def _save_parts(self, directory: Path, prune: float) -> None:
        """The entity lexicon in ``directory/lexicon.npz``."""
        np.savez_compressed(directory / "lexicon.npz", **self.features.lexicon.arrays())
        if self.router is not None:
            np.savez_compressed(directory / "router.npz", **self.router.arrays())

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
                                domain=fp.get("domain", 0), copy_hash=fp.get("copy_hash", "template"))
            model = cls.load_model(model_cls, directory, len(tagset), feats.n_features)
            mask = meta.get("mask_markup", False)
            hidden = meta.get("hidden_types", [])
            domains = meta.get("domains", {})
            if not isinstance(mask, bool):
                raise ValueError("'mask_markup' must be true or false")
            if not isinstance(hidden, list) or not all(isinstance(t, str) for t in hidden):
                raise ValueError("'hidden_types' must be a list of type names")
            if not isinstance(domains, dict) or not all(isinstance(k, str) and isinstance(v, int) and
                                                        not isinstance(v, bool) and 0 < v < 1000
                                                        for k, v in domains.items()):
                raise ValueError("'domains' must map corpus names to ints in [1, 1000)")
            router = None
            if "router" in meta:
                rm = meta["router"]
                if not isinstance(rm, dict) or not isinstance(rm.get("names"), list) or \
                        not isinstance(rm.get("bits"), int) or isinstance(rm.get("bits"), bool):
                    raise ValueError("'router' must be an object with 'names' (a list) and 'bits' (an int)")
                ra = load_arrays(directory, {"router_weights": Arr("f", 2), "router_bias": Arr("f", 1)},
                                 meta=meta if "checksums" in meta else None, filename="router.npz")
                router = DomainRouter(rm["names"], ra["router_weights"], ra["router_bias"], bits=rm["bits"])
            kw = {"mask_markup": mask, "hidden_types": hidden, "domains": domains, "router": router, **kw}
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
