import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.doc import Doc, Entity, Token

TEXTS = (st.text(max_size=40)
         | st.text(alphabet="北京欢迎你 \t\n\u3000a1😀\u0301\x00\x85\u2028/_", max_size=40)
         | st.lists(st.integers(0, 0x10FFFF), max_size=30).map(lambda cps: "".join(map(chr, cps))))


@st.composite
def texts_and_bounds(draw):
    text = draw(TEXTS)
    inner = draw(st.sets(st.integers(1, len(text) - 1))) if len(text) > 1 else set()
    return text, [0, *sorted(inner), len(text)] if text else [0]


def sample():
    # 我 爱 ␣ Python ␣ 3 。
    return Doc.from_words(["我", "爱", " ", "Python", " ", "3", "。"],
                          pos=["r", "v", "w", "nx", "w", "m", "w"])


# ---------------------------------------------------------------- construction and validation
def test_basic_api():
    doc = sample()
    assert len(doc) == 7
    assert doc.text == "我爱 Python 3。"
    assert doc.bounds.dtype == np.int32 and doc.bounds.tolist() == [0, 1, 2, 3, 9, 10, 11, 12]
    assert doc.words == ["我", "爱", " ", "Python", " ", "3", "。"]
    assert doc.spans == [(0, 1), (1, 2), (2, 3), (3, 9), (9, 10), (10, 11), (11, 12)]
    assert doc[3] == Token("Python", 3, 9, "nx", None, None, 3)
    assert doc[-1].text == "。" and doc[-1].i == 6
    assert [t.text for t in doc[1:3]] == ["爱", " "]
    assert [t.text for t in doc] == doc.words
    assert [t.is_space for t in doc] == [False, False, True, False, True, False, False]
    assert doc.tagged()[:2] == [("我", "r"), ("爱", "v")]
    with pytest.raises(IndexError):
        doc[7]
    with pytest.raises(TypeError):
        doc["a"]


def test_empty_text():
    doc = Doc("", [0])
    assert len(doc) == 0 and doc.words == [] and doc.spans == [] and list(doc) == []
    assert Doc.from_words([]) == doc
    assert doc.to_conllu() == "" and Doc("", [0], pos=[]).to_pd98() == ""


@pytest.mark.parametrize("text, bounds, match", [
    ("abc", [], "must not be empty"),
    ("abc", [1, 3], "start at 0"),
    ("abc", [0, 2], r"end at len\(text\) = 3"),
    ("abc", [0, 2, 2, 3], r"strictly increasing: bounds\[2\] = 2 after 2"),
    ("abc", [0, 2, 1, 3], "strictly increasing"),
    ("abc", [[0, 3]], "1-D"),
    ("abc", [0.0, 3.0], "integers"),
    ("abc", [0, 5], "end at"),
    ("", [0, 0], "strictly increasing"),
    ("", [], "must not be empty"),
])
def test_invalid_bounds(text, bounds, match):
    with pytest.raises(ValueError, match=match):
        Doc(text, bounds)


@pytest.mark.parametrize("text", [b"abc", None, 3, ["a"]])
def test_text_must_be_str(text):
    with pytest.raises(TypeError, match="Doc\\(\\) expects str"):
        Doc(text, [0, 3])


def test_bounds_are_a_read_only_copy():
    b = np.array([0, 1, 3], np.int32)
    doc = Doc("abc", b)
    b[1] = 2
    assert doc.words == ["a", "bc"]
    with pytest.raises(ValueError):
        doc.bounds[1] = 2
    doc.words.append("x")
    assert doc.words == ["a", "bc"] and doc.pos is None


def test_annotation_validation():
    with pytest.raises(ValueError, match="pos has 2 entries for 3 tokens"):
        Doc.from_words(["a", "b", "c"], pos=["n", "n"])
    with pytest.raises(ValueError, match="deprels has 1 entries"):
        Doc.from_words(["a", "b"], deprels=["dep"])
    with pytest.raises(ValueError, match="heads has 3 entries"):
        Doc.from_words(["a", "b"], heads=[0, 1, 1])
    with pytest.raises(TypeError, match="not a str"):
        Doc.from_words(["a", "b"], pos="nn")
    with pytest.raises(TypeError, match=r"pos\[1\] must be str"):
        Doc.from_words(["a", "b"], pos=["n", None])
    for bad in ("", "n v", "n\t"):
        with pytest.raises(ValueError, match="no whitespace"):
            Doc.from_words(["a", "b"], pos=["n", bad])
    with pytest.raises(ValueError, match=r"heads\[1\] = 3 must be 0 \(root\).*in 0\.\.2"):
        Doc.from_words(["a", "b"], heads=[0, 3])
    with pytest.raises(ValueError, match="another token"):
        Doc.from_words(["a", "b"], heads=[0, 2])
    with pytest.raises(TypeError):
        Doc.from_words(["a", "b"], heads=[0, True])
    assert Doc.from_words(["a", "b"], heads=[0, np.int64(1)]).heads == [0, 1]


