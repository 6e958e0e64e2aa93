"""User dictionaries: a small mutable word set layered over a model, with force/suggest modes.

Every decoder asks :meth:`UserDictionary.constraints` for the user words occurring in a text and
applies them *inside* decoding: forced words are fixed spans (B M* E / S in BMES decoders, fixed
lattice edges, uncrossable spans in max-match); suggested words only gain weight.
"""
from __future__ import annotations

import os
import threading
from typing import Iterable, Iterator

import numpy as np

from .._tagset_kernels import force_spans
from numba import njit

from .._locks import fork_safe
from ..errors import check_str
from ..text import fold_str
from ._kernels import count_matches, fill_matches
from .trie import Dictionary, build_trie_arrays, check_freq, read_dictionary_text

__all__ = ["UserDictionary", "LayeredDictionary", "as_user_dictionary", "bmes_mask", "bmes_bias", "suggest_freq", "MODES"]
MODES = ("force", "suggest")


class UserDictionary:
    """Mutable set of user words, each with ``freq`` (or None), ``pos`` (or None) and ``mode``.

    ``freq=None`` means "whatever it takes for the word to win" (decoders give it the weight
    of a frequent word). File format, one entry per line: ``word [freq] [pos] [force|suggest]``
    (``#`` comments; BOM stripped). Thread-safe for concurrent readers and writers.

    >>> ud = UserDictionary(); ud.add_word("命起源", mode="force")
    >>> ud.constraints_in("生命起源")
    [(1, 4, True)]
    """

    def __init__(self, words: Iterable[str] = (), *, mode: str = "suggest"):
        self._entries: dict[str, tuple[int | None, str | None, str]] = {}
        self._lock = threading.RLock()
        fork_safe(self)
        self.version = 0
        self._cache = None            # (version, fwd TrieArrays, mode_by_id bool[])
        for w in words:
            self.add_word(w, mode=mode)

    # ---- editing -----------------------------------------------------------------------
    def add_word(self, word: str, freq: int | None = None, pos: str | None = None, *,
                 mode: str = "suggest") -> None:
        check_str(word, "add_word")
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {list(MODES)}")
        if freq is not None:
            check_freq(freq)
        w = fold_str(word)
        if not w:
            raise ValueError("cannot add an empty word")
        with self._lock:
            self._entries[w] = (None if freq is None else int(freq), pos, mode)
            self.version += 1

    def del_word(self, word: str) -> None:
        check_str(word, "del_word")
        with self._lock:
            if self._entries.pop(fold_str(word), None) is not None:
                self.version += 1

    @classmethod
    def load(cls, path, *, mode: str = "suggest", lenient: bool = False) -> "UserDictionary":
        ud = cls()
        ud.update_from_file(path, mode=mode, lenient=lenient)
        return ud

    def update_from_file(self, path, *, mode: str = "suggest", lenient: bool = False) -> None:
        """Add the entries of a ``word [freq] [pos] [force|suggest]`` file (``mode`` is the default)."""
        path = os.fspath(path)
        for word, freq, dist, m in read_dictionary_text(path, format="words", lenient=lenient,
                                                        extra_columns=True):
            pos = next(iter(dist)) if dist else None
            self.add_word(word, freq, pos, mode=m or mode)

    def merged_with_file(self, path) -> "UserDictionary":
        """A new UserDictionary with this one's entries plus those of ``path``."""
        ud = UserDictionary()
        with self._lock:
            ud._entries = dict(self._entries)
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
        """``(fwd TrieArrays, force bool[n_ids], freq int64[n_ids] (-1 = None), words)``, cached per version."""
        c = self._cache
        if c is not None and c[0] == self.version:
            return c[1]
        with self._lock:
            version = self.version
            words = list(self._entries)
            fwd = build_trie_arrays(words, range(len(words)))
            force = np.array([self._entries[w][2] == "force" for w in words], dtype=np.bool_)
            freq = np.array([-1 if self._entries[w][0] is None else self._entries[w][0] for w in words],
                            dtype=np.int64)
            out = (fwd, force, freq, words)
            self._cache = (version, out)
        return out

    def constraints(self, folded_codes: np.ndarray):
        """User words occurring in ``folded_codes`` (int32, folded with :func:`cnlp.text.fold_width`).

        Returns ``(starts int32[k], ends int32[k], force bool[k])`` sorted by start then end.
        Suggested words: every occurrence. Forced words: a non-overlapping set chosen
        leftmost-longest, so forced spans never cross each other.
        """
        codes = np.ascontiguousarray(folded_codes, dtype=np.int32)
        if not self._entries or codes.shape[0] == 0:
            z = np.zeros(0, np.int32)
            return z, z.copy(), np.zeros(0, np.bool_)
        fwd, force, _, _ = self.arrays()
        m = count_matches(fwd, codes)
        offsets = np.empty(codes.shape[0] + 1, np.int32)
        ends = np.empty(m, np.int32)
        ids = np.empty(m, np.int32)
        fill_matches(fwd, codes, offsets, ends, ids)
        keep = np.empty(m, np.bool_)
        _select(offsets, ends, force[ids], keep)
        starts = np.repeat(np.arange(codes.shape[0], dtype=np.int32), np.diff(offsets))
        return starts[keep], ends[keep], force[ids][keep]

    def constraints_in(self, text: str) -> list[tuple[int, int, bool]]:
        """:meth:`constraints` on a ``str``, as a list of ``(start, end, force)``."""
        from ..text import fold_width, to_codes
        s, e, f = self.constraints(fold_width(to_codes(text)))
        return list(zip(s.tolist(), e.tolist(), f.tolist()))

    def __repr__(self) -> str:
        n_force = sum(1 for v in self._entries.values() if v[2] == "force")
        return f"UserDictionary({len(self)} words, {n_force} forced)"


