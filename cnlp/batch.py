"""Batch processing: an ordered, bounded, parallel map of an annotator over a stream of lines.

What crosses a process boundary is an :class:`AnnotatorSpec` (plain data: the task, the model
directory or algorithm name, the user-dictionary and entity-dictionary entries, output options),
never a model: each worker process builds its annotator once, from the bundle directories. Lines
are read lazily, ``chunk_size`` at a time, at most ``2 * n_jobs`` chunks are in flight, and results
come back in input order (never dropped, reordered or duplicated).

>>> spec = AnnotatorSpec("segment", algorithm="fmm")
>>> list(imap_ordered(spec, ["商品和服务", "", "研究生命"], n_jobs=1))
[['商品', '和', '服务'], [], ['研究', '生命']]
"""
from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Callable, Iterable, Iterator, NamedTuple

from .outputs import PARTIAL_SUFFIX, PROGRESS_SUFFIX, ResumeError  # noqa: F401  (re-exported)

__all__ = ["AnnotatorSpec", "build_annotator", "build_batch_annotator", "imap_ordered", "TASKS", "BACKENDS"]

#: what an annotator returns per line: ``segment`` a word list, ``tag`` / ``analyze`` / ``parse`` a
#: :class:`cnlp.doc.Doc`, ``ner`` a list of :class:`cnlp.doc.Entity`; with ``format`` set, the CLI's
#: output record for the line as a str without its final newline
TASKS = ("segment", "tag", "ner", "analyze", "parse")
BACKENDS = ("process", "thread")


class AnnotatorSpec(NamedTuple):
    """A recipe for an annotator that any process can rebuild.

    ``task``: one of :data:`TASKS`. ``algorithm``: segmentation algorithm name (default: the
    default segmenter). ``model``: a model directory replacing the default of the task (a
    segmenter for ``segment``, a recognizer for ``ner``). ``user_words``: ``(word, freq, pos,
    mode)`` entries; ``entities``: ``(text, type, mode)`` entries. ``format``: for the CLI, the
    output record format (``segment``: the word delimiter; ``tag``: pd98/conllu/json; ``ner``:
    inline/bio/json); ``keep_spaces``: keep whitespace tokens in ``segment`` output; ``standard``:
    the segmentation standard of ``segment`` output (``Segmenter.with_standard``); ``expressions``:
    ``ner`` / ``analyze`` find time and number expressions too.
    """
    task: str
    algorithm: str | None = None
    model: str | None = None
    user_words: tuple = ()
    entities: tuple = ()
    format: str | None = None
    keep_spaces: bool = False
    standard: str | None = None
    expressions: bool = True


def _user_dict(spec: AnnotatorSpec):
    if not spec.user_words:
        return None
    from .dictionary import UserDictionary
    ud = UserDictionary()
    for word, freq, pos, mode in spec.user_words:
        ud.add_word(word, freq, pos, mode=mode)
    return ud


def _segmenter(spec: AnnotatorSpec, ud):
    if spec.model is not None and spec.task == "segment":
        from .registry import load
        seg = load(spec.model)
    else:
        from . import registry
        default = registry.DEFAULT_SEGMENTER if spec.task == "segment" else registry.PKU_SEGMENTER
        factory = registry.resolve(registry.SEGMENTERS, spec.algorithm or default, "algorithm")
        seg = factory(user_dict=None)
    seg = seg.with_user_dict(ud) if ud is not None else seg
    return seg.with_standard(spec.standard) if spec.task == "segment" else seg


