"""Numba kernels of the text layer: character classes, folding, atoms (the one home of each).

:mod:`cnlp.text` re-exports the names below with its Python API; kernels import them from here,
so a kernel module never imports a module above the kernel floor.

``_CLASS_TABLE`` (int8 class of every BMP code point) is built at import. The fold table (uint16
folded code point of every BMP code point, :func:`_build_fold_table`) reads a data file, so
:mod:`cnlp.text` builds it (``_FOLD_TABLE``; a malformed file is a ``ModelFormatError`` naming it)
and packs the two in ``_BMP_TABLE``, the one int32 array every kernel is given as an argument (never
a global compiled into a cached kernel: the traditional -> simplified part may change).
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
from numba import njit

from . import _jit  # noqa: F401  (Numba cache directory, before any kernel)

#: Character classes (int8). Kept small and stable: feature templates use them, and the shipped
#: models were trained with these values.
OTHER, HAN, DIGIT, LATIN, SPACE, PUNCT, CN_NUM, SYMBOL = range(8)
CLASS_NAMES = ("other", "han", "digit", "latin", "space", "punct", "cn_num", "symbol")

#: Chinese numerals (also classed HAN for lexical purposes, but CN_NUM lets models see them)
CN_NUMERALS = "〇○零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"


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
    kernel uses: BMP by table, CJK extension planes HAN, emoji and pictographs SYMBOL, else OTHER.

    The rare case returns first: written as ``if 0 <= c < 65536: return table[c] ...`` followed by the
    other planes, a loop over this function ran about 60x slower (66 vs 4,000 M code points/s on news
    text), the same result."""
    if c < 0 or c >= 65536:
        return _astral_class(c)
    return table[c] & 0xFF


@njit(cache=True, nogil=True, inline="always")
def _astral_class(c):
    """The class of a code point outside the BMP (see :func:`char_class`)."""
    if 0x20000 <= c <= 0x3FFFF:        # CJK extension planes
        return HAN
    if 0x1F000 <= c <= 0x1FAFF:        # emoji, pictographs, playing cards
        return SYMBOL
    return OTHER


@njit(cache=True, nogil=True, inline="always")
def is_atom_class(c):
    """Whether class ``c`` joins digit/Latin atoms (DIGIT or LATIN)."""
    return c == DIGIT or c == LATIN


@njit(cache=True, nogil=True, inline="always")
def is_number_class(c):
    """Whether class ``c`` is a numeral (DIGIT or CN_NUM)."""
    return c == DIGIT or c == CN_NUM


@njit(cache=True, nogil=True, inline="always")
def same_atom(a, b):
    """Whether classes ``a`` then ``b`` continue one atom: a SPACE run, or a DIGIT/LATIN run."""
    if a == SPACE:
        return b == SPACE
    return is_atom_class(a) and is_atom_class(b)


@njit(cache=True, nogil=True)
def _classify(codes, table, out):
    """codes: int32[n]; table: :data:`_BMP_TABLE`; out: int8[n] (written). O(n)."""
    for i in range(codes.shape[0]):
        out[i] = char_class(codes[i], table)
    return out


def _t2s_path() -> Path:
    """``t2s/table.json`` of the shipped data: the installed ``cnlp/data`` or the checkout's ``data/``.

    Not ``$CNLP_DATA``: the table is part of the text layer, not a model.
    """
    here = Path(__file__).resolve().parent
    for d in (here / "data", here.parent / "data"):
        if (d / "t2s" / "table.json").is_file():
            return d / "t2s" / "table.json"
    raise ImportError(f"cnlp: the traditional -> simplified table data/t2s/table.json is missing "
                      f"(looked in {here / 'data'} and {here.parent / 'data'}); rebuild it with "
                      f"`python scripts/build_t2s_table.py`")


def _bmp_codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<i4").copy()


def _build_fold_table(table_json: str) -> np.ndarray:
    """uint16[65536]: the folded code point of every BMP code point (see :func:`fold_code`; uint16
    halves the table), from the text of ``t2s/table.json``. A malformed table raises ``ValueError``
    with the reason (:mod:`cnlp.text` reports it as a ``ModelFormatError`` naming the file)."""
    table = np.arange(0x10000, dtype=np.int32)
    table[0xFF01:0xFF5F] -= 0xFEE0                     # full-width ASCII -> half width
    table[0x3000] = 0x20                               # ideographic space -> space
    upper = (table >= 65) & (table <= 90)              # ASCII upper -> lower (also of folded ones)
    table[upper] += 32
    try:
        data = json.loads(table_json)
    except ValueError as e:
        raise ValueError(f"not valid JSON ({e})") from None
    pairs = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(pairs, str):
        raise ValueError('no "pairs" string (an object {"pairs": "<traditional><simplified>..."} expected)')
    src, dst = _bmp_codes(pairs[0::2]), _bmp_codes(pairs[1::2])
    if src.shape != dst.shape or (src.shape[0] and (src.max() > 0xFFFF or dst.max() > 0xFFFF)):
        raise ValueError('"pairs" is not a sequence of pairs of BMP characters')
    table[src] = dst
    return table.astype(np.uint16)


def pack_tables(classes: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """int32[65536]: class in the low 8 bits, folded code point above (:data:`_BMP_TABLE`)."""
    return np.ascontiguousarray(classes.astype(np.int32) | (fold.astype(np.int32) << 8))




@njit(cache=True, nogil=True, inline="always")
def fold_code(c, table):
    """Fold one code point (``table``: :data:`_BMP_TABLE`): full-width ASCII -> half width, U+3000
    -> space, A-Z -> a-z, and a traditional character -> its simplified form
    (``data/t2s/table.json``; characters also used in simplified text, such as 乾 and 著, stay).
    Code points outside the BMP are returned unchanged (that case first: see :func:`char_class`)."""
    if c < 0 or c >= 65536:
        return c
    return table[c] >> 8


@njit(cache=True, nogil=True)
def _fold(codes, table, out):
    for i in range(codes.shape[0]):
        out[i] = fold_code(codes[i], table)
    return out


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
        if is_atom_class(c):
            if i + 1 < n and is_atom_class(classes[i + 1]):
                out[i] = out[i + 1]
            else:
                out[i] = i + 1
        elif c == SPACE:
            if i + 1 < n and classes[i + 1] == SPACE:
                out[i] = out[i + 1]
            else:
                out[i] = i + 1
        else:
            out[i] = i + 1
        i -= 1
    return out
