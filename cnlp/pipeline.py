"""``Pipeline``: a segmenter plus optional POS tagger, dependency parser and NER, producing :class:`Doc`.

Components are duck-typed:

* segmenter: ``bounds(text) -> int32 cut offsets`` (any :class:`cnlp.segmentation.base.Segmenter`);
* pos: ``predict(words: list[str]) -> list[str]``;
* parser: ``parse(words, tags) -> (heads, deprels)``, heads 0 = root else 1-based over ``words``;
* ner: ``predict_doc(doc) -> [(start, end, type), ...]`` in character offsets.

Order: segment, POS, entities, parse. Line ends are hard boundaries: without a parser, a text with
several lines is analysed line by line (a Doc with :attr:`Doc.sents`), so no tagger's context
crosses a line end (a parser splits into sentences with ``split``, or parses one tree without it). Whitespace-only tokens are never shown to the tagger or the
parser: they receive the POS tag ``"w"`` (PKU's punctuation/symbol tag), head 0 and relation
``"_"``, and the parser's heads are renumbered from its word list to the Doc's tokens. The NER
component sees the Doc with tokens and POS tags; an entity boundary that falls inside a token
splits that token (the pieces are re-tagged), so ``doc.ents`` always lie on token boundaries.
"""
from __future__ import annotations

import re

import operator
from itertools import islice, pairwise
from typing import Iterable, Iterator

import numpy as np

from .doc import Doc
from .errors import check_str
from .text import LINE_END, sentence_spans, to_codes

__all__ = ["Pipeline", "SPACE_TAG"]

#: POS tag given to whitespace-only tokens (they are not passed to the tagger)
SPACE_TAG = "w"
_SPACE = re.compile(r"\s")
#: deprel given to whitespace-only tokens (their head is 0)
SPACE_DEPREL = "_"

#: line ends are hard boundaries for the taggers too: each line is analysed on its own
_LINE_END = re.compile("[" + re.escape(LINE_END) + "]+")
_NO_IDS = np.zeros(0, np.int32)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the lines of ``text`` and of the runs of line ends between them, in order."""
    spans, a = [], 0
    for m in _LINE_END.finditer(text):
        if m.start() > a:
            spans.append((a, m.start()))
        spans.append((m.start(), m.end()))
        a = m.end()
    if a < len(text):
        spans.append((a, len(text)))
    return spans


_NO_XPOS = ("_", SPACE_TAG)
_NAMES: dict = {}


def _names(tagset) -> tuple[str, ...]:
    """The names of a tag set's ids, plus :data:`SPACE_TAG` at the end when the set lacks it."""
    names = _NAMES.get(tagset)
    if names is None:
        names = tuple(tagset.names)
        if SPACE_TAG not in names:
            names += (SPACE_TAG,)
        _NAMES[tagset] = names
    return names


def _spread(ids: np.ndarray, keep, n: int, names: tuple[str, ...]):
    """(tag ids of all ``n`` tokens, names): the ids of the kept tokens in place, the id of
    :data:`SPACE_TAG` for the whitespace tokens."""
    if keep is None:
        return np.asarray(ids), names
    out = np.full(n, names.index(SPACE_TAG), np.int32)
    out[keep] = ids
    return out, names


_EXTENDED: dict = {}


def _user_layers(layers: dict, user: dict) -> dict:
    """``layers`` with the POS of the tokens of ``user`` ({token: tag}) set to the user's own tags,
    their names appended to the tag names (one names tuple per set of extra tags, shared)."""
    names = layers["pos_names"]
    extra = tuple(sorted(set(user.values()) - set(names)))
    key = (names, extra)
    ext = _EXTENDED.get(key)
    if ext is None:
        if len(_EXTENDED) > 256:
            _EXTENDED.clear()
        ext = _EXTENDED[key] = names + extra
    index = {t: i for i, t in enumerate(ext)}
    ids = np.array(layers["pos_ids"], np.int32)
    for tok, t in user.items():
        ids[tok] = index[t]
    return dict(layers, pos_ids=ids, pos_names=ext)


_METHODS = {"segmenter": ("bounds", "bounds(text) -> int32 cut offsets"),
            "pos": ("predict", "predict(words) -> list of tags"),
            "ner": ("predict_doc", "predict_doc(doc) -> list of (start, end, type)"),
            "parser": ("parse", "parse(words, tags) -> (heads, deprels)")}


