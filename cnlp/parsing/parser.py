"""``ArcHybridParser``: labelled arc-hybrid dependency parsing with an averaged structured perceptron.

The transition system, the feature templates, beam search and the training epoch are Numba kernels
(:mod:`cnlp.parsing._kernels`); this class owns the label / tag vocabularies, validation, the epoch
loop (shuffling, dev scores, early stopping, averaging) and the model files.
Weights are one float32 row of ``1 + 2 * n_labels`` action scores per hashed feature id seen on a
gold transition sequence in training (``min_count`` times); other features have no weight.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from ..errors import ModelFormatError, NotFittedError, require_data
from ..io import atomic_directory, load_bundle, save_bundle
from ..text import fold_width, to_codes
from . import _kernels as K
from .conllu import UDSentence, projectivize

__all__ = ["ArcHybridParser", "KIND"]

KIND = "arc_hybrid"
ROOT = "root"
_MAX_BITS = 26
#: a weight row with at least 1 / DENSE_SHARE of the actions non-zero is kept dense (see :func:`pack_rows`)
DENSE_SHARE = 5


def _check_input(words, tags) -> tuple[list[str], list[str]]:
    if isinstance(words, str) or not isinstance(words, (list, tuple)):
        raise TypeError(f"parse() expects words as a list of str, got {type(words).__name__}")
    if isinstance(tags, str) or not isinstance(tags, (list, tuple)):
        raise TypeError(f"parse() expects tags as a list of str, got {type(tags).__name__}")
    if len(words) != len(tags):
        raise ValueError(f"parse() got {len(words)} words and {len(tags)} tags")
    for i, (w, t) in enumerate(zip(words, tags)):
        if not isinstance(w, str) or not isinstance(t, str):
            raise TypeError(f"parse() expects str words and tags; item {i} is "
                            f"{type(w).__name__}/{type(t).__name__}")
        if not w:
            raise ValueError(f"parse() got an empty word at position {i}")
    return list(words), list(tags)


class ArcHybridParser:
    """Labelled arc-hybrid transition parser (averaged perceptron, beam search with early update).

    Parameters
    ----------
    beam : int
        Beam width in training and the default for parsing (1 = greedy: static-oracle updates at
        every wrong transition).
    n_iter : int
        Maximum epochs; with a dev set the epoch with the best dev LAS is kept (``patience``).
    bits : int
        log2 of the hashed feature space.
    min_count : int
        Features seen on fewer gold transitions get no weight row.
    treebank_features : bool
        Add a copy of every template conjoined with the sentence's treebank, so one model learns
        each treebank's conventions (parse in a treebank's style with ``treebank=``).
    random_state : int
        Seed of the epoch shuffles (and of the exploration draws of the dynamic oracle).
    oracle : {"static", "dynamic"}
        Greedy training only (``beam=1``). ``"static"``: the parser follows the gold transition
        sequence and is updated at every step where it predicts another action. ``"dynamic"``
        (Goldberg & Nivre 2013): at every step, every action gets a cost (the gold arcs it makes
        unreachable); the update is towards the best-scoring zero-cost action when the predicted
        one has a cost, and after ``explore_after`` epochs the parser follows its own prediction
        with probability ``explore``, so it also learns what to do after its own mistakes.
    explore : float
        Dynamic oracle: probability of following a wrong prediction (0: never explore).
    explore_after : int
        Dynamic oracle: epochs trained without exploration first.

    Examples
    --------
    >>> p = ArcHybridParser.load(model_path("dep"))                   # doctest: +SKIP
    >>> p.parse(["他", "喜欢", "北京"], ["PRON", "VERB", "PROPN"])        # doctest: +SKIP
    ([2, 0, 2], ['nsubj', 'root', 'obj'])
    """

    def __init__(self, *, beam: int = 8, n_iter: int = 15, bits: int = 22, min_count: int = 1,
                 treebank_features: bool = False, patience: int = 3, random_state: int = 0,
                 verbose: bool = True, oracle: str = "static", explore: float = 0.9, explore_after: int = 1):
        self.beam = beam
        self.n_iter = n_iter
        self.bits = bits
        self.min_count = min_count
        self.treebank_features = treebank_features
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self.oracle = oracle
        self.explore = explore
        self.explore_after = explore_after

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("beam", "n_iter", "bits", "min_count", "treebank_features",
                                              "patience", "random_state", "verbose", "oracle", "explore",
                                              "explore_after")}

    # ------------------------------------------------------------------ encoding
    def _set_vocab(self, labels, tags, treebanks, feature_ids, weights, default_treebank, sparse=None):
        self.labels_ = list(labels)
        self.tags_ = list(tags)
        self.treebanks_ = list(treebanks)
        self._label_ix = {l: i for i, l in enumerate(self.labels_)}
        self._tag_ix = {t: i for i, t in enumerate(self.tags_)}
        self._tb_ix = {t: i for i, t in enumerate(self.treebanks_)}
        self.root_label_ = self._label_ix[ROOT]
        if not hasattr(self, "guide_"):
            self.guide_ = None
        n_templates = K.N_TEMPLATES + (K.N_GUIDE if self.guide_ is not None else 0)
        self.n_feats_ = n_templates * (2 if self.treebank_features else 1)
        self.mask_ = (1 << self.bits) - 1
        self.default_treebank_ = default_treebank
        self._set_weights(feature_ids, weights, sparse)

    def _set_weights(self, feature_ids, weights=None, sparse=None, prune: float = 0.0):
        """Keep the rows of dense ``weights`` (or ``sparse`` = (ptr, act, val)) in the parse layout
        (:func:`pack_rows`): only entries with |w| > ``prune``; rows left empty are dropped."""
        ids = np.ascontiguousarray(feature_ids, np.int64)
        if sparse is None:
            w = np.asarray(weights, np.float32)
            nz = np.abs(w) > prune
            counts = nz.sum(axis=1)
            keep = counts > 0
            ids, w, nz, counts = ids[keep], w[keep], nz[keep], counts[keep]
            ptr = np.zeros(len(ids) + 1, np.int64)
            np.cumsum(counts, out=ptr[1:])
            rows, act = np.nonzero(nz)
            sparse = (ptr, act, w[rows, act])
        ptr, act, val = sparse
        n_actions = 1 + 2 * len(self.labels_)
        self.index_, self.row_ent_, self.row_dense_ = pack_rows(ids, ptr, act, val, self.bits, n_actions)

    def _tb(self, treebank) -> int:
        if treebank is None:
            treebank = self.default_treebank_
        if treebank is None or not self.treebank_features:
            return -1
        if treebank not in self._tb_ix:
            raise ValueError(f"unknown treebank {treebank!r}; this model knows {self.treebanks_}")
        return self._tb_ix[treebank]

    def _table(self, words: list[str], tags: list[str]) -> np.ndarray:
        """The token table of one sentence (kernel input)."""
        m = len(words)
        if m:
            bounds = np.zeros(m + 1, np.int32)
            np.cumsum([len(w) for w in words], out=bounds[1:])
            return self._code_table(to_codes("".join(words)), bounds, tags)
        out = np.empty((m + 2, self._width()), np.int64)
        out[0] = -2
        out[1] = -3
        return out

    def _code_table(self, codes: np.ndarray, bounds: np.ndarray, tags, guide_ids=None) -> np.ndarray:
        """The token table of the words between ``bounds`` (at least one) of the code points ``codes``;
        ``guide_ids``: the guide tagger's ids of those words when the caller has them."""
        m = len(bounds) - 1
        out = np.empty((m + 2, self._width()), np.int64)
        unk = len(self.tags_)
        tag_ids = np.array([self._tag_ix.get(t, unk) for t in tags], np.int64)
        if self.guide_ is None:
            guide = np.zeros(0, np.int64)
        else:
            guide = (self.guide_.predict_ids(codes, bounds) if guide_ids is None else guide_ids).astype(np.int64)
        K.word_table(fold_width(codes), bounds, tag_ids, guide, out)
        return out

    def parse_codes(self, codes: np.ndarray, bounds: np.ndarray, tags, *, guide_ids=None, beam: int | None = None,
                    treebank: str | None = None):
        """:meth:`parse` of the words between the cut offsets ``bounds`` of the code points ``codes``
        (a pipeline's; no whitespace-only word), with ``guide_ids`` the ids this parser's guide
        tagger gives them when the caller has them: ``(heads, relations)`` as lists."""
        self._check_fitted()
        n = len(bounds) - 1
        if n <= 0:
            return [], []
        heads = np.empty(n, np.int32)
        labels = np.empty(n, np.int32)
        K.parse_sentence(self._code_table(codes, bounds, tags, guide_ids), n, self.index_, self.row_ent_,
                         self.row_dense_, len(self.labels_), self.root_label_, self._tb(treebank), self.mask_,
                         self.n_feats_, self._beam(beam), heads, labels)
        names = self.labels_
        return heads.tolist(), [names[i] for i in labels.tolist()]

    def _width(self) -> int:
        """Columns of a token table: a ``TG`` column more with a guide tagger."""
        return K.N_TOK + (1 if getattr(self, "guide_", None) is not None else 0)

    def _tables(self, pairs) -> tuple[np.ndarray, np.ndarray]:
        tabs = [self._table(w, t) for w, t in pairs]
        offsets = np.zeros(len(tabs) + 1, np.int64)
        np.cumsum([len(t) for t in tabs], out=offsets[1:])
        toks = np.concatenate(tabs) if tabs else np.zeros((0, self._width()), np.int64)
        return np.ascontiguousarray(toks), offsets

    # ------------------------------------------------------------------ parsing
    def _check_fitted(self):
        if not hasattr(self, "row_ent_"):
            raise NotFittedError("ArcHybridParser: call fit() or load() first")

    def parse(self, words, tags, *, beam: int | None = None, treebank: str | None = None):
        """Heads (1-based, 0 = root) and relations of one sentence: ``(list[int], list[str])``.

        Always one tree: exactly one word has head 0 (relation ``root``), no cycles.
        ``beam``: width (default the training width; 1 = greedy). Tags outside the training tag
        set are treated as one unknown tag.
        """
        self._check_fitted()
        words, tags = _check_input(words, tags)
        if not words:
            return [], []
        n = len(words)
        heads = np.empty(n, np.int32)
        labels = np.empty(n, np.int32)
        K.parse_sentence(self._table(words, tags), n, self.index_, self.row_ent_, self.row_dense_,
                         len(self.labels_), self.root_label_, self._tb(treebank), self.mask_, self.n_feats_,
                         self._beam(beam), heads, labels)
        names = self.labels_
        return heads.tolist(), [names[i] for i in labels.tolist()]

    def _beam(self, beam) -> int:
        b = self.beam if beam is None else beam
        if isinstance(b, bool) or not isinstance(b, (int, np.integer)) or not 1 <= b <= 256:
            raise ValueError(f"beam must be an int in 1..256, got {b!r}")
        return int(b)

    def parse_many(self, pairs, *, beam: int | None = None, treebank: str | None = None):
        """:meth:`parse` over a list of ``(words, tags)`` in one kernel call; list of (heads, deprels)."""
        self._check_fitted()
        pairs = [_check_input(w, t) for w, t in pairs]
        toks, offsets = self._tables(pairs)
        total = sum(len(w) for w, _ in pairs)
        heads = np.empty(total, np.int32)
        labels = np.empty(total, np.int32)
        tbs = np.full(len(pairs), self._tb(treebank), np.int64)
        K.parse_batch(toks, offsets, tbs, self.index_, self.row_ent_, self.row_dense_,
                      len(self.labels_), self.root_label_,
                      self.mask_, self.n_feats_, self._beam(beam), heads, labels)
        names = self.labels_
        out, k = [], 0
        for w, _ in pairs:
            m = len(w)
            out.append((heads[k:k + m].tolist(), [names[i] for i in labels[k:k + m].tolist()]))
            k += m
        return out

    def warmup(self) -> "ArcHybridParser":
        self.parse(["中文", "句法", "分析"], ["NOUN", "NOUN", "VERB"], beam=1)
        self.parse(["中文", "句法", "分析"], ["NOUN", "NOUN", "VERB"], beam=2)
        return self

    # ------------------------------------------------------------------ training
    def fit(self, sents: list[UDSentence], *, dev: list[UDSentence] | None = None,
            dev_treebank: str | None = None, default_treebank: str | None = None, guide=None) -> "ArcHybridParser":
        """Train on UD sentences (their ``upos`` are the tags the parser reads; non-projective
        trees are projectivized, ``n_lifted_`` arcs in ``n_nonprojective_`` sentences). With
        ``dev`` the epoch with the best dev LAS (beam = ``self.beam``) is kept. ``guide``: a
        :class:`cnlp.pos.tagger.POSTagger` of another tag set (:func:`cnlp.parsing.frontend.train_guide`)
        whose tags of the words are features too (the parser runs it on every sentence it parses,
        and saves it in ``guide/``)."""
        t0 = time.perf_counter()
        if self.oracle not in ("static", "dynamic"):
            raise ValueError(f"oracle must be 'static' or 'dynamic', got {self.oracle!r}")
        if self.oracle == "dynamic" and self.beam != 1:
            raise ValueError(f"the dynamic oracle trains greedily: it needs beam=1, got beam={self.beam}")
        if not 0.0 <= self.explore <= 1.0:
            raise ValueError(f"explore must be in [0, 1], got {self.explore!r}")
        require_data(sum(1 for s in sents if s.forms), "the training sentences", "dependency trees")
        self.guide_ = guide
        labels = sorted({r for s in sents for r in s.deprels} | {ROOT})
        tags = sorted({t for s in sents for t in s.upos})
        treebanks = sorted({s.treebank for s in sents})
        L = len(labels)
        if L > 63:
            raise ValueError(f"at most 63 relations are supported, got {L}")
        self._set_vocab(labels, tags, treebanks, np.zeros(0, np.int64), np.zeros((0, 1 + 2 * L), np.float32),
                        default_treebank)
        golds_h, golds_l, pairs, tbs = [], [], [], []
        self.n_lifted_ = self.n_nonprojective_ = 0
        for s in sents:
            heads, lifted = projectivize(s.heads)
            self.n_lifted_ += lifted
            self.n_nonprojective_ += lifted > 0
            rels = [ROOT if h == 0 else (r if r != ROOT else "dep") for h, r in zip(heads, s.deprels)]
            golds_h.append(heads)
            golds_l.append([self._label_ix[r] for r in rels])
            pairs.append((s.forms, s.upos))
            tbs.append(self._tb_ix[s.treebank] if self.treebank_features else -1)
        toks, offsets = self._tables(pairs)
        tbs = np.array(tbs, np.int64)
        golds = np.full(2 * (len(toks) - 2 * len(sents)), -1, np.int32)
        gheads = np.zeros(len(toks), np.int64)       # the gold tree on the token rows (dynamic oracle)
        glabels = np.zeros(len(toks), np.int64)
        self.n_unreachable_ = 0
        k = 0
        for i, (h, l) in enumerate(zip(golds_h, golds_l)):
            n = len(h)
            gheads[offsets[i] + 1:offsets[i] + 1 + n] = h
            glabels[offsets[i] + 1:offsets[i] + 1 + n] = l
            ok = K.gold_actions(np.array([0, *h], np.int64), np.array([0, *l], np.int64), n, L,
                                golds[k:k + 2 * n])
            if not ok:
                golds[k:k + 2 * n] = -1
                self.n_unreachable_ += 1
            k += 2 * n
        feats = np.empty((len(golds), self.n_feats_), np.int64)
        K.gold_features(toks, offsets, tbs, golds, self.mask_, self.n_feats_, L, feats)
        ids, counts = np.unique(feats[feats >= 0], return_counts=True)
        del feats
        ids = ids[counts >= self.min_count]
        A = 1 + 2 * L
        self._set_vocab(labels, tags, treebanks, ids, np.zeros((len(ids), A), np.float32), default_treebank)
        index = np.full(1 << self.bits, -1, np.int32)
        index[ids] = np.arange(len(ids), dtype=np.int32)
        W = np.zeros((len(ids), A), np.float32)
        U = np.zeros(W.shape, np.float64)
        rng = np.random.default_rng(self.random_state)
        order = np.arange(len(sents), dtype=np.int64)
        c, best, best_w, bad = 0, -1.0, None, 0
        self.training_log_ = []
        dev_pairs = [(s.forms, s.upos) for s in dev] if dev else None
        from tqdm import trange
        bar = trange(self.n_iter, disable=not self.verbose, desc="dep", leave=False)
        for epoch in bar:
            rng.shuffle(order)
            if self.oracle == "dynamic":
                explore = float(self.explore) if epoch >= self.explore_after else 0.0
                c, n_upd = K.train_epoch_dynamic(toks, offsets, tbs, golds, gheads, glabels, order, index, W, U,
                                                 c, L, self.root_label_, self.mask_, self.n_feats_, explore,
                                                 int(rng.integers(1 << 31)))
            else:
                c, n_upd = K.train_epoch(toks, offsets, tbs, golds, order, index, W, U, c, L,
                                         self.root_label_, self.mask_, self.n_feats_, self.beam)
            avg = _averaged(W, U, max(c, 1))
            entry = {"epoch": epoch + 1, "updates": int(n_upd)}
            if dev_pairs:
                self._set_weights(ids, avg)
                pred = self.parse_many(dev_pairs, treebank=dev_treebank)
                uas, las = attachment_scores(dev, pred)
                entry.update(dev_uas=round(uas, 4), dev_las=round(las, 4))
                if las > best:
                    best, best_w, bad = las, avg, 0
                else:
                    bad += 1
            else:
                best_w = avg
            entry["seconds"] = round(time.perf_counter() - t0, 1)
            self.training_log_.append(entry)
            if self.verbose:                  # the latest entry on the bar; the log is kept in training_log_
                bar.set_postfix(entry, refresh=False)
            if dev_pairs and bad >= self.patience:
                break
        del W, U
        self._set_weights(ids, best_w)
        self.train_seconds_ = round(time.perf_counter() - t0, 1)
        return self

    # ------------------------------------------------------------------ persistence
    def save(self, directory, *, meta: dict | None = None, prune: float = 0.0, float16: bool = True) -> Path:
        """Write ``meta.json`` + ``arrays.npz``: the sorted feature ids and their sparse rows
        (entries with |weight| <= ``prune`` dropped; values as float16 unless ``float16=False``)."""
        self._check_fitted()
        ids, ptr, act, val = unpack_rows(self.index_, self.row_ent_, self.row_dense_, 1 + 2 * len(self.labels_))
        if prune > 0:
            rows = np.repeat(np.arange(len(ids)), np.diff(ptr))
            keep = np.abs(val) > prune
            counts = np.bincount(rows[keep], minlength=len(ids))
            ptr = np.zeros(len(ids) + 1, np.int64)
            np.cumsum(counts, out=ptr[1:])
            act, val = act[keep], val[keep]
            nonempty = counts > 0
            ids = ids[nonempty]
            ptr = np.r_[0, np.cumsum(counts[nonempty])].astype(np.int64)
        if float16:
            val = np.clip(val, -65000, 65000).astype(np.float16)
        m = {"task": "dep", "params": self.get_params(), "labels": self.labels_, "tags": self.tags_,
             "treebanks": self.treebanks_, "default_treebank": self.default_treebank_,
             "n_templates": K.N_TEMPLATES, **(meta or {})}
        if self.guide_ is not None:
            m["guide_templates"] = K.N_GUIDE
        for k in ("training_log_", "n_lifted_", "n_nonprojective_", "n_unreachable_", "train_seconds_"):
            if hasattr(self, k) and k[:-1] not in m:
                m[k[:-1]] = getattr(self, k)
        with atomic_directory(directory) as d:     # the guide first, so that the checksums cover it
            if self.guide_ is not None:
                self.guide_.save(d / "guide", meta={"stage": "guide"}, prune=0.0)
            save_bundle(d, KIND, json.loads(json.dumps(m)),
                        {"feature_ids": ids, "row_ptr": ptr, "actions": act, "values": val})
        return Path(directory)

    @classmethod
    def load(cls, directory) -> "ArcHybridParser":
        """Load a saved parser; every inconsistency raises :class:`ModelFormatError` naming the file."""
        meta, arrays, _ = load_bundle(directory, KIND, {"feature_ids": "i", "row_ptr": "i", "actions": "i",
                                                        "values": "f"})
        mpath = Path(directory) / "meta.json"
        apath = Path(directory) / "arrays.npz"

        def need(cond, path, msg):
            if not cond:
                raise ModelFormatError(path, msg)

        params = meta.get("params")
        need(isinstance(params, dict), mpath, "missing 'params'")
        need(meta.get("task") == "dep", mpath, f"task {meta.get('task')!r}, expected 'dep'")
        need(meta.get("n_templates") == K.N_TEMPLATES, mpath,
             f"n_templates {meta.get('n_templates')!r}; this cnlp extracts {K.N_TEMPLATES}")
        labels, tags, tbs = meta.get("labels"), meta.get("tags"), meta.get("treebanks")
        for name, v in (("labels", labels), ("tags", tags), ("treebanks", tbs)):
            need(isinstance(v, list) and all(isinstance(x, str) for x in v) and len(set(v)) == len(v), mpath,
                 f"{name!r} must be a list of distinct strings")
        need(ROOT in labels and 1 <= len(labels) <= 63, mpath, "labels must contain 'root' (at most 63 labels)")
        bits = params.get("bits")
        need(isinstance(bits, int) and not isinstance(bits, bool) and 8 <= bits <= _MAX_BITS, mpath,
             f"bits must be an int in 8..{_MAX_BITS}, got {bits!r}")
        beam = params.get("beam")
        need(isinstance(beam, int) and not isinstance(beam, bool) and 1 <= beam <= 256, mpath,
             f"beam must be an int in 1..256, got {beam!r}")
        need(params.get("oracle", "static") in ("static", "dynamic"), mpath,
             f"oracle must be 'static' or 'dynamic', got {params.get('oracle')!r}")
        ex = params.get("explore", 0.9)
        need(isinstance(ex, (int, float)) and not isinstance(ex, bool) and 0 <= ex <= 1, mpath,
             f"explore must be a number in 0..1, got {ex!r}")
        ea = params.get("explore_after", 1)
        need(isinstance(ea, int) and not isinstance(ea, bool) and ea >= 0, mpath,
             f"explore_after must be an int >= 0, got {ea!r}")
        gt = meta.get("guide_templates")
        need(gt is None or gt == K.N_GUIDE, mpath, f"guide_templates {gt!r}; this cnlp extracts {K.N_GUIDE}")
        dtb = meta.get("default_treebank")
        need(dtb is None or dtb in tbs, mpath, f"default_treebank {dtb!r} is not one of {tbs}")
        ids, ptr, act, val = (arrays[k] for k in ("feature_ids", "row_ptr", "actions", "values"))
        n_actions = 1 + 2 * len(labels)
        for name, a in (("feature_ids", ids), ("row_ptr", ptr), ("actions", act), ("values", val)):
            need(a.ndim == 1, apath, f"{name} must be 1-D, got shape {a.shape}")
        need(ids.size == 0 or (ids[0] >= 0 and ids[-1] < (1 << bits) and bool(np.all(np.diff(ids) > 0))),
             apath, f"feature_ids must be strictly increasing in 0..2**{bits}-1")
        need(len(ptr) == len(ids) + 1 and ptr[0] == 0 and ptr[-1] == len(act) == len(val)
             and bool(np.all(np.diff(ptr) >= 0)), apath,
             f"row_ptr must run from 0 to len(actions) = len(values) over {len(ids)} rows, non-decreasing")
        need(act.size == 0 or (int(act.min()) >= 0 and int(act.max()) < n_actions), apath,
             f"actions must be in 0..{n_actions - 1}")
        inrow = np.ones(max(len(act) - 1, 0), np.bool_)
        starts = ptr[1:-1]
        inrow[starts[(starts > 0) & (starts < len(act))] - 1] = False
        need(bool(np.all(np.diff(act.astype(np.int16, copy=False))[inrow] > 0)), apath,
             "actions must be strictly increasing within each row")
        val = val.astype(np.float32)
        need(bool(np.isfinite(val).all()), apath, "values must be finite")
        p = cls(**{k: params[k] for k in ("beam", "n_iter", "bits", "min_count", "treebank_features",
                                          "patience", "random_state", "verbose", "oracle", "explore",
                                          "explore_after") if k in params})
        need(isinstance(p.treebank_features, bool), mpath, "treebank_features must be a bool")
        if gt is not None:
            from ..pos.tagger import POSTagger
            p.guide_ = POSTagger.load(Path(directory) / "guide")
        p._set_vocab(labels, tags, tbs, ids.astype(np.int64), None, dtb,
                     sparse=(ptr.astype(np.int64), act, val))
        p.meta_ = meta
        return p


