"""Segmentation as BMES tagging: the task adapter of ``cnlp train cws`` and of the UD segmenter.

Characters are the positions, :class:`cnlp.sequence.features.CharFeatures` the attributes
(character window, classes and, jackknifed, the words of a dictionary of the training split),
BMES the tag set; the model is a :class:`cnlp.segmentation.tagging.TaggingSegmenter`.
"""
from __future__ import annotations

import numpy as np

from ..corpus.readers import detect_format, read_pd98, read_words
from ..corpus.splits import split_sizes
from ..corpus.stats import CorpusStats
from ..dictionary import Dictionary
from ..errors import require_data
from ..evaluate import SegEvaluator
from ..segmentation.tagging import TaggingSegmenter, _codes, _labels
from ..sequence.features import DEFAULT_EXTRA, CharFeatures
from ..tagset import BMES
from . import dev_scorer as _dev_scorer, fit_linear, jackknife

__all__ = ["CRF_C2", "CRF_MAX_ITER", "CRF_PRUNE", "word_dictionary", "jackknife_features", "training_data",
           "dev_scorer", "train_cws", "Corpus", "read_corpus", "merge_names", "read_lexicon", "multi_training_data",
           "multi_dev_scorer", "LEXICON_MODES", "split_corpus"]

#: CRF defaults of ``cnlp train cws --algorithm crf`` (chosen on the dev split, docs/benchmarks.md)
CRF_C2, CRF_MAX_ITER, CRF_PRUNE = 0.5, 300, 1e-3


def word_dictionary(sents, min_count: int, lexicon=()) -> Dictionary:
    """Dictionary of the words of ``sents`` (lists of words) seen at least ``min_count`` times;
    the counts are :class:`~cnlp.corpus.stats.CorpusStats` word counts. The words of ``lexicon``
    (folded, :func:`read_lexicon`) are added with count 1 when ``sents`` does not have them."""
    stats = CorpusStats.build(sents)
    words = {w: c for w, c in stats.word_items() if c >= min_count}
    for w in lexicon:
        words.setdefault(w, 1)
    return Dictionary.from_counts(words)


def jackknife_features(sents, bits: int, min_count: int, folds: int, extra=(), lexicon=()) -> list[np.ndarray]:
    """Features of each fold computed with a dictionary of the *other* folds' words (and the
    ``lexicon`` words, whole in every fold) (:func:`cnlp.train.jackknife`)."""
    def fit(rest):
        return CharFeatures(bits=bits, dictionary=word_dictionary([sents[i] for i in rest], min_count, lexicon),
                            extra=extra)
    return jackknife(len(sents), folds, fit, lambda feats, i: feats.transform_codes(_codes("".join(sents[i]))))


def training_data(corpus, *, dev_ratio: float = 0.05, bits: int = 22, dict_features: bool = True,
                  dict_min_count: int = 1, folds: int = 5, extra=()):
    """(train words, dev words, features, X, y, dev_X) as ``cnlp train cws`` builds them for corpora of
    one standard (any format of :func:`cnlp.corpus.readers.read_words`): the last
    ``dev_ratio`` of the paragraphs held out, the dictionary of the training split, and jackknifed
    dictionary features for the training sentences. Unlike the CLI (``DEFAULT_EXTRA``, ``DEFAULT_EXTRA_CRF``), ``extra``
    defaults to no optional templates, the feature set of the python-crfsuite comparison."""
    sents = [s for p in corpus for s in read_words(p) if s]
    n_dev = int(len(sents) * dev_ratio)
    train, dev = sents[:len(sents) - n_dev], sents[len(sents) - n_dev:]
    require_data(len(train), corpus, "segmented sentences")
    dictionary = word_dictionary(train, dict_min_count) if dict_features else None   # closed track
    feats = CharFeatures(bits=bits, dictionary=dictionary, extra=extra)
    if dictionary is None:
        X = [feats.transform_codes(_codes("".join(s))) for s in train]
    else:
        X = jackknife_features(train, bits, dict_min_count, folds, extra)
    y = [_labels(s) for s in train]
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]
    return train, dev, feats, X, y, dev_X


