"""HMMPOSTagger: a first-order hidden Markov model POS tagger over words (the HanLP 1.x style baseline).

Every count comes from :class:`cnlp.corpus.stats.CorpusStats`:

* transitions ``P(t | s)`` from ``CorpusStats.transitions`` (tag bigrams with BOS/EOS, counted over
  fully tagged sentences), additively smoothed by ``transition_alpha``;
* emissions of a known word from the word -> tag CSR (``emit_indptr`` / ``emit_tags`` /
  ``emit_counts``, what :meth:`CorpusStats.tags_of` reads): ``P(w | t) = c(w, t) / c(t)``, so a
  known word only takes tags it was seen with;
* unknown words: ``P(w | t) ∝ P(t | shape, suffix) / P(t)`` (Bayes; the factor ``P(w)`` is the
  same for every tag at a position and cancels in Viterbi). ``P(t | shape, suffix)`` is estimated
  from the *rare* training words (count <= ``rare_max``; rare words behave like unseen ones) and
  backed off TnT-style: last ``max_suffix`` characters -> shorter suffixes -> the word's shape
  and length (the set of character classes of :func:`cnlp.text.char_classes`: Han, digit, Latin,
  Chinese numeral, punctuation, ...; lengths above 5 share one value) -> the tag distribution of
  all rare words, each level smoothed toward the next with ``backoff`` pseudo-counts. So an
  unseen all-digit word is tagged like rare digit words (``m``), Latin strings like rare Latin
  strings (``nx``), ``…省`` like rare words ending in ``省`` (``ns``). A word whose shape and
  length never occur among rare words falls back to a fixed prior (digits -> ``m``, Latin ->
  ``nx``, punctuation/symbols -> ``w``, anything else: the rare-word tag distribution).

Measured (``python benchmarks/pos_hmm.py``: train on the first 90 % of ``199801.txt`` by
:func:`cnlp.corpus.splits.pd98_split`, gold words of the last 10 %): accuracy 0.9461, 0.6672 on
the 3.7 % of tokens unseen in training. Parameters were chosen on the dev part
(``--dev-ratio 0.1``: the last 10 % of the training lines), where unseen-word accuracy is 0.6865
with the defaults, 0.5505 with ``max_suffix=0`` (shape and length only), 0.6678 without the length
in the key; ``backoff`` 0.5-10, ``rare_max`` 1-10 and ``transition_alpha`` 0.01-1 all stay within
0.003 of the default's dev accuracy 0.9388.

Decoding is :class:`cnlp.sequence.hmm.HMMTagger` (Numba Viterbi in log space): known words are
its observation ids (the CorpusStats trie ids), unknown words read its neutral unknown column
and their suffix-model scores are passed as the per-position ``bonus``.

The bundle (:meth:`HMMPOSTagger.save`) stores the counts, not the probabilities: ``meta.json``
(kind ``hmm_pos``, ``"task": "pos"``, tag names, parameters), ``arrays.npz`` and two marisa tries
(``words``: the vocabulary; ``suffixes``: the rare-word shape/suffix keys). Probabilities are
rebuilt by the same code on load, so a loaded model predicts exactly what the saved one did.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import marisa_trie
import numpy as np

from ..corpus.stats import CorpusStats
from ..errors import ModelFormatError, NotFittedError
from ..io import guard_load, load_bundle, save_bundle
from ..sequence.hmm import HMMTagger
from ..text import CLASS_NAMES, DIGIT, LATIN, PUNCT, SYMBOL, char_classes, to_codes, trie_get
from .tags import check_words

__all__ = ["HMMPOSTagger", "word_shape"]

KIND = "hmm_pos"
TASK = "pos"
_REQUIRED = {"word_counts": "i", "emit_indptr": "i", "emit_tags": "i", "emit_counts": "i",
             "tag_counts": "i", "transitions": "i", "suffix_counts": "i"}
#: additive smoothing of the rare-word tag prior (the last back-off level)
_PRIOR_ALPHA = 0.1
#: word lengths above this share one back-off key
_MAX_LEN = 5
_KEY = re.compile(r"^[0-9]+\.[0-9]+:")
#: shape -> tag for shapes never seen among rare training words
_SHAPE_FALLBACK = {1 << DIGIT: "m", 1 << LATIN: "nx", 1 << PUNCT: "w", 1 << SYMBOL: "w",
                   (1 << PUNCT) | (1 << SYMBOL): "w"}


def word_shape(word: str) -> int:
    """Bit mask of the character classes in ``word`` (bit ``c`` for :data:`cnlp.text.CLASS_NAMES` ``[c]``).

    >>> word_shape("１９９８年") == (1 << 1) | (1 << 2)        # han + digit
    True
    """
    if not word:
        return 0
    return int(np.bitwise_or.reduce(np.left_shift(1, char_classes(to_codes(word)).astype(np.int64))))


def shape_name(mask: int) -> str:
    """``"digit+han"`` style name of a :func:`word_shape` mask (for reports)."""
    return "+".join(n for i, n in enumerate(CLASS_NAMES) if mask >> i & 1) or "empty"


def _suffix_keys(word: str, max_suffix: int) -> list[str]:
    """Back-off keys of ``word``, most general first: ``"S.L:"``, ``"S.L:c"``, ``"S.L:bc"`` ...

    ``S`` is :func:`word_shape`, ``L`` the word length capped at :data:`_MAX_LEN` (the length
    separates e.g. four-character idioms from two-character nouns with the same last character).
    """
    head = f"{word_shape(word)}.{min(len(word), _MAX_LEN)}:"
    return [head] + [head + word[-k:] for k in range(1, min(max_suffix, len(word)) + 1)]


def _tagged(sentences) -> Iterable[list[tuple[str, str]]]:
    """Validate ``[(word, tag), ...]`` sentences while streaming them into CorpusStats."""
    for k, sent in enumerate(sentences):
        if isinstance(sent, (str, bytes)) or not hasattr(sent, "__iter__"):
            raise TypeError(f"fit() expects sentences as lists of (word, tag); sentence {k} is "
                            f"{type(sent).__name__}")
        sent = list(sent)
        for i, item in enumerate(sent):
            if type(item) is tuple and len(item) == 2 and type(item[0]) is str and type(item[1]) is str \
                    and item[0] and item[1]:
                continue                                   # the common case, checked cheaply
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise TypeError(f"fit() expects (word, tag) pairs; sentence {k} item {i} is {item!r}")
            w, t = item
            if not isinstance(w, str) or not w or not isinstance(t, str) or not t:
                raise ValueError(f"fit(): sentence {k} item {i}: word and tag must be non-empty str, "
                                 f"got {item!r}")
            sent[i] = (w, t)
        yield sent


class HMMPOSTagger:
    """First-order HMM POS tagger over words with a suffix/shape model for unknown words.

    Parameters
    ----------
    transition_alpha : float
        Additive smoothing of the tag transition counts (>= 0).
    rare_max : int
        Training words seen at most this often estimate the unknown-word model (>= 1).
    max_suffix : int
        Longest word suffix (in characters) the unknown-word model conditions on (>= 0).
    backoff : float
        Pseudo-count pulling each suffix/shape distribution toward its back-off (> 0).

    Attributes
    ----------
    tags_ : tuple of str
        Tag names (ids index this tuple).
    words_ : marisa_trie.Trie
        Training vocabulary; a word's observation id is ``words_[word]``.
    word_counts_, emit_indptr_, emit_tags_, emit_counts_, tag_counts_, transitions_ : numpy arrays
        The counts copied from :class:`~cnlp.corpus.stats.CorpusStats` (same meaning and layout).
    suffixes_ : marisa_trie.Trie; suffix_counts_ : int64[n_keys, n_tags]
        Rare-word tag counts per back-off key (``"SHAPE.LEN:"``, ``"SHAPE.LEN:suffix"``).
    log_oov_ : float32[n_keys, n_tags]
        ``log P(t | key) - log P(t)``, the unknown-word emission score per key.
    hmm_ : cnlp.sequence.hmm.HMMTagger
        The decoder.

    Examples
    --------
    >>> train = [[("我们", "r"), ("研究", "v"), ("语言", "n")], [("他", "r"), ("研究", "v"), ("历史", "n")]]
    >>> HMMPOSTagger().fit(train).predict(["我们", "研究", "历史"])
    ['r', 'v', 'n']
    """

    def __init__(self, *, transition_alpha: float = 0.1, rare_max: int = 2, max_suffix: int = 2,
                 backoff: float = 2.0):
        self.transition_alpha = transition_alpha
        self.rare_max = rare_max
        self.max_suffix = max_suffix
        self.backoff = backoff

    # ------------------------------------------------------------------ parameters
    def get_params(self) -> dict:
        return {"transition_alpha": self.transition_alpha, "rare_max": self.rare_max,
                "max_suffix": self.max_suffix, "backoff": self.backoff}

    def set_params(self, **params) -> "HMMPOSTagger":
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"unknown parameter {k!r}; valid: {sorted(self.get_params())}")
            setattr(self, k, v)
        return self

    def _check_params(self) -> None:
        ok = (isinstance(self.rare_max, int) and self.rare_max >= 1
              and isinstance(self.max_suffix, int) and self.max_suffix >= 0
              and self.transition_alpha >= 0 and self.backoff > 0)
        if not ok:
            raise ValueError(f"invalid parameters {self.get_params()}: need rare_max >= 1, max_suffix >= 0 "
                             f"(ints), transition_alpha >= 0, backoff > 0")

    # ------------------------------------------------------------------ training
    def fit(self, sentences: Iterable[list[tuple[str, str]]]) -> "HMMPOSTagger":
        """Count ``[(word, tag), ...]`` sentences (one pass through :meth:`CorpusStats.build`) and fit.

        Raises TypeError / ValueError on a malformed sentence (naming its index), ValueError if
        there is no tagged word at all.
        """
        self._check_params()
        return self.fit_stats(CorpusStats.build(_tagged(sentences)))

    def fit_stats(self, stats: CorpusStats) -> "HMMPOSTagger":
        """Fit from an existing :class:`CorpusStats` (e.g. ``CorpusStats.load(dir)`` of a tagged corpus)."""
        self._check_params()
        T = len(stats.tag_names)
        if T == 0 or int(stats.tag_counts.sum()) == 0:
            raise ValueError("fit() needs tagged words; these statistics have no tags "
                             "(built from an untagged corpus?)")
        self.tags_ = tuple(stats.tag_names)
        self.words_ = stats.trie
        self.word_counts_ = np.asarray(stats.word_counts, np.int64)
        self.emit_indptr_ = np.asarray(stats.emit_indptr, np.int64)
        self.emit_tags_ = np.asarray(stats.emit_tags, np.int64)
        self.emit_counts_ = np.asarray(stats.emit_counts, np.int64)
        self.tag_counts_ = np.asarray(stats.tag_counts, np.int64)
        self.transitions_ = np.asarray(stats.transitions, np.int64)
        self.suffixes_, self.suffix_counts_ = self._count_suffixes()
        self._build()
        return self

    def _count_suffixes(self) -> tuple[marisa_trie.Trie, np.ndarray]:
        """Tag counts of the rare words per back-off key (tokens, not types)."""
        T = len(self.tags_)
        rare = np.flatnonzero((self.word_counts_ > 0) & (self.word_counts_ <= self.rare_max)).tolist()
        acc: dict[str, np.ndarray] = {}
        ip, et, ec = self.emit_indptr_, self.emit_tags_, self.emit_counts_
        for i in rare:
            a, b = int(ip[i]), int(ip[i + 1])
            if a == b:
                continue
            row = np.bincount(et[a:b], weights=ec[a:b], minlength=T)
            for key in _suffix_keys(self.words_.restore_key(i), self.max_suffix):
                have = acc.get(key)
                if have is None:
                    acc[key] = row.copy()
                else:
                    have += row
        trie = marisa_trie.Trie(list(acc))
        counts = np.zeros((len(trie), T), np.int64)
        for key, row in acc.items():
            counts[trie[key]] = row
        return trie, counts

    # ------------------------------------------------------------------ derived tables
    def _build(self) -> None:
        """Probabilities and the decoder from the stored counts (shared by fit and load)."""
        T, V = len(self.tags_), self.word_counts_.shape[0]
        with np.errstate(divide="ignore"):
            log_prior = np.log(np.maximum(self.tag_counts_, 1) / max(int(self.tag_counts_.sum()), 1))
        # transitions: CorpusStats rows/cols T = BOS, T + 1 = EOS -> HMMTagger index T = boundary
        M = self.transitions_
        C = np.zeros((T + 1, T + 1), np.float64)
        C[:T, :T] = M[:T, :T]
        C[T, :T] = M[T, :T]
        C[:T, T] = M[:T, T + 1]
        a = float(self.transition_alpha)
        p = (C + a) / np.maximum(C.sum(axis=1, keepdims=True) + a * (T + 1), 1e-300)
        p[T, T] = 0.0
        with np.errstate(divide="ignore"):
            log_trans = np.log(p)
        # known words: log c(w, t) - log c(t); tags never seen with the word are impossible
        log_emit = np.full((T, V + 1), -np.inf, np.float32)
        rows = np.repeat(np.arange(V), np.diff(self.emit_indptr_))
        tags = self.emit_tags_
        with np.errstate(divide="ignore"):
            log_emit[tags, rows] = np.log(self.emit_counts_) - np.log(self.tag_counts_[tags])
        log_emit[:, V] = 0.0                             # unknown words: scores come as a bonus
        self.known_ = np.diff(self.emit_indptr_) > 0     # a word without tags is treated as unknown
        self.log_oov_, self._fallback = self._oov_tables(log_prior)
        meta = {"params": {"order": 1, "transition_alpha": a, "emission_alpha": 1.0,
                           "strict_transitions": False}, "n_obs": V, "n_tags": T}
        self.hmm_ = HMMTagger.from_bundle(meta, {"log_trans": log_trans.astype(np.float32),
                                                 "log_emit": log_emit}, "<HMMPOSTagger>")

    def _oov_tables(self, log_prior: np.ndarray) -> tuple[np.ndarray, dict]:
        T = len(self.tags_)
        keys = self.suffixes_
        counts = self.suffix_counts_.astype(np.float64)
        # the rare-word tag distribution: the sum over the shape keys ("SHAPE.LEN:")
        shape_ids = [i for k, i in keys.items() if k.index(":") == len(k) - 1]
        rare = counts[shape_ids].sum(axis=0) if shape_ids else np.zeros(T)
        p0 = (rare + _PRIOR_ALPHA) / (rare.sum() + _PRIOR_ALPHA * T)
        probs = np.zeros((len(keys), T), np.float64)
        k = float(self.backoff)
        # parents before children: sort keys by length of the part after the shape
        for key, i in sorted(keys.items(), key=lambda kv: len(kv[0]) - kv[0].index(":")):
            head, _, suffix = key.partition(":")
            parent = p0 if not suffix else probs[keys[f"{head}:{suffix[1:]}"]]
            c = counts[i]
            probs[i] = (c + k * parent) / (c.sum() + k)
        with np.errstate(divide="ignore"):
            log_oov = (np.log(probs) - log_prior).astype(np.float32) if len(keys) else np.zeros((0, T), np.float32)
            fallback = {None: (np.log(p0) - log_prior).astype(np.float32)}
            for mask, tag in _SHAPE_FALLBACK.items():
                if tag in self.tags_:
                    p = 0.1 * p0
                    p[self.tags_.index(tag)] += 0.9
                    fallback[mask] = (np.log(p) - log_prior).astype(np.float32)
        return log_oov, fallback

    def _oov_scores(self, word: str) -> np.ndarray:
        """float32[n_tags]: unknown-word emission score of ``word`` (longest known back-off key)."""
        keys = _suffix_keys(word, self.max_suffix)
        for key in reversed(keys):
            i = trie_get(self.suffixes_, key, None)
            if i is not None:
                return self.log_oov_[i]
        return self._fallback.get(word_shape(word), self._fallback[None])

    # ------------------------------------------------------------------ prediction
    def _check_fitted(self) -> None:
        if not hasattr(self, "hmm_"):
            raise NotFittedError("call fit() or load() first")

    def predict(self, words: list[str]) -> list[str]:
        """Tags of one sentence of words (a list or tuple of ``str``); ``[]`` for ``[]``.

        Raises
        ------
        TypeError
            ``words`` is not a list/tuple, or an element is not a ``str`` (the message names
            its 0-based position: ``"pos_tag() expects a list of str; item 3 is int"``).
        """
        words = check_words(words)
        self._check_fitted()
        if not words:
            return []
        T = len(self.tags_)
        words_trie = self.words_
        known = self.known_
        obs = np.empty(len(words), np.int32)
        bonus = None
        for i, w in enumerate(words):
            j = trie_get(words_trie, w)
            if j >= 0 and known[j]:
                obs[i] = j
            else:
                obs[i] = -1
                if bonus is None:
                    bonus = np.zeros((len(words), T), np.float32)
                bonus[i] = self._oov_scores(w)
        ids = self.hmm_.predict(obs, bonus=bonus)
        names = self.tags_
        return [names[t] for t in ids.tolist()]

    def predict_many(self, sentences: Iterable[list[str]]) -> list[list[str]]:
        """:meth:`predict` for each sentence."""
        return [self.predict(s) for s in sentences]

    def tag(self, words: list[str]) -> list[tuple[str, str]]:
        """``[(word, tag), ...]`` for one sentence."""
        words = check_words(words)
        return list(zip(words, self.predict(words)))

    def is_known(self, word: str) -> bool:
        """True if ``word`` was seen (with a tag) in training."""
        self._check_fitted()
        j = trie_get(self.words_, word) if isinstance(word, str) else -1
        return bool(j >= 0 and self.known_[j])

    # ------------------------------------------------------------------ persistence
    def save(self, directory) -> Path:
        """Write the bundle (``meta.json`` + ``arrays.npz`` + ``words.marisa`` + ``suffixes.marisa``)."""
        self._check_fitted()
        meta = {"task": TASK, "class": "HMMPOSTagger", "params": self.get_params(),
                "tags": list(self.tags_), "n_words": int(self.word_counts_.shape[0]),
                "n_suffix_keys": len(self.suffixes_)}
        arrays = {"word_counts": self.word_counts_, "emit_indptr": self.emit_indptr_,
                  "emit_tags": self.emit_tags_.astype(np.int32), "emit_counts": self.emit_counts_,
                  "tag_counts": self.tag_counts_, "transitions": self.transitions_,
                  "suffix_counts": self.suffix_counts_}
        return save_bundle(directory, KIND, meta, arrays, {"words": self.words_, "suffixes": self.suffixes_})

    @classmethod
    @guard_load
    def load(cls, directory) -> "HMMPOSTagger":
        """Load a bundle written by :meth:`save`; any inconsistency raises :class:`ModelFormatError` naming the file."""
        d = Path(directory)
        meta, a, tries = load_bundle(d, KIND, _REQUIRED, ("words", "suffixes"))
        mpath, npz = d / "meta.json", d / "arrays.npz"
        tags, params = meta.get("tags"), meta.get("params")
        if meta.get("task") != TASK:
            raise ModelFormatError(mpath, f"task {meta.get('task')!r}, expected {TASK!r}")
        if not (isinstance(tags, list) and tags and all(isinstance(t, str) and t for t in tags)
                and len(set(tags)) == len(tags)):
            raise ModelFormatError(mpath, "'tags' must be a non-empty list of distinct tag names")
        try:
            self = cls(**params)
            self._check_params()
        except (TypeError, ValueError) as e:
            raise ModelFormatError(mpath, f"bad parameters {params!r} ({e})") from None
        T = len(tags)
        words, suffixes = tries["words"], tries["suffixes"]
        V = a["word_counts"].shape[0]
        checks = [
            (len(words) == V == meta.get("n_words"), f"words.marisa has {len(words)} words, arrays {V}"),
            (a["emit_indptr"].shape == (V + 1,), "emit_indptr shape does not match word_counts"),
            (a["emit_tags"].shape == a["emit_counts"].shape, "emit_tags / emit_counts shapes differ"),
            (a["tag_counts"].shape == (T,), "tag_counts shape does not match the tags"),
            (a["transitions"].shape == (T + 2, T + 2), "transitions shape does not match the tags"),
            (a["suffix_counts"].shape == (len(suffixes), T), "suffix_counts shape does not match suffixes.marisa"),
        ]
        for ok, reason in checks:
            if not ok:
                raise ModelFormatError(npz, reason)
        ip, et = a["emit_indptr"], a["emit_tags"]
        if (ip[0] != 0 or ip[-1] != et.shape[0] or np.any(np.diff(ip) < 0)
                or (et.size and (et.min() < 0 or et.max() >= T))):
            raise ModelFormatError(npz, "emit_indptr / emit_tags are not a valid word -> tag CSR")
        for k in ("word_counts", "emit_counts", "tag_counts", "transitions", "suffix_counts"):
            if a[k].size and a[k].min() < 0:
                raise ModelFormatError(npz, f"array {k!r} has negative counts")
        if not all(_KEY.match(k) for k in suffixes.keys()):
            raise ModelFormatError(d / "suffixes.marisa", "keys are not SHAPE.LENGTH:suffix back-off keys")
        self.tags_ = tuple(tags)
        self.words_, self.suffixes_ = words, suffixes
        self.word_counts_ = a["word_counts"].astype(np.int64)
        self.emit_indptr_ = ip.astype(np.int64)
        self.emit_tags_ = et.astype(np.int64)
        self.emit_counts_ = a["emit_counts"].astype(np.int64)
        self.tag_counts_ = a["tag_counts"].astype(np.int64)
        self.transitions_ = a["transitions"].astype(np.int64)
        self.suffix_counts_ = a["suffix_counts"].astype(np.int64)
        try:
            self._build()
        except KeyError as e:       # a suffix key without its parent key
            raise ModelFormatError(d / "suffixes.marisa", f"back-off key {e} is missing") from None
        return self

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"HMMPOSTagger({p})"
