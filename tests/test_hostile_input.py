"""Hostile and broken input: the scan keeps working, says what is wrong, and loses nothing.

Each case puts one bad file beside a few good articles and runs ``timeline scan``:
the scan finishes, the good articles still give their events, the bad file is
reported once (path and reason) with exit code 3, and every event file is whole.
Files that are odd but readable (GBK, UTF-16 without a BOM, mixed line endings,
a paragraph repeated 100,000 times) are read and give their events (exit 0).
See docs/reliability.md for the table this file proves.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import synthetic
import yaml
from click.testing import CliRunner

from builder import pages, store
from builder.cli import main
from conftest import ROOT

GOOD = 4  # good synthetic articles beside each bad file
EVENT = "2024年3月5日，青松智能宣布完成5亿元B轮融资，由北辰资本领投。"
TRAD_EVENT = "2024年3月5日，青松智能宣布完成5億元B輪融資，由北辰資本領投。"
FILLER = "业内人士认为，模型能力的差距正在缩小，应用落地成为新的竞争焦点。"


def _project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copytree(ROOT / "registry", tmp_path / "registry")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for i in range(GOOD):
        (tmp_path / "seeds" / f"good_{i}.txt").write_text(synthetic.article(i), encoding="utf-8")
    return tmp_path


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return _project(tmp_path)


@pytest.fixture(scope="module")
def good_events(tmp_path_factory) -> dict[str, bytes]:
    """The event files the good articles give on their own."""
    root = _project(tmp_path_factory.mktemp("good"))
    old = Path.cwd()
    os.chdir(root)
    try:
        assert scan().exit_code == 0
    finally:
        os.chdir(old)
    return _events(root / "events")


def scan(*args: str):
    return CliRunner().invoke(main, ["scan", "--jobs", "1", *args], catch_exceptions=False)


def _events(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def _assert_whole(root: Path) -> None:
    """Every event and article file parses; no temporary file is left behind."""
    for path in [*(root / "events").glob("*.yaml"), *(root / "articles").glob("*.yaml")]:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
    leftovers = [p for p in root.rglob("*.tmp") if ".cache" not in p.parts]
    assert leftovers == []


# ---------------------------------------------------------------- the corpus of bad files


def _random(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def _high(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(128, 256) for _ in range(n))


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as f:
        f.truncate(size)


def _loop(folder: Path) -> Path:
    (folder / "again").symlink_to(".")
    return folder / "again"


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


def _many_events(n: int) -> str:
    names = synthetic.COMPANIES
    return "".join(
        f"2024年{1 + i % 12}月{1 + i % 28}日，{names[i % 12]}宣布完成{i + 1}亿元融资。\n" for i in range(n)
    )


# name -> (content or a function making the file, words of the reason)
SKIPPED = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (" \n\t\r\n\u3000\n".encode(), "only whitespace, no text"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + _random(300, 1), "binary data, not text (a PNG image)"),
    "archive.md": (b"PK\x03\x04\x14\x00" + _random(300, 2), "binary data, not text (a ZIP archive"),
    "noise.txt": (_random(5000, 3), "binary data, not text"),
    "nul.txt": (
        EVENT.encode() + b"\x00\x00" + FILLER.encode(),
        f"binary data, not text (NUL byte at offset {len(EVENT.encode())})",
    ),
    "invalid-utf8.txt": (_high(4000, 4), "undecodable bytes"),
    "huge.txt": (
        lambda d: _sparse(d / "huge.txt", 50 * 1024 * 1024),
        "file is 50.0 MB, over the 20 MB limit",
    ),
    "scripts.html": (
        "<html><head><script>var x = '一段脚本';</script><style>p{color:red}</style></head>"
        "<body><script>alert(1)</script><style>.a{}</style></body></html>",
        "no readable text in the web page (only scripts, styles or markup)",
    ),
    "broken-front.md": (
        f"---\ntitle: 坏的前言\nurl: [https://example.com\npublished: 2024-03-05\n---\n{EVENT}\n",
        ":4: front matter is not valid YAML: expected ',' or ']', but got ':'",
    ),
    "not-a-date.md": (
        f"---\ntitle: 日期不对\npublished: 上周三\n---\n{EVENT}\n",
        ":3: 'published' is not a date: '上周三'",
    ),
    "again": (_loop, "symlink loop: it leads back to"),
    "pipe.txt": (_fifo, "not a regular file"),
    "dump.txt": (_many_events(600), "event mentions, over the limit of 500 per article"),
}


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_bad_file_is_skipped_once_with_its_reason(project, good_events, name):
    content, reason = SKIPPED[name]
    seeds = project / "seeds"
    if callable(content):
        content(seeds)
    else:
        (seeds / name).write_bytes(content.encode() if isinstance(content, str) else content)
    started = time.monotonic()
    result = scan()
    assert time.monotonic() - started < 60
    assert result.exit_code == 3, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("skipped: ")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"skipped: {seeds / name}") and reason in lines[0], lines[0]
    assert f"articles: {GOOD} read, 1 skipped" in result.output
    assert _events(project / "events") == good_events
    _assert_whole(project)


# ---------------------------------------------------------------- odd but readable files

READABLE = {
    "gbk.txt": f"{EVENT}\n{FILLER}\n".encode("gbk"),
    "big5.txt": f"{TRAD_EVENT}\n".encode("big5"),
    "utf16.txt": f"{EVENT}\n{FILLER}\n".encode("utf-16-le"),
    "utf16be.txt": f"{EVENT}\n{FILLER}\n".encode("utf-16-be"),
    "mixed-eol.txt": f"标题\r\n{FILLER}\r{EVENT}\n{FILLER}\r\n".encode(),
    "repeated.txt": f"{EVENT}\n".encode() * 100_000,
    "a..b.txt": f"{EVENT}\n".encode(),
    "文章 ..2 空格.md": f"{EVENT}\n".encode(),
}


def _the_event(events: dict[str, bytes], good: dict[str, bytes]) -> dict:
    """The one event the extra article adds: 青松智能's funding of 2024-03-05."""
    new = [yaml.safe_load(events[name]) for name in set(events) - set(good)]
    assert len(new) == 1, sorted(set(events) - set(good))
    return new[0]