def dev_scorer(dev, dev_X):
    """``f(tagger) -> F1`` of the tagger's Viterbi output on the dev words (:class:`cnlp.evaluate.SegEvaluator`)."""
    def words(i, labels):
        text = "".join(dev[i])
        b = BMES.decode_spans(labels).tolist()
        return [text[s:e] for s, e in zip(b, b[1:])]
    return _dev_scorer(dev_X, dev, SegEvaluator, words, lambda r: r["f1"])


def train_cws(train: list[list[str]], dev: list[list[str]] = (), *, n_iter: int = 10, seeds: int = 1,
              bits: int = 22, folds: int = 5, extra=DEFAULT_EXTRA, lexicon=(),
              verbose: bool = False) -> TaggingSegmenter:
    """A :class:`TaggingSegmenter` (averaged perceptron over BMES labels with jackknifed dictionary
    features of the words of ``train``, as ``cnlp train cws``) trained on word lists; ``lexicon``:
    more words (e.g. :func:`read_lexicon` of a word list) in the dictionary of every fold and of
    the model."""
    extra = list(extra)
    lexicon = list(lexicon)
    feats = CharFeatures(bits=bits, dictionary=word_dictionary(train, 1, lexicon), extra=extra)
    X = jackknife_features(train, bits, 1, folds, extra, lexicon)
    y = [_labels(s) for s in train]
    dev = list(dev)
    dev_X = [feats.transform_codes(_codes("".join(s))) for s in dev]
    model = fit_linear("perceptron", X, y, n_labels=4, n_features=feats.n_features,
                       dev_score=dev_scorer(dev, dev_X) if dev else None, seeds=seeds, n_iter=n_iter,
                       verbose=verbose)
    return TaggingSegmenter(model, feats)


# ------------------------------------------------------------------ several corpora, one standard each
#: how the word lists (``lexicons``) enter the jackknifed dictionary of each training fold:
#: ``keep`` the whole lists; ``remove`` the list words that occur in the fold's own sentences but in
#: no other fold (they look unknown, as the fold's own new words do)
LEXICON_MODES = ("keep", "remove")


class Corpus:
    """The sentences (lists of words) of one corpus, its ``standard`` and its training / dev split."""

    def __init__(self, standard: str, train: list, dev: list, source: str = ""):
        self.standard, self.train, self.dev, self.source = standard, train, dev, source


