"""One option set and one error style for every ``cnlp`` command, checked on the real option
parsers (``cnlp.cli.build_parser(complete=True)``): numeric options are validated by the option
parser (one line, exit status 2), every command accepts ``-q``, reads stdin when no file is given,
and the option table of docs/usage.md is the one these parsers give.

``python tests/test_cli_options.py`` prints the table (paste it into docs/usage.md)."""
import argparse
import io
import random
import re
import sys
from pathlib import Path

import pytest

from cnlp.cli import build_parser, main
from cnlp.cli.common import NUMERIC_TYPES, non_negative_float, non_negative_int, positive_float, positive_int, ratio

USAGE = Path(__file__).resolve().parents[1] / "docs" / "usage.md"
BEGIN, END = "<!-- cli-options: begin -->", "<!-- cli-options: end -->"
#: options naming the files a command reads when it takes no FILE arguments
INPUT_OPTIONS = ("--corpus", "--data", "--class", "--gold", "--pred", "--msra", "--pd98", "--stats", "--dev")


def commands():
    """``(name, parser)`` of every command (``train TASK`` and ``classify ACTION`` one each)."""
    def walk(parser, words):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield " ".join(words), parser
        for a in subs:
            for name, sp in a.choices.items():
                yield from walk(sp, words + [name])
    return list(walk(build_parser(complete=True), []))


def _options(parser):
    return {s: a for a in parser._actions for s in a.option_strings}


def option_table() -> str:
    rows = ["| command | input | `-o` | `-q` | `-j` | `--errors` | `--format` |",
            "|---|---|---|---|---|---|---|"]
    for name, p in commands():
        opts = _options(p)
        if any(a.dest == "files" for a in p._actions):
            inp = "FILE ..., stdin when none or `-`"
        else:
            inp = ", ".join(f"`{o}`" for o in INPUT_OPTIONS if o in opts)
        fmt = "`" + "`, `".join(opts["--format"].choices) + "`" if "--format" in opts else ""
        yes = ["yes" if o in opts else "" for o in ("--output", "--quiet", "--jobs", "--errors")]
        rows.append(f"| `cnlp {name}` | {inp} | " + " | ".join(yes) + f" | {fmt} |")
    return "\n".join(rows) + "\n"


def test_option_table_in_usage_md_is_current():
    text = USAGE.read_text(encoding="utf-8")
    table = text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip("\n") + "\n"
    assert table == option_table(), "docs/usage.md: regenerate with `python tests/test_cli_options.py`"


def test_every_command_accepts_quiet():
    assert [n for n, p in commands() if "--quiet" not in _options(p)] == []


def test_every_numeric_option_is_validated():
    bare = [(n, a.option_strings[0]) for n, p in commands() for a in p._actions
            if a.type in (int, float) and not a.choices]
    assert bare == []
    assert sum(a.type in NUMERIC_TYPES for _, p in commands() for a in p._actions) > 40


def run(argv, capsys, monkeypatch, stdin=b""):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        code = main(argv)
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


BOUNDED = {positive_int: "0", non_negative_int: "-1", positive_float: "0", non_negative_float: "-0.5", ratio: "1"}


def bad_values():
    for name, p in commands():
        for a in p._actions:
            if a.type in BOUNDED:
                yield name, a.option_strings[-1], BOUNDED[a.type]


@pytest.mark.parametrize("command, option, value", list(bad_values()))
def test_bad_numeric_value_is_one_line_exit_2(command, option, value, capsys, monkeypatch):
    code, out, err = run(command.split() + [f"{option}={value}"], capsys, monkeypatch)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"cnlp {command}: error: argument ") and repr(value) in err


@pytest.mark.parametrize("argv", [["keywords", "-k", "-3"], ["summarize", "-k", "-1"], ["parse", "--beam", "0"],
                                  ["discover", "--top", "-1"], ["segment", "-j", "-2"], ["keywords", "-k", "x"],
                                  ["train", "cws", "--dev-ratio", "nan"]])
def test_issue_examples(argv, capsys, monkeypatch):
    code, _, err = run(argv, capsys, monkeypatch)
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith(f"cnlp {argv[0]}")


def test_one_error_prefix_for_failures_and_usage_errors(tmp_path, capsys, monkeypatch):
    missing = str(tmp_path / "missing.txt")
    for cmd in (["segment"], ["keywords"], ["summarize"], ["discover"], ["parse"]):
        code, _, err = run(cmd + [missing], capsys, monkeypatch)
        assert code == 1 and len(err.splitlines()) == 1 and err.startswith(f"cnlp {cmd[0]}: error: ")
    code, _, err = run(["train", "dict", "-q", "--corpus", missing, "--out", str(tmp_path / "d")], capsys, monkeypatch)
    assert code == 1 and err.startswith("cnlp train dict: error: ") and "missing.txt" in err
    code, _, err = run(["segment", "--resume"], capsys, monkeypatch)
    assert code == 2 and err == "cnlp segment: error: --resume needs --output FILE\n"


_CTX = "我你他她们的了在是有和就不人都一上也很到说要去会着没看好自己这"
_DOC = "他喜欢北京的秋天。北京的秋天很美。\n" * 3
_RNG = random.Random(1)
_CORPUS = "".join("".join(_RNG.choice(_CTX) for _ in range(3)) + "秋天" + "".join(_RNG.choice(_CTX) for _ in range(3))
                  + "\n" for _ in range(200))


@pytest.mark.parametrize("argv, text, expect", [(["keywords", "-k", "2"], _DOC, "北京"),
                                                (["summarize", "-k", "1"], _DOC, "。"),
                                                (["discover", "--top", "1"], _CORPUS, "秋天\t")],
                         ids=["keywords", "summarize", "discover"])
def test_stdin_when_no_file(argv, text, expect, capsys, monkeypatch):
    code, out, err = run(argv, capsys, monkeypatch, text.encode())
    assert code == 0 and expect in out, err
    assert run(argv + ["-"], capsys, monkeypatch, text.encode())[1] == out


def test_output_and_errors_through_the_shared_helpers(tmp_path, capsys, monkeypatch):
    src = tmp_path / "in.txt"
    src.write_bytes("他喜欢北京。\n".encode() + b"\xff\n")
    out = tmp_path / "out.txt"
    code, stdout, err = run(["keywords", "--per-line", "--errors", "skip", "-o", str(out), str(src)], capsys,
                            monkeypatch)
    assert code == 0 and stdout == "" and out.read_text(encoding="utf-8") == "喜欢 北京\n"
    assert "1 line(s) not valid UTF-8 were skipped" in err
    code, _, err = run(["summarize", "-o", str(src), str(src)], capsys, monkeypatch)
    assert code == 2 and "is the input file" in err and src.read_bytes().endswith(b"\xff\n")
    code, _, err = run(["keywords", str(src)], capsys, monkeypatch)
    assert code == 1 and re.search(r"in\.txt:2", err)


if __name__ == "__main__":
    print(option_table(), end="")
