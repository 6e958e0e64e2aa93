"""New-word discovery: frequent, cohesive, freely combining character n-grams of a raw corpus.

Characters are counted in folded form (:func:`cnlp.text.fold_width`: traditional characters as
simplified ones), so ``選擇`` and ``选择`` are one n-gram, reported in its most frequent spelling.

For every character n-gram ``w`` (``2 <= len(w) <= max_len``) inside a *run* of Han characters
(classes ``HAN`` and ``CN_NUM`` of :func:`cnlp.text.char_classes`; punctuation, digits, Latin
letters, spaces and every other character end a run) the corpus is scanned once for

* ``freq``: occurrences of ``w``;
* ``left_entropy`` / ``right_entropy``: ``H = -sum_x p(x) log p(x)`` over the characters ``x`` seen
  immediately before / after ``w`` (natural log). An occurrence at the edge of a run has no
  neighbour character; all such occurrences count as *one* boundary symbol (a word that always
  ends a run has right entropy 0 unless other neighbours follow it too). Counting each edge
  occurrence as a distinct neighbour instead was measured to rank worse (top-1000 precision
  0.982 vs 0.989 on the 199801 text, 0.923 vs 0.947 on the sentiment reviews; docs/discover.md);
* ``mi``: cohesion, the pointwise mutual information of the weakest binary split
  ``min_k log(p(w) / (p(w[:k]) p(w[k:])))`` with ``p(x) = count(x) / N`` and ``N`` the number of
  run characters in the corpus;
* ``score = log(freq) + min(left_entropy, right_entropy) + mi`` (nats). Formula and default
  thresholds were chosen by the top-200 precision measured by ``benchmarks/discover_words.py``
  (see docs/discover.md).

Counting works level by level on one dense-id array of the whole corpus (text is read once,
streamed, in chunks of about a million characters): level ``n+1`` keys are
``index_of_n_gram * (V + 1) + next_char`` (``V`` distinct characters), only for n-grams that are
themselves frequent (an n-gram can be no more frequent than its prefix), grouped with an
open-addressing hash in one Numba pass per level; left neighbours are counted the same way.
Memory is ``max_len + 1`` int32 indexes per corpus character plus the hash tables
(measured in docs/discover.md: about 0.6 GB peak for 10 M characters).
"""
from __future__ import annotations

import math
from typing import Iterable, NamedTuple

import numpy as np

from ..text import char_classes, fold_width, from_codes, to_codes
from ._discover_kernels import _extend, _left_sums, _map_ids, _right_sums

__all__ = ["NewWord", "discover_words", "DEFAULT_MIN_ENTROPY",
           "DEFAULT_MIN_MI"]

#: default thresholds (chosen on the 199801 raw text, benchmarks/discover_words.py)
DEFAULT_MIN_ENTROPY = 1.0
DEFAULT_MIN_MI = 2.0

_CHUNK = 1 << 20          # characters joined per to_codes call
_MAX_LEN_LIMIT = 12


class NewWord(NamedTuple):
    """One discovered word with its statistics (entropies and ``mi`` in nats)."""
    word: str
    score: float
    freq: int
    mi: float
    left_entropy: float
    right_entropy: float


# ----------------------------------------------------------------------------- helpers
def _check_int(name, value, lo, hi=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"discover_words() expects an int for {name}, got {type(value).__name__}")
    if value < lo or (hi is not None and value > hi):
        rng = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise ValueError(f"discover_words(): {name} must be {rng}, got {value}")
    return int(value)


def _check_float(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"discover_words() expects a number for {name}, got {type(value).__name__}")
    return float(value)


