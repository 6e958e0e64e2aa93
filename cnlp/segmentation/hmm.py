"""HMMSegmenter: word segmentation as BMES character tagging with :class:`cnlp.sequence.hmm.HMMTagger`.

Observations are width-folded code points (:func:`cnlp.text.fold_width`, so ``1998年`` and
``１９９８年`` look alike), except that every Latin letter and every whitespace character is mapped
to one class symbol each. Digits keep their own symbols: merging them into one class symbol
costs 0.04 OOV recall on the PKU test, as the HMM then loses where a digit tends to sit in a
date or number word. Whitespace is always a single-character word. A user dictionary constrains decoding: forced words become
a BMES mask (``B M* E`` / ``S`` over their span), suggested words add a log-score bonus.

Training counts come from :class:`cnlp.corpus.stats.CorpusStats` (:meth:`HMMSegmenter.fit_stats`):
its per-character BMES label counts (``char_bmes``, exact code points, summed here over each
observation symbol) and its BMES label trigrams (``bmes_trigrams``, from which the bigrams follow).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np

from .._tagset_kernels import BMES_LABELS, bmes_bounds
from ..dictionary.user import (FORCE, PREFER, SUGGEST, bmes_bias, bmes_mask, edge_bias, merge_preferred,
                               suggest_strength)
from ..errors import ModelFormatError
from ..io import Arr, guard_load, load_bundle, save_bundle
from ..sequence.hmm import HMM_ARRAYS, HMM_OPTIONAL, HMM_SCHEMA, HMMTagger
from ..text import _BMP_TABLE, LATIN, SPACE, char_classes, fold_width
from ._hmm_kernels import SYM_LATIN, SYM_SPACE, _observe, hmm_many  # noqa: F401
from .base import Segmenter

__all__ = ["HMMSegmenter"]

KIND = "hmm_segmenter"
LABELS = BMES_LABELS
#: log-score bonus of a word boundary at each edge of a preferred user word (chosen on a dev split of
#: 199801.txt: benchmarks/user_dict_check.py --dev --algorithm hmm)
PREFER_MARGIN = 8.0


def symbols(codes: np.ndarray) -> np.ndarray:
    """int32 observation symbols of code points: folded code point, or a class symbol for Latin/space."""
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    cls = char_classes(codes)
    sym = fold_width(codes)
    sym[cls == LATIN] = SYM_LATIN
    sym[cls == SPACE] = SYM_SPACE
    return sym


def _words_only(sentences):
    """The words of sentences of words or ``(word, tag)`` pairs (tags are not counted), checked."""
    for k, sent in enumerate(sentences, 1):
        words = [item if isinstance(item, str) else item[0] for item in sent]
        for w in words:
            if not isinstance(w, str) or not w:
                raise ValueError(f"sentence {k}: words must be non-empty str, got {w!r}")
        yield words


def _merge_boundary(counts: np.ndarray, bos: int, eos: int) -> np.ndarray:
    """Counts over labels + BOS + EOS (every axis of size ``eos + 1``) with BOS and EOS merged into
    one boundary index ``bos`` (the layout of :class:`HMMTagger`)."""
    out = counts
    for axis in range(counts.ndim):
        out = np.moveaxis(out, axis, 0)
        merged = out[:eos].copy()
        merged[bos] += out[eos]
        out = np.moveaxis(merged, 0, axis)
    return np.ascontiguousarray(out, dtype=np.int64)


class HMMSegmenter(Segmenter):
    """Character BMES HMM segmenter (first or second order).

    Parameters
    ----------
    order : {1, 2}
        Passed to :class:`HMMTagger`.
    emission_alpha : float
        Emission smoothing of the tagger.
    suggest_bonus : float
        Log-score bonus per character for labels that agree with a suggested user word (times
        :func:`cnlp.dictionary.suggest_strength` of its frequency).
    prefer_margin : float
        Log-score bonus for a word boundary at each edge of a preferred user word (merged when both
        edges are cut).
    user_dict : UserDictionary, optional

    Examples
    --------
    >>> seg = HMMSegmenter().fit([["商品", "和", "服务"], ["研究", "生命"]] * 5)
    >>> seg.segment("商品和服务")
    ['商品', '和', '服务']
    """

    def __init__(self, *, order: int = 1, emission_alpha: float = 0.01, suggest_bonus: float = 3.0,
                 prefer_margin: float = PREFER_MARGIN, user_dict=None):
        self.order = order
        self.emission_alpha = emission_alpha
        self.suggest_bonus = suggest_bonus
        self.prefer_margin = prefer_margin
        self.user_dict = user_dict

    # ------------------------------------------------------------------ training
    def fit(self, sentences: Iterable[Iterable]) -> "HMMSegmenter":
        """Train on segmented sentences: lists of words or of ``(word, tag)`` pairs (tags ignored).

        The sentences are counted once by :meth:`CorpusStats.build <cnlp.corpus.stats.CorpusStats.build>`
        and the model is fitted from those counts (:meth:`fit_stats`).
        """
        from ..corpus.stats import CorpusStats
        return self.fit_stats(CorpusStats.build(_words_only(sentences)))

    def fit_stats(self, stats) -> "HMMSegmenter":
        """Fit from a :class:`~cnlp.corpus.stats.CorpusStats` (e.g. ``CorpusStats.load(dir)``).

        Reads ``char_codes`` / ``char_bmes`` (emissions: each character's BMES counts, summed over
        the characters that share an observation symbol) and ``bmes_trigrams`` (transitions). The
        model is exactly what :class:`~cnlp.sequence.hmm.HMMTagger` ``.fit`` gives on the BMES
        sequences of the sentences (a test checks it). Statistics saved before cnlp counted BMES
        labels raise ModelFormatError naming their ``arrays.npz``.
        """
        from ..corpus.stats import BMES_BOS, BMES_EOS, CorpusStats
        if not isinstance(stats, CorpusStats):
            raise TypeError(f"fit_stats() expects a CorpusStats, got {type(stats).__name__}")
        stats.require_bmes()
        if int(stats.char_counts.sum()) == 0:
            from ..errors import EmptyCorpusError
            raise EmptyCorpusError("fit() needs at least one non-empty sentence: the corpus is empty")
        # emissions per observation symbol: characters with one symbol (folded forms, Latin, space) pooled
        vocab, inv = np.unique(symbols(stats.char_codes), return_inverse=True)
        V, T = vocab.shape[0], 4
        per_sym = np.zeros((V, T), np.int64)
        np.add.at(per_sym, inv.ravel(), stats.char_bmes)
        emit = np.zeros((T, V + 1), np.float64)
        emit[:, :V] = per_sym.T
        emit[:, V] = per_sym[per_sym.sum(axis=1) == 1].sum(axis=0)      # symbols seen once: the unknown column
        # transitions: CorpusStats index 4 = BOS, 5 = EOS -> HMMTagger index 4 = boundary
        tri = _merge_boundary(stats.bmes_trigrams, BMES_BOS, BMES_EOS)
        self.obs_codes_ = vocab.astype(np.int32)
        self.tagger_ = HMMTagger(order=self.order, emission_alpha=self.emission_alpha,
                                 strict_transitions=True).fit_counts(emit, tri)
        return self

    # ------------------------------------------------------------------ decoding
    def _obs_ids(self, sym: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(self.obs_codes_, sym)
        idx = np.minimum(idx, self.obs_codes_.shape[0] - 1)
        return np.where(self.obs_codes_[idx] == sym, idx, -1).astype(np.int32)

    def _user_constraints(self, n: int, folded: np.ndarray):
        """(allowed bool (n,4) or None, bonus float32 (n,4) or None, preferred (starts, ends) or None)
        from the user dictionary."""
        ud = self.user_dict
        if ud is None:
            return None, None, None
        starts, ends, mode, freq = ud.spans(folded)
        if starts.shape[0] == 0:
            return None, None, None
        force = mode == FORCE
        allowed = bmes_mask(n, starts, ends, force) if force.any() else None
        bonus = prefer = None
        sg = mode == SUGGEST
        if sg.any() and self.suggest_bonus:
            bonus = bmes_bias(n, starts[sg], ends[sg], self.suggest_bonus * suggest_strength(freq[sg]))
        pf = mode == PREFER
        if pf.any():
            prefer = (starts[pf], ends[pf])
            if self.prefer_margin:
                bonus = np.zeros((n, 4), np.float64) if bonus is None else bonus
                edge_bias(n, starts[pf], ends[pf], float(self.prefer_margin), bonus)
        return allowed, None if bonus is None else bonus.astype(np.float32), prefer

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        if not hasattr(self, "tagger_"):
            from ..errors import NotFittedError
            raise NotFittedError("call fit() or load() first")
        n = codes.shape[0]
        obs, has_space = _observe(codes, _BMP_TABLE, self.obs_codes_)
        ud = self.user_dict
        if ud is None or not len(ud):                 # the common case: skip folding
            allowed = bonus = prefer = None
        else:
            allowed, bonus, prefer = self._user_constraints(n, fold_width(codes))
        if has_space:
            space = symbols(codes) == SYM_SPACE
            if allowed is None:
                allowed = np.ones((n, 4), bool)
            allowed[space] = (False, False, False, True)
        labels = self.tagger_.predict(obs, allowed=allowed, bonus=bonus)
        out = bmes_bounds(labels)
        if prefer is not None:
            out = merge_preferred(out, n, *prefer)
        return out

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray):
        if not hasattr(self, "tagger_"):
            return super()._bounds_many(codes, offsets)        # raises NotFittedError
        t = self.tagger_
        return hmm_many(codes, offsets, _BMP_TABLE, self.obs_codes_, t.log_trans_, t.log_emit_)

    # ------------------------------------------------------------------ persistence
    def save(self, directory) -> Path:
        meta, arrays = self.tagger_.to_bundle()
        meta.update(labels=LABELS, segmenter={"suggest_bonus": self.suggest_bonus},
                    symbols={"latin": SYM_LATIN, "space": SYM_SPACE})
        meta.update(getattr(self, "train_info_", {}))
        arrays["obs_codes"] = self.obs_codes_
        return save_bundle(directory, KIND, meta, arrays)

    @classmethod
    @guard_load
    def load(cls, directory, *, user_dict=None) -> "HMMSegmenter":
        meta, arrays, _ = load_bundle(directory, KIND, {**HMM_ARRAYS, "obs_codes": Arr("i", 1)},
                                       optional=HMM_OPTIONAL, schema=HMM_SCHEMA)
        npz = Path(directory) / "arrays.npz"
        tagger = HMMTagger.from_bundle(meta, arrays, npz)
        codes = arrays["obs_codes"]
        if tagger.n_tags_ != 4 or codes.shape != (tagger.n_obs_,) or np.any(np.diff(codes) <= 0):
            raise ModelFormatError(npz, "obs_codes / tag count inconsistent with a BMES model")
        self = cls(order=tagger.order, emission_alpha=tagger.emission_alpha,
                   suggest_bonus=float(meta.get("segmenter", {}).get("suggest_bonus", 3.0)), user_dict=user_dict)
        self.tagger_ = tagger
        self.obs_codes_ = np.ascontiguousarray(codes, dtype=np.int32)
        return self

    def __repr__(self) -> str:
        return f"HMMSegmenter(order={self.order})"
