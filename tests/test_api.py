"""The one-call API: every registered segmenter over its shipped model."""
import threading

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import cnlp
from cnlp import registry

ALGOS = sorted(registry.SEGMENTERS)

NASTY = ["", " ", "\n", "\t\r\n", "😀👍🏽", "e\u0301", "\x00\x01\x7f", "a\ud800b", "\udfff",
         "ＡＢＣ１２３", "中文English混合123", "１９９８年１２月３１日", "二○○一年", "  多个  空格 ",
         "[(（《》）)]", "一" * 300, "ab" * 200, "中\u200b文", "\ufeff开头"]


def test_type_errors():
    with pytest.raises(TypeError, match="expects str, got NoneType"):
        cnlp.segment(None)
    with pytest.raises(TypeError, match="bytes"):
        cnlp.segment(b"\xe4\xb8\xad")
    with pytest.raises(TypeError, match="expects str"):
        list(cnlp.tokenize(123))


def test_unknown_algorithm_lists_choices():
    with pytest.raises(ValueError, match=r"unknown algorithm 'nope'.*'bimm'"):
        cnlp.segment("中文", algorithm="nope")


@pytest.mark.parametrize("algo", ALGOS)
def test_lossless_nasty_inputs(algo):
    for s in NASTY:
        words = cnlp.segment(s, algorithm=algo)
        assert "".join(words) == s
        assert all(words)
        assert [w for w, _, _ in cnlp.tokenize(s, algorithm=algo)] == words


@pytest.mark.parametrize("algo", ALGOS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
       | st.text(alphabet="中国人民银行研究生命起源的一二三〇１２3a ，。、", max_size=60))
def test_lossless_property(algo, s):
    assert "".join(cnlp.segment(s, algorithm=algo)) == s


@pytest.mark.parametrize("algo", ALGOS)
def test_one_megabyte_line(algo):
    s = ("中华人民共和国研究生命起源的问题" * 70000)[:1_000_000]
    words = cnlp.segment(s, algorithm=algo)
    assert "".join(words) == s
    assert len(words) > 100_000


def test_tokenize_offsets():
    s = "我们研究生命起源。ABC 123"
    toks = list(cnlp.tokenize(s))
    assert [w for w, _, _ in toks] == cnlp.segment(s)
    assert toks[0][1] == 0 and toks[-1][2] == len(s)
    assert all(a == prev_b for (_, a, _), (_, _, prev_b) in zip(toks[1:], toks))   # contiguous
    for w, a, b in toks:
        assert s[a:b] == w
    assert ("研究", 2, 4) in toks and ("ABC", 9, 12) in toks


def test_segment_many_keeps_order_and_count():
    lines = ["第一行", "", "第三行 abc", "😀", "研究生命起源"] * 3
    out = list(cnlp.segment_many(lines))
    assert out == [cnlp.segment(line) for line in lines]


def test_default_loads_once_under_threads():
    from cnlp import models
    for key in [k for k in models._cache if isinstance(k, tuple) and k[0] == "default segmenter"]:
        del models._cache[key]
    cnlp._segmenters.clear()
    seen = []
    def work():
        seen.append(id(cnlp.get_segmenter()))
    ts = [threading.Thread(target=work) for _ in range(8)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    assert len(set(seen)) == 1


def test_segment_stays_a_function_after_submodule_imports():
    import importlib
    importlib.import_module("cnlp.segmentation.base")
    importlib.import_module("cnlp.segmentation.hmm")
    assert callable(cnlp.segment)
    assert "".join(cnlp.segment("中文")) == "中文"


@pytest.mark.slow
def test_segment_many_line_terminators_and_jobs():
    import cnlp
    lines = ["商品和服务\n", "研究生命起源\r\n", "", "他来了\r", "最后"]
    got = list(cnlp.segment_many(lines))
    assert [w[-1] for w in got[:2]] == ["\n", "\r\n"] and got[2] == [] and got[3][-1] == "\r"
    assert all("".join(w) == x for w, x in zip(got, lines))
    assert got[0][:-1] == cnlp.segment("商品和服务") and got[1][:-1] == cnlp.segment("研究生命起源")
    assert list(cnlp.segment_many(iter(lines), n_jobs=2, chunk_size=2)) == got
    with pytest.raises(TypeError, match="single str"):
        cnlp.segment_many("商品和服务")


def test_functions_named_like_subpackages_survive_their_import():
    import importlib
    import cnlp
    for mod in ("cnlp.entities.recognizer", "cnlp.entities.features", "cnlp.parsing.parser", "cnlp.segmentation.lattice"):
        importlib.import_module(mod)
    assert callable(cnlp.ner) and callable(cnlp.parse) and callable(cnlp.segment)
    assert cnlp.ner.__module__ == "cnlp" and cnlp.parse.__module__ == "cnlp"
    import cnlp.segmentation.lattice as lattice          # the plain import form works too
    assert lattice.LatticeSegmenter and callable(cnlp.segment)


def test_add_word_bad_pos_never_erases_the_tag():
    import cnlp
    try:
        cnlp.add_word("测试词", pos="nz")
        with pytest.raises(ValueError, match="malformed POS tag 'BO GUS'"):
            cnlp.add_word("测试词", pos="BO GUS")
        cnlp.add_word("测试词", freq=10)
        assert ("测试词", "nz") in cnlp.tag("这是测试词")
    finally:
        cnlp.del_word("测试词")


# ------------------------------------------------------------------ library conventions
def test_extraction_functions_have_the_library_signatures():
    """``cnlp.keywords/summarize/discover_words`` name their options (no ``**kwargs``), with the
    defaults of the library functions they call."""
    import inspect
    import cnlp
    from cnlp.extract import discover, keywords, summarize
    for front, lib in ((cnlp.keywords, keywords.keywords), (cnlp.summarize, summarize.summarize),
                       (cnlp.discover_words, discover.discover_words)):
        a, b = inspect.signature(front).parameters, inspect.signature(lib).parameters
        assert not any(p.kind is p.VAR_KEYWORD for p in a.values()), front.__name__
        assert list(a) == list(b), front.__name__
        assert {k: (p.default, p.kind) for k, p in a.items()} == {k: (p.default, p.kind) for k, p in b.items()}


def test_public_names_and_help():
    import pydoc
    import cnlp
    assert all(not n.startswith("_") or n == "__version__" for n in cnlp.__all__)
    assert all(hasattr(cnlp, n) for n in cnlp.__all__)
    assert {"threading", "deque", "Iterable", "check_str", "annotations"}.isdisjoint(dir(cnlp))
    text = pydoc.render_doc(cnlp, renderer=pydoc.plaintext)
    assert "Segmentation" in text and "Extraction" in text and "_derived" not in text
    from cnlp.doc import Entity
    assert cnlp.Entity is Entity and "Entity" in cnlp.ner.__doc__
    assert all(isinstance(e, cnlp.Entity) for e in cnlp.ner("江泽民在北京"))


def test_py_typed_is_shipped():
    import configparser
    from pathlib import Path
    import cnlp
    assert (Path(cnlp.__file__).parent / "py.typed").is_file()
    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parents[1] / "setup.cfg")
    assert "py.typed" in cfg["options.package_data"]["cnlp"]