def build_annotator(spec: AnnotatorSpec) -> Callable[[str], object]:
    """The annotator of ``spec``: a function of one line (``TypeError`` for a non-str line)."""
    if spec.task not in TASKS:
        raise ValueError(f"unknown task {spec.task!r}; choose one of {list(TASKS)}")
    ud = _user_dict(spec)
    if spec.task == "segment":
        seg = _segmenter(spec, ud)
        if spec.format is None:
            return seg.segment
        fmt = _word_formatter(spec)
        return lambda line: fmt(seg.segment(line))
    from .pipeline import build_pipeline
    if spec.task == "parse":
        return _formatted(build_pipeline("parse"), spec.format)
    from . import models
    seg = models.pku_words(_segmenter(spec, ud))        # the POS tagger and the recognizer learned PKU words
    if spec.task == "tag":
        return _formatted(build_pipeline("tag", segmenter=seg, user_dict=ud), spec.format)
    from .entities.recognizer import EntityDictionary
    ed = None
    if spec.entities:
        ed = EntityDictionary()
        for text, typ, mode in spec.entities:
            ed.add_entity(text, typ, mode=mode)
    rec = models.load_entity_recognizer(spec.model) if spec.model else models.entity_recognizer()
    rec = rec.with_dictionaries(entities=ed, user_dict=ud).with_expressions(spec.expressions)
    if spec.task == "analyze":
        return _formatted(build_pipeline("analyze", segmenter=seg, ner=rec, user_dict=ud), spec.format)
    from .errors import check_str
    nlp = build_pipeline("ner", ner=rec)          # the recognizer's cascade segmenter, then NER

    def entities(line: str):
        check_str(line, "ner")
        return nlp(line).ents
    if spec.format is None:
        return entities
    from .entities.data import format_entities
    fmt = spec.format

    def ner_line(line: str) -> str:
        return format_entities(line, entities(line), fmt)[:-1]
    return ner_line


def build_batch_annotator(spec: AnnotatorSpec) -> Callable[[Iterable[str]], Iterator]:
    """The annotator of ``spec`` over many lines: a function of an iterable of lines that returns an
    iterator of the results of :func:`build_annotator`'s function, in order. Segmentation decodes
    many lines per kernel call (:meth:`cnlp.segmentation.base.Segmenter.segment_many`); the other tasks
    go line by line."""
    if spec.task != "segment":
        fn = build_annotator(spec)
        return lambda lines: map(fn, lines)
    seg = _segmenter(spec, _user_dict(spec))
    if spec.format is None:
        return seg.segment_many
    fmt = _word_formatter(spec)
    return lambda lines: map(fmt, seg.segment_many(lines))


def _word_formatter(spec: AnnotatorSpec) -> Callable[[list], str]:
    sep, keep = spec.format, spec.keep_spaces
    if keep:
        return sep.join
    return lambda words: sep.join([w for w in words if not w.isspace()])


def _formatted(nlp, fmt):
    if fmt is None:
        return nlp
    if fmt == "pd98":
        return lambda line: nlp(line).to_pd98()
    if fmt == "json":
        from .outputs import json_record
        return lambda line: json_record(nlp(line).to_json())
    if fmt == "conllu":
        return lambda line: (nlp(line).to_conllu() or "\n")[:-1]
    raise ValueError(f"unknown output format {fmt!r}")


# ---------------------------------------------------------------------------------- workers
_WORKER: dict = {}


