"""Unit tests for builder.pages: escaping, dates, loading and the rendered Markdown."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
import site_fixture as fx
import yaml
from material.extensions import emoji as material_emoji

from builder.markup import attr_escape
from builder.pages import (
    HOME_LATEST,
    Entity,
    SiteArticle,
    SiteData,
    SiteDataError,
    SiteEvent,
    SourceRef,
    date_label,
    load_site_data,
    md_escape,
    newest_first,
    render_pages,
    safe_title,
    safe_url,
    search_words,
)

MD_EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**bold**",
    "<img src=x onerror=alert(1)>",
    "# heading",
    "| table |",
    "`code` _em_ ~~del~~ {#id} !important",
    "1. not a list",
    "- not a list",
    "> not a quote",
    "AT&amp;T \\*",
    "===",
    "<http://example.com>",
]


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip(), encoding="utf-8")


def event(ident: str, **kw: object) -> SiteEvent:
    base: dict[str, object] = {"id": ident, "slug": ident, "type": "hire", "title": f"事件{ident}"}
    return SiteEvent(**{**base, **kw})  # type: ignore[arg-type]


def article(stem: str = "a1", n: int = 3) -> SiteArticle:
    paragraphs = tuple(f"第{i}段文字。" for i in range(1, n + 1))
    return SiteArticle(stem=stem, slug=stem, title="文章", published="2024-11-14", paragraphs=paragraphs)


def to_html(page: str) -> str:
    """A generated page as the site's Markdown renders it, entities decoded."""
    body = page.split("---\n", 2)[-1] if page.startswith("---\n") else page
    return html.unescape(markdown.markdown(body, extensions=MD_EXTENSIONS))


def inner_text(md: str) -> str:
    """Render one line of Markdown; return the paragraph's text as a browser shows it."""
    out = markdown.markdown(md, extensions=MD_EXTENSIONS)
    m = re.fullmatch(r"<p>(.*)</p>", out, re.DOTALL)
    assert m, out  # exactly one plain paragraph: no heading, list, table, quote...
    assert "<" not in m.group(1), out  # no element inside it
    return html.unescape(m.group(1))


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_renders_as_plain_text(text: str) -> None:
    assert inner_text(md_escape(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_inside_link_text_and_list(text: str) -> None:
    out = markdown.markdown(f"- [{md_escape(text)}](events/x.md)", extensions=MD_EXTENSIONS)
    assert out.count("<a ") == 1 and 'href="events/x.md"' in out
    assert "<script" not in out and "<img" not in out and "<strong" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;"),
        ("**bold**", "&#42;&#42;bold&#42;&#42;"),
        ("# heading", "&#35; heading"),
        ("| table |", "&#124; table &#124;"),
        ("融资10亿元", "融资10亿元"),
        ("1.5亿", "1&#46;5亿"),
        ("a\n\n# b\t c", "a &#35; b c"),
        ("x\x02wzxhzdk:0\x03y", "xwzxhzdk&#58;0y"),  # no Python-Markdown placeholders
    ],
)
def test_md_escape_table(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_safe_title_has_no_html_chars() -> None:
    assert safe_title("<b>A&B</b> \"x\" 'y'\n") == "＜b＞A＆B＜/b＞ ＂x＂ ＇y＇"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("HTTP://example.com", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example", False),
        ("https://example.com/a b", False),
        ('https://example.com/"onmouseover=alert(1)', False),
        ("", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "approx", "expected"),
    [
        ("2024-11-13", False, "2024年11月13日"),
        ("2024-03-05", False, "2024年3月5日"),
        ("2024-11", False, "2024年11月"),
        ("2024", False, "2024年"),
        ("2024-11", True, "约2024年11月"),
        ("2024-11-13", True, "约2024年11月13日"),
        (None, False, "日期不详"),
    ],
)
def test_date_label(value: str | None, approx: bool, expected: str) -> None:
    assert date_label(value, approx) == expected


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "24-01", "2024/01", "soon"])
def test_date_label_rejects_bad_dates(value: str) -> None:
    with pytest.raises(ValueError):
        date_label(value)


