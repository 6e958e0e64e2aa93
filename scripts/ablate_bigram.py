"""What each step of the bigram lattice buys on the PKU test (trained on 199801.txt, tuned constants).

    python scripts/ablate_bigram.py

The first rows have the same lattice (dictionary words, singles, NUM/TIME number-expression nodes,
Latin runs) and differ in which training words are pooled into the class statistics; the last adds
the character HMM's unknown-word candidates. The shipped choice
was made on the dev split (scripts/tune_bigram.py), this script only reports the test.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from common import pku_test, score  # noqa: E402

from cnlp.segmentation import lattice as L  # noqa: E402  (cnlp.segment the attribute is the function)
from cnlp.corpus.stats import CorpusStats  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402


def run(label: str, stats, classes: str, number_nodes: bool = True, hmm=None) -> None:
    params = {k: v for k, v in L.TUNED.items() if k in L._STATS_PARAMS}
    model = L.BigramModel.from_stats(stats, **{**params, "classes": classes})
    if hmm is not None:
        model.set_candidates(hmm, L.TUNED["cand_cost"], L.TUNED["cand_maxlen"])
    if not number_nodes:            # the nodes stay in the lattice but can never win
        nd = len(model.vocab)
        model.uni[nd + L.K.NUM] = model.uni[nd + L.K.TIME] = 1e-300
    seg = L.LatticeSegmenter(model)
    raw, gold, words = pku_test()
    r = score([seg.segment(x) for x in raw], gold, words)
    print(f"| {label} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['oov_recall']:.4f} | "
          f"{r['iv_recall']:.4f} |", flush=True)


def main() -> None:
    from cnlp.corpus.readers import read_pd98
    from cnlp.segmentation.hmm import HMMSegmenter
    sents = list(read_pd98(corpora_dir() / "pd1998" / "199801.txt"))
    stats = CorpusStats.build(sents)
    print("| training words pooled into class nodes | P | R | F1 | OOV-R | IV-R |")
    print("|---|---|---|---|---|---|")
    run("all numeric (Arabic and Chinese numerals) and Latin words", stats, "all")
    run("words with Arabic digits, and Latin words", stats, "digits")
    run("Latin words only, without NUM/TIME fallback nodes", stats, "latin", number_nodes=False)
    run("Latin words only (chosen on dev)", stats, "latin")
    run("+ unknown-word candidates from the character HMM (shipped)", stats, "latin", hmm=HMMSegmenter().fit(sents))


if __name__ == "__main__":
    main()
