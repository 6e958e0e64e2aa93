"""Hardening: processes (fork, read-only installs, pipes, signals) and inputs at the edges
(out-of-range numbers, lone surrogates, malformed corpora, combining marks)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cnlp
from cnlp.errors import CorpusFormatError

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _py(code: str, timeout: float = 120, env=None, **kw):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env=env or ENV, **kw)


# ------------------------------------------------------------------ 6. fork while a lock is held
@pytest.mark.slow
def test_fork_while_loading_does_not_deadlock_children():
    code = """
import threading, multiprocessing as mp, time, cnlp
held = threading.Event()
def first_call():                       # a thread inside the first segment(): the lazy-load lock is held
    with cnlp._lock:
        held.set()
        time.sleep(4)
threading.Thread(target=first_call, daemon=True).start()
held.wait()
with mp.get_context("fork").Pool(2) as pool:
    print(pool.map(cnlp.segment, ["商品和服务", "我爱北京"]))
"""
    res = _py(code, timeout=90)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "['商品', '和', '服务']" in res.stdout


_FORK_CHILD = """
import os, time
def fork_and_wait(child, timeout=20.0):
    pid = os.fork()
    if pid == 0:
        try:
            child()
            os._exit(0)
        except BaseException:
            os._exit(3)
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            print("child", os.waitstatus_to_exitcode(status))
            return
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("child hung")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_fork_while_another_thread_compiles_a_kernel():
    code = _FORK_CHILD + """
import threading, cnlp, numba
from numba.core.compiler_lock import global_compiler_lock as gcl
def compile_some():
    for k in range(4):
        f = numba.njit(eval(f"lambda x: x * {k} + 1"))
        f(1.5)
t = threading.Thread(target=compile_some)
t.start()
while t.is_alive():
    if not gcl._lock.acquire(blocking=False):     # the other thread is compiling: fork now
        print("forked while compiling")
        fork_and_wait(lambda: numba.njit(lambda x: x - 1)(2))
        break
    gcl._lock.release()
t.join()
"""
    res = _py(code, timeout=60)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "forked while compiling" in res.stdout
    assert "child 0" in res.stdout, res.stdout + res.stderr[-2000:]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_fork_while_another_thread_imports_a_cnlp_module(tmp_path):
    (tmp_path / "_slow_probe.py").write_text("import time\ntime.sleep(1.0)\nVALUE = 1\n")
    code = _FORK_CHILD + f"""
import threading, cnlp, time, sys
cnlp.__path__.append({str(tmp_path)!r})        # a cnlp module whose import takes a second
def lazy():
    import cnlp._slow_probe
t = threading.Thread(target=lazy)
t.start()
while "cnlp._slow_probe" not in sys.modules:
    time.sleep(0.001)
print("forked while importing")
def child():
    from cnlp._slow_probe import VALUE
    assert VALUE == 1
fork_and_wait(child)
t.join()
"""
    res = _py(code, timeout=60)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "forked while importing" in res.stdout
    assert "child 0" in res.stdout, res.stdout + res.stderr[-2000:]


def test_fork_waits_for_lazy_import_locks_before_module_is_published():
    """The window before an imported module reaches sys.modules: its import lock is already held."""
    import threading
    import importlib._bootstrap as bootstrap
    from cnlp import _locks
    lock = bootstrap._get_module_lock("cnlp._not_yet_in_sys_modules")
    ready, go = threading.Event(), threading.Event()

    def hold():
        lock.acquire()
        ready.set()
        go.wait(10)
        lock.release()
    t = threading.Thread(target=hold)
    t.start()
    ready.wait(10)
    try:
        assert _locks._importing_cnlp()
    finally:
        go.set()
        t.join()
    assert not _locks._importing_cnlp()


def test_fork_resets_user_dictionary_lock():
    from cnlp._locks import _reset_after_fork
    from cnlp.dictionary import UserDictionary
    ud = UserDictionary(["区块链"])
    ud._lock.acquire()
    _reset_after_fork()                      # what a forked child runs
    assert ud._lock.acquire(timeout=1)
    ud._lock.release()


