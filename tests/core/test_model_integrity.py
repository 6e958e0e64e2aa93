"""Hardening of the bundle loader (cnlp.io) and the model base classes against crafted and
corrupt model files: every problem is a ModelFormatError naming the file, never a crash."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cnlp.errors import ModelFormatError
from cnlp.io import data_dir, load_bundle, meta_digest, save_bundle

DATA = data_dir()
TEXT = "商品和服务"


def file_sha256(path) -> str:
    import hashlib
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _clone(name: str, dst: Path) -> Path:
    """Hard-linked copy of a shipped bundle (edit files only through :func:`_write`)."""
    shutil.copytree(DATA / name, dst, copy_function=os.link)
    return dst


def _write(path: Path, data) -> None:
    path.unlink()
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)


def _edit_meta(d: Path, edit, *, resign: bool = True) -> None:
    """Edit meta.json; with ``resign`` its own checksum is updated too (a crafted, consistent model)."""
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    edit(meta)
    if resign and "meta.json" in meta.get("checksums", {}):
        meta["checksums"]["meta.json"] = meta_digest(meta)
    _write(d / "meta.json", json.dumps(meta))


def _rewrite_arrays(d: Path, edit) -> None:
    """Rewrite arrays.npz with ``edit(arrays)`` applied and meta.json's declarations and checksum
    updated to match (a crafted, internally consistent model)."""
    with np.load(d / "arrays.npz") as z:
        arrays = {k: z[k] for k in z.files}
    edit(arrays)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    _write(d / "arrays.npz", buf.getvalue())

    def sync(meta):
        meta["arrays"] = {k: {"dtype": v.dtype.str, "shape": list(v.shape)} for k, v in arrays.items()}
        meta["checksums"]["arrays.npz"] = file_sha256(d / "arrays.npz")
    _edit_meta(d, sync)


def _load_segment(d: Path):
    from cnlp.segmentation.tagging import TaggingSegmenter
    return TaggingSegmenter.load(d).segment(TEXT)


# ------------------------------------------------------------------ 1. feature ids / label count
@pytest.mark.parametrize("edit, match", [
    (lambda m: m["features"].update(bits=23), "n_features"),
    (lambda m: m["features"].update(bits=30), "n_features"),
    (lambda m: m["params"].update(n_labels=0), "n_labels"),
    (lambda m: m["params"].update(n_labels=8), "n_labels"),
])
def test_crafted_bits_and_labels_raise(tmp_path, edit, match):
    d = _clone("cws", tmp_path / "m")
    _edit_meta(d, edit)
    with pytest.raises(ModelFormatError, match=f"meta.json.*{match}"):
        _load_segment(d)


@pytest.mark.parametrize("n_features", [1, 1024])
def test_small_hash_space_with_consistent_rows_raises(tmp_path, n_features):
    d = _clone("cws", tmp_path / "m")

    def keep_rows_below(a):
        k = a["rows"] < n_features
        a["rows"], a["weights"] = a["rows"][k], a["weights"][k]
    _rewrite_arrays(d, keep_rows_below)
    _edit_meta(d, lambda m: m["params"].update(n_features=n_features))
    with pytest.raises(ModelFormatError, match="meta.json.*n_features"):
        _load_segment(d)


def test_out_of_range_feature_ids_have_no_row():
    """The kernel itself never reads outside the rank dictionary (defence in depth)."""
    from cnlp.sequence._kernels import row_of
    from cnlp.sequence.linear import rank_index
    idx = rank_index(np.array([3, 70]), 128)
    assert row_of(70, idx) == 1 and row_of(3, idx) == 0
    assert row_of(1 << 23, idx) == -1 and row_of(-5, idx) == -1


# ------------------------------------------------------------------ 2. checksums
def test_bit_flipped_trie_is_refused_before_marisa_reads_it(tmp_path):
    d = _clone("dict", tmp_path / "m")
    data = bytearray((d / "words.marisa").read_bytes())
    data[len(data) // 3] ^= 0x10
    _write(d / "words.marisa", bytes(data))
    from cnlp.dictionary import Dictionary
    with pytest.raises(ModelFormatError, match=r"words\.marisa.*checksum"):
        Dictionary.load(d)


def test_save_records_checksums_and_legacy_bundles_load(tmp_path):
    d = save_bundle(tmp_path / "m", "toy", {}, {"x": np.arange(3)})
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    assert meta["checksums"]["arrays.npz"] == file_sha256(d / "arrays.npz")
    assert meta["arrays"] == {"x": {"dtype": np.arange(3).dtype.str, "shape": [3]}}
    for k in ("checksums", "arrays"):            # a bundle saved before checksums existed
        del meta[k]
    _write(d / "meta.json", json.dumps(meta))
    assert load_bundle(d, "toy", {"x": "i"})[1]["x"].tolist() == [0, 1, 2]


def test_shipped_bundles_have_checksums():
    """Every shipped bundle records the sha256 of the files save_bundle writes, and they match."""
    for meta in DATA.rglob("meta.json"):
        m = json.loads(meta.read_text("utf-8"))
        sums = m.get("checksums", {})
        wanted = {p.name for p in meta.parent.iterdir() if p.name == "arrays.npz" or p.suffix == ".marisa"}
        assert wanted <= set(sums), meta
        assert sums["meta.json"] == meta_digest(m), meta
        for sub in meta.parent.iterdir():
            if (sub / "meta.json").is_file():
                assert f"{sub.name}/meta.json" in sums, sub
        for name, digest in sums.items():
            if name != "meta.json":
                assert file_sha256(meta.parent / name) == digest, meta.parent / name


def test_files_written_beside_a_bundle_get_checksums(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    np.savez(d / "lexicon.npz", x=np.arange(2))           # e.g. a task's extra file, written first
    save_bundle(d, "toy", {}, {"x": np.arange(3)})
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    assert meta["checksums"]["lexicon.npz"] == file_sha256(d / "lexicon.npz")


# ------------------------------------------------------------------ 3. schema and arrays
@pytest.mark.parametrize("bundle, edit, match", [
    ("crf", lambda m: m.pop("features"), "missing field 'features'"),
    ("crf", lambda m: m["params"].update(n_labels="4"), "n_labels"),
    ("crf", lambda m: m["features"].update(extra_templates="C0T1"), "extra_templates"),
    ("hmm/order1", lambda m: m.update(n_obs=None), "n_obs"),
    ("hmm/order1", lambda m: m["params"].pop("order"), "order"),
    ("bigram", lambda m: m.update(lam="0.3"), "lam"),
    ("bigram", lambda m: m.update(candidates={"cost": 1.0}), "maxlen"),
    ("dict", lambda m: m.update(pos_names=[1, 2]), "pos_names"),
    ("idf", lambda m: m.pop("default_idf"), "default_idf"),
    ("pos", lambda m: m["features"].pop("templates"), "templates"),
    ("pos", lambda m: m.update(tagset={"tags": []}), "tags"),
])
def test_meta_schema(tmp_path, bundle, edit, match):
    from cnlp.registry import load
    d = _clone(bundle, tmp_path / "m")
    _edit_meta(d, edit)
    with pytest.raises(ModelFormatError, match=f"meta.json.*{match}"):
        load(d)


def test_nan_and_deep_json(tmp_path):
    d = _clone("cws", tmp_path / "m")
    _rewrite_arrays(d, lambda a: a["weights"].__setitem__((5, 1), np.nan))
    with pytest.raises(ModelFormatError, match="arrays.npz.*(NaN|finite)"):
        _load_segment(d)
    d2 = _clone("hmm/order1", tmp_path / "h")
    _write(d2 / "meta.json", "[" * 100000 + "]" * 100000)
    from cnlp.segmentation.hmm import HMMSegmenter
    with pytest.raises(ModelFormatError, match="meta.json"):
        HMMSegmenter.load(d2)
    _write(d2 / "meta.json", '{"format_version": 1, "kind": "hmm_segmenter", "n_obs": NaN}')
    with pytest.raises(ModelFormatError, match="meta.json"):
        HMMSegmenter.load(d2)


@pytest.mark.parametrize("edit", [
    lambda a: a.update(log_emit=a["log_emit"].astype(np.int32)),
    lambda a: a.update(obs_codes=a["obs_codes"][::-1].copy()),
    lambda a: a.update(log_trans=a["log_trans"].reshape(-1)),
    lambda a: a.update(obs_codes=np.asarray(a["obs_codes"][0])),
])
def test_crafted_arrays(tmp_path, edit):
    from cnlp.segmentation.hmm import HMMSegmenter
    d = _clone("hmm/order1", tmp_path / "m")
    _rewrite_arrays(d, edit)
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        HMMSegmenter.load(d)


# ------------------------------------------------------------------ 4. decompression bombs
def _add_member(npz: Path, name: str, n_bytes: int) -> None:
    buf = io.BytesIO(npz.read_bytes())
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open(name, "w", force_zip64=True) as f:
            np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                                     "shape": (n_bytes // 8,)})
            zero = bytes(1 << 20)
            for i in range(0, n_bytes, len(zero)):
                f.write(zero[: min(len(zero), n_bytes - i)])
    _write(npz, buf.getvalue())


def test_extra_member_refused(tmp_path):
    from cnlp.segmentation.hmm import HMMSegmenter
    d = _clone("hmm/order1", tmp_path / "m")
    _add_member(d / "arrays.npz", "extra.npy", 16)
    _edit_meta(d, lambda m: m["checksums"].update({"arrays.npz": file_sha256(d / "arrays.npz")}))
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*unknown members \['extra'\]"):
        HMMSegmenter.load(d)


def test_oversized_member_refused_before_decompression(tmp_path):
    """A member whose declared size exceeds what meta.json / its compressed size allow is refused
    from the zip directory alone (a legacy bundle without declarations: the ratio cap)."""
    d = save_bundle(tmp_path / "m", "toy", {}, {"x": np.zeros(4)})
    npz = d / "arrays.npz"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        pass
    _write(npz, buf.getvalue())
    _add_member(npz, "x.npy", 80 << 20)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["checksums"]["arrays.npz"] = file_sha256(npz)
    _write(d / "meta.json", json.dumps(meta))
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*'x' declares \d+ bytes"):
        load_bundle(d, "toy", {"x": "f"})
    del meta["arrays"], meta["checksums"]
    _write(d / "meta.json", json.dumps(meta))
    with pytest.raises(ModelFormatError, match=r"arrays\.npz.*'x' declares \d+ bytes"):
        load_bundle(d, "toy", {"x": "f"})


# ------------------------------------------------------------------ the fuzz harness, a slice
def test_fuzz_slice():
    """A small slice of benchmarks/fuzz_models.py: no crash, every failure a ModelFormatError
    naming a file of the mutant, every mutant that loads gives the original's outputs (crafted
    mutants, whose checksums the mutator recomputed, are counted apart)."""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, str(root / "benchmarks" / "fuzz_models.py"), "--bundles", "dict",
                          "hmm/order1", "idf", "t2s", "--mutants", "40", "--seed", "7", "--json"],
                         capture_output=True, text=True, timeout=300)
    summary = json.loads(out.stdout[out.stdout.index("{"):])
    assert summary["mutants"] == 40 and summary["failures"] == [], summary
    assert set(summary["counts"]) <= {"identical", "error", "crafted identical", "crafted error",
                                      "crafted differs"}


# ------------------------------------------------------------------ meta.json fields and composite parts
def test_swapped_tag_names_are_refused(tmp_path):
    """meta.json's fields are covered by its checksum: swapping two tag names is refused."""
    from cnlp.pos.tagger import POSTagger
    d = _clone("pos", tmp_path / "pos")

    def swap(meta):
        tags = meta["tagset"]["tags"]
        tags[0], tags[1] = tags[1], tags[0]
    _edit_meta(d, swap, resign=False)
    with pytest.raises(ModelFormatError, match=r"pos/meta\.json.*checksum"):
        POSTagger.load(d)


