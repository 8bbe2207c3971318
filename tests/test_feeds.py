"""Feeds and exports: Atom feeds, events.json, events.csv and JSON-LD (no mkdocs build needed)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest
import site_fixture as fx
import yaml

from builder.exports import event_jsonld, jsonld_script, script_json
from builder.feeds import FEED_LIMIT, SITE_LIMIT
from builder.pages import SiteData, SiteEvent, SourceRef, load_site_data
from builder.sitebuild import SiteOutput, build_site, relative_href
from builder.sitectx import build_ctx

SITE_URL = "https://user.github.io/repo/"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> SiteData:
    root = tmp_path_factory.mktemp("data")
    fx.write_data(root)
    return load_site_data(root)


@pytest.fixture(scope="module")
def out(data: SiteData) -> SiteOutput:
    return build_site(data)


@pytest.fixture(scope="module")
def out_url(data: SiteData) -> SiteOutput:
    return build_site(data, site_url=SITE_URL)


def parse(xml: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


# ---------------------------------------------------------------- feeds


def test_site_feed_parses_newest_first(out: SiteOutput) -> None:
    feed = parse(out.files["feed.xml"])
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert len(titles) == len(fx.expected_events()) - 1  # no redirect stub, no rejected event
    assert titles[0] == "月湾科技收购小蚂蚁工作室"  # 2024-12 is the newest
    assert titles[-1] == "岑望曾加入星辰智能"  # undated last
    assert all("QZX" not in t for t in titles)
    updated = [e.updated for e in feed.entries]
    assert updated[0] == "2024-12-01T00:00:00Z" and feed.feed.updated == updated[0]
    assert updated[-1] == "2024-11-14T00:00:00Z"  # undated: its source's publication date


def test_hostile_title_escaped_in_feed(out: SiteOutput) -> None:
    xml = out.files["feed.xml"]
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    entry = next(e for e in parse(xml).entries if "alert" in e.title)
    assert entry.title == fx.HOSTILE_TITLE  # exactly the text, as text
    assert entry.title_detail.type == "text/plain"
    company = next(p for p in out.files if p.startswith("companies/svg-onload"))
    feed = parse(out.files[company])
    assert feed.feed.title.startswith(fx.HOSTILE_COMPANY)


def test_feed_links_relative_without_site_url(out: SiteOutput) -> None:
    site = parse(out.files["feed.xml"])
    assert site.entries[0].link == "timeline/2024/12/#2024-12-acquisition-moonbay"
    company = parse(out.files[f"companies/{fx.COMPANY_SLUG}.xml"])
    links = [e.link for e in company.entries]
    assert links and all(link.startswith("../timeline/") and "/#" in link for link in links)
    assert [link for link in (lnk.href for lnk in company.feed.links) if link.endswith(".xml")] == [
        f"{fx.COMPANY_SLUG}.xml"
    ]


def test_feed_links_absolute_with_site_url(out_url: SiteOutput) -> None:
    person = parse(out_url.files[f"people/{fx.PERSON_SLUG}.xml"])
    assert [e.link for e in person.entries] == [
        f"{SITE_URL}timeline/2024/08/#2024-08-departure-cen-wang",
        f"{SITE_URL}timeline/undated/#undated-hire-cen-wang",
    ]
    self_link = next(lnk.href for lnk in person.feed.links if lnk.rel == "self")
    assert self_link == f"{SITE_URL}people/{fx.PERSON_SLUG}.xml"


def test_feeds_only_for_entities_and_types_with_events(out: SiteOutput, data: SiteData) -> None:
    ctx = build_ctx(data)
    feeds = {p for p in out.files if p.endswith(".xml")}
    expected = {"feed.xml"}
    expected |= {f"companies/{s}.xml" for s in ctx.slugs["company"].values()}
    expected |= {f"people/{s}.xml" for s in ctx.slugs["person"].values()}
    expected |= {
        f"types/{t}.xml" for t in ("funding", "departure", "hire", "lawsuit", "price_cut", "acquisition")
    }
    assert feeds == expected
    assert not any("fou-jue" in p for p in feeds)  # the rejected event's person has no page, no feed
    funding = parse(out.files["types/funding.xml"])
    assert len(funding.entries) == 3 and {t.term for e in funding.entries for t in e.tags} == {"funding"}


def _hires(n: int, date, **kw) -> tuple[SiteEvent, ...]:
    """``n`` hire events e000, e001 … titled 事件<i>, dated ``date(i)``."""
    return tuple(
        SiteEvent(id=f"e{i:03d}", slug=f"e{i:03d}", type="hire", title=f"事件{i}", date=date(i), **kw)
        for i in range(n)
    )


def test_site_feed_keeps_newest_200() -> None:
    events = _hires(SITE_LIMIT + 5, lambda i: f"{2000 + i // 12}-{i % 12 + 1:02d}")
    feed = parse(build_site(SiteData(events=events)).files["feed.xml"])
    assert len(feed.entries) == SITE_LIMIT
    assert feed.entries[0].title == f"事件{SITE_LIMIT + 4}"


def test_control_characters_never_break_the_xml() -> None:
    ev = SiteEvent(
        id="e1", slug="e1", type="hire", title="a\x0bb\x1fc\ufffe", date="2024", people=("甲\x08乙",)
    )
    feed = parse(build_site(SiteData(events=(ev,))).files["feed.xml"])
    assert feed.entries[0].title == "a b c"  # \x0b and \x1f count as spaces; U+FFFE is dropped


def test_feed_link_in_head_is_relative(out: SiteOutput) -> None:
    assert 'href="feed.xml"' in out.head["index.md"]
    assert f'href="../{fx.COMPANY_SLUG}.xml"' in out.head[f"companies/{fx.COMPANY_SLUG}.md"]
    assert relative_href("types/hire.xml", "types/hire.md", directory_urls=False) == "hire.xml"


# ---------------------------------------------------------------- events.json / events.csv


def _fixture_yaml() -> dict[str, dict]:
    """The fixture events as YAML gives them back (what a reader of events/ sees)."""
    return {e["id"]: yaml.safe_load(yaml.safe_dump(e, allow_unicode=True)) for e in fx.expected_events()}


def test_events_json_round_trips_the_yaml(out: SiteOutput) -> None:
    records = json.loads(out.files["events.json"])
    expected = _fixture_yaml()
    assert [r["id"] for r in records] == sorted(expected)  # sorted by id, rejected left out
    for record in records:
        source = expected[record["id"]]
        for key in ("id", "type", "date", "title", "people", "companies", "sources"):
            assert record.get(key) == source.get(key), (record["id"], key)
        assert record == {k: v for k, v in source.items()}  # every field, nothing added


def test_events_json_is_deterministic(data: SiteData, out: SiteOutput) -> None:
    shuffled = SiteData(
        events=data.events[::-1], articles=data.articles, companies=data.companies, people=data.people
    )
    assert build_site(shuffled).files == out.files
    assert build_site(data).files == out.files


def test_events_csv(out: SiteOutput) -> None:
    text = out.files["events.csv"]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["id"] for r in rows] == sorted(_fixture_yaml())
    funding = next(r for r in rows if r["id"] == "2024-11-13-funding-xingchen")
    assert funding["companies"] == "星辰智能; 远山资本" and funding["amount"] == "10亿元"
    assert funding["sources"] == "art_two#p1; art_one#p1"
    assert funding["url"] == "timeline/2024/11/#2024-11-13-funding-xingchen"
    hostile = next(r for r in rows if r["id"] == "2023-hostile")
    assert hostile["title"] == fx.HOSTILE_TITLE


def test_csv_cells_never_start_a_formula() -> None:
    ev = SiteEvent(id="e1", slug="e1", type="hire", title="=HYPERLINK(1)", people=("@甲",))
    rows = list(csv.DictReader(io.StringIO(build_site(SiteData(events=(ev,))).files["events.csv"][1:])))
    assert rows[0]["title"] == "'=HYPERLINK(1)" and rows[0]["people"] == "'@甲"


# ---------------------------------------------------------------- JSON-LD


def test_script_json_cannot_close_the_script() -> None:
    value = {"a": "</script><script>alert(1)</script> & <!--", "b": "\u2028"}
    text = script_json(value)
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == value


def test_event_jsonld(data: SiteData) -> None:
    ctx = build_ctx(data, site_url=SITE_URL)
    hostile = next(ev for ev in data.events if ev.id == "2023-hostile")
    script = jsonld_script(hostile, ctx)
    assert script.count("<") == 2 and script.endswith("</script>")  # only its own tags
    doc = json.loads(script.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))
    assert doc["@type"] == "Event" and doc["name"] == fx.HOSTILE_TITLE and doc["startDate"] == "2023"
    assert doc["url"] == f"{SITE_URL}timeline/2023/00/#2023-hostile"
    funding = event_jsonld(next(ev for ev in data.events if ev.id == "2024-11-13-funding-xingchen"), ctx)
    assert {
        "@type": "Organization",
        "name": "星辰智能",
        "url": f"{SITE_URL}companies/{fx.COMPANY_SLUG}/",
    } in funding["about"]
    assert [s["headline"] for s in funding["subjectOf"]] == ["星辰智能融资史", "星辰智能的一年"]
    assert "url" not in funding["subjectOf"][1]  # art_one's javascript: URL is dropped


def test_entity_and_type_feeds_keep_the_newest_50() -> None:
    events = _hires(FEED_LIMIT + 7, lambda i: f"2024-{i % 12 + 1:02d}", people=("甲",))
    files = build_site(SiteData(events=events)).files
    assert len(parse(files["types/hire.xml"]).entries) == FEED_LIMIT
    assert len(parse(files["people/jia.xml"]).entries) == FEED_LIMIT


def test_lazy_data_files_and_redirects(out: SiteOutput, data: SiteData) -> None:
    years = json.loads(out.files["timeline/data/2024.json"])
    ids = [r[0] for r in years]
    assert ids[0] == "2024-12-acquisition-moonbay" and "2024-08-departure-cen-wang-dup" not in ids
    dep = next(r for r in years if r[0] == "2024-08-departure-cen-wang")
    assert dep[1:6] == [
        "2024-08",
        "约2024年8月",
        "departure",
        "岑望离开星辰智能，加入月湾科技",
        "timeline/2024/08/",
    ]
    assert dep[6] == [fx.PERSON_SLUG] and dep[7] == [fx.COMPANY_SLUG, fx.OTHER_COMPANY_SLUG] and dep[9] == 1
    undated = json.loads(out.files["timeline/data/undated.json"])
    assert [r[0] for r in undated] == ["undated-hire-cen-wang"] and undated[0][1] == ""
    entities = json.loads(out.files["timeline/data/entities.json"])
    assert entities["company"][fx.COMPANY_SLUG][:2] == [fx.COMPANY, f"companies/{fx.COMPANY_SLUG}/"]
    assert fx.COMPANY_ALIAS in entities["company"][fx.COMPANY_SLUG]  # aliases for the text filter
    assert entities["types"]["hire"] == "加入"
    hostile = next(r for r in json.loads(out.files["timeline/data/2023.json"]) if r[0] == "2023-hostile")
    assert hostile[4] == fx.HOSTILE_TITLE  # data for textContent: the script never parses it as HTML
    stub = out.files["events/2024-08-departure-cen-wang-dup/index.html"]
    assert 'url=../../timeline/2024/08/#2024-08-departure-cen-wang"' in stub  # merged: to the survivor
    assert len([p for p in out.files if p.startswith("events/")]) == len(data.events)
    flat = build_site(data, use_directory_urls=False).files
    assert (
        'url=../timeline/2024/08.html#2024-08-departure-cen-wang"'
        in flat["events/2024-08-departure-cen-wang.html"]
    )


def test_exports_are_written_by_the_hook(out: SiteOutput) -> None:
    assert {"events.json", "events.csv", "feed.xml"} <= set(out.files)
    assert all(isinstance(Path(p), Path) and not p.startswith("/") for p in out.files)


def test_events_made_in_code_export_their_fields() -> None:
    ev = SiteEvent(
        id="e1",
        slug="e1",
        type="funding",
        title="t",
        date="2024-05",
        companies=("甲",),
        details=(("amount", ("1亿元",)), ("investors", ("乙", "丙"))),
        sources=(SourceRef("a1", "p2", "q"),),
    )
    record = json.loads(build_site(SiteData(events=(ev,))).files["events.json"])[0]
    assert record["amount"] == "1亿元" and record["investors"] == ["乙", "丙"]
    assert record["sources"] == [{"article": "a1", "anchor": "p2", "quote": "q"}]
