"""Dictionary: folded words in a marisa-trie, frequency and POS distribution in numpy arrays.

marisa assigns its own ids ``0..n-1``; ``freq_[id]`` and the POS CSR (``pos_offsets``,
``pos_ids``, ``pos_counts`` over ``pos_names``) are indexed by them. For the Numba kernels the
words are also kept as two array tries (forward, and over reversed words for backward
matching). The bundle stores their CSR arrays only; on load they are validated (a kernel must
never index out of bounds) and the root table and edge hash are rebuilt (a few ms).
"""
from __future__ import annotations

import contextlib

import re
import warnings
from pathlib import Path
from typing import Iterable, Iterator

import marisa_trie
import numpy as np

from ..errors import CorpusFormatError, ModelFormatError
from ..io import INT, LIST, STR, Arr, Field, guard_load, load_bundle, save_bundle
from ..text import FOLD_TRANSLATE, fold_key, fold_width, to_codes, trie_get  # noqa: F401 (fold_key re-exported)
from .tags import check_tag
from ._kernels import (MAX_NODES, TrieArrays, build_edges, build_hash, count_matches, empty_trie, fill_matches,
                       nb_prefix_matches, walk_backward, walk_forward)

__all__ = ["Dictionary", "build_trie_arrays", "nb_prefix_matches", "walk_forward", "walk_backward",
           "TrieArrays", "read_dictionary_text", "read_user_dictionary", "dictionary_lines"]
_CSR = ("first", "code", "child", "word")
#: meta.json fields of a dictionary bundle
DICT_SCHEMA = {"pos_names": LIST(STR(lo=1, hi=64), hi=4096, required=False),
               "folded": Field(bool, required=False), "max_len": INT(0, 1 << 16, required=False),
               "total": INT(0, 1 << 62, required=False)}
KIND = "dictionary"
_INT = re.compile(r"^\d+(\.\d+)?$")
#: largest word frequency accepted anywhere (files, add_word, from_entries): sums over a million
#: words stay far inside int64, and a float64 holds it exactly
MAX_FREQ = 1 << 40


def parse_freq(token: str) -> int:
    """A frequency column (``12`` or ``12.0``) as an int in [0, MAX_FREQ]; ValueError otherwise."""
    if not _INT.match(token) or len(token) > 20:
        raise ValueError(f"frequency {token[:30]!r} is not a number in [0, {MAX_FREQ}]")
    f = int(float(token)) if "." in token else int(token)
    if f > MAX_FREQ:
        raise ValueError(f"frequency {token[:30]} is larger than {MAX_FREQ}")
    return f


def check_freq(f, what: str = "freq") -> int:
    """``f`` as an int in [0, MAX_FREQ] (ints and numpy integers only); ValueError otherwise."""
    if isinstance(f, bool) or not isinstance(f, (int, np.integer)) or not 0 <= f <= MAX_FREQ:
        raise ValueError(f"{what} must be an int in [0, {MAX_FREQ}], got {f!r}")
    return int(f)


# str.translate form of cnlp.text.fold_str (full-width ASCII -> half width, ideographic space ->
# space, ASCII upper -> lower, traditional -> simplified): ~10x faster per word than an array round trip
_FOLD = FOLD_TRANSLATE


def build_trie_arrays(words: list[str], ids, *, reverse: bool = False) -> TrieArrays:
    """Array trie over ``words`` (``word[node]`` = ``ids[k]`` for the k-th word)."""
    if not words:
        return empty_trie()
    keys = [w[::-1] for w in words] if reverse else list(words)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    skeys = [keys[k] for k in order]
    lens = np.fromiter(map(len, skeys), np.int64, len(skeys))
    offsets = np.zeros(len(skeys) + 1, np.int64)
    np.cumsum(lens, out=offsets[1:])
    codes_all = to_codes("".join(skeys))
    total = int(offsets[-1])
    sids = np.asarray(ids, np.int32)[np.asarray(order, np.int64)] if len(order) else np.zeros(0, np.int32)
    parents = np.empty(total, np.int32)
    codes = np.empty(total, np.int32)
    children = np.empty(total, np.int32)
    node_word = np.empty(total + 1, np.int32)
    n_nodes, m = build_edges(codes_all, offsets, sids, parents, codes, children, node_word,
                             np.zeros(int(lens.max()) + 1, np.int32))
    parents, codes, children, node_word = parents[:m], codes[:m], children[:m], node_word[:n_nodes]
    srt = np.lexsort((codes, parents))
    parents, codes, children = parents[srt], codes[srt], children[srt]
    if n_nodes > MAX_NODES:
        raise ValueError(f"dictionary too large for the array trie: {n_nodes} nodes > {MAX_NODES}")
    first = np.zeros(n_nodes + 1, np.int32)
    np.cumsum(np.bincount(parents, minlength=n_nodes), out=first[1:])
    return trie_from_csr(first, codes, children, node_word)


