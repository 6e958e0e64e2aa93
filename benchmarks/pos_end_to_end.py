"""End-to-end POS tagging (raw text -> words -> tags) against peers: accuracy and speed in one run.

    taskset -c 0 python benchmarks/pos_end_to_end.py [--repeat 3] [--limit N] [--cws DIR] [--pos DIR]
                                                      [--skip jieba thulac pkuseg] [--fake-cnlp]

Data: the non-empty lines of ``pd1998/199801.txt`` in file order, the first 90 % for training and
the last 10 % for testing (:func:`cnlp.corpus.splits.pd98_split`). Each test line's raw text is the concatenation of
its gold words; every system gets that text, line by line, and returns ``(word, tag)`` pairs.

Systems and how each is called (one call per line, str in, word/tag pairs out):

* cnlp: ``seg = cnlp.load(CWS_DIR)`` (its PKU standard when it has several); ``tagger = cnlp.load(POS_DIR);
  pipe = cnlp.Pipeline(seg, pos=tagger)`` then ``pipe(text).tagged()``. ``--fake-cnlp`` puts
  ``jieba.posseg`` behind the same interface (a check of the scoring path). cnlp's models must
  be trained on the first 90 % only for a fair number: the shipped ``data/pos`` is, but the
  shipped ``data/crf`` was trained on all of 199801.txt, test lines included. The script prints
  each model's recorded training command and a warning when it may have seen the test lines.
* jieba 0.42 ``jieba.posseg.lcut(text)`` (pairs with ``.word`` / ``.flag``), its own dictionary
  and HMM.
* THULAC 0.2 ``thulac.thulac().cut(text)`` (``[word, tag]`` lists), its shipped model, decoded in
  pure Python (``fast_cut`` needs a ``libthulac.so`` that the PyPI package does not ship).
* pkuseg ``spacy_pkuseg.pkuseg(postag=True).cut(text)`` — only if its models are present: both
  its default segmentation model and its POS model are downloaded from GitHub on first use, so
  offline the row is skipped with the error printed.

jieba and THULAC are as shipped: trained on other data with ICTCLAS-style "near-PKU" tag sets
(jieba ``x`` / ``uj`` / ``eng`` ..., THULAC ``w`` / ``u`` / ``np`` ...), and their segmentation
standards differ from PKU's. Their tags are scored as they are; the coarse score maps every tag
(gold and predicted) to its first letter, lower-cased (``nr`` -> ``n``, ``Vg`` -> ``v``).

Scoring (:class:`cnlp.evaluate.SpanTagEvaluator`): a predicted token is correct when a gold token on the same
line has the same character span (start, end) and the same tag; P = correct / predicted tokens,
R = correct / gold tokens. "seg" is the span-only score (SIGHAN segmentation F1).

Speed: chars/s over the whole test text, line by line, best of ``--repeat`` timed runs in the same
process after one warm-up call (model loading and JIT excluded); each system's natural call is
timed (cnlp ``pipe(text).tagged()``, jieba ``posseg.lcut``, THULAC ``cut``). "cnlp is faster by" =
cnlp chars/s / the system's chars/s, same run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import time
from collections import Counter
from pathlib import Path

from common import best_of

from cnlp.corpus.readers import corpus_path, parse_pd98_line
from cnlp.corpus.splits import pd98_split
from cnlp.evaluate import SpanTagEvaluator

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------- scoring
class Scores:
    """Fine, coarse (first letter) and span-only scores of one system, with the library's
    :class:`cnlp.evaluate.SpanTagEvaluator` (one per tag mapping)."""

    def __init__(self):
        self.fine, self.coarse = SpanTagEvaluator(), SpanTagEvaluator(coarse=True)
        self.pred_tags: Counter = Counter()
        self.gold_tags: Counter = Counter()

    def add(self, gold, pred, where: str = "") -> None:
        self.fine.add(gold, pred, where=where)
        self.coarse.add(gold, pred, where=where)
        self.gold_tags.update(t for w, t in gold if w and not w.isspace())
        self.pred_tags.update(t for w, t in pred if w and not w.isspace())

    def result(self) -> dict:
        f, c = self.fine.result(), self.coarse.result()
        return {"fine": f, "coarse": c, "seg": {"f1": f["seg_f1"]}}


# ---------------------------------------------------------------------------------- systems
class _FakeDoc:
    def __init__(self, pairs):
        self._pairs = pairs

    def tagged(self) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in self._pairs]


def _model_meta(d) -> dict:
    try:
        return json.loads((Path(d) / "meta.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _held_out(meta: dict, n_train: int, test_ratio: float) -> bool:
    """False when the model's recorded training may have seen this run's test lines."""
    cmd = meta.get("command", "")
    if "199801" not in cmd:                     # trained from another file (e.g. a written-out split)
        return True
    if "train_sentences" in meta:               # lines it trained on (+ dev) all inside our train part
        return meta["train_sentences"] + meta.get("dev_sentences", 0) <= n_train
    ratio = re.search(r"--test-ratio[ =]([0-9.]+)", cmd)
    return bool(ratio) and float(ratio.group(1)) == test_ratio


def cnlp_pipeline(cws_dir: str, pos_dir: str, fake: bool, n_train: int, test_ratio: float,
                  notes: dict) -> tuple[str, object]:
    """(row name, callable text -> [(word, tag), ...]) for cnlp's segment + tag pipeline."""
    if fake:
        import jieba
        import jieba.posseg
        jieba.setLogLevel(60)
        jieba.initialize()
        notes["cnlp"] = "FAKE: jieba.posseg.lcut behind the cnlp Pipeline interface (--fake-cnlp)"
        return "cnlp FAKE (= jieba.posseg)", lambda s: _FakeDoc(jieba.posseg.lcut(s)).tagged()
    import cnlp
    missing = [f"cnlp.{n}" for n in ("load", "Pipeline") if not hasattr(cnlp, n)]
    if missing:
        sys.exit(f"error: {' and '.join(missing)} not available in this checkout yet "
                 f"({cnlp.__file__}); run with --fake-cnlp to exercise the scoring path")
    for what, d in (("--cws", cws_dir), ("--pos", pos_dir)):
        if not Path(d).is_dir():
            sys.exit(f"error: {what} model directory {d} does not exist")
    seg = cnlp.load(cws_dir)
    seg = seg.with_standard("pku") if "pku" in seg.standards else seg      # the tagger learned PKU words
    tagger = cnlp.load(pos_dir)
    pipe = cnlp.Pipeline(seg, pos=tagger)
    for what, d in (("cws", cws_dir), ("pos", pos_dir)):
        meta = _model_meta(d)
        key = f"cnlp {what} model {d}"
        notes[key] = f"trained by: {meta.get('command', '(no command recorded)')}"
        if not _held_out(meta, n_train, test_ratio):
            notes[key] += "\n  WARNING: trained from 199801.txt, test lines included: its scores here are optimistic"
    return "cnlp (segment + POS)", lambda s: pipe(s).tagged()


