"""Text classification: chi-square bag-of-words features and a ready text classifier.

>>> from cnlp.classify import TextClassifier, ChiSquareBagOfWords   # doctest: +SKIP

The estimators are imported on first use (scikit-learn is not loaded by ``import cnlp``); the
default segmenter they use with ``segmenter=None`` is registered by the front (:mod:`.default`).
"""
from __future__ import annotations

__all__ = ["ChiSquareBagOfWords", "TextClassifier"]


def __getattr__(name):
    if name == "ChiSquareBagOfWords":
        from .features import ChiSquareBagOfWords
        return ChiSquareBagOfWords
    if name == "TextClassifier":
        from .classifier import TextClassifier
        return TextClassifier
    raise AttributeError(f"module 'cnlp.classify' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
