"""Part-of-speech tagging (PKU tagset): linear-chain taggers over words and an HMM baseline."""
from __future__ import annotations

__all__ = ["POSTagger", "default_pos"]


def __getattr__(name):
    if name in ("POSTagger", "default_pos"):
        from . import tagger
        return getattr(tagger, name)
    raise AttributeError(name)
