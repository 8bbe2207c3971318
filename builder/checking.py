"""``timeline check``: validate event files like code.

Every problem is a ``Problem`` printed as ``path:line:column: level: message``
(lines and columns count from 1), so editors and pre-commit can jump to it.

Errors: a file over 2 MB, text that is not UTF-8, tabs in indentation, YAML
syntax, duplicate keys, anchors/aliases (``&a``/``*a``, which make alias
bombs possible), schema violations (unknown keys, unknown type, an id with
``/`` or ``..``), impossible dates (2024-02-30, 2024-13), dates in the
future, ``date_approximate: true`` on a day date, an id that is not the file
name, duplicate ids, a source article that does not exist, a ``redirect_to``
that leads nowhere or in a circle.

Warnings: names the registry does not know (with the closest known name), a
quote no longer found in its article (or not in the paragraph its anchor
names), and two events that look like the same real event.

Run it as ``timeline check`` or, with fewer imports, ``python -m builder.checking``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import sys
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .dates import parse_iso
from .entities import Registry, RegistryError
from .models import DateValue

SCHEMA_FILE = Path(__file__).parent / "data" / "event.schema.json"
MAX_EVENT_BYTES = 2 * 1024 * 1024
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    level: str  # 'error' | 'warning'
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.level}: {self.message}"


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def validator():
    """The full JSON Schema validator (imported on first use: only files with errors need it)."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


_JSON_TYPES = {
    "string": (str,),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
    "null": (type(None),),
    "integer": (int,),
    "number": (int, float),
}
_IGNORED = {"$schema", "$id", "title", "description"}


def compile_schema(sch: dict):
    """A fast yes/no validator for the subset of JSON Schema the event schema uses
    (``None`` if the schema uses anything else). Must agree with jsonschema."""
    import re

    if not isinstance(sch, dict) or set(sch) - _IGNORED - {
        "type",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "items",
        "required",
        "additionalProperties",
        "properties",
        "if",
        "then",
        "else",
    }:
        return None
    checks = []
    if "type" in sch:
        names = sch["type"] if isinstance(sch["type"], list) else [sch["type"]]
        kinds = tuple(t for n in names for t in _JSON_TYPES[n])
        no_bool = "boolean" not in names

        def type_ok(x, kinds=kinds, no_bool=no_bool):
            return isinstance(x, kinds) and not (no_bool and isinstance(x, bool))

        checks.append(type_ok)
    if "enum" in sch:
        allowed = sch["enum"]
        checks.append(lambda x: any(x == a and type(x) is type(a) for a in allowed))
    if "pattern" in sch:
        rx = re.compile(sch["pattern"])
        checks.append(lambda x: not isinstance(x, str) or rx.search(x) is not None)
    for key, test in (("minLength", lambda x, n: len(x) >= n), ("maxLength", lambda x, n: len(x) <= n)):
        if key in sch:
            checks.append(lambda x, n=sch[key], t=test: not isinstance(x, str) or t(x, n))
    for key, test in (("minItems", lambda x, n: len(x) >= n), ("maxItems", lambda x, n: len(x) <= n)):
        if key in sch:
            checks.append(lambda x, n=sch[key], t=test: not isinstance(x, list) or t(x, n))
    if "items" in sch:
        item = compile_schema(sch["items"])
        if item is None:
            return None

        def items_ok(x):
            if isinstance(x, list):
                for v in x:
                    if not item(v):
                        return False
            return True

        checks.append(items_ok)
    if "required" in sch:
        req = tuple(sch["required"])
        checks.append(lambda x: not isinstance(x, dict) or all(k in x for k in req))
    props = {}
    for k, sub in (sch.get("properties") or {}).items():
        props[k] = compile_schema(sub)
        if props[k] is None:
            return None
    if props:

        def props_ok(x):
            if isinstance(x, dict):
                for k, v in x.items():
                    test = props.get(k)
                    if test is not None and not test(v):
                        return False
            return True

        checks.append(props_ok)
    if "additionalProperties" in sch:
        if sch["additionalProperties"] is not False:
            return None
        known = set(props)
        checks.append(lambda x: not isinstance(x, dict) or all(k in known for k in x))
    if "if" in sch:
        cond, then, other = (compile_schema(sch.get(k, {})) for k in ("if", "then", "else"))
        if None in (cond, then, other):
            return None
        checks.append(lambda x: then(x) if cond(x) else other(x))

    def ok(x):
        for c in checks:
            if not c(x):
                return False
        return True

    return ok


