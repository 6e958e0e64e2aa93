"""Print cnlp's TF-IDF / TextRank keywords next to jieba.analyse's for news paragraphs of the PKU test
input (the tables in docs/keywords.md), and a summarize() example.

    python benchmarks/keywords_vs_jieba.py [--lines 23 134 148] [--top-k 8]

Line numbers are 0-based indices into sighan2005/pku_test.utf8. jieba runs with its defaults
(extract_tags: its own IDF file and stopwords, no POS filter; textrank: jieba.posseg with
allowPOS ns/n/vn/v, window 5). cnlp runs with its defaults (shipped segmenter, dictionary-derived
stopwords and DEFAULT_POS, shipped IDF table from People's Daily 1998-01).
"""
from __future__ import annotations

import argparse

from common import corpora_dir


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, nargs="+", default=[23, 134, 148],
                    help="line numbers of pku_test.utf8 (counting from 1, as editors do)")
    ap.add_argument("--top-k", type=int, default=8)
    ap.add_argument("--summary-lines", type=int, nargs=2, default=[131, 136],
                    help="first and last line number (from 1) of the lines joined into the summarize() example")
    args = ap.parse_args()
    lines = (corpora_dir() / "sighan2005" / "pku_test.utf8").read_text("utf-8").splitlines()

    import cnlp
    import jieba
    import jieba.analyse
    jieba.setLogLevel(60)
    k = args.top_k
    for n in args.lines:
        text = lines[n - 1]
        print(f"\n**Line {n}** ({len(text)} chars): {text[:60]}…\n")
        print("| method | keywords |\n|---|---|")
        rows = [("cnlp tfidf", cnlp.keywords(text, k)),
                ("jieba extract_tags", jieba.analyse.extract_tags(text, k)),
                ("cnlp textrank", cnlp.keywords(text, k, algorithm="textrank")),
                ("jieba textrank", jieba.analyse.textrank(text, k))]
        for name, kw in rows:
            print(f"| {name} | {'、'.join(kw)} |")

    a, b = args.summary_lines
    doc = "\n".join(lines[a - 1:b])
    print(f"\n**summarize**: lines {a}–{b} ({len(doc)} chars, "
          f"{len(__import__('cnlp.extract.summarize', fromlist=['x']).sentences(doc))} sentences), top 2:\n")
    for sim in ("overlap", "bm25"):
        print(f"* `{sim}`:")
        for s in cnlp.summarize(doc, 2, similarity=sim):
            print(f"  * {s}")


if __name__ == "__main__":
    main()