def test_from_words_validation():
    with pytest.raises(ValueError, match=r"words\[1\] is empty"):
        Doc.from_words(["a", "", "b"])
    with pytest.raises(TypeError, match="not a str"):
        Doc.from_words("abc")
    with pytest.raises(TypeError, match="expects str"):
        Doc.from_words(["a", 1])


def test_entities():
    doc = Doc.from_words(["我", "在", "北京", "天安门", "广场"])
    doc.set_ents([(4, 9, "LOC"), (2, 4, "GPE")])            # kept sorted by start
    assert doc.ents == [Entity("北京", "GPE", 2, 4), Entity("天安门广场", "LOC", 4, 9)]
    assert all(e.text == doc.text[e.start:e.end] for e in doc.ents)
    doc.set_ents([Entity("天安门广场", "LOC", 4, 9)])
    assert doc.ents == [Entity("天安门广场", "LOC", 4, 9)]
    before = doc.ents
    for spans, exc, match in [
        ([(3, 4, "LOC")], ValueError, "not aligned"),
        ([(2, 5, "LOC")], ValueError, "not aligned"),
        ([(0, 10, "LOC")], ValueError, "outside the text"),
        ([(4, 4, "LOC")], ValueError, "empty"),
        ([(-1, 1, "LOC")], ValueError, "outside"),
        ([(2, 7, "LOC"), (4, 9, "ORG")], ValueError, "overlap"),
        ([(2, 4, "LOC"), (2, 4, "LOC")], ValueError, "overlap"),
        ([(2, 4, "")], TypeError, "non-empty str"),
        ([(2, 4, None)], TypeError, "non-empty str"),
        ([("2", 4, "LOC")], TypeError, "entity 0 start must be int"),
        ([(2, True, "LOC")], TypeError, "must be int, got bool"),
        ([Entity("上海", "LOC", 2, 4)], ValueError, "!= doc.text"),
    ]:
        with pytest.raises(exc, match=match):
            doc.set_ents(spans)
        assert doc.ents == before            # unchanged on error
    with pytest.raises(ValueError, match="not aligned"):
        Doc.from_words(["北京", "人"], ents=[(0, 1, "LOC")])


def test_tagged_and_pd98_need_pos():
    doc = Doc.from_words(["a", "b"])
    for f in (doc.tagged, doc.to_pd98):
        with pytest.raises(ValueError, match="no POS tags"):
            f()


def test_repr_is_short():
    doc = Doc.from_words(["长"] * 500, pos=["a"] * 500)
    r = repr(doc)
    assert len(r) < 80 and "500 tokens" in r and "pos" in r


def test_equality():
    assert sample() == sample()
    assert sample() != Doc.from_words(sample().words)
    assert sample() != "我爱 Python 3。"


# ---------------------------------------------------------------- serialisation
def test_json_round_trip():
    doc = Doc.from_words(["我", "在", " ", "北京", "。"], pos=["r", "p", "w", "ns", "w"],
                         heads=[2, 0, 0, 2, 2], deprels=["nsubj", "root", "_", "obj", "punct"],
                         ents=[(3, 5, "LOC")])
    d = json.loads(json.dumps(doc.to_json(), ensure_ascii=False))
    assert d["text"] == doc.text
    assert d["tokens"][3] == {"text": "北京", "start": 3, "end": 5, "pos": "ns", "head": 2, "deprel": "obj"}
    assert d["ents"] == [{"start": 3, "end": 5, "type": "LOC", "text": "北京"}]
    assert Doc.from_json(d) == doc
    assert d["layers"] == ["pos", "head", "deprel"]
    del d["layers"]                                     # inferred from the tokens when absent
    assert Doc.from_json(d) == doc
    empty = Doc("", [0], pos=[])                        # no tokens, but tagged: layers keep that
    assert Doc.from_json(empty.to_json()).pos == [] and Doc.from_json(Doc("", [0]).to_json()).pos is None
    bare = Doc.from_words(["a", "b"])
    assert Doc.from_json(bare.to_json()) == bare and Doc.from_json(bare.to_json()).pos is None