def test_jieba_aliases():
    import types
    import cnlp
    words = cnlp.lcut("商品和服务")
    assert isinstance(words, list) and words == cnlp.segment("商品和服务")
    it = cnlp.cut("商品和服务")
    assert not isinstance(it, list) and iter(it) is it and list(it) == words
    with pytest.raises(TypeError):
        cnlp.cut(b"bytes")                    # checked at the call
    assert not isinstance(cnlp.cut, types.GeneratorType)


def test_load_user_dict_accepts_an_open_file(tmp_path):
    import io
    import cnlp
    try:
        cnlp.load_user_dict(io.BytesIO("石墨烯烯 force\n".encode()))
        f = io.StringIO("和服服 force\n")
        cnlp.load_user_dict(f)
        assert not f.closed
        assert {"石墨烯烯", "和服服"} <= set(cnlp.segment("石墨烯烯和服服"))
    finally:
        cnlp.del_word("石墨烯烯")
        cnlp.del_word("和服服")


def test_a_str_user_dict_is_a_path_said_clearly():
    import cnlp
    with pytest.raises(FileNotFoundError, match=r"read as the path .* pass a list \(user_dict=\['和服'\]\)"):
        cnlp.segment("穿和服", user_dict="和服")
    assert "和服" in cnlp.segment("穿和服", user_dict=["和服"])


def test_everything_but_classification_works_without_scikit_learn(tmp_path):
    """scikit-learn is the optional dependency of ``cnlp[classify]``: segmentation, tagging, NER,
    parsing, keywords and summaries run without it; classification says how to install it."""
    import configparser
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    cfg = configparser.ConfigParser()
    cfg.read(root / "setup.cfg")
    assert "scikit-learn" not in cfg["options"]["install_requires"] and "scipy" in cfg["options"]["install_requires"]
    assert "scikit-learn" in cfg["options.extras_require"]["classify"]
    assert "scikit-learn" in cfg["options.extras_require"]["test"]
    code = r'''
import sys
sys.modules["sklearn"] = None                    # as if scikit-learn were not installed
import cnlp
assert cnlp.segment("商品和服务") == ["商品", "和", "服务"]
assert cnlp.tag("他在北京") and cnlp.ner("江泽民在北京") and cnlp.parse("他喜欢北京。").words
assert cnlp.keywords("他喜欢北京的秋天。", 2) and cnlp.summarize("他喜欢北京。北京很美。", 1)
assert cnlp.keywords("他喜欢北京的秋天。", 2, algorithm="textrank")
import cnlp.classify
try:
    cnlp.classify.TextClassifier
except ModuleNotFoundError as e:
    assert "cnlp[classify]" in str(e)
else:
    raise AssertionError("no error")
from cnlp.cli import main
sys.exit(main(["classify", "predict", "--model", sys.argv[1]]))
'''
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=root,
                       input="")
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("cnlp classify predict: error: cnlp.classify needs scikit-learn") \
        and len(r.stderr.splitlines()) == 1
