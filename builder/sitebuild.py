"""Everything the MkDocs hooks add to a build, from one render context.

``build_site(data, ...)`` returns the generated Markdown pages, the generated
non-Markdown files (Atom feeds, events.json, events.csv, the JSON files
``timeline.js`` loads lazily, and ``events/<id>/`` redirect files: each
event's short permalink, also the old event-page URL) and, per page, the
HTML to put in its ``<head>`` (feed ``<link rel="alternate">`` and, on month
pages, the schema.org JSON-LD of their events).
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field

from builder.exports import events_csv, events_json, month_jsonld_script
from builder.feeds import all_feeds, feed_pages
from builder.htmlparts import esc
from builder.lazydata import data_files
from builder.months import event_description, month_events, redirect_target
from builder.pages import pages_for
from builder.sitectx import SITE_NAME, Ctx, build_ctx, event_ref, href, month_path, page_url, stub_path
from builder.sitedata import SiteData, SiteEvent


@dataclass(frozen=True)
class SiteOutput:
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown
    files: dict[str, str] = field(default_factory=dict)  # output path -> text (feeds, exports)
    head: dict[str, str] = field(default_factory=dict)  # docs path -> HTML for <head>
    ctx: Ctx | None = field(default=None, compare=False, repr=False)  # the render context (serve mode)


def relative_href(target: str, page: str, directory_urls: bool = True) -> str:
    """Href from a page (docs path) to a site file ('feed.xml'), relative."""
    url = page_url(page, directory_urls)
    folder = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
    return posixpath.relpath(target, folder or ".")


def _head(ctx: Ctx, months: set[str] | None = None) -> dict[str, str]:
    """Docs path -> <head> HTML; with ``months``, only the JSON-LD of those month pages."""
    head: dict[str, list[str]] = {}
    if months is None:
        for page, (feed, title) in feed_pages(ctx).items():
            href = html.escape(relative_href(feed, page, ctx.directory_urls), quote=True)
            link = f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title, quote=True)}" href="{href}">'
            head.setdefault(page, []).append(link)
    for key, (events, _) in month_events(ctx).items():
        if events and (months is None or key in months):
            head.setdefault(month_path(key), []).append(month_jsonld_script(events, ctx))
    return {page: "\n".join(parts) for page, parts in sorted(head.items())}


def _redirect_file(ev: SiteEvent, ctx: Ctx) -> str:
    """A tiny HTML page at events/<id>/ that forwards to the event's anchor on its month page."""
    target = redirect_target(ev, ctx) if ev.redirect_to else ev
    path = stub_path(ev, ctx.directory_urls)
    page = path.removesuffix("/index.html") + "/index.md" if ctx.directory_urls else path[:-5] + ".md"
    if target is None:
        url, title, about = (
            href(page, "index.md", ctx.directory_urls),
            ev.title,
            "本条目已合并，目标事件已不存在。",
        )
    else:
        url, title = href(page, event_ref(target), ctx.directory_urls), target.title
        about = event_description(target, ctx)
    canonical = (
        f'\n<link rel="canonical" href="{esc(ctx.url(event_ref(target)))}">'
        if target and ctx.site_url
        else ""
    )
    return (
        '<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{esc(about[:300])}">\n'
        '<meta name="robots" content="noindex">'
        f"{canonical}\n"
        f'<meta http-equiv="refresh" content="0; url={esc(url)}">\n'
        "</head>\n<body>\n"
        f'<p>本事件在：<a href="{esc(url)}">{esc(title)}</a></p>\n'
        "</body>\n</html>\n"
    )


def redirect_files(ctx: Ctx) -> dict[str, str]:
    return {stub_path(ev, ctx.directory_urls): _redirect_file(ev, ctx) for ev in ctx.data.events}


def build_site(
    data: SiteData, site_url: str = "", use_directory_urls: bool = True, site_name: str = SITE_NAME
) -> SiteOutput:
    ctx = build_ctx(data, site_url, use_directory_urls, site_name)
    files = {**all_feeds(ctx), "events.json": events_json(data), "events.csv": events_csv(data, ctx)}
    files |= data_files(ctx) | redirect_files(ctx)
    return SiteOutput(pages=pages_for(ctx), files=dict(sorted(files.items())), head=_head(ctx), ctx=ctx)