def _init_worker(spec: AnnotatorSpec, parent: int) -> None:
    _exit_with_parent(parent)
    _WORKER["spec"] = spec
    _WORKER["fn"] = build_batch_annotator(spec)


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker process when its parent (pid ``parent``, passed from the parent: the worker may
    start after the parent died) is gone, killed with SIGKILL, say: the pool's queues are shared by
    the workers, so they would otherwise wait for work forever. A daemon thread checks the parent
    once per ``every`` seconds."""
    import threading

    def watch():
        while True:
            time.sleep(every)
            if os.getppid() != parent:             # re-parented: the parent is gone
                os._exit(1)
    threading.Thread(target=watch, name="cnlp-parent-watch", daemon=True).start()


def _run_chunk(lines: list[str]) -> list:
    return list(_WORKER["fn"](lines))


def _encode_records(fn, lines: list[str]) -> tuple[bytes, int, int]:
    """``(UTF-8 bytes of every record of the chunk, each followed by a newline, lines, characters)``."""
    recs = list(fn(lines))
    text = "\n".join(recs) + "\n" if recs else ""
    return text.encode("utf-8", "surrogatepass"), len(recs), len(text) - len(recs)


def _run_chunk_encoded(lines: list[str]) -> tuple[bytes, int, int]:
    return _encode_records(_WORKER["fn"], lines)


def _daemonic() -> bool:
    """Whether this process is daemonic (a ``multiprocessing.Pool`` worker): it may not start
    worker processes ("daemonic processes are not allowed to have children")."""
    import multiprocessing as mp
    return bool(mp.current_process().daemon)


def imap_ordered(spec: AnnotatorSpec, lines: Iterable[str], *, n_jobs: int | None = 1, chunk_size: int = 256,
                 backend: str = "process") -> Iterator:
    """Annotate ``lines`` with ``spec``'s annotator on ``n_jobs`` workers (None or 0: one per
    core), yielding one result per line in input order.

    ``backend="process"``: worker processes (started with ``spawn``; each loads the models once
    from their directories; in a daemonic process, a ``multiprocessing.Pool`` worker, which may not
    have children, threads instead); ``"thread"``: threads sharing one annotator (the kernels release
    the GIL, the Python around them does not). ``n_jobs=1`` runs in this process. The input is read
    lazily; at most ``2 * n_jobs`` chunks of ``chunk_size`` lines are pending at a time (one with
    ``n_jobs=1``). Segmentation decodes a chunk in one kernel call (:func:`build_batch_annotator`).
    A non-str line raises ``TypeError`` when its chunk is processed.
    """
    for recs in _map_chunks(spec, lines, n_jobs, chunk_size, backend, encoded=False):
        yield from recs


def _map_chunks(spec: AnnotatorSpec, lines: Iterable[str], n_jobs, chunk_size: int, backend: str, *,
                encoded: bool) -> Iterator:
    """One result per chunk of ``chunk_size`` lines, in order: the list of its records, or with
    ``encoded`` the ``(bytes, lines, characters)`` of :func:`_encode_records` (workers then send one
    byte string per chunk, not one object per line)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {list(BACKENDS)}")
    if isinstance(lines, (str, bytes, bytearray)):
        raise TypeError(f"expected an iterable of str (lines), got a single {type(lines).__name__}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    n = (os.cpu_count() or 1) if not n_jobs else int(n_jobs)
    if n < 1:
        raise ValueError(f"n_jobs must be >= 1 (or None for one per core), got {n_jobs}")
    it = iter(lines)
    if n > 1 and backend == "process" and _daemonic():
        backend = "thread"          # a daemonic process may not start children: the same results on threads
    if n == 1:
        fn = build_batch_annotator(spec)
        while chunk := list(islice(it, chunk_size)):
            yield _encode_records(fn, chunk) if encoded else list(fn(chunk))
        return
    if backend == "thread":
        fn = build_batch_annotator(spec)
        pool = ThreadPoolExecutor(max_workers=n)
        work = (lambda c: _encode_records(fn, c)) if encoded else (lambda c: list(fn(c)))
        submit = lambda chunk: pool.submit(work, chunk)  # noqa: E731
    else:
        import multiprocessing as mp
        _check_main_guard(n)
        pool = ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker, initargs=(spec, os.getpid()))
        task = _run_chunk_encoded if encoded else _run_chunk
        submit = lambda chunk: pool.submit(task, chunk)  # noqa: E731
    pending: deque = deque()
    try:
        while True:
            while len(pending) < 2 * n:
                chunk = list(islice(it, chunk_size))
                if not chunk:
                    break
                pending.append(submit(chunk))
            if not pending:
                break
            try:
                res = pending.popleft().result()
            except BrokenProcessPool as e:
                raise BrokenProcessPool(f"{e} {_GUARD_HINT}") from e
            yield res
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


_GUARD_HINT = ("Worker processes start by importing the main script: if this runs from a script, "
               "the code that starts them (segment_many(n_jobs=...), imap_ordered) must be under "
               "`if __name__ == \"__main__\":` (see docs/batch.md).")


def _check_main_guard(n: int) -> None:
    """Refuse to start worker processes from a worker that is still importing the main script
    (a script without ``if __name__ == "__main__":`` runs its calls again in every spawned worker)."""
    import multiprocessing as mp
    if getattr(mp.current_process(), "_inheriting", False):
        raise RuntimeError(f"cnlp: n_jobs={n} started worker processes from a worker process that is "
                           f"importing the main script. {_GUARD_HINT}")


# ---------------------------------------------------------------------------------- CLI runs