@pytest.mark.parametrize("text, bounds", [
    ("我\ud83d\ude00好", [0, 1, 2, 3, 4]),             # a pair held as two characters, cut between them
    ("我\ud83d\ude00好", [0, 1, 3, 4]),                # ... one token of both
    ("😀\ud83d\ude00😀a\ud83d", [0, 1, 3, 4, 5, 6]),     # real astral characters beside them, a lone high one
    ("\ude00\ud83d", [0, 1, 2]),                      # the wrong order: no pair
])
def test_json_round_trip_keeps_surrogate_pairs_held_as_two_characters(text, bounds):
    doc = Doc(text, bounds, pos=["x"] * (len(bounds) - 1), ents=[(bounds[1], bounds[2], "T")])
    assert Doc.from_json(doc.to_json()) == doc
    for dumped in (json.dumps(doc.to_json()),                                   # "\ud83d\ude00" escapes
                   json.dumps(doc.to_json(), ensure_ascii=False)):
        back = Doc.from_json(json.loads(dumped))
        assert back == doc and back.text == text and back.words == doc.words
    plain = Doc.from_words(["我", "😀"])
    assert "surrogate_pairs" not in plain.to_json()          # only when needed: other output unchanged
    with pytest.raises(ValueError, match="surrogate_pairs"):
        Doc.from_json({**doc.to_json(), "surrogate_pairs": "1"})


def test_from_json_rejects_malformed():
    good = sample().to_json()
    with pytest.raises(ValueError, match="malformed"):
        Doc.from_json({"tokens": []})
    with pytest.raises(ValueError, match="malformed"):
        Doc.from_json([1, 2])
    bad = json.loads(json.dumps(good))
    bad["tokens"][2]["start"] = 1
    with pytest.raises(ValueError, match="token 2 starts at 1"):
        Doc.from_json(bad)
    bad = json.loads(json.dumps(good))
    bad["tokens"][0]["text"] = "你"
    with pytest.raises(ValueError, match="does not match"):
        Doc.from_json(bad)
    bad = json.loads(json.dumps(good))
    bad["ents"] = [{"start": 0, "end": 1, "type": "X", "text": "你"}]
    with pytest.raises(ValueError, match="does not match"):
        Doc.from_json(bad)


def _word_lines(conllu):
    return [line for line in conllu.rstrip("\n").split("\n") if not line.startswith("#")]


def test_conllu_format():
    doc = Doc.from_words(["我", "爱", " ", "Python", " ", "3", "。"], pos=["r", "v", "w", "nx", "w", "m", "w"],
                         heads=[2, 0, 0, 2, 0, 7, 2], deprels=["nsubj", "root", "_", "obj", "_", "nummod", "punct"])
    out = doc.to_conllu(sent_id="s1")
    assert out.endswith("\n\n") and out.count("\n\n") == 1
    lines = out.rstrip("\n").split("\n")
    assert lines[:2] == ["# sent_id = s1", "# text = 我爱 Python 3。"]
    rows = [line.split("\t") for line in _word_lines(out)]
    assert all(len(r) == 10 for r in rows)
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r[1] for r in rows] == ["我", "爱", "Python", "3", "。"]
    assert [r[3] for r in rows] == ["_"] * 5 and [r[4] for r in rows] == ["r", "v", "nx", "m", "w"]
    # heads renumbered past the skipped whitespace tokens: 3 -> 。 (doc token 7 = id 5)
    assert [r[6] for r in rows] == ["2", "0", "2", "5", "2"]
    assert [r[7] for r in rows] == ["nsubj", "root", "obj", "nummod", "punct"]
    assert [r[9] for r in rows] == ["SpaceAfter=No", "_", "_", "SpaceAfter=No", "_"]
    mapped = doc.to_conllu(upos={"r": "PRON", "v": "VERB", "w": "PUNCT"})
    assert [r.split("\t")[3] for r in _word_lines(mapped)] == ["PRON", "VERB", "X", "X", "PUNCT"]


def test_conllu_without_annotations_and_edge_whitespace():
    doc = Doc.from_words(["\n", "北京", "\t", "欢迎", "你", "  "])
    out = doc.to_conllu()
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == "# text = 北京 欢迎你" and len(lines) == 4
    rows = [line.split("\t") for line in lines[1:]]
    assert rows[0] == ["1", "北京", "_", "_", "_", "_", "_", "_", "_", "_"]
    assert [r[9] for r in rows] == ["_", "SpaceAfter=No", "_"]
    assert Doc.from_words([" ", "\u3000"]).to_conllu() == ""


