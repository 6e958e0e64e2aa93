"""Dependency parsing accuracy on UD Chinese GSDSimp dev (CoNLL 2018 definitions, punctuation included).

    python benchmarks/parse_accuracy.py [--parser DIR] [--tagger DIR] [--segmenter DIR] [--beam 8]

Prints UPOS / UAS / LAS with gold tokens + gold UPOS, with gold tokens + predicted tags, and end to
end from raw text (word / UPOS / UAS / LAS F1), greedy (beam 1) and with the beam. Default models:
the shipped ``data/dep``, ``data/ud_pos``, ``data/ud_cws`` (note: shipped models that were trained
with the dev file included score too high here; see docs/parser.md).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir, model_path  # noqa: E402
from cnlp.parsing.conllu import UD_DEV, UDSentence, read_ud  # noqa: E402
from cnlp.parsing.evaluate import evaluate_dep  # noqa: E402
from cnlp.parsing.frontend import UDTagger  # noqa: E402
from cnlp.parsing.parser import ArcHybridParser  # noqa: E402
from cnlp.segmentation.tagging import TaggingSegmenter  # noqa: E402


def run(dev, parser, tagger, seg, beams, treebank=None):
    rows = []
    for beam in beams:
        # gold tokens + gold UPOS
        pred = parser.parse_many([(s.forms, s.upos) for s in dev], beam=beam, treebank=treebank)
        sys_ = [UDSentence(s.forms, s.upos, s.xpos, h, r) for s, (h, r) in zip(dev, pred)]
        sc = evaluate_dep(dev, sys_)
        rows.append((f"gold tokens, gold UPOS, beam {beam}", sc.f1("UPOS"), sc.f1("UAS"), sc.f1("LAS"), None))
        # gold tokens + predicted tags
        tags = [tagger.predict_both(s.forms) for s in dev]
        pred = parser.parse_many([(s.forms, up) for s, (up, _) in zip(dev, tags)], beam=beam, treebank=treebank)
        sys_ = [UDSentence(s.forms, up, xp, h, r) for s, (up, xp), (h, r) in zip(dev, tags, pred)]
        sc = evaluate_dep(dev, sys_)
        rows.append((f"gold tokens, predicted tags, beam {beam}", sc.f1("UPOS"), sc.f1("UAS"), sc.f1("LAS"),
                     sc.f1("XPOS")))
        if seg is not None:
            sys_ = []
            for s in dev:
                words = [w for w in seg.segment(s.text) if not w.isspace()]
                up, xp = tagger.predict_both(words) if words else ([], [])
                h, r = parser.parse(words, up, beam=beam, treebank=treebank) if words else ([], [])
                sys_.append(UDSentence(words, up, xp, h, r))
            sc = evaluate_dep(dev, sys_)
            rows.append((f"raw text (words F1 {sc.f1('Words'):.4f}), beam {beam}", sc.f1("UPOS"), sc.f1("UAS"),
                         sc.f1("LAS"), sc.f1("XPOS")))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(corpora_dir() / "ud_chinese" / UD_DEV))
    ap.add_argument("--parser", default=None)
    ap.add_argument("--tagger", default=None)
    ap.add_argument("--xpos-tagger", default=None)
    ap.add_argument("--segmenter", default=None)
    ap.add_argument("--beam", type=int, default=None, help="beam width besides greedy (default: the model's)")
    ap.add_argument("--treebank", default=None, help="parse in this treebank's style")
    ap.add_argument("--no-raw", action="store_true", help="skip the end-to-end rows")
    args = ap.parse_args(argv)
    dev = read_ud(args.dev)
    parser = ArcHybridParser.load(args.parser or model_path("dep"))
    xdir = args.xpos_tagger
    if args.tagger is None:
        args.tagger = model_path("ud_pos")
        xdir = xdir or (model_path("ud_xpos") if (model_path("ud_pos").parent / "ud_xpos").exists() else None)
    tagger = UDTagger.load(args.tagger, xdir)
    seg = None if args.no_raw else TaggingSegmenter.load(args.segmenter or model_path("ud_cws"))
    beams = sorted({1, args.beam or parser.beam})
    print(f"{'setting':<48} {'UPOS':>7} {'UAS':>7} {'LAS':>7} {'XPOS':>7}")
    for name, up, uas, las, xp in run(dev, parser, tagger, seg, beams, args.treebank):
        print(f"{name:<48} {up:7.4f} {uas:7.4f} {las:7.4f} {'' if xp is None else f'{xp:7.4f}'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