def merge_names(sent: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """PD98 ``(word, tag)`` tokens with each person name written whole: a surname ``nr`` of one or
    two characters followed by a given name ``nr`` of one or two characters becomes one ``nr``
    (``江/nr 泽民/nr`` -> ``江泽民/nr``), as the other standards and most users write names."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(sent):
        w, t = sent[i]
        if t == "nr" and i + 1 < len(sent) and sent[i + 1][1] == "nr" and len(w) <= 2 and len(sent[i + 1][0]) <= 2:
            out.append((w + sent[i + 1][0], "nr"))
            i += 2
            continue
        out.append((w, t))
        i += 1
    return out


def split_corpus(sents: list, *, test_ratio: float = 0.0, dev_ratio: float = 0.0) -> tuple[list, list]:
    """(train, dev) of a corpus's sentences by :func:`cnlp.corpus.splits.split_sizes`: the last
    ``test_ratio`` left out, the last ``dev_ratio`` of the rest as dev (PD98's split rule)."""
    n_train, n_dev, _ = split_sizes(len(sents), test_ratio=test_ratio, dev_ratio=dev_ratio)
    return sents[:n_train], sents[n_train:n_train + n_dev]


def read_corpus(path, *, names_whole: bool = False) -> list[list[str]]:
    """The sentences (lists of words) of a corpus file in any format of
    :func:`cnlp.corpus.readers.read_words`; with ``names_whole`` a PD98 file's person names are
    merged (:func:`merge_names`)."""
    if names_whole and detect_format(path) == "pd98":
        return [[w for w, _ in merge_names(s)] for s in read_pd98(path) if s]
    return [s for s in read_words(path) if s]


def read_lexicon(path, min_freq: int = 0) -> list[str]:
    """The words of a word list (one word per line, or jieba's ``word freq [pos]``; the first
    field of each line), folded as the dictionary features fold them; with ``min_freq``, the words
    whose frequency (second field, when there is one) is below it are left out."""
    from ..text import fold_str
    from ..corpus.readers import iter_lines
    out = []
    for _, line in iter_lines(path):
        f = line.split()
        if f and not f[0].startswith("#"):
            if min_freq and len(f) > 1 and f[1].isdigit() and int(f[1]) < min_freq:
                continue
            out.append(fold_str(f[0]))
    require_data(len(out), path, "words")
    return out


def _folded_words(sents) -> set:
    from ..text import fold_str
    return {fold_str(w) for s in sents for w in s}


def multi_training_data(corpora: list[Corpus], *, lexicons=(), lexicon_mode: str = "keep", bits: int = 22,
                        folds: int = 5, extra=()):
    """(train sentences, their standard ids, features, X, y) of several corpora, one standard each:
    every feature once shared and once for its sentence's standard (:class:`CharFeatures`
    ``standards``), dictionary features jackknifed over ``folds`` folds of all sentences (each
    fold's dictionary: the words of the other folds and the ``lexicons`` words, as ``lexicon_mode``
    says, :data:`LEXICON_MODES`). The returned features (shared ones) hold the dictionary of all
    training words and lexicon words."""
    if lexicon_mode not in LEXICON_MODES:
        raise ValueError(f"lexicon_mode must be one of {list(LEXICON_MODES)}, got {lexicon_mode!r}")
    standards = tuple(dict.fromkeys(c.standard for c in corpora))
    if len(standards) == 1:
        standards = ()                                   # one standard: no copies (as cnlp train cws always did)
    sents, std = [], []
    for c in corpora:
        sents.extend(c.train)
        std.extend([c.standard] * len(c.train))
    require_data(len(sents), "the training corpora", "segmented sentences")
    lex = set()
    for words in lexicons:
        lex.update(words)
    fold_of = np.arange(len(sents)) % folds

    def dictionary_of(rest, own=None):
        counts = CorpusStats.build([sents[i] for i in rest])
        words = {w: c for w, c in counts.word_items()}
        kept = lex
        if own is not None and lexicon_mode == "remove":
            kept = lex - (_folded_words(sents[i] for i in own) - _folded_words(sents[i] for i in rest))
        for w in kept:
            words.setdefault(w, 1)
        return Dictionary.from_counts(words)

    feats_of: dict = {}
    X: list = [None] * len(sents)
    for k in range(folds):
        rest = np.flatnonzero(fold_of != k).tolist()
        own = np.flatnonzero(fold_of == k).tolist()
        base = CharFeatures(bits=bits, dictionary=dictionary_of(rest, own), extra=extra, standards=standards)
        for s in standards:
            feats_of[s] = base.for_standard(s)
        for i in own:
            X[i] = feats_of.get(std[i], base).transform_codes(_codes("".join(sents[i])))
    y = [_labels(s) for s in sents]
    feats = CharFeatures(bits=bits, dictionary=dictionary_of(range(len(sents))), extra=extra, standards=standards)
    return sents, std, feats, X, y


def multi_dev_scorer(corpora: list[Corpus], feats: CharFeatures):
    """``f(model) -> mean dev F1`` over the corpora with dev sentences, each decoded in its own
    standard; the per-corpus scores of the last call in ``f.last``."""
    parts = []
    for c in corpora:
        if c.dev:
            f = feats.for_standard(c.standard) if feats.standards else feats
            parts.append((c.standard, c.dev, [f.transform_codes(_codes("".join(s))) for s in c.dev]))

    def score(model) -> float:
        res = {}
        for name, dev, dev_X in parts:
            res[name] = dev_scorer(dev, dev_X)(model)
        score.last = res
        return float(np.mean(list(res.values()))) if res else 0.0
    score.last = {}
    return score if parts else None
