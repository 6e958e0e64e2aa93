import itertools

import numpy as np
import pytest

from cnlp.errors import ModelFormatError, NotFittedError
from cnlp.sequence._crf_kernels import (_posteriors, _posteriors_scaled, corpus_posteriors, gold_counts,
                                        scatter_buffers, scatter_serial, sentence_marginals)
from cnlp.sequence._kernels import emissions
from cnlp.sequence.crf import CRFTagger
from cnlp.sequence.linear import concat

L = 3
NI = np.zeros((0, 2), np.uint64)     # feature ids are rows
NT = np.zeros(0, np.float32)                             # float weights, no value table


def _random(rng, n, F=12, T=3, scale=1.0):
    X = rng.integers(-1, F, (n, T)).astype(np.int32)       # -1: skipped feature
    return X, rng.normal(scale=scale, size=(F, L)), rng.normal(scale=scale, size=(L, L)), rng.normal(size=L)


def _brute(X, W, trans, start):
    """log Z, node marginals, pairwise marginal counts, by enumerating all L^n paths."""
    n = X.shape[0]
    em = emissions(X, NI, (W, NT), np.empty((n, L)))
    paths = list(itertools.product(range(L), repeat=n))
    scores = np.array([start[p[0]] + sum(em[t, p[t]] for t in range(n)) + sum(trans[p[t - 1], p[t]] for t in range(1, n))
                       for p in paths])
    logz = np.logaddexp.reduce(scores)
    prob = np.exp(scores - logz)
    marg = np.zeros((n, L))
    pair = np.zeros((L, L))
    for p, w in zip(paths, prob):
        for t in range(n):
            marg[t, p[t]] += w
            if t:
                pair[p[t - 1], p[t]] += w
    return logz, marg, pair, dict(zip(paths, scores))


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_partition_and_marginals_match_enumeration(n):
    rng = np.random.default_rng(n)
    for scale in (1.0, 30.0, 2000.0):      # 2000: the scaled path underflows, the log-space one is used
        X, W, T, S = _random(rng, n, scale=scale)
        logz, marg, pair, _ = _brute(X, W, T, S)
        lz, m, p = sentence_marginals(X, NI, (W, NT), T, S)
        assert lz == pytest.approx(logz, rel=1e-10, abs=1e-9)
        np.testing.assert_allclose(m, marg, atol=1e-9)
        np.testing.assert_allclose(p, pair, atol=1e-9)
        np.testing.assert_allclose(m.sum(axis=1), 1.0)
        em = emissions(X, NI, (W, NT), np.empty((n, L)))
        for kernel in (_posteriors, _posteriors_scaled):          # each path on its own
            m2, p2 = np.empty((n, L)), np.zeros((L, L))
            lz2 = kernel(em, T, S, m2, p2)
            if kernel is _posteriors_scaled and np.isnan(lz2):
                assert scale > 100 and n > 1      # only where scores are ~e^700 apart
                continue
            assert lz2 == pytest.approx(logz, rel=1e-10, abs=1e-9)
            np.testing.assert_allclose(m2, marg, atol=1e-9)
            np.testing.assert_allclose(p2, pair, atol=1e-9)


def _corpus(rng, lengths, F=12):
    X_list = [rng.integers(-1, F, (n, 3)).astype(np.int32) for n in lengths]
    y_list = [rng.integers(0, L, n).astype(np.int32) for n in lengths]
    return X_list, y_list


