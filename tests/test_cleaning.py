"""Tests for builder.cleaning: boilerplate rules, decode, html_to_text."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import cleaning
from builder.cleaning import BoilerplateError, Cleaned, clean, decode, html_to_text, parse_config

BEFORE = "一家初创公司本周宣布完成新一轮融资。"
AFTER = "该公司计划把资金用于算力采购。"


def _wrapped(line: str) -> Cleaned:
    return clean(f"{BEFORE}\n{line}\n{AFTER}")


# (line, rule id that must drop it)
DROPPED = [
    ("{{likeNum}}", "template-placeholder"),
    ("${articleTitle}", "template-placeholder"),
    ("{{!isLogin?'登录后才能评论':''}}", "template-placeholder"),
    ("https://example.com/news/2024/123.html", "url-only"),
    ("www.example.com", "url-only"),
    ("你的位置：首页 > 资讯 > 人工智能", "nav-crumb"),
    ("当前位置：网站首页 > 科技频道", "nav-crumb"),
    ("首页 > 科技", "nav-crumb"),
    ("首页 › 财经 › 正文", "nav-crumb"),
    ("发布日期：2024-03-05 09:30", "meta-date"),
    ("发布时间：2023年7月1日 来源：示例网", "meta-date"),
    ("2024-05-20 18:30 示例科技网", "meta-timestamp"),
    ("点击次数：352", "click-counter"),
    ("阅读量：1.5万", "click-counter"),
    ("浏览 2048 次", "click-counter"),
    ("来源：示例日报 作者：李四", "meta-line"),
    ("责任编辑：王小明", "byline"),
    ("文/张三", "byline"),
    ("记者 李明 王芳", "byline"),
    ("【相关新闻】", "related"),
    ("标题：某公司完成新一轮融资", "meta-label"),
    ("地址：https://example.com/a/1.html", "meta-label"),
    ("原文链接：点击这里", "source-link"),
    ("本文来自微信公众号“示例观察”，作者：赵六", "source-link"),
    ("图片来源：视觉中国", "image-credit"),
    ("圖片來源：某網站截圖", "image-credit"),
    ("好文章，需要你的鼓励", "share-prompt"),
    ("打开网易新闻 查看精彩图片", "share-prompt"),
    ("扫码关注我们的公众号", "share-prompt"),
    ("分享到：微信 微博", "share-prompt"),
    ("相关阅读：", "related"),
    ("相關閱讀：", "related"),
    ("页：", "pagination"),
    ("[1] [2] [3]", "pagination"),
    ("上一篇：某公司发布新款芯片", "pagination"),
    ("下一篇：三季度财报解读", "pagination"),
    ("版权声明：本文由作者原创，转载须注明出处。", "copyright"),
    ("版權聲明：本站文章均來自網絡。", "copyright"),
    ("郑重声明：本文观点仅代表作者本人。", "copyright"),
    ("免责声明：以上内容不构成投资建议。", "copyright"),
    ("Copyright © 2015-2024 示例科技 All Rights Reserved", "copyright"),
    ("Powered by 示例CMS", "copyright"),
    ("© 2024 示例网", "copyright"),
    ("RSS地图 HTML地图", "copyright"),
    ("成人 彩票 棋牌", "spam-line"),
    ("av123", "spam-line"),
    ("博彩在线播放", "spam-line"),
    ("本报记者 陈晓 上海报道", "byline"),
    ("点击上方蓝字 关注我们", "share-prompt"),
    ("▲图片来源：某图库", "image-credit"),
    ("- END -", "end-mark"),
    ("（完）", "end-mark"),
    ("本文作者：陈晓", "byline"),
    ("（本文首发于《某某周刊》，转载请注明出处）", "source-link"),
]


@pytest.mark.parametrize(("line", "rule"), DROPPED)
def test_boilerplate_line_is_dropped(line: str, rule: str) -> None:
    result = _wrapped(line)
    assert result.removed == ((2, rule, line),)
    assert result.text == f"{BEFORE}\n{AFTER}"


# real sentences that merely look like boilerplate
KEPT = [
    "这场围绕训练数据版权的争议，让多家公司重新审视合规流程。",
    "版权方与平台之间的分歧仍在扩大。",
    "公司在公告中附上了原文链接，方便投资者核对。",
    "他在声明中表示将继续留任首席科学家一职。",
    "该平台的阅读量在三个月内翻了一倍。",
    "首页推荐算法的调整引起了创作者不满。",
    "发布日期尚未确定，但内部测试已经开始。",
    "2024年3月5日，某公司宣布完成B轮融资。",
    "上一季度该公司营收增长了三成。",
    "相关人士透露，双方仍在谈判。",
    "图片生成模型的成本正在快速下降。",
    "编辑器插件的用户数突破百万。",
    "成人教育平台也开始接入大模型。",
    "体育彩票中心公布了新的管理办法。",
    "来源于开源社区的贡献占比超过四成。",
    "作者认为，行业洗牌才刚刚开始。",
    "标题党文章在平台上受到限制。",
    "郑重承诺不会裁员的公司并不多。",
    "页面加载速度提升了一倍。",
    "性能对比：模型A > 模型B > 模型C，差距正在缩小。",
    "GPT-4 > Claude > Gemini 的排名并不稳定。",
    "该法案对生成内容的copyright归属作出了规定。",
    "扫描全能王的母公司完成融资。",
    "关注度最高的仍是价格战。",
    "分享会上，他谈到了新模型的进展。",
    "免责条款的修改引发用户讨论。",
    "变成人工智能公司之后，它的估值翻了三倍。",
    "摘要",
    "记者：你怎么看待这一轮价格战？",
    "更多内容将在下月的发布会上公布。",
    "扫码支付的普及让线下商户更愿意尝试新工具。",
    "查看更多数据之后，研究人员改变了结论。",
    "01 矛盾：热钱涌入，但下手谨慎",
]


@pytest.mark.parametrize("line", KEPT)
def test_real_sentence_is_kept(line: str) -> None:
    result = _wrapped(line)
    assert result.removed == ()
    assert result.trimmed == ()
    assert result.text == f"{BEFORE}\n{line}\n{AFTER}"


# (line, kept text, rule id of the cut)
TRIMMED = [
    ("该方案解决了部署难题。https://example.com/img/a.png", "该方案解决了部署难题。", "url-tail"),
    (
        "该方案解决了部署难题。https://a.example.com/xhttps://b.example.com/y.png",
        "该方案解决了部署难题。",
        "url-tail",
    ),
    ("性爱宝典 某公司发布新一代推理芯片", "某公司发布新一代推理芯片", "spam-lead"),
    ("草榴电影 美国艳星 推理芯片迎来降价潮", "推理芯片迎来降价潮", "spam-lead"),
    ("他们的薪资可达百万草榴电影，远超同行。", "他们的薪资可达百万，远超同行。", "spam-inline"),
    ("月底，性爱大师3该公司提起诉讼。", "月底，该公司提起诉讼。", "spam-inline"),
    ("共有{{count}}条评论在讨论这次融资。", "共有条评论在讨论这次融资。", "template-placeholder"),
]


@pytest.mark.parametrize(("line", "kept", "rule"), TRIMMED)
def test_junk_is_cut_out_of_a_kept_line(line: str, kept: str, rule: str) -> None:
    result = _wrapped(line)
    assert result.removed == ()
    assert result.text == f"{BEFORE}\n{kept}\n{AFTER}"
    assert {r for _, r, _ in result.trimmed} == {rule}
    assert all(no == 2 for no, _, _ in result.trimmed)


def test_common_words_are_not_cut_inline() -> None:
    line = "我们在成人教育和亚洲市场都有布局。"
    assert _wrapped(line).text == f"{BEFORE}\n{line}\n{AFTER}"


def test_crumb_echo_drops_site_names_repeated_from_the_crumb() -> None:
    text = "示例资讯\n科技频道\n你的位置：示例资讯 > 科技频道 > 一篇报道的标题\n科技频道的改版\n" + BEFORE
    result = clean(text)
    assert [(no, rule) for no, rule, _ in result.removed] == [
        (1, "crumb-echo"),
        (2, "crumb-echo"),
        (3, "nav-crumb"),
    ]
    assert result.text == f"科技频道的改版\n{BEFORE}"


def test_line_structure_and_whitespace() -> None:
    text = "\n\n第一段。   \r\n\r\n\r\n\r\n第二段。\r{{likeNum}}\r\n\n第三段。\t\n\n\n"
    result = clean(text)
    assert result.text == "第一段。\n\n第二段。\n\n第三段。"
    assert result.removed == ((8, "template-placeholder", "{{likeNum}}"),)


def test_cleaned_is_frozen() -> None:
    result = clean("一句话。")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


def test_blank_and_empty_input() -> None:
    assert clean("") == Cleaned("", ())
    assert clean("\n \n\u3000\n") == Cleaned("", ())


LINE_PIECES = (
    [line for line, _ in DROPPED[:12]] + KEPT[:6] + ["", " ", "\r", "\t", "草榴电影", "https://x.cn/a"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(LINE_PIECES), st.text(max_size=30)), max_size=15))
def test_clean_invariants(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = clean(text)
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert all(1 <= no <= n_lines for no, _, _ in result.removed + result.trimmed)
    assert "\r" not in result.text and "\n\n\n" not in result.text
    assert result.text == result.text.strip("\n")
    assert all(line == line.rstrip() for line in result.text.split("\n"))


# ---------------------------------------------------------------- data validation


def _base_data() -> dict:
    return {
        "spam_words": ["草榴"],
        "spam_words_inline": ["草榴"],
        "common_chars": "的一是不了在人有我他" * 40,
        "rules": [{"id": "ok-rule", "kind": "drop", "patterns": ["^x$"]}],
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "broken-regex", "kind": "drop", "patterns": ["(unclosed"]}, "broken-regex"),
        ({"id": "no-patterns", "kind": "drop", "patterns": []}, "no-patterns"),
        ({"id": "odd-kind", "kind": "keep", "patterns": ["x"]}, "odd-kind"),
        ({"id": "odd-handler", "kind": "builtin", "handler": "nope"}, "odd-handler"),
        ({"id": "ok-rule", "kind": "drop", "patterns": ["y"]}, "ok-rule"),
        ({"id": "bad-len", "kind": "drop", "patterns": ["y"], "max_len": -1}, "bad-len"),
    ],
)
def test_bad_rule_data_names_the_rule(rule: dict, message: str) -> None:
    data = _base_data()
    data["rules"].append(rule)
    with pytest.raises(BoilerplateError, match=message):
        parse_config(data)


def test_inline_spam_words_must_be_spam_words() -> None:
    data = _base_data()
    data["spam_words_inline"] = ["别的词"]
    with pytest.raises(BoilerplateError, match="spam_words_inline"):
        parse_config(data)


def test_shipped_data_is_valid() -> None:
    cfg = cleaning.config()
    ids = [r.id for r in cfg.rules]
    assert len(ids) == len(set(ids))
    assert {"meta-date", "copyright", "spam-line", "crumb-echo", "url-tail"} <= set(ids)
    assert len(cfg.common_chars) > 500


# ---------------------------------------------------------------- decode

SIMPLIFIED = "今年上半年，多家人工智能企业宣布降价，一家大模型公司的创始人表示将继续投入研发。"
TRADITIONAL = "這家人工智慧公司宣布完成新一輪融資，估值超過十億美元，創辦人表示將擴大研發團隊。"
MIXED = "OpenAI said on Monday that 新模型 will ship in May 2024."


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
        ("欧元€与生僻字𠀀".encode("gb18030"), "欧元€与生僻字𠀀", "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        (b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le"),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16-be"),
        (MIXED.encode("utf-16-le"), MIXED, "utf-16-le"),
        (MIXED.encode("utf-16-be"), MIXED, "utf-16-be"),
        (SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le"),
        (b"", "", "utf-8"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


@pytest.mark.parametrize(
    "sample",
    ["他在社交媒体上表示将离开公司。", "新公司估值超过十亿美元", "这家公司的研究团队正在训练新模型"],
)
def test_gbk_that_also_decodes_as_big5_is_read_as_gbk(sample: str) -> None:
    data = sample.encode("gbk")
    data.decode("big5")  # the trap: this "works" too
    assert decode(data) == (sample, "gb18030")


@pytest.mark.parametrize("sample", ["市場競爭日益激烈", "他在社群媒體上表示將離開工作多年的公司。"])
def test_big5_that_also_decodes_as_gb18030_is_read_as_big5(sample: str) -> None:
    data = sample.encode("big5")
    data.decode("gb18030")  # the trap
    assert decode(data) == (sample, "big5")


_RNG = random.Random(20240601)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        b"PK\x03\x04\x14\x00\x00\x00" + b"word/document.xml",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        bytes(_RNG.randrange(256) for _ in range(4096)),
        bytes(_RNG.choice([1, 2, 3, 4, 5, 6, 65, 66]) for _ in range(500)),
        b"text with a NUL\x00in the middle, odd length",
    ],
)
def test_binary_is_rejected(data: bytes) -> None:
    with pytest.raises(ValueError, match="binary data, not text"):
        decode(data)


def test_utf8_with_a_broken_sequence_stays_utf8() -> None:
    data = (SIMPLIFIED * 3).encode("utf-8")
    truncated = decode(data[:-1])
    assert truncated[1] == "utf-8" and truncated[0].startswith(SIMPLIFIED)
    spliced = decode(data[:50] + b"\xff" + data[50:])
    assert spliced[1] == "utf-8" and spliced[0].endswith(SIMPLIFIED[-20:])


def test_undecodable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cleaning, "_best_cjk", lambda data: None)
    monkeypatch.setattr(cleaning, "_charset_normalizer", lambda data: None)
    with pytest.raises(ValueError, match="^undecodable"):
        decode(b"\xff\xfe\xfd bad")


# ---------------------------------------------------------------- html

PAGE = """<!DOCTYPE html><html><head><title>某公司完成新一轮融资 - 示例科技网</title>
<meta property="og:title" content="某公司完成新一轮融资">
<meta property="article:published_time" content="2024-06-18T10:00:00+08:00">
<link rel="canonical" href="https://news.example.com/ai/2024/0618.html">
<style>.x{color:red} /* 样式里的文字 */</style>
<script>var secret = "脚本里的文字";</script></head>
<body><header><nav><a href="/">首页</a> <a href="/ai">人工智能频道导航</a></nav></header>
<article><h1>某公司完成新一轮融资</h1>
<p>六月十八日，一家专注于大模型推理的初创公司宣布完成新一轮融资，金额达到数亿元人民币，本轮由多家机构联合领投。</p>
<p>公司创始人表示，这笔资金将主要用于算力采购和人才招聘，同时加快海外市场的拓展节奏，预计明年推出面向企业的新产品。</p>
<p>业内人士认为，推理成本的持续下降正在改变行业格局，越来越多的开发者开始把目光投向垂直场景，竞争也随之加剧。</p>
</article>
<script>document.write("另一段脚本")</script>
</body></html>"""


def _check_page_text(text: str) -> None:
    assert "六月十八日" in text and "业内人士认为" in text
    for junk in ("脚本里的文字", "样式里的文字", "另一段脚本", "color:red", "频道导航"):
        assert junk not in text
    paragraphs = [p for p in text.split("\n") if p.strip()]
    assert any(p.startswith("公司创始人表示") for p in paragraphs)


def test_html_to_text_main_text_and_metadata() -> None:
    text, meta = html_to_text(PAGE)
    _check_page_text(text)
    assert meta["title"] == "某公司完成新一轮融资"
    assert meta["date"] == "2024-06-18"
    assert meta["url"] == "https://news.example.com/ai/2024/0618.html"


def test_html_to_text_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    text, _ = html_to_text(PAGE)
    _check_page_text(text)
    assert text.split("\n")[0] == "某公司完成新一轮融资"


# ---------------------------------------------------------------- fast paths


def test_line_forms_equal_line_by_line_forms():
    lines = [
        "  發佈日期：２０２４年１月  ",
        "版權聲明：本文",
        "",
        "普通的一行，ＡＢＣ",
        "Ｑ３財報",
        "a\u0301b",
    ]
    forms = cleaning._line_forms(lines)
    for line in lines:
        if line.strip():
            assert forms[line.strip()] == cleaning._match_form(line.strip())


def test_joined_drop_patterns_fire_exactly_when_one_pattern_does():
    cfg = cleaning.config()
    lines = [
        "来源：新华社",
        "Copyright 2024 Foo",
        "© 2024",
        "版权所有",
        "首页 > 科技 > AI",
        "正文内容，无关。",
        "ICP备12345号",
    ]
    for rule in cfg.rules:
        if rule.kind != "drop":
            continue
        for line in lines:
            one = any(p.search(line) for p in rule.patterns)
            assert one == any(p.search(line) for p in cleaning._plan(cfg).joined[rule.id]), (rule.id, line)
            if one:
                assert any(g.search(line) for g in cleaning._plan(cfg).drop_any)


def test_trim_gates_never_hide_a_cut():
    cfg = cleaning.config()
    for line in ["正文 https://example.com/x", "{{ad}}正文", "正文草榴社区正文", "草榴 正文", "普通正文"]:
        for _rule_id, pat, gate in cleaning._plan(cfg).trims:
            if pat.search(line) and pat.search(line).group(0):
                assert gate is None or gate.search(line)


@given(
    st.text(
        alphabet=st.sampled_from(list("，：；！？（）％＋－．／　…～＞＝中文aＡ\u0301\u0338é①㍿ﬁ")),
        max_size=30,
    )
)
@settings(max_examples=300, deadline=None)
def test_fast_nfkc_equals_nfkc(text):
    import unicodedata

    assert cleaning._nfkc(text) == unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------- rule gates


def _drop_reason_rule_by_rule(line: str, ctx: cleaning._Context) -> str | None:
    """_drop_reason without any gate: every rule in order."""
    stripped = line.strip()
    form = cleaning._match_form(stripped)
    forms = (stripped,) if form == stripped else (stripped, form)
    for rule in ctx.cfg.rules:
        if rule.kind == "drop":
            if cleaning._drop_rule_hits(rule, forms):
                return rule.id
        elif rule.handler in cleaning._LINE_TESTS and cleaning._LINE_TESTS[rule.handler](stripped, ctx):
            return rule.id
    return None


BODY = "北辰科技宣布完成新一轮融资，资金将用于大模型研发和人才引进。" * 8  # > every max_len


@pytest.mark.parametrize(
    "line",
    [line for line, _ in DROPPED]
    + KEPT
    + [line + BODY for line, _ in DROPPED]
    + [BODY + line for line, _ in DROPPED]
    + [BODY, "Copyright 2024 " + BODY, "https://x.cn/" + "a" * 300, "版权所有 " + BODY],
)
def test_gated_drop_reason_equals_trying_every_rule(line: str) -> None:
    cfg = cleaning.config()
    ctx = cleaning._Context(cfg, frozenset(), {}, cleaning._plan(cfg))
    assert cleaning._drop_reason(line, ctx) == _drop_reason_rule_by_rule(line, ctx)


def test_long_line_gate_holds_only_rules_without_a_length_limit() -> None:
    plan = cleaning._plan(cleaning.config())
    limits = [r.max_len for r in cleaning.config().rules if r.kind == "drop" and r.max_len is not None]
    assert plan.long_from == max(limits)
    assert plan.drop_any_long is not None and plan.drop_any is not None


def test_the_list_after_a_related_reading_or_comments_header_is_dropped():
    text = "\n".join(
        [
            "4月17日，一家芯片公司宣布完成2亿元A轮融资。",
            "相关阅读：",
            "· 另一家公司宣布完成新一轮融资",
            "· 某公司联合创始人离职",
            "",
            "热门评论",
            "网友甲：这家公司技术不错",
        ]
    )
    result = clean(text)
    assert result.text == "4月17日，一家芯片公司宣布完成2亿元A轮融资。"
    assert [rule for _, rule, _ in result.removed] == [
        "related",
        "related-block",
        "related-block",
        "comments",
        "related-block",
    ]


def test_a_sentence_or_a_long_line_ends_the_related_block():
    sentence = "该公司计划把资金用于算力采购。"
    long_line = "此外，公司管理层在接受采访时详细介绍了下一代推理芯片的架构设计思路、量产计划和交付时间表安排"
    assert clean(f"相关阅读：\n{sentence}").text == sentence
    assert clean(f"猜你喜欢\n· 一条别的新闻标题\n{long_line}").text == long_line


def test_a_related_block_rule_must_name_existing_rules():
    import yaml

    data = yaml.safe_load(cleaning.DATA_FILE.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule.get("handler") == "related_block":
            rule["after"] = ["no-such-rule"]
    with pytest.raises(BoilerplateError, match="no-such-rule"):
        parse_config(data)
