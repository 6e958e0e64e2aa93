"""User-word modes (force / prefer / suggest) in every decoder, layering, and the merge kernel."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from cnlp.errors import CorpusFormatError

import cnlp
from cnlp.dictionary import UserDictionary, merge_preferred
from cnlp.registry import SEGMENTERS

ALGORITHMS = sorted(SEGMENTERS)
TEXT = "李小福是创新办主任也是云计算方面的专家"
WORDS = ["李小福", "创新办", "云计算"]


def _merge(bounds, n, spans):
    s = np.array([a for a, _ in spans], np.int32)
    e = np.array([b for _, b in spans], np.int32)
    return merge_preferred(np.array(bounds, np.int32), n, s, e).tolist()


def test_merge_preferred_by_hand():
    assert _merge([0, 1, 3, 5], 5, [(0, 3)]) == [0, 3, 5]          # both edges cut: inner cut removed
    assert _merge([0, 1, 3, 5], 5, [(0, 4)]) == [0, 1, 3, 5]       # edge 4 not cut: left alone
    assert _merge([0, 1, 2, 3, 4], 4, [(0, 2), (0, 3), (1, 4)]) == [0, 3, 4]   # leftmost, then longest
    assert _merge([0, 1, 2, 3, 4], 4, [(1, 3), (2, 4)]) == [0, 1, 3, 4]        # merged spans never overlap
    assert _merge([0, 2, 4], 4, [(0, 2)]) == [0, 2, 4]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_default_mode_words_appear_in_every_decoder(algorithm):
    out = cnlp.segment(TEXT, algorithm=algorithm, user_dict=WORDS)
    assert "".join(out) == TEXT
    for w in WORDS:
        assert w in out, (algorithm, out)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_forced_word_beats_an_overlapping_preferred_one(algorithm):
    ud = UserDictionary()
    ud.add_word("小福是", mode="force")
    ud.add_word("李小福")                       # prefer, overlaps the forced word: the forced one wins
    out = cnlp.segment(TEXT, algorithm=algorithm, user_dict=ud)
    assert "小福是" in out and "李小福" not in out and "".join(out) == TEXT


@pytest.mark.parametrize("algorithm", ["crf", "perceptron", "bigram"])
def test_prefer_yields_to_a_model_that_is_clearly_against_an_edge(algorithm):
    """'国和日' across 中国|和|日本 (boundaries these models are sure of) is not forced in by prefer
    (the HMM is never that sure: its margin, chosen on dev, lets user words win almost always)."""
    text = "中国和日本的关系"
    out = cnlp.segment(text, algorithm=algorithm, user_dict=["国和日"])
    assert "国和日" not in out, out
    forced = UserDictionary(["国和日"], mode="force")
    assert "国和日" in cnlp.segment(text, algorithm=algorithm, user_dict=forced)


@pytest.mark.parametrize("algorithm", ["crf", "perceptron", "hmm", "bigram"])
def test_suggest_strength_is_monotone_in_freq(algorithm):
    """The number of sentences in which a suggested word wins never drops as its frequency grows."""
    texts = ["他研究生命的起源", "我们研究生命的奥秘", "研究生命科学的人", "研究生命名了新物种", "他在研究生命"]
    counts = []
    for f in [0, 1, 10, 100, 10_000, 10 ** 6, 10 ** 9]:
        ud = UserDictionary()
        ud.add_word("究生命", freq=f, mode="suggest")
        counts.append(sum("究生命" in cnlp.segment(t, algorithm=algorithm, user_dict=ud) for t in texts))
    assert counts == sorted(counts), counts
    assert counts[0] == 0


def test_per_call_user_dict_layers_over_add_word():
    try:
        cnlp.add_word("李小福", mode="force")
        out = cnlp.segment(TEXT, user_dict=["云计算"])
        assert "李小福" in out and "云计算" in out
        # the per-call entry wins for a word in both (here: a suggestion without strength); the
        # PKU CRF splits the name by itself (the default writes names whole anyway)
        ud = UserDictionary()
        ud.add_word("李小福", freq=0, mode="suggest")
        assert "李小福" not in cnlp.segment(TEXT, user_dict=ud, algorithm="crf")
        assert "李小福" in cnlp.segment(TEXT, algorithm="crf")
    finally:
        cnlp.del_word("李小福")
    assert "李小福" not in cnlp.segment(TEXT, algorithm="crf")


@pytest.mark.slow
def test_api_and_cli_give_the_same_words(tmp_path):
    forced = tmp_path / "forced.txt"
    forced.write_text("小福是 force\n", "utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("小福是\n云计算 3 n\n创新办\n", "utf-8")
    src = tmp_path / "in.txt"
    src.write_text(TEXT + "\n", "utf-8")
    ud = UserDictionary.load(forced)
    ud.update_from_file(plain)                   # a plain entry does not weaken the forced word
    api = " ".join(cnlp.segment(TEXT, user_dict=ud))
    for order in ([forced, plain], [plain, forced]):
        args = [a for p in order for a in ("--user-dict", str(p))]
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", *args, str(src)],
                           capture_output=True, text=True, encoding="utf-8")
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == api
    assert "小福是" in api.split() and "云计算" in api.split() and "创新办" in api.split()


def test_jieba_format_demo_file_words_all_appear():
    """benchmarks/data/userdict_demo.txt (word freq pos, no mode column): every user word occurring in a
    demo sentence is output by the default segmenter (benchmarks/user_dict_demo.py compares with jieba)."""
    from pathlib import Path
    data = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
    ud = UserDictionary.load(data / "userdict_demo.txt")
    assert ud.get("王晓川") == (3, "nr", "prefer")
    sents = (data / "userdict_demo_sentences.txt").read_text("utf-8").split()
    seen = 0
    for s in sents:
        out = cnlp.segment(s, user_dict=ud)
        assert "".join(out) == s
        for w in ud:
            if w in s:
                seen += 1
                assert w in out, (w, out)
    assert seen >= 15


@pytest.mark.parametrize("mode", ["force", "prefer", "suggest"])
def test_batch_decoding_with_user_words_equals_line_by_line(mode):
    seg = cnlp.get_segmenter("crf").with_user_dict(UserDictionary(WORDS + ["国和日", "小福是", "家"], mode=mode))
    lines = [TEXT, "", "中国和日本的关系", " 李小福 在家 ", "云计算" * 30, "李"] * 3
    assert list(seg.segment_many(lines)) == [seg.segment(x) for x in lines]


def test_random_user_words_never_lose_text_and_batch_equals_line_by_line():
    """Random texts over a small alphabet (with spaces, emoji and a combining mark) and random user
    words in random modes: every decoder keeps the text, forced words appear unless they cross one
    chosen before them, and the batch path gives the line-by-line words."""
    import random
    rng = random.Random(11)
    alphabet = "商品和服务研究生命起源中国 \u3000a1😀\u0301，"
    segs = {a: cnlp.get_segmenter(a) for a in ALGORITHMS}
    for _ in range(40):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(4)]
        ud = UserDictionary()
        for _ in range(rng.randint(1, 8)):
            t = rng.choice(texts) or "商品"
            i = rng.randrange(len(t))
            w = t[i:i + rng.randint(1, 5)]
            if w.strip():
                ud.add_word(w, freq=rng.choice([None, 0, 3, 10 ** 6]), mode=rng.choice(["force", "prefer", "suggest"]))
        for a, base in segs.items():
            seg = base.with_user_dict(ud)
            per_line = [seg.segment(t) for t in texts]
            assert ["".join(w) for w in per_line] == texts, a
            assert list(seg.segment_many(texts)) == per_line, a
            for t, words in zip(texts, per_line):
                offs = {0}
                pos = 0
                for w in words:
                    pos += len(w)
                    offs.add(pos)
                for s, e, forced in ud.constraints_in(t):
                    if forced and not any(0x300 <= ord(c) <= 0x36F for c in t[s:e + 1]):
                        assert s in offs and e in offs, (a, t, t[s:e], words)


def test_malformed_pos_is_refused_and_keeps_the_earlier_tag(tmp_path):
    from cnlp.dictionary import UserDictionary
    ud = UserDictionary()
    ud.add_word("测试词", pos="nz")
    for bad in ("BO GUS", "a/b", "", "x" * 33):
        with pytest.raises(ValueError, match=r"malformed POS tag"):
            ud.add_word("测试词", 5, pos=bad)
    ud.add_word("测试词")                          # no pos: keeps the tag
    assert ud.get("测试词") == (None, "nz", "prefer")
    # tags are open: a file with tags of another tag set (jieba's nrt, eng, ...) or a label of the
    # user's own keeps them
    f = tmp_path / "user.txt"
    f.write_text("好词 3 nz\n坏词 3 nrt\n测试词 2 eng\n动作词 动作\n", encoding="utf-8")
    ud.update_from_file(f)
    assert ud.get("坏词") == (3, "nrt", "prefer") and ud.get("好词")[1] == "nz"
    assert ud.get("测试词") == (2, "eng", "prefer") and ud.get("动作词") == (None, "动作", "prefer")
    f.write_text("好词 3 a/b\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"user.txt:1: malformed POS tag 'a/b'"):
        ud.update_from_file(f)
