"""TagSet: names <-> ids, schemes, allowed transitions, spans <-> labels; the BMES kernels."""
import itertools

import numpy as np
import pytest
from hypothesis import given, strategies as st

from cnlp._tagset_kernels import bmes_bounds, force_spans
from cnlp.tagset import BMES, NEG, TagSet


def test_names_ids_round_trip_and_errors():
    ts = TagSet.plain(["n", "v", "a"])
    assert ts.encode(["v", "a", "n"]).tolist() == [1, 2, 0]
    assert ts.decode([2, 0]) == ["a", "n"]
    assert "v" in ts and "x" not in ts and len(ts) == 3
    with pytest.raises(ValueError, match="unknown tag 'x'"):
        ts.encode(["x"])
    with pytest.raises(ValueError, match="unique"):
        TagSet.plain(["n", "n"])
    with pytest.raises(TypeError):
        TagSet.plain("nv")
    with pytest.raises(ValueError, match="scheme"):
        TagSet(["a"], scheme="iob2")
    assert TagSet.from_json(ts.to_json()) == ts
    assert TagSet.from_json(TagSet.bioes(["PER"]).to_json()).types == ("PER",)
    with pytest.raises(ValueError):
        TagSet(["O", "B-PER", "X-PER"], scheme="bio")


def test_bmes_bounds_lenient_and_py_func():
    assert bmes_bounds(np.array([0, 2, 3, 0, 1, 2], np.int32)).tolist() == [0, 2, 3, 6]
    assert bmes_bounds(np.array([1, 1, 0], np.int32)).tolist() == [0, 2, 3]
    for labels in itertools.product(range(4), repeat=4):
        lab = np.array(labels, np.int32)
        assert bmes_bounds(lab).tolist() == bmes_bounds.py_func(lab).tolist()


@given(st.lists(st.integers(1, 5), min_size=1, max_size=20))
def test_bmes_spans_round_trip(lengths):
    b = np.r_[0, np.cumsum(lengths)]
    labels = BMES.encode_spans(int(b[-1]), b)
    assert BMES.decode_spans(labels).tolist() == b.tolist()
    ok = BMES.allowed_transitions()
    assert all(ok[a, c] for a, c in zip(labels, labels[1:]))
    assert BMES.allowed_start()[labels[0]] and BMES.allowed_end()[labels[-1]]


@pytest.mark.parametrize("scheme", ["bio", "bioes"])
@given(data=st.data())
def test_entity_spans_round_trip(scheme, data):
    ts = getattr(TagSet, scheme)(["PER", "LOC", "ORG"])
    n = data.draw(st.integers(0, 30))
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=12))))
    spans = [(a, b, data.draw(st.sampled_from(ts.types))) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    labels = ts.encode_spans(n, spans)
    if scheme == "bioes":        # BIOES keeps touching spans apart; BIO merges nothing either (B starts)
        assert ts.decode_spans(labels) == spans
        ok, st_, en = ts.allowed_transitions(), ts.allowed_start(), ts.allowed_end()
        if n:
            assert st_[labels[0]] and en[labels[-1]] and all(ok[a, b] for a, b in zip(labels, labels[1:]))
    else:
        assert ts.decode_spans(labels) == spans


def test_bioes_forbidden_transitions():
    ts = TagSet.bioes(["PER", "LOC"])
    ok = ts.allowed_transitions()
    i = ts.index
    assert ok[i("B-PER"), i("E-PER")] and not ok[i("B-PER"), i("E-LOC")] and not ok[i("O"), i("I-PER")]
    assert not ok[i("E-PER"), i("I-PER")] and ok[i("S-PER"), i("B-LOC")]
    assert not ts.allowed_start()[i("I-PER")] and not ts.allowed_end()[i("B-LOC")]
    pt, ps, pe = ts.transition_penalty()
    assert pt[i("O"), i("E-PER")] == np.float32(NEG) and pt[i("O"), i("O")] == 0
    bio = TagSet.bio(["PER"])
    assert not bio.allowed_transitions()[bio.index("O"), bio.index("I-PER")]
    assert bio.allowed_end().all()
    with pytest.raises(ValueError, match="overlaps"):
        ts.encode_spans(5, [(0, 3, "PER"), (2, 4, "LOC")])
    with pytest.raises(ValueError, match="unknown entity type"):
        ts.encode_spans(5, [(0, 3, "ORG")])


def test_lenient_entity_decoding():
    ts = TagSet.bio(["PER", "LOC"])
    # I without B opens a span; a type change closes the previous one
    assert ts.decode_spans(ts.encode(["I-PER", "I-PER", "I-LOC", "O"])) == [(0, 2, "PER"), (2, 3, "LOC")]


def test_force_mask_is_the_one_bmes_mask():
    from cnlp.dictionary import bmes_mask
    m = BMES.force_mask(5, [0, 3], [3, 4])
    assert m.tolist() == [[True, False, False, False], [False, True, False, False],
                          [False, False, True, False], [False, False, False, True], [True, False, False, True]]
    assert np.array_equal(m, bmes_mask(5, [0, 3], [3, 4], [True, True]))
    assert np.array_equal(force_spans(np.ones((3, 4), bool), np.array([1]), np.array([2])),
                          force_spans.py_func(np.ones((3, 4), bool), np.array([1]), np.array([2])))
