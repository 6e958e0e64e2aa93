import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.corpus.stats import CorpusStats
from cnlp.dictionary import UserDictionary
from cnlp.errors import ModelFormatError
from cnlp.segmentation import _lattice_kernels as K
from cnlp.segmentation.lattice import BigramModel, LatticeSegmenter, bigram_table, word_class
from cnlp.text import _BMP_TABLE, to_codes

SENTS = [
    "我们 研究 生命 的 起源 。",
    "商品 和 服务 都 很 好 。",
    "他 说 的 确实 在理 。",
    "研究生 们 研究 问题 。",
    "１９９８年 １２月 ３１日 ， 江 泽民 发表 讲话 。",
    "我们 的 研究 很 好 。",
]


@pytest.fixture(scope="module")
def model():
    stats = CorpusStats.build([[(w, None) for w in s.split()] for s in SENTS])
    return BigramModel.from_stats(stats, lam=0.4, alpha=1.0, unk_p=1e-7)


def test_word_class():
    assert word_class("1998") == K.NUM and word_class("一九九八") == K.NUM and word_class("3.5%") == K.NUM
    assert word_class("1998年") == K.TIME and word_class("十二月") == K.TIME
    assert word_class("abc") == K.LAT and word_class("研究") == -1 and word_class("一些") == -1


def test_segments_known_sentences(model):
    seg = LatticeSegmenter(model)
    assert seg.segment("我们研究生命的起源。") == ["我们", "研究", "生命", "的", "起源", "。"]
    assert seg.segment("二○○一年12月31日") == ["二○○一年", "12月", "31日"]
    assert seg.segment("ABC公司") == ["ABC", "公", "司"]


def test_force_and_suggest(model):
    base = LatticeSegmenter(model)
    s = "我们研究生命的起源。"
    forced = UserDictionary()
    forced.add_word("命的起", mode="force")
    out = base.with_user_dict(forced).segment(s)
    assert "命的起" in out and "".join(out) == s
    # a suggested new word wins by default (scored as a frequent word) ...
    out2 = base.with_user_dict(UserDictionary(["生命的"], mode="suggest")).segment(s)
    assert "生命的" in out2 and "".join(out2) == s
    assert base.segment(s) == ["我们", "研究", "生命", "的", "起源", "。"]      # original untouched
    # ... but it only gains weight: suggested with a tiny frequency, it loses to the model's words
    rare = UserDictionary()
    rare.add_word("生命的", freq=0, mode="suggest")
    assert "生命的" not in LatticeSegmenter(model, suggest_bonus=0.0).with_user_dict(rare).segment(s)
    # a forced word wins even where a suggestion of the same word would not
    forced2 = UserDictionary()
    forced2.add_word("生命的", freq=0, mode="force")
    assert "生命的" in LatticeSegmenter(model, suggest_bonus=0.0).with_user_dict(forced2).segment(s)


@settings(max_examples=120, deadline=None)
@given(s=st.text(max_size=60) | st.text(alphabet="我们研究生命的起源。１２3a 二○年\u3000😀", max_size=60))
def test_lossless(model, s):
    ud = UserDictionary(["生命的"])
    ud.add_word("究生", mode="force")
    for seg in (LatticeSegmenter(model), LatticeSegmenter(model, user_dict=ud)):
        assert "".join(seg.segment(s)) == s


def test_one_megabyte_line(model):
    s = "我们研究生命的起源商品和服务" * 75_000
    out = LatticeSegmenter(model).segment(s)
    assert "".join(out) == s and len(out) > 300_000


def test_kernel_matches_py_func(model):
    codes = to_codes("我们研究生命的起源 abc 1998年。")
    t, z = model.vocab.fwd, np.zeros(0, np.int32)
    args = (codes, _BMP_TABLE, t.root, t.htab, t.word, model.present, K.SUFFIXES, model.uni, model.hist,
            model.table, model.lam, z, z, z, z, z, np.zeros(0), *model.hmm_arrays, 4, 0.0)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # uint64 wrap-around in the pure-Python hash
        assert np.array_equal(K.lattice_viterbi(*args), K.lattice_viterbi.py_func(*args))


def test_bigram_table_lookup():
    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(1, 10**9, 5000))
    counts = rng.integers(1, 100, keys.shape[0])
    tab = bigram_table(keys, counts)
    for k, c in zip(keys[:500].tolist(), counts[:500].tolist()):
        assert K._bigram(tab, k) == c
    assert K._bigram(tab, 10**9 + 7) == 0


