import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.dictionary import Dictionary, UserDictionary
from cnlp.segmentation.maxmatch import MaxMatchSegmenter, bmm_kernel, fmm_kernel, _NONE
from cnlp.text import _BMP_TABLE, to_codes


@pytest.fixture
def d(tiny_words):
    return Dictionary.from_counts(tiny_words)


def test_directions(d):
    s = "研究生命起源"
    assert MaxMatchSegmenter(d, direction="forward").segment(s) == ["研究生", "命", "起源"]
    assert MaxMatchSegmenter(d, direction="backward").segment(s) == ["研究", "生命", "起源"]
    assert MaxMatchSegmenter(d, direction="both").segment(s) == ["研究", "生命", "起源"]


def test_bimm_tie_prefers_fewer_singles_then_backward():
    d = Dictionary.from_counts(["和服", "服务", "商品", "和"])
    # FMM: 商品 和服 务 ; BMM: 商品 和 服务 -> same count, same singles -> backward
    assert MaxMatchSegmenter(d, direction="both").segment("商品和服务") == ["商品", "和", "服务"]


def test_atoms(d):
    seg = MaxMatchSegmenter(d, direction="forward")
    assert seg.segment("研究abc123  起源") == ["研究", "abc123", "  ", "起源"]
    pure = MaxMatchSegmenter(d, direction="forward", atoms=False)
    assert pure.segment("ab 12") == ["a", "b", " ", "1", "2"]


def test_folding():
    d = Dictionary.from_counts(["１２月", "ＡＢＣ公司"])
    seg = MaxMatchSegmenter(d, direction="forward")
    assert seg.segment("12月abc公司") == ["12月", "abc公司"]
    raw = Dictionary.from_counts(["１２月"]).__class__.from_entries([("１２月", 1, None)], fold=False)
    assert MaxMatchSegmenter(raw, direction="forward", atoms=False).segment("12月") == ["1", "2", "月"]


def test_user_dict_force_and_suggest(d):
    ud = UserDictionary()
    ud.add_word("命起", mode="force")
    for direction in ("forward", "backward", "both"):
        out = MaxMatchSegmenter(d, direction=direction, user_dict=ud).segment("研究生命起源")
        assert "命起" in out and "".join(out) == "研究生命起源"
    sug = UserDictionary(["生命起源"])
    assert MaxMatchSegmenter(d, direction="forward", user_dict=sug).segment("生命起源") == ["生命起源"]
    # the with_user_dict copy leaves the original untouched
    base = MaxMatchSegmenter(d, direction="forward")
    assert base.with_user_dict(["生命起源"]).segment("生命起源") == ["生命起源"]
    assert base.segment("生命起源") == ["生命", "起源"]


def test_forced_word_splits_atom(d):
    ud = UserDictionary()
    ud.add_word("c1", mode="force")
    assert MaxMatchSegmenter(d, user_dict=ud).segment("abc123") == ["ab", "c1", "23"]


@pytest.mark.parametrize("direction", ["forward", "backward", "both"])
@settings(max_examples=150, deadline=None)
@given(s=st.text(max_size=50) | st.text(alphabet="研究生命起源的 a1😀\u0301\x00", max_size=50)
       | st.lists(st.integers(0, 0x10FFFF), max_size=40).map(lambda cps: "".join(map(chr, cps)))
       | st.lists(st.sampled_from([0xD800, 0xDFFF, 0x7814, 0x7A76, 0x1F600, 0x41, 0xFF21, 0x3000, 0x0A]),
                  max_size=40).map(lambda cps: "".join(map(chr, cps))))
def test_lossless(direction, s):
    d = Dictionary.from_counts(["研究", "研究生", "生命", "起源", "命", "a1", "究生命"])
    ud = UserDictionary(["命起", "1😀"])
    ud.add_word("究生", mode="force")
    for u in (None, ud):
        assert "".join(MaxMatchSegmenter(d, direction=direction, user_dict=u).segment(s)) == s


def test_kernels_match_py_func(d):
    codes = to_codes("研究生命起源abc 12的问题")
    f, b = d.fwd, d.bwd
    a1 = fmm_kernel(codes, _BMP_TABLE, True, f.root, f.htab, f.word, _NONE, _NONE, True)
    a2 = fmm_kernel.py_func(codes, _BMP_TABLE, True, f.root, f.htab, f.word, _NONE, _NONE, True)
    assert np.array_equal(a1, a2)
    b1 = bmm_kernel(codes, _BMP_TABLE, True, b.root, b.htab, b.word, _NONE, _NONE, True)
    b2 = bmm_kernel.py_func(codes, _BMP_TABLE, True, b.root, b.htab, b.word, _NONE, _NONE, True)
    assert np.array_equal(b1, b2)


@pytest.mark.parametrize("direction", ["forward", "backward", "both"])
def test_one_megabyte_line(d, direction):
    s = "研究生命起源的" * 150_000
    out = MaxMatchSegmenter(d, direction=direction).segment(s)
    assert "".join(out) == s and len(out) > 400_000


def test_bad_arguments(d):
    with pytest.raises(ValueError, match="unknown direction"):
        MaxMatchSegmenter(d, direction="sideways")
    with pytest.raises(TypeError, match="Dictionary"):
        MaxMatchSegmenter({"a": 1})


