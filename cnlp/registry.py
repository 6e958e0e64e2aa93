"""Name -> factory registries. Unknown names fail loudly and list the valid choices.

Factories are given as ``"module:function"`` strings and imported lazily, so importing
``cnlp`` stays cheap and a module is only loaded when its algorithm is used.
"""
from __future__ import annotations

import importlib

#: segmentation algorithm name -> factory returning the default (shipped-model) segmenter
#: (:mod:`cnlp.models`, where every shipped model is loaded once).
#: Each factory takes keyword arguments ``user_dict=None`` (and ignores unknown ones).
SEGMENTERS: dict[str, str] = {
    "fmm": "cnlp.models:fmm",
    "bmm": "cnlp.models:bmm",
    "bimm": "cnlp.models:bimm",
    "bigram": "cnlp.models:bigram",
    "hmm": "cnlp.models:hmm",
    "hmm2": "cnlp.models:hmm2",
    "perceptron": "cnlp.models:perceptron",
    "crf": "cnlp.models:crf",
}

#: the algorithm ``cnlp.segment()`` uses when none is given: the multi-standard model, its default
#: standard chosen on the dev sets averaged (docs/models.md)
DEFAULT_SEGMENTER = "perceptron"
#: the algorithm whose model writes the default segmenter's ``pku`` standard: the segmenter of the
#: POS tagger and entity recognizer cascade when none is named (they learned PKU words)
PKU_SEGMENTER = "crf"

#: ``cnlp.load(dir)``: (bundle kind, task) -> loader; task None matches bundles without a task
#: (models saved before tasks were recorded: every perceptron / CRF bundle then was a segmenter)
LOADERS: dict[tuple[str, str | None], str] = {
    ("perceptron", "cws"): "cnlp.segmentation.tagging:TaggingSegmenter.load",
    ("crf", "cws"): "cnlp.segmentation.tagging:TaggingSegmenter.load",
    ("perceptron", None): "cnlp.segmentation.tagging:TaggingSegmenter.load",
    ("crf", None): "cnlp.segmentation.tagging:TaggingSegmenter.load",
    ("perceptron", "pos"): "cnlp.pos.tagger:POSTagger.load",
    ("crf", "pos"): "cnlp.pos.tagger:POSTagger.load",
    ("perceptron", "ner"): "cnlp.models:load_entity_recognizer",
    ("crf", "ner"): "cnlp.models:load_entity_recognizer",
    ("hmm_pos", "pos"): "cnlp.pos.hmm:HMMPOSTagger.load",
    ("hmm_segmenter", None): "cnlp.segmentation.hmm:HMMSegmenter.load",
    ("bigram", None): "cnlp.segmentation.lattice:LatticeSegmenter.load",
    ("dictionary", None): "cnlp.dictionary:Dictionary.load",
    ("idf", None): "cnlp.extract.idf:IDFTable.load",
    ("corpus_stats", None): "cnlp.corpus.stats:CorpusStats.load",
    ("cnlp.classify.TextClassifier", None): "cnlp.classify.classifier:TextClassifier.load",
    ("arc_hybrid", "dep"): "cnlp.parsing.parser:ArcHybridParser.load",
}


def resolve(table: dict[str, str], name: str, what: str = "algorithm"):
    """Import and return the object registered under ``name`` in ``table``."""
    if not isinstance(name, str) or name not in table:
        raise ValueError(f"unknown {what} {name!r}; choose one of {sorted(table)}")
    return _import(table[name])


def _import(target: str):
    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


def load(directory):
    """Load any cnlp model bundle by the kind and task recorded in its ``meta.json``."""
    from .errors import ModelFormatError
    from .io import load_meta
    meta = load_meta(directory)
    key = (meta.get("kind"), meta.get("task"))
    if not isinstance(key[1], (str, type(None))) or key not in LOADERS:
        known = sorted(f"{k}/{t or '-'}" for k, t in LOADERS)
        raise ModelFormatError(f"{directory}/meta.json", f"no loader for kind {key[0]!r}, task {key[1]!r}; "
                                                        f"cnlp.load reads {known}")
    return _import(LOADERS[key])(directory)
