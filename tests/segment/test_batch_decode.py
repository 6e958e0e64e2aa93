"""Batch decoding (``Segmenter.segment_many``: many lines per kernel call) gives exactly the words of
``segment()`` line by line, for every segmenter, and reads its input lazily."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnlp
from cnlp import registry
from cnlp.batch import AnnotatorSpec, build_batch_annotator, imap_ordered
from cnlp.dictionary import Dictionary
from cnlp.errors import CnlpError
from cnlp.segmentation import base
from cnlp.segmentation.base import Segmenter
from cnlp.segmentation.maxmatch import MaxMatchSegmenter

LINES = [
    "商品和服务",
    "",
    " ",
    " \t\u3000 ",
    "我们研究生命的起源。",
    "１９９８年，ＡＢＣ公司的 GDP 增长了 3.5%，二○○一年十二点",
    "a\uffffb研究\uffff生命",                   # the separator the batch path splits on
    "\ud800研究\udc00生命\ud83d",              # lone surrogates
    "👩\u200d💻好的，e\u0301 café 👍🏽！",      # joiner, combining mark, skin tone
    "\u200d开头",
    "结尾\u200d",
    "\u0301",
    "x",
    "迈向充满希望的新世纪——一九九八年新年讲话" * 300,   # a long line
    "中共中央总书记、国家主席江泽民\n",
]

ALGORITHMS = sorted(registry.SEGMENTERS)


def per_line(seg, lines):
    return [seg.segment(x) for x in lines]


@pytest.fixture(scope="module", params=ALGORITHMS)
def shipped(request):
    seg = registry.resolve(registry.SEGMENTERS, request.param, "algorithm")(user_dict=None)
    assert type(seg)._bounds_many is not Segmenter._bounds_many     # its own batch kernel
    return seg


def test_every_shipped_segmenter_equals_per_line(shipped):
    want = per_line(shipped, LINES)
    assert list(shipped.segment_many(LINES)) == want
    assert list(shipped.segment_many(iter(LINES))) == want
    assert shipped.segment_batch(LINES) == want
    for size in (1, 2, 5):
        assert list(shipped.segment_many(iter(LINES), chunk_size=size)) == want
    assert all("".join(w) == x for w, x in zip(want, LINES))


def test_chunks_cut_by_characters(shipped, monkeypatch):
    monkeypatch.setattr(base, "BATCH_CHARS", 7)
    assert shipped.segment_batch(LINES) == per_line(shipped, LINES)


def test_batch_kernel_offsets_match_bounds(shipped):
    from cnlp.text import to_codes
    lines = [x for x in LINES if x]
    codes = to_codes("".join(lines))
    offsets = np.r_[0, np.cumsum([len(x) for x in lines])].astype(np.int64)
    b, starts = shipped._bounds_many(codes, offsets)
    for ln, x in enumerate(lines):
        got = b[starts[ln]:starts[ln + 1]]
        assert np.array_equal(got, shipped._bounds(to_codes(x))), x[:20]


TEXT = st.text(alphabet=st.sampled_from(list("研究生命的起源商品和服务中国人民一二三年月日12.%abZ ，。\t\u3000")
                                        + ["\u0301", "\u200d", "👍", "\U0001F3FD", "\uffff", "\ud800", "\udfff",
                                           "\U00020000"]), max_size=30)


@pytest.mark.parametrize("algorithm", ["fmm", "bimm", "bigram", "hmm", "crf"])
@settings(max_examples=40)
@given(lines=st.lists(TEXT, max_size=8))
def test_random_lines_equal_per_line(algorithm, lines):
    seg = registry.resolve(registry.SEGMENTERS, algorithm, "algorithm")(user_dict=None)
    assert seg.segment_batch(lines) == per_line(seg, lines)


def test_tiny_dictionary_all_directions():
    d = Dictionary.from_counts(["研究", "研究生", "生命", "起源", "命"])
    lines = ["研究生命起源", "", "研究生命", "起源 研究", "命"]
    for direction in ("forward", "backward", "both"):
        seg = MaxMatchSegmenter(d, direction=direction)
        assert list(seg.segment_many(lines)) == per_line(seg, lines)
    assert next(MaxMatchSegmenter(d, direction="both").segment_many(lines)) == ["研究", "生命", "起源"]


def test_user_dictionary_goes_line_by_line():
    seg = cnlp.get_segmenter("fmm").with_user_dict(["生命的起"])
    assert not seg._batchable()
    lines = ["我们研究生命的起源。", "", "生命的起源"]
    assert list(seg.segment_many(lines)) == per_line(seg, lines)
    assert ["生命的起", "源"] == list(seg.segment_many(lines))[2]


class _Chars(Segmenter):
    """One word per character, through the default (line-by-line) ``_bounds_many``."""

    def _bounds(self, codes):
        return np.arange(codes.shape[0] + 1, dtype=np.int32)


class _Broken(Segmenter):
    def _bounds(self, codes):
        return np.array([0, codes.shape[0] + 1], np.int32)


def test_default_bounds_many_and_invalid_offsets():
    assert list(_Chars().segment_many(LINES)) == per_line(_Chars(), LINES)
    with pytest.raises(CnlpError):
        _Broken().segment("研究")
    with pytest.raises(CnlpError):
        list(_Broken().segment_many(["", "研究", "生命"]))


def test_lazy_on_an_endless_stream():
    seen = []

    def stream():
        for i in itertools.count():
            seen.append(i)
            yield "研究生命" if i % 2 else ""
    seg = cnlp.get_segmenter("fmm")
    it = seg.segment_many(stream())
    assert next(it) == [] and next(it) == seg.segment("研究生命")
    assert len(seen) <= 64                      # the first chunk is small
    for _ in range(20000):
        next(it)
    assert len(seen) <= 20002 + base.BATCH_LINES


def test_results_before_a_bad_line_then_type_error():
    seg = cnlp.get_segmenter("crf")
    it = seg.segment_many(["研究生命", "", b"bytes", "never"])
    assert next(it) == seg.segment("研究生命") and next(it) == []
    with pytest.raises(TypeError, match="expects str"):
        next(it)
    with pytest.raises(TypeError):
        seg.segment_many("研究生命")
    with pytest.raises(ValueError):
        seg.segment_many(["研究"], chunk_size=0)


def test_batch_layer_uses_the_batch_path():
    spec = AnnotatorSpec("segment", algorithm="fmm", format=" ")
    seg = cnlp.get_segmenter("fmm")
    want = [" ".join(w for w in seg.segment(x) if not w.isspace()) for x in LINES]
    assert list(build_batch_annotator(spec)(LINES)) == want
    assert list(imap_ordered(spec, iter(LINES), n_jobs=1, chunk_size=4)) == want
    assert list(imap_ordered(spec, iter(LINES), n_jobs=2, chunk_size=4, backend="thread")) == want


def test_top_level_segment_many_keeps_terminators():
    lines = ["商品和服务\n", "\r\n", "研究生命\r", "x"]
    got = list(cnlp.segment_many(iter(lines), algorithm="fmm"))
    assert got == [cnlp.segment(x.rstrip("\r\n"), algorithm="fmm") + ([x[len(x.rstrip("\r\n")):]]
                                                                       if x.rstrip("\r\n") != x else [])
                   for x in lines]


def test_lines_read_before_an_input_error_keep_their_results():
    import cnlp

    def lines():
        yield "商品和服务"
        yield "研究生命起源"
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    got = []
    with pytest.raises(UnicodeDecodeError):
        for words in cnlp.get_segmenter("fmm").segment_many(lines()):
            got.append(words)
    assert got == [cnlp.segment("商品和服务", algorithm="fmm"), cnlp.segment("研究生命起源", algorithm="fmm")]