def _excluder(exclude):
    """A membership test for ``exclude`` (None/False, Dictionary-like, or a collection of str)."""
    if exclude is None or exclude is False:
        return None
    if exclude is True:                          # the shipped dictionary: the front's to give
        raise TypeError("discover_words(): exclude=True means the shipped dictionary, which this function "
                        "does not fetch: pass the Dictionary (cnlp.models.dictionary()), or call "
                        "cnlp.discover_words, which accepts exclude=True")
    from ..dictionary import Dictionary, LayeredDictionary, UserDictionary
    if isinstance(exclude, (Dictionary, LayeredDictionary, UserDictionary)):
        return exclude.__contains__
    if isinstance(exclude, (str, bytes)):
        raise TypeError("discover_words(): exclude must be a Dictionary, a set of words or True, got "
                        f"{type(exclude).__name__} (load a dictionary file with Dictionary.load_text)")
    if isinstance(exclude, (set, frozenset, list, tuple, dict)):
        words = set(exclude)
        bad = next((w for w in words if not isinstance(w, str)), None)
        if bad is not None:
            raise TypeError(f"discover_words(): exclude must contain str words, got {type(bad).__name__}")
        return words.__contains__
    raise TypeError("discover_words(): exclude must be None, True, a cnlp Dictionary or a set of words, "
                    f"got {type(exclude).__name__}")


def _corpus_ids(texts):
    """Stream ``texts`` into one int32 array of dense ids of *folded* characters (0 = not in a run;
    :func:`cnlp.text.fold_width`, so 選 and 选 are one id).

    Returns (ids, inv, var_pos, var_code): inv[id] is the folded code point of id; var_pos (int64,
    ascending) are the run positions whose own character differs from its folded form, var_code
    (int32) those characters.
    """
    if isinstance(texts, (str, bytes, bytearray)):
        raise TypeError(f"discover_words() expects an iterable of str (a corpus), got "
                        f"{type(texts).__name__}; wrap a single text in a list")
    try:
        it = iter(texts)
    except TypeError:
        raise TypeError(f"discover_words() expects an iterable of str, got {type(texts).__name__}") from None
    table = np.zeros(0x110000, np.int32)
    inv = np.zeros(0x110001, np.int32)
    nxt = np.ones(1, np.int64)
    parts = [np.zeros(1, np.int32)]
    var_pos, var_code = [], []
    buf, size, total = [], 0, 1

    def flush():
        nonlocal buf, size, total
        if not buf:
            return
        buf.append("")                          # the joined chunk ends with a separator
        codes = to_codes("\n".join(buf))
        folded = fold_width(codes)
        ids = _map_ids(folded, char_classes(codes), table, inv, nxt, np.empty(codes.shape[0], np.int32))
        parts.append(ids)
        var = np.flatnonzero((folded != codes) & (ids > 0))
        if var.shape[0]:
            var_pos.append(var + total)
            var_code.append(codes[var])
        total += codes.shape[0]
        buf, size = [], 0

    for k, t in enumerate(it):
        if not isinstance(t, str):
            hint = " (decode bytes first)" if isinstance(t, (bytes, bytearray)) else ""
            raise TypeError(f"discover_words() expects an iterable of str; item {k} is "
                            f"{type(t).__name__}{hint}")
        buf.append(t)
        size += len(t) + 1
        if size >= _CHUNK:
            flush()
            if total >= 2**31 - 2 * _CHUNK:
                raise ValueError("discover_words(): corpus too large (more than 2^31 characters)")
    flush()
    ids = np.concatenate(parts) if len(parts) > 1 else parts[0]
    if var_pos:
        return ids, inv[:int(nxt[0])].copy(), np.concatenate(var_pos), np.concatenate(var_code)
    return ids, inv[:int(nxt[0])].copy(), np.zeros(0, np.int64), np.zeros(0, np.int32)


