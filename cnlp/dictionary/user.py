"""User dictionaries: a small mutable word set layered over a model, in three modes.

Every decoder asks :meth:`UserDictionary.spans` for the user words occurring in a text and
applies them *inside* decoding:

* ``force``: the word is a fixed span (B M* E / S in BMES decoders, the only lattice node over its
  span, an uncrossable span in max-match); it appears wherever it occurs unless it crosses another
  forced word.
* ``prefer`` (the default): the decoder is pulled towards word boundaries at the word's two edges
  by a margin; when it then cuts at both edges, the words it cut *inside* the span are merged. So the
  word appears wherever it occurs unless the model puts a boundary across one of its edges with a
  clear margin.
* ``suggest``: a bias towards the word whose strength grows with the word's frequency
  (:func:`suggest_strength`); the model overrules it whenever it is more certain.
"""
from __future__ import annotations

import os
import threading
from typing import Iterable, Iterator

import numpy as np

from .._locks import fork_safe
from .._tagset_kernels import force_spans
from ..errors import check_str
from ..text import fold_str
from ._user_kernels import (FORCE, PREFER, SUGGEST, bmes_user_constraints, edge_bias, match_spans,
                            merge_preferred)
from .tags import check_tag
from .trie import Dictionary, build_trie_arrays, check_freq, read_user_dictionary

__all__ = ["UserDictionary", "LayeredDictionary", "as_user_dictionary", "layered", "bmes_mask", "bmes_bias",
           "edge_bias", "merge_preferred", "suggest_strength", "suggest_freq", "MODES", "DEFAULT_MODE",
           "FORCE", "PREFER", "SUGGEST"]
#: user-word modes, strongest first; their int8 codes in :meth:`UserDictionary.spans` are FORCE, PREFER, SUGGEST
MODES = ("force", "prefer", "suggest")
#: the mode of words given without one (lists, files without a mode column, ``add_word`` without ``mode``)
DEFAULT_MODE = "prefer"
_CODE = {"force": FORCE, "prefer": PREFER, "suggest": SUGGEST}
#: the frequency a suggested word without one counts as (:func:`suggest_strength` is 1 there)
SUGGEST_REF_FREQ = 100


def suggest_strength(freq) -> np.ndarray:
    """Multiplier of the suggest bias for user frequencies ``freq`` (int array; -1 = none given).

    ``log(1 + freq) / log(1 + 100)``: 1 for a word without a frequency (or with 100), 0 for
    frequency 0, about 2 for 10,000 and 3 for a million; it only grows with the frequency.
    """
    f = np.asarray(freq, np.float64)
    f = np.where(f < 0, SUGGEST_REF_FREQ, f)
    return np.log1p(f) / np.log1p(SUGGEST_REF_FREQ)