def _name(obj) -> str:
    return type(obj).__name__


class Pipeline:
    """Segment a text and annotate it with the given components; returns a :class:`Doc`.

    Parameters
    ----------
    segmenter : Segmenter
        Anything with ``bounds(text)``, e.g. ``cnlp.get_segmenter("crf")``.
    pos, ner, parser : optional
        Components as described in the module docstring. A parser needs ``pos`` (it reads the tags).
    split : bool
        Analyse each sentence of the text on its own (:func:`cnlp.text.sentence_spans`: after
        。！？… and at line ends; not at ；) and return one Doc with :attr:`Doc.sents`; the parser's heads
        stay within each sentence and the time is linear in the text. Default False: the text is
        one sentence.
    beam, treebank : optional
        For cnlp's own UD tagger and parser: the parser's beam width (default: the model's; 1 =
        greedy) and the treebank style to tag and parse in (default: the models'). A parser of
        another kind receives them as keyword arguments of ``parse`` when they are given.

    Raises
    ------
    TypeError
        A component lacks its method.
    ValueError
        ``parser`` without ``pos``.

    Examples
    --------
    >>> from cnlp.dictionary import Dictionary
    >>> from cnlp.segmentation.maxmatch import MaxMatchSegmenter
    >>> class Tagger:
    ...     def predict(self, words):
    ...         return ["n"] * len(words)
    >>> nlp = Pipeline(MaxMatchSegmenter(Dictionary.from_counts(["商品", "服务"])), pos=Tagger())
    >>> doc = nlp("商品 服务")
    >>> doc.tagged()
    [('商品', 'n'), (' ', 'w'), ('服务', 'n')]
    >>> [d.words for d in nlp.pipe(["商品和服务", ""])]
    [['商品', '和', '服务'], []]
    """

    def __init__(self, segmenter, *, pos=None, ner=None, parser=None, split: bool = False,
                 beam: int | None = None, treebank: str | None = None):
        for role, comp in (("segmenter", segmenter), ("pos", pos), ("ner", ner), ("parser", parser)):
            method, sig = _METHODS[role]
            if role != "segmenter" and comp is None:
                continue
            if not callable(getattr(comp, method, None)):
                raise TypeError(f"{role} must have a method {sig}; got {_name(comp)}")
        if parser is not None and pos is None:
            raise ValueError("a parser reads POS tags: pass pos=... as well")
        self.segmenter = segmenter
        self.pos = pos
        self.ner = ner
        self.parser = parser
        self.split = bool(split)
        if beam is not None and (isinstance(beam, bool) or not isinstance(beam, int) or beam < 1):
            raise ValueError(f"beam must be an int >= 1, got {beam!r}")
        self.beam, self.treebank = beam, treebank
        #: the keyword arguments of the parser
        self._parse_kw = {k: v for k, v in (("beam", beam), ("treebank", treebank)) if v is not None}
        #: a tagger that also gives language-specific tags (UPOS + XPOS)
        self._both = callable(getattr(pos, "predict_both", None))
        #: every component is one of cnlp's own: the data path runs on code points, offsets and tag ids
        self._ids = self._own_components()

    def _own_components(self) -> bool:
        from .parsing.frontend import UDTagger
        from .segmentation.base import Segmenter
        from .tagset import TagSet
        if not isinstance(self.segmenter, Segmenter):
            return False
        if self.pos is not None:
            if isinstance(self.pos, UDTagger):
                ok = all(x is None or (callable(getattr(x, "predict_ids", None)) and isinstance(x.tagset, TagSet))
                         for x in (self.pos.upos, self.pos.xpos))
            else:
                ok = not self._both and callable(getattr(self.pos, "predict_ids", None)) \
                    and isinstance(getattr(self.pos, "tagset", None), TagSet)
            if not ok:
                return False
        return self.parser is None or callable(getattr(self.parser, "parse_codes", None))

    def __call__(self, text: str, *, split: bool | None = None) -> Doc:
        """Analyse one text (TypeError unless it is a str); ``split`` overrides the pipeline's
        (split into sentences or not)."""
        text = check_str(text, "Pipeline")
        if self.split if split is None else split:
            spans = sentence_spans(text, merge_blank=True, semicolons=False)
        elif self.parser is None and _LINE_END.search(text) is not None:    # (a parse of split=False: one tree)
            spans = _line_spans(text)
            docs = [self._call_one(text[a:b]) for a, b in spans]
            doc = Doc._join(text, docs, [a for a, _ in spans])
            # one sentence per line: a run of line ends belongs to the line before it
            blank = [not any(c not in LINE_END for c in text[a:b]) for a, b in spans]
            cuts = np.cumsum([0] + [len(d) for d in docs]).tolist()
            keep = [0] + [cuts[k] for k in range(1, len(docs)) if not blank[k] and not all(blank[:k])] + [cuts[-1]]
            doc._sents = tuple(keep) if len(keep) > 2 else None
            return doc
        else:
            spans = ()
        if len(spans) > 1:
            docs = [self._call_one(text[a:b]) for a, b in spans]
            return Doc._join(text, docs, [a for a, _ in spans])
        return self._call_one(text)

    def _call_one(self, text: str) -> Doc:
        if self._ids:
            return self._call_ids(text)
        return self._call_names(text)

    # ---- the data path of cnlp's own components: one Doc, code points once, tag ids ------------
    def _call_ids(self, text: str) -> Doc:
        codes = to_codes(text)          # writable for the components: a kernel compiled for segment() serves here too
        ro = codes.view()
        ro.setflags(write=False)        # what the Docs hold
        bounds = self.segmenter.bounds(text, codes)
        if self.pos is None and self.ner is None:
            return Doc._trusted(text, bounds, codes=ro)
        has_space = _SPACE.search(text) is not None
        layers, aux = self._tag_layers(text, codes, bounds, has_space) if self.pos is not None else ({}, None)
        user = layers.pop("user_tags", None)
        ents = None
        if self.ner is not None and len(bounds) > 1:
            ents = self._entities(Doc._trusted(text, bounds, codes=ro, **layers))
            cuts = set(bounds.tolist())
            extra = {x for s, e, _ in ents for x in (s, e)} - cuts
            if extra:          # an entity boundary inside a token: split the token there, re-tag
                bounds = np.array(sorted(cuts | extra), np.int32)
                if self.pos is not None:
                    layers, aux = self._tag_layers(text, codes, bounds, has_space)
                    user = layers.pop("user_tags", None)
        if self.parser is not None:
            layers["heads"], layers["deprels"] = self._parse_ids(bounds, layers, aux)
        if user:               # the user's own tags: shown in the Doc (the NER read the model's tags)
            layers = _user_layers(layers, user)
        doc = Doc._trusted(text, bounds, codes=ro, **layers)
        if ents:
            doc.set_ents(ents)
        return doc

    @staticmethod
    def _kept(text: str, codes: np.ndarray, bounds: np.ndarray, has_space: bool):
        """(indices of the tokens that are not whitespace only or None for all, their code points,
        their cut offsets): what the tagger and the parser read."""
        if not has_space:
            return None, codes, bounds
        b = bounds.tolist()
        keep = [i for i, (x, y) in enumerate(zip(b, b[1:])) if not text[x:y].isspace()]
        mask = np.zeros(len(b) - 1, np.bool_)
        mask[keep] = True
        lens = np.diff(bounds)
        kb = np.zeros(len(keep) + 1, np.int32)
        np.cumsum(lens[mask], out=kb[1:])
        return keep, np.ascontiguousarray(codes[np.repeat(mask, lens)]), kb

    def _tag_layers(self, text: str, codes: np.ndarray, bounds: np.ndarray, has_space: bool) -> dict:
        """The POS (and XPOS) layers as tag ids (whitespace tokens get :data:`SPACE_TAG`), and what the
        parser reads besides: (the guide tagger's ids and the guide, kept code points, kept offsets,
        kept token indices)."""
        from .parsing.frontend import UDTagger
        keep, kc, kb = self._kept(text, codes, bounds, has_space)
        n = len(bounds) - 1
        out = {}
        if isinstance(self.pos, UDTagger):
            up, xp, guide = self.pos.predict_ids(kc, kb, self.treebank) if len(kb) > 1 else (_NO_IDS, _NO_IDS, None)
            out["pos_ids"], out["pos_names"] = _spread(up, keep, n, _names(self.pos.upos.tagset))
            if self.pos.xpos is not None:
                out["xpos_ids"], out["xpos_names"] = _spread(xp, keep, n, _names(self.pos.xpos.tagset))
            else:
                out["xpos_ids"], out["xpos_names"] = _spread(np.zeros(len(kb) - 1, np.int32), keep, n, _NO_XPOS)
            return out, (guide, getattr(self.pos.upos, "guide", None), kc, kb, keep)
        ids = _NO_IDS
        if len(kb) > 1:
            ud = getattr(self.pos, "user_dict", None)
            user = None
            if ud is not None and len(ud):
                b = bounds.tolist()
                words = [text[b[i]:b[i + 1]] for i in (range(n) if keep is None else keep)]
                ids = self.pos.predict_ids(kc, kb, words=words)
                user = getattr(self.pos, "user_tags", None)
                user = user(words) if user is not None else None
            else:
                ids = self.pos.predict_ids(kc, kb)
            if user:
                out["user_tags"] = {(j if keep is None else keep[j]): t for j, t in user.items()}
        out["pos_ids"], out["pos_names"] = _spread(ids, keep, n, _names(self.pos.tagset))
        return out, (None, None, kc, kb, keep)

    def _parse_ids(self, bounds, layers, aux):
        """(heads, relations) of every token: the parser reads the kept tokens' code points and
        UPOS tags, and the guide tagger's ids when its guide is the tagger's."""
        guide, guide_tagger, kc, kb, keep = aux
        n = len(bounds) - 1
        m = len(kb) - 1
        names = layers["pos_names"]
        ids = layers["pos_ids"]
        tags = [names[i] for i in (ids.tolist() if keep is None else ids[keep].tolist())]
        if guide is not None and guide_tagger is not getattr(self.parser, "guide_", None):
            guide = None
        if m:
            heads, rels = self.parser.parse_codes(kc, kb, tags, guide_ids=guide, **self._parse_kw)
            self._check_parse(heads, rels, m)
        else:
            heads, rels = [], []
        if keep is None:
            return tuple(heads), tuple(rels)
        hs, rs = [0] * n, [SPACE_DEPREL] * n
        for i, h, r in zip(keep, heads, rels):
            hs[i] = keep[h - 1] + 1 if h else 0
            rs[i] = r
        return tuple(hs), tuple(rs)

    # ---- any components: words and tag names ------------------------------------------------
    def _call_names(self, text: str) -> Doc:
        bounds = self.segmenter.bounds(text)
        if self.pos is None and self.ner is None:
            return Doc(text, bounds)
        bounds = list(bounds.tolist() if hasattr(bounds, "tolist") else bounds)
        pos, xpos = self._pos_column(text, bounds) if self.pos is not None else (None, None)
        ents = None
        if self.ner is not None and len(bounds) > 1:
            ents = self._entities(Doc(text, bounds, pos=pos))
            cuts = set(bounds)
            extra = {x for s, e, _ in ents for x in (s, e)} - cuts
            if extra:          # an entity boundary inside a token: split the token there, re-tag
                bounds = sorted(cuts | extra)
                pos, xpos = self._pos_column(text, bounds) if self.pos is not None else (None, None)
        heads = deprels = None
        if self.parser is not None:
            spans = list(pairwise(bounds))
            keep = [i for i, (a, b) in enumerate(spans) if not text[a:b].isspace()]
            words = [text[a:b] for a, b in (spans[i] for i in keep)]
            heads, deprels = [0] * len(spans), [SPACE_DEPREL] * len(spans)
            for i, h, r in zip(keep, *self._parse(words, [pos[i] for i in keep])):
                heads[i] = keep[h - 1] + 1 if h else 0
                deprels[i] = r
        doc = Doc(text, bounds, pos=pos, heads=heads, deprels=deprels, xpos=xpos)
        if ents:
            doc.set_ents(ents)
        return doc

    def _pos_column(self, text: str, bounds: list[int]) -> tuple[list[str], list[str] | None]:
        """(one tag per token, one XPOS per token or None); whitespace tokens get :data:`SPACE_TAG`
        and are not shown to the tagger. A tagger with ``predict_both(words) -> (upos, xpos)``
        (the UD tagger) fills both columns."""
        spans = list(pairwise(bounds))
        keep = [i for i, (a, b) in enumerate(spans) if not text[a:b].isspace()]
        words = [text[a:b] for a, b in (spans[i] for i in keep)]
        pos = [SPACE_TAG] * len(spans)
        if self._both and words:
            upos, xs = (list(x) for x in (self.pos.predict_both(words, self.treebank) if self.treebank
                                          else self.pos.predict_both(words)))
            if len(upos) != len(words) or len(xs) != len(words):
                raise ValueError(f"{_name(self.pos)}.predict_both returned {len(upos)} / {len(xs)} tags "
                                 f"for {len(words)} words")
            xpos = [SPACE_TAG] * len(spans)
            for i, u, x in zip(keep, upos, xs):
                pos[i], xpos[i] = u, x
            return pos, xpos
        for i, t in zip(keep, self._tags(words)):
            pos[i] = t
        return pos, (([SPACE_TAG] * len(spans)) if self._both else None)

    def _entities(self, doc: Doc) -> list[tuple[int, int, str]]:
        """The NER component's spans, checked (ints, inside the text, not overlapping, str type)."""
        name = _name(self.ner)
        out = []
        for k, span in enumerate(self.ner.predict_doc(doc)):
            try:
                s, e, t = span
            except (TypeError, ValueError):
                raise TypeError(f"{name}.predict_doc returned {span!r}, not a (start, end, type) triple") from None
            if isinstance(s, bool) or isinstance(e, bool) or not hasattr(s, "__index__") or not hasattr(e, "__index__"):
                raise TypeError(f"{name}.predict_doc returned an invalid entity: offsets of entity {k} must be int")
            if not isinstance(t, str) or not t:
                raise TypeError(f"{name}.predict_doc returned an invalid entity: type of entity {k} must be a non-empty str")
            s, e = operator.index(s), operator.index(e)
            if not 0 <= s < e <= len(doc.text):
                raise ValueError(f"{name}.predict_doc returned an invalid entity: ({s}, {e}) is empty or "
                                 f"outside the text of length {len(doc.text)}")
            out.append((s, e, t))
        out.sort()
        for a, b in pairwise(out):
            if b[0] < a[1]:
                raise ValueError(f"{name}.predict_doc returned an invalid entity: {a} and {b} overlap")
        return out

    def _tags(self, words: list[str]) -> list[str]:
        if not words:
            return []
        tags = list(self.pos.predict(words))
        if len(tags) != len(words):
            raise ValueError(f"{_name(self.pos)}.predict returned {len(tags)} tags for {len(words)} words")
        return tags

    def _parse(self, words: list[str], tags: list[str]) -> tuple[list[int], list[str]]:
        if not words:
            return [], []
        heads, rels = self.parser.parse(words, tags, **self._parse_kw)
        heads, rels = list(heads), list(rels)
        self._check_parse(heads, rels, len(words))
        return heads, rels

    def _check_parse(self, heads: list, rels: list, m: int) -> None:
        if len(heads) != m or len(rels) != m:
            raise ValueError(f"{_name(self.parser)}.parse returned {len(heads)} heads and {len(rels)} "
                             f"relations for {m} words")
        for k, h in enumerate(heads):
            if isinstance(h, bool) or not hasattr(h, "__index__"):
                raise TypeError(f"{_name(self.parser)}.parse returned head {h!r} (not an int) for word {k}")
            heads[k] = h = operator.index(h)
            if not 0 <= h <= m:
                raise ValueError(f"{_name(self.parser)}.parse returned head {h} outside 0..{m} for word {k}")

    def pipe(self, texts: Iterable[str], batch_size: int = 256, n_jobs: int = 1) -> Iterator[Doc]:
        """Analyse ``texts`` lazily, in order, one Doc per input (never dropped).

        ``texts`` may be any iterable (a generator, a file object); it is read ``batch_size`` texts
        at a time. A non-str item raises TypeError when it is reached. ``n_jobs`` > 1 analyses
        batches on that many threads sharing this pipeline (cnlp's kernels release the GIL; at most
        ``2 * n_jobs`` batches are pending). For worker processes, which load the models from their
        directories, use :func:`cnlp.batch.imap_ordered` with an :class:`cnlp.batch.AnnotatorSpec`.
        """
        if isinstance(texts, (str, bytes, bytearray)):
            raise TypeError(f"pipe() expects an iterable of str, got a single {type(texts).__name__}")
        for name, v in (("batch_size", batch_size), ("n_jobs", n_jobs)):
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError(f"{name} must be int, got {type(v).__name__}")
            if v < 1:
                raise ValueError(f"{name} must be >= 1, got {v}")
        if n_jobs > 1:
            return self._pipe_threads(iter(texts), batch_size, n_jobs)
        return self._pipe(iter(texts), batch_size)

    def _pipe(self, it: Iterator[str], batch_size: int) -> Iterator[Doc]:
        while batch := list(islice(it, batch_size)):
            for text in batch:
                yield self(text)

    def _pipe_threads(self, it: Iterator[str], batch_size: int, n_jobs: int) -> Iterator[Doc]:
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            pending: deque = deque()
            while True:
                while len(pending) < 2 * n_jobs and (batch := list(islice(it, batch_size))):
                    pending.append(pool.submit(lambda b=batch: [self(t) for t in b]))
                if not pending:
                    return
                yield from pending.popleft().result()

    def warmup(self) -> "Pipeline":
        """Run every component once on a short text (Numba compilation, lazy loading); returns self."""
        self("中文分词 warm-up 123。")
        return self

    def __repr__(self) -> str:
        parts = [_name(self.segmenter)] + [f"{k}={_name(getattr(self, k))}" for k in ("pos", "parser", "ner")
                                           if getattr(self, k) is not None]
        return f"Pipeline({', '.join(parts)})"


