"""Named entity recognition: data formats, scoring (conlleval's chunk rules), lexicon, a tiny
trained recognizer with a fake cascade, dictionaries as constraints, persistence."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import given, strategies as st

from cnlp.errors import CorpusFormatError, ModelFormatError
from cnlp.eval_files import evaluate_ner_files
from cnlp.evaluate import EntityEvaluator
from cnlp.entities.data import bio_tags, pd98_entities, read_bio, spans_of_tags, write_bio
from cnlp.entities.features import EntityLexicon, NERFeatures
from cnlp.entities.recognizer import EntityDictionary, EntityRecognizer
from cnlp.train.ner import train_ner
from cnlp.dictionary import UserDictionary


# ---------------------------------------------------------------------------------- conlleval
def _conlleval_chunks(tags):
    """Chunks as conlleval's startOfChunk / endOfChunk read them (an independent port)."""
    def split(t):
        return ("O", "") if t == "O" else tuple(t.split("-", 1))

    def end_of_chunk(pt, t, ptype, typ):
        return (pt in ("E", "S") or (pt in ("B", "I") and t in ("B", "S", "O"))
                or (pt != "O" and ptype != typ))

    def start_of_chunk(pt, t, ptype, typ):
        return (t in ("B", "S") or (pt in ("E", "S", "O") and t in ("E", "I"))
                or (t != "O" and ptype != typ))

    chunks, start, ptag, ptype = [], None, "O", ""
    for i, tag in enumerate(list(tags) + ["O"]):
        t, typ = split(tag)
        if start is not None and end_of_chunk(ptag, t, ptype, typ):
            chunks.append((start, i, ptype))
            start = None
        if start_of_chunk(ptag, t, ptype, typ) and t != "O":
            start = i
        ptag, ptype = t, typ
    return chunks


TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-LOC", "S-ORG", "I-ORG"]


@given(st.lists(st.sampled_from(TAGS), max_size=30))
def test_spans_read_like_conlleval(tags):
    assert spans_of_tags(tags) == _conlleval_chunks(tags)


@given(st.lists(st.integers(0, 12), max_size=30))
def test_tagset_decodes_labels_like_conlleval(ids):
    from cnlp.tagset import TagSet
    ts = TagSet.bioes(["PER", "LOC", "ORG"])
    assert ts.decode_spans(np.array(ids, np.int32)) == _conlleval_chunks(ts.decode(ids))
    bio = TagSet.bio(["PER", "LOC", "ORG"])
    ids = [i % 7 for i in ids]
    assert bio.decode_spans(np.array(ids, np.int32)) == _conlleval_chunks(bio.decode(ids))


def test_evaluator_counts_as_conlleval(tmp_path):
    rng = random.Random(3)
    gold_s, pred_s = [], []
    for k in range(40):
        n = rng.randint(1, 12)
        text = "".join(rng.choice("甲乙丙丁戊") for _ in range(n))
        g = [rng.choice(TAGS[:5]) for _ in range(n)]
        p = [rng.choice(TAGS[:5]) for _ in range(n)]
        gold_s.append((text, g)), pred_s.append((text, p))
    for name, sents in (("g.bio", gold_s), ("p.bio", pred_s)):
        (tmp_path / name).write_text("".join("".join(f"{c}\t{t}\n" for c, t in zip(x, ts)) + "\n"
                                             for x, ts in sents), "utf-8")
    r = evaluate_ner_files(tmp_path / "g.bio", tmp_path / "p.bio")
    # the reference: conlleval's pooled chunk counts
    correct = pred = gold = 0
    for (_, g), (_, p) in zip(gold_s, pred_s):
        gc, pc = set(_conlleval_chunks(g)), set(_conlleval_chunks(p))
        correct, pred, gold = correct + len(gc & pc), pred + len(pc), gold + len(gc)
    assert (r["micro"]["correct"], r["micro"]["pred"], r["micro"]["gold"]) == (correct, pred, gold)
    assert r["micro"]["precision"] == pytest.approx(correct / pred)
    assert r["sentences"] == 40


def test_evaluator_rejects_mismatched_files(tmp_path):
    (tmp_path / "g").write_text("甲\tO\n\n", "utf-8")
    (tmp_path / "p").write_text("乙\tO\n\n", "utf-8")
    with pytest.raises(ValueError, match="sentence 1"):
        evaluate_ner_files(tmp_path / "g", tmp_path / "p")
    # the command line reports it in one line, exit 1, no traceback
    from cnlp.cli import main
    assert main(["eval", "ner", "--gold", str(tmp_path / "g"), "--pred", str(tmp_path / "p")]) == 1


