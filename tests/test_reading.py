"""Reading: files -> Article. Front matter, sidecars, formats, encodings, dates, titles, finding files.

Every case is a table row; all article text here is written for these tests.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from builder import pipeline, reading
from builder.reading import ReadError, article_stem, discover, read_article
from conftest import ROOT

BODY = "2024年3月5日，青松智能宣布完成5亿元B轮融资，由北辰资本领投。\n创始人林海表示，资金将用于研发。\n"
_RNG = random.Random(5)
HIGH_BYTES = bytes(_RNG.randrange(128, 256) for _ in range(3000))  # no encoding makes text of these
JAPANESE = "".join(f"第{i}段：東京の新興企業が資金調達を発表した。\n" for i in range(20))
TRAD = "2024年3月5日，青松智能宣布完成5億元B輪融資，由北辰資本領投。\n創始人林海表示，資金將用於研發。\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read(tmp_path: Path, name: str, content: str | bytes):
    return read_article(write(tmp_path, name, content))


def error(tmp_path: Path, name: str, content: str | bytes) -> str:
    with pytest.raises(ReadError) as info:
        read(tmp_path, name, content)
    return str(info.value)


# ---------------------------------------------------------------- front matter and sidecars


def test_front_matter_gives_title_url_published_source(tmp_path):
    text = (
        "---\ntitle: 一篇测试稿\nurl: https://example.com/a\npublished: 2024-03-06\nsource: 示例日报\n---\n"
        + BODY
    )
    art = read(tmp_path, "a.md", text)
    assert (art.title, art.url, art.source) == ("一篇测试稿", "https://example.com/a", "示例日报")
    assert art.published.value == "2024-03-06" and not art.published.inferred
    assert art.published_text == "given"
    assert art.text == BODY.strip() and "title:" not in art.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-06", "2024-03-06"),
        ("'2024-03'", "2024-03"),
        ("2024", "2024"),
        ("2024-03-06T10:00:00+08:00", "2024-03-06"),
        ("2024年3月6日", "2024-03-06"),
    ],
)
def test_published_forms(tmp_path, value, expected):
    art = read(tmp_path, "a.md", f"---\npublished: {value}\n---\n{BODY}")
    assert art.published.value == expected


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("title: ok\nurl: [unclosed\npublished: 2024-01-01\n", 4, "started on line 3"),
        ('title: "unclosed\npublished: 2024-01-01\n', 4, "started on line 2"),
        ("title: ok\n  bad: indent\n", 3, "not valid YAML"),
        ("- a\n- b\n", 2, "must be a mapping"),
        ("title: [a, b]\n", 2, "'title' must be text"),
        ("title: ok\nsource: x\npublished: yesterday\n", 4, "'published' is not a date: 'yesterday'"),
        ("title: ok\npublished: true\n", 3, "'published' is not a date but true/false"),
        ("title: ok\npublished: 2024-02-30\n", 3, "impossible date"),
        ("title: ok\nx: !!python/object:os.system 'ls'\n", 3, "constructor"),
    ],
)
def test_broken_front_matter_names_the_line(tmp_path, front, line, words):
    message = error(tmp_path, "bad.md", f"---\n{front}---\n{BODY}")
    assert message.startswith(f"{tmp_path / 'bad.md'}:{line}: ")
    assert words in message


def test_unclosed_front_matter_is_an_error_not_article_text(tmp_path):
    message = error(tmp_path, "open.md", "---\ntitle: 未关闭\npublished: 2024-03-05\n" + BODY)
    assert message.endswith(":1: front matter opened with '---' is never closed by a '---' line")


def test_a_rule_line_that_is_not_front_matter_stays_text(tmp_path):
    art = read(tmp_path, "rule.md", "---\n" + BODY)
    assert "青松智能" in art.text


def test_empty_front_matter_and_crlf_front_matter(tmp_path):
    assert read(tmp_path, "e.md", "---\n---\n" + BODY).text == BODY.strip()
    crlf = "---\r\ntitle: 换行符\r\npublished: 2024-03-05\r\n---\r\n" + BODY.replace("\n", "\r\n")
    art = read(tmp_path, "c.md", crlf)
    assert art.title == "换行符" and art.published.value == "2024-03-05" and "\r" not in art.text


def test_front_matter_too_big(tmp_path):
    block = "title: x\n" + "".join(f"k{i}: {'长' * 40}\n" for i in range(600))
    assert "front matter is over 64 KB" in error(tmp_path, "big.md", f"---\n{block}---\n{BODY}")


def test_sidecar_gives_metadata_and_front_matter_wins(tmp_path):
    write(
        tmp_path,
        "a.meta.yaml",
        "title: 旁注标题\npublished: 2024-02-01\nsource: 旁注来源\nurl: https://example.com/s\n",
    )
    art = read(tmp_path, "a.txt", BODY)
    assert (art.title, art.source, art.url, art.published.value) == (
        "旁注标题",
        "旁注来源",
        "https://example.com/s",
        "2024-02-01",
    )
    write(tmp_path, "b.meta.yaml", "title: 旁注标题\nsource: 旁注来源\n")
    art = read(tmp_path, "b.md", "---\ntitle: 正文标题\n---\n" + BODY)
    assert (art.title, art.source) == ("正文标题", "旁注来源")


@pytest.mark.parametrize(
    ("sidecar", "line", "words"),
    [
        ("title: [oops\n", 2, "not valid YAML"),
        ("published: someday\n", 1, "'published' is not a date"),
        ("just text\n", 1, "must be a mapping"),
    ],
)
def test_broken_sidecar_names_the_sidecar_and_line(tmp_path, sidecar, line, words):
    write(tmp_path, "a.meta.yaml", sidecar)
    message = error(tmp_path, "a.txt", BODY)
    assert message.startswith(f"{tmp_path / 'a.meta.yaml'}:{line}: ") and words in message


# ---------------------------------------------------------------- formats

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面标题</title>
<style>.x{color:red} body::after{content:"样式里的字"}</style>
<script>var s = "脚本里的字"; alert(1)</script></head>
<body><article><h1>页面标题</h1>
<p>2024年3月5日，青松智能宣布完成5亿元B轮融资，由北辰资本领投，本轮资金将主要用于模型研发和算力建设。</p>
<p>创始人林海表示，公司会继续扩充研究团队，并在今年下半年推出面向企业客户的新产品。</p>
</article><script>document.write("另一段脚本")</script><noscript>请开启脚本</noscript></body></html>"""