@pytest.mark.parametrize("name", sorted(READABLE))
def test_odd_but_readable_file_gives_its_event(project, good_events, name):
    (project / "seeds" / name).write_bytes(READABLE[name])
    started = time.monotonic()
    result = scan()
    assert time.monotonic() - started < 60
    assert result.exit_code == 0, result.output
    assert f"articles: {GOOD + 1} read, 0 skipped" in result.output
    events = _events(project / "events")
    data = _the_event(events, good_events)
    assert (data["type"], data["date"], data["companies"][0]) == ("funding", "2024-03-05", "青松智能")
    assert all(events[k] == v for k, v in good_events.items())
    stem = data["sources"][0]["article"]
    assert ".." not in stem and "/" not in stem and (project / "articles" / f"{stem}.yaml").is_file()
    if name == "repeated.txt":
        record = yaml.safe_load((project / "articles" / f"{stem}.yaml").read_text(encoding="utf-8"))
        assert record["paragraphs"] == [EVENT]  # 99,999 repeats dropped as boilerplate
    _assert_whole(project)


def test_names_with_dots_spaces_and_chinese_give_safe_ids(project):
    (project / "seeds" / "a..b.txt").write_text(EVENT, encoding="utf-8")
    (project / "seeds" / "..文章 2.txt").write_text(EVENT.replace("青松智能", "远帆科技"), encoding="utf-8")
    result = scan(
        "seeds", "seeds/..文章 2.txt"
    )  # a leading dot hides a file from a folder walk; named, it is read
    assert result.exit_code == 0, result.output
    stems = sorted(p.stem for p in (project / "articles").glob("*.yaml"))
    assert stems == sorted(["_文章 2", "a_b", *(f"good_{i}" for i in range(GOOD))])
    for path in (project / "events").glob("*.yaml"):
        assert re.fullmatch(r"[a-z0-9-]+", path.stem), path.name
    record = yaml.safe_load((project / "articles" / "_文章 2.yaml").read_text(encoding="utf-8"))
    assert record["file"] == "seeds/..文章 2.txt"


