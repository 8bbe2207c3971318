"""A fast YAML emitter that writes exactly the bytes of our two ``yaml.dump`` calls.

``yaml.dump`` spends most of its time in PyYAML's Python-side representer and
serializer, even with libyaml's emitter. Our documents are simple (block
mappings of plain or single-quoted strings, lists of them, lists of small
mappings, ``null``, booleans, small ints), so :func:`fast_dump` writes them
directly and returns ``None`` for anything it is not certain about: the caller
then uses ``yaml.dump`` for the whole document. ``tests/test_emit.py`` checks
byte-identity against ``yaml.dump`` with hypothesis and a table of tricky cases.

The rules below mirror libyaml's ``yaml_emitter_analyze_scalar`` and
``yaml_emitter_select_scalar_style`` (block context, ``allow_unicode=True``,
``width=10_000``, ``indent=2``) and PyYAML's implicit resolvers:

* fast path for a string only if every character is one libyaml prints as is
  and none is a line break: U+0020-U+007E, U+00A0-U+D7FF without U+2028/U+2029,
  U+E000-U+FFFD without U+FEFF (so no tabs, C0/C1 controls, DEL, NEL,
  surrogates, BOM, U+FFFE/U+FFFF, nothing beyond the BMP), and it is at most
  ``MAX_LEN`` characters long (no line folding can happen at width 10,000);
* such a string is written plain unless: it is empty; it starts with a space or
  one of ``# , [ ] { } & * ! | > ' " % @ ` ``; it starts with ``---`` or
  ``...``; it starts with ``-``, ``?`` or ``:`` followed by a space or nothing;
  it contains ``': '`` or ``' #'``; it ends with ``:`` or a space; or PyYAML's
  implicit resolvers (the dumper's own table) read it back as anything but a
  string (null, bool, int, float, timestamp, merge, value, ...). Then it is
  single-quoted, ``'`` doubled;
* with ``date_quotes`` (the event store's ``_str`` representer): a string whose
  first 4 characters are digits (``str.isdigit``) and whose length is 4, 7 or
  10 is single-quoted (strings with U+0085, which ``_str`` double-quotes, are
  outside the fast path anyway);
* ``None`` -> ``null``, ``True``/``False`` -> ``true``/``false``, ints of at
  most 18 digits -> ``str(n)``, floats as PyYAML's ``represent_float`` writes
  them (only when they resolve back to a float);
* keys: only strings that are written plain, at most 100 characters;
* containers: only exact ``dict`` and ``list``, each object at most once in the
  document (PyYAML would write anchors and aliases), at most ``MAX_DEPTH``
  levels; empty ones are ``{}`` / ``[]``; a list that is a mapping value is not
  indented (``key:`` then ``- item`` at the key's column); a mapping inside a
  list starts on the ``- `` line with its other keys 2 columns in;
* top level: a non-empty or empty dict or list (a bare scalar would get a
  document end marker; it falls back).

The texts of short strings (keys, names, types, anchors, dates) are remembered
per configuration and resolver table, so most values cost one dict lookup.
"""

from __future__ import annotations

import re

STR_TAG = "tag:yaml.org,2002:str"
FLOAT_TAG = "tag:yaml.org,2002:float"
MAX_LEN = 8_000  # characters of one string; with keys <= 100 and depth <= 8 the column stays < 10,000
MAX_KEY = 100
MAX_DEPTH = 8
MAX_INT = 10**18

# any character that is not printed as is in a plain / single-quoted scalar, or is a line break
_SPECIAL = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_LEADING = frozenset("#,[]{}&*!|>'\"%@` ")


class _Fallback(Exception):
    pass


def _tag(s: str, resolvers: dict) -> str:
    """The tag PyYAML's ``Resolver.resolve`` gives a plain scalar ``s`` (non-empty)."""
    for tag, regexp in resolvers.get(s[0], []) + resolvers.get(None, []):
        if regexp.match(s):
            return tag
    return STR_TAG


def _string(s: str, date_quotes: bool, resolvers: dict, wild: bool) -> str:
    """The scalar text of ``s`` (plain or single-quoted); raises ``_Fallback``."""
    if not s:
        return "''"
    if len(s) > MAX_LEN or _SPECIAL.search(s):
        raise _Fallback
    if date_quotes and len(s) in (4, 7, 10) and s[:4].isdigit():
        return "'" + s.replace("'", "''") + "'"
    c = s[0]
    if (
        c in _LEADING
        or s[-1] in " :"
        or (" " in s and (": " in s or " #" in s))
        or (c in "-?:" and (len(s) == 1 or s[1] == " "))
        or s.startswith(("---", "..."))
        or ((wild or c in resolvers) and _tag(s, resolvers) != STR_TAG)
    ):
        return "'" + s.replace("'", "''") + "'"
    return s


def _float(x: float, resolvers: dict) -> str:
    """PyYAML's ``SafeRepresenter.represent_float`` text, if it is written plain."""
    if x != x:
        value = ".nan"
    elif x == float("inf"):
        value = ".inf"
    elif x == float("-inf"):
        value = "-.inf"
    else:
        value = repr(x).lower()
        if "." not in value and "e" in value:
            value = value.replace("e", ".0e", 1)
    if _SPECIAL.search(value) or _tag(value, resolvers) != FLOAT_TAG:
        raise _Fallback
    return value


