"""Tests of cnlp.corpus.readers: parsing, errors with path:line, writer -> reader round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from cnlp.corpus.readers import (bmes_to_words, corpus_path, parse_pd98_line, read_conllu, read_pd98,
                                 read_sighan, read_tagged_chars, words_to_bmes, write_conllu, write_pd98,
                                 write_sighan, write_tagged_chars)
from cnlp.errors import CorpusFormatError


def test_read_pd98_tiny(tiny_pd98):
    sents = list(read_pd98(tiny_pd98))
    assert len(sents) == 5
    assert sents[1][-2:] == [("江", "nr"), ("泽民", "nr")]
    assert sents[0][6] == ("——", "w")
    assert sum(len(s) for s in sents) == 10 + 7 + 6 + 7 + 6


def test_pd98_compound_brackets():
    line = "[中国/ns  人民/n]nt  银行/n  [/w  ]/w  //w"
    assert parse_pd98_line(line) == [("中国", "ns"), ("人民", "n"), ("银行", "n"), ("[", "w"),
                                     ("]", "w"), ("/", "w")]
    assert parse_pd98_line(line, compounds="merge")[:2] == [("中国人民", "nt"), ("银行", "n")]
    with pytest.raises(ValueError):
        parse_pd98_line(line, compounds="nope")


def test_pd98_malformed_token_names_path_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("好/a  人/n\n\n他/r  没有标注  。/w\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError) as ei:
        list(read_pd98(p))
    assert ei.value.lineno == 3 and ei.value.path == str(p)
    assert f"{p}:3" in str(ei.value) and "没有标注" in str(ei.value)


@pytest.mark.parametrize("line", ["[中国/ns  人民/n", "a/b  [x/n  [y/n]nt", "好/"])
def test_pd98_bad_brackets(line):
    with pytest.raises(CorpusFormatError):
        parse_pd98_line(line)


def test_pd98_invalid_utf8(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes("好/a\n".encode() + b"\xff\xfe/a\n")
    with pytest.raises(CorpusFormatError, match=":2:"):
        list(read_pd98(p))


def test_pd98_round_trip_and_crlf_bom(tmp_path, tiny_pd98):
    sents = list(read_pd98(tiny_pd98))
    out = tmp_path / "out.txt"
    assert write_pd98(sents, out) == 5
    assert list(read_pd98(out)) == sents
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + tiny_pd98.read_bytes().replace(b"\n", b"\r\n"))
    assert list(read_pd98(crlf)) == sents
    with pytest.raises(ValueError):
        write_pd98([[("a b", "n")]], out)


def test_sighan_keeps_blank_lines(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("商品  和  服务\n\n研究生 命\n", encoding="utf-8")
    assert list(read_sighan(p)) == [["商品", "和", "服务"], [], ["研究生", "命"]]
    q = tmp_path / "s2.txt"
    write_sighan(read_sighan(p), q)
    assert list(read_sighan(q)) == list(read_sighan(p))


def test_tagged_chars_round_trip(tmp_path):
    sents = [(list("商品 和"), ["B", "E", "S", "S"]), (list("他说"), ["S", "S"])]
    p = tmp_path / "c.bio"
    assert write_tagged_chars(sents, p) == 2
    assert list(read_tagged_chars(p)) == sents
    bad = tmp_path / "bad.bio"
    bad.write_text("a\tB\nb E\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=":2:"):
        list(read_tagged_chars(bad))


CONLLU = """\
# sent_id = 1
# text = 我爱北京
1\t我\t我\tPRON\tPN\t_\t2\tnsubj\t_\t_
2\t爱\t爱\tVERB\tVV\t_\t0\troot\t_\t_
3\t北京\t北京\tPROPN\tNR\t_\t2\tobj\t_\tSpaceAfter=No

1-2\t他们\t_\t_\t_\t_\t_\t_\t_\t_
1\t他\t他\tPRON\tPN\t_\t2\tnsubj\t_\t_
2\t们\t们\tPART\tSFN\t_\t3\tcase\t_\t_
2.1\t有\t_\t_\t_\t_\t_\t_\t_\t_
3\t来\t来\tVERB\tVV\t_\t0\troot\t_\t_

1\t好\t好\tADJ\tJJ\t_\t_\t_\t_\t_
"""


def test_conllu_three_sentences(tmp_path):
    p = tmp_path / "t.conllu"
    p.write_text(CONLLU, encoding="utf-8")
    sents = list(read_conllu(p))
    assert [len(s) for s in sents] == [3, 3, 1]
    assert sents[0][2] == {"id": 3, "form": "北京", "lemma": "北京", "upos": "PROPN", "xpos": "NR",
                           "feats": "_", "head": 2, "deprel": "obj", "deps": "_", "misc": "SpaceAfter=No"}
    assert [t["form"] for t in sents[1]] == ["他", "们", "来"]
    assert sents[2][0]["head"] is None
    q = tmp_path / "w.conllu"
    write_conllu(sents, q)
    assert list(read_conllu(q)) == sents
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\t我\t我\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=":1:"):
        list(read_conllu(bad))


def test_bmes_helpers():
    assert words_to_bmes(["中国", "人", "研究生"]) == list("BESBME")
    assert bmes_to_words("商品和服务", "BESBE") == ["商品", "和", "服务"]
    assert bmes_to_words("abcd", "MMEM") == ["abc", "d"]
    with pytest.raises(ValueError):
        bmes_to_words("ab", "B")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=5), max_size=8))
def test_bmes_round_trip(words):
    labels = words_to_bmes(words)
    assert bmes_to_words("".join(words), labels) == words


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.lists(st.sampled_from("BMESX"), max_size=20))
def test_bmes_to_words_lossless(text, labels):
    labels = (labels + ["S"] * len(text))[:len(text)]
    words = bmes_to_words(text, labels)
    assert "".join(words) == text and all(words)


def test_corpus_path_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("CNLP_CORPORA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="CNLP_CORPORA"):
        corpus_path("pd1998", "nope.txt")
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    assert corpus_path("x.txt") == tmp_path / "x.txt"
