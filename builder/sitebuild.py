"""Everything the MkDocs hooks add to a build, from one render context.

``build_site(data, ...)`` returns the generated Markdown pages, the generated
non-Markdown files (Atom feeds, events.json, events.csv) and, per page, the
HTML to put in its ``<head>`` (feed ``<link rel="alternate">`` and, on event
pages, the schema.org JSON-LD).
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field

from builder.exports import events_csv, events_json, jsonld_script
from builder.feeds import all_feeds, feed_pages
from builder.pages import pages_for
from builder.sitectx import SITE_NAME, Ctx, build_ctx, event_path, page_url
from builder.sitedata import SiteData


@dataclass(frozen=True)
class SiteOutput:
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown
    files: dict[str, str] = field(default_factory=dict)  # output path -> text (feeds, exports)
    head: dict[str, str] = field(default_factory=dict)  # docs path -> HTML for <head>


def relative_href(target: str, page: str, directory_urls: bool = True) -> str:
    """Href from a page (docs path) to a site file ('feed.xml'), relative."""
    url = page_url(page, directory_urls)
    folder = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
    return posixpath.relpath(target, folder or ".")


def _head(ctx: Ctx) -> dict[str, str]:
    head: dict[str, list[str]] = {}
    for page, (feed, title) in feed_pages(ctx).items():
        href = html.escape(relative_href(feed, page, ctx.directory_urls), quote=True)
        link = f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title, quote=True)}" href="{href}">'
        head.setdefault(page, []).append(link)
    for ev in ctx.visible:
        head.setdefault(event_path(ev), []).append(jsonld_script(ev, ctx))
    return {page: "\n".join(parts) for page, parts in sorted(head.items())}


def build_site(
    data: SiteData, site_url: str = "", use_directory_urls: bool = True, site_name: str = SITE_NAME
) -> SiteOutput:
    ctx = build_ctx(data, site_url, use_directory_urls, site_name)
    files = {**all_feeds(ctx), "events.json": events_json(data), "events.csv": events_csv(data, ctx)}
    return SiteOutput(pages=pages_for(ctx), files=dict(sorted(files.items())), head=_head(ctx))
