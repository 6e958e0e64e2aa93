"""cnlp.classify: chi-square features, TextClassifier, bundle save/load, CLI."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline

from cnlp.classify import ChiSquareBagOfWords, TextClassifier
from cnlp.cli import main
from cnlp.errors import CorpusFormatError, ModelFormatError, NotFittedError

# Two classes that share all their filler words and differ only in a few marker words (all of them
# words of the training corpus, so every shipped segmenter keeps them whole whatever its OOV guesses).
POS_MARK = ["满意", "喜欢", "推荐"]
NEG_MARK = ["失望", "遗憾", "后悔"]
FILLER = ["这个", "酒店", "房间", "我们", "今天", "服务", "价格", "东西", "朋友", "早餐"]


def _corpus(n=40, seed=0):
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        label = "pos" if i % 2 == 0 else "neg"
        marks = POS_MARK if label == "pos" else NEG_MARK
        words = rng.sample(FILLER, 4) + [rng.choice(marks)]
        rng.shuffle(words)
        texts.append("，".join(words) + "。")
        labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def data():
    return _corpus()


def test_selected_terms_are_the_discriminative_ones(data):
    texts, labels = data
    f = ChiSquareBagOfWords(k=6, ngram_range=(1, 1)).fit(texts, labels)
    top = {t for t, _ in f.selected_terms_}
    assert top == set(POS_MARK + NEG_MARK)
    scores = [s for _, s in f.selected_terms_]
    assert scores == sorted(scores, reverse=True)
    X = f.transform(texts)
    assert X.shape == (len(texts), 6)
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).A.ravel(), 1.0)   # l2 rows
    # fit_transform gives the same matrix as fit().transform()
    assert abs(f.fit_transform(texts, labels) - X).max() < 1e-12


def test_k_all_keeps_every_term_and_char_ngrams(data):
    texts, labels = data
    f = ChiSquareBagOfWords(k="all", ngram_range=None, char_ngram_range=(1, 2)).fit(texts, labels)
    assert f.n_features_out_ == f.n_terms_total_
    names = set(f.get_feature_names_out())
    assert " 满意" in names and " 满" in names and "满意" not in names   # char n-grams have a leading space
    g = ChiSquareBagOfWords(k=10**9).fit(texts, labels)
    assert g.n_features_out_ == g.n_terms_total_
    h = ChiSquareBagOfWords(k="all", min_df=5).fit(texts, labels)
    assert h.n_terms_total_ < g.n_terms_total_


def test_unknown_and_empty_texts_give_zero_rows(data):
    texts, labels = data
    f = ChiSquareBagOfWords(k=20).fit(texts, labels)
    X = f.transform(["", "完全陌生的句子 xyz"])
    assert X.nnz == 0 and X.shape == (2, 20)


def test_pipeline_clone_get_set_params(data):
    texts, labels = data
    pipe = Pipeline([("bow", ChiSquareBagOfWords(k=8)), ("lr", LogisticRegression(C=100.0))])
    pipe.set_params(bow__k=6, bow__ngram_range=(1, 1))
    assert pipe.get_params()["bow__k"] == 6
    pipe.fit(texts, labels)
    assert pipe.score(texts, labels) == 1.0
    c = clone(pipe)
    assert c.get_params()["bow__ngram_range"] == (1, 1) and not hasattr(c.named_steps["bow"], "vocabulary_")
    big_t, big_y = _corpus(120, seed=1)
    assert cross_val_score(clone(pipe), big_t, big_y, cv=2).min() == 1.0
    clf = TextClassifier(k=5, model="nb")
    assert clone(clf).get_params() == clf.get_params()
    assert clf.set_params(k=7).k == 7


@pytest.mark.parametrize("model,params", [
    ("nb", dict(k=6, ngram_range=(1, 1), char_ngram_range=None, min_df=1)),
    ("linear", dict(k=6, ngram_range=(1, 1), char_ngram_range=None, min_df=1)),
    ("linear", dict(k="all")),           # the default features: words 1-2 + characters 1-3, min_df=2
])
def test_classifier_learns_and_round_trips(data, tmp_path, model, params):
    texts, labels = data
    clf = TextClassifier(model=model, C=100.0, **params).fit(texts, labels)
    assert list(clf.classes_) == ["neg", "pos"]
    test = ["我们很满意", "非常失望", "这个酒店我喜欢", "很后悔"]
    assert list(clf.predict(test)) == ["pos", "neg", "pos", "neg"]
    p = clf.predict_proba(test)
    assert p.shape == (4, 2)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert clf.score(texts, labels) == 1.0
    clf.save(tmp_path / "m")
    back = TextClassifier.load(tmp_path / "m")
    assert back.get_params() == clf.get_params()
    more = test + texts + ["", "陌生"]
    assert np.array_equal(back.predict_proba(more), clf.predict_proba(more))      # bit-identical
    assert list(back.predict(more)) == list(clf.predict(more))
    assert back.features_.selected_terms_ == clf.features_.selected_terms_


def test_linear_proba_matches_sklearn_and_multiclass(tmp_path):
    texts, labels = _corpus(60, seed=3)
    labels = [l if i % 3 else "mid" for i, l in enumerate(labels)]
    for model in ("nb", "linear"):
        clf = TextClassifier(k="all", model=model).fit(texts, labels)
        assert list(clf.classes_) == ["mid", "neg", "pos"]
        X = clf.features_.transform(texts)
        if model == "linear":
            ref = LogisticRegression(C=clf.C, max_iter=clf.max_iter).fit(X, labels)
        else:
            from sklearn.naive_bayes import MultinomialNB
            ref = MultinomialNB(alpha=clf.alpha).fit(X, labels)
        np.testing.assert_allclose(clf.predict_proba(texts), ref.predict_proba(X), atol=1e-10)
        clf.save(tmp_path / model)
        assert np.array_equal(TextClassifier.load(tmp_path / model).predict_proba(texts), clf.predict_proba(texts))


def test_corrupt_or_truncated_model_names_the_file(data, tmp_path):
    texts, labels = data
    d = tmp_path / "m"
    TextClassifier(k=6).fit(texts, labels).save(d)
    npz = d / "arrays.npz"
    good = npz.read_bytes()
    npz.write_bytes(good[: len(good) // 2])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        TextClassifier.load(d)
    npz.write_bytes(good)
    trie = d / "vocab.marisa"
    t = trie.read_bytes()
    trie.write_bytes(t[:10])
    with pytest.raises(ModelFormatError, match="vocab.marisa"):
        TextClassifier.load(d)
    trie.write_bytes(t)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["n_features"] = 99
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelFormatError):
        TextClassifier.load(d)
    (d / "meta.json").write_text("{not json", "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        TextClassifier.load(d)
    with pytest.raises(ModelFormatError, match="meta.json"):
        TextClassifier.load(tmp_path / "nowhere")


def test_type_and_length_errors(data):
    texts, labels = data
    with pytest.raises(TypeError, match="iterable of str"):
        TextClassifier().fit("一段文本", ["pos"])
    with pytest.raises(TypeError, match="item 1 is bytes"):
        TextClassifier().fit(["好", b"bad"], ["pos", "neg"])
    with pytest.raises(TypeError, match="iterable of str"):
        TextClassifier().fit(42, ["pos"])
    with pytest.raises(ValueError, match="same length"):
        TextClassifier().fit(texts, labels[:-1])
    with pytest.raises(ValueError, match="two classes"):
        TextClassifier().fit(texts, ["pos"] * len(texts))
    with pytest.raises(ValueError, match="model"):
        TextClassifier(model="svm").fit(texts, labels)
    with pytest.raises(ValueError, match="k must"):
        ChiSquareBagOfWords(k=0).fit(texts, labels)
    with pytest.raises(NotFittedError):
        TextClassifier().predict(["好"])
    clf = TextClassifier(k=6).fit(texts, labels)
    with pytest.raises(TypeError, match="iterable of str"):
        clf.predict("很好")
    with pytest.raises(TypeError, match="item 0 is int"):
        clf.predict_proba([1])
    with pytest.raises(ValueError, match="same length"):
        clf.score(texts, labels[:3])


def test_cli_train_predict_round_trip(data, tmp_path, capsys):
    texts, labels = data
    tsv = tmp_path / "train.tsv"
    tsv.write_text("".join(f"{l}\t{t}\n" for t, l in zip(texts[:30], labels[:30])) + "\n", "utf-8")
    extra = tmp_path / "extra_pos.txt"
    extra.write_text("我们很满意\n\n朋友推荐的\n", "utf-8")
    out = tmp_path / "model"
    assert main(["classify", "train", "--data", str(tsv), "--class", f"pos={extra}", "--out", str(out),
                 "--k", "6", "--model", "nb", "--ngrams", "1-1", "--char-ngrams", "none", "--min-df", "1"]) == 0
    assert (out / "meta.json").is_file()
    inp1 = tmp_path / "in1.txt"
    inp1.write_text("非常满意\n\n很后悔，遗憾\n", "utf-8")
    inp2 = tmp_path / "in2.txt"
    inp2.write_text("喜欢\n", "utf-8")
    capsys.readouterr()
    assert main(["classify", "predict", "--model", str(out), str(inp1), str(inp2)]) == 0
    rows = [r.split("\t") for r in capsys.readouterr().out.splitlines()]
    assert len(rows) == 4                                   # the empty line gets a prediction too
    assert [r[0] for r in rows[:1] + rows[2:]] == ["pos", "neg", "pos"]
    assert all(0.0 <= float(r[1]) <= 1.0 for r in rows)
    # same answers as the Python API on the saved model
    clf = TextClassifier.load(out)
    assert [r[0] for r in rows] == list(clf.predict(["非常满意", "", "很后悔，遗憾", "喜欢"]))


def test_cli_bad_training_line_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("pos\t很好\nneg 没有制表符\n", "utf-8")
    assert main(["classify", "train", "--data", str(bad), "--out", str(tmp_path / "m")]) == 1
    assert f"{bad}:2:" in capsys.readouterr().err
    from cnlp.cli.classify import read_labelled
    with pytest.raises(CorpusFormatError) as e:
        read_labelled(bad)
    assert e.value.lineno == 2
    assert main(["classify", "predict", "--model", str(tmp_path / "none"), str(bad)]) == 1
    assert "meta.json" in capsys.readouterr().err


# ------------------------------------------------------------------ the segmenter is received
def test_segmenter_given_or_the_registered_default(data, tmp_path):
    """segmenter=None is cnlp.get_segmenter(algorithm), registered by the front in cnlp.classify.default;
    a Segmenter or a callable given is used as it is (and not saved: load(..., segmenter=) takes it)."""
    import cnlp
    texts, labels = data
    by_default = ChiSquareBagOfWords(k="all", algorithm="fmm").analyze(texts)
    assert ChiSquareBagOfWords(k="all", segmenter=cnlp.get_segmenter("fmm")).analyze(texts) == by_default
    assert ChiSquareBagOfWords(k="all", segmenter=cnlp.get_segmenter("fmm").segment).analyze(texts) == by_default
    spaces = ChiSquareBagOfWords(ngram_range=(1, 1), segmenter=str.split)
    assert spaces.analyze(["甲乙 丙", "丁"]) == [["甲乙", "丙"], ["丁"]]
    assert "segmenter" in TextClassifier().get_params() and clone(spaces).segmenter is str.split
    with pytest.raises(TypeError, match="segmenter must be"):
        ChiSquareBagOfWords(segmenter=5).analyze(texts)

    seg = cnlp.get_segmenter("fmm")
    clf = TextClassifier(k=6, segmenter=seg).fit(texts, labels)
    ref = TextClassifier(k=6, algorithm="fmm").fit(texts, labels)
    np.testing.assert_array_equal(clf.predict_proba(texts), ref.predict_proba(texts))
    clf.save(tmp_path / "m")
    assert "segmenter" not in json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))["params"]
    back = TextClassifier.load(tmp_path / "m", segmenter=seg)
    assert back.segmenter is seg and back.features_.segmenter is seg
    np.testing.assert_array_equal(back.predict_proba(texts), clf.predict_proba(texts))


def test_no_registered_default_names_the_segmenter(data, monkeypatch):
    from cnlp.classify import default
    monkeypatch.setattr(default, "_resolver", None)
    with pytest.raises(TypeError, match="segmenter="):
        ChiSquareBagOfWords().analyze(["很好"])
    assert ChiSquareBagOfWords(ngram_range=None, char_ngram_range=(1, 1)).analyze(["很好"]) == [[" 很", " 好"]]
    assert ChiSquareBagOfWords(segmenter=list).analyze(["很好"]) == [["很", "好", "很 好"]]


@pytest.mark.parametrize("params, match", [
    ({"C": -1.0}, "C must be a positive finite number"), ({"C": 0}, "C must be"), ({"C": float("nan")}, "C must be"),
    ({"C": "1"}, "C must be"), ({"alpha": -1, "model": "nb"}, "alpha must be"), ({"alpha": 0, "model": "nb"}, "alpha"),
    ({"alpha": float("inf")}, "alpha must be"), ({"max_iter": 0}, "max_iter must be a positive int"),
    ({"max_iter": 2.5}, "max_iter"), ({"model": "svm"}, "model must be one of"), ({"k": 0}, "k must"),
    ({"k": True}, "k must"), ({"ngram_range": (2, 1)}, "ngram_range"), ({"char_ngram_range": (0, 2)}, "char_ngram_range"),
    ({"ngram_range": None, "char_ngram_range": None}, "cannot both be None"), ({"min_df": 0}, "min_df"),
    ({"norm": "l3"}, "norm"),
])
def test_hyper_parameters_are_checked_by_fit_before_any_work(data, params, match, monkeypatch):
    from cnlp.errors import CnlpError, ParameterError
    texts, labels = data
    clf = TextClassifier(**params)
    monkeypatch.setattr(ChiSquareBagOfWords, "analyze", lambda *a: pytest.fail("analysed before the check"))
    with pytest.raises(ParameterError, match=match) as e:
        clf.fit(texts, labels)
    assert isinstance(e.value, ValueError) and isinstance(e.value, CnlpError)
    with pytest.raises(ParameterError, match=match):
        clf.fit_analyzed([["x"]] * len(labels), labels)


def test_cli_bad_hyper_parameter_is_one_line(data, tmp_path):
    import subprocess
    import sys
    texts, labels = data
    tsv = tmp_path / "train.tsv"
    tsv.write_text("".join(f"{l}\t{t}\n" for t, l in zip(texts[:30], labels[:30])), "utf-8")
    r = subprocess.run([sys.executable, "-m", "cnlp", "classify", "train", "--data", str(tsv), "--out",
                        str(tmp_path / "m"), "--C", "-1"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "cnlp classify train: error: argument --C: expected a number > 0, got '-1'" in r.stderr
    assert not (tmp_path / "m").exists()
