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


#: Social-media markup marks (int8, :func:`markup_marks`): none, a URL, the ``@`` of a mention, the
#: user name after it, a ``#`` of a hashtag, the text between two ``#``, an emoji or emoticon.
#: Entity recognition reads them as features and keeps URL, ``@``, ``#`` and emoji out of entities.
MK_NONE, MK_URL, MK_AT, MK_MENTION, MK_HASH, MK_HASHTAG, MK_EMOJI = range(7)
MARK_NAMES = ("none", "url", "at", "mention", "hash", "hashtag", "emoji")


@njit(cache=True, nogil=True, inline="always")
def _url_char(c):
    """ASCII characters a URL may continue with (RFC 3986 unreserved, reserved and ``%``)."""
    if c >= 128 or c <= 32:
        return False
    return c not in (34, 60, 62, 92, 94, 96, 123, 124, 125)    # " < > \ ^ ` { | }


@njit(cache=True, nogil=True, inline="always")
def _is_emoji(c, table):
    """Emoji and pictographs (astral symbols), BMP misc symbols / dingbats (U+2600-U+27BF), the
    emoji joiners and variation selectors, and U+FFFD (an emoji lost by a bad conversion)."""
    if c >= 0x1F000 and c <= 0x1FAFF:
        return True
    return (0x2600 <= c <= 0x27BF) or c == 0x200D or c == 0xFE0F or c == 0xFE0E or c == 0xFFFD or \
        (0x1F3FB <= c <= 0x1F3FF)


@njit(cache=True, nogil=True, inline="always")
def _name_char(c, table):
    """A character of a user name after ``@``: Han, Latin, digits, ``_`` and ``-``."""
    k = char_class(c, table)
    return k == HAN or k == LATIN or k == DIGIT or k == CN_NUM or c == 95 or c == 45


@njit(cache=True, nogil=True)
def markup_marks(codes, table, out):
    """int8 mark (``MK_*``) of each code point of ``codes`` (int32[n]; ``table``: :data:`_BMP_TABLE`;
    ``out`` int8[n], written): ``http://`` / ``https://`` / ``www.`` and the URL characters after
    them, also glued to the text before (URL); ``@`` or ``＠`` followed by a user name of 1-30 Han / Latin / digit / ``_`` / ``-``
    characters (AT, then MENTION); two ``#`` (or ``＃``) at most 60 characters apart with no line
    break between (HASH, HASHTAG between them, HASH); emoji (:func:`_is_emoji`) and Weibo emoticon
    codes ``[...]`` of 1-6 Han characters (EMOJI). O(n)."""
    n = codes.shape[0]
    for i in range(n):
        out[i] = MK_NONE
    i = 0
    while i < n:
        c = codes[i]
        if out[i] != MK_NONE:
            i += 1
            continue
        lc = c | 32 if 65 <= c <= 90 else c
        # URL: http:// https:// www.
        if lc == 104 or lc == 119:
            j = -1
            if lc == 104 and i + 7 <= n:
                k = i
                ok = True
                for ch in (104, 116, 116, 112):
                    x = codes[k] | 32 if 65 <= codes[k] <= 90 else codes[k]
                    if x != ch:
                        ok = False
                        break
                    k += 1
                if ok:
                    if k < n and (codes[k] | 32) == 115:
                        k += 1
                    while k < n and 48 <= codes[k] <= 57:     # http1:// (seen in crawled posts)
                        k += 1
                    if k + 3 <= n and codes[k] == 58 and codes[k + 1] == 47 and codes[k + 2] == 47:
                        j = k + 3
            elif lc == 119 and i + 4 <= n:
                if (codes[i + 1] | 32) == 119 and (codes[i + 2] | 32) == 119 and codes[i + 3] == 46:
                    j = i + 4
            if j > 0:
                while j < n and _url_char(codes[j]):
                    j += 1
                for k in range(i, j):
                    out[k] = MK_URL
                i = j
                continue
        if c == 64 or c == 0xFF20:                       # @ mention
            j = i + 1
            while j < n and j - i <= 30 and _name_char(codes[j], table):
                j += 1
            if j > i + 1:
                out[i] = MK_AT
                for k in range(i + 1, j):
                    out[k] = MK_MENTION
                i = j
                continue
        if c == 35 or c == 0xFF03:                       # #hashtag#
            j = i + 1
            while j < n and j - i <= 60 and codes[j] != 35 and codes[j] != 0xFF03 and codes[j] != 10 \
                    and codes[j] != 13:
                j += 1
            if j < n and j > i + 1 and (codes[j] == 35 or codes[j] == 0xFF03):
                out[i] = MK_HASH
                for k in range(i + 1, j):
                    out[k] = MK_HASHTAG
                out[j] = MK_HASH
                i = j + 1
                continue
            out[i] = MK_HASH
            i += 1
            continue
        if c == 91 or c == 0x3010:                       # [emoticon]
            j = i + 1
            while j < n and j - i <= 7 and char_class(codes[j], table) == HAN:
                j += 1
            if j < n and j > i + 1 and (codes[j] == 93 or codes[j] == 0x3011) and c == 91 and codes[j] == 93:
                for k in range(i, j + 1):
                    out[k] = MK_EMOJI
                i = j + 1
                continue
        if _is_emoji(c, table):
            out[i] = MK_EMOJI
        i += 1
    return out
