"""Fuzz the model loaders: mutate every shipped bundle, the t2s table and a trained classifier;
load and use each mutant and compare its outputs with the original bundle's.

Mutations (a mutant is reproducible from its bundle name, index and seed):

* ``truncate`` / ``bitflip``: a file of the bundle tree cut short or with 1-16 bits flipped
  (disk corruption: the checksums in meta.json are left as they were);
* ``meta``: one meta.json (or t2s table.json) value replaced according to its type (ints by 0, -1,
  huge, floats, strings, null...; floats by NaN/inf/negatives; strings, lists and objects emptied,
  extended or retyped), or a key deleted;
* ``array``: one arrays.npz member with its shape, dtype or values edited; half of them *crafted*:
  meta.json's declarations, checksums and digest recomputed up to the bundle's root (``synced``);
* ``extra``: an extra member in arrays.npz (small, or a 256 MiB zeros bomb), a member duplicated,
  or a member removed (half of the removals crafted).

Each mutant is loaded with the bundle's loader and used on fixed probe inputs (segment texts, tag
their words, find entities, parse sentences, IDF values and keywords, classify texts, the whole
fold table) in a worker subprocess; a worker that dies by a signal is recorded as a crash and
restarted at the next mutant. Outcomes: ``error`` (ModelFormatError naming a path of the mutant),
``identical`` (loaded, outputs identical to the original's), and the failures ``silent`` (loaded,
outputs differ, no error), ``crash``, ``timeout``, ``other`` (any other exception, or a
ModelFormatError naming no path of the mutant). Crafted mutants are counted apart (``crafted ...``):
a crafted model is a different model, so its ``differs`` is not a failure.

    nice -n 10 python benchmarks/fuzz_models.py --mutants 3000 --seed 0 --json   # docs/benchmarks.md
    python benchmarks/fuzz_models.py --bundles dict t2s classifier --mutants 30
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: shipped bundle -> how it is loaded and used
BUNDLES = ("dict", "idf", "bigram", "cws", "crf", "hmm/order1", "hmm/order2", "pos", "ner", "ner_fine", "dep",
           "ud_cws", "ud_pos", "ud_xpos", "t2s", "classifier")
TEXTS = ["商品和服务", "我爱北京天安门，天安门上太阳升。", "2024年GDP增长5.2%，iPhone 15发布 ok",
         "　全角ＡＢＣ１２３ \t\n", "e\u0301 café 😀 \x00\u200b", "" , "他说：“研究生命的起源”"]
WORDS = ["我", "爱", "北京", "天安门", "，", "研究", "生命", "😀", "2024年"]
#: outcomes that are findings: a signal, a hang, an output changed without an error, any other exception
FAIL = ("crash", "timeout", "silent", "other")


# ---------------------------------------------------------------------------------- mutations
def _files(bundle: Path) -> list[Path]:
    return sorted(p for p in bundle.rglob("*") if p.is_file())


def _clone(src: Path, dst: Path) -> None:
    """Copy the tree with hard links (loaders never write; mutated files are replaced, not edited)."""
    shutil.copytree(src, dst, copy_function=os.link)


def _replace(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


def _json_paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _json_paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:8]):
            yield from _json_paths(v, prefix + (i,))


def _new_value(v, rng: random.Random):
    big = [2**31, 2**63, 10**30, -(2**63) - 1]
    if isinstance(v, bool):
        return rng.choice([not v, 0, 1, "true", None])
    if isinstance(v, int):
        return rng.choice([0, -1, 1, v + 1, v - 1, v * 2, -v, rng.choice(big), float(v), v + 0.5, str(v), None,
                           True, [], {}, float("nan"), float("inf")])
    if isinstance(v, float):
        return rng.choice([float("nan"), float("inf"), -float("inf"), -v, 0.0, -1.0, 1e308, v * 1e6, 1e-320,
                           int(v), str(v), None, []])
    if isinstance(v, str):
        return rng.choice(["", "x", v + "x", v[::-1], "\ud800", 1, None, [v], {"a": v}, v * 1000])
    if isinstance(v, list):
        return rng.choice([[], v[:-1], v + v[-1:] if v else [1], v[::-1], [None], [[[[]]]], {}, "x", 0,
                           [2**63] * max(1, len(v))])
    if isinstance(v, dict):
        return rng.choice([{}, [], "x", None, {**v, "extra": 1}, 0])
    return rng.choice([0, "x", [], {}])


def mutate_meta(d: Path, rng: random.Random) -> str:
    metas = [p for p in _files(d) if p.suffix == ".json"]          # meta.json, or t2s/table.json
    p = rng.choice(metas)
    meta = json.loads(p.read_text("utf-8"))
    paths = [q for q in _json_paths(meta) if q]
    q = rng.choice(paths)
    parent = meta
    for k in q[:-1]:
        parent = parent[k]
    if isinstance(parent, dict) and rng.random() < 0.25:
        del parent[q[-1]]
        what = "del"
    else:
        parent[q[-1]] = _new_value(parent[q[-1]], rng)
        what = "set"
    _replace(p, json.dumps(meta, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return f"meta {what} {p.relative_to(d)}:{'/'.join(map(str, q))}"


def _read_npz(p: Path) -> dict:
    with np.load(p, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _resign(d: Path, changed: Path) -> None:
    """Recompute the checksums a changed file is covered by, up to the bundle root: its own
    meta.json entry and digest, then each enclosing bundle's entry for that meta.json (a crafted model)."""
    from cnlp.io import file_sha256, meta_digest
    d = d.resolve()
    child = changed.resolve()
    folder = child.parent
    while True:
        meta_p = folder / "meta.json"
        if meta_p.exists() and meta_p != child:
            meta = json.loads(meta_p.read_text("utf-8"))
            sums = meta.get("checksums")
            if isinstance(sums, dict):
                rel = child.relative_to(folder).as_posix()
                if rel in sums:
                    sums[rel] = file_sha256(child)
                if "meta.json" in sums:
                    sums["meta.json"] = meta_digest(meta)
            _replace(meta_p, json.dumps(meta, ensure_ascii=False).encode())
            child = meta_p
        if folder == d:
            break
        folder = folder.parent


