"""Name -> factory registries. Unknown names fail loudly and list the valid choices.

Factories are given as ``"module:function"`` strings and imported lazily, so importing
``cnlp`` stays cheap and a module is only loaded when its algorithm is used.
"""
from __future__ import annotations

import importlib

#: segmentation algorithm name -> factory returning the default (shipped-model) segmenter.
#: Each factory takes keyword arguments ``user_dict=None`` (and ignores unknown ones).
SEGMENTERS: dict[str, str] = {
    "fmm": "cnlp.segment.maxmatch:default_fmm",
    "bmm": "cnlp.segment.maxmatch:default_bmm",
    "bimm": "cnlp.segment.maxmatch:default_bimm",
    "bigram": "cnlp.segment.lattice:default_bigram",
    "hmm": "cnlp.segment.hmm:default_hmm",
    "hmm2": "cnlp.segment.hmm:default_hmm2",
    "perceptron": "cnlp.segment.tagging:default_perceptron",
    "crf": "cnlp.segment.tagging:default_crf",
}

#: the algorithm ``cnlp.segment()`` uses when none is given (the most accurate shipped model)
DEFAULT_SEGMENTER = "crf"

#: ``cnlp train TASK`` -> module exposing ``add_train_arguments(parser)`` and ``train_main(args)``
TRAIN_TASKS: dict[str, str] = {
    "dict": "cnlp.dictionary.build",
    "stats": "cnlp.corpus.stats",
    "bigram": "cnlp.segment.lattice",
    "hmm": "cnlp.segment.hmm",
    "cws": "cnlp.segment.tagging",
    "idf": "cnlp.extract.idf",
}

#: other top-level CLI commands -> module exposing ``add_cli_arguments(parser)`` and ``cli_main(args)``
COMMANDS: dict[str, str] = {
    "discover": "cnlp.extract.discover",
    "keywords": "cnlp.extract.keywords",
    "summarize": "cnlp.extract.summarize",
    "classify": "cnlp.classify.cli",
}


def resolve(table: dict[str, str], name: str, what: str = "algorithm"):
    """Import and return the object registered under ``name`` in ``table``."""
    if not isinstance(name, str) or name not in table:
        raise ValueError(f"unknown {what} {name!r}; choose one of {sorted(table)}")
    module, _, attr = table[name].partition(":")
    mod = importlib.import_module(module)
    return getattr(mod, attr) if attr else mod