def _surfaces(ids, inv, var_pos, var_code, idx, n, wanted) -> dict:
    """The most frequent surface form of each n-gram ``k`` in ``wanted`` (int array of n-gram
    indexes; ``idx[i]``: n-gram index at position i or -1) whose occurrences are not all written
    in folded form: {k: str}. Ties go to the form seen first in the corpus."""
    if var_pos.shape[0] == 0 or wanted.shape[0] == 0:
        return {}
    is_wanted = np.zeros(int(wanted.max()) + 2, bool)     # the last slot answers idx == -1
    is_wanted[wanted] = True
    occ = np.flatnonzero(is_wanted[np.minimum(idx, is_wanted.shape[0] - 1)])
    j = np.searchsorted(var_pos, occ)
    has_var = np.searchsorted(var_pos, occ + n) > j          # a variant character inside the window
    vocc = occ[has_var]
    if vocc.shape[0] == 0:
        return {}
    win = vocc[:, None] + np.arange(n)
    chars = inv[ids[win]]
    jj = np.minimum(np.searchsorted(var_pos, win), var_pos.shape[0] - 1)
    hit = var_pos[jj] == win
    chars[hit] = var_code[jj[hit]]
    rows, first, cnt = np.unique(np.column_stack([idx[vocc], chars]), axis=0, return_index=True,
                                 return_counts=True)
    best = {}                          # k -> (count, -first position, surface codes or None)
    plain = occ[~has_var]
    pk, pfirst, pcnt = np.unique(idx[plain], return_index=True, return_counts=True)
    for k, p, c in zip(pk.tolist(), plain[pfirst].tolist(), pcnt.tolist()):
        best[k] = (c, -p, None)
    for r, p, c in zip(rows.tolist(), vocc[first].tolist(), cnt.tolist()):
        cand = (c, -p, r[1:])
        if r[0] not in best or cand[:2] > best[r[0]][:2]:
            best[r[0]] = cand
    return {k: from_codes(b[2]) for k, b in best.items() if b[2] is not None}


#: count every run-edge occurrence as a distinct neighbour (True), or all of them as one boundary
#: symbol (False, the default; True is kept for the comparison in benchmarks/discover_words.py)
_EDGES_DISTINCT = False


def _entropy(freq, sum_c, sum_clogc):
    """H = log f - sum_x c_x log c_x / f over neighbour characters x; the b = f - sum_c edge
    occurrences add nothing when distinct (c = 1) and b log b when one symbol."""
    f = freq.astype(np.float64)
    if not _EDGES_DISTINCT:
        b = (freq - sum_c).astype(np.float64)
        sum_clogc = sum_clogc + np.where(b > 0, b * np.log(np.maximum(b, 1)), 0.0)
    return np.log(f) - sum_clogc / f


def _score(freq, mi, hl, hr):
    return np.log(freq) + np.minimum(hl, hr) + mi


