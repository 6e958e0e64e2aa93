"""Named entity recognition: character-level BIOES/BIO tagging over a segment → POS cascade.

:class:`EntityRecognizer` = a :class:`cnlp.sequence.linear.LinearChainModel` (averaged perceptron
or CRF) + the character preset of :mod:`cnlp.ner.features` (its lexicon learned from the training
data) + a ``bio``/``bioes`` :class:`cnlp.tagset.TagSet` whose forbidden transitions Viterbi
enforces. The cascade (a segmenter and a POS tagger, by default the shipped ones) supplies word
boundaries and tags as features. Entity dictionaries (:class:`EntityDictionary`) and forced user
words act inside Viterbi: a forced entity is a label mask, a suggested one an additive score, and
no entity crosses a forced user word.
"""
from __future__ import annotations

import argparse
import copy
import re
import threading
import sys
import time
from itertools import chain
from pathlib import Path

import numpy as np

from ..dictionary.user import UserDictionary, as_user_dictionary
from ..doc import Entity
from ..errors import ModelFormatError, check_str
from ..io import Arr, guard_load, load_arrays, load_meta, model_path
from ..sequence.crf import CRFTagger
from ..sequence.perceptron import PerceptronTagger
from ..tagset import TagSet
from ..text import fold_str, fold_width, to_codes
from ._kernels import entity_constraints, tag_entities
from .data import ENTITY_TYPES
from .features import EntityLexicon, NERFeatures, tag_hash

__all__ = ["EntityRecognizer", "EntityDictionary", "default_ner", "train_ner", "add_train_arguments", "train_main"]

TAGGERS = {"perceptron": PerceptronTagger, "crf": CRFTagger}
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
        self._ud = UserDictionary()

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
        from ..dictionary.trie import read_dictionary_text
        from ..errors import CorpusFormatError
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


class EntityRecognizer:
    """Find person, place and organization names (the types of ``tagset``) in text.

    >>> ner = default_ner()                                # doctest: +SKIP
    >>> ner.predict("江泽民在北京会见了华为公司的代表")        # doctest: +SKIP
    [Entity(text='江泽民', type='PER', start=0, end=3), Entity(text='北京', type='LOC', start=4, end=6), ...]
    """

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
        if self._segmenter is None:
            from ..segment.tagging import default_crf
            self._segmenter = default_crf(user_dict=self.user_dict)
        return self._segmenter

    @property
    def pos(self):
        if self._pos is None:
            from ..pos.tagger import default_pos
            self._pos = default_pos(user_dict=self.user_dict)
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

    def predict_spans(self, text: str, bounds=None, wtags=None) -> list[tuple[int, int, str]]:
        """``(start, end, type)`` of the entities in ``text``; ``bounds`` / ``wtags`` give the
        cascade's result when the caller has it (a Pipeline)."""
        text = check_str(text, "ner")
        if not text:
            return []
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
        """Entity spans of a :class:`cnlp.doc.Doc`, reading its tokens and (if set) POS tags."""
        bounds = np.asarray(doc._bounds, np.int32)
        if doc._pos is not None:
            wtags = np.array([tag_hash(t) for t in doc._pos], np.int64)
        else:
            wtags = self._tag_hashes(doc.text, to_codes(doc.text), bounds)
        return self.predict_spans(doc.text, bounds, wtags)

    def warmup(self) -> "EntityRecognizer":
        self.predict("江泽民在北京会见了新华社记者。")
        return self

    # ------------------------------------------------------------------ persistence
    def save(self, directory, *, meta: dict | None = None, prune: float = 1e-3) -> Path:
        """Write the bundle atomically (a killed save leaves the previous model)."""
        from ..io import atomic_directory
        with atomic_directory(directory) as d:
            np.savez_compressed(d / "lexicon.npz", **self.features.lexicon.arrays())
            self.model.save(d, meta={"task": "ner", "tagset": self.tagset.to_json(),
                                     "features": self.features.get_params(), **(meta or {})}, prune=prune)
        return Path(directory)

    @classmethod
    @guard_load
    def load(cls, directory, **kw) -> "EntityRecognizer":
        """Load a saved recognizer; keyword arguments as for the constructor (cascade, dictionaries)."""
        meta = load_meta(directory)
        path = Path(directory) / "meta.json"
        model_cls = TAGGERS.get(meta.get("kind"))
        if model_cls is None or meta.get("task") != "ner":
            raise ModelFormatError(path, f"holds a {meta.get('task')!r} {meta.get('kind')!r} model, "
                                         f"expected an NER model ({sorted(TAGGERS)})")
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
            model = model_cls.load(directory, float32=True, n_labels=len(tagset), n_features=feats.n_features)
            return cls(model, feats, tagset, **kw)
        except (ValueError, TypeError, AttributeError) as e:
            raise ModelFormatError(path, str(e)) from None


