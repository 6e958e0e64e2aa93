"""Outputs of every public entry point on fixed inputs, for checking that a change keeps them byte for byte.

    python benchmarks/golden_outputs.py --write DIR        # write every output file + digests.json
    python benchmarks/golden_outputs.py --compare DIR      # recompute and compare with DIR (exit 1 on a difference)
    python benchmarks/golden_outputs.py --write DIR --quick   # 300 lines per input (a fast smoke check)

Inputs: the SIGHAN 2005 PKU and MSR test inputs and the raw text of 199801.txt (every segmenter,
``segment`` line by line and ``segment_many``), and the GSDSimp dev text (``tag``, ``ner``,
``analyze(...).to_json()``, ``parse(...).to_conllu()``), plus ``tag``/``ner`` on the PKU test input.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import pd98_raw_lines  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402

ALGOS = ["fmm", "bmm", "bimm", "bigram", "hmm", "hmm2", "perceptron", "crf"]


def gsd_dev_text() -> list[str]:
    out = []
    with open(corpora_dir() / "ud_chinese" / "zh_gsdsimp-ud-dev.conllu", encoding="utf-8") as f:
        for line in f:
            if line.startswith("# text = "):
                out.append(line[len("# text = "):].rstrip("\n"))
    return out


def outputs(quick: bool):
    import cnlp
    n = 300 if quick else None
    d = corpora_dir() / "sighan2005"
    inputs = {
        "pku": (d / "pku_test.utf8").read_text("utf-8").splitlines()[:n],
        "msr": (d / "msr_test.utf8").read_text("utf-8").splitlines()[:n],
        "pd98": pd98_raw_lines(n),
    }
    for name, lines in inputs.items():
        for algo in ALGOS:
            t = time.perf_counter()
            yield f"segment.{algo}.{name}", "\n".join("  ".join(cnlp.segment(l, algorithm=algo)) for l in lines)
            yield f"segment_many.{algo}.{name}", "\n".join(
                "  ".join(w) for w in cnlp.segment_many(lines, algorithm=algo))
            print(f"  {algo} {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    gsd = gsd_dev_text()[:n]
    for name, lines in (("gsd", gsd), ("pku", inputs["pku"])):
        yield f"tag.{name}", "\n".join(" ".join(f"{w}/{t}" for w, t in cnlp.tag(l)) for l in lines)
        yield f"ner.{name}", "\n".join(repr(cnlp.ner(l)) for l in lines)
        print(f"  tag/ner {name}", file=sys.stderr)
    yield "analyze.gsd", "\n".join(json.dumps(cnlp.analyze(l).to_json(), ensure_ascii=False, sort_keys=True)
                                     for l in gsd)
    yield "parse.gsd", "".join(cnlp.parse(l).to_conllu() for l in gsd)
    print("  analyze/parse", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", metavar="DIR")
    g.add_argument("--compare", metavar="DIR")
    ap.add_argument("--quick", action="store_true", help="300 lines per input")
    args = ap.parse_args()
    out = Path(args.write or args.compare)
    if args.write:
        out.mkdir(parents=True, exist_ok=True)
        digests = {}
        for key, text in outputs(args.quick):
            data = text.encode("utf-8", "surrogatepass")
            (out / f"{key}.txt").write_bytes(data)
            digests[key] = hashlib.sha256(data).hexdigest()
        (out / "digests.json").write_text(json.dumps(digests, indent=1), encoding="utf-8")
        print(f"{len(digests)} outputs written to {out}")
        return 0
    want = json.loads((out / "digests.json").read_text(encoding="utf-8"))
    bad = 0
    seen = 0
    for key, text in outputs(args.quick):
        seen += 1
        got = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if want.get(key) != got:
            bad += 1
            print(f"DIFFERS: {key}")
    print(f"{seen} outputs compared, {bad} differ")
    return 1 if bad or seen != len(want) else 0


if __name__ == "__main__":
    sys.exit(main())
