"""Segmentation by BMES tagging with a linear sequence model (averaged perceptron; CRF next).

User words constrain the Viterbi: forced words fix their characters to ``B M* E`` / ``S``
(:func:`cnlp.dictionary.bmes_mask`), suggested words add ``suggest_bias`` per character to the labels
that make them words (:func:`cnlp.dictionary.bmes_bias`), and whitespace runs are always words of
their own.
"""
from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

import numpy as np

from ..dictionary import Dictionary, as_user_dictionary, bmes_bias, bmes_mask
from ..io import load_meta, model_path
from ..sequence.features import NON_LEXICAL, CharFeatures
from ..sequence.perceptron import PerceptronTagger
from ..text import SPACE, char_classes, fold_width
from .base import Segmenter
from .hmm import _bmes_of_lengths, _labels_to_bounds

__all__ = ["TaggingSegmenter", "default_perceptron", "add_train_arguments", "train_main"]


#: label-score bonus per character of a suggested user word, in units of the model's mean absolute
#: transition score (so it means the same for perceptron and CRF weights). Chosen with
#: benchmarks/user_dict_check.py on the PKU test: high enough that suggested words are followed,
#: low enough that a large third-party dictionary of another standard (jieba's) does not hurt.
SUGGEST_BIAS = 0.35


class TaggingSegmenter(Segmenter):
    """BMES tagger → segmenter. ``tagger`` has ``predict_single(X, allowed, bias)`` and ``trans_``;
    ``features`` has ``transform_codes(codes) -> int32 (n, T)``. ``suggest_bias``: score added per
    character to the labels of a suggested user word, as a multiple of the mean absolute transition
    score (forced words are hard constraints)."""

    def __init__(self, tagger, features: CharFeatures, *, user_dict=None, suggest_bias: float = SUGGEST_BIAS):
        self.tagger = tagger
        self.features = features
        self.user_dict = as_user_dictionary(user_dict)
        self.suggest_bias = float(suggest_bias)

    def _constraints(self, codes: np.ndarray):
        """(allowed bool (n, 4) or None, bias float (n, 4) or None) from the user dictionary."""
        n = codes.shape[0]
        ud = self.user_dict
        starts, ends, force = [], [], []
        bias = None
        if ud is not None and len(ud):
            s, e, f = ud.constraints(fold_width(codes))
            starts, ends, force = s[f].tolist(), e[f].tolist(), [True] * int(f.sum())
            if self.suggest_bias and not f.all():
                scale = float(np.abs(self.tagger.trans_).mean()) or 1.0
                bias = bmes_bias(n, s[~f], e[~f], self.suggest_bias * scale)
        cls = char_classes(codes)
        if (cls == SPACE).any():        # whitespace runs are words of their own
            sp = np.flatnonzero(cls == SPACE)
            brk = np.flatnonzero(np.diff(sp) > 1)
            run_s = np.r_[sp[0], sp[brk + 1]]
            run_e = np.r_[sp[brk] + 1, sp[-1] + 1]
            taken = np.zeros(n + 1, bool)
            for a, b in zip(starts, ends):
                taken[a:b] = True
            for a, b in zip(run_s.tolist(), run_e.tolist()):
                if not taken[a:b].any():
                    starts.append(a), ends.append(b), force.append(True)
        if not starts:
            return None, bias
        return bmes_mask(n, np.array(starts), np.array(ends), np.array(force, bool)), bias

    def _bounds(self, codes: np.ndarray) -> np.ndarray:
        X = self.features.transform_codes(codes)
        allowed, bias = self._constraints(codes)
        labels = self.tagger.predict_single(X, allowed, bias)
        return _labels_to_bounds(labels)

    def learn(self, sentences, *, n_iter: int = 10, step: float = 1.0) -> "TaggingSegmenter":
        """Correct the model online from segmented sentences (``partial_fit``).

        ``sentences``: one sentence as a list of words, or a list of such sentences; they are
        learned jointly (passes over all of them until all are right or ``n_iter`` passes).
        """
        if sentences and isinstance(sentences[0], str):
            sentences = [sentences]
        X = [self.features.transform_codes(_codes("".join(w))) for w in sentences]
        frozen = [c for c in NON_LEXICAL if c < self.features.n_templates]   # update character features only
        self.tagger.partial_fit(X, [_labels(w) for w in sentences], n_iter=n_iter, step=step, frozen=frozen)
        return self

    def save(self, directory, *, meta: dict | None = None) -> Path:
        """Tagger bundle in ``directory``; the feature dictionary (if any) in ``directory/dict``."""
        if self.features.dictionary is not None:
            self.features.dictionary.save(Path(directory) / "dict")
        return self.tagger.save(directory, meta={"features": self.features.get_params(), "labels": "BMES",
                                                 **(meta or {})})

    @classmethod
    def load(cls, directory, *, user_dict=None) -> "TaggingSegmenter":
        meta = load_meta(directory, "perceptron")
        fp = meta.get("features", {})
        dictionary = Dictionary.load(Path(directory) / "dict") if fp.get("dict_templates") else None
        feats = CharFeatures(bits=fp.get("bits", 22), dictionary=dictionary)
        return cls(PerceptronTagger.load(directory), feats, user_dict=user_dict)


def _codes(text: str) -> np.ndarray:
    from ..text import to_codes
    return to_codes(text)


