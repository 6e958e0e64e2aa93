"""Every code example in README.md and docs/*.md runs as written.

* ``python`` blocks with ``>>>`` prompts run as doctests: their printed results are checked.
* Other ``python`` blocks run top to bottom in one namespace per file (a block may use what an
  earlier block of the same file defined), in a scratch directory that
  holds the small files the examples name (``big.txt``, ``user.txt``, ...; see ``FIXTURES``) and
  the variables they use (``text``, ``texts``, ``labels``, ...).
* ``bash`` blocks: every command line runs in that directory, with ``cnlp`` meaning this checkout's
  command line; a line whose comment is exactly what the command prints (``echo X | cnlp ner  # out``)
  has its output checked too. Synopsis lines (``[--option]``, ``DIR``/``FILE`` place-holders) are
  reference, not examples: they are counted as such and not run.

A block preceded by ``<!-- not run: reason -->`` is skipped and its reason listed; so is a
block that needs the shared corpora when they are absent. ``test_docs_examples_summary``
prints the counts (``pytest -s``).
"""
from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnlp.io import corpora_dir

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CORPORA = corpora_dir()

_FENCE = re.compile(r"^```(\w*)\s*$")
_SKIP = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")
#: place-holders and option brackets that make a line a synopsis rather than a runnable example
_SYNOPSIS = re.compile(r"\[[^\]]*\]|\b(DIR|FILE|PATH|GOLD|PRED|TRAINING_WORDS|ALGO|DELIM|NAME|N)\b|\.\.\.|\bA\b \|")

TEXT = ("新华社北京十二月三十一日电 国家主席江泽民发表一九九八年新年讲话。他说，一九九七年是中国发展历史上"
        "非常重要的很不平凡的一年。中国人民决心继承邓小平同志的遗志，继续把建设有中国特色社会主义事业推向前进。"
        "中国政府顺利恢复对香港行使主权，并按照“一国两制”、“港人治港”、高度自治的方针保持香港的繁荣稳定。")
LINES = ["商品和服务", "研究生命起源", "他在北京工作。", "江泽民在北京会见了华为公司的代表", TEXT]
REVIEWS = ["质量很好，非常满意，推荐购买", "物流很快，包装完好，好评", "非常好用，性价比高", "不错，下次还来",
           "质量太差，退货了", "很失望，不推荐", "客服态度恶劣，差评", "用了两天就坏了，太差"]


def _conllu() -> str:
    return ("# text = 他喜欢北京。\n1\t他\t他\tPRON\tPN\t_\t2\tnsubj\t_\tSpaceAfter=No\n"
            "2\t喜欢\t喜欢\tVERB\tVV\t_\t0\troot\t_\tSpaceAfter=No\n3\t北京\t北京\tPROPN\tNNP\t_\t2\tobj\t_\tSpaceAfter=No\n"
            "4\t。\t。\tPUNCT\t.\t_\t2\tpunct\t_\tSpaceAfter=No\n\n")


#: file name -> content, written into the scratch directory every example runs in
FIXTURES = {
    "big.txt": "\n".join(LINES * 5) + "\n",
    "corpus.txt": "\n".join(LINES * 20) + "\n",
    "reviews.txt": "\n".join(REVIEWS * 10) + "\n",
    "more.txt": "\n".join(REVIEWS[::-1] * 10) + "\n",
    "raw.txt": "江泽民在北京。\n",
    "input.txt": "\n".join(REVIEWS) + "\n",
    "article.txt": TEXT + "\n",
    "a.txt": TEXT + "\n",
    "b.txt": "\n".join(LINES[:4]) + "\n",
    "lines.txt": "\n".join(LINES) + "\n",
    "my_corpus.txt": "\n".join(LINES * 3) + "\n",
    "user.txt": "李小福 3 nr\n创新办 3 i\n云计算 5\n",
    "my_words.txt": "研究生\n命\n起源\n生命\n研究\n",
    "entities.txt": "长城电脑 ORG force\n小米 ORG\n",
    "pos.txt": "\n".join(REVIEWS[:4] * 3) + "\n",
    "neg.txt": "\n".join(REVIEWS[4:] * 3) + "\n",
    "train.tsv": "".join(f"{'pos' if i < 4 else 'neg'}\t{r}\n" for i, r in enumerate(REVIEWS)) * 3,
    "tagged.txt": "我们/r  研究/v  生命/n  。/w\n商品/n  和/c  服务/vn  。/w\n" * 30,
    "gold.txt": "江泽民/nr  在/p  北京/ns  。/w\n",        # raw.txt, tagged
    "training_words.txt": "江泽民\n在\n北京\n",
    "gold.bio": "江\tB-PER\n泽\tI-PER\n民\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n。\tO\n\n",
    "train.bio": ("江\tB-PER\n泽\tI-PER\n民\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n\n") * 20,
    "gold.conllu": _conllu(),
    "train.conllu": _conllu() * 5,
    "dev.conllu": _conllu(),
}
#: model directories the examples load by name -> the shipped model standing in for the user's own
MODEL_DIRS = {"my_cws_model": "crf", "my_pos_model": "pos"}
#: variables the Python examples use without defining them
NAMESPACE = {
    "text": TEXT,
    "texts": REVIEWS * 3,
    "labels": (["pos"] * 4 + ["neg"] * 4) * 3,
    "words": ["他", "喜欢", "北京", "。"],
    "upos": ["PRON", "VERB", "PROPN", "PUNCT"],
}