# ------------------------------------------------------------------ 7. read-only install
@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX only")
def test_import_from_read_only_install_without_writable_home(tmp_path):
    site, home, tmp = tmp_path / "site", tmp_path / "home", tmp_path / "tmp"
    shutil.copytree(ROOT / "cnlp", site / "cnlp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "t2s", site / "cnlp" / "data" / "t2s")   # as installed: cnlp/data/...
    home.mkdir()
    tmp.mkdir()
    if os.getuid() == 0:                     # root writes through permissions: make the dirs immutable
        if shutil.which("chattr") is None:
            pytest.skip("needs chattr to make a directory read-only for root")
        lock = ["chattr", "-R", "+i", str(site), str(home)]
        unlock = ["chattr", "-R", "-i", str(site), str(home)]
    else:
        lock = ["chmod", "-R", "a-w", str(site), str(home)]
        unlock = ["chmod", "-R", "u+w", str(site), str(home)]
    if subprocess.run(lock, capture_output=True).returncode:
        pytest.skip("cannot make a directory read-only here")
    try:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TMPDIR": str(tmp), "PYTHONPATH": str(site),
               "PYTHONDONTWRITEBYTECODE": "1"}
        res = _py("import cnlp, numba; print(numba.config.CACHE_DIR); print(cnlp.__file__)", env=env, cwd=tmp)
    finally:
        subprocess.run(unlock, capture_output=True)
    assert res.returncode == 0, res.stderr[-2000:]
    cache, where = res.stdout.split()
    assert where == str(site / "cnlp" / "__init__.py") and cache.startswith(str(tmp))


def test_numba_cache_dir_env_wins(tmp_path):
    res = _py("import cnlp, numba; print(numba.config.CACHE_DIR)", env={**ENV, "NUMBA_CACHE_DIR": str(tmp_path)})
    assert res.stdout.strip() == str(tmp_path)


# ------------------------------------------------------------------ 8. pipes and signals
def _many_lines(tmp_path, n=20000):
    p = tmp_path / "in.txt"
    p.write_text("商品和服务，我爱北京天安门。\n" * n, "utf-8")
    return p