def check_trie_csr(first, code, child, word, n_words: int) -> str | None:
    """Why the CSR arrays of a stored trie are unsafe to walk, or None when they are consistent."""
    if any(a.dtype != np.int32 or a.ndim != 1 for a in (first, code, child, word)):
        return "trie arrays must be 1-d int32"
    n_nodes = word.shape[0]
    if n_nodes < 1 or n_nodes > MAX_NODES or first.shape[0] != n_nodes + 1:
        return f"trie has {n_nodes} nodes but {first.shape[0]} child offsets"
    if first[0] != 0 or first[-1] != code.shape[0] or code.shape != child.shape or np.any(np.diff(first) < 0):
        return "trie child offsets are not monotone from 0 to the number of edges"
    if code.shape[0] and (code.min() < 0 or code.max() > 0x10FFFF or child.min() < 1 or child.max() >= n_nodes):
        return "trie edge code points or child nodes out of range"
    if word.min() < -1 or word.max() >= n_words:
        return "trie word ids out of range"
    return None


def trie_from_csr(first, code, child, word) -> TrieArrays:
    """Complete :class:`TrieArrays` (root table and edge hash) from validated CSR arrays."""
    n_nodes = word.shape[0]
    parents = np.repeat(np.arange(n_nodes, dtype=np.int32), np.diff(first))
    root = np.zeros(65536, np.int32)
    rsel = (parents == 0) & (code < 65536)
    root[code[rsel]] = np.where(word[child[rsel]] >= 0, -child[rsel], child[rsel])
    hsel = ~rsel                      # edges below the root, and non-BMP root edges
    size = 1 << max(4, int(hsel.sum() / 0.7).bit_length())     # load factor <= 0.7
    htab = np.zeros(size, np.int64)
    build_hash(parents[hsel], code[hsel], child[hsel], word, htab)
    return TrieArrays(root, first, code, child, word, htab)


