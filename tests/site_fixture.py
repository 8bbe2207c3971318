"""A small invented data project for the site tests (pages, feeds, mkdocs build, browser).

Everything here is made up for the tests: the companies, people, articles and
events do not describe anything real. Some strings are hostile on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_LINK = "[x](javascript:alert(1))"
HOSTILE_COMPANY = '"><svg onload=alert(1)>&amp;'
PERSON = "岑望"  # a two-character name, as many Chinese names are
PERSON_SLUG = "cen-wang"
COMPANY = "星辰智能"
COMPANY_SLUG = "xing-chen-zhi-neng"
COMPANY_ALIAS = "北斗星辰科技"
OTHER_COMPANY = "月湾科技"
OTHER_COMPANY_SLUG = "yue-wan-ke-ji"

COMPANIES = [
    {
        "name": COMPANY,
        "aliases": [COMPANY_ALIAS, "Xingchen AI"],
        "products": ["星辰大模型"],
        "description": "虚构的大模型创业公司，仅用于测试。",
        "links": {"homepage": "https://example.com/xingchen", "wikidata": "Q42", "x": "javascript:alert(1)"},
        "kind": "company",
    },
    {"name": OTHER_COMPANY, "aliases": ["Moonbay"], "description": "另一家虚构公司。", "kind": "company"},
    {"name": "远山资本", "aliases": [], "description": "虚构的投资机构。", "kind": "investor"},
]

PEOPLE = [
    {
        "name": PERSON,
        "aliases": ["Cen Wang"],
        "description": "虚构的算法工程师。",
        "affiliations": [COMPANY, OTHER_COMPANY],
    },
    {"name": "甄图灵", "aliases": ["甄博士"], "description": "虚构的研究员。"},
]


def _src(article: str, anchor: str, quote: str, date_text: str = "") -> dict[str, str]:
    out = {"article": article, "anchor": anchor, "quote": quote}
    return {**out, "date_text": date_text} if date_text else out


EVENTS: list[dict[str, object]] = [
    {
        "id": "2024-11-13-funding-xingchen",
        "type": "funding",
        "date": "2024-11-13",
        "date_text": "11月13日",
        "title": "星辰智能完成10亿元B轮融资",
        "people": [],
        "companies": [COMPANY, "远山资本"],
        "amount": "10亿元",
        "round": "B轮",
        "investors": ["远山资本"],
        "other_dates": ["2024-11"],
        "sources": [
            _src("art_two", "p1", "星辰智能11月13日宣布完成10亿元B轮融资，远山资本领投。", "11月13日"),
            _src("art_one", "p1", "星辰智能本月完成新一轮融资。", "本月"),
        ],
    },
    {
        "id": "2023-05-funding-xingchen",
        "type": "funding",
        "date": "2023-05",
        "title": "星辰智能完成2.5亿元A轮融资",
        "companies": [COMPANY],
        "amount": "2.5亿元",
        "round": "A轮",
        "sources": [_src("art_two", "p2", "去年5月，星辰智能完成2.5亿元A轮融资。", "去年5月")],
    },
    {
        "id": "2022-funding-xingchen",
        "type": "funding",
        "date": "2022",
        "title": "星辰智能获得天使轮融资",
        "companies": [COMPANY],
        "amount": "3000万美元",
        "round": "天使轮",
        "sources": [_src("art_two", "p3", "2022年，星辰智能获得3000万美元天使轮融资。", "2022年")],
    },
    {
        "id": "2024-08-departure-cen-wang",
        "type": "departure",
        "status": "reported",
        "date": "2024-08",
        "date_approximate": True,
        "title": "岑望离开星辰智能，加入月湾科技",
        "people": [PERSON],
        "companies": [COMPANY, OTHER_COMPANY],
        "from": COMPANY,
        "to": OTHER_COMPANY,
        "sources": [_src("art_one", "p2", "据传岑望已于近日离开星辰智能，加入月湾科技。", "近日")],
    },
    {
        "id": "2024-03-hire-zhen-tu-ling",
        "type": "hire",
        "date": "2024-03-01",
        "title": "甄图灵加入月湾科技",
        "people": ["甄博士"],
        "companies": ["Moonbay"],
        "role": "首席科学家",
        "sources": [_src("art_one", "p3", "甄博士3月1日加入月湾科技，出任首席科学家。")],
    },
    {
        "id": "2023-hostile",
        "type": "lawsuit",
        "date": "2023",
        "title": HOSTILE_TITLE,
        "companies": [COMPANY, HOSTILE_COMPANY],
        "plaintiff": HOSTILE_COMPANY,
        "defendant": COMPANY,
        "note": "**bold** <img src=x onerror=alert(1)> " + HOSTILE_LINK,
        "sources": [_src("art_one", "p4", HOSTILE_LINK)],
    },
    {
        "id": "2024-06-price-cut-moonbay",
        "type": "price_cut",
        "date": "2024-06-15",
        "title": "月湾科技大模型降价",
        "companies": [OTHER_COMPANY],
        "product": "月湾大模型",
        "old_price": "0.1元/千tokens",
        "new_price": "0.01元/千tokens",
        "sources": [_src("art_two", "p4", "月湾科技宣布月湾大模型降价九成。")],
    },
    {
        "id": "2024-12-acquisition-moonbay",
        "type": "acquisition",
        "date": "2024-12",
        "title": "月湾科技收购小蚂蚁工作室",
        "companies": [OTHER_COMPANY, "小蚂蚁工作室"],
        "acquirer": OTHER_COMPANY,
        "target": "小蚂蚁工作室",
        "sources": [_src("art_two", "p5", "12月，月湾科技收购了小蚂蚁工作室。")],
    },
    {
        "id": "undated-hire-cen-wang",
        "type": "hire",
        "date": None,
        "title": "岑望曾加入星辰智能",
        "people": [PERSON],
        "companies": [COMPANY],
        "sources": [_src("art_one", "p2", "据传岑望已于近日离开星辰智能，加入月湾科技。")],
    },
    {
        "id": "2024-05-rejected",
        "type": "hire",
        "status": "rejected",
        "date": "2024-05",
        "title": "被否决的虚构事件QZX",
        "people": ["否决人物QZX"],
        "sources": [_src("art_one", "p1", "星辰智能本月完成新一轮融资。")],
    },
    {
        "id": "2024-08-departure-cen-wang-dup",
        "type": "departure",
        "date": "2024-08",
        "title": "重复条目",
        "redirect_to": "2024-08-departure-cen-wang",
        "sources": [],
    },
]

ARTICLES = {
    "art_one": {
        "stem": "art_one",
        "title": "星辰智能的一年",
        "url": "javascript:alert(1)",
        "source": "测试日报",
        "published": "2024-11-14",
        "published_inferred": False,
        "file": "seeds/art_one.txt",
        "paragraphs": [
            "星辰智能本月完成新一轮融资。",
            "据传岑望已于近日离开星辰智能，加入月湾科技。" + HOSTILE_LINK,
            "甄博士3月1日加入月湾科技，出任首席科学家。",
            HOSTILE_TITLE + " " + HOSTILE_LINK,
        ],
    },
    "art_two": {
        "stem": "art_two",
        "title": "星辰智能融资史",
        "url": "https://example.com/news/2",
        "source": "虚构财经",
        "published": "2024-12-20",
        "paragraphs": [
            "星辰智能11月13日宣布完成10亿元B轮融资，远山资本领投。",
            "去年5月，星辰智能完成2.5亿元A轮融资。",
            "2022年，星辰智能获得3000万美元天使轮融资。",
            "月湾科技宣布月湾大模型降价九成。",
            "12月，月湾科技收购了小蚂蚁工作室。",
        ],
    },
}


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def write_data(root: Path) -> None:
    """events/, articles/ and registry/ of the fixture project."""
    for sub in ("events", "articles", "registry"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for event in EVENTS:
        (root / "events" / f"{event['id']}.yaml").write_text(_dump(event), encoding="utf-8")
    for stem, article in ARTICLES.items():
        (root / "articles" / f"{stem}.yaml").write_text(_dump(article), encoding="utf-8")
    (root / "registry" / "companies.yaml").write_text(_dump(COMPANIES), encoding="utf-8")
    (root / "registry" / "people.yaml").write_text(_dump(PEOPLE), encoding="utf-8")


def write_project(root: Path, site_url: str = "") -> None:
    """A whole MkDocs project: the repo's mkdocs.yml (inherited) and docs/, fixture data."""
    shutil.copytree(REPO / "docs", root / "docs")
    config = {"INHERIT": str(REPO / "mkdocs.yml"), "hooks": [str(REPO / "builder" / "site_hooks.py")]}
    if site_url:
        config["site_url"] = site_url
    (root / "mkdocs.yml").write_text(_dump(config), encoding="utf-8")
    write_data(root)


