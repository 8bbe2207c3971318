"""Lookups shared by every page, feed and export of one render: ``build_ctx(data)``.

Aliases resolve to canonical registry names; only entities that take part in
a visible event get a page (and a slug). Page paths are docs-relative
Markdown paths (``events/x.md``); ``page_url`` turns one into the URL MkDocs
will give it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from builder.markup import KIND_DIRS, TYPE_LABELS, md_escape, type_slug
from builder.sitedata import Entity, SiteArticle, SiteData, SiteEvent, date_parts, newest_first, year_of
from builder.slugs import unique_slugs

SITE_NAME = "大模型行业时间线"
UNDATED = "undated"


@dataclass
class Ctx:
    """Lookups shared by all pages; built once per render."""

    data: SiteData
    visible: list[SiteEvent]  # newest first; no redirect stubs
    by_id: dict[str, SiteEvent]
    articles: dict[str, SiteArticle]
    entities: dict[str, dict[str, Entity]]  # kind -> name -> entity
    slugs: dict[str, dict[str, str]]  # kind -> name -> slug
    aliases: dict[str, dict[str, str]]  # kind -> alias -> name
    site_url: str = ""  # '' or 'https://host/prefix/'
    directory_urls: bool = True  # mkdocs' use_directory_urls
    site_name: str = SITE_NAME
    cites: dict[tuple[str, str], list[SiteEvent]] = field(default_factory=dict)
    by_article: dict[str, list[SiteEvent]] = field(default_factory=dict)
    by_entity: dict[tuple[str, str], list[SiteEvent]] = field(default_factory=dict)

    def canon(self, kind: str, name: str) -> str:
        return self.aliases[kind].get(name, name)

    def parties(self, ev: SiteEvent, kind: str) -> tuple[str, ...]:
        """The event's people or companies by canonical name, once each (cached per name list)."""
        names = ev.people if kind == "person" else ev.companies
        cache = self.__dict__.get("_parties")
        if cache is None:
            cache = self.__dict__["_parties"] = {}
        found = cache.get((kind, names))
        if found is None:
            found = cache[(kind, names)] = tuple(dict.fromkeys(self.canon(kind, n) for n in names))
        return found

    def entity_path(self, kind: str, name: str) -> str | None:
        """'companies/zhi-pu.md' for a name or alias with a page, else None."""
        slug = self.slugs[kind].get(self.canon(kind, name))
        return None if slug is None else f"{KIND_DIRS[kind]}/{slug}.md"

    def entity_link(self, kind: str, name: str, base: str) -> str | None:
        path = self.entity_path(kind, name)
        if path is None:
            return None
        return f"[{md_escape(self.canon(kind, name))}]({base}{path})"

    def name_link(self, name: str, base: str, kinds: tuple[str, ...]) -> str:
        for kind in kinds:
            link = self.entity_link(kind, name, base)
            if link:
                return link
        return md_escape(name)

    def href(self, from_page: str, to: str) -> str:
        """Relative URL from a page to a page (with optional '#anchor') or a site file."""
        return href(from_page, to, self.directory_urls)

    def url(self, to: str) -> str:
        """URL of a page (with optional '#anchor'): absolute with site_url, else site-relative."""
        target, _, anchor = to.partition("#")
        url = page_url(target, self.directory_urls) if target.endswith(".md") else target
        return absolute_url(self.site_url, url) + (f"#{anchor}" if anchor else "")

    def entity_href(self, kind: str, name: str, page: str) -> str | None:
        path = self.entity_path(kind, name)
        return None if path is None else self.href(page, path)

    def names_by_slug(self, kind: str) -> dict[str, str]:
        cache = self.__dict__.setdefault("_by_slug", {})
        if kind not in cache:
            cache[kind] = {slug: name for name, slug in self.slugs[kind].items()}
        return cache[kind]

    def events_of(self, kind: str, name: str) -> list[SiteEvent]:
        """Visible events of a canonical name, newest first."""
        return self.by_entity.get((kind, name), [])

    def types(self) -> list[str]:
        """Known types in label order, then any other type that has events."""
        if "_types" not in self.__dict__:
            extra = sorted({ev.type for ev in self.visible} - set(TYPE_LABELS))
            self.__dict__["_types"] = [*TYPE_LABELS, *extra]
        return list(self.__dict__["_types"])

    def years(self) -> list[int]:
        """Years with events, newest first."""
        if "_years" not in self.__dict__:
            years = {y for ev in self.visible if (y := year_of(ev)) is not None}
            self.__dict__["_years"] = sorted(years, reverse=True)
        return list(self.__dict__["_years"])