def test_swapped_class_names_are_refused(tmp_path):
    from cnlp.classify import TextClassifier
    texts = ["这个很好", "非常满意", "真的太差", "很失望"] * 3
    clf = TextClassifier().fit(texts, ["pos", "pos", "neg", "neg"] * 3)
    d = clf.save(tmp_path / "clf")
    assert TextClassifier.load(d).predict(["非常满意"]) == clf.predict(["非常满意"])
    _edit_meta(d, lambda m: m.update(classes=m["classes"][::-1]), resign=False)
    with pytest.raises(ModelFormatError, match=r"clf/meta\.json.*checksum"):
        TextClassifier.load(d)


@pytest.mark.parametrize("name, part, load", [
    ("pos", "dict", lambda d: __import__("cnlp.pos.tagger", fromlist=["x"]).POSTagger.load(d)),
    ("crf", "dict", lambda d: __import__("cnlp.segmentation.tagging", fromlist=["x"]).TaggingSegmenter.load(d)),
    ("ud_pos", "lexicon", lambda d: __import__("cnlp.parsing.frontend", fromlist=["x"]).LexiconTagger.load(d)),
    ("bigram", "hmm", lambda d: __import__("cnlp.segmentation.lattice", fromlist=["x"]).BigramModel.load(d)),
])
def test_composite_bundle_missing_a_part_is_refused(tmp_path, name, part, load):
    d = _clone(name, tmp_path / name)
    shutil.rmtree(d / part)
    with pytest.raises(ModelFormatError, match=rf"{part}/meta\.json: missing"):
        load(d)


