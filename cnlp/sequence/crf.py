"""Linear-chain CRF over hashed feature ids (same scores as the perceptron), trained with L-BFGS.

Objective (summed over sentences, as CRFsuite does):
``sum_s (log Z_s - score(gold_s)) + c2 * ||theta||^2`` over all weights (emissions, transitions,
start). The gradient is ``E_model[counts] - gold counts + 2 c2 theta``; gold counts are constant
and computed once, expected counts come from one parallel forward-backward pass per evaluation
(:mod:`cnlp.sequence._crf_kernels`).

Only feature ids that occur in the training data get parameters (:func:`cnlp.sequence.linear.compact`):
they are the rows of the model (:class:`cnlp.sequence.linear.LinearChainModel`). With L1 (``c1 > 0``) a small OWL-QN (:func:`owlqn`)
replaces scipy's L-BFGS-B, which cannot handle the non-smooth term.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np

from ..io import guard_load, save_bundle
from ._crf_kernels import corpus_posteriors, gold_counts, nll_gradient, scatter_serial, sentence_marginals
from .linear import LinearChainModel, compact, concat

KIND = "crf"
_PARAMS = ("n_labels", "n_features", "c2", "c1", "max_iter", "tol", "dev_every", "min_count")


def _single_threaded_blas():
    """L-BFGS-B's vector operations (BLAS level 1 over a few million doubles) on one thread.

    With OpenBLAS's threads spinning next to Numba's, one 310k-element dot product took 20 ms
    instead of 0.04 ms on the 2-core test machine under load. ``threadpoolctl`` comes with
    scikit-learn; without it this is a no-op."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:         # pragma: no cover
        import contextlib
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def owlqn(fun, x0, c1: float, *, max_iter: int = 100, tol: float = 1e-7, m: int = 6, callback=None):
    """Minimise ``fun(x)[0] + c1 * ||x||_1`` with OWL-QN (Andrew & Gao 2007); ``fun`` returns (f, grad)
    of the smooth part. L-BFGS on the pseudo-gradient, directions and steps kept in the orthant of
    the current point, backtracking (Armijo) line search. Returns a scipy ``OptimizeResult``."""
    from scipy.optimize import OptimizeResult

    def pseudo(x, g):
        pg = np.where(x > 0, g + c1, np.where(x < 0, g - c1, 0.0))
        zero = x == 0
        pg[zero & (g + c1 < 0)] = (g + c1)[zero & (g + c1 < 0)]
        pg[zero & (g - c1 > 0)] = (g - c1)[zero & (g - c1 > 0)]
        return pg

    x = np.array(x0, np.float64)
    f, g = fun(x)
    F = f + c1 * np.abs(x).sum()
    S, Y, rho = [], [], []
    nfev, message = 1, "max_iter reached"
    it = 0
    for it in range(1, max_iter + 1):
        pg = pseudo(x, g)
        if not pg.any():
            message = "pseudo-gradient is zero"
            it -= 1
            break
        d = -pg                                # two-loop recursion: d = -H pg
        alphas = []
        for s_, y_, r_ in zip(reversed(S), reversed(Y), reversed(rho)):
            a = r_ * (s_ @ d)
            d -= a * y_
            alphas.append(a)
        if S:
            d *= (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
        for (s_, y_, r_), a in zip(zip(S, Y, rho), reversed(alphas)):
            d += (a - r_ * (y_ @ d)) * s_
        d[d * pg >= 0] = 0.0                  # keep only components that descend along -pg
        orthant = np.where(x != 0, np.sign(x), -np.sign(pg))
        step = 1.0 if S else 1.0 / max(np.sqrt(pg @ pg), 1e-12)
        for _ in range(30):
            xn = x + step * d
            xn[np.sign(xn) != orthant] = 0.0    # project onto the orthant
            fn, gn = fun(xn)
            nfev += 1
            Fn = fn + c1 * np.abs(xn).sum()
            if Fn <= F + 1e-4 * (pg @ (xn - x)):
                break
            step *= 0.5
        else:
            message = "line search failed"
            it -= 1
            break
        s_, y_ = xn - x, gn - g
        sy = s_ @ y_
        if sy > 1e-12:
            S.append(s_), Y.append(y_), rho.append(1.0 / sy)
            if len(S) > m:
                S.pop(0), Y.pop(0), rho.pop(0)
        rel = (F - Fn) / max(abs(F), abs(Fn), 1.0)
        x, f, g, F = xn, fn, gn, Fn
        if callback is not None:
            callback(OptimizeResult(x=x, fun=F))
        if rel <= tol:
            message = "relative reduction of the objective <= tol"
            break
    return OptimizeResult(x=x, fun=F, nit=it, nfev=nfev, message=message, success=True)


class CRFTagger(LinearChainModel):
    """Linear-chain CRF, L2-regularised, L-BFGS (``scipy.optimize.minimize(method="L-BFGS-B")``).

    Parameters
    ----------
    n_labels, n_features : int
        Label count and size of the feature-id space (e.g. ``CharFeatures.n_features``).
    c2 : float
        L2 coefficient: ``c2 * ||theta||^2`` is added to the summed negative log-likelihood
        (CRFsuite's convention, so the same ``c2`` means the same objective).
    c1 : float
        L1 coefficient (``+ c1 * ||theta||_1``); when > 0, training uses :func:`owlqn` instead of
        scipy's L-BFGS-B (scipy has no OWL-QN), and many weights end exactly at zero.
    max_iter : int
        Maximum L-BFGS iterations.
    tol : float
        Stop when the relative objective decrease of an iteration is below ``tol`` (L-BFGS-B ``ftol``).
        L-BFGS keeps 6 correction pairs (CRFsuite's default ``num_memories``).
    dev_every : int
        With ``dev_score``, score the dev set every this many iterations (and at the end).
    min_count : int
        Features seen fewer times in training get no weights.
    scatter : "buffers" or "serial"
        How expected feature counts are added into the gradient: one buffer per Numba thread
        (parallel) or one serial pass.
    verbose : bool
        tqdm progress bar (stderr) showing the latest iteration's log entry.
    """

    def __init__(self, *, n_labels: int, n_features: int, c2: float = 1.0, c1: float = 0.0,
                 max_iter: int = 100, tol: float = 1e-7, dev_every: int = 10, min_count: int = 1,
                 scatter: str = "buffers", verbose: bool = False):
        if scatter not in ("buffers", "serial"):
            raise ValueError(f"scatter must be 'buffers' or 'serial', got {scatter!r}")
        self.n_labels = n_labels
        self.n_features = n_features
        self.c2 = c2
        self.c1 = c1
        self.max_iter = max_iter
        self.tol = tol
        self.dev_every = dev_every
        self.min_count = min_count
        self.scatter = scatter
        self.verbose = verbose

    # ------------------------------------------------------------------ training
    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in _PARAMS + ("scatter", "verbose")}

    @staticmethod
    def compact(X: np.ndarray, n_features: int, min_count: int = 1):
        """:func:`cnlp.sequence.linear.compact`."""
        return compact(X, n_features, min_count)

    def _split(self, theta, n_rows):
        L = self.n_labels
        nW = n_rows * L
        return theta[:nW].reshape(n_rows, L), theta[nW:nW + L * L].reshape(L, L), theta[nW + L * L:]

    def workspace(self, X, offsets, n_rows, *, scatter: str = "buffers", parts: int | None = None) -> dict:
        """Arrays reused by every :meth:`objective` call: marginals, pairwise counts, log Z, one
        gradient buffer per extra Numba thread and the sentence blocks of the threads."""
        import numba
        L = self.n_labels
        S = offsets.shape[0] - 1
        if parts is None:
            parts = numba.get_num_threads() if scatter == "buffers" else 1
        # blocks of whole sentences with about equal numbers of positions
        cut = np.searchsorted(offsets, np.arange(1, parts) * offsets[-1] / parts)
        bounds = np.r_[0, np.clip(cut, 0, S), S].astype(np.int64)
        return {"marg": np.empty((X.shape[0], L)), "pair": np.empty((S, L, L)), "logz": np.empty(S),
                "buf": np.empty((parts - 1, n_rows, L)), "bounds": bounds, "scatter": scatter}

    def objective(self, theta, X, offsets, emp, *, work: dict | None = None):
        """(f, grad) of the regularised NLL at ``theta`` for compacted ``X``; ``emp`` = gold counts.

        ``work["scatter"] == "buffers"``: the fused kernel (:func:`nll_gradient`); ``"serial"``:
        a parallel posterior pass, then one serial scatter pass (kept to measure the difference).
        """
        L = self.n_labels
        n_rows = (theta.size - L * L - L) // L
        W, trans, start = self._split(theta, n_rows)
        if work is None:
            work = self.workspace(X, offsets, n_rows)
        marg, pair, logz = work["marg"], work["pair"], work["logz"]
        if work["scatter"] == "buffers":
            grad = np.empty_like(theta)
            f = nll_gradient(X, offsets, work["bounds"], W, trans, start, emp, theta, float(self.c2),
                             grad, work["buf"], marg, pair, logz)
            return float(f), grad
        corpus_posteriors(X, offsets, W, trans, start, marg, pair, logz)
        grad = np.zeros_like(theta)
        gW, gT, gS = self._split(grad, n_rows)
        scatter_serial(X, marg, gW)
        gT += pair.sum(axis=0)
        firsts = offsets[:-1][offsets[1:] > offsets[:-1]]
        gS += marg[firsts].sum(axis=0)
        grad -= emp
        f = float(logz.sum()) - float(theta @ emp)
        if self.c2:
            f += self.c2 * float(theta @ theta)
            grad += 2.0 * self.c2 * theta
        return f, grad

    def _set_weights(self, theta, used):
        W, trans, start = self._split(theta, used.size)
        self.set_rows(used, W, trans, start)

    def fit(self, X_list, y_list, *, dev_score: Callable[["CRFTagger"], float] | None = None):
        """Train on per-sentence ``X`` (int32 (n, T)) and ``y`` (int (n,)) arrays.

        ``dev_score(self)`` is called every ``dev_every`` iterations (weights in place) and logged.
        The final weights are kept (choose ``c2``/``max_iter`` on dev).
        """
        from scipy.optimize import minimize
        from tqdm import tqdm

        if self.c1 < 0 or self.c2 < 0:
            raise ValueError(f"c1 and c2 must be >= 0, got c1={self.c1}, c2={self.c2}")
        X, y, offsets = concat(X_list, y_list)
        L = self.n_labels
        if y.size and (y.min() < 0 or y.max() >= L):
            raise ValueError(f"labels must be in [0, {L})")
        if X.size and X.max() >= self.n_features:
            raise ValueError(f"feature ids must be < n_features={self.n_features}")
        t0 = time.perf_counter()
        Xc, used = compact(X, self.n_features, self.min_count)
        del X
        R = used.size
        emp = np.zeros(R * L + L * L + L)
        eW, eT, eS = self._split(emp, R)
        gold_counts(Xc, y, offsets, eW, eT, eS)
        work = self.workspace(Xc, offsets, R, scatter=self.scatter)
        self.n_params_ = emp.size
        self.training_log_ = []
        prep = time.perf_counter() - t0
        state = {"f": None, "t": time.perf_counter(), "evals": 0, "it": 0, "dev_time": 0.0}
        bar = tqdm(total=self.max_iter, disable=not self.verbose, desc="crf L-BFGS", leave=False)

        def fun(theta):
            state["evals"] += 1
            f, g = self.objective(theta, Xc, offsets, emp, work=work)
            state["f"] = f
            return f, g

        def callback(intermediate_result):
            now = time.perf_counter()
            state["it"] += 1
            entry = {"iter": state["it"], "objective": round(float(intermediate_result.fun), 4),
                     "seconds": round(now - state["t"], 4), "evals": state["evals"]}
            state["evals"] = 0
            if dev_score is not None and state["it"] % self.dev_every == 0:
                self._set_weights(intermediate_result.x, used)
                entry["dev"] = float(dev_score(self))
                state["dev_time"] += time.perf_counter() - now
            self.training_log_.append(entry)
            if self.verbose:                  # the latest entry on the bar; the log is kept in training_log_
                bar.set_postfix(entry, refresh=False)
            bar.update(1)
            state["t"] = time.perf_counter()

        theta0 = np.zeros_like(emp)
        with _single_threaded_blas():
            if self.c1:
                res = owlqn(fun, theta0, self.c1, max_iter=self.max_iter, tol=self.tol, m=6, callback=callback)
            else:
                res = minimize(fun, theta0, jac=True, method="L-BFGS-B", callback=callback,
                               options={"maxiter": self.max_iter, "maxfun": self.max_iter * 4 + 20,
                                        "ftol": self.tol, "gtol": 0.0, "maxcor": 6})
        bar.close()
        self._set_weights(res.x, used)
        self.n_iter_ = int(res.nit)
        self.n_used_features_ = int(R)
        secs = [e["seconds"] for e in self.training_log_]
        self.time_per_iteration_ = float(np.mean(secs)) if secs else float("nan")
        self.fit_info_ = {"message": str(res.message), "objective": float(res.fun), "n_params": int(emp.size),
                          "prepare_seconds": round(prep, 2), "n_evals": int(res.nfev)}
        if dev_score is not None and (not self.training_log_ or "dev" not in self.training_log_[-1]):
            self.training_log_.append({"iter": self.n_iter_, "dev": float(dev_score(self))})
        return self

    # ------------------------------------------------------------------ prediction
    def marginals(self, X: np.ndarray) -> np.ndarray:
        """float64 (n, L): P(y_t = y | sentence) for one sentence's features ``X`` (n, T)."""
        self._check()
        X = np.ascontiguousarray(X, np.int32)
        index, weights = self.decode_params()[:2]
        return sentence_marginals(X, index, weights, self.trans_.astype(np.float64),
                                  self.start_.astype(np.float64))[1]

    def log_partition(self, X: np.ndarray) -> float:
        """log Z of one sentence."""
        self._check()
        X = np.ascontiguousarray(X, np.int32)
        index, weights = self.decode_params()[:2]
        return float(sentence_marginals(X, index, weights, self.trans_.astype(np.float64),
                                        self.start_.astype(np.float64))[0])

    # ------------------------------------------------------------------ persistence
    def save(self, directory, *, meta: dict | None = None, prune: float = 1e-3) -> Path:
        """Save the rows with ``|w| > prune`` somewhere in the row, as float16 (PerceptronTagger's format)."""
        self._check()
        params = {k: getattr(self, k) for k in _PARAMS}
        info = {"training_log": getattr(self, "training_log_", []), "prune": prune,
                "n_iter": getattr(self, "n_iter_", None),
                "time_per_iteration": getattr(self, "time_per_iteration_", None),
                "fit_info": getattr(self, "fit_info_", {})}
        return save_bundle(directory, KIND, {"params": params, **info, **(meta or {})}, self.weight_arrays(prune))

    @classmethod
    @guard_load
    def load(cls, directory, *, float32: bool = False, n_labels: int | None = None,
             n_features: int | None = None) -> "CRFTagger":
        """Load a saved model; ``float32`` keeps its weights as float32 in memory (else float16);
        ``n_labels`` / ``n_features``: what the caller's tag set and features need (checked)."""
        self, meta = cls._from_bundle(directory, KIND, _PARAMS, float32, n_labels, n_features)
        self.n_iter_ = meta.get("n_iter")
        self.time_per_iteration_ = meta.get("time_per_iteration")
        return self
