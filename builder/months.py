"""Month pages: every event in full, one anchor per event (``timeline/2024/08/#<event-id>``).

A month page (``timeline/YYYY/MM.md``; ``MM`` is ``00`` when only the year is
known; ``timeline/undated.md``) holds each event of the month as an
``<article>`` whose ``<h2 id>`` is the event's id: title, date (with the
source wording), type, parties, details, editor's note and every source with
its quote, linked to the exact passage (``sources/<article>/#p<n>``).
Merged events (redirect stubs) keep their anchor on the month page of their
own date, pointing at the surviving event; ``timeline.js`` follows it. The
short permalink ``events/<id>/`` is a small redirect file (``sitebuild``).
"""

from __future__ import annotations

import re

from builder.htmlparts import RAW_MARK, badge, esc, link
from builder.markup import DETAIL_LABELS, ENTITY_DETAILS, date_label, front, type_label, type_slug
from builder.sitectx import UNDATED, Ctx, event_ref, month_key, month_path, type_path
from builder.sitedata import SiteArticle, SiteEvent, SourceRef, newest_first
from builder.timeline import date_html, month_label, party_links, status_badge

_ANCHOR_RE = re.compile(r"^p([1-9][0-9]*)$")


def short_url(ev: SiteEvent, directory_urls: bool = True) -> str:
    """Site-relative URL of the event's short permalink (a redirect file)."""
    return f"events/{ev.slug}/" if directory_urls else f"events/{ev.slug}.html"


def event_description(ev: SiteEvent, ctx: Ctx) -> str:
    parties = "、".join(ctx.parties(ev, "person") + ctx.parties(ev, "company"))
    head = f"{date_label(ev.date, ev.approximate)} · {type_label(ev.type)}"
    return f"{head}{' · ' + parties if parties else ''}：{ev.title}（{len(ev.sources)} 个来源）"


def redirect_target(ev: SiteEvent, ctx: Ctx) -> SiteEvent | None:
    """The surviving event a merged stub leads to (following chains), or None."""
    seen = {ev.id}
    target = ctx.by_id.get(ev.redirect_to)
    while target is not None and target.redirect_to and target.id not in seen:
        seen.add(target.id)
        target = ctx.by_id.get(target.redirect_to)
    return target if target is not None and not target.redirect_to else None


def _fact(label: str, value: str) -> str:
    return f"<li><strong>{label}</strong>：{value}</li>"


def _detail_facts(ev: SiteEvent, ctx: Ctx, page: str) -> list[str]:
    out = []
    for key, values in ev.details:
        shown = []
        for v in values:
            url = None
            if key in ENTITY_DETAILS:
                url = ctx.entity_href("company", v, page) or ctx.entity_href("person", v, page)
            shown.append(link(url, v) if url else esc(v))
        out.append(_fact(DETAIL_LABELS[key], "、".join(shown)))
    return out


def _facts(ev: SiteEvent, ctx: Ctx, page: str) -> list[str]:
    when = esc(date_label(ev.date, ev.approximate))
    if ev.date_text:
        when += f"（原文：“{esc(ev.date_text)}”）"
    lines = [_fact("日期", when)]
    if ev.other_dates:
        lines.append(_fact("其他来源的日期", "、".join(date_label(d) for d in ev.other_dates)))
    lines.append(_fact("类型", link(ctx.href(page, type_path(ev.type)), type_label(ev.type))))
    lines += _detail_facts(ev, ctx, page)
    if ev.status == "reported":
        lines.append(_fact("状态", "传闻（尚未得到证实）"))
    short = short_url(ev, ctx.directory_urls)
    lines.append(_fact("永久链接", link(ctx.href(page, short), ctx.url(short))))
    return lines


def _source_item(ref: SourceRef, ctx: Ctx, page: str) -> str:
    article: SiteArticle | None = ctx.articles.get(ref.article)
    if article is None:
        head = f"{esc(ref.article)}（原文未收录）"
    else:
        m = _ANCHOR_RE.match(ref.anchor)
        ok = m is not None and int(m.group(1)) <= len(article.paragraphs)
        target = f"sources/{article.slug}.md" + (f"#{ref.anchor}" if ok else "")
        meta = [esc(article.source)] if article.source else []
        if article.published:
            meta.append(date_label(article.published))
        if ok:
            meta.append(f"第 {ref.anchor[1:]} 段")
        head = link(ctx.href(page, target), article.title or article.stem)
        head += f"（{'，'.join(meta)}）" if meta else ""
    parts = [head]
    if ref.quote:
        parts.append(f"<blockquote><p>{esc(ref.quote)}</p></blockquote>")
    if ref.date_text:
        parts.append(f"<p>原文日期：“{esc(ref.date_text)}”</p>")
    return f"<li>{''.join(parts)}</li>"


