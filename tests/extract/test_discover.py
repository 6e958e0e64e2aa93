"""New-word discovery: known answers on tiny synthetic corpora, a plain-Python reference, CLI."""
from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from cnlp.cli import main
from cnlp.dictionary import Dictionary
from cnlp.extract import discover as D
from cnlp.extract.discover import NewWord, discover_words
from cnlp.text import CN_NUM, HAN, char_classes, to_codes

OFF = dict(min_entropy=-math.inf, min_mi=-math.inf)
CTX = list("我你他她谁又都也把被给让")


def embedded(word="喵呜嗷", reps=3):
    """``word`` between every pair of context characters, plus punctuation-separated filler."""
    return [a + word + b + "，" + "天地玄黄宇宙洪荒"[: 2 + (i % 5)] for i, (a, b) in
            enumerate((a, b) for a in CTX for b in CTX) for _ in range(reps)][::reps]


# ------------------------------------------------------------------ plain-Python reference
def reference(texts, max_len, min_freq):
    runs = []
    for t in texts:
        cls = char_classes(to_codes(t))
        cur = []
        for ch, c in zip(t, cls):
            if c in (HAN, CN_NUM):
                cur.append(ch)
            elif cur:
                runs.append("".join(cur)); cur = []
        if cur:
            runs.append("".join(cur))
    n_chars = sum(map(len, runs))
    cnt = Counter(r[i:i + n] for r in runs for n in range(1, max_len + 1) for i in range(len(r) - n + 1))
    left, right = {}, {}
    for r in runs:
        for n in range(2, max_len + 1):
            for i in range(len(r) - n + 1):
                w = r[i:i + n]
                if cnt[w] < min_freq:
                    continue
                left.setdefault(w, []).append(r[i - 1] if i > 0 else None)
                right.setdefault(w, []).append(r[i + n] if i + n < len(r) else None)

    def ent(neigh):      # run edges (None) are one boundary symbol
        f = len(neigh)
        return -sum(v / f * math.log(v / f) for v in Counter(neigh).values())

    out = {}
    for w in left:
        f = cnt[w]
        mi = min(math.log(f * n_chars / (cnt[w[:k]] * cnt[w[k:]])) for k in range(1, len(w)))
        out[w] = (f, mi, ent(left[w]), ent(right[w]))
    return out


def as_dict(res):
    return {r.word: (r.freq, r.mi, r.left_entropy, r.right_entropy) for r in res}


@pytest.mark.parametrize("seed,max_len,min_freq", [(0, 4, 2), (1, 3, 1), (2, 5, 3)])
def test_matches_plain_python_reference(seed, max_len, min_freq):
    rng = random.Random(seed)
    alphabet = "甲乙丙丁戊己庚一二"            # small alphabet: many repeated n-grams; 一二 are CN_NUM
    texts = ["".join(rng.choice(alphabet + "，a1 ") for _ in range(rng.randint(0, 30))) for _ in range(60)]
    got = as_dict(discover_words(texts, max_len=max_len, min_freq=min_freq, **OFF))
    ref = reference(texts, max_len, min_freq)
    assert got.keys() == ref.keys() and len(ref) > 20
    for w, (f, mi, hl, hr) in ref.items():
        g = got[w]
        assert g[0] == f
        assert g[1:] == pytest.approx((mi, hl, hr), abs=1e-9), w


def test_chunking_does_not_change_results(monkeypatch):
    rng = random.Random(5)
    texts = ["".join(rng.choice("甲乙丙丁戊，") for _ in range(rng.randint(1, 40))) for _ in range(200)]
    whole = as_dict(discover_words(texts, min_freq=2, **OFF))
    monkeypatch.setattr(D, "_CHUNK", 7)
    assert as_dict(discover_words(iter(texts), min_freq=2, **OFF)) == whole


# ------------------------------------------------------------------ known answers
def test_made_up_word_in_varied_contexts_is_found_first():
    res = discover_words(embedded())
    assert res and res[0].word == "喵呜嗷"
    assert isinstance(res[0], NewWord) and res[0].freq == len(CTX) ** 2
    # its fragments have one fixed neighbour (entropy 0) and are filtered out
    words = {r.word for r in res}
    assert "喵呜" not in words and "呜嗷" not in words


