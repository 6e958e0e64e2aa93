"""Part-of-speech tagging (PKU tagset): linear-chain taggers over words and an HMM baseline."""
from __future__ import annotations

__all__ = ["POSTagger"]


def __getattr__(name):
    if name == "POSTagger":
        from . import tagger
        return getattr(tagger, name)
    raise AttributeError(name)