@pytest.mark.slow
def test_corpus_posteriors_and_scatters_agree():
    rng = np.random.default_rng(1)
    X_list, y_list = _corpus(rng, [3, 1, 0, 5, 2] * 20)
    X, y, off = concat(X_list, y_list)
    _, W, T, S = _random(rng, 1)
    marg = np.empty((X.shape[0], L))
    pair = np.empty((len(X_list), L, L))
    logz = np.empty(len(X_list))
    corpus_posteriors(X, off, W, T, S, marg, pair, logz)
    for s, x in enumerate(X_list):
        lz, m, p = sentence_marginals(x, NI, (W, NT), T, S)
        assert logz[s] == pytest.approx(lz)
        np.testing.assert_allclose(marg[off[s]:off[s + 1]], m)
        np.testing.assert_allclose(pair[s], p, atol=1e-12)
    g1, g2 = np.zeros((12, L)), np.zeros((12, L))
    scatter_serial(X, marg, g1)
    scatter_buffers(X, marg, g2, np.empty((3, 12, L)))      # 4 parts
    np.testing.assert_allclose(g1, g2)
    cW, cT, cS = np.zeros((12, L)), np.zeros((L, L)), np.zeros(L)
    gold_counts(X, y, off, cW, cT, cS)
    assert cS.sum() == sum(1 for x in X_list if len(x)) and cT.sum() == sum(max(len(x) - 1, 0) for x in X_list)
    assert cW.sum() == (X >= 0).sum()


def test_nll_and_gradient_against_enumeration_and_finite_differences():
    rng = np.random.default_rng(2)
    X_list, y_list = _corpus(rng, [4, 1, 3, 2], F=6)
    X, y, off = concat(X_list, y_list)
    crf = CRFTagger(n_labels=L, n_features=6, c2=0.3)
    R = 6
    emp = np.zeros(R * L + L * L + L)
    eW, eT, eS = crf._split(emp, R)
    gold_counts(X, y, off, eW, eT, eS)
    theta = rng.normal(size=emp.size)
    f, g = crf.objective(theta, X, off, emp)
    W, T, S = crf._split(theta, R)
    nll = 0.0
    for x, yy in zip(X_list, y_list):
        logz, _, _, scores = _brute(x, W, T, S)
        nll += logz - scores[tuple(yy.tolist())]
    assert f == pytest.approx(nll + 0.3 * theta @ theta, rel=1e-10)
    eps = 1e-5
    num = np.empty_like(theta)
    for i in range(theta.size):
        d = np.zeros_like(theta)
        d[i] = eps
        num[i] = (crf.objective(theta + d, X, off, emp)[0] - crf.objective(theta - d, X, off, emp)[0]) / (2 * eps)
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-6)
    for work in (crf.workspace(X, off, R, scatter="serial"), crf.workspace(X, off, R, parts=1),
                 crf.workspace(X, off, R, parts=3)):
        f2, g2 = crf.objective(theta, X, off, emp, work=work)
        assert f2 == pytest.approx(f, rel=1e-12) and np.allclose(g2, g, rtol=1e-12, atol=1e-12)


def test_compact_renumbers_by_frequency():
    X = np.array([[5, 7], [5, -1], [9, 5]], np.int32)
    Xc, used = CRFTagger.compact(X, 16)
    assert used.tolist()[0] == 5 and sorted(used.tolist()) == [5, 7, 9]
    assert np.array_equal(np.where(X >= 0, used[np.maximum(Xc, 0)], -1), X)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(3)
    # labels are a function of the column-0 feature; column 1 is noise
    X_list, y_list = [], []
    for _ in range(40):
        n = int(rng.integers(1, 7))
        x = np.stack([rng.integers(0, 12, n), rng.integers(12, 20, n)], axis=1).astype(np.int32)
        yy = (x[:, 0] % L).astype(np.int32)
        X_list.append(x), y_list.append(yy)
    crf = CRFTagger(n_labels=L, n_features=32, c2=0.01, max_iter=200).fit(X_list, y_list)
    return crf, X_list, y_list


