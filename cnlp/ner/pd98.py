"""People's Daily (PD98) as NER training data next to MSRA.

``plain``: :func:`cnlp.ner.data.pd98_entities` on every sentence.
"""
from __future__ import annotations

from .data import pd98_entities

__all__ = ["convert_pd98", "MODES"]

MODES = ("plain", "careful")


def convert_pd98(sents, *, mode: str = "plain", reference=()):
    """``(text, spans)`` of PD98 sentences (``[(word, tag)]``, compounds merged)."""
    if mode not in MODES:
        raise ValueError(f"unknown PD98 mode {mode!r}; choose one of {list(MODES)}")
    return [pd98_entities(s) for s in sents]
