import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.dictionary import Dictionary, UserDictionary, as_user_dictionary, bmes_bias, bmes_mask
from cnlp.errors import CorpusFormatError, ModelFormatError
from cnlp.text import fold_width, to_codes
from conftest import as_legacy


def test_formats(tmp_path):
    (tmp_path / "w.txt").write_text("\ufeff研究\n生命\n\n# comment\n", "utf-8")
    (tmp_path / "j.txt").write_text("研究 10 v\n生命 5 n\nAT&T 3 nz\n", "utf-8")
    (tmp_path / "h.txt").write_text("研究 v 8 vn 2\n生命 n 5\n", "utf-8")
    w = Dictionary.load_text(tmp_path / "w.txt")
    assert len(w) == 2 and "研究" in w and w.freq("研究") == 1
    j = Dictionary.load_text(tmp_path / "j.txt")
    assert j.get("研究") == (10, {"v": 10}) and "at&t" in j and "ＡＴ＆Ｔ" in j
    h = Dictionary.load_text(tmp_path / "h.txt", format="hanlp")
    assert h.get("研究") == (10, {"v": 8, "vn": 2}) and h.top_pos("研究") == "v"


def test_malformed_line_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("研究 10 v\n生命 many n\n起源 3 n\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad.txt:2: frequency 'many'"):
        Dictionary.load_text(p)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        d = Dictionary.load_text(p, lenient=True)
    assert len(d) == 2 and any("bad.txt:2" in str(x.message) for x in w)
    p.write_bytes(b"ok 1\n\xff\xfe 2\n")
    with pytest.raises(CorpusFormatError, match=r"bad.txt:2"):
        Dictionary.load_text(p)
    with pytest.raises(ValueError, match="unknown dictionary format"):
        Dictionary.load_text(p, format="xml")


def test_save_load_and_truncation(tmp_path, tiny_words):
    d = Dictionary.from_counts({w: i + 1 for i, w in enumerate(tiny_words)})
    d.save(tmp_path / "d")
    e = Dictionary.load(tmp_path / "d")
    assert sorted(e.words()) == sorted(d.words()) and e.freq("研究生") == d.freq("研究生")
    text = "我们研究生命的起源"
    assert [a.tolist() for a in e.matches_in(text)] == [a.tolist() for a in d.matches_in(text)]
    npz = tmp_path / "d" / "arrays.npz"
    npz.write_bytes(npz.read_bytes()[:500])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        Dictionary.load(tmp_path / "d")
    (tmp_path / "d" / "words.marisa").write_bytes(b"\0" * 10)
    with pytest.raises(ModelFormatError):
        Dictionary.load(tmp_path / "d")


@settings(max_examples=80, deadline=None)
@given(words=st.lists(st.text(alphabet="研究生命起源的a1😀", min_size=1, max_size=4), min_size=1, max_size=15),
       text=st.text(alphabet="研究生命起源的a1😀x", max_size=30))
def test_find_matches_brute_force(words, text):
    d = Dictionary.from_counts(words)
    off, ends, ids = d.matches_in(text)
    keys = set(d.words())
    for i in range(len(text)):
        expect = [j for j in range(i + 1, len(text) + 1) if text[i:j] in keys]
        got = ends[off[i]:off[i + 1]].tolist()
        assert got == expect
        assert [d.trie.restore_key(k) for k in ids[off[i]:off[i + 1]].tolist()] == [text[i:j] for j in expect]


def test_user_dictionary_runtime_and_file(tmp_path):
    ud = UserDictionary()
    v = ud.version
    ud.add_word("命起源", mode="force")
    ud.add_word("生命", mode="suggest")
    assert ud.version > v and "命起源" in ud and len(ud) == 2
    assert ud.constraints_in("生命起源") == [(0, 2, False), (1, 4, True)]
    ud.add_word("生命", mode="prefer")               # a preferred word never overlaps a forced one
    assert ud.constraints_in("生命起源") == [(1, 4, True)]
    ud.del_word("命起源")
    assert ud.constraints_in("生命起源") == [(0, 2, False)]
    with pytest.raises(ValueError, match="unknown mode"):
        ud.add_word("x", mode="always")
    with pytest.raises(TypeError, match="expects str"):
        ud.add_word(b"x")
    p = tmp_path / "u.txt"
    p.write_text("云计算 100 n force\n区块链\n大数据 n\n小数据 3 suggest\n", "utf-8")
    u2 = UserDictionary.load(p)
    assert u2.get("云计算") == (100, "n", "force") and u2.get("区块链") == (None, None, "prefer")
    assert u2.get("大数据") == (None, "n", "prefer") and u2.get("小数据") == (3, None, "suggest")
    assert as_user_dictionary(["甲乙"]).get("甲乙")[2] == "prefer"
    with pytest.raises(TypeError):
        as_user_dictionary(b"abc")


