"""User tags are open: a user word's label of its own shows in every output, and the words around it
are tagged as without it (the model decodes the word freely)."""
from __future__ import annotations

import io
import json
import sys

import pytest

import cnlp
from cnlp.cli import main
from cnlp.dictionary import UserDictionary

TEXT = "我试了一下这个方法，效果很好"


@pytest.fixture
def user_word():
    cnlp.add_word("试了一下", pos="动作")
    try:
        yield
    finally:
        cnlp.del_word("试了一下")


def test_user_tag_in_tag_pos_tag_and_analyze(user_word):
    assert ("试了一下", "动作") in cnlp.tag(TEXT)
    assert cnlp.pos_tag(["我", "试了一下", "这个"])[1] == "动作"
    doc = cnlp.analyze(TEXT)
    i = doc.words.index("试了一下")
    assert doc.pos[i] == "动作"
    assert json.loads(json.dumps(doc.to_json()))["tokens"][i]["pos"] == "动作"
    assert "试了一下/动作" in doc.to_pd98()
    assert "\t试了一下\t_\t_\t动作\t" in doc.to_conllu()
    # the neighbours are tagged as when the word has the model's own tag
    words = doc.words
    base = cnlp.get_pos_tagger().with_user_dict(None).predict(words)
    assert [t for k, t in enumerate(doc.pos) if k != i] == [t for k, t in enumerate(base) if k != i]


def test_user_tag_through_every_tag_format_of_the_cli(tmp_path, capsys, monkeypatch):
    ud = tmp_path / "user.txt"
    ud.write_text("试了一下\t动作\n", encoding="utf-8")
    want = {"pd98": "试了一下/动作", "conllu": "\t试了一下\t_\t_\t动作\t", "json": '"pos": "动作"'}
    for fmt, piece in want.items():
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode()), encoding="utf-8"))
        assert main(["tag", "--format", fmt, "--user-dict", str(ud)]) == 0
        assert piece in capsys.readouterr().out, fmt


def test_user_tag_in_batch_runs(tmp_path, capsys, monkeypatch):
    ud = tmp_path / "user.txt"
    ud.write_text("试了一下 动作\n", encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text((TEXT + "\n") * 6, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["tag", "-j", "2", "-o", str(out), "--user-dict", str(ud), str(src)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and all("试了一下/动作" in x for x in lines)


def test_a_pku_tag_still_fixes_the_word():
    t = cnlp.get_pos_tagger().with_user_dict(UserDictionary())
    ud = UserDictionary()
    ud.add_word("方法", pos="v")
    assert t.with_user_dict(ud).predict(["这个", "方法"])[1] == "v"
