"""``Doc``: an analysed text that is lossless by construction (text + int32 cut offsets).

Words are slices of ``Doc.text`` between the offsets in ``Doc.bounds``, so a ``Doc`` whose words do
not reproduce its text cannot be built. Token annotations (POS, dependency heads and relations)
and character-offset entity spans are checked against the tokens when they are set.
"""
from __future__ import annotations

import operator
import re
from itertools import pairwise
from typing import Iterable, Iterator, Mapping, NamedTuple

import numpy as np

from .errors import check_str

__all__ = ["Doc", "Token", "Entity"]

# characters that would end a CoNLL-U line or column: tab and everything str.splitlines() breaks on
_LINE_BREAKING = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SPLIT_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pairs(s: str) -> str:
    """``s`` with each high + low surrogate held as two characters joined into one character, as a
    JSON reader does with ``"\\ud83d\\ude00"`` (lone surrogates stay)."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _split_pairs(text: str, starts) -> str:
    """Undo what JSON reading did to ``text``: at each offset of ``starts`` (offsets of the Doc's
    text) the Doc held a surrogate pair as two characters, which may have arrived as one."""
    if not isinstance(starts, list) or not all(type(i) is int for i in starts):
        raise ValueError(f"malformed Doc JSON: surrogate_pairs must be a list of offsets, got {starts!r}")
    at, out, i = set(starts), [], 0
    for c in text:
        if i in at and ord(c) > 0xFFFF:
            c = chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF))
        out.append(c)
        i += len(c)
    return "".join(out)


_INT32_MAX = 2**31 - 1


class Entity(NamedTuple):
    """An entity span: ``text == doc.text[start:end]`` (character offsets on token boundaries)."""
    text: str
    type: str
    start: int
    end: int

    @property
    def value(self) -> str | None:
        """The normalised value of a time or number expression (``DATE``, ``TIME``, ``MONEY``,
        ``PERCENT``, ``NUMBER``; :func:`cnlp.expressions.value`: ``2017-10-12``, ``15:30``, ``PT3H``,
        ``35000000 CNY``, ``5.2%``), None for other entities and relative expressions."""
        from .expressions import TYPES, value
        return value(self.text, self.type) if self.type in TYPES else None

    def to_dict(self) -> dict:
        """``{"text", "type", "start", "end"}`` and ``"value"`` when there is one (the JSON outputs)."""
        d = {"text": self.text, "type": self.type, "start": self.start, "end": self.end}
        v = self.value
        if v is not None:
            d["value"] = v
        return d


def _ent_json(e: Entity) -> dict:
    d = {"start": e.start, "end": e.end, "type": e.type, "text": e.text}
    v = e.value
    if v is not None:
        d["value"] = v
    return d


class Token(NamedTuple):
    """One token of a :class:`Doc`; ``i`` is its 0-based index, ``head`` is 1-based (0 = root)."""
    text: str
    start: int
    end: int
    pos: str | None
    head: int | None
    deprel: str | None
    i: int

    @property
    def is_space(self) -> bool:
        """True when the token is whitespace only (skipped by the CoNLL-U and PD98 writers)."""
        return self.text.isspace()


def _check_bounds(bounds, n: int) -> np.ndarray:
    arr = np.asarray(bounds)
    if arr.ndim != 1:
        raise ValueError(f"bounds must be 1-D, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError("bounds must not be empty (an empty text has bounds [0])")
    if arr.dtype.kind not in "iu":
        raise ValueError(f"bounds must be integers, got dtype {arr.dtype}")
    if n > _INT32_MAX:
        raise ValueError(f"text of length {n} is too long for int32 offsets")
    arr = arr.astype(np.int64)
    if arr[0] != 0:
        raise ValueError(f"bounds must start at 0, got {arr[0]}")
    if arr[-1] != n:
        raise ValueError(f"bounds must end at len(text) = {n}, got {arr[-1]}")
    bad = np.flatnonzero(np.diff(arr) <= 0)
    if bad.size:
        i = int(bad[0]) + 1
        raise ValueError(f"bounds must be strictly increasing: bounds[{i}] = {arr[i]} after {arr[i - 1]}")
    out = np.ascontiguousarray(arr, dtype=np.int32)
    out.setflags(write=False)
    return out


def _check_labels(values, n: int, name: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise TypeError(f"{name} must be a list of str (one per token), not a str")
    values = tuple(values)
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} entries for {n} tokens")
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise TypeError(f"{name}[{i}] must be str, got {type(v).__name__}")
        if v.split() != [v]:
            raise ValueError(f"{name}[{i}] = {v!r} must be non-empty and contain no whitespace")
    return values


def _as_int(v, what: str) -> int:
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{what} must be int, got {type(v).__name__}")
    return operator.index(v)


def _check_heads(heads, n: int) -> tuple[int, ...] | None:
    if heads is None:
        return None
    heads = tuple(_as_int(h, f"heads[{i}]") for i, h in enumerate(heads))
    if len(heads) != n:
        raise ValueError(f"heads has {len(heads)} entries for {n} tokens")
    for i, h in enumerate(heads):
        if not 0 <= h <= n or h == i + 1:
            raise ValueError(f"heads[{i}] = {h} must be 0 (root) or the 1-based index of another token, in 0..{n}")
    return heads


def _check_sents(sents, bounds: np.ndarray, heads) -> tuple[int, ...] | None:
    """Token-index cuts ``(0, ..., n)`` of the sentence spans ``sents`` (None for one sentence)."""
    tok = {int(b): i for i, b in enumerate(bounds.tolist())}
    cuts, end = [0], 0
    for k, span in enumerate(sents):
        try:
            a, b = span
        except (TypeError, ValueError):
            raise TypeError(f"sents[{k}] must be a (start, end) pair, got {span!r}") from None
        a, b = _as_int(a, f"sents[{k}] start"), _as_int(b, f"sents[{k}] end")
        if a != end or b <= a:
            raise ValueError(f"sents[{k}] = ({a}, {b}): sentences must be non-empty and follow each other from 0")
        if b not in tok:
            raise ValueError(f"sents[{k}] = ({a}, {b}) does not end on a token boundary")
        cuts.append(tok[b])
        end = b
    if end != int(bounds[-1]):
        raise ValueError(f"sents cover 0..{end}, not the whole text (0..{int(bounds[-1])})")
    if len(cuts) <= 2:
        return None
    if heads is not None:
        for s, e in pairwise(cuts):
            for i in range(s, e):
                if heads[i] and not s < heads[i] <= e:
                    raise ValueError(f"heads[{i}] = {heads[i]} points outside its sentence (tokens {s + 1}..{e})")
    return tuple(cuts)


class Doc:
    """A lossless analysed text: the text, its int32 cut offsets and optional token annotations.

    Parameters
    ----------
    text : str
    bounds : array-like of int
        Cut offsets from 0 to ``len(text)``, strictly increasing (``[0]`` for an empty text).
    pos, deprels : list of str, optional
        One tag per token (non-empty, no whitespace).
    xpos : list of str, optional
        A second, language-specific tag per token (CoNLL-U's XPOS); when it is given, ``pos`` holds
        the universal tags (UPOS).
    heads : list of int, optional
        One per token: 0 = root, else the 1-based index of the head token (as in CoNLL-U).
    ents : iterable of (start, end, type) or Entity, optional
        Character-offset spans on token boundaries, not overlapping (see :meth:`set_ents`).
    sents : iterable of (start, end), optional
        Sentence spans in character offsets, on token boundaries, covering the text in order
        (default: the whole text is one sentence). Every head lies in its token's sentence.

    Raises
    ------
    TypeError
        ``text`` is not a str, or an annotation has the wrong type.
    ValueError
        Invalid offsets, an annotation whose length differs from the token count, or an entity
        outside the text / off token boundaries / overlapping another.

    Examples
    --------
    >>> doc = Doc.from_words(["商品", "和", "服务"], pos=["n", "c", "vn"])
    >>> len(doc), doc.words, doc.spans
    (3, ['商品', '和', '服务'], [(0, 2), (2, 3), (3, 5)])
    >>> doc[2]
    Token(text='服务', start=3, end=5, pos='vn', head=None, deprel=None, i=2)
    >>> doc.to_pd98()
    '商品/n 和/c 服务/vn'
    >>> doc.set_ents([(3, 5, "ACT")]); doc.ents
    [Entity(text='服务', type='ACT', start=3, end=5)]
    >>> Doc.from_json(doc.to_json()) == doc
    True
    """

    __slots__ = ("_text", "_bounds", "_pos", "_heads", "_deprels", "_ents", "_words", "_xpos", "_codes",
                 "_pos_ids", "_pos_names", "_xpos_ids", "_xpos_names", "_sents")
    __hash__ = None  # mutable entities; equality compares content

    def __init__(self, text: str, bounds, *, pos=None, heads=None, deprels=None, ents=None, xpos=None,
                 sents=None):
        self._text = check_str(text, "Doc")
        self._bounds = _check_bounds(bounds, len(text))
        n = len(self._bounds) - 1
        self._pos = _check_labels(pos, n, "pos")
        self._xpos = _check_labels(xpos, n, "xpos")
        if self._xpos is not None and self._pos is None:
            raise ValueError("xpos needs pos (the universal tags) as well")
        self._heads = _check_heads(heads, n)
        self._deprels = _check_labels(deprels, n, "deprels")
        self._words: list[str] | None = None
        self._codes = self._pos_ids = self._pos_names = self._xpos_ids = self._xpos_names = None
        self._ents: tuple[Entity, ...] = ()
        self._sents = None if sents is None else _check_sents(sents, self._bounds, self._heads)
        if ents is not None:
            self.set_ents(ents)

    @classmethod
    def _trusted(cls, text: str, bounds: np.ndarray, pos: tuple[str, ...] | None = None, words=None, *,
                 codes: np.ndarray | None = None, pos_ids: np.ndarray | None = None, pos_names=None,
                 xpos_ids: np.ndarray | None = None, xpos_names=None, heads=None, deprels=None) -> "Doc":
        """A Doc from parts that are valid by construction (a segmenter's checked int32 offsets,
        tag ids of a tag set, one per token, with ``names[id]`` their names; ``codes`` the text's
        code points); skips the checks of ``__init__``. Tag names are decoded when asked for."""
        self = object.__new__(cls)
        b = np.ascontiguousarray(bounds, np.int32)
        if b is bounds:
            b = b.copy()
        b.setflags(write=False)
        self._text, self._bounds, self._pos = text, b, pos
        self._codes = codes
        self._pos_ids, self._pos_names = pos_ids, pos_names
        self._xpos, self._xpos_ids, self._xpos_names = None, xpos_ids, xpos_names
        self._heads, self._deprels = heads, deprels
        self._words, self._ents = words, ()
        self._sents = None
        return self

    @classmethod
    def _join(cls, text: str, docs: list["Doc"], starts: list[int], codes: np.ndarray | None = None) -> "Doc":
        """One Doc of ``text`` from the Docs of its consecutive sentences (``docs[k]`` analyses
        ``text[starts[k]:]``; together they cover the text): offsets and heads shifted, the
        sentences kept as :attr:`sents`. Tag ids are kept when every Doc has them with the same names."""
        bounds, heads, tok = [np.zeros(1, np.int32)], [], 0
        for d, a in zip(docs, starts):
            bounds.append(d._bounds[1:] + np.int32(a))
            if d._heads is not None:
                heads.extend(h + tok if h else 0 for h in d._heads)
            tok += len(d)
        layers = {}
        for key in ("pos", "xpos"):
            ids = [getattr(d, f"_{key}_ids") for d in docs]
            names = getattr(docs[0], f"_{key}_names")
            if all(x is not None for x in ids) and all(getattr(d, f"_{key}_names") is names for d in docs):
                layers[f"{key}_ids"], layers[f"{key}_names"] = np.concatenate(ids), names
            elif key == "pos" and all(d._tags() is not None for d in docs):
                layers["pos"] = tuple(t for d in docs for t in d._tags())
        doc = cls._trusted(text, np.concatenate(bounds), codes=codes, **layers,
                           heads=tuple(heads) if all(d._heads is not None for d in docs) else None,
                           deprels=tuple(r for d in docs for r in d._deprels)
                           if all(d._deprels is not None for d in docs) else None)
        if "xpos_ids" not in layers and all(d._xtags() is not None for d in docs):
            doc._xpos = tuple(t for d in docs for t in d._xtags())
        if len(docs) > 1:
            cuts = np.cumsum([0] + [len(d) for d in docs])
            doc._sents = tuple(int(c) for c in cuts)
        ents = [(e.start + a, e.end + a, e.type) for d, a in zip(docs, starts) for e in d._ents]
        if ents:
            doc.set_ents(ents)
        return doc

    @classmethod
    def from_words(cls, words: Iterable[str], pos=None, *, heads=None, deprels=None, ents=None) -> "Doc":
        """A Doc whose text is ``"".join(words)``; every word must be a non-empty str."""
        if isinstance(words, str):
            raise TypeError("words must be a list of str, not a str")
        words = list(words)
        ends = [0]
        for i, w in enumerate(words):
            check_str(w, "Doc.from_words")
            if not w:
                raise ValueError(f"words[{i}] is empty; every word must have at least one character")
            ends.append(ends[-1] + len(w))
        return cls("".join(words), ends, pos=pos, heads=heads, deprels=deprels, ents=ents)

    # ---- attributes --------------------------------------------------------------------
    text = property(lambda self: self._text, doc="The analysed text (exactly the input).")
    bounds = property(lambda self: self._bounds, doc="Read-only int32 cut offsets, 0 .. len(text).")
    pos = property(lambda self: None if self._tags() is None else list(self._tags()), doc="POS tags or None.")
    xpos = property(lambda self: None if self._xtags() is None else list(self._xtags()),
                    doc="Language-specific tags (CoNLL-U XPOS) or None; when set, ``pos`` holds UPOS.")
    heads = property(lambda self: None if self._heads is None else list(self._heads), doc="Heads or None.")
    deprels = property(lambda self: None if self._deprels is None else list(self._deprels),
                       doc="Dependency relations or None.")
    ents = property(lambda self: list(self._ents), doc="Entity spans sorted by start.")

    @property
    def codes(self) -> np.ndarray:
        """Read-only int32 code points of the text, one per ``str`` index (:func:`cnlp.text.to_codes`),
        computed once and shared by every component of a pipeline."""
        if self._codes is None:
            from .text import to_codes
            c = to_codes(self._text)
            c.setflags(write=False)
            self._codes = c
        return self._codes

    def _tags(self) -> tuple[str, ...] | None:
        """POS names, decoded from the tag ids on first use."""
        p = self._pos
        if p is None and self._pos_ids is not None:
            names = self._pos_names
            p = self._pos = tuple([names[i] for i in self._pos_ids.tolist()])
        return p

    def _xtags(self) -> tuple[str, ...] | None:
        p = self._xpos
        if p is None and self._xpos_ids is not None:
            names = self._xpos_names
            p = self._xpos = tuple([names[i] for i in self._xpos_ids.tolist()])
        return p

    def tag_ids(self):
        """``(int ids per token, names)`` of the POS layer with ``names[id]`` the tag name, as the
        tagger wrote them (None when the layer was given as names or is absent)."""
        return None if self._pos_ids is None else (self._pos_ids, self._pos_names)

    @property
    def words(self) -> list[str]:
        """The tokens' texts; ``"".join(doc.words) == doc.text``."""
        if self._words is None:
            t = self._text
            self._words = [t[a:b] for a, b in pairwise(self._bounds.tolist())]
        return list(self._words)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of each token."""
        return list(pairwise(self._bounds.tolist()))

    def _sent_cuts(self) -> tuple[int, ...]:
        return (0, len(self)) if self._sents is None else self._sents

    @property
    def sent_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of each sentence (one for the whole text unless the
        Doc was built with sentences, as :func:`cnlp.parse` does)."""
        b = self._bounds
        return [(int(b[s]), int(b[e])) for s, e in pairwise(self._sent_cuts())]

    @property
    def sents(self) -> list["Doc"]:
        """One Doc per sentence (:attr:`sent_spans`): its text, tokens and annotations, heads
        numbered within the sentence; ``[self]`` when the Doc is one sentence."""
        if self._sents is None:
            return [self]
        out = []
        pos, xpos, b = self._tags(), self._xtags(), self._bounds
        for s, e in pairwise(self._sents):
            a, z = int(b[s]), int(b[e])
            out.append(Doc(self._text[a:z], b[s:e + 1] - b[s],
                           pos=None if pos is None else pos[s:e], xpos=None if xpos is None else xpos[s:e],
                           heads=None if self._heads is None else [h - s if h else 0 for h in self._heads[s:e]],
                           deprels=None if self._deprels is None else self._deprels[s:e],
                           ents=[(x.start - a, x.end - a, x.type) for x in self._ents if a <= x.start < z]))
        return out

    def set_ents(self, spans: Iterable) -> None:
        """Replace the entities by ``spans``: ``(start, end, type)`` tuples or :class:`Entity` objects.

        Offsets must lie on token boundaries with ``0 <= start < end <= len(text)``; spans must not
        overlap; ``type`` is a non-empty str. Entities are kept sorted by start. Raises ValueError
        (TypeError for wrong types) and leaves the current entities unchanged on error.
        """
        cuts = set(self._bounds.tolist())
        ents = []
        for k, s in enumerate(spans):
            if isinstance(s, Entity):
                start, end, typ = s.start, s.end, s.type
                if s.text != self._text[start:end]:
                    raise ValueError(f"entity {k}: text {s.text!r} != doc.text[{start}:{end}]")
            else:
                start, end, typ = s
            start, end = _as_int(start, f"entity {k} start"), _as_int(end, f"entity {k} end")
            if not isinstance(typ, str) or not typ:
                raise TypeError(f"entity {k}: type must be a non-empty str, got {typ!r}")
            if not 0 <= start < end <= len(self._text):
                raise ValueError(f"entity {k} ({start}, {end}) is empty or outside the text of length {len(self._text)}")
            if start not in cuts or end not in cuts:
                raise ValueError(f"entity {k} ({start}, {end}, {typ!r}) is not aligned to token boundaries")
            ents.append(Entity(self._text[start:end], typ, start, end))
        ents.sort(key=lambda e: (e.start, e.end))
        for a, b in pairwise(ents):
            if b.start < a.end:
                raise ValueError(f"entities overlap: {a} and {b}")
        self._ents = tuple(ents)

    # ---- sequence protocol -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(n))]
        i = operator.index(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"token index out of range for a Doc of {n} tokens")
        a, b = int(self._bounds[i]), int(self._bounds[i + 1])
        pos = self._tags()
        return Token(self._text[a:b], a, b, None if pos is None else pos[i],
                     None if self._heads is None else self._heads[i],
                     None if self._deprels is None else self._deprels[i], i)

    def __iter__(self) -> Iterator[Token]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other):
        if not isinstance(other, Doc):
            return NotImplemented
        return (self._text == other._text and np.array_equal(self._bounds, other._bounds)
                and self._tags() == other._tags() and self._heads == other._heads
                and self._deprels == other._deprels and self._ents == other._ents and self._xtags() == other._xtags()
                and self._sents == other._sents)

    def __repr__(self) -> str:
        t = self._text if len(self._text) <= 20 else self._text[:19] + "…"
        extra = "".join(f", {k}" for k, v in (("pos", self._tags()), ("heads", self._heads)) if v is not None)
        ents = f", {len(self._ents)} ents" if self._ents else ""
        return f"<Doc {t!r}: {len(self)} tokens{extra}{ents}>"

    # ---- views and serialisation -------------------------------------------------------
    def tagged(self) -> list[tuple[str, str]]:
        """``[(word, pos), ...]``; ValueError if the Doc has no POS tags."""
        pos = self._tags()
        if pos is None:
            raise ValueError("this Doc has no POS tags (build it with pos=... or a Pipeline with a tagger)")
        return list(zip(self.words, pos))

    def to_json(self) -> dict:
        """A JSON-serialisable dict: ``text``, ``tokens`` (text/start/end/pos/head/deprel), ``ents``.

        ``layers`` lists the token annotations present (so a Doc without tokens keeps them too).
        A text that holds a surrogate pair as two characters (``"\\ud83d\\ude00"`` as two lone
        surrogates: offsets count two) gets ``surrogate_pairs``, the offsets of those pairs: a JSON
        reader joins such a pair into one character, and :meth:`from_json` splits it again.
        """
        xpos = self._xtags()
        layers = [k for k, v in (("pos", self._tags()), ("head", self._heads), ("deprel", self._deprels),
                                 ("xpos", xpos)) if v is not None]
        tokens = [{"text": t.text, "start": t.start, "end": t.end, "pos": t.pos,
                   "head": t.head, "deprel": t.deprel} for t in self]
        if xpos is not None:
            for tok, x in zip(tokens, xpos):
                tok["xpos"] = x
        out = {"text": self._text, "layers": layers, "tokens": tokens,
               "ents": [_ent_json(e) for e in self._ents]}
        if self._sents is not None:        # more than one sentence
            out["sents"] = [list(s) for s in self.sent_spans]
        pairs = [m.start() for m in _SPLIT_PAIR.finditer(self._text)]
        if pairs:
            out["surrogate_pairs"] = pairs
        return out

    @classmethod
    def from_json(cls, d: Mapping) -> "Doc":
        """Inverse of :meth:`to_json` (ValueError for a malformed or inconsistent dict)."""
        try:
            text, tokens, ents = d["text"], d["tokens"], d.get("ents", [])
            if "surrogate_pairs" in d and isinstance(text, str):
                text = _split_pairs(text, d["surrogate_pairs"])
            bounds = [0]
            for k, t in enumerate(tokens):
                if t["start"] != bounds[-1]:
                    raise ValueError(f"token {k} starts at {t['start']}, expected {bounds[-1]}")
                bounds.append(t["end"])
            cols = {key: [t.get(key) for t in tokens] for key in ("pos", "head", "deprel", "xpos")}
            spans = [(e["start"], e["end"], e["type"]) for e in ents]
            layers = d.get("layers")
            layers = [k for k, vs in cols.items() if any(v is not None for v in vs)] if layers is None else layers
            cols = {k: (vs if k in layers else None) for k, vs in cols.items()}
            sents = d.get("sents")
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed Doc JSON: {exc!r}") from None
        doc = cls(text, bounds, pos=cols["pos"], heads=cols["head"], deprels=cols["deprel"], ents=spans,
                  xpos=cols["xpos"], sents=sents)
        pairs = [*zip(tokens, doc.words), *zip(sorted(ents, key=lambda e: (e["start"], e["end"])),
                                               (e.text for e in doc._ents))]
        for item, real in pairs:
            if item.get("text", real) != real and _join_pairs(item.get("text", real)) != _join_pairs(real):
                raise ValueError(f"text {item['text']!r} does not match its offsets ({real!r})")
        return doc

    def to_conllu(self, *, upos: Mapping[str, str] | None = None, sent_id: str | None = None,
                  number_from: int | None = None) -> str:
        """The Doc as CoNLL-U: one sentence per :attr:`sents` (with ``sent_id``, numbered
        ``<sent_id>-1``, ``<sent_id>-2``, ... when there are several; with ``number_from=N``, the
        sentences written get ``# sent_id = N``, ``N+1``, ... as ``cnlp parse`` numbers them), each
        terminated by a blank line ("" for a sentence without word tokens). LEMMA is ``_``.

        With :attr:`xpos` set, ``pos`` goes to UPOS and ``xpos`` to XPOS. Otherwise POS tags go to
        XPOS; UPOS is ``_`` unless ``upos`` maps XPOS -> UPOS (unmapped tags: ``X``).
        Whitespace-only tokens get no word line: IDs are 1..m over the others and HEAD is renumbered
        to them (ValueError if a head is a whitespace token). MISC has ``SpaceAfter=No`` when the
        next character exists and is not whitespace. Tabs and line breaks inside a token or in the
        ``# text`` comment are written as spaces; tokens and the comment are stripped.
        """
        if number_from is not None:
            if sent_id is not None:
                raise ValueError("give sent_id or number_from, not both")
            out, n = [], number_from
            for d in self.sents:
                block = d.to_conllu(upos=upos, sent_id=str(n))
                if block:
                    out.append(block)
                    n += 1
            return "".join(out)
        if self._sents is not None:
            return "".join(d.to_conllu(upos=upos, sent_id=None if sent_id is None else f"{sent_id}-{k}")
                           for k, d in enumerate(self.sents, 1))
        words = self.words
        keep = [i for i, w in enumerate(words) if not w.isspace()]
        if not keep:
            return ""
        ids = {i: k for k, i in enumerate(keep, 1)}
        lines = [] if sent_id is None else [f"# sent_id = {_LINE_BREAKING.sub(' ', str(sent_id))}"]
        lines.append(f"# text = {_LINE_BREAKING.sub(' ', self._text).strip()}")
        text, n = self._text, len(self._text)
        pos, xpos = self._tags(), self._xtags()
        for i in keep:
            tag = None if pos is None else pos[i]
            head = "_"
            if self._heads is not None:
                h = self._heads[i]
                if h and h - 1 not in ids:
                    raise ValueError(f"token {i + 1} ({words[i]!r}) has a whitespace token as its head")
                head = str(ids[h - 1] if h else 0)
            end = int(self._bounds[i + 1])
            no_space = end < n and not text[end].isspace() and not text[end - 1].isspace()
            if xpos is not None:
                ucol, xcol = tag, xpos[i]
            else:
                ucol = "_" if tag is None else (upos.get(tag, "X") if upos is not None else "_")
                xcol = tag or "_"
            lines.append("\t".join((
                str(ids[i]), _LINE_BREAKING.sub(" ", words[i].strip()), "_", ucol, xcol, "_", head, "_" if self._deprels is None else self._deprels[i], "_",
                "SpaceAfter=No" if no_space else "_")))
        return "\n".join(lines) + "\n\n"

    def to_pd98(self) -> str:
        """``"word/TAG word/TAG ..."`` with single spaces; whitespace tokens are omitted.

        Inner whitespace of a token is written as ``_`` so every item stays one ``word/TAG`` field.
        """
        return " ".join(f"{'_'.join(w.split())}/{t}" for w, t in self.tagged() if not w.isspace())
