"""Named entity recognition (person, place and organization names) over the segment → POS cascade.

The names below are loaded on first use, so that ``import cnlp`` stays light (the package is
imported with it: ``cnlp.ner`` the function must not be replaced by this package on a later import).
"""
from __future__ import annotations

import importlib

__all__ = ["ENTITY_TYPES", "EntityRecognizer", "EntityDictionary", "train_ner", "read_bio", "write_bio"]

_WHERE = {"ENTITY_TYPES": "data", "read_bio": "data", "write_bio": "data", "EntityRecognizer": "recognizer",
          "EntityDictionary": "recognizer", "train_ner": "recognizer"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