class Dictionary:
    """Read-only word dictionary: folded word -> frequency and POS distribution.

    Build with :meth:`from_counts`, :meth:`from_stats` or :meth:`load_text`; persist with
    :meth:`save` / :meth:`load`.

    >>> d = Dictionary.from_counts({"研究": 5, "生命": 3})
    >>> "研究" in d, d.freq("生命"), d.freq("起源")
    (True, 3, 0)
    """

    def __init__(self, trie: marisa_trie.Trie, freq: np.ndarray, pos_offsets: np.ndarray,
                 pos_ids: np.ndarray, pos_counts: np.ndarray, pos_names: list[str],
                 fwd: TrieArrays | None = None, bwd: TrieArrays | None = None, meta: dict | None = None):
        self.trie = trie
        self.freq_ = np.asarray(freq, np.int64)
        self.pos_offsets = np.asarray(pos_offsets, np.int64)
        self.pos_ids = np.asarray(pos_ids, np.int32)
        self.pos_counts = np.asarray(pos_counts, np.int64)
        self.pos_names = list(pos_names)
        self.meta = dict(meta or {})
        if fwd is None or bwd is None:
            items = trie.items()
            words = [w for w, _ in items]
            ids = [i for _, i in items]
            fwd = build_trie_arrays(words, ids)
            bwd = build_trie_arrays(words, ids, reverse=True)
        self.fwd, self.bwd = fwd, bwd
        self.total = int(self.freq_.sum())
        self.folded = bool(self.meta.get("folded", True))
        self.max_len = max((len(w) for w in trie.keys()), default=0) if "max_len" not in self.meta \
            else int(self.meta["max_len"])

    # ---- construction ------------------------------------------------------------------
    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, int, dict | None]], meta: dict | None = None,
                     *, fold: bool = True) -> "Dictionary":
        """From ``(word, freq, {pos: count} | None)``; duplicates merged.

        With ``fold=True`` (default) words are width-folded and lower-cased
        (:func:`cnlp.text.fold_str`) and matched against folded text; ``fold=False`` keeps them
        verbatim and matches them against the raw text (the SIGHAN baseline setting).
        """
        freq: dict[str, int] = {}
        pw: list[str] = []              # (word, pos, count) of every POS entry, merged below
        pp: list[str] = []
        pc: list[int] = []
        for word, f, dist in entries:
            w = word.translate(_FOLD) if fold else word
            if not w:
                continue
            freq[w] = min(freq.get(w, 0) + check_freq(f, f"frequency of {word!r}"), MAX_FREQ)
            if dist:
                for p, c in dist.items():
                    pw.append(w)
                    pp.append(p)
                    pc.append(check_freq(c, f"POS count of {word!r}"))
        trie = marisa_trie.Trie(freq.keys())
        n = len(trie)
        wid = dict(trie.items())
        fr = np.zeros(n, np.int64)
        fr[np.fromiter(map(wid.__getitem__, freq), np.int64, len(freq))] = np.fromiter(freq.values(), np.int64, len(freq))
        names = sorted(set(pp))
        pid = {p: i for i, p in enumerate(names)}
        ids = np.fromiter(map(wid.__getitem__, pw), np.int64, len(pw))
        key = ids * max(len(names), 1) + np.fromiter(map(pid.__getitem__, pp), np.int64, len(pp))
        ukey, inv = np.unique(key, return_inverse=True)
        counts = np.zeros(ukey.shape[0], np.int64)
        np.add.at(counts, inv.reshape(-1), np.asarray(pc, np.int64))
        rid, rpos = np.divmod(ukey, max(len(names), 1))
        srt = np.lexsort((rpos, -counts, rid))          # per word: most frequent POS first
        pids, pcs = rpos[srt].astype(np.int32), counts[srt]
        offsets = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(rid, minlength=n), out=offsets[1:])
        meta = dict(meta or {})
        meta["max_len"] = max((len(w) for w in freq), default=0)
        meta["folded"] = bool(fold)
        return cls(trie, fr, offsets, pids, pcs, names, meta=meta)

    @classmethod
    def from_counts(cls, counts) -> "Dictionary":
        """From ``{word: freq}`` or an iterable of words (freq 1 each)."""
        if isinstance(counts, dict):
            return cls.from_entries((w, f, None) for w, f in counts.items())
        return cls.from_entries((w, 1, None) for w in counts)

    @classmethod
    def from_stats(cls, stats) -> "Dictionary":
        """From a :class:`cnlp.corpus.stats.CorpusStats` (word counts and tag distributions)."""
        return cls.from_entries(((w, c, stats.tags_of(w)) for w, c in stats.word_items()),
                                meta={"source": stats.meta.get("source") if hasattr(stats, "meta") else None})

    @classmethod
    def load_text(cls, path, *, format: str = "auto", lenient: bool = False, fold: bool = True) -> "Dictionary":
        """Load a text dictionary.

        Formats: ``words`` (one word per line), ``jieba`` (``word freq [pos]``), ``hanlp``
        (``word pos freq [pos freq ...]``); ``auto`` decides from the first entry. A BOM is
        stripped; ``#`` starts a comment line. A malformed line raises
        :class:`CorpusFormatError` with file and line number, or is skipped with a warning
        when ``lenient=True``.
        """
        return cls.from_entries(read_dictionary_text(path, format=format, lenient=lenient),
                                meta={"source": str(path)}, fold=fold)

    # ---- persistence -------------------------------------------------------------------
    def save(self, directory) -> Path:
        arrays = {"freq": self.freq_, "pos_offsets": self.pos_offsets, "pos_ids": self.pos_ids,
                  "pos_counts": self.pos_counts}
        for name, t in (("fwd", self.fwd), ("bwd", self.bwd)):
            for field in _CSR:                      # root table and edge hash are rebuilt on load
                arrays[f"{name}_{field}"] = getattr(t, field)
        meta = {**self.meta, "pos_names": self.pos_names, "n_words": len(self), "total": self.total,
                "max_len": self.max_len}
        return save_bundle(directory, KIND, meta, arrays, {"words": self.trie})

    @classmethod
    @guard_load
    def load(cls, directory) -> "Dictionary":
        req = {"freq": Arr("i", 1, lo=0), "pos_offsets": Arr("i", 1, lo=0), "pos_ids": Arr("i", 1, lo=0),
               "pos_counts": Arr("i", 1, lo=0)}
        for name in ("fwd", "bwd"):
            req.update({f"{name}_{f}": Arr("i", 1) for f in _CSR})
        meta, a, tries = load_bundle(directory, KIND, req, ("words",), schema=DICT_SCHEMA)
        trie = tries["words"]
        npz = Path(directory) / "arrays.npz"
        n = len(trie)
        if a["freq"].shape != (n,):
            raise ModelFormatError(npz, f"{a['freq'].shape[0]} frequencies for {n} words")
        po, pids, names = a["pos_offsets"], a["pos_ids"], meta.get("pos_names", [])
        if po.shape != (n + 1,) or po[0] != 0 or np.any(np.diff(po) < 0) or po[-1] != pids.shape[0] \
                or pids.shape != a["pos_counts"].shape or (pids.size and (pids.min() < 0 or pids.max() >= len(names))):
            raise ModelFormatError(npz, "POS distribution arrays are inconsistent")
        tries_ = []
        for name in ("fwd", "bwd"):
            csr = [np.ascontiguousarray(a[f"{name}_{f}"]) for f in _CSR]
            why = check_trie_csr(*csr, n)
            if why:
                raise ModelFormatError(npz, f"{name}: {why}")
            tries_.append(trie_from_csr(*csr))
        return cls(trie, a["freq"], po, pids, a["pos_counts"], names, *tries_, meta)

    def kernel_arrays(self, direction: str = "forward") -> TrieArrays:
        """The array trie for Numba kernels (``"backward"``: over reversed words).

        Pass its fields one by one to :func:`cnlp.dictionary.trie.nb_prefix_matches` (all words
        starting at a position) or :func:`walk_forward` / :func:`walk_backward` (longest word)
        from inside your own ``@njit`` code; word ids index :attr:`freq_` and the POS arrays.
        """
        if direction not in ("forward", "backward"):
            raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")
        return self.fwd if direction == "forward" else self.bwd

    # ---- lookups -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.trie)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and trie_get(self.trie, self._key(word)) >= 0

    def _key(self, word: str) -> str:
        return word.translate(_FOLD) if self.folded else word

    def word_id(self, word: str) -> int:
        """Id of ``word`` (folded if the dictionary is), or -1."""
        return trie_get(self.trie, self._key(word))

    def freq(self, word: str) -> int:
        i = self.word_id(word)
        return int(self.freq_[i]) if i >= 0 else 0

    def pos_of_id(self, i: int) -> dict[str, int]:
        a, b = self.pos_offsets[i], self.pos_offsets[i + 1]
        return {self.pos_names[p]: int(c) for p, c in zip(self.pos_ids[a:b], self.pos_counts[a:b])}

    def get(self, word: str):
        """``(freq, {pos: count})`` of ``word`` or None."""
        i = self.word_id(word)
        return None if i < 0 else (int(self.freq_[i]), self.pos_of_id(i))

    def top_pos(self, word: str) -> str | None:
        """The most frequent POS tag of ``word`` or None."""
        i = self.word_id(word)
        if i < 0 or self.pos_offsets[i] == self.pos_offsets[i + 1]:
            return None
        return self.pos_names[self.pos_ids[self.pos_offsets[i]]]

    def words(self) -> Iterator[str]:
        return iter(self.trie.keys())

    def find_matches(self, folded_codes: np.ndarray):
        """All dictionary words at each position of ``folded_codes`` (int32, already folded).

        Returns ``(offsets int32[n+1], ends int32[m], ids int32[m])``: the words starting at i end
        at ``ends[offsets[i]:offsets[i+1]]`` (ascending) and have ids ``ids[...]``.
        """
        codes = np.ascontiguousarray(folded_codes, dtype=np.int32)
        m = count_matches(self.fwd, codes)
        offsets = np.empty(codes.shape[0] + 1, np.int32)
        ends = np.empty(m, np.int32)
        ids = np.empty(m, np.int32)
        fill_matches(self.fwd, codes, offsets, ends, ids)
        return offsets, ends, ids

    def matches_in(self, text: str):
        """:meth:`find_matches` on a ``str`` (folded here if the dictionary is folded)."""
        codes = to_codes(text)
        return self.find_matches(fold_width(codes) if self.folded else codes)

    def __repr__(self) -> str:
        return f"Dictionary({len(self)} words, total freq {self.total})"


