"""First call of each entry point in a fresh process, on a cold and on a warm Numba cache,
and where a cold first call spends its time (per kernel).

    python benchmarks/cold_start.py                       # the first-call table (cold, then warm)
    python benchmarks/cold_start.py --kernels all         # per-kernel compile table of one scenario
    python benchmarks/cold_start.py --tree /path/to/tree  # another checkout (same scenarios)

Every measurement is a new Python process. "cold" points ``NUMBA_CACHE_DIR`` at a new empty
temporary directory (no compiled kernel anywhere: what a fresh install pays); "warm" runs the same
scenario again on the cache the cold run left. The CLI row pipes ``商品和服务`` into
``python -m cnlp segment`` and is timed from outside (process start to exit); the library rows are
timed inside the process from before ``import cnlp`` to the result. The load average
(``os.getloadavg``) is printed with each table: the machine is shared, read the figures with it.

``--kernels SCENARIO`` records Numba's ``numba:compile`` events in one cold process: for each
compiled (kernel, signature) its inclusive compile time (callees compiled from inside it included),
its exclusive time, and the dispatchers that were compiled more than once (one row per signature).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT = "商品和服务。他在北京大学读书，张三去了上海浦东。"

SCENARIOS = {
    "segment": "cnlp.segment(T)",
    "tag": "cnlp.tag(T)",
    "ner": "cnlp.ner(T)",
    "parse": "cnlp.parse(T)",
    "keywords": "cnlp.keywords(T * 3)",
    "segment_many": "list(cnlp.segment_many([T, T]))",
}
SCENARIOS["all"] = "; ".join(SCENARIOS.values())

CODE = """
import time, json, sys
t0 = time.perf_counter()
import cnlp
t1 = time.perf_counter()
T = {text!r}
{stmt}
t2 = time.perf_counter()
print("@@" + json.dumps([t1 - t0, t2 - t0]))
"""

KERNEL_CODE = """
import time, json, sys
from numba.core import event as ev
stack, rows = [], []

class L(ev.Listener):
    def on_start(self, event):
        stack.append([time.perf_counter(), 0.0])
    def on_end(self, event):
        t0, inner = stack.pop()
        dt = time.perf_counter() - t0
        if stack:
            stack[-1][1] += dt
        d = event.data["dispatcher"]
        rows.append([d.py_func.__module__ + "." + d.py_func.__qualname__, str(tuple(event.data["args"])),
                     dt, dt - inner, len(stack)])

ev.register("numba:compile", L())
t0 = time.perf_counter()
import cnlp
T = {text!r}
{stmt}
print("@@" + json.dumps({{"rows": rows, "total": time.perf_counter() - t0}}))
"""


def run_py(code: str, tree: Path, cache: str, python: str) -> tuple[float, str]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    t = time.perf_counter()
    p = subprocess.run([python, "-c", code], cwd=tree, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode:
        sys.exit(f"scenario failed:\n{p.stderr[-3000:]}")
    line = [x for x in p.stdout.splitlines() if x.startswith("@@")][-1]
    return wall, line[2:]


def run_cli(tree: Path, cache: str, python: str) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    t = time.perf_counter()
    p = subprocess.run([python, "-m", "cnlp", "segment"], input="商品和服务\n", cwd=tree, env=env,
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode or "商品" not in p.stdout:
        sys.exit(f"cnlp segment failed:\n{p.stderr[-3000:]}")
    return wall


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def table(tree: Path, python: str, names: list[str]) -> None:
    print(f"tree {tree}; {load()}")
    print("| first call in a new process | cold cache s | warm cache s | warm: import cnlp s |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="cnlp-cold-") as cache:
        cold, warm = run_cli(tree, cache, python), run_cli(tree, cache, python)
        print(f"| `echo 商品和服务 \\| python -m cnlp segment` (process wall) | {cold:.1f} | {warm:.2f} | |", flush=True)
    for name in names:
        code = CODE.format(text=TEXT, stmt=SCENARIOS[name])
        with tempfile.TemporaryDirectory(prefix="cnlp-cold-") as cache:
            _, c = run_py(code, tree, cache, python)
            _, w = run_py(code, tree, cache, python)
        c, w = json.loads(c), json.loads(w)
        print(f"| `{SCENARIOS[name] if name != 'all' else 'all of the above'}` | {c[1]:.1f} | {w[1]:.2f} | "
              f"{w[0]:.2f} |", flush=True)
    print(load())


def kernels(tree: Path, python: str, name: str, top: int) -> None:
    code = KERNEL_CODE.format(text=TEXT, stmt=SCENARIOS[name])
    with tempfile.TemporaryDirectory(prefix="cnlp-cold-") as cache:
        wall, out = run_py(code, tree, cache, python)
    data = json.loads(out)
    rows = data["rows"]
    excl = sum(r[3] for r in rows)
    print(f"tree {tree}; scenario `{SCENARIOS[name]}`; {load()}")
    print(f"process wall {wall:.1f} s; in-process {data['total']:.1f} s; compiling {excl:.1f} s "
          f"({len(rows)} (kernel, signature) pairs)")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    print("\n| kernel | signatures | exclusive s | inclusive s | top level |\n|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: -r[3])[:top]:
        print(f"| `{r[0].removeprefix('cnlp.')}` | {counts[r[0]]} | {r[3]:.2f} | {r[2]:.2f} | "
              f"{'yes' if r[4] == 0 else ''} |")
    dup = {k: v for k, v in counts.items() if v > 1}
    if dup:
        print("\ncompiled for more than one signature:")
        for r in rows:
            if r[0] in dup:
                print(f"  {r[0].removeprefix('cnlp.')} {r[1][:160]} {r[3]:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--kernels", choices=sorted(SCENARIOS), help="per-kernel compile table of one scenario")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), help="rows of the first-call table")
    args = ap.parse_args()
    if args.kernels:
        kernels(args.tree, args.python, args.kernels, args.top)
    else:
        table(args.tree, args.python, args.only or list(SCENARIOS))


if __name__ == "__main__":
    main()
