import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.dictionary import Dictionary
from cnlp.doc import Doc
from cnlp.pipeline import SPACE_TAG, Pipeline
from cnlp.segmentation.base import Segmenter
from cnlp.segmentation.maxmatch import MaxMatchSegmenter


class CharSegmenter(Segmenter):
    """One token per character."""
    _exact_bounds = True

    def _bounds(self, codes):
        return np.arange(codes.shape[0] + 1, dtype=np.int32)


class FakeTagger:
    """Tags by a tiny lexicon (else "x"); records every call and rejects whitespace words."""

    LEX = {"我": "r", "爱": "v", "北京": "ns", "天安门": "ns", "。": "w"}

    def __init__(self):
        self.calls = []

    def predict(self, words):
        self.calls.append(list(words))
        assert not any(w.isspace() for w in words), words
        return [self.LEX.get(w, "x") for w in words]


class ChainParser:
    """Every word depends on the next one; the last is the root."""

    def parse(self, words, tags):
        assert len(words) == len(tags)
        n = len(words)
        return list(range(2, n + 1)) + [0], ["dep"] * (n - 1) + ["root"]


class LexNER:
    """Marks the tokens tagged ns as LOC."""

    def predict_doc(self, doc):
        return [(t.start, t.end, "LOC") for t in doc if t.pos == "ns"]


@pytest.fixture
def seg():
    return MaxMatchSegmenter(Dictionary.from_counts(["我", "爱", "北京", "天安门"]),
                             direction="backward")


def test_segment_only(seg):
    doc = Pipeline(seg)("我爱北京天安门")
    assert isinstance(doc, Doc) and doc.words == ["我", "爱", "北京", "天安门"]
    assert doc.pos is None and doc.heads is None and doc.ents == []


def test_pos_skips_whitespace(seg):
    tagger = FakeTagger()
    doc = Pipeline(seg, pos=tagger)("我 爱\t北京\n")
    assert doc.words == ["我", " ", "爱", "\t", "北京", "\n"]
    assert tagger.calls == [["我", "爱", "北京"]]
    assert doc.pos == ["r", SPACE_TAG, "v", "w", "ns", "w"]
    assert doc.to_pd98() == "我/r 爱/v 北京/ns"


def test_parser_heads_renumbered_to_doc_tokens(seg):
    doc = Pipeline(seg, pos=FakeTagger(), parser=ChainParser())("我 爱北京")
    # parser saw [我, 爱, 北京]: heads [2, 3, 0] over words -> doc tokens [我, ␣, 爱, 北京]
    assert doc.heads == [3, 0, 4, 0]
    assert doc.deprels == ["dep", "_", "dep", "root"]
    rows = [line.split("\t") for line in doc.to_conllu().splitlines() if line and not line.startswith("#")]
    assert [(r[0], r[1], r[6], r[7]) for r in rows] == [("1", "我", "2", "dep"), ("2", "爱", "3", "dep"),
                                                        ("3", "北京", "0", "root")]


def test_ner_and_full_pipeline(seg):
    nlp = Pipeline(seg, pos=FakeTagger(), parser=ChainParser(), ner=LexNER())
    doc = nlp("我爱北京天安门。")
    assert [(e.text, e.type) for e in doc.ents] == [("北京", "LOC"), ("天安门", "LOC")]
    assert Doc.from_json(doc.to_json()) == doc


def test_component_errors_name_the_component(seg):
    class BadNER:
        def predict_doc(self, doc):
            return [(0, 2, "LOC"), (1, 2, "LOC")]

    with pytest.raises(ValueError, match="BadNER.predict_doc returned an invalid entity.*overlap"):
        Pipeline(seg, ner=BadNER())("北京")

    class WorseNER:
        def predict_doc(self, doc):
            return [(0, 9, "LOC")]

    with pytest.raises(ValueError, match="WorseNER.predict_doc returned an invalid entity.*outside"):
        Pipeline(seg, ner=WorseNER())("北京")


def test_entity_inside_a_token_splits_it_and_retags(seg):
    class CharNER:
        def predict_doc(self, doc):
            return [(0, 1, "LOC")]                   # 北 of the token 北京
    tagger = FakeTagger()
    doc = Pipeline(seg, pos=tagger, ner=CharNER())("北京")
    assert doc.words == ["北", "京"] and doc.ents[0].text == "北"
    assert len(doc.pos) == 2 and tagger.calls[-1] == ["北", "京"]
    assert "".join(doc.words) == "北京"

    class ShortTagger:
        def predict(self, words):
            return ["n"]

    with pytest.raises(ValueError, match=r"ShortTagger.predict returned 1 tags for 2 words"):
        Pipeline(seg, pos=ShortTagger())("我爱")

    class BadParser:
        def __init__(self, heads):
            self.heads = heads

        def parse(self, words, tags):
            return self.heads, ["dep"] * len(self.heads)

    with pytest.raises(ValueError, match=r"BadParser.parse returned head 5 outside 0..2"):
        Pipeline(seg, pos=FakeTagger(), parser=BadParser([0, 5]))("我爱")
    with pytest.raises(ValueError, match="returned 1 heads"):
        Pipeline(seg, pos=FakeTagger(), parser=BadParser([0]))("我爱")
    with pytest.raises(TypeError, match="not an int"):
        Pipeline(seg, pos=FakeTagger(), parser=BadParser([0, "1"]))("我爱")
    assert Pipeline(seg, pos=FakeTagger(), parser=BadParser([0, np.int64(1)]))("我爱").heads == [0, 1]