def _columns(line: str) -> list[str]:
    """The columns of a dictionary line: split at whitespace, except that a line with a tab is
    ``word<TAB>rest``, its word kept whole (words with spaces: ``OpenGL ES<TAB>5<TAB>nz``)."""
    if "\t" in line:
        head, tail = line.split("\t", 1)
        head = head.strip()
        return ([head] if head else []) + tail.split()
    return line.split()


def dictionary_lines(path, lenient: bool = False) -> Iterator[tuple[int, str, list[str]]]:
    """``(line number, line, columns)`` of the entries of a text dictionary file (a path, or an open
    file object, binary UTF-8 or text, read and left open): BOM stripped, blank and ``#`` lines
    skipped, columns by :func:`_columns`. A line that is not UTF-8 raises CorpusFormatError (with
    ``lenient``: a warning, the line skipped)."""
    if callable(getattr(path, "read", None)):        # an open file (binary or text): read, not closed
        f = contextlib.nullcontext(path)
        path = getattr(path, "name", "<file object>")
    else:
        path = Path(path)
        try:
            f = open(path, "rb")
        except OSError as e:
            raise type(e)(e.errno, f"cannot open dictionary {str(path)!r} ({e.strerror})", str(path)) from None
    with f as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw if isinstance(raw, str) else raw.decode("utf-8")
            except UnicodeDecodeError as e:
                err = CorpusFormatError(path, lineno, f"not valid UTF-8 ({e.reason})")
                if lenient:
                    warnings.warn(str(err), stacklevel=4)
                    continue
                raise err from None
            if lineno == 1:
                line = line.lstrip("\ufeff")
            body = line.rstrip("\r\n").lstrip()          # a last tab kept: "a word with spaces<TAB>"
            line = body.strip()
            if not line or line.startswith("#"):
                continue
            yield lineno, line, _columns(body if "\t" in body else line)


