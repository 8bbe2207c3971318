"""Table tests for the small stages: segmenting, amounts, slugs, titles, rules."""

from __future__ import annotations

import re

import pytest

from builder.amounts import amount_value, find_amounts, find_round
from builder.extraction import find_hits
from builder.literals import LiteralIndex, required_literal_sets, required_literals, with_first_chars
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
        ("估值超过40亿美元", []),  # what the company is worth, not money raised or paid
        ("完成5亿元融资，投后估值达50亿元", ["5亿元"]),
        ("零一万物完成融资", []),  # numerals and a unit inside a name
        ("投资两千万的项目", ["2000万"]),
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


# ---------------------------------------------------------------- literal gates


@pytest.mark.parametrize(
    "pattern, flags, literals",
    [
        ("离职|辞任", 0, {"离职", "辞任"}),
        ("离职|离任", 0, {"离"}),  # the parser factors out the common prefix
        (r"(?<![\d.])(?P<y>\d{4})\s?年", 0, {"年"}),
        (r"(?:完成|获得)[^，。；]{0,20}融资", 0, {"融资"}),
        (r"不再(?:担任|主持)", 0, {"不再"}),
        (r"a(?=b)c", 0, {"ac"}),
        (r"x?y*", 0, None),
        (r"\d+", 0, None),
        (r"(?:https?://|www\.)", re.IGNORECASE, {"://", "."}),
        (r"copyright|©", re.IGNORECASE, None),
        (r"x(?-i:AB)y", re.IGNORECASE, {"AB"}),
    ],
)
def test_required_literals(pattern, flags, literals):
    found = required_literals(re.compile(pattern, flags))
    assert (set(found) if found is not None else None) == literals


def test_every_trigger_and_date_rule_match_holds_one_of_its_literals():
    from builder import dates

    texts = [
        "2024年3月5日，周某某离职，加入智谱。去年9月完成B轮融资，由红杉领投。",
        "今年上半年，X公司起诉Y公司；11月下旬降价至0.8元。2023-2024年间收购了青禾数据。",
        "近日，Ｑ３季度，2024Q3，同年6月，过去三个月，3月到5月，不再担任CEO，失去了一位创始人。",
    ]
    patterns = [t.pattern for t in load_rules().triggers] + [r.regex for r in dates.RULES.rules]
    for pattern in patterns:
        literals = required_literals(pattern)
        for text in texts:
            for m in pattern.finditer(text):
                if m.group() and literals is not None:
                    assert any(lit in m.group() for lit in literals), (pattern.pattern, m.group())


@pytest.mark.parametrize(
    "pattern, sets",
    [
        (r"(?P<a>\d+)月(?:至|到|-)(?P<b>\d+)月", [{"月"}, {"至", "到", "-"}]),
        (r"(?:今年|去年)?(\d+)月", [{"月"}]),  # an optional group requires nothing
        (r"x{0,2}年(?:初|底)+", [{"年"}, {"初", "底"}]),
        (r"(?=季)度|年", [{"度", "年"}]),  # a lookahead adds nothing
        (r"\d+|年", []),  # a branch with a part of no literal: nothing known
        (r"(?i:ab)年", [{"年"}]),  # letters under IGNORECASE are no literals
        (r"A(?:\d|号)B", [{"A"}, {"B"}]),
    ],
)
def test_required_literal_sets(pattern, sets):
    assert [set(x) for x in required_literal_sets(re.compile(pattern))] == sets


def test_every_date_rule_match_holds_a_literal_of_each_of_its_sets():
    from builder import dates

    texts = [
        "2024年3月5日至6日，去年11月下旬，今年Q3，二〇二三年，上半年，近日；12月到次年2月。",
        "3月5日-4月10日，2023年至2024年，本周二，三天前，过去六个月，同年6月，2024/05/06。",
    ]
    for rule in dates.RULES.rules:
        sets = required_literal_sets(rule.regex)
        assert len(rule.gates) == len(sets)
        for text in texts:
            for m in rule.regex.finditer(dates.fold(text)):
                for literals in sets:
                    assert any(lit in m.group() for lit in literals), (rule.id, m.group(), literals)


def test_first_char_lookahead_keeps_every_match():
    from builder import dates

    text = "2024年3月5日至6日，去年11月下旬，今年Q3，二〇二三年，上半年，近日；12月到次年2月。" * 3
    for rule in dates.RULES.rules:
        fast = with_first_chars(rule.regex)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rule.regex.finditer(text)]
        assert fast.groupindex == rule.regex.groupindex


def test_literal_index_names_the_rules_that_can_match():
    index = LiteralIndex([frozenset({"离职"}), frozenset({"融资", "轮"}), None])
    assert index.candidates("他离职了") == {0, 2}
    assert index.candidates("完成B轮") == {1, 2}
    assert index.candidates("无关") == {2}


def test_trigger_gate_agrees_with_the_triggers():
    rules = load_rules()
    for text in [
        "周某某宣布离职。",
        "完成10亿元B轮融资。",
        "今天天气很好。",
        "X公司起诉Y公司。",
        "价格下调。",
    ]:
        any_match = any(t.pattern.search(text) for t in rules.triggers)
        assert bool(rules.any_trigger.search(text)) or not any_match
        assert (find_hits(text, rules) != []) <= any_match


def test_case_insensitive_first_characters_are_complete():
    import string

    from builder import literals

    everything = [chr(o) for o in range(0x110000)]
    for letter in string.ascii_lowercase:
        rx = re.compile("(?i)" + letter)
        matched = {x for x in everything if rx.fullmatch(x)}
        assert matched == {letter, letter.upper(), *literals._CI_EXTRA.get(letter, "")}, letter
    pattern = re.compile(r"(?i:©|copyright|ICP备)")
    fast = with_first_chars(pattern)
    for text in ["COPYRIGHT", "Copyrıght 2024", "ｃopyright", "备案ICP备", "©2024", "无关"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_literal_index_over_a_whole_text_equals_sentence_by_sentence():
    index = load_rules().index
    text = "周某某离职。完成B轮融资。对此，他表示价格下调。无关的话。收购"
    spans = [(0, 6), (6, 13), (13, 24), (24, 29), (29, len(text))]
    assert index.candidates_in(text, spans) == [index.candidates(text[a:b]) for a, b in spans]
    for (a, b), maybe in zip(spans, index.candidates_in(text, spans), strict=True):
        assert find_hits(text[a:b], load_rules(), maybe) == find_hits(text[a:b], load_rules())
