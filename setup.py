"""Build step (metadata in setup.cfg): after the package is copied into the build directory,
``python -m cnlp warmup -q`` runs there, so the wheel carries Numba's cache of every default
kernel beside the sources (``__pycache__/*.nbi, *.nbc``) and the first call after ``pip install``
loads machine code instead of compiling it.

Numba keys each cached kernel by Python version, Numba version, the source file's contents and
the CPU (name and features): a cache built here is used on this machine (``pip install .``, the
common case); on another CPU, Python or Numba the kernels compile at their first call as without
it (``cnlp warmup`` then builds them ahead). ``CNLP_BUILD_CACHE=0`` skips the step; it never fails
the build (without Numba in the build environment it only prints why it was skipped).
"""
import os
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py


class build_py_with_kernel_cache(build_py):
    def run(self):
        super().run()
        if os.environ.get("CNLP_BUILD_CACHE", "1").lower() in ("0", "no", "false", "off") \
                or getattr(self, "editable_mode", False):        # `pip install -e .`: the checkout caches itself
            return
        lib = os.path.abspath(self.build_lib)
        env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "CNLP_DATA")}
        # pip's isolated build environment reaches numba & co. through PYTHONPATH: keep it, put the build first
        env["PYTHONPATH"] = os.pathsep.join([lib] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env["CNLP_NO_NOTICE"] = "1"
        p = subprocess.run([sys.executable, "-m", "cnlp", "warmup", "-q"], cwd=lib, env=env,
                           capture_output=True, text=True)
        if p.returncode:
            tail = (p.stderr.strip().splitlines() or ["?"])[-1]
            print(f"cnlp: kernel cache not built ({tail}); kernels compile at first use", file=sys.stderr)
        else:
            print("cnlp: kernel cache built\n" + p.stdout, file=sys.stderr)


setup(cmdclass={"build_py": build_py_with_kernel_cache})
