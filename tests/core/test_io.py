import json

import marisa_trie
import numpy as np
import pytest

from cnlp.errors import ModelFormatError
from cnlp.io import load_bundle, save_bundle, corpora_dir


def _bundle(tmp_path):
    return save_bundle(tmp_path / "m", "toy", {"note": "x"}, {"w": np.arange(6, dtype=np.float32)},
                       {"words": marisa_trie.Trie(["甲", "乙"])})


def test_roundtrip(tmp_path):
    d = _bundle(tmp_path)
    meta, arrays, tries = load_bundle(d, "toy", {"w": "f"}, ("words",))
    assert meta["note"] == "x" and meta["kind"] == "toy"
    assert arrays["w"].tolist() == list(range(6))
    assert "甲" in tries["words"]


def test_wrong_kind(tmp_path):
    d = _bundle(tmp_path)
    with pytest.raises(ModelFormatError, match="meta.json"):
        load_bundle(d, "other")


def test_truncated_npz_names_file(tmp_path):
    d = _bundle(tmp_path)
    data = (d / "arrays.npz").read_bytes()
    (d / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        load_bundle(d, "toy")


def test_missing_array_and_bad_dtype(tmp_path):
    d = _bundle(tmp_path)
    with pytest.raises(ModelFormatError, match="missing array 'x'"):
        load_bundle(d, "toy", {"x": None})
    with pytest.raises(ModelFormatError, match="dtype"):
        load_bundle(d, "toy", {"w": "i"})


def test_bad_json_and_trie(tmp_path):
    d = _bundle(tmp_path)
    (d / "words.marisa").write_bytes(b"garbage")
    with pytest.raises(ModelFormatError, match="words.marisa"):
        load_bundle(d, "toy", tries=("words",))
    (d / "meta.json").write_text("{not json", "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        load_bundle(d, "toy")
    (d / "meta.json").write_text(json.dumps({"kind": "toy", "format_version": 99}), "utf-8")
    with pytest.raises(ModelFormatError, match="format_version"):
        load_bundle(d, "toy")


def test_object_arrays_refused(tmp_path):
    with pytest.raises(TypeError):
        save_bundle(tmp_path, "toy", {}, {"o": np.array([{}], dtype=object)})


def test_corpora_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CNLP_CORPORA", str(tmp_path))
    assert corpora_dir() == tmp_path