def test_entry_without_mode_keeps_the_words_mode(tmp_path):
    """A plain list or a file without a mode column never weakens a word's mode; a named mode sets it."""
    ud = UserDictionary(["甲乙"], mode="force")
    ud.add_word("甲乙")
    assert ud.get("甲乙") == (None, None, "force")
    ud.add_word("甲乙", 5, "n")
    assert ud.get("甲乙") == (5, "n", "force")
    p = tmp_path / "plain.txt"
    p.write_text("甲乙\n丙丁 2\n", "utf-8")
    ud.update_from_file(p)
    assert ud.get("甲乙") == (5, "n", "force") and ud.get("丙丁") == (2, None, "prefer")
    ud.add_word("甲乙", mode="suggest")
    assert ud.get("甲乙")[2] == "suggest"


def test_suggest_strength_grows_with_freq():
    from cnlp.dictionary import suggest_strength
    s = suggest_strength(np.array([0, 1, 3, 100, 10_000, 10**6, -1]))
    assert s[0] == 0 and np.all(np.diff(s[:6]) > 0) and s[3] == pytest.approx(1) and s[6] == pytest.approx(1)


def test_forced_spans_never_overlap():
    ud = UserDictionary(["ab", "bc", "abc", "cd"], mode="force")
    s, e, f = ud.constraints(fold_width(to_codes("abcd")))
    spans = list(zip(s.tolist(), e.tolist()))
    assert spans == [(0, 3)]          # leftmost-longest; 'cd' would cross it
    assert f.all()


def test_bmes_mask():
    m = bmes_mask(6, np.array([1, 4]), np.array([4, 5]), np.array([True, True]))
    B, M, E, S = range(4)
    assert m[1].tolist() == [True, False, False, False]
    assert m[2].tolist() == [False, True, False, False]
    assert m[3].tolist() == [False, False, True, False]
    assert m[4].tolist() == [False, False, False, True]
    assert not m[0, B] and not m[0, M] and m[0, E] and m[0, S]
    assert not m[5, M] and not m[5, E]


@pytest.mark.slow
@pytest.mark.corpus
def test_jieba_dictionary_loads(corpora):
    d = Dictionary.load_text(corpora / "dicts" / "jieba_dict.txt")
    assert len(d) > 340_000
    assert d.top_pos("北京") == "ns"
    assert ["北京", "天安门"] == [w for w in ("北京", "天安门") if w in d]


