"""Entity types of the user's own: a dictionary-only type comes out of ner(), analyze().ents, every
``cnlp ner --format``, batch and Dask runs; a malformed type name is refused at add_entity."""
from __future__ import annotations

import io
import json
import sys

import pytest

import cnlp
from cnlp.batch import AnnotatorSpec, imap_ordered
from cnlp.cli import main
from cnlp.entities.recognizer import EntityDictionary
from cnlp.errors import CorpusFormatError

TEXT = "挖掘机技术哪家强，中国山东找蓝翔，新东方在北京"


@pytest.fixture
def schools():
    cnlp.add_entity("蓝翔", "SCHOOL")
    cnlp.add_entity("新东方", "学校", mode="force")
    try:
        yield
    finally:
        cnlp.del_entity("蓝翔")
        cnlp.del_entity("新东方")


def _typed(ents):
    return {(e.text, e.type) for e in ents}


def test_own_types_in_ner_and_analyze(schools):
    want = {("蓝翔", "SCHOOL"), ("新东方", "学校")}
    assert want <= _typed(cnlp.ner(TEXT))
    assert want <= _typed(cnlp.analyze(TEXT).ents)
    assert ("北京", "LOC") in _typed(cnlp.ner(TEXT))        # the model's types still come out
    doc = cnlp.analyze(TEXT)
    assert {(e["text"], e["type"]) for e in doc.to_json()["ents"]} >= want


def test_a_forced_own_type_keeps_model_entities_out_and_a_suggested_one_yields():
    ed = EntityDictionary()
    ed.add_entity("北京", "CITY")                 # suggested: the model's LOC overlaps it, the model wins
    ed.add_entity("山东", "PROVINCE", mode="force")
    rec = cnlp.get_ner().with_dictionaries(entities=ed)
    text = "中国山东找蓝翔，新东方在北京"
    got = {(text[s:e], t) for s, e, t in rec.predict_spans(text)}
    assert ("山东", "PROVINCE") in got and ("北京", "LOC") in got and ("北京", "CITY") not in got
    ed.add_entity("蓝翔", "SCHOOL")               # no model entity there: the suggestion stands
    got = {(text[s:e], t) for s, e, t in rec.predict_spans(text)}
    assert ("蓝翔", "SCHOOL") in got


@pytest.mark.parametrize("bad", ["SCHOOL-X", "1ABC", "A B", "", "a/b", "[x]", "X" * 33])
def test_malformed_type_refused_at_add_entity(bad):
    with pytest.raises(ValueError, match="malformed entity type"):
        cnlp.add_entity("蓝翔", bad)
    assert "蓝翔" not in cnlp.get_ner().entities


def test_malformed_type_in_a_file_names_file_and_line(tmp_path):
    p = tmp_path / "ents.txt"
    p.write_text("蓝翔 SCHOOL\n新东方 1BAD\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"ents.txt:2: malformed entity type '1BAD'"):
        EntityDictionary.load(p)


def test_own_types_in_every_cli_format_and_batch(tmp_path, capsys, monkeypatch):
    ents = tmp_path / "ents.txt"
    ents.write_text("蓝翔\tSCHOOL\n新东方 SCHOOL force\n", encoding="utf-8")
    want = {"inline": "[蓝翔]/SCHOOL", "bio": "蓝\tB-SCHOOL\n翔\tI-SCHOOL", "json": '"type": "SCHOOL"'}
    for fmt, piece in want.items():
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode()), encoding="utf-8"))
        assert main(["ner", "--format", fmt, "--entity-dict", str(ents)]) == 0
        out = capsys.readouterr().out
        assert piece in out, (fmt, out)
    src = tmp_path / "in.txt"
    src.write_text((TEXT + "\n") * 6, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["ner", "-j", "2", "-o", str(out), "--entity-dict", str(ents), str(src)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and all("[蓝翔]/SCHOOL" in x and "[新东方]/SCHOOL" in x for x in lines)
    spec = AnnotatorSpec("ner", entities=(("蓝翔", "SCHOOL", "suggest"),), format="json")
    for rec in imap_ordered(spec, [TEXT] * 3, n_jobs=1):
        assert {"text": "蓝翔", "type": "SCHOOL", "start": 14, "end": 16} in json.loads(rec)


@pytest.mark.slow
def test_own_types_in_dask():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    import dask.bag as db
    from cnlp.dask import annotate_bag
    spec = AnnotatorSpec("ner", entities=(("蓝翔", "SCHOOL", "suggest"),), format="inline")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cl, \
            distributed.Client(cl):
        got = annotate_bag(db.from_sequence([TEXT] * 4, npartitions=2), spec).compute()
    assert len(got) == 4 and all("[蓝翔]/SCHOOL" in x for x in got)