class UserDictionary:
    """Mutable set of user words, each with ``freq`` (or None), ``pos`` (or None) and ``mode``
    (``"force"``, ``"prefer"`` or ``"suggest"``; see the module docstring).

    File format, one entry per line: ``word [freq] [pos] [force|prefer|suggest]`` (``#`` comments;
    BOM stripped) — jieba's and HanLP's user-dictionary files read as they are. An entry that
    names no mode gets ``prefer``, except that it never weakens the mode a word already has (a
    plain list loaded after a file of forced words leaves them forced); an entry that names a mode
    sets it. ``freq`` and ``pos`` left out keep what the word had. Thread-safe for concurrent
    readers and writers.

    >>> ud = UserDictionary(); ud.add_word("命起源", mode="force")
    >>> ud.constraints_in("生命起源")
    [(1, 4, True)]
    """

    def __init__(self, words: Iterable[str] = (), *, mode: str | None = None, pku_pos: bool = True):
        #: ``pos`` must be a PKU tag (False: any label, e.g. the entity types of an EntityDictionary)
        self.pku_pos = pku_pos
        self._entries: dict[str, tuple[int | None, str | None, str]] = {}
        self._lock = threading.RLock()
        fork_safe(self)
        self.version = 0
        self._cache = None            # (version, arrays)
        if isinstance(words, (str, bytes, bytearray)):
            raise TypeError(f"UserDictionary expects an iterable of words, got {type(words).__name__}")
        for w in words:
            self.add_word(w, mode=mode)

    # ---- editing -----------------------------------------------------------------------
    def add_word(self, word: str, freq: int | None = None, pos: str | None = None, *,
                 mode: str | None = None) -> None:
        """Add ``word`` (or update it). ``mode=None``: ``prefer`` for a new word, the word's
        current mode otherwise; ``freq``/``pos`` None keep the current ones. ``pos`` is a PKU tag
        (:data:`cnlp.pos.tags.PKU_TAGS`) or a label of your own (``"动作"``: shown as the word's tag,
        see :mod:`cnlp.pos.tagger`); a malformed one (empty, with whitespace or ``/``) raises
        ValueError and leaves the entry unchanged."""
        check_str(word, "add_word")
        if mode is not None and mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {list(MODES)}")
        if freq is not None:
            check_freq(freq)
        if pos is not None and not isinstance(pos, str):
            raise TypeError(f"add_word() expects pos as str or None, got {type(pos).__name__}")
        if pos is not None and self.pku_pos:
            check_tag(pos, word)           # before any change: a bad tag never replaces a good one
        w = fold_str(word)
        if not w:
            raise ValueError("cannot add an empty word")
        with self._lock:
            old = self._entries.get(w)
            if old is not None:
                freq = old[0] if freq is None else freq
                pos = old[1] if pos is None else pos
                mode = old[2] if mode is None else mode
            self._entries[w] = (None if freq is None else int(freq), pos, mode or DEFAULT_MODE)
            self.version += 1

    def del_word(self, word: str) -> None:
        check_str(word, "del_word")
        with self._lock:
            if self._entries.pop(fold_str(word), None) is not None:
                self.version += 1

    def update(self, other: "UserDictionary") -> None:
        """Add every entry of ``other`` (its modes are explicit, so they win over this one's)."""
        for w, f, p, m in other.items():
            self.add_word(w, f, p, mode=m)

    def copy(self) -> "UserDictionary":
        ud = UserDictionary(pku_pos=self.pku_pos)
        with self._lock:
            ud._entries = dict(self._entries)
        return ud

    @classmethod
    def load(cls, path, *, mode: str | None = None, lenient: bool = False) -> "UserDictionary":
        ud = cls()
        ud.update_from_file(path, mode=mode, lenient=lenient)
        return ud

    def update_from_file(self, path, *, mode: str | None = None, lenient: bool = False) -> None:
        """Add the entries of a user dictionary file: jieba's ``word [freq] [pos]`` or HanLP's ``word
        pos freq [pos freq ...]`` (the first tag is the word's), detected per file, each with an
        optional last ``force|prefer|suggest`` column; a tab after the word keeps a word with spaces
        whole (:func:`cnlp.dictionary.trie.read_user_dictionary`). ``mode`` is the mode of entries
        without a mode column (None: see the class docstring). Tags are open: any label is the
        word's tag (:func:`check_tag`). ``path`` may be an open file object (binary or text), as
        jieba's ``load_userdict`` accepts."""
        if not callable(getattr(path, "read", None)):
            path = os.fspath(path)
        for word, freq, pos, m in read_user_dictionary(path, lenient=lenient):
            self.add_word(word, freq, pos, mode=m or mode)     # the reader checked the tag (line number)

    def merged_with_file(self, path) -> "UserDictionary":
        """A new UserDictionary with this one's entries plus those of ``path``."""
        ud = self.copy()
        ud.update_from_file(path)
        return ud

    # ---- queries -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and fold_str(word) in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def items(self) -> list[tuple[str, int | None, str | None, str]]:
        with self._lock:
            return [(w, f, p, m) for w, (f, p, m) in self._entries.items()]

    def get(self, word: str):
        """``(freq, pos, mode)`` or None."""
        return self._entries.get(fold_str(word))

    def arrays(self):
        """``(fwd TrieArrays, mode int8[n_ids], freq int64[n_ids] (-1 = None), words,
        strength float64[n_ids], kids uint8 bitset)``: :func:`suggest_strength` of each word, and bit v
        of ``kids`` set when trie node v has children; cached per version."""
        c = self._cache
        if c is not None and c[0] == self.version:
            return c[1]
        with self._lock:
            version = self.version
            words = list(self._entries)
            fwd = build_trie_arrays(words, range(len(words)))
            mode = np.array([_CODE[self._entries[w][2]] for w in words], dtype=np.int8)
            freq = np.array([-1 if self._entries[w][0] is None else self._entries[w][0] for w in words],
                            dtype=np.int64)
            kids = np.packbits(np.diff(fwd.first) > 0, bitorder="little")
            out = (fwd, mode, freq, words, suggest_strength(freq), np.ascontiguousarray(kids, np.uint8))
            self._cache = (version, out)
        return out

    def spans(self, folded_codes: np.ndarray):
        """User words occurring in ``folded_codes`` (int32, folded with :func:`cnlp.text.fold_width`).

        Returns ``(starts int32[k], ends int32[k], mode int8[k], freq int64[k])`` sorted by start then
        end; ``mode`` holds :data:`FORCE`, :data:`PREFER` or :data:`SUGGEST`, ``freq`` -1 where none
        was given. Forced words: a non-overlapping set chosen leftmost-longest, so forced spans never
        cross each other; preferred words: every occurrence that does not overlap a forced span;
        suggested words: every occurrence.
        """
        codes = np.ascontiguousarray(folded_codes, dtype=np.int32)
        if not self._entries or codes.shape[0] == 0:
            z = np.zeros(0, np.int32)
            return z, z.copy(), np.zeros(0, np.int8), np.zeros(0, np.int64)
        fwd, mode, freq, _, _, kids = self.arrays()
        starts, ends, ids = match_spans(fwd.root, fwd.htab, fwd.word, kids, codes, mode)
        return starts, ends, mode[ids], freq[ids]

    def bmes_constraints(self, folded_codes: np.ndarray, codes: np.ndarray, space: int,
                         suggest_unit: float, prefer_unit: float):
        """``(allowed bool (n, 4), bias float64 (n, 4), prefer_starts, prefer_ends)`` for a BMES decoder
        (:func:`cnlp.dictionary._user_kernels.bmes_user_constraints`: one kernel call; ``allowed`` /
        ``bias`` have 0 rows when nothing is forced / biased). Whitespace runs of class ``space`` in the
        original ``codes`` are forced words too."""
        from ..text import _BMP_TABLE
        fwd, mode, _, _, strength, kids = self.arrays()
        return bmes_user_constraints(fwd.root, fwd.htab, fwd.word, kids, folded_codes, codes, _BMP_TABLE, space, mode,
                                     strength, float(suggest_unit), float(prefer_unit))

    def constraints(self, folded_codes: np.ndarray):
        """:meth:`spans` as ``(starts, ends, force bool[k])`` (preferred and suggested words both
        count as not forced)."""
        s, e, m, _ = self.spans(folded_codes)
        return s, e, m == FORCE

    def constraints_in(self, text: str) -> list[tuple[int, int, bool]]:
        """:meth:`constraints` on a ``str``, as a list of ``(start, end, force)``."""
        from ..text import fold_width, to_codes
        s, e, f = self.constraints(fold_width(to_codes(text)))
        return list(zip(s.tolist(), e.tolist(), f.tolist()))

    def __repr__(self) -> str:
        n_force = sum(1 for v in self._entries.values() if v[2] == "force")
        n_suggest = sum(1 for v in self._entries.values() if v[2] == "suggest")
        return f"UserDictionary({len(self)} words, {n_force} forced, {n_suggest} suggested)"


