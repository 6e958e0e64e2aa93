"""Line ends and whitespace runs are hard boundaries for every segmenter (the base's policy layer),
and line ends for the taggers and the recognizer: properties over random texts."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import cnlp
from cnlp.registry import SEGMENTERS

ALGORITHMS = sorted(SEGMENTERS)
# characters that make segmenters disagree: Han words, numbers, Latin, punctuation, marks, spaces
PIECES = ["新兵", "不止", "钟行", "北京", "研究", "生命", "起源", "张三", "在", "的", "了", "工作", "２０１７", "年",
          "12", "月", "abc", "iPhone", "。", "，", "、", "e\u0301", "中华人民共和国", "我", "爱", "华为公司"]
SPACES = ["\n", " ", "\t", "\r\n", "  ", "\u3000", "\n\n", "\u2028"]
line = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_known_cases(algorithm):
    seg = cnlp.get_segmenter(algorithm)
    for a, b in [("新兵", "不止"), ("他说不止", "钟行是谁"), ("２０１７年", "12月"), ("abc", "def")]:
        for sp in SPACES:
            assert seg.segment(a + sp + b) == seg.segment(a) + [sp] + seg.segment(b), (a, sp, b)
        assert seg.segment(a + "\n") == seg.segment(a) + ["\n"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@SETTINGS
@given(a=line, sp=st.sampled_from(SPACES), b=line)
def test_segment_at_a_whitespace_run(algorithm, a, sp, b):
    seg = cnlp.get_segmenter(algorithm)
    want = seg.segment(a) + [sp] + seg.segment(b)
    assert seg.segment(a + sp + b) == want
    assert list(seg.segment_many([a + sp + b, a, a + sp + b])) == [want, seg.segment(a), want]
    assert [t for t, _, _ in seg.tokenize(a + sp + b)] == want


@SETTINGS
@given(a=line, b=line, end=st.sampled_from(["\n", "\r\n", "\u2028", "\n\n"]))
def test_tag_and_ner_at_a_line_end(a, b, end):
    text = a + end + b
    assert cnlp.tag(text) == cnlp.tag(a) + cnlp.tag(b)
    shift = len(a) + len(end)
    want = [(e.start, e.end, e.type) for e in cnlp.ner(a)] + \
           [(e.start + shift, e.end + shift, e.type) for e in cnlp.ner(b)]
    assert [(e.start, e.end, e.type) for e in cnlp.ner(text)] == want
    assert [(e.start, e.end, e.type) for e in cnlp.analyze(text).ents] == \
           [(e.start, e.end, e.type) for e in cnlp.analyze(a).ents] + \
           [(e.start + shift, e.end + shift, e.type) for e in cnlp.analyze(b).ents]


def test_user_word_with_a_space_is_not_cut():
    for algorithm in ALGORITHMS:
        assert "OpenGL ES" in cnlp.segment("我用OpenGL ES写", algorithm=algorithm, user_dict=["OpenGL ES"])
