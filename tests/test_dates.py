"""Tests for builder.dates: date expressions, printed and inferred publication dates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import dates
from builder.dates import DateRulesError, find_dates, find_published, infer_published, load_rules, parse_iso
from builder.models import DateValue

DAY = DateValue("2024-12-06")  # a reference date at day precision
MON = DateValue("2023-08")  # ... at month precision
YEAR = DateValue("2024")  # ... at year precision
MARCH = DateValue("2024-03-15")
JAN = DateValue("2024-01-15")

# (text, ref, expected [(mention text, value, approximate), ...])
FIND_CASES = [
    # --- absolute dates
    ("公司于2024年11月13日宣布新一轮融资", DAY, [("2024年11月13日", "2024-11-13", False)]),
    ("发布会定在2024-12-06举行", None, [("2024-12-06", "2024-12-06", False)]),
    ("新版2024/12/6上线", None, [("2024/12/6", "2024-12-06", False)]),
    ("2024.12.06消息", None, [("2024.12.06", "2024-12-06", False)]),
    ("2024年11月完成交割", None, [("2024年11月", "2024-11", False)]),
    ("2024年行业回暖", None, [("2024年", "2024", False)]),
    ("2024 年 11 月 13 日上午", None, [("2024 年 11 月 13 日", "2024-11-13", False)]),
    ("２０２４年１１月１３日", None, [("２０２４年１１月１３日", "2024-11-13", False)]),
    ("2024年12月06日 10:30 发布", None, [("2024年12月06日", "2024-12-06", False)]),
    ("2024年2月29日", None, [("2024年2月29日", "2024-02-29", False)]),
    ("二〇二三年", None, [("二〇二三年", "2023", False)]),
    ("二〇二三年十二月二十五日", None, [("二〇二三年十二月二十五日", "2023-12-25", False)]),
    ("截至2023-10这一数字", None, [("2023-10", "2023-10", False)]),
    ("2024年度报告显示", None, [("2024年", "2024", False)]),
    # --- month / day without a year
    ("11月13日晚间宣布", DAY, [("11月13日", "2024-11-13", False)]),
    ("11月13号正式发布", DAY, [("11月13号", "2024-11-13", False)]),
    ("10月股价上涨", DAY, [("10月", "2024-10", False)]),
    ("10月份营收增长", DAY, [("10月份", "2024-10", False)]),
    ("5月份的销量", DAY, [("5月份", "2024-05", False)]),
    ("二月份开始", DAY, [("二月份", "2024-02", False)]),
    ("十一月发布", DAY, [("十一月", "2024-11", False)]),
    ("十二月三十一日截止", DAY, [("十二月三十一日", "2024-12-31", False)]),
    ("1月推出", DAY, [("1月", "2024-01", False)]),
    ("12月发布", MARCH, [("12月", "2023-12", False)]),
    ("5月发布", MARCH, [("5月", "2024-05", False)]),
    ("6月发布", MARCH, [("6月", "2023-06", False)]),
    ("6月发布", YEAR, [("6月", "2024-06", False)]),
    ("3月1日上线", JAN, [("3月1日", "2024-03-01", False)]),
    ("4月1日上线", JAN, [("4月1日", "2023-04-01", False)]),
    ("11月13日宣布", None, []),
    # --- relative years
    ("今年8月加入", DAY, [("今年8月", "2024-08", False)]),
    ("去年9月离职", DAY, [("去年9月", "2023-09", False)]),
    ("去年9月18日离职", DAY, [("去年9月18日", "2023-09-18", False)]),
    ("今年八月", DAY, [("今年八月", "2024-08", False)]),
    ("今年3月份", MON, [("今年3月份", "2023-03", False)]),
    ("前年成立", DAY, [("前年", "2022", False)]),
    ("明年上市", DAY, [("明年", "2025", False)]),
    ("今年营收", DAY, [("今年", "2024", False)]),
    ("去年亏损", DAY, [("去年", "2023", False)]),
    ("本年度营收", DAY, [("本年", "2024", False)]),
    ("昨年亏损", DAY, [("昨年", "2023", False)]),
    ("来岁再战", DAY, [("来岁", "2025", False)]),
    ("来年计划", DAY, [("来年", "2025", False)]),
    ("客岁营收", DAY, [("客岁", "2023", False)]),
    ("今年8月", None, []),
    ("过去年轻人", DAY, []),
    # --- month parts
    ("5月初宣布", DAY, [("5月初", "2024-05", False)]),
    ("5月上旬", DAY, [("5月上旬", "2024-05", False)]),
    ("10月中旬", DAY, [("10月中旬", "2024-10", False)]),
    ("11月下旬", DAY, [("11月下旬", "2024-11", False)]),
    ("11月底离职", DAY, [("11月底", "2024-11", False)]),
    ("11月末", DAY, [("11月末", "2024-11", False)]),
    ("八月底离职", DAY, [("八月底", "2024-08", False)]),
    ("2023年5月初", None, [("2023年5月初", "2023-05", False)]),
    ("去年11月底", DAY, [("去年11月底", "2023-11", False)]),
    # --- year parts
    ("年初宣布", DAY, [("年初", "2024", False)]),
    ("岁首发布", DAY, [("岁首", "2024", False)]),
    ("开年以来", DAY, [("开年", "2024", False)]),
    ("年中，公司调整", DAY, [("年中", "2024", False)]),
    ("年底上线", DAY, [("年底", "2024", False)]),
    ("年末盘点", DAY, [("年末", "2024", False)]),
    ("年内完成", DAY, [("年内", "2024", False)]),
    ("上半年营收", DAY, [("上半年", "2024", False)]),
    ("下半年以来", MON, [("下半年", "2023", False)]),
    ("2023年中旬", None, [("2023年中旬", "2023", False)]),
    ("2023年初", None, [("2023年初", "2023", False)]),
    ("2022年年底", None, [("2022年年底", "2022", False)]),
    ("今年年中", DAY, [("今年年中", "2024", False)]),
    ("今年初", DAY, [("今年初", "2024", False)]),
    ("去年下半年", DAY, [("去年下半年", "2023", False)]),
    ("2024年第一季度", None, [("2024年第一季度", "2024", False)]),
    ("2024年Q1", None, [("2024年Q1", "2024", False)]),
    ("2024Q2财报", None, [("2024Q2", "2024", False)]),
    ("Q3财报", DAY, [("Q3", "2024", False)]),
    ("前三季度", DAY, [("前三季度", "2024", False)]),
    ("上半年", None, []),
    # --- approximate words
    ("近日宣布", DAY, [("近日", "2024-12", True)]),
    ("日前离职", DAY, [("日前", "2024-12", True)]),
    ("近期消息", MON, [("近期", "2023-08", True)]),
    ("最近宣布", DAY, [("最近", "2024-12", True)]),
    ("前不久", DAY, [("前不久", "2024-12", True)]),
    ("不久前", DAY, [("不久前", "2024-12", True)]),
    ("此前报道", DAY, [("此前", "2024-12", True)]),
    ("目前估值", DAY, [("目前", "2024-12", True)]),
    ("本周发布", DAY, [("本周", "2024-12-06", True)]),
    ("上周发布", DAY, [("上周", "2024-11-29", True)]),
    # a named day of the week: DAY (2024-12-06) is a Friday
    ("这家公司本周二官宣了新任CTO", DAY, [("本周二", "2024-12-03", False)]),
    ("上周四晚间发布公告", DAY, [("上周四", "2024-11-28", False)]),
    ("上星期一递交了诉状", DAY, [("上星期一", "2024-11-25", False)]),
    ("本周日将举办发布会", DAY, [("本周日", "2024-12-08", False)]),
    ("本周一宣布", MON, [("本周一", "2023-08", True)]),
    ("股价上周一度大涨", DAY, [("上周", "2024-11-29", True)]),  # 一度 (at one point) is no Monday
    # a bare day is of the reference's month, or of the month before when it lies ahead
    ("公司3日宣布", DAY, [("3日", "2024-12-03", False)]),
    ("公司20日宣布", DAY, [("20日", "2024-11-20", False)]),
    ("本月20日将发布", DAY, [("本月20日", "2024-12-20", False)]),
    ("需在20日内完成", DAY, []),  # a count of days
    # Taiwanese papers: today's and yesterday's date with the day in brackets
    ("某公司今（6）日宣佈", DAY, [("今（6）日", "2024-12-06", False)]),
    ("某公司昨(5)日证实", DAY, [("昨(5)日", "2024-12-05", False)]),
    ("昨晚宣布", DAY, [("昨晚", "2024-12-05", False)]),
    # a bare weekday in a round-up is the last such day on or before the reference
    ("周三，一家芯片公司宣布完成融资", DAY, [("周三", "2024-12-04", False)]),
    ("字节跳动周五晚间发布公告", DAY, [("周五", "2024-12-06", False)]),
    ("星期六，两家公司签约", DAY, [("星期六", "2024-11-30", False)]),
    ("创始人周一鸣表示", DAY, []),  # a name, not Monday
    ("客服周一至周五在线", DAY, []),  # a schedule
    ("每周二更新一次", DAY, []),
    # counted from the narrative's date (dates.rebase); alone, the publication month
    ("两天后，他宣布加入", DAY, [("两天后", "2024-12", True)]),
    ("次日，公司发布公告", DAY, [("次日", "2024-12", True)]),
    ("当天股价", DAY, [("当天", "2024-12-06", True)]),
    ("今天发布", DAY, [("今天", "2024-12-06", False)]),
    ("昨日宣布", DAY, [("昨日", "2024-12-05", False)]),
    ("昨日宣布", DateValue("2024-03-01"), [("昨日", "2024-02-29", False)]),
    ("今天发布", MON, [("今天", "2023-08", True)]),
    ("昨日宣布", MON, [("昨日", "2023-08", True)]),
    ("近日宣布", YEAR, [("近日", "2024", True)]),
    ("本月上线", DAY, [("本月", "2024-12", False)]),
    ("上个月上线", JAN, [("上个月", "2023-12", False)]),
    ("近日宣布", None, []),
    # --- ranges: one mention per end
    ("3月到8月", DAY, [("3月", "2024-03", False), ("8月", "2024-08", False)]),
    ("2023年3月至5月", None, [("2023年3月", "2023-03", False), ("5月", "2023-05", False)]),
    ("3月-8月", DAY, [("3月", "2024-03", False), ("8月", "2024-08", False)]),
    ("3至5月", DAY, [("3", "2024-03", False), ("5月", "2024-05", False)]),
    ("11月到2月", MARCH, [("11月", "2023-11", False), ("2月", "2024-02", False)]),
    ("11月13日至15日", DAY, [("11月13日", "2024-11-13", False), ("15日", "2024-11-15", False)]),
    ("2023-2024年", None, [("2023", "2023", False), ("2024年", "2024", False)]),
    ("2023年至2024年", None, [("2023年", "2023", False), ("2024年", "2024", False)]),
    ("2023年3月至2024年5月", None, [("2023年3月", "2023-03", False), ("2024年5月", "2024-05", False)]),
    ("3月到8月10日", DAY, [("3月", "2024-03", False), ("8月10日", "2024-08-10", False)]),
    ("2023年5月初到6月底", None, [("2023年5月初", "2023-05", False), ("6月底", "2023-06", False)]),
    (
        "2023年11月13日至12月2日",
        None,
        [("2023年11月13日", "2023-11-13", False), ("12月2日", "2023-12-02", False)],
    ),
    (
        "12月28日至1月3日",
        DateValue("2025-01-05"),
        [("12月28日", "2024-12-28", False), ("1月3日", "2025-01-03", False)],
    ),
    ("5月1-3日", DAY, [("5月1", "2024-05-01", False), ("3日", "2024-05-03", False)]),
    ("3月到8月", None, []),
    # --- a year the context gives (同年, 次年): not resolved against the reference
    # the story's year: provisional here (the reference's year), extraction.rebased moves it
    # to the narrative's year (次年 one more) or drops it when there is none
    ("同年6月", DAY, [("同年6月", "2024-06", False)]),
    ("次年3月15日", DAY, [("次年3月15日", "2024-03-15", False)]),
    ("当年年底", DAY, [("当年年底", "2024", False)]),
    # --- spans: what the two ends share; nothing when they cross a year
    ("过去六个月", MON, [("过去六个月", "2023", False)]),
    ("近半年", MON, [("近半年", "2023", False)]),
    ("近3天", DAY, [("近3天", "2024-12", False)]),
    ("近7天", DAY, [("近7天", "2024", False)]),
    ("最近一周", DAY, [("最近一周", "2024", False)]),
    ("近一年", MON, []),
    ("过去两年", DAY, []),
    ("过去三个月", DateValue("2024-02"), []),
    ("近几年", DAY, []),
    # --- not dates
    ("3年内完成", DAY, []),
    ("五年内上市", DAY, []),
    ("两年", DAY, []),
    ("10年之久", DAY, []),
    ("GPT-4发布", DAY, []),
    ("融资2000万元", DAY, []),
    ("1750亿参数", DAY, []),
    ("2050全球研究院院长", DAY, []),
    ("1800年", None, []),
    ("2150年", None, []),
    ("13月", DAY, []),
    ("1月32日", DAY, []),
    ("2月30日", DAY, []),
    ("2023年2月29日", None, []),
    ("三个月", DAY, []),
    ("1990年代", None, []),
    ("召开年会", DAY, []),
    ("每年年底", DAY, []),
    ("节日前", DAY, []),
    ("5日前", DAY, []),  # 'by the 5th', not five days ago
    ("3天前", DAY, [("3天前", "2024-12-03", False)]),
    ("两周前", DAY, [("两周前", "2024-11-22", True)]),
    ("半年前", DAY, [("半年前", "2024-06", True)]),
    ("两年前", DAY, [("两年前", "2022", True)]),
    ("几天前", DAY, []),
    ("10天前后", DAY, []),
    ("前天", DAY, [("前天", "2024-12-04", False)]),
    ("目前天气", DAY, [("目前", "2024-12", True)]),
    ("李某月初离职", DAY, [("月初", "2024-12", False)]),  # a month part alone: this month
    ("月底前完成", DAY, []),  # a deadline
    ("每月初发布", DAY, []),
    ("今日头条", DAY, []),
    ("2024年中国市场", None, [("2024年", "2024", False)]),
    ("今年中国市场", DAY, [("今年", "2024", False)]),
    ("2024年初创公司", None, [("2024年", "2024", False)]),
    # --- the weekend of this or last week (its Saturday, approximate)
    ("该公司上周末宣布完成融资", DateValue("2024-12-09"), [("上周末", "2024-12-07", True)]),
    ("周末，双方签署了协议", DateValue("2024-12-10"), [("周末", "2024-12-07", True)]),
    # --- holidays: the holiday's month, approximate; a lunar one from its table
    ("中秋节前后，乙公司完成交割", DAY, [("中秋节前后", "2024-09", True)]),
    ("元旦假期后，甲宣布离职", JAN, [("元旦假期后", "2024-01", True)]),
    ("2023年端午前，乙完成收购", None, [("2023年端午前", "2023-06", True)]),
    ("国庆长假期间", MARCH, [("国庆长假期间", "2023-10", True)]),  # well after March: last year's
    ("春节档影片", DAY, []),  # no time word: the film season, not a date
    # --- a month-day with a hyphen that labels a list item
    ("【12-03】甲公司宣布", DAY, [("12-03", "2024-12-03", False)]),
    ("融资日期：11-28", DAY, [("11-28", "2024-11-28", False)]),
    ("招聘10-20人", DAY, []),
    ("预计3-5年内", DAY, []),
    # --- several in one text
    (
        "2023年3月，甲公司成立；今年5月初，乙加入，近日又宣布离职。",
        DAY,
        [("2023年3月", "2023-03", False), ("今年5月初", "2024-05", False), ("近日", "2024-12", True)],
    ),
]


def _ids(cases: list[tuple]) -> list[str]:
    return [f"{i}-{c[0][:12]}" for i, c in enumerate(cases)]


@pytest.mark.parametrize(("text", "ref", "expected"), FIND_CASES, ids=_ids(FIND_CASES))
def test_find_dates(text: str, ref: DateValue | None, expected: list[tuple[str, str, bool]]) -> None:
    got = find_dates(text, ref)
    assert [(m.text, m.date.value, m.date.approximate) for m in got] == expected
    for m in got:
        assert text[m.start : m.end] == m.text
        assert m.rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("2024年11月13日", "abs-ymd"),
        ("2024-12-06", "abs-ymd-sep"),
        ("2024年11月", "abs-ym"),
        ("2024年", "abs-y"),
        ("今年8月", "rel-year-month"),
        ("5月初", "month-part"),
        ("上半年", "year-part-bare"),
        ("2023年初", "year-part"),
        ("近日", "approx"),
        ("过去六个月", "span"),
    ],
)
def test_rule_ids(text: str, rule: str) -> None:
    assert [m.rule for m in find_dates(text, DAY)] == [rule]


@pytest.mark.parametrize(
    ("text", "narrative", "expected"),
    [
        ("次日，公司宣布", DateValue("2025-09-08"), ("2025-09-09", False)),
        ("次年3月15日，公司宣布", DateValue("2021-07"), ("2022-03-15", False)),
        ("同年底，公司宣布", DateValue("2021-07"), ("2021", False)),
        ("这一年4月，公司宣布", DateValue("2023"), ("2023-04", False)),
        ("半年后，公司宣布", DateValue("2022-07"), ("2023-01", True)),
        ("次月，公司宣布", DateValue("2025-12"), ("2026-01", True)),
        ("几天后，公司宣布", DateValue("2024-05-20"), ("2024-05", False)),
        ("隔天也宣布跟进", DateValue("2025-03-31"), ("2025-04-01", False)),
        ("三天之后，双方签约", DateValue("2024-12-30"), ("2025-01-02", False)),
        ("当天晚些时候，对手跟进", DateValue("2025-06-11"), ("2025-06-11", False)),
        ("同一天，另一家公司宣布", DateValue("2025-06"), ("2025-06", True)),
        ("月底，该公司完成交割", DateValue("2025-10-09"), ("2025-10", False)),
        ("当月，双方签约", DateValue("2025-10", approximate=True), ("2025-10", True)),
        ("月中，公司宣布", DateValue("2025"), None),  # no month to take: stays as found
        ("昨天，公司宣布", DateValue("2025-09-08"), None),  # counted from the publication date
    ],
)
def test_rebase_on_the_narrative_date(text: str, narrative: DateValue, expected) -> None:
    (found,) = find_dates(text, DateValue("2025-12-20"))
    got = dates.rebase(found, narrative)
    if expected is None:
        assert got == found
    else:
        assert (got.date.value, got.date.approximate) == expected


def test_mentions_sorted_and_disjoint() -> None:
    got = find_dates("去年9月和今年8月，以及11月13日至15日、3月到8月", DAY)
    assert [m.start for m in got] == sorted(m.start for m in got)
    assert all(a.end <= b.start for a, b in zip(got, got[1:], strict=False))


# --------------------------------------------------------------------------- find_published

LONG_BODY = "\n".join(f"第{i}段正文内容。" for i in range(40))

PUBLISHED_CASES = [
    (
        "某标题\n发布日期：2024-12-06 12:40    点击次数：190\n正文",
        ("2024-12-06", "发布日期：2024-12-06 12:40"),
    ),
    ("发布时间: 2023年5月8日\n正文", ("2023-05-08", "发布时间: 2023年5月8日")),
    ("日期：2024/1/5\n", ("2024-01-05", "日期：2024/1/5")),
    ("某标题\n\n2023-08-12 15:00 某作者\n\n正文第一段。", ("2023-08-12", "2023-08-12 15:00")),
    ("某标题\n2024年12月06日 10:30\n正文", ("2024-12-06", "2024年12月06日 10:30")),
    ("Published: Dec 6, 2024\nBody text.", ("2024-12-06", "Published: Dec 6, 2024")),
    ("A title\nDecember 6, 2024\nBody text.", ("2024-12-06", "December 6, 2024")),
    ("A title\n6 December 2024\n", ("2024-12-06", "6 December 2024")),
    ("某标题\n2024年12月\n正文", ("2024-12", "2024年12月")),
    ("来源：某网站 2024-03-15\n正文", ("2024-03-15", "2024-03-15")),
    ("二〇二四年十二月六日\n正文", ("2024-12-06", "二〇二四年十二月六日")),
    ("发布于 2024年12月6日 星期五\n", ("2024-12-06", "发布于 2024年12月6日")),
    ("某标题\n2024年12月6日（星期五）　【本报讯】\n正文", ("2024-12-06", "2024年12月6日（星期五）")),
    ("某標題\n2024年12月6日(週五) 10:30\n正文", ("2024-12-06", "2024年12月6日(週五) 10:30")),
    ("某标题\n" + LONG_BODY + "\n发布时间：2024-01-02", ("2024-01-02", "发布时间：2024-01-02")),
    ("發布時間：2023-08-12\n", ("2023-08-12", "發布時間：2023-08-12")),
    ("2024年12月，某公司完成新一轮融资。\n正文", None),
    ("某公司于2024年12月6日完成融资，金额未披露。", None),
    ("某公司 2024年12月6日发布新品", None),
    ("某标题\n" + LONG_BODY + "\n2024-01-01\n", None),
    ("报名截止日期：2025-01-01\n", None),
    ("更新时间：2024-13-01\n", None),
    ("只有正文，没有日期。", None),
    # a source in brackets after a printed date (2024/3/7 09:15（某通讯社）)
    ("某標題\n2024/3/7 09:15（某通訊社）\n正文", ("2024-03-07", "2024/3/7 09:15")),
    ("某标题\n2024/3/7 09:15某通讯社\n正文", None),
    # a wire's dateline opens the first paragraph; a sentence with an English date does not
    (
        "某标题\n\nSHANGHAI, Mar. 7, 2024 /SomeWire/ -- 某公司今天宣布完成融资。",
        ("2024-03-07", "Mar. 7, 2024"),
    ),
    ("某标题\n\nOn Mar. 7, 2024 the company said it had raised money, 某公司称。", None),
    # a date in the page's address, when nothing else prints one
    ("某标题\nhttps://news.example.com/tech/20240307/a_1.html\n正文", ("2024-03-07", "20240307")),
    ("某标题\nhttps://news.example.com/2024/03/07/a-story\n正文", ("2024-03-07", "2024/03/07")),
    ("某标题\nhttps://news.example.com/tech/20241399/a_1.html\n正文", None),
    ("某标题\nhttps://news.example.com/a/3201234567.html\n正文", None),
]


@pytest.mark.parametrize(("text", "expected"), PUBLISHED_CASES, ids=_ids(PUBLISHED_CASES))
def test_find_published(text: str, expected: tuple[str, str] | None) -> None:
    got = find_published(text)
    assert (None if got is None else (got[0].value, got[1])) == expected


_NOISE = st.lists(
    st.sampled_from(
        ["12", "3", "年", "月", "-", "/", " ", "十", "发布时间：", "10:20", "今年", "May", "，", "作者", "至"]
    ),
    max_size=5,
).map("".join)
_YEAR = st.sampled_from(["2024", "1999", "二〇二三", "24", ""])
_HEAD_LINE = st.tuples(
    _NOISE,
    _YEAR,
    st.sampled_from(["年", "-", "/", ".", ""]),
    st.sampled_from(["3", "12", "十", "13", ""]),
    st.sampled_from(["月", "-", "/", ""]),
    st.sampled_from(["5日", "30", "5号", ""]),
    _NOISE,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HEAD_LINE)
def test_lines_skipped_without_selection_hold_no_printed_date(line: str) -> None:
    """A head line only runs the whole rule selection when a publication rule can match
    in it; the shortcut must never hide a date the selection would have printed."""
    ids = dates.RULES.published.rules
    printed = [m for m in find_dates(line, None) if m.rule in ids]
    if printed:
        assert dates._may_print(dates.fold(line), ids)


# --------------------------------------------------------------------------- infer_published

INFER_CASES = [
    ("2023年，甲公司发布产品。今年5月，乙宣布融资。8月，丙离职。", "2023-08"),
    ("2024年3月，甲公司完成融资。预计2026年上市。", "2024-03"),
    ("据测算，2030年市场规模将超万亿。2023年11月，乙发布新模型。", "2023-11"),
    ("2027年之前实现盈利。2024年，该公司营收增长。", "2024"),
    ("去年9月，甲离职；2024年，乙加入。", "2024"),
    ("二〇二三年十月，甲公司成立。", "2023-10"),
    ("2022年甲成立，2023年乙上市，2035年实现目标。", "2023"),
    ("2024年上半年，甲融资；11月13日，乙离职；计划12月发布新品。", "2024-11"),
    ("2023年3月到8月，公司裁员。", "2023-08"),
    ("2024年5月，甲发布。明年3月将上市。", "2024-05"),
    ("今年十月底，甲公司宣布……行业回顾2024年。", "2024-10"),
    ("2022年底某聊天机器人走红。2024年，行业降温。", "2024"),
    ("该机构测算，2026年市场规模翻倍。2024年5月，甲公司发布新品。", "2024-05"),
    ("没有年份的文章，只有3月。", None),
    ("只有预计2026年的事。", None),
    # a whole year's results are reported after that year: the article is of the next
    ("据财报，该公司2023年营业收入约2亿元。6月18日，公司宣布收购一家数据公司。", "2024-06"),
    ("2023年全年净利润转正。", "2024"),
    ("2024年上半年营收增长三成。", "2024"),  # half a year: still 2024
    ("预计2024年营收翻倍，2023年3月公司成立。", "2023-03"),  # a forecast proves nothing
]


@pytest.mark.parametrize(("text", "expected"), INFER_CASES, ids=_ids(INFER_CASES))
def test_infer_published(text: str, expected: str | None) -> None:
    got = infer_published(text)
    if expected is None:
        assert got is None
    else:
        assert got == DateValue(expected, inferred=True)


# --------------------------------------------------------------------------- parse_iso


@pytest.mark.parametrize("s", ["2024", "2024-02", "2024-02-29", "1999-12-31"])
def test_parse_iso_ok(s: str) -> None:
    assert parse_iso(s) == DateValue(s)


@pytest.mark.parametrize(
    ("s", "message"),
    [
        ("2024-13", "month"),
        ("2024-02-30", "day"),
        ("2023-02-29", "day"),
        ("junk", "ISO"),
        ("2024-1-5", "ISO"),
        ("", "ISO"),
        ("2024-12-06T10:00", "ISO"),
    ],
)
def test_parse_iso_rejects(s: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_iso(s)


# --------------------------------------------------------------------------- properties

DATEISH = st.text(
    alphabet="0123456789０１２年月日号份今去明本来昨客岁初底末中旬上下半季度第Q-/.至到近前过个天周最日 ，。一二三十〇两",
    max_size=40,
)
REFS = st.sampled_from([None, DAY, MON, YEAR, MARCH, JAN, DateValue("2024-02-29")])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.one_of(st.text(max_size=60), DATEISH), ref=REFS)
def test_find_dates_never_raises(text: str, ref: DateValue | None) -> None:
    got = find_dates(text, ref)
    for m in got:
        assert text[m.start : m.end] == m.text
        assert parse_iso(m.date.value).value == m.date.value
    assert all(a.end <= b.start for a, b in zip(got, got[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(st.text(max_size=80), DATEISH))
def test_published_never_raises(text: str) -> None:
    for got in (find_published(text), infer_published(text)):
        value = got[0] if isinstance(got, tuple) else got
        if value is not None:
            parse_iso(value.value)


# --------------------------------------------------------------------------- the data file


def test_rules_compile_and_ids_unique() -> None:
    raw = yaml.safe_load(dates.DATA_PATH.read_text(encoding="utf-8"))
    ids = [r["id"] for r in raw["rules"]]
    assert len(ids) == len(set(ids))
    assert [r.id for r in dates.RULES.rules] == ids
    assert all(isinstance(r.regex, re.Pattern) for r in dates.RULES.rules)


def _write_rules(tmp_path: Path, change: dict) -> Path:
    raw = yaml.safe_load(dates.DATA_PATH.read_text(encoding="utf-8"))
    raw["rules"].append(change)
    path = tmp_path / "dates.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "bad-regex", "kind": "date", "pattern": "(?P<y>\\d{4}"}, "bad-regex"),
        ({"id": "bad-fragment", "kind": "date", "pattern": "{{nope}}(?P<y>1)"}, "bad-fragment"),
        ({"id": "bad-kind", "kind": "weird", "pattern": "(?P<y>1)"}, "bad-kind"),
        ({"id": "no-groups", "kind": "range", "pattern": "x"}, "no-groups"),
        ({"id": "abs-ymd", "kind": "date", "pattern": "(?P<y>1)"}, "duplicate"),
    ],
)
def test_bad_rules_raise_naming_the_rule(tmp_path: Path, rule: dict, message: str) -> None:
    with pytest.raises(DateRulesError, match=message):
        load_rules(_write_rules(tmp_path, rule))


def test_rule_gates_and_scanners_change_no_match():
    text = "2024年3月5日至6日，去年11月下旬，今年Q3，二〇二三年，上半年，近日；12月到次年2月，2024-03-05。"
    for rule in dates.RULES.rules:
        plain = [m.span() for m in rule.regex.finditer(text)]
        assert [m.span() for m in rule.scan.finditer(text)] == plain
        if plain and rule.gate is not None:
            assert rule.gate.search(text)


def test_no_date_expression_holds_a_sentence_end():
    """extraction finds dates sentence by sentence: that equals one pass over the
    article only while no date expression can hold a sentence end (。！？；!?;…) or a
    closing quote — true of every rule on the seeds and the development set."""
    from builder import segmenting
    from builder.normalising import normalise
    from builder.reading import read_article

    root = Path(__file__).parent.parent
    files = sorted((root / "seeds").glob("*.*")) + sorted(
        (root / "tests" / "data" / "dev" / "articles").glob("*.*")
    )
    checked = 0
    for path in files:
        if path.name.endswith(".meta.yaml"):
            continue
        text = normalise(read_article(path).text).text
        for m in find_dates(text, DateValue("2025-06-10")):
            assert not re.search(r"[。！？；!?;…”’」』）)\"'\n]", m.text), (path.name, m.text)
            checked += 1
        assert len(segmenting.sentences(text)) > 0
    assert checked > 100


@given(st.text(alphabet=st.sampled_from(list("２０２４年１２月Ｑ３／４－５．６：７Ｈ abc")), max_size=30))
@settings(max_examples=200, deadline=None)
def test_fold_equals_translate(text):
    assert dates.fold(text) == text.translate(dates._FOLD)


def test_selecting_piece_by_piece_finds_what_a_whole_text_selection_finds():
    """No date expression crosses 。！？； or a line break, so the rules run piece by
    piece (each only where its literals are) find the same matches in a whole article."""
    from builder.dates import _select

    text = (
        "2024年3月5日至6日，去年11月下旬完成融资。今年Q3又有新进展！\n"
        "3月到5月间，公司（成立于二〇二一年）近日宣布；上周二发布新品？同年6月离职。\n"
        "2023-2024年间收购了青禾数据，过去三个月价格下调50%。两天前宣布"
    )
    whole = [(m.span(), order) for m, order, _ in _select(text)]
    assert whole == [(m.span(), order) for m, order, _ in _select(text, by_piece=True)]
    assert len(whole) >= 10
