"""Tests of cnlp.corpus.splits: the fixed PD98 train/dev/test rule."""
from __future__ import annotations

import pytest

from cnlp.corpus.readers import parse_pd98_line, read_pd98
from cnlp.corpus.splits import Split, pd98_split, split_lines, split_sizes
from cnlp.errors import CorpusFormatError


def _lines(n):
    return [f"w{i}/n" for i in range(n)]


def test_sizes_floor_and_dev_from_train():
    assert split_sizes(19484) == (17535, 0, 1949)          # floor(19484 * 0.9) = 17535
    assert split_sizes(19484, dev_ratio=0.1) == (15782, 1753, 1949)
    assert split_sizes(10) == (9, 0, 1)
    assert split_sizes(9) == (8, 0, 1)                      # floor(8.1)
    assert split_sizes(0) == (0, 0, 0)
    assert split_sizes(10, test_ratio=0) == (10, 0, 0)
    # exact decimal ratios: 90 * 0.7 is 62.99999999999999 in binary floating point
    assert split_sizes(90, test_ratio=0.3) == (63, 0, 27)


@pytest.mark.parametrize("kw", [dict(test_ratio=1.0), dict(test_ratio=-0.1), dict(dev_ratio=1.5)])
def test_bad_ratios(kw):
    with pytest.raises(ValueError):
        split_sizes(10, **kw)


def test_ratio_type():
    with pytest.raises(TypeError):
        split_sizes(10, test_ratio="0.1")


def test_order_and_dev_from_end_of_train():
    lines = _lines(20)
    s = split_lines(lines, test_ratio=0.25, dev_ratio=0.2, parse=False)
    assert isinstance(s, Split)
    assert s.train == lines[:12] and s.dev == lines[12:15] and s.test == lines[15:]
    # train + dev is the same whatever dev_ratio is; the test part never changes
    s0 = split_lines(lines, test_ratio=0.25, parse=False)
    assert s0.train == s.train + s.dev and s0.dev == [] and s0.test == s.test


def test_empty_lines_skipped_and_parsed():
    lines = ["a/n  b/v\n", "", "   ", "\t\r\n", "c/r", "d/n", "e/v\r\n", "f/w", "  ", "g/n", "h/u", "i/d", "j/p", "k/q", ""]
    s = split_lines(lines)                                   # 10 non-empty lines -> 9 train, 1 test
    assert [len(x) for x in s] == [9, 0, 1]
    assert s.train[0] == [("a", "n"), ("b", "v")]
    assert s.train[1:4] == [[("c", "r")], [("d", "n")], [("e", "v")]]
    assert s.train[-1] == [("j", "p")] and s.test == [[("k", "q")]]


def test_compound_brackets_are_flattened():
    line = "[中国/ns  人民/n]nt  银行/n  [/w"
    s = split_lines([line] * 10)
    assert s.train[0] == [("中国", "ns"), ("人民", "n"), ("银行", "n"), ("[", "w")]
    assert parse_pd98_line(line) == s.train[0]
    merged = split_lines([line] * 10, compounds="merge")
    assert merged.train[0][:2] == [("中国人民", "nt"), ("银行", "n")]


def test_file_matches_lines_and_reader(tmp_path):
    lines = ["[中国/ns  人民/n]nt  好/a"] + [""] + _lines(11)
    p = tmp_path / "c.txt"
    p.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    s = pd98_split(p, dev_ratio=0.5)
    assert s == split_lines(lines, dev_ratio=0.5)
    assert s.train + s.dev + s.test == list(read_pd98(p))
    assert [len(x) for x in s] == [5, 5, 2]
    assert pd98_split(p, parse=False).train[0] == lines[0]


def test_malformed_line_names_file_and_physical_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("好/a\n\n\n没有标注\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError) as ei:
        pd98_split(p)
    assert ei.value.lineno == 4 and ei.value.path == str(p)
    with pytest.raises(CorpusFormatError, match=r"<lines>:3"):
        split_lines(["好/a", "", "坏"])
    with pytest.raises(TypeError, match="item 1 is int"):
        split_lines(["好/a", 3])


@pytest.mark.slow
@pytest.mark.corpus
def test_pd98_real_split(corpora):
    path = corpora / "pd1998" / "199801.txt"
    s = pd98_split(path)
    assert (len(s.train), len(s.dev), len(s.test)) == (17535, 0, 1949)
    assert s.train[0][:2] == [("迈向", "v"), ("充满", "v")]
    allsents = list(read_pd98(path))
    assert s.train + s.test == allsents
    d = pd98_split(path, dev_ratio=0.1)
    assert d.train + d.dev == s.train and d.test == s.test