def _rewrite_npz(d: Path, p: Path, arrays: dict, rng: random.Random, *, sync_meta: bool) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    _replace(p, buf.getvalue())
    meta_p = p.parent / "meta.json"
    if sync_meta and meta_p.exists():            # a crafted model: declarations and checksums agree
        meta = json.loads(meta_p.read_text("utf-8"))
        if "arrays" in meta:
            meta["arrays"] = {k: {"dtype": v.dtype.str, "shape": list(v.shape)} for k, v in arrays.items()}
        _replace(meta_p, json.dumps(meta, ensure_ascii=False).encode())
        _resign(d, p)


def mutate_array(d: Path, rng: random.Random) -> str:
    p = rng.choice([q for q in _files(d) if q.suffix == ".npz"])
    arrays = _read_npz(p)
    k = rng.choice(sorted(arrays))
    a = arrays[k]
    op = rng.choice(["shrink", "grow", "reshape", "dtype", "values", "values", "values", "permute", "scalar"])
    if op == "shrink" and a.size:
        a = a[: rng.randrange(a.shape[0])] if a.ndim else a
    elif op == "grow":
        a = np.concatenate([a, a[-1:] if a.size else np.zeros((1,) + a.shape[1:], a.dtype)]) if a.ndim else a
    elif op == "reshape":
        a = a.reshape(-1) if a.ndim > 1 else a.reshape(1, -1)
    elif op == "dtype":
        a = a.astype(rng.choice([np.int64, np.int32, np.int16, np.uint8, np.uint64, np.float16, np.float32,
                                 np.float64, np.bool_]))
    elif op == "permute" and a.size:
        a = a.reshape(-1)[::-1].reshape(a.shape).copy()
    elif op == "scalar":
        a = np.asarray(a.reshape(-1)[0] if a.size else 0)
    elif a.size:
        a = a.copy()
        flat = a.reshape(-1)
        idx = [rng.randrange(flat.size) for _ in range(rng.choice([1, 3, 50]))]
        if a.dtype.kind == "f":
            vals = [np.nan, np.inf, -np.inf, -1e30, 1e30, 0.0, -1.0]
        else:
            info = np.iinfo(a.dtype) if a.dtype.kind in "iu" else None
            vals = [0, 1, -1, 2**20, 2**31 - 1] if info is None else [info.min, info.max, 0, -1, 1 << 21,
                                                                      int(flat.max()) + 1, int(flat.min()) - 1]
        for i in idx:
            v = rng.choice(vals)
            try:
                with np.errstate(all="ignore"):
                    flat[i] = np.array(v).astype(a.dtype)
            except (OverflowError, ValueError):
                pass
    arrays[k] = a
    sync = rng.random() < 0.5
    _rewrite_npz(d, p, arrays, rng, sync_meta=sync)
    return f"array {op} {p.relative_to(d)}:{k}{' synced' if sync else ''}"