@pytest.mark.corpus
def test_sighan_baseline_reproduced(corpora):
    from cnlp.evaluate import SegEvaluator
    sig = corpora / "sighan2005"
    words = [w.strip() for w in open(sig / "pku_training_words.utf8", encoding="utf-8") if w.strip()]
    d = Dictionary.from_entries(((w, 1, None) for w in words), fold=False)
    seg = MaxMatchSegmenter(d, direction="forward", atoms=False)
    ev = SegEvaluator(words)
    raw = open(sig / "pku_test.utf8", encoding="utf-8").read().splitlines()
    gold = open(sig / "pku_test_gold.utf8", encoding="utf-8").read().splitlines()
    for r, g in zip(raw, gold):
        ev.add(g.split(), seg.segment(r))
    res = ev.result()
    assert 0.869 <= res["f1"] <= 0.875
    assert 0.904 <= res["recall"] <= 0.907 and 0.836 <= res["precision"] <= 0.843


@pytest.mark.parametrize("atoms", [True, False])
def test_one_megabyte_atom_and_forced_words(d, atoms):
    s = "ab12" * 250_000
    for direction in ("forward", "backward", "both"):
        out = MaxMatchSegmenter(d, direction=direction, atoms=atoms).segment(s)
        assert "".join(out) == s and len(out) == (1 if atoms else len(s))
    ud = UserDictionary()
    ud.add_word("2a", mode="force")
    out = MaxMatchSegmenter(d, direction="both", atoms=atoms, user_dict=ud).segment(s[:400_000])
    assert "".join(out) == s[:400_000] and out.count("2a") == 99_999


def test_user_dict_edits_at_runtime(d):
    ud = UserDictionary()
    seg = MaxMatchSegmenter(d, direction="forward", user_dict=ud)
    assert seg.segment("生命起源") == ["生命", "起源"]
    ud.add_word("命起", mode="force")
    assert seg.segment("生命起源") == ["生", "命起", "源"]
    ud.del_word("命起")
    assert seg.segment("生命起源") == ["生命", "起源"]
    ud.add_word("命起源")                 # suggested and longer than the dictionary match at 命
    assert seg.segment("命起源") == ["命起源"]


def test_forced_beats_longer_dictionary_word(d):
    ud = UserDictionary()
    ud.add_word("究生", mode="force")
    for direction in ("forward", "backward", "both"):
        assert MaxMatchSegmenter(d, direction=direction, user_dict=ud).segment("研究生命") == ["研", "究生", "命"]


def test_layered_dictionary_segmenter(d):
    from cnlp.dictionary import LayeredDictionary
    ud = UserDictionary()
    seg = MaxMatchSegmenter(LayeredDictionary(d, ud), direction="forward")
    assert seg.segment("生命起源") == ["生命", "起源"]
    ud.add_word("生命起源")
    assert seg.segment("生命起源") == ["生命起源"]


def test_default_factories():
    from cnlp.io import model_path
    from cnlp.models import bimm as default_bimm, bmm as default_bmm, fmm as default_fmm
    try:
        model_path("dict")
    except Exception:
        pytest.skip("data/dict not shipped")
    text = "迈向充满希望的新世纪——一九九八年新年讲话，ＡＢＣ123"
    for factory in (default_fmm, default_bmm, default_bimm):
        out = factory().segment(text)
        assert "".join(out) == text and "希望" in out and "新世纪" in out and "ＡＢＣ123" in out
    ud = UserDictionary()
    ud.add_word("望的新", mode="force")
    assert "望的新" in default_fmm(user_dict=ud).segment(text)


@settings(max_examples=100, deadline=None)
@given(s=st.text(alphabet="研究生命起源的和服务商品 a1", max_size=40))
def test_bimm_rule(s):
    from conftest import TINY_WORDS
    d = Dictionary.from_counts(TINY_WORDS)
    ud = UserDictionary(["命起", "服务商"])
    ud.add_word("的和", mode="force")
    for u in (None, ud):
        fw = MaxMatchSegmenter(d, direction="forward", user_dict=u).segment(s)
        bw = MaxMatchSegmenter(d, direction="backward", user_dict=u).segment(s)
        singles = lambda ws: sum(len(w) == 1 for w in ws)
        expect = min((len(fw), singles(fw), 1, fw), (len(bw), singles(bw), 0, bw))[3]
        assert MaxMatchSegmenter(d, direction="both", user_dict=u).segment(s) == expect


def test_threads_with_concurrent_user_dict_edits(d):
    from concurrent.futures import ThreadPoolExecutor
    ud = UserDictionary()
    seg = MaxMatchSegmenter(d, direction="both", user_dict=ud)
    text = "研究生命起源的问题和服务商品" * 20

    def work(k):
        if k % 5 == 0:
            ud.add_word(f"命起{k % 3}", mode="force" if k % 2 else "suggest")
            ud.add_word("命起", mode="force")
        return seg.segment(text)

    with ThreadPoolExecutor(4) as ex:
        outs = list(ex.map(work, range(200)))
    assert all("".join(o) == text for o in outs)
    assert seg.segment(text).count("命起") == 20
