"""Atom feeds: the whole site (newest 200 events) and one per company, person and type.

``all_feeds(ctx, site_name)`` maps output paths (``feed.xml``,
``companies/<slug>.xml`` ...) to Atom XML; ``feed_pages(ctx)`` maps each page
that has a feed to its feed path. XML is built with ElementTree (every string
escaped, characters XML cannot hold removed). Entry links are absolute when
the site has a ``site_url``, else relative to the feed file. Ids are
``urn:uuid``s derived from the event id, so they survive a move of the site.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from builder.markup import KIND_DIRS, date_label, type_label, type_slug, xml_text
from builder.sitectx import Ctx, absolute_url, event_path, page_url, type_path
from builder.sitedata import SiteEvent, date_parts

ATOM_NS = "http://www.w3.org/2005/Atom"
SITE_FEED = "feed.xml"
SITE_LIMIT = 200
EPOCH = "1970-01-01T00:00:00Z"
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ai-timeline-builder")


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
    """Link from a feed file to a page: absolute with site_url, else relative to the feed."""
    url = page_url(page, ctx.directory_urls)
    if ctx.site_url:
        return absolute_url(ctx.site_url, url)
    depth = feed_path.count("/")
    return "../" * depth + url if url or depth else "./"


def _add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_"): xml_text(v) for k, v in attrs.items()})
    if text:
        el.text = xml_text(text)
    return el


def _summary(ev: SiteEvent, ctx: Ctx) -> str:
    parties = "、".join(ctx.parties(ev, "person") + ctx.parties(ev, "company"))
    head = f"{date_label(ev.date, ev.approximate)} · {type_label(ev.type)}" + (
        f" · {parties}" if parties else ""
    )
    quotes = [f"“{r.quote}”" for r in ev.sources if r.quote][:3]
    return "\n".join([head, *quotes, f"{len(ev.sources)} 个来源"])


def _entry(feed: ET.Element, ev: SiteEvent, ctx: Ctx, feed_path: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", feed_id(f"event:{ev.id}"))
    _add(entry, "title", ev.title, type="text")
    _add(entry, "link", rel="alternate", type="text/html", href=_href(ctx, event_path(ev), feed_path))
    _add(entry, "updated", entry_updated(ev, ctx))
    _add(entry, "category", term=type_slug(ev.type), label=type_label(ev.type))
    _add(entry, "summary", _summary(ev, ctx), type="text")


def atom_feed(title: str, page: str, events: list[SiteEvent], ctx: Ctx, feed_path: str) -> str:
    """One Atom document; ``page`` is the docs path of the HTML page it mirrors."""
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "zh"})
    _add(feed, "id", feed_id(f"feed:{feed_path}"))
    _add(feed, "title", title, type="text")
    _add(feed, "updated", max((entry_updated(ev, ctx) for ev in events), default=EPOCH))
    self_href = absolute_url(ctx.site_url, feed_path) if ctx.site_url else feed_path.rsplit("/", 1)[-1]
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_href)
    _add(feed, "link", rel="alternate", type="text/html", href=_href(ctx, page, feed_path))
    _add(_add(feed, "author"), "name", ctx.site_name)
    _add(feed, "generator", "ai-timeline-builder")
    for ev in events:
        _entry(feed, ev, ctx, feed_path)
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


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
        return [ev for ev in ctx.visible if type_slug(ev.type) == slug]
    kind = next(k for k, f in KIND_DIRS.items() if f == folder)
    name = next(n for n, s in ctx.slugs[kind].items() if s == slug)
    return ctx.events_of(kind, name)


def all_feeds(ctx: Ctx) -> dict[str, str]:
    """Feed path -> Atom XML, sorted by path."""
    out = {}
    for page, (path, title) in feed_pages(ctx).items():
        out[path] = atom_feed(title, page, _page_events(page, ctx), ctx, path)
    return dict(sorted(out.items()))
