"""Time and peak memory of ``cnlp.parse`` on raw text of a given size (UTF-8 bytes).

    python benchmarks/parse_scaling.py 10000 100000 1000000

The text is the lines of ``$CNLP_CORPORA/sighan2005/pku_test.utf8`` joined without newlines
(repeated when the size asks for more), so sentences are found by their punctuation only. Each
size runs in a fresh process after one warm-up call; peak memory is that process's max RSS.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))   # this checkout's cnlp


def text_of(nbytes: int) -> str:
    root = os.environ.get("CNLP_CORPORA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora"))
    with open(os.path.join(root, "sighan2005", "pku_test.utf8"), encoding="utf-8") as f:
        base = "".join(line.strip() for line in f)
    out, size = [], 0
    while size < nbytes:
        for ch in base:
            out.append(ch)
            size += len(ch.encode("utf-8"))
            if size >= nbytes:
                break
    return "".join(out)


def one(nbytes: int) -> dict:
    import cnlp
    text = text_of(nbytes)
    cnlp.parse("他喜欢北京。我爱上海。")             # compile and load first
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    doc = cnlp.parse(text)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    roots = sum(1 for s in doc.sents if sum(1 for t in s if t.head == 0 and not t.is_space) == 1)
    return {"bytes": nbytes, "chars": len(text), "sentences": len(doc.sent_spans), "one_root": roots,
            "seconds": round(dt, 2), "us_per_char": round(dt / len(text) * 1e6, 1),
            "rss_before_mb": round(rss0 / 1024), "peak_rss_mb": round(rss / 1024)}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(int(sys.argv[2]))))
    else:
        for n in sys.argv[1:] or ["10000", "100000", "1000000"]:
            r = subprocess.run([sys.executable, __file__, "--one", n], capture_output=True, text=True, check=True)
            print(r.stdout.strip(), flush=True)