# ----------------------------------------------------------------------------- public API
def discover_words(texts: Iterable[str], *, max_len: int = 4, min_freq: int = 5,
                   min_entropy: float = DEFAULT_MIN_ENTROPY, min_mi: float = DEFAULT_MIN_MI,
                   top: int | None = None, exclude=None) -> list[NewWord]:
    """Find word candidates in a raw corpus by frequency, neighbour entropy and cohesion.

    Parameters
    ----------
    texts : iterable of str
        The corpus (lines, paragraphs or documents), consumed once; texts never join across
        items.
    max_len : int
        Longest candidate, in characters (2..12).
    min_freq : int
        Candidates occurring fewer times are ignored.
    min_entropy : float
        Keep a candidate only if both its left and its right neighbour entropy (nats) reach this.
    min_mi : float
        Keep a candidate only if its weakest-split pointwise mutual information (nats) reaches this.
    top : int or None
        Return only the best ``top`` candidates (after exclusion).
    exclude : None, Dictionary or set of str
        Drop candidates found in it; a candidate is also dropped when its folded form is (a
        simplified word excludes its traditional spelling). The shipped dictionary is received
        like any other (``cnlp.models.dictionary()``); :func:`cnlp.discover_words` also takes
        ``exclude=True`` for it (``True`` here raises ``TypeError``).

    Returns
    -------
    list of NewWord
        ``(word, score, freq, mi, left_entropy, right_entropy)``, best score first (ties: higher
        frequency, then the word). Characters are counted folded (:func:`cnlp.text.fold_width`),
        so ``選擇`` and ``选择`` are one candidate; ``word`` is its most frequent spelling in the
        corpus (the first seen among equally frequent ones).

    Examples
    --------
    >>> ctx = ["我", "你", "他", "她", "谁", "又", "都", "也"]
    >>> texts = [a + "喵呜嗷" + b + "。甲乙丙丁戊己" for a in ctx for b in ctx]
    >>> [(w.word, w.freq) for w in discover_words(texts)]
    [('喵呜嗷', 64)]
    """
    max_len = _check_int("max_len", max_len, 2, _MAX_LEN_LIMIT)
    min_freq = _check_int("min_freq", min_freq, 1)
    min_entropy = _check_float("min_entropy", min_entropy)
    min_mi = _check_float("min_mi", min_mi)
    if top is not None:
        top = _check_int("top", top, 0)
    excluded = _excluder(exclude)

    ids, inv, var_pos, var_code = _corpus_ids(texts)
    v1 = np.int64(inv.shape[0])                   # ids are 1..V, so V + 1 key slots per char
    L = ids.shape[0]
    n_chars = int(np.count_nonzero(ids))
    if n_chars == 0:
        return []

    # level 1: characters
    counts1 = np.bincount(ids, minlength=int(v1)).astype(np.int64)
    counts1[0] = 0
    idx = np.where(counts1[ids] >= min_freq, ids, -1).astype(np.int32)
    levels_idx = [None, idx]                      # levels_idx[n][i]: kept n-gram at i, or -1
    levels_cnt = [None, counts1]
    counts_n, first_n = counts1, None
    found = []                                    # per level n >= 2: (n, first pos, freq, mi, hl, hr, surfaces)
    log_n = math.log(n_chars)
    for n in range(1, max_len + 1):
        # (n+1)-grams extending kept n-grams: vocabulary, counts, first positions, kept ids
        nxt_idx = np.empty(L, np.int32)
        vocab_next, counts_next, first_next = _extend(ids, levels_idx[n], n, v1, min_freq, nxt_idx)
        if n >= 2:
            n_own = counts_n.shape[0]
            kept = np.flatnonzero(counts_n >= min_freq)
            # right neighbours: the (n+1)-grams with prefix w
            rc, rl = np.zeros(n_own, np.int64), np.zeros(n_own, np.float64)
            _right_sums(vocab_next, counts_next, v1, rc, rl)
            # left neighbours: characters before kept n-grams
            lc, ll = np.zeros(n_own, np.int64), np.zeros(n_own, np.float64)
            _left_sums(ids, levels_idx[n], v1, lc, ll)
            f = counts_n[kept]
            hr = _entropy(f, rc[kept], rl[kept])
            hl = _entropy(f, lc[kept], ll[kept])
            # cohesion: weakest split, via the first occurrence of each kept n-gram
            p0 = first_n[kept]
            mi = np.full(kept.shape[0], np.inf)
            for k in range(1, n):
                ca = levels_cnt[k][levels_idx[k][p0]]
                cb = levels_cnt[n - k][levels_idx[n - k][p0 + k]]
                mi = np.minimum(mi, np.log(f) + log_n - np.log(ca) - np.log(cb))
            ok = (hl >= min_entropy) & (hr >= min_entropy) & (mi >= min_mi)
            surf = _surfaces(ids, inv, var_pos, var_code, levels_idx[n], n, kept[ok])
            found.append((n, p0[ok], f[ok], mi[ok], hl[ok], hr[ok], [surf.get(k) for k in kept[ok].tolist()]))
        if n == max_len:
            break
        levels_idx.append(nxt_idx)
        counts_n, first_n = counts_next, first_next
        levels_cnt.append(counts_n)
        if not np.any(counts_n >= min_freq):
            break
    del levels_idx

    out = []
    for n, p0, f, mi, hl, hr, surf in found:
        sc = _score(f, mi, hl, hr)
        chars = inv[ids[p0[:, None] + np.arange(n)]]          # (m, n) folded code points
        words = from_codes(chars.ravel())
        for j in range(p0.shape[0]):
            fw = words[j * n:(j + 1) * n]
            w = surf[j] or fw
            if excluded is not None and (excluded(w) or (w != fw and excluded(fw))):
                continue
            out.append(NewWord(w, float(sc[j]), int(f[j]), float(mi[j]), float(hl[j]), float(hr[j])))
    out.sort(key=lambda r: (-r.score, -r.freq, r.word))
    return out if top is None else out[:top]
