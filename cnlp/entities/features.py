"""The character-level feature preset of the entity recognizer, and its entity lexicon.

Attributes per character (:func:`cnlp.entities._kernels.ner_attributes`): the character and its class;
from the cascade (segmenter, then POS tagger) the character's role in its word (B/M/E/S), the
word's POS tag, hash and length, and the neighbouring words' tags and hashes; from the
:class:`EntityLexicon` learned from the training data, how often the character starts / is inside
a person name, starts / ends a place or an organization name (buckets), and for the word, its most
frequent role in entities (``E-ORG`` for 公司, 大学; ``S-LOC`` for 北京) and how often it lies inside
one; and a gazetteer of the training entities (plus, optionally, names from another corpus): the
longest known entity starting at, ending at and covering each character. Training uses jackknifed
lexicons (each fold's sentences looked up in a lexicon of the other folds), so unseen names look in
training as they do in use.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ..dictionary.trie import build_trie_arrays
from .._hash_kernels import name_hash
from ..sequence.features import Template, compile_templates
from ..text import _BMP_TABLE, fold_str
from ._kernels import CLASS, CODE, GB, GC, GE, LB, LE, N_ATTRIBUTES, N_CHAR_STATS, N_WORD_STATS, NER_PAD, NPROF, \
    NTAG, NWORD, OB, OE, PB, PI, PPROF, PTAG, PWORD, ROLE, WIN, WLEN, WORD, WPROF, WTAG, MARK, ner_features

__all__ = ["NERFeatures", "EntityLexicon", "NER_TEMPLATES", "TEMPLATE_LIBRARY", "DEFAULT_TEMPLATES", "tag_hash"]


def _t(name, seed, *slots):
    return Template(name, seed, tuple(tuple((*p, 1) if len(p) == 2 else tuple(p) for p in s) for s in slots))


def tag_hash(tag: str) -> int:
    """The attribute value of a POS tag name (independent of any tag set's order)."""
    return name_hash(tag)


C, K, R = CODE, CLASS, ROLE
_BIG = 1 << 21          # above every code point: packs (role, code) into one slot
#: the templates: characters in a ±2 window, classes, the cascade's word role / tag / word, the
#: lexicon buckets of the character and its neighbours and of the word and its neighbours
NER_TEMPLATES = (
    _t("C0", 200, [(C, 0)]), _t("C-1", 201, [(C, -1)]), _t("C1", 202, [(C, 1)]), _t("C-2", 203, [(C, -2)]),
    _t("C2", 204, [(C, 2)]), _t("C-1C0", 205, [(C, -1)], [(C, 0)]), _t("C0C1", 206, [(C, 0)], [(C, 1)]),
    _t("C-1C1", 207, [(C, -1)], [(C, 1)]), _t("C-2C-1", 208, [(C, -2)], [(C, -1)]),
    _t("C1C2", 209, [(C, 1)], [(C, 2)]), _t("K0", 210, [(K, 0)]),
    _t("K-1K0K1", 211, [(K, -1, 16), (K, 0, 1)], [(K, 1)]),
    _t("R0,W0", 220, [(R, 0)], [(WORD, 0)]), _t("R0,WT0", 221, [(R, 0)], [(WTAG, 0)]),
    _t("R0C0,WT0", 222, [(R, 0, _BIG), (C, 0, 1)], [(WTAG, 0)]),
    _t("R0,PT0", 223, [(R, 0)], [(PTAG, 0)]), _t("R0,NT0", 224, [(R, 0)], [(NTAG, 0)]),
    _t("WT0,PT0", 225, [(WTAG, 0)], [(PTAG, 0)]), _t("WT0,NT0", 226, [(WTAG, 0)], [(NTAG, 0)]),
    _t("R0,PW0", 227, [(R, 0)], [(PWORD, 0)]), _t("R0,NW0", 228, [(R, 0)], [(NWORD, 0)]),
    _t("R0L0,WT0", 229, [(R, 0, 16), (WLEN, 0, 1)], [(WTAG, 0)]),
    _t("PB0", 240, [(PB, 0)]), _t("PB0,PI1", 241, [(PB, 0)], [(PI, 1)]), _t("PI0", 242, [(PI, 0)]),
    _t("PB-1,PI0", 243, [(PB, -1)], [(PI, 0)]), _t("LB0", 244, [(LB, 0)]), _t("LE0", 245, [(LE, 0)]),
    _t("OB0", 246, [(OB, 0)]), _t("OE0", 247, [(OE, 0)]), _t("LE0,R0", 248, [(LE, 0)], [(R, 0)]),
    _t("OE0,R0", 249, [(OE, 0)], [(R, 0)]), _t("LE1", 250, [(LE, 1)]), _t("OE1", 251, [(OE, 1)]),
    _t("WP0,R0", 260, [(WPROF, 0)], [(R, 0)]), _t("WI0,R0", 261, [(WIN, 0)], [(R, 0)]),
    _t("PP0,R0", 262, [(PPROF, 0)], [(R, 0)]), _t("NP0,R0", 263, [(NPROF, 0)], [(R, 0)]),
    _t("WP0,WT0", 264, [(WPROF, 0)], [(WTAG, 0)]),
    _t("GB0", 270, [(GB, 0)]), _t("GC0", 271, [(GC, 0)]), _t("GE0", 272, [(GE, 0)]),
    _t("GC-1GC0,GC1", 273, [(GC, -1, 64), (GC, 0, 1)], [(GC, 1)]), _t("GC0,C0", 274, [(GC, 0)], [(C, 0)]),
    _t("M0", 280, [(MARK, 0)]), _t("M-1M0M1", 281, [(MARK, -1, 16), (MARK, 0, 1)], [(MARK, 1)]),
    _t("M0,C0", 282, [(MARK, 0)], [(C, 0)]))
del C, K, R
TEMPLATE_LIBRARY = {t.name: t for t in NER_TEMPLATES}
DEFAULT_TEMPLATES = tuple(TEMPLATE_LIBRARY)

#: rate edges of the lexicon buckets (bucket 0: seen too rarely to say)
_EDGES = np.array([0.005, 0.03, 0.1, 0.25, 0.5, 0.8])
#: a character / word must be seen this often for its buckets to be set
CHAR_MIN, WORD_MIN = 3, 2
#: char statistics columns: (type, role) counted
_CHAR_COLS = (("PER", "B"), ("PER", "I"), ("LOC", "B"), ("LOC", "E"), ("ORG", "B"), ("ORG", "E"))


def _bucket(hits: np.ndarray, total: np.ndarray, min_count: int) -> np.ndarray:
    rate = hits / np.maximum(total, 1)
    b = 1 + np.searchsorted(_EDGES, rate, side="right")
    return np.where(total >= min_count, b, 0)


class EntityLexicon:
    """Per-character and per-word entity statistics, as the feature kernel reads them.

    ``cstats`` uint8 (65536, 6): buckets by folded code point (PER start, PER inside, LOC start,
    LOC end, ORG start, ORG end); ``words`` (folded) with ``wstats`` int64 (V, 2): the word's most
    frequent role (``O``, ``B/I/E/S-type`` or crossing an entity boundary) with the bucket of its
    share, and the bucket of its share inside entities.
    """

    def __init__(self, cstats: np.ndarray, words: list[str], wstats: np.ndarray, gwords=(), gtypes=()):
        self.cstats = np.ascontiguousarray(cstats, np.uint8)
        self.words = list(words)
        self.wstats = np.ascontiguousarray(wstats, np.int64).reshape(-1, N_WORD_STATS)
        if self.cstats.ndim != 2 or self.cstats.shape[1] != N_CHAR_STATS:
            raise ValueError(f"character statistics must have shape (C, {N_CHAR_STATS}), got {self.cstats.shape}")
        if len(self.words) != self.wstats.shape[0]:
            raise ValueError(f"{len(self.words)} lexicon words but {self.wstats.shape[0]} rows of statistics")
        self.trie = _trie(self.words)
        self.gwords = list(gwords)
        self.gtypes = np.ascontiguousarray(gtypes, np.int64).reshape(-1)
        if len(self.gwords) != self.gtypes.shape[0]:
            raise ValueError(f"{len(self.gwords)} gazetteer entries but {self.gtypes.shape[0]} types")
        if self.gtypes.size and (self.gtypes.min() < 1 or self.gtypes.max() > 64):
            raise ValueError("gazetteer types must be in [1, 64]")
        self.gaz = _trie(self.gwords)

    @classmethod
    def empty(cls) -> "EntityLexicon":
        return cls(np.zeros((0, N_CHAR_STATS), np.uint8), [], np.zeros((0, N_WORD_STATS), np.int64))

    @classmethod
    def build(cls, sentences, types=("PER", "LOC", "ORG"), gazetteer=(), coarse=None) -> "EntityLexicon":
        """From ``(text, spans, bounds)`` triples: gold entity ``spans`` and the cascade's word
        cut offsets ``bounds`` of each text (``bounds`` None: the sentence counts for the
        character statistics and the gazetteer only, e.g. one of another corpus). The gazetteer
        holds the entities of two or more characters of these sentences and ``gazetteer``
        (``(text, type)`` pairs), each with its most frequent type (ties: the type listed first);
        a gazetteer type outside ``types`` (a word list's own, e.g. ``jieba:nr``) gets its own id
        after them. ``coarse`` maps other types onto PER / LOC / ORG for the character
        statistics (fine-grained types: ``{"name": "PER", "company": "ORG", ...}``)."""
        types = list(types)
        gaz_names = types + sorted({t for _, t in gazetteer if t not in types})
        if len(gaz_names) > 64:
            raise ValueError(f"at most 64 entity and gazetteer types, got {len(gaz_names)}")
        coarse = dict(coarse or {})
        gaz: Counter = Counter((fold_str(x), t) for x, t in gazetteer if len(x) >= 2)
        C = 65536
        total = np.zeros(C, np.int64)
        hits = np.zeros((C, N_CHAR_STATS), np.int64)
        col = {k: j for j, k in enumerate(_CHAR_COLS)}
        roles = ["O"] + [f"{r}-{t}" for t in types for r in "BIES"] + ["X"]
        role_id = {r: i for i, r in enumerate(roles)}
        wcount: Counter = Counter()
        wrole: Counter = Counter()
        for text, spans, bounds in sentences:
            codes = np.frombuffer(fold_str(text).encode("utf-32-le"), np.uint32)
            np.add.at(total, codes[codes < C], 1)
            label = [None] * len(text)
            for s, e, t in spans:
                if e - s >= 2:
                    gaz[fold_str(text[s:e]), t] += 1
                for i in range(s, e):
                    label[i] = (t, s, e)
                for role, i in (("B", s), ("I", range(s + 1, e)), ("E", e - 1)):
                    j = col.get((coarse.get(t, t), role))
                    if j is None:
                        continue
                    idx = codes[i] if role != "I" else codes[s + 1:e]
                    idx = np.atleast_1d(idx)
                    np.add.at(hits[:, j], idx[idx < C], 1)
            b = list(bounds) if bounds is not None else []
            for ws, we in zip(b, b[1:]):
                w = fold_str(text[ws:we])
                first, last = label[ws], label[we - 1]
                if first is None and last is None and all(x is None for x in label[ws:we]):
                    r = "O"
                elif first is not None and first == last and all(x == first for x in label[ws:we]):
                    t, s, e = first
                    r = ("S" if (ws, we) == (s, e) else "B" if ws == s else "E" if we == e else "I") + "-" + t
                else:
                    r = "X"
                wcount[w] += 1
                wrole[w, r] += 1
        cstats = np.zeros((C, N_CHAR_STATS), np.uint8)
        for j in range(N_CHAR_STATS):
            cstats[:, j] = _bucket(hits[:, j], total, CHAR_MIN)
        last = int(np.flatnonzero(cstats.any(axis=1)).max()) + 1 if cstats.any() else 0
        cstats = cstats[:last]
        best: dict[str, tuple[int, str]] = {}
        inside: Counter = Counter()
        for (w, r), c in wrole.items():
            if c > best.get(w, (0, ""))[0] or (c == best[w][0] and r < best[w][1]):
                best[w] = (c, r)
            if r not in ("O", "X"):
                inside[w] += c
        words = sorted(w for w, c in wcount.items() if c >= WORD_MIN)
        wstats = np.zeros((len(words), N_WORD_STATS), np.int64)
        for i, w in enumerate(words):
            c, r = best[w]
            n = wcount[w]
            wstats[i, 0] = (role_id[r] + 1) * 8 + int(_bucket(np.array([c]), np.array([n]), WORD_MIN)[0])
            wstats[i, 1] = int(_bucket(np.array([inside[w]]), np.array([n]), WORD_MIN)[0])
        gbest: dict[str, tuple[int, int]] = {}
        gaz_id = {t: k + 1 for k, t in enumerate(gaz_names)}
        for (x, t), c in gaz.items():
            k = gaz_id[t]
            if c > gbest.get(x, (0, 0))[0] or (c == gbest[x][0] and k < gbest[x][1]):
                gbest[x] = (c, k)
        gwords = sorted(gbest)
        return cls(cstats, words, wstats, gwords, [gbest[x][1] for x in gwords])

    #: the members of :meth:`arrays`
    KEYS = ("cstats", "wstats", "word_ptr", "word_codes", "gaz_ptr", "gaz_codes", "gaz_types")

    def arrays(self) -> dict:
        """Arrays for an npz file (no pickle): statistics, the words and the gazetteer entries as
        code points + offsets."""
        wp, wc = _pack(self.words)
        gp, gc = _pack(self.gwords)
        return {"cstats": self.cstats, "wstats": self.wstats, "word_ptr": wp, "word_codes": wc,
                "gaz_ptr": gp, "gaz_codes": gc, "gaz_types": self.gtypes}

    @classmethod
    def from_arrays(cls, a: dict) -> "EntityLexicon":
        """Inverse of :meth:`arrays`; ``ValueError`` on anything inconsistent."""
        words = _unpack(a["word_ptr"], a["word_codes"], "word")
        gwords = _unpack(a["gaz_ptr"], a["gaz_codes"], "gaz")
        cstats, wstats, gtypes = np.asarray(a["cstats"]), np.asarray(a["wstats"]), np.asarray(a["gaz_types"])
        if cstats.dtype != np.uint8 or wstats.dtype.kind not in "iu" or gtypes.dtype.kind not in "iu":
            raise ValueError("cstats must be uint8, wstats and gaz_types integer")
        if cstats.ndim != 2 or cstats.shape[0] > 65536:
            raise ValueError(f"cstats has shape {cstats.shape}, at most 65536 rows")
        return cls(cstats, words, wstats, gwords, gtypes)


def _trie(words):
    if not words:
        return np.zeros(1, np.int32), np.zeros(1, np.int64), np.zeros(1, np.int32)
    fwd = build_trie_arrays(words, range(len(words)))
    return fwd.root, fwd.htab, fwd.word


def _pack(words):
    codes = [np.frombuffer(w.encode("utf-32-le"), np.uint32) for w in words]
    ptr = np.zeros(len(codes) + 1, np.int64)
    np.cumsum([c.size for c in codes], out=ptr[1:])
    return ptr, (np.concatenate(codes) if codes else np.zeros(0, np.uint32)).astype(np.int32)


def _unpack(ptr, codes, name):
    ptr, codes = np.asarray(ptr), np.asarray(codes)
    if ptr.dtype.kind not in "iu" or codes.dtype.kind not in "iu":
        raise ValueError(f"{name}_ptr and {name}_codes must be integer arrays")
    if ptr.ndim != 1 or ptr.size < 1 or ptr[0] != 0 or ptr[-1] != codes.size or (np.diff(ptr) <= 0).any():
        raise ValueError(f"{name}_ptr must rise strictly from 0 to the number of {name}_codes")
    if codes.size and (codes.min() < 1 or codes.max() > 0x10FFFF or ((codes >= 0xD800) & (codes < 0xE000)).any()):
        raise ValueError(f"{name}_codes hold invalid code points")
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    p = ptr.tolist()
    words = [text[i:j] for i, j in zip(p, p[1:])]
    if len(set(words)) != len(words):
        raise ValueError(f"{name} entries are not unique")
    return words


class NERFeatures:
    """Hashed character-level entity features (:data:`NER_TEMPLATES`) over a lexicon."""

    def __init__(self, *, bits: int = 22, lexicon: EntityLexicon | None = None, templates=None, domain: int = 0,
                 copy_hash: str = "id"):
        if isinstance(domain, bool) or not isinstance(domain, int) or not 0 <= domain < 1000:
            raise ValueError(f"domain must be an int in [0, 1000), got {domain!r}")
        if not 10 <= bits <= 30:
            raise ValueError(f"bits must be in [10, 30], got {bits}")
        if templates is None:
            templates = DEFAULT_TEMPLATES
        if isinstance(templates, str) or any(t not in TEMPLATE_LIBRARY for t in templates):
            raise ValueError(f"unknown NER templates {[t for t in templates if t not in TEMPLATE_LIBRARY]}; "
                             f"choose from {sorted(TEMPLATE_LIBRARY)}")
        if copy_hash not in ("id", "template"):
            raise ValueError(f"copy_hash must be 'id' or 'template', got {copy_hash!r}")
        self.bits = int(bits)
        #: how a feature's per-corpus copy is hashed: from the feature id alone ("id", so decoding
        #: can fold each copy into its shared row) or with the template's column ("template")
        self.copy_hash = copy_hash
        #: 0: plain features; d > 0: every feature also in a copy for training corpus d (the
        #: recognizer decodes with the copy of the corpus it was tuned for)
        self.domain = domain
        self.lexicon = lexicon if lexicon is not None else EntityLexicon.empty()
        self.templates = tuple(TEMPLATE_LIBRARY[t] for t in templates)
        self.spec = compile_templates(self.templates, N_ATTRIBUTES, NER_PAD)

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def kernel_args(self) -> tuple:
        """(table, cstats, trie, wstats, gaz, gtypes, spec, bits, domain) in the order the kernels
        take them after the text, bounds and tag hashes."""
        lx = self.lexicon
        return _BMP_TABLE, lx.cstats, lx.trie, lx.wstats, lx.gaz, lx.gtypes, self.spec, self.bits, self.domain

    def transform(self, codes: np.ndarray, bounds: np.ndarray, wtags: np.ndarray,
                  domain: int | None = None) -> np.ndarray:
        """int32 (n, T) feature ids (2T with a domain) of the code points ``codes`` with the
        cascade's word cut offsets ``bounds`` and per-word tag hashes ``wtags`` (:func:`tag_hash`);
        ``domain`` overrides :attr:`domain` (training on another corpus)."""
        table, cstats, trie, wstats, gaz, gtypes, spec, bits, d = self.kernel_args()
        return ner_features(np.ascontiguousarray(codes, np.int32), table, np.ascontiguousarray(bounds, np.int32),
                            np.ascontiguousarray(wtags, np.int64), cstats, trie, wstats, gaz, gtypes, spec, bits,
                            d if domain is None else domain, self.copy_hash == "id")

    def get_params(self) -> dict:
        params = {"preset": "ner", "bits": self.bits, "templates": [t.name for t in self.templates],
                  "domain": self.domain}
        if self.copy_hash != "template":
            params["copy_hash"] = self.copy_hash
        return params