def run_to_file(spec: AnnotatorSpec, lines: Iterable[str], output: str | None, *, n_jobs: int | None = 1,
                resume: bool = False, chunk_size: int = 2048, checkpoint_lines: int = 20000, progress=None,
                stdout=None, source: str = "", stdin: bool = False, resume_stdin: bool = False) -> int:
    """Annotate ``lines`` and write one record per line (``spec.format`` set), in order.

    To ``output``, a regular file (or a path not there yet): written as ``OUTPUT.cnlp-partial``
    beside it, locked against a second writer (:class:`cnlp.outputs.OutputBusyError`), and renamed
    over ``OUTPUT`` at the end, so ``OUTPUT`` is never a partial output. A progress record
    ``OUTPUT.cnlp-progress`` is written from the start and at checkpoints every ``checkpoint_lines``
    lines (after the partial file is flushed and fsynced): the lines and bytes done, the sha256 of
    the input lines consumed, ``source`` and the spec. With ``resume``, a run that stopped
    continues after its last checkpoint (what was written after it is cut off and redone), so the
    final file is byte-identical to an uninterrupted run; a record of other settings, or input
    whose first lines differ from the fingerprint, is refused (:class:`cnlp.outputs.ResumeError`, a
    ValueError), and so is resuming from standard input (``stdin``) unless ``resume_stdin``.
    Without ``resume`` a new run starts over. A FIFO, pipe or device ``output`` is written
    directly (no resume). Without ``output``, records go to ``stdout``. ``progress``: a callable
    ``(n_lines, n_chars)`` called after each chunk. Returns the number of lines written.
    """
    from .outputs import AtomicOutput, Fingerprint, is_regular_target, write_file_atomic
    if spec.format is None:
        raise ValueError("run_to_file needs spec.format (the output record format)")
    done = 0
    it = iter(lines)
    if output is None or not is_regular_target(output):
        if resume:
            raise ResumeError(f"{output or 'standard output'}: --resume needs a regular file as output, "
                              f"not a pipe or a device")
        out = stdout if output is None else open(output, "wb")
        try:
            for data, n_lines, _ in _map_chunks(spec, it, n_jobs, chunk_size, "process", encoded=True):
                out.write(data.decode("utf-8", "surrogatepass") if output is None else data)
                done += n_lines
            out.flush()
        finally:
            if output is not None:
                out.close()
        return done
    if resume and stdin and not resume_stdin:
        raise ResumeError("--resume reads standard input again from its first line; give the same input "
                          "and add --resume-stdin (its first lines are checked against the stopped run)")
    import json
    spec_list = json.loads(json.dumps(list(spec)))
    out = AtomicOutput(output)          # OutputBusyError when another run writes it
    try:
        fp = Fingerprint(it, chunk_size)
        gen = iter(fp)
        offset = 0
        if resume and os.path.exists(out.progress):
            try:
                with open(out.progress, encoding="utf-8") as f:
                    state = json.load(f)
                done, offset, digest = int(state["lines"]), int(state["bytes"]), str(state["input_sha256"])
                same = state.get("source", source) == source and state.get("spec") == spec_list
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ResumeError(f"{out.progress}: cannot resume ({exc}); delete it or run without --resume") \
                    from None
            if not same:
                raise ResumeError(f"{out.progress}: the progress record belongs to another run (other input files "
                                  f"or settings); run without --resume")
            if out.size() < offset:
                raise ResumeError(f"{out.partial} is shorter than its progress record says; run without --resume")
            for _ in islice(gen, done):
                pass
            if fp.n < done or fp.at(done) != digest:
                raise ResumeError(f"the input is not the one of the stopped run (its first {done} lines differ); "
                                  f"run without --resume")
        fp.mark()
        f = out.file
        f.seek(offset)
        f.truncate()

        def record():
            return json.dumps({"lines": done, "bytes": offset, "input_sha256": fp.at(done), "source": source,
                               "spec": spec_list}).encode()
        f.flush()
        os.fsync(f.fileno())
        write_file_atomic(out.progress, record())          # from the first line on
        since = 0
        n_chars = 0
        for data, n_lines, chars in _map_chunks(spec, gen, n_jobs, chunk_size, "process", encoded=True):
            f.write(data)
            offset += len(data)
            done += n_lines
            since += n_lines
            n_chars += chars
            if since >= checkpoint_lines:            # checkpoints fall between chunks
                f.flush()
                os.fsync(f.fileno())
                write_file_atomic(out.progress, record())
                since = 0
            if progress is not None:
                progress(done, n_chars)
        out.commit()
    finally:
        out.close()
    return done