def test_construction_type_errors(seg):
    with pytest.raises(TypeError, match=r"segmenter must have a method bounds\(text\).*got list"):
        Pipeline([])
    with pytest.raises(TypeError, match=r"segmenter must have.*got NoneType"):
        Pipeline(None)
    with pytest.raises(TypeError, match=r"pos must have a method predict\(words\).*got ChainParser"):
        Pipeline(seg, pos=ChainParser())
    with pytest.raises(TypeError, match=r"ner must have a method predict_doc"):
        Pipeline(seg, ner=FakeTagger())
    with pytest.raises(TypeError, match=r"parser must have a method parse"):
        Pipeline(seg, pos=FakeTagger(), parser=LexNER())
    with pytest.raises(ValueError, match="parser reads POS tags"):
        Pipeline(seg, parser=ChainParser())


@pytest.mark.parametrize("bad", [b"abc", None, 1, ["a"]])
def test_call_type_error(seg, bad):
    with pytest.raises(TypeError, match=r"Pipeline\(\) expects str, got " + type(bad).__name__):
        Pipeline(seg, pos=FakeTagger())(bad)


def test_pipe_order_count_and_laziness(seg):
    nlp = Pipeline(seg, pos=FakeTagger())
    texts = ["我爱北京", "", "  ", "天安门。", "我"] * 7
    docs = list(nlp.pipe(iter(texts), batch_size=3))
    assert len(docs) == len(texts)
    assert [d.text for d in docs] == texts
    assert docs == [nlp(t) for t in texts]
    # lazy over an endless generator: only the first batch is read
    pulled = []

    def endless():
        for i in itertools.count():
            pulled.append(i)
            yield "我爱北京" * (i % 3)

    first = list(itertools.islice(nlp.pipe(endless(), batch_size=4), 5))
    assert [d.text for d in first] == ["", "我爱北京", "我爱北京我爱北京", "", "我爱北京"]
    assert len(pulled) == 8


def test_pipe_argument_errors(seg):
    nlp = Pipeline(seg)
    with pytest.raises(TypeError, match="iterable of str"):
        nlp.pipe("我爱北京")
    with pytest.raises(TypeError):
        nlp.pipe(5)
    with pytest.raises(ValueError, match="batch_size"):
        nlp.pipe([], batch_size=0)
    with pytest.raises(TypeError, match="batch_size"):
        nlp.pipe([], batch_size=2.0)
    gen = nlp.pipe(["我", b"x", "爱"])
    assert next(gen).text == "我"
    with pytest.raises(TypeError, match="expects str, got bytes"):
        next(gen)


def test_repr_and_warmup(seg):
    nlp = Pipeline(seg, pos=FakeTagger(), parser=ChainParser(), ner=LexNER())
    assert repr(nlp) == "Pipeline(MaxMatchSegmenter, pos=FakeTagger, parser=ChainParser, ner=LexNER)"
    assert repr(Pipeline(CharSegmenter())) == "Pipeline(CharSegmenter)"
    assert nlp.warmup() is nlp


@settings(max_examples=200, deadline=None)
@given(s=st.text(max_size=40) | st.text(alphabet="我爱北京天安门。 \t\n\u3000a1😀\x00", max_size=40)
       | st.lists(st.sampled_from([0xD800, 0x6211, 0x1F600, 0x20, 0x0A, 0x3000, 0x41]), max_size=30)
       .map(lambda cps: "".join(map(chr, cps))))
def test_lossless_property(s):
    for segmenter in (MaxMatchSegmenter(Dictionary.from_counts(["我", "爱", "北京", "天安门"])), CharSegmenter()):
        tagger = FakeTagger()
        doc = Pipeline(segmenter, pos=tagger, parser=ChainParser(), ner=LexNER())(s)
        assert doc.text == s and "".join(doc.words) == s
        assert len(doc.pos) == len(doc.heads) == len(doc) == len(doc.bounds) - 1
        assert all(t == SPACE_TAG for w, t in zip(doc.words, doc.pos) if w.isspace())
        assert sum(map(len, tagger.calls)) == sum(not w.isspace() for w in doc.words)
        assert all(doc.words[h - 1].strip() for h in doc.heads if h)      # never a whitespace head
        rows = [r for r in doc.to_conllu().split("\n") if r and not r.startswith("#")]
        assert all(len(r.split("\t")) == 10 for r in rows)
