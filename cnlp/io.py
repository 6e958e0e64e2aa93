"""Model bundles on disk: ``meta.json`` + ``arrays.npz`` (no pickle) + ``*.marisa`` tries.

Every loader goes through :func:`load_bundle`, which checks the format version, the
class name and the presence/dtype of the arrays, and raises :class:`ModelFormatError`
naming the offending file on any problem (missing, truncated, wrong keys).
"""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import marisa_trie
import numpy as np

from .errors import ModelFormatError

FORMAT_VERSION = 1
__all__ = ["save_bundle", "load_bundle", "load_trie", "save_trie", "data_dir", "corpora_dir",
           "model_path", "FORMAT_VERSION"]


def save_bundle(directory, kind: str, meta: dict, arrays: dict[str, np.ndarray],
                tries: dict[str, marisa_trie.Trie] | None = None) -> Path:
    """Write ``meta.json`` (with ``kind`` and ``format_version`` added), ``arrays.npz`` and tries."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    for k, v in arrays.items():
        if np.asarray(v).dtype == object:
            raise TypeError(f"array {k!r} has dtype object; model arrays must be numeric")
    meta = {"kind": kind, "format_version": FORMAT_VERSION, **meta}
    np.savez_compressed(d / "arrays.npz", **{k: np.asarray(v) for k, v in arrays.items()})
    for name, trie in (tries or {}).items():
        trie.save(str(d / f"{name}.marisa"))
    (d / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return d


def load_meta(directory, kind: str | None = None) -> dict:
    path = Path(directory) / "meta.json"
    if not path.is_file():
        raise ModelFormatError(path, "missing (is this a cnlp model directory?)")
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFormatError(path, f"not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise ModelFormatError(path, "expected a JSON object")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(path, f"format_version {meta.get('format_version')!r}, "
                                     f"this cnlp reads {FORMAT_VERSION}")
    if kind is not None and meta.get("kind") != kind:
        raise ModelFormatError(path, f"holds a {meta.get('kind')!r} model, expected {kind!r}")
    return meta


def read_npz_member(path, name: str, dtype) -> np.ndarray:
    """Array ``name`` of the npz file ``path`` converted to ``dtype`` while it is decompressed, in
    blocks (no second full-size copy in memory); ``ModelFormatError`` naming the file on a
    corrupt, truncated or non-numeric member."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name + ".npy") as f:
            version = np.lib.format.read_magic(f)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if read_header is None:
                raise ValueError(f"npy format version {version}")
            shape, fortran, src = read_header(f)
            if fortran or src.kind not in "iuf" or src.hasobject:
                raise ValueError(f"array {name!r} must be a C-ordered numeric array, got {src}")
            out = np.empty(shape, dtype)
            flat = out.reshape(-1)
            step = 1 << 18
            for i in range(0, flat.shape[0], step):
                k = min(step, flat.shape[0] - i)
                buf = f.read(k * src.itemsize)
                if len(buf) != k * src.itemsize:
                    raise EOFError(f"array {name!r} is truncated")
                flat[i:i + k] = np.frombuffer(buf, src)
            return out
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as e:
        raise ModelFormatError(path, f"corrupt or truncated npz ({type(e).__name__}: {e})") from None


def load_arrays(directory, required: dict[str, str | None] | None = None, *,
                skip: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """Load ``arrays.npz`` into memory, except the members in ``skip`` (read them with
    :func:`read_npz_member`); ``required`` maps key -> dtype kind ('i','f','u') or None."""
    path = Path(directory) / "arrays.npz"
    if not path.is_file():
        raise ModelFormatError(path, "missing")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files if k not in skip}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as e:
        raise ModelFormatError(path, f"corrupt or truncated npz ({type(e).__name__}: {e})") from None
    for key, kind in (required or {}).items():
        if key in skip:
            continue
        if key not in arrays:
            raise ModelFormatError(path, f"missing array {key!r}")
        if kind is not None and arrays[key].dtype.kind not in kind:
            raise ModelFormatError(path, f"array {key!r} has dtype {arrays[key].dtype}, expected kind {kind!r}")
    return arrays


def load_trie(path, cls=marisa_trie.Trie):
    path = Path(path)
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
                tries: tuple[str, ...] = (), *, skip: tuple[str, ...] = ()):
    """Return ``(meta, arrays, {name: trie})`` for a bundle directory, validated (arrays named in
    ``skip`` are left for :func:`read_npz_member`)."""
    meta = load_meta(directory, kind)
    arrays = load_arrays(directory, required, skip=skip)
    loaded = {name: load_trie(Path(directory) / f"{name}.marisa") for name in tries}
    return meta, arrays, loaded


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
