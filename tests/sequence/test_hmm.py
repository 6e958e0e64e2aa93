"""Tests of cnlp.sequence.hmm.HMMTagger and its Viterbi kernels."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from cnlp.errors import ModelFormatError, NotFittedError
from cnlp.sequence._hmm_kernels import viterbi1, viterbi2
from cnlp.sequence.hmm import HMMTagger


def _random_model(rng, T, V, order):
    lt = np.log(rng.dirichlet(np.ones(T + 1), size=(T + 1,) * order)).astype(np.float32)
    le = np.log(rng.dirichlet(np.ones(V + 1), size=T)).astype(np.float32)
    return lt, le


def _brute(obs, lt, le, extra, order):
    T, V = le.shape[0], le.shape[1] - 1
    best, arg = -np.inf, None
    for path in itertools.product(range(T), repeat=len(obs)):
        s = 0.0
        hist = [T, T]
        for i, t in enumerate(path):
            o = obs[i] if 0 <= obs[i] < V else V
            s += (lt[hist[-1], t] if order == 1 else lt[hist[-2], hist[-1], t]) + le[t, o]
            if extra.shape[0]:
                s += extra[i, t]
            hist.append(t)
        s += lt[hist[-1], T] if order == 1 else lt[hist[-2], hist[-1], T]
        if s > best:
            best, arg = s, path
    return np.array(arg, np.int32), best


def _path_score(path, obs, lt, le, extra, order):
    T, V = le.shape[0], le.shape[1] - 1
    s, hist = 0.0, [T, T]
    for i, t in enumerate(path):
        o = obs[i] if 0 <= obs[i] < V else V
        s += (lt[hist[-1], t] if order == 1 else lt[hist[-2], hist[-1], t]) + le[t, o]
        if extra.shape[0]:
            s += extra[i, t]
        hist.append(int(t))
    return s + (lt[hist[-1], T] if order == 1 else lt[hist[-2], hist[-1], T])


@pytest.mark.parametrize("order", [1, 2])
def test_viterbi_is_exact_against_brute_force(order):
    rng = np.random.default_rng(order)
    kernel = viterbi1 if order == 1 else viterbi2
    for trial in range(30):
        T, V = 3, 5
        lt, le = _random_model(rng, T, V, order)
        n = int(rng.integers(1, 6))
        obs = rng.integers(-1, V + 2, n).astype(np.int32)
        extra = np.zeros((0, T), np.float32)
        if trial % 2:
            extra = rng.normal(size=(n, T)).astype(np.float32)
            extra[rng.random((n, T)) < 0.3] = -np.inf
            extra[np.arange(n), rng.integers(0, T, n)] = 0.0      # keep every position feasible
        got = kernel(obs, lt, le, extra, np.empty(n, np.int32))
        want, best = _brute(obs, lt, le, extra, order)
        assert np.isclose(_path_score(got, obs, lt, le, extra, order), best, rtol=1e-5), (got, want)
        py = kernel.py_func(obs, lt, le, extra, np.empty(n, np.int32))
        np.testing.assert_array_equal(got, py)


def _toy(rng, n_seq=400):
    """Tag 0 emits obs 0-2, tag 1 emits obs 3-5, tag 2 emits obs 6-8; tags cycle 0,1,2."""
    seqs = []
    for _ in range(n_seq):
        n = int(rng.integers(1, 10))
        tags = (np.arange(n) + int(rng.integers(0, 3))) % 3
        obs = tags * 3 + rng.integers(0, 3, n)
        seqs.append((obs.astype(np.int32), tags.astype(np.int32)))
    return seqs


@pytest.mark.parametrize("order", [1, 2])
def test_fit_predict_toy(order):
    seqs = _toy(np.random.default_rng(0))
    m = HMMTagger(order=order).fit(seqs)
    assert m.n_obs_ == 9 and m.n_tags_ == 3
    assert m.score(seqs) == 1.0
    np.testing.assert_allclose(np.exp(m.log_emit_.astype(np.float64)).sum(axis=1), 1.0, rtol=1e-5)
    if order == 2:
        assert np.isclose(m.lambdas_.sum(), 1.0) and m.lambdas_[2] > 0
        p = np.exp(m.log_trans_.astype(np.float64))
        np.testing.assert_allclose(p[:, :, :].sum(axis=2)[0:3, 0:3], 1.0, rtol=1e-4)
    # unknown ids read the unknown column instead of crashing
    assert m.predict(np.array([-1, 99, 0], np.int32)).shape == (3,)
    assert m.predict(np.zeros(0, np.int32)).shape == (0,)


def test_allowed_and_bonus_change_decoding():
    seqs = _toy(np.random.default_rng(1))
    m = HMMTagger().fit(seqs)
    obs = np.array([0, 3, 6], np.int32)
    assert m.predict(obs).tolist() == [0, 1, 2]
    allowed = np.ones((3, 3), bool)
    allowed[1] = [False, False, True]
    assert m.predict(obs, allowed=allowed)[1] == 2
    bonus = np.zeros((3, 3), np.float32)
    bonus[0, 1] = 100.0
    assert m.predict(obs, bonus=bonus)[0] == 1
    with pytest.raises(ValueError):
        m.predict(obs, allowed=np.ones((2, 3), bool))


def test_strict_transitions_and_hapax_unknowns():
    # tags 0 -> 1 only; obs 7 occurs once, with tag 1
    seqs = [(np.array([0, 1], np.int32), np.array([0, 1], np.int32))] * 20
    seqs += [(np.array([0, 7], np.int32), np.array([0, 1], np.int32))]
    m = HMMTagger(strict_transitions=True).fit(seqs)
    assert m.log_trans_[1, 0] == -np.inf and m.log_trans_[0, 0] == -np.inf
    assert np.isfinite(m.log_trans_[0, 1])
    assert m.log_emit_[1, -1] > m.log_emit_[0, -1]              # unknowns look like tag 1's hapax
    loose = HMMTagger().fit(seqs)
    assert np.all(np.isfinite(loose.log_trans_[:2, :2]))


def test_save_load_identical(tmp_path):
    rng = np.random.default_rng(2)
    seqs = _toy(rng)
    for order in (1, 2):
        m = HMMTagger(order=order, emission_alpha=0.5).fit(seqs)
        m.save(tmp_path / f"m{order}")
        r = HMMTagger.load(tmp_path / f"m{order}")
        assert r.get_params() == m.get_params()
        for o, _ in seqs[:50]:
            o = o.copy()
            o[::3] = rng.integers(0, 12, o[::3].shape[0])
            np.testing.assert_array_equal(m.predict(o), r.predict(o))


def test_bad_models_and_inputs(tmp_path):
    with pytest.raises(NotFittedError):
        HMMTagger().predict(np.zeros(2, np.int32))
    with pytest.raises(ValueError):
        HMMTagger(order=3).fit(_toy(np.random.default_rng(0), 5))
    with pytest.raises(ValueError):
        HMMTagger().fit([(np.zeros(2, np.int32), np.zeros(3, np.int32))])
    m = HMMTagger().fit(_toy(np.random.default_rng(0), 20))
    m.save(tmp_path / "m")
    npz = tmp_path / "m" / "arrays.npz"
    data = npz.read_bytes()
    npz.write_bytes(data[:len(data) // 2])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMTagger.load(tmp_path / "m")
    # arrays that disagree with meta.json
    m.save(tmp_path / "m2")
    np.savez(tmp_path / "m2" / "arrays.npz", log_trans=np.zeros((2, 2), np.float32),
             log_emit=np.zeros((3, 4), np.float32))
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMTagger.load(tmp_path / "m2")