def _source_name(path):
    return getattr(path, "name", "<file object>") if callable(getattr(path, "read", None)) else Path(path)


def read_dictionary_text(path, *, format: str = "auto", lenient: bool = False,
                         extra_columns: bool = False) -> Iterator[tuple]:
    """Yield ``(word, freq, {pos: count} | None)`` from a text dictionary file (see load_text):
    a path, or an open file object (binary: UTF-8; or text), which is read and left open. A line
    with a tab keeps its first column whole (a word with spaces).

    With ``extra_columns=True`` a trailing ``force``/``suggest`` column is accepted and yielded
    as a 4th element (user dictionaries).
    """
    if format not in ("auto", "words", "jieba", "hanlp"):
        raise ValueError(f"unknown dictionary format {format!r}; choose one of "
                         f"['auto', 'hanlp', 'jieba', 'words']")
    fmt = format
    name = _source_name(path)
    for lineno, line, cols in dictionary_lines(path, lenient):
        mode = None
        if extra_columns and cols[-1] in ("force", "suggest") and len(cols) > 1:
            mode = cols.pop()
        if fmt == "auto":
            if len(cols) == 1:
                fmt = "words"
            elif _INT.match(cols[1]):
                fmt = "jieba"
            else:
                fmt = "hanlp"
        try:
            entry = _parse(cols, fmt, extra_columns)
        except ValueError as e:
            err = CorpusFormatError(name, lineno, f"{e} (format {fmt!r})", line)
            if lenient:
                warnings.warn(str(err), stacklevel=3)
                continue
            raise err from None
        yield (*entry, mode) if extra_columns else entry


#: the line forms of user dictionary files (:func:`read_user_dictionary`), for messages
USER_FORMATS = {"jieba": "word [freq] [pos]", "hanlp": "word pos freq [pos freq ...]"}
USER_MODES = ("force", "prefer", "suggest")


