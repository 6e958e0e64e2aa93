"""Model bundles on disk: ``meta.json`` + ``arrays.npz`` (no pickle) + ``*.marisa`` tries.

Every loader goes through :func:`load_bundle`, and every writer through :func:`save_bundle` (inside
:func:`atomic_directory`). What a load checks, before any kernel sees the data:

* ``meta.json``: valid JSON object (size and nesting bounded), format version, kind, and the
  loader's schema (:class:`Field` specs: types, ranges, required keys, via :func:`check_meta`);
* checksums: ``meta.json["checksums"]`` holds the sha256 of every other file of the bundle
  directory, written at save time and verified before a file is parsed (bundles saved before
  checksums existed have none and are accepted);
* ``arrays.npz``: only the members the loader names (``required`` / ``optional``) are read, an
  unknown member is refused; each member's declared uncompressed size is checked against its npy
  header, against ``meta.json["arrays"]`` (dtype and shape recorded at save time) and against a
  ratio to its compressed size before anything is decompressed (no decompression bombs); every
  array is checked for dtype kind, number of dimensions, value range and NaN (:class:`Arr`).

Any problem raises :class:`ModelFormatError` naming the offending file. :func:`guard_load` turns
the errors a loader's own consistency code may still raise into ModelFormatError too.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

import marisa_trie
import numpy as np

from .errors import CnlpError, ModelFormatError, UsageError

FORMAT_VERSION = 1
__all__ = ["save_bundle", "load_bundle", "load_meta", "load_arrays", "load_trie", "save_trie", "data_dir",
           "corpora_dir", "default_corpus", "PD98_CORPUS", "model_path", "FORMAT_VERSION", "atomic_directory",
           "remove_stale_temporaries",
           "check_meta", "Field", "Arr", "guard_load", "file_sha256", "meta_digest", "bundle_checksums"]

#: largest meta.json read (bytes) and deepest JSON nesting accepted
MAX_META_BYTES = 64 << 20
MAX_META_DEPTH = 64
#: without a declaration in meta.json, an npz member may expand to at most this many times its
#: compressed size, or this many bytes, whichever is larger (shipped members: ratio <= 840, < 30 MB)
MAX_RATIO, MIN_CAP = 64, 64 << 20
#: room for the npy header in a member's declared size
NPY_HEADER_MAX = 1 << 16


# ---------------------------------------------------------------------------------- schemas
class Field:
    """One ``meta.json`` value: ``types`` (a type or tuple; ``bool`` never counts as int/float),
    ``lo``/``hi`` bounds for numbers and lengths of str/list, ``choices``, ``item`` (spec of list
    items), ``fields`` (dict of specs of a nested object), ``required``, ``nullable``."""

    def __init__(self, types, *, lo=None, hi=None, choices=None, item=None, fields=None,
                 required: bool = True, nullable: bool = False):
        self.types = types if isinstance(types, tuple) else (types,)
        self.lo, self.hi, self.choices, self.item, self.fields = lo, hi, choices, item, fields
        self.required, self.nullable = required, nullable

    def problem(self, v) -> str | None:
        if v is None:
            return None if self.nullable else "must not be null"
        if isinstance(v, bool) and bool not in self.types:
            return f"must be {'/'.join(t.__name__ for t in self.types)}, got bool"
        if not isinstance(v, self.types):
            return f"must be {'/'.join(t.__name__ for t in self.types)}, got {type(v).__name__}"
        if self.choices is not None and v not in self.choices:
            return f"must be one of {sorted(self.choices)}, got {v!r}"
        if isinstance(v, float) and not np.isfinite(v):
            return f"must be a finite number, got {v!r}"
        size = v if isinstance(v, (int, float)) else len(v) if isinstance(v, (str, list, dict)) else None
        if size is not None and ((self.lo is not None and size < self.lo) or (self.hi is not None and size > self.hi)):
            what = "" if isinstance(v, (int, float)) else "length "
            return f"{what}{size!r} outside [{self.lo}, {self.hi}]"
        if self.item is not None and isinstance(v, list):
            for i, x in enumerate(v):
                why = self.item.problem(x)
                if why:
                    return f"item {i}: {why}"
        if self.fields is not None and isinstance(v, dict):
            return _problem(v, self.fields)
        return None


def _problem(obj: dict, schema: dict) -> str | None:
    for key, spec in schema.items():
        if key not in obj:
            if spec.required:
                return f"missing field {key!r}"
            continue
        why = spec.problem(obj[key])
        if why:
            return f"field {key!r}: {why}"
    return None


def check_meta(path, meta: dict, schema: dict) -> dict:
    """``meta`` if it satisfies ``schema`` (``{key: Field}``), else ModelFormatError naming ``path``."""
    why = _problem(meta, schema)
    if why:
        raise ModelFormatError(path, why)
    return meta


def INT(lo=None, hi=None, **kw):
    return Field(int, lo=lo, hi=hi, **kw)


def NUM(lo=None, hi=None, **kw):
    return Field((int, float), lo=lo, hi=hi, **kw)


def STR(**kw):
    return Field(str, **kw)


def LIST(item=None, **kw):
    return Field(list, item=item, **kw)


def OBJ(fields=None, **kw):
    return Field(dict, fields=fields, **kw)


class Arr:
    """Spec of an ``arrays.npz`` member: dtype ``kind`` letters ('i', 'u', 'f', 'b'), ``ndim``,
    value bounds ``lo``/``hi`` (inclusive), ``finite`` (no inf; NaN is always refused)."""

    def __init__(self, kind: str | None = None, ndim: int | None = None, *, lo=None, hi=None, finite: bool = False):
        self.kind, self.ndim, self.lo, self.hi, self.finite = kind, ndim, lo, hi, finite

    def problem(self, a: np.ndarray) -> str | None:
        if self.kind is not None and a.dtype.kind not in self.kind:
            return f"has dtype {a.dtype}, expected kind {self.kind!r}"
        if self.ndim is not None and a.ndim != self.ndim:
            return f"has {a.ndim} dimensions, expected {self.ndim}"
        if a.dtype.kind == "f" and a.size:
            if self.finite and not np.isfinite(a).all():
                return "holds non-finite values"
            if np.isnan(a).any():
                return "holds NaN"
        if a.size and (self.lo is not None or self.hi is not None):
            lo, hi = a.min(), a.max()
            if (self.lo is not None and lo < self.lo) or (self.hi is not None and hi > self.hi):
                return f"values [{lo}, {hi}] outside [{self.lo}, {self.hi}]"
        return None


def _as_arr(spec) -> Arr:
    return spec if isinstance(spec, Arr) else Arr(spec)


# ---------------------------------------------------------------------------------- writing
_atomic = threading.local()


def _active_roots() -> list:
    if not hasattr(_atomic, "roots"):
        _atomic.roots = []
    return _atomic.roots


def _host_tag() -> str:
    import socket
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_prefix(target: Path, kind: str = "tmp") -> str:
    """``.NAME.tmp-PID-HOST-`` (``mkdtemp`` adds a random end): the temporary directories of a
    save of ``target`` name the process and host that made them, so a later save can tell the
    ones left by a process that no longer exists."""
    return f".{target.name}.{kind}-{os.getpid()}-{_host_tag()}-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):      # e.g. EPERM: it exists, as another user's
        return True
    return True


def remove_stale_temporaries(target) -> list[Path]:
    """Remove the temporary directories of saves of ``target`` (``.NAME.tmp-*``, ``.NAME.old-*``
    beside it) left by processes of this host that no longer exist (a save killed with SIGKILL,
    say); returns what was removed. Those of running processes, of other hosts and of other targets
    stay. :func:`atomic_directory` calls it before each save."""
    target = Path(target)
    host, removed = _host_tag(), []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for kind in ("tmp", "old"):
        prefix = f".{target.name}.{kind}-"
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            parts = entry.name[len(prefix):].split("-")
            if len(parts) < 3 or not parts[0].isdigit() or parts[1] != host:
                continue                              # not named by this scheme, or another host's
            pid = int(parts[0])
            if pid == os.getpid() or _pid_alive(pid) or entry.is_symlink() or not entry.is_dir():
                continue
            shutil.rmtree(entry, ignore_errors=True)
            if not entry.exists():
                removed.append(entry)
    return removed


@contextlib.contextmanager
def atomic_directory(target, *, keep_other: bool = True):
    """Write a directory atomically: yields a fresh temporary directory beside ``target``; on
    normal exit it replaces ``target`` (files of an existing ``target`` that were not written
    again are carried over when ``keep_other``); on an exception or a kill, ``target`` is
    untouched and the temporary directory (``.NAME.tmp-PID-HOST-*``) is removed, or, after a kill,
    left aside until a later save of ``target`` removes it (:func:`remove_stale_temporaries`).

    Nested use inside a directory that is already being written atomically writes in place.
    """
    target = Path(target)
    roots = _active_roots()
    absolute = target.absolute()
    if any(absolute == r or r in absolute.parents for r in roots):
        target.mkdir(parents=True, exist_ok=True)
        yield target
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)                # mkdtemp makes it 0700: a model must be readable by all
    roots.append(tmp.absolute())
    try:
        yield tmp
        roots.remove(tmp.absolute())
        if target.is_dir() and keep_other:
            for entry in target.iterdir():
                dst = tmp / entry.name
                if dst.exists() or entry.name.startswith(".") and ".tmp-" in entry.name:
                    continue
                if entry.is_dir():
                    shutil.copytree(entry, dst)
                else:
                    shutil.copy2(entry, dst)
        _fsync_tree(tmp)
        if target.exists():
            if _exchange(tmp, target):               # one atomic step: tmp now holds the old one
                shutil.rmtree(tmp, ignore_errors=True)
            else:                                    # no renameat2: two renames, a tiny window
                old = Path(tempfile.mkdtemp(prefix=_temp_prefix(target, "old"), dir=target.parent))
                os.replace(target, old / target.name)
                os.replace(tmp, target)
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        if tmp.absolute() in roots:
            roots.remove(tmp.absolute())
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    global _renameat2
    if _renameat2 is None:
        try:
            import ctypes
            f = ctypes.CDLL(None, use_errno=True).renameat2
            f.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            _renameat2 = f
        except (OSError, AttributeError):
            _renameat2 = False
    if not _renameat2:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return _renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


_renameat2 = None


def _fsync_tree(d: Path) -> None:
    for p in d.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def meta_digest(meta: dict) -> str:
    """sha256 of ``meta.json``'s content without its ``checksums``: canonical JSON (sorted keys, no
    spaces, ASCII), so it covers every semantic field (tag and class name order included) however
    the file is laid out. Recorded as ``checksums["meta.json"]``."""
    body = {k: v for k, v in meta.items() if k != "checksums"}
    text = json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def bundle_checksums(directory, meta: dict) -> dict:
    """The ``checksums`` of a bundle: the sha256 of every file of ``directory`` but meta.json; for
    a sub-directory holding its own bundle (``dict/``, ``first/`` ...) the sha256 of its meta.json
    (which covers the rest of it), for any other sub-directory each of its files; and under
    ``"meta.json"`` :func:`meta_digest` of ``meta``. A part listed here that is missing at load
    time is an error naming it."""
    root = Path(directory)
    sums = {}

    def walk(d: Path, prefix: str) -> None:
        for p in sorted(d.iterdir()):
            if p.name.startswith("."):
                continue
            if p.is_dir():
                if (p / "meta.json").is_file():
                    sums[f"{prefix}{p.name}/meta.json"] = file_sha256(p / "meta.json")
                else:
                    walk(p, f"{prefix}{p.name}/")
            elif p.is_file() and not (prefix == "" and p.name == "meta.json"):
                sums[prefix + p.name] = file_sha256(p)
    walk(root, "")
    sums["meta.json"] = meta_digest(meta)
    return sums


def save_bundle(directory, kind: str, meta: dict, arrays: dict[str, np.ndarray],
                tries: dict[str, marisa_trie.Trie] | None = None) -> Path:
    """Write ``meta.json`` (with ``kind``, ``format_version``, the dtype and shape of every array
    and the sha256 of every other file added), ``arrays.npz`` and tries, atomically
    (:func:`atomic_directory`)."""
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    for k, v in arrays.items():
        if v.dtype == object:
            raise TypeError(f"array {k!r} has dtype object; model arrays must be numeric")
    meta = {**meta}
    for k in ("checksums", "arrays"):
        meta.pop(k, None)
    meta = {"kind": kind, "format_version": FORMAT_VERSION, **meta,
            "arrays": {k: {"dtype": v.dtype.str, "shape": list(v.shape)} for k, v in arrays.items()}}
    written = {"arrays.npz", "meta.json", *(f"{name}.marisa" for name in (tries or {}))}
    with atomic_directory(directory) as d:
        np.savez_compressed(d / "arrays.npz", **{k: np.ascontiguousarray(v) for k, v in arrays.items()})
        for name, trie in (tries or {}).items():
            trie.save(str(d / f"{name}.marisa"))
        target = Path(directory)
        if d != target and target.is_dir():       # files a caller wrote beside the bundle first
            for p in target.iterdir():
                if p.is_file() and p.name not in written and not p.name.startswith("."):
                    shutil.copy2(p, d / p.name)
        meta["checksums"] = bundle_checksums(d, meta)
        (d / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return Path(directory)


# ---------------------------------------------------------------------------------- reading
def _depth_ok(obj, limit: int = MAX_META_DEPTH) -> bool:
    stack = [(obj, 1)]
    while stack:
        o, d = stack.pop()
        if d > limit:
            return False
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values())
        elif isinstance(o, list):
            stack.extend((v, d + 1) for v in o)
    return True


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def load_meta(directory, kind: str | None = None, schema: dict | None = None) -> dict:
    """The validated ``meta.json`` of a bundle: a JSON object (no NaN/Infinity, bounded size and
    depth) with this cnlp's ``format_version``, ``kind`` (if given) and the ``schema`` (if given)."""
    path = Path(directory) / "meta.json"
    if not path.is_file():
        raise ModelFormatError(path, "missing (is this a cnlp model directory?)")
    try:
        if path.stat().st_size > MAX_META_BYTES:
            raise ValueError(f"larger than {MAX_META_BYTES} bytes")
        meta = json.loads(path.read_text("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError, OSError, MemoryError) as e:
        raise ModelFormatError(path, f"not valid JSON ({type(e).__name__}: {e})") from None
    if not isinstance(meta, dict):
        raise ModelFormatError(path, "expected a JSON object")
    if not _depth_ok(meta):
        raise ModelFormatError(path, f"nested deeper than {MAX_META_DEPTH} levels")
    if meta.get("format_version") != FORMAT_VERSION or isinstance(meta.get("format_version"), bool):
        raise ModelFormatError(path, f"format_version {meta.get('format_version')!r}, "
                                     f"this cnlp reads {FORMAT_VERSION}")
    if kind is not None and meta.get("kind") != kind:
        raise ModelFormatError(path, f"holds a {meta.get('kind')!r} model, expected {kind!r}")
    check_meta(path, meta, _BUNDLE_SCHEMA)
    if schema:
        check_meta(path, meta, schema)
    _check_coverage(Path(directory), meta)
    return meta


def _check_coverage(directory: Path, meta: dict) -> None:
    """With checksums: meta.json's content against ``checksums["meta.json"]`` (bundles saved
    before it existed lack it), every other listed part present, and the meta.json of each
    sub-bundle (``dict/meta.json`` ...) verified, so a composite bundle missing a part or with an
    edited field is refused. Top-level files are verified when they are read (:func:`_checked_file`)."""
    sums = meta.get("checksums")
    if sums is None:
        return
    for name, want in sums.items():
        if not isinstance(name, str) or not isinstance(want, str) or len(want) != 64:
            raise ModelFormatError(directory / "meta.json", f"bad checksums entry {name!r}")
        if name == "meta.json":
            try:
                got = meta_digest(meta)
            except (TypeError, ValueError) as e:
                raise ModelFormatError(directory / "meta.json", f"not canonical JSON ({e})") from None
            if got != want:
                raise ModelFormatError(directory / "meta.json", "its content does not match its checksum "
                                                                "(a field was edited)")
            continue
        parts = name.split("/")
        if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ModelFormatError(directory / "meta.json", f"bad checksums entry {name!r}")
        path = directory.joinpath(*parts)
        if not path.is_file():
            raise ModelFormatError(path, "missing (listed in the bundle's meta.json checksums)")
        if len(parts) > 1:
            try:
                got = file_sha256(path)
            except OSError as e:
                raise ModelFormatError(path, f"unreadable ({e})") from None
            if got != want:
                raise ModelFormatError(path, "sha256 checksum does not match the bundle's meta.json "
                                             "(file corrupted or modified)")


_SHAPE = OBJ({"dtype": STR(lo=2, hi=8), "shape": LIST(INT(0, 1 << 40), hi=8)})
#: the keys :func:`save_bundle` adds to every meta.json (optional: older bundles lack them)
_BUNDLE_SCHEMA = {"kind": STR(hi=200), "checksums": OBJ(required=False), "arrays": OBJ(required=False)}


def _checked_file(directory, meta: dict, name: str) -> Path:
    """Path of bundle file ``name`` after verifying its sha256 against ``meta['checksums']`` (when
    the bundle has checksums: a listed file that is missing or differs raises ModelFormatError)."""
    path = Path(directory) / name
    sums = meta.get("checksums")
    if not path.is_file():
        raise ModelFormatError(path, "missing")
    if sums is None:
        return path
    want = sums.get(name)
    if not isinstance(want, str):
        raise ModelFormatError(Path(directory) / "meta.json", f"no checksum recorded for {name!r}")
    try:
        got = file_sha256(path)
    except OSError as e:
        raise ModelFormatError(path, f"unreadable ({e})") from None
    if got != want:
        raise ModelFormatError(path, "sha256 checksum does not match meta.json (file corrupted or modified)")
    return path


def _npy_header(f, name: str):
    version = np.lib.format.read_magic(f)
    read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}.get(version)
    if read_header is None:
        raise ValueError(f"npy format version {version}")
    shape, fortran, src = read_header(f, max_header_size=NPY_HEADER_MAX) \
        if "max_header_size" in read_header.__code__.co_varnames else read_header(f)
    if fortran or src.kind not in "iufb" or src.hasobject or src.fields is not None or src.subdtype is not None:
        raise ValueError(f"array {name!r} must be a C-ordered numeric array, got {src}")
    if len(shape) > 8:
        raise ValueError(f"array {name!r} has {len(shape)} dimensions")
    return shape, src


def _member_budget(info: zipfile.ZipInfo, declared) -> int:
    """Largest uncompressed size accepted for an npz member (see :data:`MAX_RATIO`)."""
    cap = max(MIN_CAP, MAX_RATIO * info.compress_size)
    if declared is not None:
        n = int(np.prod(declared[0], dtype=np.float64)) * declared[1].itemsize
        cap = min(cap, max(n, 0) + NPY_HEADER_MAX) if n >= 0 else cap
    return cap


def _read_member(zf: zipfile.ZipFile, path: Path, name: str, dtype, declared) -> np.ndarray:
    try:
        info = zf.getinfo(name + ".npy")
    except KeyError:
        raise ModelFormatError(path, f"missing array {name!r}") from None
    if info.file_size > _member_budget(info, declared):
        raise ModelFormatError(path, f"array {name!r} declares {info.file_size} bytes uncompressed, more than "
                                     f"meta.json / its compressed size allow")
    with zf.open(info) as f:
        shape, src = _npy_header(f, name)
        if declared is not None and (tuple(shape) != tuple(declared[0]) or src != declared[1]):
            raise ValueError(f"array {name!r} is {src}{list(shape)}, meta.json declares "
                             f"{declared[1]}{list(declared[0])}")
        count = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
        if f.tell() + count * src.itemsize != info.file_size:
            raise ValueError(f"array {name!r}: header says {count} x {src.itemsize} bytes, member holds "
                             f"{info.file_size - f.tell()}")
        out = np.empty(shape, src if dtype is None else dtype)
        flat = out.reshape(-1)
        step = 1 << 18
        for i in range(0, count, step):
            k = min(step, count - i)
            buf = f.read(k * src.itemsize)
            if len(buf) != k * src.itemsize:
                raise EOFError(f"array {name!r} is truncated")
            flat[i:i + k] = np.frombuffer(buf, src)
        return out


def _declared(meta: dict | None, name: str):
    """(shape, dtype) of ``name`` recorded in ``meta['arrays']``, or None for older bundles."""
    a = (meta or {}).get("arrays")
    if a is None:
        return None
    d = a.get(name)
    why = "missing" if d is None else _SHAPE.problem(d)
    if why:
        raise ModelFormatError("meta.json", f"arrays.{name}: {why}")
    try:
        dt = np.dtype(d["dtype"])
    except TypeError:
        raise ModelFormatError("meta.json", f"arrays.{name}: bad dtype {d['dtype']!r}") from None
    return tuple(d["shape"]), dt


def read_npz_member(path, name: str, dtype, meta: dict | None = None) -> np.ndarray:
    """Array ``name`` of the npz file ``path`` converted to ``dtype`` while it is decompressed, in
    blocks (no second full-size copy in memory); ``ModelFormatError`` naming the file on a
    corrupt, truncated, oversized or non-numeric member."""
    path = Path(path)
    try:
        declared = _declared(meta, name)
        with zipfile.ZipFile(path) as zf:
            return _read_member(zf, path, name, dtype, declared)
    except ModelFormatError as e:
        if e.path == "meta.json":
            raise ModelFormatError(path.parent / "meta.json", e.reason) from None
        raise
    except Exception as e:      # zipfile, zlib, npy header: whatever the bytes make them raise
        raise ModelFormatError(path, f"corrupt or truncated npz ({type(e).__name__}: {e})") from None


def load_arrays(directory, required: dict | None = None, *, optional: dict | None = None,
                skip: tuple[str, ...] = (), meta: dict | None = None,
                filename: str = "arrays.npz") -> dict[str, np.ndarray]:
    """Read the members of ``arrays.npz`` (or another npz file of the bundle, ``filename``) named
    in ``required`` (each must exist) and ``optional`` (name -> :class:`Arr` or a dtype-kind
    string), validated; an unknown member raises ModelFormatError (``required=None``: read every
    member). Members in ``skip`` are checked for presence only (read them with
    :func:`read_npz_member`). With ``meta``, the file's checksum is verified first."""
    path = Path(directory) / filename
    if not path.is_file():
        raise ModelFormatError(path, "missing")
    if meta is not None:
        _checked_file(directory, meta, filename)
        if filename != "arrays.npz":
            meta = None                      # meta.json's "arrays" declares arrays.npz only
    specs = {**(optional or {}), **(required or {})}
    try:
        with zipfile.ZipFile(path) as zf:
            members = [n[:-4] if n.endswith(".npy") else n for n in zf.namelist()]
            if len(set(members)) != len(members):
                raise ModelFormatError(path, "duplicate members")
            for key in (required or {}):
                if key not in members:
                    raise ModelFormatError(path, f"missing array {key!r}")
            if required is not None:
                unknown = sorted(set(members) - set(specs) - set(skip))
                if unknown:
                    raise ModelFormatError(path, f"unknown members {unknown[:5]} (expected {sorted(specs)})")
            wanted = [m for m in members if m not in skip and (required is None or m in specs)]
            arrays = {}
            for m in wanted:
                declared = _declared(meta, m)
                arrays[m] = _read_member(zf, path, m, None, declared)
    except ModelFormatError as e:
        if e.path == "meta.json":
            raise ModelFormatError(Path(directory) / "meta.json", e.reason) from None
        raise
    except Exception as e:      # zipfile, zlib, npy header: whatever the bytes make them raise
        raise ModelFormatError(path, f"corrupt or truncated npz ({type(e).__name__}: {e})") from None
    for key, a in arrays.items():
        if key in specs:
            why = _as_arr(specs[key]).problem(a)
            if why:
                raise ModelFormatError(path, f"array {key!r} {why}")
        elif a.dtype.kind == "f" and np.isnan(a).any():
            raise ModelFormatError(path, f"array {key!r} holds NaN")
    return arrays


def load_trie(path, cls=marisa_trie.Trie, meta: dict | None = None):
    """A marisa trie from ``path`` (its checksum verified first when ``meta`` has checksums)."""
    path = Path(path)
    if meta is not None:
        _checked_file(path.parent, meta, path.name)
    if not path.is_file():
        raise ModelFormatError(path, "missing")
    t = cls()
    try:
        t.load(str(path))
    except Exception as e:  # marisa raises RuntimeError/MemoryError/... on bad files
        raise ModelFormatError(path, f"corrupt or truncated marisa trie ({type(e).__name__}: {e})") from None
    return t


def save_trie(trie, path) -> None:
    trie.save(str(path))


def load_bundle(directory, kind: str | None = None, required: dict | None = None,
                tries: tuple[str, ...] = (), *, skip: tuple[str, ...] = (), optional: dict | None = None,
                schema: dict | None = None):
    """Return ``(meta, arrays, {name: trie})`` for a bundle directory, validated: ``meta.json``
    against ``schema``, checksums, ``arrays.npz`` members against ``required`` / ``optional``
    (name -> :class:`Arr` or dtype-kind string; arrays named in ``skip`` are left for
    :func:`read_npz_member`), tries after their checksum."""
    meta = load_meta(directory, kind, schema)
    arrays = load_arrays(directory, required, optional=optional, skip=skip, meta=meta)
    loaded = {name: load_trie(Path(directory) / f"{name}.marisa", meta=meta) for name in tries}
    return meta, arrays, loaded


#: what a loader's own consistency code may raise on data that passed the generic checks
_LOAD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
                RecursionError, MemoryError, UnicodeError, ZeroDivisionError, AssertionError)


