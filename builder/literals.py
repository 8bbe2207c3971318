"""Literal gates: cheap necessary conditions for regex rules.

``required_literals(pattern)`` reads a compiled regex and returns strings of which
every match of it contains at least one (``离职|离任`` -> {离职, 离任};
``\\d{4}\\s?年`` -> {年}), or None when it cannot tell. A text that holds none of
them cannot match, so the regex need not run: the matchers use this to skip most
rules on most sentences without changing any result.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from re import _constants as c  # noqa: PLC2701 - the parsed form of a regex
from re import _parser  # noqa: PLC2701

_MAX_CLASS = 12  # a character class of at most this many characters counts as literals

Literals = frozenset[str] | None


def required_literals(pattern: re.Pattern[str]) -> Literals:
    """Strings of which every match of ``pattern`` contains at least one; None if unknown.

    Under IGNORECASE only characters without case count as literals (本, ©, ://):
    they match nothing but themselves."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        found = _sequence(list(parsed), bool(pattern.flags & re.IGNORECASE))
    except (re.error, RecursionError):
        return None
    return found if found and all(found) else None


def _exact(ch: str, ci: bool) -> bool:
    """Does the character match only itself?"""
    return not ci or ch.lower() == ch == ch.upper()


def _better(a: Literals, b: Literals) -> Literals:
    """The more selective of two requirements (longer shortest string, then fewer strings)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _sequence(items: list, ci: bool) -> Literals:
    """Every item of a sequence must match: any item's requirement holds (the most
    selective of them is kept); runs of single literals join into one longer string."""
    found: list[frozenset[str]] = []
    _collect(items, ci, found)
    best: Literals = None
    for literals in found:
        best = _better(best, literals)
    return best


def _item(op, av, ci: bool) -> Literals:
    if op is c.IN:
        chars = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(chr(x) for x in range(value[0], value[1] + 1))
            else:
                return None  # NEGATE, categories, big ranges
        ok = 0 < len(chars) <= _MAX_CLASS and all(_exact(ch, ci) for ch in chars)
        return frozenset(chars) if ok else None
    if op is c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            req = _sequence(list(alt), ci)
            if req is None:
                return None
            out |= req
        return frozenset(out)
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        inner = (ci or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(list(sub), inner)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence(list(sub), ci) if low >= 1 else None
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av), ci)
    return None


def required_literal_sets(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of strings such that every match of ``pattern`` contains a string of each
    set: the requirements of all the items of its top-level sequence (and of the
    groups and repeats of at least one that every match passes through), not only
    the most selective one as ``required_literals`` gives. () when none is known.

    ``月(?:至|到|-)\\d+月`` -> ({月}, {至, 到, -}): a sentence without a range's
    connector cannot match, whatever its months."""
    if not isinstance(pattern.pattern, str):
        return ()
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return ()
    out: list[frozenset[str]] = []
    _collect(list(parsed), bool(pattern.flags & re.IGNORECASE), out)
    return tuple(dict.fromkeys(s for s in out if s and all(s)))


