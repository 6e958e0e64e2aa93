"""cnlp CRF / perceptron vs python-crfsuite on exactly the same features and data, in one run.

    python benchmarks/bench_crf.py [--c2 1.0] [--iters 150] [--epochs 15] [--threads 1 2] [--limit N]

Features: ``cnlp train cws``'s (14 character-window + 7 jackknifed dictionary templates, hashed
to 2^22 ids) over all of 199801.txt (``--limit`` takes the first N paragraphs for quick checks);
each position's int ids become CRFsuite attribute strings. Test: PKU test lines tagged without
masks by both (plain Viterbi over the same features), scored with the SIGHAN convention.

(a) CRF, L-BFGS, same c2 (both objectives are ``NLL + c2 ||w||^2``; checked below by evaluating
    ours at CRFsuite's final weights), both run exactly ``--iters`` iterations (stopping tests
    off), L-BFGS memory 6 (CRFsuite's default). Our run is repeated for each ``--threads`` value;
    CRFsuite is single-threaded. Time per iteration = mean of the per-iteration times each
    library logs (ours: wall time between L-BFGS callbacks, line-search evaluations included;
    CRFsuite: its logged "Seconds required" per iteration).
(b) averaged perceptron: CRFsuite's "ap" vs ``PerceptronTagger`` (one shuffle seed), ``--epochs``
    epochs each, wall time of training.
"""
from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

import numpy as np
from common import pku_test, score

from cnlp.io import corpora_dir
from cnlp._tagset_kernels import bmes_bounds as _labels_to_bounds
from cnlp.train.cws import training_data
from cnlp.sequence.crf import CRFTagger
from cnlp.sequence.perceptron import PerceptronTagger
from cnlp.text import to_codes

LABELS = np.array(list("BMES"))
LABEL_ID = {c: i for i, c in enumerate("BMES")}


def attrs(x: np.ndarray) -> list[list[str]]:
    return [list(map(str, row)) for row in x.tolist()]


def words_of(text: str, labels) -> list[str]:
    b = _labels_to_bounds(np.asarray(labels, np.int32)).tolist()
    return [text[i:j] for i, j in zip(b, b[1:])]


def f1_of(tag, raw, test_X, gold, words) -> dict:
    return score([words_of(t, tag(x)) for t, x in zip(raw, test_X)], gold, words)


def crfsuite_train(pycrfsuite, X, y, algorithm: str, params: dict, model: Path):
    tr = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    t0 = time.perf_counter()
    for x, yy in zip(X, y):
        tr.append(attrs(x), LABELS[yy].tolist())
    t_append = time.perf_counter() - t0
    tr.set_params(params)
    t0 = time.perf_counter()
    tr.train(str(model))
    wall = time.perf_counter() - t0
    its = tr.logparser.iterations
    return {"append_s": t_append, "wall_s": wall, "iters": its,
            "per_iter_s": float(np.mean([it["time"] for it in its])) if its else float("nan")}


def crfsuite_tagger(pycrfsuite, model: Path):
    tg = pycrfsuite.Tagger()
    tg.open(str(model))
    return lambda x: [LABEL_ID[c] for c in tg.tag(attrs(x))], tg


def our_objective_at(tg, X, y, feats_n: int, c2: float) -> float:
    """Our objective at CRFsuite's final weights (a check that both minimise the same function)."""
    from cnlp.sequence._crf_kernels import gold_counts
    from cnlp.sequence.linear import concat
    info = tg.info()
    W = np.zeros((feats_n, 4))
    for (attr, lab), w in info.state_features.items():
        W[int(attr), LABEL_ID[lab]] = w
    trans = np.zeros((4, 4))
    for (a, b), w in info.transitions.items():
        trans[LABEL_ID[a], LABEL_ID[b]] = w
    Xa, ya, off = concat(X, y)
    crf = CRFTagger(n_labels=4, n_features=feats_n, c2=c2)
    Xc, used = crf.compact(Xa, feats_n)
    R = used.size
    theta = np.concatenate([W[used].ravel(), trans.ravel(), np.zeros(4)])   # CRFsuite has no start weights
    emp = np.zeros_like(theta)
    eW, eT, eS = crf._split(emp, R)
    gold_counts(Xc, ya, off, eW, eT, eS)
    # CRFsuite regularises only its active features; ours covers every entry of theta, but the
    # entries CRFsuite lacks are zero here, so c2 ||theta||^2 is the same number.
    return crf.objective(theta, Xc, off, emp)[0]