def guard_load(func):
    """Decorator for ``load(cls, directory, ...)``: errors other than cnlp's own raised while
    loading (and checking) a bundle become :class:`ModelFormatError` naming its meta.json."""
    @functools.wraps(func)
    def wrapper(cls, directory, *args, **kw):
        try:
            return func(cls, directory, *args, **kw)
        except CnlpError:
            raise
        except _LOAD_ERRORS as e:
            raise ModelFormatError(Path(directory) / "meta.json",
                                   f"inconsistent model ({type(e).__name__}: {e})") from None
        except Exception as e:
            if type(e).__module__.startswith("numba"):
                raise ModelFormatError(Path(directory) / "meta.json",
                                       f"inconsistent model ({type(e).__name__}: {str(e)[:200]})") from None
            raise
    return wrapper


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Directory of the shipped models: ``$CNLP_DATA``, the installed ``cnlp.data`` package, or ``<repo>/data``."""
    env = os.environ.get("CNLP_DATA")
    if env:
        return Path(env)
    local = _repo_root() / "data"
    if (local / "__init__.py").is_file() and (_repo_root() / "setup.cfg").is_file():
        return local
    try:
        import importlib.util
        spec = importlib.util.find_spec("cnlp.data")
        if spec is not None and spec.submodule_search_locations:
            return Path(list(spec.submodule_search_locations)[0])
    except ImportError:
        pass
    return local


def model_path(name: str) -> Path:
    """Path of shipped model ``name`` (a sub-directory of :func:`data_dir`)."""
    p = data_dir() / name
    if not p.exists():
        raise ModelFormatError(p, f"shipped model {name!r} not found; rebuild it with "
                                  f"`python -m cnlp train ...` (see docs/models.md)")
    return p


def corpora_dir() -> Path:
    """``$CNLP_CORPORA`` if set, else ``../shared/corpora`` relative to the repository root."""
    env = os.environ.get("CNLP_CORPORA")
    if env:
        return Path(env)
    return _repo_root().parent / "shared" / "corpora"


#: the shared corpus file a training ``--corpus`` defaults to (under ``$CNLP_CORPORA``)
PD98_CORPUS = ("pd1998", "199801.txt")


def default_corpus(*parts: str, option: str = "--corpus") -> str:
    """The shared corpus file ``$CNLP_CORPORA/<parts>``, for an option left out. :class:`UsageError`
    naming the variable when it is not set; :class:`CnlpError` (exit status 1) when the file is
    not there."""
    root = os.environ.get("CNLP_CORPORA")
    rel = "/".join(parts)
    if not root:
        raise UsageError(f"give {option} PATH, or set CNLP_CORPORA to the directory of the shared corpora "
                         f"to train on $CNLP_CORPORA/{rel}")
    path = os.path.join(root, *parts)
    if not os.path.exists(path):
        raise CnlpError(f"{option} defaults to $CNLP_CORPORA/{rel}, but {path} is not there (CNLP_CORPORA={root})")
    return path
