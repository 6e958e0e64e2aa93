"""Traditional Chinese through the traditional -> simplified part of the fold (cnlp.text): the
folded array is simplified, every output keeps the caller's characters, simplified text is
folded exactly as before, and dictionaries, user words, keywords and new-word discovery see
選擇 and 选择 as one word."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, strategies as st

import cnlp
from cnlp import registry
from cnlp.text import (_BMP_TABLE, FOLD_TRANSLATE, _t2s_path, fold_code, fold_str, fold_width, from_codes,
                       pairs_digest, to_codes)

TRAD = "我們選擇了這個方案，臺灣的經濟發展很快。"
SIMP = "我们选择了这个方案，台湾的经济发展很快。"


def width_only(text: str) -> str:
    """The fold as it was before traditional characters: full-width ASCII, U+3000, A-Z."""
    out = []
    for ch in text:
        c = ord(ch)
        if 0xFF01 <= c <= 0xFF5E:
            c -= 0xFEE0
        elif c == 0x3000:
            c = 0x20
        if 65 <= c <= 90:
            c += 32
        out.append(chr(c))
    return "".join(out)


def test_folded_array_is_simplified():
    assert fold_str(TRAD) == width_only(SIMP)                   # ，-> , as before
    assert from_codes(fold_width(to_codes("選擇"))) == "选择"
    assert fold_code(ord("選"), _BMP_TABLE) == ord("选")
    assert fold_str("ＡＢ選擇　Ｃ") == "ab选择 c"                  # width and character fold together


def test_characters_of_simplified_text_stay():
    # OpenCC's table folds 乾 to 干 and 吒 to 咤, but both occur in simplified text (乾隆, 哪吒);
    # 著, 覆, 藉 are not in its character table at all
    for s in ("乾隆", "著名", "哪吒", "覆盖", "狼藉"):
        assert fold_str(s) == width_only(s), s
    assert fold_str("乾淨") == "乾净"                             # so 乾 of 乾淨 stays too


def test_simplified_text_folds_as_before():
    text = ("迈向充满希望的新世纪——一九九八年新年讲话，中共中央总书记、国家主席江泽民：我们研究生命的起源。"
            "商品和服务都很好。ＷＴＯ　１９９８年 Hello")
    assert fold_str(text) == width_only(text)
    assert from_codes(fold_width(to_codes(text))) == width_only(text)


def test_table_file_and_fold_agree():
    pairs = json.loads(_t2s_path().read_text("utf-8"))["pairs"]
    assert len(pairs) > 2000 and len(pairs) % 2 == 0
    for t, s in zip(pairs[0::2], pairs[1::2]):
        assert FOLD_TRANSLATE[ord(t)] == ord(s)


def test_fold_is_idempotent_and_str_and_array_forms_agree():
    bmp = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    once = fold_str(bmp)
    assert fold_str(once) == once
    assert from_codes(fold_width(to_codes(bmp))) == once
    assert fold_str("\U00020000\udc00") == "\U00020000\udc00"     # outside the BMP / lone surrogate


@pytest.mark.parametrize("algo", list(registry.SEGMENTERS))
def test_segmenters_read_traditional_like_simplified(algo):
    seg = cnlp.get_segmenter(algo)
    trad = seg.segment(TRAD)
    assert "".join(trad) == TRAD                                 # output: the original characters
    assert "選擇" in trad and "选择" not in "".join(trad)
    assert [len(w) for w in trad] == [len(w) for w in seg.segment(SIMP)]


@given(st.text(alphabet=st.sampled_from(list("我們選擇這個臺灣經濟發展乾隆著名，。 ＡB１\u3000\U00020000")), max_size=40))
def test_lossless_join(text):
    assert "".join(cnlp.segment(text)) == text


def test_simplified_user_word_matches_traditional_text():
    from cnlp.dictionary.user import UserDictionary
    text = "喵星人選擇了罐頭"
    assert "喵星人選擇" not in cnlp.segment(text)
    ud = UserDictionary(["喵星人选择"], mode="force")
    assert "喵星人選擇" in ud                                    # membership is folded too
    assert "喵星人選擇" in cnlp.segment(text, user_dict=ud)
    ud2 = UserDictionary(["喵星人選擇"], mode="force")          # and the other way round
    assert "喵星人选择" in cnlp.segment("喵星人选择了罐头", user_dict=ud2)


def test_dictionary_lookup_folds_traditional():
    from cnlp.dictionary import Dictionary
    d = Dictionary.from_entries([("选择", 5, None)])
    assert "選擇" in d and d.freq("選擇") == 5
    offsets, ends, _ = d.matches_in("我選擇了")
    assert ends[offsets[1]:offsets[2]].tolist() == [3]            # 選擇 matched at 1..3
    assert Dictionary.from_entries([("選擇", 5, None)]).freq("选择") == 5      # stored folded


def test_keywords_count_traditional_and_simplified_forms_together():
    from cnlp.extract.keywords import keywords
    words = "選擇 方案 方案 选择 选择 選擇 選擇".split()
    kw = keywords(" ".join(words), None, pos=None, stopwords=set(), segmenter=str.split, with_weight=True,
                  algorithm="textrank")
    assert [w for w, _ in kw] == ["選擇", "方案"]                 # one vertex; the most frequent form
    from cnlp.models import idf_table
    tf = keywords(" ".join(words), None, pos=None, stopwords=set(), segmenter=str.split, idf=idf_table())
    assert tf == ["選擇", "方案"]


def test_discover_counts_folded_forms_and_reports_the_most_frequent_spelling():
    from cnlp.extract.discover import discover_words
    ctx = ["我", "你", "他", "她", "谁", "又", "都", "也"]
    trad = [a + "選擇" + b + "。" for a in ctx for b in ctx[:5]]
    simp = [a + "选择" + b + "。" for a in ctx for b in ctx[5:]]
    found = {w.word: w.freq for w in discover_words(trad + simp, min_mi=0.0)}
    assert found.get("選擇") == 64 and "选择" not in found
    found = {w.word: w.freq for w in discover_words(simp * 2 + trad, min_mi=0.0)}
    assert found.get("选择") == 88 and "選擇" not in found
    assert not [w for w in discover_words(trad + simp, min_mi=0.0, exclude={"选择"}) if w.word == "選擇"]


def test_numba_and_str_fold_agree_on_random_codes():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 0x10000, 5000).astype(np.int32)
    codes = codes[(codes < 0xD800) | (codes > 0xDFFF)]
    assert from_codes(fold_width(codes)) == from_codes(codes).translate(FOLD_TRANSLATE)


def test_pos_and_ner_read_traditional_like_simplified():
    trad, simp = "江澤民主席在北京會見了華為公司的代表。", "江泽民主席在北京会见了华为公司的代表。"
    tw, sw = cnlp.segment(trad), cnlp.segment(simp)
    assert [len(w) for w in tw] == [len(w) for w in sw]
    assert cnlp.pos_tag(tw) == cnlp.pos_tag(sw)
    te, se = cnlp.ner(trad), cnlp.ner(simp)
    assert [(e.type, e.start, e.end) for e in te] == [(e.type, e.start, e.end) for e in se] and te
    assert all(e.text == trad[e.start:e.end] for e in te)


def test_t2s_table_is_read_at_run_time_not_compiled_in(tmp_path):
    """The kernels are given the fold table as an argument: after data/t2s/table.json changes,
    the cached kernels fold with the new table, and with the old one again once it is restored."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    root = Path(cnlp.__file__).resolve().parent
    pkg = tmp_path / "pkg"
    shutil.copytree(root, pkg / "cnlp", ignore=shutil.ignore_patterns("__pycache__", "data"))
    (pkg / "data" / "t2s").mkdir(parents=True)
    table = pkg / "data" / "t2s" / "table.json"
    original = _t2s_path().read_bytes()
    table.write_bytes(original)
    env = {"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(pkg)}
    code = ("from cnlp.text import fold_width, to_codes, from_codes, _fold;"
            "print(from_codes(fold_width(to_codes('選擇'))), len(_fold.stats.cache_hits))")

    def run():
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                           cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return r.stdout.split()
    assert run()[0] == "选择"
    data = json.loads(original)
    pairs = data["pairs"]
    i = pairs[0::2].index("選")
    data["pairs"] = pairs[:2 * i] + pairs[2 * i + 2:]            # 選 is no longer folded
    data["pairs_sha256"] = pairs_digest(data["pairs"])           # an edit made as the build script does
    table.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert run()[0] == "選择"
    table.write_bytes(original)
    assert run()[0] == "选择"


@pytest.mark.parametrize("content, reason", [
    ('{"pairs": "選选', "not valid JSON"),
    ('["選选"]', 'no "pairs" string'),
    ('{"source": "x"}', 'no "pairs" string'),
    ('{"pairs": ["選", "选"]}', 'no "pairs" string'),
    ('{"pairs": "選选擇"}', "pairs of BMP characters"),
    ('{"pairs": "選😀"}', "pairs of BMP characters"),
])
def test_malformed_t2s_table_is_a_model_format_error_naming_it(tmp_path, monkeypatch, content, reason):
    import cnlp.text as T
    from cnlp.errors import ModelFormatError
    bad = tmp_path / "table.json"
    bad.write_text(content, "utf-8")
    monkeypatch.setattr(T, "_t2s_path", lambda: bad)
    with pytest.raises(ModelFormatError, match=reason) as e:
        T._load_fold_table()
    assert e.value.path == str(bad)


@pytest.mark.parametrize("edit", ["bitflip", "swap", "drop", "no digest"])
def test_t2s_table_that_parses_but_was_changed_is_refused(tmp_path, edit):
    """A table whose "pairs" still parse but differ from the recorded pairs_sha256 (a bit flip inside
    a character, two characters swapped, a pair dropped) or that lacks the digest: ModelFormatError
    naming the file, never a different fold."""
    import cnlp.text as T
    from cnlp.errors import ModelFormatError
    original = _t2s_path().read_text("utf-8")
    data = json.loads(original)
    pairs = data["pairs"]
    if edit == "bitflip":                                       # 選 -> the next code point, still BMP
        i = pairs.index("選")
        data["pairs"] = pairs[:i] + chr(ord("選") ^ 1) + pairs[i + 1:]
    elif edit == "swap":
        data["pairs"] = pairs[1] + pairs[0] + pairs[2:]
    elif edit == "drop":
        data["pairs"] = pairs[2:]
    else:
        del data["pairs_sha256"]
    bad = tmp_path / "table.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(ModelFormatError, match="pairs_sha256") as e:
        T._load_fold_table(bad)
    assert e.value.path == str(bad)
    assert T._load_fold_table(_t2s_path()).tobytes() == T._FOLD_TABLE.tobytes()   # the shipped one loads


def test_malformed_t2s_table_at_first_use_names_the_file(tmp_path):
    """End to end: a broken data/t2s/table.json gives one ModelFormatError naming it, no KeyError."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    root = Path(cnlp.__file__).resolve().parent
    pkg = tmp_path / "pkg"
    shutil.copytree(root, pkg / "cnlp", ignore=shutil.ignore_patterns("__pycache__", "data"))
    (pkg / "data" / "t2s").mkdir(parents=True)
    table = pkg / "data" / "t2s" / "table.json"
    table.write_text('{"n_pairs": 0}', "utf-8")
    env = {"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(pkg)}
    code = ("import cnlp\ntry:\n    import cnlp.text\nexcept cnlp.ModelFormatError as e:\n"
            "    print('ModelFormatError', e.path)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ModelFormatError", str(table)]