def test_html_article_loses_scripts_and_styles(tmp_path):
    art = read(tmp_path, "page.html", PAGE)
    assert "青松智能" in art.text and "林海" in art.text
    for junk in ("脚本里的字", "样式里的字", "另一段脚本", "alert", "color:red", "<"):
        assert junk not in art.text
    assert art.title == "页面标题"


def test_html_that_is_only_script_and_style_is_refused(tmp_path):
    page = "<html><head><script>var a = '很长的脚本';</script><style>p{}</style></head><body><script>x()</script></body></html>"
    assert error(tmp_path, "empty.htm", page).endswith(
        "no readable text in the web page (only scripts, styles or markup)"
    )


def test_markdown_article(tmp_path):
    art = read(tmp_path, "a.md", "# 标题行\n\n" + BODY)
    assert "青松智能" in art.text


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (BODY.encode("utf-8"), BODY),
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), BODY),
        (BODY.encode("gbk"), BODY),
        (TRAD.encode("big5"), TRAD),
        (JAPANESE.encode("shift_jis"), JAPANESE),
        (b"\xff\xfe" + BODY.encode("utf-16-le"), BODY),
        (b"\xfe\xff" + BODY.encode("utf-16-be"), BODY),
        (BODY.encode("utf-16-le"), BODY),
        (BODY.encode("utf-16-be"), BODY),
        (
            (BODY.replace("\n", "\r\n", 1) + "第三行。\r第四行。\n").encode("utf-8"),
            BODY + "第三行。\n第四行。",
        ),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "gbk",
        "big5",
        "shift-jis",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "mixed-eol",
    ],
)
def test_encodings_give_the_same_text(tmp_path, encoded, expected):
    assert read(tmp_path, "enc.txt", encoded).text == expected.strip()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty file"),
        (" \n\t\r\n\u3000\n".encode("utf-8"), "only whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary data, not text (a PNG image)"),
        (b"PK\x03\x04" + bytes(200), "binary data, not text (a ZIP archive"),
        (BODY.encode("utf-8") + b"\x00\x00\x00", "binary data, not text (NUL byte at offset"),
        (bytes(range(1, 9)) * 100, "binary data, not text ("),
        (HIGH_BYTES, "undecodable"),
    ],
    ids=["empty", "whitespace", "png", "zip", "nul", "controls", "mojibake"],
)
def test_unusable_bytes_are_refused_with_a_reason(tmp_path, data, words):
    assert words in error(tmp_path, "bad.txt", data)


