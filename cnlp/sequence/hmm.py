"""HMMTagger: a tag-set agnostic first/second-order hidden Markov model trained by counting.

Observations and tags are int ids chosen by the caller (``0..n_obs-1`` and ``0..n_tags-1``);
any observation id outside the training range is *unknown* and uses a distribution estimated
from the observations seen exactly once (hapax legomena), the usual estimate of how a tag
emits rare items. Second order uses TnT-style deleted interpolation of unigram, bigram and
trigram tag probabilities. Decoding is a Numba Viterbi in log space (:mod:`._hmm_kernels`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import ModelFormatError, NotFittedError
from ..io import INT, LIST, NUM, OBJ, Arr, guard_load, load_bundle, save_bundle
from ._hmm_kernels import viterbi1, viterbi2

__all__ = ["HMMTagger"]

KIND = "hmm_tagger"


#: meta.json fields of an HMM bundle
HMM_SCHEMA = {"params": OBJ({"order": INT(1, 2)}), "n_obs": INT(0, 1 << 22), "n_tags": INT(1, 256),
              "lambdas": LIST(NUM(0, 1), lo=3, hi=3, required=False)}
#: arrays of an HMM bundle (log-probabilities may be -inf, never NaN)
HMM_ARRAYS = {"log_trans": Arr("f"), "log_emit": Arr("f", 2)}
HMM_OPTIONAL = {"bigram_counts": Arr("i", 2, lo=0)}


class HMMTagger:
    """Hidden Markov model tagger over integer observations.

    Parameters
    ----------
    order : {1, 2}
        1: bigram tag transitions; 2: trigram transitions with deleted interpolation
        (``lambdas_`` = λ1, λ2, λ3 for unigram, bigram, trigram estimates).
    transition_alpha : float
        Additive smoothing of first-order transitions (ignored by order 2, which is smoothed
        by interpolation).
    emission_alpha : float
        Additive smoothing of each tag's emission distribution (over ``n_obs + 1`` symbols).
    strict_transitions : bool
        If True, a tag bigram (including BOS→t and t→EOS) never seen in training gets
        probability 0 in both orders, so e.g. BMES structure (no ``B→S``) is enforced.

    Attributes
    ----------
    n_obs_, n_tags_ : int
    log_trans_ : float32 array, ``(T+1, T+1)`` (order 1) or ``(T+1, T+1, T+1)`` (order 2)
        Index ``T`` is the sentence boundary (BOS as history, EOS as target).
    log_emit_ : float32 array ``(T, n_obs + 1)``; the last column is the unknown observation.
    lambdas_ : float64[3] (order 2 only, else all zero)

    Examples
    --------
    >>> import numpy as np
    >>> seqs = [(np.array([0, 1, 2], np.int32), np.array([0, 1, 0], np.int32))] * 3
    >>> HMMTagger().fit(seqs).predict(np.array([0, 1], np.int32)).tolist()
    [0, 1]
    """

    def __init__(self, *, order: int = 1, transition_alpha: float = 0.1, emission_alpha: float = 0.01,
                 strict_transitions: bool = False):
        self.order = order
        self.transition_alpha = transition_alpha
        self.emission_alpha = emission_alpha
        self.strict_transitions = strict_transitions

    # ------------------------------------------------------------------ training
    def _check_params(self):
        if self.order not in (1, 2):
            raise ValueError(f"order must be 1 or 2, got {self.order!r}")
        if not (self.transition_alpha >= 0 and self.emission_alpha > 0):
            raise ValueError("transition_alpha must be >= 0 and emission_alpha > 0")

    def fit(self, sequences: Iterable[tuple[np.ndarray, np.ndarray]], *, n_obs: int | None = None,
            n_tags: int | None = None) -> "HMMTagger":
        """Count transitions and emissions over ``(obs_ids, tag_ids)`` pairs (equal lengths; empty ones skipped).

        ``n_obs`` / ``n_tags`` default to 1 + the largest id seen.
        """
        self._check_params()
        obs_parts, tag_parts = [], []
        for k, (o, t) in enumerate(sequences):
            o = np.asarray(o)
            t = np.asarray(t)
            if o.ndim != 1 or o.shape != t.shape:
                raise ValueError(f"sequence {k}: obs and tags must be 1-D of equal length, "
                                 f"got {o.shape} and {t.shape}")
            if o.size:
                obs_parts.append(o.astype(np.int64))
                tag_parts.append(t.astype(np.int64))
        if not obs_parts:
            raise ValueError("fit() needs at least one non-empty sequence")
        obs = np.concatenate(obs_parts)
        tags = np.concatenate(tag_parts)
        if obs.min() < 0 or tags.min() < 0:
            raise ValueError("observation and tag ids must be >= 0")
        V = int(n_obs if n_obs is not None else obs.max() + 1)
        T = int(n_tags if n_tags is not None else tags.max() + 1)
        if obs.max() >= V or tags.max() >= T:
            raise ValueError(f"ids exceed n_obs={V} / n_tags={T}")
        lengths = np.fromiter((p.size for p in obs_parts), np.int64, len(obs_parts))
        # tags with two boundary symbols between sequences: B B t.. B B u.. B B
        starts = np.concatenate([[0], np.cumsum(lengths + 2)[:-1]]) + 2
        ext = np.full(int(lengths.sum() + 2 * len(lengths) + 2), T, np.int64)
        ext[np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            + np.arange(tags.size)] = tags
        x, y, z = ext[:-2], ext[1:-1], ext[2:]
        keep = ~((y == T) & (z == T))
        tri = np.bincount((x[keep] * (T + 1) + y[keep]) * (T + 1) + z[keep],
                          minlength=(T + 1) ** 3).reshape(T + 1, T + 1, T + 1)
        bi = np.bincount(ext[:-1] * (T + 1) + ext[1:], minlength=(T + 1) ** 2).reshape(T + 1, T + 1)
        bi[T, T] = 0                             # boundary pairs between sequences are not counted
        return self.fit_counts(self._emission_counts(obs, tags, V, T), tri, bigrams=bi)

    def fit_counts(self, emit: np.ndarray, tri: np.ndarray, *, bigrams: np.ndarray | None = None) -> "HMMTagger":
        """Fit from counts (e.g. from :class:`cnlp.corpus.stats.CorpusStats`): ``emit`` (T, V + 1)
        tag x observation counts, the last column counting the tags of observations seen once;
        ``tri`` (T + 1,) * 3 tag trigrams, index T the sentence boundary, each sequence padded
        ``B B t1 .. tn B``; ``bigrams`` (T + 1, T + 1), by default the trigrams summed over
        their first tag."""
        self._check_params()
        T, V = emit.shape[0], emit.shape[1] - 1
        bi = tri.sum(axis=0) if bigrams is None else bigrams
        self.n_obs_, self.n_tags_ = V, T
        counts = emit.astype(np.float64) + self.emission_alpha
        self.log_emit_ = np.log(counts / counts.sum(axis=1, keepdims=True)).astype(np.float32)
        self.bigram_counts_ = bi.astype(np.int64)
        if self.order == 1:
            alpha = self.transition_alpha
            p = (bi + alpha) / np.maximum(bi.sum(axis=1, keepdims=True) + alpha * (T + 1), 1e-300)
            p[T, T] = 0.0
            self.lambdas_ = np.zeros(3)
        else:
            p = self._interpolate(tri, bi)
        with np.errstate(divide="ignore"):
            lp = np.log(p)
        if self.strict_transitions:
            mask = bi == 0
            if self.order == 1:
                lp[mask] = -np.inf
            else:
                lp[:, mask] = -np.inf
        self.log_trans_ = lp.astype(np.float32)
        return self

    @staticmethod
    def _emission_counts(obs, tags, V, T):
        counts = np.bincount(tags * (V + 1) + obs, minlength=T * (V + 1)).reshape(T, V + 1)
        freq = np.bincount(obs, minlength=V)
        hapax = freq[obs] == 1
        counts[:, V] = np.bincount(tags[hapax], minlength=T)
        return counts

    def _interpolate(self, tri, bi):
        """TnT deleted interpolation: returns P(c | a, b) of shape (T+1, T+1, T+1)."""
        uni = bi.sum(axis=0).astype(np.float64)           # count of each tag as a bigram target (incl. EOS)
        N = uni.sum()
        hist2 = tri.sum(axis=2)                            # count of (a, b) as a trigram history
        hist1 = bi.sum(axis=1)                             # count of b as a bigram history
        lam = np.zeros(3)
        a_, b_, c_ = np.nonzero(tri)
        f = tri[a_, b_, c_].astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            c3 = np.where(hist2[a_, b_] > 1, (f - 1) / (hist2[a_, b_] - 1), 0.0)
            c2 = np.where(hist1[b_] > 1, (bi[b_, c_] - 1) / (hist1[b_] - 1.0), 0.0)
            c1 = (uni[c_] - 1) / max(N - 1, 1)
        best = np.argmax(np.stack([c1, c2, c3]), axis=0)
        np.add.at(lam, best, f)
        lam = lam / lam.sum() if lam.sum() > 0 else np.array([1 / 3, 1 / 3, 1 / 3])
        self.lambdas_ = lam
        p1 = uni / max(N, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            # unseen histories back off to the lower order, so every row sums to 1
            p2 = np.where(hist1[:, None] > 0, bi / np.maximum(hist1[:, None], 1), p1[None, :])
            p3 = np.where(hist2[:, :, None] > 0, tri / np.maximum(hist2[:, :, None], 1), p2[None, :, :])
        p = lam[0] * p1[None, None, :] + lam[1] * p2[None, :, :] + lam[2] * p3
        return p

    # ------------------------------------------------------------------ decoding
    def _check_fitted(self):
        if not hasattr(self, "log_emit_"):
            raise NotFittedError("call fit() or load() first")

    def predict(self, obs, *, allowed=None, bonus=None) -> np.ndarray:
        """Most likely tag ids for one observation sequence.

        Parameters
        ----------
        obs : int array (n,)
            Observation ids; ids outside ``0..n_obs_-1`` (e.g. -1) are unknown.
        allowed : bool array (n, n_tags), optional
            False forbids a tag at a position (hard constraint).
        bonus : float array (n, n_tags), optional
            Added to the log score of a tag at a position (soft preference).

        Returns
        -------
        int32 array (n,)
        """
        self._check_fitted()
        obs = np.ascontiguousarray(obs, dtype=np.int32)
        if obs.ndim != 1:
            raise ValueError(f"obs must be 1-D, got shape {obs.shape}")
        n, T = obs.shape[0], self.n_tags_
        extra = self._extra(n, T, allowed, bonus)
        out = np.empty(n, np.int32)
        kernel = viterbi1 if self.log_trans_.ndim == 2 else viterbi2
        return kernel(obs, self.log_trans_, self.log_emit_, extra, out)

    @staticmethod
    def _extra(n, T, allowed, bonus):
        if allowed is None and bonus is None:
            return np.zeros((0, T), np.float32)
        extra = np.zeros((n, T), np.float32)
        if bonus is not None:
            bonus = np.asarray(bonus, dtype=np.float32)
            if bonus.shape != (n, T):
                raise ValueError(f"bonus must have shape {(n, T)}, got {bonus.shape}")
            extra += bonus
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=bool)
            if allowed.shape != (n, T):
                raise ValueError(f"allowed must have shape {(n, T)}, got {allowed.shape}")
            extra[~allowed] = -np.inf
        return extra

    def predict_many(self, sequences: Iterable) -> list[np.ndarray]:
        return [self.predict(o) for o in sequences]

    def score(self, sequences: Iterable[tuple[np.ndarray, np.ndarray]]) -> float:
        """Token accuracy over ``(obs_ids, tag_ids)`` pairs."""
        right = total = 0
        for o, t in sequences:
            p = self.predict(o)
            right += int(np.sum(p == np.asarray(t)))
            total += p.shape[0]
        return right / total if total else 0.0

    # ------------------------------------------------------------------ persistence
    def get_params(self) -> dict:
        return {"order": self.order, "transition_alpha": self.transition_alpha,
                "emission_alpha": self.emission_alpha, "strict_transitions": self.strict_transitions}

    def to_bundle(self) -> tuple[dict, dict]:
        """``(meta, arrays)`` describing the fitted model (used by :meth:`save` and wrappers)."""
        self._check_fitted()
        meta = {"class": "HMMTagger", "params": self.get_params(), "n_obs": self.n_obs_,
                "n_tags": self.n_tags_, "lambdas": [float(x) for x in self.lambdas_]}
        return meta, {"log_trans": self.log_trans_, "log_emit": self.log_emit_,
                      "bigram_counts": self.bigram_counts_}

    @classmethod
    def from_bundle(cls, meta: dict, arrays: dict, path) -> "HMMTagger":
        """Rebuild from :meth:`to_bundle` output; ``path`` names the file in errors."""
        try:
            self = cls(**meta["params"])
            V, T = int(meta["n_obs"]), int(meta["n_tags"])
            lt, le = arrays["log_trans"], arrays["log_emit"]
            self._check_params()
        except (KeyError, TypeError, ValueError) as e:
            raise ModelFormatError(path, f"bad HMM parameters ({type(e).__name__}: {e})") from None
        want = (T + 1,) * (1 + self.order)
        if lt.shape != want or le.shape != (T, V + 1):
            raise ModelFormatError(path, f"log_trans {lt.shape} / log_emit {le.shape} do not match "
                                         f"order={self.order}, n_tags={T}, n_obs={V}")
        self.n_obs_, self.n_tags_ = V, T
        self.log_trans_ = np.ascontiguousarray(lt, dtype=np.float32)
        self.log_emit_ = np.ascontiguousarray(le, dtype=np.float32)
        self.bigram_counts_ = arrays.get("bigram_counts", np.zeros((T + 1, T + 1), np.int64))
        self.lambdas_ = np.asarray(meta.get("lambdas", [0, 0, 0]), dtype=np.float64)
        return self

    def save(self, directory) -> Path:
        meta, arrays = self.to_bundle()
        return save_bundle(directory, KIND, meta, arrays)

    @classmethod
    @guard_load
    def load(cls, directory) -> "HMMTagger":
        meta, arrays, _ = load_bundle(directory, KIND, HMM_ARRAYS, optional=HMM_OPTIONAL,
                                       schema=HMM_SCHEMA)
        return cls.from_bundle(meta, arrays, Path(directory) / "arrays.npz")

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"HMMTagger({p})"
