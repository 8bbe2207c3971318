"""Pages stage: site data -> Markdown pages for MkDocs.

``render_pages(data)`` maps docs-relative paths to Markdown text: the home
timeline (with filters and a jump bar), one page per event, company, person,
type, year and source article, and their index pages. The pieces live in:

- ``sitedata``: loading the YAML into frozen values (``load_site_data``);
- ``markup``: escaping, labels and date wording (``md_escape``);
- ``sitectx``: the lookups of one render (aliases, slugs, page paths);
- ``timeline``: timeline entries, year/month groups, jump bar, filter form;
- ``entity_pages`` (+ ``profiles``, ``charts``): company and person pages;
- ``feeds`` / ``exports``: Atom feeds, events.json/csv and JSON-LD.

Every string from the data passes through an escaping function of
``markup`` before it reaches a page. Output is deterministic: everything is
sorted, nothing reads the clock.
"""

from __future__ import annotations

import re

from builder.entity_pages import entity_pages, event_link
from builder.markup import (
    DETAIL_LABELS,
    ENTITY_DETAILS,
    TYPE_DESCRIPTIONS,
    date_label,
    external_link,
    front,
    md_escape,
    safe_title,
    safe_url,
    type_badge,
    type_label,
    type_slug,
)
from builder.sitectx import Ctx, absolute_url, build_ctx, event_path, page_url, type_path
from builder.sitedata import (
    Entity,
    SiteArticle,
    SiteData,
    SiteDataError,
    SiteEvent,
    SourceRef,
    load_site_data,
    newest_first,
    search_words,
    year_of,
)
from builder.timeline import filter_form, grouped_timeline, jump_bar, status_badge

__all__ = [
    "Entity",
    "SiteArticle",
    "SiteData",
    "SiteDataError",
    "SiteEvent",
    "SourceRef",
    "date_label",
    "load_site_data",
    "md_escape",
    "newest_first",
    "render_pages",
    "safe_title",
    "safe_url",
    "search_words",
]

_ANCHOR_RE = re.compile(r"^p([1-9][0-9]*)$")
SITE_SUMMARY = "中国大模型行业的融资、人事、诉讼、降价与收购事件时间线，每条事件都附原文出处。"


# ---------------------------------------------------------------- home


def _home_page(ctx: Ctx) -> str:
    counts = f"共 {len(ctx.visible)} 个事件，{len(ctx.data.articles)} 篇来源文章。"
    links = (
        "订阅与下载：[:material-rss: Atom](feed.xml) · [events.json](events.json) · [events.csv](events.csv)"
    )
    lines = [*front("时间线", SITE_SUMMARY), "# 大模型行业时间线", "", counts, "", links, ""]
    lines += filter_form(ctx) + jump_bar(ctx.visible)
    lines += ['<p class="tl-empty" hidden>没有符合筛选条件的事件。</p>', ""]
    return "\n".join(lines + grouped_timeline(ctx.visible, ctx, ""))


# ---------------------------------------------------------------- events


def _detail_lines(ev: SiteEvent, ctx: Ctx) -> list[str]:
    lines = []
    for key, values in ev.details:
        if key in ENTITY_DETAILS:
            shown = [ctx.name_link(v, "../", ("company", "person")) for v in values]
        else:
            shown = [md_escape(v) for v in values]
        lines.append(f"- **{DETAIL_LABELS[key]}**：{'、'.join(shown)}")
    return lines


def _permalink(ev: SiteEvent, ctx: Ctx) -> str:
    url = absolute_url(ctx.site_url, page_url(event_path(ev), ctx.directory_urls))
    return f"- **永久链接**：[{md_escape(url)}]({ev.slug}.md)"


def _event_facts(ev: SiteEvent, ctx: Ctx) -> list[str]:
    when = date_label(ev.date, ev.approximate)
    if ev.date_text:
        when += f"（原文：“{md_escape(ev.date_text)}”）"
    lines = [f"- **日期**：{when}"]
    if ev.other_dates:
        others = "、".join(date_label(d) for d in ev.other_dates)
        lines.append(f"- **其他来源的日期**：{others}")
    lines.append(f"- **类型**：[{md_escape(type_label(ev.type))}](../{type_path(ev.type)})")
    for kind, heading in (("person", "人物"), ("company", "公司")):
        links = [ctx.entity_link(kind, n, "../") or md_escape(n) for n in ctx.parties(ev, kind)]
        if links:
            lines.append(f"- **{heading}**：{'、'.join(links)}")
    lines += _detail_lines(ev, ctx)
    if ev.status == "reported":
        lines.append("- **状态**：传闻（尚未得到证实）")
    return [*lines, _permalink(ev, ctx)]