def peers(skip: list[str], notes: dict) -> dict:
    """Row name -> callable text -> word/tag pairs in the peer's native form (converted later)."""
    out = {}
    if "jieba" not in skip:
        import jieba
        import jieba.posseg
        jieba.setLogLevel(60)
        jieba.initialize()
        out["jieba posseg.lcut (its dictionary + HMM)"] = jieba.posseg.lcut
    if "thulac" not in skip:
        import thulac
        th = thulac.thulac()                        # segmentation + POS, its shipped model
        out["THULAC cut (shipped model)"] = th.cut
    if "pkuseg" not in skip:
        import spacy_pkuseg
        try:
            pk = spacy_pkuseg.pkuseg(postag=True)
        except Exception as e:                      # models come from GitHub on first use
            notes["pkuseg"] = f"skipped: spacy_pkuseg.pkuseg(postag=True) raised {type(e).__name__}: {e}"
            print(f"  pkuseg {notes['pkuseg']}", flush=True)
        else:
            out["pkuseg cut (postag=True, its default models)"] = pk.cut
    return out


def as_pairs(result) -> list[tuple[str, str]]:
    """jieba pair objects, THULAC ``[w, t]`` lists and tuples -> ``[(word, tag), ...]``."""
    return [(p.word, p.flag) if hasattr(p, "flag") else (p[0], p[1]) for p in result]


