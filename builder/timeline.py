"""The visual timeline: compact entries grouped by month, the jump bar, the filter form.

Entries are raw HTML (``<li class="tl-entry">``): date, type badge, linked
title (to the event's anchor on its month page), linked parties, source
count. ``docs/assets/timeline.js`` renders the same markup from the per-year
JSON files (``sitedata_js``) when a filter is active; without JavaScript the
server-rendered lists and the month pages are the whole site.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from builder.htmlparts import badge, esc, link
from builder.markup import date_label, type_label, type_slug
from builder.sitectx import UNDATED, Ctx, event_ref, month_key, month_path
from builder.sitedata import SiteEvent, newest_first

UNDATED_ID = "undated"


def status_badge(ev: SiteEvent) -> str:
    return ' <span class="tl-status">传闻</span>' if ev.status == "reported" else ""


def date_html(ev: SiteEvent) -> str:
    """<time> with the label as the data supports it; the source wording as tooltip."""
    label = date_label(ev.date, ev.approximate)
    if not ev.date:
        return f'<span class="tl-date">{label}</span>'
    tip = f' title="{esc("原文：" + ev.date_text)}"' if ev.date_text else ""
    return f'<time class="tl-date" datetime="{ev.date}"{tip}>{label}</time>'


def party_links(ev: SiteEvent, ctx: Ctx, page: str) -> list[str]:
    links = []
    for kind in ("person", "company"):
        for name in ctx.parties(ev, kind):
            url = ctx.entity_href(kind, name, page)
            links.append(link(url, name) if url else esc(name))
    return links


def timeline_entry(ev: SiteEvent, ctx: Ctx, page: str) -> str:
    """One entry: date, badge (icon + label), linked title, linked parties, source count."""
    parts = [
        date_html(ev),
        badge(ev.type) + status_badge(ev),
        f'<span class="tl-title">{link(ctx.href(page, event_ref(ev)), ev.title)}</span>',
    ]
    parties = party_links(ev, ctx, page)
    if parties:
        parts.append(f'<span class="tl-parties">{"、".join(parties)}</span>')
    parts.append(f'<span class="tl-count">{len(ev.sources)} 个来源</span>')
    return f'<li class="tl-entry tl-entry--{esc(type_slug(ev.type))}">{" ".join(parts)}</li>'


def entry_list(events: Iterable[SiteEvent], ctx: Ctx, page: str) -> list[str]:
    """A timeline list (raw HTML; excluded from search: the month pages are indexed)."""
    return [
        '<ol class="tl-list" data-search-exclude>',
        *(timeline_entry(ev, ctx, page) for ev in events),
        "</ol>",
    ]


def month_label(key: str) -> str:
    if key == UNDATED:
        return "日期不详"
    year, month = key.split("/")
    return f"{int(year)}年{int(month)}月" if month != "00" else f"{int(year)}年（月份不详）"


def month_id(key: str) -> str:
    return UNDATED_ID if key == UNDATED else "m" + key.replace("/", "-")


def months(events: Iterable[SiteEvent]) -> list[tuple[str, list[SiteEvent]]]:
    """[(month key, events newest first)], newest month first; undated last."""
    return [(k, list(evs)) for k, evs in groupby(newest_first(events), key=month_key)]


def grouped_timeline(events: list[SiteEvent], ctx: Ctx, page: str, level: int = 2) -> list[str]:
    """Month sections (<hN id="m2024-08">, linked to the month page), newest first."""
    lines: list[str] = []
    for key, in_month in months(events):
        more = link(ctx.href(page, month_path(key)), "本月全部")
        lines += [
            f'<h{level} id="{month_id(key)}" class="tl-month-head">{month_label(key)}'
            f' <small class="tl-more">{more}</small></h{level}>',
            *entry_list(in_month, ctx, page),
        ]
    return lines or ["<p>暂无事件。</p>"]


def jump_bar(ctx: Ctx, page: str, keys: list[str]) -> list[str]:
    """Links to every month page, one row per year (newest first)."""
    rows = []
    for year, in_year in groupby(keys, key=lambda k: k.split("/")[0]):
        if year == UNDATED:
            rows.append(f"<li>{link(ctx.href(page, month_path(UNDATED)), '日期不详')}</li>")
            continue
        if int(year) in ctx.years():
            links = [link(ctx.href(page, f"years/{year}.md"), f"{year}年", "tl-jump-year")]
        else:  # only merged stubs that year: no year page
            links = [f'<span class="tl-jump-year">{year}年</span>']
        for key in in_year:
            month = key.split("/")[1]
            links.append(
                link(ctx.href(page, month_path(key)), f"{int(month)}月" if month != "00" else "月份不详")
            )
        rows.append(f"<li>{' '.join(links)}</li>")
    if not rows:
        return []
    return [
        '<nav class="tl-jump" aria-label="按年月浏览" data-search-exclude>',
        "<ul>",
        *rows,
        "</ul>",
        "</nav>",
    ]


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in options)
    return (
        f'<label class="tl-field"><span>{label}</span>'
        f'<select name="{name}"><option value="">全部</option>{opts}</select></label>'
    )


def filter_form(ctx: Ctx) -> list[str]:
    """The filter bar (hidden until timeline.js has the data: useless without script).

    Company and person options come from ``timeline/data/entities.json``.
    """
    years = [(str(y), f"{y}年") for y in ctx.years()]
    types = [(type_slug(t), type_label(t)) for t in ctx.types() if any(e.type == t for e in ctx.visible)]
    fields = [
        _select("type", "类型", types),
        _select("company", "公司", []),
        _select("person", "人物", []),
        _select("from", "起始年份", years[::-1]),
        _select("to", "截止年份", years),
        '<label class="tl-field tl-field--text"><span>关键词</span>'
        '<input type="search" name="q" autocomplete="off" placeholder="标题、人物、公司、别名"></label>',
        '<button type="reset" class="md-button">清除筛选</button>',
    ]
    return [
        '<form class="tl-filters" id="tl-filters" role="search" aria-label="筛选事件" data-search-exclude hidden>',
        *fields,
        '<p class="tl-filter-status" role="status" aria-live="polite"></p>',
        "</form>",
    ]


def icon_template(ctx: Ctx) -> list[str]:
    """One badge per type for timeline.js to clone (a <template> is never shown)."""
    badges = "".join(badge(t) for t in ctx.types())
    return [f'<template id="tl-badges">{badges}</template>']
