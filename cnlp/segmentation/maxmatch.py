"""Forward, backward and bidirectional maximum matching over the dictionary's array tries.

One ``@njit`` kernel per direction walks the trie from each position (O(n·L)); BiMM runs both
in one kernel call and applies its rule there. Runs of digits and
Latin letters, and runs of whitespace, are kept whole ("atoms") unless ``atoms=False`` (the pure
SIGHAN baseline). User words: forced ones are spans no other word may cross; preferred and suggested
ones are extra candidates, and a preferred word is merged when the match cuts at both of its edges.
"""
from __future__ import annotations


import numpy as np

from ..dictionary import FORCE, PREFER, Dictionary, LayeredDictionary, merge_preferred
from ..text import _BMP_TABLE, _fold
from ._maxmatch_kernels import (bimm_kernel, bimm_many, bmm_kernel, bmm_many, fmm_kernel, fmm_many,  # noqa: F401
                                prepare)
from .base import Segmenter

__all__ = ["MaxMatchSegmenter", "fmm_kernel", "bmm_kernel", "bimm_kernel", "fmm_many", "bmm_many", "bimm_many"]
DIRECTIONS = ("forward", "backward", "both")
_NONE = np.zeros(0, np.int32)


class MaxMatchSegmenter(Segmenter):
    """Maximum-matching segmenter.

    Parameters
    ----------
    dictionary : Dictionary or LayeredDictionary
        Words to match (a LayeredDictionary is flattened, and re-flattened when a layer changes).
    direction : {"forward", "backward", "both"}
        ``both`` (BiMM): fewer words wins, then fewer single characters, then backward.
    atoms : bool
        Keep digit/Latin runs and whitespace runs whole (default). ``False`` reproduces the
        pure SIGHAN maximum-matching baseline.
    user_dict : UserDictionary, optional

    >>> d = Dictionary.from_counts(["研究", "研究生", "生命", "起源", "命"])
    >>> MaxMatchSegmenter(d, direction="forward").segment("研究生命起源")
    ['研究生', '命', '起源']
    >>> MaxMatchSegmenter(d, direction="both").segment("研究生命起源")
    ['研究', '生命', '起源']
    """

    _exact_bounds = True     # fmm/bmm kernels advance >= 1 char per step and end at n

    def __init__(self, dictionary: Dictionary, *, direction: str = "both", atoms: bool = True,
                 user_dict=None):
        if not isinstance(dictionary, (Dictionary, LayeredDictionary)):
            raise TypeError(f"MaxMatchSegmenter expects a cnlp.dictionary.Dictionary or LayeredDictionary, "
                            f"got {type(dictionary).__name__}")
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; choose one of {list(DIRECTIONS)}")
        self.dictionary = dictionary
        self.direction = direction
        self.atoms = bool(atoms)
        from ..dictionary import as_user_dictionary
        self.user_dict = as_user_dictionary(user_dict)

    def _spans(self, codes: np.ndarray):
        ud = self.user_dict
        n = codes.shape[0]
        folded = _fold(codes, _BMP_TABLE, np.empty(n, np.int32))
        span_end = np.full(n, -1, np.int32)
        extra_end = np.full(n, -1, np.int32)
        span_start = np.full(n + 1, -1, np.int32)
        extra_start = np.full(n + 1, -1, np.int32)
        s, e, m, _ = ud.spans(folded)
        f = m == FORCE
        span_end[s[f]] = e[f]
        span_start[e[f]] = s[f]
        sg = ~f
        # longest preferred/suggested word per start / earliest start per end (later writes win: ends ascending)
        extra_end[s[sg]] = e[sg]
        order = np.argsort(-s[sg], kind="stable")
        extra_start[e[sg][order]] = s[sg][order]
        pf = m == PREFER
        return span_end, extra_end, span_start, extra_start, ((s[pf], e[pf]) if pf.any() else None)

    #: whitespace runs are one word only with atoms (the base's hard boundaries)
    _whole_spaces = property(lambda self: self.atoms)
    #: expressions are kept whole only with atoms (without them: the pure SIGHAN baseline)
    _expression_words = property(lambda self: self.atoms)

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        d = self.dictionary
        if type(d) is not Dictionary:
            d = d.flatten()                        # LayeredDictionary: cached until a layer changes
        ud = self.user_dict
        prefer = None
        if ud is None or not ud._entries:          # the common, fast path
            span_end = extra_end = span_start = extra_start = _NONE
        else:
            span_end, extra_end, span_start, extra_start, prefer = self._spans(codes)
        f, b = d.fwd, d.bwd
        if self.direction == "forward":
            out = fmm_kernel(codes, _BMP_TABLE, d.folded, f.root, f.htab, f.word, span_end, extra_end, self.atoms)
        elif self.direction == "backward":
            out = bmm_kernel(codes, _BMP_TABLE, d.folded, b.root, b.htab, b.word,
                             span_start, extra_start, self.atoms)
        else:
            out = bimm_kernel(codes, _BMP_TABLE, d.folded, f.root, f.htab, f.word, b.root, b.htab, b.word,
                              span_end, extra_end, span_start, extra_start, self.atoms)
        if prefer is not None:
            out = merge_preferred(out, codes.shape[0], *prefer)
        return out

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray):
        d = self.dictionary
        if type(d) is not Dictionary:
            d = d.flatten()
        f, b = d.fwd, d.bwd
        if self.direction == "forward":
            return fmm_many(codes, offsets, _BMP_TABLE, d.folded, f.root, f.htab, f.word, self.atoms)
        if self.direction == "backward":
            return bmm_many(codes, offsets, _BMP_TABLE, d.folded, b.root, b.htab, b.word, self.atoms)
        return bimm_many(codes, offsets, _BMP_TABLE, d.folded, f.root, f.htab, f.word, b.root, b.htab, b.word,
                         self.atoms)

    def __repr__(self) -> str:
        return (f"MaxMatchSegmenter({self.dictionary!r}, direction={self.direction!r}, "
                f"atoms={self.atoms}, user_dict={self.user_dict!r})")