def test_newest_first_orders_precision_and_undated() -> None:
    evs = [
        event("a", date="2024"),
        event("b", date="2024-11"),
        event("c", date="2024-11-13"),
        event("d"),
        event("e", date="2023-12-31"),
        event("f", date="2024-11-13"),
    ]
    assert [e.id for e in newest_first(evs)] == ["c", "f", "b", "a", "e", "d"]


# ---------------------------------------------------------------- loading

EVENT_YAML = """
id: {id}
type: {type}
date: {date}
title: {title}
people: [{people}]
companies: [星辰智能]
status: {status}
sources:
- article: a1
  anchor: p2
  quote: 第2段文字。
"""


def write_event(root: Path, ident: str, **kw: str) -> None:
    values = {"type": "hire", "date": "'2024-06'", "title": f"事件{ident}", "people": "甄图灵"}
    values = {**values, "status": "confirmed", **kw}
    write(root, f"events/{ident}.yaml", EVENT_YAML.format(id=ident, **values))


def write_article(root: Path) -> None:
    write(
        root,
        "articles/a1.yaml",
        "stem: a1\ntitle: 文章\nurl: https://example.com/a1\npublished: '2024-11-14'\n"
        "paragraphs: [第1段文字。, 第2段文字。, 第3段文字。]\n",
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_article(tmp_path)
    write_event(tmp_path, "2024-06-hire-a")
    write_event(tmp_path, "2024-07-hire-b", date="'2024-07-02'", people="甄博士")
    write_event(tmp_path, "2024-05-hire-x", title="被否决QZX", status="rejected", people="否决人QZX")
    write(
        tmp_path,
        "events/2024-06-hire-dup.yaml",
        "id: 2024-06-hire-dup\ntitle: 重复\nredirect_to: 2024-06-hire-a\n",
    )
    write(tmp_path, "registry/people.yaml", "- name: 甄图灵\n  aliases: [甄博士]\n")
    return tmp_path


def test_load_missing_dirs_is_empty(tmp_path: Path) -> None:
    assert load_site_data(tmp_path) == SiteData()


def test_rejected_event_absent(project: Path) -> None:
    data = load_site_data(project)
    assert "2024-05-hire-x" not in {e.id for e in data.events}
    pages = render_pages(data)
    assert "events/2024-05-hire-x.md" not in pages
    for path, text in pages.items():
        assert "QZX" not in text, path


def test_redirect_stub_links_to_target(project: Path) -> None:
    pages = render_pages(load_site_data(project))
    month = pages["timeline/undated.md"]  # the stub has no date of its own
    stub = month[month.index('id="2024-06-hire-dup"') :]
    assert stub.startswith(
        'id="2024-06-hire-dup">“重复”已合并到：<a href="../../timeline/2024/06/#2024-06-hire-a">'
    )
    others = {p: t for p, t in pages.items() if p != "timeline/undated.md"}
    assert not any("2024-06-hire-dup" in t or "重复" in t for t in others.values())
    assert "events/2024-06-hire-dup.md" not in pages


def test_alias_links_to_canonical_person_page(project: Path) -> None:
    pages = render_pages(load_site_data(project))
    assert "people/zhen-tu-ling.md" in pages
    assert not any(p.startswith("people/zhen-bo-shi") for p in pages)
    person = pages["people/zhen-tu-ling.md"]
    events = person[person.index('<h2 id="events">') :]
    a, b = "../../timeline/2024/06/#2024-06-hire-a", "../../timeline/2024/07/#2024-07-hire-b"
    assert a in events and b in events
    assert events.index(b) < events.index(a)  # newest first


def test_entity_without_registry_entry_gets_page(project: Path) -> None:
    pages = render_pages(load_site_data(project))
    company = pages["companies/xing-chen-zhi-neng.md"]
    assert "尚未收录" in company and "事件2024-06-hire-a" in company
    assert 'href="../companies/xing-chen-zhi-neng/"' in pages["companies/index.md"]


def test_source_page_has_paragraph_anchors_and_citations(project: Path) -> None:
    pages = render_pages(load_site_data(project))
    source = pages["sources/a1.md"]
    for n in (1, 2, 3):
        assert f'id="p{n}"' in source
    p2 = source[source.index('id="p2"') : source.index('id="p3"')]
    assert "../../timeline/2024/06/#2024-06-hire-a" in p2 and "../../timeline/2024/07/#2024-07-hire-b" in p2
    assert 'href="https://example.com/a1"' in to_html(source)
    assert 'href="../../../sources/a1/#p2"' in pages["timeline/2024/06.md"]  # the event cites the passage


def test_render_is_deterministic(project: Path) -> None:
    first = render_pages(load_site_data(project))
    second = render_pages(load_site_data(project))
    assert first == second and list(first) == sorted(first)
    data = load_site_data(project)
    shuffled = SiteData(events=data.events[::-1], articles=data.articles, people=data.people)
    assert render_pages(shuffled) == first


def test_yaml_error_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "events/bad.yaml", "id: bad\ntitle: x\npeople: [a, b\n")
    with pytest.raises(SiteDataError, match=r"^events/bad\.yaml:\d+: YAML error"):
        load_site_data(tmp_path)


