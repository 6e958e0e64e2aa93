"""Tag sets: tag names <-> label ids, the tagging scheme, allowed transitions, spans <-> labels.

Every sequence task speaks tag names through a :class:`TagSet`; models and kernels see only the
int32 ids. Schemes:

* ``"plain"``: independent tags (POS); every transition allowed.
* ``"bmes"``: word segmentation, ids B = 0, M = 1, E = 2, S = 3.
* ``"bio"`` / ``"bioes"``: entity spans per type (``O`` = 0, then ``B-T I-T`` or ``B-T I-T E-T S-T``
  for each type ``T``); transitions that cannot occur inside a well-formed span sequence are
  forbidden and decoders enforce it.

>>> ts = TagSet.bioes(["PER", "LOC"])
>>> ts.encode_spans(5, [(0, 2, "PER"), (3, 4, "LOC")]).tolist()
[1, 3, 0, 8, 0]
>>> ts.decode_spans(ts.encode(["B-PER", "E-PER", "O", "S-LOC", "O"]))
[(0, 2, 'PER'), (3, 4, 'LOC')]
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from ._tagset_kernels import (BIO_ROLES, BIOES_ROLES, BMES_LABELS, ROLE_B, ROLE_E, ROLE_I, ROLE_S, bmes_bounds,
                              bmes_of_bounds, entity_spans, force_spans)

__all__ = ["TagSet", "SCHEMES", "NEG"]

SCHEMES = ("plain", "bmes", "bio", "bioes")
#: score of a forbidden transition (added to the learned score; never chosen when any path exists)
NEG = -1e30


class TagSet:
    """An ordered set of tag names under a scheme.

    Build it with :meth:`plain`, :meth:`bmes`, :meth:`bio` or :meth:`bioes`; ``TagSet(names,
    scheme=...)`` checks that ``names`` are what the scheme generates.
    """

    def __init__(self, names: Sequence[str], *, scheme: str = "plain"):
        if scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {scheme!r}; choose one of {list(SCHEMES)}")
        if isinstance(names, str) or not all(isinstance(t, str) and t for t in names):
            raise TypeError("tag names must be a sequence of non-empty str")
        names = tuple(names)
        if len(set(names)) != len(names):
            raise ValueError("tag names must be unique")
        self.names = names
        self.scheme = scheme
        self.types: tuple[str, ...] = ()
        if scheme == "bmes" and names != tuple(BMES_LABELS):
            raise ValueError("the bmes scheme has the tags B, M, E, S in this order")
        if scheme in ("bio", "bioes"):
            if not names or names[0] != "O":
                raise ValueError(f"the {scheme} scheme starts with the tag 'O'")
            parts = BIO_ROLES if scheme == "bio" else BIOES_ROLES
            types = [t[2:] for t in names[1::len(parts)]]
            if names != _span_tags(types, parts):
                raise ValueError(f"{scheme} tags must be O, then {'/'.join(p + '-T' for p in parts)} per type T")
            self.types = tuple(types)
        self._index = {t: i for i, t in enumerate(names)}

    @property
    def parts(self) -> int:
        """Labels per entity type of a span scheme (BIO 2, BIOES 4; 0 otherwise): type ``k`` has the
        labels ``1 + k * parts`` onwards (``cnlp._tagset_kernels`` holds the layouts)."""
        return len(BIO_ROLES) if self.scheme == "bio" else len(BIOES_ROLES) if self.scheme == "bioes" else 0

    # ------------------------------------------------------------------ constructors
    @classmethod
    def plain(cls, tags: Iterable[str]) -> "TagSet":
        if isinstance(tags, str):
            raise TypeError("tag names must be a sequence of str, not one str")
        return cls(list(tags), scheme="plain")

    @classmethod
    def bmes(cls) -> "TagSet":
        return cls(list(BMES_LABELS), scheme="bmes")

    @classmethod
    def bio(cls, types: Iterable[str]) -> "TagSet":
        return cls(_span_tags(list(types), BIO_ROLES), scheme="bio")

    @classmethod
    def bioes(cls, types: Iterable[str]) -> "TagSet":
        return cls(_span_tags(list(types), BIOES_ROLES), scheme="bioes")

    def to_json(self) -> dict:
        return {"scheme": self.scheme, "tags": list(self.names)}

    @classmethod
    def from_json(cls, d) -> "TagSet":
        """Inverse of :meth:`to_json`; ``ValueError``/``TypeError`` on anything malformed."""
        if not isinstance(d, dict) or not isinstance(d.get("tags"), list):
            raise ValueError("a tag set is a JSON object with 'scheme' and a list 'tags'")
        return cls(d["tags"], scheme=d.get("scheme", "plain"))

    # ------------------------------------------------------------------ names <-> ids
    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self):
        return iter(self.names)

    def __contains__(self, tag) -> bool:
        return tag in self._index

    def __eq__(self, other) -> bool:
        return isinstance(other, TagSet) and (self.names, self.scheme) == (other.names, other.scheme)

    def __hash__(self) -> int:
        return hash((self.names, self.scheme))

    def __repr__(self) -> str:
        shown = " ".join(self.names[:8]) + (" ..." if len(self) > 8 else "")
        return f"TagSet({self.scheme}, {len(self)} tags: {shown})"

    def index(self, tag: str) -> int:
        try:
            return self._index[tag]
        except (KeyError, TypeError):
            raise ValueError(f"unknown tag {tag!r}; this tag set has {list(self.names)}") from None

    def encode(self, tags: Iterable[str]) -> np.ndarray:
        """int32 ids of tag names (``ValueError`` naming an unknown tag)."""
        return np.array([self.index(t) for t in tags], np.int32)

    def decode(self, ids) -> list[str]:
        names = self.names
        return [names[i] for i in np.asarray(ids).tolist()]

    # ------------------------------------------------------------------ constraints
    def allowed_transitions(self) -> np.ndarray:
        """bool (L, L): ``[a, b]`` is True when tag ``b`` may follow tag ``a``."""
        L = len(self)
        if self.scheme == "plain":
            return np.ones((L, L), np.bool_)
        ok = np.zeros((L, L), np.bool_)
        for a, ta in enumerate(self.names):
            for b, tb in enumerate(self.names):
                ok[a, b] = self._follows(ta, tb)
        return ok

    def allowed_start(self) -> np.ndarray:
        """bool (L,): tags a sentence may start with."""
        return np.array([self._follows(None, t) for t in self.names], np.bool_)

    def allowed_end(self) -> np.ndarray:
        """bool (L,): tags a sentence may end with."""
        return np.array([self._follows(t, None) for t in self.names], np.bool_)

    def _follows(self, a: str | None, b: str | None) -> bool:
        """May tag ``b`` follow tag ``a`` (None: sentence boundary)?"""
        if self.scheme == "plain":
            return True
        if self.scheme == "bmes":
            ends_word = a is None or a in "ES"
            return (b is None or b in "BS") if ends_word else (b is not None and b in "ME")
        pa, ta = (None, None) if a is None or a == "O" else a.split("-", 1)
        pb, tb = (None, None) if b is None or b == "O" else b.split("-", 1)
        if self.scheme == "bio":
            return pb != "I" or (pa in ("B", "I") and ta == tb)
        if pa in ("B", "I"):                            # bioes: inside a span, continue or end it
            return pb in ("I", "E") and ta == tb
        return pb is None or pb in ("B", "S")

    def transition_penalty(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """float32 (trans (L, L), start (L,), end (L,)): 0 where allowed, :data:`NEG` where not;
        added to a model's scores by constrained decoders."""
        def pen(ok):
            return np.where(ok, 0.0, NEG).astype(np.float32)
        return pen(self.allowed_transitions()), pen(self.allowed_start()), pen(self.allowed_end())

    # ------------------------------------------------------------------ spans <-> labels
    def encode_spans(self, n: int, spans) -> np.ndarray:
        """int32 labels (n,) of ``spans``: for ``bmes`` the words' cut offsets ``[0, ..., n]`` (or
        ``(start, end)`` pairs covering the text), for ``bio``/``bioes`` ``(start, end, type)``
        triples (outside them ``O``)."""
        out = np.zeros(n, np.int32)
        if self.scheme == "bmes":
            spans = list(spans)
            if spans and not np.isscalar(spans[0]):
                b = [s for s, _ in spans] + [spans[-1][1]]
            else:
                b = spans
            b = np.asarray(b, np.int32)
            if n and (b.size < 2 or b[0] != 0 or b[-1] != n or (np.diff(b) <= 0).any()):
                raise ValueError(f"bmes spans must cover [0, {n}) in increasing order")
            return bmes_of_bounds(b, out) if n else out
        if self.scheme == "plain":
            raise ValueError("a plain tag set has no spans; use encode()")
        parts = BIO_ROLES if self.scheme == "bio" else BIOES_ROLES
        k = len(parts)
        last = 0
        for s, e, t in sorted(spans):
            if not (last <= s < e <= n):
                raise ValueError(f"span {(s, e, t)} overlaps another or is outside [0, {n})")
            try:
                base = 1 + self.types.index(t) * k
            except ValueError:
                raise ValueError(f"unknown entity type {t!r}; this tag set has {list(self.types)}") from None
            out[s:e] = base + ROLE_I
            out[s] = base + ROLE_B
            if k == len(BIOES_ROLES):
                out[e - 1] = base + ROLE_E
                if e - s == 1:
                    out[s] = base + ROLE_S
            last = e
        return out

    def decode_spans(self, labels) -> list:
        """``bmes``: int32 cut offsets; ``bio``/``bioes``: ``[(start, end, type)]``. Lenient:
        an ill-formed sequence still decodes (a span starts at B/S, or at I/E after another type)."""
        labels = np.ascontiguousarray(labels, np.int32)
        if self.scheme == "bmes":
            return bmes_bounds(labels)
        if self.scheme == "plain":
            raise ValueError("a plain tag set has no spans; use decode()")
        s, e, t = entity_spans(labels, self.parts)
        types = self.types
        return [(a, b, types[k]) for a, b, k in zip(s.tolist(), e.tolist(), t.tolist())]

    def force_mask(self, n: int, starts, ends) -> np.ndarray:
        """bool (n, 4) allowed BMES labels with each span ``[start, end)`` forced to be one word
        (the characters around it must end / start a word). Spans must not overlap."""
        if self.scheme != "bmes":
            raise ValueError("force_mask is defined for the bmes scheme")
        return force_spans(np.ones((n, 4), np.bool_), np.asarray(starts, np.int64), np.asarray(ends, np.int64))


def _span_tags(types: list[str], parts: str) -> tuple[str, ...]:
    if any(not isinstance(t, str) or not t or "-" in t for t in types):
        raise ValueError(f"entity types must be non-empty str without '-', got {types}")
    if len(set(types)) != len(types):
        raise ValueError(f"entity types must be unique, got {types}")
    return ("O",) + tuple(f"{p}-{t}" for t in types for p in parts)


#: the BMES tag set of every segmenter
BMES = TagSet.bmes()