def mutate_extra(d: Path, rng: random.Random) -> str:
    p = rng.choice([q for q in _files(d) if q.suffix == ".npz"])
    op = rng.choice(["small", "bomb", "remove", "duplicate"])
    if op == "remove":
        arrays = _read_npz(p)
        del arrays[rng.choice(sorted(arrays))]
        sync = rng.random() < 0.5
        _rewrite_npz(d, p, arrays, rng, sync_meta=sync)
        return f"extra remove {p.relative_to(d)}{' synced' if sync else ''}"
    elif op == "duplicate":
        data = p.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            name = rng.choice(z.namelist())
            member = z.read(name)
        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a") as z:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                z.writestr(name, member[:len(member) // 2])
        _replace(p, buf.getvalue())
    else:
        buf = io.BytesIO(p.read_bytes())
        with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
            with z.open("extra.npy", "w", force_zip64=True) as f:
                n = (256 << 20) if op == "bomb" else 16
                np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": (n // 8,)})
                zero = bytes(1 << 20)
                for i in range(0, n, len(zero)):
                    f.write(zero[: min(len(zero), n - i)])
        _replace(p, buf.getvalue())
    return f"extra {op} {p.relative_to(d)}"


def mutate_bytes(d: Path, rng: random.Random, op: str) -> str:
    p = rng.choice(_files(d))
    data = bytearray(p.read_bytes())
    if op == "truncate":
        data = data[: rng.randrange(len(data))] if data else data
    else:
        for _ in range(rng.choice([1, 1, 2, 4, 16])):
            if data:
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
    _replace(p, bytes(data))
    return f"{op} {p.relative_to(d)}"


def make_mutant(bundle: str, index: int, seed: int, dst: Path, src: Path) -> str:
    rng = random.Random(f"{seed}:{bundle}:{index}")
    _clone(src, dst)
    op = rng.choices(["truncate", "bitflip", "meta", "array", "extra"], [1, 2, 3, 3, 1])[0]
    if op in ("array", "extra") and not any(p.suffix == ".npz" for p in _files(dst)):
        op = rng.choice(["truncate", "bitflip", "meta"])       # the t2s table: one JSON file
    if op in ("truncate", "bitflip"):
        return mutate_bytes(dst, rng, op)
    with np.errstate(all="ignore"):               # casts to narrower dtypes overflow on purpose
        return {"meta": mutate_meta, "array": mutate_array, "extra": mutate_extra}[op](dst, rng)


# ---------------------------------------------------------------------------------- load and use
def _probe_texts() -> list[str]:
    """TEXTS and 24 review lines of the sentiment corpus (or fixed sentences without it)."""
    texts = list(TEXTS)
    corpus = Path(os.environ.get("CNLP_CORPORA", ROOT.parent / "shared" / "corpora")) / "sentiment"
    for name in ("pos.txt", "neg.txt"):
        try:
            with open(corpus / name, encoding="utf-8") as f:
                texts += [next(f).strip()[:120] for _ in range(12)]
        except (OSError, StopIteration):
            texts += ["这本书写得很好，值得一读。", "服务太差了，再也不来了。", "中华人民共和国成立于1949年。"]
    return texts


PARSE = [(["我", "爱", "北京", "。"], ["PRON", "VERB", "PROPN", "PUNCT"]),
         (["他", "昨天", "在", "学校", "看", "了", "一", "本", "书"],
          ["PRON", "NOUN", "ADP", "NOUN", "VERB", "AUX", "NUM", "NOUN", "NOUN"]),
         (["经济", "发展", "很", "快"], ["NOUN", "NOUN", "ADV", "VERB"])]