def test_a_few_broken_utf8_bytes_are_tolerated(tmp_path):
    data = (BODY * 20).encode("utf-8")
    art = read(tmp_path, "cut.txt", data[:100] + b"\xff" + data[100:-1])
    assert art.text.startswith(BODY.split("\n")[0][:20]) and "\ufffd" in art.text


# ---------------------------------------------------------------- publication date and title


def test_printed_publication_date_is_not_inferred(tmp_path):
    art = read(tmp_path, "p.txt", "一篇测试稿\n发布时间：2024-05-20 10:00\n" + BODY)
    assert art.published.value == "2024-05-20" and not art.published.inferred
    assert "2024-05-20" in art.published_text


def test_publication_date_inferred_from_the_text_is_marked(tmp_path):
    art = read(tmp_path, "i.txt", "一篇测试稿\n今年以来，青松智能在2024年4月完成了新一轮融资。\n")
    assert art.published.value == "2024-04" and art.published.inferred
    assert art.published_text == "inferred"


def test_no_date_at_all(tmp_path):
    art = read(tmp_path, "n.txt", "一篇没有日期的测试稿\n青松智能表示会继续研发。\n")
    assert art.published is None and art.published_text == ""


def test_html_page_date_is_printed_metadata(tmp_path):
    page = PAGE.replace(
        "<title>", '<meta property="article:published_time" content="2024-06-18T10:00:00+08:00"><title>'
    )
    art = read(tmp_path, "dated.html", page)
    assert art.published.value == "2024-06-18" and art.published_text == "page metadata"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("短标题\n" + BODY, "短标题"),
        (BODY, BODY[:30] + "…"),
        ("一句话。\n" + BODY, "一句话。"),
        ("---\ntitle: |\n  两行\n  标题\n---\n" + BODY, "两行 标题"),
        ("---\ntitle: " + "长" * 300 + "\n---\n" + BODY, "长" * 199 + "…"),
        ("---\ntitle: 2024-03-05\n---\n" + BODY, "2024-03-05"),
        # a repost's 原标题 line (boilerplate, dropped) names the article before its byline
        ("原标题：又一位高管出走\n本报记者 陈晓 上海报道\n" + BODY, "又一位高管出走"),
    ],
)
def test_title_fallback_and_cleanup(tmp_path, text, title):
    assert read(tmp_path, "t.md", text).title == title


# ---------------------------------------------------------------- limits


def test_article_over_the_size_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: 50 MB of size, no disk used
        f.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(reading.os, "fdopen", lambda *a, **k: pytest.fail("the file was opened for reading"))
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as info:
            read_article(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == f"{path}: file is 50.0 MB, over the 20 MB limit for an article; not read"
    assert peak < 1024 * 1024


def test_article_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", len(BODY.encode()))
    assert read(tmp_path, "edge.txt", BODY).text == BODY.strip()
    assert "over the" in error(tmp_path, "over.txt", BODY + "多")


def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    signal.signal(signal.SIGALRM, lambda *a: pytest.fail("reading a named pipe blocked"))
    signal.alarm(10)
    try:
        with pytest.raises(ReadError, match="not a regular file"):
            read_article(fifo)
    finally:
        signal.alarm(0)


def test_a_folder_named_like_an_article(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ReadError, match="is a folder"):
        read_article(tmp_path / "dir.txt")


# ---------------------------------------------------------------- names and finding files


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("a.txt", "a"),
        ("a..b.txt", "a_b"),
        ("..文章 2.txt", "_文章 2"),
        ("文章 ..2.md", "文章 _2"),
        ("x:y*z?.html", "x_y_z_"),
        ("tab\there.txt", "tab_here"),
        (" .txt", "article"),
        ("长" * 100 + ".txt", "长" * 50),
    ],
)
def test_article_stems_are_path_safe(name, stem):
    assert article_stem(Path("/x") / name) == stem


def test_undecodable_file_name_gives_a_printable_path_and_safe_stem(tmp_path):
    raw = os.fsencode(tmp_path) + b"/\xff\xfe\x1b[31mred.txt"
    with open(raw, "wb") as f:
        f.write(BODY.encode())
    art = read_article(Path(os.fsdecode(raw)))
    assert art.stem == "___[31mred"
    assert art.path.endswith("\ufffd\ufffd\\x1b[31mred.txt")
    art.path.encode("utf-8")  # storable and printable


