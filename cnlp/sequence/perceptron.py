"""Averaged structured perceptron (Collins 2002) over hashed feature ids, any label set.

The epoch loop is Python (shuffling, progress, dev scoring, early stopping); each epoch body is
one Numba call (:func:`cnlp.sequence._kernels.perceptron_epoch`). Weights are averaged with the
lazy timestamp trick, so averaging costs nothing per update. Training works on the feature ids
seen in the training data only (:func:`cnlp.sequence.linear.compact`), so its memory is sized by
the data, not by the hash space.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import trange

from ..io import guard_load, save_bundle
from ._kernels import perceptron_epoch
from .linear import LinearChainModel, compact, concat

__all__ = ["PerceptronTagger", "KIND"]

KIND = "perceptron"
_NO_FROZEN = np.zeros(0, np.bool_)
_PARAMS = ("n_labels", "n_features", "n_iter", "patience", "random_state", "min_count")


def _averaged(W, U, c, chunk: int = 1 << 16) -> np.ndarray:
    """float32 ``W - U / c`` computed in row blocks (no full-size float64 temporaries)."""
    out = np.empty(W.shape, np.float32)
    for i in range(0, W.shape[0], chunk):
        out[i:i + chunk] = W[i:i + chunk] - U[i:i + chunk] / c
    return out


class PerceptronTagger(LinearChainModel):
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
    min_count : int
        Features seen fewer times in training get no weights.
    verbose : bool
        tqdm progress bar (stderr) showing the latest epoch's log entry.
    """

    def __init__(self, *, n_labels: int, n_features: int, n_iter: int = 10, patience: int = 2,
                 random_state: int = 0, min_count: int = 1, verbose: bool = False):
        self.n_labels = n_labels
        self.n_features = n_features
        self.n_iter = n_iter
        self.patience = patience
        self.random_state = random_state
        self.min_count = min_count
        self.verbose = verbose

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in _PARAMS + ("verbose",)}

    def fit(self, X_list, y_list, *, dev_score: Callable[["PerceptronTagger"], float] | None = None):
        """Train on per-sentence ``X`` (int32 (n, T)) and ``y`` (int (n,)) arrays.

        ``dev_score(self)`` is called after each epoch with averaged weights in place; the best
        epoch's weights are kept and training stops after ``patience`` epochs without improvement.
        """
        X, y, offsets = concat(X_list, y_list)
        L = self.n_labels
        if y.size and (y.min() < 0 or y.max() >= L):
            raise ValueError(f"labels must be in [0, {L})")
        if X.size and (X.max() >= self.n_features):
            raise ValueError(f"feature ids must be < n_features={self.n_features}")
        Xc, used = compact(X, self.n_features, self.min_count, by_frequency=False)   # rows in id order
        del X
        R = used.size
        W, U = np.zeros((R, L)), np.zeros((R, L))
        T, TU, S, SU = np.zeros((L, L)), np.zeros((L, L)), np.zeros(L), np.zeros(L)
        pen = tuple(np.asarray(p, np.float64) for p in self._penalties())
        self.set_rows(used, np.zeros((R, L), np.float32), T, S)
        step = 0
        rng = np.random.default_rng(self.random_state)
        order = np.arange(len(X_list), dtype=np.int64)
        self.training_log_ = []
        best, best_state, bad = -np.inf, None, 0
        bar = trange(self.n_iter, disable=not self.verbose, desc="perceptron", leave=False)
        for epoch in bar:
            rng.shuffle(order)
            step, mistakes = perceptron_epoch(Xc, y, offsets, order, W, U, T, TU, S, SU, pen, step, _NO_FROZEN)
            self.set_rows(used, _averaged(W, U, max(step, 1)), T - TU / max(step, 1), S - SU / max(step, 1))
            entry = {"epoch": epoch + 1, "sentence_errors": int(mistakes)}
            if dev_score is not None:
                score = float(dev_score(self))
                entry["dev"] = score
                if score > best:
                    best, bad = score, 0
                    best_state = (self.weights_, self.trans_, self.start_)
                else:
                    bad += 1
            self.training_log_.append(entry)
            if self.verbose:                  # the latest entry on the bar; the log is kept in training_log_
                bar.set_postfix(entry, refresh=False)
            if dev_score is not None and bad >= self.patience:
                break
        if best_state is not None:
            self.weights_, self.trans_, self.start_ = best_state
        return self

    # ------------------------------------------------------------------ persistence
    def save(self, directory, *, meta: dict | None = None, prune: float = 1e-3) -> Path:
        """Save non-negligible feature rows only (``|w| > prune`` somewhere in the row), float16."""
        self._check()
        params = {k: getattr(self, k) for k in _PARAMS}
        return save_bundle(directory, KIND, {"params": params, "training_log": getattr(self, "training_log_", []),
                                             **(meta or {})}, self.weight_arrays(prune))

    @classmethod
    @guard_load
    def load(cls, directory, *, float32: bool = False, n_labels: int | None = None,
             n_features: int | None = None) -> "PerceptronTagger":
        """Load a saved model; ``float32`` keeps its weights as float32 in memory (else float16);
        ``n_labels`` / ``n_features``: what the caller's tag set and features need (checked)."""
        return cls._from_bundle(directory, KIND, _PARAMS, float32, n_labels, n_features)[0]