def layered(base: UserDictionary | None, top: UserDictionary | None) -> UserDictionary | None:
    """``top`` layered over ``base``: a UserDictionary with the entries of both, ``top``'s winning for
    a word in both (cached for the latest pair, rebuilt when either changes)."""
    if top is None or not len(top):
        return base if base is not None and len(base) else top
    if base is None or not len(base):
        return top
    key = (base.version, top.version)
    hit = getattr(top, "_layered_over", None)
    if hit is not None and hit[0] is base and hit[1] == key:
        return hit[2]
    merged = base.copy()
    merged.update(top)
    top._layered_over = (base, key, merged)
    return merged


def bmes_bias(n: int, starts, ends, strength) -> np.ndarray:
    """Additive BMES label scores (float64 (n, 4), columns B, M, E, S) for suggested words.

    Each span ``[s, e)`` adds ``strength`` (a number, or one per span) to the labels that make it a word (``S`` for one
    character, ``B M* E`` otherwise), so a decoder prefers the word by ``strength`` per character
    but still overrides it when the model is more certain of another segmentation.
    """
    bias = np.zeros((n, 4), np.float64)
    s = np.asarray(starts, np.int64)
    e = np.asarray(ends, np.int64)
    if s.size == 0:
        return bias
    st = np.broadcast_to(np.asarray(strength, np.float64), s.shape)
    one = e - s == 1
    np.add.at(bias[:, 3], s[one], st[one])
    s2, e2, st2 = s[~one], e[~one], st[~one]
    np.add.at(bias[:, 0], s2, st2)
    np.add.at(bias[:, 2], e2 - 1, st2)
    inner = e2 - s2 - 2                          # M positions s+1 .. e-2
    if inner.sum() > 0:
        first = np.repeat(s2 + 1, inner)
        step = np.arange(first.size) - np.repeat(np.cumsum(inner) - inner, inner)
        np.add.at(bias[:, 1], first + step, np.repeat(st2, inner))
    return bias


