"""TF-IDF and TextRank keywords.

Candidates
----------
The text is segmented by the ``segmenter`` given (:func:`cnlp.keywords` gives :func:`cnlp.segment`'s)
and a word is a *candidate* when

* it has at least 2 characters and at least one letter (Han or Latin): single characters, numbers
  and punctuation never qualify;
* it is not a stopword. The default stopword set (:func:`default_stopwords`) is derived by cnlp from
  the ``dictionary`` given (:func:`cnlp.keywords` gives the shipped one, ``data/dict``, People's Daily
  1998-01 counts): every word whose most
  frequent PKU POS tag is a function-word tag (:data:`STOP_TAGS`: auxiliaries ``u``, prepositions
  ``p``, conjunctions ``c``, modal particles ``y``, interjections ``e``, onomatopoeia ``o``,
  punctuation ``w``, numerals ``m``, measure words ``q``, pronouns ``r``, adverbs ``d``, locality
  words ``f``, affixes ``h``/``k`` and the morphemes ``Dg``/``Mg``/``Rg``/``Yg``), plus, by the rule above,
  every single character. No third-party stopword list is used;
* with ``pos`` given (default :data:`DEFAULT_POS`), its POS is in ``pos``. The POS of a word is the
  dictionary's most frequent tag (:meth:`cnlp.dictionary.Dictionary.top_pos`). A word missing from
  the dictionary is tagged ``n`` (noun) if it has at least 2 Han characters (mostly names and new
  compounds), ``nx`` if it is a run of 2+ Latin letters (``WTO``), and is dropped otherwise.

Scores
------
``tfidf``: ``tf(w) * idf(w)`` where ``tf(w) = count(w) / number of non-space tokens`` and ``idf`` is
:class:`cnlp.extract.idf.IDFTable` given as ``idf`` (:func:`cnlp.keywords` gives the shipped table).

Components
----------
This module sits on the tasks floor and never fetches a shipped model: :func:`keywords` receives its
``segmenter``, its ``dictionary`` (needed for the default stopwords and for POS filtering) and, for
TF-IDF, its ``idf`` table, and raises ``TypeError`` naming a missing one. :func:`cnlp.keywords` (the
front) passes the shipped ones (:func:`cnlp.get_segmenter`, :func:`cnlp.models.dictionary`,
:func:`cnlp.models.idf_table`) for those not given.

``textrank`` (Mihalcea & Tarau 2004): vertices are the distinct candidates; an undirected edge joins
two candidates that occur within ``window`` consecutive positions *of the candidate sequence* (the
text's candidates in order; a candidate is linked to the next ``window - 1`` candidates), weighted by
the number of such co-occurrences. Scores solve

    S(V_i) = (1 - d) + d * sum_{j in In(i)} w_ji / sum_{k in Out(j)} w_jk * S(V_j),   d = 0.85

by power iteration (:func:`textrank`, sparse matrix-vector products, no Python loop over edges).

Words are counted by folded form (:func:`cnlp.text.fold_str`: ``選擇`` and ``选择``, ``WTO`` and
``ＷＴＯ`` are one candidate); the returned word is the text's own string, the most frequent form
of its class. Ties are broken by first occurrence in the text.
"""
from __future__ import annotations

import threading
import weakref
from collections import Counter

import numpy as np
import scipy.sparse as sp

from ..text import FOLD_TRANSLATE, trie_get
from ..errors import check_str
from ..segmentation.base import word_function

__all__ = ["keywords", "textrank", "default_stopwords", "DEFAULT_POS", "STOP_TAGS", "ALGORITHMS",
           "candidate_tag"]

ALGORITHMS = ("tfidf", "textrank")

#: PKU tags whose words make up the default stopword set
STOP_TAGS = frozenset({"u", "p", "c", "y", "e", "o", "w", "m", "q", "r", "d", "f", "h", "k",
                       "Dg", "Mg", "Rg", "Yg"})

#: POS tags kept by default: nouns (common, person, place, organisation, other proper, foreign),
#: nominal verbs and adjectives, abbreviations, idioms and fixed expressions, verbs
DEFAULT_POS = frozenset({"n", "nr", "ns", "nt", "nz", "nx", "vn", "an", "j", "i", "l", "v"})

_FOLD = FOLD_TRANSLATE                   # str.translate form of cnlp.text.fold_str