def test_bad_date_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "events/bad.yaml", "id: bad\ntitle: x\ndate: '2024-13'\n")
    with pytest.raises(SiteDataError, match=r"^events/bad\.yaml:3: date '2024-13'"):
        load_site_data(tmp_path)


def test_unquoted_yaml_date_is_accepted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "events/e.yaml",
        "id: e\ntitle: x\ntype: hire\ndate: 2024-08-01\nother_dates: [2024-08-02, 2024]\n",
    )
    ev = load_site_data(tmp_path).events[0]
    assert ev.date == "2024-08-01" and ev.other_dates == ("2024-08-02", "2024")


# ---------------------------------------------------------------- rendering


def test_home_groups_by_month_undated_last() -> None:
    data = SiteData(
        events=(
            event("e1", date="2023-05-01"),
            event("e2", date="2024-11", approximate=True),
            event("e3"),
            event("e4", date="2024"),
        )
    )
    home = render_pages(data)["index.md"]
    latest = home[home.index('id="tl-latest"') :]
    marks = [
        'id="m2024-11"',
        "约2024年11月",
        'id="m2024-00"',
        "2024年（月份不详）",
        'id="m2023-05"',
        'id="undated"',
        "事件e3",
    ]
    positions = [latest.index(m) for m in marks]
    assert positions == sorted(positions)
    assert '<span class="tl-badge tl-badge--hire"><span class="twemoji"><svg' in home
    assert "0 个来源" in home


def test_home_renders_only_the_newest_events() -> None:
    events = tuple(
        event(f"e{i:04d}", date=f"{2000 + i // 12}-{i % 12 + 1:02d}") for i in range(HOME_LATEST + 30)
    )
    pages = render_pages(SiteData(events=events))
    home = pages["index.md"]
    assert home.count('<li class="tl-entry') == HOME_LATEST
    assert f"事件e{HOME_LATEST + 29:04d}" in home and "事件e0000<" not in home  # newest first
    assert 'href="timeline/2000/01/"' in home  # the jump bar reaches every month page
    assert "事件e0000" in pages["timeline/2000/01.md"]