def build(root: Path, site_dir: Path) -> Path:
    """`mkdocs build --strict` of the project at ``root``; fails the test on any error."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    print(f"mkdocs build took {time.perf_counter() - start:.2f}s")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site_dir


def expected_events() -> list[dict[str, object]]:
    """The fixture events that reach the site (all but the rejected one)."""
    return [e for e in EVENTS if e.get("status") != "rejected"]


# ---------------------------------------------------------------- HTML checks


class HtmlAudit(HTMLParser):
    """Collects what a page would run or link to: script tags, on* handlers, link targets, ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str]] = []
        self.handlers: list[str] = []
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.imgs: list[dict[str, str | None]] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts.append(values)
        if tag == "img":
            self.imgs.append(dict(attrs))
        if tag == "title":
            self._in_title = True
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        self.handlers += [f"{tag}[{k}]" for k in values if k.lower().startswith("on")]
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        for key in ("href", "src", "action", "formaction", "xlink:href"):
            if key in values:
                self.links.append((tag, key, values[key]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def audit(text: str) -> HtmlAudit:
    parser = HtmlAudit()
    parser.feed(text)
    parser.close()
    return parser


def javascript_links(page: HtmlAudit) -> list[str]:
    """Link targets that would run script (the browser strips whitespace and controls first)."""
    bad = []
    for _, _, value in page.links:
        squashed = "".join(c for c in value if c > " ").lower()
        if squashed.startswith(("javascript:", "vbscript:", "data:text/html")):
            bad.append(value)
    return bad
