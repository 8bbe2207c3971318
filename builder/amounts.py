"""Money amounts and funding rounds in a sentence (20.65亿元, 13亿美元, 800万, B+轮)."""

from __future__ import annotations

import re

_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)"
_AMOUNT = re.compile(
    rf"(?:约|近|超过?|逾|高达|达)?({_NUM})\s*(多)?\s*(万亿|千亿|百亿|十亿|亿|千万|百万|万)\s*(人民币|元|美元|美金|港元|欧元|日元)?"
)
_ROUND = re.compile(r"(天使\+?|种子|Pre-?A\+?|A\+?|B\+?|C\+?|D\+?|E|F|战略|新一)轮")
_UNITS = {
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "十亿": 1e9,
    "百亿": 1e10,
    "千亿": 1e11,
    "万亿": 1e12,
}
_CURRENCY = {
    "美元": "USD",
    "美金": "USD",
    "港元": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "元": "CNY",
    "人民币": "CNY",
}


# 估值超过30亿美元: what the company is worth, not an amount that changed hands
_WORTH = re.compile(r"(?:估值|市值)[^，。；,;\d]{0,4}$")


# what may follow an amount written in Chinese numerals without a currency (两千万的, 一亿多)
_INSIDE_A_WORD = re.compile(r"[\u4e00-\u9fff](?<![的左余多以之元])")


def find_amounts(text: str) -> list[str]:
    """Amounts as written, normalised to digits: '20.65亿元', '13亿美元', '800万'
    (valuations left out)."""
    out = []
    for m in _AMOUNT.finditer(text):
        if _WORTH.search(text, max(0, m.start() - 8), m.start()):
            continue
        if _INSIDE_A_WORD.match(text, m.end()) and not m.group(4) and not m.group(1)[0].isdigit():
            continue  # 零一万物: Chinese numerals and a unit inside a name, not an amount
        num = _to_number(m.group(1))
        if num is None:
            continue
        unit = m.group(3)
        currency = m.group(4) or ""
        if currency == "人民币":
            currency = "元"
        out.append(f"{_fmt(num)}{unit}{currency}")
    return out


def amount_value(amount: str) -> tuple[float, str] | None:
    """'13亿美元' -> (1.3e9, 'USD'); None when it cannot be read."""
    m = _AMOUNT.fullmatch(amount)
    if not m:
        return None
    num = _to_number(m.group(1))
    if num is None:
        return None
    return num * _UNITS[m.group(3)], _CURRENCY.get(m.group(4) or "元", "CNY")


def find_round(text: str) -> str:
    m = _ROUND.search(text)
    return "" if not m or m.group(1) == "新一" else m.group(0)


def _to_number(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        import cn2an  # slow to import (~0.1 s); only Chinese numerals need it

        try:
            return float(cn2an.cn2an(s, "smart"))
        except (ValueError, KeyError, TypeError):
            return None


def _fmt(num: float) -> str:
    return str(int(num)) if num == int(num) else f"{num:g}"
