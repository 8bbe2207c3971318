"""A fast reader for the plain block YAML the builder writes (event files, article records).

PyYAML's constructor and resolver are Python code even with libyaml, and they
were half of the site's data loading at 10,000 events. The files the builder
writes use a tiny part of YAML: a top-level mapping of plain keys whose values
are plain or single-quoted one-line scalars, ``[]``/``{}``, or block lists of
such scalars or of small flat mappings. ``load`` reads exactly that part and
returns ``None`` for anything else (double quotes, folded or multi-line
scalars, anchors, flow collections, tabs, comments after the first lines,
duplicate keys …), and the caller falls back to PyYAML. Scalars are typed by
PyYAML's own resolver, so ``load(text)`` equals ``yaml.safe_load(text)``
whenever it returns a value (tests/test_fastyaml.py checks it on generated
and hand-edited documents).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,100}):(?: (.*))?$")
_PLAIN_FIRST = set("-?:,[]{}#&*!|>'\"%@`")
_CONTROL = r"[\x00-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff\ufffe\uffff]"  # incl. YAML's NEL/LS/PS breaks
_PLAIN_BAD = re.compile(_CONTROL + r"|: | #|:$")
_QUOTED_BAD = re.compile(_CONTROL)
_RESOLVABLE_FIRST = frozenset(k for k in _RESOLVER.yaml_implicit_resolvers if k)  # first chars with resolvers


class _Unsupported(Exception):
    pass


def _plain(value: str) -> Any:
    """A plain scalar as PyYAML reads it (str, None, bool, int or a date; else unsupported)."""
    if not value or value != value.strip(" ") or value[0] in _PLAIN_FIRST or _PLAIN_BAD.search(value):
        raise _Unsupported
    if value[0] not in _RESOLVABLE_FIRST:  # no implicit resolver can claim it: text
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("yes", "true", "on")
    if (
        tag == "tag:yaml.org,2002:int"
        and value.isascii()
        and value.isdigit()
        and (value == "0" or value[0] != "0")
    ):
        return int(value)
    if tag == "tag:yaml.org,2002:timestamp" and _DATE.fullmatch(value):  # published: 2025-03-14
        try:
            return datetime.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            raise _Unsupported from None  # 2024-02-30: PyYAML says what is wrong
    raise _Unsupported  # other ints, floats, timestamps, merge keys: let PyYAML do them


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # a date alone, as PyYAML constructs it: a date


_SHORT: dict[str, Any] = {}  # short scalars (ids, names, types, stems) repeat across files


def _scalar(text: str) -> Any:
    if len(text) <= 64:
        try:
            return _SHORT[text]
        except KeyError:
            value = _scalar_uncached(text)  # raises for what is declined: never cached
            if len(_SHORT) < 1 << 18 and not isinstance(value, (list, dict)):
                _SHORT[text] = value
            return value
    return _scalar_uncached(text)


def _scalar_uncached(text: str) -> Any:
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise _Unsupported
        inner = text[1:-1]
        if "'" in inner.replace("''", "") or _QUOTED_BAD.search(inner):
            raise _Unsupported
        return inner.replace("''", "'")
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return _plain(text)


_KEYS: dict[str, bool] = {}  # key -> is it read as text (keys repeat in every file)


def _key(text: str) -> str:
    ok = _KEYS.get(text)
    if ok is None:
        ok = _KEYS[text] = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
    if not ok:
        raise _Unsupported  # 'yes:', 'null:', '12:' are not text keys
    return text


def _mapping_line(line: str) -> tuple[str, str | None]:
    m = _KEY.match(line)
    if m is None:
        raise _Unsupported
    return _key(m.group(1)), m.group(2)


def load(text: str) -> dict | None:
    """The mapping in ``text`` if it is in the builder's plain block style, else None."""
    try:
        return _load(text)
    except _Unsupported:
        return None


def _load(text: str) -> dict:
    if "\t" in text or "\r" in text or not text.endswith("\n"):
        raise _Unsupported
    lines = text.split("\n")[:-1]
    i = 0
    while i < len(lines) and lines[i].startswith("# "):  # the schema line of event files
        if _QUOTED_BAD.search(lines[i]):
            raise _Unsupported
        i += 1
    out: dict[str, Any] = {}
    while i < len(lines):
        key, rest = _mapping_line(lines[i])
        if key in out:
            raise _Unsupported  # duplicate keys: PyYAML's rules apply
        i += 1
        if rest is not None:
            out[key] = _scalar(rest)
            continue
        items: list[Any] = []
        while i < len(lines) and lines[i].startswith("- "):
            first = lines[i][2:]
            i += 1
            m = _KEY.match(first)
            if m is None:
                items.append(_scalar(first))
                continue
            item: dict[str, Any] = {}
            k, v = _mapping_line(first)
            if v is None:
                raise _Unsupported
            item[k] = _scalar(v)
            while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("   "):
                k, v = _mapping_line(lines[i][2:])
                if v is None or k in item:
                    raise _Unsupported
                item[k] = _scalar(v)
                i += 1
            items.append(item)
        out[key] = items if items else None
    return out
