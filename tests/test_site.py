"""End to end: a tiny data project built with the real mkdocs.yml and `mkdocs build --strict`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

EVENTS = {
    "2024-11-13-funding-xingchen": """
id: 2024-11-13-funding-xingchen
type: funding
date: '2024-11-13'
date_text: 11月13日
title: 星辰智能完成新一轮融资
companies: [星辰智能]
amount: 10亿元
investors: [远山资本]
status: confirmed
sources:
- article: art_one
  anchor: p1
  quote: 星辰智能宣布完成10亿元融资。
""",
    "2024-08-departure-zhen-tu-ling": """
id: 2024-08-departure-zhen-tu-ling
type: departure
date: '2024-08'
date_approximate: true
title: 甄图灵离开星辰智能
people: [甄图灵]
companies: [星辰智能, 月湾科技]
from: 星辰智能
to: 月湾科技
status: reported
sources:
- article: art_one
  anchor: p2
  quote: 据传甄图灵已于近日离开星辰智能。
""",
    "2023-hostile": """
id: 2023-hostile
type: lawsuit
date: '2023'
title: <script>alert(1)</script>
companies: [星辰智能]
note: '**bold** <img src=x onerror=alert(1)>'
status: confirmed
sources:
- article: art_one
  anchor: p2
  quote: '[x](javascript:alert(1))'
""",
    "2024-05-rejected": """
id: 2024-05-rejected
type: hire
date: '2024-05'
title: 被否决的虚构事件QZX
people: [否决人物QZX]
status: rejected
sources:
- article: art_one
  anchor: p1
  quote: 星辰智能宣布完成10亿元融资。
""",
}

ARTICLE = {
    "stem": "art_one",
    "title": "星辰智能的一年",
    "url": "javascript:alert(1)",
    "source": "测试日报",
    "published": "2024-11-14",
    "published_inferred": False,
    "file": "seeds/art_one.txt",
    "paragraphs": [
        "星辰智能宣布完成10亿元融资。",
        "据传甄图灵已于近日离开星辰智能。[x](javascript:alert(1))",
        "<script>alert(1)</script>",
    ],
}

PEOPLE = [{"name": "甄图灵", "aliases": ["甄博士"], "description": "虚构的研究员。"}]


def _write_project(root: Path) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(REPO / "builder" / "site_hooks.py")]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    for stem, text in EVENTS.items():
        (root / "events").mkdir(exist_ok=True)
        (root / "events" / f"{stem}.yaml").write_text(text.lstrip(), encoding="utf-8")
    (root / "articles").mkdir()
    text = yaml.safe_dump(ARTICLE, allow_unicode=True)
    (root / "articles" / "art_one.yaml").write_text(text, encoding="utf-8")
    (root / "registry").mkdir()
    text = yaml.safe_dump(PEOPLE, allow_unicode=True)
    (root / "registry" / "people.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    _write_project(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    print(f"mkdocs build took {time.perf_counter() - start:.2f}s")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def _all_html(site: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


@pytest.mark.slow
def test_home_lists_events_newest_first(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    positions = [home.find(s) for s in ("星辰智能完成新一轮融资", "甄图灵离开星辰智能", "&lt;script&gt;")]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "约2024年8月" in home and "2024年11月13日" in home


@pytest.mark.slow
def test_hostile_strings_only_escaped(site: Path) -> None:
    pages = _all_html(site)
    assert pages
    for path, text in pages.items():
        assert "<script>alert" not in text, path
        assert 'href="javascript:' not in text.lower(), path
        assert "<img src=x" not in text, path
        assert "<strong>bold" not in text, path
    event = pages[site / "events" / "2023-hostile" / "index.html"]
    assert "&lt;script&gt;alert" in event


@pytest.mark.slow
def test_person_and_source_pages(site: Path) -> None:
    person = (site / "people" / "zhen-tu-ling" / "index.html").read_text(encoding="utf-8")
    assert "甄博士" in person and "甄图灵离开星辰智能" in person
    source = (site / "sources" / "art_one" / "index.html").read_text(encoding="utf-8")
    assert 'id="p2"' in source and 'id="p3"' in source
    assert (site / "companies" / "xing-chen-zhi-neng" / "index.html").is_file()


@pytest.mark.slow
def test_rejected_event_absent(site: Path) -> None:
    for path, text in _all_html(site).items():
        assert "QZX" not in text, path
    assert not (site / "events" / "2024-05-rejected").exists()


@pytest.mark.slow
def test_search_index_has_person_name(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    terms = {t for doc in index["docs"] for t in doc["text"].replace("\u200b", " ").split()}
    titles = {doc["title"].replace("\u200b", "") for doc in index["docs"]}
    assert "甄图灵" in terms  # one token thanks to jieba.add_word (else 甄 / 图灵)
    assert "甄图灵" in titles
