"""Pages stage: event/article/registry YAML -> Markdown pages for MkDocs.

Two pure functions make up the stage:

- ``load_site_data(root)`` reads ``events/**/*.yaml``, ``articles/*.yaml`` and
  ``registry/{companies,people}.yaml`` into a frozen ``SiteData`` (rejected
  events are dropped right here, so they cannot reach any page);
- ``render_pages(data)`` maps docs-relative paths to Markdown text.

Every string that comes from the data passes through ``md_escape`` (or
``safe_title`` for page titles, which the theme prints unescaped), and the
only links built from data URLs are ``http(s)`` ones via ``external_link``.
Output is deterministic: everything is sorted, nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml

from builder.slugs import slugify, unique_slugs

TYPE_LABELS = {
    "funding": "融资",
    "departure": "离职",
    "hire": "加入",
    "lawsuit": "诉讼",
    "price_cut": "降价",
    "acquisition": "收购",
}
TYPE_DESCRIPTIONS = {
    "funding": "公司获得融资、完成新一轮融资。",
    "departure": "人物离开所在公司或岗位。",
    "hire": "人物加入公司或出任新职位。",
    "lawsuit": "起诉、仲裁等法律纠纷。",
    "price_cut": "模型或服务降价。",
    "acquisition": "收购、并购与控股。",
}
DETAIL_LABELS = {
    "from": "原单位",
    "to": "去向",
    "role": "职位",
    "amount": "金额",
    "currency": "币种",
    "round": "轮次",
    "investors": "投资方",
    "plaintiff": "原告",
    "defendant": "被告",
    "acquirer": "收购方",
    "target": "收购标的",
    "product": "产品",
    "old_price": "原价",
    "new_price": "现价",
}
# detail keys whose values may name a company or person with a page
ENTITY_DETAILS = {"from", "to", "investors", "plaintiff", "defendant", "acquirer", "target"}
LINK_LABELS = {"homepage": "主页", "wikidata": "Wikidata", "wikipedia": "维基百科"}
KIND_DIRS = {"company": "companies", "person": "people"}

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ANCHOR_RE = re.compile(r"^p([1-9][0-9]*)$")
_URL_RE = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)
_WIKIDATA_ID = re.compile(r"^Q[0-9]+$")


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


# ---------------------------------------------------------------- escaping

_MD_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    **{c: f"&#{ord(c)};" for c in "\\`*_[](){}#+-!|~=^$:"},
}
_MD_TABLE = str.maketrans(_MD_ESCAPES)
_TITLE_TABLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def clean_text(s: object) -> str:
    """Drop control characters and fold all whitespace to single spaces.

    Python-Markdown uses STX/ETX as placeholder markers, so those must never
    come through; newlines would let a string start new Markdown blocks.
    """
    text = "".join(
        " " if c.isspace() else c for c in str(s) if c.isspace() or unicodedata.category(c) != "Cc"
    )
    return " ".join(text.split())


def md_escape(s: object) -> str:
    """Text -> Markdown that renders as exactly that text (one line, inert)."""
    out = clean_text(s).translate(_MD_TABLE)
    return re.sub(r"^(\d+)\.", r"\1&#46;", out)  # '1. x' would start a list


def safe_title(s: object) -> str:
    """Text for a page title: the theme prints titles raw, so no HTML chars."""
    return clean_text(s).translate(_TITLE_TABLE)


def attr_escape(s: str) -> str:
    return html.escape(s, quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) URL, else None."""
    text = str(url or "").strip()
    return text if _URL_RE.match(text) else None


def external_link(url: str, text: str) -> str:
    """Inline HTML link to an http(s) URL (call only with ``safe_url`` output)."""
    href = attr_escape(url)
    return f'<a href="{href}" rel="nofollow noopener noreferrer">{md_escape(text)}</a>'


# ---------------------------------------------------------------- dates


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


def date_label(value: str | None, approximate: bool = False) -> str:
    """'2024-11-13' -> '2024年11月13日'; approximate -> '约2024年11月'."""
    parts = date_parts(value)
    if parts is None:
        return "日期不详"
    year, month, day = parts
    text = f"{year}年"
    if month is not None:
        text += f"{month}月"
    if day is not None:
        text += f"{day}日"
    return f"约{text}" if approximate else text