def test_every_bad_file_at_once(project, good_events):
    seeds = project / "seeds"
    for name, (content, _) in SKIPPED.items():
        if callable(content):
            content(seeds)
        else:
            (seeds / name).write_bytes(content.encode() if isinstance(content, str) else content)
    result = scan()
    assert result.exit_code == 3
    skipped = [ln for ln in result.output.splitlines() if ln.startswith("skipped: ")]
    assert len(skipped) == len(SKIPPED)
    for name, (_, reason) in SKIPPED.items():
        assert sum(ln.startswith(f"skipped: {seeds / name}") and reason in ln for ln in skipped) == 1, name
    assert _events(project / "events") == good_events
    _assert_whole(project)
    again = scan()  # the same report again, nothing changed on disk
    assert again.exit_code == 3 and _events(project / "events") == good_events


def test_a_missing_path_does_not_stop_the_scan(project, good_events):
    result = scan("nowhere", "seeds")
    assert result.exit_code == 3
    assert "skipped: nowhere: no such file or folder" in result.output
    assert _events(project / "events") == good_events


# ---------------------------------------------------------------- the event store under stress


def test_full_disk_fails_clearly_and_keeps_the_old_files(project, monkeypatch):
    assert scan().exit_code == 0
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".cache" not in p.parts}
    for i in range(GOOD):  # every article changes: every event file needs a write
        path = project / "seeds" / f"good_{i}.txt"
        path.write_text(synthetic.article(i, variant=1), encoding="utf-8")
        before[path] = path.read_bytes()

    def full_disk(fd, data):
        """Writes fail the way a full disk makes them fail."""
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store, "_write_all", full_disk)
    result = scan()
    assert result.exit_code == 1
    message = result.output.strip().splitlines()[-1]
    assert re.fullmatch(
        r"Error: \S+\.yaml: cannot write: No space left on device \(the old file, if any, is "
        r"unchanged\)",
        message,
    ), result.output
    assert str(project / "events") in message or "events/" in message
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert after == before
    monkeypatch.undo()
    assert scan().exit_code == 0  # with space again the same scan completes
    _assert_whole(project)


def test_stale_temporary_files_are_removed_by_the_next_scan(project):
    assert scan().exit_code == 0
    stale = [
        project / "events" / ".2024-01-funding-x.yaml.abcd1234.tmp",
        project / "articles" / ".good_0.yaml.zz_09xyz.tmp",
        project / "events" / ".ledger.k2j4h5g6.tmp",
    ]
    for path in stale:
        path.write_text("half a fi", encoding="utf-8")
    mine = project / "events" / "notes.tmp"  # not a name the store makes: left alone
    mine.write_text("keep", encoding="utf-8")
    for i in range(GOOD):
        (project / "seeds" / f"good_{i}.txt").write_text(synthetic.article(i, variant=2), encoding="utf-8")
    assert scan().exit_code == 0
    assert not any(p.exists() for p in stale) and mine.read_text() == "keep"


def test_broken_event_file_stops_the_scan_with_its_name(project):
    assert scan().exit_code == 0
    victim = sorted((project / "events").glob("*.yaml"))[0]
    victim.write_bytes(b"id: x\ntitle: [unclosed\n")
    result = scan()
    assert result.exit_code == 1 and f"Error: {victim}:" in result.output
    victim.write_bytes(b"\xff\xfe\x00binary")
    result = scan()
    assert result.exit_code == 1 and f"Error: {victim}:1: cannot read as UTF-8 text" in result.output


def test_build_refuses_to_publish_while_an_event_file_has_errors(project, monkeypatch):
    assert scan().exit_code == 0
    bad = project / "events" / "zz-hand-made.yaml"
    bad.write_text(
        "id: zz-hand-made\ntype: merger\ndate: '2024-13'\ntitle: 手写的坏事件\nsources: []\n",
        encoding="utf-8",
    )
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a))
    result = CliRunner().invoke(main, ["build", "--skip-scan"])
    assert result.exit_code == 1
    assert re.search(r"events/zz-hand-made\.yaml:\d+:\d+: error: ", result.output), result.output
    assert "Error: " in result.output and "fix the files above" in result.output
    assert ran == [] and not (project / "site").exists()


# ---------------------------------------------------------------- output stays inert

