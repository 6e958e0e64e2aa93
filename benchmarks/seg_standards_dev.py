"""Multi-standard segmentation: dev F1 and OOV recall per corpus for each design (choose on dev).

    nice -n 10 python benchmarks/seg_standards_dev.py [--lexicon jieba msr pku] [--lexicon-mode keep|remove]
        [--names-whole] [--n-iter 15] [--seeds 1] [--no-ud-extra] [--sample 1.0] [--save DIR]
        [--pku-only] [--general]
    python benchmarks/seg_standards_dev.py --model DIR [--mixture '{"weibo": 0.4, "ctb": 0.5}' ...]

Training data (the test sets stay out):
* ``pku``: the training part of the PD98 split (:func:`cnlp.corpus.splits.pd98_split`, test = the last
  10 % of the non-empty lines, dev = the last 5 % of the rest): dev = that dev part.
* ``weibo``: ``weibo_seg/train.txt``; dev = ``weibo_seg/dev.txt``.
* ``general`` (``--general``): the PD98 training part again with person names whole
  (:func:`cnlp.train.cws.merge_names`); its dev = the PD98 dev part with names whole.
* ``ctb``: the UD 1.4 GSD training file (traditional characters; the features fold them to simplified
  with the t2s table) and, unless ``--no-ud-extra``, the other UD files of ``ud_chinese`` except GSDSimp
  dev and the traditional copy of HK; dev = ``zh_gsdsimp-ud-dev.conllu``.

The model (averaged perceptron, :func:`cnlp.train.cws.multi_training_data`, early stopping on the mean
of the three dev F1, each decoded in its own standard) is then decoded with every standard on every
dev set: F1 and OOV recall (OOV = not in that corpus's training words); ``mean_f1`` = the mean over
the pku, weibo and ctb dev sets. One JSON line per design.
``--pku-only``: the baseline, a single-standard model trained on the PD98 training part only.
``--model DIR``: no training; score a saved model's standards (and blends given with ``--mixture``:
the shared weights plus each named standard's weights times its factor, as ``cnlp train cws
--mixture``) on the same dev sets (OOV against the same training parts).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from cnlp.corpus.splits import pd98_split  # noqa: E402
from cnlp.evaluate import SegEvaluator  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402
from cnlp.segmentation.tagging import SHARED, TaggingSegmenter  # noqa: E402
from cnlp.sequence.features import DEFAULT_EXTRA  # noqa: E402
from cnlp.train import fit_linear  # noqa: E402
from cnlp.train.cws import Corpus, merge_names, multi_dev_scorer, multi_training_data, read_corpus, read_lexicon  # noqa: E402

LEXICONS = {"jieba": ("dicts", "jieba_dict.txt"), "pku": ("sighan2005", "pku_training_words.utf8"),
            "msr": ("sighan2005", "msr_training_words.utf8")}
UD_EXTRA = ("zh_beginner-ud-test.conllu", "zh_cfl-ud-test.conllu", "zh_pud-ud-test.simp.conllu",
            "zh_hk-ud-test.simp.conllu")


def corpora(names_whole: bool, ud_extra: bool, sample: float, general: bool = False):
    C = corpora_dir()
    split = pd98_split(C / "pd1998" / "199801.txt", test_ratio=0.1, dev_ratio=0.05)
    conv = (lambda s: [w for w, _ in merge_names(s)]) if names_whole else (lambda s: [w for w, _ in s])
    pku = Corpus("pku", [conv(s) for s in split.train if s], [conv(s) for s in split.dev if s], "pd98")
    weibo = Corpus("weibo", read_corpus(C / "weibo_seg" / "train.txt"), read_corpus(C / "weibo_seg" / "dev.txt"))
    ctb_train = read_corpus(C / "ud_chinese" / "zh_gsd-r1.4-ud-train.trad.conllu")
    if ud_extra:
        for f in UD_EXTRA:
            ctb_train += read_corpus(C / "ud_chinese" / f)
    ctb = Corpus("ctb", ctb_train, read_corpus(C / "ud_chinese" / "zh_gsdsimp-ud-dev.conllu"))
    out = [pku, weibo, ctb]
    if general:        # PD98 once more, names whole, as the standard "general" (scored on the pku dev with names whole)
        whole = lambda s: [w for w, _ in merge_names(s)]  # noqa: E731
        out.append(Corpus("general", [whole(s) for s in split.train if s], [whole(s) for s in split.dev if s]))
    if sample < 1:
        for c in out:
            c.train = c.train[:max(1, int(len(c.train) * sample))]
    return out


def score(seg, c: Corpus, train_words: set) -> dict:
    ev = SegEvaluator(train_words)
    for words in c.dev:
        ev.add(words, seg.segment("".join(words)))
    r = ev.result()
    return {"f1": round(r["f1"], 4), "oov_recall": round(r["oov_recall"], 4), "oov_rate": round(r["oov_rate"], 4)}


class _Consensus:
    """Decodes with the shared weights plus the copies of every standard (python path)."""

    def __init__(self, seg):
        self.seg = seg
        self.feats = [seg.features.for_standard(s) for s in seg.features.standards]

    def segment(self, text):
        from cnlp.tagset import BMES
        from cnlp.text import to_codes
        codes = to_codes(text)
        Xs = [f.transform_codes(codes) for f in self.feats]
        T = Xs[0].shape[1] // 2
        X = np.ascontiguousarray(np.concatenate([Xs[0][:, :T]] + [x[:, T:] for x in Xs], axis=1))
        b = BMES.decode_spans(self.seg.tagger.predict_single(X)).tolist()
        return [text[i:j] for i, j in zip(b, b[1:])]


def consensus_row(seg, cs, train_words):
    s = _Consensus(seg)
    res = {c.standard: score(s, c, train_words[c.standard]) for c in cs}
    res["mean_f1"] = round(float(np.mean([res[c.standard]["f1"] for c in cs[:3]])), 4)
    res["江泽民"] = " ".join(s.segment("江泽民和李鹏会见了克林顿"))
    return {"decode": "all (shared + every copy)", **res}


def score_model(a) -> int:
    seg = TaggingSegmenter.load(a.model)
    cs = corpora(False, True, 1.0, False)
    tw = {c.standard: {w for s in c.train for w in s} for c in cs}
    cands = [(n, seg.with_standard(n)) for n in seg.standards]
    for spec in a.mixture:
        cands.append((spec, TaggingSegmenter(seg.tagger, seg.features, mixtures={"m": json.loads(spec)}, mixture="m")))
    for name, s in cands:
        res = {c.standard: score(s, c, tw[c.standard]) for c in cs}
        res["mean_f1"] = round(float(np.mean([res[c.standard]["f1"] for c in cs])), 4)
        res["江泽民"] = " ".join(s.segment("江泽民和李鹏会见了克林顿"))
        print(json.dumps({"model": a.model, "decode": name, **res}, ensure_ascii=False), flush=True)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lexicon", nargs="*", default=[], choices=sorted(LEXICONS))
    ap.add_argument("--lexicon-mode", default="keep", choices=["keep", "remove"])
    ap.add_argument("--names-whole", action="store_true", help="PD98 person names merged (no PKU name split)")
    ap.add_argument("--no-ud-extra", action="store_true")
    ap.add_argument("--general", action="store_true",
                    help="add PD98 with names whole as a fourth corpus, standard 'general'")
    ap.add_argument("--pku-only", action="store_true")
    ap.add_argument("--n-iter", type=int, default=15)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--bits", type=int, default=22)
    ap.add_argument("--sample", type=float, default=1.0)
    ap.add_argument("--save", default=None)
    ap.add_argument("--tag", default="")
    ap.add_argument("--model", default=None, help="score this saved model (no training)")
    ap.add_argument("--mixture", action="append", default=[], metavar="JSON")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.model:
        return score_model(a)
    cs = corpora(a.names_whole, not a.no_ud_extra, a.sample, a.general)
    train_words = {c.standard: {w for s in c.train for w in s} for c in cs}
    lex = [read_lexicon(corpora_dir().joinpath(*LEXICONS[n])) for n in a.lexicon]
    used = cs[:1] if a.pku_only else cs
    sents, std, feats, X, y = multi_training_data(used if not a.pku_only else used, lexicons=lex,
                                                  lexicon_mode=a.lexicon_mode, bits=a.bits,
                                                  extra=DEFAULT_EXTRA)
    t_feat = time.perf_counter() - t0
    dev = multi_dev_scorer(used, feats)
    model = fit_linear("perceptron", X, y, n_labels=4, n_features=feats.n_features, dev_score=dev,
                       seeds=a.seeds, n_iter=a.n_iter, verbose=True)
    seg = TaggingSegmenter(model, feats)
    design = {"tag": a.tag, "lexicon": a.lexicon, "lexicon_mode": a.lexicon_mode, "names_whole": a.names_whole,
              "ud_extra": not a.no_ud_extra, "pku_only": a.pku_only, "sample": a.sample, "seeds": a.seeds,
              "n_iter": a.n_iter, "train_seconds": round(time.perf_counter() - t0, 1), "feature_seconds": round(t_feat, 1),
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
              "epochs_log": [e.get("dev") for e in (model.training_log_ if isinstance(model.training_log_, list) else [])
                             if isinstance(e, dict)]}
    rows = []
    for std_name in (seg.standards or (None,)):
        s = seg.with_standard(std_name) if std_name else seg
        res = {c.standard: score(s, c, train_words[c.standard]) for c in cs}
        res["mean_f1"] = round(float(np.mean([res[c.standard]["f1"] for c in cs[:3]])), 4)
        res["江泽民"] = " ".join(s.segment("江泽民和李鹏会见了克林顿"))
        rows.append({"decode": std_name or "pku-only", **res})
    if feats.standards:                       # consensus: shared + every standard's copy, summed
        rows.append(consensus_row(seg, cs, train_words))
    print(json.dumps({"design": design, "rows": rows}, ensure_ascii=False), flush=True)
    if a.save:
        seg.save(a.save, meta={"command": "benchmarks/seg_standards_dev.py " + " ".join(sys.argv[1:])})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