MEMO_LEN = 40  # strings up to this length are remembered (keys, names, types, anchors, dates)
MEMO_SIZE = 50_000

# (date_quotes, id(resolvers)) -> (resolvers, their shape, {string: text}, {plain key})
_MEMOS: dict[tuple[bool, int], tuple[dict, tuple, dict[str, str], set[str]]] = {}


def _memos(date_quotes: bool, resolvers: dict) -> tuple[dict[str, str], set[str]]:
    """The remembered texts for this configuration; forgotten when the resolver table changes
    (``add_implicit_resolver`` appends to it: its lengths change)."""
    shape = tuple(map(len, resolvers.values()))
    entry = _MEMOS.get((date_quotes, id(resolvers)))
    if entry is None or entry[0] is not resolvers or entry[1] != shape:
        entry = _MEMOS[date_quotes, id(resolvers)] = (resolvers, shape, {}, set())
    elif len(entry[2]) > MEMO_SIZE or len(entry[3]) > MEMO_SIZE:
        entry[2].clear()
        entry[3].clear()
    return entry[2], entry[3]


class _Writer:
    __slots__ = ("date_quotes", "resolvers", "wild", "seen", "out", "memo", "keys")

    def __init__(self, date_quotes: bool, resolvers: dict):
        self.date_quotes = date_quotes
        self.resolvers = resolvers
        self.wild = bool(resolvers.get(None))
        self.seen: set[int] = set()
        self.out: list[str] = []
        self.memo, self.keys = _memos(date_quotes, resolvers)

    def string(self, s: str) -> str:
        text = _string(s, self.date_quotes, self.resolvers, self.wild)
        if len(s) <= MEMO_LEN:
            self.memo[s] = text
        return text

    def scalar(self, v: object) -> str | None:
        """Text of a scalar value; None for a non-empty container; raises ``_Fallback``."""
        t = type(v)
        if t is str:
            return len(v) <= MEMO_LEN and self.memo.get(v) or self.string(v)
        if v is None:
            return "null"
        if t is bool:
            return "true" if v else "false"
        if t is int:
            if -MAX_INT < v < MAX_INT:
                return str(v)
            raise _Fallback
        if t is float:
            return _float(v, self.resolvers)
        if t is dict or t is list:
            if id(v) in self.seen:
                raise _Fallback  # PyYAML writes an anchor and an alias
            self.seen.add(id(v))
            if not v:
                return "{}" if t is dict else "[]"
            return None
        raise _Fallback

    def key(self, k: str) -> None:
        """Raises ``_Fallback`` unless ``k`` (a str) is a key PyYAML writes plain."""
        if not k or len(k) > MAX_KEY or _string(k, self.date_quotes, self.resolvers, self.wild) != k:
            raise _Fallback  # a quoted or long key: leave it to PyYAML
        self.keys.add(k)

    def mapping(self, d: dict, col: int, first: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _Fallback
        out, memo, keys = self.out, self.memo, self.keys
        pad = " " * col
        pre = first
        for k, v in d.items():
            if type(k) is not str:
                raise _Fallback
            if k not in keys:
                self.key(k)
            if type(v) is str:
                # (a long string is not looked up: hashing it would cost more than it saves)
                out.append(f"{pre}{k}: {len(v) <= MEMO_LEN and memo.get(v) or self.string(v)}")
            else:
                text = self.scalar(v)
                if text is not None:
                    out.append(f"{pre}{k}: {text}")
                elif type(v) is list:
                    out.append(f"{pre}{k}:")
                    self.sequence(v, col, pad, depth + 1)  # indentless: '- ' at the key's column
                else:
                    out.append(f"{pre}{k}:")
                    self.mapping(v, col + 2, pad + "  ", depth + 1)
            pre = pad

    def sequence(self, items: list, col: int, first: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _Fallback
        out, memo = self.out, self.memo
        pad = " " * col
        pre = first + "- "
        for v in items:
            if type(v) is str:
                out.append(pre + (len(v) <= MEMO_LEN and memo.get(v) or self.string(v)))
            else:
                text = self.scalar(v)
                if text is not None:
                    out.append(pre + text)
                elif type(v) is list:
                    self.sequence(v, col + 2, pre, depth + 1)
                else:
                    self.mapping(v, col + 2, pre, depth + 1)
            pre = pad + "- "


def fast_dump(data: object, resolvers: dict, *, date_quotes: bool = False) -> str | None:
    """``yaml.dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False,
    width=10_000, indent=2)`` with a CSafeDumper, or None when ``data`` is outside the fast path.

    ``resolvers`` is the dumper's ``yaml_implicit_resolvers``; ``date_quotes`` adds the
    event store's rule (4 leading digits, length 4/7/10 -> single-quoted)."""
    t = type(data)
    if t is not dict and t is not list:
        return None
    w = _Writer(date_quotes, resolvers)
    try:
        text = w.scalar(data)
        if text is not None:
            return text + "\n"
        if t is dict:
            w.mapping(data, 0, "", 1)
        else:
            w.sequence(data, 0, "", 1)
    except (_Fallback, RecursionError):
        return None
    w.out.append("")
    return "\n".join(w.out)
