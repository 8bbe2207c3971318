"""Table tests for the small stages: segmenting, amounts, slugs, titles, rules."""

from __future__ import annotations

import pytest

from builder.amounts import amount_value, find_amounts, find_round
from builder.rules import RuleError, load_rules, parse_rules
from builder.segmenting import paragraph_texts, sentences
from builder.slugs import slugify, unique_slugs
from builder.titles import make_title


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一句。第二句！", ["第一句。", "第二句！"]),
        ("他说：“走了。”然后离开", ["他说：“走了。”", "然后离开"]),
        ("甲；乙？丙", ["甲；", "乙？", "丙"]),
        ("第一段\n\n  第二段。", ["第一段", "第二段。"]),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert [text[s.start : s.end].strip() for s in sentences(text)] == expected


def test_paragraph_numbers_skip_blank_lines():
    text = "一\n\n二\n三"
    assert [s.paragraph for s in sentences(text)] == [1, 2, 3]
    assert paragraph_texts(text) == ["一", "二", "三"]


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("以约3.5亿元完成收购", ["3.5亿元"]),
        ("获得12亿美元投资", ["12亿美元"]),
        ("索赔500万", ["500万"]),
        ("投入两千万人民币", ["2000万元"]),
        ("估值超过40亿美元", ["40亿美元"]),
        ("参数量达1750亿", ["1750亿"]),
        ("没有金额", []),
    ],
)
def test_amounts(text, amounts):
    assert find_amounts(text) == amounts


def test_amount_value_and_round():
    assert amount_value("12亿美元") == (1.2e9, "USD")
    assert amount_value("500万") == (5e6, "CNY")
    assert find_round("完成B+轮融资") == "B+轮"
    assert find_round("完成新一轮融资") == ""


@pytest.mark.parametrize(
    "name, slug",
    [
        ("周伯通", "zhou-bo-tong"),
        ("Moonshot AI", "moonshot-ai"),
        ("../../etc/passwd", "etc-passwd"),
        ("javascript:alert(1)", "javascript-alert-1"),
        ("", "x"),
    ],
)
def test_slugify_is_safe(name, slug):
    assert slugify(name) == slug


def test_unique_slugs_do_not_collide():
    slugs = unique_slugs(["张伟", "章伟", "张伟"])
    assert len(set(slugs.values())) == 2


@pytest.mark.parametrize(
    "etype, people, companies, details, title",
    [
        (
            "departure",
            ["林海"],
            ["甲公司", "乙公司"],
            {"from": "甲公司", "to": "乙公司"},
            "林海离开甲公司，加入乙公司",
        ),
        ("hire", ["林海"], ["乙公司"], {"to": "乙公司"}, "林海加入乙公司"),
        ("funding", [], ["甲公司"], {"round": "B轮", "amount": "5亿元"}, "甲公司完成B轮融资，金额5亿元"),
        ("acquisition", [], ["甲", "乙"], {"acquirer": "甲", "target": "乙"}, "甲收购乙"),
        ("lawsuit", ["王某"], ["甲"], {"plaintiff": "甲", "defendant": "王某"}, "甲起诉王某"),
        ("price_cut", [], ["甲", "乙"], {}, "甲、乙降价"),
    ],
)
def test_titles(etype, people, companies, details, title):
    assert make_title(etype, people, companies, details) == title


def test_rules_load_with_unique_ids():
    rules = load_rules()
    ids = [t.id for t in rules.triggers]
    assert len(ids) == len(set(ids)) and len(ids) > 15
    assert {t.type for t in rules.triggers} == {
        "funding",
        "departure",
        "hire",
        "lawsuit",
        "price_cut",
        "acquisition",
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("types: {merger: [{id: a, pattern: x}]}", "unknown event type"),
        ("types: {funding: [{id: a, pattern: '('}]}", "rule 'a'"),
        ("types: {funding: [{id: a, pattern: x}, {id: a, pattern: y}]}", "repeated"),
        ("types: {funding: [{id: a, pattern: x}]}", "missing cue lists"),
    ],
)
def test_bad_rules_are_named(text, message):
    with pytest.raises(RuleError, match=message):
        parse_rules(text)
