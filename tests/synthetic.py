"""Synthetic articles for the robustness tests (hostile input, kill loop, memory).

Everything here is made up from templates written for these tests: invented
companies and people, plain news-style sentences. ``article(i, variant)``
is deterministic; a different ``variant`` changes dates and amounts so a
re-scan has real updates to write.
"""

from __future__ import annotations

import random

COMPANIES = [
    "青松智能",
    "远帆科技",
    "北辰资本",
    "星河智能",
    "白鹭科技",
    "云杉机器人",
    "蓝湾智能",
    "赤霞科技",
    "松果智能",
    "长汀资本",
    "明湖科技",
    "溪山智能",
]
PEOPLE = ["林海", "周默", "许言", "韩青", "顾远", "宋澄", "沈舟", "苏禾", "高原", "唐宁", "方砚", "程曦"]
ROUNDS = ["天使轮", "A轮", "B轮", "C轮", "Pre-A轮"]
FILLER = [
    "业内人士认为，模型能力的差距正在缩小，应用落地成为新的竞争焦点。",
    "多位从业者表示，推理成本仍是企业最关心的问题之一。",
    "这家公司过去一年持续扩充研发团队，并开放了部分接口。",
    "分析人士指出，行业正在从参数规模的比拼转向场景深耕。",
    "有观点认为，开源生态会改变企业采购模型服务的方式。",
    "不少企业开始把预算投向数据治理和推理优化。",
]


def _pick(rng: random.Random, items: list[str], n: int) -> list[str]:
    return rng.sample(items, n)


def article(i: int, variant: int = 0) -> str:
    """One short article (3-6 paragraphs) with one or two events."""
    rng = random.Random(i * 7919 + 1)
    a, b, c = _pick(rng, COMPANIES, 3)
    p = rng.choice(PEOPLE)
    year = 2023 + i % 2
    month = 1 + (i + variant) % 12
    day = 1 + (i * 3 + variant) % 27
    amount = (i % 9 + 1) * (variant + 1)
    kind = i % 5
    if kind == 0:
        event = f"{year}年{month}月{day}日，{a}宣布完成{amount}亿元{rng.choice(ROUNDS)}融资，由{c}领投。"
    elif kind == 1:
        event = f"{year}年{month}月，{a}首席技术官{p}已从{a}离职，随后加入{b}。"
    elif kind == 2:
        event = f"{year}年{month}月{day}日，{a}起诉{b}侵犯其商业秘密，案件已获法院受理。"
    elif kind == 3:
        event = f"{year}年{month}月{day}日，{a}宣布旗下大模型降价{amount * 10}%。"
    else:
        event = f"{year}年{month}月{day}日，{a}宣布收购{b}，交易金额约{amount}亿元。"
    body = [f"第{i}号测试稿：{a}的新动向", event]
    body += rng.sample(FILLER, 2 + i % 3)
    if i % 4 == 0:
        body.append(f"{year}年{month}月，{b}创始人{rng.choice(PEOPLE)}表示，公司将继续投入研发。")
    return "\n".join(body) + "\n"


def distinct_lines(n_bytes: int, seed: int = 1) -> str:
    """Roughly ``n_bytes`` of UTF-8 text in distinct, event-free lines (for size tests)."""
    rng = random.Random(seed)
    out, size, n = [], 0, 0
    while size < n_bytes:
        n += 1
        line = f"第{n}段：{rng.choice(FILLER)}{rng.choice(FILLER)}（编号{rng.randrange(10**9)}）"
        out.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(out) + "\n"
