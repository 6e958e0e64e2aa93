"""Arc-hybrid parser, UD reader, projectivization, evaluation and ``cnlp parse`` on tiny data."""
from __future__ import annotations

import argparse
import io
import json
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cnlp.errors import CorpusFormatError, ModelFormatError
from cnlp.cli import parse as parse_cli
from cnlp.parsing.conllu import UDSentence, format_ud, is_projective, projectivize, read_ud
from cnlp.parsing.evaluate import eval_dep_cli, evaluate_dep
from cnlp.parsing.parser import ArcHybridParser

TINY = """\
# text = 他喜欢北京。
1\t他\t他\tPRON\tPRP\t_\t2\tnsubj\t_\t_
2\t喜欢\t喜欢\tVERB\tVV\t_\t0\troot\t_\t_
3\t北京\t北京\tPROPN\tNNP\t_\t2\tobj\t_\t_
4\t。\t。\tPUNCT\t.\t_\t2\tpunct\t_\t_

# text = 我们研究生命的起源。
1\t我们\t我们\tPRON\tPRP\t_\t2\tnsubj\t_\t_
2\t研究\t研究\tVERB\tVV\t_\t0\troot\t_\t_
3\t生命\t生命\tNOUN\tNN\t_\t5\tnmod\t_\t_
4\t的\t的\tPART\tDEC\t_\t3\tcase\t_\t_
5\t起源\t起源\tNOUN\tNN\t_\t2\tobj\t_\t_
6\t。\t。\tPUNCT\t.\t_\t2\tpunct\t_\t_

# text = 商品和服务都很好。
1\t商品\t商品\tNOUN\tNN\t_\t6\tnsubj\t_\t_
2\t和\t和\tCCONJ\tCC\t_\t3\tcc\t_\t_
3\t服务\t服务\tNOUN\tNN\t_\t1\tconj\t_\t_
4\t都\t都\tADV\tRB\t_\t6\tadvmod\t_\t_
5\t很\t很\tADV\tRB\t_\t6\tadvmod\t_\t_
6\t好\t好\tADJ\tJJ\t_\t0\troot\t_\t_
7\t。\t。\tPUNCT\t.\t_\t6\tpunct\t_\t_

# text = 他说的确实在理。
1\t他\t他\tPRON\tPRP\t_\t2\tnsubj\t_\t_
2\t说\t说\tVERB\tVV\t_\t5\tacl:relcl\t_\t_
3\t的\t的\tSCONJ\tDEC\t_\t2\tmark:rel\t_\t_
4\t确实\t确实\tADV\tRB\t_\t5\tadvmod\t_\t_
5\t在理\t在理\tADJ\tJJ\t_\t0\troot\t_\t_
6\t。\t。\tPUNCT\t.\t_\t5\tpunct\t_\t_

"""


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    p = tmp_path_factory.mktemp("ud") / "tiny-ud-train.conllu"
    p.write_text(TINY, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def tiny_sents(tiny_path):
    return read_ud(tiny_path)


@pytest.fixture(scope="module")
def parser(tiny_sents):
    return ArcHybridParser(beam=2, n_iter=8, bits=16, verbose=False).fit(tiny_sents * 3)


def _check_tree(heads, rels, n):
    assert len(heads) == n and len(rels) == n
    assert sum(h == 0 for h in heads) == 1
    for i, (h, r) in enumerate(zip(heads, rels), 1):
        assert 0 <= h <= n and h != i
        assert (r == "root") == (h == 0)
        seen, k = set(), i
        while k != 0:                       # walking up reaches the root: no cycle
            assert k not in seen
            seen.add(k)
            k = heads[k - 1]


# ------------------------------------------------------------------------------ reader
def test_read_ud(tiny_sents):
    assert len(tiny_sents) == 4
    assert tiny_sents[0].forms == ["他", "喜欢", "北京", "。"]
    assert tiny_sents[0].heads == [2, 0, 2, 2]
    assert tiny_sents[0].text == "他喜欢北京。"


@pytest.mark.parametrize("bad,line,what", [
    ("1\t他\t他\tPRON\tPRP\t_\t0\troot\t_\n", 1, "columns"),
    ("1\t他\t他\tPRON\tPRP\t_\t0\troot\t_\t_\n3\t说\t说\tVERB\tVV\t_\t1\tdep\t_\t_\n", 2, "out of order"),
    ("1\t他\t他\tPRON\tPRP\t_\t0\troot\t_\t_\n2\t说\t说\tVERB\tVV\t_\t9\tdep\t_\t_\n", 2, "outside"),
    ("1\t他\t他\tPRON\tPRP\t_\tx\troot\t_\t_\n", 1, "HEAD"),
    ("# c\n1\t\t他\tPRON\tPRP\t_\t0\troot\t_\t_\n", 2, "empty FORM"),
    ("1\t他\t他\tPRON\tPRP\t_\t0\troot\t_\t_\n2\t爱\t爱\tVERB\tVV\t_\t3\tdep\t_\t_\n"
     "3\t你\t你\tPRON\tPRP\t_\t2\tobj\t_\t_\n", 2, "cycle (2 -> 3 -> 2)"),
    ("1\t他\t他\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2\t爱\t爱\tVERB\tVV\t_\t1\tdep\t_\t_\n"
     "3\t你\t你\tPRON\tPRP\t_\t2\tobj\t_\t_\n\n", 1, "cycle (1 -> 3 -> 2 -> 1)"),
])
def test_malformed_conllu_names_file_and_line(tmp_path, bad, line, what):
    p = tmp_path / "bad.conllu"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(CorpusFormatError) as e:
        read_ud(p)
    assert f"{p}:{line}:" in str(e.value) and what in str(e.value)


def test_train_dep_on_a_tree_with_a_cycle_names_file_and_line(tmp_path):
    """Before: KeyError: 'dep' (or a model trained on nonsense); now one line, exit 1."""
    import subprocess
    p = tmp_path / "cycle.conllu"
    p.write_text("# text = 我爱你们\n1\t我\t_\tPRON\t_\t_\t0\troot\t_\t_\n2\t爱\t_\tVERB\t_\t_\t3\tdep\t_\t_\n"
                 "3\t你\t_\tPRON\t_\t_\t2\tobj\t_\t_\n4\t们\t_\tPRON\t_\t_\t1\tobj\t_\t_\n\n", "utf-8")
    out = tmp_path / "model"
    r = subprocess.run([sys.executable, "-m", "cnlp", "train", "dep", "--corpus", str(p), "--dev", str(p),
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1
    assert f"{p}:3: the HEADs form a cycle (2 -> 3 -> 2)" in r.stderr
    assert not out.exists()


# ------------------------------------------------------------------------------ projectivity
def test_projectivize_round_trip():
    proj = [2, 0, 2, 5, 2]
    assert is_projective(proj) and projectivize(proj) == (proj, 0)
    nonproj = [3, 4, 0, 3]          # 1 -> 3 crosses 2 -> 4
    assert not is_projective(nonproj)
    lifted, k = projectivize(nonproj)
    assert k >= 1 and is_projective(lifted)
    assert sum(h == 0 for h in lifted) == 1


@given(st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=12))
def test_projectivize_random_trees(seeds):
    n = len(seeds)
    # random tree: word i (in a random order) attaches to an earlier-placed word or the root
    order = sorted(range(1, n + 1), key=lambda i: seeds[i - 1])
    heads = [0] * n
    for k, w in enumerate(order[1:], 1):
        heads[w - 1] = order[seeds[w - 1] % k]
    out, _ = projectivize(heads)
    assert is_projective(out)
    _check_tree(out, ["root" if h == 0 else "x" for h in out], n)


# ------------------------------------------------------------------------------ parsing
def test_learns_tiny_treebank(parser, tiny_sents):
    for s in tiny_sents:
        heads, rels = parser.parse(s.forms, s.upos)
        assert heads == s.heads
        assert rels == s.deprels


words_st = st.lists(st.text(st.sampled_from(list("他说的。，, \t\u3000!?a1喜欢北京")), min_size=1, max_size=4),
                    min_size=0, max_size=40)


@settings(max_examples=60)
@given(words_st, st.integers(1, 4), st.data())
def test_always_one_tree(parser, words, beam, data):
    tags = data.draw(st.lists(st.sampled_from(["NOUN", "VERB", "PUNCT", "ZZZ"]), min_size=len(words),
                              max_size=len(words)))
    heads, rels = parser.parse(words, tags, beam=beam)
    if words:
        _check_tree(heads, rels, len(words))
    else:
        assert (heads, rels) == ([], [])


@pytest.mark.parametrize("n", [1, 2, 300])
@pytest.mark.parametrize("beam", [1, 8])
def test_edge_lengths(parser, n, beam):
    words = (["他", "说", "，", "。", " "] * 60)[:n]
    heads, rels = parser.parse(words, ["PUNCT"] * n, beam=beam)
    _check_tree(heads, rels, n)


def test_parse_many_matches_parse(parser, tiny_sents):
    pairs = [(s.forms, s.upos) for s in tiny_sents] + [([], [])]
    assert parser.parse_many(pairs, beam=1) == [parser.parse(w, t, beam=1) for w, t in pairs]


def _random_rows(rng, n_rows, n_actions):
    lens = rng.integers(0, n_actions + 1, n_rows) * (rng.random(n_rows) < 0.5) + rng.integers(0, 3, n_rows)
    lens = np.minimum(lens, n_actions)
    ptr = np.r_[0, np.cumsum(lens)].astype(np.int64)
    act = np.concatenate([np.sort(rng.choice(n_actions, k, replace=False)) for k in lens]).astype(np.int16)
    val = rng.normal(size=len(act)).astype(np.float16).astype(np.float32)
    val[val == 0] = 1.0
    return ptr, act, val


@pytest.mark.parametrize("n_actions", [3, 21, 117])
def test_packed_rows_round_trip_and_score(n_actions):
    """pack_rows -> unpack_rows gives the rows back (empty rows dropped), and scoring with the packed
    layout (dense and sparse rows, int32 or int64 index) adds exactly what the dense training rows add."""
    from cnlp.parsing import _kernels as K
    from cnlp.parsing.parser import DENSE_SHARE, pack_rows, unpack_rows
    rng = np.random.default_rng(n_actions)
    bits, n_rows = 12, 600
    ids = np.sort(rng.choice(1 << bits, n_rows, replace=False)).astype(np.int64)
    ptr, act, val = _random_rows(rng, n_rows, n_actions)
    index, ent, dense = pack_rows(ids, ptr, act, val, bits, n_actions)
    lens = np.diff(ptr)
    assert len(dense) > 0 and (len(ent) > 0 or n_actions <= DENSE_SHARE) and dense.shape[1] % 8 == 0
    u_ids, u_ptr, u_act, u_val = unpack_rows(index, ent, dense, n_actions)
    assert np.array_equal(u_ids, ids[lens > 0]) and np.array_equal(np.diff(u_ptr), lens[lens > 0])
    assert np.array_equal(u_act, act) and np.array_equal(u_val, val)
    W = np.zeros((n_rows, n_actions), np.float32)
    W[np.repeat(np.arange(n_rows), lens), act] = val
    rows = np.full(1 << bits, -1, np.int32)
    rows[ids] = np.arange(n_rows)
    no_W = np.zeros((0, n_actions), np.float32)
    for _ in range(30):
        feats = rng.choice(np.r_[ids, rng.integers(0, 1 << bits, 50), -1], 40).astype(np.int64)
        want = np.empty(n_actions, np.float32)
        K.score(feats, rows, W, ent, dense, want)
        for ix in (index, index.astype(np.int64)):
            got = np.full(dense.shape[1], np.nan, np.float32)
            K.score(feats, ix, no_W, ent, dense, got)
            assert np.array_equal(got[:n_actions], want) and not got[n_actions:].any()


def test_greedy_is_first_best_valid_action(parser, tiny_sents):
    """beam = 1 (its own branch in beam_search) = a step-by-step reference: the first valid action with
    the best running float64 score."""
    from cnlp.parsing import _kernels as K
    rng = np.random.default_rng(0)
    L = len(parser.labels_)
    A = 1 + 2 * L
    sents = [(s.forms, s.upos) for s in tiny_sents]
    sents += [(list(rng.choice(list("他说的喜欢北京。"), int(n))), list(rng.choice(parser.tags_, int(n))))
              for n in rng.integers(1, 30, 20)]
    no_W = np.zeros((0, A), np.float32)
    for words, tags in sents:
        n = len(words)
        tok = parser._table(words, tags)
        st, stack = np.empty((n + 2, K.N_ST), np.int64), np.empty(n + 1, np.int32)
        sp, b = K.init_state(n, st, stack)
        raw, feats = np.empty(K.n_raw(tok), np.uint64), np.empty(parser.n_feats_, np.int64)
        sc = np.empty(parser.row_dense_.shape[1], np.float32)
        h = 0.0
        for _ in range(2 * n):
            K.features(tok, st, stack, sp, b, n, -1, parser.mask_, raw, feats)
            K.score(feats, parser.index_, no_W, parser.row_ent_, parser.row_dense_, sc)
            ok = [a for a in range(A) if K.valid(a, sp, b, n, L, parser.root_label_)]
            s = [h + float(sc[a]) for a in ok]
            best = ok[int(np.argmax(s))]
            h = max(s)
            sp, b = K.apply(st, stack, sp, b, best, L)
        want = (st[1:n + 1, K.HEAD].tolist(), [parser.labels_[x] for x in st[1:n + 1, K.LABEL]])
        assert parser.parse(words, tags, beam=1) == want


def test_input_errors(parser):
    with pytest.raises(TypeError):
        parser.parse("他说", ["PRON", "VERB"])
    with pytest.raises(ValueError):
        parser.parse(["他"], ["PRON", "VERB"])
    with pytest.raises(ValueError):
        parser.parse(["他", ""], ["PRON", "VERB"])
    with pytest.raises(ValueError):
        parser.parse(["他"], ["PRON"], beam=0)


def test_greedy_training_and_treebank_features(tiny_sents):
    p = ArcHybridParser(beam=1, n_iter=5, bits=16, treebank_features=True, verbose=False)
    p.fit(tiny_sents * 3, default_treebank="tiny")
    s = tiny_sents[0]
    _check_tree(*p.parse(s.forms, s.upos), len(s))
    with pytest.raises(ValueError):
        p.parse(s.forms, s.upos, treebank="nope")


# ------------------------------------------------------------------------------ persistence
def test_save_load_round_trip(parser, tiny_sents, tmp_path):
    parser.save(tmp_path / "m", float16=False)
    q = ArcHybridParser.load(tmp_path / "m")
    for s in tiny_sents:
        for b in (1, 2):
            assert q.parse(s.forms, s.upos, beam=b) == parser.parse(s.forms, s.upos, beam=b)
    from cnlp.registry import load
    assert isinstance(load(tmp_path / "m"), ArcHybridParser)


def _corrupt(src, dst, **arrays):
    """Copy of the bundle ``src`` with some arrays replaced; meta.json is made to agree with the new
    arrays (no checksums, the new dtypes and shapes), so only the parser's own checks can refuse them."""
    import shutil
    shutil.copytree(src, dst)
    with np.load(src / "arrays.npz") as z:
        a = {k: z[k] for k in z.files}
    a.update(arrays)
    np.savez(dst / "arrays.npz", **a)
    meta = json.loads((dst / "meta.json").read_text("utf-8"))
    meta.pop("checksums", None)
    meta["arrays"] = {k: {"dtype": v.dtype.str, "shape": list(v.shape)} for k, v in a.items()}
    (dst / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _swap_in_row(ptr, act):
    """``act`` with the first two actions of the first row of two or more swapped."""
    r = int(np.flatnonzero(np.diff(ptr) >= 2)[0])
    out = act.copy()
    out[ptr[r]], out[ptr[r] + 1] = act[ptr[r] + 1], act[ptr[r]]
    return out


def test_corrupt_model_raises(parser, tmp_path):
    good = tmp_path / "good"
    parser.save(good)
    with np.load(good / "arrays.npz") as z:
        ids, ptr, act, val = (z[k] for k in ("feature_ids", "row_ptr", "actions", "values"))
    cases = {
        "ptr_len": dict(row_ptr=ptr[:-1]),
        "ptr_end": dict(row_ptr=np.r_[ptr[:-1], ptr[-1] + 5]),
        "ptr_order": dict(row_ptr=np.r_[0, ptr[-1], 0, ptr[3:]]),
        "range": dict(feature_ids=np.r_[ids[:-1], 1 << 20]),
        "order": dict(feature_ids=ids[::-1].copy()),
        "nan": dict(values=np.full_like(val, np.nan)),
        "dtype": dict(values=val.astype(np.int32)),
        "actions": dict(actions=np.full_like(act, 999)),
        "action_order": dict(actions=_swap_in_row(ptr, act)),
        "ndim": dict(values=val.reshape(1, -1)),
    }
    for name, arrays in cases.items():
        _corrupt(good, tmp_path / name, **arrays)
        with pytest.raises(ModelFormatError, match="arrays.npz"):
            ArcHybridParser.load(tmp_path / name)
    import shutil
    trunc = tmp_path / "trunc"
    shutil.copytree(good, trunc)
    data = (trunc / "arrays.npz").read_bytes()
    (trunc / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError, match="arrays.npz"):
        ArcHybridParser.load(trunc)
    badjson = tmp_path / "badjson"
    shutil.copytree(good, badjson)
    (badjson / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        ArcHybridParser.load(badjson)
    meta = json.loads((good / "meta.json").read_text("utf-8"))
    for key, val in (("labels", ["a", "b"]), ("params", {**meta["params"], "bits": 99}),
                     ("n_templates", 3), ("tags", [1, 2])):
        d = tmp_path / f"meta_{key}"
        shutil.copytree(good, d)
        (d / "meta.json").write_text(json.dumps({**meta, key: val}), encoding="utf-8")
        with pytest.raises(ModelFormatError, match="meta.json|arrays.npz"):
            ArcHybridParser.load(d)


# ------------------------------------------------------------------------------ evaluation
def _sent(forms, upos, heads, rels):
    return UDSentence(list(forms), list(upos), ["_"] * len(forms), list(heads), list(rels))


def test_eval_gold_tokens():
    gold = [_sent(["他", "喜欢", "北京"], ["PRON", "VERB", "PROPN"], [2, 0, 2], ["nsubj", "root", "obj"])]
    pred = [_sent(["他", "喜欢", "北京"], ["PRON", "VERB", "NOUN"], [2, 0, 1], ["nsubj:outer", "root", "obj"])]
    sc = evaluate_dep(gold, pred)
    assert sc.same_tokens
    assert sc.f1("UPOS") == pytest.approx(2 / 3)
    assert sc.f1("UAS") == pytest.approx(2 / 3)
    assert sc.f1("LAS") == pytest.approx(2 / 3)       # subtypes ignored: nsubj:outer == nsubj


def test_eval_different_tokens(tmp_path):
    gold = [_sent(["他", "喜欢", "北京"], ["PRON", "VERB", "PROPN"], [2, 0, 2], ["nsubj", "root", "obj"]),
            _sent(["好"], ["ADJ"], [0], ["root"])]
    pred = [_sent(["他", "喜", "欢", "北京"], ["PRON", "VERB", "VERB", "PROPN"], [2, 0, 2, 2],
                  ["nsubj", "root", "flat", "obj"]),
            _sent(["好"], ["ADJ"], [0], ["root"])]
    sc = evaluate_dep(gold, pred)
    assert not sc.same_tokens
    assert sc.counts["Words"] == 3            # 他, 北京, 好
    assert sc.precision("Words") == pytest.approx(3 / 5) and sc.recall("Words") == pytest.approx(3 / 4)
    assert sc.counts["UPOS"] == 3
    assert sc.counts["UAS"] == 1              # heads of 他 and 北京 are 喜, not aligned to 喜欢; 好 is root
    assert sc.f1("LAS") == pytest.approx(2 * 1 / 9)
    g, p = tmp_path / "g.conllu", tmp_path / "p.conllu"
    g.write_text("".join(map(format_ud, gold)), encoding="utf-8")
    p.write_text("".join(map(format_ud, pred)), encoding="utf-8")
    report = eval_dep_cli(g, p)
    assert "LAS" in report and "differs" in report
    with pytest.raises(ValueError):
        evaluate_dep(gold, [_sent(["他"], ["X"], [0], ["root"])])


# ------------------------------------------------------------------------------ CLI
@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory, tiny_sents, parser):
    from cnlp.train.ud import train_ud_segmenter, train_ud_tagger
    d = tmp_path_factory.mktemp("models")
    tagger = train_ud_tagger(tiny_sents * 2, bits=16, folds=2, n_iter=3, dict_min_count=0)
    tagger.save(d / "upos", d / "xpos")
    parser.save(d / "dep")
    train_ud_segmenter([s.forms for s in tiny_sents] * 2, bits=16, folds=2, n_iter=3).save(d / "cws")
    return d


def _run(argv, stdin_text, monkeypatch, capsys):
    ap = argparse.ArgumentParser()
    parse_cli.add_parse_arguments(ap)
    args = ap.parse_args(argv)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8"))
    assert parse_cli.parse_main(args) == 0
    return capsys.readouterr().out


def test_cli_pretokenized_keeps_forms_and_order(tiny_models, tiny_path, monkeypatch, capsys):
    d = tiny_models
    argv = ["--pretokenized", "--parser", str(d / "dep"), "--tagger", str(d / "upos"),
            "--xpos-tagger", str(d / "xpos")]
    # gold columns must be ignored: blank them out in a copy with shuffled order
    src = read_ud(tiny_path)[::-1]
    for s in src:
        s.upos = s.xpos = ["_"] * len(s)
        s.heads, s.deprels = [None] * len(s), ["_"] * len(s)
    out = _run(argv, "".join(map(format_ud, src)), monkeypatch, capsys)
    p = tiny_models / "out.conllu"
    p.write_text(out, encoding="utf-8")
    got = read_ud(p)
    assert [s.forms for s in got] == [s.forms for s in src]
    for s in got:
        _check_tree(s.heads, s.deprels, len(s))
        assert "_" not in s.upos
    assert "# text = " in out
    js = _run(argv + ["--format", "json"], "".join(map(format_ud, src)), monkeypatch, capsys)
    assert [[t["text"] for t in json.loads(line)["tokens"]] for line in js.splitlines()] == [s.forms for s in src]


def test_cli_raw_one_sentence_per_line(tiny_models, monkeypatch, capsys):
    d = tiny_models
    argv = ["--parser", str(d / "dep"), "--tagger", str(d / "upos"), "--segmenter", str(d / "cws"),
            "--format", "json"]
    lines = ["他喜欢北京。", "", "   ", "。。。", "我们 研究生命"]
    out = _run(argv, "\n".join(lines) + "\n", monkeypatch, capsys)
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == len(lines)
    for line, r in zip(lines, rows):
        assert r["text"] == line
        words = [t for t in r["tokens"] if not t["text"].isspace()]
        assert "".join(t["text"] for t in words) == "".join(line.split())
        if words:
            _check_tree(_heads_over_words(r["tokens"]), [t["deprel"] for t in words], len(words))


def _heads_over_words(tokens):
    """The heads of a Doc JSON record's non-whitespace tokens, renumbered over them."""
    keep = [i for i, t in enumerate(tokens) if not t["text"].isspace()]
    ids = {i + 1: k for k, i in enumerate(keep, 1)}
    return [ids.get(tokens[i]["head"], 0) for i in keep]


def _sentences_of(record):
    """``[(text, tokens)]`` of each sentence of a Doc JSON record, heads within the sentence."""
    spans = record.get("sents") or [[0, len(record["text"])]]     # character offsets
    out = []
    for a, b in spans:
        ids = [i for i, t in enumerate(record["tokens"]) if a <= t["start"] < b]
        toks = [dict(record["tokens"][i], head=record["tokens"][i]["head"] - ids[0] if record["tokens"][i]["head"]
                     else 0) for i in ids]
        out.append((record["text"][a:b], toks))
    return out


# ------------------------------------------------------------------------------ corpora and shipped models
@pytest.mark.corpus
def test_ud_treebanks_read_and_reachable(corpora):
    from cnlp.parsing.conllu import UD_DEV, UD_FILES
    for name in (*UD_FILES, UD_DEV):
        sents = read_ud(corpora / "ud_chinese" / name)
        assert sents and all(sum(h == 0 for h in s.heads) == 1 for s in sents)
        for s in sents[:200]:
            assert is_projective(projectivize(s.heads)[0])


def _shipped():
    from cnlp.io import data_dir
    return all((data_dir() / n / "meta.json").is_file() for n in ("dep", "ud_pos", "ud_cws"))


@pytest.mark.skipif(not _shipped(), reason="shipped UD models not built (see docs/parser.md)")
def test_default_ud_pipeline():
    from cnlp.pipeline import build_pipeline
    nlp = build_pipeline("parse")
    for text in ["他喜欢北京。", "", "。。。", " ", "中文" * 150]:
        doc = nlp(text)
        keep = [i for i, w in enumerate(doc.words) if not w.isspace()]
        if keep:
            heads = [doc.heads[i] for i in keep]
            assert sum(h == 0 for h in heads) == 1


def test_cli_raw_splits_sentences(tiny_models, monkeypatch, capsys):
    d = tiny_models
    argv = ["--parser", str(d / "dep"), "--tagger", str(d / "upos"), "--segmenter", str(d / "cws"),
            "--format", "json"]
    text = "他喜欢北京。我爱上海！“好吗？”他说\n\n"
    rows = [json.loads(x) for x in _run(argv, text, monkeypatch, capsys).splitlines()]
    assert len(rows) == 2 and rows[1] == {"text": "", "layers": ["pos", "head", "deprel", "xpos"], "tokens": [],
                                          "ents": []}
    sents = _sentences_of(rows[0])
    assert [t for t, _ in sents] == ["他喜欢北京。", "我爱上海！", "“好吗？”", "他说"]
    for _, toks in sents:
        _check_tree(_heads_over_words(toks), [t["deprel"] for t in toks if not t["text"].isspace()],
                    sum(not t["text"].isspace() for t in toks))
    rows = [json.loads(x) for x in _run(argv + ["--no-split"], text, monkeypatch, capsys).splitlines()]
    assert len(rows) == 2 and "sents" not in rows[0] and rows[0]["text"] == text.split("\n")[0]
    conllu = _run(argv[:-2], "他喜欢北京。我爱上海。\n", monkeypatch, capsys)
    assert "# sent_id = 2\n# text = 我爱上海。" in conllu


@pytest.mark.skipif(not _shipped(), reason="shipped UD models not built (see docs/parser.md)")
def test_parse_splits_sentences_one_root_each():
    import cnlp
    text = "他喜欢北京。我爱上海！\n“你好吗？”他问。  然后……走了"
    doc = cnlp.parse(text)
    assert [text[a:b] for a, b in doc.sent_spans] == ["他喜欢北京。", "我爱上海！\n", "“你好吗？”", "他问。",
                                                      "  然后……", "走了"]
    for (a, b), s in zip(doc.sent_spans, doc.sents):
        assert s.text == text[a:b]
        assert sum(h == 0 for t, h in zip(s.words, s.heads) if not t.isspace()) == 1
    k = 0
    for s in doc.sents:                            # heads stay inside each sentence
        assert all(h == 0 or k < h <= k + len(s) for h in doc.heads[k:k + len(s)])
        k += len(s)
    assert doc.to_conllu().count("# text = ") == 6
    assert cnlp.parse(text, split=False).sent_spans == [(0, len(text))]
    semi = "一方面加强防务；一方面施加压力。"           # ； joins clauses of one UD sentence
    assert cnlp.parse(semi).sent_spans == [(0, len(semi))]
    one = "他喜欢北京。"                             # one sentence: the Doc of the unsplit parse
    assert cnlp.parse(one) == cnlp.parse(one, split=False)
    assert cnlp.parse(one).to_json() == cnlp.parse(one, split=False).to_json()
    assert "sents" not in cnlp.parse(one).to_json() and cnlp.parse("").words == []


@pytest.mark.skipif(not _shipped(), reason="shipped UD models not built (see docs/parser.md)")
def test_parse_time_linear_in_sentences():
    import time
    import cnlp
    unit = "他喜欢北京，也喜欢上海和广州的朋友们。"
    cnlp.parse(unit * 5)
    times = []
    for n in (20, 160):
        t0 = time.perf_counter()
        doc = cnlp.parse(unit * n)
        times.append(time.perf_counter() - t0)
        assert len(doc.sent_spans) == n
    assert times[1] < 8 * times[0] * 3          # linear (8x the text), with room for a noisy machine


@pytest.mark.skipif(not _shipped(), reason="shipped UD models not built (see docs/parser.md)")
def test_cli_prints_what_the_python_api_returns(monkeypatch, capsys):
    """``cnlp parse`` and ``cnlp tag`` print the records of ``cnlp.parse`` / the tag pipeline:
    ``doc.to_conllu()`` (the CLI numbers sentences with ``number_from``) and ``doc.to_json()``."""
    import cnlp
    from cnlp.outputs import json_record
    from cnlp.pipeline import build_pipeline
    lines = ["他喜欢北京。我爱上海。", "", "  “你好吗？”他问 Python 3。"]
    text = "\n".join(lines) + "\n"
    docs = [cnlp.parse(x) for x in lines]
    want, k = [], 1
    for d in docs:
        want.append(d.to_conllu(number_from=k))
        k += sum(bool(s.to_conllu()) for s in d.sents)
    assert _run([], text, monkeypatch, capsys) == "".join(want)
    assert _strip_ids("".join(want)) == "".join(d.to_conllu() for d in docs)
    assert _run(["--format", "json"], text, monkeypatch, capsys) == "".join(json_record(d.to_json()) + "\n"
                                                                           for d in docs)
    tag = build_pipeline("tag")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    from cnlp.cli import main
    assert main(["tag", "--format", "json"]) == 0
    assert capsys.readouterr().out == "".join(json_record(tag(x).to_json()) + "\n" for x in lines)


def _strip_ids(conllu):
    return "".join(line for line in conllu.splitlines(keepends=True) if not line.startswith("# sent_id = "))


def test_token_table_counts_clause_punctuation_ahead(parser):
    from cnlp.parsing import _kernels as K
    words = ["他", "来", "，", "她", "走", ",", "我", "说", "：", "好", "；", "，", "，", "。"]
    tok = parser._table(words, ["X"] * len(words))
    # full- and half-width ，；：, at most 3; the ROOT / NONE rows keep their fixed values
    assert tok[1:-1, K.TC].tolist() == [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 1, 0, 0]
    short = parser._table(["他", "住", "在", "上海", "。"], ["X"] * 5)
    assert short[1:-1, K.TC].tolist() == [0] * 5
    two = parser._table(["甲", "，", "乙", "，", "丙"], ["X"] * 5)
    assert two[1:-1, K.TC].tolist() == [2, 1, 1, 0, 0]
    assert tok[0, K.TC] == -2 and tok[-1, K.TC] == -3