@njit(cache=True, nogil=True)
def _select(offsets, ends, is_force, keep):
    """Keep every suggested match; keep forced ones leftmost-longest and non-overlapping."""
    n = offsets.shape[0] - 1
    covered_to = 0
    for i in range(n):
        best = -1
        for p in range(offsets[i], offsets[i + 1]):
            keep[p] = not is_force[p]
            if is_force[p] and i >= covered_to:
                best = p                # ends ascending: the last forced one is the longest
        if best >= 0:
            keep[best] = True
            covered_to = ends[best]


def bmes_bias(n: int, starts, ends, strength: float) -> np.ndarray:
    """Additive BMES label scores (float64 (n, 4), columns B, M, E, S) for suggested words.

    Each span ``[s, e)`` adds ``strength`` to the labels that make it a word (``S`` for one
    character, ``B M* E`` otherwise), so a decoder prefers the word by ``strength`` per character
    but still overrides it when the model is more certain of another segmentation.
    """
    bias = np.zeros((n, 4), np.float64)
    s = np.asarray(starts, np.int64)
    e = np.asarray(ends, np.int64)
    if s.size == 0:
        return bias
    one = e - s == 1
    np.add.at(bias[:, 3], s[one], strength)
    s2, e2 = s[~one], e[~one]
    np.add.at(bias[:, 0], s2, strength)
    np.add.at(bias[:, 2], e2 - 1, strength)
    inner = e2 - s2 - 2                          # M positions s+1 .. e-2
    if inner.sum() > 0:
        first = np.repeat(s2 + 1, inner)
        step = np.arange(first.size) - np.repeat(np.cumsum(inner) - inner, inner)
        np.add.at(bias[:, 1], first + step, strength)
    return bias


def bmes_mask(n: int, starts, ends, force) -> np.ndarray:
    """Allowed BMES labels (columns B, M, E, S) for a sentence of length ``n`` under forced spans.

    A forced word is fixed to ``S`` (one char) or ``B M* E``; the character before it must end
    a word (E or S) and the one after it must start one (B or S)
    (:func:`cnlp._tagset_kernels.force_spans`; forced spans never overlap).
    """
    f = np.asarray(force, bool)
    return force_spans(np.ones((n, 4), np.bool_), np.asarray(starts, np.int64)[f], np.asarray(ends, np.int64)[f])


def as_user_dictionary(x) -> UserDictionary | None:
    """Coerce a UserDictionary, a path to a user dictionary file, or an iterable of words."""
    if x is None or isinstance(x, UserDictionary):
        return x
    if isinstance(x, (str, os.PathLike)):
        return UserDictionary.load(x)
    if isinstance(x, (bytes, bytearray)):
        raise TypeError("user_dict expects a UserDictionary, a path or an iterable of str, got bytes")
    try:
        return UserDictionary(list(x))
    except TypeError:
        raise TypeError(f"user_dict expects a UserDictionary, a path or an iterable of str, "
                        f"got {type(x).__name__}") from None


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
    :class:`cnlp.segment.maxmatch.MaxMatchSegmenter` uses when given a LayeredDictionary.
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
