"""Search mode: ``Segmenter.tokenize(text, mode="search")``, ``cnlp.tokenize(mode=...)``,
``cnlp.cut_for_search`` and ``cnlp segment --mode search``."""
import io
import sys

import pytest
from hypothesis import given, strategies as st

import cnlp
from cnlp.dictionary import Dictionary
from cnlp.models import dictionary as default_dictionary
from cnlp.segmentation.maxmatch import MaxMatchSegmenter
from cnlp.segmentation.search import MIN_SUB, MIN_WORD, search_dictionary


def _groups(search, default):
    """Split the search tokens into one group per default token (its sub-words, then itself);
    fails when the default tokens are not all there, in order."""
    groups, pending, it = [], [], iter(default)
    want = next(it, None)
    for tok in search:
        if tok == want:
            groups.append((pending, tok))
            pending, want = [], next(it, None)
        else:
            pending.append(tok)
    assert want is None and not pending, "default tokens missing or sub-words after the last word"
    return groups


def _check(seg, text):
    default = list(seg.tokenize(text))
    search = list(seg.tokenize(text, mode="search"))
    assert "".join(w for w, _, _ in default) == text                 # default words cover the text exactly
    for w, s, e in search:
        assert text[s:e] == w
    for subs, (word, ws, we) in _groups(search, default):
        if subs:
            assert we - ws >= MIN_WORD
        assert [(s, e) for _, s, e in subs] == sorted((s, e) for _, s, e in subs)    # by start, then length
        assert len(set(subs)) == len(subs)
        for _, s, e in subs:
            assert ws <= s and e <= we and MIN_SUB <= e - s < we - ws
    return default, search


@pytest.fixture(scope="module")
def toy():
    d = Dictionary.from_counts({"中华": 5, "华人": 3, "人民": 9, "共和": 4, "共和国": 6, "中华人民共和国": 8,
                                "机器": 3, "学习": 5, "机器学习": 2, "bc": 7, "成立": 4})
    return MaxMatchSegmenter(d, direction="forward")


def test_subwords_precede_their_word(toy):
    _, search = _check(toy, "中华人民共和国成立了")
    assert [w for w, _, _ in search] == ["中华", "华人", "人民", "共和", "共和国", "中华人民共和国", "成立", "了"]
    assert search[5] == ("中华人民共和国", 0, 7) and search[4] == ("共和国", 4, 7)


def test_short_words_have_no_subwords(toy):
    default, search = _check(toy, "成立")
    assert search == default


def test_no_subword_splits_a_latin_run(toy):
    default, search = _check(toy, "abc机器学习")
    assert ("abc", 0, 3) in default and ("bc", 1, 3) not in search
    assert [w for w, _, _ in search] == ["abc", "机器", "学习", "机器学习"]


def test_no_subword_separates_a_mark_from_its_base(toy):
    text = "机器\u0301学习"                     # the combining mark belongs to 器
    default, search = _check(toy, text)
    assert ("机器\u0301", 0, 3) in default
    assert all(e != 2 for _, _, e in search)


def test_user_words_are_subwords(toy):
    seg = toy.with_user_dict(["器学"])
    _, search = _check(seg, "机器学习")
    assert ("器学", 1, 3) in search
    assert ("器学", 1, 3) not in list(toy.tokenize("机器学习", mode="search"))


def test_dictionary_is_the_segmenters_own_else_the_default(toy):
    assert search_dictionary(toy) is toy.dictionary
    assert search_dictionary(cnlp.get_segmenter("hmm")) is default_dictionary()


def test_mode_and_type_errors(toy):
    with pytest.raises(ValueError, match="search"):
        toy.tokenize("中华", mode="index")
    with pytest.raises(TypeError):
        toy.tokenize(b"abc", mode="search")
    with pytest.raises(TypeError):
        cnlp.cut_for_search(None)
    assert list(toy.tokenize("", mode="search")) == []


def test_default_segmenter_search_mode():
    # the PKU CRF writes 中华人民共和国 as one word (the default's blend writes 中华 人民 共和国)
    default, search = _check(cnlp.get_segmenter("crf"), "中华人民共和国成立了，我来到北京清华大学")
    words = [w for w, _, _ in search]
    assert ("中华人民共和国", 0, 7) in default
    for sub in ("中华", "人民", "共和国"):
        assert words.index(sub) < words.index("中华人民共和国")
    assert words == cnlp.cut_for_search("中华人民共和国成立了，我来到北京清华大学", algorithm="crf")
    assert list(cnlp.tokenize("中华人民共和国", mode="search", algorithm="crf")) == \
        search[:words.index("中华人民共和国") + 1]
    assert list(cnlp.tokenize("中华人民共和国", algorithm="crf")) == [("中华人民共和国", 0, 7)]
    _check(cnlp.get_segmenter(), "中华人民共和国成立了，我来到北京清华大学")


def test_per_call_user_words():
    text = "中华人民共和国"
    assert "民共" not in cnlp.cut_for_search(text, algorithm="crf")
    assert "民共" in cnlp.cut_for_search(text, user_dict=["民共"], algorithm="crf")


alphabet = st.sampled_from(list("中华人民共和国机器学习成立了abc12 \u0301\u200d😀，"))


@given(st.text(alphabet, max_size=30))
def test_search_mode_never_loses_text(text):
    seg = MaxMatchSegmenter(Dictionary.from_counts({"中华": 5, "人民": 9, "共和国": 6, "中华人民共和国": 8,
                                                    "机器": 3, "学习": 5, "机器学习": 2, "bc": 7, "c1": 2}),
                            direction="forward")
    _check(seg, text)
    _check(seg.with_user_dict(["器学", "华人民"]), text)


def test_cli_search_mode(capsys, monkeypatch):
    from cnlp.cli import main
    lines = ["中华人民共和国成立了", "", "我来到北京清华大学"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode() + b"\n"), encoding="utf-8"))
    assert main(["segment", "--mode", "search"]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out[:-1] == [" ".join(cnlp.cut_for_search(line)) for line in lines]


def test_cli_search_mode_is_one_process(capsys):
    from cnlp.cli import main
    assert main(["segment", "--mode", "search", "-j", "2"]) == 2
    assert "one process" in capsys.readouterr().err
