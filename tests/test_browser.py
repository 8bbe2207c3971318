"""The built fixture site in a real browser (Playwright driving Debian's chromium).

Served by http.server on a free localhost port. Checks the timeline filters
(and that their URL reloads the same view), material's search for a
two-character person name and a company alias, the highlighted source
passage, that nothing hostile runs, and saves screenshots to tests/artifacts/.

Needs `pip install playwright` and `apt-get install chromium` (no `playwright
install`: the browser is Debian's). Without them the tests skip, except in CI
(CI is set), where they fail.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import site_fixture as fx

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _serve(site: Path) -> Iterator[str]:
    """Serve the built site folder on a free loopback port for as long as the caller iterates."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser_project")
    fx.write_project(root)
    yield from _serve(fx.build(root, root / "site"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _visible_titles(page: Any) -> list[str]:
    return page.locator(".tl-entry:visible .tl-title").all_inner_texts()


def _result_months(page: Any) -> list[str]:
    return page.locator("#tl-results h2:visible").all_inner_texts()


READY = "#tl-filters[data-ready='1']:not([hidden])"  # timeline.js has loaded the data


def _screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def _javascript_hrefs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[href], [src], [action]",
        """els => els.flatMap(e => ['href', 'src', 'action'].map(a => e.getAttribute(a) || ''))
            .filter(v => v.replace(/[\\u0000-\\u0020]/g, '').toLowerCase().startsWith('javascript:'))""",
    )


# ---------------------------------------------------------------- timeline filters


def test_filter_by_type_and_company_and_reload(page: Any, base_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base_url)
    total = len(fx.expected_events()) - 1
    assert len(_visible_titles(page)) == total  # server-rendered: works before (and without) the script
    page.wait_for_selector(READY)
    assert {
        f"{base_url}timeline/data/{n}.json" for n in ("entities", "2024", "2023", "2022", "undated")
    } <= set(requests)  # the lazily loaded data
    _screenshot(page, "home")

    page.select_option("#tl-filters select[name=type]", "hire")
    assert sorted(_visible_titles(page)) == ["岑望曾加入星辰智能", "甄图灵加入月湾科技"]
    page.select_option("#tl-filters select[name=company]", fx.OTHER_COMPANY_SLUG)
    assert _visible_titles(page) == ["甄图灵加入月湾科技"]
    page.wait_for_function(
        f"location.search === '?type=hire&company={fx.OTHER_COMPANY_SLUG}'"
    )  # written after paint
    assert _result_months(page) == ["2024年3月"]
    assert page.locator(".tl-filter-status").inner_text() == f"显示 1 / {total} 个事件"
    link = page.locator("#tl-results .tl-title a").first.get_attribute("href")
    assert link == "timeline/2024/03/#2024-03-hire-zhen-tu-ling"  # the event's anchor on its month page

    page.reload()
    page.wait_for_selector(READY)
    assert _visible_titles(page) == ["甄图灵加入月湾科技"]
    assert page.input_value("#tl-filters select[name=type]") == "hire"
    assert page.input_value("#tl-filters select[name=company]") == fx.OTHER_COMPANY_SLUG
    _screenshot(page, "home-filtered")

    page.focus("#tl-filters button[type=reset]")  # keyboard works too: focus + Enter
    page.keyboard.press("Enter")
    page.wait_for_function("!document.getElementById('tl-latest').hidden")
    assert len(_visible_titles(page)) == total
    page.wait_for_function("location.search === ''")


def test_filter_text_alias_year_range_and_person_from_url(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}?q=Moonbay&from=2024&to=2024")
    page.wait_for_selector(READY)
    assert sorted(_visible_titles(page)) == sorted(
        [
            "月湾科技收购小蚂蚁工作室",
            "月湾科技大模型降价",
            "岑望离开星辰智能，加入月湾科技",
            "甄图灵加入月湾科技",
        ]
    )  # the alias matches entries naming 月湾科技; the undated entry is outside any year range
    page.goto(f"{base_url}?person={fx.PERSON_SLUG}")
    page.wait_for_selector(READY)
    assert sorted(_visible_titles(page)) == ["岑望曾加入星辰智能", "岑望离开星辰智能，加入月湾科技"]
    assert _result_months(page) == ["2024年8月", "日期不详"]
    assert page.errors == []


# ---------------------------------------------------------------- search


def _heading(page: Any) -> str:
    return page.locator("h1").inner_text().removesuffix("¶").strip()  # toc adds a permalink mark


def _search_and_open(page: Any, base_url: str, query: str, path: str) -> None:
    page.goto(base_url)
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # material searches on keyup
    page.wait_for_selector(".md-search-result__item")
    hrefs = page.eval_on_selector_all(
        ".md-search-result__link", "els => els.map(e => e.getAttribute('href'))"
    )
    hits = [h for h in hrefs if h.split("?")[0].split("#")[0].endswith(path)]
    assert hits, (query, hrefs)
    page.locator(f'.md-search-result__link[href="{hits[0]}"]').first.click()
    page.wait_for_url(f"**/{path}**")


def test_search_two_character_person_name(page: Any, base_url: str) -> None:
    _search_and_open(page, base_url, fx.PERSON, f"people/{fx.PERSON_SLUG}/")
    assert _heading(page) == fx.PERSON
    _screenshot(page, "person")


def test_search_company_alias(page: Any, base_url: str) -> None:
    _search_and_open(page, base_url, fx.COMPANY_ALIAS, f"companies/{fx.COMPANY_SLUG}/")
    assert _heading(page) == fx.COMPANY
    assert page.locator("figure.tl-chart svg").count() == 1
    _screenshot(page, "company")


# ---------------------------------------------------------------- sources


def test_event_permalinks_and_merged_stub(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}events/2024-08-departure-cen-wang/")  # the short permalink
    page.wait_for_url("**/timeline/2024/08/#2024-08-departure-cen-wang")
    background = "id => getComputedStyle(document.getElementById(id).closest('article')).backgroundColor"
    highlighted = page.evaluate(background, "2024-08-departure-cen-wang")
    page.goto(f"{base_url}events/2024-08-departure-cen-wang-dup/")  # merged: leads to the survivor
    page.wait_for_url("**/timeline/2024/08/#2024-08-departure-cen-wang")
    page.goto(f"{base_url}timeline/2024/12/")
    page.goto(f"{base_url}timeline/2024/08/#2024-08-departure-cen-wang-dup")  # the stub's own anchor
    page.wait_for_url("**/timeline/2024/08/#2024-08-departure-cen-wang")
    page.goto(f"{base_url}timeline/2024/08/")
    assert page.evaluate(background, "2024-08-departure-cen-wang") != highlighted  # only as :target
    assert page.errors == []


def test_source_link_highlights_passage(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}timeline/2024/08/#2024-08-departure-cen-wang")
    _screenshot(page, "event")
    page.locator('a[href$="sources/art_one/#p2"]').first.click()
    page.wait_for_url("**/sources/art_one/#p2")
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "p2"
    background = "id => getComputedStyle(document.getElementById(id)).backgroundColor"
    assert page.evaluate(background, "p2") != page.evaluate(background, "p1")
    _screenshot(page, "source", full_page=False)  # the viewport, scrolled to the passage


# ---------------------------------------------------------------- hostile strings


def test_hostile_article_runs_nothing(page: Any, base_url: str) -> None:
    paths = ["", "timeline/2023/00/", "sources/art_one/", "companies/", "search/search_index.json"]
    paths += [f"companies/{fx.COMPANY_SLUG}/", "types/lawsuit/", "years/2023/"]
    for path in paths:
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        if not path.endswith(".json"):
            assert _javascript_hrefs(page) == [], path
    page.goto(base_url)
    page.fill("input.md-search__input", "script")
    page.press("input.md-search__input", "End")
    page.wait_for_timeout(500)
    page.goto(f"{base_url}?q=%3Cscript%3Ealert(1)%3C/script%3E")
    page.wait_for_selector(READY)
    assert _visible_titles(page) == [fx.HOSTILE_TITLE]
    assert page.dialogs == [] and page.errors == []


# ---------------------------------------------------------------- keyboard and colour schemes


def test_keyboard_focus_is_visible(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.focus(".tl-entry .tl-title a")
    page.keyboard.press("Tab")  # to the entry's first party link, by keyboard
    focused = page.evaluate(
        """() => { const a = document.activeElement, s = getComputedStyle(a);
                   return [a.tagName, !!a.closest('.tl-entry'), s.outlineStyle, s.outlineWidth]; }"""
    )
    assert focused[:2] == ["A", True]
    assert focused[2] != "none" and focused[3] != "0px"


def test_dark_scheme(browser: Any, base_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url)
        page.wait_for_selector(READY)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        if scheme == "dark":
            _screenshot(page, "home-dark", full_page=False)
        context.close()
    assert colours["light"] != colours["dark"]


# ---------------------------------------------------------------- the real site


@pytest.fixture(scope="module")
def real_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's own committed data, built as a user publishes it."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    work = tmp_path_factory.mktemp("real_site")
    for name in ("events", "articles", "registry", "docs", "builder"):
        shutil.copytree(root / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "mkdocs.yml", work / "mkdocs.yml")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(work / "site")], cwd=work, check=True
    )
    yield from _serve(work / "site")


def test_real_site_search_finds_zhou_chang(page: Any, real_site_url: str) -> None:
    """The issue's own check: searching 周畅 lands on the person page."""
    _search_and_open(page, real_site_url, "周畅", "people/zhou-chang/")
    assert _heading(page) == "周畅"
    _screenshot(page, "real-person-zhou-chang")


def test_real_site_alias_finds_company(page: Any, real_site_url: str) -> None:
    _search_and_open(page, real_site_url, "Moonshot", "companies/yue-zhi-an-mian/")
    assert _heading(page) == "月之暗面"
