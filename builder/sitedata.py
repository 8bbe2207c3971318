"""Site data: event/article/registry YAML -> frozen values for the site.

``load_site_data(root)`` reads ``events/**/*.yaml``, ``articles/*.yaml`` and
``registry/{companies,people}.yaml`` into a frozen ``SiteData`` (rejected
events are dropped right here, so they cannot reach any page, feed or export).
Errors name the file and line: ``SiteDataError('events/x.yaml:3: ...')``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder import fastyaml
from builder.slugs import slugify

# event keys that carry details (from/to/amount ...), in display order
DETAIL_KEYS = (
    "from", "to", "role", "amount", "currency", "round", "investors", "plaintiff", "defendant",
    "acquirer", "target", "product", "old_price", "new_price",
)  # fmt: skip

EXPORT_HIDDEN = ("fingerprint",)  # builder bookkeeping, not exported in events.json/csv
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# category Cc minus the characters str.isspace() accepts (\t\n\v\f\r, \x1c-\x1f, \x85)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same results, much faster


class SiteDataError(Exception):
    """A data file cannot be used; the message reads 'path:line: problem'."""


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class SourceRef:
    article: str  # stem of articles/<stem>.yaml
    anchor: str  # 'p12'
    quote: str = ""
    date_text: str = ""


@dataclass(frozen=True)
class SiteEvent:
    id: str
    slug: str  # page name: events/<slug>.md (== id when the id is safe)
    type: str
    title: str
    date: str | None = None  # 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD'
    approximate: bool = False
    date_text: str = ""
    people: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    details: tuple[tuple[str, tuple[str, ...]], ...] = ()
    status: str = "confirmed"
    other_dates: tuple[str, ...] = ()
    note: str = ""
    redirect_to: str = ""
    sources: tuple[SourceRef, ...] = ()
    # the YAML mapping as JSON text, builder bookkeeping left out (events.json); not part of equality
    raw: str = field(default="{}", compare=False, repr=False)

    def detail(self, key: str) -> tuple[str, ...]:
        return next((values for k, values in self.details if k == key), ())


@dataclass(frozen=True)
class SiteArticle:
    stem: str
    slug: str  # page name: sources/<slug>.md
    title: str = ""
    url: str = ""
    source: str = ""
    published: str | None = None
    published_inferred: bool = False
    file: str = ""
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # 'company' | 'person'
    aliases: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    description: str = ""
    category: str = ""  # the registry's own 'kind' key
    links: tuple[tuple[str, str], ...] = ()  # (key, value) as written
    affiliations: tuple[tuple[str, str], ...] = ()  # (company, extra text)


@dataclass(frozen=True)
class SiteData:
    events: tuple[SiteEvent, ...] = ()  # sorted by id; no rejected events
    articles: tuple[SiteArticle, ...] = ()  # sorted by stem
    companies: tuple[Entity, ...] = ()  # sorted by name
    people: tuple[Entity, ...] = ()


# ---------------------------------------------------------------- text and dates


def clean_text(s: object) -> str:
    """Drop control characters and fold all whitespace to single spaces.

    Python-Markdown uses STX/ETX as placeholder markers, so those must never
    come through; newlines would let a string start new Markdown blocks.
    (Control characters that are not whitespace go; ``str.split`` folds the rest.)
    """
    return " ".join(_CONTROL.sub("", str(s)).split())


@functools.lru_cache(maxsize=65536)
def date_parts(value: str | None) -> tuple[int, int | None, int | None] | None:
    """'2024-11' -> (2024, 11, None); None for no date."""
    if not value:
        return None
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"date {value!r} has no month {month}")
    if day is not None:
        dt.date(year, month or 1, day)  # raises ValueError for 2024-02-30
    return year, month, day


def year_of(ev: SiteEvent) -> int | None:
    parts = date_parts(ev.date)
    return parts[0] if parts else None


def month_of(ev: SiteEvent) -> int | None:
    parts = date_parts(ev.date)
    return parts[1] if parts else None


def _newest_key(ev: SiteEvent) -> tuple[int, int, int, int]:
    parts = date_parts(ev.date)
    if parts is None:
        return (0, 0, 0, 0)
    year, month, day = parts
    return (1, year, month or 0, day or 0)


def newest_first(events: Iterable[SiteEvent]) -> list[SiteEvent]:
    """Newest first; less precise dates after precise ones; undated last; ties by id."""
    return sorted(sorted(events, key=lambda e: e.id), key=_newest_key, reverse=True)


def oldest_first(events: Iterable[SiteEvent]) -> list[SiteEvent]:
    """Oldest first; undated first; ties by id."""
    return sorted(sorted(events, key=lambda e: e.id), key=_newest_key)


def _jsonable(value: Any) -> Any:
    """A YAML value as plain JSON data (dates as ISO text, keys as text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class _Doc:
    """One parsed YAML mapping plus what is needed to point at its lines."""

    rel: str
    text: str
    data: dict[str, Any]

    def error(self, key: str, message: str) -> SiteDataError:
        pattern = re.compile(rf"^{re.escape(key)}\s*:", re.MULTILINE)
        m = pattern.search(self.text)
        line = f":{self.text.count(chr(10), 0, m.start()) + 1}" if m else ""
        return SiteDataError(f"{self.rel}{line}: {message}")

    def str_(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, (str, int, float, dt.date)):
            return str(value)
        raise self.error(key, f"'{key}' must be text, not {type(value).__name__}")

    def strs(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None or value == "":
            return ()
        scalar = (str, int, float, dt.date)
        if isinstance(value, scalar):
            value = [value]
        if isinstance(value, list) and all(isinstance(v, scalar) for v in value):
            return tuple(t for v in value if (t := clean_text(v)))
        raise self.error(key, f"'{key}' must be a list of text")

    def date(self, key: str, value: object = None) -> str | None:
        value = self.data.get(key) if value is None else value
        if value is None or value == "":
            return None
        text = value.isoformat()[:10] if isinstance(value, dt.date) else str(value)
        try:
            date_parts(text)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None
        return text


def _read_yaml(path: Path, root: Path) -> _Doc | None:
    full, base = str(path), str(root) + os.sep
    rel = full[len(base) :].replace(os.sep, "/") if full.startswith(base) else full
    try:
        with open(full, encoding="utf-8") as f:
            text = f.read()
        data = fastyaml.load(text)  # the builder's own plain style; None: anything else
        if data is None:
            data = yaml.load(text, Loader=_LOADER)
    except UnicodeDecodeError as exc:
        raise SiteDataError(f"{rel}: not UTF-8 ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteDataError(f"{rel}{line}: YAML error: {problem}") from None
    if data is None:
        return None
    return _Doc(rel, text, data if isinstance(data, dict) else {"_": data})


def _page_name(ident: str) -> str:
    name = ident if _SAFE_ID.match(ident) else slugify(ident)
    return "index-page" if name.lower() == "index" else name


def _parse_sources(doc: _Doc) -> tuple[SourceRef, ...]:
    raw = doc.data.get("sources") or []
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise doc.error("sources", "'sources' must be a list of mappings")
    out = []
    for item in raw:
        sub = _Doc(doc.rel, doc.text, item)
        article = sub.str_("article")
        if not article:
            raise doc.error("sources", "every source needs an 'article'")
        anchor, quote, when = sub.str_("anchor"), sub.str_("quote"), sub.str_("date_text")
        out.append(SourceRef(article, anchor, quote, when))
    return tuple(out)


def _parse_details(doc: _Doc) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for key in DETAIL_KEYS:
        values = doc.strs(key)
        if values:
            out.append((key, values))
    return tuple(out)


def _parse_event(doc: _Doc, stem: str) -> SiteEvent | None:
    status = doc.str_("status") or "confirmed"
    if status == "rejected":
        return None
    ident = doc.str_("id") or stem
    title = doc.str_("title")
    if not title:
        raise doc.error("title", "event has no 'title'")
    return SiteEvent(
        id=ident,
        slug=_page_name(ident),
        type=doc.str_("type") or "unknown",
        title=title,
        date=doc.date("date"),
        approximate=doc.data.get("date_approximate") is True,
        date_text=doc.str_("date_text"),
        people=doc.strs("people"),
        companies=doc.strs("companies"),
        details=_parse_details(doc),
        status=status,
        other_dates=tuple(d for v in doc.strs("other_dates") if (d := doc.date("other_dates", v))),
        note=doc.str_("note"),
        redirect_to=doc.str_("redirect_to"),
        sources=_parse_sources(doc),
        raw=json.dumps(
            _jsonable({k: v for k, v in doc.data.items() if k not in EXPORT_HIDDEN}), ensure_ascii=False
        ),
    )


def _unique(items: list[Any], what: str, key: str) -> tuple[Any, ...]:
    seen: dict[str, Any] = {}
    for item in items:
        k = getattr(item, key)
        if k in seen:
            raise SiteDataError(f"duplicate {what} {k!r}")
        seen[k] = item
    return tuple(seen[k] for k in sorted(seen))


# Parsed files by path, reused while (mtime, size) stay the same. Only `mkdocs serve`
# (builder.serving) turns this on: a rebuild then re-reads just the edited files.
FILE_CACHE: dict[str, tuple[tuple[int, int], Any]] | None = None


def _cached(path: Path, root: Path, parse: Any) -> Any:
    """parse(doc) of the YAML file at path (None for an empty file), through FILE_CACHE."""
    if FILE_CACHE is None:
        doc = _read_yaml(path, root)
        return None if doc is None else parse(doc)
    st = path.stat()
    key = (st.st_mtime_ns, st.st_size)
    hit = FILE_CACHE.get(str(path))
    if hit is not None and hit[0] == key:
        return hit[1]
    doc = _read_yaml(path, root)
    value = None if doc is None else parse(doc)
    FILE_CACHE[str(path)] = (key, value)
    return value


def _load_events(root: Path) -> tuple[SiteEvent, ...]:
    events = []
    for path in sorted((root / "events").rglob("*.yaml")):
        event = _cached(path, root, lambda doc, stem=path.stem: _parse_event(doc, stem))
        if event is not None:
            events.append(event)
    _unique(events, "event page name", "slug")
    return _unique(events, "event id", "id")


def _parse_article(doc: _Doc, stem: str) -> SiteArticle:
    paragraphs = doc.data.get("paragraphs") or []
    if not isinstance(paragraphs, list):
        raise doc.error("paragraphs", "'paragraphs' must be a list of text")
    return SiteArticle(
        stem=stem,
        slug=_page_name(stem),
        title=doc.str_("title"),
        url=doc.str_("url"),
        source=doc.str_("source"),
        published=doc.date("published"),
        published_inferred=doc.data.get("published_inferred") is True,
        file=doc.str_("file"),
        paragraphs=tuple("" if p is None else str(p) for p in paragraphs),
    )


def _load_articles(root: Path) -> tuple[SiteArticle, ...]:
    articles = []
    for path in sorted((root / "articles").glob("*.yaml")):
        article = _cached(path, root, lambda doc, stem=path.stem: _parse_article(doc, stem))
        if article is not None:
            articles.append(article)
    _unique(articles, "article page name", "slug")
    return _unique(articles, "article", "stem")


def _affiliation(item: object) -> tuple[str, str]:
    """'字节跳动' or {company: 字节跳动, role: 研究员, since: 2024} -> (name, extra)."""
    if not isinstance(item, dict):
        return clean_text(item), ""
    name = next((str(item[k]) for k in ("company", "name", "org") if item.get(k)), "")
    extra = [
        f"{v}"
        for k, v in sorted(item.items(), key=lambda kv: str(kv[0]))
        if k not in ("company", "name", "org") and isinstance(v, (str, int, float)) and v != ""
    ]
    return clean_text(name), clean_text("，".join(extra))


def _parse_entity(doc: _Doc, kind: str) -> Entity:
    name = clean_text(doc.str_("name"))
    if not name:
        raise doc.error("name", f"a {kind} entry has no 'name'")
    links = doc.data.get("links") or {}
    if not isinstance(links, dict):
        raise doc.error("links", f"{name}: 'links' must be a mapping")
    affiliations = doc.data.get("affiliations") or []
    if not isinstance(affiliations, list):
        affiliations = [affiliations]
    return Entity(
        name=name,
        kind=kind,
        aliases=tuple(sorted({a for a in doc.strs("aliases") if a != name})),
        products=doc.strs("products"),
        description=doc.str_("description"),
        category=doc.str_("kind"),
        links=tuple(sorted((str(k), str(v)) for k, v in links.items() if v)),
        affiliations=tuple(a for a in map(_affiliation, affiliations) if a[0]),
    )


def _registry_items(doc: _Doc, key: str) -> list[Any]:
    data = doc.data.get("_", doc.data.get(key, doc.data))
    if isinstance(data, dict):  # {name: {...}} form
        return [{"name": k, **(v if isinstance(v, dict) else {})} for k, v in data.items()]
    if isinstance(data, list):
        return data
    raise SiteDataError(f"{doc.rel}: expected a list of entries")


def _load_registry(root: Path, file: str, kind: str) -> tuple[Entity, ...]:
    path = root / "registry" / file
    if not path.is_file():
        return ()
    return _cached(path, root, lambda doc: _parse_registry(doc, file, kind)) or ()


def _parse_registry(doc: _Doc, file: str, kind: str) -> tuple[Entity, ...]:
    entities = []
    for item in _registry_items(doc, file.removesuffix(".yaml")):
        if not isinstance(item, dict):
            raise SiteDataError(f"{doc.rel}: every entry must be a mapping, got {item!r}")
        entities.append(_parse_entity(_Doc(doc.rel, doc.text, item), kind))
    return _unique(entities, kind, "name")


def load_site_data(root: Path) -> SiteData:
    """Read events, articles and the registry under ``root`` (missing dirs: empty)."""
    root = Path(root)
    return SiteData(
        events=_load_events(root),
        articles=_load_articles(root),
        companies=_load_registry(root, "companies.yaml", "company"),
        people=_load_registry(root, "people.yaml", "person"),
    )


def search_words(data: SiteData) -> list[str]:
    """Every registry name/alias and every event party, for jieba's dictionary."""
    words: set[str] = set()
    for entity in (*data.companies, *data.people):
        words.update((entity.name, *entity.aliases))
    for event in data.events:
        words.update((*event.people, *event.companies))
    return sorted(w for w in map(clean_text, words) if w)
