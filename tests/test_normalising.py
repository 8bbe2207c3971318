"""Tests for builder.normalising: t2s, width folding, repost de-obfuscation, offsets."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import normalising
from builder.normalising import NormText, ObfuscationDataError, deobfuscation_active, normalise, parse_table

# An obfuscated paragraph written for these tests (the swaps: 今年->本年, 年初->岁首,
# 美国->好意思国, 大模型->大模子, 联合创始人->团结创举东谈主, 宣布->晓示, 离职->下野,
# 透露->表露, 训练->试验, 产品->家具, 美元->好意思元, 做->作念, 朋友圈->一又友圈).
OBFUSCATED = (
    "本年岁首，好意思国一家大模子公司的团结创举东谈主晓示下野，并表露公司正在试验新一代家具。"
    "他在一又友圈里说，公司会连接作念下去，融资约莫五亿好意思元。"
)
RESTORED = (
    "今年年初，美国一家大模型公司的联合创始人宣布离职，并透露公司正在训练新一代产品。"
    "他在朋友圈里说，公司会连接做下去，融资大约五亿美元。"
)

# ordinary text full of words that are ALSO in the swap table
CLEAN = (
    "在此期间，研究团队完成了三轮试验，新家具的认真评测暗示发布会推迟到本年度第四季度。"
    "他表示，这个问题很迫切，公司的特出员工已经插足其中，还是要以至少两年为期。"
)


def _check_map(original: str, n: NormText) -> None:
    assert len(n.to_orig) == len(n.text) + 1
    assert n.to_orig[-1] == len(original)
    assert all(a <= b for a, b in zip(n.to_orig, n.to_orig[1:], strict=False))
    assert all(0 <= i <= len(original) for i in n.to_orig)


def test_traditional_to_simplified_keeps_offsets() -> None:
    text = "經歷了大半年的狂飆，中國大模型行業進入了新的週期。"
    n = normalise(text)
    assert n.text == "经历了大半年的狂飙，中国大模型行业进入了新的周期。"
    assert tuple(n.to_orig) == tuple(range(len(text) + 1))
    assert not n.obfuscated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＧＰＴ－４發布", "GPT-4发布"),
        ("融资１．５亿", "融资1.5亿"),
        ("增长３０％", "增长30%"),
        ("ｈｔｔｐｓ：／／", "https：//"),
        ("中文\u3000文本", "中文 文本"),
        ("（注：数据截至６月）。，、；：？！", "（注：数据截至6月）。，、；：？！"),
    ],
)
def test_width_folding(text: str, expected: str) -> None:
    n = normalise(text)
    assert n.text == expected
    assert len(n.text) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("陆 嘉禾加入了腾讯", "陆嘉禾加入了腾讯"),  # a padded two-character name
        ("由 国 家 基 金 领投", "由国家基金领投"),  # spaced out character by character
        ("前总监 濮 青 山 加盟", "前总监濮青山加盟"),
        ("邱某请辞 转战鸿海", "邱某请辞 转战鸿海"),  # a headline's two phrases
        ("2019 年加入 AI 公司", "2019 年加入 AI 公司"),  # not between Chinese characters
        ("陆\u3000嘉禾", "陆嘉禾"),  # the ideographic space too
    ],
)
def test_stray_spaces_inside_chinese_names_are_removed(text: str, expected: str) -> None:
    n = normalise(text)
    assert n.text == expected
    _check_map(text, n)
    start = n.text.find("嘉禾")
    if start >= 0:
        assert text[slice(*n.orig_span(start, start + 2))] == "嘉禾"


def test_obfuscated_paragraph_is_restored() -> None:
    assert deobfuscation_active(OBFUSCATED)
    n = normalise(OBFUSCATED)
    assert n.obfuscated
    assert n.text == RESTORED
    _check_map(OBFUSCATED, n)


@pytest.mark.parametrize(
    ("norm_word", "orig_word"),
    [
        ("联合创始人", "团结创举东谈主"),
        ("美国", "好意思国"),
        ("离职", "下野"),
        ("五亿美元", "五亿好意思元"),
        ("产品", "家具"),
    ],
)
def test_spans_map_back_to_the_obfuscated_original(norm_word: str, orig_word: str) -> None:
    n = normalise(OBFUSCATED)
    a = n.text.index(norm_word)
    start, end = n.orig_span(a, a + len(norm_word))
    assert OBFUSCATED[start:end] == orig_word


def test_clean_paragraph_is_untouched() -> None:
    assert not deobfuscation_active(CLEAN)
    n = normalise(CLEAN)
    assert n.text == CLEAN
    assert not n.obfuscated
    assert tuple(n.to_orig) == tuple(range(len(CLEAN) + 1))


def test_mode_can_be_forced_for_a_single_sentence() -> None:
    sentence = "他晓示下野。"
    assert normalise(sentence).text == sentence
    assert normalise(sentence, obfuscated=True).text == "他宣布离职。"
    assert normalise(OBFUSCATED, obfuscated=False).text == OBFUSCATED


def test_few_markers_do_not_switch_the_mode_on() -> None:
    # two distinct markers only (the threshold is three)
    text = "东谈主这个写法很怪，东谈主们也会把做写成作念。" + CLEAN
    assert not deobfuscation_active(text)
    assert normalise(text).text == text


def test_protected_phrases_survive_in_obfuscated_mode() -> None:
    text = OBFUSCATED + "本年度的预算已经批复，日本年轻东谈主的比例上升，30岁首次创业的东谈主更多。"
    n = normalise(text)
    assert n.obfuscated
    assert n.text.endswith("本年度的预算已经批复，日本年轻人的比例上升，30岁首次创业的人更多。")


def test_repeated_obfuscation_with_traditional_and_full_width() -> None:
    text = "東谈主們說，好意思國的大模子公司晓示融資１０億好意思元，一又友們都很驚訝。"
    n = normalise(text)
    assert n.obfuscated
    assert n.text == "人们说，美国的大模型公司宣布融资10亿美元，朋友们都很惊讶。"
    _check_map(text, n)


def test_orig_span_bounds_and_frozen() -> None:
    n = normalise("测试")
    assert n.orig_span(0, 2) == (0, 2)
    with pytest.raises(IndexError):
        n.orig_span(1, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        n.text = "x"  # type: ignore[misc]


def test_empty_text() -> None:
    n = normalise("")
    assert (n.text, tuple(n.to_orig), n.obfuscated) == ("", (0,), False)


# ---------------------------------------------------------------- data


def test_shipped_table_is_valid_and_large() -> None:
    tab = normalising.table()
    swaps = {k: v for k, v in tab.pairs.items() if k != v}
    assert len(swaps) >= 80
    assert tab.min_distinct >= 2


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ({"from": "東谈主", "to": "人", "marker": True}, "東谈主"),
        ({"from": "本年度", "to": "本年度", "marker": True}, "本年度"),
        ({"from": "家具", "to": "", "marker": False}, "家具"),
        ({"from": "家具", "to": "产品", "marker": "yes"}, "家具"),
        ({"from": "大模子", "to": "大模型", "marker": True}, "大模子"),
    ],
)
def test_bad_table_data_names_the_entry(pair: dict, message: str) -> None:
    data = {
        "detection": {"min_distinct_markers": 3, "min_per_1000_chars": 1.0},
        "pairs": [{"from": "大模子", "to": "大模型", "marker": True}, pair],
    }
    with pytest.raises(ObfuscationDataError, match=message):
        parse_table(data)


def test_bad_detection_settings() -> None:
    with pytest.raises(ObfuscationDataError, match="detection"):
        parse_table({"detection": {"min_distinct_markers": 0}, "pairs": []})


# ---------------------------------------------------------------- properties

FRAGMENTS = (
    "东谈主 大模子 好意思元 晓示 下野 作念 一又友圈 团结创举东谈主 东谈宗旨 期间 试验 家具 本年度 暗示 "
    "的 公司 。 ， Ａ １ 經歷 發布 Open AI 2024年 锻真金不怕火 年齿首 不才半年"
).split() + ["\n", " "]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_offset_map_invariants_on_any_text(text: str) -> None:
    n = normalise(text)
    _check_map(text, n)
    if not n.obfuscated and normalising.join_spaced(normalising.fold_width(text)) is None:
        assert len(n.text) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_offset_map_invariants_on_marker_heavy_text(text: str) -> None:
    n = normalise(text)
    _check_map(text, n)
    if not n.obfuscated and normalising.join_spaced(normalising.fold_width(text)) is None:
        assert len(n.text) == len(text)
    for a in range(len(n.text) + 1):
        start, end = n.orig_span(a, len(n.text))
        assert 0 <= start <= end == len(text)


# ---------------------------------------------------------------- fast paths


def test_space_chars_are_exactly_the_isspace_characters():
    assert set(normalising._SPACE_CHARS) == {chr(o) for o in range(0x110000) if chr(o).isspace()}


@given(st.text(alphabet=st.sampled_from(list("ａＡ１，。,;:!?３ 　中文ab1-．／％\n")), max_size=40))
@settings(max_examples=200, deadline=None)
def test_fast_paths_equal_the_plain_definitions(text):
    import re

    assert normalising.fold_width(text) == text.translate(normalising._FOLD_TABLE)
    slow = re.compile(r"(?<=[\u4e00-\u9fff])[,;:!?](?!\d)|[,;:!?](?=[\u4e00-\u9fff])")
    assert normalising.cjk_punctuation(text) == slow.sub(lambda m: normalising._FULL_PUNCT[m.group()], text)
    assert normalising._marker_stats(text)[2] == sum(1 for c in text if not c.isspace())
