"""The first-call machinery: the "will compile" check and notice (:mod:`cnlp._jit`), ``cnlp warmup``
(:mod:`cnlp.kernel_cache`), and one compiled type per kernel argument on the first paths."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _py(code, cache, **env):
    e = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(cache), **env}
    e.pop("CNLP_NO_NOTICE", None) if "CNLP_NO_NOTICE" not in env else None
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=e, capture_output=True, text=True, timeout=600)


CHECK = ("from cnlp import _jit; from cnlp.segmentation import _base_kernels as K; import numpy as np; "
         "print(_jit.cached(K._has_mark)); K._has_mark(np.zeros(3, np.int32), np.zeros(3, np.bool_)); "
         "print(_jit.cached(K._has_mark))")


def test_cached_is_false_on_an_empty_cache_and_true_once_compiled(tmp_path):
    first = _py(CHECK, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.split() == ["False", "True"]
    again = _py(CHECK, tmp_path)                 # a new process finds it in the on-disk cache
    assert again.stdout.split() == ["True", "True"]


NOTICE = "from cnlp import _jit; _jit.notice('segment'); _jit.notice('segment'); print('done')"


def test_notice_once_on_a_cold_cache_and_silent_when_asked(tmp_path):
    res = _py(NOTICE, tmp_path)
    assert res.returncode == 0 and res.stdout.strip() == "done"
    lines = [x for x in res.stderr.splitlines() if x.startswith("cnlp:")]
    assert len(lines) == 1 and "cnlp warmup" in lines[0]
    assert "cnlp:" not in _py(NOTICE, tmp_path, CNLP_NO_NOTICE="1").stderr
    quiet = "from cnlp import _jit; _jit.quiet(); _jit.notice('parse'); print('done')"
    assert "cnlp:" not in _py(quiet, tmp_path).stderr


def test_unknown_warmup_step(capsys):
    from cnlp import kernel_cache
    from cnlp.cli import main
    with pytest.raises(ValueError, match="unknown warm-up step"):
        kernel_cache.build(["nope"])
    assert main(["warmup", "nope"]) == 2
    assert "cnlp warmup: error: unknown step 'nope'" in capsys.readouterr().err


def test_writable_view_without_copy():
    from cnlp._jit import writable
    a = np.arange(4, dtype=np.int32)
    ro = a.view()
    ro.setflags(write=False)
    w = writable(ro)
    assert w.flags.writeable and np.shares_memory(w, a) and not ro.flags.writeable
    own = np.arange(3)
    own.setflags(write=False)
    assert writable(own) is own                 # owns read-only memory: left as it is
    assert writable(a) is a


@pytest.mark.slow
def test_warmup_compiles_the_segment_kernels(tmp_path):
    e = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "cnlp", "warmup", "-q", "segment"], cwd=ROOT, env=e,
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.startswith("segment\t") and "cnlp: compiling" not in res.stderr
    after = _py("from cnlp import _jit; print(_jit.is_cold(_jit._FIRST_KERNELS['segment'][0]))", tmp_path)
    assert after.stdout.strip() == "False"


def test_per_user_cache_dir_is_keyed_by_the_kernel_sources(tmp_path, monkeypatch):
    """A per-user cache outlives an upgrade: each version of the kernel sources has its own directory
    (Numba checks only a kernel's own file, not the files of the kernels it calls)."""
    from pathlib import Path
    from cnlp import _jit
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pkg_cache = Path(_jit.__file__).resolve().parent / "__pycache__"
    real = _jit._writable
    monkeypatch.setattr(_jit, "_writable", lambda d: False if Path(d) == pkg_cache else real(d))
    fp = _jit.sources_fingerprint()
    assert len(fp) == 16 and int(fp, 16) >= 0 and fp == _jit.sources_fingerprint()
    assert _jit.cache_dir() == str(tmp_path / "cnlp" / "numba" / fp)
    pkg = tmp_path / "pkg"                   # a package of two kernel files: editing either changes it
    (pkg / "sub").mkdir(parents=True)
    (pkg / "_text_kernels.py").write_text("def f(): return 1\n")
    (pkg / "sub" / "_kernels.py").write_text("def g(): return f()\n")
    monkeypatch.setattr(_jit, "__file__", str(pkg / "_jit.py"))
    before = _jit.sources_fingerprint()
    (pkg / "_text_kernels.py").write_text("def f(): return 2\n")
    assert _jit.sources_fingerprint() != before
