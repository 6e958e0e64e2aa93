"""The shipped models in one room: every default model is loaded here, once per process.

One lock-guarded cache (:func:`shared`) holds each loaded bundle under a name; the factories
below hand out the cached object itself, or a shallow copy decoding with a user dictionary.
Library components never fetch these defaults: they receive their segmenter, dictionary or
tagger as arguments, and the front (``cnlp/__init__.py``, the CLI, batch) passes these in.

The lock is a module-level ``RLock`` (a loader may load another shipped model, e.g. the entity
recognizer its cascade), so :mod:`cnlp._locks` gives a forked child a fresh one. A model is
published in the cache only once it is complete.

>>> from cnlp import models
>>> models.segmenter("fmm") is models.segmenter("fmm")      # doctest: +SKIP
False
>>> models.dictionary() is models.dictionary()             # doctest: +SKIP
True
"""
from __future__ import annotations

import copy
import threading

from .io import model_path

__all__ = ["shared", "loaded", "dictionary", "bigram_model", "segmenter", "pos_tagger", "entity_recognizer", "load_entity_recognizer",
           "idf_table", "parser", "ud_segmenter", "ud_tagger", "same_bundle", "SEGMENTER_FACTORIES", "pku_words"]

_lock = threading.RLock()
_cache: dict = {}


def shared(name: str, load):
    """The object cached under ``name``, built by ``load()`` on first use (one build per process,
    thread-safe: concurrent first calls wait for the one that loads)."""
    obj = _cache.get(name)
    if obj is None:
        with _lock:
            obj = _cache.get(name)
            if obj is None:
                obj = load()
                _cache[name] = obj
    return obj


def loaded() -> list[str]:
    """Names of the shipped models loaded so far in this process."""
    return sorted(_cache)


def _with_user_dict(obj, user_dict):
    return obj if user_dict is None else obj.with_user_dict(user_dict)


# ------------------------------------------------------------------ dictionaries and tables
def dictionary():
    """The shipped word dictionary (``data/dict``, a :class:`cnlp.dictionary.Dictionary`)."""
    def load():
        from .dictionary import Dictionary
        return Dictionary.load(model_path("dict"))
    return shared("dict", load)


def idf_table():
    """The shipped TF-IDF table (``data/idf``, People's Daily 1998-01 paragraphs)."""
    def load():
        from .extract.idf import IDFTable
        return IDFTable.load(model_path("idf"))
    return shared("idf", load)


def bigram_model():
    """The shipped word-bigram model (``data/bigram``) of the lattice segmenter."""
    def load():
        from .segmentation.lattice import BigramModel
        return BigramModel.load(model_path("bigram"))
    return shared("bigram", load)


# ------------------------------------------------------------------ segmenters
def _maxmatch(direction: str):
    def factory(user_dict=None, **kw):
        from .segmentation.maxmatch import MaxMatchSegmenter
        return MaxMatchSegmenter(dictionary(), direction=direction, user_dict=user_dict, **kw)
    return factory


def _bigram(user_dict=None, **kw):
    from .segmentation.lattice import LatticeSegmenter
    seg = LatticeSegmenter(bigram_model(), user_dict=user_dict, **kw)
    seg.search_dict = dictionary()
    return seg


def _hmm(order: int):
    def factory(user_dict=None, **kw):
        def load():
            from .segmentation.hmm import HMMSegmenter
            seg = HMMSegmenter.load(model_path(f"hmm/order{order}"))
            seg.search_dict = dictionary()
            return seg
        base = shared(f"hmm/order{order}", load)
        clone = copy.copy(base)
        clone.user_dict = user_dict
        return clone
    return factory


def _tagging(model: str):
    def factory(user_dict=None, **kw):
        from .segmentation.tagging import SUGGEST_BIAS, TaggingSegmenter

        def load():
            return TaggingSegmenter.load(model_path(model))
        base = shared(model, load)
        seg = TaggingSegmenter(base.tagger, base.features, user_dict=user_dict,
                               suggest_bias=kw.get("suggest_bias", SUGGEST_BIAS), mixtures=base.mixtures,
                               mixture=base._mix)
        if model == "cws" and "pku" in base.features.standards:
            # the PKU standard is written by the PKU CRF (more accurate on PKU text than the
            # multi-standard model's own PKU weights, docs/models.md); the cascade reads it
            seg.delegates = {"pku": lambda ud: SEGMENTER_FACTORIES["crf"](user_dict=ud)}
        return seg
    return factory


def _pku(factory):
    """The factory of a segmenter trained on PD98 alone: it writes the ``pku`` standard and no other
    (``Segmenter.with_standard``); a multi-standard model keeps its own names."""
    def named(user_dict=None, **kw):
        seg = factory(user_dict=user_dict, **kw)
        if not seg.standards:
            seg.standard = "pku"
        return seg
    return named


#: algorithm name -> factory ``(user_dict=None, **kw) -> Segmenter`` over the shipped model (a new
#: segmenter object sharing the cached model each call; ``cnlp.get_segmenter`` keeps one per name)
SEGMENTER_FACTORIES = {
    "fmm": _pku(_maxmatch("forward")), "bmm": _pku(_maxmatch("backward")), "bimm": _pku(_maxmatch("both")),
    "bigram": _pku(_bigram), "hmm": _pku(_hmm(1)), "hmm2": _pku(_hmm(2)),
    "perceptron": _pku(_tagging("cws")), "crf": _pku(_tagging("crf")),
}


