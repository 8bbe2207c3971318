"""Keywords: every occurrence of every key, in the order the builder relies on."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.automata import Keywords

ALPHABET = "ab字节跳动 A"


def brute_force(items: dict[str, int], text: str, start: int = 0) -> list[tuple[int, int]]:
    """By last index; at the same last index the longer key first."""
    found = []
    for key, value in items.items():
        i = text.find(key, start)
        while i >= 0:
            found.append((i + len(key) - 1, -len(key), value))
            i = text.find(key, i + 1)
    return [(end, value) for end, _, value in sorted(found)]


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.text(ALPHABET, min_size=1, max_size=4), max_size=12),
    text=st.text(ALPHABET, max_size=40),
    start=st.integers(0, 45),
)
def test_finds_what_a_brute_force_search_finds_in_the_same_order(keys, text, start):
    items = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    auto = Keywords(items.items())
    assert auto.find(text, start) == brute_force(items, text, start)
    assert list(auto.iter(text, start)) == auto.find(text, start)


def test_overlapping_keys_at_one_end_come_longest_first():
    auto = Keywords([("节跳动", "short"), ("字节跳动", "long"), ("动", "one")])
    assert auto.find("字节跳动") == [(3, "long"), (3, "short"), (3, "one")]


def test_map_behaviour_and_a_repeated_key_keeps_the_last_value():
    auto = Keywords([("月之暗面", 1), ("智谱", 2), ("月之暗面", 3)])
    assert len(auto) == 2 and "智谱" in auto and "百川" not in auto
    assert auto.keys() == ["月之暗面", "智谱"]
    assert auto.get("月之暗面") == 3 and auto.get("百川") is None
    assert auto.longest == 4
    assert auto.find("智谱和月之暗面") == [(1, 2), (6, 3)]


def test_empty_automaton_finds_nothing_and_an_empty_key_is_refused():
    assert Keywords().find("任何文字") == [] and len(Keywords()) == 0
    with pytest.raises(ValueError, match="empty"):
        Keywords([("", 1)])


def test_survives_pickling_for_process_pools_and_clusters():
    auto = Keywords([("阶跃星辰", ("company",)), ("阶跃", ("weak",))])
    again = pickle.loads(pickle.dumps(auto))
    assert again.find("阶跃星辰发布") == auto.find("阶跃星辰发布") == [(1, ("weak",)), (3, ("company",))]