class _Lexicon:
    """Stopwords and most-frequent POS of one dictionary (built once per dictionary, :func:`_lexicon`)."""

    def __init__(self, dictionary):
        self.dictionary = dictionary
        self.tags: dict = {}              # word -> candidate_tag (memo, bounded like _KEYS)
        offs = dictionary.pos_offsets
        top = np.full(len(dictionary), -1, np.int64)
        has = offs[1:] > offs[:-1]
        top[has] = dictionary.pos_ids[offs[:-1][has]]
        self.top = top
        self.names = list(dictionary.pos_names)
        stop_ids = np.array([i for i, t in enumerate(self.names) if t in STOP_TAGS], np.int64)
        is_stop = np.isin(top, stop_ids)
        self.stopwords = frozenset(w for w, i in dictionary.trie.items() if is_stop[i])

    def tag(self, key: str) -> str | None:
        i = trie_get(self.dictionary.trie, key)
        if i >= 0 and self.top[i] >= 0:
            return self.names[self.top[i]]
        return None


_LEXICONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # dictionary -> its _Lexicon
_LOCK = threading.Lock()


def _lexicon(dictionary, func: str = "keywords") -> _Lexicon:
    """The :class:`_Lexicon` of ``dictionary`` (a :class:`cnlp.dictionary.Dictionary`), built once
    while the dictionary is alive."""
    if dictionary is None:
        raise TypeError(f"{func}() needs dictionary= (a cnlp Dictionary: its function words are the default "
                        f"stopwords and its most frequent POS filters candidates by pos); "
                        f"cnlp.keywords / cnlp.summarize pass the shipped one (cnlp.models.dictionary())")
    try:
        lex = _LEXICONS.get(dictionary)
    except TypeError:                            # not weak-referenceable: not a Dictionary
        lex = None
    if lex is None:
        if not all(hasattr(dictionary, a) for a in ("pos_offsets", "pos_ids", "pos_names", "trie")):
            raise TypeError(f"{func}() expects dictionary as a cnlp Dictionary (with POS counts), "
                            f"got {type(dictionary).__name__}")
        with _LOCK:
            lex = _LEXICONS.get(dictionary)
            if lex is None:
                lex = _LEXICONS[dictionary] = _Lexicon(dictionary)
    return lex


def default_stopwords(dictionary) -> frozenset:
    """The default stopword set: the folded words of ``dictionary`` (a cnlp ``Dictionary``; the
    shipped one is ``cnlp.models.dictionary()``, which :func:`cnlp.default_stopwords` uses) whose
    top POS is in :data:`STOP_TAGS`.

    Single characters are not listed: they are never candidates anyway.

    Raises
    ------
    TypeError
        ``dictionary`` is None or not a cnlp ``Dictionary``.
    """
    return _lexicon(dictionary, "default_stopwords").stopwords


def _is_han(ch: str) -> bool:
    c = ord(ch)
    return 0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0x20000 <= c <= 0x3FFFF or 0xF900 <= c <= 0xFAFF


def candidate_tag(word: str, dictionary) -> str | None:
    """POS used for candidate filtering: ``dictionary``'s top tag, else ``n`` / ``nx`` / None (see
    module doc). ``dictionary``: a cnlp ``Dictionary`` (``TypeError`` when None)."""
    return _candidate_tag(word, _lexicon(dictionary, "candidate_tag"))


def _candidate_tag(word: str, lex: _Lexicon) -> str | None:
    key = word.translate(_FOLD)
    tag = lex.tag(key)
    if tag is not None:
        return tag
    if sum(map(_is_han, word)) >= 2:
        return "n"
    if len(key) >= 2 and key.isascii() and key.isalpha():
        return "nx"
    return None


# ------------------------------------------------------------------------------ TextRank
def textrank(weights, d: float = 0.85, *, tol: float = 1e-6, max_iter: int = 200) -> np.ndarray:
    """Solve ``S = (1 - d) + d * W^T (S / out)`` by power iteration.

    Parameters
    ----------
    weights : (n, n) scipy.sparse matrix or ndarray
        ``weights[j, i]`` = weight of the edge j -> i (symmetric for an undirected graph).
        ``out[j] = sum_k weights[j, k]``; vertices without out-edges pass nothing on.
    d : float
        Damping factor in (0, 1).
    tol : float
        Stop when the largest change of a score is below ``tol``.
    max_iter : int

    Returns
    -------
    float64[n]
    """
    if not 0.0 < d < 1.0:
        raise ValueError(f"damping factor d must be in (0, 1), got {d!r}")
    n = weights.shape[0]
    if weights.shape != (n, n):
        raise ValueError(f"weights must be square, got shape {weights.shape}")
    out = np.asarray(weights.sum(axis=1), np.float64).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    wt = weights.T.tocsr() if sp.issparse(weights) else np.ascontiguousarray(np.asarray(weights, np.float64).T)
    s = np.ones(n, np.float64)
    for _ in range(max_iter):
        new = (1.0 - d) + d * np.asarray(wt @ (s * inv)).ravel()
        delta = np.abs(new - s).max() if n else 0.0
        s = new
        if delta < tol:
            break
    return s


