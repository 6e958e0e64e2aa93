"""The one trainer of the linear-chain taggers (segmentation, POS, NER, the UD front end).

A task is an adapter module (:mod:`cnlp.train.cws`, :mod:`~cnlp.train.pos`, :mod:`~cnlp.train.ner`,
:mod:`~cnlp.train.ud`, :mod:`~cnlp.train.dep`): it turns its corpus into per-sentence feature
arrays ``X`` and label ids ``y`` under its :class:`cnlp.tagset.TagSet`, with the features that
depend on the training data computed by :func:`jackknife`, and scores dev sentences with
:func:`dev_scorer` over an accumulator of :mod:`cnlp.evaluate`. :func:`fit_linear` does the rest
the same way for every task: the averaged perceptron (dev score each epoch, early stopping,
parameter averaging over shuffle seeds) or the CRF (L-BFGS, dev score every few iterations).
:func:`command_line` records the exact command in the model's meta, :func:`dev_summary` the one
summary line of a training log.
"""
from __future__ import annotations

import shlex
import sys
import time
from typing import Any, Callable, Sequence

import numpy as np

from ..sequence.crf import CRFTagger
from ..sequence.linear import LinearChainModel, average_models
from ..sequence.perceptron import PerceptronTagger

__all__ = ["fit_linear", "jackknife", "dev_scorer", "command_line", "dev_summary", "ALGORITHMS"]

ALGORITHMS = ("perceptron", "crf")


def fit_linear(algorithm: str, X, y, *, n_labels: int, n_features: int, tagset=None,
               dev_score: Callable[[LinearChainModel], float] | None = None, seeds: int = 1, seed: int = 0,
               n_iter: int = 10, patience: int = 2, c2: float = 1.0, max_iter: int = 100, tol: float = 1e-7,
               dev_every: int = 10, min_count: int = 1, verbose: bool = True) -> LinearChainModel:
    """Train a linear-chain model on per-sentence ``X`` / ``y``; decoding (in training too, for
    the perceptron) respects ``tagset``'s allowed transitions. With ``seeds > 1`` the perceptron is
    trained once per shuffle seed and the weights are averaged. Returns the fitted model, whose
    ``training_log_`` holds every epoch's (or every ``dev_every`` iterations') dev score."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose one of {list(ALGORITHMS)}")
    t0 = time.perf_counter()
    if algorithm == "crf":
        model = CRFTagger(n_labels=n_labels, n_features=n_features, c2=c2, max_iter=max_iter, tol=tol,
                          dev_every=dev_every, min_count=min_count, verbose=verbose).constrain(tagset)
        model.fit(X, y, dev_score=dev_score)
    else:
        model, logs = None, []
        for k in range(max(seeds, 1)):
            m = PerceptronTagger(n_labels=n_labels, n_features=n_features, n_iter=n_iter, patience=patience,
                                 random_state=seed + k, min_count=min_count, verbose=verbose).constrain(tagset)
            m.fit(X, y, dev_score=dev_score)
            logs.append(m.training_log_)
            # parameter averaging over shuffle orders, as a running sum (one model in memory)
            model = m if model is None else average_models(model, [model, m], weights=[k, 1])
        if seeds > 1:
            model.training_log_ = logs
            if dev_score is not None:
                model.training_log_.append({"averaged_dev": dev_score(model)})
    model.train_seconds_ = round(time.perf_counter() - t0, 1)
    return model


def jackknife(n: int, folds: int, fit: Callable[[list[int]], Any], apply: Callable[[Any, int], Any]) -> list:
    """Held-out values of ``n`` training items: item ``i`` is in fold ``i % folds``; for each fold,
    ``fit(indices of the other folds)`` builds what the values depend on (a dictionary, a lexicon,
    a tagger) and ``apply(that, i)`` computes the value of each item ``i`` of the fold.

    Built from the same sentences, such features would mark every training word or name as known,
    and the model would learn to trust them blindly (segmentation OOV recall 0.80 -> 0.42); held
    out, unknown words look unknown in training as they do in use."""
    out: list = [None] * n
    fold_of = np.arange(n) % folds
    for k in range(folds):
        model = fit(np.flatnonzero(fold_of != k).tolist())
        for i in np.flatnonzero(fold_of == k).tolist():
            out[i] = apply(model, i)
    return out


def dev_scorer(dev_X: Sequence, gold: Sequence, evaluator: Callable[[], Any], decode: Callable[[int, Any], Any],
               metric: Callable[[dict], float]) -> Callable[[LinearChainModel], float]:
    """``f(model) -> score`` on dev sentences whose features ``dev_X`` are computed once: the
    model's Viterbi labels of sentence ``i``, ``decode(i, labels)``, are added with ``gold[i]`` to a
    fresh ``evaluator()`` (an accumulator of :mod:`cnlp.evaluate`), and ``metric(result)`` is the score."""
    def score(model) -> float:
        ev = evaluator()
        for i, labels in enumerate(model.predict(dev_X)):
            ev.add(gold[i], decode(i, labels))
        return metric(ev.result())
    return score


def command_line(argv: list[str] | None = None) -> str:
    """The command that is running, as a user would type it (``cnlp ...``), for a model's meta."""
    argv = sys.argv[1:] if argv is None else argv
    return "cnlp " + " ".join(shlex.quote(a) for a in argv)


def dev_summary(log, key: str = "dev", name: str = "dev F1") -> str:
    """``", dev F1 last 0.9512 / best 0.9530"`` from a training log (possibly nested per seed), or ``""``."""
    flat, stack = [], [log]
    while stack:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            flat.append(x)
    avg = [e["averaged_dev"] for e in flat if "averaged_dev" in e]
    devs = [e[key] for e in flat if key in e and isinstance(e[key], (int, float))]
    if avg:
        return f", {name} {avg[-1]:.4f} (weights averaged over seeds)"
    if not devs:
        return ""
    return f", {name} last {devs[-1]:.4f} / best {max(devs):.4f}"