def _blocks(path: Path):
    """-> list of (lang, first line number, code, skip reason or None)"""
    out, lines = [], path.read_text(encoding="utf-8").splitlines()
    i, pending_skip = 0, None
    while i < len(lines):
        m = _SKIP.search(lines[i])
        if m:
            pending_skip = m.group(1)
        fence = _FENCE.match(lines[i])
        if fence and fence.group(1):
            lang, start, body = fence.group(1), i + 2, []
            i += 1
            while i < len(lines) and not _FENCE.match(lines[i]):
                body.append(lines[i])
                i += 1
            out.append((lang, start, "\n".join(body) + "\n", pending_skip))
            pending_skip = None
        elif fence:       # a plain fence: skip its body
            i += 1
            while i < len(lines) and not _FENCE.match(lines[i]):
                i += 1
        elif lines[i].strip() and not m:
            pending_skip = None if not lines[i].lstrip().startswith("<!--") else pending_skip
        i += 1
    return out


def _needs_corpora(code: str) -> bool:
    return "shared/corpora" in code or "$CNLP_CORPORA" in code


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory):
    return tmp_path_factory.mktemp("docs")


def _scratch(root: Path, doc: Path) -> Path:
    """The directory the examples of one documentation file run in, with fresh fixtures: a file an
    example writes (``printf ... > user.txt``) is seen by the later examples of that file only."""
    d = root / doc.stem
    if d.exists():
        return d
    d.mkdir()
    for name, content in FIXTURES.items():
        (d / name).write_text(content, encoding="utf-8")
    from cnlp.io import model_path
    for name, model in MODEL_DIRS.items():
        (d / name).symlink_to(model_path(model), target_is_directory=True)
    # the shared corpora at the place the docs name them (../shared/corpora from the repository)
    (d / "repo").mkdir()
    if CORPORA.is_dir():
        (d / "shared").mkdir()
        (d / "shared" / "corpora").symlink_to(CORPORA)
    return d


def _shell_lines(code: str):
    """Runnable command lines of a bash block (continuations joined), and the synopsis ones."""
    joined, cur = [], ""
    for line in code.splitlines():
        cur += line.rstrip("\\") + (" " if line.endswith("\\") else "")
        if not line.endswith("\\"):
            joined.append(cur)
            cur = ""
    run, synopsis = [], []
    for line in joined:
        cmd, _, comment = line.partition("  #")
        cmd = cmd.strip()
        if not cmd or cmd.startswith("#"):
            continue
        (synopsis if _SYNOPSIS.search(cmd) else run).append((cmd, comment.strip()))
    return run, synopsis


def _cnlp_env(scratch: Path) -> dict:
    env = dict(os.environ)
    bindir = scratch / "bin"
    if not bindir.exists():
        bindir.mkdir()
        (bindir / "cnlp").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnlp "$@"\n')
        (bindir / "cnlp").chmod(0o755)
    env["PATH"] = f"{bindir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("CNLP_CORPORA", str(CORPORA))
    return env


pytestmark = pytest.mark.slow      # starts the command line ~25 times

_NAMESPACES: dict = {}
CASES = [(p, b) for p in DOCS for b in _blocks(p) if b[0] in ("python", "bash")]
SUMMARY: dict[str, list] = {"doctest examples": [], "python blocks": [], "shell commands": [],
                            "synopsis lines": [], "not run": []}


