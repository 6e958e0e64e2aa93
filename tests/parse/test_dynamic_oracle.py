"""The arc-hybrid dynamic oracle: action costs against brute force on tiny trees, zero-cost paths
reproduce the gold tree, and ``ArcHybridParser(oracle="dynamic")`` training."""
from __future__ import annotations

import random
from functools import lru_cache

import numpy as np
import pytest

from cnlp.parsing import _kernels as K
from cnlp.parsing.conllu import is_projective, read_ud
from cnlp.parsing.parser import ArcHybridParser

from .test_parser import TINY, _check_tree

N_LABELS, ROOT = 3, 0          # labels 0 (root), 1, 2


def random_projective_tree(n, rng):
    """Heads (1-based, 0 = root) and labels of a random projective tree over words 1..n with one root."""
    heads = [0] * (n + 1)

    def span(lo, hi, head):             # words lo..hi form consecutive subtrees of ``head``
        while lo <= hi:
            end = rng.randint(lo, hi) if head else hi           # one subtree under the root
            r = rng.randint(lo, end)
            heads[r] = head
            span(lo, r - 1, r)
            span(r + 1, end, r)
            lo = end + 1
    span(1, n, 0)
    heads = heads[1:]
    assert is_projective(heads) and heads.count(0) == 1
    labels = [ROOT if h == 0 else rng.choice([1, 2]) for h in heads]
    return heads, labels


def brute_costs(heads, labels, stack, b):
    """Cost of every action in the state (``stack`` words, next word ``b``; the words on the stack and
    in the buffer have no head yet) by exhaustive search: the most correct arcs reachable from the
    state minus the most reachable after the action (plus what the action itself gets right)."""
    n = len(heads)
    A = 1 + 2 * N_LABELS

    def valid(a, stack, b):
        sp = len(stack)
        if a == 0:
            return b <= n
        if a <= N_LABELS:
            return sp >= 2 and b <= n and a - 1 != ROOT
        if sp >= 3:
            return a - 1 - N_LABELS != ROOT
        return sp == 2 and b > n and a - 1 - N_LABELS == ROOT

    def step(a, stack, b):
        """(new stack, new b, correct arcs made)."""
        if a == 0:
            return stack + (b,), b + 1, 0
        s0 = stack[-1]
        if a <= N_LABELS:
            h, l = b, a - 1
        else:
            h, l = stack[-2], a - 1 - N_LABELS
        return stack[:-1], b, int(heads[s0 - 1] == h and labels[s0 - 1] == l)

    @lru_cache(maxsize=None)
    def best(stack, b):
        if b > n and len(stack) == 1:
            return 0
        return max(g + best(s2, b2) for a in range(A) if valid(a, stack, b)
                   for s2, b2, g in [step(a, stack, b)])

    out = [K.INVALID] * A
    for a in range(A):
        if valid(a, stack, b):
            s2, b2, g = step(a, stack, b)
            out[a] = best(stack, b) - g - best(s2, b2)
    return out


def kernel_costs(heads, labels, stack, sp, b):
    n = len(heads)
    out = np.empty(1 + 2 * N_LABELS, np.int64)
    K.action_costs(stack, sp, b, n, np.array([0, *heads], np.int64), np.array([0, *labels], np.int64),
                   N_LABELS, ROOT, out)
    return out.tolist()


@pytest.mark.parametrize("seed", range(40))
def test_costs_match_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 7)
    heads, labels = random_projective_tree(n, rng)
    st = np.empty((n + 2, K.N_ST), np.int64)
    stack = np.empty(n + 1, np.int32)
    for walk in range(4):                       # random walks through valid (mostly wrong) actions
        sp, b = K.init_state(n, st, stack)
        for t in range(2 * n):
            got = kernel_costs(heads, labels, stack, sp, b)
            assert got == brute_costs(heads, labels, tuple(int(x) for x in stack[:sp]), b), \
                (heads, labels, stack[:sp].tolist(), b)
            assert min(got) == 0                # some action is always optimal
            acts = [a for a in range(len(got)) if got[a] < K.INVALID]
            sp, b = K.apply(st, stack, sp, b, rng.choice(acts), N_LABELS)


@pytest.mark.parametrize("seed", range(30))
def test_zero_cost_paths_build_the_gold_tree(seed):
    rng = random.Random(1000 + seed)
    n = rng.randint(1, 25)
    heads, labels = random_projective_tree(n, rng)
    st = np.empty((n + 2, K.N_ST), np.int64)
    stack = np.empty(n + 1, np.int32)
    sp, b = K.init_state(n, st, stack)
    for t in range(2 * n):
        cost = kernel_costs(heads, labels, stack, sp, b)
        zero = [a for a, c in enumerate(cost) if c == 0]
        assert zero
        sp, b = K.apply(st, stack, sp, b, rng.choice(zero), N_LABELS)   # any zero-cost action
    assert st[1:n + 1, K.HEAD].tolist() == heads
    assert st[1:n + 1, K.LABEL].tolist() == labels
    # and the static oracle's sequence costs nothing at every step
    gold = np.empty(2 * n, np.int32)
    assert K.gold_actions(np.array([0, *heads], np.int64), np.array([0, *labels], np.int64), n, N_LABELS, gold)
    sp, b = K.init_state(n, st, stack)
    for a in gold:
        assert kernel_costs(heads, labels, stack, sp, b)[a] == 0
        sp, b = K.apply(st, stack, sp, b, a, N_LABELS)


