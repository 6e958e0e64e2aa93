"""Search mode: the words of a segmentation plus the dictionary words inside its long words; and
full mode (:func:`full_tokens`): every dictionary word at every position.

``Segmenter.tokenize(text, mode="search")`` (and :func:`cnlp.tokenize`, :func:`cnlp.cut_for_search`)
gives every word of the default segmentation and, before each word of at least
:data:`MIN_WORD` characters, the dictionary words of at least :data:`MIN_SUB` characters found
inside it (an index then finds 中华人民共和国 under 中华, 人民, 共和国 ...). The dictionary is the
segmenter's own (a max-match segmenter's word list, a tagging segmenter's feature dictionary),
else the one it was given as ``search_dict`` (:mod:`cnlp.models` gives the shipped bigram and
HMM segmenters the shipped dictionary ``data/dict``), plus the segmenter's user words.

Order: the words of the default segmentation in text order; before each of them, its sub-words by
start, then by length (jieba's ``cut_for_search`` order: sub-words before the long word). No
sub-word splits a run of Latin letters or digits, or separates a combining mark from its base.
"""
from __future__ import annotations

import numpy as np

from .._marks import MARKS, ZWJ
from ..text import DIGIT, LATIN, SPACE, char_classes, fold_width, to_codes

__all__ = ["MIN_WORD", "MIN_SUB", "search_tokens", "search_dictionary", "full_tokens"]

#: only words at least this long are searched for sub-words
MIN_WORD = 3
#: shortest sub-word (a single character is never indexed as a sub-word)
MIN_SUB = 2


def search_dictionary(seg):
    """The dictionary search mode looks sub-words up in for segmenter ``seg``: its own, else its
    ``search_dict`` attribute (ValueError when it has neither)."""
    from ..dictionary import Dictionary
    d = getattr(seg, "dictionary", None)
    if isinstance(d, Dictionary):
        return d
    d = getattr(getattr(seg, "features", None), "dictionary", None)
    if isinstance(d, Dictionary):
        return d
    d = getattr(seg, "search_dict", None)
    if isinstance(d, Dictionary):
        return d
    raise ValueError(f"{type(seg).__name__} has no dictionary for search mode: set its search_dict "
                     "attribute to a cnlp.dictionary.Dictionary (e.g. cnlp.models.dictionary())")


def _dictionary_words(seg, codes):
    """``(starts, ends)`` (int32) of every word of the segmenter's search dictionary and of its user
    words in the text of ``codes``, overlapping."""
    n = codes.shape[0]
    folded = fold_width(codes)
    d = search_dictionary(seg)
    off, ends, _ = d.find_matches(folded if d.folded else codes)
    s = np.repeat(np.arange(n, dtype=np.int32), np.diff(off))
    e = ends.astype(np.int32)
    ud = getattr(seg, "user_dict", None)
    if ud is not None and len(ud):
        us, ue, _ = ud.constraints(folded)
        s = np.concatenate([s, np.asarray(us, np.int32)])
        e = np.concatenate([e, np.asarray(ue, np.int32)])
    return s, e


def _inside_units(codes, *, spaces: bool):
    """Offsets ``0..n`` that lie inside a unit: inside a run of letters or digits (``spaces``: or of
    whitespace), before a combining mark, after a zero-width joiner."""
    n = codes.shape[0]
    cls = char_classes(codes)
    alnum = (cls == DIGIT) | (cls == LATIN)
    bad = np.zeros(n + 1, np.bool_)
    bad[1:n] = alnum[:-1] & alnum[1:]
    if spaces:
        space = cls == SPACE
        bad[1:n] |= space[:-1] & space[1:]
    bad[:n] |= MARKS[codes]
    bad[1:] |= codes == ZWJ
    return bad


def search_tokens(seg, text: str, b: np.ndarray) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of the cut offsets ``b`` of ``text`` with the sub-words of the long
    words, in search-mode order (see the module docstring)."""
    n = len(text)
    bl = b.tolist()
    if n == 0:
        return []
    lens = np.diff(b)
    if not (lens >= MIN_WORD).any():
        return [(text[i:j], i, j) for i, j in zip(bl, bl[1:])]
    codes = to_codes(text)
    s, e = _dictionary_words(seg, codes)
    k = np.searchsorted(b, s, side="right") - 1            # the word each candidate starts in
    ws, we = b[k], b[k + 1]
    keep = (e <= we) & (e - s >= MIN_SUB) & (e - s < we - ws) & (we - ws >= MIN_WORD)
    bad = _inside_units(codes, spaces=False)          # no sub-word starts or ends there
    keep &= ~bad[s] & ~bad[e]
    s, e, k = s[keep], e[keep], k[keep]
    if s.shape[0]:
        _, first = np.unique(s.astype(np.int64) * (n + 1) + e, return_index=True)   # dictionary and user words
        s, e, k = s[first], e[first], k[first]
    nw = len(bl) - 1
    all_s = np.concatenate([s, b[:-1]])
    all_e = np.concatenate([e, b[1:]])
    all_k = np.concatenate([k, np.arange(nw)])
    last = np.concatenate([np.zeros(s.shape[0], np.int8), np.ones(nw, np.int8)])
    order = np.lexsort((all_e, all_s, last, all_k))
    return [(text[i:j], i, j) for i, j in zip(all_s[order].tolist(), all_e[order].tolist())]


def full_tokens(seg, text: str) -> list[tuple[str, int, int]]:
    """Full mode (jieba's ``cut_all``): every dictionary word of two characters or more (the
    segmenter's dictionary as in search mode, plus its user words) at every position, overlapping,
    and every *unit* (a character with its combining marks, a run of Latin letters or digits, a
    whitespace run) that no such word covers or that is longer than one character; ordered by start,
    then end. No word splits a unit. Needs no decoding: the tokens do not depend on the model's
    segmentation, only on its dictionary."""
    n = len(text)
    if n == 0:
        return []
    codes = to_codes(text)
    s, e = _dictionary_words(seg, codes)
    bad = _inside_units(codes, spaces=True)           # no token starts or ends there
    bad[0] = bad[n] = False
    keep = (e - s >= MIN_SUB) & ~bad[s] & ~bad[e]
    s, e = s[keep], e[keep]
    cuts = np.flatnonzero(~bad).astype(np.int32)              # unit boundaries (0 and n included)
    us, ue = cuts[:-1], cuts[1:]
    if s.shape[0]:
        cover = np.zeros(n + 1, np.int32)                     # characters covered by a dictionary word
        np.add.at(cover, s, 1)
        np.add.at(cover, e, -1)
        covered = np.cumsum(cover[:-1]) > 0
        unit_keep = (ue - us > 1) | ~covered[us]
        us, ue = us[unit_keep], ue[unit_keep]
    s = np.concatenate([s, us]).astype(np.int64)
    e = np.concatenate([e, ue]).astype(np.int64)
    key = np.unique(s * (n + 1) + e)                          # by start, then end; duplicates once
    s, e = (key // (n + 1)).tolist(), (key % (n + 1)).tolist()
    return [(text[i:j], i, j) for i, j in zip(s, e)]