def test_discover_sorts_skips_hidden_and_other_suffixes(tmp_path):
    for name in (
        "b.txt",
        "a.md",
        "c.html",
        "d.htm",
        "notes.pdf",
        ".hidden.txt",
        "..文章 2.txt",
        "x.meta.yaml",
    ):
        write(tmp_path, name, BODY)
    write(tmp_path, "sub/e.TXT", BODY)
    write(tmp_path, ".git/f.txt", BODY)
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.md", "b.txt", "c.html", "d.htm", "sub/e.TXT"]
    assert list(discover([tmp_path / "..文章 2.txt"])) == [tmp_path / "..文章 2.txt"]  # named: read


def test_symlink_loops_are_reported_once_and_the_rest_is_found(tmp_path):
    write(tmp_path, "seeds/a.txt", BODY)
    write(tmp_path, "seeds/deep/b.txt", BODY)
    (tmp_path / "seeds" / "loop").symlink_to(".")
    (tmp_path / "seeds" / "deep" / "up").symlink_to("..")
    (tmp_path / "seeds" / "deep" / "inner").mkdir()
    (tmp_path / "seeds" / "deep" / "inner" / "back").symlink_to("..")
    (tmp_path / "seeds" / "x.txt").symlink_to("y.txt")
    (tmp_path / "seeds" / "y.txt").symlink_to("x.txt")
    problems: list[ReadError] = []
    found = list(discover([tmp_path / "seeds"], problems))
    assert found == [tmp_path / "seeds/a.txt", tmp_path / "seeds/deep/b.txt"]
    messages = sorted(str(p) for p in problems)
    assert messages == [
        f"{tmp_path}/seeds/deep/inner/back: symlink loop: it leads back to {tmp_path}/seeds/deep; not followed",
        f"{tmp_path}/seeds/deep/up: symlink loop: it leads back to {tmp_path}/seeds; not followed",
        f"{tmp_path}/seeds/loop: symlink loop: it leads back to {tmp_path}/seeds; not followed",
        f"{tmp_path}/seeds/x.txt: cannot open: Too many levels of symbolic links",
        f"{tmp_path}/seeds/y.txt: cannot open: Too many levels of symbolic links",
    ]
    with pytest.raises(ReadError, match="symbolic links"):
        read_article(tmp_path / "seeds" / "x.txt")


def test_symlinked_folder_is_followed_and_each_file_found_once(tmp_path):
    write(tmp_path, "other/c.txt", BODY)
    write(tmp_path, "seeds/a.txt", BODY)
    (tmp_path / "seeds" / "more").symlink_to(tmp_path / "other")
    found = list(discover([tmp_path / "seeds", tmp_path / "other", tmp_path / "seeds" / "a.txt"]))
    assert found == [tmp_path / "seeds/a.txt", tmp_path / "seeds/more/c.txt"]


def test_missing_path_is_reported_and_the_walk_goes_on(tmp_path):
    write(tmp_path, "seeds/a.txt", BODY)
    problems: list[ReadError] = []
    found = list(discover([tmp_path / "nope", tmp_path / "seeds"], problems))
    assert found == [tmp_path / "seeds/a.txt"]
    assert [str(p) for p in problems] == [f"{tmp_path / 'nope'}: no such file or folder"]
    with pytest.raises(ReadError):
        list(discover([tmp_path / "nope"]))


def test_very_deep_folders_do_not_hit_the_recursion_limit():
    # not under tmp_path: pytest removes old tmp dirs with shutil.rmtree, which recurses per level
    top = tempfile.mkdtemp(prefix="timeline-deep-")
    levels = [top + "/d"]
    for _ in range(1100):
        levels.append(levels[-1] + "/d")
    for level in levels:
        os.mkdir(level)
    with open(levels[-1] + "/a.txt", "w", encoding="utf-8") as f:
        f.write(BODY)
    try:
        assert len(list(discover([Path(top)]))) == 1
    finally:
        os.remove(levels[-1] + "/a.txt")
        for level in reversed(levels):
            os.rmdir(level)
        os.rmdir(top)


def test_duplicate_stems_keep_the_first_and_report_the_second(tmp_path):
    write(tmp_path, "seeds/same.md", BODY)
    write(tmp_path, "seeds/same.txt", BODY.replace("林海", "周默"))
    report = pipeline.scan(
        [tmp_path / "seeds"],
        tmp_path / "events",
        root=ROOT,
        dry_run=True,
        options=pipeline.ScanOptions(dry_run=True, cache=False),
    )
    assert report.read == 1
    assert report.skipped == [f"{tmp_path / 'seeds' / 'same.txt'}: another article has the same name 'same'"]
