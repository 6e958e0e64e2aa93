"""Bigram word-lattice segmenter: ``P(w_t|w_{t-1}) = λ·P_ML(w_t|w_{t-1}) + (1−λ)·P(w_t)``.

The lattice holds every dictionary word at each position, every single character (unknown ones
as the class ``UNK``), number / date expressions (``NUM``: digit or Chinese-numeral runs,
decimals, percentages; ``TIME``: a number run plus 年月日时分秒号点) and Latin runs (``LAT``);
whitespace runs are fixed nodes. Counts come from :class:`cnlp.corpus.stats.CorpusStats`
with words width-folded. Training words can be mapped to their class (``classes=``); the dev split
chose to map only Latin words, so numbers seen in training keep their own statistics and the
``NUM``/``TIME`` nodes act as a smoothed fallback for numbers never seen (``二○○一年``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .._hash_kernels import fib_slots
from ..dictionary import FORCE, PREFER, Dictionary, as_user_dictionary, merge_preferred
from ..errors import ModelFormatError
from ..io import INT, NUM, OBJ, Arr, atomic_directory, guard_load, load_bundle, save_bundle
from ..text import CN_NUMERALS, fold_str, trie_get
from . import _lattice_kernels as K
from .base import Segmenter

__all__ = ["BigramModel", "LatticeSegmenter", "word_class"]
KIND = "bigram"
#: log-score bonus of a preferred user word's node (on top of its frequency gain); chosen on a dev split
#: of 199801.txt (benchmarks/user_dict_check.py --dev --algorithm bigram)
PREFER_MARGIN = 2.0
#: meta.json fields of a bigram bundle
BIGRAM_SCHEMA = {"lam": NUM(0, 0.999999), "alpha": NUM(1e-12, 1e6), "unk_p": NUM(1e-300, 1),
                 "candidates": OBJ({"cost": NUM(0, 1e6), "maxlen": INT(2, 64)}, required=False, nullable=True)}
_NUM = set("0123456789") | set(CN_NUMERALS)
_SUFFIX = set("年月日时分秒号点")


def word_class(w: str, classes: str = "all") -> int:
    """Class offset (``K.NUM``, ``K.TIME``, ``K.LAT``) of a folded word, or -1 for an ordinary word.

    ``classes``: ``"all"`` maps Arabic-digit and Chinese-numeral words; ``"digits"`` only words
    containing an Arabic digit (Chinese numerals such as 一 stay ordinary words); ``"latin"`` only
    Latin words.
    """
    if not w:
        return -1
    if classes == "latin" or (classes == "digits" and not any("0" <= ch <= "9" for ch in w)):
        return K.LAT if w.isascii() and w.isalnum() and not w.isdigit() else -1
    core = w[:-1] if w[-1] == "%" and len(w) > 1 else w
    if all(ch in _NUM or ch == "." for ch in core) and core[0] in _NUM and core[-1] in _NUM:
        return K.NUM
    if len(w) > 1 and w[-1] in _SUFFIX and all(ch in _NUM for ch in w[:-1]):
        return K.TIME
    if w.isascii() and w.isalnum() and not w.isdigit():
        return K.LAT
    return -1


class BigramModel:
    """Counts behind the lattice: a vocabulary :class:`Dictionary` (folded ordinary words),
    unigram counts per id (words, then the 6 classes), and bigram counts."""

    def __init__(self, vocab: Dictionary, counts: np.ndarray, bigram_keys: np.ndarray,
                 bigram_counts: np.ndarray, *, lam: float, alpha: float, unk_p: float, meta=None):
        self.vocab = vocab
        self.counts = np.asarray(counts, np.float64)
        self.bigram_keys = np.asarray(bigram_keys, np.int64)
        self.bigram_counts = np.asarray(bigram_counts, np.int64)
        self.meta = dict(meta or {})
        self.set_params(lam=lam, alpha=alpha, unk_p=unk_p)
        self.table = bigram_table(self.bigram_keys, self.bigram_counts)
        nv = self.counts.shape[0]
        a = self.bigram_keys // nv
        self.hist = np.bincount(a, weights=self.bigram_counts, minlength=nv).astype(np.float64)
        self.present = np.ones(len(vocab), np.bool_)
        self.set_candidates(None, 0.0)

    def set_candidates(self, hmm, cost: float, maxlen: int = 4) -> None:
        """Propose unknown words: each word of 2..``maxlen`` Han characters in ``hmm``'s segmentation
        (an :class:`cnlp.segmentation.hmm.HMMSegmenter`) that is not in the vocabulary becomes a lattice
        node of cost ``cost`` (= -log P, no bigram context). ``hmm=None`` or ``cost=0`` turns this off."""
        if hmm is not None and not hasattr(hmm, "_bounds"):
            raise TypeError(f"hmm must be an HMMSegmenter, got {type(hmm).__name__}")
        if cost < 0 or not 2 <= int(maxlen) <= 64:
            raise ValueError(f"need cost >= 0 and 2 <= maxlen <= 64, got {cost}, {maxlen}")
        if hmm is not None and hmm.order != 1:
            raise ValueError("candidate words need a first-order HMM")
        self.hmm, self.cand_cost, self.cand_maxlen = hmm, float(cost), int(maxlen)
        if hmm is None or cost == 0:
            self.hmm_arrays = (_NONE, _NONE_F2, _NONE_F2)
        else:
            tg = hmm.tagger_
            self.hmm_arrays = (hmm.obs_codes_, np.ascontiguousarray(tg.log_trans_, np.float32),
                               np.ascontiguousarray(tg.log_emit_, np.float32))

    def set_params(self, *, lam: float, alpha: float, unk_p: float) -> None:
        if not 0.0 <= lam < 1.0:
            raise ValueError(f"lam must be in [0, 1), got {lam}")
        self.lam, self.alpha, self.unk_p = float(lam), float(alpha), float(unk_p)
        c = self.counts
        nd = len(self.vocab)
        with np.errstate(all="ignore"):               # extreme counts: checked by load()
            total = c[:nd + 6].sum() - c[nd + K.BOS]
            uni = (c + alpha) / (total + alpha * c.shape[0])
        uni[nd + K.UNK] = unk_p
        uni[nd + K.SP] = 1.0
        with np.errstate(all="ignore"):
            uni[nd + K.BOS] = c[nd + K.BOS] / total
        self.uni = uni

    @classmethod
    def from_stats(cls, stats, *, lam: float = 0.8, alpha: float = 0.01, unk_p: float = 1e-7,
                   classes: str = "all") -> "BigramModel":
        from ..errors import require_data
        require_data(stats.total_words, stats.meta.get("source") or "the corpus", "words")
        words = list(stats.words())
        wc = np.asarray(stats.word_counts, np.int64)
        folded = [fold_str(w) for w in words]
        klass = [word_class(f, classes) for f in folded]
        vocab = Dictionary.from_entries(((f, int(c), None) for f, c, k in zip(folded, wc.tolist(), klass) if k < 0))
        nd = len(vocab)
        nv = nd + K.N_CLASSES
        idmap = np.empty(len(words) + 2, np.int64)
        for i, (f, k) in enumerate(zip(folded, klass)):
            idmap[i] = nd + k if k >= 0 else vocab.trie[f]
        idmap[len(words)] = idmap[len(words) + 1] = nd + K.BOS        # stats' BOS and EOS
        counts = np.zeros(nv, np.float64)
        np.add.at(counts, idmap[:len(words)], wc)
        counts[nd + K.BOS] = stats.n_sentences
        base = len(words) + 2
        keys = idmap[stats.bigram_keys // base] * nv + idmap[stats.bigram_keys % base]
        ukeys, inv = np.unique(keys, return_inverse=True)
        ucounts = np.bincount(inv, weights=stats.bigram_counts).astype(np.int64)
        return cls(vocab, counts, ukeys, ucounts, lam=lam, alpha=alpha, unk_p=unk_p,
                   meta={"n_sentences": int(stats.n_sentences), "source": stats.meta.get("source"),
                         "classes": classes})

    def save(self, directory) -> Path:
        """The bundle with its vocabulary (and candidate HMM) in sub-directories, written atomically."""
        with atomic_directory(directory) as d:
            self.vocab.save(d / "vocab")
            meta = {**self.meta, "lam": self.lam, "alpha": self.alpha, "unk_p": self.unk_p}
            meta.pop("candidates", None)
            if self.hmm is not None:
                self.hmm.save(d / "hmm")
                meta["candidates"] = {"cost": self.cand_cost, "maxlen": self.cand_maxlen}
            save_bundle(d, KIND, meta, {"counts": self.counts, "bigram_keys": self.bigram_keys,
                                        "bigram_counts": self.bigram_counts})
        return Path(directory)

    @classmethod
    @guard_load
    def load(cls, directory) -> "BigramModel":
        d = Path(directory)
        meta, a, _ = load_bundle(d, KIND, {"counts": Arr("f", 1, lo=0, finite=True), "bigram_keys": Arr("i", 1, lo=0),
                                          "bigram_counts": Arr("i", 1, lo=0)}, schema=BIGRAM_SCHEMA)
        vocab = Dictionary.load(d / "vocab")
        if a["counts"].shape[0] != len(vocab) + K.N_CLASSES:
            raise ModelFormatError(d / "arrays.npz", "counts do not match the vocabulary")
        self = cls(vocab, a["counts"], a["bigram_keys"], a["bigram_counts"], lam=meta["lam"],
                   alpha=meta["alpha"], unk_p=meta["unk_p"], meta=meta)
        with np.errstate(all="ignore"):
            uni_ok = bool(np.isfinite(self.uni).all() and (self.uni > 0).all())
        if not uni_ok:                # e.g. counts summing past the float range, or all zero
            raise ModelFormatError(d / "arrays.npz", "counts give no finite positive word probabilities "
                                                     "(their total is zero or beyond the float range)")
        cand = meta.get("candidates")
        if cand is not None:
            from .hmm import HMMSegmenter
            self.set_candidates(HMMSegmenter.load(d / "hmm"), cand["cost"], cand["maxlen"])
        return self


_NONE = np.zeros(0, np.int32)
_NONE_F = np.zeros(0, np.float64)
_NONE_F2 = np.zeros((0, 0), np.float32)


def bigram_table(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Open-addressing table (linear probing, load <= 0.6) of ``key << 32 | count``, built with numpy.

    Same layout rules as :func:`cnlp.segmentation._lattice_kernels.build_bigram_table` (each key at or
    after its home slot, no empty slot in between), built in O(n log n) whatever the keys: sorted
    by home slot, each key goes to ``max(home, previous + 1)`` (a running maximum); when the last
    cluster runs past the end, the circle is cut after an empty slot instead. Duplicate keys
    are refused (``ValueError``).
    """
    n = keys.shape[0]
    size = 1 << max(4, int(n / 0.6).bit_length())
    table = np.zeros(size, np.int64)
    if n == 0:
        return table
    keys = keys.astype(np.int64)
    if np.unique(keys).shape[0] != n:
        raise ValueError(f"bigram_keys holds {n - np.unique(keys).shape[0]} duplicate keys")
    packed = (keys << 32) | np.minimum(counts, 2**31 - 1).astype(np.int64)
    home = fib_slots(keys, size - 1).astype(np.int64)
    idx = np.arange(n, dtype=np.int64)
    rot = 0
    for _ in range(8):
        h = (home - rot) & (size - 1)
        order = np.argsort(h, kind="stable")
        pos = np.maximum.accumulate(h[order] - idx) + idx
        if pos[-1] < size:
            table[(pos + rot) & (size - 1)] = packed[order]
            return table
        # cut the circle where the last cluster starts (the slot before it is empty)
        gaps = np.flatnonzero(np.diff(pos) > 1)
        rot = (rot + int(pos[gaps[-1] + 1] if gaps.shape[0] else pos[0])) & (size - 1)
    raise ValueError("cannot lay out the bigram table")      # not reached: load <= 0.6