def _case_id(case):
    path, (lang, line, _, _) = case
    return f"{path.relative_to(ROOT)}:{line}:{lang}"


@pytest.fixture
def undo_process_words(monkeypatch):
    """Every block starts from the process-wide user and entity dictionaries it found: the words and
    entities an example adds (``add_word``, ``load_user_dict``, ``add_entity``, ``load_entity_dict``)
    are removed after it, through the public API."""
    import cnlp
    from cnlp.dictionary import UserDictionary
    words, ents = [], []
    add_word, load_user_dict = cnlp.add_word, cnlp.load_user_dict
    add_entity, load_entity_dict = cnlp.add_entity, cnlp.load_entity_dict

    def rec(f, sink, key):
        def wrapped(*a, **k):
            sink.extend(key(*a, **k))
            return f(*a, **k)
        return wrapped

    def entity_texts(path, *a, **k):
        with open(path, encoding="utf-8") as f:
            return [line.split()[0] for line in f if line.split()]

    monkeypatch.setattr(cnlp, "add_word", rec(add_word, words, lambda w, *a, **k: [w]))
    monkeypatch.setattr(cnlp, "load_user_dict", rec(load_user_dict, words, lambda p, *a, **k: list(UserDictionary.load(p))))
    monkeypatch.setattr(cnlp, "add_entity", rec(add_entity, ents, lambda t, *a, **k: [t]))
    monkeypatch.setattr(cnlp, "load_entity_dict", rec(load_entity_dict, ents, entity_texts))
    yield
    for w in words:
        cnlp.del_word(w)
    for t in ents:
        cnlp.del_entity(t)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_docs_example(case, scratch_root, monkeypatch, undo_process_words):
    path, (lang, line, code, skip) = case
    scratch = _scratch(scratch_root, path)
    where = f"{path.relative_to(ROOT)}:{line}"
    if skip:
        SUMMARY["not run"].append(f"{where}: {skip}")
        pytest.skip(skip)
    if _needs_corpora(code) and not (CORPORA / "pd1998" / "199801.txt").is_file():
        pytest.skip(f"needs the shared corpora ({CORPORA})")
    monkeypatch.chdir(scratch / "repo" if "../shared/corpora" in code else scratch)
    if lang == "python" and ">>>" in code:
        import cnlp
        test = doctest.DocTestParser().get_doctest(code, dict(NAMESPACE, cnlp=cnlp), where, str(path), line - 1)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=lambda s: SUMMARY.setdefault("_failures", []).append(s))
        failed = runner.failures
        assert failed == 0, "".join(SUMMARY.pop("_failures", []))
        SUMMARY["doctest examples"].append(f"{where}: {len(test.examples)}")
    elif lang == "python":
        ns = _NAMESPACES.setdefault(path, dict(NAMESPACE, __name__="__docs__"))
        try:
            exec(compile(code, where, "exec"), ns)
        except Exception as e:   # noqa: BLE001 — the message names the doc and line
            raise AssertionError(f"{where}: the example raises {type(e).__name__}: {e}") from e
        SUMMARY["python blocks"].append(where)
    else:
        run, synopsis = _shell_lines(code)
        SUMMARY["synopsis lines"].extend(f"{where}: {c}" for c, _ in synopsis)
        env = _cnlp_env(scratch)
        for cmd, comment in run:
            if cmd.startswith(("pip install", "python -m pytest", "python benchmarks/")):
                SUMMARY["not run"].append(f"{where}: {cmd} (installs, the test suite or a benchmark)")
                continue
            r = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd}"], cwd=os.getcwd(), env=env,
                               capture_output=True, text=True, timeout=600)
            assert r.returncode == 0, f"{where}: `{cmd}` exits {r.returncode}:\n{r.stderr[-2000:]}"
            out = r.stdout.strip()
            if comment and "\n" not in out and comment.startswith(out[:1] or "\0") and "|" in cmd:
                assert out == comment, f"{where}: `{cmd}` prints {out!r}, the docs say {comment!r}"
            SUMMARY["shell commands"].append(f"{where}: {cmd}")


def test_docs_examples_summary():
    """Reports what the examples test ran (run with ``-s`` to see it); runs last in this file."""
    lines = [f"{k}: {len(v)}" for k, v in SUMMARY.items() if not k.startswith("_")]
    print("\ndocs examples — " + ", ".join(lines))
    for reason in SUMMARY["not run"]:
        print(f"  not run: {reason}")
    assert len(CASES) > 20, "no documentation code blocks found"
