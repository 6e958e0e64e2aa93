"""The one segmenter interface: subclasses implement ``_bounds(codes)``; the rest derives.

``_bounds`` maps an int32 code-point array to int32 cut offsets ``[0, ..., n]``
(strictly increasing). Words are always slices of the caller's original ``str``, so a
segmenter cannot lose, add or reorder characters.
"""
from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from typing import Iterable, Iterator

import numpy as np

from ..errors import CnlpError, check_str
from ..text import to_codes


class Segmenter(ABC):
    """Base class of all segmenters.

    Subclasses set ``self.user_dict`` (a :class:`cnlp.dictionary.UserDictionary` or None)
    and honour it *inside* decoding: forced words must appear whenever they occur (and do
    not cross another forced word); suggested words only gain weight.
    """

    user_dict = None

    @abstractmethod
    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        """int32 code points (n,) -> int32 cut offsets (k+1,), from 0 to n, strictly increasing."""

    # ---- derived API -------------------------------------------------------------------
    def bounds(self, text: str) -> np.ndarray:
        """Cut offsets of ``text`` (int32, starting at 0 and ending at ``len(text)``)."""
        text = check_str(text, "segment")
        n = len(text)
        if n == 0:
            return np.zeros(1, np.int32)
        b = np.asarray(self._bounds(to_codes(text)), dtype=np.int32)
        if b.shape[0] < 2 or b[0] != 0 or b[-1] != n or np.any(b[1:] <= b[:-1]):
            raise CnlpError(f"{type(self).__name__} produced invalid cut offsets for a text of "
                            f"length {n}: {b[:10]}... (this is a bug in cnlp; please report it)")
        return b

    def segment(self, text: str) -> list[str]:
        """Split ``text`` into words; ``"".join(result) == text`` always."""
        b = self.bounds(text).tolist()
        return [text[b[i]:b[i + 1]] for i in range(len(b) - 1)]

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Yield ``(word, start, end)`` with ``text[start:end] == word``."""
        b = self.bounds(text).tolist()
        for i in range(len(b) - 1):
            yield text[b[i]:b[i + 1]], b[i], b[i + 1]

    def segment_many(self, lines: Iterable[str]) -> Iterator[list[str]]:
        """Segment each line in order (a generator; one result per input, never dropped)."""
        for line in lines:
            yield self.segment(line)

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

    def _on_user_dict_changed(self) -> None:
        """Hook for subclasses that cache structures derived from ``user_dict``."""

    def warmup(self) -> "Segmenter":
        """Compile the Numba kernels this segmenter uses (on a tiny input) and return self."""
        self.segment("中文分词 warm-up 123")
        return self
