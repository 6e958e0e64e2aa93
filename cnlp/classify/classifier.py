"""``TextClassifier``: chi-square bag-of-words features + naive Bayes or a linear model, saved without pickle.

Training uses scikit-learn (``MultinomialNB`` or ``LogisticRegression``); the fitted model is then
reduced to plain arrays — a weight matrix ``W`` (classes x features) and a bias ``b`` — and every
prediction, before and after :meth:`TextClassifier.save` / :meth:`TextClassifier.load`, is computed
from those arrays by the same code::

    scores = X @ W.T + b          (X: the selected tf-idf features)
    nb:      proba = softmax(scores)                 (W = log P(term|class), b = log P(class))
    linear:  proba = sigmoid / softmax of scores     (W, b = logistic-regression coef_, intercept_)

The bundle (:func:`cnlp.io.save_bundle`) is ``meta.json`` (hyper-parameters, class labels),
``arrays.npz`` (``W``, ``b``, ``idf``, ``chi2``, ``columns``) and ``vocab.marisa`` (the selected terms;
``columns[trie id]`` is the feature column of a term).
"""
from __future__ import annotations

import numpy as np

from ..io import Arr, guard_load
from sklearn.base import BaseEstimator, ClassifierMixin

from ..errors import ModelFormatError, NotFittedError, ParameterError
from .features import ChiSquareBagOfWords, check_texts

__all__ = ["TextClassifier", "MODELS"]

KIND = "cnlp.classify.TextClassifier"
MODELS = ("nb", "linear")
#: the feature parameters a saved model records (the ``segmenter`` object is not one of them)
_FEATURE_PARAMS = ("k", "ngram_range", "char_ngram_range", "min_df", "sublinear_tf", "use_idf", "binary",
                   "norm", "algorithm")


