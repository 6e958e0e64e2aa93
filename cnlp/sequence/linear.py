"""The linear-chain model every tagger shares: compact weights, constrained Viterbi, save/load.

Label ``y`` at position ``t`` scores ``sum_k weights_[row(X[t, k]), y]`` (feature ids without a
row score nothing) plus ``trans_[y_prev, y]``, ``start_[y]`` at the first position, and the tag
set's transition penalties (forbidden transitions are never chosen). Only the features seen in
training get a row, and rows whose weights are all negligible are pruned when saving, so a model
is sized by the features it uses, not by the hash space. A feature id's row is found with a rank
dictionary (``index_``: one bit per hashed id and the count of set bits before each 64 of them;
rows are in id order), 1 MB for 2**22 ids instead of a 16 MB id -> row table. Weights are saved
as float16; loaded, they stay float16 (the kernels read them through a 65,536-entry value table:
half the memory) or, with ``load(..., float32=True)`` as the shipped segmenters and POS tagger do,
become float32 while the file is read (faster emissions). The perceptron (:mod:`.perceptron`) and
the CRF (:mod:`.crf`) differ only in ``fit``.

Bundle arrays (``arrays.npz``): ``rows`` int32 (R,) the hashed ids that have a row (unique, in
``[0, n_features)``), ``weights`` float16 (R, L), ``trans`` (L, L), ``start`` (L,).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelFormatError, NotFittedError
from ._kernels import perceptron_epoch, viterbi

from ..io import Arr, INT, OBJ, load_bundle, read_npz_member

#: the arrays of a linear model's bundle as :func:`cnlp.io.load_bundle` checks them
WEIGHT_ARRAYS = {"rows": Arr("i", 1, lo=0, hi=(1 << 30) - 1), "weights": Arr("f", 2, finite=True),
                 "trans": Arr("f", 2, finite=True), "start": Arr("f", 1, finite=True)}
#: the meta.json fields every linear model's bundle has (the tasks add theirs)
LINEAR_SCHEMA = {"params": OBJ({"n_labels": INT(1, 4096), "n_features": INT(1, 1 << 30)})}
#: value of every float16 bit pattern, for kernels reading float16 weights as uint16
F16_VALUES = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)
_NO_TABLE = np.zeros(0, np.float32)


def weight_tuple(W: np.ndarray) -> tuple:
    """``weights`` as :func:`cnlp.sequence._kernels.emissions` takes them: float16 rows are read
    through :data:`F16_VALUES` (half the memory), float32/64 rows directly (faster: a POS row of
    44 labels is three cache lines read in sequence, where a table lookup per label waits)."""
    if W.dtype == np.float16:
        return W.view(np.uint16), F16_VALUES
    return W, _NO_TABLE


def rank_index(ids: np.ndarray, n_features: int) -> np.ndarray:
    """uint64 (ceil(F/64), 2): the rank dictionary of the distinct ``ids`` (per 64 ids: presence
    bits, and the number of ids before them), as :func:`cnlp.sequence._kernels.row_of` reads it."""
    flags = np.zeros(((n_features + 63) // 64) * 64, np.uint8)
    flags[ids] = 1
    out = np.zeros((flags.shape[0] // 64, 2), np.uint64)
    out[:, 0] = np.packbits(flags, bitorder="little").view(np.uint64)
    counts = flags.reshape(-1, 64).sum(axis=1, dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:, 1])
    return out


def concat(X_list: Sequence[np.ndarray], y_list: Sequence[np.ndarray] | None = None):
    """Concatenate per-sentence arrays into one (X, y, offsets) triple for the kernels."""
    lengths = np.fromiter((x.shape[0] for x in X_list), np.int64, len(X_list))
    offsets = np.zeros(len(X_list) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    X = np.ascontiguousarray(np.concatenate(X_list) if len(X_list) else np.zeros((0, 1), np.int32), np.int32)
    y = None if y_list is None else np.ascontiguousarray(np.concatenate(y_list), np.int32)
    return X, y, offsets


def compact(X: np.ndarray, n_features: int, min_count: int = 1, *, by_frequency: bool = True):
    """(Xc, used): ``X`` with the ids seen at least ``min_count`` times renumbered 0..R-1 by
    decreasing frequency (frequent rows sit together in cache; else in id order, the order of a
    model's rows), all others -1; ``used`` int64 (R,) holds the original id of each row. One
    bincount, no sort of X."""
    valid = X >= 0
    counts = np.bincount(X.ravel() if valid.all() else X[valid], minlength=n_features)
    used = np.flatnonzero(counts >= max(min_count, 1))
    if by_frequency:
        used = used[np.argsort(-counts[used], kind="stable")]
    mapping = np.full(n_features + 1, -1, np.int32)     # the extra slot maps -1 to -1
    mapping[used] = np.arange(used.size, dtype=np.int32)
    Xc = mapping[np.where(valid, X, n_features)]
    return np.ascontiguousarray(Xc, np.int32), used


class LinearChainModel:
    """Base of the linear-chain taggers (see the module docstring).

    Learned attributes: ``index_`` (the rows' feature ids, a rank dictionary), ``weights_`` float32
    or float16 (R, L) in id order, ``trans_`` float32 (L, L), ``start_`` float32 (L,).
    ``constraints`` (set with :meth:`constrain`) holds the
    additive penalties of a :class:`cnlp.tagset.TagSet`.
    """

    n_labels: int
    n_features: int
    constraints = None

    # ------------------------------------------------------------------ weights
    def _check(self):
        if not hasattr(self, "weights_"):
            raise NotFittedError(f"{type(self).__name__}: call fit() or load() first")

    def set_rows(self, used: np.ndarray, weights: np.ndarray, trans, start) -> None:
        """Install learned rows: ``weights[i]`` belongs to hashed feature id ``used[i]`` (distinct);
        float16 weights are kept as they are, others become float32."""
        used = np.asarray(used)
        order = None if used.size < 2 or (used[1:] > used[:-1]).all() else np.argsort(used, kind="stable")
        dtype = np.float16 if weights.dtype == np.float16 else np.float32
        w = weights if order is None else weights[order]
        self.index_ = rank_index(used, self.n_features)
        self.weights_ = np.ascontiguousarray(w, dtype)
        self.trans_ = np.ascontiguousarray(trans, np.float32)
        self.start_ = np.ascontiguousarray(start, np.float32)

    def rows(self) -> np.ndarray:
        """int64 (R,): the hashed feature id of each weight row (increasing)."""
        self._check()
        flags = np.unpackbits(np.ascontiguousarray(self.index_[:, 0]).view(np.uint8), bitorder="little")
        return np.flatnonzero(flags)

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """int64 weight row of each feature id in ``ids`` (-1: none, also for ids < 0)."""
        rows = self.rows()
        ids = np.asarray(ids, np.int64)
        pos = np.minimum(np.searchsorted(rows, ids), max(rows.size - 1, 0))
        hit = (ids >= 0) & (rows.size > 0) & (rows[pos] == ids) if rows.size else np.zeros(ids.shape, bool)
        return np.where(hit, pos, -1)

    def use_float32(self) -> "LinearChainModel":
        """Keep the weights as float32 in memory (twice the memory of float16, faster emissions),
        converting in blocks; a no-op when they already are."""
        self._check()
        W = self.weights_
        if W.dtype != np.float32:
            out = np.empty(W.shape, np.float32)
            step = 1 << 16
            for i in range(0, W.shape[0], step):            # no second full-size temporary
                out[i:i + step] = W[i:i + step]
            self.weights_ = out
        return self

    def dense_weights(self) -> np.ndarray:
        """float32 (n_features, L) with zero rows for features without weights (for inspection of
        small models: for 2**22 features and 40 labels this is 670 MB)."""
        self._check()
        W = np.zeros((self.n_features, self.n_labels), np.float32)
        W[self.rows()] = self.weights_
        return W

    def constrain(self, tagset) -> "LinearChainModel":
        """Decode under the tag set's allowed transitions (no-op for plain tag sets)."""
        self.constraints = None if tagset is None or tagset.scheme == "plain" else tagset.transition_penalty()
        return self

    def _penalties(self):
        L = self.n_labels
        if self.constraints is None:
            return np.zeros((L, L), np.float32), np.zeros(L, np.float32), np.zeros(L, np.float32)
        return self.constraints

    def decode_params(self) -> tuple:
        """(index, weights, trans, start, end) as the Viterbi kernels take them, constraints included;
        built once and reused until the model's arrays or constraints are replaced."""
        self._check()
        key = (self.index_, self.weights_, self.trans_, self.start_, self.constraints)
        cache = getattr(self, "_decode_cache", None)
        if cache is not None and all(a is b for a, b in zip(cache[0], key)):
            return cache[1]
        pt, ps, pe = self._penalties()
        weights = weight_tuple(self.weights_)
        if self.constraints is None:
            params = self.index_, weights, self.trans_, self.start_, pe
        else:
            params = self.index_, weights, self.trans_ + pt, self.start_ + ps, pe
        self._decode_cache = (key, params)
        return params

    # ------------------------------------------------------------------ prediction
    def predict_single(self, X: np.ndarray, allowed: np.ndarray | None = None,
                       bias: np.ndarray | None = None) -> np.ndarray:
        """int32 labels of one sentence (features ``X`` int32 (n, T)); ``allowed`` bool (n, L)
        forbids labels where False; ``bias`` float (n, L) is added to the label scores."""
        index, W, trans, start, end = self.decode_params()
        L = self.n_labels
        X = np.ascontiguousarray(X, np.int32)
        allowed = np.zeros((0, L), np.bool_) if allowed is None else np.ascontiguousarray(allowed, np.bool_)
        bias = np.zeros((0, L), np.float64) if bias is None else np.ascontiguousarray(bias, np.float64)
        return viterbi(X, index, W, trans, start, end, allowed, bias)

    def predict(self, X_list, allowed_list=None) -> list[np.ndarray]:
        """:meth:`predict_single` over a list of sentences."""
        index, W, trans, start, end = self.decode_params()
        L = self.n_labels
        no_mask, no_bias = np.zeros((0, L), np.bool_), np.zeros((0, L), np.float64)
        out = []
        for i, X in enumerate(X_list):
            a = no_mask if allowed_list is None or allowed_list[i] is None else allowed_list[i]
            out.append(viterbi(np.ascontiguousarray(X, np.int32), index, W, trans, start, end, a, no_bias))
        return out

    # ------------------------------------------------------------------ online correction
    def partial_fit(self, X_list, y_list, *, n_iter: int = 1, step: float = 1.0, frozen=()):
        """Online correction from a few annotated sentences (HanLP's ``learn``).

        Perceptron updates are applied directly to the current weights, up to ``n_iter`` passes or
        until the sentences are tagged correctly (features never seen before get new rows). They
        are not averaged: with lazy averaging an update in the last step would contribute nothing.
        ``step`` scales each update (the weights are divided by it, updated by ±1 and multiplied
        back), so small steps change the model only as much as the corrected sentences need.
        Transition and start scores are not updated (they are shared by every sentence; updating
        them cost 0.01 PKU F1), nor are the feature columns listed in ``frozen``.
        """
        self._check()
        if step <= 0:
            raise ValueError(f"step must be > 0, got {step}")
        L = self.n_labels
        X, y, offsets = concat(X_list, y_list)
        new = np.unique(X[(X >= 0) & (self.rows_of(X) < 0)])
        if new.size:                     # features never seen get (zero) rows
            used = np.concatenate([self.rows(), new])
            W0 = np.concatenate([self.weights_.astype(np.float32), np.zeros((new.size, L), np.float32)])
            self.set_rows(used, W0, self.trans_, self.start_)
        Xr = np.ascontiguousarray(self.rows_of(X), np.int32)
        W = self.weights_.astype(np.float64) / step
        T = self.trans_.astype(np.float64) / step
        S = self.start_.astype(np.float64) / step
        U, TU, SU = np.zeros_like(W), np.zeros((L, L)), np.zeros(L)
        pen = tuple(np.asarray(p, np.float64) for p in self._penalties())
        order = np.arange(len(X_list), dtype=np.int64)
        fz = np.zeros(X.shape[1], np.bool_)
        fz[list(frozen)] = True
        for _ in range(n_iter):     # transitions stay frozen: they are shared by every sentence
            _, mistakes = perceptron_epoch(Xr, y, offsets, order, W, U, T.copy(), TU, S.copy(), SU, pen, 0, fz)
            if mistakes == 0:
                break
        self.set_rows(self.rows(), (W * step).astype(np.float32), self.trans_, self.start_)
        return self

    # ------------------------------------------------------------------ persistence
    def weight_arrays(self, prune: float) -> dict:
        """The bundle arrays: rows with ``|w| > prune`` somewhere, as float16, sorted by id."""
        self._check()
        used = self.rows()
        keep = np.flatnonzero(np.abs(self.weights_).max(axis=1) > prune) if self.weights_.size else np.zeros(0, np.int64)
        return {"rows": used[keep].astype(np.int32), "weights": self.weights_[keep].astype(np.float16),
                "trans": self.trans_, "start": self.start_}

    def load_weights(self, directory, a: dict, *, float32: bool = False, meta: dict | None = None) -> None:
        """Install the arrays of :meth:`weight_arrays` loaded from ``directory`` (``weights`` is
        read here, as float16 or, with ``float32``, converted while it is read);
        ``ModelFormatError`` naming ``arrays.npz`` when they do not fit the parameters."""
        L, F = self.n_labels, self.n_features
        path = Path(directory) / "arrays.npz"
        rows, trans, start = a["rows"], a["trans"], a["start"]
        if rows.ndim != 1 or trans.shape != (L, L) or start.shape != (L,):
            raise ModelFormatError(path, f"array shapes do not match n_labels={L}")
        if "weights" not in a:
            w = read_npz_member(path, "weights", np.float32 if float32 else np.float16, meta)
        else:
            w = a["weights"]
        if w.shape != (rows.shape[0], L):
            raise ModelFormatError(path, f"weights {w.shape} do not match {rows.shape[0]} rows and {L} labels")
        if rows.size and (rows[0] < 0 or rows[-1] >= F or not (rows[1:] > rows[:-1]).all()):
            raise ModelFormatError(path, f"'rows' must be increasing feature ids in [0, {F})")
        if not all(np.isfinite(x).all() for x in (w, a["trans"], a["start"])):
            raise ModelFormatError(path, "weights must be finite numbers")
        a.clear()                                 # the loaded arrays are not kept twice
        self.set_rows(rows, w, trans, start)

    @classmethod
    def _from_bundle(cls, directory, kind: str, param_names: tuple, float32: bool,
                     n_labels: int | None = None, n_features: int | None = None):
        """(model, meta) of a saved bundle of ``kind``: its parameters from meta.json, its weights
        (float32 in memory or float16) and its training log; ``ModelFormatError`` on any problem,
        also when ``n_labels`` / ``n_features`` (what the caller's tag set and features need) are
        given and differ from the model's."""
        meta, a, _ = load_bundle(directory, kind, WEIGHT_ARRAYS, skip=("weights",), schema=LINEAR_SCHEMA)
        p = meta.get("params")
        cls._check_params(directory, p)
        mpath = Path(directory) / "meta.json"
        if n_labels is not None and p["n_labels"] != n_labels:
            raise ModelFormatError(mpath, f"params.n_labels is {p['n_labels']}, the tag set has {n_labels} tags")
        if n_features is not None and p["n_features"] != n_features:
            raise ModelFormatError(mpath, f"params.n_features is {p['n_features']}, the features hash into "
                                          f"{n_features} ids")
        params = {k: p[k] for k in param_names if k in p}
        try:
            self = cls(**params)
        except (TypeError, ValueError) as e:
            raise ModelFormatError(mpath, f"bad params ({e})") from None
        self.load_weights(directory, a, float32=float32, meta=meta)
        self.training_log_ = meta.get("training_log", [])
        self.meta_ = meta
        return self, meta

    @staticmethod
    def _check_params(directory, p) -> None:
        """``ModelFormatError`` unless ``n_labels``/``n_features`` in meta are sane integers."""
        ok = (isinstance(p, dict) and isinstance(p.get("n_labels"), int) and isinstance(p.get("n_features"), int)
              and 1 <= p["n_labels"] <= 4096 and 1 <= p["n_features"] <= 1 << 30)
        if not ok:
            raise ModelFormatError(Path(directory) / "meta.json",
                                   "'params' must give n_labels in [1, 4096] and n_features in [1, 2**30]")


def average_models(target: LinearChainModel, models: Sequence[LinearChainModel],
                   weights: Sequence[float] | None = None) -> LinearChainModel:
    """Give ``target`` the (weighted) mean weights of ``models`` (same labels and features; rows are
    united). Parameter averaging over several training runs (e.g. shuffle seeds)."""
    k = np.ones(len(models)) if weights is None else np.asarray(weights, np.float64)
    rows = [m.rows() for m in models]
    ids = rows[0] if all(r.size == rows[0].size and (r == rows[0]).all() for r in rows) else np.unique(np.concatenate(rows))
    W = np.zeros((ids.size, target.n_labels), np.float32)
    for m, r, w in zip(models, rows, k):
        W[np.searchsorted(ids, r)] += m.weights_.astype(np.float32) * np.float32(w / k.sum())
    trans = sum(m.trans_ * w for m, w in zip(models, k)) / k.sum()
    start = sum(m.start_ * w for m, w in zip(models, k)) / k.sum()
    target.set_rows(ids, W, trans, start)
    return target
