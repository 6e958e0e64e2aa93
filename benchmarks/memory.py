"""Peak resident memory of fresh processes: cnlp's one-call API and, for reference, its imports.

    python benchmarks/memory.py [--runs 3] [--text 商品和服务]

Each case is a new ``python -c ...`` process started from the repository root (Numba's on-disk
cache warm: one untimed child runs every case first). Two readings per child:

* ``VmHWM`` — the child reads its own high-water RSS from ``/proc/self/status`` as its last
  statement (exact, covers everything the case did);
* ``ru_maxrss`` — the parent reaps that child with ``os.wait4`` and reads its own rusage (the
  per-child form of ``getrusage(RUSAGE_CHILDREN)``, whose ``ru_maxrss`` is only the maximum over
  all children reaped so far). It also covers interpreter shutdown; the two agree within ~0.5 MB
  (the kernel batches RSS counter updates per thread).

Cases: ``import numpy``, ``import numba``, ``import cnlp``, ``cnlp.segment(text)`` (default
segmenter) and ``cnlp.tag(text)`` (default segmenter + default POS tagger; reported as not
available, with the reason, while ``cnlp.tag`` or the shipped POS model does not exist).
MB = 2^20 bytes.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_REPORT = """
import json
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"available": True, "vmhwm_kb": int(hwm)}))
"""

CASES = {
    "import numpy": "import numpy",
    "import numba": "import numba",
    "import cnlp": "import cnlp",
    "cnlp.segment(text)": "import cnlp\ncnlp.segment({text!r})",
    "cnlp.tag(text)": ("import cnlp, json, sys\n"
                       "try:\n"
                       "    cnlp.tag({text!r})\n"
                       "except (AttributeError, cnlp.ModelFormatError) as e:   # not built yet\n"
                       "    print(json.dumps({{'available': False, 'reason': f'{{type(e).__name__}}: {{e}}'}}))\n"
                       "    sys.exit(0)"),
}


def run_child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; its JSON report plus ``ru_maxrss_kb`` from ``wait4``."""
    with tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
                             text=True)
        with p.stdout:
            out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)      # reap it ourselves: this child's own rusage
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode:
            err.seek(0)
            raise RuntimeError(f"child failed ({p.returncode}):\n{code}\n{err.read()}")
    rep = json.loads(out.strip().splitlines()[-1])
    rep["ru_maxrss_kb"] = ru.ru_maxrss            # kilobytes on Linux
    return rep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per case")
    ap.add_argument("--text", default="中共中央总书记、国家主席江泽民发表１９９８年新年讲话《迈向充满希望的新世纪》。",
                    help="the text segmented / tagged")
    args = ap.parse_args()
    print("$ " + shlex.join([Path(sys.executable).name] + sys.argv))
    codes = {name: code.format(text=args.text) + "\n" + _REPORT for name, code in CASES.items()}
    for code in codes.values():                 # warm Numba's cache (compiling would inflate the peak)
        run_child(code)
    print(f"{args.runs} fresh processes per case; text {len(args.text)} chars; MB = 2^20 bytes\n")
    print("| case | VmHWM min MB | VmHWM max MB | ru_maxrss min MB | ru_maxrss max MB |")
    print("|---|---|---|---|---|")
    notes = []
    for name, code in codes.items():
        reps = [run_child(code) for _ in range(args.runs)]
        missing = [r for r in reps if not r["available"]]
        if missing:
            print(f"| {name} | not available | | | |", flush=True)
            notes.append(f"{name} not available: {missing[0]['reason']}")
            continue
        hwm = [r["vmhwm_kb"] / 1024 for r in reps]
        mx = [r["ru_maxrss_kb"] / 1024 for r in reps]
        print(f"| {name} | {min(hwm):.1f} | {max(hwm):.1f} | {min(mx):.1f} | {max(mx):.1f} |", flush=True)
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
