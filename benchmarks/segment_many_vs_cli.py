"""``segment_many(open(f))`` gives the words ``cnlp segment f`` gives, line for line.

    python benchmarks/segment_many_vs_cli.py [--algorithm crf] [--crlf]

The raw text of 199801.txt (one paragraph per line, ``\\n`` or, with ``--crlf``, ``\\r\\n`` endings)
is written to a temporary file, segmented by the command line (``--keep-spaces``, ``-j 1``) and by
``cnlp.segment_many(open(path, newline=""))``; every line's words must be equal (the line terminator
comes back from ``segment_many`` as its own last token and is dropped for the comparison).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from common import pd98_raw_lines

import cnlp

SEP = "\u2502"          # a delimiter that never occurs in the text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithm", default=None)
    ap.add_argument("--crlf", action="store_true")
    args = ap.parse_args()
    lines = pd98_raw_lines()
    nl = "\r\n" if args.crlf else "\n"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "raw.txt"
        path.write_bytes(nl.join(lines).encode("utf-8") + nl.encode())
        alg = ["--algorithm", args.algorithm] if args.algorithm else []
        r = subprocess.run([sys.executable, "-m", "cnlp", "segment", *alg, "--keep-spaces", "-j", "1", "-q",
                            "--delimiter", SEP, str(path)], capture_output=True, check=True)
        cli = r.stdout.decode("utf-8").split("\n")[:-1]
        with open(path, encoding="utf-8", newline="") as f:
            api = list(cnlp.segment_many(f, algorithm=args.algorithm))
    assert len(cli) == len(api) == len(lines), (len(cli), len(api), len(lines))
    differ = 0
    for c, a in zip(cli, api):
        words = a[:-1] if a and a[-1] in ("\n", "\r\n", "\r") else a
        differ += c.split(SEP) != words
    print(f"{len(lines)} lines ({'CRLF' if args.crlf else 'LF'} endings), "
          f"{sum(map(len, lines)):,} characters: lines whose words differ between segment_many and "
          f"`cnlp segment`: {differ}")


if __name__ == "__main__":
    main()