HOSTILE = """---
title: <script>alert('title')</script>标题
source: <img src=x onerror=alert('source')>
url: javascript:alert('url')
published: 2024-03-06
---
<script>alert('body')</script>
2024年3月5日，青松智能宣布完成5亿元B轮融资<script>alert('quote')</script>，由北辰资本领投。
<iframe src="javascript:alert('frame')"></iframe>[点我](javascript:alert('md')) <svg onload=alert('svg')>
"""


def test_hostile_article_cannot_inject_markup_into_any_page(project):
    (project / "seeds" / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    assert scan().exit_code == 0
    record = yaml.safe_load((project / "articles" / "hostile.yaml").read_text(encoding="utf-8"))
    assert "<script>" in record["title"] and any(
        "<script>" in p for p in record["paragraphs"]
    )  # kept as data
    rendered = pages.render_pages(pages.load_site_data(project))
    assert any("hostile" in path for path in rendered)
    import markdown

    from builder.htmlparts import icon
    from builder.markup import OTHER_ICON, TYPE_ICONS

    ours = [icon(name) for name in (*TYPE_ICONS.values(), OTHER_ICON, "material-rss")]  # the site's own icons
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "admonition", "tables", "toc"])
    for path, text in rendered.items():
        html = md.reset().convert(text)
        for page in (text, html):
            for svg in ours:
                page = page.replace(svg, "")
            low = page.lower()
            assert "<script" not in low and "<iframe" not in low and "<svg" not in low, path
            assert "<img" not in low, path
            assert not re.search(r"""href=["']?\s*javascript:""", low), path
    assert "&lt;script&gt;" in rendered["sources/hostile.md"]


# ---------------------------------------------------------------- size and memory


@pytest.mark.slow
def test_fifteen_megabyte_article_is_processed_with_bounded_memory(tmp_path):
    root = _project(tmp_path)
    text = synthetic.distinct_lines(15 * 1024 * 1024)
    lines = text.split("\n")
    for at, sentence in (
        (10, EVENT),
        (len(lines) // 2, EVENT.replace("3月5日", "6月7日")),
        (len(lines) - 10, EVENT.replace("3月5日", "9月1日")),
    ):
        lines.insert(at, sentence)
    (root / "seeds" / "big.txt").write_text("\n".join(lines), encoding="utf-8")
    assert 15 * 1024 * 1024 < (root / "seeds" / "big.txt").stat().st_size < 20 * 1024 * 1024
    probe = (
        "import resource, runpy, sys\n"
        "sys.argv = ['timeline', 'scan', '--jobs', '1', '--no-cache']\n"
        "try:\n    runpy.run_module('builder', run_name='__main__')\n"
        "except SystemExit as e:\n    code = e.code\n"
        "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'EXIT', code, file=sys.stderr)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=600
    )
    seconds = time.monotonic() - started
    found = re.search(r"PEAK_RSS_KB (\d+) EXIT (\S+)", done.stderr)
    assert found, done.stderr[-2000:]
    peak_mb = int(found.group(1)) / 1024
    print(f"15 MB article: peak RSS {peak_mb:.0f} MB, {seconds:.0f} s")
    assert found.group(2) in ("0", "None"), done.stdout + done.stderr[-2000:]
    assert peak_mb < 1536
    found_dates = set()
    for path in (root / "events").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["type"] == "funding" and data["companies"][:1] == ["青松智能"]:
            found_dates.add(data["date"])
    assert {"2024-03-05", "2024-06-07", "2024-09-01"} <= found_dates


def test_a_rejected_file_with_errors_does_not_block_the_build(project, monkeypatch):
    from builder.pages import load_site_data, render_pages

    assert scan().exit_code == 0
    (project / "events" / "zz-rejected.yaml").write_text(
        "id: zz-rejected\ntype: hire\nstatus: rejected\ndate: '2024-13'\ntitle: 误报\nsources: []\n",
        encoding="utf-8",
    )
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a) or subprocess.CompletedProcess(a, 0))
    result = CliRunner().invoke(main, ["build", "--skip-scan"])
    assert result.exit_code == 0, result.output
    assert ran  # mkdocs was started
    assert not any("误报" in page for page in render_pages(load_site_data(project)).values())