def test_event_block_details_status_note_and_sources() -> None:
    ev = event(
        "e1",
        type="funding",
        date="2024-11-13",
        date_text="11月13日",
        companies=("星辰智能",),
        details=(("amount", ("10亿元",)), ("investors", ("远山资本", "星辰智能"))),
        status="reported",
        other_dates=("2024-11",),
        note="**人工**备注",
        sources=(SourceRef("a1", "p2", "引文[x](javascript:alert(1))"), SourceRef("gone", "p1", "")),
    )
    page = render_pages(SiteData(events=(ev,), articles=(article(),)))["timeline/2024/11.md"]
    assert '<h2 id="e1" class="tl-event-title">' in page
    assert "2024年11月13日（原文：“11月13日”）" in page
    assert "<strong>其他来源的日期</strong>：2024年11月" in page
    assert "<strong>金额</strong>：10亿元" in page
    assert (
        '<strong>投资方</strong>：远山资本、<a href="../../../companies/xing-chen-zhi-neng/">星辰智能</a>'
        in page
    )
    assert "传闻" in page and "**人工**备注" in page
    assert "<blockquote><p>引文[x](javascript:alert(1))</p></blockquote>" in page  # inert raw HTML text
    assert "gone（原文未收录）" in page and "sources/gone" not in page
    assert page.index("<!-- tl:raw-html -->") < page.index("<article")


def test_bad_anchor_links_to_article_without_fragment() -> None:
    ev = event("e1", sources=(SourceRef("a1", "p9", "q"), SourceRef("a1", "x<y", "q")))
    page = render_pages(SiteData(events=(ev,), articles=(article(),)))["timeline/undated.md"]
    assert page.count('href="../../sources/a1/"') == 2


def test_unsafe_ids_and_names_become_slugs() -> None:
    ev = event("../../etc/passwd", slug="etc-passwd", people=("</a>",), companies=("index",))
    pages = render_pages(SiteData(events=(ev,)))
    assert all(re.fullmatch(r"[a-z0-9_/-]+\.md", p) for p in pages), list(pages)
    assert "companies/index-page.md" in pages


def test_registry_links_only_http() -> None:
    person = Entity(
        name="甄图灵",
        kind="person",
        links=(("homepage", "javascript:alert(1)"), ("wikidata", "Q42"), ("x", 'https://e.com/"a')),
        affiliations=(("星辰智能", "研究员"),),
    )
    company = Entity(name="星辰智能", kind="company")
    ev = event("e1", people=("甄图灵",), companies=("星辰智能",))
    pages = render_pages(SiteData(events=(ev,), companies=(company,), people=(person,)))
    page = pages["people/zhen-tu-ling.md"]
    assert "javascript" not in page
    assert 'href="https://www.wikidata.org/wiki/Q42"' in to_html(page)
    assert '<a href="../../companies/xing-chen-zhi-neng/">星辰智能</a>（研究员）' in page


def test_only_entities_with_events_get_pages() -> None:
    idle = Entity(name="闲置公司", kind="company")
    pages = render_pages(SiteData(events=(event("e1", companies=("星辰智能",)),), companies=(idle,)))
    assert "companies/xing-chen-zhi-neng.md" in pages
    assert not any("xian-zhi" in p for p in pages)


def test_search_words_sorted_and_complete(project: Path) -> None:
    assert search_words(load_site_data(project)) == ["星辰智能", "甄博士", "甄图灵"]


# ---------------------------------------------------------------- the fixture site

FULL_CONFIG = {
    "pymdownx.emoji": {
        "emoji_index": material_emoji.twemoji,
        "emoji_generator": material_emoji.to_svg,
    }
}


def render_full(page: str) -> str:
    """A generated page through the same Markdown extensions as mkdocs.yml (icons included)."""
    body = page.split("---\n", 2)[-1] if page.startswith("---\n") else page
    md = markdown.Markdown(extensions=[*MD_EXTENSIONS, "pymdownx.emoji"], extension_configs=FULL_CONFIG)
    return md.convert(body)


@pytest.fixture(scope="module")
def site_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("data")
    fx.write_data(root)
    return render_pages(load_site_data(root))


