"""Memory of the batch path stays flat with input size: ``cnlp segment -j 2 -`` over 20 M and then 200 M
characters generated on the fly (199801 raw text repeated, piped to stdin, output discarded); prints the
peak RSS of the largest process (the CLI or one of its workers) after each run.

    python benchmarks/batch_memory.py
"""
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = r"""
import sys
sys.path.insert(0, sys.argv[2])
from common import pd98_raw_lines
lines = pd98_raw_lines()
n = int(sys.argv[1]); done = 0
out = sys.stdout
while done < n:
    for x in lines:
        out.write(x); out.write("\n"); done += len(x)
        if done >= n: break
"""
for n in (20_000_000, 200_000_000):
    t0 = time.time()
    gen = subprocess.Popen([sys.executable, "-c", GEN, str(n), HERE], stdout=subprocess.PIPE)
    seg = subprocess.Popen([sys.executable, "-m", "cnlp", "segment", "-j", "2", "-q", "-"], stdin=gen.stdout,
                           stdout=subprocess.DEVNULL, cwd=os.path.dirname(HERE))
    gen.stdout.close()
    seg.wait(); gen.wait()
    # the CLI process and its workers: max RSS of any single descendant so far
    print(f"{n:,} chars: {time.time() - t0:.0f} s, rc {seg.returncode}, peak RSS of the largest process so far "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB", flush=True)
