"""Conventions every ``cnlp`` command follows: help without errors, one message per usage error,
exit status 0 / 1 (failure) / 2 (usage), ``-`` for stdin, ``--model DIR``, ``--corpus`` defaults from
``$CNLP_CORPORA``, compact training output, progress bars only on a terminal."""
import io
import json
import sys

import pytest

from cnlp.cli import main, progress_bar, progress_enabled
from cnlp.io import model_path


def run(argv, capsys, monkeypatch, stdin=b""):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        code = main(argv)
    except SystemExit as e:             # the option parser's usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ help and usage errors
@pytest.mark.parametrize("argv", [["eval", "--help"], ["train", "--help"], ["train", "cws", "--help"],
                                  ["classify", "predict", "--help"], ["discover", "--help"], ["--help"]])
def test_help_prints_no_error(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    out, err = capsys.readouterr()
    assert e.value.code == 0 and "usage: cnlp" in out and err == ""


@pytest.mark.parametrize("argv", [["eval", "nope", "--gold", "g", "--pred", "p"], ["train", "nope"],
                                  ["segment", "-a", "nope"], ["classify", "nope"]])
def test_invalid_choice_reported_once(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("invalid choice") == 1 and err.count("\n") == 1
    assert err.startswith("cnlp ") and ": error: " in err


@pytest.mark.parametrize("argv", [["eval"], ["train"], ["classify", "predict"]])
def test_missing_arguments_reported_once(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("required") == 1


def test_usage_errors_exit_2(capsys, monkeypatch):
    assert run(["discover", "--top", "-1", "-"], capsys, monkeypatch)[0] == 2
    code, _, err = run(["segment", "--mode", "search", "-j", "3"], capsys, monkeypatch)
    assert code == 2 and err.startswith("cnlp segment: error:")
    assert run(["eval", "cws", "--gold", "-", "--pred", "-"], capsys, monkeypatch)[0] == 2


def test_failures_exit_1(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\n")
    code, _, err = run(["segment", str(bad)], capsys, monkeypatch)
    assert code == 1 and "bad.txt:2" in err
    code, _, err = run(["segment", str(tmp_path / "missing.txt")], capsys, monkeypatch)
    assert code == 1 and "missing.txt" in err
    code, _, err = run(["classify", "predict", "--model", str(tmp_path), "-"], capsys, monkeypatch)
    assert code == 1 and "meta.json" in err


# ------------------------------------------------------------------ --model DIR
def test_model_option_for_segment_tag_ner(capsys, monkeypatch):
    code, out, _ = run(["segment", "--model", str(model_path("hmm") / "order1")], capsys, monkeypatch,
                       "每逢佳节倍思廉\n".encode())
    assert code == 0 and out == "每逢 佳节 倍 思廉\n"      # the HMM's words, not the default's (思 廉)
    code, out, _ = run(["tag", "--model", str(model_path("pos"))], capsys, monkeypatch, "我们研究生命\n".encode())
    assert code == 0 and out == "我们/r 研究/v 生命/n\n"
    # a tagger other than the default: its own tag set shows that --model is the one used
    code, out, _ = run(["tag", "--model", str(model_path("ud_pos"))], capsys, monkeypatch, "我们研究生命\n".encode())
    assert code == 0 and out == "我们/PRON 研究/VERB 生命/NOUN\n"
    code, out, _ = run(["ner", "--model", str(model_path("ner"))], capsys, monkeypatch, "江泽民在北京\n".encode())
    assert code == 0 and "]/LOC" in out


def test_model_of_the_wrong_kind_exits_1(capsys, monkeypatch):
    code, _, err = run(["tag", "--model", str(model_path("crf"))], capsys, monkeypatch, "我们\n".encode())
    assert code == 1 and "not a POS tagger" in err
    code, _, err = run(["segment", "--model", str(model_path("pos"))], capsys, monkeypatch, "我们\n".encode())
    assert code == 1 and "not a segmenter" in err
    code, _, err = run(["ner", "--model", str(model_path("pos"))], capsys, monkeypatch, "我们\n".encode())
    assert code == 1 and "not an entity recognizer" in err


def test_keywords_model_is_an_idf_table(tiny_pd98, tmp_path, capsys, monkeypatch):
    assert main(["train", "idf", "--corpus", str(tiny_pd98), "--out", str(tmp_path / "idf")]) == 0
    capsys.readouterr()
    doc = "我们研究生命的起源。生命的起源很重要。"
    code, out, _ = run(["keywords", "--model", str(tmp_path / "idf"), "-k", "3", "-"], capsys, monkeypatch,
                       doc.encode())
    assert code == 0 and len(out.split()) == 3
    code, _, err = run(["keywords", "--model", str(tmp_path / "none"), "-"], capsys, monkeypatch, doc.encode())
    assert code == 1 and "meta.json" in err


# ------------------------------------------------------------------ - for stdin
def test_classify_predict_reads_stdin(tmp_path, capsys, monkeypatch):
    data = tmp_path / "train.tsv"
    data.write_text("".join(f"pos\t很好 喜欢 满意 {i}\nneg\t很差 后悔 失望 {i}\n" for i in range(20)), "utf-8")
    assert main(["classify", "train", "--data", str(data), "--out", str(tmp_path / "m"), "--classifier", "nb",
                 "--ngrams", "none", "--min-df", "1", "-q"]) == 0
    capsys.readouterr()
    texts = "很好很满意\n很后悔\n"
    by_file = tmp_path / "in.txt"
    by_file.write_text(texts, "utf-8")
    want = run(["classify", "predict", "--model", str(tmp_path / "m"), str(by_file)], capsys, monkeypatch)[1]
    assert [line.split("\t")[0] for line in want.splitlines()] == ["pos", "neg"]
    for argv in (["-"], []):
        code, out, _ = run(["classify", "predict", "--model", str(tmp_path / "m"), *argv], capsys, monkeypatch,
                           texts.encode())
        assert code == 0 and out == want


CTX = "我你他她谁又都也把被给让"
#: a new word (喵呜嗷) in many contexts, as in tests/extract/test_discover.py
CORPUS = "".join(a + "喵呜嗷" + b + "，" + "天地玄黄宇宙洪荒"[: 2 + (i % 5)] + "\n"
                 for i, (a, b) in enumerate((a, b) for a in CTX for b in CTX))


def test_discover_and_eval_read_stdin(tmp_path, capsys, monkeypatch):
    text = CORPUS
    f = tmp_path / "c.txt"
    f.write_text(text, "utf-8")
    want = run(["discover", str(f)], capsys, monkeypatch)[1]
    code, out, _ = run(["discover", "-"], capsys, monkeypatch, text.encode())
    assert code == 0 and out == want and out
    gold = tmp_path / "gold"
    gold.write_text("共同  创造\n", "utf-8")
    code, out, _ = run(["eval", "cws", "--gold", str(gold), "--pred", "-"], capsys, monkeypatch, "共同 创造\n".encode())
    assert code == 0 and "f1          1.0000" in out


# ------------------------------------------------------------------ CNLP_CORPORA defaults
def test_corpus_default_needs_the_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CNLP_CORPORA", raising=False)
    for task in ("cws", "pos", "hmm", "bigram", "dict", "stats", "idf", "ner"):
        code, _, err = run(["train", task, "--out", str(tmp_path / task)], capsys, monkeypatch)
        assert code == 2 and "CNLP_CORPORA" in err, task
    monkeypatch.setenv("CNLP_CORPORA", str(tmp_path))
    code, _, err = run(["train", "cws", "--out", str(tmp_path / "m")], capsys, monkeypatch)
    assert code == 1 and str(tmp_path / "pd1998" / "199801.txt") in err and "CNLP_CORPORA" in err


def test_corpus_default_is_read_from_the_variable(tiny_pd98, tmp_path, capsys, monkeypatch):
    root = tmp_path / "corpora"
    (root / "pd1998").mkdir(parents=True)
    (root / "pd1998" / "199801.txt").write_bytes(tiny_pd98.read_bytes())
    monkeypatch.setenv("CNLP_CORPORA", str(root))
    code, out, _ = run(["train", "dict", "--out", str(tmp_path / "d")], capsys, monkeypatch)
    assert code == 0
    meta = json.loads((tmp_path / "d" / "meta.json").read_text("utf-8"))
    assert meta["source"] == [str(root / "pd1998" / "199801.txt")] and meta["n_words"] > 10


# ------------------------------------------------------------------ compact training output
def test_training_prints_one_summary_line(tiny_pd98, tmp_path, capsys):
    assert main(["train", "cws", "--corpus", str(tiny_pd98), "--out", str(tmp_path / "cws"), "--n-iter", "3",
                 "--dev-ratio", "0.2", "--bits", "16", "--folds", "2", "--seeds", "1"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and "dev F1 last" in out and "meta.json" in out and err == ""
    log = json.loads((tmp_path / "cws" / "meta.json").read_text("utf-8"))["training_log"]
    assert [e["epoch"] for e in log] == list(range(1, len(log) + 1)) and len(log) >= 1


@pytest.mark.parametrize("order,shown", [(1, False), (2, True)])
def test_hmm_prints_lambdas_only_for_order_2(order, shown, tiny_pd98, tmp_path, capsys):
    assert main(["train", "hmm", "--corpus", str(tiny_pd98), "--order", str(order), "--out", str(tmp_path / "h")]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and ("lambdas=" in out) == shown


# ------------------------------------------------------------------ progress bars
class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import argparse
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not progress_enabled(None)
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert progress_enabled(None) and not progress_enabled(argparse.Namespace(quiet=True))
    bar = progress_bar(argparse.Namespace(quiet=False), total=3, desc="work")
    bar.update(3)
    bar.close()
    assert "work" in tty.getvalue()
    quiet = progress_bar(argparse.Namespace(quiet=True))
    quiet.update(1)
    quiet.close()
    assert "tqdm" not in type(quiet).__module__


def test_discover_bar_on_a_terminal_and_quiet(tmp_path, monkeypatch, capsys):
    f = tmp_path / "c.txt"
    f.write_text(CORPUS, "utf-8")
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["discover", "--min-freq", "2", str(f)]) == 0
    assert "counting" in tty.getvalue()
    tty2 = _Tty()
    monkeypatch.setattr(sys, "stderr", tty2)
    assert main(["discover", "--min-freq", "2", "-q", str(f)]) == 0
    assert tty2.getvalue() == ""


def test_parse_refuses_before_loading_models(tmp_path, capsys, monkeypatch):
    from cnlp import models
    monkeypatch.setattr(models, "parser", lambda *a, **k: pytest.fail("a model was loaded"))
    code, _, err = run(["parse", "--beam", "0"], capsys, monkeypatch)
    assert code == 2 and err.strip() == ("cnlp parse: error: argument --beam: expected an integer >= 1, got '0' "
                                         "(see 'cnlp parse --help')")
    code, _, err = run(["parse", str(tmp_path / "missing.txt")], capsys, monkeypatch)
    assert code == 1 and len(err.splitlines()) == 1 and "missing.txt" in err


@pytest.mark.parametrize("argv, msg", [
    (["segment", "-a", "fmm", "--model", "M"], "-a/--algorithm fmm and --model M both choose the segmenter"),
    (["segment", "--dictionary", "D", "--model", "M"], "--dictionary and --model both choose the segmenter"),
    (["segment", "-a", "crf", "--dictionary", "D"], "--dictionary replaces the dictionary of the max-match"),
    (["segment", "--pure"], "--pure applies to --dictionary"),
    (["tag", "-a", "fmm", "--segmenter", "M"], "-a/--algorithm fmm and --segmenter M both choose the segmenter"),
])
def test_conflicting_segmenter_options_exit_2(argv, msg, capsys, monkeypatch):
    code, out, err = run(argv, capsys, monkeypatch, stdin="研究\n".encode())
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and msg in err


def test_segment_dictionary_accepts_a_bundle(tmp_path, capsys, monkeypatch):
    words = tmp_path / "words.txt"
    words.write_text("商品\n服务\n研究生\n生命\n起源\n研究\n", encoding="utf-8")
    bundle = tmp_path / "dict"
    assert run(["train", "dict", "--corpus", str(words), "--format", "words", "--out", str(bundle)],
               capsys, monkeypatch)[0] == 0
    text = "研究生命起源商品和服务\n".encode()
    got = {}
    for d in (words, bundle):
        code, got[d], _ = run(["segment", "--dictionary", str(d)], capsys, monkeypatch, stdin=text)
        assert code == 0
    assert got[words] == got[bundle] == "研究 生命 起源 商品 和 服务\n"
    code, _, err = run(["segment", "--model", str(bundle)], capsys, monkeypatch, stdin=text)
    assert code == 1 and "give it with --dictionary" in err
