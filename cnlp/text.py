"""Character classes, folding and str -> int32 code-point arrays.

Everything that decodes text works on the int32 array made by :func:`to_codes`; the
caller's ``str`` is never modified, and output is always cut from the original text.
Folding (full-width ASCII -> half width, ASCII lower case, traditional -> simplified characters)
produces a *parallel* array of the same length, used only for lookups and features, so models
trained on simplified text read traditional text too.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
from numba import njit

from . import _jit  # noqa: F401  (Numba cache directory, before any kernel)
from . import _locks  # noqa: F401  (fresh locks in forked children)

# Character classes (int8). Kept small and stable: feature templates use them.
OTHER, HAN, DIGIT, LATIN, SPACE, PUNCT, CN_NUM, SYMBOL = range(8)
CLASS_NAMES = ("other", "han", "digit", "latin", "space", "punct", "cn_num", "symbol")

# Chinese numerals (also classed HAN for lexical purposes, but CN_NUM lets models see them)
CN_NUMERALS = "〇○零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"


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


def _build_bmp_table() -> np.ndarray:
    table = np.zeros(0x10000, np.int8)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch.isspace() or cat in ("Zs", "Zl", "Zp"):
            table[cp] = SPACE
        elif ch in CN_NUMERALS:
            table[cp] = CN_NUM
        elif cat == "Lo" and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
                              or "\uf900" <= ch <= "\ufaff" or ch == "\u3007"):
            table[cp] = HAN
        elif cat == "Nd":
            table[cp] = DIGIT
        elif cat in ("Lu", "Ll", "Lt", "Lm") or (cat == "Lo" and cp < 0x3000):
            table[cp] = LATIN
        elif cat.startswith("P"):
            table[cp] = PUNCT
        elif cat.startswith("S"):
            table[cp] = SYMBOL
    return table


#: int8[65536]: the class of every BMP code point
_CLASS_TABLE = _build_bmp_table()


@njit(cache=True, nogil=True, inline="always")
def char_class(c, table):
    """The class of code point ``c`` (``table``: :data:`_BMP_TABLE`); the one definition every
    kernel uses: BMP by table, CJK extension planes HAN, emoji and pictographs SYMBOL, else OTHER."""
    if 0 <= c < 65536:
        return table[c] & 0xFF
    if 0x20000 <= c <= 0x3FFFF:        # CJK extension planes
        return 1
    if 0x1F000 <= c <= 0x1FAFF:        # emoji, pictographs, playing cards
        return 7
    return 0


@njit(cache=True, nogil=True)
def _classify(codes, table, out):
    """codes: int32[n]; table: int8[65536]; out: int8[n] (written). O(n)."""
    for i in range(codes.shape[0]):
        out[i] = char_class(codes[i], table)
    return out


def char_classes(codes: np.ndarray) -> np.ndarray:
    """int8 class (``HAN``, ``DIGIT``, ...) of each code point."""
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    return _classify(codes, _BMP_TABLE, np.empty(codes.shape[0], np.int8))


def _t2s_path() -> Path:
    """``t2s/table.json`` of the shipped data: the installed ``cnlp/data`` or the checkout's ``data/``.

    Not ``$CNLP_DATA``: the table is part of the fold compiled into the kernels, not a model.
    """
    here = Path(__file__).resolve().parent
    for d in (here / "data", here.parent / "data"):
        if (d / "t2s" / "table.json").is_file():
            return d / "t2s" / "table.json"
    raise ImportError(f"cnlp: the traditional -> simplified table data/t2s/table.json is missing "
                      f"(looked in {here / 'data'} and {here.parent / 'data'}); rebuild it with "
                      f"`python scripts/build_t2s_table.py`")


def _build_fold_table() -> np.ndarray:
    """uint16[65536]: the folded code point of every BMP code point (see :func:`fold_code`; uint16
    halves the constant every kernel inlining it carries)."""
    table = np.arange(0x10000, dtype=np.int32)
    table[0xFF01:0xFF5F] -= 0xFEE0                     # full-width ASCII -> half width
    table[0x3000] = 0x20                               # ideographic space -> space
    upper = (table >= 65) & (table <= 90)              # ASCII upper -> lower (also of folded ones)
    table[upper] += 32
    pairs = json.loads(_t2s_path().read_text("utf-8"))["pairs"]
    src, dst = to_codes(pairs[0::2]), to_codes(pairs[1::2])
    if src.shape != dst.shape or (src.shape[0] and (src.max() > 0xFFFF or dst.max() > 0xFFFF)):
        raise ImportError("cnlp: data/t2s/table.json is malformed (pairs of BMP characters expected)")
    table[src] = dst
    return table.astype(np.uint16)


#: BMP code point -> folded code point (width fold, ASCII lower case, traditional -> simplified)
_FOLD_TABLE = _build_fold_table()


def pack_tables(classes: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """int32[65536]: class in the low 8 bits, folded code point above (:data:`_BMP_TABLE`)."""
    return np.ascontiguousarray(classes.astype(np.int32) | (fold.astype(np.int32) << 8))


#: the one table every kernel is given as an argument (never a global it compiles in: the
#: traditional -> simplified part comes from a data file that may change): int32[65536], the
#: class of each BMP code point (:func:`char_class`) in the low 8 bits, its folded code point
#: (:func:`fold_code`) above them
_BMP_TABLE = pack_tables(_CLASS_TABLE, _FOLD_TABLE)

#: :data:`_FOLD_TABLE` as a ``str.translate`` mapping (only the code points it changes)
FOLD_TRANSLATE: dict[int, int] = {int(c): int(_FOLD_TABLE[c])
                                  for c in np.flatnonzero(_FOLD_TABLE != np.arange(0x10000))}


@njit(cache=True, nogil=True, inline="always")
def fold_code(c, table):
    """Fold one code point (``table``: :data:`_BMP_TABLE`): full-width ASCII -> half width, U+3000
    -> space, A-Z -> a-z, and a traditional character -> its simplified form
    (``data/t2s/table.json``; characters also used in simplified text, such as 乾 and 著, stay).
    Code points outside the BMP are returned unchanged."""
    if 0 <= c < 65536:
        c = table[c] >> 8
    return c


@njit(cache=True, nogil=True)
def _fold(codes, table, out):
    for i in range(codes.shape[0]):
        out[i] = fold_code(codes[i], table)
    return out


def fold_width(codes: np.ndarray) -> np.ndarray:
    """Parallel array of folded code points (:func:`fold_code`): full-width ASCII to half width,
    ASCII letters lower-cased, traditional characters to simplified. Used only for lookups and
    features; output is always cut from the original text."""
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    return _fold(codes, _BMP_TABLE, np.empty_like(codes))


def fold_str(text: str) -> str:
    """:func:`fold_width` on a ``str`` (used to normalise dictionary and corpus words)."""
    return text.translate(FOLD_TRANSLATE)


@njit(cache=True, nogil=True)
def _atom_ends(classes, out):
    """For each i, out[i] = end of the atom starting at i, or i + 1 if i starts none.

    An atom is a maximal run of DIGIT/LATIN characters (with '.', '%' etc. handled by
    callers) or a maximal run of SPACE. classes: int8[n]; out: int32[n]. O(n).
    """
    n = classes.shape[0]
    i = n - 1
    while i >= 0:
        c = classes[i]
        if c == 2 or c == 3:
            if i + 1 < n and (classes[i + 1] == 2 or classes[i + 1] == 3):
                out[i] = out[i + 1]
            else:
                out[i] = i + 1
        elif c == 4:
            if i + 1 < n and classes[i + 1] == 4:
                out[i] = out[i + 1]
            else:
                out[i] = i + 1
        else:
            out[i] = i + 1
        i -= 1
    return out


def atom_ends(classes: np.ndarray) -> np.ndarray:
    """int32 array: end offset of the atom (digit/Latin run or whitespace run) starting at each index."""
    classes = np.ascontiguousarray(classes, dtype=np.int8)
    return _atom_ends(classes, np.empty(classes.shape[0], np.int32))


_SENT_END = set("。！？!?；;…\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)`` covering it exactly.

    A sentence ends after a run of 。！？!?；;…, or a newline; closing quotes and brackets
    that follow stay with the sentence.
    """
    spans, start, i, n = [], 0, 0, len(text)
    closers = set("”’」』）)】\"'")
    while i < n:
        if text[i] in _SENT_END:
            j = i + 1
            while j < n and (text[j] in _SENT_END or text[j] in closers):
                j += 1
            spans.append((start, j))
            start = i = j
        else:
            i += 1
    if start < n:
        spans.append((start, n))
    return spans


def trie_get(trie, key: str, default=-1):
    """``trie.get(key, default)`` for a marisa trie, also for keys it cannot encode (a lone
    surrogate is never in a trie: marisa keys are UTF-8)."""
    try:
        return trie.get(key, default)
    except UnicodeEncodeError:
        return default