_lock = threading.Lock()
_DEFAULT: dict = {}


def default_ner(*, entities=None, user_dict=None) -> EntityRecognizer:
    """The shipped recognizer (``data/ner``), loaded once; with dictionaries, a shallow copy using them."""
    with _lock:
        if "ner" not in _DEFAULT:
            _DEFAULT["ner"] = EntityRecognizer.load(model_path("ner"))
    base = _DEFAULT["ner"]
    if entities is None and user_dict is None:
        return base
    return base.with_dictionaries(entities=entities, user_dict=user_dict)


# ---------------------------------------------------------------------------------- training
def run_cascade(text: str, codes: np.ndarray, segmenter, pos) -> tuple[np.ndarray, np.ndarray]:
    """(int32 word cut offsets, int64 per-word POS tag hashes) of ``text`` (its code points
    ``codes``) through ``segmenter`` and ``pos``."""
    bounds = np.ascontiguousarray(segmenter.bounds(text), np.int32)
    return bounds, tag_hashes(text, codes, bounds, pos)


def tag_hashes(text: str, codes: np.ndarray, bounds: np.ndarray, pos) -> np.ndarray:
    """:func:`cnlp.ner.features.tag_hash` of the tag ``pos`` gives each word between ``bounds``;
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


def _hash_table(tagset) -> np.ndarray:
    """int64 tag hash per tag id of ``tagset`` (cached per tag set)."""
    table = _HASH_TABLES.get(tagset)
    if table is None:
        table = _HASH_TABLES[tagset] = np.array([tag_hash(t) for t in tagset.names], np.int64)
    return table


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
    """Features of each fold with a lexicon of the other folds (so that unseen names occur in
    training at the rate they occur in use); ``domains`` (one int per sentence, or None) selects
    each sentence's feature copy."""
    X: list = [None] * len(sents)
    fold_of = np.arange(len(sents)) % folds
    for k in range(folds):
        lex = EntityLexicon.build(chain(((t, s, c[1]) for (t, s), c, f in zip(sents, casc, fold_of) if f != k),
                                        ((t, s, None) for t, s in lexicon_extra)), types, gazetteer)
        feats = NERFeatures(bits=bits, lexicon=lex, templates=templates)
        for i in np.flatnonzero(fold_of == k).tolist():
            codes, bounds, wtags = casc[i]
            X[i] = feats.transform(codes, bounds, wtags, domain=0 if domains is None else domains[i])
    return X


def f1_scorer(dev, dev_casc, tagset: TagSet, feats: NERFeatures):
    """``f(model) -> micro F1`` of exact entity spans on ``dev`` (features precomputed once)."""
    from ..evaluate import EntityEvaluator
    dev_X = [feats.transform(*c) for c in dev_casc]

    def score(model) -> float:
        ev = EntityEvaluator()
        for (_, gold), labels in zip(dev, model.predict(dev_X)):
            ev.add(gold, tagset.decode_spans(labels))
        return ev.result()["micro"]["f1"]
    return score


def train_ner(train, dev=(), *, extra=(), adapt: bool = False, algorithm: str = "perceptron", scheme: str = "bioes",
              lexicon_extra=(), gazetteer=(), segmenter=None, pos=None, bits: int = 22, folds: int = 5,
              templates=None,
              types=ENTITY_TYPES, verbose: bool = True, **fit_kw):
    """An :class:`EntityRecognizer` trained on ``(text, spans)`` sentences (micro F1 on ``dev``
    logged every epoch); the cascade is ``segmenter`` / ``pos`` (default: the shipped ones).

    ``extra``: sentences of another corpus (another annotation convention) trained on as well;
    with ``adapt`` every feature has a shared weight and one per corpus (feature augmentation),
    and the recognizer decodes with the shared + ``train`` weights. ``lexicon_extra``: sentences
    of another corpus that only feed the lexicon (character statistics and gazetteer);
    ``gazetteer``: ``(text, type)`` names that only enter the gazetteer."""
    from ..train import fit_linear
    extra = [(t, [sp for sp in s if sp[2] in types]) for t, s in extra if t]
    n_main = sum(1 for t, _ in train if t)
    train = [(t, [sp for sp in s if sp[2] in types]) for t, s in train if t] + extra
    dev = [(t, [sp for sp in s if sp[2] in types]) for t, s in dev if t]
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


