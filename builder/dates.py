"""Date expressions and publication dates in Chinese news text.

All date knowledge (regexes, word tables) lives in ``data/dates.yaml``; this
module loads and validates it once at import, then matches and resolves:

* :func:`find_dates` - every date expression in a text, resolved against the
  article's reference (publication) date;
* :func:`find_published` - a publication date printed in the article;
* :func:`infer_published` - a publication date guessed from the dates an
  article mentions, when none is printed;
* :func:`parse_iso` - 'YYYY' / 'YYYY-MM' / 'YYYY-MM-DD' to a DateValue.

Nothing here reads the clock: relative expressions need a reference date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from builder.literals import any_literal, required_literal_sets, required_literals, with_first_chars
from builder.models import PRECISIONS, DateMention, DateValue

DATA_PATH = Path(__file__).parent / "data" / "dates.yaml"

KIND_GROUPS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = MappingProxyType(
    {  # kind -> (groups all required, groups of which one is required)
        "date": (frozenset(), frozenset({"y", "cy", "rel", "ctx", "m", "part"})),
        "range": (frozenset({"a", "b"}), frozenset({"y2", "m2", "d2"})),
        "span": (frozenset({"n", "unit"}), frozenset()),
        "ago": (frozenset({"n", "unit"}), frozenset()),
        "approx": (frozenset({"w"}), frozenset()),
        "day": (frozenset({"d"}), frozenset()),
        "weekday": (frozenset({"wd"}), frozenset()),
        "after": (frozenset({"n"}), frozenset()),
        "holiday": (frozenset({"h"}), frozenset()),
        "block": (frozenset(), frozenset()),  # claims its text, yields no date
    }
)
MODES = frozenset(
    {"recent", "same", "today", "yesterday", "two-days-ago", "last-week", "this-month", "last-month"}
)
_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# full-width digits and date punctuation -> ASCII, one character for one
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-",
        "／": "/",
        "．": ".",
        "：": ":",
        "Ｑ": "Q",
        "Ｈ": "H",
    }
)


_FOLDED = re.compile("[" + "".join(re.escape(chr(k)) for k in _FOLD) + "]")


def fold(text: str) -> str:
    """``text.translate(_FOLD)``, skipping the copy when nothing would change."""
    for ch in set(_FOLDED.findall(text)):  # str.replace per character present: faster than translate
        text = text.replace(ch, _FOLD[ord(ch)])
    return text


class DateRulesError(ValueError):
    """dates.yaml is malformed; the message names the rule or section."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    regex: re.Pattern[str]
    precision: str = "day"  # the finest precision the rule may produce
    gate: re.Pattern[str] | None = None  # literals every match contains (None: always run)
    scan: re.Pattern[str] | None = None  # ``regex`` behind a lookahead for its first characters
    # each finds one of a set of literals every match contains (月 and one of 至|到|- …)
    gates: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class PublishedConfig:
    head_lines: int
    max_line: int
    max_tail: int
    rules: frozenset[str]
    label: re.Pattern[str]
    time: re.Pattern[str]
    english_day: re.Pattern[str]
    english_month: re.Pattern[str]
    before_ok: re.Pattern[str]
    not_before: re.Pattern[str]
    sentence_punct: re.Pattern[str]
    after_ok: re.Pattern[str]
    dateline: re.Pattern[str]
    url_date: re.Pattern[str]


@dataclass(frozen=True)
class InferConfig:
    window: int
    max_gap: int
    clause_break: re.Pattern[str]
    forecast_before: re.Pattern[str]
    forecast_lead: re.Pattern[str]
    forecast_after: re.Pattern[str]
    closed_year_after: re.Pattern[str] | None = None


@dataclass(frozen=True)
class DateRules:
    rules: tuple[Rule, ...]
    year_range: tuple[int, int]
    cn_digits: Mapping[str, int]
    relative_years: Mapping[str, int]
    approximate: Mapping[str, str]
    weeks: Mapping[str, int]  # 本周 -> 0, 上周 -> -1
    weekdays: Mapping[str, int]  # 一 -> 0 (Monday) … 日 -> 6
    published: PublishedConfig
    narrative_days: Mapping[str, int]  # 次日 -> 1, 同日 -> 0: counted from the narrative's date
    narrative_month: frozenset[str]  # 月中, 当月: the narrative's month
    narrative_next_month: frozenset[str]  # 次月: the month after the narrative's
    narrative_years: Mapping[str, int]  # 同年 -> 0, 次年 -> 1: counted from the narrative's year
    infer: InferConfig
    # 国庆 -> (10, 1); 春节 -> {2025: (1, 29), ...}: a fixed day or a lunar one per year
    holidays: Mapping[str, tuple[int, int] | Mapping[int, tuple[int, int]]]


