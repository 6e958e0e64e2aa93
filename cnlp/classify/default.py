"""The default segmenter of the classification estimators: a slot the front fills.

:class:`~cnlp.classify.ChiSquareBagOfWords` and :class:`~cnlp.classify.TextClassifier` segment with
the ``segmenter`` they are given (a Segmenter or a callable ``text -> list of str``). With
``segmenter=None`` (the default, so that ``TextClassifier()`` and a loaded model work as they are)
they use cnlp's default segmenter for their ``algorithm``. This package sits on the tasks floor,
below the shipped models and the one-call API, so it does not fetch that segmenter: the front
(:mod:`cnlp`, imported by Python before any ``cnlp.classify`` module) registers
:func:`cnlp.get_segmenter` here, and the estimators ask this slot. This module imports nothing.
"""
from __future__ import annotations

__all__ = ["register", "resolve"]

_resolver = None


def register(resolver) -> None:
    """Set ``resolver(algorithm) -> Segmenter`` (``algorithm``: a name or None for the default),
    the function behind ``segmenter=None``. Called by :mod:`cnlp` with :func:`cnlp.get_segmenter`."""
    global _resolver
    if not callable(resolver):
        raise TypeError(f"register() expects a callable algorithm -> Segmenter, got {type(resolver).__name__}")
    _resolver = resolver


def resolve(algorithm, owner: str):
    """The registered default segmenter for ``algorithm``; ``TypeError`` naming ``segmenter`` when
    none is registered."""
    if _resolver is None:
        raise TypeError(f"{owner}: no segmenter given and no default registered (import cnlp, or pass "
                        f"segmenter=: a Segmenter or a callable text -> list of str)")
    return _resolver(algorithm)
