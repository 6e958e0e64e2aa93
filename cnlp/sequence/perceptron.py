"""Averaged structured perceptron (Collins 2002) over hashed feature ids, any label set.

The epoch loop is Python (shuffling, progress, dev scoring, early stopping); each epoch body is
one Numba call (:func:`cnlp.sequence._kernels.perceptron_epoch`). Weights are averaged with the
lazy timestamp trick, so averaging costs nothing per update.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from tqdm import trange

from ..errors import ModelFormatError, NotFittedError
from ..io import load_bundle, save_bundle
from ._kernels import perceptron_epoch, viterbi

KIND = "perceptron"
_NO_FROZEN = np.zeros(0, np.bool_)


def concat(X_list: Sequence[np.ndarray], y_list: Sequence[np.ndarray] | None = None):
    """Concatenate per-sentence arrays into one (X, y, offsets) triple for the kernels."""
    lengths = np.fromiter((x.shape[0] for x in X_list), np.int64, len(X_list))
    offsets = np.zeros(len(X_list) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    X = np.ascontiguousarray(np.concatenate(X_list) if len(X_list) else np.zeros((0, 1), np.int32), np.int32)
    y = None if y_list is None else np.ascontiguousarray(np.concatenate(y_list), np.int32)
    return X, y, offsets


def weight_arrays(W, trans, start, prune: float) -> dict:
    """The bundle arrays of a linear tagger: rows of ``W`` with ``|w| > prune`` somewhere, as float16."""
    keep = np.flatnonzero(np.abs(W).max(axis=1) > prune).astype(np.int32)
    return {"rows": keep, "weights": W[keep].astype(np.float16), "trans": trans, "start": start}


#: array kinds :func:`cnlp.io.load_bundle` checks for :func:`weight_arrays`
WEIGHT_ARRAYS = {"rows": "i", "weights": "f", "trans": "f", "start": "f"}


def dense_weights(directory, a: dict, n_labels: int, n_features: int):
    """(W float32 (F, L), trans, start) from :func:`weight_arrays` loaded from ``directory``;
    ``ModelFormatError`` naming ``arrays.npz`` when the shapes do not match the parameters."""
    L, F = n_labels, n_features
    rows, w = a["rows"], a["weights"]
    bad = (w.shape != (rows.shape[0], L) or a["trans"].shape != (L, L) or a["start"].shape != (L,)
           or (rows.size and (rows.min() < 0 or rows.max() >= F)))
    if bad:
        raise ModelFormatError(Path(directory) / "arrays.npz", "array shapes do not match the parameters")
    W = np.zeros((F, L), np.float32)
    W[rows] = w
    return W, np.ascontiguousarray(a["trans"], np.float32), np.ascontiguousarray(a["start"], np.float32)


class PerceptronTagger:
    """Averaged structured perceptron.

    Parameters
    ----------
    n_labels : int
    n_features : int
        Size of the feature-id space (e.g. ``CharFeatures.n_features``).
    n_iter : int
        Maximum epochs.
    patience : int
        Stop after this many epochs without a better dev score (needs ``dev_score``).
    random_state : int
    verbose : bool
        Progress bar and per-epoch line.
    """

    def __init__(self, *, n_labels: int, n_features: int, n_iter: int = 10, patience: int = 2,
                 random_state: int = 0, verbose: bool = False):
        self.n_labels = n_labels
        self.n_features = n_features
        self.n_iter = n_iter
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ training
    def _init(self):
        L, F = self.n_labels, self.n_features
        self._W = np.zeros((F, L), np.float64)
        self._U = np.zeros((F, L), np.float64)
        self._T = np.zeros((L, L), np.float64)
        self._TU = np.zeros((L, L), np.float64)
        self._S = np.zeros(L, np.float64)
        self._SU = np.zeros(L, np.float64)
        self._step = 0

    def _average(self):
        c = max(self._step, 1)
        self.W_ = (self._W - self._U / c).astype(np.float32)
        self.trans_ = (self._T - self._TU / c).astype(np.float32)
        self.start_ = (self._S - self._SU / c).astype(np.float32)

    def fit(self, X_list, y_list, *, dev_score: Callable[["PerceptronTagger"], float] | None = None):
        """Train on per-sentence ``X`` (int32 (n, T)) and ``y`` (int (n,)) arrays.

        ``dev_score(self)`` is called after each epoch with averaged weights in place; the best
        epoch's weights are kept and training stops after ``patience`` epochs without improvement.
        """
        X, y, offsets = concat(X_list, y_list)
        if y.size and (y.min() < 0 or y.max() >= self.n_labels):
            raise ValueError(f"labels must be in [0, {self.n_labels})")
        if X.size and (X.max() >= self.n_features):
            raise ValueError(f"feature ids must be < n_features={self.n_features}")
        self._init()
        rng = np.random.default_rng(self.random_state)
        order = np.arange(len(X_list), dtype=np.int64)
        self.training_log_ = []
        best, best_state, bad = -np.inf, None, 0
        for epoch in trange(self.n_iter, disable=not self.verbose, desc="perceptron"):
            rng.shuffle(order)
            self._step, mistakes = perceptron_epoch(X, y, offsets, order, self._W, self._U, self._T,
                                                    self._TU, self._S, self._SU, self._step, _NO_FROZEN)
            self._average()
            entry = {"epoch": epoch + 1, "sentence_errors": int(mistakes)}
            if dev_score is not None:
                score = float(dev_score(self))
                entry["dev"] = score
                if score > best:
                    best, bad = score, 0
                    best_state = (self.W_, self.trans_, self.start_)
                else:
                    bad += 1
            self.training_log_.append(entry)
            if self.verbose:
                print(entry, flush=True)
            if dev_score is not None and bad >= self.patience:
                break
        if best_state is not None:
            self.W_, self.trans_, self.start_ = best_state
        return self

    def partial_fit(self, X_list, y_list, *, n_iter: int = 1, step: float = 1.0, frozen=()):
        """Online correction from a few annotated sentences (HanLP's ``learn``).

        Perceptron updates are applied directly to the current (averaged) weights, up to
        ``n_iter`` passes or until the sentences are tagged correctly. They are not averaged: with
        lazy averaging an update in the last step would contribute nothing. ``step`` scales each
        update (the weights are divided by it, updated by ±1 and multiplied back), so small steps
        change the model only as much as the corrected sentences need. Transition and start
        scores are not updated (they are shared by every sentence; updating them cost 0.01 PKU F1),
        nor are the feature columns listed in ``frozen`` (they still take part in decoding).
        """
        self._check()
        if step <= 0:
            raise ValueError(f"step must be > 0, got {step}")
        L = self.n_labels
        W = self.W_.astype(np.float64) / step
        T = self.trans_.astype(np.float64) / step
        S = self.start_.astype(np.float64) / step
        U, TU, SU = np.zeros_like(W), np.zeros((L, L)), np.zeros(L)
        X, y, offsets = concat(X_list, y_list)
        order = np.arange(len(X_list), dtype=np.int64)
        fz = np.zeros(X.shape[1], np.bool_)
        fz[list(frozen)] = True
        for _ in range(n_iter):     # transitions stay frozen: they are shared by every sentence
            _, mistakes = perceptron_epoch(X, y, offsets, order, W, U, T.copy(), TU, S.copy(), SU, 0, fz)
            if mistakes == 0:
                break
        self.W_ = (W * step).astype(np.float32)
        self.trans_ = (T * step).astype(np.float32)
        self.start_ = (S * step).astype(np.float32)
        return self

    # ------------------------------------------------------------------ prediction
    def _check(self):
        if not hasattr(self, "W_"):
            raise NotFittedError(f"{type(self).__name__}: call fit() or load() first")

    def predict_single(self, X: np.ndarray, allowed: np.ndarray | None = None,
                       bias: np.ndarray | None = None) -> np.ndarray:
        """int32 labels for one sentence; ``allowed`` bool (n, L) forbids labels where False;
        ``bias`` float (n, L) is added to the label scores (e.g. suggested user words)."""
        self._check()
        X = np.ascontiguousarray(X, np.int32)
        if allowed is None:
            allowed = np.zeros((0, self.n_labels), np.bool_)
        if bias is None:
            bias = np.zeros((0, self.n_labels), np.float64)
        return viterbi(X, self.W_, self.trans_, self.start_, allowed, np.ascontiguousarray(bias, np.float64))

    # ------------------------------------------------------------------ persistence
    def save(self, directory, *, meta: dict | None = None, prune: float = 1e-3) -> Path:
        """Save non-negligible feature rows only (``|w| > prune`` somewhere in the row), float16."""
        self._check()
        params = {"n_labels": self.n_labels, "n_features": self.n_features, "n_iter": self.n_iter,
                  "patience": self.patience, "random_state": self.random_state}
        return save_bundle(directory, KIND, {"params": params, "training_log": getattr(self, "training_log_", []),
                                             **(meta or {})},
                           weight_arrays(self.W_, self.trans_, self.start_, prune))

    @classmethod
    def load(cls, directory) -> "PerceptronTagger":
        meta, a, _ = load_bundle(directory, KIND, WEIGHT_ARRAYS)
        p = meta["params"]
        self = cls(**{k: p[k] for k in ("n_labels", "n_features", "n_iter", "patience", "random_state")})
        self.W_, self.trans_, self.start_ = dense_weights(directory, a, self.n_labels, self.n_features)
        self.training_log_ = meta.get("training_log", [])
        self.meta_ = meta
        return self