def event_block(ev: SiteEvent, ctx: Ctx, page: str) -> list[str]:
    """One event as an <article>; only its title and summary line go into the search index."""
    parties = party_links(ev, ctx, page)
    meta = [date_html(ev), badge(ev.type) + status_badge(ev)]
    if parties:
        meta.append(f'<span class="tl-parties">{"、".join(parties)}</span>')
    lines = [
        f'<article class="tl-event tl-entry--{esc(type_slug(ev.type))}">',
        f'<h2 id="{esc(ev.slug)}" class="tl-event-title">{esc(ev.title)}'
        f' <a class="headerlink" href="#{esc(ev.slug)}" title="本事件的链接">¶</a></h2>',
        f'<p class="tl-event-meta">{" ".join(meta)}</p>',
        "<div data-search-exclude>",
        '<ul class="tl-facts">',
        *_facts(ev, ctx, page),
        "</ul>",
    ]
    if ev.note:
        lines.append(
            '<div class="admonition note"><p class="admonition-title">编辑备注</p>'
            f"<p>{esc(ev.note)}</p></div>"
        )
    lines.append(f'<p class="tl-sources-head"><strong>来源（{len(ev.sources)}）</strong></p>')
    lines += ['<ol class="tl-sources">', *(_source_item(r, ctx, page) for r in ev.sources), "</ol>"]
    return [*lines, "</div>", "</article>"]


def _stub_line(ev: SiteEvent, ctx: Ctx, page: str) -> str:
    target = redirect_target(ev, ctx)
    if target is None:
        text = "已合并到另一事件，但该事件已不存在。"
    else:
        text = "已合并到：" + link(ctx.href(page, event_ref(target)), target.title)
    return f'<p class="tl-redirect" id="{esc(ev.slug)}">“{esc(ev.title)}”{text}</p>'


def month_keys(ctx: Ctx) -> list[str]:
    """Every month with a visible event or a merged stub: newest first, undated last."""
    keys = {month_key(ev) for ev in ctx.data.events}
    dated = sorted((k for k in keys if k != UNDATED), reverse=True)
    return dated + ([UNDATED] if UNDATED in keys else [])


def _pager(key: str, keys: list[str], ctx: Ctx, page: str) -> str:
    i = keys.index(key)
    parts = []
    if i > 0:
        parts.append("较新：" + link(ctx.href(page, month_path(keys[i - 1])), month_label(keys[i - 1])))
    year = key.split("/")[0]
    if key != UNDATED and int(year) in ctx.years():  # a year of merged stubs only has no page
        parts.append(link(ctx.href(page, f"years/{year}.md"), f"{year}年全部月份"))
    parts.append(link(ctx.href(page, "index.md"), "时间线首页"))
    if i + 1 < len(keys):
        parts.append("较早：" + link(ctx.href(page, month_path(keys[i + 1])), month_label(keys[i + 1])))
    return f'<nav class="tl-pager" aria-label="按月翻页" data-search-exclude>{" · ".join(parts)}</nav>'


def month_page(key: str, keys: list[str], ctx: Ctx, events: list[SiteEvent], stubs: list[SiteEvent]) -> str:
    page = month_path(key)
    label = month_label(key)
    counts = "、".join(
        f"{type_label(t)} {n}" for t in ctx.types() if (n := sum(1 for ev in events if ev.type == t))
    )
    about = f"{label}的大模型行业事件（{len(events)} 个{'：' + counts if counts else ''}），每条附原文出处。"
    lines = [*front(label, about), f"# {label}", "", RAW_MARK, _pager(key, keys, ctx, page)]
    lines.append(
        f'<p class="tl-month-count">共 {len(events)} 个事件{"（" + counts + "）" if counts else ""}。</p>'
    )
    for ev in events:
        lines += event_block(ev, ctx, page)
    if stubs:
        lines.append('<div class="tl-redirects" data-search-exclude>')
        lines.append("<p><strong>已合并的条目</strong></p>")
        lines += [_stub_line(ev, ctx, page) for ev in stubs]
        lines.append("</div>")
    lines.append(_pager(key, keys, ctx, page))
    return "\n".join([*lines, ""])


def month_events(ctx: Ctx) -> dict[str, tuple[list[SiteEvent], list[SiteEvent]]]:
    """Month key -> (visible events newest first, merged stubs by id)."""
    out: dict[str, tuple[list[SiteEvent], list[SiteEvent]]] = {}
    for ev in ctx.visible:
        out.setdefault(month_key(ev), ([], []))[0].append(ev)
    for ev in sorted(ctx.data.events, key=lambda e: e.id):
        if ev.redirect_to:
            out.setdefault(month_key(ev), ([], []))[1].append(ev)
    return out


def month_pages(ctx: Ctx, only: set[str] | None = None) -> dict[str, str]:
    """Docs path -> Markdown of every month page (or of the months in ``only``)."""
    keys = month_keys(ctx)
    groups = month_events(ctx)
    out = {}
    for key in keys:
        if only is None or key in only:
            events, stubs = groups.get(key, ([], []))
            out[month_path(key)] = month_page(key, keys, ctx, newest_first(events), stubs)
    return out