@cache
def fast_validator():
    return compile_schema(schema())


def is_valid(data: object) -> bool:
    fast = fast_validator()
    return fast(data) if fast is not None else validator().is_valid(data)


# ---------------------------------------------------------------- parsing


class _UniqueKeyLoader(_BASE):
    """Safe loader that refuses duplicate keys (used where a file is read whole)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _FastLoader(_BASE):
    """The safe loader with a quicker tag resolver: most scalars are plain text."""

    _first = frozenset(k for k in _BASE.yaml_implicit_resolvers if k)

    _seen: dict[str, str] = {}  # plain scalar -> tag (keys and short values repeat across files)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0] or (value and value[0] not in self._first):
                return _STR
            if len(value) < 40:
                tag = self._seen.get(value)
                if tag is None:
                    tag = self._seen[value] = super().resolve(kind, value, implicit)
                return tag
        return super().resolve(kind, value, implicit)


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.mark = node.start_mark
        self.message = message


def _build(node: yaml.Node, loader: yaml.SafeLoader, seen: set[int]):
    """Python data of a composed node, refusing aliases and duplicate keys.

    Faster than the loader's own constructor (text scalars are taken as they
    are); other scalars (numbers, booleans, dates) go through the safe loader.
    """
    if id(node) in seen:
        raise _Refused(node, "YAML anchors and aliases (&name, *name) are not allowed in event files")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _Refused(node, f"unsupported YAML tag {node.tag}")
        return [_build(x, loader, seen) for x in node.value]
    if node.tag != _MAP:
        raise _Refused(node, f"unsupported YAML tag {node.tag}")
    out = {}
    for k, v in node.value:
        if k.tag == "tag:yaml.org,2002:merge":
            raise _Refused(k, "YAML merge keys (<<) are not allowed in event files")
        key = _build(k, loader, seen)
        if not isinstance(key, Hashable) or isinstance(key, list | dict):
            raise _Refused(k, "a key must be plain text")
        if key in out:
            raise _Refused(k, f"duplicate key '{key}'")
        out[key] = _build(v, loader, seen)
    return out


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first ``*name`` stands (node marks only say where the anchor is)."""
    try:
        return next(
            (t.start_mark for t in yaml.scan(text, Loader=_BASE) if isinstance(t, yaml.AliasToken)), None
        )
    except yaml.YAMLError:
        return None


def parse(path: Path, text: str) -> tuple[dict | None, yaml.Node | None, list[Problem]]:
    """The file's data and node tree, or the problems that stop reading it."""
    p = str(path)
    if "\t" in text:
        for n, line in enumerate(text.split("\n"), 1):
            lead = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in lead:
                return (
                    None,
                    None,
                    [Problem(p, n, lead.index("\t") + 1, "error", "tab used for indentation; use spaces")],
                )
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        data = _build(node, loader, set()) if node is not None else None
    except _Refused as e:
        mark = _first_alias(text) if "aliases" in e.message else None
        mark = mark or e.mark
        return None, None, [Problem(p, mark.line + 1, mark.column + 1, "error", e.message)]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        msg = getattr(e, "problem", None) or str(e)
        context = getattr(e, "context_mark", None)
        if getattr(e, "context", None):
            msg = f"{msg} ({e.context})"
            if context is not None and mark is not None and mark.index >= len(text.rstrip()):
                mark = context  # an unclosed quote or bracket: point at where it opened
        return (
            None,
            None,
            [
                Problem(
                    p, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "error", f"YAML: {msg}"
                )
            ],
        )
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return (
            None,
            None,
            [Problem(p, 1, 1, "error", "an event file must be a mapping of keys (id, type, date, ...)")],
        )
    return data, node, []


