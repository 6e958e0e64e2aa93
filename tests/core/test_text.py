import numpy as np
from hypothesis import given, strategies as st

from cnlp import text as T


@given(st.text())
def test_codes_roundtrip_any_str(s):
    c = T.to_codes(s)
    assert c.dtype == np.int32 and c.shape == (len(s),)
    assert T.from_codes(c) == s


def test_lone_surrogate_and_astral():
    s = "a\ud800😀b"
    assert T.to_codes(s).tolist() == [ord("a"), 0xD800, 0x1F600, ord("b")]


def test_char_classes():
    c = T.char_classes(T.to_codes("中１a ，一😀"))
    assert c.tolist() == [T.HAN, T.DIGIT, T.LATIN, T.SPACE, T.PUNCT, T.CN_NUM, T.SYMBOL]


def test_classify_matches_py_func():
    codes = T.to_codes("中文ABC１２３ ，。〇😀\x00")
    out1 = T._classify(codes, T._BMP_TABLE, np.empty(len(codes), np.int8))
    out2 = T._classify.py_func(codes, T._BMP_TABLE, np.empty(len(codes), np.int8))
    assert np.array_equal(out1, out2)


def test_fold_width_is_parallel():
    s = "ＡＢｃ１２　中"
    f = T.fold_width(T.to_codes(s))
    assert len(f) == len(s)
    assert T.from_codes(f) == "abc12 中"
    assert T.fold_str("Ｉ　ｌｏｖｅ") == "i love"


def test_atom_ends():
    s = "ab12中  x"
    ends = T.atom_ends(T.char_classes(T.to_codes(s))).tolist()
    assert ends == [4, 4, 4, 4, 5, 7, 7, 8]
    assert np.array_equal(ends, T._atom_ends.py_func(T.char_classes(T.to_codes(s)), np.empty(8, np.int32)))


@given(st.text(alphabet="你好。！？!?;；\n”a ", max_size=40))
def test_sentence_spans_cover_text(s):
    spans = T.sentence_spans(s)
    assert "".join(s[a:b] for a, b in spans) == s
    assert all(b > a for a, b in spans)


def test_sentence_spans_keep_closing_quote():
    s = "他说：“好。”然后走了。"
    assert [s[a:b] for a, b in T.sentence_spans(s)] == ["他说：“好。”", "然后走了。"]


@given(st.text(max_size=80), st.data())
def test_cut_equals_slicing(s, data):
    from cnlp.segmentation.base import cut
    n = len(s)
    inner = sorted(set(data.draw(st.lists(st.integers(1, max(1, n - 1)), max_size=40)))) if n > 1 else []
    b = np.array([0, *inner, n] if n else [0], np.int32)
    words = [s[i:j] for i, j in zip(b[:-1], b[1:])]
    assert cut(s, T.to_codes(s), b) == words


def test_cut_with_separator_in_text():
    from cnlp.segmentation.base import cut
    s = "a\uffffb中文字符串测试"
    b = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 10], np.int32)
    assert cut(s, T.to_codes(s), b) == [s[i:j] for i, j in zip(b[:-1], b[1:])]


def test_sentence_spans_variants_and_blank_merge():
    s = "好！你呢？？我｡很好；走吧……」还有\r\n下一行"
    assert [s[a:b] for a, b in T.sentence_spans(s)] == ["好！", "你呢？？", "我｡", "很好；", "走吧……」", "还有\r\n", "下一行"]
    s = " \n他说。 \n"
    assert [s[a:b] for a, b in T.sentence_spans(s)] == [" \n", "他说。", " \n"]
    assert [s[a:b] for a, b in T.sentence_spans(s, merge_blank=True)] == [" \n他说。 \n"]
    assert T.sentence_spans("甲；乙。", semicolons=False) == [(0, 4)]
    assert T.sentence_spans("", merge_blank=True) == [] and T.sentence_spans("  ", merge_blank=True) == [(0, 2)]
