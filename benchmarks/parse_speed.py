"""Dependency parsing speed on one core: sentences/s and words/s, greedy and beam, parse only
(gold words + gold UPOS of GSDSimp dev) and end to end (raw text -> UD segmenter -> tagger ->
parser), the guide tagger alone, plus first-call compile time with a cold and a warm Numba cache.

    NUMBA_NUM_THREADS=1 taskset -c 0 python benchmarks/parse_speed.py [--repeat 3] [--beam 8]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_COMPILE = """
import time, sys
t = time.perf_counter()
from cnlp.models import parser as default_parser
p = default_parser()
t1 = time.perf_counter()
p.parse(["中文", "句法", "分析"], ["NOUN", "NOUN", "VERB"], beam=1)
t2 = time.perf_counter()
p.parse(["中文", "句法", "分析"], ["NOUN", "NOUN", "VERB"], beam=8)
t3 = time.perf_counter()
print(f"{t1 - t:.2f} {t2 - t1:.2f} {t3 - t2:.2f}")
"""


def compile_times() -> str:
    out = []
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "NUMBA_CACHE_DIR": d}
        for label in ("cold cache", "warm cache"):
            r = subprocess.run([sys.executable, "-c", _COMPILE], env=env, cwd=ROOT, capture_output=True, text=True)
            if r.returncode:
                return r.stderr
            load, greedy, beam = r.stdout.split()
            out.append(f"{label}: import+load {load}s, first greedy parse {greedy}s, first beam parse {beam}s")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--beam", type=int, default=None)
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--parser", metavar="DIR", default=None, help="this parser instead of the shipped one (data/dep)")
    args = ap.parse_args(argv)
    from cnlp.io import corpora_dir
    from cnlp.models import parser as default_parser, ud_segmenter as default_ud_segmenter, ud_tagger as default_ud_tagger
    from cnlp.parsing.conllu import UD_DEV, read_ud
    if not args.no_compile:
        print(compile_times())
    dev = read_ud(corpora_dir() / "ud_chinese" / UD_DEV)
    n_words = sum(len(s) for s in dev)
    parser, tagger, seg = default_parser().warmup(), default_ud_tagger().warmup(), default_ud_segmenter()
    if args.parser:
        from cnlp.parsing.parser import ArcHybridParser
        parser = ArcHybridParser.load(args.parser).warmup()
    seg.segment("预热")
    pairs = [(s.forms, s.upos) for s in dev]
    texts = [s.text for s in dev]
    print(f"{len(dev)} sentences, {n_words} words (GSDSimp dev)")
    if parser.guide_ is not None:
        t = best_of(lambda: [parser.guide_.predict(w) for w, _ in pairs], args.repeat)
        print(f"guide tagger alone (parse runs it on every sentence): {len(dev) / t:,.0f} sentences/s")
    for beam in sorted({1, args.beam or parser.beam}):
        t = best_of(lambda: [parser.parse(w, p, beam=beam) for w, p in pairs], args.repeat)
        print(f"parse only, beam {beam}: {len(dev) / t:,.0f} sentences/s, {n_words / t:,.0f} words/s")
        tb = best_of(lambda: parser.parse_many(pairs, beam=beam), args.repeat)
        print(f"parse only (parse_many), beam {beam}: {len(dev) / tb:,.0f} sentences/s, {n_words / tb:,.0f} words/s")

        def e2e():
            for text in texts:
                words = [w for w in seg.segment(text) if not w.isspace()]
                up, _ = tagger.predict_both(words)
                parser.parse(words, up, beam=beam)
        t = best_of(e2e, args.repeat)
        print(f"end to end (segment, UPOS+XPOS, parse: three calls, the guide tagger run twice), beam {beam}: "
              f"{len(dev) / t:,.0f} sentences/s, {n_words / t:,.0f} words/s")
        from cnlp.pipeline import build_pipeline
        nlp = build_pipeline("parse", beam=beam)
        nlp(texts[0])
        t = best_of(lambda: [nlp(text) for text in texts], args.repeat)
        print(f"end to end (the pipeline of cnlp.parse: one Doc per text, the guide tagger run once), beam {beam}: "
              f"{len(dev) / t:,.0f} sentences/s, {n_words / t:,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