def test_conllu_mixed_whitespace_token_and_whitespace_head():
    out = Doc.from_words(["a\tb ", "c"]).to_conllu()
    rows = [r.split("\t") for r in _word_lines(out)]
    assert [r[1] for r in rows] == ["a b", "c"] and rows[0][9] == "_"
    with pytest.raises(ValueError, match="whitespace token as its head"):
        Doc.from_words(["a", " ", "b"], heads=[0, 0, 2]).to_conllu()


def test_pd98():
    assert sample().to_pd98() == "我/r 爱/v Python/nx 3/m 。/w"
    assert Doc.from_words(["a b\n", "c"], pos=["x", "y"]).to_pd98() == "a_b/x c/y"


# ---------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None)
@given(tb=texts_and_bounds(), data=st.data())
def test_lossless_property(tb, data):
    text, bounds = tb
    doc = Doc(text, np.array(bounds, np.int64))
    n = len(doc)
    assert n == len(bounds) - 1
    assert "".join(doc.words) == text
    assert all(text[a:b] == w for (a, b), w in zip(doc.spans, doc.words))
    tags = data.draw(st.lists(st.sampled_from(["n", "v", "w"]), min_size=n, max_size=n))
    doc = Doc(text, bounds, pos=tags)
    assert Doc.from_json(json.loads(json.dumps(doc.to_json()))) == doc
    words = [w for w in doc.words if not w.isspace()]
    pd98 = doc.to_pd98()
    assert (pd98.split(" ") if pd98 else []) == [f"{'_'.join(w.split())}/{t}"
                                                 for w, t in doc.tagged() if not w.isspace()]
    out = doc.to_conllu()
    if not words:
        assert out == ""
        return
    lines = out.rstrip("\n").split("\n")
    assert out.splitlines() == lines + [""]          # nothing inside a line breaks it
    rows = [line.split("\t") for line in lines[1:]]
    assert lines[0].startswith("# text = ")
    assert all(len(r) == 10 for r in rows)
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(words) + 1)]
    assert all(r[1] and r[1] == r[1].strip() for r in rows)


def test_xpos_column_round_trips_and_goes_to_conllu():
    doc = Doc("我爱北京", [0, 1, 2, 4], pos=["PRON", "VERB", "PROPN"], xpos=["PRP", "VV", "NNP"],
              heads=[2, 0, 2], deprels=["nsubj", "root", "obj"])
    assert doc.xpos == ["PRP", "VV", "NNP"]
    rows = [r.split("\t") for r in doc.to_conllu().splitlines() if r and not r.startswith("#")]
    assert [(r[3], r[4]) for r in rows] == [("PRON", "PRP"), ("VERB", "VV"), ("PROPN", "NNP")]
    assert Doc.from_json(doc.to_json()) == doc
    assert Doc.from_json(doc.to_json()) != Doc("我爱北京", [0, 1, 2, 4], pos=["PRON", "VERB", "PROPN"],
                                               heads=[2, 0, 2], deprels=["nsubj", "root", "obj"])
    with pytest.raises(ValueError, match="xpos needs pos"):
        Doc("我", [0, 1], xpos=["PRP"])


def test_doc_sentences_round_trip():
    words = ["他", "来", "。", "我", "走", "。"]
    doc = Doc.from_words(words, pos=["PRON", "VERB", "PUNCT"] * 2, heads=[2, 0, 2, 5, 0, 5],
                         deprels=["nsubj", "root", "punct"] * 2)
    assert doc.sent_spans == [(0, 6)] and doc.sents == [doc] and "sents" not in doc.to_json()
    two = Doc(doc.text, doc.bounds, pos=doc.pos, heads=doc.heads, deprels=doc.deprels, sents=[(0, 3), (3, 6)])
    assert two.sent_spans == [(0, 3), (3, 6)] and two != doc
    assert [s.heads for s in two.sents] == [[2, 0, 2], [2, 0, 2]]
    assert two.to_json()["sents"] == [[0, 3], [3, 6]] and Doc.from_json(two.to_json()) == two
    assert two.to_conllu(sent_id="d").count("# text = ") == 2 and "# sent_id = d-2" in two.to_conllu(sent_id="d")
    assert two.to_conllu() == "".join(s.to_conllu() for s in two.sents)
    with pytest.raises(ValueError, match="outside its sentence"):
        Doc(doc.text, doc.bounds, heads=[2, 0, 2, 2, 0, 5], sents=[(0, 3), (3, 6)])
    with pytest.raises(ValueError, match="token boundary"):
        Doc("他来。", [0, 2, 3], sents=[(0, 1), (1, 3)])
    with pytest.raises(ValueError, match="whole text"):
        Doc(doc.text, doc.bounds, sents=[(0, 3)])