def month_key(ev: SiteEvent) -> str:
    """'2024/08' (month page of the event), '2024/00' (month unknown) or 'undated'."""
    return _month_key(ev.date)


@functools.lru_cache(maxsize=4096)
def _month_key(date: str | None) -> str:
    parts = date_parts(date)
    if parts is None:
        return UNDATED
    return f"{parts[0]:04d}/{parts[1] or 0:02d}"


def month_path(key: str) -> str:
    """Docs path of a month page: 'timeline/2024/08.md', 'timeline/undated.md'."""
    return f"timeline/{key}.md"


def event_path(ev: SiteEvent) -> str:
    """Docs path of the page that holds the event (its month page)."""
    return month_path(month_key(ev))


def event_ref(ev: SiteEvent) -> str:
    """Docs path + anchor of an event: 'timeline/2024/08.md#2024-08-hire-x'."""
    return f"{event_path(ev)}#{ev.slug}"


def stub_path(ev: SiteEvent, directory_urls: bool = True) -> str:
    """Output path of the small redirect file at the event's short permalink (events/<id>/)."""
    return f"events/{ev.slug}/index.html" if directory_urls else f"events/{ev.slug}.html"


def href(from_page: str, to: str, directory_urls: bool = True) -> str:
    """Relative URL from a page (docs path) to a page (docs path, optional '#anchor') or site file.

    Always up to the site root, then down ('../../companies/x/'): cheap and
    right under any /PREFIX/ the site is published at.
    """
    target, _, anchor = to.partition("#")
    if target == from_page and anchor:
        return f"#{anchor}"
    url = page_url(target, directory_urls) if target.endswith(".md") else target
    rel = _to_root(from_page, directory_urls) + url
    return (rel or "./") + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=4096)
def _to_root(page: str, directory_urls: bool) -> str:
    """'../' once per folder between a page's URL and the site root."""
    return "../" * page_url(page, directory_urls).count("/")


def type_path(event_type: str) -> str:
    return f"types/{type_slug(event_type)}.md"


@functools.lru_cache(maxsize=65536)
def page_url(path: str, use_directory_urls: bool = True) -> str:
    """Docs path -> site-relative URL as MkDocs builds it ('events/x.md' -> 'events/x/')."""
    stem = path.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else f"{stem}/"


def absolute_url(site_url: str, url: str) -> str:
    """site_url + site-relative url ('' site_url: the url unchanged)."""
    if not site_url:
        return url
    return site_url.rstrip("/") + "/" + url


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


def _index_events(ctx: Ctx) -> None:
    for ev in ctx.visible:  # newest first, so every list below is too
        for ref in ev.sources:
            cited = ctx.cites.setdefault((ref.article, ref.anchor), [])
            if ev not in cited:
                cited.append(ev)
        for stem in dict.fromkeys(ref.article for ref in ev.sources):
            ctx.by_article.setdefault(stem, []).append(ev)
        for kind in KIND_DIRS:
            for name in ctx.parties(ev, kind):
                ctx.by_entity.setdefault((kind, name), []).append(ev)


def build_ctx(
    data: SiteData, site_url: str = "", directory_urls: bool = True, site_name: str = SITE_NAME
) -> Ctx:
    registry = {"company": data.companies, "person": data.people}
    aliases = {kind: _alias_map(ents) for kind, ents in registry.items()}
    visible = newest_first(e for e in data.events if not e.redirect_to)
    names: dict[str, set[str]] = {"company": set(), "person": set()}  # only entities with events get pages
    for ev in visible:
        names["person"].update(aliases["person"].get(n, n) for n in ev.people)
        names["company"].update(aliases["company"].get(n, n) for n in ev.companies)
    ctx = Ctx(
        data=data,
        visible=visible,
        by_id={e.id: e for e in data.events},
        articles={a.stem: a for a in data.articles},
        entities={kind: {e.name: e for e in ents} for kind, ents in registry.items()},
        slugs={kind: _entity_slugs(ns) for kind, ns in names.items()},
        aliases=aliases,
        site_url=site_url,
        directory_urls=directory_urls,
        site_name=site_name or SITE_NAME,
    )
    _index_events(ctx)
    return ctx