def _source_head(ref: SourceRef, article: SiteArticle) -> str:
    m = _ANCHOR_RE.match(ref.anchor)
    ok = m is not None and int(m.group(1)) <= len(article.paragraphs)
    target = f"../sources/{article.slug}.md" + (f"#{ref.anchor}" if ok else "")
    meta = [md_escape(x) for x in (article.source,) if x]
    if article.published:
        meta.append(date_label(article.published))
    if ok:
        meta.append(f"第 {ref.anchor[1:]} 段")
    head = f"1. [{md_escape(article.title or article.stem)}]({target})"
    return head + (f"（{'，'.join(meta)}）" if meta else "")


def _source_item(ref: SourceRef, ctx: Ctx) -> list[str]:
    article = ctx.articles.get(ref.article)
    if article is None:
        head = f"1. {md_escape(ref.article)}（原文未收录）"
    else:
        head = _source_head(ref, article)
    lines = [head, ""]
    if ref.quote:
        lines += [f"    > {md_escape(ref.quote)}", ""]
    if ref.date_text:
        lines += [f"    原文日期：“{md_escape(ref.date_text)}”", ""]
    return lines


def event_description(ev: SiteEvent, ctx: Ctx) -> str:
    parties = "、".join(ctx.parties(ev, "person") + ctx.parties(ev, "company"))
    head = f"{date_label(ev.date, ev.approximate)} · {type_label(ev.type)}"
    return f"{head}{' · ' + parties if parties else ''}：{ev.title}（{len(ev.sources)} 个来源）"


def _event_page(ev: SiteEvent, ctx: Ctx) -> str:
    lines = [*front(ev.title, event_description(ev, ctx)), f"# {md_escape(ev.title)}", ""]
    lines += [type_badge(ev.type) + status_badge(ev), "", *_event_facts(ev, ctx), ""]
    if ev.note:
        lines += ['!!! note "编辑备注"', "", f"    {md_escape(ev.note)}", ""]
    lines += [f"## 来源（{len(ev.sources)}） {{#sources}}", ""]
    for ref in ev.sources:
        lines += _source_item(ref, ctx)
    return "\n".join(lines)


def _redirect_target(ev: SiteEvent, ctx: Ctx) -> SiteEvent | None:
    seen = {ev.id}
    target = ctx.by_id.get(ev.redirect_to)
    while target is not None and target.redirect_to and target.id not in seen:
        seen.add(target.id)
        target = ctx.by_id.get(target.redirect_to)
    return target if target is not None and not target.redirect_to else None


def _stub_page(ev: SiteEvent, ctx: Ctx) -> str:
    target = _redirect_target(ev, ctx)
    matter = front(ev.title, "本条目已合并到另一事件。", exclude_search=True)
    lines = [*matter, f"# {md_escape(ev.title)}", ""]
    if target is None:
        lines.append("本条目已合并到另一事件，但该事件已不存在。")
    else:
        link = f"[{md_escape(target.title)}]({target.slug}.md)"
        lines.append(f'<p class="tl-redirect" markdown>本条目已合并到：{link}</p>')
    return "\n".join([*lines, ""])


# ---------------------------------------------------------------- types and years


def _types_index(ctx: Ctx) -> str:
    lines = [*front("类型", "按类型浏览事件：融资、离职、加入、诉讼、降价、收购。"), "# 事件类型", ""]
    lines += ["| 类型 | 事件数 | 说明 |", "| --- | ---: | --- |"]
    for t in ctx.types():
        count = sum(1 for ev in ctx.visible if ev.type == t)
        label = f"{type_badge(t)}"
        lines.append(f"| [{label}]({type_slug(t)}.md) | {count} | {TYPE_DESCRIPTIONS.get(t, '')} |")
    return "\n".join([*lines, ""])


def _type_page(event_type: str, ctx: Ctx) -> str:
    label = type_label(event_type)
    events = [ev for ev in ctx.visible if ev.type == event_type]
    about = TYPE_DESCRIPTIONS.get(event_type, "")
    feed = f"[:material-rss: Atom 订阅]({type_slug(event_type)}.xml){{ .tl-feed }}" if events else ""
    lines = [*front(label, f"“{label}”类事件时间线。{about}"), f"# {md_escape(label)}", ""]
    lines += [about, "", f"共 {len(events)} 个事件。 {feed}", ""]
    return "\n".join(lines + grouped_timeline(events, ctx, "../"))


def _years_index(ctx: Ctx) -> str:
    lines = [*front("年份", "按年份浏览事件。"), "# 年份", "", "| 年份 | 事件数 |", "| --- | ---: |"]
    for year in ctx.years():
        count = sum(1 for ev in ctx.visible if year_of(ev) == year)
        lines.append(f"| [{year}年]({year}.md) | {count} |")
    return "\n".join([*lines, ""])


