"""Segmentation by BMES tagging with a linear sequence model (averaged perceptron or linear-chain CRF).

User words constrain the Viterbi: forced words fix their characters to ``B M* E`` / ``S``
(:func:`cnlp.dictionary.bmes_mask`); preferred words add ``prefer_margin`` to a word boundary at each
of their edges (:func:`cnlp.dictionary.edge_bias`) and are merged when both edges are cut
(:func:`cnlp.dictionary.merge_preferred`); suggested words add ``suggest_bias`` (times
:func:`cnlp.dictionary.suggest_strength` of their frequency) per character to the labels that make
them words (:func:`cnlp.dictionary.bmes_bias`); whitespace runs are always words of their own.
"""
from __future__ import annotations

import copy
import functools
import sys
from pathlib import Path

import numpy as np

from ..dictionary import Dictionary, UserDictionary, as_user_dictionary, merge_preferred
from ..errors import ModelFormatError, ParameterError
from ..io import INT, LIST, OBJ, STR, guard_load, load_meta
from ..sequence._feature_kernels import fold_rows
from ..sequence.features import DICT_TEMPLATES, CharFeatures
from ..sequence.linear import weight_tuple
from ..sequence.tagger import LinearTagger
from ..tagset import BMES
from ..text import SPACE, fold_width, to_codes
from ._tagging_kernels import tag_bounds, tag_bounds_many, tag_bounds_user, tag_bounds_user_many
from .base import Segmenter

__all__ = ["TaggingSegmenter", "SHARED"]

#: the name of the standard that decodes with the shared weights only (a multi-standard model)
SHARED = "shared"

#: meta.json fields of a segmenter bundle (besides the linear model's, :data:`LINEAR_SCHEMA`)
CWS_SCHEMA = {"features": OBJ({"bits": INT(10, 30), "templates": LIST(STR()), "dict_templates": LIST(STR()),
                              "extra_templates": LIST(STR()), "standards": LIST(STR(), required=False)}),
              "default_standard": STR(required=False), "standard_mixtures": OBJ(required=False),
              "task": STR(choices={"cws"}, required=False), "labels": STR(choices={"BMES"}, required=False)}

_EMPTY = UserDictionary()           # whitespace-only constraints for the step-by-step reference path


#: label-score bonus per character of a suggested user word, in units of the model's mean absolute
#: transition score (so it means the same for perceptron and CRF weights). Chosen on a dev split of
#: 199801.txt (benchmarks/user_dict_check.py --dev --bias ...): the largest value at which loading jieba's
#: 349k-word dictionary (another segmentation standard) as suggestions does not lower dev F1.
SUGGEST_BIAS = 0.35
#: score added to a word boundary at each edge of a preferred user word, in the same units: the
#: model keeps a boundary across the word's edge only when it prefers it by more than this.
#: Chosen on a dev split of 199801.txt (benchmarks/user_dict_check.py --dev).
PREFER_MARGIN = 1.0
#: size of an online correction (``learn``) as a multiple of the mean absolute non-zero feature
#: weight (1.52 for the shipped perceptron, 0.027 for the CRF, ~1 for small models);
#: benchmarks/partial_fit_check.py checks both shipped models with it
LEARN_STEP = 1.0