def test_edited_part_of_a_composite_bundle_is_refused(tmp_path):
    from cnlp.pos.tagger import POSTagger
    d = _clone("pos", tmp_path / "pos")
    _edit_meta(d / "dict", lambda m: m.update(pos_names=m["pos_names"][::-1]))   # re-signed inside dict/
    with pytest.raises(ModelFormatError, match=r"dict/meta\.json: sha256"):
        POSTagger.load(d)


def test_lexicon_tagger_save_covers_its_parts(tmp_path):
    from cnlp.parsing.frontend import LexiconTagger
    t = LexiconTagger.load(DATA / "ud_pos")
    d = t.save(tmp_path / "ud")
    sums = json.loads((d / "meta.json").read_text("utf-8"))["checksums"]
    assert {"lexicon/meta.json", "dict/meta.json", "meta.json"} <= set(sums)
    assert not (d / "guide").exists()                 # a reference to data/dep/guide, not a copy
    assert json.loads((d / "meta.json").read_text("utf-8"))["ud_tagger"]["guide_ref"]["path"].endswith("dep/guide")
    assert LexiconTagger.load(d).predict(["他", "喜欢", "北京"]) == t.predict(["他", "喜欢", "北京"])


def test_ud_tagger_guide_is_the_parsers(tmp_path):
    """data/ud_pos refers to data/dep/guide (shipped once): a copy of both side by side loads; without
    the parser's guide, or with another one, the tagger is refused, naming its meta.json."""
    from cnlp.parsing.frontend import LexiconTagger
    assert not (DATA / "ud_pos" / "guide").exists()
    _clone("ud_pos", tmp_path / "ud_pos")
    _clone("dep", tmp_path / "dep")
    words = ["他", "喜欢", "北京"]
    assert LexiconTagger.load(tmp_path / "ud_pos").predict(words) == LexiconTagger.load(DATA / "ud_pos").predict(words)
    _edit_meta(tmp_path / "dep" / "guide", lambda m: m.update(stage="other"))
    with pytest.raises(ModelFormatError, match=r"ud_pos/meta\.json.*not the one it was trained with"):
        LexiconTagger.load(tmp_path / "ud_pos")
    shutil.rmtree(tmp_path / "dep" / "guide")
    with pytest.raises(ModelFormatError, match=r"ud_pos/meta\.json.*cannot be read"):
        LexiconTagger.load(tmp_path / "ud_pos")
