"""The one segmenter interface: subclasses implement ``_bounds(codes)``; the rest derives.

``_bounds`` maps an int32 code-point array to int32 cut offsets ``[0, ..., n]``
(strictly increasing). Words are always slices of the caller's original ``str``, so a
segmenter cannot lose, add or reorder characters.

Line ends and whitespace runs are hard boundaries, for every decoder, here and only here: a text
with whitespace is cut into runs at its whitespace runs before any decoder sees it, each run is
decoded on its own (one ``_bounds_many`` call for all of them), and a whitespace run is one word
(unless the segmenter says otherwise: ``_whole_spaces``). So ``segment("A\nB") == segment("A") +
["\n"] + segment("B")``: no decoder's features look across a line end or a space. Whitespace inside
a user word (``OpenGL ES``) is no boundary.

Time and number expressions that are one word (:data:`cnlp.expressions.WORDS`: ``2017-10-12``,
``10:30``, ``5.2%``, ``三千五百万``) are kept whole in the same layer, after decoding
(:meth:`Segmenter._expression_bounds`).
"""
from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right
from itertools import islice, pairwise
from abc import ABC, abstractmethod
from typing import Iterable, Iterator

import numpy as np

import re

from .._marks import MARKS, ZWJ
from ..errors import CnlpError, ParameterError, check_str
from ..text import _BMP_TABLE, fold_width, to_codes
from ..expressions import word_spans
from ._base_kernels import (_has_mark, _interleave, _join_many, _valid_bounds, apply_word_spans,
                            expression_lines, maybe_expression_word, merge_pieces, space_pieces)


#: whitespace: exactly the SPACE class of :func:`cnlp.text.char_classes` (``str.isspace``)
_WS = re.compile(r"\s")
_NO_JOIN = np.zeros(0, np.bool_)
#: the modes of :meth:`Segmenter.tokenize`
TOKENIZE_MODES = ("default", "search", "full")
_SEP = "\uffff"          # a Unicode noncharacter; texts containing it take the slicing path
#: lines per kernel call of :meth:`Segmenter.segment_many` (the first chunks are smaller, so that
#: the first results of a stream come back quickly), and characters per call at most
BATCH_LINES, BATCH_CHARS = 4096, 1 << 20


def cut(text: str, codes: np.ndarray, b: np.ndarray) -> list[str]:
    """The words of ``text`` between valid cut offsets ``b`` (``codes = to_codes(text)``).

    For more than a few words, the text is rebuilt once with a separator at each cut and split in
    C (about 1.5x faster than slicing word by word); texts that contain the separator are sliced.
    """
    if b.shape[0] > 6 and _SEP not in text:
        return _interleave(codes, b, 0xFFFF).tobytes().decode("utf-32-le", "surrogatepass").split(_SEP)
    return [text[i:j] for i, j in pairwise(b.tolist())]


