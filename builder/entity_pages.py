"""Company and person pages: summary, funding (with a chart), career, moves, related, events."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.charts import Bar, bar_chart
from builder.markup import (
    CATEGORY_LABELS,
    KIND_DIRS,
    KIND_LABELS,
    LINK_LABELS,
    date_label,
    external_link,
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
from builder.sitectx import Ctx, event_path
from builder.sitedata import Entity, SiteEvent
from builder.timeline import entry_list

_WIKIDATA_ID = re.compile(r"^Q[0-9]+$")
BASE = "../"


def event_link(ev: SiteEvent, base: str = BASE) -> str:
    return f"[{md_escape(ev.title)}]({base}{event_path(ev)})"


def _links(entity: Entity) -> list[str]:
    out = []
    for key, value in entity.links:
        if key == "wikidata" and _WIKIDATA_ID.match(value):
            value = f"https://www.wikidata.org/wiki/{value}"
        url = safe_url(value)
        if url:
            out.append(external_link(url, LINK_LABELS.get(key, key)))
    return out


def _facts(entity: Entity, ctx: Ctx) -> list[str]:
    lines = []
    if entity.aliases:
        lines.append(f"- **别名**：{'、'.join(map(md_escape, entity.aliases))}")
    if entity.products:
        lines.append(f"- **产品**：{'、'.join(map(md_escape, entity.products))}")
    if entity.category:
        lines.append(f"- **类别**：{md_escape(CATEGORY_LABELS.get(entity.category, entity.category))}")
    if entity.affiliations:
        items = [
            ctx.name_link(n, BASE, ("company",)) + (f"（{md_escape(x)}）" if x else "")
            for n, x in entity.affiliations
        ]
        lines.append(f"- **任职**：{'、'.join(items)}")
    links = _links(entity)
    if links:
        lines.append(f"- **链接**：{' · '.join(links)}")
    return lines


# ---------------------------------------------------------------- companies


def _round_text(r: FundingRound) -> str:
    parts = [date_label(r.event.date, r.event.approximate)]
    parts += [md_escape(x) for x in (r.round, r.amount) if x]
    return " · ".join(parts)


def _funding_summary(rounds: list[FundingRound]) -> list[str]:
    totals = funding_totals(rounds)
    if totals:
        text = "；".join(f"{format_money(v, c)}（{n} 轮）" for c, v, n in totals)
    else:
        text = "未披露"
    last = rounds[-1]
    return [
        f"- **已披露融资总额**：{text}",
        f"- **最近一轮**：{_round_text(last)}（{event_link(last.event)}）",
        f"- **融资事件**：{len(rounds)} 个",
        "",
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
        lines += [f'<figure class="tl-chart">{svg}<figcaption>{title}</figcaption></figure>', ""]
    return lines


def _funding_table(rounds: list[FundingRound]) -> list[str]:
    lines = ["| 日期 | 轮次 | 金额 | 事件 |", "| --- | --- | --- | --- |"]
    for r in reversed(rounds):
        when = date_label(r.event.date, r.event.approximate)
        lines.append(
            f"| {when} | {md_escape(r.round) or '—'} | {md_escape(r.amount) or '未披露'} | {event_link(r.event)} |"
        )
    return [*lines, ""]


def _funding_section(name: str, slug: str, ctx: Ctx) -> list[str]:
    rounds = funding_rounds(name, ctx)
    if not rounds:
        return []
    lines = ["## 融资 {#funding}", "", *_funding_summary(rounds)]
    return lines + _funding_charts(rounds, slug) + _funding_table(rounds)


def _company_move_row(move: Move, name: str, ctx: Ctx) -> str:
    person = ctx.name_link(move.person, BASE, ("person",)) if move.person else "—"
    leaving = move.source == name
    other = move.dest if leaving else move.source
    direction = "离开，去往" if leaving else "加入，来自"
    shown = ctx.name_link(other, BASE, ("company",)) if other else "—"
    when = date_label(move.event.date, move.event.approximate)
    return f"| {when} | {person} | {direction} | {shown} | {event_link(move.event)} |"


def _company_moves(name: str, ctx: Ctx) -> list[str]:
    rows = [_company_move_row(m, name, ctx) for m in reversed(moves("company", name, ctx))]
    if not rows:
        return []
    head = [
        "## 人才流动 {#moves}",
        "",
        "| 日期 | 人物 | 方向 | 另一方 | 事件 |",
        "| --- | --- | --- | --- | --- |",
    ]
    return [*head, *rows, ""]


# ---------------------------------------------------------------- people


def _career_item(move: Move, ctx: Ctx) -> str:
    when = date_label(move.event.date, move.event.approximate)
    src = ctx.name_link(move.source, BASE, ("company",)) if move.source else "？"
    dest = ctx.name_link(move.dest, BASE, ("company",)) if move.dest else "？"
    role = f"（{md_escape(move.role)}）" if move.role else ""
    about = f'<span class="tl-career-event">{event_link(move.event)}</span>'
    return f"1. **{when}**：{src} → {dest}{role}<br>{about}"


def _career(name: str, ctx: Ctx) -> list[str]:
    items = [_career_item(m, ctx) for m in moves("person", name, ctx)]
    if not items:
        return []
    return ["## 职业轨迹 {#career}", "", '<div class="tl-career" markdown>', "", *items, "", "</div>", ""]


# ---------------------------------------------------------------- shared


def _related(kind: str, name: str, ctx: Ctx) -> list[str]:
    lines = []
    for other, label in (("person", "相关人物"), ("company", "相关公司")):
        items = related(kind, name, ctx)[other]
        if items:
            shown = [ctx.name_link(n, BASE, (other,)) + (f"（{c}）" if c > 1 else "") for n, c in items]
            lines.append(f"- **{label}**：{'、'.join(shown)}")
    return ["## 相关 {#related}", "", *lines, ""] if lines else []


def _summary(kind: str, name: str, entity: Entity | None) -> str:
    label = KIND_LABELS[kind]
    if entity and entity.description:
        return f"{name}（{label}）：{entity.description}"
    return f"{name}（{label}）相关的融资、人事、诉讼等事件时间线。"


def entity_page(kind: str, name: str, ctx: Ctx) -> str:
    entity = ctx.entities[kind].get(name)
    slug = ctx.slugs[kind][name]
    lines = [*front(name, _summary(kind, name, entity)), f"# {md_escape(name)}", ""]
    feed = f"[:material-rss: Atom 订阅]({slug}.xml){{ .tl-feed }}"
    lines += [f'<span class="entity-kind">{KIND_LABELS[kind]}</span> {feed}', ""]
    if entity is None:
        lines += ["尚未收录到实体登记表。", ""]
    else:
        lines += [*_facts(entity, ctx), ""]
        lines += [md_escape(entity.description), ""] if entity.description else []
    if kind == "company":
        lines += _funding_section(name, slug, ctx) + _company_moves(name, ctx)
    else:
        lines += _career(name, ctx)
    lines += _related(kind, name, ctx)
    events = ctx.events_of(kind, name)
    lines += [f"## 相关事件（{len(events)}） {{#events}}", ""]
    lines += entry_list(events, ctx, BASE) if events else ["暂无事件。", ""]
    return "\n".join(lines)


def entity_index(kind: str, ctx: Ctx) -> str:
    label = KIND_LABELS[kind]
    slugs = ctx.slugs[kind]
    second = "别名" if kind == "company" else "任职"
    unit = "家公司" if kind == "company" else "位人物"
    lines = [
        *front(label, f"本站收录的全部{label}及其事件数。"),
        f"# {label}",
        "",
        f"共 {len(slugs)} {unit}。",
        "",
    ]
    lines += [f"| {label} | {second} | 事件数 |", "| --- | --- | ---: |"]
    for name in sorted(slugs, key=lambda n: (slugs[n], n)):
        entity = ctx.entities[kind].get(name)
        if entity is None:
            extra = ""
        elif kind == "company":
            extra = "、".join(map(md_escape, entity.aliases))
        else:
            extra = "、".join(md_escape(n) for n, _ in entity.affiliations)
        count = len(ctx.events_of(kind, name))
        lines.append(f"| [{md_escape(name)}]({slugs[name]}.md) | {extra} | {count} |")
    return "\n".join([*lines, ""])


def entity_pages(ctx: Ctx) -> Iterator[tuple[str, str]]:
    for kind, folder in KIND_DIRS.items():
        yield f"{folder}/index.md", entity_index(kind, ctx)
        for name, slug in ctx.slugs[kind].items():
            yield f"{folder}/{slug}.md", entity_page(kind, name, ctx)