# ---------------------------------------------------------------------------------- formats
def test_bio_round_trip_and_errors(tmp_path):
    sents = [("江泽民在北京", [(0, 3, "PER"), (4, 6, "LOC")]), ("中美", [(0, 1, "LOC"), (1, 2, "LOC")])]
    write_bio(sents, tmp_path / "x.bio")
    assert list(read_bio(tmp_path / "x.bio")) == sents
    assert bio_tags(2, [(0, 1, "LOC"), (1, 2, "LOC")]) == ["B-LOC", "B-LOC"]
    (tmp_path / "bad.bio").write_text("甲\tO\n乙丙\tO\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad.bio:2"):
        list(read_bio(tmp_path / "bad.bio"))
    (tmp_path / "bad2.bio").write_text("甲\tX-PER\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad2.bio:1"):
        list(read_bio(tmp_path / "bad2.bio"))


def test_pd98_conversion():
    text, spans = pd98_entities([("江", "nr"), ("泽民", "nr"), ("会见", "v"), ("克林顿", "nr"), ("、", "w"),
                                 ("新华社", "nt"), ("中国人民银行", "nt"), ("上海", "ns")])
    assert text == "江泽民会见克林顿、新华社中国人民银行上海"
    assert [(text[s:e], t) for s, e, t in spans] == [("江泽民", "PER"), ("克林顿", "PER"), ("新华社", "ORG"),
                                                   ("中国人民银行", "ORG"), ("上海", "LOC")]


# ---------------------------------------------------------------------------------- a tiny model
class CharSegmenter:
    """Every character is a word (the cascade's boundaries then say nothing)."""
    def bounds(self, text):
        return np.arange(len(text) + 1, dtype=np.int32)


class FakePOS:
    def predict(self, words):
        return ["ns" if w in "京沪" else "n" for w in words]


SURNAMES, GIVEN = "王李张刘陈", "明华伟芳军"
PLACES = ["北京", "上海", "广州", "深圳"]
ORGS = ["华为公司", "北京大学", "人民银行"]
FILLER = "我们在了和说是的到去看"


def _corpus(n, seed=0):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text, spans = "", []
        for _ in range(rng.randint(1, 4)):
            text += "".join(rng.choice(FILLER) for _ in range(rng.randint(1, 3)))
            kind = rng.randrange(3)
            name = (rng.choice(SURNAMES) + rng.choice(GIVEN), "PER") if kind == 0 else \
                (rng.choice(PLACES), "LOC") if kind == 1 else (rng.choice(ORGS), "ORG")
            spans.append((len(text), len(text) + len(name[0]), name[1]))
            text += name[0]
        text += "。"
        out.append((text, spans))
    return out


@pytest.fixture(scope="module")
def tiny():
    return train_ner(_corpus(300), _corpus(30, seed=1), segmenter=CharSegmenter(), pos=FakePOS(), bits=16,
                     folds=2, n_iter=5, verbose=False)


def test_tiny_model_learns(tiny):
    ev = EntityEvaluator()
    for text, gold in _corpus(50, seed=2):
        ev.add(gold, tiny.predict_spans(text))
    assert ev.result()["micro"]["f1"] > 0.9
    ents = tiny.predict("我们说王明在北京")
    assert all("我们说王明在北京"[e.start:e.end] == e.text for e in ents)