#: what :func:`build_pipeline` builds
TASKS = ("segment", "tag", "ner", "analyze", "parse")


def build_pipeline(task: str, *, segmenter=None, pos=None, ner=None, parser=None, algorithm: str | None = None,
                   user_dict=None, entities=None, split: bool = True, beam: int | None = None,
                   treebank: str | None = None) -> Pipeline:
    """The one builder of cnlp's pipelines (``cnlp.tag/analyze/ner/parse``, the CLI, batch and Dask).

    ``task``: ``"segment"`` (segmenter), ``"tag"`` (+ PKU POS tagger), ``"ner"`` (segmenter +
    entity recognizer, which tags the Doc's words with its cascade's POS tagger), ``"analyze"``
    (segmenter + POS tagger + entity recognizer, which reads the POS tags the pipeline has) or
    ``"parse"`` (UD segmenter + UPOS/XPOS tagger + parser, the PKU guide tagger run once, each
    sentence on its own: ``split``; ``beam`` and ``treebank``: see :class:`Pipeline`).
    Components given are used as they are; the missing ones are the shipped models
    (:mod:`cnlp.models`), decoding with ``user_dict`` (a :class:`cnlp.dictionary.UserDictionary`)
    and, for NER, ``entities`` (a :class:`cnlp.entities.recognizer.EntityDictionary`). The segmenter of
    ``"ner"`` is the recognizer's cascade segmenter unless one is given; ``algorithm`` names the
    segmenter of ``"segment"``, ``"tag"`` and ``"analyze"`` (default: ``registry.DEFAULT_SEGMENTER``).
    """
    from . import models
    from .registry import DEFAULT_SEGMENTER, PKU_SEGMENTER
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {list(TASKS)}")
    if task == "parse":
        return Pipeline(segmenter if segmenter is not None else models.ud_segmenter(),
                        pos=pos if pos is not None else models.ud_tagger(),
                        parser=parser if parser is not None else models.parser(), split=split,
                        beam=beam, treebank=treebank)
    if task in ("ner", "analyze") and ner is None:
        ner = models.entity_recognizer(entities=entities, user_dict=user_dict).with_expressions()
    if segmenter is None:
        segmenter = ner.segmenter if task == "ner" else \
            models.segmenter(algorithm or (DEFAULT_SEGMENTER if task == "segment" else PKU_SEGMENTER),
                             user_dict=user_dict)
        if task != "segment":
            segmenter = models.pku_words(segmenter)      # the POS tagger and the recognizer learned PKU words
    if task in ("tag", "analyze") and pos is None:
        pos = models.pos_tagger(user_dict=user_dict)
    return Pipeline(segmenter, pos=pos if task in ("tag", "analyze") else None,
                    ner=ner if task in ("ner", "analyze") else None)
