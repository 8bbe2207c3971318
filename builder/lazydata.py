"""The JSON files ``docs/assets/timeline.js`` loads lazily to filter the whole timeline.

- ``timeline/data/<year>.json`` (and ``undated.json``): that year's visible
  events, newest first, one array per event::

      [id, date, date label, type slug, title, month page URL, [person slugs],
       [company slugs], number of sources, reported (0/1), source date wording]

  URLs are site-relative (``timeline/2024/08/``); the script adds ``#id``.
- ``timeline/data/entities.json``: ``{"person"|"company": {slug: [name, page URL, alias…]}}``
  for the filter menus, party links and free-text search over aliases;
  ``"types": {slug: label}``.

Strings are data for ``textContent``, never HTML; the JSON is written with
``ensure_ascii=False`` and sorted, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from builder.markup import KIND_DIRS, date_label, type_label, type_slug
from builder.sitectx import UNDATED, Ctx, event_path, page_url
from builder.sitedata import SiteEvent, year_of

DATA_DIR = "timeline/data"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _record(ev: SiteEvent, ctx: Ctx) -> list[Any]:
    slugs = ctx.slugs
    return [
        ev.slug,
        ev.date or "",
        date_label(ev.date, ev.approximate),
        type_slug(ev.type),
        ev.title,
        page_url(event_path(ev), ctx.directory_urls),
        [slugs["person"][n] for n in ctx.parties(ev, "person") if n in slugs["person"]],
        [slugs["company"][n] for n in ctx.parties(ev, "company") if n in slugs["company"]],
        len(ev.sources),
        1 if ev.status == "reported" else 0,
        ev.date_text,
    ]


def year_key(ev: SiteEvent) -> str:
    year = year_of(ev)
    return UNDATED if year is None else str(year)


def year_files(ctx: Ctx, only: set[str] | None = None) -> dict[str, str]:
    """Output path -> JSON text, one file per year with events (or only the years in ``only``)."""
    groups: dict[str, list[list[Any]]] = {}
    for ev in ctx.visible:  # newest first
        key = year_key(ev)
        if only is None or key in only:
            groups.setdefault(key, []).append(_record(ev, ctx))
    return {f"{DATA_DIR}/{key}.json": _dump(records) for key, records in sorted(groups.items())}


def entities_file(ctx: Ctx) -> dict[str, str]:
    out: dict[str, Any] = {"types": {type_slug(t): type_label(t) for t in ctx.types()}}
    for kind, folder in KIND_DIRS.items():
        table = {}
        for name, slug in ctx.slugs[kind].items():
            entity = ctx.entities[kind].get(name)
            aliases = list(entity.aliases) if entity else []
            table[slug] = [name, page_url(f"{folder}/{slug}.md", ctx.directory_urls), *aliases]
        out[kind] = table
    return {f"{DATA_DIR}/entities.json": _dump(out)}


def data_files(ctx: Ctx) -> dict[str, str]:
    return {**year_files(ctx), **entities_file(ctx)}
