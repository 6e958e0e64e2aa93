"""User dictionary files in the formats users have (jieba, HanLP, tab-separated), detected per file,
through the API (UserDictionary, cnlp.load_user_dict, user_dict=PATH) and the command line."""
from __future__ import annotations

import io
import sys

import pytest

import cnlp
from cnlp.cli import main
from cnlp.dictionary import UserDictionary
from cnlp.errors import CorpusFormatError

FILES = {
    "jieba": ("区块链 2000 nz\n大模型 3\n李小福 nr\n攻城狮\n", {
        "区块链": (2000, "nz", "prefer"), "大模型": (3, None, "prefer"), "李小福": (None, "nr", "prefer"),
        "攻城狮": (None, None, "prefer")}),
    "hanlp": ("# HanLP custom dictionary\n攻城狮 nz 1024\n云计算 n 3 vn 2\n区块链 nz 5 force\n", {
        "攻城狮": (1024, "nz", "prefer"), "云计算": (5, "n", "prefer"), "区块链": (5, "nz", "force")}),
    "tab": ("OpenGL ES\tnz\t5\n深度 学习\t100\tn\n试了一下\t动作\nVisual Studio Code\t\n", {
        "opengl es": (5, "nz", "prefer"), "深度 学习": (100, "n", "prefer"), "试了一下": (None, "动作", "prefer"),
        "visual studio code": (None, None, "prefer")}),
}
TEXT = "我用OpenGL ES和Visual Studio Code写区块链，攻城狮试了一下云计算"


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_formats_load(fmt, tmp_path):
    text, want = FILES[fmt]
    p = tmp_path / f"{fmt}.txt"
    p.write_text(text, encoding="utf-8")
    ud = UserDictionary.load(p)
    assert {w: ud.get(w) for w in want} == want and len(ud) == len(want)
    with open(p, "rb") as f:                      # an open file, as jieba's load_userdict takes
        assert UserDictionary.load(f).items() == ud.items()


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_formats_segment_through_api_and_cli(fmt, tmp_path, capsys, monkeypatch):
    text, want = FILES[fmt]
    p = tmp_path / f"{fmt}.txt"
    p.write_text(text, encoding="utf-8")
    words = cnlp.segment(TEXT, user_dict=str(p))
    ud = UserDictionary.load(p)
    for w in want:
        if w.lower() in TEXT.lower() and ud.get(w)[2] != "suggest":
            assert any(x.lower() == w for x in words), (w, words)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode()), encoding="utf-8"))
    assert main(["segment", "-d", "|", "--keep-spaces", "--user-dict", str(p)]) == 0
    assert capsys.readouterr().out == "|".join(words) + "\n"


def test_load_user_dict_process_wide(tmp_path):
    p = tmp_path / "hanlp.txt"
    p.write_text(FILES["hanlp"][0], encoding="utf-8")
    try:
        cnlp.load_user_dict(str(p))
        assert ("攻城狮", "nz") in cnlp.tag("攻城狮在写代码")
    finally:
        for w in FILES["hanlp"][1]:
            cnlp.del_word(w)


@pytest.mark.parametrize("text, lineno, read_as", [
    ("攻城狮 nz 1024\nbad 1 2 3\n", 2, "read as hanlp"),
    ("区块链 2000 nz\n攻城狮 nz 1024 v\n", 2, "read as jieba"),
    ("好词\n坏词 1 2\n", 2, "read as jieba"), ("坏词 1 2\n", 1, "format not yet decided"),
])
def test_a_line_that_fits_no_format_names_file_line_and_format(text, lineno, read_as, tmp_path, capsys, monkeypatch):
    p = tmp_path / "user.txt"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusFormatError) as e:
        UserDictionary.load(p)
    assert e.value.lineno == lineno and str(p) in str(e.value) and read_as in str(e.value)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x\n"), encoding="utf-8"))
    assert main(["segment", "--user-dict", str(p)]) == 1
    err = capsys.readouterr().err
    assert f"user.txt:{lineno}:" in err and read_as in err
