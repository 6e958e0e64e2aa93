"""The fused decoding kernel (one Numba call per text) gives exactly the step-by-step result."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.dictionary import Dictionary, UserDictionary, bmes_mask
from cnlp.segmentation._tagging_kernels import space_mask
from cnlp.segmentation.tagging import TaggingSegmenter, _labels
from cnlp.sequence.features import CharFeatures
from cnlp.sequence.perceptron import PerceptronTagger
from cnlp.text import _BMP_TABLE, SPACE, char_classes, to_codes

SENTS = [s.split() for s in [
    "我们 研究 生命 的 起源 。", "商品 和 服务 都 很 好 。", "他 说 的 确实 在理 。",
    "研究生 们 研究 问题 。", "我们 的 研究 很 好 。", "iPhone 12 的 价格 是 ５０００ 元 。",
]]
ALPHABET = list("我们研究生命的起源商品和服务都很好他说确实在理。，ab1２ ") + ["\t", "\u3000", "\n", "😀", "\x00", "Ａ"]


def _model(dictionary: bool, extra=()):
    feats = CharFeatures(bits=14, extra=extra,
                         dictionary=Dictionary.from_counts({w: 1 for s in SENTS for w in s}) if dictionary else None)
    X = [feats.transform_codes(to_codes("".join(s))) for s in SENTS]
    tagger = PerceptronTagger(n_labels=4, n_features=feats.n_features, n_iter=5).fit(X, [_labels(s) for s in SENTS])
    return TaggingSegmenter(tagger, feats)


MODELS = {"plain": _model(False), "dict+extra": _model(True, ("C-1C0C1", "C0T1", "T-1C0", "T-1C0T1"))}
UD = UserDictionary()
UD.add_word("究生", mode="force")
UD.add_word("b1", mode="force")
UD.add_word("服务都", mode="suggest")


@settings(max_examples=150)
@given(text=st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=40).map("".join),
       name=st.sampled_from(sorted(MODELS)), user=st.booleans())
def test_fused_equals_stepwise(text, name, user):
    seg = MODELS[name].with_user_dict(UD if user else None)
    codes = to_codes(text)
    fused = seg._bounds(codes)
    assert fused.tolist() == seg._bounds_stepwise(codes).tolist()
    assert "".join(seg.segment(text)) == text


@given(text=st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=30).map("".join))
def test_space_mask_equals_bmes_mask(text):
    codes = to_codes(text)
    sp = char_classes(codes) == SPACE
    m = space_mask(codes, _BMP_TABLE, SPACE)
    if not sp.any():
        assert m.shape == (0, 4)
        return
    edges = np.flatnonzero(np.diff(np.r_[0, sp.astype(np.int8), 0]))
    starts, ends = edges[::2], edges[1::2]
    assert np.array_equal(m, bmes_mask(len(text), starts, ends, np.ones(len(starts), bool)))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_whitespace_runs_are_words(name):
    out = MODELS[name].segment("我们  研究\t生命 ")
    assert "  " in out and "\t" in out and out[-1] == " "