def test_learns_training_set(fitted):
    crf, X_list, y_list = fitted
    assert crf.n_iter_ >= 1 and crf.time_per_iteration_ > 0 and crf.n_used_features_ <= 20
    assert crf.dense_weights().shape == (32, L) and not crf.dense_weights()[20:].any() and crf.weights_.shape[0] <= 20           # unused ids keep zero weight
    for x, yy in zip(X_list, y_list):
        assert crf.predict_single(x).tolist() == yy.tolist()
        m = crf.marginals(x)
        assert m.shape == (len(x), L) and np.allclose(m.sum(axis=1), 1) and (m.argmax(axis=1) == yy).all()
    obj = [e["objective"] for e in crf.training_log_]
    assert obj[-1] < obj[0]
    allowed = np.ones((len(X_list[0]), L), np.bool_)
    allowed[0] = False
    allowed[0, (y_list[0][0] + 1) % L] = True
    assert crf.predict_single(X_list[0], allowed)[0] == (y_list[0][0] + 1) % L


def test_dev_score_logged_and_bad_arguments():
    X_list, y_list = [np.array([[0], [1]], np.int32)], [np.array([0, 1], np.int32)]
    calls = []
    crf = CRFTagger(n_labels=2, n_features=4, max_iter=6, dev_every=2)
    crf.fit(X_list, y_list, dev_score=lambda t: calls.append(t.dense_weights().shape) or 0.5)
    assert calls and all(s == (4, 2) for s in calls) and "dev" in crf.training_log_[-1]
    with pytest.raises(ValueError):
        CRFTagger(n_labels=2, n_features=4, c1=-0.1).fit(X_list, y_list)
    with pytest.raises(NotFittedError):
        CRFTagger(n_labels=2, n_features=4).predict_single(X_list[0])
    with pytest.raises(ValueError):
        CRFTagger(n_labels=2, n_features=4).fit(X_list, [np.array([0, 2], np.int32)])


