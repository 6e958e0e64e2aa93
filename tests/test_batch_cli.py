"""The batch command line: --jobs, --output, --resume after SIGKILL."""
from __future__ import annotations

import pytest

import random
import signal
import subprocess
import sys
import time

LINES = ["商品和服务", "", "  ", "研究生命起源\t", "他说：“好！”", "abc 123"] * 50


def _cnlp(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "cnlp", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            **kw)


@pytest.mark.slow
def test_cli_resume_after_sigkill_is_byte_identical(tmp_path):
    rng = random.Random(7)
    src = tmp_path / "in.txt"
    lines = ["".join(rng.choice("商品和服务研究生命起源，。") for _ in range(rng.randint(0, 30))) for _ in range(60000)]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    ref = tmp_path / "ref.txt"
    p = _cnlp("segment", "-a", "fmm", "-j", "1", "-o", str(ref), "-q", str(src))
    assert p.wait(timeout=300) == 0, p.stderr.read()
    out = tmp_path / "out.txt"
    argv = ("segment", "-a", "fmm", "-j", "2", "-o", str(out), "--resume", "-q", str(src))
    for _ in range(3):
        p = _cnlp(*argv)
        time.sleep(rng.uniform(1.0, 4.0))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
    p = _cnlp(*argv)
    assert p.wait(timeout=300) == 0, p.stderr.read()
    assert out.read_bytes() == ref.read_bytes()
    assert not (tmp_path / "out.txt.cnlp-progress").exists()


@pytest.mark.slow
def test_cli_jobs_output_equals_serial(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(LINES) + "\r\n", "utf-8")
    serial = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-j", "1", str(src)], capture_output=True,
                            timeout=300)
    par = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-j", "2", str(src)], capture_output=True,
                         timeout=300)
    assert serial.returncode == par.returncode == 0
    assert serial.stdout == par.stdout and serial.stdout.count(b"\n") == len(LINES)




@pytest.mark.slow
def test_cli_errors_policy(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes("好的\n".encode() + b"\xff\xfe\n" + "商品和服务\n".encode())
    strict = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", str(src)], capture_output=True,
                            timeout=300)
    assert strict.returncode != 0 and b"bad.txt:2" in strict.stderr and strict.stdout == "好 的\n".encode()
    for policy, n_lines in (("replace", 3), ("skip", 2)):
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", "-j", "2", "--errors", policy,
                            str(src)], capture_output=True, timeout=300)
        assert r.returncode == 0 and r.stdout.count(b"\n") == n_lines and b"1 line(s)" in r.stderr


def _children(pid: int) -> set[int]:
    import os
    out = set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.add(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_exit_when_the_run_is_killed(tmp_path):
    """A run killed with SIGKILL leaves no worker processes behind."""
    import os
    import pytest
    if not os.path.isdir("/proc/self"):
        pytest.skip("needs /proc")
    src = tmp_path / "in.txt"
    src.write_text("商品和服务研究生命起源\n" * 400000, "utf-8")
    p = _cnlp("segment", "-a", "fmm", "-j", "2", "-o", str(tmp_path / "out.txt"), "-q", str(src))
    deadline = time.time() + 120
    workers: set[int] = set()
    while time.time() < deadline and len(workers) < 2 and p.poll() is None:
        time.sleep(0.2)
        workers = {c for c in _children(p.pid) if _alive(c)}
    if len(workers) < 2:
        p.kill()
        pytest.skip("the run ended before its workers could be seen")
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "worker processes outlived the killed run"
