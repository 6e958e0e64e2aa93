"""Chi-square bag-of-words features: cnlp segmentation -> word (and character) n-gram tf-idf -> SelectKBest(chi2).

:class:`ChiSquareBagOfWords` is a scikit-learn transformer (``get_params``/``set_params``,
``clone``, usable in a :class:`~sklearn.pipeline.Pipeline`). Each text is segmented once by
the ``segmenter`` given, or with ``segmenter=None`` by cnlp's default segmenter for ``algorithm``
(:func:`cnlp.get_segmenter`, registered by the front in :mod:`cnlp.classify.default`: this module
fetches no model itself); its words (whitespace tokens dropped)
give word n-grams, and optionally its characters give character n-grams. The tf-idf matrix of
the training texts is scored with chi-square against the labels and the ``k`` best terms are
kept. The fitted state is only the selected vocabulary (term -> column) and its idf vector, so
:meth:`transform` never needs the full vocabulary and the state saves as plain arrays
(:meth:`to_arrays` / :meth:`from_arrays`, used by :class:`cnlp.classify.TextClassifier`).

Term strings
------------
* word unigram: the word itself, lower-cased (``"不错"``, ``"windows"``);
* word n-gram (n >= 2): the words joined by one space (``"不 好"``);
* character n-gram: a leading space, then the characters (``" 不错"``). Whitespace is removed
  from the text before character n-grams are taken, and words never contain whitespace, so
  the three kinds cannot collide.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_selection import chi2

from ..errors import NotFittedError
from ..segmentation.base import word_function
from . import default

__all__ = ["ChiSquareBagOfWords", "check_texts"]


def check_texts(texts, func: str) -> list[str]:
    """``texts`` as a list of str; a bare str, bytes or non-iterable raises TypeError saying what is expected."""
    if isinstance(texts, (str, bytes, bytearray)):
        raise TypeError(f"{func}() expects an iterable of str (one text per item), got a single "
                        f"{type(texts).__name__}; wrap it in a list")
    if not isinstance(texts, Iterable):
        raise TypeError(f"{func}() expects an iterable of str, got {type(texts).__name__}")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            hint = " (decode bytes first)" if isinstance(t, (bytes, bytearray)) else ""
            raise TypeError(f"{func}() expects an iterable of str; item {i} is {type(t).__name__}{hint}")
    return out


def _check_range(name: str, r, allow_none: bool):
    if r is None and allow_none:
        return None
    if (not isinstance(r, (tuple, list)) or len(r) != 2 or not all(isinstance(x, (int, np.integer)) for x in r)
            or not 1 <= r[0] <= r[1]):
        raise ValueError(f"{name} must be a pair (lo, hi) with 1 <= lo <= hi{' or None' if allow_none else ''}, got {r!r}")
    return int(r[0]), int(r[1])


class ChiSquareBagOfWords(TransformerMixin, BaseEstimator):
    """Texts -> tf-idf of word (and character) n-grams restricted to the ``k`` best chi-square terms.

    Parameters
    ----------
    k : int or "all"
        Number of terms kept by chi-square (``"all"``: no selection; a ``k`` larger than the
        vocabulary keeps everything).
    ngram_range : (int, int) or None
        Word n-gram orders (default unigrams and bigrams); ``None``: no word features.
    char_ngram_range : (int, int) or None
        Character n-gram orders (default ``None``: words only).
    min_df : int
        Keep terms occurring in at least ``min_df`` training texts (before selection).
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.
    use_idf : bool
        Multiply by the smoothed idf ``log((1 + n) / (1 + df)) + 1`` (as scikit-learn).
    binary : bool
        Presence (0/1) instead of counts (applied before ``sublinear_tf``).
    norm : "l2", "l1" or None
        Row normalisation of the output.
    algorithm : str, optional
        cnlp segmentation algorithm (:data:`cnlp.registry.SEGMENTERS`) used when ``segmenter`` is
        None; default: cnlp's default. A saved :class:`~cnlp.classify.TextClassifier` records it.
    segmenter : Segmenter, callable text -> list of str, or None
        The segmenter (an object with ``.segment`` or a callable). None: cnlp's default segmenter
        for ``algorithm`` (:func:`cnlp.get_segmenter`, through :mod:`cnlp.classify.default`). Not
        saved with a model: give it again to :meth:`TextClassifier.load
        <cnlp.classify.TextClassifier.load>`.

    Attributes
    ----------
    vocabulary_ : dict[str, int]
        Selected term -> output column.
    idf_ : ndarray of float64, shape (n_features,)
        idf of each output column (all ones when ``use_idf=False``).
    scores_ : ndarray of float64, shape (n_features,)
        Chi-square score of each output column (computed on the training tf-idf matrix).
    n_terms_total_ : int
        Vocabulary size before selection.
    selected_terms_ : list of (str, float)
        Selected terms with their chi-square scores, best first.
    """

    def __init__(self, *, k=20000, ngram_range=(1, 2), char_ngram_range=None, min_df=1,
                 sublinear_tf=True, use_idf=True, binary=False, norm="l2", algorithm=None, segmenter=None):
        self.k = k
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.use_idf = use_idf
        self.binary = binary
        self.norm = norm
        self.algorithm = algorithm
        self.segmenter = segmenter

    # ------------------------------------------------------------------ analysis
    def _validate(self):
        if not (self.k == "all" or (isinstance(self.k, (int, np.integer)) and not isinstance(self.k, bool)
                                     and self.k >= 1)):
            raise ValueError(f"k must be a positive int or 'all', got {self.k!r}")
        w = _check_range("ngram_range", self.ngram_range, True)
        c = _check_range("char_ngram_range", self.char_ngram_range, True)
        if w is None and c is None:
            raise ValueError("ngram_range and char_ngram_range cannot both be None")
        if not isinstance(self.min_df, (int, np.integer)) or self.min_df < 1:
            raise ValueError(f"min_df must be an int >= 1, got {self.min_df!r}")
        if self.norm not in ("l2", "l1", None):
            raise ValueError(f"norm must be 'l2', 'l1' or None, got {self.norm!r}")
        return w, c

    def _segment_function(self):
        """``text -> list of words`` of :attr:`segmenter` (None: the registered default for :attr:`algorithm`)."""
        seg = self.segmenter
        if seg is None:
            seg = default.resolve(self.algorithm, "ChiSquareBagOfWords")
        return word_function(seg, "ChiSquareBagOfWords")

    def analyze(self, texts) -> list[list[str]]:
        """The terms (with repetitions) of each text, as used for counting. Segments each text once."""
        texts = check_texts(texts, "analyze")
        w, c = self._validate()
        segment = self._segment_function() if w is not None else None
        out = []
        for text in texts:
            low = text.lower()
            terms: list[str] = []
            if w is not None:
                words = [t for t in segment(low) if not t.isspace()]
                lo, hi = w
                for n in range(lo, hi + 1):
                    if n == 1:
                        terms.extend(words)
                    else:
                        terms.extend(" ".join(words[j:j + n]) for j in range(len(words) - n + 1))
            if c is not None:
                s = "".join(low.split())
                lo, hi = c
                for n in range(lo, hi + 1):
                    terms.extend(" " + s[j:j + n] for j in range(len(s) - n + 1))
            out.append(terms)
        return out

    @staticmethod
    def _count(docs: list[list[str]], vocab: dict[str, int], grow: bool) -> sp.csr_matrix:
        """CSR count matrix of ``docs`` over ``vocab`` (new terms added when ``grow``)."""
        indptr = [0]
        indices: list[int] = []
        if grow:    # a defaultdict numbering new keys in order, looked up by map() at C speed
            d = defaultdict(None, vocab)
            d.default_factory = d.__len__
            for terms in docs:
                indices.extend(map(d.__getitem__, terms))
                indptr.append(len(indices))
            vocab.update(d)
        else:
            get = vocab.get
            for terms in docs:
                indices.extend(j for j in map(get, terms) if j is not None)
                indptr.append(len(indices))
        ind = np.asarray(indices, dtype=np.int64)
        X = sp.csr_matrix((np.ones(len(ind), dtype=np.float64), ind, np.asarray(indptr, dtype=np.int64)),
                          shape=(len(docs), len(vocab)))
        X.sum_duplicates()      # also sorts the indices
        return X

    def _weight(self, X: sp.csr_matrix, idf: np.ndarray | None) -> sp.csr_matrix:
        X = X.astype(np.float64, copy=True)
        if self.binary:
            X.data[:] = 1.0
        if self.sublinear_tf:
            np.log(X.data, out=X.data)
            X.data += 1.0
        if idf is not None:
            X = sp.csr_matrix(X.multiply(idf[None, :]))
        if self.norm is not None:
            if self.norm == "l2":
                n = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
            else:
                n = np.asarray(abs(X).sum(axis=1)).ravel()
            n[n == 0] = 1.0
            X = sp.csr_matrix(X.multiply(1.0 / n[:, None]))
        X.sort_indices()
        return X

    # ------------------------------------------------------------------ sklearn API
    def fit(self, X, y):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """Segment each text once, count, weight, select the ``k`` chi-square best terms."""
        if y is None:
            raise ValueError("ChiSquareBagOfWords.fit needs the labels y (chi-square selection is supervised)")
        texts = check_texts(X, "fit")
        y = np.asarray(list(y) if not hasattr(y, "__len__") else y)
        if y.ndim != 1 or len(y) != len(texts):
            raise ValueError(f"fit: {len(texts)} texts but {len(y)} labels")
        if len(texts) == 0:
            raise ValueError("fit: no texts")
        return self.fit_transform_terms(self.analyze(texts), y)

    def fit_transform_terms(self, docs: list[list[str]], y) -> sp.csr_matrix:
        """:meth:`fit_transform` for already analysed texts (see :meth:`analyze`)."""
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(docs):
            raise ValueError(f"fit: {len(docs)} texts but {len(y)} labels")
        if len(docs) == 0:
            raise ValueError("fit: no texts")
        self._validate()
        vocab: dict[str, int] = {}
        C = self._count(docs, vocab, grow=True)
        # min_df
        df = np.bincount(C.indices, minlength=C.shape[1])
        keep = np.flatnonzero(df >= self.min_df)
        if len(keep) == 0:
            raise ValueError(f"fit: no term occurs in at least min_df={self.min_df} texts")
        n = len(docs)
        idf_all = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0 if self.use_idf else None
        Xw = self._weight(C[:, keep], idf_all)
        scores = np.nan_to_num(chi2(Xw, y)[0], nan=0.0)
        if self.k == "all" or self.k >= len(keep):
            sel = np.arange(len(keep))
        else:
            # the k best by score; ties broken by column (first seen) so the result is deterministic
            sel = np.sort(np.argsort(-scores, kind="stable")[: self.k])
        terms = np.empty(len(vocab), dtype=object)
        for t, j in vocab.items():
            terms[j] = t
        kept_terms = terms[keep[sel]]
        self.vocabulary_ = {t: i for i, t in enumerate(kept_terms)}
        self.idf_ = (idf_all[sel] if idf_all is not None else np.ones(len(sel))).astype(np.float64)
        self.scores_ = scores[sel].astype(np.float64)
        self.n_terms_total_ = int(len(keep))
        self.n_features_out_ = len(sel)
        # weight again over the kept columns only, so that rows are normalised exactly as transform() does
        return self._weight(C[:, keep[sel]], self.idf_ if self.use_idf else None)

    def _check_fitted(self):
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("ChiSquareBagOfWords is not fitted; call fit() or load a model first")

    def transform(self, X):
        """tf-idf rows of the selected terms, one row per text (texts with no known term give a zero row)."""
        self._check_fitted()
        docs = self.analyze(check_texts(X, "transform"))
        return self.transform_terms(docs)

    def transform_terms(self, docs: list[list[str]]) -> sp.csr_matrix:
        """:meth:`transform` for already analysed texts (see :meth:`analyze`)."""
        self._check_fitted()
        C = self._count(docs, self.vocabulary_, grow=False)
        return self._weight(C, self.idf_ if self.use_idf else None)

    def get_feature_names_out(self, input_features=None):
        self._check_fitted()
        names = np.empty(len(self.vocabulary_), dtype=object)
        for t, j in self.vocabulary_.items():
            names[j] = t
        return names

    @property
    def selected_terms_(self) -> list[tuple[str, float]]:
        self._check_fitted()
        names = self.get_feature_names_out()
        order = np.argsort(-self.scores_, kind="stable")
        return [(str(names[j]), float(self.scores_[j])) for j in order]

    # ------------------------------------------------------------------ plain-array state
    def to_arrays(self) -> tuple[list[str], dict[str, np.ndarray]]:
        """``(terms in column order, {"idf": ..., "chi2": ...})`` — everything transform() needs."""
        self._check_fitted()
        return [str(t) for t in self.get_feature_names_out()], {"idf": self.idf_, "chi2": self.scores_}

    def _restore(self, terms: list[str], idf: np.ndarray, scores: np.ndarray, n_total: int):
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        self.idf_ = np.asarray(idf, dtype=np.float64)
        self.scores_ = np.asarray(scores, dtype=np.float64)
        self.n_terms_total_ = int(n_total)
        self.n_features_out_ = len(terms)
        return self
