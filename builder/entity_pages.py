"""Company and person pages: summary, funding (with a chart), career, moves, related, events."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.charts import Bar, bar_chart
from builder.htmlparts import RAW_MARK, esc, feed_link, link
from builder.markup import (
    CATEGORY_LABELS,
    KIND_DIRS,
    KIND_LABELS,
    LINK_LABELS,
    date_label,
    front,
    md_escape,
    safe_url,
)
from builder.profiles import (
    CURRENCY_UNITS,
    FundingRound,
    Move,
    format_money,
    funding_rounds,
    funding_totals,
    moves,
    related,
)
from builder.sitectx import Ctx, event_ref
from builder.sitedata import Entity, SiteEvent
from builder.timeline import entry_list

_WIKIDATA_ID = re.compile(r"^Q[0-9]+$")


def event_link(ev: SiteEvent, ctx: Ctx, page: str) -> str:
    return link(ctx.href(page, event_ref(ev)), ev.title)


def _name(ctx: Ctx, name: str, page: str, kinds: tuple[str, ...]) -> str:
    """A name linked to its entity page (first kind that has one), else plain text."""
    for kind in kinds:
        url = ctx.entity_href(kind, name, page)
        if url:
            return link(url, ctx.canon(kind, name))
    return esc(name)


def _external(url: str, text: str) -> str:
    return f'<a href="{esc(url)}" rel="nofollow noopener noreferrer">{esc(text)}</a>'


def _links(entity: Entity) -> list[str]:
    out = []
    for key, value in entity.links:
        if key == "wikidata" and _WIKIDATA_ID.match(value):
            value = f"https://www.wikidata.org/wiki/{value}"
        url = safe_url(value)
        if url:
            out.append(_external(url, LINK_LABELS.get(key, key)))
    return out


def _fact(label: str, value: str) -> str:
    return f"<li><strong>{label}</strong>：{value}</li>"


def _facts(entity: Entity, ctx: Ctx, page: str) -> list[str]:
    lines = []
    if entity.aliases:
        lines.append(_fact("别名", "、".join(map(esc, entity.aliases))))
    if entity.products:
        lines.append(_fact("产品", "、".join(map(esc, entity.products))))
    if entity.category:
        lines.append(_fact("类别", esc(CATEGORY_LABELS.get(entity.category, entity.category))))
    if entity.affiliations:
        items = [
            _name(ctx, n, page, ("company",)) + (f"（{esc(x)}）" if x else "") for n, x in entity.affiliations
        ]
        lines.append(_fact("任职", "、".join(items)))
    links = _links(entity)
    if links:
        lines.append(_fact("链接", " · ".join(links)))
    return ["<ul>", *lines, "</ul>"] if lines else []


# ---------------------------------------------------------------- companies


def _round_text(r: FundingRound) -> str:
    parts = [date_label(r.event.date, r.event.approximate)]
    parts += [esc(x) for x in (r.round, r.amount) if x]
    return " · ".join(parts)


def _funding_summary(rounds: list[FundingRound], ctx: Ctx, page: str) -> list[str]:
    totals = funding_totals(rounds)
    if totals:
        text = "；".join(f"{format_money(v, c)}（{n} 轮）" for c, v, n in totals)
    else:
        text = "未披露"
    last = rounds[-1]
    return [
        "<ul>",
        _fact("已披露融资总额", text),
        _fact("最近一轮", f"{_round_text(last)}（{event_link(last.event, ctx, page)}）"),
        _fact("融资事件", f"{len(rounds)} 个"),
        "</ul>",
    ]


def _funding_charts(rounds: list[FundingRound], slug: str) -> list[str]:
    """One bar chart per currency with at least two readable amounts."""
    lines = []
    for currency, _, count in funding_totals(rounds):
        if count < 2:
            continue
        bars = [
            Bar(r.event.date or "?", r.value or 0.0, format_money(r.value or 0.0, currency))
            for r in rounds
            if r.value is not None and r.currency == currency
        ]
        unit = CURRENCY_UNITS.get(currency, currency)
        title = f"各轮融资金额（{unit}）"
        svg = bar_chart(bars, title, f"chart-{slug}-{currency.lower()}")
        lines.append(f'<figure class="tl-chart">{svg}<figcaption>{esc(title)}</figcaption></figure>')
    return lines


def _table(head: list[str], rows: list[str]) -> list[str]:
    cells = "".join(f"<th>{h}</th>" for h in head)
    return [
        "<table data-search-exclude>",
        f"<thead><tr>{cells}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
    ]


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _funding_table(rounds: list[FundingRound], ctx: Ctx, page: str) -> list[str]:
    rows = [
        _row(
            date_label(r.event.date, r.event.approximate),
            esc(r.round) or "—",
            esc(r.amount) or "未披露",
            event_link(r.event, ctx, page),
        )
        for r in reversed(rounds)
    ]
    return _table(["日期", "轮次", "金额", "事件"], rows)


def _funding_section(name: str, slug: str, ctx: Ctx, page: str) -> list[str]:
    rounds = funding_rounds(name, ctx)
    if not rounds:
        return []
    lines = ['<h2 id="funding">融资</h2>', *_funding_summary(rounds, ctx, page)]
    return lines + _funding_charts(rounds, slug) + _funding_table(rounds, ctx, page)


def _company_move_row(move: Move, name: str, ctx: Ctx, page: str) -> str:
    person = _name(ctx, move.person, page, ("person",)) if move.person else "—"
    leaving = move.source == name
    other = move.dest if leaving else move.source
    direction = "离开，去往" if leaving else "加入，来自"
    shown = _name(ctx, other, page, ("company",)) if other else "—"
    when = date_label(move.event.date, move.event.approximate)
    return _row(when, person, direction, shown, event_link(move.event, ctx, page))


def _company_moves(name: str, ctx: Ctx, page: str) -> list[str]:
    rows = [_company_move_row(m, name, ctx, page) for m in reversed(moves("company", name, ctx))]
    if not rows:
        return []
    return ['<h2 id="moves">人才流动</h2>', *_table(["日期", "人物", "方向", "另一方", "事件"], rows)]


# ---------------------------------------------------------------- people


def _career_item(move: Move, ctx: Ctx, page: str) -> str:
    when = date_label(move.event.date, move.event.approximate)
    src = _name(ctx, move.source, page, ("company",)) if move.source else "？"
    dest = _name(ctx, move.dest, page, ("company",)) if move.dest else "？"
    role = f"（{esc(move.role)}）" if move.role else ""
    about = f'<span class="tl-career-event">{event_link(move.event, ctx, page)}</span>'
    return f"<li><strong>{when}</strong>：{src} → {dest}{role}<br>{about}</li>"


def _career(name: str, ctx: Ctx, page: str) -> list[str]:
    items = [_career_item(m, ctx, page) for m in moves("person", name, ctx)]
    if not items:
        return []
    return ['<h2 id="career">职业轨迹</h2>', '<div class="tl-career">', "<ol>", *items, "</ol>", "</div>"]


# ---------------------------------------------------------------- shared


def _related(kind: str, name: str, ctx: Ctx, page: str) -> list[str]:
    lines = []
    for other, label in (("person", "相关人物"), ("company", "相关公司")):
        items = related(kind, name, ctx)[other]
        if items:
            shown = [_name(ctx, n, page, (other,)) + (f"（{c}）" if c > 1 else "") for n, c in items]
            lines.append(_fact(label, "、".join(shown)))
    return ['<h2 id="related">相关</h2>', "<ul data-search-exclude>", *lines, "</ul>"] if lines else []


def _summary(kind: str, name: str, entity: Entity | None) -> str:
    label = KIND_LABELS[kind]
    if entity and entity.description:
        return f"{name}（{label}）：{entity.description}"
    return f"{name}（{label}）相关的融资、人事、诉讼等事件时间线。"


def entity_page(kind: str, name: str, ctx: Ctx) -> str:
    entity = ctx.entities[kind].get(name)
    slug = ctx.slugs[kind][name]
    page = f"{KIND_DIRS[kind]}/{slug}.md"
    lines = [*front(name, _summary(kind, name, entity)), f"# {md_escape(name)}", "", RAW_MARK]
    lines.append(
        f'<p><span class="entity-kind">{KIND_LABELS[kind]}</span> {feed_link(ctx.href(page, f"{KIND_DIRS[kind]}/{slug}.xml"))}</p>'
    )
    if entity is None:
        lines.append("<p>尚未收录到实体登记表。</p>")
    else:
        lines += _facts(entity, ctx, page)
        lines += [f"<p>{esc(entity.description)}</p>"] if entity.description else []
    if kind == "company":
        lines += _funding_section(name, slug, ctx, page) + _company_moves(name, ctx, page)
    else:
        lines += _career(name, ctx, page)
    lines += _related(kind, name, ctx, page)
    events = ctx.events_of(kind, name)
    lines.append(f'<h2 id="events">相关事件（{len(events)}）</h2>')
    lines += entry_list(events, ctx, page) if events else ["<p>暂无事件。</p>"]
    return "\n".join([*lines, ""])


def entity_index(kind: str, ctx: Ctx) -> str:
    label = KIND_LABELS[kind]
    slugs = ctx.slugs[kind]
    page = f"{KIND_DIRS[kind]}/index.md"
    second = "别名" if kind == "company" else "任职"
    unit = "家公司" if kind == "company" else "位人物"
    lines = [*front(label, f"本站收录的全部{label}及其事件数。"), f"# {label}", "", RAW_MARK]
    lines.append(f"<p>共 {len(slugs)} {unit}。</p>")
    rows = []
    for name in sorted(slugs, key=lambda n: (slugs[n], n)):
        entity = ctx.entities[kind].get(name)
        if entity is None:
            extra = ""
        elif kind == "company":
            extra = "、".join(map(esc, entity.aliases))
        else:
            extra = "、".join(esc(n) for n, _ in entity.affiliations)
        count = len(ctx.events_of(kind, name))
        rows.append(
            _row(link(ctx.href(page, f"{KIND_DIRS[kind]}/{slugs[name]}.md"), name), extra, str(count))
        )
    lines += _table([label, second, "事件数"], rows)
    return "\n".join([*lines, ""])


def entity_pages(ctx: Ctx) -> Iterator[tuple[str, str]]:
    for kind, folder in KIND_DIRS.items():
        yield f"{folder}/index.md", entity_index(kind, ctx)
        for name, slug in ctx.slugs[kind].items():
            yield f"{folder}/{slug}.md", entity_page(kind, name, ctx)