@pytest.fixture(scope="module")
def site_html(site_pages: dict[str, str]) -> dict[str, str]:
    return {path: render_full(text) for path, text in site_pages.items()}


def test_every_page_is_inert_html(site_html: dict[str, str]) -> None:
    for path, text in site_html.items():
        page = fx.audit(text)
        assert not page.scripts, path
        assert not page.handlers, (path, page.handlers)
        assert not fx.javascript_links(page), path
        assert "<svg onload" not in text and "<img src=x" not in text, path


def test_every_page_has_title_and_description(site_pages: dict[str, str]) -> None:
    for path, text in site_pages.items():
        matter = yaml.safe_load(text.split("---\n")[1])
        assert matter["title"] and matter["description"], path
        for value in (matter["title"], matter["description"]):
            assert not set(value) & set("<>&\"'"), (path, value)  # the theme prints them raw


def test_home_has_lazy_results_box_filter_form_and_jump_bar(site_pages: dict[str, str]) -> None:
    home = site_pages["index.md"]
    box = re.search(r'<div class="tl-results" id="tl-results" ([^>]*)>', home)
    assert (
        box
        and 'data-src="timeline/data/"' in box.group(1)
        and 'data-years="2024,2023,2022,undated"' in box.group(1)
    )
    assert "data-search-exclude hidden" in box.group(1)
    form = html.unescape(home[home.index("<form") : home.index("</form>")])
    for name in ("type", "company", "person", "from", "to", "q"):
        assert f'name="{name}"' in form
    assert 'value="hire"' in form and "QZX" not in form
    jump = home[home.index('<nav class="tl-jump"') : home.index("</nav>")]
    for target in ("timeline/2024/11/", "timeline/2023/00/", "timeline/undated/", "years/2022/"):
        assert f'href="{target}"' in jump, target
    assert (
        len(re.findall(r'<li class="tl-entry', home)) == len(fx.expected_events()) - 1
    )  # all 9: under the limit
    assert '<template id="tl-badges">' in home


def test_month_page_event_anchor_permalink_details_and_other_dates(site_pages: dict[str, str]) -> None:
    page = site_pages["timeline/2024/11.md"]
    assert '<h2 id="2024-11-13-funding-xingchen" class="tl-event-title">星辰智能完成10亿元B轮融资' in page
    assert (
        '<strong>永久链接</strong>：<a href="../../../events/2024-11-13-funding-xingchen/">'
        "events/2024-11-13-funding-xingchen/</a>" in page
    )
    assert "<strong>其他来源的日期</strong>：2024年11月" in page
    assert 'href="../../../sources/art_two/#p1"' in page and 'href="../../../sources/art_one/#p1"' in page
    assert "<strong>轮次</strong>：B轮" in page and "<strong>金额</strong>：10亿元" in page
    assert '<a href="../12/">' not in page and 'href="../../../timeline/2024/12/"' in page  # pager
    meta = page[page.index('class="tl-event-meta"') :]
    assert meta.index("tl-event-meta") < meta.index("<div data-search-exclude>")  # summary line is indexed


def test_company_page_funding_chart_moves_related(
    site_pages: dict[str, str], site_html: dict[str, str]
) -> None:
    page = site_pages[f"companies/{fx.COMPANY_SLUG}.md"]
    assert "<strong>已披露融资总额</strong>：12.5亿元（2 轮）；3000万美元（1 轮）" in page
    assert "<strong>最近一轮</strong>：2024年11月13日 · B轮 · 10亿元" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="tl-chart-svg"') == 1  # CNY only
    svg = site_html[f"companies/{fx.COMPANY_SLUG}.md"]
    assert 'role="img"' in svg and "10亿元" in svg and "2.5亿元" in svg
    moves = page[page.index('<h2 id="moves">') :]
    assert (
        f'<td><a href="../../people/{fx.PERSON_SLUG}/">{fx.PERSON}</a></td><td>离开，去往</td>'
        f'<td><a href="../../companies/{fx.OTHER_COMPANY_SLUG}/">{fx.OTHER_COMPANY}</a></td>' in moves
    )
    related = page[page.index('<h2 id="related">') :]
    assert f'href="../../people/{fx.PERSON_SLUG}/"' in related
    assert f'href="../../companies/{fx.COMPANY_SLUG}.xml"' in page  # feed link
    investor = site_pages["companies/yuan-shan-zi-ben.md"]
    assert '<h2 id="funding">' not in investor  # it invested; it did not raise