class LatticeSegmenter(Segmenter):
    """Viterbi over the word lattice with the interpolated bigram model.

    User words: forced ones are the only node over their span and no node crosses them;
    suggested ones are extra nodes scored as a word of their user frequency (``freq`` given to
    ``add_word``, else ``suggest_count`` occurrences in the training corpus) when that is more than
    the model gives them, plus ``suggest_bonus`` (log scale); preferred ones are such nodes with
    ``prefer_margin`` instead of ``suggest_bonus``, and are merged after decoding when the best path
    cuts at both of their edges.
    """

    def __init__(self, model: BigramModel, *, user_dict=None, suggest_bonus: float = 1.0,
                 suggest_count: int = 100, prefer_margin: float = PREFER_MARGIN):
        self.model = model
        self.user_dict = as_user_dictionary(user_dict)
        self.suggest_bonus = float(suggest_bonus)
        self.suggest_count = int(suggest_count)
        self.prefer_margin = float(prefer_margin)

    def _user_nodes(self, codes, folded):
        """Forced spans (per-position arrays), extra nodes for preferred and suggested words (list of
        start, end, id, bonus) and the preferred spans (starts, ends) or None."""
        from ..text import from_codes
        ud = self.user_dict
        m = self.model
        n = codes.shape[0]
        unk = len(m.vocab) + K.UNK
        s, e, md, fr = ud.spans(folded)
        span_end = np.full(n, -1, np.int32)
        span_id = np.full(n, unk, np.int32)
        extra = []
        total = m.counts.sum()
        for a, b, mode, freq in zip(s.tolist(), e.tolist(), md.tolist(), fr.tolist()):
            wid = trie_get(m.vocab.trie, from_codes(folded[a:b]), unk)
            if mode == FORCE:
                span_end[a], span_id[a] = b, wid
            elif b > a + 1:
                p_user = (freq if freq >= 0 else self.suggest_count) / total
                gain = float(np.log(p_user / m.uni[wid])) if p_user > 0 else 0.0
                bonus = self.prefer_margin if mode == PREFER else self.suggest_bonus
                extra.append((a, b, wid, bonus + max(0.0, gain)))
        if not (md == FORCE).any():
            span_end = span_id = _NONE
        pf = md == PREFER
        return span_end, span_id, extra, ((s[pf], e[pf]) if pf.any() else None)

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        m = self.model
        ud = self.user_dict
        se = si = _NONE
        extra = []
        prefer = None
        if ud is not None and ud._entries:
            from ..text import fold_width
            folded = fold_width(codes)
            se, si, extra, prefer = self._user_nodes(codes, folded)
        if extra:
            extra.sort()
            a = np.asarray(extra, np.float64)
            off = np.searchsorted(a[:, 0], np.arange(codes.shape[0] + 1)).astype(np.int32)
            ee, ei, eb = a[:, 1].astype(np.int32), a[:, 2].astype(np.int32), a[:, 3].copy()
        else:
            off = ee = ei = _NONE
            eb = _NONE_F
        t = m.vocab.fwd
        from ..text import _BMP_TABLE
        out = K.lattice_viterbi(codes, _BMP_TABLE, t.root, t.htab, t.word, m.present, K.SUFFIXES,
                                m.uni, m.hist, m.table, m.lam, se, si, off, ee, ei, eb,
                                *m.hmm_arrays, m.cand_maxlen, m.cand_cost)
        if prefer is not None:
            out = merge_preferred(out, codes.shape[0], *prefer)
        return out

    def _bounds_many(self, codes: np.ndarray, offsets: np.ndarray):
        m = self.model
        t = m.vocab.fwd
        from ..text import _BMP_TABLE
        return K.lattice_many(codes, offsets, _BMP_TABLE, t.root, t.htab, t.word, m.present, K.SUFFIXES,
                              m.uni, m.hist, m.table, m.lam, *m.hmm_arrays, m.cand_maxlen, m.cand_cost)

    @classmethod
    @guard_load
    def load(cls, directory, **kw) -> "LatticeSegmenter":
        return cls(BigramModel.load(directory), **kw)


#: chosen by scripts/tune_bigram.py on a dev split of 199801.txt (best dev F1 0.9363)
TUNED = {"lam": 0.3, "alpha": 1.0, "unk_p": 1e-7, "classes": "latin", "cand_cost": 19.0, "cand_maxlen": 4}
_STATS_PARAMS = ("lam", "alpha", "unk_p", "classes")
