"""Compile the Numba kernels ahead of their first use, and tell the user when a first call will compile.

Numba compiles a kernel the first time it is called and keeps the machine code in its on-disk
cache (:mod:`cnlp._jit` chooses where); every later process loads it in milliseconds. A fresh
install therefore pays the compilation once, at the first call of each entry point, unless
:func:`build` ran before (``cnlp warmup``, or the install step of ``setup.py`` that runs it).

>>> from cnlp import kernel_cache
>>> sorted(kernel_cache.STEPS)[:3]
['keywords', 'ner', 'parse']
"""
from __future__ import annotations

import time

from . import _jit

__all__ = ["STEPS", "EXTRA_STEPS", "build"]

_TEXT = "商品和服务。他在北京大学读书，张三去了上海浦东。"


def _segment():
    import cnlp
    cnlp.segment(_TEXT)
    list(cnlp.tokenize(_TEXT, mode="search"))


def _segment_many():
    import cnlp
    list(cnlp.segment_many([_TEXT, _TEXT + "\n"]))
    cnlp.get_segmenter().segment_many(iter([_TEXT]), chunk_size=1)


def _tag():
    import cnlp
    cnlp.tag(_TEXT)


def _ner():
    import cnlp
    cnlp.ner(_TEXT)
    cnlp.analyze(_TEXT)


def _parse():
    import cnlp
    cnlp.parse(_TEXT)


def _keywords():
    import cnlp
    cnlp.keywords(_TEXT * 3)
    cnlp.summarize(_TEXT * 3, 1)


def _algorithm(name):
    def run():
        import cnlp
        cnlp.segment(_TEXT, algorithm=name)
    return run


def _discover():
    import cnlp
    cnlp.discover_words([_TEXT] * 4, min_freq=2)


#: step -> what it runs: the first calls of the default entry points (``cnlp warmup``)
STEPS = {
    "segment": _segment,
    "segment_many": _segment_many,
    "tag": _tag,
    "ner": _ner,
    "parse": _parse,
    "keywords": _keywords,
}

#: the other segmentation algorithms and new-word discovery (``cnlp warmup --all``)
EXTRA_STEPS = {**{f"segment:{a}": _algorithm(a) for a in ("fmm", "bmm", "bimm", "bigram", "hmm", "hmm2",
                                                           "perceptron")},
               "discover": _discover}

def build(steps=None, *, every: bool = False, progress=None) -> list[tuple[str, float]]:
    """Run the first call of each step (default: :data:`STEPS`; ``every=True`` adds
    :data:`EXTRA_STEPS`) so that every kernel they use is compiled into the cache; returns
    ``[(step, seconds)]``; a step that fails does not stop the others (RuntimeError naming it at the
    end). ``progress``: a bar with ``update()`` / ``set_postfix_str()``
    (:func:`cnlp.progress.progress_bar`), or None."""
    table = {**STEPS, **EXTRA_STEPS}
    names = list(steps) if steps is not None else list(STEPS) + (list(EXTRA_STEPS) if every else [])
    for name in names:
        if name not in table:
            raise ValueError(f"unknown warm-up step {name!r}; choose from {sorted(table)}")
    _jit.quiet()                           # compiling on purpose: no "first use" notice
    out, failed = [], []
    for name in names:
        if progress is not None:
            progress.set_postfix_str(name)
        t = time.perf_counter()
        try:
            table[name]()
        except Exception as e:              # the other steps still compile; the first failure is raised after
            failed.append((name, e))
        else:
            out.append((name, time.perf_counter() - t))
        if progress is not None:
            progress.update(1)
    if failed:
        name, e = failed[0]
        raise RuntimeError(f"warm-up step {name!r} failed ({type(e).__name__}: {e}); "
                           f"the steps {[n for n, _ in out]} compiled") from e
    return out
