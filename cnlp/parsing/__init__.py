"""Dependency parsing on Universal Dependencies: an arc-hybrid transition parser and its UD front end.

>>> import cnlp                                            # doctest: +SKIP
>>> doc = cnlp.parse("他喜欢北京。")                         # doctest: +SKIP
>>> doc.heads, doc.deprels                                 # doctest: +SKIP
([2, 0, 2, 2], ['nsubj', 'root', 'obj', 'punct'])

The shipped parser and its front end are loaded by :mod:`cnlp.models`; the UD pipeline is built by
:func:`cnlp.pipeline.build_pipeline` (``"parse"``).
"""
from __future__ import annotations


def __getattr__(name):
    # loaded on first use: importing the package stays light
    if name == "ArcHybridParser":
        from .parser import ArcHybridParser
        return ArcHybridParser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ArcHybridParser"]
