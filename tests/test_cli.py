import io
import subprocess
import sys

import pytest

import cnlp

from cnlp.cli import iter_lines, main
from cnlp.errors import CorpusFormatError


def run(argv, stdin_bytes=b"", capsys=None, monkeypatch=None):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_segment_one_line_per_input_line(capsys, monkeypatch):
    text = "商品和服务\n\n  \n研究生命起源\r\n最后一行无换行"
    code, out, _ = run(["segment"], text.encode(), capsys, monkeypatch)
    assert code == 0
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == 5
    assert lines[1] == "" and lines[2] == ""
    assert lines[0] == " ".join(cnlp.segment("商品和服务")) == "商品 和 服务"
    assert lines[3] == " ".join(cnlp.segment("研究生命起源"))
    assert lines[4] == " ".join(cnlp.segment("最后一行无换行"))


@pytest.mark.parametrize("algo", ["fmm", "bmm", "bimm"])
def test_segment_algorithms(algo, capsys, monkeypatch):
    # fmm and bmm disagree on this text, so an ignored --algorithm cannot pass for both
    want = {"fmm": "研究生 命 起源\n", "bmm": "研究 生命 起源\n", "bimm": "研究 生命 起源\n"}[algo]
    code, out, _ = run(["segment", "--algorithm", algo], "研究生命起源\n".encode(), capsys, monkeypatch)
    assert code == 0 and out == want == " ".join(cnlp.segment("研究生命起源", algorithm=algo)) + "\n"


def test_bad_utf8_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes("好\n好\n".encode() + b"\xff\xfe\n")
    with pytest.raises(CorpusFormatError, match=r"bad.txt:3"):
        list(iter_lines([str(p)]))


def test_bad_file_exit_code(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"ok\n\xff\n")
    assert main(["segment", str(p)]) == 1          # a failure, not a usage error
    assert "bad.txt:2" in capsys.readouterr().err


def test_dictionary_option_replaces_default(tmp_path, capsys, monkeypatch):
    d = tmp_path / "words.txt"
    d.write_text("研究生\n命\n起源\n", "utf-8")
    code, out, _ = run(["segment", "-a", "fmm", "--dictionary", str(d)], "研究生命起源\n".encode(),
                       capsys, monkeypatch)
    assert code == 0 and out == "研究生 命 起源\n"


def test_user_dict_option(tmp_path, capsys, monkeypatch):
    u = tmp_path / "user.txt"
    u.write_text("生命起源 10\n", "utf-8")
    code, out, _ = run(["segment", "-a", "fmm"], "生命起源\n".encode(), capsys, monkeypatch)
    assert code == 0 and out == "生命 起源\n"
    code, out, _ = run(["segment", "-a", "fmm", "--user-dict", str(u)], "生命起源\n".encode(), capsys, monkeypatch)
    assert code == 0 and out == "生命起源\n"


def test_eval_cli(tmp_path, capsys):
    g = tmp_path / "g"; p = tmp_path / "p"
    g.write_text("共同  创造\n", "utf-8"); p.write_text("共同 创造\n", "utf-8")
    assert main(["eval", "cws", "--gold", str(g), "--pred", str(p)]) == 0
    assert "f1          1.0000" in capsys.readouterr().out


def test_python_dash_m(tmp_path):
    r = subprocess.run([sys.executable, "-m", "cnlp", "segment", "-a", "fmm"], input="研究生命起源\n".encode(),
                       capture_output=True, check=True)
    assert r.stdout.decode() == "研究生 命 起源\n"


def test_bare_help_prints_no_error(capsys):
    import pytest as _pytest
    from cnlp.cli import main as _main
    with _pytest.raises(SystemExit) as e:
        _main(["--help"])
    out, err = capsys.readouterr()
    assert e.value.code == 0 and "segment" in out and err == ""


def test_version_and_model_option(capsys, monkeypatch):
    import cnlp
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"cnlp {cnlp.__version__}\n"
    # the first-order HMM splits this line unlike the default segmenter: an ignored --model cannot pass
    text = "每逢佳节倍思廉"
    assert cnlp.segment(text) != cnlp.segment(text, algorithm="hmm")
    code, out, _ = run(["segment", "--model", str(cnlp.io.model_path("hmm") / "order1")], f"{text}\n".encode(),
                       capsys, monkeypatch)
    assert code == 0 and out == " ".join(cnlp.segment(text, algorithm="hmm")) + "\n"
