"""Text classification: chi-square bag-of-words features and a ready text classifier.

>>> from cnlp.classify import TextClassifier, ChiSquareBagOfWords   # doctest: +SKIP
"""
from .features import ChiSquareBagOfWords
from .classifier import TextClassifier

__all__ = ["ChiSquareBagOfWords", "TextClassifier"]