def test_auto_format_detection(tmp_path):
    (tmp_path / "j.txt").write_text("研究 10\n生命 5 n\n", "utf-8")
    (tmp_path / "h.txt").write_text("研究 v 8\n", "utf-8")
    assert Dictionary.load_text(tmp_path / "j.txt").get("研究") == (10, {})
    assert Dictionary.load_text(tmp_path / "h.txt").get("研究") == (8, {"v": 8})
    (tmp_path / "bad.txt").write_text("研究 v 8\n生命 n\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad.txt:2"):
        Dictionary.load_text(tmp_path / "bad.txt")
    (tmp_path / "w.txt").write_text("研究\n生命 5\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"w.txt:2: expected one word"):
        Dictionary.load_text(tmp_path / "w.txt")


def test_corrupt_trie_arrays_rejected(tmp_path, tiny_words):
    Dictionary.from_counts(tiny_words).save(tmp_path / "d")
    npz = tmp_path / "d" / "arrays.npz"
    with np.load(npz) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["fwd_child"] = arrays["fwd_child"].copy()
    arrays["fwd_child"][0] = 10**6                      # would index out of bounds in a kernel
    np.savez(npz, **arrays)
    as_legacy(npz.parent)
    with pytest.raises(ModelFormatError, match="arrays.npz.*fwd: trie edge code points or child nodes"):
        Dictionary.load(tmp_path / "d")
    (tmp_path / "d" / "words.marisa").write_bytes(b"\0" * 10)
    with pytest.raises(ModelFormatError, match="words.marisa"):
        Dictionary.load(tmp_path / "d")


def test_kernel_api_from_user_njit(tiny_words):
    from numba import njit
    from cnlp.dictionary import nb_prefix_matches

    @njit
    def all_matches(root, htab, word, codes, max_len):
        ends = np.empty(max_len, np.int32)
        ids = np.empty(max_len, np.int32)
        out = []
        for i in range(codes.shape[0]):
            k = nb_prefix_matches(root, htab, word, codes, i, codes.shape[0], ends, ids)
            for j in range(k):
                out.append((i, ends[j], ids[j]))
        return out

    d = Dictionary.from_counts(tiny_words)
    t = d.kernel_arrays()
    codes = fold_width(to_codes("我们研究生命的起源和服务"))
    got = all_matches(t.root, t.htab, t.word, codes, d.max_len)
    off, ends, ids = d.find_matches(codes)
    expect = [(i, int(e), int(w)) for i in range(len(codes)) for e, w in
              zip(ends[off[i]:off[i + 1]], ids[off[i]:off[i + 1]])]
    assert [(int(a), int(b), int(c)) for a, b, c in got] == expect and len(expect) > 5
    with pytest.raises(ValueError):
        d.kernel_arrays("sideways")


def test_find_matches_one_megabyte_line(tiny_words):
    d = Dictionary.from_counts(tiny_words)
    s = "研究生命起源的" * 150_000
    off, ends, ids = d.matches_in(s)
    assert off.shape == (len(s) + 1,) and off[-1] == ends.shape[0] == 6 * 150_000


def test_layered_dictionary():
    from cnlp.dictionary import LayeredDictionary, suggest_freq
    base = Dictionary.from_counts({"生命": 5, "起源": 3, "研究": 4})
    top = Dictionary.from_counts({"研究": 40})
    ud = UserDictionary(["生命起源"])
    ld = LayeredDictionary(base, top, ud)
    assert ld.freq("研究") == 40 and ld.freq("生命") == 5 and "起源" in ld and "命起" not in ld
    f = ld.freq("生命起源")
    assert f == suggest_freq(base, "生命起源") and f / base.total > (5 / base.total) * (3 / base.total)
    flat = ld.flatten()
    assert len(flat) == 4 and flat.freq("研究") == 40 and ld.flatten() is flat
    ud.add_word("生命", freq=99)                      # a user layer wins, and invalidates the cache
    assert ld.freq("生命") == 99 and ld.flatten() is not flat and ld.flatten().freq("生命") == 99
    ud.del_word("生命")
    assert ld.freq("生命") == 5
    with pytest.raises(TypeError):
        LayeredDictionary(base, {"x": 1})


def test_from_stats_and_train_command(tiny_pd98, tmp_path):
    from cnlp.cli import main
    assert main(["train", "dict", "--corpus", str(tiny_pd98), "--format", "pd98", "--out", str(tmp_path / "d")]) == 0
    d = Dictionary.load(tmp_path / "d")
    assert d.get("研究") == (1, {"v": 1}) and d.freq("。") == 3 and "江泽民" not in d
    assert d.top_pos("服务") == "vn" and "command" in d.meta
    (tmp_path / "w.txt").write_text("甲乙 3 n\n", "utf-8")
    assert main(["train", "dict", "--corpus", str(tmp_path / "w.txt"), "--format", "jieba",
                 "--out", str(tmp_path / "e")]) == 0
    assert Dictionary.load(tmp_path / "e").get("甲乙") == (3, {"n": 3})


@settings(max_examples=200, deadline=None)
@given(st.text() | st.text(alphabet="ＡａZz０９！～\u3000\uff5f\uff00 Σé"))
def test_fold_key_equals_fold_str(s):
    from cnlp.dictionary.trie import fold_key
    from cnlp.text import fold_str
    assert fold_key(s) == fold_str(s)


def test_bmes_bias_by_hand():
    b = bmes_bias(7, [0, 2, 6], [4, 3, 7], 2.0)          # 4-char word, 1-char word inside it, last char
    expect = np.zeros((7, 4))
    expect[0, 0] = expect[1, 1] = expect[2, 1] = expect[3, 2] = 2.0   # B M M E
    expect[2, 3] = expect[6, 3] = 2.0                                  # S, S
    assert np.array_equal(b, expect)
    assert not bmes_bias(3, [], [], 1.0).any()
