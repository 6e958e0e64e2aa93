"""Key sentences by TextRank over a sentence-similarity graph (Mihalcea & Tarau 2004).

1. The text is split with :func:`cnlp.text.sentence_spans`; each sentence is stripped of surrounding
   whitespace (so every returned sentence is an exact substring of the input) and empty ones dropped.
2. Each sentence is segmented and reduced to its *content words*: the keyword candidates of
   :mod:`cnlp.extract.keywords` (2+ characters with a letter, not a stopword; with ``pos`` given, also
   a POS in ``pos``; default: no POS filter).
3. Edge weights between sentences i and j (i != j):

   * ``"overlap"`` (default, Mihalcea & Tarau): ``|Si ∩ Sj| / (log|Si| + log|Sj|)`` over the sets of
     content words. When both sentences have a single content word the denominator is 0; it is
     replaced by 1 (the weight is then the overlap, 0 or 1).
   * ``"bm25"`` (Barrios et al. 2016): ``BM25(Si -> Sj) = sum_{w in Si} idf(w) * f(w,Sj) (k1+1) /
     (f(w,Sj) + k1 (1 - b + b |Sj| / avgdl))`` with ``k1 = 1.2``, ``b = 0.75``, ``|Sj|`` the number of
     content-word tokens, ``idf`` from the :class:`~cnlp.extract.idf.IDFTable` given (:func:`cnlp.summarize`
     gives the shipped one); the graph is made undirected by averaging both directions.

4. :func:`cnlp.extract.keywords.textrank` (d = 0.85) scores the sentences; the ``top_k`` best are
   returned **in document order** (ties: earlier sentence first).

Like :mod:`cnlp.extract.keywords`, this module receives its segmenter, dictionary and IDF table
(``TypeError`` naming a missing one); :func:`cnlp.summarize` passes the shipped ones.

Why overlap is the default: ``benchmarks/summarize_check.py`` measures a centrality check (pick the
top 3 of a PKU-test document into which off-topic sentences were inserted; count how many picks are
the inserted ones); see docs/keywords.md for the numbers.
"""
from __future__ import annotations


import numpy as np
import scipy.sparse as sp

from ..errors import check_str
from ..text import sentence_spans
from .keywords import _check_int, _idf_table, _make_filter, _segment_fn, textrank

__all__ = ["summarize", "sentences", "similarity_matrix", "SIMILARITIES"]

