import itertools
import warnings

import numpy as np
import pytest

from cnlp.dictionary import Dictionary, UserDictionary
from cnlp.errors import ModelFormatError
from cnlp.sequence._kernels import emissions, viterbi
from cnlp.sequence._feature_kernels import CHAR_PAD, char_attributes, hash_templates
from cnlp.sequence.features import N_TEMPLATES, CharFeatures
from cnlp.sequence.perceptron import PerceptronTagger
from cnlp.segmentation.tagging import TaggingSegmenter, _labels
from cnlp.text import _BMP_TABLE, to_codes

SENTS = [s.split() for s in [
    "我们 研究 生命 的 起源 。", "商品 和 服务 都 很 好 。", "他 说 的 确实 在理 。",
    "研究生 们 研究 问题 。", "我们 的 研究 很 好 。", "他 们 说 问题 都 很 好 。",
]]


def test_features_deterministic_and_in_range():
    f = CharFeatures(bits=16)
    codes = to_codes("中文ＡＢ12，研究")
    X = f.transform_codes(codes)
    assert X.shape == (len(codes), N_TEMPLATES) and X.min() >= 0 and X.max() < 2 ** 16
    assert np.array_equal(X, f.transform_codes(codes))
    out = np.empty_like(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        A = char_attributes.py_func(codes, _BMP_TABLE, False, f.tries)
        assert np.array_equal(X, hash_templates.py_func(A, CHAR_PAD, f.spec, 16, out, 0))
    # full-width and half-width text get the same features (width folding)
    assert np.array_equal(f.transform_codes(to_codes("ＡＢ12")), f.transform_codes(to_codes("ab12")))


def test_dictionary_features_by_hand():
    d = Dictionary.from_counts(["研究", "研究生", "生命"])
    f = CharFeatures(bits=16, dictionary=d)
    X = f.transform_codes(to_codes("研究生命"))
    assert X.shape[1] == f.n_templates
    # same (Dstart) feature where the longest word starting here has the same length
    Xs = CharFeatures(bits=16, dictionary=Dictionary.from_counts(["甲乙丙", "丁戊"])).transform_codes(to_codes("甲乙丙丁戊"))
    col = N_TEMPLATES
    assert X[0, col] == Xs[0, col]          # both: a 3-char word starts here
    assert X[2, col] == Xs[3, col]          # both: a 2-char word starts here


def test_character_preset_reproduces_the_shipped_feature_ids():
    """The templates-as-data preset hashes exactly as the kernels the shipped models were trained
    with (checksum and one row taken from them), so those models decode unchanged."""
    import hashlib
    d = Dictionary.from_counts(["研究", "研究生", "生命", "起源"])
    from cnlp.sequence.features import EXTRA_TEMPLATES
    X = CharFeatures(bits=22, dictionary=d, extra=EXTRA_TEMPLATES).transform_codes(to_codes("我们研究生命的起源。ＡＢc 12％"))
    assert X[3].tolist() == [3473939, 2110891, 2108759, 2873994, 2726542, 2593959, 779196, 3410619, 3457003, 1196547,
                             4139515, 376464, 35876, 2779003, 1242883, 527529, 2649450, 1618944, 236761, 3256381,
                             3663838, 1277738, 4191350, 2815527, 3807702]
    assert hashlib.sha256(X.tobytes()).hexdigest() == "b30559dadbe05dac8314b397fc0a06e6794b4a2b4f7fc753b3f348d359d0dc3d"


def test_emoji_are_symbols_in_features_as_everywhere():
    from cnlp.text import SYMBOL, char_classes
    f = CharFeatures(bits=16)
    assert char_classes(to_codes("😀"))[0] == SYMBOL
    assert f.transform_codes(to_codes("😀"))[0, 11] == f.transform_codes(to_codes("©"))[0, 11]   # T0: same class


NB = np.zeros((0, 3), np.float64)
NI = np.zeros((0, 2), np.uint64)
NE = np.zeros(0, np.float64)
NT = np.zeros(0, np.float32)


def test_rank_index_and_float16_rows_match_dense_lookup():
    """Emissions through the rank dictionary and float16 weights equal a dense table lookup; end
    scores enter the last position."""
    from cnlp.sequence.linear import F16_VALUES, rank_index
    rng = np.random.default_rng(1)
    F, L = 1000, 3
    ids = np.sort(rng.choice(F, 300, replace=False))
    W16 = rng.normal(size=(300, L)).astype(np.float16)
    dense = np.zeros((F, L))
    dense[ids] = W16.astype(np.float64)
    X = rng.integers(-1, F, (7, 4)).astype(np.int32)
    got = emissions(X, rank_index(ids, F), (W16.view(np.uint16), F16_VALUES), np.empty((7, L)))
    want = emissions(X, NI, (dense, NT), np.empty((7, L)))
    assert np.array_equal(got, want)
    T, S = rng.normal(size=(L, L)), rng.normal(size=L)
    end = np.array([1e6, 0.0, 0.0])
    assert viterbi(X, NI, (dense, NT), T, S, end, np.zeros((0, L), np.bool_), np.zeros((0, L)))[-1] == 0


def test_viterbi_matches_brute_force():
    rng = np.random.default_rng(0)
    for n in (1, 2, 4):
        X = rng.integers(0, 20, (n, 3)).astype(np.int32)
        W = rng.normal(size=(20, 3))
        T = rng.normal(size=(3, 3))
        S = rng.normal(size=3)
        em = emissions(X, NI, (W, NT), np.empty((n, 3)))
        best = max(itertools.product(range(3), repeat=n),
                   key=lambda p: S[p[0]] + sum(em[t, p[t]] for t in range(n)) + sum(T[p[t - 1], p[t]] for t in range(1, n)))
        assert viterbi(X, NI, (W, NT), T, S, NE, np.zeros((0, 3), np.bool_), NB).tolist() == list(best)
        allowed = np.ones((n, 3), np.bool_)
        allowed[0] = [False, False, True]
        assert viterbi(X, NI, (W, NT), T, S, NE, allowed, NB)[0] == 2
        assert np.array_equal(viterbi(X, NI, (W, NT), T, S, NE, allowed, NB), viterbi.py_func(X, NI, (W, NT), T, S, NE, allowed, NB))
        # a large bias on label 1 at the last position wins; a bias equal to the emissions doubles them
        bias = np.zeros((n, 3))
        bias[-1, 1] = 1e6
        assert viterbi(X, NI, (W, NT), T, S, NE, np.zeros((0, 3), np.bool_), bias)[-1] == 1
        best2 = max(itertools.product(range(3), repeat=n),
                    key=lambda p: S[p[0]] + sum(2 * em[t, p[t]] for t in range(n)) + sum(T[p[t - 1], p[t]] for t in range(1, n)))
        assert viterbi(X, NI, (W, NT), T, S, NE, np.zeros((0, 3), np.bool_), em.copy()).tolist() == list(best2)


@pytest.fixture(scope="module")
def seg():
    feats = CharFeatures(bits=16)
    X = [feats.transform_codes(to_codes("".join(s))) for s in SENTS]
    y = [_labels(s) for s in SENTS]
    tagger = PerceptronTagger(n_labels=4, n_features=feats.n_features, n_iter=20).fit(X, y)
    return TaggingSegmenter(tagger, feats)


def test_learns_training_sentences(seg):
    for s in SENTS:
        assert seg.segment("".join(s)) == s


def test_save_load_identical_and_truncated(seg, tmp_path):
    seg.save(tmp_path / "m")
    seg2 = TaggingSegmenter.load(tmp_path / "m")
    for text in ("我们研究生命的起源。", "他们说商品很好", "abc 12"):
        assert seg2.segment(text) == seg.segment(text)
    npz = tmp_path / "m" / "arrays.npz"
    npz.write_bytes(npz.read_bytes()[:200])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        TaggingSegmenter.load(tmp_path / "m")


def test_forced_words_and_spaces(seg):
    ud = UserDictionary()
    ud.add_word("究生命", mode="force")
    out = seg.with_user_dict(ud).segment("我们研究生命的起源。")
    assert "究生命" in out and "".join(out) == "我们研究生命的起源。"
    assert seg.segment("我们  研究") [1] == "  "


def test_partial_fit_fixes_a_sentence(seg):
    import copy
    s = seg.with_user_dict(None)
    s.tagger = copy.deepcopy(seg.tagger)
    target = ["他们", "研究", "商品", "。"]
    assert s.segment("他们研究商品。") != target          # the tiny model gets it wrong first
    s.learn(target, n_iter=10)
    assert s.segment("他们研究商品。") == target
    assert seg.segment("他们研究商品。") != target        # the original model is untouched


@pytest.mark.corpus
def test_shipped_model_pku_sample(corpora):
    from cnlp.evaluate import SegEvaluator
    from cnlp.models import perceptron as default_perceptron
    sig = corpora / "sighan2005"
    raw = (sig / "pku_test.utf8").read_text("utf-8").splitlines()[:300]
    gold = (sig / "pku_test_gold.utf8").read_text("utf-8").splitlines()[:300]
    seg = default_perceptron()
    ev = SegEvaluator()
    for r, g in zip(raw, gold):
        ev.add(g.split(), seg.segment(r))
    assert ev.result()["f1"] > 0.93          # full test: 0.954 (docs/models.md)


def test_suggested_words_bias_the_shipped_model():
    from cnlp.models import perceptron as default_perceptron
    text = "他们研究蓝牙耳机"
    ud = UserDictionary(["蓝牙耳机"], mode="suggest")
    assert "蓝牙耳机" not in default_perceptron().segment(text)           # the model alone splits it
    # a suggestion joins it (the multi-standard perceptron needs a stronger bias than the default,
    # which was chosen for the PKU models: benchmarks/user_dict_check.py --dev)
    assert "蓝牙耳机" in default_perceptron(user_dict=ud, suggest_bias=1.0).segment(text)
    assert "蓝牙耳机" not in default_perceptron(user_dict=ud, suggest_bias=0).segment(text)
    # a suggestion is soft: with an absurd suggested word the model still segments sensibly
    ud2 = UserDictionary(["们研"], mode="suggest")
    assert default_perceptron(user_dict=ud2).segment(text)[0] == "他们"


def test_extra_templates_and_params_round_trip():
    from cnlp.sequence.features import EXTRA_TEMPLATES
    text = "研究生研究a1"
    f = CharFeatures(bits=16, extra=("T-1C0", "C-1C0C1"))
    assert f.extra == ("C-1C0C1", "T-1C0")                    # canonical order
    X = f.transform_codes(to_codes(text))
    assert X.shape == (len(text), N_TEMPLATES + 2)
    assert np.array_equal(X[:, :N_TEMPLATES], CharFeatures(bits=16).transform_codes(to_codes(text)))
    assert X[0, -2] != X[3, -2]                 # trigram: 研 after BOS vs 研 after 生
    assert X[0, -1] != X[3, -1]                 # class of the previous char: BOS vs Han
    assert [t.name for t in f.templates[-2:]] == ["C-1C0C1", "T-1C0"]
    every = CharFeatures(bits=16, extra=EXTRA_TEMPLATES)
    assert np.array_equal(every.transform_codes(to_codes("ＡＢc")), every.transform_codes(to_codes("abc")))  # folded
    g = CharFeatures.from_params(f.get_params())
    assert g.extra == f.extra and g.bits == 16
    assert CharFeatures.from_params({"bits": 16}).extra == ()        # models saved before the option
    with pytest.raises(ValueError, match="unknown feature templates"):
        CharFeatures.from_params({"bits": 16, "extra_templates": ["C0C1C2C3"]})
    with pytest.raises(TypeError):
        CharFeatures(extra="C0T1")


def test_masked_viterbi_is_the_best_allowed_path():
    """Viterbi visits only allowed labels: the result is the best path among allowed ones (brute
    force), and float16 rows read through the value table score as their float32 copies."""
    from cnlp.sequence.linear import weight_tuple
    rng = np.random.default_rng(3)
    L = 4
    for n in (1, 2, 3, 5):
        X = rng.integers(-1, 30, (n, 5)).astype(np.int32)
        W = rng.normal(size=(30, L)).astype(np.float16)
        T, S = rng.normal(size=(L, L)), rng.normal(size=L)
        allowed = rng.random((n, L)) < 0.5
        allowed[np.arange(n), rng.integers(0, L, n)] = True           # never an empty row
        dense = (W.astype(np.float32), NT)
        em = emissions(X, NI, dense, np.empty((n, L)))
        assert np.array_equal(emissions(X, NI, weight_tuple(W), np.empty((n, L))), em)
        paths = [p for p in itertools.product(range(L), repeat=n) if all(allowed[t, p[t]] for t in range(n))]
        best = max(paths, key=lambda p: S[p[0]] + sum(em[t, p[t]] for t in range(n))
                   + sum(T[p[t - 1], p[t]] for t in range(1, n)))
        got = viterbi(X, NI, dense, T, S, NE, allowed, np.zeros((0, L)))
        assert got.tolist() == list(best)
        assert np.array_equal(got, viterbi.py_func(X, NI, dense, T, S, NE, allowed, np.zeros((0, L))))
