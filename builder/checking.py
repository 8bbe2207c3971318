"""``timeline check``: validate event files like code.

Every problem is a ``Problem`` printed as ``path:line:column: level: message``.
Errors: YAML syntax, tabs, duplicate keys, schema violations, impossible
dates, an id that is not the file name, duplicate ids, a source article that
does not exist. Warnings: names the registry does not know (with the closest
known name), quotes no longer found in their article.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from .dates import parse_iso
from .entities import Registry, RegistryError

SCHEMA_FILE = Path(__file__).parent / "data" / "event.schema.json"
MAX_EVENT_BYTES = 2 * 1024 * 1024


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
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys and alias bombs."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen[key] = True
        return super().construct_mapping(node, deep)

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed in event files",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


def parse(path: Path, text: str) -> tuple[dict | None, yaml.Node | None, list[Problem]]:
    p = str(path)
    for n, line in enumerate(text.split("\n"), 1):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return None, None, [Problem(p, n, 1, "error", "tab used for indentation; use spaces")]
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        msg = getattr(e, "problem", None) or str(e)
        return None, None, [Problem(p, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "error", msg)]
    if not isinstance(data, dict):
        return None, None, [Problem(p, 1, 1, "error", "an event file must be a mapping of keys (id, type, date, ...)")]
    return data, node, []


def _locate(node: yaml.Node, path: list) -> tuple[int, int]:
    """Line and column of the value at ``path`` inside ``node``."""
    cur = node
    for part in path:
        if isinstance(cur, yaml.MappingNode):
            nxt = next((v for k, v in cur.value if k.value == part), None)
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
            nxt = cur.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        cur = nxt
    return cur.start_mark.line + 1, cur.start_mark.column + 1


def check_event(path: Path, text: str, today: str) -> tuple[dict | None, list[Problem]]:
    data, node, problems = parse(path, text)
    if data is None:
        return None, problems
    p = str(path)
    for err in sorted(validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        line, col = _locate(node, list(err.absolute_path))
        where = ".".join(map(str, err.absolute_path)) or "file"
        problems.append(Problem(p, line, col, "error", f"{where}: {err.message}"))
    date = data.get("date")
    if isinstance(date, str) and date:
        line, col = _locate(node, ["date"])
        try:
            value = parse_iso(date)
            if value.value[: len(today)] > today[: len(value.value)]:
                problems.append(Problem(p, line, col, "error", f"date '{date}' is in the future"))
        except ValueError as e:
            problems.append(Problem(p, line, col, "error", f"date '{date}' is not a valid date: {e}"))
    if data.get("id") is not None and str(data.get("id")) != path.stem:
        line, col = _locate(node, ["id"])
        problems.append(Problem(p, line, col, "error", f"id '{data.get('id')}' does not match the file name '{path.stem}'"))
    return data, problems


def check_references(path: Path, data: dict, node_text: str, root: Path, registry: Registry | None) -> list[Problem]:
    node = yaml.compose(node_text, Loader=_UniqueKeyLoader)
    p, out = str(path), []
    for i, src in enumerate(data.get("sources") or []):
        if not isinstance(src, dict) or not src.get("article"):
            continue
        record = _article(root, str(src["article"]))
        line, col = _locate(node, ["sources", i, "article"])
        if record is None:
            out.append(Problem(p, line, col, "error", f"source article '{src['article']}' not found in articles/"))
        elif src.get("quote") and str(src["quote"]) not in "\n".join(record.get("paragraphs") or []):
            qline, qcol = _locate(node, ["sources", i, "quote"])
            out.append(Problem(p, qline, qcol, "warning", "quote is no longer found in the article"))
    if registry is not None and registry.entities:
        for key in ("people", "companies"):
            for i, name in enumerate(data.get(key) or []):
                if isinstance(name, str) and name not in registry.entities:
                    out.append(_unknown(p, node, key, i, name, registry))
    return out


def _unknown(p: str, node: yaml.Node, key: str, i: int, name: str, registry: Registry) -> Problem:
    line, col = _locate(node, [key, i])
    canon = registry.canonical(name)
    if canon:
        return Problem(p, line, col, "warning", f"'{name}' is an alias; the registry's name is '{canon}'")
    kind = "person" if key == "people" else "company"
    names = [n for n, e in registry.entities.items() if e.kind == kind]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f" (closest known name: '{close[0]}')" if close else ""
    return Problem(p, line, col, "warning", f"'{name}' is not in the entity registry{hint}")


@cache
def _article_cached(path: Path) -> dict | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _article(root: Path, stem: str) -> dict | None:
    if "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = root / "articles" / f"{stem}.yaml"
    return _article_cached(path) if path.is_file() else None


def check_folder(folder: Path, root: Path, today: str) -> list[Problem]:
    """All problems of all event files under ``folder``, sorted."""
    try:
        registry = Registry.load(root / "registry")
    except RegistryError as e:
        return [Problem(str(root / "registry"), 1, 1, "error", str(e))]
    problems, ids = [], {}
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        if path.stat().st_size > MAX_EVENT_BYTES:
            problems.append(Problem(str(path), 1, 1, "error", f"file is larger than {MAX_EVENT_BYTES // 1024} KB"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(str(path), 1, 1, "error", f"not UTF-8 text: {e.reason}"))
            continue
        data, found = check_event(path, text, today)
        problems += found
        if data is None:
            continue
        eid = str(data.get("id") or path.stem)
        if eid in ids:
            problems.append(Problem(str(path), 1, 1, "error", f"duplicate id '{eid}' (also in {ids[eid]})"))
        ids.setdefault(eid, str(path))
        if not any(x.level == "error" for x in found):
            problems += check_references(path, data, text, root, registry)
    return sorted(problems)
