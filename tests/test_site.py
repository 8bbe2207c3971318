"""End to end: the invented fixture project built with the real mkdocs.yml and `mkdocs build --strict`.

Checks every built page: internal links and #anchors resolve, <title>, meta
description, <img alt>, nothing hostile runs; generated feeds and exports are
there; two builds give the same files; with a site_url for a GitHub project
site, every internal link stays relative so the /REPO/ prefix works.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
import site_fixture as fx

pytestmark = pytest.mark.slow

SITE_URL = "https://user.github.io/repo/"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    fx.write_project(root)
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return fx.build(project, project / "site")


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project_url")
    fx.write_project(root, site_url=SITE_URL)
    return fx.build(root, root / "site")


def _html(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))
    }


# ---------------------------------------------------------------- link checker


def _target(site: Path, page: str, path: str, prefix: str) -> str | None:
    """Site-relative file a link path points at, or None when it leaves the site."""
    if path.startswith("/"):
        if not path.startswith(prefix):
            return None
        joined = path[len(prefix) :]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    norm = posixpath.normpath(joined) if joined else "."
    if norm == ".." or norm.startswith("../"):
        return None
    if norm == "." or path.endswith("/") or (site / norm).is_dir():
        norm = posixpath.join(norm, "index.html") if norm != "." else "index.html"
    return norm


def broken_links(site: Path, prefix: str = "/") -> list[str]:
    """Every internal href/src that misses a file or an element id, as 'page: link (why)'."""
    pages = {rel: fx.audit(text) for rel, text in _html(site).items()}
    problems = []
    for rel, page in pages.items():
        for tag, _, value in page.links:
            url = urlsplit(value.strip())
            if url.scheme or url.netloc or not value.strip():
                continue  # external (javascript: links are checked elsewhere)
            if value.startswith("/") and rel != "404.html":
                problems.append(f"{rel}: {value} (root-absolute: breaks under a /REPO/ prefix)")
                continue
            target = _target(site, rel, unquote(url.path), prefix) if url.path else rel
            if target is None or not (site / target).is_file():
                problems.append(f"{rel}: <{tag}> {value} (no file {target})")
            elif url.fragment and unquote(url.fragment) not in pages.get(target, fx.HtmlAudit()).ids:
                problems.append(f"{rel}: {value} (no id {url.fragment!r} in {target})")
    return problems


def test_no_broken_internal_link_or_anchor(site: Path) -> None:
    assert broken_links(site) == []


def test_links_relative_under_project_site_url(site_with_url: Path) -> None:
    assert broken_links(site_with_url, prefix="/repo/") == []


def test_link_checker_catches_breakage(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="a/#nope">bad</a><a href="b/">bad</a>'
        '<a href="/a/">abs</a><a href="#top" id="top">ok</a><a href="https://e.com/">ext</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="x">x</h2><a href="../../up">bad</a>', encoding="utf-8"
    )
    problems = broken_links(tmp_path)
    assert len(problems) == 4, problems


# ---------------------------------------------------------------- every page


def test_pages_have_title_description_and_img_alt(site: Path) -> None:
    for rel, text in _html(site).items():
        page = fx.audit(text)
        assert page.title.strip(), rel
        assert page.meta.get("description", "").strip(), rel
        assert all("alt" in img for img in page.imgs), rel
    month = fx.audit((site / "timeline" / "2024" / "11" / "index.html").read_text(encoding="utf-8"))
    assert month.meta["description"].startswith("2024年11月的大模型行业事件（1 个：融资 1）")
    assert month.title.startswith("2024年11月")
    assert "2024-11-13-funding-xingchen" in month.ids  # the event's anchor
    short = fx.audit(
        (site / "events" / "2024-11-13-funding-xingchen" / "index.html").read_text(encoding="utf-8")
    )
    assert short.title == "星辰智能完成10亿元B轮融资"  # the short permalink forwards to the anchor
    assert ("a", "href", "../../timeline/2024/11/#2024-11-13-funding-xingchen") in short.links


def test_nothing_hostile_runs(site: Path) -> None:
    for rel, text in _html(site).items():
        page = fx.audit(text)
        assert not fx.javascript_links(page), rel
        assert not page.handlers, (rel, page.handlers)
        assert "<script>alert" not in text and "<svg onload" not in text and "<img src=x" not in text, rel
        assert "<strong>bold" not in text, rel
    month = (site / "timeline" / "2023" / "00" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="2023-hostile" class="tl-event-title">&lt;script&gt;alert(1)&lt;/script&gt;' in month
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "&lt;svg onload" in index
    assert fx.PERSON in index and not re.search(r"\\u[4-9][0-9a-f]{3}", index)  # UTF-8, not escapes
    for doc in json.loads(index)["docs"]:  # material shows these snippets as HTML
        snippet = fx.audit(doc["title"] + doc["text"])
        assert not snippet.scripts and not snippet.handlers and not fx.javascript_links(snippet), doc[
            "location"
        ]


def test_json_ld_on_month_pages(site: Path, site_with_url: Path) -> None:
    for root, url in ((site, None), (site_with_url, f"{SITE_URL}timeline/2023/00/#2023-hostile")):
        text = (root / "timeline" / "2023" / "00" / "index.html").read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
        assert len(blocks) == 1 and "<" not in blocks[0]
        doc = json.loads(blocks[0])
        assert doc["@context"] == "https://schema.org"
        (event,) = (e for e in doc["@graph"] if e["identifier"] == "2023-hostile")
        assert event["@type"] == "Event" and event["name"] == fx.HOSTILE_TITLE and event.get("url") == url


def test_rejected_event_absent(site: Path) -> None:
    for rel, text in _html(site).items():
        assert "QZX" not in text, rel
    for name in ("events.json", "events.csv", "feed.xml", "search/search_index.json"):
        assert "QZX" not in (site / name).read_text(encoding="utf-8"), name
    assert not (site / "events" / "2024-05-rejected").exists()


# ---------------------------------------------------------------- generated content


def test_home_lists_events_newest_first(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    titles = [
        "月湾科技收购小蚂蚁工作室",
        "星辰智能完成10亿元B轮融资",
        "岑望离开星辰智能",
        "&lt;script&gt;",
        "岑望曾加入星辰智能",
    ]
    positions = [home.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions)
    assert "约2024年8月" in home and "2024年11月13日" in home
    assert 'class="twemoji"' in home  # type icons rendered as inline SVG
    assert 'href="feed.xml"' in home and 'src="assets/timeline.js"' in home


def test_entity_type_year_and_source_pages(site: Path) -> None:
    person = (site / "people" / fx.PERSON_SLUG / "index.html").read_text(encoding="utf-8")
    assert "Cen Wang" in person and "职业轨迹" in person
    company = (site / "companies" / fx.COMPANY_SLUG / "index.html").read_text(encoding="utf-8")
    assert (
        fx.COMPANY_ALIAS in company
        and '<svg xmlns="http://www.w3.org/2000/svg" class="tl-chart-svg"' in company
    )
    source = (site / "sources" / "art_one" / "index.html").read_text(encoding="utf-8")
    assert 'id="p2"' in source and 'id="p4"' in source
    for page in ("types/funding", "years/2024", "years", f"companies/{fx.OTHER_COMPANY_SLUG}"):
        assert (site / page / "index.html").is_file(), page


def test_feeds_and_exports_are_static_files(site: Path, site_with_url: Path) -> None:
    for name in (
        "feed.xml",
        f"companies/{fx.COMPANY_SLUG}.xml",
        f"people/{fx.PERSON_SLUG}.xml",
        "types/hire.xml",
    ):
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo and feed.entries, name
    records = json.loads((site / "events.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in records} == {e["id"] for e in fx.expected_events()}
    assert (site / "events.csv").read_text(encoding="utf-8-sig").startswith("id,type,")
    absolute = feedparser.parse((site_with_url / "feed.xml").read_bytes())
    assert all(e.link.startswith(SITE_URL) for e in absolute.entries)
    relative = feedparser.parse((site / "feed.xml").read_bytes())
    assert all(e.link.startswith("timeline/") and "/#" in e.link for e in relative.entries)


def test_search_index_has_names_as_words(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    terms = {t for doc in index["docs"] for t in re.split(r"[\s\u200b：（）、]+", doc["text"])}
    titles = {doc["title"].replace("\u200b", "") for doc in index["docs"]}
    assert {fx.PERSON, "甄图灵", fx.COMPANY_ALIAS} <= terms  # whole words thanks to jieba.add_word
    assert fx.PERSON in titles


def test_two_builds_are_identical(project: Path, site: Path, tmp_path: Path) -> None:
    again = fx.build(project, tmp_path / "again")
    first = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file()}
    assert first == second
    different = [rel for rel in sorted(first) if (site / rel).read_bytes() != (again / rel).read_bytes()]
    assert different in ([], ["sitemap.xml.gz"])  # gzip stores a timestamp


@pytest.mark.slow
def test_real_repository_site_builds_strict_without_broken_links(tmp_path: Path) -> None:
    """The committed events/, articles/ and registry/ as users publish them."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    for name in ("events", "articles", "registry", "docs", "builder"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "mkdocs.yml", tmp_path / "mkdocs.yml")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert broken_links(tmp_path / "site") == []


