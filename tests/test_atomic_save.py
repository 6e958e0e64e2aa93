"""A training command killed (SIGKILL) while it saves into an existing model directory leaves the
previous model intact: it still loads and gives the previous output (cnlp.io.atomic_directory)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY_PD98

ROOT = Path(__file__).resolve().parents[1]
TEXT = "我们研究生命的起源，商品和服务都很好。"
OTHER_PD98 = "\n".join(reversed(TINY_PD98.splitlines())) + "\n研究生/n  命/n  很/d  好/a  。/w\n"

#: a child that runs the CLI and kills itself with SIGKILL at a point of the save:
#: "write" right after the first arrays.npz is written (a half-written bundle in the temporary
#: directory), "commit" just before the new directory would replace the old one
_KILLER = """
import os, signal, sys
import numpy as np
import cnlp.io as io
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
if sys.argv[1] == "write":
    orig = np.savez_compressed
    def savez(*a, **k):
        orig(*a, **k)
        die()
    np.savez_compressed = savez
else:
    io._exchange = die
from cnlp.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _use(task: str, d: Path):
    if task == "dict":
        from cnlp.dictionary import Dictionary
        return sorted(Dictionary.load(d).words())
    if task == "stats":
        from cnlp.corpus.stats import CorpusStats
        s = CorpusStats.load(d)
        return s.n_words, s.n_sentences, s.word_count("商品")
    if task == "idf":
        from cnlp.extract.idf import IDFTable
        t = IDFTable.load(d)
        return len(t), t.idf("商品"), t.idf("研究生")
    if task == "pos":
        from cnlp.pos.tagger import POSTagger
        return POSTagger.load(d).predict(["我们", "研究", "生命"])
    if task == "classify":
        from cnlp.classify import TextClassifier
        return list(TextClassifier.load(d).predict(["很满意", "很失望"]))
    if task == "ner":
        from cnlp.entities.recognizer import EntityRecognizer
        from cnlp import models
        return EntityRecognizer.load(d, segmenter=models.crf(), pos=models.pos_tagger()).predict_spans("王明在北京大学研究生命的起源")
    if task == "dep":
        from cnlp.parsing.parser import ArcHybridParser
        return ArcHybridParser.load(d).parse(["他", "喜欢", "北京", "。"], ["PRON", "VERB", "PROPN", "PUNCT"])
    from cnlp.registry import load
    return load(d).segment(TEXT)


TASKS = {
    "dict": ["train", "dict", "--corpus", "{c}"],
    "stats": ["train", "stats", "--corpus", "{c}"],
    "idf": ["train", "idf", "--corpus", "{c}"],
    "hmm": ["train", "hmm", "--corpus", "{c}"],
    "bigram": ["train", "bigram", "--corpus", "{c}"],
    "cws": ["train", "cws", "--corpus", "{c}", "--n-iter", "2", "--dev-ratio", "0", "--bits", "16", "--folds", "2"],
    "pos": ["train", "pos", "--corpus", "{c}", "--n-iter", "2", "--test-ratio", "0", "--dev-ratio", "0",
            "--bits", "16", "--folds", "2"],
    "classify": ["classify", "train", "--data", "{c}", "--k", "4", "--model", "nb", "--min-df", "1"],
    "ner": ["train", "ner", "--msra", "{c}", "--n-iter", "2", "--dev-ratio", "0", "--bits", "16", "--folds", "2"],
    "dep": ["train", "dep", "--component", "parser", "--corpus", "{c}", "--dev", "{c}", "--n-iter", "2",
            "--beam", "1", "--bits", "16"],
}
#: where each task is killed (one point per task keeps the test fast; both kinds are covered)
KILL_POINTS = {"dict": ["write"], "stats": ["commit"], "idf": ["write"], "hmm": ["commit"], "bigram": ["write"],
               "cws": ["commit"], "pos": ["write", "commit"], "classify": ["write"], "ner": ["write", "commit"],
               "dep": ["write", "commit"]}
