"""Reading stage: files on disk -> ``Article`` values.

Finds article files (.txt, .md, .html/.htm) under the given paths, decodes
them, reads optional front matter or a ``NAME.meta.yaml`` sidecar, turns
saved web pages into text, drops boilerplate lines and settles the
publication date (printed, given, or inferred from the text).
A file that cannot be used raises ``ReadError`` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from . import cleaning, dates
from .models import Article, DateValue

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.yaml"
MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # documented limit (docs/how-it-works.md)
META_KEYS = ("title", "url", "published", "source")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)


class ReadError(Exception):
    """An article that cannot be read; ``str()`` is 'path:line: reason'."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Article files under ``paths`` in sorted order; symlinked folders are not followed."""
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            raise ReadError(str(root), "no such file or folder")
        found = []
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                    found.append(Path(folder) / name)
        yield from sorted(found)


def article_stem(path: Path) -> str:
    """The article id: the file name without its extension, made path-safe."""
    stem = path.name.rsplit(".", 1)[0]
    stem = re.sub(r"[\\/\x00-\x1f]|\.\.", "_", stem).strip(" .")
    return stem or "article"


def read_article(path: Path) -> Article:
    """Read one article file; raises ``ReadError`` when it cannot be used."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ReadError(name, f"file is {size // 1024 // 1024} MB, over the {MAX_ARTICLE_BYTES // 1024 // 1024} MB limit")
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(name, f"cannot read: {e.strerror or e}") from e
    try:
        raw, _encoding = cleaning.decode(data)
    except ValueError as e:
        raise ReadError(name, str(e)) from e
    meta, body, body_line = _front_matter(raw, name)
    meta = {**_sidecar(path), **meta}
    if path.suffix.lower() in (".html", ".htm"):
        body, html_meta = cleaning.html_to_text(body)
        meta = {**{k: v for k, v in html_meta.items() if v}, **meta}
    text = cleaning.clean(body).text
    if not text.strip():
        raise ReadError(name, "no article text after removing boilerplate", body_line)
    published, how = _published(meta, body, text, name)
    return Article(
        stem=article_stem(path),
        path=name,
        text=text,
        title=str(meta.get("title") or _title_from_text(text)),
        url=str(meta.get("url") or ""),
        source=str(meta.get("source") or ""),
        published=published,
        published_text=how,
    )


def _front_matter(raw: str, name: str) -> tuple[dict, str, int]:
    """Split an optional YAML front matter block off the text."""
    m = _FRONT_MATTER.match(raw)
    if not m:
        return {}, raw, 1
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", 0) + 2
        raise ReadError(name, f"front matter is not valid YAML: {getattr(e, 'problem', e)}", line) from e
    if not isinstance(meta, dict):
        raise ReadError(name, "front matter must be a mapping of keys (title, url, published, source)", 2)
    return _known_keys(meta), raw[m.end() :], raw[: m.end()].count("\n") + 1


def _sidecar(path: Path) -> dict:
    side = path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    if not side.is_file():
        return {}
    try:
        meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ReadError(str(side), f"sidecar is not valid YAML: {e}") from e
    if not isinstance(meta, dict):
        raise ReadError(str(side), "sidecar must be a mapping of keys (title, url, published, source)")
    return _known_keys(meta)


def _known_keys(meta: dict) -> dict:
    return {k: meta[k] for k in META_KEYS if meta.get(k) not in (None, "")}


def _published(meta: dict, raw: str, text: str, name: str) -> tuple[DateValue | None, str]:
    given = meta.get("published")
    if given not in (None, ""):
        return _given_date(given, name), "given"
    printed = dates.find_published(raw)
    if printed:
        return printed[0], printed[1]
    inferred = dates.infer_published(text)
    return inferred, "inferred" if inferred else ""


def _given_date(value: object, name: str) -> DateValue:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DateValue(value.isoformat())
    try:
        return dates.parse_iso(str(value).strip()[:10])
    except ValueError as e:
        raise ReadError(name, f"'published' is not a date: {value!r} ({e})") from e


def _title_from_text(text: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if len(first) <= 40 and not re.search(r"[。！？]$", first):
        return first
    return first[:30] + "…"