def test_scores_sorted_and_consistent():
    res = discover_words(embedded(), **OFF)
    assert [r.score for r in res] == sorted((r.score for r in res), reverse=True)
    for r in res:
        assert r.score == pytest.approx(math.log(r.freq) + min(r.left_entropy, r.right_entropy) + r.mi)


def test_frequent_non_cohesive_pair_ranks_below_word():
    rng = random.Random(3)
    texts = []
    for i in range(400):
        # 的 and 是 are frequent everywhere, so 的是 is frequent by chance only
        s = "".join(rng.choice("的是的是的是山水花鸟虫鱼") for _ in range(12))
        if i % 4 == 0:
            s = s[:6] + "喵呜嗷" + s[6:]
        texts.append(s)
    res = discover_words(texts, **OFF)
    rank = {r.word: k for k, r in enumerate(res)}
    by_word = {r.word: r for r in res}
    assert by_word["的是"].freq > 2 * by_word["喵呜嗷"].freq
    assert rank["喵呜嗷"] < rank["的是"]
    assert by_word["的是"].mi < 1.0 < by_word["喵呜嗷"].mi
    assert "的是" not in {r.word for r in discover_words(texts)}       # default min_mi drops it


def test_hand_computed_entropy_and_mi(monkeypatch):
    texts = ["丙甲乙丙", "丙甲乙丁", "甲乙丙", "丁甲乙"]        # 14 run characters
    res = as_dict(discover_words(texts, min_freq=1, **OFF))
    f, mi, hl, hr = res["甲乙"]
    # left neighbours 丙 丙 <edge> 丁; right 丙 丁 丙 <edge>: counts 2, 1, 1 -> 1.5 log 2
    assert f == 4
    assert hl == pytest.approx(1.5 * math.log(2)) and hr == pytest.approx(1.5 * math.log(2))
    assert mi == pytest.approx(math.log(4 * 14 / (4 * 4)))
    f, mi, hl, hr = res["丙甲乙"]
    # c(丙) = 4: splits 丙|甲乙: log(2*14/(4*4)); 丙甲|乙: log(2*14/(2*4)) -> the weaker is the first
    assert f == 2 and mi == pytest.approx(math.log(28 / 16))
    assert hl == pytest.approx(0.0)                  # two run-edge occurrences: one boundary symbol
    assert hr == pytest.approx(math.log(2))          # 丙, 丁
    monkeypatch.setattr(D, "_EDGES_DISTINCT", True)
    assert as_dict(discover_words(texts, min_freq=1, **OFF))["丙甲乙"][2] == pytest.approx(math.log(2))


def test_runs_split_at_non_han_and_texts_do_not_join():
    texts = ["喵呜，嗷", "喵呜1嗷", "喵呜a嗷", "喵呜 嗷", "喵呜", "嗷"] * 5
    words = as_dict(discover_words(texts, min_freq=1, **OFF))
    assert "喵呜" in words and "呜嗷" not in words and "喵呜嗷" not in words
    # Chinese numerals belong to runs (统一, 一定 are words)
    words = as_dict(discover_words(["统一" + c for c in CTX] * 2, min_freq=1, **OFF))
    assert "统一" in words


def test_max_len_respected():
    texts = embedded("喵呜嗷咪")
    for k in (2, 3, 4, 5):
        res = discover_words(texts, max_len=k, **OFF)
        assert res and max(len(r.word) for r in res) == k
    assert "喵呜嗷咪" in as_dict(discover_words(texts, max_len=4))
    assert "喵呜嗷咪" not in as_dict(discover_words(texts, max_len=3))


def test_min_freq_and_top():
    texts = embedded()
    res = discover_words(texts, min_freq=3, **OFF)
    assert all(r.freq >= 3 for r in res)
    assert discover_words(texts, min_freq=3, top=2, **OFF) == res[:2]
    assert discover_words(texts, top=0) == []
    assert discover_words(texts, min_freq=10 ** 6) == []
    assert discover_words([]) == [] and discover_words(["", "，。", "abc"]) == []


