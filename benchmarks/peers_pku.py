"""cnlp against the peer segmenters on the PKU test: accuracy and speed in one run.

    taskset -c 0 python benchmarks/peers_pku.py [--repeat 3] [--pkuseg-iter 10] [--skip pkuseg ...]

Peers (installed by the ``bench`` extra):

* **pkuseg (spacy-pkuseg), retrained here on 199801.txt** with its own trainer (CRF, ADF
  optimiser) — the same closed-track data as cnlp, so this is the like-for-like row. Training
  output goes to ``$TMPDIR/cnlp_bench/pkuseg_pd98`` (never the repo) and is reused on later runs.
* jieba 0.42 (its own dictionary, default ``lcut`` = DAG + HMM), THULAC (its shipped model,
  ``seg_only=True``), SnowNLP (its shipped character model). These are *as shipped*: trained on
  other data and, for jieba and THULAC, a different segmentation standard, so their F1 says how well
  they fit PKU-style text out of the box, not how good their algorithms are.

Speed: chars/s segmenting the PKU test input line by line (str in, list of words out), best of
``--repeat``; model loading and first call are excluded (both sides are warmed up first). The ratio
column is cnlp's default segmenter / the peer, measured in this run.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import best_of, pku_test, run_lines, score

import cnlp
from cnlp.io import corpora_dir


def pkuseg_model(n_iter: int) -> Path:
    import spacy_pkuseg
    out = Path(tempfile.gettempdir()) / "cnlp_bench" / f"pkuseg_pd98_it{n_iter}"
    if (out / "done").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    with open(corpora_dir() / "pd1998" / "199801.txt", encoding="utf-8") as f:
        for line in f:
            words = [t.rsplit("/", 1)[0].lstrip("[") for t in line.split()]
            if words:
                lines.append(" ".join(words))
    train, dev = out / "train.txt", out / "dev.txt"
    train.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dev.write_text("\n".join(lines[-500:]) + "\n", encoding="utf-8")     # pkuseg insists on a test file
    t0 = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(out)                       # its trainer writes temporary files into the working directory
    try:
        spacy_pkuseg.train(str(train), str(dev), str(out / "model"), train_iter=n_iter)
    finally:
        os.chdir(cwd)
    (out / "done").write_text(f"{time.perf_counter() - t0:.0f} s\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pkuseg-iter", type=int, default=10)
    ap.add_argument("--skip", nargs="*", default=[], choices=["pkuseg", "jieba", "thulac", "snownlp"])
    args = ap.parse_args()
    raw, gold, words = pku_test()
    nchars = sum(map(len, raw))
    print(f"PKU test: {len(raw)} lines, {nchars} chars; speed best of {args.repeat}")

    peers: dict[str, object] = {}
    notes: dict[str, str] = {}
    seg = cnlp.get_segmenter()
    peers[f"cnlp {cnlp.registry.DEFAULT_SEGMENTER} (default)"] = seg.segment
    if "pkuseg" not in args.skip:
        import spacy_pkuseg
        d = pkuseg_model(args.pkuseg_iter)
        notes["pkuseg"] = f"retrained on 199801.txt, {args.pkuseg_iter} iterations, {(d / 'done').read_text().strip()}"
        pk = spacy_pkuseg.pkuseg(model_name=str(d / "model"))
        peers["pkuseg retrained on 199801.txt"] = pk.cut
    if "jieba" not in args.skip:
        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        peers["jieba lcut (default)"] = jieba.lcut
    if "thulac" not in args.skip:
        import thulac
        th = thulac.thulac(seg_only=True)
        peers["THULAC seg_only (shipped model)"] = lambda s: [w for w, _ in th.cut(s)]
    if "snownlp" not in args.skip:
        from snownlp import seg as snow_seg
        peers["SnowNLP (shipped model)"] = lambda s: list(snow_seg.seg(s))

    rows = []
    for name, fn in peers.items():
        fn(raw[0])                                  # warm up (model load, JIT)
        pred = [fn(x) for x in raw]
        pred = [[w for w in p if w.strip()] for p in pred]
        res = score(pred, gold, words)
        t = best_of(lambda: run_lines(fn, raw), args.repeat)
        rows.append((name, res, nchars / t))
        print(f"  {name}: F1 {res['f1']:.4f}, {nchars / t:,.0f} chars/s", flush=True)
    ours = rows[0][2]
    print("\n| segmenter | P | R | F1 | OOV-R | IV-R | chars/s | cnlp default / peer |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r, cps in rows:
        print(f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['oov_recall']:.4f} | "
              f"{r['iv_recall']:.4f} | {cps:,.0f} | {ours / cps:.2f}x |")
    for k, v in notes.items():
        print(f"\n{k}: {v}")


if __name__ == "__main__":
    main()