@given(st.text(alphabet=st.sampled_from(list(FILLER + SURNAMES + GIVEN + "北京华为公司 \t\n😀a1")), max_size=25))
def test_entities_are_well_formed_on_any_text(tiny, text):
    spans = tiny.predict_spans(text)
    assert all(0 <= s < e <= len(text) and t in ("PER", "LOC", "ORG") for s, e, t in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_forced_entity_always_one_entity(tiny):
    ed = EntityDictionary()
    ed.add_entity("说是的", "ORG", mode="force")
    rec = tiny.with_dictionaries(entities=ed)
    for text, _ in _corpus(40, seed=5):
        text = text + "说是的" + text
        spans = rec.predict_spans(text)
        i = text.index("说是的")
        assert (i, i + 3, "ORG") in spans


def test_suggested_entity_is_favoured(tiny):
    text = "我们看去到了"
    assert not any(t == "LOC" and text[s:e] == "去到" for s, e, t in tiny.predict_spans(text))
    ed = EntityDictionary()
    ed.add_entity("去到", "LOC", mode="suggest")
    rec = tiny.with_dictionaries(entities=ed)
    rec.suggest_bias = 100.0          # this toy model is far more certain than a real one
    assert (3, 5, "LOC") in rec.predict_spans(text)
    rec.suggest_bias = 0.0
    assert (3, 5, "LOC") not in rec.predict_spans(text)


@given(st.lists(st.sampled_from(["王明", "北京", "华为公司", "我们", "说", "人民银行", "在"]), min_size=1, max_size=8),
       st.sampled_from(["明在", "京华", "为公", "司我", "们说"]))
def test_entity_never_crosses_a_forced_word(tiny, words, forced):
    ud = UserDictionary()
    ud.add_word(forced, mode="force")
    rec = tiny.with_dictionaries(user_dict=ud)
    text = "".join(words)
    inside = set()
    for s, e, f in ud.constraints_in(text):
        inside.update(range(s + 1, e))
    for s, e, _ in rec.predict_spans(text):
        assert s not in inside and e not in inside, (text, s, e)


def test_entity_dictionary_file_and_errors(tmp_path):
    p = tmp_path / "ents.txt"
    p.write_text("\ufeff# comment\n华为 ORG force\n北京大学 ORG\n", "utf-8")
    ed = EntityDictionary.load(p)
    assert sorted(ed.items()) == [("北京大学", "ORG", "suggest"), ("华为", "ORG", "force")]
    p.write_text("华为\n", "utf-8")
    with pytest.raises(CorpusFormatError, match="ents.txt"):
        EntityDictionary.load(p)
    with pytest.raises(TypeError):
        EntityDictionary().add_entity(b"x", "ORG")
    with pytest.raises(ValueError):
        EntityDictionary().add_entity("华为", "B-ORG")


def test_a_type_the_model_lacks_is_a_type_of_its_own(tiny):
    ed = EntityDictionary()
    ed.add_entity("北京", "GPE", mode="force")
    got = tiny.with_dictionaries(entities=ed).predict("在北京")
    assert [(e.text, e.type, e.start) for e in got] == [("北京", "GPE", 1)]


def test_wrong_input_type(tiny):
    with pytest.raises(TypeError, match="ner"):
        tiny.predict(b"abc")
    assert tiny.predict("") == []


def test_save_load_round_trip_and_corrupt_files(tiny, tmp_path):
    tiny.save(tmp_path / "m")
    back = EntityRecognizer.load(tmp_path / "m", segmenter=CharSegmenter(), pos=FakePOS())
    for text, _ in _corpus(30, seed=7):
        assert back.predict_spans(text) == tiny.predict_spans(text)
    lex = tmp_path / "m" / "lexicon.npz"
    data = lex.read_bytes()
    lex.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError, match="lexicon.npz"):
        EntityRecognizer.load(tmp_path / "m")
    a = tiny.features.lexicon.arrays()
    a["word_codes"] = a["word_codes"].copy()
    a["word_codes"][:1] = 0xD800
    np.savez(lex, **a)
    with pytest.raises(ModelFormatError, match="lexicon.npz"):
        EntityRecognizer.load(tmp_path / "m")
    a = tiny.features.lexicon.arrays()
    a["word_ptr"] = a["word_ptr"][::-1].copy()
    np.savez(lex, **a)
    with pytest.raises(ModelFormatError, match="lexicon.npz"):
        EntityRecognizer.load(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))
    meta["task"] = "pos"
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        EntityRecognizer.load(tmp_path / "m")


def test_lexicon_statistics():
    sents = [("王明在北京", [(0, 2, "PER"), (3, 5, "LOC")], [0, 2, 3, 5])] * 5
    lx = EntityLexicon.build(sents)
    assert lx.cstats[ord("王"), 0] > lx.cstats[ord("在"), 0]          # starts a person name
    assert lx.words == ["北京", "在", "王明"]
    prof = dict(zip(lx.words, lx.wstats[:, 0].tolist()))
    assert prof["北京"] != prof["在"]
    back = EntityLexicon.from_arrays(lx.arrays())
    assert back.words == lx.words and (back.cstats == lx.cstats).all() and (back.wstats == lx.wstats).all()


