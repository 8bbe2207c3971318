"""Trimming the search index keeps every page and every token."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builder import searchindex

# the separator of mkdocs.yml (checked below)
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：（）《》〈〉「」『』【】“”‘’·…]+"
ZW = "\u200b"


def _index(*docs: dict) -> dict:
    return {"config": {"lang": ["zh"], "separator": SEPARATOR}, "docs": list(docs)}


def test_empty_sections_go_pages_stay():
    index = _index(
        {"location": "companies/x/", "title": "星海", "text": ""},
        {"location": "companies/x/#related", "title": "相关", "text": ""},
        {"location": "companies/x/#events", "title": "事件", "text": "<p>融资</p>"},
    )
    kept = [d["location"] for d in searchindex.trim(index)["docs"]]
    assert kept == ["companies/x/", "companies/x/#events"]


def test_redundant_word_cuts_go():
    doc = {
        "location": "a/#b",
        "title": f"{ZW}林海{ZW}离开{ZW}",
        "text": f"{ZW}2024{ZW}年{ZW} {ZW}离职{ZW}、{ZW}星海{ZW}",
    }
    out = searchindex.trim(_index(doc))["docs"][0]
    assert out["title"] == f"林海{ZW}离开"
    assert out["text"] == f"2024{ZW}年 离职、星海"


def test_unknown_separator_leaves_text_alone():
    index = {
        "config": {"separator": r"[\s\-]+"},
        "docs": [{"location": "a/", "title": "x", "text": f"{ZW} a"}],
    }
    assert searchindex.trim(index)["docs"][0]["text"] == f"{ZW} a"


def test_mkdocs_yml_separator_is_the_tested_one():
    import re

    from conftest import ROOT

    found = re.search(r"^\s*separator: '(.*)'$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert found and found.group(1) == SEPARATOR  # single-quoted YAML: backslashes kept as written


PIECES = st.sampled_from(
    [ZW, ZW * 2, " ", "\u3000", "、", "。", "（", "）", "-", "<p>", "</p>", "林海", "年", "a", "2024", "·"]
)


@given(st.lists(PIECES, max_size=20).map("".join), st.lists(PIECES, max_size=8).map("".join))
def test_tokens_are_unchanged(text, title):
    out = searchindex.trim(_index({"location": "p/#s", "title": title, "text": text or "x"}))["docs"][0]
    assert searchindex.tokens(out["text"], SEPARATOR) == searchindex.tokens(text or "x", SEPARATOR)
    assert searchindex.tokens(out["title"], SEPARATOR) == searchindex.tokens(title, SEPARATOR)
