"""The fast paths of the cleaning and reading stages give the plain paths' results.

Each test builds the plain (slow, rule by rule) computation next to the fast one
and compares them on generated lines: boilerplate fragments, prose, traditional
characters, full-width forms, odd whitespace and control characters.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from test_cleaning import _drop_reason_rule_by_rule  # the plain reference, every rule in order

from builder import cleaning, reading

FRAGMENTS = [
    "来源：新华社",
    "來源：新華社",
    "责任编辑：郑雨",
    "首页 > 科技 > 人工智能",
    "首頁 ＞ 科技 ＞ 人工智慧",
    "科技 > 人工智能",
    "科技",
    "您的位置：",
    "发布时间：2024-03-05",
    "2024-10-27 10:27 硅基时报",
    "阅读量：203",
    "作者:何畅 | 来源:模型工场",
    "【图片来源：视觉中国】",
    "原文链接：https://news.example.com/a/1",
    "分享到：微信 微博",
    "点赞 | 在看 | 转发",
    "相关阅读",
    "上一篇：行业观察",
    "第 2 页",
    "1 2 3 下一页",
    "Copyright © 2024 Foo All Rights Reserved",
    "COPYRIGHT 2024",
    "ICP备12345号",
    "免责声明：本文仅供参考",
    "{{likeNum}}",
    "${title}",
    "<% x %>",
    " https://x.cn/a",
    "www.example.com",
    "澳门博彩",
    "草榴社区 ",
    "成人电影",
    "![图](x.png)",
    "北辰科技宣布完成新一轮融资，资金将用于大模型研发。",
    "這場圍繞訓練數據版權的爭議，讓多家公司重新審視合規流程。",
    "营收增长３０％，（同比）",
    "ｱｲｳ ＡＢＣ ①",
    "a\u0301b é",
    "İstanbul ıK",
    "\u3000",
    " ",
    "\t",
    "\xa0",
    "\u2028",
    "\x85",
    "\r",
    "\x0b",
    "\x1c",
    ":",
    "：",
    "。",
    ">",
    "1",
    "2024",
    "x" * 30,
    "正文" * 30,
]

lines = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join)
texts = st.lists(lines, min_size=0, max_size=12).map("\n".join)


def _plain_trim(line: str, cfg: cleaning.Config) -> tuple[str, list[tuple[str, str]]]:
    """_trim without the literal gates."""
    cuts = []
    for rule in cfg.rules:
        for pat in cleaning._trim_pattern(rule, cfg):
            found = [m.group(0) for m in pat.finditer(line)]
            cuts.extend((rule.id, cut) for cut in found if cut)
            line = pat.sub("", line)
    return line.rstrip(), cuts


def _plain_crumbs(lines: list[str], cfg: cleaning.Config) -> frozenset[str]:
    """Breadcrumb segments from every line, tested with the rule's own patterns."""
    crumb = next(r for r in cfg.rules if r.id == "nav-crumb")
    found: set[str] = set()
    for line in lines:
        s = line.strip()
        if not s or not cleaning._drop_rule_hits(crumb, (s, cleaning._match_form(s))):
            continue
        s = re.sub(r"^[^:：]{0,12}[:：]", "", s)
        parts = [p.strip() for p in re.split(r"\s*(?:>|›|»|＞|&gt;)\s*", s)]
        found.update(p for p in parts[:-1] if p and cleaning._visible_len(p) <= cfg.short_line)
    return frozenset(found)


def _plain_judge(line: str, ctx: cleaning._Context):
    new, cuts = _plain_trim(line, ctx.cfg)
    reason = _drop_reason_rule_by_rule(line, ctx) or (
        _drop_reason_rule_by_rule(new, ctx) if cuts and new.strip() else None
    )
    if reason is None and cuts and not cleaning._READABLE.search(new):
        reason = cuts[0][0]
    return new, cuts, reason


@given(
    st.text(
        alphabet=st.sampled_from(list("ab中 \t\u3000\xa0\x85\u2028\x1c\x0b\r\n\u200b\ufeff")), max_size=20
    )
)
@settings(max_examples=300, deadline=None)
def test_visible_len_counts_non_space_characters(text: str) -> None:
    assert cleaning._visible_len(text) == len([c for c in text if not c.isspace()])


@given(lines)
@settings(max_examples=400, deadline=None)
def test_gated_drop_reason_equals_every_rule(line: str) -> None:
    cfg = cleaning.config()
    ctx = cleaning._Context(cfg, frozenset({"科技", "科技 "}), {}, cleaning._plan(cfg))
    assert cleaning._drop_reason(line, ctx) == _drop_reason_rule_by_rule(line, ctx)


@given(lines)
@settings(max_examples=400, deadline=None)
def test_trim_equals_ungated_trim(line: str) -> None:
    cfg = cleaning.config()
    assert cleaning._trim(line, cfg) == _plain_trim(line, cfg)


@given(texts)
@settings(max_examples=200, deadline=None)
def test_clean_equals_plain_judging(text: str) -> None:
    """clean() (gate results cached per line, crumbs from gated lines) judges every
    line as the plain functions do."""
    cfg = cleaning.config()
    split = cleaning._split_lines(text)
    ctx = cleaning._Context(cfg, _plain_crumbs(split, cfg), {}, cleaning._plan(cfg))
    forms = cleaning._line_forms(split)
    plan = cleaning._plan(cfg)
    gated = cleaning._gated(split, forms, plan)
    fast = cleaning._Context(
        cfg, cleaning._crumb_segments([s for s, hit in gated.items() if hit], cfg, forms), forms, plan, gated
    )
    assert fast.crumbs == ctx.crumbs
    for line in split:
        if line.strip():
            assert cleaning._judge(line, fast) == _plain_judge(line, ctx), line


def test_length_buckets_hold_every_rule_admitting_the_length() -> None:
    cfg = cleaning.config()
    plan = cleaning._plan(cfg)
    probes = ["来源：新华社", "Copyright 2024", "首页 > 科技 > AI", "阅读量：203", "相关阅读", "版权所有"]
    for limit, gates in plan.by_len:
        assert gates is not None
        for rule in cfg.rules:
            if rule.kind == "drop" and (rule.max_len is None or rule.max_len >= limit):
                for probe in probes:
                    if any(p.search(probe) for p in rule.patterns):
                        assert any(g.search(probe) for g in gates), (limit, rule.id, probe)


@given(
    st.text(
        alphabet=st.sampled_from(list("ab中\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\x07\x1b\x7f")),
        max_size=20,
    )
)
@settings(max_examples=300, deadline=None)
def test_plain_equals_both_substitutions(text: str) -> None:
    assert reading._plain(text) == reading._CONTROLS.sub("", reading._LINE_BREAKS.sub("\n", text))
