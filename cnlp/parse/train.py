"""``cnlp train dep``: train the parser, the UD tagger or the UD segmenter on UD treebanks.

Every choice is made on the dev treebank (``--dev``, default GSDSimp dev); ``--include-dev`` adds
it to the training data (for shipped models: epochs then fixed by ``--n-iter``). Models are
written to ``OUT.partial`` and moved to ``OUT`` when complete.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from .conllu import UD_DEV, UD_FILES, read_ud

__all__ = ["add_train_arguments", "train_main", "atomic_save"]


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--component", choices=["parser", "tagger", "segmenter"], default="parser")
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="CoNLL-U training file (repeatable; default: the four UD Chinese training "
                             "treebanks of $CNLP_CORPORA/ud_chinese)")
    parser.add_argument("--dev", metavar="PATH", default=None,
                        help=f"dev CoNLL-U (default: $CNLP_CORPORA/ud_chinese/{UD_DEV})")
    parser.add_argument("--include-dev", action="store_true", help="train on the dev file too (no early stopping)")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--xpos-out", metavar="DIR", default=None, help="tagger: where the XPOS tagger goes")
    parser.add_argument("--n-iter", type=int, default=None, help="epochs (default: parser 15, tagger/segmenter 10)")
    parser.add_argument("--beam", type=int, default=8, help="parser: beam width (1 = greedy training)")
    parser.add_argument("--bits", type=int, default=22)
    parser.add_argument("--min-count", type=int, default=1, help="parser: features seen fewer times get no weight")
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
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--lexicon", metavar="PATH", default=None,
                        help="UPOS tagger: PD98 corpus whose words, with PKU tags mapped to UPOS, form a second "
                             "tag dictionary (lexicon features)")
    parser.add_argument("--guide", metavar="PATH", default=None,
                        help="UPOS tagger: PD98 corpus on which a PKU POS tagger is trained whose tags of the "
                             "words are features (stored in the model's guide/ directory)")
    parser.add_argument("--guide-n-iter", type=int, default=5, help="epochs of the --guide tagger")
    parser.add_argument("--parser-guide", action="store_true",
                        help="parser: the --guide tagger's tags of the words are parser features too "
                             "(the tagger is saved with the parser)")
    parser.add_argument("--tagger-treebank-features", action="store_true",
                        help="parser with --tags predicted: the jackknife taggers use treebank features")
    parser.add_argument("--tagger-n-iter", type=int, default=5, help="epochs of the jackknife UPOS taggers")
    parser.add_argument("--tagger-seeds", type=int, default=1,
                        help="UPOS tagger (and the jackknife taggers): average this many shuffle seeds")
    parser.add_argument("--pd98", metavar="PATH", default=None,
                        help="tagger: PD98 sentences with PKU tags mapped to UPOS as extra training data "
                             "(the old tagger; not with --lexicon)")
    parser.add_argument("--pd98-weight", type=float, default=1.0,
                        help="tagger: PD98 words to add, as a multiple of the treebank words")
    parser.add_argument("--prune", type=float, default=None, help="drop weight rows with max |w| <= this")
    parser.add_argument("--seed", type=int, default=0)
    from ..cli import add_quiet_argument
    add_quiet_argument(parser)


def atomic_save(out, save) -> Path:
    """``save(tmp_dir)`` into a temporary directory beside ``OUT`` that then replaces it in one
    step (:func:`cnlp.io.atomic_directory`): a killed run leaves the previous model."""
    from ..io import atomic_directory
    with atomic_directory(out, keep_other=False) as d:
        save(d)
    return Path(out)


def load_data(args):
    from ..cli import default_corpus
    paths = args.corpus or [default_corpus("ud_chinese", f) for f in UD_FILES]
    train = [s for p in paths for s in read_ud(p)]
    dev = read_ud(args.dev or default_corpus("ud_chinese", UD_DEV, option="--dev"))
    return train, dev


def jackknife_tags(train, folds: int, **kw):
    """Each fold's UPOS as predicted (in its own treebank's style) by a tagger trained on the other
    folds (:func:`cnlp.parse.frontend.train_lexicon_tagger` with ``kw``; copies of the sentences)."""
    import copy
    from .frontend import train_lexicon_tagger
    out = [copy.copy(s) for s in train]
    for k in range(folds):
        rest = [s for i, s in enumerate(train) if i % folds != k]
        tbs = {s.treebank for s in rest}
        tagger = train_lexicon_tagger(rest, (), treebank=sorted(tbs)[0] if kw.get("treebank_features") else None,
                                      **kw)
        for i in range(k, len(train), folds):
            tb = out[i].treebank if out[i].treebank in tbs else None
            out[i].upos = tagger.predict(out[i].forms, treebank=tb)
    return out


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
    from ..corpus.readers import read_pd98
    from .frontend import lexicon_dictionary
    return lexicon_dictionary(read_pd98(args.lexicon))


def _guide(args):
    """The guide tagger trained on ``--guide`` (or None)."""
    if not args.guide:
        return None
    from ..corpus.readers import read_pd98
    from .frontend import train_guide
    return train_guide(read_pd98(args.guide), n_iter=args.guide_n_iter, bits=args.bits)


def train_main(args) -> int:
    from ..cli import dev_summary, progress_enabled
    from ..train import command_line
    t0 = time.perf_counter()
    verbose = progress_enabled(args)
    train, dev = load_data(args)
    meta = {"command": command_line(getattr(args, "argv", None)), "train_sentences": len(train),
            "dev_included": bool(args.include_dev)}
    n_iter = args.n_iter
    if args.pd98 and (args.lexicon or args.guide):
        raise SystemExit("cnlp train dep: --pd98 (PD98 as training sentences) excludes --lexicon and --guide")
    if args.component == "parser":
        from .parser import ArcHybridParser
        sel_dev = dev
        tb = args.treebank
        if args.include_dev:
            train = train + dev
            sel_dev = None
            tb = tb or dev[0].treebank if dev else tb
        if args.parser_guide and not args.guide:
            raise SystemExit("cnlp train dep: --parser-guide needs --guide PD98_FILE")
        guide = _guide(args)
        if args.tags != "gold":
            pred = jackknife_tags(train, args.folds, lexicon=_lexicon(args), guide=guide,
                                  treebank_features=args.tagger_treebank_features, n_iter=args.tagger_n_iter,
                                  seeds=args.tagger_seeds)
            train = pred if args.tags == "predicted" else [x for pair in zip(train, pred) for x in pair]
            meta["jackknife_tagger"] = {"tags": args.tags, "folds": args.folds, "lexicon": bool(args.lexicon),
                                        "treebank_features": args.tagger_treebank_features,
                                        "guide": bool(args.guide), "seeds": args.tagger_seeds,
                                        "n_iter": args.tagger_n_iter}
        train = repeat_treebanks(train, args.repeat)
        p = ArcHybridParser(beam=args.beam, n_iter=n_iter or 15, bits=args.bits, min_count=args.min_count,
                            treebank_features=args.treebank_features, random_state=args.seed, verbose=verbose)
        p.fit(train, dev=sel_dev, dev_treebank=tb, default_treebank=tb if args.treebank_features else None,
              guide=guide if args.parser_guide else None)
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        atomic_save(args.out, lambda d: p.save(d, meta=meta, prune=args.prune or 0.0))
        print(f"parser: {len(train)} sentences, {p.n_lifted_} arcs lifted in {p.n_nonprojective_} "
              f"non-projective trees{dev_summary(p.training_log_, 'dev_las', 'dev LAS')}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    elif args.component == "tagger" and not args.pd98:
        from .frontend import train_lexicon_tagger, train_xpos_tagger
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
        atomic_save(args.out, lambda d: upos.save(d, meta=meta, prune=prune))
        if xpos is not None:
            atomic_save(args.xpos_out, lambda d: xpos.save(d, meta=meta, prune=prune))
        print(f"tagger: {len(data)} sentences{dev_summary(upos.model.training_log_, name='dev accuracy')}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    elif args.component == "tagger":
        from .frontend import train_ud_tagger
        pd98 = None
        if args.pd98:
            from ..corpus.readers import read_pd98
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
        from .frontend import train_ud_segmenter
        data = train + dev if args.include_dev else train
        seg = train_ud_segmenter([s.forms for s in data], [] if args.include_dev else [s.forms for s in dev],
                                 n_iter=n_iter or 10, bits=args.bits, verbose=verbose)
        meta["train_seconds"] = round(time.perf_counter() - t0, 1)
        prune = 1e-3 if args.prune is None else args.prune
        atomic_save(args.out, lambda d: seg.save(d, meta=meta, prune=prune))
        print(f"segmenter: {len(data)} sentences{dev_summary(seg.tagger.training_log_)}, "
              f"{time.perf_counter() - t0:.0f}s -> {args.out} (per-epoch log in its meta.json)")
    return 0
