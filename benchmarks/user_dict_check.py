"""What user words do to a segmenter, per mode (chooses ``PREFER_MARGIN`` and ``SUGGEST_BIAS``).

    # choose on dev: a model trained on the first 90 % of 199801.txt, scored on the last 10 %
    python benchmarks/user_dict_check.py --dev --model DIR [--algorithm perceptron|crf|hmm|bigram]
                                         [--margin 0.5 1 2 4 8] [--bias 0.35 1]
    # report on the SIGHAN PKU test with a shipped model
    python benchmarks/user_dict_check.py [--algorithm crf]

Half of the evaluation text's OOV words (gold words absent from the training word list; every other
one in sorted order) become user words, as a user teaching the words of their domain would add
them. For each mode (none, suggest, prefer with each margin, force): F1, recall of the taught
words' gold occurrences, recall of the *other* OOV words (should not drop), and, with jieba's
349k-word dictionary loaded in that mode instead, F1 (a large dictionary of another segmentation
standard: it shows what a mode does to words the user did not mean for this text).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from common import pku_test, score

from cnlp.dictionary import UserDictionary
from cnlp.io import corpora_dir


def recall_of(pred, gold, targets: set[str]) -> float:
    hit = tot = 0
    for p, g in zip(pred, gold):
        ps, pos = set(), 0
        for w in p:
            ps.add((pos, pos + len(w)))
            pos += len(w)
        pos = 0
        for w in g:
            if w in targets:
                tot += 1
                hit += (pos, pos + len(w)) in ps
            pos += len(w)
    return hit / max(tot, 1)


def dev_split() -> tuple[list[str], list[list[str]], set[str]]:
    """(raw dev lines, gold words, training words) of the 90/10 split of 199801.txt's non-empty lines."""
    from cnlp.corpus.readers import read_pd98
    path = corpora_dir() / "pd1998" / "199801.txt"
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    k = int(len(lines) * 0.9)
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        tr, dv = Path(d) / "train.txt", Path(d) / "dev.txt"
        tr.write_text("\n".join(lines[:k]) + "\n", "utf-8")
        dv.write_text("\n".join(lines[k:]) + "\n", "utf-8")
        words = {w for s in read_pd98(tr) for w, _ in s}
        gold = [[w for w, _ in s] for s in read_pd98(dv)]
    return ["".join(g) for g in gold], gold, words


def load_segmenter(algorithm: str, model: str | None):
    """factory(**kw) for the algorithm: the shipped model, or the one in ``model``."""
    from cnlp.registry import SEGMENTERS, resolve
    if model is None:
        return resolve(SEGMENTERS, algorithm)
    if algorithm in ("perceptron", "crf"):
        from cnlp.segmentation.tagging import TaggingSegmenter
        base = TaggingSegmenter.load(model)
        return lambda **kw: TaggingSegmenter(base.tagger, base.features, **kw)
    if algorithm == "hmm":
        from cnlp.segmentation.hmm import HMMSegmenter
        base = HMMSegmenter.load(model)

        def hmm(user_dict=None, suggest_bias=None, prefer_margin=None):
            import copy
            seg = copy.copy(base)
            seg.user_dict = user_dict
            if suggest_bias is not None:
                seg.suggest_bonus = suggest_bias
            if prefer_margin is not None:
                seg.prefer_margin = prefer_margin
            return seg
        return hmm
    if algorithm == "bigram":
        from cnlp.segmentation.lattice import BigramModel, LatticeSegmenter
        m = BigramModel.load(model)

        def bigram(user_dict=None, suggest_bias=None, prefer_margin=None):
            kw = {} if suggest_bias is None else {"suggest_bonus": suggest_bias}
            if prefer_margin is not None:
                kw["prefer_margin"] = prefer_margin
            return LatticeSegmenter(m, user_dict=user_dict, **kw)
        return bigram
    raise SystemExit(f"--model is supported for perceptron, crf, hmm and bigram, not {algorithm}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default="crf")
    ap.add_argument("--model", help="segmenter directory (default: the shipped model)")
    ap.add_argument("--dev", action="store_true", help="score on the dev split of 199801.txt, not the PKU test")
    ap.add_argument("--margin", type=float, nargs="*", default=None,
                    help="prefer margins to try (default: the segmenter's own)")
    ap.add_argument("--bias", type=float, nargs="*", default=None,
                    help="suggest biases to try (default: the segmenter's own)")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba-dictionary column")
    args = ap.parse_args()
    factory = load_segmenter(args.algorithm, args.model)
    raw, gold, words = dev_split() if args.dev else pku_test()
    oov = sorted({w for g in gold for w in g if w not in words})
    taught, other = oov[::2], set(oov[1::2])
    jieba_words = []
    if not args.no_jieba:
        with open(corpora_dir() / "dicts" / "jieba_dict.txt", encoding="utf-8") as f:
            jieba_words = [line.split()[0] for line in f if line.split()]
    print(f"{'dev split of 199801.txt' if args.dev else 'SIGHAN PKU test'}, {args.algorithm}"
          f"{' ' + args.model if args.model else ''}: {len(raw)} lines, {len(taught)} taught OOV words, "
          f"{len(other)} other OOV words; jieba dictionary {len(jieba_words)} words")
    rows = [("none", None, {})]
    for b in (args.bias if args.bias is not None else [None]):
        rows.append(("suggest", "suggest", {} if b is None else {"suggest_bias": b}))
    for m in (args.margin if args.margin is not None else [None]):
        rows.append(("prefer", "prefer", {} if m is None else {"prefer_margin": m}))
    rows.append(("force", "force", {}))
    print("\n| mode | setting | F1 | taught-OOV recall | other-OOV recall | F1 with jieba's dictionary in this mode |")
    print("|---|---|---|---|---|---|")
    for name, mode, kw in rows:
        ud = None if mode is None else UserDictionary(taught, mode=mode)
        seg = factory(user_dict=ud, **kw)
        pred = [seg.segment(x) for x in raw]
        r = score(pred, gold, words)
        fj = "—"
        if jieba_words and mode is not None and mode != "force":
            segj = factory(user_dict=UserDictionary(jieba_words, mode=mode), **kw)
            fj = f"{score([segj.segment(x) for x in raw], gold, words)['f1']:.4f}"
        setting = ", ".join(f"{k}={v:g}" for k, v in kw.items()) or "default"
        print(f"| {name} | {setting} | {r['f1']:.4f} | {recall_of(pred, gold, set(taught)):.4f} | "
              f"{recall_of(pred, gold, other):.4f} | {fj} |", flush=True)


if __name__ == "__main__":
    main()