def outputs(bundle: str, d: Path, texts: list[str]):
    """Load the bundle in ``d`` and compute its outputs on the probe inputs (JSON-able, compared
    exactly with the original bundle's)."""
    if bundle == "t2s":
        from cnlp.text import _load_fold_table
        import hashlib
        table = _load_fold_table(d / "table.json")
        return [hashlib.sha256(np.ascontiguousarray(table).tobytes()).hexdigest()]
    if bundle == "classifier":
        from cnlp.classify import TextClassifier
        clf = TextClassifier.load(d)
        return [clf.predict(texts).tolist(), clf.predict_proba(texts).round(12).tolist()]
    if bundle == "dict":
        from cnlp.dictionary import Dictionary
        from cnlp.segmentation.maxmatch import MaxMatchSegmenter
        seg = MaxMatchSegmenter(Dictionary.load(d))
    elif bundle == "idf":
        from cnlp.extract.idf import IDFTable
        from cnlp import keywords            # the one-call function: shipped segmenter and dictionary
        table = IDFTable.load(d)
        return [[table.idf(w) for w in WORDS], [keywords(t, idf=table) for t in texts]]
    elif bundle in ("pos", "ud_pos", "ud_xpos"):
        import cnlp
        from cnlp.pos.tagger import POSTagger
        if bundle == "ud_pos":                 # as the UD tagger loads it: with its lexicon and guide/
            from cnlp.parsing.frontend import LexiconTagger
            tagger = LexiconTagger.load(d)
        else:
            tagger = POSTagger.load(d)
        return [tagger.predict(WORDS)] + [tagger.predict(cnlp.segment(t)) for t in texts if t.strip()]
    elif bundle in ("ner", "ner_fine"):
        from cnlp.models import load_entity_recognizer     # over the shipped cascade (CRF, POS)
        rec = load_entity_recognizer(d)
        return [[list(e) for e in rec.predict(t)] for t in texts]
    elif bundle == "dep":
        from cnlp.parsing.parser import ArcHybridParser
        parser = ArcHybridParser.load(d)
        return [[list(map(str, x)) for x in parser.parse(w, t)] for w, t in PARSE]
    elif bundle == "bigram":
        from cnlp.segmentation.lattice import LatticeSegmenter
        seg = LatticeSegmenter.load(d)
    elif bundle.startswith("hmm"):
        from cnlp.segmentation.hmm import HMMSegmenter
        seg = HMMSegmenter.load(d)
    else:
        from cnlp.segmentation.tagging import TaggingSegmenter
        seg = TaggingSegmenter.load(d)
    return [seg.segment(t) for t in texts]


def _names_file(e, d: Path) -> bool:
    """The error names a path of the mutant: one of its files, or a part its meta.json lists that is
    not there (a flipped bit in a checksums key: "wordw.marisa: missing (listed in ... checksums)")."""
    path = Path(e.path).resolve()
    if not path.is_relative_to(d.resolve()):
        return False
    return path.name in {p.name for p in _files(d)} | {"meta.json", "arrays.npz"} or "listed in" in str(e)


def worker(seed: int, workdir: Path, sources: dict) -> None:
    """Read ``bundle index`` lines on stdin, answer one JSON line per mutant on stdout."""
    from cnlp.errors import ModelFormatError
    texts = _probe_texts()
    original: dict = {}
    for line in sys.stdin:
        bundle, index = line.split()
        src = Path(sources[bundle])
        if bundle not in original:            # the original bundle's outputs, JSON round-tripped
            original[bundle] = json.loads(json.dumps(outputs(bundle, src, texts), ensure_ascii=False))
        d = workdir / f"m{index}"
        shutil.rmtree(d, ignore_errors=True)
        guide = workdir / "dep" / "guide"        # data/ud_pos refers to ../dep/guide (the parser's guide)
        if bundle == "ud_pos" and not guide.exists() and (src.parent / "dep" / "guide").is_dir():
            _clone(src.parent / "dep" / "guide", guide)
        what = make_mutant(bundle, int(index), seed, d, src)
        print(json.dumps({"start": index, "what": what}), flush=True)
        crafted = what.endswith(" synced")
        try:
            out = json.loads(json.dumps(outputs(bundle, d, texts), ensure_ascii=False))
            if out == original[bundle]:
                res = {"outcome": "identical"}
            else:
                res = {"outcome": "differs" if crafted else "silent",
                       "detail": _first_difference(out, original[bundle])}
        except ModelFormatError as e:
            res = {"outcome": "error" if _names_file(e, d) else "other", "detail": str(e)[:300]}
        except Exception as e:          # noqa: BLE001 - every other exception is a finding
            res = {"outcome": "other", "detail": f"{type(e).__name__}: {str(e)[:300]}"}
        shutil.rmtree(d, ignore_errors=True)
        print(json.dumps({"index": index, "bundle": bundle, "what": what, "crafted": crafted, **res},
                         ensure_ascii=False), flush=True)


def _first_difference(a, b) -> str:
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return f"[{i}]" + _first_difference(x, y)
    return f" {json.dumps(a, ensure_ascii=False)[:120]} != {json.dumps(b, ensure_ascii=False)[:120]}"