def _newest_key(ev: SiteEvent) -> tuple[int, int, int, int]:
    parts = date_parts(ev.date)
    if parts is None:
        return (0, 0, 0, 0)
    year, month, day = parts
    return (1, year, month or 0, day or 0)


def newest_first(events: Iterable[SiteEvent]) -> list[SiteEvent]:
    """Newest first; less precise dates after precise ones; undated last; ties by id."""
    return sorted(sorted(events, key=lambda e: e.id), key=_newest_key, reverse=True)


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
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
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
    for key in DETAIL_LABELS:
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
    )


def _unique(items: list[Any], what: str, key: str) -> tuple[Any, ...]:
    seen: dict[str, Any] = {}
    for item in items:
        k = getattr(item, key)
        if k in seen:
            raise SiteDataError(f"duplicate {what} {k!r}")
        seen[k] = item
    return tuple(seen[k] for k in sorted(seen))


def _load_events(root: Path) -> tuple[SiteEvent, ...]:
    events = []
    for path in sorted((root / "events").rglob("*.yaml")):
        doc = _read_yaml(path, root)
        if doc is None:
            continue
        event = _parse_event(doc, path.stem)
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
        doc = _read_yaml(path, root)
        if doc is not None:
            articles.append(_parse_article(doc, path.stem))
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
    doc = _read_yaml(path, root) if path.is_file() else None
    if doc is None:
        return ()
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


# ---------------------------------------------------------------- context


@dataclass
class _Ctx:
    """Lookups shared by all pages; built once per render."""

    data: SiteData
    visible: list[SiteEvent]  # newest first; no redirect stubs
    by_id: dict[str, SiteEvent]
    articles: dict[str, SiteArticle]
    entities: dict[str, dict[str, Entity]]  # kind -> name -> entity
    slugs: dict[str, dict[str, str]]  # kind -> name -> slug
    aliases: dict[str, dict[str, str]]  # kind -> alias -> name
    cites: dict[tuple[str, str], list[SiteEvent]] = field(default_factory=dict)
    by_article: dict[str, list[SiteEvent]] = field(default_factory=dict)
    by_entity: dict[tuple[str, str], list[SiteEvent]] = field(default_factory=dict)

    def canon(self, kind: str, name: str) -> str:
        return self.aliases[kind].get(name, name)

    def parties(self, ev: SiteEvent, kind: str) -> list[str]:
        names = ev.people if kind == "person" else ev.companies
        return list(dict.fromkeys(self.canon(kind, n) for n in names))

    def entity_link(self, kind: str, name: str, base: str) -> str | None:
        slug = self.slugs[kind].get(self.canon(kind, name))
        if slug is None:
            return None
        return f"[{md_escape(self.canon(kind, name))}]({base}{KIND_DIRS[kind]}/{slug}.md)"

    def name_link(self, name: str, base: str, kinds: tuple[str, ...]) -> str:
        for kind in kinds:
            link = self.entity_link(kind, name, base)
            if link:
                return link
        return md_escape(name)


