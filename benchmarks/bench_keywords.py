"""Keywords and key sentences: cnlp vs jieba.analyse, warm time per 2,000-character document, same run.

    taskset -c 0 python benchmarks/bench_keywords.py [--docs 20] [--repeat 5]

Documents: consecutive lines of sighan2005/pku_test.utf8 joined with newlines and cut to exactly
2,000 characters. Every function gets str in and returns its top 10 (summarize: top 3); the whole
set is timed, best of N, and divided by the number of documents. jieba.analyse.extract_tags and
jieba.analyse.textrank (its defaults: textrank filters with jieba.posseg) run in the same process.
First calls (loading the shipped models and Numba's cache; jieba: loading its dictionary) are timed
in fresh subprocesses and reported apart.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from common import best_of, corpora_dir

ROOT = Path(__file__).resolve().parent.parent

_FIRST_CNLP = """
import time, json
t0 = time.perf_counter(); import cnlp; t1 = time.perf_counter()
doc = {doc!r}
r = {{"import": t1 - t0}}
for name, fn in (("tfidf", lambda: cnlp.keywords(doc, 10)),
                 ("textrank", lambda: cnlp.keywords(doc, 10, algorithm="textrank")),
                 ("summarize", lambda: cnlp.summarize(doc, 3))):
    t = time.perf_counter(); fn(); r[name] = time.perf_counter() - t
print(json.dumps(r))
"""

_FIRST_JIEBA = """
import time, json
t0 = time.perf_counter(); import jieba, jieba.analyse; jieba.setLogLevel(60); t1 = time.perf_counter()
doc = {doc!r}
r = {{"import": t1 - t0}}
for name, fn in (("tfidf", lambda: jieba.analyse.extract_tags(doc, 10)),
                 ("textrank", lambda: jieba.analyse.textrank(doc, 10))):
    t = time.perf_counter(); fn(); r[name] = time.perf_counter() - t
print(json.dumps(r))
"""


def documents(n: int, size: int = 2000) -> list[str]:
    lines = [l.strip() for l in (corpora_dir() / "sighan2005" / "pku_test.utf8").read_text("utf-8").splitlines()]
    lines = [l for l in lines if l]
    docs, cur = [], []
    for line in lines:
        cur.append(line)
        if sum(map(len, cur)) + len(cur) - 1 >= size:
            docs.append("\n".join(cur)[:size])
            cur = []
            if len(docs) == n:
                break
    return docs


def first_call(script: str, doc: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script.format(doc=doc)], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    docs = documents(args.docs)
    n = len(docs)
    print(f"input: {n} documents of {len(docs[0])} chars from pku_test.utf8; best of {args.repeat}")
    first_c = first_call(_FIRST_CNLP, docs[0])
    first_j = first_call(_FIRST_JIEBA, docs[0])

    import cnlp
    import jieba
    import jieba.analyse
    jieba.setLogLevel(60)
    for d in docs[:2]:                        # warm up both sides
        cnlp.keywords(d), cnlp.keywords(d, algorithm="textrank"), cnlp.summarize(d)
        jieba.analyse.extract_tags(d, 10), jieba.analyse.textrank(d, 10)

    def per_doc(fn):
        return best_of(lambda: [fn(d) for d in docs], args.repeat) / n * 1000

    rows = [
        ("TF-IDF keywords", per_doc(lambda d: cnlp.keywords(d, 10)),
         per_doc(lambda d: jieba.analyse.extract_tags(d, 10))),
        ("TextRank keywords", per_doc(lambda d: cnlp.keywords(d, 10, algorithm="textrank")),
         per_doc(lambda d: jieba.analyse.textrank(d, 10))),
        ("TextRank key sentences (summarize, top 3)", per_doc(lambda d: cnlp.summarize(d, 3)), None),
        ("segmentation only (cnlp.segment / jieba.lcut)", per_doc(cnlp.segment), per_doc(jieba.lcut)),
    ]
    print("\n| task | cnlp ms/doc | jieba ms/doc | jieba / cnlp |\n|---|---|---|---|")
    for name, c, j in rows:
        if j is None:
            print(f"| {name} | {c:.2f} | — | — |")
        else:
            print(f"| {name} | {c:.2f} | {j:.2f} | {j / c:.1f}× |")
    print("\n| first call in a fresh process (s) | import | tfidf | textrank | summarize |\n|---|---|---|---|---|")
    print(f"| cnlp (loads dictionary, segmenter, idf; Numba cache) | {first_c['import']:.2f} | "
          f"{first_c['tfidf']:.2f} | {first_c['textrank']:.3f} | {first_c['summarize']:.3f} |")
    print(f"| jieba (loads its dictionary / idf / posseg) | {first_j['import']:.2f} | {first_j['tfidf']:.2f} | "
          f"{first_j['textrank']:.2f} | — |")


if __name__ == "__main__":
    main()