def main() -> None:
    import numba
    import pycrfsuite
    ap = argparse.ArgumentParser()
    ap.add_argument("--c2", type=float, default=1.0)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--limit", type=int, default=None, help="first N paragraphs only (quick checks)")
    ap.add_argument("--skip-crf", action="store_true")
    ap.add_argument("--skip-ap", action="store_true")
    args = ap.parse_args()

    corpus = corpora_dir() / "pd1998" / "199801.txt"
    path = corpus
    tmp = Path(tempfile.mkdtemp(prefix="bench_crf_"))
    if args.limit:
        path = tmp / "subset.txt"
        with open(corpus, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as g:
            n = 0
            for line in f:
                if line.strip():
                    g.write(line)
                    n += 1
                    if n >= args.limit:
                        break
    t0 = time.perf_counter()
    train, _, feats, X, y, _ = training_data([path], dev_ratio=0.0)
    n_pos = sum(len(x) for x in X)
    print(f"data: {len(train)} paragraphs, {n_pos} positions, {feats.n_templates} templates, "
          f"features {time.perf_counter() - t0:.1f}s; numba threads available {numba.config.NUMBA_NUM_THREADS}")
    raw, gold, words = pku_test()
    test_X = [feats.transform_codes(to_codes(t)) for t in raw]
    F = feats.n_features

    def row(name, r, extra=""):
        print(f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['oov_recall']:.4f} | "
              f"{r['iv_recall']:.4f} |{extra}", flush=True)

    if not args.skip_crf:
        print(f"\n## (a) CRF, L-BFGS, c2={args.c2}, {args.iters} iterations")
        cs = crfsuite_train(pycrfsuite, X, y, "lbfgs",
                            {"c1": 0.0, "c2": args.c2, "max_iterations": args.iters, "num_memories": 6,
                             "epsilon": 1e-12, "delta": 0.0, "period": 10,
                             "feature.possible_transitions": True}, tmp / "cs_crf.model")
        tag, tg = crfsuite_tagger(pycrfsuite, tmp / "cs_crf.model")
        r_cs = f1_of(tag, raw, test_X, gold, words)
        loss = cs["iters"][-1]["loss"] if cs["iters"] else float("nan")
        ours_at_cs = our_objective_at(tg, X, y, F, args.c2)
        print(f"crfsuite: {len(cs['iters'])} iterations, {cs['per_iter_s']:.3f} s/iter "
              f"(train() wall {cs['wall_s']:.1f} s, append {cs['append_s']:.1f} s), final loss {loss:.2f}; "
              f"our objective at crfsuite's weights {ours_at_cs:.2f} (rel. diff {abs(ours_at_cs - loss) / loss:.1e})")
        del tg
        gc.collect()
        results = []
        for nt in args.threads:
            numba.set_num_threads(nt)
            crf = CRFTagger(n_labels=4, n_features=F, c2=args.c2, max_iter=args.iters, tol=0.0)
            t0 = time.perf_counter()
            crf.fit(X, y)
            wall = time.perf_counter() - t0
            r = f1_of(crf.predict_single, raw, test_X, gold, words)
            results.append((nt, crf, wall, r))
            print(f"cnlp ({nt} thread{'s' if nt > 1 else ''}): {crf.n_iter_} iterations, "
                  f"{crf.time_per_iteration_:.3f} s/iter (fit wall {wall:.1f} s), final objective "
                  f"{crf.fit_info_['objective']:.2f}, {crf.n_params_} parameters", flush=True)
            del crf
            gc.collect()
        print("\n| CRF (same features, c2, iterations) | s/iter | ratio to crfsuite | iterations | final objective |")
        print("|---|---|---|---|---|")
        print(f"| crfsuite lbfgs | {cs['per_iter_s']:.3f} | 1.00 | {len(cs['iters'])} | {loss:.1f} |")
        for nt, crf, wall, r in results:
            secs = [e["seconds"] for e in crf.training_log_]
            print(f"| cnlp CRFTagger, {nt} thread(s) | {np.mean(secs):.3f} | {np.mean(secs) / cs['per_iter_s']:.2f} | "
                  f"{crf.n_iter_} | {crf.fit_info_['objective']:.1f} |")
        print("\n| PKU test (plain Viterbi, no masks) | P | R | F1 | OOV-R | IV-R |")
        print("|---|---|---|---|---|---|")
        row("crfsuite lbfgs", r_cs)
        for nt, crf, wall, r in results:
            row(f"cnlp CRF ({nt} thread(s))", r)

    if not args.skip_ap:
        print(f"\n## (b) averaged perceptron, {args.epochs} epochs")
        cs = crfsuite_train(pycrfsuite, X, y, "ap", {"max_iterations": args.epochs, "epsilon": 0.0},
                            tmp / "cs_ap.model")
        tag, tg = crfsuite_tagger(pycrfsuite, tmp / "cs_ap.model")
        r_cs = f1_of(tag, raw, test_X, gold, words)
        del tg
        t0 = time.perf_counter()
        p = PerceptronTagger(n_labels=4, n_features=F, n_iter=args.epochs, random_state=0).fit(X, y)
        wall = time.perf_counter() - t0
        r = f1_of(p.predict_single, raw, test_X, gold, words)
        print("\n| averaged perceptron | train s | P | R | F1 | OOV-R | IV-R |")
        print("|---|---|---|---|---|---|---|")
        print(f"| crfsuite ap ({len(cs['iters'])} epochs) | {cs['wall_s']:.1f} | {r_cs['precision']:.4f} | "
              f"{r_cs['recall']:.4f} | {r_cs['f1']:.4f} | {r_cs['oov_recall']:.4f} | {r_cs['iv_recall']:.4f} |")
        print(f"| cnlp PerceptronTagger ({args.epochs} epochs, 1 seed) | {wall:.1f} | {r['precision']:.4f} | "
              f"{r['recall']:.4f} | {r['f1']:.4f} | {r['oov_recall']:.4f} | {r['iv_recall']:.4f} |")


if __name__ == "__main__":
    main()