def bmes_mask(n: int, starts, ends, force) -> np.ndarray:
    """Allowed BMES labels (columns B, M, E, S) for a sentence of length ``n`` under forced spans.

    A forced word is fixed to ``S`` (one char) or ``B M* E``; the character before it must end
    a word (E or S) and the one after it must start one (B or S)
    (:func:`cnlp._tagset_kernels.force_spans`; forced spans never overlap).
    """
    f = np.asarray(force, bool)
    return force_spans(np.ones((n, 4), np.bool_), np.asarray(starts, np.int64)[f], np.asarray(ends, np.int64)[f])


_FROM_WORDS: dict = {}      # tuple of words -> (UserDictionary, its version when built)
_FROM_WORDS_MAX = 32


def as_user_dictionary(x) -> UserDictionary | None:
    """Coerce a UserDictionary, a path to a user dictionary file, or an iterable of words.

    A list or tuple of words given again (a per-call ``user_dict``) gives the UserDictionary built
    for it the first time, whose trie is then built already (unless it was edited since)."""
    if x is None or isinstance(x, UserDictionary):
        return x
    if isinstance(x, (str, os.PathLike)):
        return UserDictionary.load(x)
    if isinstance(x, (bytes, bytearray)):
        raise TypeError("user_dict expects a UserDictionary, a path or an iterable of str, got bytes")
    key = None
    if type(x) in (list, tuple) and all(type(w) is str for w in x):
        key = tuple(x)
        hit = _FROM_WORDS.get(key)
        if hit is not None and hit[0].version == hit[1]:
            return hit[0]
    try:
        ud = UserDictionary(list(x))
    except TypeError:
        raise TypeError(f"user_dict expects a UserDictionary, a path or an iterable of str, "
                        f"got {type(x).__name__}") from None
    if key is not None:
        if len(_FROM_WORDS) >= _FROM_WORDS_MAX:
            _FROM_WORDS.clear()
        _FROM_WORDS[key] = (ud, ud.version)
    return ud


