"""Dependency parsing on Universal Dependencies: an arc-hybrid transition parser and its UD front end.

>>> from cnlp.parse import default_ud_pipeline            # doctest: +SKIP
>>> doc = default_ud_pipeline()("他喜欢北京。")              # doctest: +SKIP
>>> doc.heads, doc.deprels                                 # doctest: +SKIP
((2, 0, 2, 2), ('nsubj', 'root', 'obj', 'punct'))
"""
from __future__ import annotations

import threading


def __getattr__(name):
    # loaded on first use: ``import cnlp`` imports this package (so that a later import of a
    # sub-module does not replace the function ``cnlp.parse``) and must stay light
    if name == "ArcHybridParser":
        from .parser import ArcHybridParser
        return ArcHybridParser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["ArcHybridParser", "default_parser", "default_ud_pipeline"]

_lock = threading.Lock()
_DEFAULT: dict = {}


def default_parser():
    """The shipped parser (``data/dep``, an :class:`cnlp.parse.parser.ArcHybridParser`), loaded once."""
    from ..io import model_path
    from .parser import ArcHybridParser
    with _lock:
        if "dep" not in _DEFAULT:
            _DEFAULT["dep"] = ArcHybridParser.load(model_path("dep"))
        return _DEFAULT["dep"]


def default_ud_pipeline():
    """``cnlp.pipeline.Pipeline``: raw text -> UD segmenter -> UPOS tagger -> parser (shipped models).

    The Doc's ``pos`` holds UPOS tags (what the parser reads; XPOS comes from
    ``UDTagger.predict_both``)."""
    from ..pipeline import Pipeline
    from .frontend import default_ud_segmenter, default_ud_tagger
    return Pipeline(default_ud_segmenter(), pos=default_ud_tagger(), parser=default_parser())