# --------------------------------------------------------------------------
# loading and validating dates.yaml


def _expand(pattern: str, fragments: Mapping[str, str], where: str) -> str:
    for _ in range(10):
        names = _FRAGMENT.findall(pattern)
        if not names:
            return pattern
        for name in names:
            if name not in fragments:
                raise DateRulesError(f"dates.yaml {where}: unknown fragment {{{{{name}}}}}")
        pattern = _FRAGMENT.sub(lambda m: fragments[m.group(1)], pattern)
    raise DateRulesError(f"dates.yaml {where}: fragments nest too deep (a cycle?)")


def _compile(pattern: Any, fragments: Mapping[str, str], where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise DateRulesError(f"dates.yaml {where}: pattern must be a non-empty string")
    try:
        return re.compile(_expand(pattern, fragments, where))
    except re.error as exc:
        raise DateRulesError(f"dates.yaml {where}: bad regex: {exc}") from exc


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


def _approx_table(raw: Any) -> tuple[dict[str, str], str]:
    """The approximate-word table: word -> mode, and the guarded alternation."""
    modes: dict[str, str] = {}
    alts: list[str] = []
    for entry in raw or []:
        word, mode = entry.get("word"), entry.get("mode")
        if not isinstance(word, str) or mode not in MODES:
            raise DateRulesError(f"dates.yaml approximate {word!r}: bad word or mode {mode!r}")
        modes[word] = mode
        before = f"(?<!{entry['not_after']})" if entry.get("not_after") else ""
        after = f"(?!{entry['not_before']})" if entry.get("not_before") else ""
        alts.append(f"{before}{re.escape(word)}{after}")
    return modes, "|".join(sorted(alts, key=lambda a: -len(a)))


def _fragments(raw: Mapping[str, Any], approx_alt: str) -> dict[str, str]:
    fragments = {str(k): str(v) for k, v in (raw.get("fragments") or {}).items()}
    fragments["relative_years"] = _alternation(list(raw.get("relative_years") or {}))
    fragments["context_years"] = _alternation(list(raw.get("narrative_years") or {}))
    fragments["approximate"] = approx_alt
    fragments["weeks"] = _alternation(list(raw.get("weeks") or {}))
    fragments["weekdays"] = _alternation(list(raw.get("weekdays") or {}))
    fragments["holidays"] = _alternation(list(raw.get("holidays") or {})) or "(?!)"
    return fragments


def _month_day(value: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        dt.date(2000, month, day)  # (a leap year: 02-29 is fine)
    except (TypeError, ValueError) as exc:
        raise DateRulesError(f"dates.yaml {where}: expected 'MM-DD', got {value!r}") from exc
    return month, day


def _holidays(raw: Any) -> Mapping[str, tuple[int, int] | Mapping[int, tuple[int, int]]]:
    out: dict[str, tuple[int, int] | Mapping[int, tuple[int, int]]] = {}
    for word, when in (raw or {}).items():
        if isinstance(when, dict):
            out[str(word)] = MappingProxyType(
                {int(y): _month_day(v, f"holidays.{word}.{y}") for y, v in when.items()}
            )
        else:
            out[str(word)] = _month_day(when, f"holidays.{word}")
    return MappingProxyType(out)


def _check_groups(rule_id: str, kind: str, regex: re.Pattern[str]) -> None:
    groups = set(regex.groupindex)
    required, one_of = KIND_GROUPS[kind]
    missing = required - groups
    if missing or (one_of and not one_of & groups):
        need = sorted(missing) or sorted(one_of)
        raise DateRulesError(f"dates.yaml rule {rule_id!r}: kind {kind!r} needs groups {need}")


def _rule(entry: Any, fragments: Mapping[str, str], seen: set[str]) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise DateRulesError(f"dates.yaml: every rule needs an id: {entry!r}")
    rule_id, kind = entry["id"], entry.get("kind")
    if rule_id in seen:
        raise DateRulesError(f"dates.yaml rule {rule_id!r}: duplicate id")
    if kind not in KIND_GROUPS:
        raise DateRulesError(f"dates.yaml rule {rule_id!r}: unknown kind {kind!r}")
    precision = entry.get("precision", "day")
    if precision not in PRECISIONS:
        raise DateRulesError(f"dates.yaml rule {rule_id!r}: unknown precision {precision!r}")
    regex = _compile(entry.get("pattern"), fragments, f"rule {rule_id!r}")
    _check_groups(rule_id, kind, regex)
    seen.add(rule_id)
    gates = tuple(g for g in map(any_literal, required_literal_sets(regex)) if g is not None)
    return Rule(
        rule_id, kind, regex, precision, any_literal(required_literals(regex)), with_first_chars(regex), gates
    )


def _published(raw: Mapping[str, Any], fragments: Mapping[str, str], ids: set[str]) -> PublishedConfig:
    pub = raw.get("published") or {}
    unknown = set(pub.get("rules") or []) - ids
    if unknown:
        raise DateRulesError(f"dates.yaml published.rules: unknown rule ids {sorted(unknown)}")
    pats = {
        key: _compile(pub.get(key), fragments, f"published.{key}")
        for key in (
            "label",
            "time",
            "english_day",
            "english_month",
            "before_ok",
            "not_before",
            "sentence_punct",
            "after_ok",
            "dateline",
            "url_date",
        )
    }
    return PublishedConfig(
        head_lines=int(pub.get("head_lines", 30)),
        max_line=int(pub.get("max_line", 80)),
        max_tail=int(pub.get("max_tail", 30)),
        rules=frozenset(pub.get("rules") or []),
        **pats,
    )


def _infer(raw: Mapping[str, Any], fragments: Mapping[str, str]) -> InferConfig:
    inf = raw.get("infer") or {}
    pats = {
        key: _compile(inf.get(key), fragments, f"infer.{key}")
        for key in ("clause_break", "forecast_before", "forecast_lead", "forecast_after")
    }
    if inf.get("closed_year_after"):
        pats["closed_year_after"] = _compile(inf["closed_year_after"], fragments, "infer.closed_year_after")
    return InferConfig(window=int(inf.get("window", 8)), max_gap=int(inf.get("max_gap", 1)), **pats)


def load_rules(path: Path = DATA_PATH) -> DateRules:
    """Load, validate and compile a dates.yaml file."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise DateRulesError(f"{path}: expected a mapping with a 'rules' list")
    modes, approx_alt = _approx_table(raw.get("approximate"))
    fragments = _fragments(raw, approx_alt)
    seen: set[str] = set()
    rules = tuple(_rule(entry, fragments, seen) for entry in raw["rules"])
    lo, hi = raw.get("year_range", [1990, 2100])
    return DateRules(
        rules=rules,
        year_range=(int(lo), int(hi)),
        cn_digits=MappingProxyType({str(k): int(v) for k, v in raw.get("cn_digits", {}).items()}),
        relative_years=MappingProxyType(
            {str(k): int(v) for k, v in (raw.get("relative_years") or {}).items()}
        ),
        approximate=MappingProxyType(modes),
        published=_published(raw, fragments, seen),
        infer=_infer(raw, fragments),
        weeks=MappingProxyType({str(k): int(v) for k, v in (raw.get("weeks") or {}).items()}),
        weekdays=MappingProxyType({str(k): int(v) for k, v in (raw.get("weekdays") or {}).items()}),
        narrative_days=MappingProxyType(
            {str(k): int(v) for k, v in (raw.get("narrative_days") or {}).items()}
        ),
        narrative_month=frozenset(str(w) for w in raw.get("narrative_month") or ()),
        narrative_next_month=frozenset(str(w) for w in raw.get("narrative_next_month") or ()),
        narrative_years=MappingProxyType(
            {str(k): int(v) for k, v in (raw.get("narrative_years") or {}).items()}
        ),
        holidays=_holidays(raw.get("holidays")),
    )


RULES: DateRules = load_rules()


# --------------------------------------------------------------------------
# values


def parse_iso(s: str) -> DateValue:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' -> DateValue; ValueError otherwise."""
    match = _ISO.fullmatch(s) if isinstance(s, str) else None
    if match is None:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {s!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if year == 0:
        raise ValueError(f"year 0000 is not a calendar year: {s!r}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range 1-12 in {s!r}")
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"day {day} does not exist in {year:04d}-{month:02d}: {s!r}")
    return DateValue(s)


def _value(year: int | None, month: int | None, day: int | None, cap: str = "day") -> DateValue | None:
    """A validated DateValue no finer than ``cap``; None when not a real date."""
    lo, hi = RULES.year_range
    if year is None or not lo <= year <= hi:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    parts = [f"{year:04d}"]
    if month is not None:
        parts.append(f"{month:02d}")
        if day is not None:
            parts.append(f"{day:02d}")
    return DateValue("-".join(parts[: PRECISIONS.index(cap) + 1]))


def _num(s: str | None) -> int | None:
    """'12', '十二', '二十三', '二〇二三' -> int; None if absent or not a number."""
    if not s:
        return None
    s = s.strip()
    if s.isdecimal():
        return int(s)
    digits = RULES.cn_digits
    try:
        if "十" in s:
            hi, _, lo = s.partition("十")
            return (digits[hi] if hi else 1) * 10 + (digits[lo] if lo else 0)
        return int("".join(str(digits[c]) for c in s))
    except (KeyError, ValueError):
        return None


def _as_date(ref: DateValue) -> dt.date:
    return dt.date(ref.year, ref.month or 1, ref.day or 1)


def _shift_days(ref: DateValue, days: int) -> DateValue | None:
    day = _as_date(ref) + dt.timedelta(days=days)
    return _value(day.year, day.month, day.day)


# --------------------------------------------------------------------------
# resolving one match


def _year_of(g: Mapping[str, str | None], ref: DateValue | None, month: int | None) -> int | None:
    if g.get("y"):
        return _num(g["y"])
    if g.get("cy"):
        return _num(g["cy"])
    if ref is None:
        return None
    if g.get("rel"):
        return ref.year + RULES.relative_years[g["rel"] or ""]
    if g.get("ctx"):
        return ref.year  # provisional: :func:`rebase` moves it to the narrative's year
    if month is not None and ref.month is not None and month > ref.month + 2:
        return ref.year - 1  # a month well after the reference: last year's
    return ref.year


def _resolve_date(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    month, day = _num(g.get("m")), _num(g.get("d"))
    if (g.get("m") and month is None) or (g.get("d") and day is None):
        return None
    return _value(_year_of(g, ref, month), month, day, cap)


def _resolve_range(
    g: Mapping[str, str | None], ref: DateValue | None, cap: str
) -> tuple[DateValue, DateValue] | None:
    first = _resolve_date(g, ref, cap)
    if first is None:
        return None
    year = _num(g.get("y2")) or first.year
    month = _num(g.get("m2")) or first.month
    day = _num(g.get("d2")) or first.day
    if g.get("m2") and not g.get("y2") and first.month and month and month < first.month:
        year += 1  # 11月到2月: the second end is in the next year
    second = _value(year, month, day, cap)
    if second is None or second.value < first.value:
        return None
    return first, second


def _span_count(s: str) -> float | None:
    return 0.5 if s == "半" else (None if s == "几" else _num(s))


def _span_start(ref: DateValue, n: float, unit: str) -> tuple[int, ...] | None:
    """The start of a span of ``n`` ``unit``s ending at ``ref``, as (y,), (y, m) or (y, m, d)."""
    if "年" in unit and n == int(n):
        return (ref.year - int(n),)
    months = n * 12 if "年" in unit else n if "月" in unit else None
    if months is not None and months == int(months):
        if ref.month is None:
            return None
        total = ref.year * 12 + ref.month - 1 - int(months)
        return (total // 12, total % 12 + 1)
    days = months * 30 if months is not None else n * (7 if ("周" in unit or "星期" in unit) else 1)
    if ref.day is None:
        return None
    start = _as_date(ref) - dt.timedelta(days=round(days))
    return (start.year, start.month, start.day)


def _resolve_span(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    n = _span_count(g.get("n") or "")
    if ref is None or n is None:
        return None
    start = _span_start(ref, n, g.get("unit") or "")
    if start is None or start[0] != ref.year:
        return None  # unknown, or crosses a year boundary
    end = (ref.year, ref.month, ref.day)[: len(start)]
    shared = 1
    while shared < len(start) and start[shared] == end[shared]:
        shared += 1
    common = list(start[:shared]) + [None] * (3 - shared)
    return _value(common[0], common[1], common[2], cap)


def _resolve_ago(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    """3天前 -> the day 3 days before ``ref``; 两周前, 半年前, 两年前 the same, approximate."""
    n, unit = _span_count(g.get("n") or ""), g.get("unit") or ""
    start = _span_start(ref, n, unit) if ref is not None and n is not None else None
    if start is None:
        return None
    value = _value(*(list(start) + [None, None])[:3], cap)
    exact = len(start) == 3 and "天" in unit
    return value if value is None or exact else DateValue(value.value, approximate=True)


def _month_before(ref: DateValue) -> DateValue | None:
    if ref.month is None:
        return DateValue(ref.value, approximate=True)
    total = ref.year * 12 + ref.month - 2
    return _value(total // 12, total % 12 + 1, None)


_APPROX: Mapping[str, Callable[[DateValue], DateValue | None]] = MappingProxyType(
    {
        "recent": lambda r: DateValue(r.value[:7], approximate=True),
        "same": lambda r: DateValue(r.value, approximate=True),
        "today": lambda r: DateValue(r.value, approximate=r.day is None),
        "yesterday": lambda r: _shift_days(r, -1) if r.day else DateValue(r.value, approximate=True),
        "two-days-ago": lambda r: _shift_days(r, -2) if r.day else DateValue(r.value, approximate=True),
        "last-week": lambda r: DateValue(
            (_shift_days(r, -7) or r).value if r.day else r.value, approximate=True
        ),
        "this-month": lambda r: DateValue(r.value[:7], approximate=r.month is None),
        "last-month": _month_before,
    }
)


def _resolve_weekday(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    """本周一 / 上周五: the named day of the reference's week (or of the week before);
    a bare 周二: the last Tuesday on or before the reference; against a month or a
    year only that, approximate (as 本周)."""
    if ref is None:
        return None
    if ref.day is None:
        return DateValue(ref.value, approximate=True)
    weekday = RULES.weekdays.get(g.get("wd") or "")
    if weekday is None:
        return None
    if not g.get("wk"):
        day = _shift_days(ref, -((_as_date(ref).weekday() - weekday) % 7))
    else:
        week = RULES.weeks.get(g.get("wk") or "")
        if week is None:
            return None
        day = _shift_days(ref, weekday - _as_date(ref).weekday() + 7 * week)
    if day is not None and g.get("wd") == "末":  # 上周末: its Saturday or Sunday
        return DateValue(day.value, approximate=True)
    return day


def _resolve_holiday(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    """春节前后, 国庆假期后: the holiday's month in the year the text gives or the
    reference's (a holiday well after the reference's month is last year's), approximate."""
    when = RULES.holidays.get(g.get("h") or "")
    if when is None or (ref is None and not (g.get("y") or g.get("cy"))):
        return None

    def month_day(year: int | None) -> tuple[int, int] | None:
        return when if isinstance(when, tuple) else when.get(year) if year is not None else None

    guess = month_day(ref.year if ref is not None else _year_of(g, ref, None))
    year = _year_of(g, ref, guess[0] if guess else None)
    found = month_day(year)
    if year is None or found is None:
        return None  # a lunar holiday of a year the table does not list
    value = _value(year, found[0], None, cap)
    return None if value is None else DateValue(value.value, approximate=True)


def _resolve_after(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    """两天后 counts from the narrative's date (:func:`rebase`); against the publication
    date alone it says only 'around then'."""
    return None if ref is None else DateValue(ref.value[:7], approximate=True)


def narrative_offset(mention: DateMention) -> int | str | tuple[str, int] | None:
    """How ``mention`` depends on the narrative's date: days after it (次日 1, 同日 0,
    两天后 2), 'month' for a part of its month (月中, 当月), ('in-year', n) for a date
    of the narrative's year or of n years after it (同年9月, 次年初), None when it does not."""
    if mention.rule in _CONTEXT_YEAR_RULES:
        word = next((w for w in RULES.narrative_years if mention.text.startswith(w)), None)
        return None if word is None else ("in-year", RULES.narrative_years[word])
    if mention.rule == "approx":
        if mention.text in RULES.narrative_month:
            return "month"
        if mention.text in RULES.narrative_next_month:
            return ("months", 1)
        return RULES.narrative_days.get(mention.text)
    if mention.rule == "days-after" and _AFTER is not None:
        match = _AFTER.regex.search(fold(mention.text))
        if match is not None and match.group("n") == "几":
            return "month"  # 几天后: no count, but still the narrative's month
        n = _span_count(match.group("n")) if match else None
        return int(n) if n is not None and n == int(n) else None
    if mention.rule == "spans-after" and _SPANS_AFTER is not None:
        match = _SPANS_AFTER.regex.search(fold(mention.text))
        n = _span_count(match.group("n")) if match else None
        if n == 0.5 and match is not None and match.group("unit") == "年":
            return ("months", 6)  # 半年后
        if n is None or n != int(n):
            return None
        return ("year", int(n)) if match.group("unit") == "年" else ("months", int(n))
    return None


def narrative_precisions(offset: int | str | tuple[str, int]) -> tuple[str, ...]:
    """The precisions a narrative date needs for ``offset`` to count from it: a day for
    次日/两天后, a month for 月中 and 三个月后, a year will do for 一年后."""
    if isinstance(offset, tuple):
        return ("day", "month", "year") if offset[0] in ("year", "in-year") else ("day", "month")
    return ("day", "month") if offset == "month" else ("day",)


def rebase(mention: DateMention, narrative: DateValue) -> DateMention:
    """``mention`` resolved against the narrative's date instead of the publication
    date (9月8日…。次日… -> 9月9日; 10月9日…。月中… -> October), when it depends on it."""
    offset = narrative_offset(mention)
    if offset is None:
        return mention
    if offset == "month":
        if narrative.month is None:
            return mention
        value = DateValue(narrative.value[:7], approximate=narrative.approximate)
    elif isinstance(offset, tuple):  # 一年后 / 两个月后: the narrative's year or month moved on
        unit, n = offset
        if unit == "in-year":  # 次年5月: its own month and day, the narrative's year moved on
            own = mention.date
            value = DateValue(f"{narrative.year + n:04d}{own.value[4:]}", approximate=own.approximate)
        elif unit == "year":
            value = DateValue(f"{narrative.year + n:04d}", approximate=True)
        elif narrative.month is None:
            return mention
        else:
            total = narrative.year * 12 + narrative.month - 1 + n
            value = DateValue(f"{total // 12:04d}-{total % 12 + 1:02d}", approximate=True)
    elif narrative.day is not None:
        shifted = _shift_days(narrative, int(offset))
        if shifted is None:
            return mention
        value = DateValue(shifted.value, approximate=narrative.approximate)
    else:
        value = DateValue(narrative.value, approximate=True)
    return DateMention(mention.start, mention.end, mention.text, value, mention.rule)


def _resolve_day(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    """20日: that day of the reference's month, or of the month before when it is later
    than the reference's own day; 本月20日: that day of the reference's month."""
    day = _num(g.get("d"))
    if ref is None or ref.month is None or not day:
        return None
    year, month = ref.year, ref.month
    if ref.day is not None and day > ref.day and not g.get("this"):  # 本月25日 stays this month
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return _value(year, month, int(day), cap)


def _resolve_approx(g: Mapping[str, str | None], ref: DateValue | None, cap: str) -> DateValue | None:
    mode = RULES.approximate.get(g.get("w") or "")
    return None if ref is None or mode is None else _APPROX[mode](ref)


_AFTER = next((rule for rule in RULES.rules if rule.id == "days-after"), None)
_CONTEXT_YEAR_RULES = frozenset({"context-year", "context-year-part"})  # dates.yaml, narrative_years
_SPANS_AFTER = next((rule for rule in RULES.rules if rule.id == "spans-after"), None)

_RESOLVERS: Mapping[str, Callable[[Mapping[str, str | None], DateValue | None, str], DateValue | None]]
_RESOLVERS = MappingProxyType(
    {
        "date": _resolve_date,
        "span": _resolve_span,
        "ago": _resolve_ago,
        "approx": _resolve_approx,
        "day": _resolve_day,
        "weekday": _resolve_weekday,
        "after": _resolve_after,
        "holiday": _resolve_holiday,
        "block": lambda g, ref, cap: None,
    }
)


# --------------------------------------------------------------------------
# scanning a text


@dataclass(frozen=True)
class _Hit:
    """One rule match; it claims [start, end) even when it resolves to nothing."""

    start: int
    end: int
    order: int
    rule: Rule
    mentions: tuple[DateMention, ...]


def _mention(text: str, span: tuple[int, int], value: DateValue, rule: Rule) -> DateMention:
    return DateMention(span[0], span[1], text[span[0] : span[1]], value, rule.id)


def _hit(text: str, match: re.Match[str], order: int, rule: Rule, ref: DateValue | None) -> _Hit:
    g = match.groupdict()
    mentions: tuple[DateMention, ...] = ()
    if rule.kind == "range":
        pair = _resolve_range(g, ref, rule.precision)
        if pair is not None:
            spans = (match.span("a"), match.span("b"))
            mentions = tuple(_mention(text, s, v, rule) for s, v in zip(spans, pair, strict=True))
    else:
        value = _RESOLVERS[rule.kind](g, ref, rule.precision)
        if value is not None:
            mentions = (_mention(text, match.span(), value, rule),)
    return _Hit(match.start(), match.end(), order, rule, mentions)


_Plan = tuple[tuple[re.Pattern[str], ...], tuple[tuple[int, Rule, tuple[int, ...], re.Pattern[str]], ...]]


def _selection_plan(rules: tuple[Rule, ...]) -> _Plan:
    """The distinct gates of ``rules`` and, per rule, (order, rule, indices of its
    gates — a match needs each to find something —, the pattern to scan with)."""
    gates: dict[str, int] = {}  # the gate's pattern -> index: rules share equal gates
    distinct: list[re.Pattern[str]] = []
    table = []
    for order, rule in enumerate(rules):
        indices = []
        for gate in rule.gates or ((rule.gate,) if rule.gate is not None else ()):
            index = gates.setdefault(gate.pattern, len(distinct))
            if index == len(distinct):
                distinct.append(gate)
            indices.append(index)
        table.append((order, rule, tuple(indices), rule.scan or rule.regex))
    return tuple(distinct), tuple(table)


_GATES, _TABLE = _selection_plan(RULES.rules)


def _select(text: str, by_piece: bool = False) -> list[tuple[re.Match[str], int, Rule]]:
    """Non-overlapping rule matches (longest first, then earliest, then the rule
    listed first), sorted by start. Matching does not depend on the reference date.

    ``by_piece``: run the rules on each piece of the text between 。！？； and line
    breaks (which no date expression crosses), each rule only where the piece holds
    its literals; for a whole article, where every rule's literals occur somewhere."""
    folded = fold(text)
    found: list[tuple[re.Match[str], int, Rule]] = []
    if not by_piece:
        _rule_matches(folded, 0, len(folded), found)
        return _resolved(found, len(text))
    start = 0
    for end in _piece_ends(folded):
        if end > start:
            _rule_matches(folded, start, end, found)
        start = end
    return _resolved(found, len(text))


_PIECE_END = re.compile(r"[。！？；\n]")


def _piece_ends(folded: str) -> list[int]:
    """Ends of the pieces of ``folded``: each right after its 。！？； or line break."""
    return [m.end() for m in _PIECE_END.finditer(folded)] + [len(folded)]


def _rule_matches(folded: str, pos: int, endpos: int, found: list) -> None:
    """Append (match, order, rule) of every rule's matches in ``folded[pos:endpos]``."""
    state = bytearray(len(_GATES))  # per gate: 0 not searched yet, 1 found, 2 not found
    for order, rule, gates, scanner in _TABLE:
        for g in gates:  # a rule one of whose literal sets is missing cannot match
            seen = state[g]
            if not seen:
                seen = state[g] = 1 if _GATES[g].search(folded, pos, endpos) is not None else 2
            if seen == 2:
                break
        else:
            for match in scanner.finditer(folded, pos, endpos):
                if match.end() > match.start():
                    found.append((match, order, rule))


def _resolved(found: list, size: int) -> list[tuple[re.Match[str], int, Rule]]:
    """The longest of overlapping matches (then the earliest, then the first rule), by start."""
    if len(found) > 1:
        found.sort(key=lambda f: (f[0].start() - f[0].end(), f[0].start(), f[1]))
        taken = bytearray(size)
        chosen = []
        for f in found:
            start, end = f[0].span()
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append(f)
        found = sorted(chosen, key=lambda f: f[0].start())
    return found


def _scan(text: str, ref: DateValue | None, selected: list | None = None) -> list[_Hit]:
    """Non-overlapping rule matches resolved against ``ref``, sorted by start."""
    return [
        _hit(text, match, order, rule, ref)
        for match, order, rule in (_select(text) if selected is None else selected)
    ]


def find_dates(text: str, ref: DateValue | None) -> list[DateMention]:
    """All date expressions in ``text`` resolved against ``ref`` (the article's
    publication date; None keeps only absolute dates), sorted by start."""
    return [m for hit in _scan(text, ref) for m in hit.mentions]


# --------------------------------------------------------------------------
# publication dates


def _english(line: str) -> tuple[DateValue, int, int] | None:
    """A written-out English date (Dec 6, 2024 / December 2024) via dateparser."""
    cfg = RULES.published
    for regex, parts in ((cfg.english_day, ["day", "month", "year"]), (cfg.english_month, ["month", "year"])):
        match = regex.search(line)
        if match is None:
            continue
        import dateparser  # slow to import: only when a line holds an English date

        settings = {
            "RELATIVE_BASE": dt.datetime(2000, 1, 1),
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": parts,
        }
        parsed = dateparser.parse(match.group(), languages=["en"], settings=settings)
        day = parsed.day if parsed is not None and "day" in parts else None
        value = _value(parsed.year, parsed.month, day) if parsed is not None else None
        if value is not None:
            return value, match.start(), match.end()
    return None


def _line_date(line: str) -> tuple[DateValue, int, int] | None:
    """The first printed absolute date in a line, its start and its end (time included)."""
    cfg = RULES.published
    found = (
        next(((m.date, m.start, m.end) for m in find_dates(line, None) if m.rule in cfg.rules), None)
        if _may_print(fold(line), cfg.rules)
        else None
    ) or _english(line)
    if found is None:
        return None
    value, start, end = found
    time = cfg.time.match(fold(line), end)
    return value, start, time.end() if time else end


def _may_print(folded: str, ids: frozenset[str]) -> bool:
    """Can one of the rules ``ids`` match in ``folded``? Most lines of an article head
    (titles, menus, bylines) hold no printed date: a search per publication rule
    spares them the whole rule set's selection, which could only find dates of other rules."""
    return any(
        rule.id in ids
        and (rule.gate is None or rule.gate.search(folded) is not None)
        and (rule.scan or rule.regex).search(folded) is not None
        for rule in RULES.rules
    )


@lru_cache(maxsize=32)
def _scanner(regex: re.Pattern[str]) -> re.Pattern[str]:
    return with_first_chars(regex)


def _labelled(text: str) -> tuple[DateValue, str] | None:
    for label in _scanner(RULES.published.label).finditer(fold(text)):
        line_end = text.find("\n", label.end())
        line = text[label.end() : line_end if line_end >= 0 else len(text)]
        found = _line_date(line)
        if found is not None and found[1] == 0:
            return found[0], text[label.start("label") : label.end() + found[2]]
    return None


def _standalone(line: str, value: DateValue, start: int, end: int) -> bool:
    """Is the date on ``line`` printed on its own (not inside a sentence)?"""
    cfg = RULES.published
    before, after = line[:start], line[end:]
    if len(line.strip()) > cfg.max_line or cfg.not_before.search(before):
        return False
    if cfg.sentence_punct.search(before) or cfg.sentence_punct.search(after):
        return False
    if before.strip() and not cfg.before_ok.search(before):
        return False
    if after.strip() and not cfg.after_ok.match(after):
        return False  # (a source in brackets may follow: 2025/11/18 18:42（中央社）)
    if value.precision != "day":
        return not before.strip() and not after.strip()
    return len(after.strip()) <= cfg.max_tail


def find_published(text: str) -> tuple[DateValue, str] | None:
    """A printed publication date: labelled anywhere (发布日期：...), else on a
    line of its own near the top.  Returns the date and the text matched."""
    labelled = _labelled(text)
    if labelled is not None:
        return labelled
    head = text.splitlines()[: RULES.published.head_lines]
    for line in head:
        found = _line_date(line)
        if found is not None and _standalone(line, *found):
            return found[0], line[found[1] : found[2]]
        dateline = RULES.published.dateline.match(line)
        if dateline is not None:  # BEIJING, Nov. 18, 2025 /PRNewswire/ -- (a wire's dateline)
            english = _english(dateline.group())
            if english is not None:
                return english[0], dateline.group()[english[1] : english[2]]
    for line in head:  # the page's address: …/20251110/art_1.html, …/2025/11/10/…
        url = RULES.published.url_date.search(line)
        if url is not None:
            value = _value(int(url["y"]), int(url["m"]), int(url["d"]))
            if value is not None:
                return value, url.group("date")
    return None


# --------------------------------------------------------------------------
# inferring a publication date


def _forecast(text: str, hit: _Hit) -> bool:
    """Is the date in a forecast/future context (预计2026年, 2027年之前)?"""
    cfg = RULES.infer
    window = text[max(0, hit.start - cfg.window) : hit.start]
    clause = cfg.clause_break.split(window)[-1]
    return bool(
        cfg.forecast_before.search(clause)
        or cfg.forecast_lead.search(window)
        or cfg.forecast_after.match(text, hit.end)
    )


def _closed_year(text: str, hit: _Hit) -> bool:
    """Is the hit a bare year whose full results are reported (2024年营业收入)?"""
    after = RULES.infer.closed_year_after
    return (
        after is not None
        and len(hit.mentions) == 1
        and hit.mentions[0].text[:-1].isdigit()
        and hit.mentions[0].text.endswith("年")
        and after.match(text, hit.end) is not None
    )


def _infer_year(text: str, selected: list) -> int | None:
    hits = [hit for hit in _scan(text, None, selected) if not _forecast(text, hit)]
    years = sorted(
        {m.date.year for hit in hits for m in hit.mentions}
        | {hit.mentions[0].date.year + 1 for hit in hits if _closed_year(text, hit)}
    )
    while len(years) > 1 and years[-1] - years[-2] > RULES.infer.max_gap:
        years.pop()  # far ahead of every other year: a target, not the present
    return years[-1] if years else None


def _infer_month(text: str, year: int, selected: list) -> int | None:
    months = [
        m.date.month
        for hit in _scan(text, DateValue(f"{year:04d}"), selected)
        if hit.rule.kind in ("date", "range") and not _forecast(text, hit)
        for m in hit.mentions
        if m.date.month is not None and m.date.year == year and not m.date.approximate
    ]
    return max(months, default=None)


def infer_published(text: str) -> DateValue | None:
    """Guess the publication date from the dates an article mentions: the
    latest year not in a forecast context, and the latest month of it."""
    selected = _select(text, by_piece=True)  # matched once, resolved twice
    year = _infer_year(text, selected)
    if year is None:
        return None
    month = _infer_month(text, year, selected)
    value = f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"
    return DateValue(value, inferred=True)


__all__ = [
    "DateRules",
    "DateRulesError",
    "RULES",
    "find_dates",
    "find_published",
    "infer_published",
    "load_rules",
    "parse_iso",
    "narrative_offset",
    "narrative_precisions",
    "rebase",
]