# ---------------------------------------------------------------------------------- CLI
def load_training_data(msra, pd98=None, *, dev_ratio: float = 0.1, pd98_test_ratio: float = 0.1,
                       pd98_mode: str = "plain"):
    """(train, dev, extra) ``(text, spans)`` lists: the MSRA BIO file (its last ``dev_ratio`` is
    dev) and, optionally, the training part of the PD98 split converted (:mod:`cnlp.ner.pd98`;
    without MSRA it is the training data and its dev part the dev set)."""
    from ..corpus.splits import split_sizes
    from .data import pd98_entities, read_bio
    train, dev, extra = [], [], []
    if msra:
        sents = list(read_bio(msra))
        n_train, n_dev, _ = split_sizes(len(sents), test_ratio=dev_ratio)
        train, dev = sents[:n_train], sents[n_train:]
    if pd98:
        from ..corpus.splits import pd98_split
        from .pd98 import convert_pd98
        split = pd98_split(pd98, test_ratio=pd98_test_ratio, dev_ratio=0.0 if msra else 0.05, compounds="merge")
        extra = convert_pd98(split.train, mode=pd98_mode, reference=train)
        if not msra:
            train, extra, dev = extra, [], [pd98_entities(s) for s in split.dev]
    return train, dev, extra


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    from ..cli import add_quiet_argument
    add_quiet_argument(parser)
    parser.add_argument("--msra", metavar="PATH", help="MSRA-format BIO training file (char<TAB>tag); its last "
                                                       "--dev-ratio of sentences is the dev set (with --pd98 left "
                                                       "out too: $CNLP_CORPORA/msra_ner/train_extra.bio and "
                                                       "$CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--pd98", metavar="PATH", help="also train on the training part of this PD98 file's split")
    parser.add_argument("--pd98-mode", choices=["plain", "careful"], default="plain",
                        help="how PD98 is converted (see cnlp.ner.pd98)")
    parser.add_argument("--pd98-use", choices=["train", "adapt", "lexicon", "gazetteer"], default="gazetteer",
                        help="with --msra: how PD98 is used: as more training sentences, as training sentences "
                             "with shared + per-corpus feature weights (decoding as MSRA), in the lexicon (its "
                             "names in the gazetteer and its character statistics), or only its names in the "
                             "gazetteer (default)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--algorithm", choices=sorted(TAGGERS), default="perceptron")
    parser.add_argument("--scheme", choices=["bio", "bioes"], default="bioes")
    parser.add_argument("--dev-ratio", type=float, default=0.1)
    parser.add_argument("--n-iter", type=int, default=15, help="perceptron: maximum epochs")
    parser.add_argument("--seeds", type=int, default=1, help="perceptron: average this many shuffle seeds")
    parser.add_argument("--c2", type=float, default=1.0, help="crf: L2 coefficient")
    parser.add_argument("--max-iter", type=int, default=150, help="crf: L-BFGS iterations")
    parser.add_argument("--min-count", type=int, default=1, help="features seen fewer times get no weight")
    parser.add_argument("--templates", nargs="+", default=None, metavar="T",
                        help="feature templates (default: all of cnlp.ner.features.TEMPLATE_LIBRARY)")
    parser.add_argument("--bits", type=int, default=22)
    parser.add_argument("--folds", type=int, default=5, help="jackknife folds for the entity lexicon")
    parser.add_argument("--prune", type=float, default=1e-3,
                        help="drop feature rows whose largest |weight| is at most this")


def train_main(args) -> int:
    from ..cli import PD98_CORPUS, default_corpus, dev_summary, progress_enabled
    from ..train import command_line
    if not args.msra and not args.pd98:
        args.msra = default_corpus("msra_ner", "train_extra.bio", option="--msra")
        args.pd98 = default_corpus(*PD98_CORPUS, option="--pd98")
    t0 = time.perf_counter()
    train, dev, extra = load_training_data(args.msra, args.pd98, dev_ratio=args.dev_ratio, pd98_mode=args.pd98_mode)
    lexicon_extra, gazetteer = [], []
    if extra and args.pd98_use == "lexicon":
        lexicon_extra, extra = extra, []
    elif extra and args.pd98_use == "gazetteer":
        gazetteer, extra = [(t[s:e], ty) for t, spans in extra for s, e, ty in spans], []
    rec = train_ner(train, dev, extra=extra, adapt=args.pd98_use == "adapt", lexicon_extra=lexicon_extra,
                    gazetteer=gazetteer,
                    algorithm=args.algorithm, scheme=args.scheme, bits=args.bits, folds=args.folds,
                    templates=args.templates, seeds=args.seeds, n_iter=args.n_iter, c2=args.c2,
                    max_iter=args.max_iter, min_count=args.min_count, verbose=progress_enabled(args))
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": len(train) + len(extra),
            "dev_sentences": len(dev), "train_seconds": round(time.perf_counter() - t0, 1),
            "cascade": {"segmenter": "crf", "pos": "default"}}
    rec.save(args.out, meta=meta, prune=args.prune)        # atomic: a killed run leaves the old model
    best = dev_summary(rec.model.training_log_)
    print(f"NER {args.algorithm}/{args.scheme}: {len(train) + len(extra)} train / {len(dev)} dev sentences{best}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-iteration log in its meta.json)")
    return 0