def test_closed_pipe_exits_quietly(tmp_path):
    p = _many_lines(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cnlp", "segment", str(p)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    first = proc.stdout.readline()
    proc.stdout.close()                     # like `| head -1`
    rc = proc.wait(timeout=120)
    err = proc.stderr.read().decode()
    assert first.decode().strip() == "商品 和 服务 ， 我 爱 北京 天安门 。"
    assert rc == 0 and err == ""


@pytest.mark.slow
def test_ctrl_c_exits_130_without_traceback_and_whole_lines(tmp_path):
    t0 = time.perf_counter()                # how long a whole run takes on this (possibly loaded) machine
    subprocess.run([sys.executable, "-m", "cnlp", "segment"], input="商品和服务\n".encode(), env=ENV,
                   capture_output=True, timeout=120)
    startup = time.perf_counter() - t0
    proc = subprocess.Popen([sys.executable, "-m", "cnlp", "segment"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    proc.stdin.write("商品和服务\n".encode() * 50)
    proc.stdin.flush()                      # stdin stays open: the command is waiting for more
    time.sleep(max(3.0, 2 * startup))
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()[-2000:]
    assert b"Traceback" not in err
    assert out == "商品 和 服务\n".encode() * 50


def test_unencodable_output_is_a_one_line_error():
    res = subprocess.run([sys.executable, "-m", "cnlp", "segment"], input="商品和服务\n".encode(), capture_output=True,
                         env={**ENV, "PYTHONIOENCODING": "ascii"}, timeout=120)
    err = res.stderr.decode()
    assert res.returncode == 1 and "Traceback" not in err and "PYTHONIOENCODING=utf-8" in err


# ------------------------------------------------------------------ 9. numbers out of range
def test_huge_frequencies_are_refused_at_the_edge(tmp_path):
    from cnlp.dictionary import Dictionary, UserDictionary
    ud = UserDictionary()
    for bad in (2**63, -1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="freq"):
            ud.add_word("区块链", freq=bad)
    ud.add_word("区块链", freq=2**40)
    seg = cnlp.get_segmenter("bigram").with_user_dict(ud)
    assert seg.segment("区块链技术") == ["区块链", "技术"]
    p = tmp_path / "d.txt"
    p.write_text("区块链 3\n技术 12345678901234567890123\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=r"d\.txt:2: frequency"):
        Dictionary.load_text(p)
    with pytest.raises(CorpusFormatError, match=r"d\.txt:2: frequency"):
        UserDictionary.load(p)
    with pytest.warns(UserWarning, match=r"d\.txt:2"):
        assert len(Dictionary.load_text(p, lenient=True)) == 1
    with pytest.raises(ValueError, match="frequency"):
        Dictionary.from_counts({"甲": 2**63})


# ------------------------------------------------------------------ 10. lone surrogates
@pytest.mark.parametrize("text", ["abc\ud800def 天安门", "北京\udfff大学\udfff北京\udfff大学", "\ud800" * 5,
                                  "天安门\udc00\udc00天安门。北京\ud800大学。"])
def test_lone_surrogates_everywhere(text):
    cnlp.keywords(text)
    cnlp.keywords(text, algorithm="textrank")
    assert all(s in text for s in cnlp.summarize(text))
    for algo in ("fmm", "bigram", "hmm", "crf"):
        assert "".join(cnlp.segment(text, algorithm=algo, user_dict=["区块\ud800链", text[:3]])) == text
    seg = cnlp.get_segmenter("bigram").with_user_dict(["区块\ud800链"])
    assert seg.segment("区块\ud800链技术")[0] == "区块\ud800链"


def test_lone_surrogates_in_lookups():
    from cnlp.dictionary import Dictionary
    from cnlp.models import idf_table as default_idf
    d = Dictionary.from_counts({"北京": 3})
    assert "北\ud800" not in d and d.word_id("\ud800") == -1 and d.freq("\udfff") == 0
    t = default_idf()
    assert t.df("\ud800") == 0 and t.idf("\ud800") == t.default_idf


# ------------------------------------------------------------------ 11. summarize memory
def test_summarize_graph_is_sparse_and_bounded(monkeypatch):
    from cnlp.extract import summarize as S
    words = [["经济", f"词{i}"] for i in range(2000)]           # one word shared by all 2000 sentences
    w = S.similarity_matrix(words, sparse=True)
    assert w.nnz == 2000 * 1999                                  # all pairs share "经济": under the bound
    monkeypatch.setattr(S, "MAX_PAIRS", 1000)
    w = S.similarity_matrix(words, sparse=True)
    assert w.nnz == 0                                             # the ubiquitous word is left out
    assert S.similarity_matrix(words[:4], sparse=False).shape == (4, 4)


# ------------------------------------------------------------------ 12. malformed corpora
@pytest.mark.parametrize("content, match", [
    ("人民/n]nt  好/a\n", r":1: token '人民/n\]nt' closes a compound"),
    ("好/a\n一/m\u3000二/m\n", r":2: token .* contains whitespace \(U\+3000\)"),
])
def test_pd98_malformed(tmp_path, content, match):
    from cnlp.corpus.readers import read_pd98
    p = tmp_path / "c.txt"
    p.write_text(content, "utf-8")
    with pytest.raises(CorpusFormatError, match=r"c\.txt" + match):
        list(read_pd98(p))


_ROW = "{i}\t字\t字\tNOUN\tNN\t_\t{h}\tdep\t_\t_"


@pytest.mark.parametrize("ids, heads, line, match", [
    ([1, 2], [0, -1], 2, "HEAD -1 outside 0..2"),
    ([1, 2], [0, 3], 2, "HEAD 3 outside 0..2"),
    ([1, 1], [0, 1], 2, "duplicate ID"),
    ([1, 3], [0, 1], 2, "ID 3, expected 2"),
    ([1, 2, 3], [0, 3, 2], 2, r"the HEADs form a cycle \(2 -> 3 -> 2\)"),
    ([1, 2], [2, 1], 1, r"the HEADs form a cycle \(1 -> 2 -> 1\)"),
])
def test_conllu_malformed(tmp_path, ids, heads, line, match):
    from cnlp.corpus.readers import read_conllu
    p = tmp_path / "t.conllu"
    p.write_text("# text = 字字\n" + "\n".join(_ROW.format(i=i, h=h) for i, h in zip(ids, heads)) + "\n\n", "utf-8")
    with pytest.raises(CorpusFormatError, match=rf"t\.conllu:{line + 1}: {match}"):
        list(read_conllu(p))


# ------------------------------------------------------------------ 13. smaller
def test_segment_many_refuses_a_str():
    seg = cnlp.get_segmenter()
    with pytest.raises(TypeError, match="iterable of str"):
        seg.segment_many("文本")
    assert list(seg.segment_many(["文本", ""])) == [["文本"], []]


@pytest.mark.parametrize("algo", ["fmm", "bmm", "bimm", "bigram", "hmm", "perceptron", "crf"])
def test_combining_marks_stay_with_their_base(algo):
    text = "cafe\u0301 中\u0301文 a\u20dd 👍🏽 👨\u200d👩 ok"
    words = cnlp.segment(text, algorithm=algo)
    assert "".join(words) == text
    from cnlp._marks import MARKS
    assert not any(MARKS[ord(w[0])] for w in words)
    assert not any(w.endswith("\u200d") for w in words)


def test_mark_table_matches_unicodedata():
    import unicodedata
    from cnlp._marks import MARKS
    for c in range(0, 0x30000, 7):
        is_mark = unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
        assert MARKS[c] == (is_mark or 0x1F3FB <= c <= 0x1F3FF or c == 0x200D), hex(c)


def test_missing_user_dict_file_names_it(tmp_path):
    from cnlp.dictionary import as_user_dictionary
    with pytest.raises(FileNotFoundError, match="missing.txt") as e:
        as_user_dictionary(str(tmp_path / "missing.txt"))
    assert e.value.filename == str(tmp_path / "missing.txt")
