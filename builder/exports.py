"""Data exports: ``events.json``, ``events.csv`` and schema.org JSON-LD per event.

- ``events.json``: every non-rejected event as its YAML mapping (without the
  builder's ``fingerprint``), sorted by id, keys in file order, one per line;
- ``events.csv``: one row per event, lists joined with '; ' (UTF-8 with BOM
  so spreadsheet programs read the Chinese text; cells that a spreadsheet
  would run as a formula get a leading apostrophe);
- ``event_jsonld``: a ``schema.org/Event`` for a ``<script type="application/ld+json">``,
  with ``<``, ``>`` and ``&`` as ``\\u003c``-style escapes so no string can end the script.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Any

from builder.markup import DETAIL_LABELS, safe_url, type_label
from builder.sitectx import Ctx, event_ref
from builder.sitedata import EXPORT_HIDDEN, SiteData, SiteEvent

HIDDEN_KEYS = EXPORT_HIDDEN
CSV_COLUMNS = (
    "id", "type", "status", "date", "date_approximate", "date_text", "title", "people", "companies",
    *DETAIL_LABELS, "other_dates", "note", "reviewed", "redirect_to", "sources", "url",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _fields_record(ev: SiteEvent) -> dict[str, Any]:
    """The mapping rebuilt from the parsed fields (for events made in code, without YAML)."""
    record: dict[str, Any] = {"id": ev.id, "type": ev.type, "status": ev.status, "date": ev.date}
    optional = {"date_text": ev.date_text, "date_approximate": ev.approximate or None, "title": ev.title}
    record |= {k: v for k, v in optional.items() if v}
    record |= {"people": list(ev.people), "companies": list(ev.companies)}
    record |= {k: list(v) if k == "investors" else "、".join(v) for k, v in ev.details}
    extra = {"other_dates": list(ev.other_dates), "note": ev.note, "redirect_to": ev.redirect_to}
    record |= {k: v for k, v in extra.items() if v}
    record["sources"] = [{k: v for k, v in vars(ref).items() if v} for ref in ev.sources]
    return record


def event_record(ev: SiteEvent) -> dict[str, Any]:
    """The event's YAML mapping as plain JSON data, minus builder bookkeeping."""
    raw = json.loads(ev.raw)
    if not raw:
        return _fields_record(ev)
    return {k: v for k, v in raw.items() if k not in HIDDEN_KEYS}


def events_json(data: SiteData) -> str:
    """A JSON list, one event per line (the YAML mapping as loaded; events made in code: their fields)."""
    records = [
        ev.raw if ev.raw != "{}" else json.dumps(_fields_record(ev), ensure_ascii=False)
        for ev in sorted(data.events, key=lambda e: e.id)
    ]
    return ("[\n" + ",\n".join(records) + "\n]\n") if records else "[]\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _sources_cell(record: dict[str, Any]) -> str:
    refs = record.get("sources") or []
    parts = [f"{r.get('article', '')}#{r.get('anchor', '')}" for r in refs if isinstance(r, dict)]
    return _cell(parts)


@functools.lru_cache(maxsize=1 << 16)
def _csv_cells(ev: SiteEvent, raw: str, url: str) -> tuple[str, ...]:
    record = event_record(ev)
    row = {**{k: _cell(record.get(k)) for k in CSV_COLUMNS}, "sources": _sources_cell(record), "url": url}
    return tuple(row[k] for k in CSV_COLUMNS)


def events_csv(data: SiteData, ctx: Ctx) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    events = sorted(data.events, key=lambda e: e.id)
    writer.writerows(_csv_cells(ev, ev.raw, ctx.url(event_ref(ev))) for ev in events)
    return "\ufeff" + out.getvalue()


# ---------------------------------------------------------------- JSON-LD


def script_json(obj: Any) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' appears literally."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    for char, escape in _SCRIPT_ESCAPES.items():  # str.replace: far faster than translate on CJK text
        if char in text:
            text = text.replace(char, escape)
    return text


def _url(ctx: Ctx, path: str) -> str | None:
    return ctx.url(path) if ctx.site_url else None


def _thing(kind: str, name: str, ctx: Ctx) -> dict[str, Any]:
    thing: dict[str, Any] = {"@type": "Person" if kind == "person" else "Organization", "name": name}
    path = ctx.entity_path(kind, name)
    url = _url(ctx, path) if path else None
    return {**thing, "url": url} if url else thing


def _citations(ev: SiteEvent, ctx: Ctx) -> list[dict[str, Any]]:
    out = []
    for stem in dict.fromkeys(ref.article for ref in ev.sources):
        article = ctx.articles.get(stem)
        if article is None:
            continue
        item: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title or article.stem}
        if safe_url(article.url):
            item["url"] = article.url
        if article.published:
            item["datePublished"] = article.published
        if article.source:
            item["publisher"] = {"@type": "Organization", "name": article.source}
        out.append(item)
    return out


def event_jsonld(ev: SiteEvent, ctx: Ctx) -> dict[str, Any]:
    """schema.org/Event describing one timeline event."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "identifier": ev.id,
        "name": ev.title,
        "keywords": type_label(ev.type),
        "about": [_thing(k, n, ctx) for k in ("person", "company") for n in ctx.parties(ev, k)],
    }
    if ev.date:
        doc["startDate"] = ev.date
    if ev.sources and ev.sources[0].quote:
        doc["description"] = ev.sources[0].quote
    url = _url(ctx, event_ref(ev))
    if url:
        doc["url"] = url
    citations = _citations(ev, ctx)
    if citations:
        doc["subjectOf"] = citations
    return doc


def jsonld_script(ev: SiteEvent, ctx: Ctx) -> str:
    return f'<script type="application/ld+json">{script_json(event_jsonld(ev, ctx))}</script>'


def month_jsonld_script(events: list[SiteEvent], ctx: Ctx) -> str:
    """One JSON-LD block for a month page: its events as a schema.org ``@graph``."""
    graph = [{k: v for k, v in event_jsonld(ev, ctx).items() if k != "@context"} for ev in events]
    doc = {"@context": "https://schema.org", "@graph": graph}
    return f'<script type="application/ld+json">{script_json(doc)}</script>'
