"""Pages stage: site data -> Markdown pages for MkDocs.

``render_pages(data)`` maps docs-relative paths to Markdown text: the home
timeline (the newest events, a jump bar to every month, filters that
``timeline.js`` runs over the per-year JSON files), one page per month with
every event of the month in full (an anchor per event), one page per
company, person, type, year and source article, and their index pages. The
big generated parts are raw HTML after ``htmlparts.RAW_MARK``. The pieces live in:

- ``sitedata``: loading the YAML into frozen values (``load_site_data``);
- ``markup``: escaping, labels and date wording (``md_escape``);
- ``sitectx``: the lookups of one render (aliases, slugs, page paths);
- ``timeline``: timeline entries, month groups, jump bar, filter form;
- ``months``: the month pages (events in full, merged stubs);
- ``entity_pages`` (+ ``profiles``, ``charts``): company and person pages;
- ``feeds`` / ``exports``: Atom feeds, events.json/csv and JSON-LD.

Every string from the data passes through an escaping function of
``markup`` or ``htmlparts.esc`` before it reaches a page. Output is deterministic: everything is
sorted, nothing reads the clock.
"""

from __future__ import annotations

from builder.entity_pages import entity_pages
from builder.htmlparts import RAW_MARK, badge, esc, esc_long, feed_link, link
from builder.markup import (
    TYPE_DESCRIPTIONS,
    date_label,
    front,
    md_escape,
    safe_title,
    safe_url,
    type_label,
    type_slug,
)
from builder.months import event_description, month_keys, month_pages
from builder.sitectx import Ctx, build_ctx, event_path, month_path, type_path
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
from builder.timeline import filter_form, grouped_timeline, icon_template, jump_bar