def cooccurrence_graph(ids: np.ndarray, n: int, window: int) -> sp.csr_matrix:
    """Symmetric weighted graph: ``W[a, b]`` = times a and b occur within ``window`` positions of ``ids``."""
    rows, cols = [], []
    for k in range(1, min(window, ids.shape[0])):       # one vectorised slice per offset, not per edge
        a, b = ids[:-k], ids[k:]
        keep = a != b
        rows.append(a[keep])
        cols.append(b[keep])
    if rows:
        r = np.concatenate(rows + cols)
        c = np.concatenate(cols + rows)
    else:
        r = c = np.zeros(0, np.int64)
    return sp.csr_matrix((np.ones(r.shape[0], np.float64), (r, c)), shape=(n, n))


# ------------------------------------------------------------------------------ helpers
def _check_int(value, name: str, func: str, minimum: int, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{func}() expects {name} as int{' or None' if allow_none else ''}, "
                        f"got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{func}() expects {name} >= {minimum}, got {value}")
    return int(value)


def _tag_set(pos, func: str):
    if pos is None:
        return None
    if isinstance(pos, str):
        return frozenset({pos})
    try:
        tags = frozenset(pos)
    except TypeError:
        raise TypeError(f"{func}() expects pos as an iterable of POS tags (str) or None, "
                        f"got {type(pos).__name__}") from None
    if not all(isinstance(t, str) for t in tags):
        raise TypeError(f"{func}() expects pos as an iterable of str tags")
    return tags


def _stop_set(stopwords, func: str, dictionary=None):
    if stopwords is None:
        return _lexicon(dictionary, func).stopwords
    if isinstance(stopwords, str):
        raise TypeError(f"{func}() expects stopwords as an iterable of words (set, list), got str")
    try:
        words = list(stopwords)
    except TypeError:
        raise TypeError(f"{func}() expects stopwords as an iterable of str or None, "
                        f"got {type(stopwords).__name__}") from None
    if not all(isinstance(w, str) for w in words):
        raise TypeError(f"{func}() expects stopwords as an iterable of str")
    return frozenset(w.translate(_FOLD) for w in words)


def _segment_fn(segmenter, func: str):
    """``text -> list of words`` from an object with ``.segment`` or a callable."""
    if segmenter is None:
        raise TypeError(f"{func}() needs segmenter= (a Segmenter or a callable text -> list of str); "
                        f"cnlp.{func} passes the default one (cnlp.get_segmenter())")
    return word_function(segmenter, f"{func}()")


def _idf_table(idf, func: str):
    from .idf import IDFTable
    if idf is None:
        raise TypeError(f"{func}() needs idf= (an IDFTable) for this scoring; cnlp.{func} passes the shipped "
                        f"one (cnlp.models.idf_table())")
    if not isinstance(idf, IDFTable):
        raise TypeError(f"{func}() expects idf as an IDFTable, got {type(idf).__name__}")
    return idf


_KEYS: dict = {}              # word -> folded key, or None if the word's shape disqualifies it
_INFO_MAX = 200_000


def _word_key(w: str):
    key = _KEYS.get(w, _KEYS)
    if key is _KEYS:
        key = None if len(w) < 2 or not any(ch.isalpha() for ch in w) else w.translate(_FOLD)
        if len(_KEYS) >= _INFO_MAX:           # bounded: start over rather than grow without limit
            _KEYS.clear()
        _KEYS[w] = key
    return key


def _word_tag(w: str, lex: _Lexicon):
    tags = lex.tags
    tag = tags.get(w, tags)
    if tag is tags:
        tag = _candidate_tag(w, lex)
        if len(tags) >= _INFO_MAX:
            tags.clear()
        tags[w] = tag
    return tag


class _Filter:
    """Candidate test; word shape (process-wide) and POS (per dictionary) are memoised
    (:func:`_word_key`, :func:`_word_tag`). ``lex`` may be None when ``tags`` is None."""

    def __init__(self, stop: frozenset, tags, lex: _Lexicon | None = None):
        self.stop, self.tags, self.lex, self.memo = stop, tags, lex, {}

    def __call__(self, w: str) -> bool:
        ok = self.memo.get(w)
        if ok is None:
            key = _word_key(w)
            ok = self.memo[w] = key is not None and key not in self.stop and (
                self.tags is None or _word_tag(w, self.lex) in self.tags)
        return ok


def _make_filter(stopwords, pos, dictionary, func: str) -> _Filter:
    """The candidate test of ``stopwords`` / ``pos``; ``dictionary`` is needed (``TypeError`` naming it
    otherwise) for the default stopwords (``stopwords=None``) and for POS filtering (``pos`` given)."""
    stop = _stop_set(stopwords, func, dictionary)
    tags = _tag_set(pos, func)
    lex = _lexicon(dictionary, func) if tags is not None else None
    return _Filter(stop, tags, lex)