def test_exclude():
    texts = embedded("喵呜嗷") + embedded("研究")
    base = {r.word for r in discover_words(texts)}
    assert {"喵呜嗷", "研究"} <= base
    for ex in ({"研究"}, frozenset(["研究"]), ["研究"], Dictionary.from_counts({"研究": 3})):
        got = {r.word for r in discover_words(texts, exclude=ex)}
        assert got == base - {"研究"}, ex
    assert {r.word for r in discover_words(texts, exclude=None)} == base
    assert {r.word for r in discover_words(texts, exclude=False)} == base


def test_exclude_shipped_dictionary():
    """exclude=True (the shipped dictionary) is the front's: the library receives the Dictionary."""
    import cnlp
    from cnlp.models import dictionary
    texts = embedded("喵呜嗷") + embedded("研究")
    got = {r.word for r in discover_words(texts, exclude=dictionary())}
    assert "研究" not in got and "喵呜嗷" in got
    assert cnlp.discover_words(texts, exclude=True) == discover_words(texts, exclude=dictionary())
    assert cnlp.discover_words(texts) == discover_words(texts)
    with pytest.raises(TypeError, match="cnlp.discover_words"):
        discover_words(texts, exclude=True)


@pytest.mark.parametrize("texts", ["喵呜嗷", b"abc", 5, None])
def test_texts_type_errors(texts):
    with pytest.raises(TypeError, match="iterable of str"):
        discover_words(texts)


@pytest.mark.parametrize("item", [b"\xe5\x96\xb5", 3, None])
def test_item_type_errors(item):
    with pytest.raises(TypeError, match=r"item 1 is"):
        discover_words(["喵呜", item])


def test_parameter_errors():
    with pytest.raises(TypeError, match="max_len"):
        discover_words(["喵呜"], max_len="4")
    with pytest.raises(TypeError, match="min_freq"):
        discover_words(["喵呜"], min_freq=2.5)
    with pytest.raises(TypeError, match="min_entropy"):
        discover_words(["喵呜"], min_entropy="1")
    with pytest.raises(ValueError, match="max_len"):
        discover_words(["喵呜"], max_len=1)
    with pytest.raises(ValueError, match="top"):
        discover_words(["喵呜"], top=-1)
    with pytest.raises(TypeError, match="exclude"):
        discover_words(["喵呜"], exclude="研究")
    with pytest.raises(TypeError, match="exclude"):
        discover_words(["喵呜"], exclude={1, 2})
    with pytest.raises(TypeError, match="exclude"):
        discover_words(["喵呜"], exclude=3)


# ------------------------------------------------------------------ CLI
def test_cli(tmp_path, capsys):
    p = tmp_path / "corpus.txt"
    p.write_text("\n".join(embedded("喵呜嗷") + embedded("研究")) + "\n", encoding="utf-8")
    assert main(["discover", str(p), "--top", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert 1 <= len(out) <= 5
    rows = [line.split("\t") for line in out]
    assert all(len(r) == 6 for r in rows)
    api = discover_words(embedded("喵呜嗷") + embedded("研究"), top=5)
    assert [r[0] for r in rows] == [r.word for r in api]
    assert float(rows[0][1]) == pytest.approx(api[0].score, abs=1e-4) and int(rows[0][2]) == api[0].freq

    assert main(["discover", str(p), "--exclude-dict"]) == 0
    words = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert "喵呜嗷" in words and "研究" not in words

    d = tmp_path / "words.txt"
    d.write_text("喵呜嗷\n", encoding="utf-8")
    assert main(["discover", str(p), str(p), "--dict", str(d), "--max-len", "3", "--min-freq", "2"]) == 0
    words = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert "研究" in words and "喵呜嗷" not in words


def test_cli_bad_file_names_file_and_line(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_bytes("喵呜嗷\n".encode() + b"\xff\n")
    assert main(["discover", str(p)]) == 1
    assert "bad.txt:2" in capsys.readouterr().err