def _child(cur: yaml.Node, part) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(cur, yaml.MappingNode):
        return next(
            ((k, v) for k, v in cur.value if isinstance(k, yaml.ScalarNode) and k.value == part), None
        )
    if isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
        return cur.value[part], cur.value[part]
    return None


def _locate(node: yaml.Node, path: list, key: bool = False) -> tuple[int, int]:
    """Line and column of the value (or, with ``key``, the key) at ``path`` inside ``node``."""
    cur = node
    for part in path:
        found = _child(cur, part)
        if found is None:
            break
        cur = found[0] if key and part == path[-1] else found[1]
    return cur.start_mark.line + 1, cur.start_mark.column + 1


# ---------------------------------------------------------------- one file


_TYPES = ", ".join(schema()["properties"]["type"]["enum"]) if SCHEMA_FILE.is_file() else ""


def _schema_problems(p: str, data: dict, node: yaml.Node) -> list[Problem]:
    if is_valid(data):
        return []
    v = validator()
    out = []
    for err in sorted(v.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = list(err.absolute_path)
        name = ".".join(map(str, where)) or "file"
        if err.validator == "additionalProperties":
            known = list(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - set(known), key=str):
                close = difflib.get_close_matches(str(extra), known, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                line, col = _locate(node, [*where, extra], key=True)
                out.append(Problem(p, line, col, "error", f"unknown key '{extra}'{hint}"))
            continue
        line, col = _locate(node, where)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            msg = f"{name}: missing key '{missing}'" if where else f"missing key '{missing}'"
        elif where == ["type"] and err.validator == "enum":
            msg = f"unknown event type {json.dumps(err.instance, ensure_ascii=False)}; use one of: {_TYPES}"
        elif where in (["id"], ["redirect_to"]) and err.validator == "pattern":
            msg = (
                f"{name} {json.dumps(err.instance, ensure_ascii=False)} may only use a-z, 0-9 and '-' "
                "(no '/', '..' or spaces): it is a file name"
            )
        elif err.validator == "type" and "date" in name and isinstance(err.instance, int | dt.date):
            text = err.instance.isoformat() if isinstance(err.instance, dt.date) else str(err.instance)
            msg = f"{name}: put the date in quotes ('{text}'), or YAML reads it as a number or timestamp"
        elif err.validator == "pattern" and "date" in name:
            msg = f"{name}: {json.dumps(err.instance)} is not a date; write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'"
        elif err.validator == "maxLength":
            msg = f"{name}: text is longer than {err.validator_value} characters"
        elif err.validator == "minItems" and where == ["sources"]:
            msg = "sources: an event needs at least one source (article and anchor)"
        else:
            msg = f"{name}: {err.message}"
        out.append(Problem(p, line, col, "error", msg))
    return out


def _date_problems(p: str, data: dict, node: yaml.Node, today: str) -> list[Problem]:
    out = []
    values = [(["date"], data.get("date"))]
    values += [
        (["other_dates", i], d)
        for i, d in enumerate(data.get("other_dates") or [])
        if isinstance(data.get("other_dates"), list)
    ]
    for where, date in values:
        if not isinstance(date, str) or not date:
            continue
        line, col = _locate(node, where)
        try:
            value = parse_iso(date)
        except ValueError as e:
            out.append(Problem(p, line, col, "error", f"date '{date}' does not exist: {e}"))
            continue
        if value.value[: len(today)] > today[: len(value.value)]:
            out.append(Problem(p, line, col, "error", f"date '{date}' is in the future (today is {today})"))
        if where == ["date"] and data.get("date_approximate") is True and len(value.value) == 10:
            aline, acol = _locate(node, ["date_approximate"])
            out.append(
                Problem(
                    p,
                    aline,
                    acol,
                    "error",
                    f"date_approximate: true but the date '{date}' names a day; an approximate date "
                    f"can be at most as precise as a month ('{date[:7]}')",
                )
            )
    return out


def check_event(path: Path, text: str, today: str) -> tuple[dict | None, list[Problem]]:
    """Problems of one file on its own (no other files, articles or registry)."""
    data, node, problems = parse(path, text)
    if data is None:
        return None, problems
    p = str(path)
    problems += _schema_problems(p, data, node)
    problems += _date_problems(p, data, node, today)
    if data.get("id") is not None and str(data.get("id")) != path.stem:
        line, col = _locate(node, ["id"])
        problems.append(
            Problem(
                p,
                line,
                col,
                "error",
                f"id '{data.get('id')}' does not match the file name '{path.stem}.yaml'",
            )
        )
    return data, problems


# ---------------------------------------------------------------- references


class _Articles:
    """Article records (articles/<stem>.yaml), read once each."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cache: dict[str, dict | None] = {}

    def get(self, stem: str) -> dict | None:
        if stem not in self.cache:
            self.cache[stem] = self._read(stem)
        return self.cache[stem]

    def _read(self, stem: str) -> dict | None:
        if "/" in stem or "\\" in stem or stem.startswith(".") or not stem:
            return None
        path = self.folder / f"{stem}.yaml"
        try:
            loader = _FastLoader(path.read_text(encoding="utf-8"))
            try:
                node = loader.get_single_node()
                data = _build(node, loader, set()) if node is not None else None
            finally:
                loader.dispose()
        except (OSError, UnicodeDecodeError, yaml.YAMLError, _Refused):
            return None
        if not isinstance(data, dict):
            return None
        paras = [str(x) for x in data.get("paragraphs") or [] if x is not None]
        return {"paragraphs": paras, "text": "\n".join(paras)}


class _Names:
    """Registry lookups with cached 'closest known name' hints."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.by_kind = {
            k: [n for n, e in registry.entities.items() if e.kind == k] for k in ("person", "company")
        }
        self.by_char: dict[str, dict[str, set[str]]] = {}  # kind -> character -> names holding it
        for kind, names in self.by_kind.items():
            for n in names:
                for ch in set(n):
                    self.by_char.setdefault(kind, {}).setdefault(ch, set()).add(n)
        self.hints: dict[tuple[str, str], str] = {}
        self.canon: dict[str, str] = {}

    def canonical(self, name: str) -> str:
        if name not in self.canon:
            self.canon[name] = self.registry.canonical(name) or name
        return self.canon[name]

    def unknown(self, name: str, kind: str) -> str | None:
        """None when the registry knows the name (or it is an alias), else the message."""
        if name in self.registry.entities or self.canonical(name) != name or "某" in name:
            return None  # a registry name, an alias, or a name the press anonymised (田某某)
        if (kind, name) not in self.hints:
            index = self.by_char.get(kind, {})
            # a name sharing no character scores 0: only compare names that share one
            shared = sorted(set().union(*(index.get(ch, set()) for ch in set(name))))
            close = difflib.get_close_matches(name, shared, n=1, cutoff=0.5)
            hint = (
                f" (closest known name: '{close[0]}')"
                if close
                else " (add it to registry/ if it is a real name)"
            )
            self.hints[(kind, name)] = f"'{name}' is not in the entity registry{hint}"
        return self.hints[(kind, name)]


def _reference_problems(
    p: str, data: dict, node: yaml.Node, articles: _Articles, names: _Names | None
) -> list[Problem]:
    out = []
    for i, src in enumerate(data.get("sources") or []):
        if not isinstance(src, dict) or not src.get("article"):
            continue
        record = articles.get(str(src["article"]))
        if record is None:
            line, col = _locate(node, ["sources", i, "article"])
            out.append(
                Problem(
                    p,
                    line,
                    col,
                    "error",
                    f"source article '{src['article']}' not found in {articles.folder.name}/",
                )
            )
            continue
        quote, anchor = src.get("quote"), src.get("anchor")
        paras = record["paragraphs"]
        n = int(anchor[1:]) if isinstance(anchor, str) and anchor[1:].isdigit() else None
        if n is not None and not 1 <= n <= len(paras):
            line, col = _locate(node, ["sources", i, "anchor"])
            out.append(
                Problem(
                    p,
                    line,
                    col,
                    "warning",
                    f"anchor '{anchor}' is not in article '{src['article']}' (it has {len(paras)} paragraphs)",
                )
            )
        elif quote and str(quote) not in record["text"]:
            line, col = _locate(node, ["sources", i, "quote"])
            out.append(Problem(p, line, col, "warning", "quote is no longer found in the article"))
        elif quote and n is not None and str(quote) not in paras[n - 1]:
            where = next(
                (f"p{k}" for k, para in enumerate(paras, 1) if str(quote) in para), "another paragraph"
            )
            line, col = _locate(node, ["sources", i, "anchor"])
            out.append(Problem(p, line, col, "warning", f"the quote is in {where}, not in {anchor}"))
    if names is not None:
        for key, kind in (("people", "person"), ("companies", "company")):
            values = data.get(key)
            for i, name in enumerate(values if isinstance(values, list) else []):
                if isinstance(name, str) and (msg := names.unknown(name, kind)):
                    line, col = _locate(node, [key, i])
                    out.append(Problem(p, line, col, "warning", msg))
    return out


# ---------------------------------------------------------------- across files


@dataclass
class _Seen:
    path: str
    node: yaml.Node
    data: dict
    broken: bool = False  # has errors: left out of the duplicate search


def _redirect_problems(files: dict[str, _Seen]) -> list[Problem]:
    out = []
    for eid, f in files.items():
        target = f.data.get("redirect_to")
        if not isinstance(target, str) or not target:
            continue
        line, col = _locate(f.node, ["redirect_to"])
        if target == eid:
            out.append(Problem(f.path, line, col, "error", "redirect_to points at the event itself"))
        elif target not in files:
            out.append(Problem(f.path, line, col, "error", f"redirect_to: no event has the id '{target}'"))
        else:
            seen, cur = {eid}, target
            while cur in files and isinstance(files[cur].data.get("redirect_to"), str):
                if cur in seen:
                    out.append(
                        Problem(f.path, line, col, "error", f"redirect_to goes round in a circle via '{cur}'")
                    )
                    break
                seen.add(cur)
                cur = files[cur].data["redirect_to"]
    return out


def _event_date(data: dict) -> DateValue | None:
    try:
        value = parse_iso(data["date"]) if isinstance(data.get("date"), str) else None
    except ValueError:
        return None
    return DateValue(value.value, approximate=data.get("date_approximate") is True) if value else None


def _duplicate_problems(files: dict[str, _Seen], names: _Names | None) -> list[Problem]:
    """Warn about two events of one family, sharing a person (or, without people, their
    first company) whose dates agree: the same rules that merge mentions in a scan."""
    from .merging import dates_agree, family

    canon = names.canonical if names else str
    buckets: dict[tuple, list[tuple[str, DateValue]]] = {}
    for eid, f in sorted(files.items()):
        d = f.data
        if (
            f.broken
            or d.get("redirect_to")
            or d.get("status") == "rejected"
            or not isinstance(d.get("type"), str)
        ):
            continue
        date = _event_date(d)
        if date is None:
            continue
        people = [canon(x) for x in d.get("people") or [] if isinstance(x, str)]
        companies = [canon(x) for x in d.get("companies") or [] if isinstance(x, str)]
        keys = [("p", x) for x in people] if people else [("c", x) for x in companies[:1]]
        for k in dict.fromkeys(keys):
            buckets.setdefault((family(d["type"]), *k), []).append((eid, date))
    pairs: dict[tuple[str, str], str] = {}
    for (_, _, name), members in buckets.items():
        for i, (a, da) in enumerate(members):
            for b, db in members[i + 1 :]:
                if (a, b) not in pairs and dates_agree(da, db) and not _distinct(files[a], files[b], canon):
                    pairs[(a, b)] = name
    out = []
    for (a, b), name in sorted(pairs.items()):
        f = files[b]
        line, col = _locate(f.node, ["id"])
        out.append(
            Problem(
                f.path,
                line,
                col,
                "warning",
                f"looks like the same event as '{a}' (same kind, both name {name}, dates agree); "
                f"merge them with `timeline merge {a} {b}`, or add `distinct_from: [{a}]`",
            )
        )
    return out


def _distinct(a: _Seen, b: _Seen, canon) -> bool:
    """Said to be different events, or a hire at X and a departure from X."""
    for x, y in ((a, b), (b, a)):
        told = x.data.get("distinct_from")
        if isinstance(told, list) and str(y.data.get("id")) in map(str, told):
            return True
        if x.data.get("type") == "hire" and y.data.get("type") == "departure":
            to, frm = x.data.get("to"), y.data.get("from")
            if isinstance(to, str) and isinstance(frm, str) and canon(to) == canon(frm):
                return True
    return False


def articles_folder(folder: Path, root: Path) -> Path:
    """Article records live beside the event folder (events/ -> articles/)."""
    beside = folder.resolve().parent / "articles"
    return beside if beside.is_dir() else root / "articles"


def check_folder(folder: Path, root: Path, today: str, registry: Registry | None = None) -> list[Problem]:
    """All problems of all event files under ``folder``, sorted."""
    if registry is None:
        try:
            registry = Registry.load(root / "registry")
        except RegistryError as e:
            return [Problem(str(root / "registry"), 1, 1, "error", str(e))]
    names = _Names(registry) if registry.entities else None
    articles = _Articles(articles_folder(folder, root))
    problems: list[Problem] = []
    files: dict[str, _Seen] = {}
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        if path.name.startswith("."):
            continue
        p = str(path)
        if path.stat().st_size > MAX_EVENT_BYTES:
            problems.append(
                Problem(p, 1, 1, "error", f"file is larger than {MAX_EVENT_BYTES // 1024 // 1024} MB")
            )
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(p, 1, 1, "error", f"not UTF-8 text: {e.reason} at byte {e.start}"))
            continue
        data, node, found = parse(path, text)
        if data is None:
            problems += found
            continue
        found += _schema_problems(p, data, node)
        found += _date_problems(p, data, node, today)
        eid = str(data.get("id") or path.stem)
        if data.get("id") is not None and eid != path.stem:
            line, col = _locate(node, ["id"])
            found.append(
                Problem(p, line, col, "error", f"id '{eid}' does not match the file name '{path.stem}.yaml'")
            )
        if eid in files:
            line, col = _locate(node, ["id"])
            found.append(Problem(p, line, col, "error", f"duplicate id '{eid}' (also in {files[eid].path})"))
        else:
            files[eid] = _Seen(p, node, data)
        if not any(x.level == "error" for x in found):
            found += _reference_problems(p, data, node, articles, names)
        if any(x.level == "error" for x in found) and eid in files and files[eid].path == p:
            files[eid].broken = True
        problems += found
    problems += _redirect_problems(files)
    problems += _duplicate_problems(files, names)
    return sorted(problems)