def test_person_page_career_path(site_pages: dict[str, str]) -> None:
    page = site_pages[f"people/{fx.PERSON_SLUG}.md"]
    career = page[page.index('<h2 id="career">') : page.index('<h2 id="related">')]
    company = f'<a href="../../companies/{fx.COMPANY_SLUG}/">{fx.COMPANY}</a>'
    other = f'<a href="../../companies/{fx.OTHER_COMPANY_SLUG}/">{fx.OTHER_COMPANY}</a>'
    assert f"<strong>约2024年8月</strong>：{company} → {other}" in career
    assert career.index("日期不详") < career.index("约2024年8月")  # oldest (undated) first
    alias_person = site_pages["people/zhen-tu-ling.md"]
    assert '→ <a href="../../companies/yue-wan-ke-ji/">月湾科技</a>（首席科学家）' in alias_person


def test_year_and_type_pages(site_pages: dict[str, str]) -> None:
    assert {"years/index.md", "years/2024.md", "years/2023.md", "years/2022.md"} <= set(site_pages)
    year = site_pages["years/2024.md"]
    assert '<a href="../../timeline/2024/11/">11月</a></td><td>1</td><td>融资 1</td>' in year
    assert "2023" not in year.split("---\n", 2)[-1]
    assert '<a href="../years/2024/">2024年</a></td><td>5</td>' in site_pages["years/index.md"]
    funding = site_pages["types/funding.md"]
    assert "共 3 个事件。" in funding and 'href="../../?type=funding&amp;from=2024&amp;to=2024"' in funding
    assert funding.count('<li class="tl-entry') == 3


def test_month_pages_cover_every_month_and_stub(site_pages: dict[str, str]) -> None:
    months = sorted(p for p in site_pages if p.startswith("timeline/"))
    assert months == [
        "timeline/2022/00.md",
        "timeline/2023/00.md",
        "timeline/2023/05.md",
        "timeline/2024/03.md",
        "timeline/2024/06.md",
        "timeline/2024/08.md",
        "timeline/2024/11.md",
        "timeline/2024/12.md",
        "timeline/undated.md",
    ]
    for event in fx.expected_events():
        assert sum(f'id="{event["id"]}"' in text for text in site_pages.values()) == 1, event["id"]


def test_attribute_escape_survives_markdown() -> None:
    hostile = '[x](javascript:alert(1)) :material-rss: *a* "b" <c> &d'
    rendered = markdown.markdown(f'<span title="{attr_escape(hostile)}">t</span>', extensions=MD_EXTENSIONS)
    page = fx.audit(rendered)
    assert not fx.javascript_links(page) and "<a" not in rendered
    title = re.search(r'title="([^"]*)"', rendered)
    assert title and html.unescape(title.group(1)) == hostile


def test_stub_only_month_links_no_missing_year_page() -> None:
    events = (
        event("a", date="2024-01"),
        event("b", date="2019-05", redirect_to="a", title="旧条目"),
    )
    pages = render_pages(SiteData(events=events))
    assert "years/2019.md" not in pages and "timeline/2019/05.md" in pages
    assert 'href="../../../timeline/2024/01/#a"' in pages["timeline/2019/05.md"]  # the stub leads on
    for path, text in pages.items():
        assert "years/2019/" not in text, path
