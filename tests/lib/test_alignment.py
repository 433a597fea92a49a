"""Grouping claims by overlap for the side-by-side review page."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from annotator.alignment import overlapping_groups


def test_it_returns_no_groups_for_no_spans() -> None:
    assert overlapping_groups([]) == []


def test_disjoint_spans_stand_alone_in_text_order() -> None:
    spans = [("c", 20, 30), ("a", 0, 5), ("b", 10, 15)]
    assert overlapping_groups(spans) == [["a"], ["b"], ["c"]]


def test_spans_that_only_touch_do_not_overlap() -> None:
    assert overlapping_groups([("a", 0, 5), ("b", 5, 9)]) == [["a"], ["b"]]


def test_one_shared_character_is_enough() -> None:
    assert overlapping_groups([("a", 0, 5), ("b", 4, 9)]) == [["a", "b"]]


def test_identical_and_nested_spans_group_together() -> None:
    spans = [("outer", 0, 20), ("same", 0, 20), ("inner", 5, 8)]
    assert overlapping_groups(spans) == [["outer", "same", "inner"]]


def test_a_chain_groups_spans_that_do_not_overlap_each_other() -> None:
    """a overlaps b and b overlaps c, so all three are one row although a and c do not."""
    spans = [("a", 0, 10), ("b", 8, 20), ("c", 18, 30), ("d", 40, 50)]
    assert overlapping_groups(spans) == [["a", "b", "c"], ["d"]]


def test_a_long_span_keeps_the_group_open_past_shorter_ones() -> None:
    spans = [("long", 0, 100), ("x", 10, 12), ("y", 50, 60), ("after", 100, 110)]
    assert overlapping_groups(spans) == [["long", "x", "y"], ["after"]]


def test_keys_may_be_any_hashable() -> None:
    assert overlapping_groups([((1, "alice"), 0, 3), (7, 1, 2)]) == [[(1, "alice"), 7]]


spans_strategy = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=25,
).map(lambda spans: [(i, s, e) for i, (s, e) in enumerate(spans)])


@given(spans_strategy)
def test_groups_partition_the_spans_into_connected_runs(spans) -> None:
    groups = overlapping_groups(spans)
    by_key = {k: (s, e) for k, s, e in spans}
    assert sorted(k for g in groups for k in g) == sorted(by_key)

    def overlaps(a, b) -> bool:
        return by_key[a][0] < by_key[b][1] and by_key[b][0] < by_key[a][1]

    for group in groups:
        # Connected: every span after the first overlaps one before it.
        for i, key in enumerate(group[1:], 1):
            assert any(overlaps(key, other) for other in group[:i])
    for first, second in pairwise(groups):
        # Separate: nothing in one group overlaps anything in another, and groups are in
        # text order.
        assert not any(overlaps(a, b) for a in first for b in second)
        assert max(by_key[k][1] for k in first) <= min(by_key[k][0] for k in second)
