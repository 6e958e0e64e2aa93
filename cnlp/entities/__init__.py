"""Named entity recognition (person, place and organization names) over the segment → POS cascade.

The names below are loaded on first use (importing the package loads no model and compiles
nothing). The recognizer is trained by :func:`cnlp.train.ner.train_ner` (``cnlp train ner``).
"""
from __future__ import annotations

import importlib

__all__ = ["ENTITY_TYPES", "EntityRecognizer", "EntityDictionary", "read_bio", "write_bio"]

_WHERE = {"ENTITY_TYPES": "data", "read_bio": "data", "write_bio": "data", "EntityRecognizer": "recognizer",
          "EntityDictionary": "recognizer"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