class TextClassifier(ClassifierMixin, BaseEstimator):
    """Text classifier over :class:`ChiSquareBagOfWords` features.

    Parameters
    ----------
    k, ngram_range, char_ngram_range, min_df, sublinear_tf, use_idf, binary, norm, algorithm
        Passed to :class:`ChiSquareBagOfWords` (``k="all"``: no chi-square selection). The defaults
        (100,000 chi-square terms of word 1-2-grams and character 1-3-grams seen in >= 2 texts,
        logistic regression with ``C=10``) are the best cross-validated setting of
        ``benchmarks/classify_sentiment.py`` within its fold spread (see docs/classify.md).
    segmenter : Segmenter, callable text -> list of str, or None
        Passed to :class:`ChiSquareBagOfWords`: None means cnlp's default segmenter for
        ``algorithm`` (registered by the front, :mod:`cnlp.classify.default`). Not saved: a loaded
        model uses the default for its recorded ``algorithm`` unless ``load(..., segmenter=)``.
    model : "nb" or "linear"
        ``"nb"``: multinomial naive Bayes (smoothing ``alpha``); ``"linear"``: L2 logistic
        regression (inverse regularisation ``C``).
    alpha : float
        Naive Bayes additive smoothing.
    C : float
        Logistic-regression inverse regularisation strength.
    max_iter : int
        Logistic-regression solver iterations.

    Attributes
    ----------
    classes_ : ndarray
        The sorted class labels (``predict_proba`` columns follow this order).
    features_ : ChiSquareBagOfWords
        The fitted feature extractor (``features_.selected_terms_``).
    coef_ : ndarray (n_classes, n_features) ; intercept_ : ndarray (n_classes,)
        The weights every prediction uses (see the module docstring).
    """

    def __init__(self, *, k=100000, model="linear", ngram_range=(1, 2), char_ngram_range=(1, 3), min_df=2,
                 sublinear_tf=True, use_idf=True, binary=False, norm="l2", algorithm=None, segmenter=None,
                 alpha=0.1, C=10.0, max_iter=2000):
        self.k = k
        self.model = model
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.use_idf = use_idf
        self.binary = binary
        self.norm = norm
        self.algorithm = algorithm
        self.segmenter = segmenter
        self.alpha = alpha
        self.C = C
        self.max_iter = max_iter

    # ------------------------------------------------------------------ fitting
    def _make_features(self) -> ChiSquareBagOfWords:
        return ChiSquareBagOfWords(**{p: getattr(self, p) for p in _FEATURE_PARAMS}, segmenter=self.segmenter)

    def _check_params(self) -> None:
        """:class:`cnlp.errors.ParameterError` (a ValueError) naming the first hyper-parameter out of
        its range, before any work of fit."""
        import math
        import numbers
        if self.model not in MODELS:
            raise ParameterError(f"TextClassifier: model must be one of {list(MODELS)}, got {self.model!r}")

        def positive(name, value, integer=False):
            kind = numbers.Integral if integer else numbers.Real
            if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value) or value <= 0:
                what = "a positive int" if integer else "a positive finite number"
                raise ParameterError(f"TextClassifier: {name} must be {what}, got {value!r}")
        positive("alpha", self.alpha)
        positive("C", self.C)
        positive("max_iter", self.max_iter, integer=True)
        try:
            self._make_features()._validate()       # k, ngram_range, char_ngram_range, min_df, norm
        except (ValueError, TypeError) as e:
            raise ParameterError(f"TextClassifier: {e}") from None

    def fit(self, texts, labels):
        """Fit on ``texts`` (iterable of str) and ``labels`` (same length, at least two classes).
        Hyper-parameters out of range raise ``ValueError`` here, before any text is analysed."""
        self._check_params()
        texts = check_texts(texts, "fit")
        return self.fit_analyzed(self._make_features().analyze(texts), labels)

    def fit_analyzed(self, docs: list[list[str]], labels):
        """:meth:`fit` for texts already analysed by ``ChiSquareBagOfWords(...).analyze`` with the same
        feature parameters (lets a benchmark segment a corpus once and fit many times)."""
        self._check_params()
        if isinstance(labels, (str, bytes)):
            raise TypeError("fit() expects a sequence of labels, one per text, got a single "
                            f"{type(labels).__name__}")
        y = np.asarray(list(labels))
        if y.ndim != 1 or len(y) != len(docs):
            raise ValueError(f"fit(): {len(docs)} texts but {len(y)} labels (they must have the same length)")
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"fit() needs at least two classes, got {classes.tolist()!r}")
        feats = self._make_features()
        X = feats.fit_transform_terms(docs, y)
        if self.model == "nb":
            from sklearn.naive_bayes import MultinomialNB
            est = MultinomialNB(alpha=self.alpha).fit(X, y)
            W, b = est.feature_log_prob_, est.class_log_prior_
        else:
            from sklearn.linear_model import LogisticRegression
            est = LogisticRegression(C=self.C, max_iter=self.max_iter).fit(X, y)
            W, b = est.coef_, est.intercept_
        if not np.array_equal(est.classes_, classes):      # pragma: no cover - sklearn sorts the same way
            raise RuntimeError("class order mismatch")
        self.features_ = feats
        self.classes_ = classes
        self.coef_ = np.ascontiguousarray(W, dtype=np.float64)
        self.intercept_ = np.ascontiguousarray(b, dtype=np.float64)
        self.n_features_in_ = X.shape[1]
        return self

    # ------------------------------------------------------------------ prediction
    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError("TextClassifier is not fitted; call fit() or TextClassifier.load() first")

    def _scores(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def _proba_from_scores(self, s: np.ndarray) -> np.ndarray:
        if self.model == "linear" and s.shape[1] == 1:      # binary logistic regression: one weight row
            p1 = 1.0 / (1.0 + np.exp(-s[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def decision_function(self, texts) -> np.ndarray:
        """Raw scores (``X @ coef_.T + intercept_``), one row per text."""
        self._check_fitted()
        return self._scores(self.features_.transform(check_texts(texts, "decision_function")))

    def predict_proba(self, texts) -> np.ndarray:
        """Class probabilities, shape (n_texts, n_classes), columns in :attr:`classes_` order."""
        self._check_fitted()
        return self.predict_proba_analyzed(self.features_.analyze(check_texts(texts, "predict_proba")))

    def predict_proba_analyzed(self, docs: list[list[str]]) -> np.ndarray:
        """:meth:`predict_proba` for already analysed texts."""
        self._check_fitted()
        return self._proba_from_scores(self._scores(self.features_.transform_terms(docs)))

    def predict(self, texts) -> np.ndarray:
        """The most probable class of each text."""
        self._check_fitted()
        return self.classes_[np.argmax(self.predict_proba(texts), axis=1)]

    def score(self, texts, labels, sample_weight=None) -> float:
        """Accuracy of :meth:`predict` on ``texts`` against ``labels``."""
        texts = check_texts(texts, "score")
        y = np.asarray(list(labels))
        if len(y) != len(texts):
            raise ValueError(f"score(): {len(texts)} texts but {len(y)} labels (they must have the same length)")
        return super().score(texts, y, sample_weight=sample_weight)

    # ------------------------------------------------------------------ persistence
    def save(self, directory):
        """Write the model as a cnlp bundle (no pickle) and return the directory path."""
        import marisa_trie
        from ..io import save_bundle
        self._check_fitted()
        classes = self.classes_.tolist()
        if not all(isinstance(c, (str, int, bool)) for c in classes):
            raise ValueError("only str or int class labels can be saved")
        terms, farrays = self.features_.to_arrays()
        trie = marisa_trie.Trie(terms)
        columns = np.empty(len(terms), dtype=np.int32)
        for col, t in enumerate(terms):
            columns[trie[t]] = col
        f = self.features_
        meta = {"params": {**{p: getattr(f, p) for p in _FEATURE_PARAMS},
                           "model": self.model, "alpha": self.alpha, "C": self.C, "max_iter": self.max_iter},
                "classes": classes, "n_features": len(terms), "n_terms_total": f.n_terms_total_}
        arrays = {"W": self.coef_, "b": self.intercept_, "idf": farrays["idf"], "chi2": farrays["chi2"],
                  "columns": columns}
        return save_bundle(directory, KIND, meta, arrays, tries={"vocab": trie})

    @classmethod
    @guard_load
    def load(cls, directory, *, segmenter=None) -> "TextClassifier":
        """Load a model written by :meth:`save`; a missing, corrupt or inconsistent file raises
        :class:`~cnlp.errors.ModelFormatError` naming it. ``segmenter`` (not saved with the model):
        as in the constructor; None is cnlp's default for the recorded ``algorithm``."""
        from pathlib import Path
        from ..io import load_bundle
        meta, arrays, tries = load_bundle(directory, KIND, required={"W": Arr("f", 2, finite=True),
                                                                      "b": Arr("f", 1, finite=True),
                                                                      "idf": Arr("f", 1, finite=True),
                                                                      "chi2": Arr("f", 1), "columns": Arr("iu", 1)},
                                          tries=("vocab",))
        mpath, apath, tpath = (Path(directory) / n for n in ("meta.json", "arrays.npz", "vocab.marisa"))
        try:
            params = dict(meta["params"])
            for r in ("ngram_range", "char_ngram_range"):
                if params.get(r) is not None:
                    params[r] = tuple(params[r])
            classes = np.asarray(meta["classes"])
            n = int(meta["n_features"])
            clf = cls(**params, segmenter=segmenter)
        except (KeyError, TypeError, ValueError) as e:
            raise ModelFormatError(mpath, f"bad or missing field ({type(e).__name__}: {e})") from None
        if clf.model not in MODELS:
            raise ModelFormatError(mpath, f"unknown model {clf.model!r}")
        W, b, cols = arrays["W"], arrays["b"], arrays["columns"]
        n_rows = 1 if (clf.model == "linear" and len(classes) == 2) else len(classes)
        if (W.shape != (n_rows, n) or b.shape != (n_rows,) or arrays["idf"].shape != (n,)
                or arrays["chi2"].shape != (n,) or cols.shape != (n,)):
            raise ModelFormatError(apath, f"array shapes do not match {n} features and {len(classes)} classes")
        trie = tries["vocab"]
        if len(trie) != n:
            raise ModelFormatError(tpath, f"holds {len(trie)} terms, meta.json says {n}")
        if n and (cols.min() < 0 or cols.max() >= n or len(np.unique(cols)) != n):
            raise ModelFormatError(apath, "array 'columns' is not a permutation of the feature columns")
        terms = [""] * n
        for t, i in trie.items():
            terms[int(cols[i])] = t
        feats = clf._make_features()
        feats._restore(terms, arrays["idf"], arrays["chi2"], meta.get("n_terms_total", n))
        clf.features_ = feats
        clf.classes_ = classes
        clf.coef_ = np.ascontiguousarray(W, dtype=np.float64)
        clf.intercept_ = np.ascontiguousarray(b, dtype=np.float64)
        clf.n_features_in_ = n
        return clf
