"""Text classification: chi-square bag-of-words features and a ready text classifier.

>>> from cnlp.classify import TextClassifier, ChiSquareBagOfWords   # doctest: +SKIP

The estimators are imported on first use (scikit-learn is not loaded by ``import cnlp``; it is
the optional dependency ``pip install 'cnlp[classify]'``, and a missing one is a
``ModuleNotFoundError`` saying so); the
default segmenter they use with ``segmenter=None`` is registered by the front (:mod:`.default`).
"""
from __future__ import annotations

__all__ = ["ChiSquareBagOfWords", "TextClassifier", "require_sklearn"]


#: what a missing scikit-learn says (it is the optional dependency of ``cnlp[classify]``)
SKLEARN_MISSING = ("cnlp.classify needs scikit-learn, an optional dependency: pip install 'cnlp[classify]' "
                   "(or pip install scikit-learn)")


def require_sklearn() -> None:
    """``ModuleNotFoundError`` saying how to install scikit-learn when it is not installed."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise ModuleNotFoundError(SKLEARN_MISSING, name="sklearn") from None


def __getattr__(name):
    if name == "ChiSquareBagOfWords":
        require_sklearn()
        from .features import ChiSquareBagOfWords
        return ChiSquareBagOfWords
    if name == "TextClassifier":
        require_sklearn()
        from .classifier import TextClassifier
        return TextClassifier
    raise AttributeError(f"module 'cnlp.classify' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