def _collect(items: list, ci: bool, out: list[frozenset[str]]) -> None:
    """Append the requirement of every item of a sequence, and of the groups and
    repeats of at least one it must pass through, to ``out``."""
    run = ""
    for op, av in items:
        if op is c.LITERAL and _exact(chr(av), ci):
            run += chr(av)
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the characters on either side are adjacent in a match
        if run:
            out.append(frozenset([run]))
            run = ""
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            _collect(
                list(sub), (ci or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE, out
            )
        elif op is c.ATOMIC_GROUP:
            _collect(list(av), ci, out)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                _collect(list(av[2]), ci, out)
        else:
            found = _item(op, av, ci)
            if found:
                out.append(found)
    if run:
        out.append(frozenset([run]))


def any_literal(literals: Literals) -> re.Pattern[str] | None:
    """A regex that finds any of ``literals`` (None stays None: no gate)."""
    if literals is None:
        return None
    return re.compile("|".join(re.escape(s) for s in sorted(literals, key=lambda s: (-len(s), s))))


class LiteralIndex:
    """Which of several rules can match a text: one Aho-Corasick pass over the text
    finds the literals present; a rule without known literals always can."""

    def __init__(self, needed: list[Literals]):
        from .automata import Keywords

        self.always = frozenset(i for i, lits in enumerate(needed) if lits is None)
        owners: dict[str, set[int]] = {}
        for i, lits in enumerate(needed):
            for lit in lits or ():
                owners.setdefault(lit, set()).add(i)
        self.automaton = Keywords((lit, (len(lit), frozenset(rules))) for lit, rules in owners.items())
        self.empty = not owners

    def candidates(self, text: str) -> frozenset[int]:
        """Indices of the rules that may match ``text``."""
        if self.empty:
            return self.always
        found = set(self.always)
        for _end, (_size, rules) in self.automaton.find(text):
            found |= rules
        return frozenset(found)

    def candidates_in(self, text: str, spans: list[tuple[int, int]]) -> list[frozenset[int]]:
        """``candidates(text[a:b])`` for each (a, b) of ``spans`` (sorted, not
        overlapping), from one pass over ``text``."""
        if self.empty:
            return [self.always] * len(spans)
        found: list[set[int] | None] = [None] * len(spans)
        starts = [a for a, _ in spans]
        k = -1
        for last, (size, rules) in self.automaton.find(text):  # in order of ``last``
            if k + 1 < len(spans) and starts[k + 1] <= last:
                k = bisect_right(starts, last) - 1  # the span the literal ends in
            if k >= 0 and last - size + 1 >= spans[k][0] and last < spans[k][1]:
                if found[k] is None:
                    found[k] = set(self.always)
                found[k] |= rules
        return [self.always if f is None else frozenset(f) for f in found]


def first_chars(pattern: re.Pattern[str]) -> str | None:
    """A character class (as regex text, without brackets) holding every character a
    non-empty match of ``pattern`` can start with; None if unknown or anything."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        chars, _nullable = _first_seq(list(parsed), bool(pattern.flags & re.IGNORECASE))
    except (re.error, RecursionError):
        return None
    return "".join(sorted(chars)) if chars else None


# Under IGNORECASE an ASCII letter also matches these (checked over all of Unicode in
# tests/test_small_stages.py); other cased characters are not handled (None).
_CI_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _first_literal(ch: str, ci: bool) -> set[str] | None:
    if not ci or ch.lower() == ch == ch.upper():
        return {re.escape(ch)}
    if ch.isascii() and ch.isalpha():
        low = ch.lower()
        return {low, low.upper(), *_CI_EXTRA.get(low, "")}
    return None


def _first_seq(items: list, ci: bool) -> tuple[set[str] | None, bool]:
    """(class fragments a match of the sequence starts with, can it match empty?)"""
    acc: set[str] = set()
    for op, av in items:
        chars, nullable = _first_item(op, av, ci)
        if chars is None:
            return None, False
        acc |= chars
        if not nullable:
            return acc, False
    return acc, True


_CATEGORIES = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s"}


def _first_item(op, av, ci: bool) -> tuple[set[str] | None, bool]:
    if op is c.LITERAL:
        return _first_literal(chr(av), ci), False
    if op is c.IN:
        out: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars = _first_literal(chr(value), ci)
                if chars is None:
                    return None, False
                out |= chars
            elif kind is c.RANGE and not ci:
                out.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is c.CATEGORY and value in _CATEGORIES:
                out.add(_CATEGORIES[value])
            else:
                return None, False  # NEGATE, other categories, ranges under IGNORECASE
        return out, False
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return set(), True  # zero width
    if op is c.BRANCH:
        acc: set[str] = set()
        nullable = False
        for alt in av[1]:
            chars, empty = _first_seq(list(alt), ci)
            if chars is None:
                return None, False
            acc |= chars
            nullable = nullable or empty
        return acc, nullable
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        inner = (ci or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _first_seq(list(sub), inner)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        chars, empty = _first_seq(list(sub), ci)
        return chars, empty or low == 0
    if op is c.ATOMIC_GROUP:
        return _first_seq(list(av), ci)
    return None, False


def starts_anchored(pattern: re.Pattern[str]) -> bool:
    """Does every match start at the start of the text (the pattern opens with '^'
    outside any alternation)?"""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return False
    return bool(items) and items[0] == (c.AT, c.AT_BEGINNING)


def _has_prefix(pattern: re.Pattern[str]) -> bool:
    """Does the regex engine already skip to the possible first characters (a pattern
    that starts with a literal, a class or a choice of literals)?"""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return True
    if not items:
        return True
    op, av = items[0]
    if op in (c.LITERAL, c.IN) or (op is c.AT and av is c.AT_BEGINNING):
        return True  # (a pattern anchored at the start is tried at the start only)
    return op is c.BRANCH and all(alt and list(alt)[0][0] is c.LITERAL for alt in av[1])


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a lookahead for its possible first characters: the same
    matches, but most positions are rejected by one character test (for patterns
    that start with a lookbehind or an optional part, which the engine tries at
    every position)."""
    chars = first_chars(pattern)
    if chars is None or _has_prefix(pattern):
        return pattern
    try:
        return re.compile(f"(?=[{chars}])(?:{pattern.pattern})", pattern.flags)
    except re.error:
        return pattern