SIMILARITIES = ("overlap", "bm25")
#: largest number of (sentence, sentence) pairs that share a word in the similarity graph; beyond
#: it the words in the most sentences are left out (docs/keywords.md, "Limits")
MAX_PAIRS = 5_000_000
K1, B = 1.2, 0.75


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank sentence of ``text``, surrounding whitespace excluded."""
    out = []
    for s, e in sentence_spans(text):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _count_matrix(word_lists: list[list[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """Sentences x vocabulary term counts, and the vocabulary (column -> word)."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for words in word_lists:
        indices.extend(vocab.setdefault(w, len(vocab)) for w in words)
        indptr.append(len(indices))
    m = sp.csr_matrix((np.ones(len(indices), np.float64), np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
                      shape=(len(word_lists), len(vocab)))
    m.sum_duplicates()
    return m, list(vocab)


def _limit_pairs(counts: sp.csr_matrix) -> sp.csr_matrix:
    """``counts`` without the columns of the words in the most sentences while the sentence pairs
    sharing a word (sum of df**2) exceed :data:`MAX_PAIRS` (bounds time and memory on long texts)."""
    df = np.diff(counts.tocsc().indptr).astype(np.float64)
    cost = df * df
    total = cost.sum()
    if total <= MAX_PAIRS:
        return counts.copy()
    order = np.argsort(-df, kind="stable")
    m = int(np.searchsorted(np.cumsum(cost[order]), total - MAX_PAIRS)) + 1
    keep = np.ones(df.shape[0], bool)
    keep[order[:m]] = False
    return counts @ sp.diags(keep.astype(np.float64))      # same shape, dropped columns zero


def similarity_matrix(word_lists: list[list[str]], similarity: str = "overlap", idf=None, *,
                      sparse: bool = False):
    """Symmetric (n, n) sentence-similarity weights with a zero diagonal (see module doc): a dense
    ndarray, or with ``sparse=True`` a scipy CSR matrix holding only the pairs that share a word.
    Words in so many sentences that the pairs sharing them exceed :data:`MAX_PAIRS` are left out
    (only on texts of thousands of sentences). ``idf`` (an IDFTable) is needed by ``"bm25"``."""
    n = len(word_lists)
    counts, vocab = _count_matrix(word_lists)
    if similarity == "overlap":
        binary = _limit_pairs(counts).tocsr()
        binary.eliminate_zeros()
        binary.data[:] = 1.0
        sizes = np.asarray((counts > 0).sum(axis=1), np.float64).ravel()
        logs = np.log(np.maximum(sizes, 1.0))
        w = (binary @ binary.T).tocoo()
        denom = logs[w.row] + logs[w.col]
        denom[denom <= 0] = 1.0
        w = sp.csr_matrix((w.data / denom, (w.row, w.col)), shape=(n, n))
    else:
        table = _idf_table(idf, "summarize")
        idfs = table.idf_many(vocab)
        lengths = np.asarray(counts.sum(axis=1), np.float64).ravel()
        avgdl = lengths.mean() if n and lengths.mean() > 0 else 1.0
        sat = counts.copy()                                # f (k1+1) / (f + k1 (1 - b + b |S|/avgdl))
        row_len = np.repeat(lengths, np.diff(sat.indptr))
        sat.data = sat.data * (K1 + 1) / (sat.data + K1 * (1 - B + B * row_len / avgdl))
        query = _limit_pairs(counts).tocsr()              # the same words as the overlap graph
        query.eliminate_zeros()
        query.data[:] = 1.0
        query = query @ sp.diags(idfs)
        bm = (query @ sat.T).tocsr()                       # bm[i, j] = BM25(Si -> Sj)
        w = ((bm + bm.T) / 2.0).tocsr()
    w.setdiag(0.0)
    w.eliminate_zeros()
    return w if sparse else w.toarray()


def summarize(text: str, top_k: int | None = 3, *, similarity: str = "overlap", pos=None, stopwords=None,
              with_weight: bool = False, d: float = 0.85, idf=None, segmenter=None, dictionary=None):
    """The ``top_k`` most central sentences of ``text``, in document order.

    The components are received, never fetched: :func:`cnlp.summarize` is this function with the
    shipped segmenter, dictionary and IDF table filled in for those not given.

    Parameters
    ----------
    text : str
    top_k : int or None
        Number of sentences (None or >= the number of sentences: all of them).
    similarity : {"overlap", "bm25"}
    pos, stopwords, segmenter, dictionary
        Content-word filter and segmenter, as in :func:`cnlp.extract.keywords.keywords`
        (``pos=None``: no POS filter). ``segmenter`` is needed; ``dictionary`` unless ``stopwords``
        is given and ``pos`` is None.
    with_weight : bool
        Return ``[(sentence, score), ...]``.
    d : float
        TextRank damping factor.
    idf : IDFTable or None
        Needed by ``bm25`` only.

    Returns
    -------
    list of str
        Exact substrings of ``text`` (surrounding whitespace stripped), in document order.

    Raises
    ------
    TypeError
        ``text`` is not a str, an argument has the wrong type, or a needed component
        (``segmenter``, ``dictionary``, ``idf`` for bm25) is missing (the message names it).
    ValueError
        Unknown ``similarity`` or a negative ``top_k``.
    """
    check_str(text, "summarize")
    top_k = _check_int(top_k, "top_k", "summarize", 0, allow_none=True)
    if not isinstance(similarity, str) or similarity not in SIMILARITIES:
        raise ValueError(f"unknown similarity {similarity!r}; choose one of {list(SIMILARITIES)}")
    if not isinstance(with_weight, bool):
        raise TypeError(f"summarize() expects with_weight as bool, got {type(with_weight).__name__}")
    if isinstance(d, bool) or not isinstance(d, (int, float)):
        raise TypeError(f"summarize() expects d as float, got {type(d).__name__}")
    accept = _make_filter(stopwords, pos, dictionary, "summarize")
    if similarity == "bm25":
        idf = _idf_table(idf, "summarize")
    seg = _segment_fn(segmenter, "summarize")
    spans = sentences(text)
    if not spans:
        return []
    sents = [text[s:e] for s, e in spans]
    word_lists = [[w for w in seg(s) if accept(w)] for s in sents]
    scores = textrank(similarity_matrix(word_lists, similarity, idf, sparse=True), d)
    order = np.lexsort((np.arange(len(sents)), -scores))
    chosen = np.sort(order if top_k is None else order[:top_k])
    if with_weight:
        return [(sents[i], float(scores[i])) for i in chosen]
    return [sents[i] for i in chosen]