# ---------------------------------------------------------------- the edit loop (timeline serve)


def test_incremental_rebuild_equals_a_full_build(tmp_path: Path) -> None:
    """What `timeline serve` renders after an edit is exactly what a full build renders."""
    import dataclasses

    from builder.incremental import rebuild
    from builder.pages import load_site_data
    from builder.sitebuild import build_site

    fx.write_data(tmp_path)
    data = load_site_data(tmp_path)
    before = build_site(data)
    events = list(data.events)
    i = next(n for n, ev in enumerate(events) if ev.id == "2024-08-departure-cen-wang")
    events[i] = dataclasses.replace(events[i], title="岑望离开星辰智能（已更正）", people=("岑望", "甄图灵"))
    after = dataclasses.replace(data, events=tuple(events))
    fast = rebuild(data, before, after, "", True, "大模型行业时间线", 50)
    full = build_site(after)
    assert fast is not None
    assert (fast.pages, fast.files, fast.head) == (full.pages, full.files, full.head)
    moved = list(events)
    moved[i] = dataclasses.replace(events[i], date="2021-01")  # a new month: everything is rendered again
    assert rebuild(data, before, dataclasses.replace(data, events=tuple(moved)), "", True, "x", 50) is None


def test_file_cache_rereads_only_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import sitedata

    fx.write_data(tmp_path)
    monkeypatch.setattr(sitedata, "FILE_CACHE", {})
    first = sitedata.load_site_data(tmp_path)
    reads: list[str] = []
    real = sitedata._read_yaml
    monkeypatch.setattr(
        sitedata, "_read_yaml", lambda path, root: reads.append(path.name) or real(path, root)
    )
    assert sitedata.load_site_data(tmp_path) == first and reads == []
    path = tmp_path / "events" / "2023-hostile.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: lawsuit", "type: hire"), "utf-8")
    second = sitedata.load_site_data(tmp_path)
    assert reads == ["2023-hostile.yaml"] and second != first


