"""Fork while another thread makes cnlp's first call: the child must finish, with the right output.

Each trial is a fresh Python process: a thread makes the first call of a random entry point
(``segment``, ``tag``, ``ner``, ``parse``: lazy imports, model loads, Numba kernels loaded or
compiled), while the main thread forks after a random delay (0-3 s). The child makes a call of a
random entry point and exits; the parent waits for it at most ``--child-timeout`` seconds from the
moment ``os.fork()`` returns (a child still running then is a *hang*, killed; ``fork_s`` is how long
``os.fork()`` itself waited for the other thread's compilation or import, at most
``cnlp._locks.FORK_WAIT``), then compares the child's output with the same call made
in the parent once its thread is done.

    python benchmarks/fork_first_call.py --trials 50 --seed 0
    python benchmarks/fork_first_call.py --trials 3 --cold   # an empty Numba cache per trial: compile in it
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = ("segment", "tag", "ner", "parse")
TEXT = "我们选择了这个方案，北京大学的经济发展很快。"

TRIAL = r"""
import json, os, sys, threading, time
first, delay, second, text, timeout = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
import cnlp

def call(name):
    return repr(getattr(cnlp, name)(text))

thread = threading.Thread(target=call, args=(first,), daemon=True)
thread.start()
time.sleep(delay)
r, w = os.pipe()
t_call = time.monotonic()
pid = os.fork()          # waits (cnlp._locks) while the thread compiles a kernel or imports a module
if pid == 0:
    os.close(r)
    import faulthandler
    faulthandler.dump_traceback_later(max(1.0, timeout - 5), exit=False)   # a hang's stacks, on stderr
    try:
        out = call(second)
        os.write(w, json.dumps({"out": out}).encode())
        os._exit(0)
    except BaseException as e:
        os.write(w, json.dumps({"error": f"{type(e).__name__}: {e}"}).encode())
        os._exit(3)
os.close(w)
t_fork = time.monotonic()
fork_s = round(t_fork - t_call, 2)
status = None
while time.monotonic() - t_fork < timeout:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = os.waitstatus_to_exitcode(st)
        break
    time.sleep(0.02)
child_s = round(time.monotonic() - t_fork, 2)
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print(json.dumps({"outcome": "hang", "fork_s": fork_s, "child_s": child_s}))
    sys.exit(0)
data = b""
while chunk := os.read(r, 1 << 16):
    data += chunk
msg = json.loads(data or b"{}")
thread.join()
want = call(second)
if status != 0 or "out" not in msg:
    print(json.dumps({"outcome": "child failed", "status": status, **msg, "child_s": child_s}))
elif msg["out"] != want:
    print(json.dumps({"outcome": "wrong output", "got": msg["out"][:200], "want": want[:200]}))
else:
    print(json.dumps({"outcome": "ok", "fork_s": fork_s, "child_s": child_s}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-delay", type=float, default=3.0, help="the fork comes 0..MAX_DELAY s after the thread starts")
    ap.add_argument("--child-timeout", type=float, default=60.0, help="seconds after which a child is a hang")
    ap.add_argument("--cold", action="store_true", help="an empty NUMBA_CACHE_DIR per trial (the first call compiles)")
    ap.add_argument("--entries", nargs="+", default=list(ENTRIES), choices=ENTRIES)
    ap.add_argument("--stacks", action="store_true", help="print the stderr (thread stacks) of failed trials")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    counts: dict = {}
    t0 = time.perf_counter()
    for i in range(args.trials):
        first, second = rng.choice(args.entries), rng.choice(args.entries)
        delay = round(rng.uniform(0, args.max_delay), 3)
        if args.cold:
            env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="cnlp-cold-numba-")
        try:
            res = subprocess.run([sys.executable, "-c", TRIAL, first, str(delay), second, TEXT,
                                  str(args.child_timeout)], capture_output=True, text=True, env=env,
                                 timeout=args.child_timeout + 900)
            lines = res.stdout.strip().splitlines()
            rec = json.loads(lines[-1]) if res.returncode == 0 and lines else {
                "outcome": "trial failed", "rc": res.returncode, "stderr": res.stderr[-500:]}
            if rec["outcome"] != "ok" and args.stacks:
                print(res.stderr[-6000:], file=sys.stderr)
        except subprocess.TimeoutExpired:
            rec = {"outcome": "trial timeout"}
        if args.cold:
            shutil.rmtree(env["NUMBA_CACHE_DIR"], ignore_errors=True)
        counts[rec["outcome"]] = counts.get(rec["outcome"], 0) + 1
        print(json.dumps({"trial": i, "first": first, "delay": delay, "child": second, **rec},
                         ensure_ascii=False), flush=True)
    print(f"{args.trials} trials in {time.perf_counter() - t0:.0f} s: {counts}")
    return 0 if counts.get("ok", 0) == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())