__all__ = [
    "Entity",
    "event_description",
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

SITE_SUMMARY = "中国大模型行业的融资、人事、诉讼、降价与收购事件时间线，每条事件都附原文出处。"


# ---------------------------------------------------------------- home

HOME_LATEST = 100  # events rendered into the home page; the rest: month pages and timeline.js


def _home_page(ctx: Ctx) -> str:
    page = "index.md"
    counts = f"共 {len(ctx.visible)} 个事件，{len(ctx.data.articles)} 篇来源文章。"
    links = [
        feed_link("feed.xml", "Atom"),
        link("events.json", "events.json"),
        link("events.csv", "events.csv"),
    ]
    lines = [*front("时间线", SITE_SUMMARY), "# 大模型行业时间线", "", RAW_MARK]
    lines += [f"<p>{counts}</p>", f'<p class="tl-downloads">订阅与下载：{" · ".join(links)}</p>']
    years = ",".join(str(y) for y in ctx.years()) + (
        ",undated" if any(not e.date for e in ctx.visible) else ""
    )
    data_dir = "timeline/data/"
    lines += filter_form(ctx) + jump_bar(ctx, page, month_keys(ctx))
    lines += [
        f'<div class="tl-results" id="tl-results" data-src="{esc(data_dir)}" data-years="{esc(years)}"'
        f' data-total="{len(ctx.visible)}" data-search-exclude hidden></div>',
        '<div class="tl-latest" id="tl-latest">',
    ]
    latest = ctx.visible[:HOME_LATEST]
    if len(ctx.visible) > len(latest):
        lines.append(
            f'<p class="tl-latest-note">最新的 {len(latest)} 个事件；更早的事件请按月浏览或使用筛选。</p>'
        )
    lines += grouped_timeline(latest, ctx, page)
    lines += ["</div>", *icon_template(ctx)]
    return "\n".join([*lines, ""])


# ---------------------------------------------------------------- types and years

TYPE_LATEST = 100


def _types_index(ctx: Ctx) -> str:
    page = "types/index.md"
    lines = [
        *front("类型", "按类型浏览事件：融资、离职、加入、诉讼、降价、收购。"),
        "# 事件类型",
        "",
        RAW_MARK,
    ]
    lines += ["<table>", "<thead><tr><th>类型</th><th>事件数</th><th>说明</th></tr></thead>", "<tbody>"]
    for t in ctx.types():
        count = sum(1 for ev in ctx.visible if ev.type == t)
        cell = f'<a href="{esc(ctx.href(page, type_path(t)))}">{badge(t)}</a>'
        lines.append(f"<tr><td>{cell}</td><td>{count}</td><td>{esc(TYPE_DESCRIPTIONS.get(t, ''))}</td></tr>")
    return "\n".join([*lines, "</tbody>", "</table>", ""])


def _type_page(event_type: str, ctx: Ctx) -> str:
    page = type_path(event_type)
    label = type_label(event_type)
    events = [ev for ev in ctx.visible if ev.type == event_type]
    about = TYPE_DESCRIPTIONS.get(event_type, "")
    slug = type_slug(event_type)
    lines = [*front(label, f"“{label}”类事件时间线。{about}"), f"# {md_escape(label)}", "", RAW_MARK]
    feed = feed_link(ctx.href(page, f"types/{slug}.xml")) if events else ""
    lines += [f"<p>{esc(about)}</p>", f"<p>共 {len(events)} 个事件。 {feed}</p>"]
    if events:
        years = []
        for year in ctx.years():
            n = sum(1 for ev in events if year_of(ev) == year)
            if n:
                url = ctx.href(page, "index.md") + f"?type={slug}&from={year}&to={year}"
                years.append(f"{link(url, f'{year}年')}（{n}）")
        everything = link(ctx.href(page, "index.md") + f"?type={slug}", f"全部 {len(events)} 个“{label}”事件")
        lines.append(
            f'<p class="tl-type-years" data-search-exclude>按年份：{"、".join(years)} · {everything}</p>'
        )
    shown = events[:TYPE_LATEST]
    if len(events) > len(shown):
        lines.append(f"<p>最新的 {len(shown)} 个：</p>")
    lines += grouped_timeline(shown, ctx, page)
    return "\n".join([*lines, ""])


def _years_index(ctx: Ctx) -> str:
    page = "years/index.md"
    lines = [*front("年份", "按年份浏览事件。"), "# 年份", "", RAW_MARK]
    lines += ["<table>", "<thead><tr><th>年份</th><th>事件数</th></tr></thead>", "<tbody>"]
    for year in ctx.years():
        count = sum(1 for ev in ctx.visible if year_of(ev) == year)
        lines.append(
            f"<tr><td>{link(ctx.href(page, f'years/{year}.md'), f'{year}年')}</td><td>{count}</td></tr>"
        )
    return "\n".join([*lines, "</tbody>", "</table>", ""])


def _year_page(year: int, ctx: Ctx) -> str:
    page = f"years/{year}.md"
    events = [ev for ev in ctx.visible if year_of(ev) == year]
    counts = "、".join(
        f"{type_label(t)} {n}" for t in ctx.types() if (n := sum(1 for ev in events if ev.type == t))
    )
    lines = [*front(f"{year}年", f"{year}年的大模型行业事件：{counts}。"), f"# {year}年", "", RAW_MARK]
    lines += [f"<p>共 {len(events)} 个事件（{counts}）。</p>"]
    lines += ["<table>", "<thead><tr><th>月份</th><th>事件数</th><th>类型</th></tr></thead>", "<tbody>"]
    keys = [k for k in month_keys(ctx) if k.startswith(f"{year:04d}/")]
    for key in keys:
        in_month = [ev for ev in events if month_path(key) == event_path(ev)]
        month = int(key.split("/")[1])
        label = f"{month}月" if month else "月份不详"
        kinds = "、".join(
            f"{type_label(t)} {n}" for t in ctx.types() if (n := sum(1 for ev in in_month if ev.type == t))
        )
        lines.append(
            f"<tr><td>{link(ctx.href(page, month_path(key)), label)}</td><td>{len(in_month)}</td><td>{kinds}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    everything = link(ctx.href(page, "index.md") + f"?from={year}&to={year}", f"在时间线中筛选 {year} 年")
    lines.append(f"<p data-search-exclude>{everything}</p>")
    return "\n".join([*lines, ""])


# ---------------------------------------------------------------- sources


def _sources_index(ctx: Ctx) -> str:
    page = "sources/index.md"
    matter = front("来源", "时间线引用的全部原文文章，按发布日期排列。")
    lines = [*matter, "# 来源文章", "", RAW_MARK, f"<p>共 {len(ctx.data.articles)} 篇。</p>"]
    lines += [
        "<table data-search-exclude>",
        "<thead><tr><th>标题</th><th>来源</th><th>发布日期</th><th>引用事件</th></tr></thead>",
        "<tbody>",
    ]
    by_stem = sorted(ctx.data.articles, key=lambda a: a.stem)
    for article in sorted(by_stem, key=lambda a: a.published or "", reverse=True):
        title = link(ctx.href(page, f"sources/{article.slug}.md"), article.title or article.stem)
        when = date_label(article.published) if article.published else "不详"
        count = len(ctx.by_article.get(article.stem, []))
        lines.append(
            f"<tr><td>{title}</td><td>{esc(article.source)}</td><td>{when}</td><td>{count}</td></tr>"
        )
    return "\n".join([*lines, "</tbody>", "</table>", ""])


def _article_meta(article: SiteArticle, ctx: Ctx) -> list[str]:
    lines = []
    if article.source:
        lines.append(f"<li><strong>来源</strong>：{esc(article.source)}</li>")
    when = date_label(article.published) if article.published else "不详"
    when += "（推断）" if article.published and article.published_inferred else ""
    lines.append(f"<li><strong>发布日期</strong>：{when}</li>")
    url = safe_url(article.url)
    if url:
        lines.append(
            f'<li><strong>原文链接</strong>：<a href="{esc(url)}" rel="nofollow noopener noreferrer">{esc(url)}</a></li>'
        )
    elif article.url:
        lines.append(f"<li><strong>原文地址</strong>：{esc(article.url)}</li>")
    if article.file:
        lines.append(f"<li><strong>文件</strong>：{esc(article.file)}</li>")
    lines.append(f"<li><strong>引用本文的事件</strong>：{len(ctx.by_article.get(article.stem, []))}</li>")
    return ["<ul>", *lines, "</ul>"]


def _passage(article: SiteArticle, n: int, text: str, ctx: Ctx, page: str) -> str:
    anchor = f"p{n}"
    parts = [
        f'<div class="passage" id="{anchor}"><p>',
        f'<a class="passage-num" href="#{anchor}" title="第 {n} 段">¶{n}</a> {esc_long(text)}</p>',
    ]
    cited = ctx.cites.get((article.stem, anchor), [])
    if cited:
        items = "".join(
            f"<li>{badge(ev.type)} {link(ctx.href(page, f'{event_path(ev)}#{ev.slug}'), ev.title)}</li>"
            for ev in cited
        )
        parts.append(f"<ul>{items}</ul>")
    return "".join([*parts, "</div>"])


def _article_page(article: SiteArticle, ctx: Ctx) -> str:
    page = f"sources/{article.slug}.md"
    title = article.title or article.stem
    cited = len(ctx.by_article.get(article.stem, []))
    about = f"来源文章《{title}》全文（{article.source or '来源不详'}），被 {cited} 个事件引用。"
    lines = [*front(title, about, exclude_search=True), f"# {md_escape(title)}", "", RAW_MARK]
    lines += _article_meta(article, ctx)
    lines.append('<h2 id="text">正文</h2>')
    lines += [_passage(article, n, text, ctx, page) for n, text in enumerate(article.paragraphs, start=1)]
    return "\n".join([*lines, ""])


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
    pages.update(month_pages(ctx))
    pages.update(entity_pages(ctx))
    for t in ctx.types():
        pages[type_path(t)] = _type_page(t, ctx)
    for year in ctx.years():
        pages[f"years/{year}.md"] = _year_page(year, ctx)
    pages["sources/index.md"] = _sources_index(ctx)
    for article in data.articles:
        pages[f"sources/{article.slug}.md"] = _article_page(article, ctx)
    return dict(sorted(pages.items()))