class TaggingSegmenter(Segmenter, LinearTagger):
    """BMES tagger → segmenter. ``tagger`` is a :class:`cnlp.sequence.linear.LinearChainModel` with
    4 labels (perceptron or CRF); ``features`` is the :class:`CharFeatures` it was trained with. Decoding runs
    the same templates, Viterbi and offsets in one Numba call per text (:func:`tag_bounds`).
    ``suggest_bias``: score added per character to the labels of a suggested user word, as a multiple
    of the mean absolute transition score; ``prefer_margin``: score added to a boundary at each edge
    of a preferred user word, in the same units (forced words are hard constraints)."""

    #: :func:`tag_bounds` returns valid offsets by construction
    _exact_bounds = True
    task = "cws"

    def __init__(self, tagger, features: CharFeatures, *, user_dict=None, suggest_bias: float = SUGGEST_BIAS,
                 prefer_margin: float = PREFER_MARGIN, mixtures=None, mixture: str | None = None):
        # a multi-standard model decodes through folded float32 copies (fold_standard): its own
        # table stays as loaded (float16: half the memory)
        self.tagger = tagger.use_float32() if hasattr(tagger, "weights_") and not features.standards else tagger
        self.features = features
        self.mixtures = check_mixtures(mixtures or {}, features.standards)
        if mixture is not None and mixture not in self.mixtures:
            raise ValueError(f"unknown mixture {mixture!r}; choose one of {list(self.mixtures)}")
        if mixture is not None:
            self.features = features.for_standard(None)
        self._mix = mixture
        self.user_dict = as_user_dictionary(user_dict)
        self.suggest_bias = float(suggest_bias)
        self.prefer_margin = float(prefer_margin)
        self._set_decoder()
        self._none = (np.zeros((0, 4), np.bool_), np.zeros((0, 4), np.float64))

    def _set_decoder(self) -> None:
        """The model and kernel arguments decoding uses: with a standard, its copies folded into the
        shared rows (:func:`fold_standard`: the same scores, the shared features only, so decoding a
        standard costs what decoding a model of one standard costs)."""
        f = self.features
        if self._mix is not None:
            terms = tuple((f.standards.index(s) + 1, a) for s, a in self.mixtures[self._mix].items())
            self._decoder = fold_standard(self.tagger, terms, f.bits)
        else:
            terms = ((f.domain, 1.0),) if f.domain else ()
            # float16 weights (a multi-standard model) decode through a float32 copy (faster)
            self._decoder = fold_standard(self.tagger, terms, f.bits) \
                if terms or self.tagger.weights_.dtype == np.float16 else self.tagger
        self._kernel_args = (*f.kernel_args(), SPACE)

    #: standard name -> ``factory(user_dict) -> Segmenter``: standards this segmenter hands to another
    #: segmenter (``cnlp.models`` gives the shipped multi-standard model the PKU CRF for ``"pku"``)
    delegates: dict = {}

    # ------------------------------------------------------------------ standards
    @property
    def standard(self) -> str | None:
        """The standard this segmenter writes: one of the model's :attr:`standards`, ``"shared"``
        (the weights every standard shares), or ``None`` for a model of one standard."""
        f = self.features
        if self._mix is not None:
            return self._mix
        return f.standard if f.standard is not None else SHARED if f.standards else self.__dict__.get("_own")

    @standard.setter
    def standard(self, name: str | None) -> None:
        """Name the standard of a model trained on one (``cnlp.models`` names its PD98 models ``"pku"``)."""
        if self.features.standards:
            raise AttributeError("a multi-standard segmenter changes standard with with_standard()")
        self._own = name

    @property
    def standards(self) -> tuple:
        f = self.features
        if not f.standards:
            return super().standards
        names = f.standards + tuple(self.mixtures) + (SHARED,)
        return names + tuple(d for d in self.delegates if d not in names)

    def _with_standard(self, standard: str) -> "Segmenter":
        if standard not in self.standards:
            names = list(self.standards) or ["(this model was trained on one standard only)"]
            raise ParameterError(f"unknown segmentation standard {standard!r}; choose one of {names}")
        cache = self.__dict__.setdefault("_by_standard", {})
        key = standard
        clone = cache.get(key)
        if clone is None and standard in self.delegates:
            clone = cache[key] = self.delegates[standard](self.user_dict)
        if clone is None:
            clone = copy.copy(self)
            clone.__dict__.pop("_by_standard", None)
            mix = standard in self.mixtures
            clone._mix = standard if mix else None
            clone.features = self.features.for_standard(None if mix or standard == SHARED else standard)
            clone._set_decoder()
            cache[key] = clone
        return clone

    def _on_user_dict_changed(self) -> None:
        self.__dict__.pop("_by_standard", None)         # clones per standard hold the old user dictionary

    def _constraints(self, codes: np.ndarray):
        """(allowed bool (n, 4) or None, bias float (n, 4) or None, preferred spans (starts, ends) or
        None) from the user dictionary and the whitespace runs (one kernel call:
        :meth:`cnlp.dictionary.UserDictionary.bmes_constraints`)."""
        ud = self.user_dict
        if ud is None or not len(ud):
            ud = _EMPTY
        scale = self._score_scale()
        allowed, bias, ps, pe = ud.bmes_constraints(fold_width(codes), codes, SPACE, self.suggest_bias * scale,
                                                    self.prefer_margin * scale)
        return (allowed if allowed.shape[0] else None, bias if bias.shape[0] else None,
                (ps, pe) if ps.shape[0] else None)

    def _score_scale(self) -> float:
        """The model's mean absolute transition score: the unit of ``suggest_bias`` and
        ``prefer_margin`` (computed once; :meth:`learn` resets it)."""
        c = self.__dict__.get("_scale")
        if c is None:
            c = self._scale = float(np.abs(self.tagger.trans_).mean()) or 1.0
        return c

    def _user_args(self) -> tuple:
        """The user dictionary's trie and per-word arrays and the two biases, as the kernels take them."""
        fwd, mode, _, _, strength, kids = self.user_dict.arrays()
        scale = self._score_scale()
        return (fwd.root, fwd.htab, fwd.word, kids, mode, strength, self.suggest_bias * scale,
                self.prefer_margin * scale)

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        ud = self.user_dict
        if ud is None or not len(ud):
            allowed, bias = self._none
            return tag_bounds(codes, *self._kernel_args, self._decoder.decode_params(), allowed, bias)
        return tag_bounds_user(codes, *self._kernel_args, self._decoder.decode_params(), *self._user_args())

    def _batchable(self) -> bool:
        """User words are decoded in the batch kernel too (:func:`tag_bounds_user_many`)."""
        return type(self).segment is Segmenter.segment

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray):
        ud = self.user_dict
        if ud is None or not len(ud):
            return tag_bounds_many(codes, offsets, *self._kernel_args, self._decoder.decode_params())
        return tag_bounds_user_many(codes, offsets, *self._kernel_args, self._decoder.decode_params(),
                                    *self._user_args())

    def _bounds_stepwise(self, codes: np.ndarray) -> np.ndarray:
        """:meth:`_bounds` kernel by kernel (features, constraints, Viterbi); the reference the
        fused kernel is tested against."""
        X = self.features.transform_codes(codes)
        allowed, bias, prefer = self._constraints(codes)
        model = self._decoder if self._mix is not None else self.tagger      # a blend exists folded only
        labels = model.predict_single(X, allowed, bias)
        out = BMES.decode_spans(labels)
        if prefer is not None:
            out = merge_preferred(out, codes.shape[0], *prefer)
        return out

    def learn(self, sentences, *, n_iter: int = 10, step: float = LEARN_STEP) -> "TaggingSegmenter":
        """Correct the model online from segmented sentences (``partial_fit``).

        ``sentences``: one sentence as a list of words, or a list of such sentences; they are
        learned jointly (passes over all of them until all are right or ``n_iter`` passes).
        ``step``: size of each update as a multiple of the model's mean absolute non-zero feature
        weight, so that it means the same for perceptron and CRF weights.
        """
        if sentences and isinstance(sentences[0], str):
            sentences = [sentences]
        X = [self.features.transform_codes(_codes("".join(w))) for w in sentences]
        self.tagger.use_float32()
        frozen = self.features.non_lexical             # update character features only
        W = self.tagger.weights_
        nz = W[W != 0]
        scale = float(np.abs(nz).mean()) if nz.size else 1.0
        self.tagger.partial_fit(X, [_labels(w) for w in sentences], n_iter=n_iter, step=step * scale, frozen=frozen)
        self.tagger.__dict__.pop("_folded", None)
        self.__dict__.pop("_by_standard", None)
        self._set_decoder()
        self._scale = None
        return self

    # ------------------------------------------------------------------ persistence (LinearTagger)
    @property
    def linear_model(self):
        return self.tagger

    def _bundle_meta(self) -> dict:
        meta = {"features": self.features.get_params(), "labels": "BMES", "tagset": BMES.to_json()}
        if self.features.standards:
            meta["default_standard"] = self.standard
        if self.mixtures:
            meta["standard_mixtures"] = self.mixtures
        return meta

    def _save_parts(self, directory: Path, prune: float) -> None:
        """The feature dictionary (if any) in ``directory/dict``."""
        if self.features.dictionary is not None:
            self.features.dictionary.save(directory / "dict")

    @classmethod
    @guard_load
    def load(cls, directory, *, user_dict=None, **kw) -> "TaggingSegmenter":
        """Load a saved segmenter; the tagger class (perceptron or CRF) is chosen by the bundle's kind.
        The features (meta.json ``features``) must hash into the model's ``n_features`` ids and the
        model must have the 4 BMES labels."""
        meta = load_meta(directory, schema=CWS_SCHEMA)
        tagger_cls = cls.model_class(meta, directory)
        fp = meta["features"]
        dictionary = Dictionary.load(Path(directory) / "dict") if fp["dict_templates"] else None
        try:
            feats = CharFeatures.from_params(fp, dictionary)
            if fp["dict_templates"] and fp["dict_templates"] != list(DICT_TEMPLATES):
                raise ValueError(f"dict_templates must be [] or {list(DICT_TEMPLATES)}")
            mixtures = check_mixtures(meta.get("standard_mixtures", {}), feats.standards)
            default = meta.get("default_standard")
            if default is not None:
                names = feats.standards + tuple(mixtures) + (SHARED,)
                if default not in names:
                    raise ValueError(f"default_standard {default!r} is not one of {list(names)}")
                if default not in mixtures:
                    feats = feats.for_standard(None if default == SHARED else default)
        except ValueError as e:
            raise ModelFormatError(Path(directory) / "meta.json", str(e)) from None
        if dictionary is not None:
            # decoding reads the forward trie only: the rest of the dictionary is read again
            # when asked for (saving, search mode), not kept in memory
            feats.release_dictionary(functools.partial(Dictionary.load, Path(directory) / "dict"))
            del dictionary
        # a multi-standard model decodes through folded float32 copies (fold_standard): its own
        # table stays float16 (half the memory; the folded values are the same)
        tagger = tagger_cls.load(directory, float32=not feats.standards, n_labels=len(BMES.names),
                                 n_features=feats.n_features)
        _trim_heap()
        return cls(tagger, feats, user_dict=user_dict, mixtures=mixtures,
                   mixture=default if default in mixtures else None, **kw)


