"""Add the integrity fields of :func:`cnlp.io.save_bundle` (``checksums``, ``arrays``) to bundles
saved before they existed, changing nothing else: every other file stays byte-identical and the
rest of meta.json is re-serialised exactly as save_bundle writes it (checked before writing).
``checksums`` is :func:`cnlp.io.bundle_checksums`: every file, each sub-bundle's meta.json and,
under ``"meta.json"``, the digest of meta.json's own fields. Sub-bundles are done before the
bundles that hold them (deepest first), so a parent's checksum is of its part's final meta.json.

    python scripts/add_checksums.py data            # every bundle under data/
"""
from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import numpy as np

from cnlp.io import bundle_checksums


def _dump(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)


def declarations(npz: Path) -> dict:
    out = {}
    with zipfile.ZipFile(npz) as z:
        for name in z.namelist():
            with z.open(name) as f:
                version = np.lib.format.read_magic(f)
                shape, _, dtype = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)(f)
            out[name[:-4]] = {"dtype": dtype.str, "shape": list(shape)}
    return out


def add(bundle: Path) -> bool:
    path = bundle / "meta.json"
    text = path.read_text("utf-8")
    meta = json.loads(text)
    if _dump(meta) != text:
        raise SystemExit(f"{path}: not in save_bundle's serialisation; refusing to rewrite it")
    if (bundle / "arrays.npz").is_file():
        meta["arrays"] = declarations(bundle / "arrays.npz")
    meta.pop("checksums", None)
    meta["checksums"] = bundle_checksums(bundle, meta)
    new = _dump(meta)
    if new == text:
        return False
    path.write_text(new, "utf-8")
    return True


def main(argv) -> int:
    for root in argv or ["data"]:
        for meta in sorted(Path(root).rglob("meta.json"), key=lambda p: (-len(p.parts), str(p))):
            print(("updated " if add(meta.parent) else "unchanged ") + str(meta.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