def _fold_classes(counts: Counter, accept) -> tuple[list[str], list[int]]:
    """Group the accepted words of ``counts`` (word -> count, first-occurrence order) by folded
    form (:func:`cnlp.text.fold_str`: ``選擇`` and ``选择``, ``WTO`` and ``ＷＴＯ`` are one candidate).

    Returns (surface, total count) per class in first-occurrence order; the surface is the class's
    most frequent form (the first seen among equally frequent ones).
    """
    best: dict[str, list] = {}                           # folded -> [surface, its count, total]
    for w, c in counts.items():
        if accept(w):
            g = best.get(_word_key(w))
            if g is None:
                best[_word_key(w)] = [w, c, c]
            else:
                if c > g[1]:
                    g[0], g[1] = w, c
                g[2] += c
    return [g[0] for g in best.values()], [g[2] for g in best.values()]


# ------------------------------------------------------------------------------ public API
def keywords(text: str, top_k: int | None = 10, *, algorithm: str = "tfidf", pos=DEFAULT_POS,
             stopwords=None, with_weight: bool = False, window: int = 5, idf=None, segmenter=None,
             dictionary=None):
    """The ``top_k`` keywords of ``text``, best first.

    The components are received, never fetched: :func:`cnlp.keywords` is this function with the
    shipped segmenter, dictionary and IDF table filled in for those not given.

    Parameters
    ----------
    text : str
    top_k : int or None
        Number of keywords (None: all candidates).
    algorithm : {"tfidf", "textrank"}
    pos : iterable of str or None
        Allowed POS tags (PKU tag set); None disables POS filtering.
    stopwords : iterable of str or None
        Words never returned; None uses :func:`default_stopwords` of ``dictionary``. A given set
        *replaces* the default (pass ``default_stopwords(dictionary) | {...}`` to extend it).
    with_weight : bool
        Return ``[(word, score), ...]`` instead of ``[word, ...]``.
    window : int
        TextRank co-occurrence window (>= 2) over the candidate sequence.
    idf : IDFTable
        TF-IDF table; needed by ``"tfidf"`` (the shipped one is :func:`cnlp.models.idf_table`).
    segmenter : Segmenter or callable text -> list of str
        Needed (the default one is :func:`cnlp.get_segmenter`; :func:`cnlp.keywords` also takes
        an algorithm name here).
    dictionary : cnlp Dictionary
        Gives the default stopwords and the candidates' POS; needed unless ``stopwords`` is given
        and ``pos`` is None (the shipped one is :func:`cnlp.models.dictionary`).

    Raises
    ------
    TypeError
        ``text`` is not a str, an argument has the wrong type, or a needed component
        (``segmenter``, ``idf`` for TF-IDF, ``dictionary``) is missing (the message names it).
    ValueError
        Unknown ``algorithm`` (the message lists the choices), ``top_k < 0`` or ``window < 2``.
    """
    check_str(text, "keywords")
    top_k = _check_int(top_k, "top_k", "keywords", 0, allow_none=True)
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose one of {list(ALGORITHMS)}")
    window = _check_int(window, "window", "keywords", 2)
    if not isinstance(with_weight, bool):
        raise TypeError(f"keywords() expects with_weight as bool, got {type(with_weight).__name__}")
    accept = _make_filter(stopwords, pos, dictionary, "keywords")
    table = _idf_table(idf, "keywords") if algorithm == "tfidf" else None
    words = _segment_fn(segmenter, "keywords")(text)

    if algorithm == "tfidf":
        counts = Counter(words)                          # insertion order = first occurrence
        n_tokens = sum(c for w, c in counts.items() if not w.isspace()) or 1
        cands, tf = _fold_classes(counts, accept)
        if not cands:
            return []
        scores = np.asarray(tf, np.float64) / n_tokens * table.idf_many(cands)
    else:
        seq = [w for w in words if accept(w)]
        if not seq:
            return []
        index: dict[str, int] = {}                       # folded form -> vertex, first-occurrence order
        ids = np.fromiter((index.setdefault(_word_key(w), len(index)) for w in seq), np.int64, len(seq))
        cands, _ = _fold_classes(Counter(seq), accept)
        scores = textrank(cooccurrence_graph(ids, len(cands), window))
    order = np.lexsort((np.arange(len(cands)), -scores))
    if top_k is not None:
        order = order[:top_k]
    if with_weight:
        return [(cands[i], float(scores[i])) for i in order]
    return [cands[i] for i in order]
