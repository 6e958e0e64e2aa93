"""Dask integration (the ``dask`` extra): annotate a ``dask.bag`` of texts or a text column of a
``dask.dataframe`` on any Dask cluster.

Each worker process builds the annotator of an :class:`cnlp.batch.AnnotatorSpec` once (from the
model directories, which every worker must be able to read) and keeps it for every later
partition and task; only the spec (plain data) travels with the tasks.

>>> import dask.bag as db                                   # doctest: +SKIP
>>> from cnlp.batch import AnnotatorSpec
>>> from cnlp.dask import annotate_bag                      # doctest: +SKIP
>>> bag = db.read_text("corpus-*.txt").map(str.rstrip)     # doctest: +SKIP
>>> annotate_bag(bag, AnnotatorSpec("segment", format=" ")).to_textfiles("out-*.txt")  # doctest: +SKIP
"""
from __future__ import annotations

import threading

from .batch import AnnotatorSpec, build_annotator, build_batch_annotator

__all__ = ["annotate_bag", "annotate_series", "annotate_partition", "worker_annotator"]

_lock = threading.Lock()
#: (spec, batch) -> annotator, per worker process (a worker runs many partitions; models load once)
_ANNOTATORS: dict = {}


def worker_annotator(spec: AnnotatorSpec, *, batch: bool = False):
    """The annotator of ``spec`` in this process, built on first use and cached: a function of one
    text, or with ``batch=True`` of an iterable of texts (:func:`cnlp.batch.build_batch_annotator`:
    segmentation decodes many texts per kernel call)."""
    key = (spec, batch)
    fn = _ANNOTATORS.get(key)
    if fn is None:
        with _lock:
            fn = _ANNOTATORS.get(key)
            if fn is None:
                fn = _ANNOTATORS[key] = (build_batch_annotator if batch else build_annotator)(spec)
    return fn


def annotate_partition(texts, spec: AnnotatorSpec) -> list:
    """One result per text of a partition, in order (what ``map_partitions`` runs)."""
    return list(worker_annotator(spec, batch=True)(texts))


def annotate_bag(bag, spec: AnnotatorSpec):
    """A ``dask.bag`` with one result per text of ``bag`` (same partitions, same order)."""
    if not isinstance(spec, AnnotatorSpec):
        raise TypeError(f"spec must be a cnlp.batch.AnnotatorSpec, got {type(spec).__name__}")
    return bag.map_partitions(annotate_partition, spec)


def annotate_series(series, spec: AnnotatorSpec, *, meta=("result", "object")):
    """A ``dask.dataframe`` Series with one result per text of ``series`` (a text column):
    ``df["words"] = annotate_series(df["text"], AnnotatorSpec("segment", format=" "))``."""
    if not isinstance(spec, AnnotatorSpec):
        raise TypeError(f"spec must be a cnlp.batch.AnnotatorSpec, got {type(spec).__name__}")

    def part(s):
        import pandas as pd
        return pd.Series(annotate_partition(s.tolist(), spec), index=s.index, name=meta[0])
    return series.map_partitions(part, meta=meta)
