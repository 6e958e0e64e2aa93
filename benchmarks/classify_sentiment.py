"""Sentiment classification on the shared corpus: cnlp.classify vs a jieba + tf-idf reference, same run.

    python benchmarks/classify_sentiment.py [--folds 5] [--ks 2000,20000,100000,all] [--quick]

Split (fixed, from issue #5): texts = lines of sentiment/pos.txt then neg.txt (labels pos/neg),
``train_test_split(texts, labels, test_size=0.2, random_state=0, stratify=labels)``.

Rows
* reference: jieba words, uni+bigram tf-idf (``TfidfVectorizer(tokenizer=jieba.lcut, ngram_range=(1, 2))``),
  LinearSVC and MultinomialNB — fitted on the training part, scored on the test part.
* cnlp: every (features, model, k) of the grid gets a ``--folds``-fold stratified cross-validation
  accuracy on the TRAINING part only (vocabulary, idf and chi-square are refitted inside each fold) and,
  for information, its test accuracy. The configuration with the best CV accuracy is chosen without
  looking at the test part; its test accuracy is the headline number.

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


def load_split():
    from sklearn.model_selection import train_test_split
    d = corpora_dir() / "sentiment"
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
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    from sklearn.model_selection import StratifiedKFold

    Xtr, Xte, ytr, yte = load_split()
    ytr_a, yte_a = np.asarray(ytr), np.asarray(yte)
    print(f"train {len(Xtr)}  test {len(Xte)}  (pos {sum(y == 'pos' for y in ytr + yte)}, "
          f"neg {sum(y == 'neg' for y in ytr + yte)})", flush=True)
    rows = [] if args.no_reference else reference(Xtr, Xte, ytr, yte)
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.4f} | {r[3]:.1f} |", flush=True)
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