def train_classifier(directory: Path) -> Path:
    """A small TextClassifier bundle (1,000 reviews of the sentiment corpus, or fixed sentences)."""
    from cnlp.classify import TextClassifier
    corpus = Path(os.environ.get("CNLP_CORPORA", ROOT.parent / "shared" / "corpora")) / "sentiment"
    texts, labels = [], []
    for name in ("pos", "neg"):
        try:
            with open(corpus / f"{name}.txt", encoding="utf-8") as f:
                lines = [ln.strip() for _, ln in zip(range(2000), f) if ln.strip()][::4]
        except OSError:
            lines = ["很好", "非常满意", "不错，推荐"] if name == "pos" else ["很差", "太失望了", "不推荐"]
        texts += lines
        labels += [name] * len(lines)
    TextClassifier(k=2000, min_df=1).fit(texts, labels).save(directory)
    return directory


def run(bundles, n_mutants: int, seed: int, timeout: float, verbose: bool = False) -> dict:
    jobs = [(b, i) for i in range(max(1, n_mutants // len(bundles))) for b in bundles]
    results, todo = [], list(jobs)
    workdir = Path(tempfile.mkdtemp(prefix="cnlp-fuzz-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    sources = {b: str(DATA / b) for b in bundles if b != "classifier"}
    try:
        if "classifier" in bundles:
            sources["classifier"] = str(train_classifier(workdir / "classifier"))
        while todo:
            proc = subprocess.Popen([sys.executable, __file__, "--worker", "--seed", str(seed), "--workdir",
                                     str(workdir), "--sources", json.dumps(sources)],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)
            current = None
            import selectors
            sel = selectors.DefaultSelector()
            sel.register(proc.stdout, selectors.EVENT_READ)
            pending = list(todo)
            for b, i in pending:
                proc.stdin.write(f"{b} {i}\n")
            proc.stdin.close()
            while True:
                if not sel.select(timeout):
                    proc.kill()
                    proc.wait()
                    if current is not None:
                        results.append({**current, "outcome": "timeout"})
                        todo = todo[1:]
                    break
                line = proc.stdout.readline()
                if not line:
                    rc = proc.wait()
                    if current is not None:       # died inside a mutant
                        results.append({**current, "outcome": "crash", "detail": f"exit status {rc}"})
                        todo = todo[1:]
                    elif todo:
                        raise RuntimeError(f"fuzz worker died outside a mutant (exit status {rc})")
                    break
                msg = json.loads(line)
                if "start" in msg:
                    b, i = todo[0]
                    current = {"index": msg["start"], "bundle": b, "what": msg["what"],
                               "crafted": msg["what"].endswith(" synced")}
                else:
                    results.append(msg)
                    if verbose or msg["outcome"] in FAIL:
                        print(msg, flush=True)
                    todo = todo[1:]
                    current = None
            sel.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    counts: dict = {}
    per_op: dict = {}
    for r in results:
        outcome = ("crafted " if r.get("crafted") else "") + r["outcome"]
        counts[outcome] = counts.get(outcome, 0) + 1
        op = r["what"].split()[0] + (" crafted" if r.get("crafted") else "")
        per_op.setdefault(op, {}).setdefault(r["outcome"], 0)
        per_op[op][r["outcome"]] += 1
    per_bundle: dict = {}
    for r in results:
        per_bundle.setdefault(r["bundle"], {}).setdefault(r["outcome"], 0)
        per_bundle[r["bundle"]][r["outcome"]] += 1
    return {"mutants": len(results), "seconds": round(time.perf_counter() - t0, 1), "seed": seed,
            "counts": counts, "by_mutation": per_op, "by_bundle": per_bundle,
            "failures": [r for r in results if r["outcome"] in FAIL]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundles", nargs="+", default=list(BUNDLES), choices=BUNDLES)
    ap.add_argument("--mutants", type=int, default=2000, help="total number of mutants (split over the bundles)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds without progress before a mutant is a timeout")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    ap.add_argument("--sources", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.seed, Path(args.workdir), json.loads(args.sources))
        return 0
    summary = run(args.bundles, args.mutants, args.seed, args.timeout, args.verbose)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(f"{summary['mutants']} mutants in {summary['seconds']} s: {summary['counts']}")
        for op, c in sorted(summary["by_mutation"].items()):
            print(f"  {op:17s} {c}")
        for b, c in sorted(summary["by_bundle"].items()):
            print(f"  {b:17s} {c}")
        for f in summary["failures"][:50]:
            print("FAIL", f)
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