def pku_words(segmenter):
    """``segmenter`` writing the PKU standard when it can (the POS tagger and the entity recognizer
    learned PKU words); any other segmenter unchanged."""
    return segmenter.with_standard("pku") if "pku" in getattr(segmenter, "standards", ()) else segmenter


def segmenter(algorithm: str, user_dict=None, **kw):
    """A segmenter over the shipped model of ``algorithm`` (``cnlp.registry.SEGMENTERS``)."""
    from .registry import resolve, SEGMENTERS
    return resolve(SEGMENTERS, algorithm, "algorithm")(user_dict=user_dict, **kw)


# registry targets ("cnlp.models:fmm", ...)
fmm, bmm, bimm = SEGMENTER_FACTORIES["fmm"], SEGMENTER_FACTORIES["bmm"], SEGMENTER_FACTORIES["bimm"]
bigram, hmm, hmm2 = SEGMENTER_FACTORIES["bigram"], SEGMENTER_FACTORIES["hmm"], SEGMENTER_FACTORIES["hmm2"]
perceptron, crf = SEGMENTER_FACTORIES["perceptron"], SEGMENTER_FACTORIES["crf"]


# ------------------------------------------------------------------ taggers
def pos_tagger(user_dict=None):
    """The shipped PKU POS tagger (``data/pos``); with ``user_dict``, a copy fixing its words' tags."""
    def load():
        from .pos.tagger import POSTagger
        return POSTagger.load(model_path("pos"))
    return _with_user_dict(shared("pos", load), user_dict)


def entity_recognizer(*, entities=None, user_dict=None):
    """The shipped entity recognizer (``data/ner``) over its cascade: the shipped CRF segmenter and
    POS tagger; with dictionaries, a shallow copy using them (the cascade decodes with ``user_dict``)."""
    def load():
        from .entities.recognizer import EntityRecognizer
        return EntityRecognizer.load(model_path("ner"), segmenter=crf(), pos=pos_tagger())
    base = shared("ner", load)
    if entities is None and user_dict is None:
        return base
    return base.with_dictionaries(entities=entities, user_dict=user_dict)


def fine_entity_recognizer():
    """The shipped fine-grained entity recognizer (``data/ner_fine``: the ten CLUENER types, address
    ... scene) over the same cascade as :func:`entity_recognizer`."""
    def load():
        from .entities.recognizer import EntityRecognizer
        return EntityRecognizer.load(model_path("ner_fine"), segmenter=crf(), pos=pos_tagger())
    return shared("ner_fine", load)


def load_entity_recognizer(directory, **kw):
    """An entity recognizer saved in ``directory`` over the shipped cascade (what ``cnlp.load``
    gives for an NER bundle)."""
    from .entities.recognizer import EntityRecognizer
    kw.setdefault("segmenter", crf())
    kw.setdefault("pos", pos_tagger())
    return EntityRecognizer.load(directory, **kw)


# ------------------------------------------------------------------ dependency parsing
def parser():
    """The shipped arc-hybrid parser (``data/dep``)."""
    def load():
        from .parsing.parser import ArcHybridParser
        return ArcHybridParser.load(model_path("dep"))
    return shared("dep", load)


def ud_segmenter():
    """The shipped UD segmenter (``data/ud_cws``)."""
    def load():
        from .segmentation.tagging import TaggingSegmenter
        return TaggingSegmenter.load(model_path("ud_cws"))
    return shared("ud_cws", load)


def ud_tagger():
    """The shipped UD tagger: UPOS (``data/ud_pos``) and XPOS (``data/ud_xpos`` when present).
    Its PKU guide tagger is the parser's: ``data/ud_pos`` refers to ``data/dep/guide`` (checked by
    the sha256 of its meta.json), which is loaded once, by the parser."""
    def load():
        from pathlib import Path
        from .errors import ModelFormatError
        from .parsing.frontend import UDTagger, guide_reference
        try:
            xdir = model_path("ud_xpos")
        except ModelFormatError:
            xdir = None
        udir = model_path("ud_pos")
        guide = getattr(parser(), "guide_", None)
        pdir = model_path("dep") / "guide"
        ref = guide_reference(udir)
        if guide is not None and not (ref == Path(pdir).resolve() if ref is not None
                                      else same_bundle(pdir, udir / "guide")):
            guide = None
        return UDTagger.load(udir, xdir, guide=guide)
    return shared("ud_pos", load)


def same_bundle(a, b) -> bool:
    """True when the bundle directories ``a`` and ``b`` hold the same model: the same meta.json
    files (bytes) at the same places, each recording the sha256 of the files beside it."""
    import json
    from pathlib import Path
    a, b = Path(a), Path(b)
    metas = sorted(p.relative_to(a) for p in a.rglob("meta.json"))
    if not metas or metas != sorted(p.relative_to(b) for p in b.rglob("meta.json")):
        return False
    for rel in metas:
        data = (a / rel).read_bytes()
        if data != (b / rel).read_bytes() or not json.loads(data).get("checksums"):
            return False
    return True