def check_references(
    path: Path, data: dict, node_text: str, root: Path, registry: Registry | None
) -> list[Problem]:
    """References of one file (articles under ``root/articles``, registry names)."""
    _, node, _ = parse(path, node_text)
    if node is None:
        return []
    names = _Names(registry) if registry is not None and registry.entities else None
    return _reference_problems(str(path), data, node, _Articles(root / "articles"), names)


def main(argv: list[str] | None = None) -> int:
    """``python -m builder.checking [EVENTS_DIR] [--strict]``: the same report as ``timeline check``."""
    args = list(sys.argv[1:] if argv is None else argv)
    strict = "--strict" in args
    args = [a for a in args if a != "--strict"]
    root = _find_root(Path.cwd())
    folder = Path(args[0]) if args else root / "events"
    return report(folder, root, dt.date.today().isoformat(), strict, print)


def _find_root(start: Path) -> Path:
    """Like ``pipeline.find_root`` (the nearest folder upwards with mkdocs.yml), without its imports."""
    here = start.resolve()
    return next((f for f in (here, *here.parents) if (f / "mkdocs.yml").is_file()), here)


def report(folder: Path, root: Path, today: str, strict: bool, echo) -> int:
    """Print every problem and a summary line; the exit code (1: errors, or warnings with strict)."""
    problems = check_folder(folder, root, today)
    for p in problems:
        echo(str(p))
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    echo(f"{errors} error(s), {warnings} warning(s) in {folder}")
    return 1 if errors or (strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
