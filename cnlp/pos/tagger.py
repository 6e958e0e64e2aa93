"""POS tagging over words with a linear-chain model (averaged perceptron or CRF), PKU tagset.

:class:`POSTagger` = a :class:`cnlp.sequence.linear.LinearChainModel` + the word preset
(:class:`cnlp.pos.features.WordFeatures`, with a tag dictionary built from ``CorpusStats``) + a
plain :class:`cnlp.tagset.TagSet`. Each sentence is tagged in one Numba call
(:func:`cnlp.pos._kernels.tag_words`). Words of a user dictionary that carry a POS get that tag
(a label mask in Viterbi). A user tag that is not one of the model's (a label of the user's own)
does not constrain decoding: the model tags the word as it would without it, so its neighbours see
the word's most likely PKU tag in context, and the user's label replaces that tag in the output
(:meth:`POSTagger.user_tags`).
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from ..dictionary import Dictionary
from ..errors import ModelFormatError
from ..io import INT, LIST, OBJ, STR, guard_load, load_meta
from ..sequence.tagger import LinearTagger
from ..tagset import TagSet
from ..text import to_codes
from ._kernels import tag_words
from .features import WordFeatures
from .tags import check_words

__all__ = ["POSTagger"]

#: words seen this often in training only take the tags they had there (dev accuracy 0.95939 without
#: the restriction, 0.95946 with it, and decoding ~20x faster; benchmarks/pos_accuracy.py --dev)
DICT_MIN_COUNT = 20


def _bounds(words: list[str]) -> np.ndarray:
    return np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int32)


class POSTagger(LinearTagger):
    """Tag a list of words with POS tags (names of ``tagset``).

    >>> tagger = cnlp.models.pos_tagger()             # doctest: +SKIP
    >>> tagger.predict(["我", "爱", "北京"])             # doctest: +SKIP
    ['r', 'v', 'ns']
    """

    task = "pos"

    def __init__(self, model, features: WordFeatures, tagset: TagSet, *, user_dict=None, dict_min_count: int = 0,
                 first: "POSTagger | None" = None):
        if model.n_labels != len(tagset):
            raise ValueError(f"model has {model.n_labels} labels, tag set {len(tagset)}")
        if features.stacked and (first is None or first.tagset.names != tagset.names):
            raise ValueError("stacked templates need a first-pass tagger with the same tag set")
        #: the first-pass tagger whose predicted tags the stacked templates read (or None)
        self.first = first if features.stacked else None
        self.model = model.use_float32() if hasattr(model, "weights_") else model
        self.features = features
        self.tagset = tagset
        self.user_dict = user_dict
        self.dict_min_count = int(dict_min_count)
        self._args = (*features.kernel_args(), self._candidates())

    def _candidates(self) -> tuple:
        """The tag-dictionary restriction for :func:`cnlp.pos._kernels.candidate_mask`: a word seen
        at least ``dict_min_count`` times in the tag dictionary only takes tags it had there."""
        d = self.features.dictionary
        if d is None or self.dict_min_count <= 0:
            return np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64), 0
        to_id = np.array([self.tagset._index.get(t, -1) for t in d.pos_names] + [-1], np.int32)
        ids = to_id[d.pos_ids] if d.pos_ids.size else np.zeros(0, np.int32)
        keep = ids >= 0
        word_of = np.repeat(np.arange(len(d)), np.diff(d.pos_offsets))
        ptr = np.zeros(len(d) + 1, np.int64)
        np.cumsum(np.bincount(word_of[keep], minlength=len(d)), out=ptr[1:])
        return ptr, np.ascontiguousarray(ids[keep], np.int32), d.freq_, self.dict_min_count

    def with_user_dict(self, user_dict) -> "POSTagger":
        """A shallow copy that fixes the tags of ``user_dict``'s words that have a POS."""
        clone = copy.copy(self)
        clone.user_dict = user_dict
        return clone

    def _allowed(self, words: list[str]) -> np.ndarray:
        """bool (m, L) fixing the tag of user-dictionary words that have one, or (0, L)."""
        L = len(self.tagset)
        ud = self.user_dict
        if ud is None or not len(ud):
            return np.zeros((0, L), np.bool_)
        mask = None
        for i, w in enumerate(words):
            entry = ud.get(w)
            pos = entry[1] if entry is not None else None
            if pos and pos in self.tagset:
                if mask is None:
                    mask = np.ones((len(words), L), np.bool_)
                mask[i] = False
                mask[i, self.tagset.index(pos)] = True
        return np.zeros((0, L), np.bool_) if mask is None else mask

    def user_tags(self, words: list[str] | None) -> dict[int, str]:
        """``{word index: tag}`` for the user-dictionary words whose tag is not one of the model's
        (a label of the user's own, ``"动作"``). The model decodes such a word freely (its best PKU tag
        in context is the word's hidden tag, the context its neighbours see), and the user's label
        replaces that tag in the output."""
        ud = self.user_dict
        if words is None or ud is None or not len(ud):
            return {}
        out = {}
        for i, w in enumerate(words):
            entry = ud.get(w)
            if entry is not None and entry[1] and entry[1] not in self.tagset:
                out[i] = entry[1]
        return out

    def _names(self, ids: np.ndarray, words: list[str] | None) -> list[str]:
        tags = self.tagset.decode(ids)
        for i, t in self.user_tags(words).items():
            tags[i] = t
        return tags

    def predict_ids(self, codes: np.ndarray, bounds: np.ndarray, words: list[str] | None = None) -> np.ndarray:
        """int32 tag ids of the words between ``bounds`` of the code points ``codes``."""
        allowed = self._allowed(words) if words is not None and self.user_dict is not None \
            else np.zeros((0, len(self.tagset)), np.bool_)
        return self._tag(codes, bounds, allowed)

    def _tag(self, codes, bounds, allowed) -> np.ndarray:
        pred = self.first._tag(codes, bounds, allowed).astype(np.int64) if self.first is not None \
            else np.zeros(0, np.int64)
        return tag_words(codes, bounds, *self._args, self.model.decode_params(), allowed, pred)

    def predict(self, words) -> list[str]:
        """One tag per word; ``TypeError`` naming the position of a non-``str`` item."""
        words = check_words(words, "pos_tag")
        if not words:
            return []
        if any(not w for w in words):
            raise ValueError(f"pos_tag() got an empty word at position {[i for i, w in enumerate(words) if not w][0]}")
        ids = self.predict_ids(to_codes("".join(words)), _bounds(words), words)
        return self._names(ids, words)

    def predict_bounds(self, text: str, bounds: np.ndarray) -> list[str]:
        """One tag per token of ``text`` between the cut offsets ``bounds`` (a segmenter's)."""
        if len(bounds) < 2:
            return []
        codes = to_codes(text)
        words = None
        if self.user_dict is not None and len(self.user_dict):
            b = bounds.tolist()
            words = [text[i:j] for i, j in zip(b, b[1:])]
        return self._names(self.predict_ids(codes, np.ascontiguousarray(bounds, np.int32), words), words)

    def __call__(self, words) -> list[str]:
        return self.predict(words)

    def warmup(self) -> "POSTagger":
        self.predict(["中文", "词性", "标注"])
        return self

    # ------------------------------------------------------------------ persistence
    def _bundle_meta(self) -> dict:
        return {"tagset": self.tagset.to_json(), "features": self.features.get_params(),
                "dict_min_count": self.dict_min_count}

    def _save_parts(self, directory: Path, prune: float) -> None:
        """The first stage (if any) in ``directory/first``, the dictionary in ``directory/dict``."""
        if self.first is not None:
            self.first.save(directory / "first", meta={"stage": "first"}, prune=prune)
        if self.features.dictionary is not None:
            self.features.dictionary.save(directory / "dict")

    @classmethod
    @guard_load
    def load(cls, directory, *, user_dict=None) -> "POSTagger":
        meta = load_meta(directory, schema=POS_SCHEMA)
        path = Path(directory) / "meta.json"
        model_cls = cls.model_class(meta, directory, "pos", "a POS model")
        try:
            tagset = TagSet.from_json(meta.get("tagset"))
            fp = meta.get("features", {})
            dictionary = Dictionary.load(Path(directory) / "dict") if (Path(directory) / "dict").exists() else None
            feats = WordFeatures(bits=fp.get("bits", 22), dictionary=dictionary, templates=fp.get("templates"))
            dmc = meta.get("dict_min_count", 0)
            if not isinstance(dmc, int) or dmc < 0:
                raise ValueError(f"dict_min_count must be an int >= 0, got {dmc!r}")
            first = cls.load(Path(directory) / "first") if feats.stacked else None
            model = cls.load_model(model_cls, directory, len(tagset.names), feats.n_features)
            return cls(model, feats, tagset, user_dict=user_dict,
                       dict_min_count=dmc, first=first)
        except (ValueError, TypeError, AttributeError) as e:
            raise ModelFormatError(path, str(e)) from None


#: meta.json fields of a POS tagger bundle (besides the linear model's)
POS_SCHEMA = {"features": OBJ({"bits": INT(10, 30), "templates": LIST(STR(), lo=1)}),
              "tagset": OBJ({"tags": LIST(STR(lo=1, hi=64), lo=1, hi=4096)}), "task": STR(choices={"pos"})}
