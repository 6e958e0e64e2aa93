"""``cnlp train TASK``: the drivers of every training command.

Each task has ``add_TASK_arguments(parser)`` (its options) and ``TASK_main(args)`` (read the corpus,
train, save, print one summary line); :mod:`cnlp.cli` dispatches ``cnlp train TASK`` to them. The
training itself is library code (:mod:`cnlp.train` and its task adapters, or the estimators' ``fit``).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from .. import get_segmenter, models
from ..corpus.readers import read_pd98, read_sighan
from ..corpus.splits import pd98_split
from ..corpus.stats import CorpusStats, _source_info
from ..dictionary.build import build_dictionary
from ..errors import UsageError, require_data
from ..extract.idf import IDFTable
from ..io import PD98_CORPUS, atomic_directory, default_corpus
from ..parsing.conllu import UD_DEV, UD_FILES, read_ud
from ..parsing.parser import ArcHybridParser
from ..pos.tagger import DICT_MIN_COUNT
from ..segmentation.hmm import HMMSegmenter
from ..segmentation.lattice import _STATS_PARAMS, TUNED, BigramModel
from ..segmentation.tagging import TaggingSegmenter
from ..sequence.features import DEFAULT_EXTRA, DEFAULT_EXTRA_CRF, EXTRA_TEMPLATES
from ..train import ALGORITHMS, command_line, dev_summary, fit_linear
from ..train.cws import CRF_C2, CRF_MAX_ITER, CRF_PRUNE, dev_scorer, training_data
from ..train.dep import jackknife_tags
from ..entities.data import CLUENER_TYPES, ENTITY_TYPES
from ..train.ner import CLUENER_COARSE, cluener_split, dictionary_gazetteer, load_corpus, load_training_data, train_ner
from ..train.pos import PRUNE, train_pos
from ..train.ud import (lexicon_dictionary, train_guide, train_lexicon_tagger, train_ud_segmenter, train_ud_tagger,
                        train_xpos_tagger)
from .common import (add_quiet_argument, integer, non_negative_float, non_negative_int, number, positive_float,
                     positive_int, progress_enabled, ratio, with_progress)

__all__ = ["add_dict_arguments", "dict_main", "add_stats_arguments", "stats_main", "add_bigram_arguments",
           "bigram_main", "add_hmm_arguments", "hmm_main", "add_cws_arguments", "cws_main", "add_pos_arguments",
           "pos_main", "add_ner_arguments", "ner_main", "add_idf_arguments", "idf_main", "add_dep_arguments",
           "dep_main"]


# ------------------------------------------------------- dict: dictionary (cnlp.dictionary)
def add_dict_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="corpus or dictionary file (repeatable; default with --format pd98: "
                             "$CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--format", default="pd98", choices=["pd98", "sighan", "words", "jieba", "hanlp", "auto"])
    parser.add_argument("--out", required=True, metavar="DIR")


def dict_main(args) -> int:
    t0 = time.perf_counter()
    if not args.corpus:
        if args.format != "pd98":
            raise UsageError(f"give --corpus PATH (the default corpus is in pd98 format, not {args.format})")
        args.corpus = [default_corpus(*PD98_CORPUS)]
    d = build_dictionary(args.corpus, args.format)
    require_data(len(d), args.corpus, "words")
    d.meta.update({"source": [str(p) for p in args.corpus], "format": args.format,
                   "command": f"cnlp train dict --corpus {' --corpus '.join(args.corpus)} "
                              f"--format {args.format} --out {args.out}"})
    d.save(args.out)
    print(f"{d} -> {args.out} in {time.perf_counter() - t0:.1f}s")
    return 0



# --------------------------------------------- stats: corpus statistics (cnlp.corpus.stats)
def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cnlp train stats``."""
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="training corpus (repeatable; default with --format pd98: $CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--format", choices=["pd98", "sighan"], default="pd98")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    add_quiet_argument(parser)


def stats_main(args) -> int:
    """``cnlp train stats --corpus PATH [--corpus PATH] --format pd98|sighan --out DIR``."""
    t0 = time.perf_counter()
    reader = read_pd98 if args.format == "pd98" else read_sighan
    if not args.corpus:
        if args.format != "pd98":
            raise UsageError(f"give --corpus PATH (the default corpus is in pd98 format, not {args.format})")
        args.corpus = [default_corpus(*PD98_CORPUS)]

    def stream():
        for path in args.corpus:
            yield from reader(path)

    stats = CorpusStats.build(with_progress(stream(), args, unit=" sentences", desc="stats"), meta={"sources": [_source_info(p, args.format) for p in args.corpus]})
    require_data(stats.n_sentences and stats.total_words, args.corpus, "words")
    stats.save(args.out)
    print(f"{stats!r} -> {os.fspath(args.out)} in {time.perf_counter() - t0:.1f}s")
    return 0



# ---------------------------------- bigram: bigram lattice segmenter (cnlp.segmentation.lattice)
def add_bigram_arguments(parser: argparse.ArgumentParser) -> None:
    add_quiet_argument(parser)
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="PD98 corpus (repeatable; default: $CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--lam", type=non_negative_float, default=None, help="λ (default: the tuned value in docs/models.md)")
    parser.add_argument("--alpha", type=non_negative_float, default=None)
    parser.add_argument("--unk-p", type=non_negative_float, default=None)
    parser.add_argument("--classes", choices=["all", "digits", "latin"], default=None,
                        help="which training words become class nodes (see word_class)")
    parser.add_argument("--cand-cost", type=number, default=None,
                        help="-log P of an unknown word proposed by the character HMM (0 = no HMM candidates)")
    parser.add_argument("--cand-maxlen", type=positive_int, default=None, help="longest HMM candidate word")


