"""The visual timeline: entries grouped by year and month, a jump bar, filters.

Each entry is an ``<li class="tl-entry">`` (Markdown inside, via md_in_html)
carrying what ``docs/assets/timeline.js`` filters on: ``data-type``,
``data-year``, ``data-people`` / ``data-companies`` (JSON lists of page
slugs) and ``data-terms`` (JSON list of party names and aliases, for
free-text search).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby

from builder.markup import KIND_DIRS, attr_escape, date_label, md_escape, type_badge, type_label, type_slug
from builder.sitectx import Ctx, event_path
from builder.sitedata import SiteEvent, month_of, newest_first, year_of

UNDATED_ID = "undated"


def status_badge(ev: SiteEvent) -> str:
    return ' <span class="tl-status">传闻</span>' if ev.status == "reported" else ""


def date_html(ev: SiteEvent) -> str:
    """<time> with the label as the data supports it; the source wording as tooltip."""
    label = date_label(ev.date, ev.approximate)
    if not ev.date:
        return f'<span class="tl-date">{label}</span>'
    tip = f' title="{attr_escape("原文：" + ev.date_text)}"' if ev.date_text else ""
    return f'<time class="tl-date" datetime="{ev.date}"{tip}>{label}</time>'


def party_links(ev: SiteEvent, ctx: Ctx, base: str) -> list[str]:
    links = []
    for kind in ("person", "company"):
        links += [ctx.entity_link(kind, n, base) or md_escape(n) for n in ctx.parties(ev, kind)]
    return links


def json_attr(value: object) -> str:
    """JSON for a data attribute of an md_in_html element: ASCII only, no '&', '<', '>'.

    Python-Markdown re-serialises such attributes and leaves anything that looks
    like an entity alone, so a value must not contain '&' at all to come out exact.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _slugs(ev: SiteEvent, ctx: Ctx, kind: str) -> list[str]:
    return [ctx.slugs[kind][n] for n in ctx.parties(ev, kind) if n in ctx.slugs[kind]]


def _terms(ev: SiteEvent, ctx: Ctx) -> list[str]:
    """Names and aliases of the parties, the type label and the date wording, for free-text search."""
    words = [type_label(ev.type), ev.date_text]
    for kind in KIND_DIRS:
        for name in ctx.parties(ev, kind):
            entity = ctx.entities[kind].get(name)
            words += [name, *(entity.aliases if entity else ())]
    return [w for w in words if w]


def entry_attrs(ev: SiteEvent, ctx: Ctx) -> str:
    """data-* attributes for timeline.js (slugs and years are [a-z0-9-]; text goes in as JSON)."""
    year = year_of(ev)
    attrs = {
        "data-type": type_slug(ev.type),
        "data-year": "" if year is None else str(year),
        "data-people": json_attr(_slugs(ev, ctx, "person")),
        "data-companies": json_attr(_slugs(ev, ctx, "company")),
        "data-terms": json_attr(_terms(ev, ctx)),
    }
    return " ".join(f'{k}="{attr_escape(v)}"' for k, v in attrs.items())


def timeline_entry(ev: SiteEvent, ctx: Ctx, base: str) -> str:
    """One entry: date, badge (icon + label), linked title, linked parties, source count."""
    parts = [
        date_html(ev),
        type_badge(ev.type) + status_badge(ev),
        f'<span class="tl-title">[{md_escape(ev.title)}]({base}{event_path(ev)})</span>',
    ]
    parties = party_links(ev, ctx, base)
    if parties:
        parts.append(f'<span class="tl-parties">{"、".join(parties)}</span>')
    parts.append(f'<span class="tl-count">{len(ev.sources)} 个来源</span>')
    head = f'<li class="tl-entry tl-entry--{type_slug(ev.type)}" {entry_attrs(ev, ctx)} markdown="span">'
    return "\n".join([head, " ".join(parts), "</li>"])