@pytest.mark.slow
def test_save_load_round_trip_and_corrupt(fitted, tmp_path):
    crf, X_list, _ = fitted
    crf.save(tmp_path / "m", meta={"note": "x"})
    crf2 = CRFTagger.load(tmp_path / "m")
    assert crf2.c2 == crf.c2 and crf2.meta_["note"] == "x" and crf2.meta_["kind"] == "crf"
    np.testing.assert_allclose(crf2.dense_weights(), crf.dense_weights(), atol=2e-3 + 1e-3 * np.abs(crf.weights_).max())
    for x in X_list:
        assert np.array_equal(crf2.predict_single(x), crf.predict_single(x))
        np.testing.assert_allclose(crf2.marginals(x), crf.marginals(x), atol=1e-2)
    npz = tmp_path / "m" / "arrays.npz"
    npz.write_bytes(npz.read_bytes()[:100])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        CRFTagger.load(tmp_path / "m")
    (tmp_path / "m" / "meta.json").write_text("{not json", "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        CRFTagger.load(tmp_path / "m")


def test_perceptron_bundle_is_not_a_crf(tmp_path):
    from cnlp.sequence.perceptron import PerceptronTagger
    p = PerceptronTagger(n_labels=2, n_features=4, n_iter=1).fit([np.array([[0]], np.int32)], [np.array([1], np.int32)])
    p.save(tmp_path / "p")
    with pytest.raises(ModelFormatError, match="perceptron"):
        CRFTagger.load(tmp_path / "p")


def test_train_cws_crf_cli_and_load_by_kind(tiny_pd98, tmp_path, capsys):
    from cnlp.cli import main
    from cnlp.dictionary import UserDictionary
    from cnlp.segmentation.tagging import TaggingSegmenter
    out = tmp_path / "crf"
    assert main(["train", "cws", "--algorithm", "crf", "--corpus", str(tiny_pd98), "--out", str(out),
                 "--dev-ratio", "0.2", "--bits", "16", "--c2", "0.01", "--max-iter", "60", "--dev-every", "5"]) == 0
    seg = TaggingSegmenter.load(out)
    assert isinstance(seg.tagger, CRFTagger) and seg.tagger.meta_["command"].startswith("cnlp train cws --algorithm crf")
    assert any("dev" in e for e in seg.tagger.training_log_)
    from cnlp.sequence.features import DEFAULT_EXTRA_CRF
    assert seg.features.extra == DEFAULT_EXTRA_CRF            # the CRF's own default templates (the shipped ones)
    for line in ["我们  研究  生命  的  起源  。", "商品  和  服务  都  很  好  。"]:      # training lines
        assert seg.segment(line.replace("  ", "")) == line.split()
    ud = UserDictionary()
    ud.add_word("究生命", mode="force")
    assert "究生命" in seg.with_user_dict(ud).segment("我们研究生命的起源。")
    (out / "meta.json").write_text((out / "meta.json").read_text("utf-8").replace('"kind": "crf"', '"kind": "hmm"'), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        TaggingSegmenter.load(out)


def test_l1_owlqn_reaches_a_sparse_optimum(fitted):
    from cnlp.sequence.crf import owlqn
    _, X_list, y_list = fitted
    X, y, off = concat(X_list, y_list)
    crf = CRFTagger(n_labels=L, n_features=32, c2=0.0)
    Xc, used = crf.compact(X, 32)
    R = used.size
    emp = np.zeros(R * L + L * L + L)
    eW, eT, eS = crf._split(emp, R)
    gold_counts(Xc, y, off, eW, eT, eS)
    fun = lambda th: crf.objective(th, Xc, off, emp)      # noqa: E731
    c1 = 2.0
    res = owlqn(fun, np.zeros_like(emp), c1, max_iter=300, tol=1e-12)
    x = res.x
    f0 = fun(np.zeros_like(emp))[0]
    assert res.fun < f0 and (x == 0).sum() > 0.2 * x.size
    g = fun(x)[1]      # optimality: |g| <= c1 where x = 0, g = -c1 sign(x) elsewhere
    assert np.all(np.abs(g[x == 0]) <= c1 + 1e-3)
    np.testing.assert_allclose(g[x != 0], -c1 * np.sign(x[x != 0]), atol=1e-2)
    fitted_l1 = CRFTagger(n_labels=L, n_features=32, c1=c1, c2=0.0, max_iter=300, tol=1e-12).fit(X_list, y_list)
    assert fitted_l1.training_log_[-1]["objective"] == pytest.approx(res.fun, rel=1e-6)
    assert (fitted_l1.dense_weights() == 0).sum() > (fitted[0].dense_weights()[:20] == 0).sum()


@pytest.mark.corpus
def test_shipped_crf_pku_sample(corpora):
    from cnlp.evaluate import SegEvaluator
    from cnlp.models import crf as default_crf
    sig = corpora / "sighan2005"
    raw = (sig / "pku_test.utf8").read_text("utf-8").splitlines()[:300]
    gold = (sig / "pku_test_gold.utf8").read_text("utf-8").splitlines()[:300]
    seg = default_crf()
    assert isinstance(seg.tagger, CRFTagger)
    ev = SegEvaluator()
    for r, g in zip(raw, gold):
        ev.add(g.split(), seg.segment(r))
    assert ev.result()["f1"] > 0.93          # full test: 0.9544 (docs/benchmarks.md)
    m = seg.tagger.marginals(seg.features.transform_codes(np.array([ord(c) for c in "我们研究生命"], np.int32)))
    assert m.shape == (6, 4) and np.allclose(m.sum(axis=1), 1.0)


def test_partial_fit_corrects_a_sentence(fitted):
    import copy
    crf, X_list, y_list = fitted
    c = copy.deepcopy(crf)
    x = X_list[0]
    target = ((y_list[0] + 1) % L).astype(np.int32)          # a labelling the model does not produce
    assert c.predict_single(x).tolist() != target.tolist()
    c.partial_fit([x], [target], n_iter=50, step=0.5)
    assert c.predict_single(x).tolist() == target.tolist()
    assert crf.predict_single(x).tolist() == y_list[0].tolist()  # the original is untouched
