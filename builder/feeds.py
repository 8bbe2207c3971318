"""Atom feeds: the whole site (newest 200 events) and one per company, person and type (newest 50).

``all_feeds(ctx, site_name)`` maps output paths (``feed.xml``,
``companies/<slug>.xml`` ...) to Atom XML; ``feed_pages(ctx)`` maps each page
that has a feed to its feed path. XML is written as text (every string
escaped, characters XML cannot hold removed). Entry links are absolute when
the site has a ``site_url``, else relative to the feed file. Ids are
``urn:uuid``s derived from the event id, so they survive a move of the site.
"""

from __future__ import annotations

import functools
import uuid

from builder.markup import KIND_DIRS, date_label, type_label, type_slug, xml_text
from builder.sitectx import Ctx, absolute_url, event_ref, page_url, type_path
from builder.sitedata import SiteEvent, date_parts

ATOM_NS = "http://www.w3.org/2005/Atom"
SITE_FEED = "feed.xml"
SITE_LIMIT = 200
FEED_LIMIT = 50  # newest entries in a company, person or type feed
EPOCH = "1970-01-01T00:00:00Z"
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ai-timeline-builder")


@functools.lru_cache(maxsize=1 << 16)
def feed_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, key)}"


def _timestamp(value: str | None) -> str | None:
    parts = date_parts(value)
    if parts is None:
        return None
    year, month, day = parts
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"


def entry_updated(ev: SiteEvent, ctx: Ctx) -> str:
    """The event's date; undated: its newest source's publication date; else the epoch."""
    stamp = _timestamp(ev.date)
    if stamp:
        return stamp
    published = [a.published for r in ev.sources if (a := ctx.articles.get(r.article)) and a.published]
    return _timestamp(max(published)) if published else EPOCH


def _href(ctx: Ctx, page: str, feed_path: str) -> str:
    """Link from a feed file to a page ('x.md#anchor'): absolute with site_url, else relative to the feed."""
    target, _, anchor = page.partition("#")
    url = page_url(target, ctx.directory_urls)
    frag = f"#{anchor}" if anchor else ""
    if ctx.site_url:
        return absolute_url(ctx.site_url, url) + frag
    depth = feed_path.count("/")
    return ("../" * depth + url if url or depth else "./") + frag


@functools.lru_cache(maxsize=1 << 16)
def _x(value: str) -> str:
    """Text content for XML: characters XML cannot hold removed, then &, <, > escaped."""
    return xml_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{_x(v).replace(chr(34), "&quot;")}"' for k, v in attrs.items())


def _el(indent: str, tag: str, text: str = "", **attrs: str) -> str:
    attr = _attrs({k.rstrip("_"): v for k, v in attrs.items()})
    return f"{indent}<{tag}{attr}>{_x(text)}</{tag}>" if text else f"{indent}<{tag}{attr} />"


def _summary(ev: SiteEvent, ctx: Ctx) -> str:
    parties = "、".join(ctx.parties(ev, "person") + ctx.parties(ev, "company"))
    head = f"{date_label(ev.date, ev.approximate)} · {type_label(ev.type)}" + (
        f" · {parties}" if parties else ""
    )
    quotes = [f"“{r.quote}”" for r in ev.sources if r.quote][:3]
    return "\n".join([head, *quotes, f"{len(ev.sources)} 个来源"])


def _entry(ev: SiteEvent, ctx: Ctx, feed_path: str) -> list[str]:
    """An event's <entry>: the same for every feed in the same folder (cached per render)."""
    folder = feed_path.rsplit("/", 1)[0] if "/" in feed_path else ""
    cache = ctx.__dict__.setdefault("_feed_entries", {})
    key = (ev.id, folder)
    if key not in cache:
        cache[key] = _entry_lines(ev, ctx, feed_path)
    return cache[key]


def _entry_lines(ev: SiteEvent, ctx: Ctx, feed_path: str) -> list[str]:
    return [
        " <entry>",
        _el("  ", "id", feed_id(f"event:{ev.id}")),
        _el("  ", "title", ev.title, type="text"),
        _el("  ", "link", rel="alternate", type="text/html", href=_href(ctx, event_ref(ev), feed_path)),
        _el("  ", "updated", entry_updated(ev, ctx)),
        _el("  ", "category", term=type_slug(ev.type), label=type_label(ev.type)),
        _el("  ", "summary", _summary(ev, ctx), type="text"),
        " </entry>",
    ]


def atom_feed(title: str, page: str, events: list[SiteEvent], ctx: Ctx, feed_path: str) -> str:
    """One Atom document; ``page`` is the docs path of the HTML page it mirrors.

    Written as text (every value escaped by ``_x``): much faster than ElementTree for
    thousands of feeds, same document.
    """
    self_href = absolute_url(ctx.site_url, feed_path) if ctx.site_url else feed_path.rsplit("/", 1)[-1]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="zh">',
        _el(" ", "id", feed_id(f"feed:{feed_path}")),
        _el(" ", "title", title, type="text"),
        _el(" ", "updated", max((entry_updated(ev, ctx) for ev in events), default=EPOCH)),
        _el(" ", "link", rel="self", type="application/atom+xml", href=self_href),
        _el(" ", "link", rel="alternate", type="text/html", href=_href(ctx, page, feed_path)),
        " <author>",
        _el("  ", "name", ctx.site_name),
        " </author>",
        _el(" ", "generator", "ai-timeline-builder"),
    ]
    for ev in events:
        lines += _entry(ev, ctx, feed_path)
    return "\n".join([*lines, "</feed>", ""])


def feed_pages(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """Docs path of each page with a feed -> (feed path, feed title)."""
    out = {"index.md": (SITE_FEED, ctx.site_name)}
    for kind, folder in KIND_DIRS.items():
        for name, slug in ctx.slugs[kind].items():
            out[f"{folder}/{slug}.md"] = (f"{folder}/{slug}.xml", f"{name} · {ctx.site_name}")
    for t in ctx.types():
        if any(ev.type == t for ev in ctx.visible):
            out[type_path(t)] = (f"types/{type_slug(t)}.xml", f"{type_label(t)} · {ctx.site_name}")
    return out


def _page_events(page: str, ctx: Ctx) -> list[SiteEvent]:
    if page == "index.md":
        return ctx.visible[:SITE_LIMIT]
    folder, slug = page.removesuffix(".md").split("/", 1)
    if folder == "types":
        return [ev for ev in ctx.visible if type_slug(ev.type) == slug][:FEED_LIMIT]
    kind = next(k for k, f in KIND_DIRS.items() if f == folder)
    name = ctx.names_by_slug(kind)[slug]
    return ctx.events_of(kind, name)[:FEED_LIMIT]


def feeds_for(pages: set[str], ctx: Ctx) -> dict[str, str]:
    """Feed path -> Atom XML for the feeds of the given pages (those that have one)."""
    out = {}
    for page, (path, title) in feed_pages(ctx).items():
        if page in pages:
            out[path] = atom_feed(title, page, _page_events(page, ctx), ctx, path)
    return out


def all_feeds(ctx: Ctx) -> dict[str, str]:
    """Feed path -> Atom XML, sorted by path."""
    out = {}
    for page, (path, title) in feed_pages(ctx).items():
        out[path] = atom_feed(title, page, _page_events(page, ctx), ctx, path)
    return dict(sorted(out.items()))