def _averaged(W: np.ndarray, U: np.ndarray, c: int, chunk: int = 1 << 16) -> np.ndarray:
    """``(W - U / c)`` as float32, computed a block of rows at a time: the same values as the one
    expression, without its two float64 temporaries of the size of ``U`` (gigabytes on large
    training sets)."""
    out = np.empty(W.shape, np.float32)
    for a in range(0, len(W), chunk):
        out[a:a + chunk] = W[a:a + chunk] - U[a:a + chunk] / c
    return out


def pack_rows(ids, ptr, act, val, bits: int, n_actions: int):
    """The parse layout (:mod:`cnlp.parsing._kernels`) of sparse weight rows: feature ``ids[i]`` has
    the scores ``val[ptr[i]:ptr[i + 1]]`` of the distinct actions ``act[...]``. Returns ``(index,
    ent, dense)``: rows with at least ``n_actions / DENSE_SHARE`` scores become dense float32 rows
    (width ``n_actions`` rounded up to a multiple of 8), the others uint64 entries; empty rows get
    no index entry. ``index`` is int32 unless its codes need int64."""
    if not 1 <= n_actions <= (1 << K.LEN_BITS) - 1:
        raise ValueError(f"n_actions must be in 1..{(1 << K.LEN_BITS) - 1}, got {n_actions}")
    ptr = np.ascontiguousarray(ptr, np.int64)
    lens = np.diff(ptr)
    dense_min = -(-n_actions // DENSE_SHARE)
    is_dense = lens >= dense_min
    n_sparse = int(lens[~is_dense].sum())
    n_codes = max(int(is_dense.sum()), n_sparse) << K.LEN_BITS
    index = np.full(1 << bits, -1, np.int64 if n_codes >= np.iinfo(np.int32).max else np.int32)
    ent = np.empty(n_sparse, np.uint64)
    dense = np.zeros((int(is_dense.sum()), (n_actions + 7) // 8 * 8), np.float32)
    K.pack_rows(np.ascontiguousarray(ids, np.int64), ptr, np.ascontiguousarray(act, np.int16),
                np.ascontiguousarray(val, np.float32).view(np.uint32), dense_min, index, ent, dense)
    return index, ent, dense


def unpack_rows(index, ent, dense, n_actions: int):
    """Inverse of :func:`pack_rows`: ``(ids, ptr, act, val)`` (sorted ids; actions increasing within
    a row; the zeros of dense rows dropped)."""
    ids = np.flatnonzero(index >= 0).astype(np.int64)
    codes = index[ids].astype(np.int64)
    start, lens = codes >> K.LEN_BITS, codes & ((1 << K.LEN_BITS) - 1)
    is_dense = lens == 0
    nz = dense[start[is_dense], :n_actions] != 0
    lens[is_dense] = nz.sum(axis=1)
    ptr = np.zeros(len(ids) + 1, np.int64)
    np.cumsum(lens, out=ptr[1:])
    entry_dense = np.repeat(is_dense, lens)
    act = np.empty(int(ptr[-1]), np.int16)
    val = np.empty(int(ptr[-1]), np.float32)
    pos = (np.arange(int(ptr[-1])) + np.repeat(start - ptr[:-1], lens))[~entry_dense]
    act[~entry_dense] = (ent[pos] >> np.uint64(32)).astype(np.int16)
    val[~entry_dense] = (ent[pos] & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.float32)
    r, a = np.nonzero(nz)
    act[entry_dense] = a
    val[entry_dense] = dense[start[is_dense][r], a]
    return ids, ptr, act, val


def attachment_scores(gold: list[UDSentence], pred) -> tuple[float, float]:
    """(UAS, LAS) of predicted ``(heads, deprels)`` against gold sentences (same words; CoNLL 2018:
    relation subtypes ignored, punctuation included)."""
    n = u = l = 0
    for s, (h, r) in zip(gold, pred):
        for gh, gr, ph, pr in zip(s.heads, s.deprels, h, r):
            n += 1
            if gh == ph:
                u += 1
                l += gr.split(":")[0] == pr.split(":")[0]
    return (u / n, l / n) if n else (0.0, 0.0)
