"""PKU test table for the max-match segmenters.

    python benchmarks/accuracy_maxmatch.py

Rows: pure FMM/BMM/BiMM (no atoms) with pku_training_words.utf8 as the only dictionary (the
SIGHAN 2005 baseline: F1 0.869, R 0.904, P 0.836), the same with atoms, and the shipped
default dictionary (built from 199801.txt) with atoms.
"""
from __future__ import annotations

from common import pku_test, score

from cnlp.dictionary import Dictionary
from cnlp.io import corpora_dir
from cnlp.models import dictionary as default_dictionary
from cnlp.segmentation.maxmatch import MaxMatchSegmenter


def main() -> None:
    raw, gold, words = pku_test()
    path = corpora_dir() / "sighan2005" / "pku_training_words.utf8"
    raw_pku = Dictionary.load_text(path, format="words", fold=False)
    pku = Dictionary.load_text(path, format="words")
    print("| dictionary | algorithm | atoms | P | R | F1 | OOV-R | IV-R |")
    print("|---|---|---|---|---|---|---|---|")
    for dname, d, atom_opts in (("pku_training_words, unfolded (pure baseline)", raw_pku, (False,)),
                                ("pku_training_words, width-folded", pku, (False, True)),
                                ("default (199801.txt)", default_dictionary(), (True,))):
        for atoms in atom_opts:
            for direction, name in (("forward", "FMM"), ("backward", "BMM"), ("both", "BiMM")):
                seg = MaxMatchSegmenter(d, direction=direction, atoms=atoms)
                r = score([seg.segment(l) for l in raw], gold, words)
                print(f"| {dname} | {name} | {'yes' if atoms else 'no'} | {r['precision']:.4f} | "
                      f"{r['recall']:.4f} | {r['f1']:.4f} | {r['oov_recall']:.4f} | {r['iv_recall']:.4f} |")


if __name__ == "__main__":
    main()
