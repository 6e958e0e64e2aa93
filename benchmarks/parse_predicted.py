"""Parser trained on gold vs jackknifed predicted UPOS, scored with predicted tags on GSDSimp dev.

    python benchmarks/parse_predicted.py [--half] [--dev-repeat K] gold predicted mixed

Without ``--half``: train on the four training treebanks (PUD x2), parse GSDSimp dev in PUD style
with the tags of a tagger trained on the same data. ``mixed``: gold and jackknifed copies of every sentence. With ``--half`` (the estimate for the shipped
setting): train on them + the odd half of dev (x ``--dev-repeat`` for the parser), score on the even half, GSD style.
Tagger: :func:`cnlp.train.ud.train_lexicon_tagger` (affix templates, PD98 lexicon, treebank
features, ``--tagger-iter`` epochs; with ``--guide``, also the tags of a PKU tagger trained on
PD98, :func:`cnlp.train.ud.train_guide`); predicted training tags come from 5-fold jackknifing.
``--raw`` also trains a UD segmenter on the same sentences (the ``cnlp train dep --component
segmenter`` recipe) and scores the pipeline end to end from the raw text of the scored sentences.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir
from cnlp.parsing.conllu import UD_DEV, UD_FILES, read_ud
from cnlp.parsing.parser import ArcHybridParser, attachment_scores


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("modes", nargs="*", help="gold, predicted and/or mixed (none with --tagger-only)")
    ap.add_argument("--half", action="store_true")
    ap.add_argument("--n-iter", type=int, default=10)
    ap.add_argument("--tagger-iter", type=int, default=5)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--dev-repeat", type=int, default=2)
    ap.add_argument("--guide", action="store_true", help="the tagger reads a PD98 PKU tagger's tags")
    ap.add_argument("--guide-iter", type=int, default=5)
    ap.add_argument("--guide-model", metavar="DIR", default=None,
                    help="load this saved guide tagger (e.g. data/dep/guide) instead of training one on PD98")
    ap.add_argument("--tagger-seeds", type=int, default=1)
    ap.add_argument("--parser-guide", action="store_true", help="the parser reads the guide's tags too")
    ap.add_argument("--epoch-log", action="store_true",
                    help="print every epoch's UAS / LAS with predicted tags (beam 8) and keep the best epoch")
    ap.add_argument("--beams", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--cv", type=int, nargs=2, metavar=("N", "K"), default=None,
                    help="like --half, but train on the dev sentences i with i %% N != K and score on i %% N == K")
    ap.add_argument("--write", metavar="PREFIX", default=None,
                    help="write the scored gold sentences and the predictions (predicted tags; raw text with --raw) "
                         "of the widest beam as PREFIX.gold.conllu / .tags.conllu / .raw.conllu")
    ap.add_argument("--save", metavar="DIR", default=None,
                    help="also save the parser (with --prune, the pruned one that is scored) in DIR (one mode)")
    ap.add_argument("--dev-share", type=int, default=1,
                    help="with --half: train on only every K-th sentence of the odd half (a learning curve)")
    ap.add_argument("--raw", action="store_true",
                    help="also train a UD segmenter on the same sentences and score end to end from raw text "
                         "(word / UPOS / UAS / LAS F1, CoNLL 2018 alignment)")
    ap.add_argument("--extra", action="append", default=[], metavar="PATH",
                    help="another training CoNLL-U file (e.g. the converted UD 1.4 GSD training set of "
                         "scripts/convert_ud14.py; its treebank is the file name up to the first '-')")
    ap.add_argument("--extra-repeat", type=int, default=1, help="times the --extra sentences count (parser)")
    ap.add_argument("--drop", action="append", default=[], metavar="TREEBANK",
                    help="leave this training treebank out (e.g. zh_beginner)")
    ap.add_argument("--pud-repeat", type=int, default=2)
    ap.add_argument("--train-beam", type=int, default=8, help="the parser's training beam (1: greedy)")
    ap.add_argument("--min-count", type=int, default=1, help="the parser's min_count")
    ap.add_argument("--oracle", choices=["static", "dynamic"], default="static",
                    help="the parser's training oracle (dynamic: greedy, --train-beam 1)")
    ap.add_argument("--explore", type=float, default=0.9, help="dynamic oracle: probability of following a wrong prediction")
    ap.add_argument("--parser-seed", type=int, default=0, help="the parser's random_state (epoch shuffles)")
    ap.add_argument("--explore-after", type=int, default=1, help="dynamic oracle: epochs without exploration first")
    ap.add_argument("--prune", type=float, default=None,
                    help="save the parser with this prune (rows with all |w| <= it dropped), reload it and "
                         "score the reloaded one; prints the size of its arrays.npz")
    ap.add_argument("--seg-treebanks", nargs="+", default=None, metavar="TREEBANK",
                    help="with --raw: train the segmenter on these treebanks' sentences only (default: all)")
    ap.add_argument("--tagger-only", action="store_true",
                    help="train no parser: print UPOS with gold words and (with --raw) words / UPOS F1 from raw "
                         "text, then stop (a fraction of the time and memory of a parser run)")
    ap.add_argument("--tagger-prune", type=float, default=None,
                    help="save the UPOS tagger with this prune (as cnlp train dep does: 1.0), reload and score it")
    ap.add_argument("--tagger-repeat", action="append", default=[], metavar="TREEBANK=K",
                    help="the UPOS tagger counts this treebank's sentences K times (0: not trained on; "
                         "their words stay in its tag dictionary)")
    ap.add_argument("--tagger-dev-repeat", type=int, default=1,
                    help="the UPOS tagger counts the dev sentences it trains on this many times "
                         "(after --tagger-repeat)")
    ap.add_argument("--seg-lexicon", action="append", default=[], metavar="PATH",
                    help="with --raw: word list for the segmenter's dictionary features (cnlp train dep "
                         "--seg-lexicon)")
    ap.add_argument("--seg-lexicon-min-freq", type=int, default=0)
    ap.add_argument("--seg-iter", type=int, default=10, help="with --raw: the segmenter's epochs")
    ap.add_argument("--seg-seeds", type=int, default=1, help="with --raw: the segmenter's shuffle seeds")
    ap.add_argument("--lexicon-words", metavar="PATH", default=None,
                    help="the tagger's lexicon also holds the words of this tagged word list (jieba's "
                         "'word freq tag') that PD98 does not have (cnlp.train.ud.lexicon_dictionary words=)")
    ap.add_argument("--lexicon-words-min-freq", type=int, default=0)
    ap.add_argument("--lexicon-words-apart", action="store_true",
                    help="the --lexicon-words entries get tags of their own (wl:UPOS) in the lexicon")
    ap.add_argument("--tagger-bits", type=int, default=22, help="the UPOS tagger's hashed feature bits")
    args = ap.parse_args(argv)
    if any(m not in ("gold", "predicted", "mixed") for m in args.modes) or not (args.modes or args.tagger_only):
        ap.error("give parser modes (gold, predicted, mixed) or --tagger-only")
    from cnlp.corpus.readers import read_pd98
    from cnlp.train.dep import jackknife_tags
    from cnlp.train.ud import lexicon_dictionary, train_guide, train_lexicon_tagger
    t0 = time.perf_counter()
    base = corpora_dir() / "ud_chinese"
    train = [s for f in UD_FILES for s in read_ud(base / f)]
    extra = [s for f in args.extra for s in read_ud(f)]
    train = [s for s in train + extra if s.treebank not in args.drop]
    dev = read_ud(base / UD_DEV)
    gsd = dev[0].treebank
    xrep = {s.treebank: args.extra_repeat for s in extra}
    n_other = len(train)                # the sentences before the dev ones
    if args.cv:
        n, k = args.cv
        train = train + [s for i, s in enumerate(dev) if i % n != k]
        dev = [s for i, s in enumerate(dev) if i % n == k]
        style, reps = gsd, {**xrep, "zh_pud": args.pud_repeat, gsd: args.dev_repeat}
    elif args.half:
        train = train + [s for i, s in enumerate(dev) if i % 2 == 1 and (i // 2) % args.dev_share == 0]
        dev = [s for i, s in enumerate(dev) if i % 2 == 0]
        style, reps = gsd, {**xrep, "zh_pud": args.pud_repeat, gsd: args.dev_repeat}
    else:
        style, reps = "zh_pud", {**xrep, "zh_pud": args.pud_repeat}
    pd98 = list(read_pd98(corpora_dir() / "pd1998" / "199801.txt"))
    from cnlp.train.ud import read_tagged_words
    lexicon = lexicon_dictionary(pd98, read_tagged_words(args.lexicon_words, args.lexicon_words_min_freq)
                                 if args.lexicon_words else (), apart=args.lexicon_words_apart)
    tkw = dict(lexicon=lexicon, treebank_features=True, n_iter=args.tagger_iter, seeds=args.tagger_seeds,
               bits=args.tagger_bits)
    if args.guide:
        if args.guide_model:
            from cnlp.pos.tagger import POSTagger
            tkw["guide"] = POSTagger.load(args.guide_model)
        else:
            tkw["guide"] = train_guide(pd98, n_iter=args.guide_iter)
    trep = {k: int(v) for k, _, v in (x.partition("=") for x in args.tagger_repeat)}
    ndev = len(train) - n_other
    times = [trep.get(s.treebank, 1) * (args.tagger_dev_repeat if i >= n_other else 1) for i, s in enumerate(train)]
    if any(k != 1 for k in times):
        print(f"tagger repeats: {sum(times)} sentences ({ndev} dev sentences x {args.tagger_dev_repeat})", flush=True)
        tkw["repeat"] = times
    tagger = train_lexicon_tagger(train, (), treebank=style, **tkw)
    tkw.pop("repeat", None)
    if args.tagger_prune is not None:
        import tempfile
        from cnlp.parsing.frontend import LexiconTagger
        with tempfile.TemporaryDirectory() as d:
            tagger.save(Path(d) / "upos", prune=args.tagger_prune)
            size = sum(f.stat().st_size for f in (Path(d) / "upos").rglob("*")
                       if f.is_file() and "guide" not in f.relative_to(Path(d) / "upos").parts)
            print(f"tagger saved with prune {args.tagger_prune}: {size / 1e6:.1f} MB (guide not counted)", flush=True)
            tagger = LexiconTagger.load(Path(d) / "upos", guide=tkw.get("guide"))
    tags = [tagger.predict(s.forms) for s in dev]
    upos = np.mean([a == b for s, t in zip(dev, tags) for a, b in zip(s.upos, t)])
    print(f"UPOS {upos:.4f} ({time.perf_counter() - t0:.0f}s)", flush=True)
    if args.tagger_only:
        import collections
        seen = {w for s in train for w in s.forms}
        ok = np.array([a == b for s, t in zip(dev, tags) for a, b in zip(s.upos, t)])
        new = np.array([w not in seen for s in dev for w in s.forms])
        conf = collections.Counter((a, b) for s, t in zip(dev, tags) for a, b in zip(s.upos, t) if a != b)
        print(f"  seen {ok[~new].mean():.4f} unseen {ok[new].mean():.4f} ({new.mean():.3f} unseen); "
              f"gold -> predicted: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in conf.most_common(8)), flush=True)
    seg = None
    if args.raw:
        from cnlp.train.ud import train_ud_segmenter
        from cnlp.train.cws import read_lexicon
        words = sorted({w for p in args.seg_lexicon for w in read_lexicon(p, args.seg_lexicon_min_freq)})
        seg = train_ud_segmenter([s.forms for s in train
                                  if args.seg_treebanks is None or s.treebank in args.seg_treebanks],
                                 n_iter=args.seg_iter, seeds=args.seg_seeds, lexicon=words)
    if args.tagger_only:
        if seg is not None:
            print(f"raw text {end_to_end(dev, seg, tagger, None, 1)} ({time.perf_counter() - t0:.0f}s)", flush=True)
        return 0
    for mode in args.modes:
        data = jackknife_tags(train, args.folds, **tkw) if mode != "gold" else train
        if mode != "gold":
            acc = np.mean([a == b for s, j in zip(train, data) for a, b in zip(s.upos, j.upos)])
            print(f"jackknifed training UPOS {acc:.4f} ({time.perf_counter() - t0:.0f}s)", flush=True)
        if mode == "mixed":
            data = [x for pair in zip(train, data) for x in pair]
        data = [s for s in data for _ in range(reps.get(s.treebank, 1))]
        p = ArcHybridParser(beam=args.train_beam, n_iter=args.n_iter, treebank_features=True, verbose=False,
                            patience=args.n_iter, min_count=args.min_count, oracle=args.oracle,
                            explore=args.explore, explore_after=args.explore_after, random_state=args.parser_seed)
        pdev = None
        if args.epoch_log:
            import copy
            pdev = [copy.copy(s) for s in dev]
            for s, t in zip(pdev, tags):
                s.upos = t
        p.fit(data, default_treebank=style, guide=tkw.get("guide") if args.parser_guide else None,
              dev=pdev, dev_treebank=style)
        if args.epoch_log:
            print([(e["epoch"], e["dev_uas"], e["dev_las"]) for e in p.training_log_], flush=True)
        if args.prune is not None:
            import tempfile
            with tempfile.TemporaryDirectory() as d:
                p.save(Path(d) / "dep", prune=args.prune)
                size = (Path(d) / "dep" / "arrays.npz").stat().st_size
                p = ArcHybridParser.load(Path(d) / "dep")
            print(f"saved with prune {args.prune}: arrays.npz {size / 1e6:.1f} MB (guide not counted)", flush=True)
        if args.save:
            p.save(args.save, prune=args.prune or 0.0)
        for beam in args.beams:
            g = attachment_scores(dev, p.parse_many([(s.forms, s.upos) for s in dev], beam=beam))
            pr = attachment_scores(dev, p.parse_many([(s.forms, t) for s, t in zip(dev, tags)], beam=beam))
            print(f"{mode} beam {beam}: gold UPOS {g}, predicted UPOS {pr} ({time.perf_counter() - t0:.0f}s, "
                  f"{int((p.index_ >= 0).sum())} weight rows)", flush=True)
            if seg is not None:
                print(f"{mode} beam {beam}: raw text {end_to_end(dev, seg, tagger, p, beam)}", flush=True)
        if args.write:
            write_predictions(args.write, dev, tags, seg, tagger, p, max(args.beams))
    return 0


def raw_predictions(dev, seg, tagger, parser, beam) -> list:
    """Raw text -> ``seg`` -> ``tagger`` -> ``parser`` for every sentence of ``dev``."""
    from cnlp.parsing.conllu import UDSentence
    out = []
    for s in dev:
        words = [w for w in seg.segment(s.text) if not w.isspace()]
        up = tagger.predict(words) if words else []
        if parser is None:              # --tagger-only: a chain, scored for words and UPOS only
            h, r = list(range(len(words))), ["dep"] * len(words)
        else:
            h, r = parser.parse(words, up, beam=beam) if words else ([], [])
        out.append(UDSentence(words, up, ["_"] * len(words), h, r, comments=[f"# text = {s.text}"]))
    return out


def end_to_end(dev, seg, tagger, parser, beam) -> str:
    """:func:`raw_predictions` scored against ``dev`` (CoNLL 2018 F1)."""
    from cnlp.parsing.evaluate import evaluate_dep
    sc = evaluate_dep(dev, raw_predictions(dev, seg, tagger, parser, beam))
    keys = ("Words", "UPOS") if parser is None else ("Words", "UPOS", "UAS", "LAS")
    return " ".join(f"{k} F1 {sc.f1(k):.4f}" for k in keys)


def write_predictions(prefix, dev, tags, seg, tagger, parser, beam) -> None:
    """CoNLL-U files of the gold sentences, the parse with predicted tags and (with ``seg``) from raw
    text, so that folds can be pooled and scored with ``cnlp eval dep``."""
    from cnlp.parsing.conllu import UDSentence, write_ud
    pred = parser.parse_many([(s.forms, t) for s, t in zip(dev, tags)], beam=beam)
    files = {"gold": dev, "tags": [UDSentence(s.forms, t, ["_"] * len(s), h, r, comments=[f"# text = {s.text}"])
                                   for s, t, (h, r) in zip(dev, tags, pred)]}
    if seg is not None:
        files["raw"] = raw_predictions(dev, seg, tagger, parser, beam)
    for name, sents in files.items():
        with open(f"{prefix}.{name}.conllu", "w", encoding="utf-8") as f:
            write_ud(sents, f)


if __name__ == "__main__":
    sys.exit(main())
