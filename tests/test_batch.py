"""Batch processing: ordered parallel map, CLI --jobs / --output / --resume (killed runs), Dask."""
from __future__ import annotations

import os

import pytest

from cnlp.batch import AnnotatorSpec, imap_ordered, run_to_file

LINES = ["商品和服务", "", "  ", "研究生命起源\t", "他说：“好！”", "abc 123"] * 50


@pytest.mark.slow
def test_imap_ordered_keeps_order_and_count():
    spec = AnnotatorSpec("segment", algorithm="fmm")
    serial = list(imap_ordered(spec, iter(LINES), n_jobs=1))
    assert len(serial) == len(LINES) and all("".join(w) == x for w, x in zip(serial, LINES))
    assert list(imap_ordered(spec, iter(LINES), n_jobs=2, chunk_size=7, backend="thread")) == serial
    assert list(imap_ordered(spec, LINES[:40], n_jobs=2, chunk_size=3)) == serial[:40]


def test_imap_ordered_errors():
    spec = AnnotatorSpec("segment", algorithm="fmm")
    with pytest.raises(TypeError, match="single str"):
        list(imap_ordered(spec, "商品和服务"))
    with pytest.raises(TypeError):
        list(imap_ordered(spec, ["好", 3], n_jobs=1))
    with pytest.raises(ValueError, match="backend"):
        list(imap_ordered(spec, ["好"], backend="gpu"))
    with pytest.raises(ValueError, match="task"):
        list(imap_ordered(AnnotatorSpec("translate"), ["好"]))


@pytest.mark.slow
def test_user_words_cross_the_process_boundary():
    spec = AnnotatorSpec("segment", algorithm="fmm", user_words=(("务研", None, None, "force"),), format="|")
    out = list(imap_ordered(spec, ["商品和服务研究"] * 4, n_jobs=2, chunk_size=1))
    assert out == ["商品|和|服|务研|究"] * 4


class _Killed(Exception):
    pass


def _dies_after(lines, n):
    """``lines``, then an exception after ``n`` of them (a run killed at that point)."""
    for i, line in enumerate(lines):
        if i == n:
            raise _Killed
        yield line


def test_run_to_file_resume_after_partial_output(tmp_path):
    spec = AnnotatorSpec("segment", algorithm="fmm", format=" ")
    out = str(tmp_path / "out.txt")
    run_to_file(spec, LINES, out, checkpoint_lines=10, chunk_size=5, source="x")
    full = open(out, "rb").read()
    os.remove(out)
    # a run that died after a checkpoint, with half a record written after it
    with pytest.raises(_Killed):
        run_to_file(spec, _dies_after(LINES, 97), out, checkpoint_lines=30, chunk_size=5, source="x")
    assert not os.path.exists(out)                      # never a partial output under the final name
    with open(out + ".cnlp-partial", "ab") as f:
        f.write("半行".encode())
    run_to_file(spec, LINES, out, resume=True, checkpoint_lines=10, chunk_size=5, source="x")
    assert open(out, "rb").read() == full
    assert not os.path.exists(out + ".cnlp-progress") and not os.path.exists(out + ".cnlp-partial")
    # a progress record of other input files is refused
    with pytest.raises(_Killed):
        run_to_file(spec, _dies_after(LINES, 97), out, checkpoint_lines=30, chunk_size=5, source="y")
    with pytest.raises(ValueError, match="another run"):
        run_to_file(spec, LINES, out, resume=True, source="x", chunk_size=5)
    assert open(out, "rb").read() == full               # the finished output is untouched


@pytest.mark.slow
def test_dask_local_cluster_matches_serial():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    import dask.bag as db
    from cnlp.dask import annotate_bag
    spec = AnnotatorSpec("segment", algorithm="fmm", format=" ")
    serial = list(imap_ordered(spec, LINES, n_jobs=1))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        got = annotate_bag(db.from_sequence(LINES, npartitions=6), spec).compute()
        assert client.run(lambda: 1)
    assert got == serial


def test_missing_main_guard_is_a_clear_error(tmp_path):
    """A script that starts worker processes without ``if __name__ == "__main__":`` runs again in
    each spawned worker: cnlp refuses there, and the caller's error names the guard."""
    import subprocess
    import sys
    import time
    from pathlib import Path
    (tmp_path / "big.txt").write_text("他在北京工作。\n" * 50, encoding="utf-8")
    script = tmp_path / "noguard.py"
    script.write_text(f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
                      "import cnlp\n"
                      "print(sum(1 for _ in cnlp.segment_many(open('big.txt', encoding='utf-8'), n_jobs=2)))\n",
                      encoding="utf-8")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and time.perf_counter() - t0 < 120
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("concurrent.futures.process.BrokenProcessPool") and '__name__ == "__main__"' in last
    assert "RuntimeError: cnlp: n_jobs=2 started worker processes from a worker process" in r.stderr


def test_segment_many_with_jobs_inside_a_pool_worker():
    """A multiprocessing.Pool worker is daemonic (no children): n_jobs > 1 runs on threads there."""
    import subprocess
    import sys
    from pathlib import Path
    code = """
import multiprocessing as mp, cnlp
lines = ["商品和服务", "", "研究生命起源", "我爱北京天安门"] * 50
def work(_):
    return list(cnlp.segment_many(lines, n_jobs=2, chunk_size=16))
if __name__ == "__main__":
    with mp.get_context("fork").Pool(1) as pool:
        got = pool.map(work, [0])[0]
    print(got == list(cnlp.segment_many(lines)), len(got))
"""
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180,
                         env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["True", "200"]