def _alias_map(entities: tuple[Entity, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entity in entities:  # sorted by name: the first claim on an alias wins
        for alias in entity.aliases:
            out.setdefault(alias, entity.name)
    for entity in entities:
        out[entity.name] = entity.name
    return out


def _entity_slugs(names: set[str]) -> dict[str, str]:
    slugs = unique_slugs(sorted(names))
    used = set(slugs.values())
    for name, slug in sorted(slugs.items()):
        if slug == "index":  # folder/index.md is the list page
            new, n = "index-page", 2
            while new in used:
                new, n = f"index-page-{n}", n + 1
            slugs[name] = new
            used.add(new)
    return slugs


def _build_ctx(data: SiteData) -> _Ctx:
    registry = {"company": data.companies, "person": data.people}
    aliases = {kind: _alias_map(ents) for kind, ents in registry.items()}
    visible = newest_first(e for e in data.events if not e.redirect_to)
    names: dict[str, set[str]] = {"company": set(), "person": set()}  # only entities with events get pages
    for ev in visible:
        names["person"].update(aliases["person"].get(n, n) for n in ev.people)
        names["company"].update(aliases["company"].get(n, n) for n in ev.companies)
    ctx = _Ctx(
        data=data,
        visible=visible,
        by_id={e.id: e for e in data.events},
        articles={a.stem: a for a in data.articles},
        entities={kind: {e.name: e for e in ents} for kind, ents in registry.items()},
        slugs={kind: _entity_slugs(ns) for kind, ns in names.items()},
        aliases=aliases,
    )
    for ev in visible:  # newest first, so every list below is too
        for ref in ev.sources:
            if ev not in ctx.cites.setdefault((ref.article, ref.anchor), []):
                ctx.cites[(ref.article, ref.anchor)].append(ev)
        for stem in dict.fromkeys(ref.article for ref in ev.sources):
            ctx.by_article.setdefault(stem, []).append(ev)
        for kind in KIND_DIRS:
            for name in ctx.parties(ev, kind):
                ctx.by_entity.setdefault((kind, name), []).append(ev)
    return ctx


# ---------------------------------------------------------------- pieces


def _front(title: str, *, exclude_search: bool = False) -> list[str]:
    lines = ["---", f"title: {json.dumps(safe_title(title), ensure_ascii=False)}"]
    if exclude_search:
        lines += ["search:", "  exclude: true"]
    return [*lines, "---", ""]


def type_slug(event_type: str) -> str:
    if event_type in TYPE_LABELS:
        return event_type
    slug = slugify(event_type)
    return "index-type" if slug == "index" else slug


def type_badge(event_type: str) -> str:
    label = TYPE_LABELS.get(event_type, event_type)
    slug = type_slug(event_type)
    return f'<span class="tl-badge tl-badge--{slug}">{md_escape(label)}</span>'


def _status_badge(ev: SiteEvent) -> str:
    return ' <span class="tl-status">传闻</span>' if ev.status == "reported" else ""


def _event_path(ev: SiteEvent, base: str) -> str:
    return f"{base}events/{ev.slug}.md"


def _party_links(ev: SiteEvent, ctx: _Ctx, base: str) -> list[str]:
    links = []
    for kind in ("person", "company"):
        links += [ctx.entity_link(kind, n, base) or md_escape(n) for n in ctx.parties(ev, kind)]
    return links


def timeline_entry(ev: SiteEvent, ctx: _Ctx, base: str) -> str:
    """One list item: date, badge, linked title, linked parties, source count."""
    parts = [
        f'<span class="tl-date">{date_label(ev.date, ev.approximate)}</span>',
        type_badge(ev.type) + _status_badge(ev),
        f"[{md_escape(ev.title)}]({_event_path(ev, base)})",
    ]
    parties = _party_links(ev, ctx, base)
    if parties:
        parts.append(f'<span class="tl-parties">{"、".join(parties)}</span>')
    parts.append(f'<span class="tl-count">{len(ev.sources)} 个来源</span>')
    return "- " + " ".join(parts)


def _entry_block(events: Iterable[SiteEvent], ctx: _Ctx, base: str) -> list[str]:
    entries = [timeline_entry(ev, ctx, base) for ev in events]
    return ['<div class="timeline" markdown>', "", *entries, "", "</div>", ""]


def _year_of(ev: SiteEvent) -> int | None:
    parts = date_parts(ev.date)
    return parts[0] if parts else None


def _month_of(ev: SiteEvent) -> int | None:
    parts = date_parts(ev.date)
    return parts[1] if parts else None


def grouped_timeline(events: list[SiteEvent], ctx: _Ctx, base: str) -> list[str]:
    """Year (##) and month (###) sections, newest first; undated last."""
    lines: list[str] = []
    for year, in_year in groupby(newest_first(events), key=_year_of):
        if year is None:
            lines += ["## 日期不详 {#undated}", "", *_entry_block(in_year, ctx, base)]
            continue
        lines += [f"## {year}年 {{#y{year}}}", ""]
        for month, in_month in groupby(in_year, key=_month_of):
            if month is None:
                lines += [f"### {year}年（月份不详） {{#m{year}-00}}", ""]
            else:
                lines += [f"### {year}年{month}月 {{#m{year}-{month:02d}}}", ""]
            lines += _entry_block(in_month, ctx, base)
    return lines or ["暂无事件。", ""]


# ---------------------------------------------------------------- pages


def _home_page(ctx: _Ctx) -> str:
    counts = f"共 {len(ctx.visible)} 个事件，{len(ctx.data.articles)} 篇来源文章。"
    lines = [*_front("时间线"), "# 大模型行业时间线", "", counts, ""]
    return "\n".join(lines + grouped_timeline(ctx.visible, ctx, ""))


def _detail_lines(ev: SiteEvent, ctx: _Ctx) -> list[str]:
    lines = []
    for key, values in ev.details:
        if key in ENTITY_DETAILS:
            shown = [ctx.name_link(v, "../", ("company", "person")) for v in values]
        else:
            shown = [md_escape(v) for v in values]
        lines.append(f"- **{DETAIL_LABELS[key]}**：{'、'.join(shown)}")
    return lines


def _event_facts(ev: SiteEvent, ctx: _Ctx) -> list[str]:
    when = date_label(ev.date, ev.approximate)
    if ev.date_text:
        when += f"（原文：“{md_escape(ev.date_text)}”）"
    label = md_escape(TYPE_LABELS.get(ev.type, ev.type))
    lines = [f"- **日期**：{when}"]
    if ev.other_dates:
        others = "、".join(date_label(d) for d in ev.other_dates)
        lines.append(f"- **其他来源的日期**：{others}")
    lines.append(f"- **类型**：[{label}](../types/{type_slug(ev.type)}.md)")
    for kind, heading in (("person", "人物"), ("company", "公司")):
        links = [ctx.entity_link(kind, n, "../") or md_escape(n) for n in ctx.parties(ev, kind)]
        if links:
            lines.append(f"- **{heading}**：{'、'.join(links)}")
    lines += _detail_lines(ev, ctx)
    if ev.status == "reported":
        lines.append("- **状态**：传闻（尚未得到证实）")
    return lines


def _source_item(ref: SourceRef, ctx: _Ctx) -> list[str]:
    article = ctx.articles.get(ref.article)
    if article is None:
        head = f"1. {md_escape(ref.article)}（原文未收录）"
    else:
        m = _ANCHOR_RE.match(ref.anchor)
        ok = m is not None and int(m.group(1)) <= len(article.paragraphs)
        target = f"../sources/{article.slug}.md" + (f"#{ref.anchor}" if ok else "")
        meta = [md_escape(x) for x in (article.source,) if x]
        if article.published:
            meta.append(date_label(article.published))
        if ok:
            meta.append(f"第 {ref.anchor[1:]} 段")
        head = f"1. [{md_escape(article.title or article.stem)}]({target})"
        head += f"（{'，'.join(meta)}）" if meta else ""
    lines = [head, ""]
    if ref.quote:
        lines += [f"    > {md_escape(ref.quote)}", ""]
    if ref.date_text:
        lines += [f"    原文日期：“{md_escape(ref.date_text)}”", ""]
    return lines


def _event_page(ev: SiteEvent, ctx: _Ctx) -> str:
    lines = [*_front(ev.title), f"# {md_escape(ev.title)}", ""]
    lines += [type_badge(ev.type) + _status_badge(ev), "", *_event_facts(ev, ctx), ""]
    if ev.note:
        lines += ['!!! note "编辑备注"', "", f"    {md_escape(ev.note)}", ""]
    lines += [f"## 来源（{len(ev.sources)}） {{#sources}}", ""]
    for ref in ev.sources:
        lines += _source_item(ref, ctx)
    return "\n".join(lines)


def _redirect_target(ev: SiteEvent, ctx: _Ctx) -> SiteEvent | None:
    seen = {ev.id}
    target = ctx.by_id.get(ev.redirect_to)
    while target is not None and target.redirect_to and target.id not in seen:
        seen.add(target.id)
        target = ctx.by_id.get(target.redirect_to)
    return target if target is not None and not target.redirect_to else None


def _stub_page(ev: SiteEvent, ctx: _Ctx) -> str:
    target = _redirect_target(ev, ctx)
    lines = [*_front(ev.title, exclude_search=True), f"# {md_escape(ev.title)}", ""]
    if target is None:
        lines.append("本条目已合并到另一事件，但该事件已不存在。")
    else:
        link = f"[{md_escape(target.title)}]({target.slug}.md)"
        lines.append(f'<p class="tl-redirect" markdown>本条目已合并到：{link}</p>')
    return "\n".join([*lines, ""])


def _entity_events(kind: str, name: str, ctx: _Ctx) -> list[SiteEvent]:
    return ctx.by_entity.get((kind, name), [])


def _entity_links(entity: Entity) -> list[str]:
    out = []
    for key, value in entity.links:
        if key == "wikidata" and _WIKIDATA_ID.match(value):
            value = f"https://www.wikidata.org/wiki/{value}"
        url = safe_url(value)
        if url:
            out.append(external_link(url, LINK_LABELS.get(key, key)))
    return out


def _entity_facts(entity: Entity, ctx: _Ctx) -> list[str]:
    lines = []
    if entity.aliases:
        lines.append(f"- **别名**：{'、'.join(map(md_escape, entity.aliases))}")
    if entity.products:
        lines.append(f"- **产品**：{'、'.join(map(md_escape, entity.products))}")
    if entity.category:
        lines.append(f"- **类别**：{md_escape(entity.category)}")
    if entity.affiliations:
        items = [
            ctx.name_link(n, "../", ("company",)) + (f"（{md_escape(x)}）" if x else "")
            for n, x in entity.affiliations
        ]
        lines.append(f"- **任职**：{'、'.join(items)}")
    links = _entity_links(entity)
    if links:
        lines.append(f"- **链接**：{' · '.join(links)}")
    return lines


def _entity_page(kind: str, name: str, ctx: _Ctx) -> str:
    entity = ctx.entities[kind].get(name)
    label = "公司" if kind == "company" else "人物"
    lines = [*_front(name), f"# {md_escape(name)}", "", f'<span class="entity-kind">{label}</span>', ""]
    if entity is None:
        lines += ["尚未收录到实体登记表。", ""]
    else:
        lines += [*_entity_facts(entity, ctx), ""]
        lines += [md_escape(entity.description), ""] if entity.description else []
    events = _entity_events(kind, name, ctx)
    lines += [f"## 相关事件（{len(events)}） {{#events}}", ""]
    lines += _entry_block(events, ctx, "../") if events else ["暂无事件。", ""]
    return "\n".join(lines)


def _entity_index(kind: str, ctx: _Ctx) -> str:
    label = "公司" if kind == "company" else "人物"
    slugs = ctx.slugs[kind]
    second = "别名" if kind == "company" else "任职"
    unit = "家公司" if kind == "company" else "位人物"
    lines = [*_front(label), f"# {label}", "", f"共 {len(slugs)} {unit}。", ""]
    lines += [f"| {label} | {second} | 事件数 |", "| --- | --- | ---: |"]
    for name in sorted(slugs, key=lambda n: (slugs[n], n)):
        entity = ctx.entities[kind].get(name)
        if entity is None:
            extra = ""
        elif kind == "company":
            extra = "、".join(map(md_escape, entity.aliases))
        else:
            extra = "、".join(md_escape(n) for n, _ in entity.affiliations)
        count = len(_entity_events(kind, name, ctx))
        lines.append(f"| [{md_escape(name)}]({slugs[name]}.md) | {extra} | {count} |")
    return "\n".join([*lines, ""])


def _all_types(ctx: _Ctx) -> list[str]:
    extra = sorted({ev.type for ev in ctx.visible} - set(TYPE_LABELS))
    return [*TYPE_LABELS, *extra]


def _types_index(ctx: _Ctx) -> str:
    lines = [*_front("类型"), "# 事件类型", "", "| 类型 | 事件数 | 说明 |", "| --- | ---: | --- |"]
    for t in _all_types(ctx):
        count = sum(1 for ev in ctx.visible if ev.type == t)
        label = md_escape(TYPE_LABELS.get(t, t))
        lines.append(f"| [{label}]({type_slug(t)}.md) | {count} | {TYPE_DESCRIPTIONS.get(t, '')} |")
    return "\n".join([*lines, ""])


def _type_page(event_type: str, ctx: _Ctx) -> str:
    label = TYPE_LABELS.get(event_type, event_type)
    events = [ev for ev in ctx.visible if ev.type == event_type]
    lines = [*_front(label), f"# {md_escape(label)}", ""]
    lines += [TYPE_DESCRIPTIONS.get(event_type, ""), "", f"共 {len(events)} 个事件。", ""]
    return "\n".join(lines + grouped_timeline(events, ctx, "../"))


def _sources_index(ctx: _Ctx) -> str:
    lines = [*_front("来源"), "# 来源文章", "", f"共 {len(ctx.data.articles)} 篇。", ""]
    lines += ["| 标题 | 来源 | 发布日期 | 引用事件 |", "| --- | --- | --- | ---: |"]
    by_stem = sorted(ctx.data.articles, key=lambda a: a.stem)
    for article in sorted(by_stem, key=lambda a: a.published or "", reverse=True):
        title = f"[{md_escape(article.title or article.stem)}]({article.slug}.md)"
        when = date_label(article.published) if article.published else "不详"
        count = len(ctx.by_article.get(article.stem, []))
        lines.append(f"| {title} | {md_escape(article.source)} | {when} | {count} |")
    return "\n".join([*lines, ""])


def _article_meta(article: SiteArticle, ctx: _Ctx) -> list[str]:
    lines = []
    if article.source:
        lines.append(f"- **来源**：{md_escape(article.source)}")
    when = date_label(article.published) if article.published else "不详"
    when += "（推断）" if article.published and article.published_inferred else ""
    lines.append(f"- **发布日期**：{when}")
    url = safe_url(article.url)
    if url:
        lines.append(f"- **原文链接**：{external_link(url, url)}")
    elif article.url:
        lines.append(f"- **原文地址**：{md_escape(article.url)}")
    if article.file:
        lines.append(f"- **文件**：{md_escape(article.file)}")
    lines.append(f"- **引用本文的事件**：{len(ctx.by_article.get(article.stem, []))}")
    return lines


def _passage(article: SiteArticle, n: int, text: str, ctx: _Ctx) -> list[str]:
    anchor = f"p{n}"
    lines = [f'<div class="passage" id="{anchor}" markdown>', ""]
    lines += [f'<a class="passage-num" href="#{anchor}">¶{n}</a> {md_escape(text)}', ""]
    for ev in ctx.cites.get((article.stem, anchor), []):
        lines.append(f"- {type_badge(ev.type)} [{md_escape(ev.title)}]({_event_path(ev, '../')})")
    return [*lines, "", "</div>", ""]


def _article_page(article: SiteArticle, ctx: _Ctx) -> str:
    title = article.title or article.stem
    lines = [*_front(title), f"# {md_escape(title)}", "", *_article_meta(article, ctx), ""]
    lines += ["## 正文 {#text}", ""]
    for n, text in enumerate(article.paragraphs, start=1):
        lines += _passage(article, n, text, ctx)
    return "\n".join(lines)


def _entity_pages(ctx: _Ctx) -> Iterator[tuple[str, str]]:
    for kind, folder in KIND_DIRS.items():
        yield f"{folder}/index.md", _entity_index(kind, ctx)
        for name, slug in ctx.slugs[kind].items():
            yield f"{folder}/{slug}.md", _entity_page(kind, name, ctx)


def render_pages(data: SiteData) -> dict[str, str]:
    """All generated pages: docs-relative path -> Markdown, sorted by path."""
    ctx = _build_ctx(data)
    pages = {"index.md": _home_page(ctx), "types/index.md": _types_index(ctx)}
    for ev in data.events:
        body = _stub_page(ev, ctx) if ev.redirect_to else _event_page(ev, ctx)
        pages[f"events/{ev.slug}.md"] = body
    pages.update(_entity_pages(ctx))
    for t in _all_types(ctx):
        pages[f"types/{type_slug(t)}.md"] = _type_page(t, ctx)
    pages["sources/index.md"] = _sources_index(ctx)
    for article in data.articles:
        pages[f"sources/{article.slug}.md"] = _article_page(article, ctx)
    return dict(sorted(pages.items()))