#: a tiny CoNLL-U treebank
CONLLU = ["1\t他\t_\tPRON\t_\t_\t2\tnsubj\t_\t_", "2\t喜欢\t_\tVERB\t_\t_\t0\troot\t_\t_",
          "3\t北京\t_\tPROPN\t_\t_\t2\tobj\t_\t_", "4\t。\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_"]
#: a tiny MSRA-format (char<TAB>BIO tag) corpus
NER_SENTS = [("王明在北京大学工作", [(0, 2, "PER"), (3, 7, "ORG")]), ("李华去上海", [(0, 2, "PER"), (3, 5, "LOC")]),
             ("我们在北京", [(3, 5, "LOC")])]
CLASSIFY = ["pos\t很满意，推荐", "neg\t很失望，后悔", "pos\t满意", "neg\t失望"]


def _corpora(tmp_path, task):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    if task == "classify":
        a.write_text("\n".join(CLASSIFY) + "\n", "utf-8")
        b.write_text("\n".join(CLASSIFY[::-1] + ["pos\t推荐"]) + "\n", "utf-8")
    elif task == "dep":
        a.write_text(("\n".join(CONLLU) + "\n\n") * 3, "utf-8")
        b.write_text(("\n".join(CONLLU[:2] + [CONLLU[3].replace("4\t", "3\t", 1)]) + "\n\n") * 4, "utf-8")
    elif task == "ner":
        from cnlp.entities.data import write_bio
        write_bio(NER_SENTS * 3, a)
        write_bio(NER_SENTS[::-1] * 4, b)
    else:
        a.write_text(TINY_PD98, "utf-8")
        b.write_text(OTHER_PD98, "utf-8")
    return a, b


def _cli(args, kill=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "cnlp", *args] if kill is None else [sys.executable, "-c", _KILLER, kill, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(TASKS))
def test_sigkill_during_save_keeps_previous_model(tmp_path, task):
    a, b = _corpora(tmp_path, task)
    out = tmp_path / "model"
    args = [x.format(c=a) for x in TASKS[task]] + ["--out", str(out)]
    done = _cli(args)
    assert done.returncode == 0, done.stderr[-2000:]
    before = _use(task, out)
    files = sorted(p.relative_to(out) for p in out.rglob("*"))
    for kill in KILL_POINTS[task]:
        args = [x.format(c=b) for x in TASKS[task]] + ["--out", str(out)]
        res = _cli(args, kill)
        assert res.returncode == -signal.SIGKILL, (kill, res.returncode, res.stderr[-2000:])
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == files
        assert _use(task, out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".model.")]
    assert all(".tmp-" in n for n in leftovers)          # a killed save leaves only its temporary dir


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_later_save_removes_stale_temporaries_of_dead_processes(tmp_path):
    """A save killed with SIGKILL leaves .NAME.tmp-PID-HOST-*; the next save of NAME removes it
    (its process is gone), and keeps those of live processes, other hosts and other targets."""
    from cnlp.io import _host_tag, atomic_directory
    host, dead = _host_tag(), _dead_pid()
    stale = [tmp_path / f".model.tmp-{dead}-{host}-abc123", tmp_path / f".model.old-{dead}-{host}-x_9"]
    keep = [tmp_path / f".model.tmp-{os.getppid()}-{host}-live01",        # a running process
            tmp_path / f".model.tmp-{dead}-00000000-other1",               # another host
            tmp_path / f".other.tmp-{dead}-{host}-abc123",                 # another target
            tmp_path / ".model.tmp-legacy"]                                # not named by the scheme
    for d in stale + keep:
        (d / "dict").mkdir(parents=True)
        (d / "dict" / "arrays.npz").write_bytes(b"half written")
    for _ in range(2):                                                     # a new bundle, then a replacement
        with atomic_directory(tmp_path / "model") as out:
            (out / "meta.json").write_text("{}", "utf-8")
            assert out.name.startswith(f".model.tmp-{os.getpid()}-{host}-")
        assert not any(d.exists() for d in stale)
        assert all(d.is_dir() for d in keep)
    assert (tmp_path / "model" / "meta.json").read_text("utf-8") == "{}"
    assert not (tmp_path / "model" / ".model.tmp-legacy").exists()
