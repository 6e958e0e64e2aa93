"""A user dictionary in jieba's format, loaded into jieba and into cnlp: which user words come out?

    python benchmarks/user_dict_demo.py [--algorithm crf ...] [--dict F --sentences F]

The fixture (``benchmarks/data/userdict_demo.txt``, ``word freq pos`` lines of person names, new
terms and product names, and ``userdict_demo_sentences.txt``, sentences where the default model
splits them) is loaded with ``jieba.load_userdict`` and ``cnlp.load_user_dict`` (entries without a
mode column: ``prefer``). For each occurrence of a user word: does jieba output it, does cnlp?
The last line counts the words jieba outputs that cnlp misses (0 is the aim).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import common  # noqa: F401  (puts the repository on sys.path)

HERE = Path(__file__).resolve().parent / "data"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dict", default=str(HERE / "userdict_demo.txt"))
    ap.add_argument("--sentences", default=str(HERE / "userdict_demo_sentences.txt"))
    ap.add_argument("--algorithm", nargs="+", default=["crf"], help="cnlp segmenters to compare")
    args = ap.parse_args()
    import jieba
    import cnlp
    from cnlp.dictionary import UserDictionary
    jieba.setLogLevel(60)
    jieba.load_userdict(args.dict)
    ud = UserDictionary.load(args.dict)
    words = list(ud)
    sents = [s.strip() for s in Path(args.sentences).read_text("utf-8").splitlines() if s.strip()]
    print("| sentence | user word | jieba | " + " | ".join(f"cnlp {a}" for a in args.algorithm) + " |")
    print("|---|---|---|" + "---|" * len(args.algorithm))
    missed = {a: 0 for a in args.algorithm}
    only_cnlp = {a: 0 for a in args.algorithm}
    total = 0
    for i, s in enumerate(sents, 1):
        jw = set(jieba.lcut(s))
        cw = {a: set(cnlp.segment(s, algorithm=a, user_dict=ud)) for a in args.algorithm}
        for w in words:
            if w not in s:
                continue
            total += 1
            cells = []
            for a in args.algorithm:
                cells.append("yes" if w in cw[a] else "**no**")
                missed[a] += w in jw and w not in cw[a]
                only_cnlp[a] += w in cw[a] and w not in jw
            print(f"| {i} | {w} | {'yes' if w in jw else 'no'} | " + " | ".join(cells) + " |")
    for a in args.algorithm:
        print(f"\ncnlp {a}: {total} user-word occurrences; output by jieba but not by cnlp: {missed[a]}; "
              f"by cnlp but not by jieba: {only_cnlp[a]}")
    print("\nREADME example: segment('他站在天安门广场上', user_dict=['天安门广场']) ->",
          cnlp.segment("他站在天安门广场上", user_dict=["天安门广场"]))


if __name__ == "__main__":
    main()