def suggest_freq(dictionary, word: str) -> int:
    """A frequency for ``word`` high enough to beat its split into the dictionary's words.

    jieba's ``suggest_freq`` idea under a unigram model: the word must be more probable than
    the product of the pieces of its forward-maximum-matching split (unknown characters count
    as frequency 1), and more frequent than it already is.
    """
    w = fold_str(word) if dictionary.folded else word
    total = max(int(dictionary.total), 1)
    p = 1.0
    i = 0
    while i < len(w):
        j = min(len(w), i + max(dictionary.max_len, 1))
        while j > i + 1 and w[i:j] not in dictionary.trie:
            j -= 1
        if j - i == len(w):            # the word itself: split it into its best proper parts
            j -= 1
            while j > i + 1 and w[i:j] not in dictionary.trie:
                j -= 1
        p *= max(dictionary.freq(w[i:j]), 1) / total
        i = j
    return max(int(p * total) + 1, dictionary.freq(w) + 1)


class LayeredDictionary:
    """A base :class:`Dictionary` with layers on top; later layers win.

    A layer is a :class:`UserDictionary` or another :class:`Dictionary`. Lookups
    (``in``, :meth:`get`, :meth:`freq`) look through the layers from the top; user words
    without a frequency get :func:`suggest_freq` against the base. :meth:`flatten` merges
    everything into one :class:`Dictionary` (cached until a user layer changes), which is what
    :class:`cnlp.segmentation.maxmatch.MaxMatchSegmenter` uses when given a LayeredDictionary.
    Force/suggest modes are not part of a dictionary: pass a UserDictionary as ``user_dict``
    to a segmenter to have forced words honoured.

    >>> base = Dictionary.from_counts({"生命": 5}); ud = UserDictionary(["生命起源"])
    >>> ld = LayeredDictionary(base, ud); "生命起源" in ld, ld.freq("生命")
    (True, 5)
    """

    def __init__(self, base: Dictionary, *layers):
        if not isinstance(base, Dictionary):
            raise TypeError(f"LayeredDictionary expects a Dictionary as base, got {type(base).__name__}")
        for x in layers:
            if not isinstance(x, (Dictionary, UserDictionary)):
                raise TypeError(f"a layer must be a Dictionary or UserDictionary, got {type(x).__name__}")
        self.base = base
        self.layers = tuple(layers)
        self._flat = None

    def _state(self):
        return tuple(getattr(x, "version", 0) for x in self.layers)

    def _user_entry(self, ud: UserDictionary, word: str):
        e = ud.get(word)
        if e is None:
            return None
        f, pos, _ = e
        f = suggest_freq(self.base, word) if f is None else f
        return f, ({pos: f} if pos else {})

    def get(self, word: str):
        """``(freq, {pos: count})`` from the topmost layer that has ``word``, or None."""
        check_str(word, "get")
        for layer in reversed(self.layers):
            r = self._user_entry(layer, word) if isinstance(layer, UserDictionary) else layer.get(word)
            if r is not None:
                return r
        return self.base.get(word)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def freq(self, word: str) -> int:
        r = self.get(word)
        return 0 if r is None else r[0]

    def flatten(self) -> Dictionary:
        """One :class:`Dictionary` holding the base and every layer (cached per layer version)."""
        state = self._state()
        if self._flat is not None and self._flat[0] == state:
            return self._flat[1]
        b = self.base
        merged = {w: (int(b.freq_[i]), b.pos_of_id(i)) for w, i in b.trie.items()}
        for layer in self.layers:
            if isinstance(layer, UserDictionary):
                for w, f, pos, _ in layer.items():
                    f = suggest_freq(b, w) if f is None else f
                    merged[fold_str(w) if b.folded else w] = (f, {pos: f} if pos else {})
            else:
                for w, i in layer.trie.items():
                    merged[fold_str(w) if b.folded else w] = (int(layer.freq_[i]), layer.pos_of_id(i))
        flat = Dictionary.from_entries(((w, f, d) for w, (f, d) in merged.items()),
                                       meta={"source": "layered"}, fold=b.folded)
        self._flat = (state, flat)
        return flat

    def __len__(self) -> int:
        return len(self.flatten())

    def words(self):
        return self.flatten().words()

    def __repr__(self) -> str:
        return f"LayeredDictionary({self.base!r}, {len(self.layers)} layers)"