def check_mixtures(mixtures, standards) -> dict:
    """``{name: {standard: weight}}`` checked: new names, known standards, weights in (0, 10]."""
    if not isinstance(mixtures, dict):
        raise ValueError("standard_mixtures must be an object {name: {standard: weight}}")
    out = {}
    for name, terms in mixtures.items():
        if not isinstance(name, str) or not name or name in standards or name == SHARED:
            raise ValueError(f"mixture name {name!r} must be new (standards: {list(standards)})")
        if not isinstance(terms, dict) or not terms:
            raise ValueError(f"mixture {name!r} must map standards to weights")
        for s, a in terms.items():
            if s not in standards:
                raise ValueError(f"mixture {name!r}: unknown standard {s!r}; choose from {list(standards)}")
            if isinstance(a, bool) or not isinstance(a, (int, float)) or not 0 < a <= 10:
                raise ValueError(f"mixture {name!r}: weight of {s!r} must be a number in (0, 10], got {a!r}")
        out[name] = {s: float(a) for s, a in terms.items()}
    return out


def fold_standard(model, terms, bits: int):
    """``model`` (trained on augmented features, :class:`CharFeatures` ``standards``) with the
    copies of the standards of ``terms`` (``((domain, weight), ...)``) added to each shared row:
    ``W'[f] = W[f] + sum weight * W[augmented_id(f, domain)]``, so decoding the shared features
    alone scores what the augmented ones score (one standard, weight 1) or a blend of standards.
    Cached on ``model`` per ``terms`` (:meth:`TaggingSegmenter.learn` drops the cache)."""
    cache = model.__dict__.setdefault("_folded", {})
    out = cache.get(terms)
    if out is None:
        W = model.weights_
        domains = np.array([d for d, _ in terms], np.int64)
        alphas = np.array([a for _, a in terms], np.float32)
        # one kernel pass over the rows: no row-id or block temporaries (peak memory at load)
        F = fold_rows(model.index_, weight_tuple(W), domains, alphas, (1 << bits) - 1,
                      np.empty(W.shape, np.float32))
        out = copy.copy(model)              # the same rows: the index is shared
        out.__dict__.pop("_folded", None)
        out.__dict__.pop("_decode_cache", None)
        out.weights_ = F
        cache[terms] = out
    return out


def _trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``): what loading the
    feature dictionary freed stays in the heap, where the model's large arrays (allocated apart)
    never reuse it (peak memory of the default segmenter 201 -> 190 MB)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):         # not glibc
        pass


def _codes(text: str) -> np.ndarray:
    return to_codes(text)


def _labels(words: list[str]) -> np.ndarray:
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    return BMES.encode_spans(int(lengths.sum()), np.r_[0, np.cumsum(lengths)])