def test_features_shape_and_range():
    f = NERFeatures(bits=16)
    X = f.transform(np.array([20013, 22269], np.int32), np.array([0, 2], np.int32), np.array([5], np.int64))
    assert X.shape == (2, len(f.templates)) and X.min() >= 0 and X.max() < 1 << 16


# ---------------------------------------------------------------------------------- shipped model
def _cli(argv, stdin_text, capsys, monkeypatch):
    import io
    import sys
    from cnlp.cli import main
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8"))
    code = main(argv)
    out, _ = capsys.readouterr()
    return code, out


LINES = ["江泽民在北京会见了华为公司的代表", "", "  \t", "中美两国", "最后一行😀 no newline"]


def test_cli_bio_one_line_per_character(capsys, monkeypatch):
    code, out = _cli(["ner", "--format", "bio"], "\n".join(LINES) + "\r\n", capsys, monkeypatch)
    assert code == 0 and out.endswith("\n")
    records, rows = [], []
    for row in out[:-1].split("\n"):            # a record: its character rows, then a blank line
        if row == "":
            records.append(rows)
            rows = []
        else:
            rows.append(row)
    assert rows == [] and len(records) == len(LINES)
    for line, rows in zip(LINES, records):
        assert len(rows) == len(line)
        assert "".join(r.rpartition("\t")[0] for r in rows) == line
        assert all(r.rpartition("\t")[2] == "O" or r.rpartition("\t")[2][:2] in ("B-", "I-") for r in rows)


def test_cli_json_and_inline(capsys, monkeypatch):
    code, out = _cli(["ner", "--format", "json"], "\n".join(LINES), capsys, monkeypatch)
    rows = out.splitlines()
    assert code == 0 and len(rows) == len(LINES)
    for line, row in zip(LINES, rows):
        for e in json.loads(row):
            assert line[e["start"]:e["end"]] == e["text"] and \
                e["type"] in ("PER", "LOC", "ORG", "DATE", "TIME", "MONEY", "PERCENT", "NUMBER")
    code, out = _cli(["ner"], "\n".join(LINES), capsys, monkeypatch)
    rows = out.splitlines()
    assert len(rows) == len(LINES)
    import re
    assert [re.sub(r"\[([^\]]*)\]/(PER|LOC|ORG|DATE|TIME|MONEY|PERCENT|NUMBER)", r"\1", r) for r in rows] == LINES


def test_cli_eval_ner(tmp_path, capsys, monkeypatch):
    (tmp_path / "g.bio").write_text("江\tB-PER\n泽\tI-PER\n民\tI-PER\n在\tO\n京\tB-LOC\n\n", "utf-8")
    (tmp_path / "p.bio").write_text("江\tB-PER\n泽\tI-PER\n民\tI-PER\n在\tO\n京\tO\n\n", "utf-8")
    code, out = _cli(["eval", "ner", "--gold", str(tmp_path / "g.bio"), "--pred", str(tmp_path / "p.bio")], "",
                     capsys, monkeypatch)
    assert code == 0
    micro = next(r for r in out.splitlines() if r.startswith("micro")).split()
    assert micro[1:4] == ["1.0000", "0.5000", "0.6667"]


def test_shipped_model_api():
    import cnlp
    text = "江泽民在北京会见了华为公司的代表"
    ents = cnlp.ner(text)
    assert all(text[e.start:e.end] == e.text for e in ents)
    assert ("江泽民", "PER") in [(e.text, e.type) for e in ents]
    doc = cnlp.analyze(text)
    assert [(e.start, e.end, e.type) for e in doc.ents] == [(e.start, e.end, e.type) for e in ents]
    cuts = {s for s, _ in doc.spans} | {len(text)}
    assert all(e.start in cuts and e.end in cuts for e in doc.ents)
    cnlp.add_entity("会见了华为", "ORG", mode="force")
    try:
        assert ("会见了华为", "ORG") in [(e.text, e.type) for e in cnlp.ner(text)]
    finally:
        cnlp.del_entity("会见了华为")
    cnlp.add_word("京会", mode="force")             # characters 5-6: no entity may start or end at 6
    try:
        assert all(e.start != 6 and e.end != 6 for e in cnlp.ner(text))
    finally:
        cnlp.del_word("京会")
    with pytest.raises(TypeError):
        cnlp.ner(None)
