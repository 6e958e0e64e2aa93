"""Load time and memory of a large third-party dictionary (jieba's 349k entries).

    python benchmarks/bench_dictionary.py

Prints: text load (parse + fold + marisa + array tries), save, and binary bundle load times,
the peak RSS growth and the RSS still held after each load (fresh subprocesses, measured after
Numba's start-up), and the bundle size on disk.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = r"""
import gc, json, resource, sys, time
sys.path.insert(0, {root!r})
from cnlp.dictionary import Dictionary
def cur(): return int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
Dictionary.from_counts(["ab"])          # Numba's one-time start-up is not the dictionary's memory
r0, c0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, cur()
t0 = time.perf_counter()
d = Dictionary.load_text({src!r}) if {mode!r} == "text" else Dictionary.load({out!r})
t1 = time.perf_counter()
gc.collect()
r1, c1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, cur()
if {mode!r} == "text":
    d.save({out!r})
t2 = time.perf_counter()
print(json.dumps({{"entries": len(d), "load_s": t1 - t0, "save_s": t2 - t1, "rss_mb": (r1 - r0) / 1024,
                  "held_mb": (c1 - c0) / 2**20}}))
"""


def run(mode: str, src: str, out: str) -> dict:
    code = STEP.format(root=str(ROOT), src=src, out=out, mode=mode)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from cnlp.io import corpora_dir
    src = str(corpora_dir() / "dicts" / "jieba_dict.txt")
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "jieba")
        a = run("text", src, out)
        b = run("bundle", src, out)
        size = sum(p.stat().st_size for p in Path(out).iterdir()) / 2**20
    print(f"jieba_dict.txt: {a['entries']} entries")
    print(f"load_text (parse, fold, marisa, array tries): {a['load_s']:.2f} s, peak RSS +{a['rss_mb']:.0f} MB, "
          f"RSS held afterwards +{a['held_mb']:.0f} MB")
    print(f"save bundle: {a['save_s']:.2f} s, {size:.1f} MB on disk")
    print(f"Dictionary.load(bundle): {b['load_s']:.3f} s, peak RSS +{b['rss_mb']:.0f} MB, "
          f"RSS held afterwards +{b['held_mb']:.0f} MB")


if __name__ == "__main__":
    main()