def test_cost_counts_lost_arcs():
    # 1 <- 2 -> 3, root 2. Shifting 2 while 1 waits on the stack loses 2 -> 1 and ROOT -> 2 (on top
    # of 1, word 2 can only take 1 or a later word as its head).
    heads, labels = [2, 0, 2], [1, ROOT, 2]
    st = np.empty((5, K.N_ST), np.int64)
    stack = np.empty(4, np.int32)
    sp, b = K.init_state(3, st, stack)
    sp, b = K.apply(st, stack, sp, b, 0, N_LABELS)                 # SHIFT 1
    cost = kernel_costs(heads, labels, stack, sp, b)
    assert cost[0] == 2                                            # SHIFT 2
    assert cost[1 + 1] == 0 and cost[1 + 2] == 1                   # LEFT with the gold label / another
    assert cost[1 + ROOT] == K.INVALID                             # LEFT never takes root
    assert all(c == K.INVALID for c in cost[1 + N_LABELS:])        # RIGHT onto ROOT: buffer not empty


@pytest.fixture(scope="module")
def tiny_sents(tmp_path_factory):
    p = tmp_path_factory.mktemp("ud") / "tiny-ud-train.conllu"
    p.write_text(TINY, encoding="utf-8")
    return read_ud(p)


def test_dynamic_oracle_learns_tiny_treebank(tiny_sents):
    p = ArcHybridParser(beam=1, n_iter=10, bits=16, verbose=False, oracle="dynamic", explore_after=2)
    p.fit(tiny_sents * 3)
    assert p.training_log_[-1]["updates"] < p.training_log_[0]["updates"]
    for s in tiny_sents:
        heads, rels = p.parse(s.forms, s.upos)
        _check_tree(heads, rels, len(s))
        assert heads == s.heads and rels == s.deprels


def test_dynamic_oracle_params(tiny_sents, tmp_path):
    with pytest.raises(ValueError, match="beam=1"):
        ArcHybridParser(beam=4, oracle="dynamic", verbose=False).fit(tiny_sents)
    with pytest.raises(ValueError, match="oracle"):
        ArcHybridParser(beam=1, oracle="nope", verbose=False).fit(tiny_sents)
    with pytest.raises(ValueError, match="explore"):
        ArcHybridParser(beam=1, oracle="dynamic", explore=1.5, verbose=False).fit(tiny_sents)
    p = ArcHybridParser(beam=1, n_iter=3, bits=16, verbose=False, oracle="dynamic", explore=0.5).fit(tiny_sents)
    p.save(tmp_path / "m")
    q = ArcHybridParser.load(tmp_path / "m")
    assert (q.oracle, q.explore, q.explore_after) == ("dynamic", 0.5, 1)
    s = tiny_sents[1]
    assert q.parse(s.forms, s.upos) == p.parse(s.forms, s.upos)


def test_cli_train_dep_dynamic_oracle(tmp_path):
    import json

    from .test_tagger import _train
    path = tmp_path / "tiny-ud-train.conllu"
    path.write_text(TINY, encoding="utf-8")
    common = ["--component", "parser", "--corpus", str(path), "--dev", str(path), "--bits", "16", "--n-iter", "3",
              "--oracle", "dynamic", "--quiet"]
    with pytest.raises(SystemExit, match="--beam 1"):
        _train([*common, "--beam", "4", "--out", str(tmp_path / "x")])
    with pytest.raises(SystemExit, match="--explore"):
        _train([*common, "--beam", "1", "--explore", "2", "--out", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()
    assert _train([*common, "--beam", "1", "--explore", "0.5", "--explore-after", "2",
                   "--out", str(tmp_path / "dep")]) == 0
    meta = json.loads((tmp_path / "dep" / "meta.json").read_text("utf-8"))
    assert meta["params"]["oracle"] == "dynamic" and meta["params"]["explore"] == 0.5
    assert meta["params"]["explore_after"] == 2
    p = ArcHybridParser.load(tmp_path / "dep")
    _check_tree(*p.parse(["他", "喜欢", "北京", "。"], ["PRON", "VERB", "PROPN", "PUNCT"]), 4)


@pytest.mark.parametrize("key,value", [("oracle", "beam"), ("explore", 2.0), ("explore", "x"), ("explore_after", -1)])
def test_load_checks_oracle_params(tiny_sents, tmp_path, key, value):
    import json

    from cnlp.errors import ModelFormatError
    from cnlp.io import meta_digest
    ArcHybridParser(beam=1, n_iter=2, bits=16, verbose=False, oracle="dynamic").fit(tiny_sents).save(tmp_path / "m")
    mpath = tmp_path / "m" / "meta.json"
    meta = json.loads(mpath.read_text("utf-8"))
    meta["params"][key] = value
    meta["checksums"]["meta.json"] = meta_digest(meta)      # a consistent file: the parser's own check
    mpath.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelFormatError, match=key):
        ArcHybridParser.load(tmp_path / "m")
