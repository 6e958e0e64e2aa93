"""The one home of hashing in the kernels.

Several schemes coexist because shipped models and saved tables depend on their exact values;
each one is written once here and its outputs are bit-identical to what the models were built with:

* :func:`feature_id` -- template features of the linear taggers (segmenters, POS, NER): a seed
  and two slot values mixed into an id of ``bits`` bits (:mod:`cnlp.sequence._feature_kernels`).
* :func:`parser_hash` -- the parser's feature templates (a seed and three values, 64 bits;
  :mod:`cnlp.parsing._kernels`).
* :func:`fnv1a_codes` -- a word as a 63-bit FNV-1a hash of its folded code points: the parser's
  word column with the FNV offset basis (:data:`FNV_OFFSET`), the word attribute of the POS and
  NER presets with :data:`TAGGER_WORD_BASIS` (the basis with its last digit missing: the shipped
  taggers were trained with it, so it stays).
* :func:`fib_slot` -- the slot of a key in a Fibonacci-hashed open-addressing table (array tries,
  user tries, the bigram table of the lattice segmenter; built in Python by
  :func:`fib_slots` for the bigram table); :func:`mix_slot` -- the same for the temporary
  n-gram tables of new-word discovery.
* :func:`name_hash` (Python) -- a tag name as a crc32 attribute value (POS and NER presets).
"""
from __future__ import annotations

import zlib

import numpy as np
from numba import njit
from numba.extending import register_jitable

#: 2**64 / golden ratio: the Fibonacci multiplier
GOLDEN64 = 0x9E3779B97F4A7C15
_M1 = np.uint64(GOLDEN64)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
#: FNV-1a 64-bit offset basis and prime
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
#: the offset basis of the POS / NER word attribute (14695981039346656037 without its last digit)
TAGGER_WORD_BASIS = 1469598103934665603


# ------------------------------------------------------------------ template features (linear taggers)
@njit(cache=True, nogil=True, inline="always")
def _mix(h, v):
    h ^= np.uint64(v & 0xFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) + (h >> np.uint64(2))
    return h


@njit(cache=True, nogil=True, inline="always")
def feature_id(seed, a, b, mask):
    """Hashed id of template ``seed`` with slot values ``a``, ``b`` (masked by ``mask``)."""
    h = np.uint64(seed + 1) * np.uint64(0x9E3779B97F4A7C15)
    h = _mix(h, a)
    h = _mix(h, b)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(31)
    return np.int32(h & np.uint64(mask))


# ------------------------------------------------------------------ parser features
@njit(cache=True, nogil=True, inline="always")
def _pmix(h, v):
    h = (h ^ np.uint64(v)) * _M2
    return h ^ (h >> np.uint64(29))


@register_jitable
def parser_hash(seed, a, b, c):
    """64-bit hash of parser template ``seed`` with values ``a``, ``b``, ``c``."""
    h = np.uint64(seed + 1) * _M1
    h = _pmix(h, a)
    h = _pmix(h, b)
    h = _pmix(h, c)
    h *= _M3
    return h ^ (h >> np.uint64(32))


# ------------------------------------------------------------------ words
@njit(cache=True, nogil=True, inline="always")
def fnv1a_codes(codes, s, e, basis):
    """int64 FNV-1a hash of ``codes[s:e]`` (folded code points) from offset ``basis``, shifted right
    one bit (>= 0)."""
    h = np.uint64(basis)
    for j in range(s, e):
        h = (h ^ np.uint64(codes[j])) * np.uint64(FNV_PRIME)
    return np.int64(h >> np.uint64(1))


def name_hash(name: str) -> int:
    """A tag name as an attribute value: crc32 of its UTF-8 bytes, plus 1 (0 stays "none")."""
    return zlib.crc32(name.encode("utf-8")) + 1


# ------------------------------------------------------------------ open-addressing slots
@njit(cache=True, nogil=True, inline="always")
def fib_slot(key, mask):
    """Slot of int64 ``key`` in a table of ``mask + 1`` (a power of two <= 2**24) slots: the top
    24 bits of ``key`` times the Fibonacci multiplier, masked."""
    return np.int64((np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) & mask


def fib_slots(keys: np.ndarray, mask: int) -> np.ndarray:
    """:func:`fib_slot` of an int64 array, in numpy (uint64)."""
    return ((keys.astype(np.uint64) * np.uint64(GOLDEN64)) >> np.uint64(40)) & np.uint64(mask)


@njit(cache=True, nogil=True, inline="always")
def mix_slot(key, mask):
    """Slot of int64 ``key`` in the n-gram tables of new-word discovery (multiply, xor-shift)."""
    h = key * 0x5851F42D4C957F2D             # wraps modulo 2^64 (no overflow checks in Numba)
    h ^= h >> 29
    return h & mask


@njit(cache=True, nogil=True, inline="always")
def salted_id(v, tb, m):
    """The copy of parser feature hash ``v`` (uint64) for treebank ``tb``, masked by ``m`` (uint64)."""
    salt = np.uint64(tb + 7) * _M1
    return np.int64((((v ^ salt) * _M2) >> np.uint64(8)) & m)