def entry_list(
    events: Iterable[SiteEvent], ctx: Ctx, base: str, group: str = "", year: str = ""
) -> list[str]:
    """A timeline list; ``group`` is the id of the heading it belongs under."""
    extra = f' data-group="{group}" data-year="{year}"' if group else ""
    entries = [timeline_entry(ev, ctx, base) for ev in events]
    return ["", f'<ol class="tl-list"{extra} markdown>', *entries, "</ol>", ""]


def _month_id(year: int, month: int | None) -> str:
    return f"m{year}-{month or 0:02d}"


def _month_heading(year: int, month: int | None, level: str) -> str:
    label = f"{year}年{month}月" if month else f"{year}年（月份不详）"
    return f"{level} {label} {{#{_month_id(year, month)}}}"


def _groups(events: list[SiteEvent]) -> list[tuple[int | None, list[tuple[int | None, list[SiteEvent]]]]]:
    """[(year, [(month, events)])], newest first; undated last as year None."""
    out = []
    for year, in_year in groupby(newest_first(events), key=year_of):
        months = [(m, list(evs)) for m, evs in groupby(in_year, key=month_of)]
        out.append((year, months))
    return out


def grouped_timeline(
    events: list[SiteEvent], ctx: Ctx, base: str, *, year_headings: bool = True
) -> list[str]:
    """Year (##) and month (###) sections, newest first; undated last."""
    lines: list[str] = []
    level = "###" if year_headings else "##"
    for year, months in _groups(events):
        if year is None:
            lines += ["## 日期不详 {#undated}", *entry_list(months[0][1], ctx, base, UNDATED_ID)]
            continue
        if year_headings:
            lines += [f"## {year}年 {{#y{year}}}", ""]
        for month, in_month in months:
            group = _month_id(year, month)
            lines += [_month_heading(year, month, level), *entry_list(in_month, ctx, base, group, str(year))]
    return lines or ["暂无事件。", ""]


def jump_bar(events: list[SiteEvent], *, year_headings: bool = True) -> list[str]:
    """Links to every year and month section at the top of a timeline."""
    rows = []
    for year, months in _groups(events):
        if year is None:
            rows.append(f'<li data-target="{UNDATED_ID}"><a href="#{UNDATED_ID}">日期不详</a></li>')
            continue
        if year_headings:
            links = [f'<a class="tl-jump-year" href="#y{year}" data-target="y{year}">{year}年</a>']
        else:
            links = [f'<span class="tl-jump-year">{year}年</span>']
        for month, _ in months:
            mid = _month_id(year, month)
            links.append(f'<a href="#{mid}" data-target="{mid}">{f"{month}月" if month else "月份不详"}</a>')
        rows.append(f"<li>{' '.join(links)}</li>")
    if not rows:
        return []
    return [
        '<nav class="tl-jump" aria-label="按年月跳转" data-search-exclude>',
        "<ul>",
        *rows,
        "</ul>",
        "</nav>",
        "",
    ]


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{attr_escape(v)}">{md_escape(t)}</option>' for v, t in options)
    return (
        f'<label class="tl-field"><span>{label}</span>'
        f'<select name="{name}"><option value="">全部</option>{opts}</select></label>'
    )


def _entity_options(ctx: Ctx, kind: str) -> list[tuple[str, str]]:
    slugs = ctx.slugs[kind]
    return [(slugs[n], n) for n in sorted(slugs, key=lambda n: (slugs[n], n))]


def filter_form(ctx: Ctx) -> list[str]:
    """The filter bar (hidden until timeline.js shows it: useless without script)."""
    years = [(str(y), f"{y}年") for y in ctx.years()]
    types = [(type_slug(t), type_label(t)) for t in ctx.types() if any(e.type == t for e in ctx.visible)]
    fields = [
        _select("type", "类型", types),
        _select("company", "公司", _entity_options(ctx, "company")),
        _select("person", "人物", _entity_options(ctx, "person")),
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
        "",
    ]