def test_bigram_table_is_linear_for_crafted_keys():
    """Keys crowding one home slot at the end of the table (the cluster wraps round) are laid out
    in one pass; duplicate keys are refused at once (they took minutes to load)."""
    import time
    n = 1500
    size = 1 << max(4, int(n / 0.6).bit_length())
    cand = np.arange(1, 1 << 23, dtype=np.int64)
    home = ((cand.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) & np.uint64(size - 1)
    keys = cand[home == size - 2][:n]
    assert keys.shape[0] == n
    counts = np.arange(1, n + 1)
    t = time.perf_counter()
    tab = bigram_table(keys, counts)
    assert time.perf_counter() - t < 1.0
    assert [K._bigram(tab, int(k)) for k in keys] == counts.tolist()
    assert K._bigram(tab, int(cand[home == size - 2][n])) == 0
    t = time.perf_counter()
    with pytest.raises(ValueError, match="duplicate"):
        bigram_table(np.full(200000, 12345), np.ones(200000, np.int64))
    assert time.perf_counter() - t < 1.0


def test_duplicate_bigram_keys_in_a_bundle_are_refused(tmp_path, model):
    d = tmp_path / "m"
    BigramModel(model.vocab, model.counts, model.bigram_keys, model.bigram_counts, lam=model.lam,
                alpha=model.alpha, unk_p=model.unk_p).save(d)
    import hashlib
    import json
    from cnlp.io import meta_digest
    with np.load(d / "arrays.npz") as z:                      # a crafted, consistent bundle
        arrays = {k: z[k] for k in z.files}
    arrays["bigram_keys"][1:] = arrays["bigram_keys"][0]
    np.savez_compressed(d / "arrays.npz", **arrays)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["checksums"]["arrays.npz"] = hashlib.sha256((d / "arrays.npz").read_bytes()).hexdigest()
    meta["checksums"]["meta.json"] = meta_digest(meta)
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelFormatError, match="duplicate"):
        BigramModel.load(d)


def _with_candidates(model, cost):
    """A copy of ``model`` whose HMM knows 小平 (the bigram vocabulary does not)."""
    from cnlp.segmentation.hmm import HMMSegmenter
    m = BigramModel(model.vocab, model.counts, model.bigram_keys, model.bigram_counts,
                    lam=model.lam, alpha=model.alpha, unk_p=model.unk_p)
    hmm = HMMSegmenter().fit([s.split() for s in SENTS] + [["邓", "小平", "说", "。"]] * 5)
    m.set_candidates(hmm, cost, 4)
    return m


def test_hmm_candidates(model):
    s = "邓小平说研究。"
    assert "小平" not in model.vocab
    assert LatticeSegmenter(model).segment(s)[:3] == ["邓", "小", "平"]
    assert LatticeSegmenter(_with_candidates(model, 5.0)).segment(s)[:3] == ["邓", "小平", "说"]
    # too expensive a candidate loses to the single characters; a dictionary word is never re-proposed
    assert LatticeSegmenter(_with_candidates(model, 60.0)).segment(s)[:3] == ["邓", "小", "平"]
    assert LatticeSegmenter(_with_candidates(model, 5.0)).segment("我们研究生命。")[:2] == ["我们", "研究"]
    with pytest.raises(TypeError, match="HMMSegmenter"):
        model.set_candidates("hmm", 5.0)


def test_save_load(tmp_path, model):
    model.save(tmp_path / "m")
    m2 = BigramModel.load(tmp_path / "m")
    s = "我们研究生命的起源。商品和服务"
    assert LatticeSegmenter(m2).segment(s) == LatticeSegmenter(model).segment(s)
    mc = _with_candidates(model, 5.0)
    mc.save(tmp_path / "c")
    s = "邓小平说研究生命的起源。"
    assert LatticeSegmenter(BigramModel.load(tmp_path / "c")).segment(s) == LatticeSegmenter(mc).segment(s)
    assert "小平" in LatticeSegmenter(mc).segment(s)
    npz = tmp_path / "m" / "arrays.npz"
    npz.write_bytes(npz.read_bytes()[:100])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        BigramModel.load(tmp_path / "m")


@pytest.mark.corpus
def test_pku_sample_f1_floor(corpora):
    """Shipped model on the first 300 PKU test lines; full-test F1 is 0.929 (docs/models.md)."""
    from cnlp.evaluate import SegEvaluator
    from cnlp.models import bigram as default_bigram
    sig = corpora / "sighan2005"
    raw = (sig / "pku_test.utf8").read_text("utf-8").splitlines()[:300]
    gold = (sig / "pku_test_gold.utf8").read_text("utf-8").splitlines()[:300]
    seg = default_bigram()
    ev = SegEvaluator()
    for r, g in zip(raw, gold):
        ev.add(g.split(), seg.segment(r))
    assert ev.result()["f1"] > 0.91


def test_cli_train_bigram(tiny_pd98, tmp_path):
    from cnlp.cli import main
    assert main(["train", "bigram", "--corpus", str(tiny_pd98), "--out", str(tmp_path / "b")]) == 0
    seg = LatticeSegmenter.load(tmp_path / "b")
    assert seg.segment("商品和服务都很好。") == ["商品", "和", "服务", "都", "很", "好", "。"]


@pytest.mark.parametrize("value", [1e308, 0.0])
def test_bigram_bundle_with_extreme_counts_is_a_model_format_error(tmp_path, value):
    """Counts whose total overflows (or is zero) gave NaN costs and "produced invalid cut offsets
    ... this is a bug in cnlp" at the first segment(); now the load names the file."""
    from cnlp.errors import ModelFormatError
    from cnlp.io import model_path
    from cnlp.segmentation.lattice import BigramModel, LatticeSegmenter
    m = BigramModel.load(model_path("bigram"))
    m.counts[:] = value
    m.save(tmp_path / "bigram")
    with pytest.raises(ModelFormatError, match="arrays.npz: counts give no finite positive"):
        LatticeSegmenter.load(tmp_path / "bigram")
