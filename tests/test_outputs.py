"""Outputs never destroy data: an output that is an input is refused, outputs are written
atomically and locked, progress records carry a fingerprint of the input, pipes and devices work."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cnlp.batch import AnnotatorSpec, run_to_file
from cnlp.outputs import AtomicOutput, OutputBusyError, ResumeError, input_is_output

SPEC = AnnotatorSpec("segment", algorithm="fmm", format=" ")
LINES = [f"商品和服务{i}" for i in range(300)]


def _cnlp(*args, **kw):
    return subprocess.run([sys.executable, "-m", "cnlp", *args], capture_output=True, timeout=300, **kw)


class _Killed(Exception):
    pass


def _dies_after(lines, n):
    for i, line in enumerate(lines):
        if i == n:
            raise _Killed
        yield line


@pytest.mark.parametrize("argv", [("segment", "-a", "fmm"), ("tag",), ("ner", "--resume"),
                                  ("segment", "-a", "fmm", "--mode", "search"),
                                  ("segment", "--dictionary", os.devnull)])
@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_output_that_is_an_input_is_refused(tmp_path, argv, link):
    src = tmp_path / "precious.txt"
    src.write_text("商品和服务\n研究生命\n", "utf-8")
    out = src
    if link == "symlink":
        out = tmp_path / "link.txt"
        out.symlink_to(src)
    elif link == "hardlink":
        out = tmp_path / "hard.txt"
        os.link(src, out)
    r = _cnlp(*argv, "-o", str(out), str(src))
    assert r.returncode == 2, r.stderr
    assert r.stderr.decode().count("\n") == 1 and "is the input file" in r.stderr.decode()
    assert src.read_text("utf-8") == "商品和服务\n研究生命\n"


def test_stdout_appending_to_an_input_is_refused(tmp_path):
    src = tmp_path / "precious.txt"
    src.write_text("商品和服务\n", "utf-8")
    with open(src, "ab") as f:
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", str(src)], stdout=f,
                           stderr=subprocess.PIPE, timeout=300)
    assert r.returncode == 2 and b"is the input file" in r.stderr
    assert src.read_text("utf-8") == "商品和服务\n"
    assert input_is_output(os.devnull, [os.devnull]) is None          # devices are not files


def test_second_writer_is_refused(tmp_path):
    out = tmp_path / "out.txt"
    held = AtomicOutput(out)
    try:
        with pytest.raises(OutputBusyError, match="another run is writing"):
            run_to_file(SPEC, LINES, str(out))
        src = tmp_path / "in.txt"
        src.write_text("商品和服务\n", "utf-8")
        r = _cnlp("segment", "-a", "fmm", "-o", str(out), str(src))
        assert r.returncode == 1 and b"another run is writing" in r.stderr and r.stderr.count(b"\n") == 1
    finally:
        held.discard()
    run_to_file(SPEC, LINES, str(out))                      # free again
    assert out.read_text("utf-8").count("\n") == len(LINES)


def test_resume_refuses_changed_input_of_same_size(tmp_path):
    out = str(tmp_path / "out.txt")
    with pytest.raises(_Killed):
        run_to_file(SPEC, _dies_after(LINES, 150), out, checkpoint_lines=20, chunk_size=10)
    changed = list(LINES)
    changed[3] = changed[3].replace("服务", "服从")          # same length, same size in bytes
    with pytest.raises(ResumeError, match="not the one of the stopped run"):
        run_to_file(SPEC, changed, out, resume=True, checkpoint_lines=20, chunk_size=10)
    with pytest.raises(ResumeError, match="not the one"):            # shorter than what was done
        run_to_file(SPEC, LINES[:50], out, resume=True, checkpoint_lines=20, chunk_size=10)
    # a change after the lines done is fine: they are redone
    n = run_to_file(SPEC, LINES[:-1] + ["研究生命"], out, resume=True, checkpoint_lines=20, chunk_size=10)
    assert n == len(LINES)
    ref = str(tmp_path / "ref.txt")
    run_to_file(SPEC, LINES[:-1] + ["研究生命"], ref)
    assert open(out, "rb").read() == open(ref, "rb").read()


def test_resume_from_stdin_needs_to_be_asked(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("商品和服务\n" * 5, "utf-8")
    out = tmp_path / "out.txt"
    with open(src, "rb") as f:
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", "-o", str(out), "--resume"],
                           stdin=f, capture_output=True, timeout=300)
    assert r.returncode == 2 and b"--resume-stdin" in r.stderr and not out.exists()
    with open(src, "rb") as f:
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", "-o", str(out), "--resume",
                            "--resume-stdin"], stdin=f, capture_output=True, timeout=300)
    assert r.returncode == 0 and out.read_text("utf-8") == "商品 和 服务\n" * 5


def test_run_killed_before_first_checkpoint_is_detectably_incomplete(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("an earlier complete output\n", "utf-8")
    with pytest.raises(_Killed):
        run_to_file(SPEC, _dies_after(LINES, 50), str(out), checkpoint_lines=20000, chunk_size=10)
    assert out.read_text("utf-8") == "an earlier complete output\n"       # untouched
    partial = tmp_path / "out.txt.cnlp-partial"
    record = json.loads((tmp_path / "out.txt.cnlp-progress").read_text())
    assert partial.exists() and record["lines"] == 0 and record["bytes"] == 0 and record["input_sha256"]
    run_to_file(SPEC, LINES, str(out), resume=True, checkpoint_lines=20000, chunk_size=10)
    assert out.read_text("utf-8").count("\n") == len(LINES) and not partial.exists()


def test_sigkilled_cli_run_leaves_no_partial_output_under_the_final_name(tmp_path):
    import signal
    import time
    src = tmp_path / "in.txt"
    src.write_text("商品和服务研究生命起源\n" * 200000, "utf-8")
    out = tmp_path / "out.txt"
    p = subprocess.Popen([sys.executable, "-m", "cnlp", "segment", "-a", "fmm", "-j", "1", "-o", str(out), "-q",
                          str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    partial = tmp_path / "out.txt.cnlp-partial"
    deadline = time.time() + 120
    while time.time() < deadline and not (partial.exists() and partial.stat().st_size > 0) and p.poll() is None:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    if p.returncode == 0:
        pytest.skip("the run ended before it could be killed")
    assert not out.exists()
    assert (tmp_path / "out.txt.cnlp-progress").exists()


def test_output_to_devices_fifos_and_pipes(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("商品和服务\n" * 3, "utf-8")
    for jobs in ("1", "2"):
        r = _cnlp("segment", "-a", "fmm", "-j", jobs, "-o", os.devnull, str(src))
        assert r.returncode == 0, r.stderr
    r = _cnlp("segment", "-a", "fmm", "-o", os.devnull, "--resume", str(src))
    assert r.returncode == 2 and b"regular file" in r.stderr
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = _cnlp("segment", "-a", "fmm", "-o", str(fifo), str(src))
    assert r.returncode == 0, r.stderr
    assert reader.communicate(timeout=60)[0] == "商品 和 服务\n".encode() * 3
    # bash process substitution: -o >(gzip > out.gz)
    gz = tmp_path / "out.gz"
    r = subprocess.run(["bash", "-c", f'{sys.executable} -m cnlp segment -a fmm -o >(gzip > "{gz}") "{src}"; '
                                      f'rc=$?; wait; exit $rc'], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    import gzip
    import time
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if gzip.decompress(gz.read_bytes()) == "商品 和 服务\n".encode() * 3:
                break
        except (OSError, EOFError):
            pass
        time.sleep(0.1)
    assert gzip.decompress(gz.read_bytes()) == "商品 和 服务\n".encode() * 3


def test_output_keeps_mode_and_writes_through_symlinks(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old\n", "utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    run_to_file(SPEC, LINES[:3], str(link))
    assert link.is_symlink() and real.read_text("utf-8").count("\n") == 3
    assert (real.stat().st_mode & 0o777) == 0o640


# ------------------------------------------------------------------ line framing of output records
_BREAKING = ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"]
_FRAMING_INPUT = "".join(f"北京{c}上海{c}你好\n" for c in _BREAKING) + "商品和服务\n"


def _run_main(argv, stdin_text, monkeypatch, capsys):
    import io
    from cnlp.cli import main
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8"))
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [["tag", "--format", "json"], ["ner", "--format", "json"]])
def test_json_records_stay_one_line_for_splitlines(argv, monkeypatch, capsys, tmp_path):
    """Line-breaking characters inside an input line (split on \\n only) are escaped in JSON
    records: one record per input line for str.splitlines() too, the same JSON values."""
    n = len(_BREAKING) + 1
    out = _run_main(argv, _FRAMING_INPUT, monkeypatch, capsys)            # in this process
    spec = AnnotatorSpec(argv[0], format="json")
    run_to_file(spec, _FRAMING_INPUT.split("\n")[:-1], str(tmp_path / "out.jsonl"), n_jobs=1)   # batch path
    batch = (tmp_path / "out.jsonl").read_text("utf-8")
    assert out == batch
    records = out.splitlines()
    assert len(records) == n == len(out.split("\n")) - 1
    for rec, line in zip(records, _FRAMING_INPUT.split("\n")):
        value = json.loads(rec)
        if argv[0] == "tag":
            assert value["text"] == line
        else:
            assert all(line[e["start"]:e["end"]] == e["text"] for e in value)
    assert "\u2028" not in out and "\x85" not in out and "\r" not in out


def test_plain_records_are_framed_by_newline_only(monkeypatch, capsys):
    """Plain formats write the line's characters as they are (see docs/usage.md): one record per
    input line when split on \\n, which is how cnlp reads its own input."""
    out = _run_main(["segment"], _FRAMING_INPUT, monkeypatch, capsys)
    records = out.split("\n")[:-1]
    assert len(records) == len(_BREAKING) + 1
    assert [r.replace(" ", "") for r in records] == [
        "".join(w for w in line if not w.isspace()) for line in _FRAMING_INPUT.split("\n")[:-1]]