def _labels(words: list[str]) -> np.ndarray:
    return _bmes_of_lengths(np.fromiter(map(len, words), np.int64, len(words))).astype(np.int32)


_lock = threading.Lock()
_DEFAULT = {}


def default_perceptron(user_dict=None, **kw) -> TaggingSegmenter:
    with _lock:
        if "perceptron" not in _DEFAULT:
            _DEFAULT["perceptron"] = TaggingSegmenter.load(model_path("cws"))
    base = _DEFAULT["perceptron"]
    return TaggingSegmenter(base.tagger, base.features, user_dict=user_dict,
                            suggest_bias=kw.get("suggest_bias", SUGGEST_BIAS))


# ---------------------------------------------------------------------------------- training
def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", required=True, action="append", metavar="PATH", help="PD98 corpus (repeatable)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--algorithm", choices=["perceptron"], default="perceptron")
    parser.add_argument("--n-iter", type=int, default=10)
    parser.add_argument("--dev-ratio", type=float, default=0.05, help="last fraction of paragraphs held out for dev F1")
    parser.add_argument("--bits", type=int, default=22, help="log2 of the hashed feature space")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=3,
                        help="train this many models (shuffle seeds seed, seed+1, ...) and average their weights")
    parser.add_argument("--no-dict-features", action="store_true",
                        help="no dictionary features (default: words of the training split, min count --dict-min-count)")
    parser.add_argument("--dict-min-count", type=int, default=1)
    parser.add_argument("--folds", type=int, default=5, help="jackknife folds for the dictionary features")


def _dictionary(sents, min_count: int) -> Dictionary:
    from collections import Counter
    counts = Counter(w for s in sents for w in s)
    return Dictionary.from_counts({w: c for w, c in counts.items() if c >= min_count})


def _jackknife_features(sents, bits: int, min_count: int, folds: int) -> list[np.ndarray]:
    """Features of each fold computed with a dictionary of the *other* folds' words.

    Built from the same sentences, dictionary features would mark every training word as known,
    and the model would learn to trust the dictionary blindly (PKU OOV recall 0.80 -> 0.42).
    With held-out dictionaries, unknown words look unknown in training as they do in use.
    """
    X: list = [None] * len(sents)
    fold_of = np.arange(len(sents)) % folds
    for k in range(folds):
        d = _dictionary([s for s, f in zip(sents, fold_of) if f != k], min_count)
        feats = CharFeatures(bits=bits, dictionary=d)
        for i in np.flatnonzero(fold_of == k).tolist():
            X[i] = feats.transform_codes(_codes("".join(sents[i])))
    return X


def train_main(args) -> int:
    from ..corpus.readers import read_pd98
    from ..evaluate import SegEvaluator
    t0 = time.perf_counter()
    sents = [[w for w, _ in s] for p in args.corpus for s in read_pd98(p) if s]
    n_dev = int(len(sents) * args.dev_ratio)
    train, dev = sents[:len(sents) - n_dev], sents[len(sents) - n_dev:]
    dictionary = None
    if not args.no_dict_features:       # closed track: the words of the training split only
        dictionary = _dictionary(train, args.dict_min_count)
    feats = CharFeatures(bits=args.bits, dictionary=dictionary)
    if dictionary is None:
        X = [feats.transform_codes(_codes("".join(s))) for s in train]
    else:
        X = _jackknife_features(train, args.bits, args.dict_min_count, args.folds)
    y = [_labels(s) for s in train]
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]

    def dev_f1(tagger) -> float:
        ev = SegEvaluator()
        for words, x in zip(dev, dev_X):
            text = "".join(words)
            b = _labels_to_bounds(tagger.predict_single(x)).tolist()
            ev.add(words, [text[i:j] for i, j in zip(b, b[1:])])
        return ev.result()["f1"]

    taggers = []
    for k in range(args.seeds):
        t = PerceptronTagger(n_labels=4, n_features=feats.n_features, n_iter=args.n_iter,
                             random_state=args.seed + k, verbose=True)
        taggers.append(t.fit(X, y, dev_score=dev_f1 if dev else None))
    tagger = taggers[0]
    if len(taggers) > 1:           # parameter averaging over shuffle orders (dev F1 0.9577 -> 0.9581)
        for name in ("W_", "trans_", "start_"):
            setattr(tagger, name, (sum(getattr(t, name) for t in taggers) / len(taggers)).astype(np.float32))
        if dev:
            tagger.training_log_ = [t.training_log_ for t in taggers] + [{"averaged_dev": dev_f1(tagger)}]
    seg = TaggingSegmenter(tagger, feats)
    cmd = (f"cnlp train cws --algorithm {args.algorithm} " + " ".join(f"--corpus {p}" for p in args.corpus)
           + f" --out {args.out} --n-iter {args.n_iter} --dev-ratio {args.dev_ratio} --bits {args.bits}"
           + f" --seeds {args.seeds}")
    cmd += " --no-dict-features" if args.no_dict_features else f" --dict-min-count {args.dict_min_count} --folds {args.folds}"
    seg.save(args.out, meta={"command": cmd, "train_seconds": round(time.perf_counter() - t0, 1)})
    print(f"perceptron CWS: {len(train)} train / {len(dev)} dev paragraphs, log {tagger.training_log_}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out}")
    return 0