def run_lines(fn, lines) -> None:
    for line in lines:
        fn(line)


# ---------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per system (best is reported)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N test lines")
    ap.add_argument("--test-ratio", type=float, default=0.1)
    ap.add_argument("--cws", default=str(ROOT / "data" / "crf"), help="cnlp segmentation model directory")
    ap.add_argument("--pos", default=str(ROOT / "data" / "pos"), help="cnlp POS model directory")
    ap.add_argument("--fake-cnlp", action="store_true", help="use jieba.posseg in cnlp's place")
    ap.add_argument("--skip", nargs="*", default=[], choices=["jieba", "thulac", "pkuseg"])
    args = ap.parse_args()
    print("$ " + shlex.join([Path(sys.executable).name] + sys.argv))
    path = corpus_path("pd1998", "199801.txt")
    train, _, test = pd98_split(path, test_ratio=args.test_ratio, parse=False)
    n_lines = len(train) + len(test)
    if args.limit:
        test = test[:args.limit]
    gold = [parse_pd98_line(line) for line in test]
    texts = ["".join(w for w, _ in g) for g in gold]
    nchars = sum(map(len, texts))
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    limited = " (--limit)" if args.limit else ""
    print(f"{path}: {n_lines} non-empty lines; train first {len(train)}, test {len(test)} lines{limited}, "
          f"{nchars:,} chars, {sum(map(len, gold)):,} gold tokens; speed best of {args.repeat}; CPUs {cpus}",
          flush=True)

    notes: dict[str, str] = {}
    systems = dict([cnlp_pipeline(args.cws, args.pos, args.fake_cnlp, len(train), args.test_ratio, notes)])
    systems.update(peers(args.skip, notes))

    rows = []
    for name, fn in systems.items():
        t0 = time.perf_counter()
        fn(texts[0])                                # warm-up: model load, JIT
        warm = time.perf_counter() - t0
        ev = Scores()
        for i, (g, s) in enumerate(zip(gold, texts)):
            ev.add(g, as_pairs(fn(s)), where=f"{name}, test line {i + 1}: ")
        res = ev.result()
        t = best_of(lambda: run_lines(fn, texts), args.repeat)
        rows.append((name, res, nchars / t))
        odd = [(tag, n) for tag, n in ev.pred_tags.most_common() if tag not in ev.gold_tags]
        if odd:
            notes[f"{name}: predicted tags absent from the gold test"] = ", ".join(f"{k} {v}" for k, v in odd[:12])
        print(f"  {name}: fine F1 {res['fine']['f1']:.4f}, coarse F1 {res['coarse']['f1']:.4f}, "
              f"seg F1 {res['seg']['f1']:.4f}, {nchars / t:,.0f} chars/s (warm-up call {warm:.2f} s)", flush=True)

    ours = rows[0][2]
    print("\n| system | fine P | fine R | fine F1 | coarse P | coarse R | coarse F1 | seg F1 | chars/s "
          "| cnlp is faster by |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r, cps in rows:
        f, c = r["fine"], r["coarse"]
        print(f"| {name} | {f['precision']:.4f} | {f['recall']:.4f} | {f['f1']:.4f} | {c['precision']:.4f} | "
              f"{c['recall']:.4f} | {c['f1']:.4f} | {r['seg']['f1']:.4f} | {cps:,.0f} | {ours / cps:.2f}x |")
    for k, v in notes.items():
        print(f"\n{k}: {v}")


if __name__ == "__main__":
    main()
