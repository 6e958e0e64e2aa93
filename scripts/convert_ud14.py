"""Convert UD Chinese GSD as released in UD 1.4 (traditional characters, UD v1) to GSDSimp style.

    python scripts/convert_ud14.py [--rules v2,gsd,clauses] [SRC] OUT

SRC defaults to ``$CNLP_CORPORA/ud_chinese/zh_gsd-r1.4-ud-train.trad.conllu``. The output is
deterministic (the same SRC, rules and ``data/t2s/table.json`` give the same bytes); it is written
to a temporary file beside OUT and renamed over it when complete. Name OUT ``zh_gsd14-...conllu``:
the training commands take the treebank name from the file name up to the first ``-``.
The rules are :mod:`cnlp.parsing.convert` (``--rules v2``: the UD v1 -> v2 renames and characters
only; ``--rules v2,gsd``: also the GSD 1.4 -> 2.x conventions of words and relations;
``--rules v2,gsd,clauses``, the default: also which of several side-by-side clauses heads them).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnlp.io import corpora_dir  # noqa: E402
from cnlp.parsing.convert import RULE_GROUPS, convert_file  # noqa: E402

SOURCE = "zh_gsd-r1.4-ud-train.trad.conllu"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", metavar="[SRC] OUT")
    ap.add_argument("--rules", default=",".join(RULE_GROUPS), help=f"comma-separated groups of {RULE_GROUPS}")
    args = ap.parse_args(argv)
    if len(args.paths) > 2:
        ap.error("expected [SRC] OUT")
    src = args.paths[0] if len(args.paths) == 2 else corpora_dir() / "ud_chinese" / SOURCE
    out = args.paths[-1]
    rules = [r for r in args.rules.split(",") if r]
    tmp = f"{out}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            n = convert_file(src, f, rules)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"{n} sentences ({'+'.join(rules) or 'no rules'}) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