def _year_page(year: int, ctx: Ctx) -> str:
    events = [ev for ev in ctx.visible if year_of(ev) == year]
    counts = "、".join(
        f"{type_label(t)} {n}" for t in ctx.types() if (n := sum(1 for ev in events if ev.type == t))
    )
    lines = [*front(f"{year}年", f"{year}年的大模型行业事件：{counts}。"), f"# {year}年", ""]
    lines += [f"共 {len(events)} 个事件（{counts}）。", "", *jump_bar(events, year_headings=False)]
    return "\n".join(lines + grouped_timeline(events, ctx, "../", year_headings=False))


# ---------------------------------------------------------------- sources


def _sources_index(ctx: Ctx) -> str:
    matter = front("来源", "时间线引用的全部原文文章，按发布日期排列。")
    lines = [*matter, "# 来源文章", "", f"共 {len(ctx.data.articles)} 篇。", ""]
    lines += ["| 标题 | 来源 | 发布日期 | 引用事件 |", "| --- | --- | --- | ---: |"]
    by_stem = sorted(ctx.data.articles, key=lambda a: a.stem)
    for article in sorted(by_stem, key=lambda a: a.published or "", reverse=True):
        title = f"[{md_escape(article.title or article.stem)}]({article.slug}.md)"
        when = date_label(article.published) if article.published else "不详"
        count = len(ctx.by_article.get(article.stem, []))
        lines.append(f"| {title} | {md_escape(article.source)} | {when} | {count} |")
    return "\n".join([*lines, ""])


def _article_meta(article: SiteArticle, ctx: Ctx) -> list[str]:
    lines = []
    if article.source:
        lines.append(f"- **来源**：{md_escape(article.source)}")
    when = date_label(article.published) if article.published else "不详"
    when += "（推断）" if article.published and article.published_inferred else ""
    lines.append(f"- **发布日期**：{when}")
    url = safe_url(article.url)
    if url:
        lines.append(f"- **原文链接**：{external_link(url, url)}")
    elif article.url:
        lines.append(f"- **原文地址**：{md_escape(article.url)}")
    if article.file:
        lines.append(f"- **文件**：{md_escape(article.file)}")
    lines.append(f"- **引用本文的事件**：{len(ctx.by_article.get(article.stem, []))}")
    return lines


def _passage(article: SiteArticle, n: int, text: str, ctx: Ctx) -> list[str]:
    anchor = f"p{n}"
    lines = [f'<div class="passage" id="{anchor}" markdown>', ""]
    lines += [f'<a class="passage-num" href="#{anchor}" title="第 {n} 段">¶{n}</a> {md_escape(text)}', ""]
    for ev in ctx.cites.get((article.stem, anchor), []):
        lines.append(f"- {type_badge(ev.type)} {event_link(ev)}")
    return [*lines, "", "</div>", ""]


def _article_page(article: SiteArticle, ctx: Ctx) -> str:
    title = article.title or article.stem
    cited = len(ctx.by_article.get(article.stem, []))
    about = f"来源文章《{title}》全文（{article.source or '来源不详'}），被 {cited} 个事件引用。"
    lines = [
        *front(title, about, exclude_search=True),
        f"# {md_escape(title)}",
        "",
        *_article_meta(article, ctx),
        "",
    ]
    lines += ["## 正文 {#text}", ""]
    for n, text in enumerate(article.paragraphs, start=1):
        lines += _passage(article, n, text, ctx)
    return "\n".join(lines)


# ---------------------------------------------------------------- all


def render_pages(data: SiteData, site_url: str = "", use_directory_urls: bool = True) -> dict[str, str]:
    """All generated pages: docs-relative path -> Markdown, sorted by path."""
    return pages_for(build_ctx(data, site_url, use_directory_urls))


def pages_for(ctx: Ctx) -> dict[str, str]:
    """All generated pages of one render context, sorted by path."""
    data = ctx.data
    pages = {
        "index.md": _home_page(ctx),
        "types/index.md": _types_index(ctx),
        "years/index.md": _years_index(ctx),
    }
    for ev in data.events:
        pages[f"events/{ev.slug}.md"] = _stub_page(ev, ctx) if ev.redirect_to else _event_page(ev, ctx)
    pages.update(entity_pages(ctx))
    for t in ctx.types():
        pages[type_path(t)] = _type_page(t, ctx)
    for year in ctx.years():
        pages[f"years/{year}.md"] = _year_page(year, ctx)
    pages["sources/index.md"] = _sources_index(ctx)
    for article in data.articles:
        pages[f"sources/{article.slug}.md"] = _article_page(article, ctx)
    return dict(sorted(pages.items()))