def _get(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def test_timeline_serve_shows_an_edit_quickly(tmp_path: Path) -> None:
    """`timeline serve` (mkdocs serve --dirty + the hook's fast path): edit a title, see it."""
    import socket
    import subprocess
    import sys
    import time

    fx.write_project(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    env = {**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(fx.REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("wb"),  # a pipe nobody reads would fill up and stall the server
    )
    try:
        deadline = time.monotonic() + 120
        while _get(base) is None:
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.3)
        time.sleep(1.5)
        path = tmp_path / "events" / "2024-12-acquisition-moonbay.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "title: 月湾科技收购小蚂蚁工作室", "title: 月湾科技收购了蚂蚁工作室"
            ),
            encoding="utf-8",
        )
        start = time.monotonic()
        while "月湾科技收购了蚂蚁工作室" not in (_get(base + "timeline/2024/12/") or ""):
            assert time.monotonic() - start < 60, "the edit never showed"
            time.sleep(0.2)
        print(f"edit shown after {time.monotonic() - start:.2f} s")
        assert "月湾科技收购了蚂蚁工作室" in (_get(base) or "")  # the home page too
        index = json.loads(_get(base + "search/search_index.json") or "{}")
        locations = {d["location"] for d in index["docs"]}
        assert f"people/{fx.PERSON_SLUG}/" in locations  # pages the dirty rebuild skipped stay searchable
        assert any(loc.startswith("timeline/2024/12/#") for loc in locations)
        assert _get(base + f"people/{fx.PERSON_SLUG}/")  # untouched pages are still served
        assert "月湾科技收购了蚂蚁工作室" in (_get(base + f"companies/{fx.OTHER_COMPANY_SLUG}/") or "")

        # rejecting the only event of its year: its permalink and the pages left empty go away,
        # with their search entries (a dirty build does not clean the site folder by itself)
        gone = "2022-funding-xingchen"
        assert _get(base + f"events/{gone}/") is not None
        before = {d["location"].split("#")[0] for d in index["docs"]}
        path = tmp_path / "events" / f"{gone}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "status: rejected\n", encoding="utf-8")
        start = time.monotonic()
        while _get(base + f"events/{gone}/") is not None or any(gone in d["location"] for d in index["docs"]):
            assert time.monotonic() - start < 60, "the rejected event is still served or searchable"
            time.sleep(0.2)
            index = json.loads(_get(base + "search/search_index.json") or '{"docs": []}')
        time.sleep(0.5)  # the index is written last: read it once the build is surely over
        index = json.loads(_get(base + "search/search_index.json") or "{}")
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        assert not any(gone in d["location"] for d in index["docs"])
        assert before - pages, "no page went away with the event"
        assert all(_get(base + page) is not None for page in pages)  # every search hit is served
        assert all(_get(base + page) is None for page in before - pages)

        # a later edit: what went away stays away (the search plugin remembers earlier builds)
        path = tmp_path / "events" / "2024-12-acquisition-moonbay.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("收购了蚂蚁", "收购蚂蚁"), encoding="utf-8")
        start = time.monotonic()
        while "月湾科技收购蚂蚁工作室" not in (_get(base + "timeline/2024/12/") or ""):
            assert time.monotonic() - start < 60, "the second edit never showed"
            time.sleep(0.2)
        time.sleep(0.5)
        index = json.loads(_get(base + "search/search_index.json") or "{}")
        assert not any(gone in d["location"] for d in index["docs"])
        assert _get(base + f"events/{gone}/") is None
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert _get(base) is None  # stopping `timeline serve` stopped the server (no orphan mkdocs)
    assert not (tmp_path / "docs" / "timeline").exists()  # nothing is written into docs/