def bigram_main(args) -> int:
    t0 = time.perf_counter()
    args.corpus = args.corpus or [default_corpus(*PD98_CORPUS)]
    sents = list(with_progress((s for p in args.corpus for s in read_pd98(p)), args, unit=" paragraphs",
                               desc="reading"))
    stats = CorpusStats.build(sents)
    require_data(stats.total_words, args.corpus, "words")
    params = {k: (getattr(args, k, None) if getattr(args, k, None) is not None else v) for k, v in TUNED.items()}
    model = BigramModel.from_stats(stats, **{k: params[k] for k in _STATS_PARAMS})
    if params["cand_cost"] > 0:
        model.set_candidates(HMMSegmenter().fit(sents), params["cand_cost"], params["cand_maxlen"])
    model.meta["command"] = "cnlp train bigram " + " ".join(f"--corpus {p}" for p in args.corpus) + f" --out {args.out}"
    model.save(args.out)
    print(f"bigram model: {len(model.vocab)} words, {model.bigram_keys.shape[0]} bigrams -> {args.out} "
          f"in {time.perf_counter() - t0:.1f}s")
    return 0



# ---------------------------------------------------- hmm: HMM segmenter (cnlp.segmentation.hmm)
def add_hmm_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cnlp train hmm``."""
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--corpus", action="append", metavar="PATH",
                     help="training corpus (repeatable; default with --format pd98: $CNLP_CORPORA/pd1998/199801.txt)")
    src.add_argument("--stats", metavar="DIR", help="count nothing: read a saved CorpusStats bundle (cnlp train stats)")
    parser.add_argument("--format", choices=["pd98", "sighan"], default="pd98")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--order", type=int, choices=[1, 2], default=1)
    parser.add_argument("--emission-alpha", type=positive_float, default=0.01)
    add_quiet_argument(parser)


def hmm_main(args) -> int:
    """``cnlp train hmm --corpus PATH|--stats DIR --out DIR [--order 1|2]``: counts from CorpusStats."""
    t0 = time.perf_counter()
    if not args.stats and not args.corpus:
        if args.format != "pd98":
            raise UsageError(f"give --corpus PATH (the default corpus is in pd98 format, not {args.format})")
        args.corpus = [default_corpus(*PD98_CORPUS)]
    seg = HMMSegmenter(order=args.order, emission_alpha=args.emission_alpha)
    if getattr(args, "stats", None):
        stats = CorpusStats.load(args.stats)
        seg.fit_stats(stats)
        seg.train_info_ = {"sources": stats.meta.get("sources", []),
                           "train_command": f"cnlp train hmm --order {args.order} --stats {Path(args.stats).name}"}
    else:
        reader = read_pd98 if args.format == "pd98" else read_sighan

        def stream():
            for p in args.corpus:
                yield from reader(p)

        seg.fit(with_progress(stream(), args, unit=" sentences", desc="hmm"))
        seg.train_info_ = {"sources": [_source_info(p, args.format) for p in args.corpus],
                           "train_command": f"cnlp train hmm --order {args.order} --format {args.format}"}
    seg.save(args.out)
    lambdas = f", lambdas={seg.tagger_.lambdas_.round(3).tolist()}" if args.order > 1 else ""   # order 1: none
    print(f"{seg!r}: {seg.obs_codes_.shape[0]} symbols{lambdas} -> {args.out} in {time.perf_counter() - t0:.1f}s")
    return 0



# -------------------------------------------- cws: tagging segmenter (cnlp.segmentation.tagging)
def add_cws_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", action="append", metavar="[STANDARD=]PATH",
                        help="segmented corpus: PD98 word/TAG, words separated by spaces, or CoNLL-U (detected per "
                             "file; repeatable). STANDARD=PATH names its segmentation standard: corpora of several "
                             "standards train one model with shared and per-standard weights "
                             "(default: $CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--dev", action="append", metavar="STANDARD=PATH",
                        help="dev sentences of a standard (repeatable); a standard without one holds out the last "
                             "--dev-ratio of its corpora")
    parser.add_argument("--test-ratio", type=ratio, default=0.0,
                        help="with STANDARD=PATH corpora: last fraction of each corpus's sentences left out of "
                             "training (0.1: the PD98 test split)")
    parser.add_argument("--lexicon", action="append", metavar="PATH",
                        help="word list (one word a line, or word freq [pos]) for the dictionary features "
                             "(repeatable; its words are stored in the model)")
    parser.add_argument("--lexicon-min-freq", type=non_negative_int, default=0,
                        help="leave out the --lexicon words whose frequency (second field) is below this")
    parser.add_argument("--lexicon-mode", choices=["keep", "remove"], default="keep",
                        help="keep: every fold's dictionary has the whole lists; remove: without the list words "
                             "that occur in that fold only")
    parser.add_argument("--names-whole", action="append", metavar="STANDARD", default=[],
                        help="PD98 corpora of this standard with person names merged (surname + given name)")
    parser.add_argument("--mixture", action="append", metavar="NAME=STD:W,STD:W", default=[],
                        help="a standard that blends others: the shared weights plus W times each STD's own "
                             "weights (repeatable)")
    parser.add_argument("--default-standard", metavar="NAME", default=None,
                        help="the standard the model writes when none is asked (a STANDARD of --corpus, a "
                             "--mixture, or shared: the shared weights only; default: shared)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--algorithm", choices=["perceptron", "crf"], default="perceptron")
    parser.add_argument("--n-iter", type=positive_int, default=10, help="perceptron: epochs")
    parser.add_argument("--c2", type=non_negative_float, default=CRF_C2, help="crf: L2 coefficient (c2 * ||w||^2, CRFsuite's convention)")
    parser.add_argument("--max-iter", type=positive_int, default=CRF_MAX_ITER, help="crf: L-BFGS iterations")
    parser.add_argument("--tol", type=non_negative_float, default=1e-7, help="crf: stop below this relative objective decrease")
    parser.add_argument("--dev-every", type=positive_int, default=10, help="crf: dev F1 every this many iterations")
    parser.add_argument("--prune", type=non_negative_float, default=None,
                        help="drop feature rows whose largest |weight| is at most this (default: perceptron 1e-3, crf %g)"
                             % CRF_PRUNE)
    parser.add_argument("--dev-ratio", type=ratio, default=0.05, help="last fraction of paragraphs held out for dev F1")
    parser.add_argument("--bits", type=positive_int, default=22, help="log2 of the hashed feature space")
    parser.add_argument("--seed", type=integer, default=0)
    parser.add_argument("--seeds", type=positive_int, default=3,
                        help="train this many models (shuffle seeds seed, seed+1, ...) and average their weights")
    parser.add_argument("--extra-templates", nargs="*", default=None, metavar="T", choices=list(EXTRA_TEMPLATES),
                        help=f"optional feature templates (default: perceptron {' '.join(DEFAULT_EXTRA)}, "
                             f"crf {' '.join(DEFAULT_EXTRA_CRF)}; none: --extra-templates)")
    parser.add_argument("--no-dict-features", action="store_true",
                        help="no dictionary features (default: words of the training split, min count --dict-min-count)")
    parser.add_argument("--dict-min-count", type=non_negative_int, default=1)
    parser.add_argument("--folds", type=positive_int, default=5, help="jackknife folds for the dictionary features")
    add_quiet_argument(parser)


def _standard_path(value: str, option: str, need: bool) -> tuple[str | None, str]:
    name, eq, path = value.partition("=")
    if eq and name and "/" not in name and not os.path.exists(value):
        return name, path
    if need:
        raise UsageError(f"{option} {value}: give STANDARD=PATH")
    return None, value


def cws_main(args) -> int:
    t0 = time.perf_counter()
    args.corpus = args.corpus or [default_corpus(*PD98_CORPUS)]
    if args.extra_templates is None:
        args.extra_templates = list(DEFAULT_EXTRA_CRF if args.algorithm == "crf" else DEFAULT_EXTRA)
    named = [_standard_path(c, "--corpus", False) for c in args.corpus]
    if any(n for n, _ in named) or args.lexicon or args.dev:
        return _cws_multi(args, named, t0)
    train, dev, feats, X, y, dev_X = training_data(
        args.corpus, dev_ratio=args.dev_ratio, bits=args.bits, dict_features=not args.no_dict_features,
        dict_min_count=args.dict_min_count, folds=args.folds, extra=args.extra_templates)
    dev_f1 = dev_scorer(dev, dev_X) if dev else None
    cmd = (f"cnlp train cws --algorithm {args.algorithm} " + " ".join(f"--corpus {p}" for p in args.corpus)
           + f" --out {args.out} --dev-ratio {args.dev_ratio} --bits {args.bits}")
    tagger = fit_linear(args.algorithm, X, y, n_labels=4, n_features=feats.n_features, dev_score=dev_f1,
                        seeds=args.seeds, seed=args.seed, n_iter=args.n_iter, c2=args.c2, max_iter=args.max_iter,
                        tol=args.tol, dev_every=args.dev_every, verbose=progress_enabled(args))
    if args.algorithm == "crf":
        cmd += f" --c2 {args.c2} --max-iter {args.max_iter} --tol {args.tol}"
        prune = CRF_PRUNE if args.prune is None else args.prune
    else:
        cmd += f" --n-iter {args.n_iter} --seeds {args.seeds}"
        prune = 1e-3 if args.prune is None else args.prune
    cmd += " --no-dict-features" if args.no_dict_features else f" --dict-min-count {args.dict_min_count} --folds {args.folds}"
    cmd += " --extra-templates" + "".join(" " + t for t in feats.extra)
    if args.prune is not None:
        cmd += f" --prune {args.prune}"
    seg = TaggingSegmenter(tagger, feats)
    seg.save(args.out, meta={"command": cmd, "train_seconds": round(time.perf_counter() - t0, 1)}, prune=prune)
    print(f"{args.algorithm} CWS: {len(train)} train / {len(dev)} dev paragraphs{dev_summary(tagger.training_log_)}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-iteration log in its meta.json)")
    return 0



def _cws_multi(args, named, t0) -> int:
    """``cnlp train cws`` over corpora named by standard, dev files and word lists
    (:func:`cnlp.train.cws.multi_training_data`)."""
    from ..segmentation.tagging import SHARED
    from ..train.cws import Corpus, multi_dev_scorer, multi_training_data, read_corpus, read_lexicon, split_corpus
    if any(n is None for n, _ in named) and any(n for n, _ in named):
        raise UsageError("give every --corpus as STANDARD=PATH, or none")
    if args.no_dict_features:
        raise UsageError("--no-dict-features: not with standards, --dev or --lexicon")
    named = [(n or "default", p) for n, p in named]
    devs = [_standard_path(d, "--dev", True) for d in args.dev or []]
    standards = list(dict.fromkeys(n for n, _ in named))
    for n, _ in devs:
        if n not in standards:
            raise UsageError(f"--dev {n}=...: no --corpus of standard {n!r} (standards: {standards})")
    for n in args.names_whole:
        if n not in standards:
            raise UsageError(f"--names-whole {n}: no --corpus of standard {n!r} (standards: {standards})")
    mixtures = {}
    for m in args.mixture:
        name, eq, terms = m.partition("=")
        try:
            mixtures[name] = {s: float(w) for s, _, w in (t.partition(":") for t in terms.split(","))}
        except ValueError:
            raise UsageError(f"--mixture {m}: give NAME=STD:W,STD:W") from None
    if args.default_standard is not None and args.default_standard not in standards + list(mixtures) + [SHARED]:
        raise UsageError(f"--default-standard {args.default_standard}: choose one of "
                         f"{standards + list(mixtures) + [SHARED]}")
    corpora = []
    for name in standards:
        train, dev = [], []
        has_dev = any(n == name for n, _ in devs)
        for n, p in named:
            if n == name:
                a, b = split_corpus(read_corpus(p, names_whole=name in args.names_whole), test_ratio=args.test_ratio,
                                    dev_ratio=0.0 if has_dev else args.dev_ratio)
                train += a
                dev += b
        for n, p in devs:
            if n == name:
                dev += read_corpus(p, names_whole=name in args.names_whole)
        corpora.append(Corpus(name, train, dev))
    lexicons = [read_lexicon(p, args.lexicon_min_freq) for p in args.lexicon or []]
    sents, _, feats, X, y = multi_training_data(corpora, lexicons=lexicons, lexicon_mode=args.lexicon_mode,
                                                bits=args.bits, folds=args.folds, extra=args.extra_templates)
    score = multi_dev_scorer(corpora, feats)
    tagger = fit_linear(args.algorithm, X, y, n_labels=4, n_features=feats.n_features, dev_score=score,
                        seeds=args.seeds, seed=args.seed, n_iter=args.n_iter, c2=args.c2, max_iter=args.max_iter,
                        tol=args.tol, dev_every=args.dev_every, verbose=progress_enabled(args))
    prune = (CRF_PRUNE if args.algorithm == "crf" else 1e-3) if args.prune is None else args.prune
    from ..segmentation.tagging import check_mixtures
    try:
        mixtures = check_mixtures(mixtures, feats.standards)
    except ValueError as e:
        raise UsageError(f"--mixture: {e}") from None
    default = args.default_standard
    if feats.standards and default not in (None, SHARED) and default not in mixtures:
        feats = feats.for_standard(default)
    seg = TaggingSegmenter(tagger, feats, mixtures=mixtures, mixture=default if default in mixtures else None)
    per_dev = getattr(score, "last", {}) if score is not None else {}
    seg.save(args.out, meta={"command": command_line(), "train_seconds": round(time.perf_counter() - t0, 1),
                             "dev_f1": {k: round(v, 4) for k, v in per_dev.items()}}, prune=prune)
    devs_txt = ", ".join(f"{k} {v:.4f}" for k, v in per_dev.items())
    print(f"{args.algorithm} CWS: {len(sents)} train sentences of {len(corpora)} standard(s)"
          f"{dev_summary(tagger.training_log_, name='mean dev F1')}{' (' + devs_txt + ')' if devs_txt else ''}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out} (default standard: {seg.standard})")
    return 0


# -------------------------------------------------------- pos: POS tagger (cnlp.pos.tagger)
def add_pos_arguments(parser: argparse.ArgumentParser) -> None:
    add_quiet_argument(parser)
    parser.add_argument("--corpus", metavar="PATH",
                        help="PD98 corpus (word/TAG tokens; default: $CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--algorithm", choices=sorted(ALGORITHMS), default="perceptron")
    parser.add_argument("--test-ratio", type=ratio, default=0.1,
                        help="last fraction of the non-empty lines held out as test (0: train on everything)")
    parser.add_argument("--dev-ratio", type=ratio, default=0.05, help="fraction of the training lines (their end) used as dev")
    parser.add_argument("--n-iter", type=positive_int, default=10, help="perceptron: maximum epochs")
    parser.add_argument("--seeds", type=positive_int, default=1, help="perceptron: average this many shuffle seeds")
    parser.add_argument("--c2", type=non_negative_float, default=1.0, help="crf: L2 coefficient")
    parser.add_argument("--max-iter", type=positive_int, default=100, help="crf: L-BFGS iterations")
    parser.add_argument("--min-count", type=non_negative_int, default=2, help="features seen fewer times get no weight")
    parser.add_argument("--dict-min-count", type=non_negative_int, default=DICT_MIN_COUNT,
                        help="words seen this often in training only take their training tags (0: off)")
    parser.add_argument("--templates", nargs="+", default=None, metavar="T",
                        help="word feature templates (default: all of cnlp.pos.features.TEMPLATE_LIBRARY)")
    parser.add_argument("--bits", type=positive_int, default=22)
    parser.add_argument("--folds", type=positive_int, default=5, help="jackknife folds for the tag dictionary")
    parser.add_argument("--prune", type=non_negative_float, default=PRUNE, help="drop feature rows whose largest |weight| is at most this")


def pos_main(args) -> int:
    t0 = time.perf_counter()
    args.corpus = args.corpus or default_corpus(*PD98_CORPUS)
    split = pd98_split(args.corpus, test_ratio=args.test_ratio, dev_ratio=args.dev_ratio)
    require_data(len(split.train), args.corpus, "tagged sentences")
    tagger = train_pos(split.train, split.dev, algorithm=args.algorithm, bits=args.bits, folds=args.folds,
                       seeds=args.seeds, n_iter=args.n_iter, c2=args.c2, max_iter=args.max_iter,
                       min_count=args.min_count, dict_min_count=args.dict_min_count, templates=args.templates,
                       verbose=progress_enabled(args))
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": len(split.train),
            "dev_sentences": len(split.dev), "train_seconds": round(time.perf_counter() - t0, 1)}
    tagger.save(args.out, meta=meta, prune=args.prune)
    print(f"POS {args.algorithm}: {len(split.train)} train / {len(split.dev)} dev / {len(split.test)} test lines"
          f"{dev_summary(tagger.model.training_log_, name='dev accuracy')}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-iteration log in its meta.json)")
    return 0



# --------------------------------------------- ner: entity recognizer (cnlp.entities.recognizer)
def add_ner_arguments(parser: argparse.ArgumentParser) -> None:
    add_quiet_argument(parser)
    parser.add_argument("--msra", metavar="PATH", help="MSRA-format BIO training file (char<TAB>tag); its last "
                                                       "--dev-ratio of sentences is the dev set (with --pd98 left "
                                                       "out too: $CNLP_CORPORA/msra_ner/train_extra.bio and "
                                                       "$CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--pd98", metavar="PATH", help="also train on the training part of this PD98 file's split")
    parser.add_argument("--pd98-mode", choices=["plain", "careful"], default="plain",
                        help="how PD98 is converted (see cnlp.entities.pd98)")
    parser.add_argument("--pd98-use", choices=["train", "adapt", "lexicon", "gazetteer"], default="gazetteer",
                        help="with --msra: how PD98 is used: as more training sentences, as training sentences "
                             "with shared + per-corpus feature weights (decoding as MSRA), in the lexicon (its "
                             "names in the gazetteer and its character statistics), or only its names in the "
                             "gazetteer (default)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--algorithm", choices=sorted(ALGORITHMS), default="perceptron")
    parser.add_argument("--scheme", choices=["bio", "bioes"], default="bioes")
    parser.add_argument("--dev-ratio", type=ratio, default=0.1)
    parser.add_argument("--n-iter", type=positive_int, default=15, help="perceptron: maximum epochs")
    parser.add_argument("--seeds", type=positive_int, default=1, help="perceptron: average this many shuffle seeds")
    parser.add_argument("--c2", type=non_negative_float, default=1.0, help="crf: L2 coefficient")
    parser.add_argument("--max-iter", type=positive_int, default=150, help="crf: L-BFGS iterations")
    parser.add_argument("--min-count", type=non_negative_int, default=1, help="features seen fewer times get no weight")
    parser.add_argument("--templates", nargs="+", default=None, metavar="T",
                        help="feature templates (default: all of cnlp.entities.features.TEMPLATE_LIBRARY)")
    parser.add_argument("--bits", type=positive_int, default=22)
    parser.add_argument("--folds", type=positive_int, default=5, help="jackknife folds for the entity lexicon")
    parser.add_argument("--prune", type=non_negative_float, default=1e-3,
                        help="drop feature rows whose largest |weight| is at most this")
    parser.add_argument("--weibo", metavar="PATH", nargs="+", help="also train on these Weibo NER files "
                                                                   "(char+digit<TAB>tag; GPE as LOC)")
    parser.add_argument("--weibo-dev", metavar="PATH", help="Weibo NER dev file (scored with the MSRA dev set)")
    parser.add_argument("--weibo-nominal", choices=["drop", "type"], default="drop",
                        help="Weibo nominal mentions (.NOM): not entities (drop), or trained as a hidden type NOM")
    parser.add_argument("--weibo-repeat", type=positive_int, default=1, metavar="N",
                        help="train on the Weibo sentences N times")
    parser.add_argument("--resume", metavar="PATH", nargs="+", help="also train on these Resume NER files (char "
                                                                    "tag, BMES; NAME as PER, ORG, LOC; other types O)")
    parser.add_argument("--resume-dev", metavar="PATH", help="Resume NER dev file (scored with the MSRA dev set)")
    parser.add_argument("--adapt", action="store_true",
                        help="every feature has a shared weight and one per training corpus")
    parser.add_argument("--domain", default=None, metavar="NAME",
                        help="with --adapt: decode with the shared weights plus those of this corpus (msra, "
                             "weibo, resume), 'shared' for the shared weights only, or 'auto' for those of the "
                             "corpus a router trained on the corpora's texts picks per text (default: msra)")
    parser.add_argument("--gazetteer-dict", metavar="PATH",
                        help="a 'word freq tag' dictionary (jieba format) whose name words (--gazetteer-tags) "
                             "enter the gazetteer as their own types")
    parser.add_argument("--gazetteer-tags", nargs="+", default=["nr", "ns", "nt"], metavar="TAG")
    parser.add_argument("--gazetteer-min-freq", type=non_negative_int, default=1, metavar="N")
    parser.add_argument("--cluener", metavar="PATH",
                        help="train a fine-grained model (10 CLUENER types) on this CLUENER JSON file instead: "
                             "its last --test-ratio held out, the last --dev-ratio of the rest the dev set")
    parser.add_argument("--test-ratio", type=ratio, default=0.1, help="with --cluener: share held out as test")
    parser.add_argument("--markup", choices=["mask", "free"], default="mask",
                        help="URL, @, # and emoji characters: never in an entity (mask), or left to the model")


def ner_main(args) -> int:
    if args.cluener:
        return _cluener_main(args)
    if not args.msra and not args.pd98:
        args.msra = default_corpus("msra_ner", "train_extra.bio", option="--msra")
        args.pd98 = default_corpus(*PD98_CORPUS, option="--pd98")
    t0 = time.perf_counter()
    train, dev, extra = load_training_data(args.msra, args.pd98, dev_ratio=args.dev_ratio, pd98_mode=args.pd98_mode)
    lexicon_extra, gazetteer = [], []
    if extra and args.pd98_use == "lexicon":
        lexicon_extra, extra = extra, []
    elif extra and args.pd98_use == "gazetteer":
        gazetteer, extra = [(t[s:e], ty) for t, spans in extra for s, e, ty in spans], []
    corpora, devs = [], {}
    nominal = {"nominal": args.weibo_nominal}
    for name, path, dev_path, kw in (("weibo", args.weibo, args.weibo_dev, nominal),
                                     ("resume", args.resume, args.resume_dev, {})):
        if path:
            corpora.append((name, [x for p in path for x in load_corpus(name, p, **kw)]))
        if dev_path:
            devs[name] = load_corpus(name, dev_path, **kw)
    types = ENTITY_TYPES + (("NOM",) if args.weibo and args.weibo_nominal == "type" else ())
    if args.gazetteer_dict:
        gazetteer += dictionary_gazetteer(args.gazetteer_dict, args.gazetteer_tags, min_freq=args.gazetteer_min_freq)
    n_train = sum(1 for t, _ in train + extra if t) + sum(len(s) for _, s in corpora)
    require_data(n_train, [p for p in (args.msra, args.pd98, *(args.weibo or ()), *(args.resume or ())) if p],
                 "NER sentences")
    if devs and dev:
        devs = {"msra" if args.msra else "pd98": dev, **devs}
    if args.domain is not None and not (args.adapt or args.pd98_use == "adapt"):
        raise UsageError("--domain needs --adapt")
    main_name = "msra" if args.msra else "pd98"
    rec = train_ner(train, devs or dev, extra=extra, adapt=args.adapt or args.pd98_use == "adapt",
                    lexicon_extra=lexicon_extra, corpora=corpora, main_name=main_name, decode_domain=args.domain,
                    repeat={"weibo": args.weibo_repeat} if args.weibo and args.weibo_repeat > 1 else None,
                    hidden_types=("NOM",) if "NOM" in types else (), types=types, mask_markup=args.markup == "mask",
                    gazetteer=gazetteer, segmenter=models.crf(), pos=models.pos_tagger(),
                    algorithm=args.algorithm, scheme=args.scheme, bits=args.bits, folds=args.folds,
                    templates=args.templates, seeds=args.seeds, n_iter=args.n_iter, c2=args.c2,
                    max_iter=args.max_iter, min_count=args.min_count, verbose=progress_enabled(args))
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": n_train,
            "dev_sentences": len(dev) + sum(len(v) for k, v in devs.items() if k not in ("msra", "pd98")),
            "train_seconds": round(time.perf_counter() - t0, 1),
            "cascade": {"segmenter": "crf", "pos": "default"}}
    rec.save(args.out, meta=meta, prune=args.prune)        # atomic: a killed run leaves the old model
    best = dev_summary(rec.model.training_log_)
    print(f"NER {args.algorithm}/{args.scheme}: {n_train} train / {meta['dev_sentences']} dev sentences{best}, "
          f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-iteration log in its meta.json)")
    return 0


def _cluener_main(args) -> int:
    if args.msra or args.pd98 or args.weibo or args.resume:
        raise UsageError("--cluener trains a model of its own: leave out --msra, --pd98, --weibo and --resume")
    t0 = time.perf_counter()
    train, dev, test = cluener_split(args.cluener, test_ratio=args.test_ratio, dev_ratio=args.dev_ratio)
    gazetteer = []
    if args.gazetteer_dict:
        gazetteer = dictionary_gazetteer(args.gazetteer_dict, args.gazetteer_tags, min_freq=args.gazetteer_min_freq)
    rec = train_ner(train, dev, types=CLUENER_TYPES, coarse=CLUENER_COARSE, main_name="cluener",
                    mask_markup=args.markup == "mask", gazetteer=gazetteer,
                    segmenter=models.crf(), pos=models.pos_tagger(), algorithm=args.algorithm, scheme=args.scheme,
                    bits=args.bits, folds=args.folds, templates=args.templates, seeds=args.seeds,
                    n_iter=args.n_iter, c2=args.c2, max_iter=args.max_iter, min_count=args.min_count,
                    verbose=progress_enabled(args))
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": len(train),
            "dev_sentences": len(dev), "test_sentences": len(test), "train_seconds": round(time.perf_counter() - t0, 1),
            "cascade": {"segmenter": "crf", "pos": "default"}}
    rec.save(args.out, meta=meta, prune=args.prune)
    best = dev_summary(rec.model.training_log_)
    print(f"NER (CLUENER types) {args.algorithm}/{args.scheme}: {len(train)} train / {len(dev)} dev / {len(test)} "
          f"held-out sentences{best}, {time.perf_counter() - t0:.0f}s -> {args.out}")
    return 0



# -------------------------------------------------------- idf: IDF table (cnlp.extract.idf)
def add_idf_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="PATH",
                        help="training file (default with --format pd98: $CNLP_CORPORA/pd1998/199801.txt)")
    parser.add_argument("--format", choices=["pd98", "raw"], default="pd98",
                        help="pd98: one document per paragraph, gold words (default); "
                             "raw: one document per line, segmented with cnlp.segmentation")
    parser.add_argument("--out", required=True, help="output model directory")


def idf_main(args) -> int:
    t0 = time.perf_counter()
    if not args.corpus:
        if args.format != "pd98":
            raise UsageError("give --corpus PATH (the default corpus is in pd98 format, not raw)")
        args.corpus = default_corpus(*PD98_CORPUS)
    if args.format == "pd98":
        table = IDFTable.from_pd98(args.corpus)
    else:
        table = IDFTable.from_raw(args.corpus, segmenter=get_segmenter())     # the default segmenter
    require_data(table.n_docs_, args.corpus, "documents")
    table.save(args.out)
    print(f"{table!r} -> {args.out} ({time.perf_counter() - t0:.1f} s)")
    return 0



# ---------------------------------------- dep: UD parser, tagger and segmenter (cnlp.parse)
def add_dep_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--component", choices=["parser", "tagger", "segmenter"], default="parser")
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="CoNLL-U training file (repeatable; default: the four UD Chinese training "
                             "treebanks of $CNLP_CORPORA/ud_chinese)")
    parser.add_argument("--add-corpus", action="append", default=[], metavar="PATH",
                        help="CoNLL-U training file added to the --corpus files (repeatable; e.g. the converted "
                             "UD 1.4 GSD training set of scripts/convert_ud14.py)")
    parser.add_argument("--dev", metavar="PATH", default=None,
                        help=f"dev CoNLL-U (default: $CNLP_CORPORA/ud_chinese/{UD_DEV})")
    parser.add_argument("--include-dev", action="store_true", help="train on the dev file too (no early stopping)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--xpos-out", metavar="DIR", default=None, help="tagger: where the XPOS tagger goes")
    parser.add_argument("--n-iter", type=positive_int, default=None, help="epochs (default: parser 15, tagger/segmenter 10)")
    parser.add_argument("--beam", type=positive_int, default=8, help="parser: beam width (1 = greedy training)")
    parser.add_argument("--oracle", choices=["static", "dynamic"], default="static",
                        help="parser: training oracle; dynamic: greedy training (--beam 1) that explores the "
                             "parser's own mistakes (see docs/parser.md)")
    parser.add_argument("--explore", type=non_negative_float, default=0.9,
                        help="parser, --oracle dynamic: probability of following a wrong prediction (0..1)")
    parser.add_argument("--explore-after", type=non_negative_int, default=1,
                        help="parser, --oracle dynamic: epochs trained without exploration first")
    parser.add_argument("--bits", type=positive_int, default=22)
    parser.add_argument("--min-count", type=non_negative_int, default=1, help="parser: features seen fewer times get no weight")
    parser.add_argument("--treebank-features", action="store_true",
                        help="parser, tagger: conjoin every template with the treebank id")
    parser.add_argument("--treebank", default=None,
                        help="parser, tagger: treebank whose style the model parses / tags in (default: the dev "
                             "treebank with --include-dev, else none for the parser and zh_pud for the tagger)")
    parser.add_argument("--repeat", action="append", default=[], metavar="TREEBANK=K",
                        help="parser, tagger: use the sentences of TREEBANK (file name up to the first '-', e.g. "
                             "zh_pud) K times (repeatable; the dev treebank counts with --include-dev)")
    parser.add_argument("--tags", choices=["gold", "predicted", "mixed"], default="gold",
                        help="parser: train on gold UPOS, on jackknifed predicted UPOS (--folds; the tagger "
                             "options --lexicon, --tagger-treebank-features, --tagger-n-iter), or on both "
                             "(mixed: every sentence once with gold and once with predicted tags)")
    parser.add_argument("--folds", type=positive_int, default=5)
    parser.add_argument("--lexicon", metavar="PATH", default=None,
                        help="UPOS tagger: PD98 corpus whose words, with PKU tags mapped to UPOS, form a second "
                             "tag dictionary (lexicon features)")
    parser.add_argument("--guide", metavar="PATH", default=None,
                        help="UPOS tagger: PD98 corpus on which a PKU POS tagger is trained whose tags of the "
                             "words are features (stored in the model's guide/ directory)")
    parser.add_argument("--guide-n-iter", type=positive_int, default=5, help="epochs of the --guide tagger")
    parser.add_argument("--guide-model", metavar="DIR", default=None,
                        help="a saved guide tagger (e.g. data/dep/guide, the parser's) used instead of training "
                             "one with --guide; a tagger saved with it refers to DIR instead of copying it")
    parser.add_argument("--parser-guide", action="store_true",
                        help="parser: the --guide tagger's tags of the words are parser features too "
                             "(the tagger is saved with the parser)")
    parser.add_argument("--tagger-treebank-features", action="store_true",
                        help="parser with --tags predicted: the jackknife taggers use treebank features")
    parser.add_argument("--tagger-n-iter", type=positive_int, default=5, help="epochs of the jackknife UPOS taggers")
    parser.add_argument("--tagger-seeds", type=positive_int, default=1,
                        help="UPOS tagger (and the jackknife taggers): average this many shuffle seeds")
    parser.add_argument("--pd98", metavar="PATH", default=None,
                        help="tagger: PD98 sentences with PKU tags mapped to UPOS as extra training data "
                             "(the old tagger; not with --lexicon)")
    parser.add_argument("--pd98-weight", type=positive_float, default=1.0,
                        help="tagger: PD98 words to add, as a multiple of the treebank words")
    parser.add_argument("--seg-lexicon", action="append", default=[], metavar="PATH",
                        help="segmenter: word list (one word a line, or jieba's 'word freq tag' lines) whose words "
                             "join the training words in the dictionary features (repeatable)")
    parser.add_argument("--seg-lexicon-min-freq", type=non_negative_int, default=0,
                        help="segmenter: leave out --seg-lexicon words whose frequency (second field) is below this")
    parser.add_argument("--prune", type=non_negative_float, default=None, help="drop weight rows with max |w| <= this")
    parser.add_argument("--seed", type=integer, default=0)
    add_quiet_argument(parser)


def atomic_save(out, save) -> Path:
    """``save(tmp_dir)`` into a temporary directory beside ``OUT`` that then replaces it in one
    step (:func:`cnlp.io.atomic_directory`): a killed run leaves the previous model."""
    with atomic_directory(out, keep_other=False) as d:
        save(d)
    return Path(out)


def load_data(args):
    paths = (args.corpus or [default_corpus("ud_chinese", f) for f in UD_FILES]) + list(args.add_corpus)
    train = [s for p in paths for s in read_ud(p)]
    dev = read_ud(args.dev or default_corpus("ud_chinese", UD_DEV, option="--dev"))
    return train, dev


def repeat_treebanks(sents, specs):
    """``sents`` with the sentences of each ``NAME=K`` treebank in ``specs`` repeated K times."""
    times = {}
    for spec in specs:
        name, _, k = spec.partition("=")
        if not k.isdigit() or int(k) < 1:
            raise SystemExit(f"cnlp train dep: --repeat expects TREEBANK=K with K >= 1, got {spec!r}")
        times[name] = int(k)
    return [s for s in sents for _ in range(times.get(s.treebank, 1))]


def _lexicon(args):
    """The lexicon tag dictionary of ``--lexicon`` (or None)."""
    if not args.lexicon:
        return None
    return lexicon_dictionary(read_pd98(args.lexicon))


def _guide(args):
    """The guide tagger of ``--guide-model``, or trained on ``--guide`` (or None)."""
    if getattr(args, "guide_model", None):
        from ..pos.tagger import POSTagger
        return POSTagger.load(args.guide_model)
    if not args.guide:
        return None
    return train_guide(read_pd98(args.guide), n_iter=args.guide_n_iter, bits=args.bits)


def dep_main(args) -> int:
    t0 = time.perf_counter()
    verbose = progress_enabled(args)
    train, dev = load_data(args)
    require_data(sum(1 for s in (train + dev if args.include_dev else train) if s.forms),
                 args.corpus or [str(default_corpus("ud_chinese", f)) for f in UD_FILES], "dependency trees")
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": len(train),
            "dev_included": bool(args.include_dev)}
    n_iter = args.n_iter
    if args.pd98 and (args.lexicon or args.guide):
        raise SystemExit("cnlp train dep: --pd98 (PD98 as training sentences) excludes --lexicon and --guide")
    if args.component == "parser":
        sel_dev = dev
        tb = args.treebank
        if args.include_dev:
            train = train + dev
            sel_dev = None
            tb = tb or dev[0].treebank if dev else tb
        if args.oracle == "dynamic" and args.beam != 1:
            raise SystemExit(f"cnlp train dep: --oracle dynamic trains greedily and needs --beam 1, got --beam {args.beam}")
        if args.explore > 1:
            raise SystemExit(f"cnlp train dep: --explore must be in 0..1, got {args.explore}")
        if args.parser_guide and not (args.guide or args.guide_model):
            raise SystemExit("cnlp train dep: --parser-guide needs --guide PD98_FILE or --guide-model DIR")
        guide = _guide(args)
        if args.tags != "gold":
            pred = jackknife_tags(train, args.folds, lexicon=_lexicon(args), guide=guide,
                                  treebank_features=args.tagger_treebank_features, n_iter=args.tagger_n_iter,
                                  seeds=args.tagger_seeds)
            train = pred if args.tags == "predicted" else [x for pair in zip(train, pred) for x in pair]
            meta["jackknife_tagger"] = {"tags": args.tags, "folds": args.folds, "lexicon": bool(args.lexicon),
                                        "treebank_features": args.tagger_treebank_features,
                                        "guide": bool(args.guide or args.guide_model), "seeds": args.tagger_seeds,
                                        "n_iter": args.tagger_n_iter}
        train = repeat_treebanks(train, args.repeat)
        p = ArcHybridParser(beam=args.beam, n_iter=n_iter or 15, bits=args.bits, min_count=args.min_count,
                            treebank_features=args.treebank_features, random_state=args.seed, verbose=verbose,
                            oracle=args.oracle, explore=args.explore, explore_after=args.explore_after)
        p.fit(train, dev=sel_dev, dev_treebank=tb, default_treebank=tb if args.treebank_features else None,
              guide=guide if args.parser_guide else None)
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        atomic_save(args.out, lambda d: p.save(d, meta=meta, prune=args.prune or 0.0))
        print(f"parser: {len(train)} sentences, {p.n_lifted_} arcs lifted in {p.n_nonprojective_} "
              f"non-projective trees{dev_summary(p.training_log_, 'dev_las', 'dev LAS')}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    elif args.component == "tagger" and not args.pd98:
        data = train + dev if args.include_dev else train
        sel_dev = () if args.include_dev else dev
        names = sorted({s.treebank for s in data})
        tb = args.treebank or (dev[0].treebank if args.include_dev and dev else
                               "zh_pud" if "zh_pud" in names else names[0])
        times = {}
        for k, v in (spec.partition("=")[::2] for spec in args.repeat):
            if not v.isdigit() or int(v) < 1:
                raise SystemExit(f"cnlp train dep: --repeat expects TREEBANK=K with K >= 1, got {k}={v}")
            times[k] = int(v)
        upos = train_lexicon_tagger(data, sel_dev, lexicon=_lexicon(args), guide=_guide(args),
                                    treebank_features=args.treebank_features,
                                    treebank=tb if args.treebank_features else None, repeat=times,
                                    n_iter=n_iter or 10, bits=args.bits, folds=args.folds,
                                    seeds=args.tagger_seeds, verbose=verbose)
        xpos = train_xpos_tagger(repeat_treebanks(data, args.repeat), sel_dev, n_iter=n_iter or 10) \
            if args.xpos_out else None
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        prune = 1.0 if args.prune is None else args.prune
        if args.guide_model:
            upos.guide_dir = args.guide_model           # refer to it, no copy
        atomic_save(args.out, lambda d: upos.save(d, meta=meta, prune=prune))
        if xpos is not None:
            atomic_save(args.xpos_out, lambda d: xpos.save(d, meta=meta, prune=prune))
        print(f"tagger: {len(data)} sentences{dev_summary(upos.model.training_log_, name='dev accuracy')}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    elif args.component == "tagger":
        pd98 = None
        if args.pd98:
            pd98 = list(read_pd98(args.pd98))
        data = repeat_treebanks(train + dev if args.include_dev else train, args.repeat)
        tagger = train_ud_tagger(data, () if args.include_dev else dev, pd98=pd98, pd98_weight=args.pd98_weight,
                                 n_iter=n_iter or 10, verbose=verbose)
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        prune = 1.0 if args.prune is None else args.prune
        atomic_save(args.out, lambda d: tagger.upos.save(d, meta=meta, prune=prune))
        if args.xpos_out and tagger.xpos is not None:
            atomic_save(args.xpos_out, lambda d: tagger.xpos.save(d, meta=meta, prune=prune))
        print(f"tagger: {len(data)} sentences{dev_summary(tagger.upos.model.training_log_, name='dev accuracy')}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    else:
        data = train + dev if args.include_dev else train
        from ..train.cws import read_lexicon
        lexicon = sorted({w for p in args.seg_lexicon for w in read_lexicon(p, args.seg_lexicon_min_freq)})
        seg = train_ud_segmenter([s.forms for s in data], [] if args.include_dev else [s.forms for s in dev],
                                 n_iter=n_iter or 10, bits=args.bits, lexicon=lexicon,
                                 verbose=verbose)
        if lexicon:
            meta["seg_lexicon_words"] = len(lexicon)
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        prune = 1e-3 if args.prune is None else args.prune
        atomic_save(args.out, lambda d: seg.save(d, meta=meta, prune=prune))
        print(f"segmenter: {len(data)} sentences{dev_summary(seg.tagger.training_log_)}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    return 0
