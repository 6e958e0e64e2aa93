"""Build data/t2s/table.json, the traditional -> simplified character table of cnlp.text's fold.

    python scripts/build_t2s_table.py            # needs the opencc pip package and the corpora

Source: OpenCC's ``t2s`` converter (pip package ``opencc``, Apache-2.0) applied to every BMP code
point *alone*, so only its character dictionaries answer (TSCharacters, TSCharactersExt and the
CJK_Compatibility_Ideographs normalisation), never its phrase table. A code point is mapped when
OpenCC turns it into one different BMP code point; chains are closed (the table is idempotent).

Exclusion: a character that occurs in the simplified training and dev data cnlp's models are built
from (People's Daily 199801.txt, the PKU and MSR training word lists, the MSRA NER training
sample, UD GSDSimp dev) is a character of simplified text and stays as it is (e.g. 乾 of 乾隆,
吒 of 哪吒), so the fold never changes simplified text that the models were trained on.

After rebuilding, delete the Numba caches (``find cnlp -name "*.nbi" -delete; find cnlp -name
"*.nbc" -delete``): kernels compiled with the old table keep it.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnlp.io import corpora_dir  # noqa: E402

OUT = ROOT / "data" / "t2s" / "table.json"


def simplified_chars() -> set[str]:
    """Every character of the simplified training / dev corpora (see the module doc)."""
    c = corpora_dir()
    chars: set[str] = set()
    for line in open(c / "pd1998" / "199801.txt", encoding="utf-8"):
        chars.update("".join(t.rsplit("/", 1)[0].lstrip("[") for t in line.split()))
    for name in ("pku_training_words.utf8", "msr_training_words.utf8"):
        chars.update((c / "sighan2005" / name).read_text("utf-8"))
    for line in open(c / "msra_ner" / "train_extra.bio", encoding="utf-8"):
        chars.update(line.split("\t", 1)[0])
    for line in open(c / "ud_chinese" / "zh_gsdsimp-ud-dev.conllu", encoding="utf-8"):
        if line[:1].isdigit():
            chars.update(line.split("\t")[1])
    return chars


def opencc_map() -> dict[int, int]:
    import opencc
    cc = opencc.OpenCC("t2s")
    m = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        out = cc.convert(chr(cp))
        if len(out) == 1 and out != chr(cp) and ord(out) < 0x10000:
            m[cp] = ord(out)
    return m


def main() -> None:
    import opencc
    m = opencc_map()
    keep = simplified_chars()
    excluded = sorted(cp for cp in m if chr(cp) in keep)
    for cp in excluded:
        del m[cp]
    for cp in list(m):                       # close chains: fold(fold(c)) == fold(c)
        t, seen = m[cp], {cp}
        while t in m and t not in seen:
            seen.add(t)
            t = m[t]
        m[cp] = t
    m = {k: v for k, v in m.items() if k != v}
    pairs = "".join(chr(k) + chr(v) for k, v in sorted(m.items()))
    table = {
        "source": f"OpenCC {getattr(opencc, '__version__', '?')} t2s, one BMP code point at a time "
                  "(character dictionaries only; Apache-2.0), built by scripts/build_t2s_table.py",
        "excluded": "".join(map(chr, excluded)),
        "excluded_rule": "characters occurring in 199801.txt, the PKU/MSR training word lists, "
                         "MSRA NER train_extra or UD GSDSimp dev stay unfolded",
        "n_pairs": len(m),
        "pairs": pairs,
        # checked at load (cnlp.text.pairs_digest): a corrupted or edited table is refused
        "pairs_sha256": hashlib.sha256(pairs.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(m)} pairs, excluded {table['excluded']}, "
          f"{OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
