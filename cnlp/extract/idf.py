"""Inverse document frequencies for TF-IDF keywords.

Formula (the smoothed IDF also used by scikit-learn's ``TfidfVectorizer(smooth_idf=True)``)::

    idf(w) = ln((N + 1) / (df(w) + 1)) + 1

where ``N`` is the number of documents and ``df(w)`` the number of documents containing ``w`` at
least once. The ``+1`` inside the ratio acts as one extra document holding every word (so no
division by zero and no negative values); the ``+1`` outside keeps words that occur in every
document at weight 1 instead of 0.

Unseen words get :attr:`IDFTable.default_idf`, the **median** idf over the vocabulary's word types.
Not the maximum: words missing from the table are mostly segmentation fragments, numbers and names the
segmenter glued differently from the training corpus, and giving them the highest weight of all lets
such fragments dominate TF-IDF rankings. Because most word types are rare, the median sits close to
the idf of a word seen in two or three documents, i.e. an unseen word is still treated as rare.

Words are width-folded (full-width ASCII -> half width, ASCII lower-cased, the same folding as
:mod:`cnlp.dictionary`) both when counting and when looking up, so the People's Daily ``１９９８年``
and the test input's ``1998年`` are the same entry.

Document frequencies come from :class:`cnlp.corpus.stats.CorpusStats` (one document = one sentence
given to ``CorpusStats.build``; for PD98 one paragraph line): :meth:`IDFTable.from_stats` reads its
``folded_doc_freqs``, the number of documents holding any word of a width-fold class, each document
counted once. :meth:`IDFTable.fit`, :meth:`IDFTable.from_pd98` and :meth:`IDFTable.from_raw` all
build a ``CorpusStats`` first.

Bundle (:func:`cnlp.io.save_bundle`, kind ``"idf"``): ``words.marisa`` (folded words) and
``arrays.npz`` with ``df`` (int32, by marisa id) and ``idf`` (float32, by marisa id); ``meta.json``
holds ``n_docs``, ``default_idf`` and the source.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import marisa_trie
import numpy as np

from ..text import FOLD_TRANSLATE, trie_get
from ..errors import ModelFormatError
from ..io import INT, NUM, Arr, guard_load, load_bundle, save_bundle

__all__ = ["IDFTable", "fold_word"]

KIND = "idf"

_FOLD = FOLD_TRANSLATE                   # str.translate form of cnlp.text.fold_str


def fold_word(word: str) -> str:
    """Fold ``word`` as the dictionaries do (:func:`cnlp.text.fold_str`: full-width ASCII -> ASCII,
    A-Z -> a-z, traditional -> simplified)."""
    return word.translate(_FOLD)


def idf_formula(df, n_docs: int) -> np.ndarray:
    """``ln((n_docs + 1) / (df + 1)) + 1`` elementwise (float64)."""
    df = np.asarray(df, np.float64)
    return np.log((n_docs + 1.0) / (df + 1.0)) + 1.0


class IDFTable:
    """Word -> idf, built from segmented documents.

    >>> t = IDFTable.fit([["猫", "狗"], ["猫"], ["鱼"]])
    >>> round(t["猫"], 4), round(t["鱼"], 4)      # ln(4/3)+1, ln(4/2)+1
    (1.2877, 1.6931)

    Attributes
    ----------
    trie : marisa_trie.Trie
        Folded words; a word's id is ``trie[word]``.
    df_ : int32[n_words]
        Document frequency by word id.
    idf_ : float32[n_words]
        idf by word id.
    n_docs_ : int
        Number of documents (empty documents included).
    default_idf : float
        idf returned for words not in the table (the median of ``idf_``; settable).
    """

    def __init__(self, trie: marisa_trie.Trie, df: np.ndarray, n_docs: int,
                 default_idf: float | None = None, meta: dict | None = None):
        self.trie = trie
        self.df_ = np.ascontiguousarray(df, np.int32)
        self.n_docs_ = int(n_docs)
        self.idf_ = idf_formula(self.df_, self.n_docs_).astype(np.float32)
        if default_idf is None:
            default_idf = float(np.median(self.idf_)) if self.idf_.size else float(idf_formula(0, self.n_docs_))
        self.default_idf = float(default_idf)
        self.meta = dict(meta or {})

    # ------------------------------------------------------------------ construction
    @classmethod
    def fit(cls, documents: Iterable[Iterable[str]], *, meta: dict | None = None) -> "IDFTable":
        """Count document frequencies over ``documents`` (each an iterable of words).

        Whitespace-only and empty words are ignored; a document counts even if it is empty.
        The documents go through :meth:`CorpusStats.build <cnlp.corpus.stats.CorpusStats.build>`
        (one document per sentence) and :meth:`from_stats`.
        """
        from ..corpus.stats import CorpusStats

        def checked():
            for doc in documents:
                if isinstance(doc, str):
                    raise TypeError("IDFTable.fit() expects an iterable of word lists, got a str document "
                                    "(segment it first, e.g. cnlp.segment(text))")
                words = []
                for w in doc:
                    if not isinstance(w, str):
                        raise TypeError(f"IDFTable.fit() expects words as str, got {type(w).__name__}")
                    if w and not w.isspace():
                        words.append(w)
                yield words

        return cls.from_stats(CorpusStats.build(checked()), meta=meta)

    @classmethod
    def from_stats(cls, stats, *, meta: dict | None = None) -> "IDFTable":
        """Table from a :class:`~cnlp.corpus.stats.CorpusStats`: one document per sentence it counted.

        Words are width-folded (:func:`fold_word`); the df of a folded word is the stats'
        ``folded_doc_freqs`` (documents holding any of its forms, each counted once).
        Whitespace-only words are skipped. ``N`` is ``stats.n_docs`` (empty sentences included).

        Raises
        ------
        TypeError
            ``stats`` is not a CorpusStats.
        ModelFormatError
            ``stats`` was loaded from a bundle saved before document frequencies were counted.
        """
        from ..corpus.stats import CorpusStats

        if not isinstance(stats, CorpusStats):
            raise TypeError(f"IDFTable.from_stats() expects a CorpusStats, got {type(stats).__name__}")
        stats._require_doc_freqs()
        fdf = stats.folded_doc_freqs.tolist()
        df: dict[str, int] = {}
        for i, w in enumerate(stats.words()):             # trie-id order
            if not w.isspace():
                df.setdefault(w.translate(_FOLD), fdf[i])  # every form of a class holds the class df
        trie = marisa_trie.Trie(df.keys())
        arr = np.zeros(len(trie), np.int32)
        if df:
            ids = np.fromiter(map(trie.__getitem__, df), np.int64, len(df))
            arr[ids] = np.fromiter(df.values(), np.int64, len(df))
        if meta is None:
            src = stats.meta.get("sources") or []
            meta = {"source": ", ".join(str(x.get("path")) for x in src)} if src else {}
            if src and len({x.get("format") for x in src}) == 1:
                meta["format"] = src[0].get("format")
        return cls(trie, arr, stats.n_docs, meta=meta)

    @classmethod
    def from_pd98(cls, path) -> "IDFTable":
        """One document per paragraph (line) of a People's Daily file, gold words (via ``CorpusStats.from_pd98``)."""
        from ..corpus.stats import CorpusStats
        return cls.from_stats(CorpusStats.from_pd98(path),
                              meta={"source": os.path.basename(os.fspath(path)), "format": "pd98"})

    @classmethod
    def from_raw(cls, path, *, segmenter, algorithm: str | None = None) -> "IDFTable":
        """One document per line of a raw UTF-8 text file, segmented with ``segmenter``.

        Parameters
        ----------
        segmenter : Segmenter or callable text -> list of str
            Received, not fetched (``cnlp train idf --format raw`` gives :func:`cnlp.get_segmenter`'s).
        algorithm : str or None
            The segmenter's name, recorded in ``meta["segmenter"]`` (None: ``"default"``).
        """
        from ..corpus.readers import iter_lines
        seg = getattr(segmenter, "segment", None)
        if not callable(seg):
            if segmenter is None or isinstance(segmenter, str) or not callable(segmenter):
                raise TypeError("IDFTable.from_raw() expects segmenter as a Segmenter or a callable text -> "
                                f"list of str (e.g. cnlp.get_segmenter()), got {type(segmenter).__name__}")
            seg = segmenter
        docs = (seg(line) for _, line in iter_lines(path))
        return cls.fit(docs, meta={"source": os.path.basename(os.fspath(path)), "format": "raw",
                                   "segmenter": algorithm or "default"})

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self.trie)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and trie_get(self.trie, word.translate(_FOLD)) >= 0

    def __getitem__(self, word: str) -> float:
        return self.idf(word)

    def idf(self, word: str) -> float:
        """idf of ``word`` (folded), or :attr:`default_idf` if unseen."""
        i = trie_get(self.trie, word.translate(_FOLD))
        return float(self.idf_[i]) if i >= 0 else self.default_idf

    def idf_many(self, words: Iterable[str]) -> np.ndarray:
        """float64 array of :meth:`idf` for each word."""
        trie = self.trie
        ids = np.fromiter((trie_get(trie, w.translate(_FOLD)) for w in words), np.int64)
        out = np.full(ids.shape[0], self.default_idf, np.float64)
        hit = ids >= 0
        out[hit] = self.idf_[ids[hit]]
        return out

    def df(self, word: str) -> int:
        """Document frequency of ``word`` (0 if unseen)."""
        i = trie_get(self.trie, word.translate(_FOLD))
        return int(self.df_[i]) if i >= 0 else 0

    # ------------------------------------------------------------------ persistence
    def save(self, directory) -> Path:
        meta = {**self.meta, "n_docs": self.n_docs_, "n_words": len(self), "default_idf": self.default_idf,
                "formula": "ln((N+1)/(df+1))+1", "default": "median"}
        return save_bundle(directory, KIND, meta, {"df": self.df_, "idf": self.idf_}, {"words": self.trie})

    @classmethod
    @guard_load
    def load(cls, directory) -> "IDFTable":
        meta, a, tries = load_bundle(directory, KIND, {"df": Arr("i", 1, lo=0), "idf": Arr("f", 1, finite=True)}, ("words",),
                                     schema={"n_docs": INT(0, 1 << 62), "default_idf": NUM()})
        trie = tries["words"]
        npz = Path(directory) / "arrays.npz"
        n = len(trie)
        df = a["df"]
        if df.shape != (n,) or a["idf"].shape != (n,):
            raise ModelFormatError(npz, f"{df.shape} df / {a['idf'].shape} idf values for {n} words")
        n_docs = meta.get("n_docs")
        if not isinstance(n_docs, int) or n_docs < 0 or (n and (df.min() < 1 or df.max() > n_docs)):
            raise ModelFormatError(Path(directory) / "meta.json",
                                   f"n_docs {n_docs!r} inconsistent with document frequencies")
        default = meta.get("default_idf")
        if not isinstance(default, (int, float)):
            raise ModelFormatError(Path(directory) / "meta.json", "missing numeric 'default_idf'")
        keep = {k: v for k, v in meta.items() if k in ("source", "format", "segmenter")}
        return cls(trie, df, n_docs, float(default), keep)

    def __repr__(self) -> str:
        return f"IDFTable({len(self)} words, {self.n_docs_} documents, default_idf={self.default_idf:.3f})"


