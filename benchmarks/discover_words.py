"""New-word discovery: precision of the top candidates, speed and memory at 10 M characters.

    python benchmarks/discover_words.py                 # all parts
    python benchmarks/discover_words.py --part a        # top-200 precision on 199801 raw text (+ misses)
    python benchmarks/discover_words.py --part sweep    # score formulas / thresholds compared
    python benchmarks/discover_words.py --part b        # 10 M chars: time, peak RSS, first call
    python benchmarks/discover_words.py --part c        # plain-Python dict counter, 1 M chars

(a) A candidate is counted as correct when it is a word of pku_training_words.utf8 or of
    dicts/jieba_dict.txt. (sweep) re-ranks the candidates of one run (no thresholds) with other
    formulas. (held) the same precision on the sentiment reviews, which no formula was chosen on.
(b) The sentiment corpus (pos + neg, every review) cycled until 10 M characters, streamed into
    discover_words() by a generator, in a child process (peak RSS = the child's VmHWM);
    best of N runs; the first call of a fresh process is timed apart, with an empty Numba cache
    (compile) and with the cache filled (load).
(c) The same statistics computed with collections.Counter over str n-grams on a 1 M-char slice,
    next to discover_words() on the same slice (same process, best of N); results compared.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, pd98_raw_lines  # noqa: E402

from cnlp.extract.discover import discover_words  # noqa: E402
from cnlp.io import corpora_dir  # noqa: E402
from cnlp.text import CN_NUM, HAN, char_classes, to_codes  # noqa: E402

HERE = Path(__file__).resolve()


def gold_words() -> set[str]:
    d = corpora_dir()
    words = {w.strip() for w in open(d / "sighan2005" / "pku_training_words.utf8", encoding="utf-8") if w.strip()}
    with open(d / "dicts" / "jieba_dict.txt", encoding="utf-8") as f:
        words |= {line.split()[0] for line in f if line.strip()}
    return words


def sentiment_reviews() -> list[str]:
    d = corpora_dir() / "sentiment"
    out = []
    for name in ("pos.txt", "neg.txt"):
        with open(d / name, encoding="utf-8") as f:
            out.extend(line.rstrip("\n") for line in f)
    return out


def precision(res, gold, k=200, show=True, label=""):
    top = res[:k]
    miss = [r for r in top if r.word not in gold]
    p = 1 - len(miss) / max(len(top), 1)
    print(f"{label}top-{k} precision {p:.3f} ({len(top) - len(miss)}/{len(top)})")
    if show and miss:
        print("  misses: " + " ".join(f"{r.word}({r.freq})" for r in miss))
    return p


def part_a(gold):
    lines = pd98_raw_lines()
    n = sum(map(len, lines))
    t = best_of(lambda: discover_words(lines), 3)
    res = discover_words(lines)
    print(f"== (a) 199801 raw text: {len(lines)} lines, {n} chars; discover_words() defaults "
          f"{t:.2f} s (best of 3), {len(res)} candidates")
    precision(res, gold, 200)
    precision(res, gold, 1000)
    precision(res, gold, 3000, show=False)
    print("  top 50: " + " ".join(r.word for r in res[:50]))
    return res


def part_held(gold):
    revs = sentiment_reviews()
    res = discover_words(revs)
    print(f"== (held) sentiment reviews ({len(revs)} reviews, {sum(map(len, revs))} chars): "
          f"{len(res)} candidates")
    precision(res, gold, 200)
    precision(res, gold, 1000, show=False)
    print("  top 50: " + " ".join(r.word for r in res[:50]))
    new = discover_words(revs, exclude=gold, top=50)
    print("  top 50 absent from PKU+jieba: " + " ".join(r.word for r in new))


def part_sweep(gold):
    import cnlp.extract.discover as D
    print("== (sweep) score formula x thresholds, precision at top 200 / 1000 / 3000")
    for (name, texts), edges in itertools.product((("199801", pd98_raw_lines()),
                                                   ("sentiment", sentiment_reviews())), (True, False)):
        D._EDGES_DISTINCT = edges
        res = discover_words(texts, min_entropy=-math.inf, min_mi=-math.inf)
        D._EDGES_DISTINCT = False
        f = np.array([r.freq for r in res], float)
        mi = np.array([r.mi for r in res])
        hm = np.minimum([r.left_entropy for r in res], [r.right_entropy for r in res])
        ok_word = np.array([r.word in gold for r in res])
        lf = np.log(f)
        formulas = {"log f + minH + MI": lf + hm + mi, "minH + MI": hm + mi,
                    "log f * (minH + MI)": lf * (hm + mi), "log f * minH * MI": lf * hm * np.maximum(mi, 0),
                    "minH * MI": hm * np.maximum(mi, 0), "log f * minH": lf * hm, "freq": f}
        print(f"  {name}, run edges {'distinct neighbours' if edges else 'one boundary symbol'}: "
              f"{len(res)} candidates (min_freq 5)")
        for me, mm in ((0, -math.inf), (1, 1), (1, 2), (1, 3), (1.5, 2)):
            keep = (hm >= me) & (mi >= mm)
            cells = []
            for fname, s in formulas.items():
                order = np.argsort(-np.where(keep, s, -np.inf), kind="stable")
                cells.append(f"{fname}: " + "/".join(f"{ok_word[order[:k]].mean():.3f}" for k in (200, 1000, 3000)))
            print(f"    min_entropy={me} min_mi={mm} ({int(keep.sum())} kept)\n      " + "\n      ".join(cells))


# ------------------------------------------------------------------------------ (b)
def random_text(target, alphabet=20000, seed=0):
    """Uniform random CJK characters in lines of 100: nearly every bigram distinct (worst case)."""
    rng = np.random.default_rng(seed)
    for _ in range(target // 100):
        yield to_codes_str(rng.integers(0x4E00, 0x4E00 + alphabet, 100))


def to_codes_str(codes):
    from cnlp.text import from_codes
    return from_codes(codes.astype(np.int32))


def ten_million(target, source="sentiment"):
    if source == "random":
        yield from random_text(target)
        return
    revs = sentiment_reviews()
    n = 0
    while True:
        for r in revs:
            yield r
            n += len(r)
            if n >= target:
                return


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (Linux; unlike ru_maxrss it does not inherit the forking
    parent's peak), else ru_maxrss."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(target, repeat, source="sentiment"):
    """Runs in a fresh process: first call, then ``repeat`` timed runs over ``target`` chars."""
    t0 = time.perf_counter()
    discover_words(["喵呜嗷", "甲乙丙"], min_freq=1)
    first = time.perf_counter() - t0
    rss0 = peak_rss_mb()
    times, nres, top = [], 0, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = discover_words(ten_million(target, source))
        times.append(time.perf_counter() - t0)
        nres = len(res)
        top = [r.word for r in res[:20]]
        del res
    peak = peak_rss_mb()
    print(json.dumps({"first_call": first, "rss_after_first_call_mb": rss0, "times": times,
                      "peak_rss_mb": peak, "candidates": nres, "top": top}, ensure_ascii=False))


def run_child(args, env=None):
    out = subprocess.run([sys.executable, str(HERE), "--child", *map(str, args)], capture_output=True,
                         text=True, env=env)
    if out.returncode:
        raise SystemExit(f"child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_b(target, repeat):
    print(f"== (b) sentiment reviews cycled to {target:,} chars, streamed from a generator")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        cold = run_child([1000, 0], env)
        warm = run_child([1000, 0], env)
    print(f"  first call in a fresh process: {cold['first_call']:.2f} s with an empty Numba cache (compile), "
          f"{warm['first_call']:.2f} s with the cache filled")
    r = run_child([target, repeat])
    print(f"  wall time {min(r['times']):.2f} s best of {repeat} (all: {', '.join(f'{t:.2f}' for t in r['times'])}); "
          f"peak RSS {r['peak_rss_mb']:.0f} MB (process after imports and first call: "
          f"{r['rss_after_first_call_mb']:.0f} MB); {r['candidates']} candidates")
    print("  top 20: " + " ".join(r["top"]))
    r = run_child([target, 1, "random"])
    print(f"  worst case for memory, {target:,} uniform random characters of a 20,000-character alphabet "
          f"(almost every bigram distinct): {min(r['times']):.2f} s, peak RSS {r['peak_rss_mb']:.0f} MB, "
          f"{r['candidates']} candidates")


# ------------------------------------------------------------------------------ (c)
def counter_discover(texts, max_len=4, min_freq=5, min_entropy=1.0, min_mi=2.0):
    """Plain-Python reference: collections.Counter over str n-grams of the Han runs."""
    runs = []
    for t in texts:
        cls = char_classes(to_codes(t))
        start = None
        for i, c in enumerate(cls):
            if c == HAN or c == CN_NUM:
                if start is None:
                    start = i
            elif start is not None:
                runs.append(t[start:i])
                start = None
        if start is not None:
            runs.append(t[start:])
    cnt = Counter()
    for r in runs:
        m = len(r)
        for n in range(1, max_len + 2):
            for i in range(m - n + 1):
                cnt[r[i:i + n]] += 1
    n_chars = sum(map(len, runs))
    right, left = {}, {}
    for g, c in cnt.items():
        if len(g) >= 3 and cnt[g[:-1]] >= min_freq:
            right.setdefault(g[:-1], []).append(c)
        if len(g) >= 3 and cnt[g[1:]] >= min_freq:
            left.setdefault(g[1:], []).append(c)
    out = []
    for w, f in cnt.items():
        if not 2 <= len(w) <= max_len or f < min_freq:
            continue
        hs = []
        for cs in (left.get(w, []), right.get(w, [])):
            b = f - sum(cs)                      # run-edge occurrences: one boundary symbol
            hs.append(math.log(f) - (sum(c * math.log(c) for c in cs) + (b * math.log(b) if b else 0)) / f)
        mi = min(math.log(f * n_chars / (cnt[w[:k]] * cnt[w[k:]])) for k in range(1, len(w)))
        if min(hs) >= min_entropy and mi >= min_mi:
            out.append((w, math.log(f) + min(hs) + mi, f, mi, hs[0], hs[1]))
    out.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return out


def part_c(n_chars, repeat):
    texts, n = [], 0
    for line in pd98_raw_lines():
        texts.append(line)
        n += len(line)
        if n >= n_chars:
            break
    discover_words(texts[:10])
    t_nb = best_of(lambda: discover_words(texts), repeat)
    t_py = best_of(lambda: counter_discover(texts), repeat)
    a = discover_words(texts)
    b = counter_discover(texts)
    ref = {r[0]: r for r in b}                   # same words, same values (order may differ
    same = len(a) == len(b) and all(           # between scores equal up to rounding)
        r.word in ref and r.freq == ref[r.word][2] and abs(r.score - ref[r.word][1]) < 1e-9 for r in a)
    print(f"== (c) first {len(texts)} lines of 199801 ({n} chars): discover_words {t_nb:.2f} s, "
          f"Counter {t_py:.2f} s (best of {repeat}) -> {t_py / t_nb:.1f}x; identical output: {same} "
          f"({len(a)} candidates)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["a", "held", "sweep", "b", "c", "all"], default="all")
    ap.add_argument("--chars", type=int, default=10_000_000, help="(b) corpus size")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(int(args.child[0]), int(args.child[1]), *args.child[2:])
    gold = gold_words() if args.part in ("a", "held", "sweep", "all") else None
    if args.part in ("a", "all"):
        part_a(gold)
    if args.part in ("held", "all"):
        part_held(gold)
    if args.part in ("sweep", "all"):
        part_sweep(gold)
    if args.part in ("b", "all"):
        part_b(args.chars, args.repeat)
    if args.part in ("c", "all"):
        part_c(1_000_000, args.repeat)


if __name__ == "__main__":
    main()