def keep_marks(codes: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``b`` without the cuts before a combining mark or a joiner, or after a joiner
    (:mod:`cnlp._marks`): a mark stays in the word of its base character, whatever the decoder did."""
    at = np.flatnonzero(MARKS[codes])
    after = np.flatnonzero(codes == ZWJ) + 1
    inner = np.concatenate([at, after])
    keep = ~np.isin(b, inner) | (b == 0) | (b == codes.shape[0])
    return np.ascontiguousarray(b[keep], np.int32)


class Segmenter(ABC):
    """Base class of all segmenters.

    Subclasses set ``self.user_dict`` (a :class:`cnlp.dictionary.UserDictionary` or None)
    and honour it *inside* decoding: forced words must appear whenever they occur (and do
    not cross another forced word); suggested words only gain weight.
    """

    user_dict = None
    #: the segmentation standard this segmenter writes (``None``: not named); a model trained on
    #: several standards writes each of them (:attr:`standards`, :meth:`with_standard`)
    standard: str | None = None
    #: True only for segmenters whose kernels produce valid offsets by construction (every step
    #: advances by at least one character and the last offset is n); others are checked per call.
    _exact_bounds = False

    @abstractmethod
    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        """int32 code points (n,) -> int32 cut offsets (k+1,), from 0 to n, strictly increasing."""

    # ---- derived API -------------------------------------------------------------------
    def bounds(self, text: str, codes: np.ndarray | None = None) -> np.ndarray:
        """Cut offsets of ``text`` (int32, starting at 0 and ending at ``len(text)``); ``codes``:
        its code points when the caller has them (``to_codes(text)``, e.g. a Doc's)."""
        text = check_str(text, "segment")
        n = len(text)
        if n == 0:
            return np.zeros(1, np.int32)
        if codes is None:
            codes = to_codes(text)
        b = self._bounds(codes) if _WS.search(text) is None else self._bounds_spaced(codes)
        if b.dtype != np.int32 or not b.flags.c_contiguous:
            b = np.ascontiguousarray(b, dtype=np.int32)
        if not _valid_bounds(b, n):
            self._invalid(b, n)
        if self._expression_words and maybe_expression_word(codes, b, _BMP_TABLE):
            b = self._expression_bounds(text, b)
        if _has_mark(codes, MARKS):
            b = keep_marks(codes, b)
        return b

    def _invalid(self, b, n):
        raise CnlpError(f"{type(self).__name__} produced invalid cut offsets for a text of "
                        f"length {n}: {b[:10]}... (this is a bug in cnlp; please report it)")

    def segment(self, text: str) -> list[str]:
        """Split ``text`` into words; ``"".join(result) == text`` always."""
        if type(text) is not str:
            check_str(text, "segment")
        n = len(text)
        if n == 0:
            return []
        codes = to_codes(text)
        b = self._bounds(codes) if _WS.search(text) is None else self._bounds_spaced(codes)
        if b.dtype != np.int32 or not b.flags.c_contiguous:
            b = np.ascontiguousarray(b, dtype=np.int32)
        if not (self._exact_bounds or _valid_bounds(b, n)):
            self._invalid(b, n)
        if self._expression_words and maybe_expression_word(codes, b, _BMP_TABLE):
            b = self._expression_bounds(text, b)
        if _has_mark(codes, MARKS):
            b = keep_marks(codes, b)
        return cut(text, codes, b)

    def tokenize(self, text: str, mode: str = "default") -> Iterator[tuple[str, int, int]]:
        """Iterate over ``(word, start, end)`` with ``text[start:end] == word``.

        ``mode="default"``: the words of :meth:`segment`. ``mode="search"``: the same words, each
        preceded by the dictionary words (two characters or more, user words included) inside
        it when it is three characters or longer, ordered by start then length
        (:mod:`cnlp.segmentation.search`); the sub-words are extra, the default words still cover
        ``text`` exactly once. ``mode="full"``: every dictionary word (two characters or more, user
        words included) at every position, overlapping, and the characters no such word covers
        (jieba's ``cut_all``; :func:`cnlp.segmentation.search.full_tokens`).
        """
        if mode not in TOKENIZE_MODES:
            raise ValueError(f"unknown tokenize mode {mode!r}; choose one of {list(TOKENIZE_MODES)}")
        if mode == "full":
            from .search import full_tokens
            return iter(full_tokens(self, check_str(text, "tokenize")))
        b = self.bounds(text)
        if mode == "search":
            from .search import search_tokens
            return iter(search_tokens(self, text, b))
        return ((text[i:j], i, j) for i, j in pairwise(b.tolist()))

    def segment_many(self, lines: Iterable[str], *, chunk_size: int = BATCH_LINES) -> Iterator[list[str]]:
        """Segment each line in order (an iterator; one result per input, never dropped), exactly as
        :meth:`segment` would, line by line.

        ``lines`` is an iterable of str, not a str (TypeError at the call). Lines are read lazily,
        up to ``chunk_size`` at a time (fewer at first, so a stream gives its first results soon;
        ``chunk_size=1`` answers each line of an interactive stream at once), and each chunk is
        decoded in one kernel call (:meth:`_bounds_many`). A non-str line raises TypeError after
        the results of the lines before it.
        """
        if isinstance(lines, (str, bytes, bytearray)):
            raise TypeError(f"segment_many() expects an iterable of str (lines), got {type(lines).__name__}; "
                            f"use segment() for one text")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
        first = chunk_size if isinstance(lines, (list, tuple)) else min(64, chunk_size)
        return self._segment_chunks(iter(lines), int(chunk_size), first)

    def _segment_chunks(self, it, chunk_size: int, size: int) -> Iterator[list[str]]:
        while True:
            chunk, error = [], None
            try:
                chunk.extend(islice(it, size))
            except Exception as e:                   # the input failed (a bad line of a file, ...):
                error = e                            # the lines read before it still get their results
            if not chunk and error is None:
                return
            for ok, part in self._batch_parts(chunk):
                if not ok:
                    self.segment(part)               # not a str: raises the TypeError of segment()
                yield from self._segment_batch(part)
            if error is not None:
                raise error
            size = min(size * 4, chunk_size)

    def segment_batch(self, lines: list[str]) -> list[list[str]]:
        """:meth:`segment` of each of ``lines`` (a list), decoded together: one kernel call per
        :data:`BATCH_CHARS` characters instead of one per line. The same words as :meth:`segment`
        line by line (with a user dictionary, that is how they are computed)."""
        out: list = []
        for ok, part in self._batch_parts(lines):
            if not ok:
                self.segment(part)                   # not a str: raises the TypeError of segment()
            out += self._segment_batch(part)
        return out

    def _batch_parts(self, lines):
        """``(True, lines)`` in runs of at most BATCH_CHARS characters (and one line at least); a
        non-str line ends the runs: ``(False, line)``."""
        try:
            lens = np.fromiter(map(len, lines), np.int64, len(lines))
            "".join(lines)
        except TypeError:
            bad = next(i for i, x in enumerate(lines) if not isinstance(x, str))
            yield from self._batch_parts(lines[:bad])
            yield False, lines[bad]
            return
        a = acc = 0
        for i, n in enumerate(lens.tolist()):
            if acc + n > BATCH_CHARS and i > a:
                yield True, lines[a:i]
                a, acc = i, 0
            acc += n
        if a < len(lines):
            yield True, lines[a:]

    def _segment_batch(self, lines: list[str]) -> list[list[str]]:
        if not self._batchable() or len(lines) < 2:
            return [self.segment(x) for x in lines]
        text = "".join(lines)
        codes = to_codes(text)
        offsets = np.zeros(len(lines) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, lines), np.int64, len(lines)), out=offsets[1:])
        b, starts = self._bounds_many(codes, offsets) if _WS.search(text) is None \
            else self._bounds_many_spaced(codes, offsets)
        if self._expression_words:
            b, starts = self._expression_bounds_many(lines, codes, b, starts, offsets)
        bad, fb, fstarts, nw, buf = _join_many(codes, offsets, np.ascontiguousarray(b, np.int32),
                                               np.ascontiguousarray(starts, np.int64), MARKS, ZWJ,
                                               not self._exact_bounds, 0xFFFF)
        if bad >= 0:
            self._invalid(b[starts[bad]:starts[bad + 1]], len(lines[bad]))
        flat = buf.tobytes().decode("utf-32-le", "surrogatepass").split(_SEP) if buf.shape[0] else []
        ends = np.cumsum(nw).tolist()
        out = [flat[a:z] for a, z in zip([0] + ends, ends)]
        for ln in np.flatnonzero((nw == 0) & (offsets[1:] > offsets[:-1])).tolist():
            line = lines[ln]                         # contains the separator: sliced
            out[ln] = [line[i:j] for i, j in pairwise(fb[fstarts[ln]:fstarts[ln + 1]].tolist())]
        return out

    def _batchable(self) -> bool:
        """True when :meth:`_bounds_many` may decode lines together: no user words (the user
        dictionary is handled line by line) and :meth:`segment` not overridden."""
        ud = self.user_dict
        return (ud is None or not len(ud)) and type(self).segment is Segmenter.segment

    # ---- expressions kept whole (module docstring) -----------------------------------------
    #: keep the expression words of :data:`cnlp.expressions.WORDS` whole (MaxMatchSegmenter
    #: without atoms: no, the pure baseline)
    _expression_words = True

    def _expression_bounds(self, text: str, b: np.ndarray) -> np.ndarray:
        """Valid cut offsets ``b`` of ``text`` with its expression words kept whole."""
        spans = word_spans(text)
        if not spans:
            return b
        cuts = b.tolist()
        for s, e, force in spans:                    # most spans ask for no change: checked here first
            i = bisect_right(cuts, s)                # cuts[i - 1] <= s < cuts[i] (s < n = cuts[-1])
            inner = cuts[i] < e
            at_both = cuts[i - 1] == s and cuts[bisect_left(cuts, e, i)] == e
            if (inner or not at_both) if force else (inner and at_both):
                break
        else:
            return b
        a = np.array(spans, np.int64)
        out, _ = apply_word_spans(b, np.array([0, b.shape[0]], np.int64), np.array([0, len(text)], np.int64),
                                  a[:, 0].copy(), a[:, 1].copy(), a[:, 2].astype(np.bool_))
        return out

    def _expression_bounds_many(self, lines: list[str], codes, b, starts, offsets):
        """:meth:`_expression_bounds` of a chunk of lines: the lines that may change
        (:func:`expression_lines`) scanned once, joined with a line end (no expression crosses it)."""
        b = np.ascontiguousarray(b, np.int32)
        starts = np.ascontiguousarray(starts, np.int64)
        which = np.flatnonzero(expression_lines(codes, offsets, b, starts, _BMP_TABLE))
        if which.shape[0] == 0:
            return b, starts
        picked = which.tolist()
        spans = word_spans("\n".join([lines[i] for i in picked]))
        if not spans:
            return b, starts
        a = np.array(spans, np.int64)
        lens = offsets[which + 1] - offsets[which]
        sep_starts = np.zeros(which.shape[0], np.int64)           # each picked line in the joined text
        np.cumsum(lens[:-1] + 1, out=sep_starts[1:])
        k = np.searchsorted(sep_starts, a[:, 0], "right") - 1
        shift = offsets[which][k] - sep_starts[k]                  # back to the chunk's coordinates
        return apply_word_spans(b, starts, offsets, a[:, 0] + shift, a[:, 1] + shift, a[:, 2].astype(np.bool_))

    # ---- the hard boundaries: whitespace runs (module docstring) -----------------------------
    #: a whitespace run is one word (MaxMatchSegmenter without atoms: its own cuts)
    _whole_spaces = True

    def _joined(self, codes: np.ndarray) -> np.ndarray:
        """bool[n]: True inside the user words that contain whitespace (no boundary there), or empty."""
        ud = self.user_dict
        if ud is None or not len(ud):
            return _NO_JOIN
        hit = getattr(ud, "_space_words", None)
        if hit is None or hit[0] != ud.version:
            hit = ud._space_words = (ud.version, any(_WS.search(w) for w in ud))
        if not hit[1]:
            return _NO_JOIN
        s, e, _ = ud.constraints(fold_width(codes))
        joined = np.zeros(codes.shape[0] + 1, np.int32)
        np.add.at(joined, s, 1)
        np.add.at(joined, e, -1)
        return np.cumsum(joined[:-1]) > 0

    def _bounds_spaced(self, codes: np.ndarray) -> np.ndarray:
        """:meth:`_bounds` of a text with whitespace: each run between whitespace runs decoded on its own."""
        n = codes.shape[0]
        offsets = np.array([0, n], np.int64)
        po, kind, first = space_pieces(codes, offsets, _BMP_TABLE, self._joined(codes))
        if kind.shape[0] == 1 and (kind[0] == 0 or not self._whole_spaces):
            return self._bounds(codes)
        ud = self.user_dict
        if ud is None or not len(ud) or self._batchable():     # (the CRF/perceptron decode user words in batch too)
            b, starts = self._bounds_many(codes, po)
        else:                                        # user words: the decoders take them line by line
            parts = [np.array([0, z - a], np.int32) if k and self._whole_spaces else self._bounds(codes[a:z])
                     for a, z, k in zip(po[:-1].tolist(), po[1:].tolist(), kind.tolist())]
            starts = np.zeros(len(parts) + 1, np.int64)
            np.cumsum([x.shape[0] for x in parts], out=starts[1:])
            b = np.concatenate(parts).astype(np.int32, copy=False)
        out, _ = merge_pieces(np.ascontiguousarray(b, np.int32), np.ascontiguousarray(starts, np.int64), po, kind,
                              first, offsets, self._whole_spaces)
        return out

    def _bounds_many_spaced(self, codes: np.ndarray, offsets: np.ndarray):
        """:meth:`_bounds_many` of lines with whitespace: the runs between whitespace runs decoded as lines."""
        po, kind, first = space_pieces(codes, offsets, _BMP_TABLE, _NO_JOIN if self.user_dict is None
                                       else self._joined(codes))
        b, starts = self._bounds_many(codes, po)
        return merge_pieces(np.ascontiguousarray(b, np.int32), np.ascontiguousarray(starts, np.int64), po, kind,
                            first, offsets, self._whole_spaces)

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cut offsets of many lines at once.

        ``codes``: int32 code points of the lines, concatenated; line ``l`` is
        ``codes[offsets[l]:offsets[l + 1]]`` (``offsets`` int64 (L + 1,)). Returns (int32 bounds,
        int64 starts (L + 1,)): the cut offsets of line ``l`` (from 0 to its length, ``[0]`` for an
        empty line) are ``bounds[starts[l]:starts[l + 1]]``. This default calls :meth:`_bounds`
        line by line; segmenters override it with one kernel call for all lines. Called only when
        :meth:`_batchable`.
        """
        parts = [self._bounds(codes[a:z]) if z > a else np.zeros(1, np.int32)
                 for a, z in pairwise(offsets.tolist())]
        starts = np.zeros(len(parts) + 1, np.int64)
        np.cumsum([p.shape[0] for p in parts], out=starts[1:])
        return np.concatenate(parts).astype(np.int32, copy=False), starts

    def __call__(self, text: str) -> list[str]:
        return self.segment(text)

    def with_user_dict(self, user_dict) -> "Segmenter":
        """A shallow copy of this segmenter that decodes with ``user_dict`` layered on top.

        ``user_dict`` is a :class:`cnlp.dictionary.UserDictionary`, a path to a user
        dictionary file, or an iterable of words (all treated as ``mode="suggest"``).
        """
        from ..dictionary import as_user_dictionary
        clone = copy.copy(self)
        clone.user_dict = as_user_dictionary(user_dict)
        clone._on_user_dict_changed()
        return clone

    @property
    def standards(self) -> tuple:
        """The standards :meth:`with_standard` accepts: a segmenter without a multi-standard model
        writes only its own (:attr:`standard`, e.g. ``"pku"`` for the models trained on PD98)."""
        return (self.standard,) if self.standard else ()

    def with_standard(self, standard: str | None) -> "Segmenter":
        """This segmenter writing ``standard`` (``None``: its default); a name it cannot write
        raises :class:`cnlp.errors.ParameterError` naming the ones it can."""
        if standard is None or standard == self.standard:
            return self
        if not isinstance(standard, str):
            raise TypeError(f"standard must be a str or None, got {type(standard).__name__}")
        return self._with_standard(standard)

    def _with_standard(self, standard: str) -> "Segmenter":
        raise ParameterError(f"{type(self).__name__} has no segmentation standard {standard!r}; "
                             f"choose one of {list(self.standards)}")

    def _on_user_dict_changed(self) -> None:
        """Hook for subclasses that cache structures derived from ``user_dict``."""

    def warmup(self) -> "Segmenter":
        """Compile the Numba kernels this segmenter uses (on a tiny input) and return self."""
        self.segment("中文分词 warm-up 123")
        return self


def word_function(segmenter, what: str):
    """``text -> list of words`` of ``segmenter``: a :class:`Segmenter` (or any object with a
    ``segment`` method) or a callable. ``TypeError`` naming ``what`` (the function or class given
    it) for anything else, with a hint for an algorithm name."""
    if isinstance(segmenter, str):
        raise TypeError(f"{what} expects segmenter as a Segmenter or a callable text -> list of str, got the "
                        f"name {segmenter!r}: pass cnlp.get_segmenter({segmenter!r})")
    fn = getattr(segmenter, "segment", None)
    if callable(fn):
        return fn
    if callable(segmenter):
        return segmenter
    raise TypeError(f"{what}: segmenter must be a Segmenter or a callable text -> list of str, "
                    f"got {type(segmenter).__name__}")
