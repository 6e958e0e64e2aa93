"""Training on an empty corpus: one line on stderr, exit status 1, no model written."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("task", ["dict", "stats", "idf", "bigram", "hmm", "cws", "pos"])
def test_train_on_an_empty_corpus_is_refused(tmp_path, task):
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    out = tmp_path / "model"
    r = subprocess.run([sys.executable, "-m", "cnlp", "train", task, "--corpus", str(empty), "--out", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "empty" in r.stderr
    assert not out.exists()


def test_require_data_is_a_value_error():
    from cnlp.errors import EmptyCorpusError, require_data
    require_data(3, "x.txt")
    with pytest.raises(EmptyCorpusError, match="x.txt: no words"):
        require_data(0, "x.txt", "words")
    assert issubclass(EmptyCorpusError, ValueError)


@pytest.mark.parametrize("argv", [["dep", "--corpus", "{e}", "--dev", "{e}"],
                                  ["dep", "--component", "tagger", "--corpus", "{e}", "--dev", "{e}"],
                                  ["ner", "--msra", "{e}"]])
def test_train_dep_and_ner_on_an_empty_corpus_are_refused(tmp_path, argv):
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    out = tmp_path / "model"
    r = subprocess.run([sys.executable, "-m", "cnlp", "train", *[a.format(e=empty) for a in argv], "--out", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert str(empty) in r.stderr and "empty" in r.stderr
    assert not out.exists()


def test_library_trainers_refuse_no_data():
    from cnlp.errors import EmptyCorpusError
    from cnlp.parsing.parser import ArcHybridParser
    from cnlp.train.ner import train_ner
    with pytest.raises(EmptyCorpusError):
        ArcHybridParser(n_iter=1).fit([])
    with pytest.raises(EmptyCorpusError):
        train_ner([("", [])], segmenter=None, pos=None, verbose=False)
