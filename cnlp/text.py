"""Character classes, folding and str -> int32 code-point arrays.

Everything that decodes text works on the int32 array made by :func:`to_codes`; the
caller's ``str`` is never modified, and output is always cut from the original text.
Folding (full-width ASCII -> half width, ASCII lower case, traditional -> simplified characters)
produces a *parallel* array of the same length, used only for lookups and features, so models
trained on simplified text read traditional text too.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from . import _jit  # noqa: F401  (Numba cache directory, before any kernel)
from . import _locks  # noqa: F401  (fresh locks in forked children)
# the kernels, constants and tables of this layer live in ``_text_kernels`` (the kernel floor);
# re-exported here with the Python API
from ._text_kernels import (CLASS_NAMES, CN_NUM, CN_NUMERALS, DIGIT, HAN, LATIN, OTHER, PUNCT,  # noqa: F401
                            SPACE, SYMBOL, _CLASS_TABLE, _atom_ends, _build_fold_table, _classify, _fold,
                            _t2s_path, char_class, fold_code, pack_tables, MARK_NAMES, MK_AT, MK_EMOJI, MK_HASH,
                            MK_HASHTAG, MK_MENTION, MK_NONE, MK_URL, markup_marks as _markup_marks)
from .errors import ModelFormatError


def _load_fold_table(path=None) -> np.ndarray:
    """The fold table of ``data/t2s/table.json`` (or of ``path``); a malformed or unreadable file is a
    :class:`ModelFormatError` naming it (at ``import``)."""
    path = _t2s_path() if path is None else path
    try:
        text = path.read_text("utf-8")
        table = _build_fold_table(text)
    except (OSError, ValueError) as e:
        raise ModelFormatError(path, f"malformed traditional -> simplified table: {e}") from None
    data = json.loads(text)                            # valid: _build_fold_table parsed it
    if data.get("pairs_sha256") != pairs_digest(data["pairs"]):
        raise ModelFormatError(path, 'traditional -> simplified table: "pairs" does not match its '
                                     '"pairs_sha256" (file corrupted or edited; rebuild it with '
                                     '`python scripts/build_t2s_table.py`)')
    return table


def pairs_digest(pairs: str) -> str:
    """``pairs_sha256`` of ``t2s/table.json``: the sha256 of its ``pairs`` string (UTF-8), so a
    corrupted or edited table is refused rather than folding with other pairs."""
    return hashlib.sha256(pairs.encode("utf-8", "surrogatepass")).hexdigest()


#: BMP code point -> folded code point (width fold, ASCII lower case, traditional -> simplified)
_FOLD_TABLE = _load_fold_table()

#: the one table every kernel is given as an argument: int32[65536], the class of each BMP code
#: point (:func:`char_class`) in the low 8 bits, its folded code point (:func:`fold_code`) above them
_BMP_TABLE = pack_tables(_CLASS_TABLE, _FOLD_TABLE)


def to_codes(text: str) -> np.ndarray:
    """Return the code points of ``text`` as a C-contiguous int32 array (one entry per ``str`` index).

    Lone surrogates are kept as their code point, so ``len(to_codes(t)) == len(t)`` always.
    """
    if not text:
        return np.zeros(0, np.int32)
    # code points are < 0x110000, so the little-endian UTF-32 bytes are valid int32 values
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<i4").copy()


def from_codes(codes) -> str:
    """Inverse of :func:`to_codes`."""
    return np.asarray(codes, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def char_classes(codes: np.ndarray) -> np.ndarray:
    """int8 class (``HAN``, ``DIGIT``, ...) of each code point."""
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    return _classify(codes, _BMP_TABLE, np.empty(codes.shape[0], np.int8))


def markup(codes: np.ndarray) -> np.ndarray:
    """int8 social-media mark of each code point (``MK_NONE``, ``MK_URL``, ``MK_AT`` / ``MK_MENTION``
    for ``@user``, ``MK_HASH`` / ``MK_HASHTAG`` for ``#topic#``, ``MK_EMOJI``; names in
    ``MARK_NAMES``): classes over character runs, next to the per-character :func:`char_classes`.

    >>> [MARK_NAMES[m] for m in markup(to_codes("@ab #x# 😀"))]
    ['at', 'mention', 'mention', 'none', 'hash', 'hashtag', 'hash', 'none', 'emoji']
    """
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    return _markup_marks(codes, _BMP_TABLE, np.empty(codes.shape[0], np.int8))


#: :data:`_FOLD_TABLE` as a ``str.translate`` mapping (only the code points it changes)
FOLD_TRANSLATE: dict[int, int] = {int(c): int(_FOLD_TABLE[c])
                                  for c in np.flatnonzero(_FOLD_TABLE != np.arange(0x10000))}


def fold_width(codes: np.ndarray) -> np.ndarray:
    """Parallel array of folded code points (:func:`fold_code`): full-width ASCII to half width,
    ASCII letters lower-cased, traditional characters to simplified. Used only for lookups and
    features; output is always cut from the original text."""
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    return _fold(codes, _BMP_TABLE, np.empty_like(codes))


def fold_str(text: str) -> str:
    """:func:`fold_width` on a ``str`` (used to normalise dictionary and corpus words)."""
    return text.translate(FOLD_TRANSLATE)


#: :func:`fold_str` under the name the dictionaries and corpus statistics use for a folded word
#: (a dictionary key); re-exported by :mod:`cnlp.dictionary.trie`
fold_key = fold_str


def atom_ends(classes: np.ndarray) -> np.ndarray:
    """int32 array: end offset of the atom (digit/Latin run or whitespace run) starting at each index."""
    classes = np.ascontiguousarray(classes, dtype=np.int8)
    return _atom_ends(classes, np.empty(classes.shape[0], np.int32))


#: characters that end a sentence (full- and half-width forms); a run of them ends one sentence
SENTENCE_END = "。｡︒！!﹗？?﹖；;﹔…⋯‼⁇⁈⁉"
#: line ends (every one ends a sentence)
LINE_END = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: closing quotes and brackets: after a sentence end they stay with the sentence
SENTENCE_CLOSERS = "”’」』）)】〕〗〙〛》〉］]｝}﹂﹄\"'"
_SENT_END = frozenset(SENTENCE_END + LINE_END)
_SEMICOLONS = "；;﹔"
_SENT_END_NO_SEMICOLON = _SENT_END - frozenset(_SEMICOLONS)
_CLOSERS = frozenset(SENTENCE_CLOSERS)


def sentence_spans(text: str, *, merge_blank: bool = False, semicolons: bool = True) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)`` covering it exactly.

    A sentence ends after a run of :data:`SENTENCE_END` characters (。！？；… and their
    full/half-width variants) or line ends; closing quotes and brackets that follow stay with the
    sentence. ``semicolons=False``: ；; do not end a sentence (as in the Universal Dependencies
    treebanks, whose sentences often join clauses with ；). With ``merge_blank``, a span of whitespace only is joined to the sentence before it
    (to the next one when it comes first), so every span has a non-space character unless the
    text has none.
    """
    spans, start, i, n = [], 0, 0, len(text)
    ends, closers = (_SENT_END if semicolons else _SENT_END_NO_SEMICOLON), _CLOSERS
    while i < n:
        if text[i] in ends:
            j = i + 1
            while j < n and (text[j] in ends or text[j] in closers):
                j += 1
            spans.append((start, j))
            start = i = j
        else:
            i += 1
    if start < n:
        spans.append((start, n))
    if merge_blank and len(spans) > 1:
        out: list[tuple[int, int]] = []
        lead = None
        for a, b in spans:
            if text[a:b].isspace():
                if out:
                    out[-1] = (out[-1][0], b)
                elif lead is None:
                    lead = a
                continue
            if lead is not None:
                a, lead = lead, None
            out.append((a, b))
        spans = out or [(0, n)]
    return spans


def trie_get(trie, key: str, default=-1):
    """``trie.get(key, default)`` for a marisa trie, also for keys it cannot encode (a lone
    surrogate is never in a trie: marisa keys are UTF-8)."""
    try:
        return trie.get(key, default)
    except UnicodeEncodeError:
        return default