def _user_fits(rest: list[str]) -> tuple[bool, bool]:
    """Whether the columns after the word fit jieba's ``[freq] [pos]`` and HanLP's
    ``pos freq [pos freq ...]``."""
    n = len(rest)
    num = [bool(_INT.match(c)) for c in rest]
    jieba = n <= 1 or (n == 2 and num[0] and not num[1])
    hanlp = n >= 2 and n % 2 == 0 and all(num[1::2]) and not any(num[0::2])
    return jieba, hanlp


def read_user_dictionary(path, *, lenient: bool = False) -> Iterator[tuple]:
    """Yield ``(word, freq | None, pos | None, mode | None)`` from a user dictionary file in the
    formats users have, detected per file: jieba (``word [freq] [pos]``), HanLP (``word pos freq
    [pos freq ...]``: the frequencies summed, the first tag is the word's), either with a last
    ``force|prefer|suggest`` column, and a tab after the word for words with spaces
    (``OpenGL ES<TAB>nz<TAB>5``). A line that fits neither raises :class:`CorpusFormatError` naming
    the file, the line and the format the file was read as (``lenient``: a warning, line skipped)."""
    fmt = None                       # decided by the first line only one format fits
    name = _source_name(path)
    for lineno, line, cols in dictionary_lines(path, lenient):
        mode = None
        if len(cols) > 1 and cols[-1] in USER_MODES:
            mode = cols.pop()
        word, rest = cols[0], cols[1:]
        jieba, hanlp = _user_fits(rest)
        if fmt is None and jieba != hanlp:
            fmt = "jieba" if jieba else "hanlp"
        try:
            if hanlp:                  # never both: HanLP needs a tag before its first number
                dist: dict[str, int] = {}
                for p, c in zip(rest[::2], rest[1::2]):
                    dist[p] = min(dist.get(p, 0) + parse_freq(c), MAX_FREQ)
                entry = (word, min(sum(dist.values()), MAX_FREQ), rest[0], mode)
            elif jieba:
                freq = parse_freq(rest[0]) if rest and _INT.match(rest[0]) else None
                pos = rest[-1] if rest and not _INT.match(rest[-1]) else None
                entry = (word, freq, pos, mode)
            else:
                read_as = f"read as {fmt} ({USER_FORMATS[fmt]!r})" if fmt else "format not yet decided"
                raise ValueError(f"the line fits no user dictionary format ({read_as}; formats: "
                                 + ", ".join(f"{k} {v!r}" for k, v in USER_FORMATS.items())
                                 + ", each with an optional last force|prefer|suggest column, a tab after "
                                   "a word that contains spaces)")
            if entry[2] is not None:
                check_tag(entry[2], word)
        except ValueError as e:
            err = CorpusFormatError(name, lineno, str(e), line)
            if lenient:
                warnings.warn(str(err), stacklevel=3)
                continue
            raise err from None
        yield entry


def _parse(cols: list[str], fmt: str, loose: bool):
    word = cols[0]
    if fmt == "words":
        if len(cols) != 1 and not loose:
            raise ValueError(f"expected one word per line, got {len(cols)} columns")
        if loose:                         # user dictionaries: word [freq] [pos]; freq None if absent
            return _parse(cols, "jieba", True)
        return word, 1, None
    if fmt == "jieba":
        if len(cols) > 3:
            raise ValueError("expected 'word freq [pos]'")
        if len(cols) == 1:
            if not loose:
                raise ValueError("expected 'word freq [pos]', missing frequency")
            return word, None, None
        if not _INT.match(cols[1]):
            if loose and len(cols) == 2:   # word pos
                return word, None, {cols[1]: 1}
            raise ValueError(f"frequency {cols[1]!r} is not a number")
        f = parse_freq(cols[1])
        return word, f, ({cols[2]: f} if len(cols) == 3 else None)
    # hanlp: word pos freq [pos freq ...]
    rest = cols[1:]
    if not rest or len(rest) % 2:
        raise ValueError("expected 'word pos freq [pos freq ...]'")
    dist = {}
    for p, c in zip(rest[::2], rest[1::2]):
        if not _INT.match(c):
            raise ValueError(f"frequency {c!r} is not a number")
        dist[p] = min(dist.get(p, 0) + parse_freq(c), MAX_FREQ)
    return word, sum(dist.values()), dist
