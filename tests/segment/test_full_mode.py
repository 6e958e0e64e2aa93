"""Full mode (jieba's cut_all): every dictionary word at every position, with offsets."""
from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings, strategies as st

import cnlp
from cnlp.cli import main
from cnlp.dictionary import Dictionary, UserDictionary
from cnlp.segmentation.maxmatch import MaxMatchSegmenter

WORDS = {"清华": 5, "清华大学": 3, "大学": 9, "华大": 1, "北京": 8, "来到": 4, "中华": 2, "人民": 7}


@pytest.fixture
def seg():
    return MaxMatchSegmenter(Dictionary.from_counts(WORDS))


def test_every_dictionary_word_at_every_position(seg):
    got = list(seg.tokenize("我来到北京清华大学", mode="full"))
    assert got == [("我", 0, 1), ("来到", 1, 3), ("北京", 3, 5), ("清华", 5, 7), ("清华大学", 5, 9), ("华大", 6, 8),
                   ("大学", 7, 9)]


def test_user_words_units_and_uncovered_characters(seg):
    s2 = seg.with_user_dict(UserDictionary(["我来", "OpenGL ES"]))
    got = [w for w, _, _ in s2.tokenize("我来到iPhone12  用OpenGL ES", mode="full")]
    # 我 is inside 我来 (no single character where a word covers it), the units OpenGL, ES stay
    assert got == ["我来", "来到", "iPhone12", "  ", "用", "OpenGL", "OpenGL ES", "ES"]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="清华大学北京来到我中人民 aZ9\u0301\n", max_size=30))
def test_offsets_cover_the_text_and_words_are_slices(text):
    seg = MaxMatchSegmenter(Dictionary.from_counts(WORDS))
    toks = list(seg.tokenize(text, mode="full"))
    covered = set()
    for w, s, e in toks:
        assert text[s:e] == w and e > s
        covered.update(range(s, e))
    assert covered == set(range(len(text)))
    assert [(s, e) for _, s, e in toks] == sorted({(s, e) for _, s, e in toks})


def test_front_functions_and_cli(capsys, monkeypatch):
    text = "中华人民共和国成立了"
    toks = list(cnlp.tokenize(text, mode="full"))
    assert ("中华人民共和国", 0, 7) in toks and ("人民", 2, 4) in toks and ("共和国", 4, 7) in toks
    assert cnlp.segment(text, mode="full") == [w for w, _, _ in toks]
    assert cnlp.segment(text, mode="search") == cnlp.cut_for_search(text)
    with pytest.raises(ValueError, match="unknown tokenize mode 'nope'"):
        cnlp.segment(text, mode="nope")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((text + "\n").encode()), encoding="utf-8"))
    assert main(["segment", "--mode", "full"]) == 0
    assert capsys.readouterr().out == " ".join(w for w, _, _ in toks) + "\n"
