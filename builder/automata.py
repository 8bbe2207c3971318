"""Keyword automata: every occurrence of many keys in one pass over a text.

``Keywords`` maps keys to values and finds all (overlapping) occurrences with
an Aho-Corasick automaton. It runs on ``ahocorasick_rs`` (Rust's aho-corasick
crate): with thousands of Chinese keys the root of the trie has thousands of
children, and pyahocorasick's trie walks them one by one at every character
(≈ 7 M characters/s on the registry), where the crate's automaton takes one
step (≈ 60–80 M characters/s, measured in docs/performance.md).

Results come in the order the rest of the builder relies on (the order
pyahocorasick gave): by the index of the key's last character, and at the
same last character the longer key first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


class Keywords(Generic[V]):
    """An immutable map of non-empty keys to values that finds its keys in texts."""

    __slots__ = ("_keys", "_values", "_index", "_auto", "longest")

    def __init__(self, items: Iterable[tuple[str, V]] = ()):
        index: dict[str, int] = {}
        keys: list[str] = []
        values: list[V] = []
        for key, value in items:
            if not key:
                raise ValueError("a keyword cannot be empty")
            if key in index:  # the last value wins, as in a dict
                values[index[key]] = value
                continue
            index[key] = len(keys)
            keys.append(key)
            values.append(value)
        self._keys, self._values, self._index = keys, values, index
        self._auto = ahocorasick_rs.AhoCorasick(keys) if keys else None
        self.longest = max(map(len, keys), default=0)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def keys(self) -> list[str]:
        return list(self._keys)

    def get(self, key: str, default: V | None = None) -> V | None:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def iter(self, text: str, start: int = 0) -> Iterator[tuple[int, V]]:
        """(index of the last character, value) of every occurrence of a key in
        ``text[start:]`` (indices in ``text``), by last index, longer keys first."""
        return iter(self.find(text, start))

    def find(self, text: str, start: int = 0) -> list[tuple[int, V]]:
        """``list(self.iter(text, start))``."""
        if self._auto is None or start >= len(text):
            return []
        found = self._auto.find_matches_as_indexes(text[start:] if start else text, overlapping=True)
        if not found:
            return []
        found.sort(key=_end_then_longest)
        values = self._values
        last = start - 1
        return [(last + end, values[i]) for i, _, end in found]

    def __reduce__(self):  # the automaton itself cannot be pickled: rebuild it from the items
        return (Keywords, (list(zip(self._keys, self._values, strict=True)),))


def _end_then_longest(match: tuple[int, int, int]) -> tuple[int, int]:
    return match[2], match[1]
