"""Seeded synthetic corpus for the benchmarks (see docs/performance.md).

Two modes:

  # N article .txt files for the scan benchmark (or as many as reach --mb megabytes)
  python benchmarks/corpus.py --out DIR --articles N --seed S
  python benchmarks/corpus.py --out DIR --mb 20 --seed S

  # a site project for the `mkdocs build` benchmark: DIR/events/*.yaml,
  # DIR/articles/*.yaml and DIR/registry/{companies,people}.yaml
  python benchmarks/corpus.py --out DIR --events N --seed S [--entities 3000] [--source-articles N]

Articles are composed from the templates below and the entity registry
(registry/*.yaml) plus invented companies and people: 1-8 KB of Chinese each,
1-5 event sentences (funding, departures, hires, lawsuits, price cuts,
acquisitions, with absolute and relative dates) among paragraphs of industry
commentary, some negated or merely planned mentions, boilerplate lines at the
top and bottom (bylines, view counts, share prompts, copyright lines), front
matter on most files, about 20 % converted to traditional characters (OpenCC
s2t), about 5 % synonym-swapped reposts of an earlier article, and a few files
in GB18030. The same seed gives byte-identical output.

Event files in --events mode follow the contract of builder/store.py (key
order, schema line, fingerprint) by going through ``builder.store.dump``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

TRADITIONAL_SHARE = 0.20
REPOST_SHARE = 0.05
GB18030_SHARE = 0.02
FRONT_MATTER_SHARE = 0.65
NEGATIVE_SHARE = 0.15  # articles with a negated / planned (non-event) trigger
MIN_BYTES, MAX_BYTES = 1024, 8192

# ----------------------------------------------------------------------------- vocabulary

TOPICS = [
    "多模态",
    "智能体",
    "端侧模型",
    "长文本",
    "推理模型",
    "代码生成",
    "视频生成",
    "语音交互",
    "检索增强",
    "具身智能",
    "开源生态",
    "模型压缩",
    "强化学习",
    "知识库问答",
    "数字人",
    "AI搜索",
    "AI陪伴",
    "文生图",
]
FIELDS = [
    "金融",
    "医疗",
    "教育",
    "制造",
    "政务",
    "零售",
    "法律",
    "能源",
    "汽车",
    "游戏",
    "电商",
    "客服",
    "物流",
    "传媒",
]
ROLES = [
    "技术负责人",
    "首席科学家",
    "联合创始人",
    "副总裁",
    "产品负责人",
    "算法负责人",
    "首席技术官",
    "研究员",
    "高级总监",
    "首席运营官",
    "商业化负责人",
    "大模型负责人",
]
AREAS = [
    "基础模型研发",
    "多模态团队",
    "商业化落地",
    "海外业务",
    "模型训练基础设施",
    "开源社区",
    "应用产品线",
    "AI安全与对齐",
    "算力平台",
    "智能体平台",
]
ROUNDS = ["天使轮", "Pre-A轮", "A轮", "A+轮", "B轮", "B+轮", "C轮", "D轮", "战略", "新一轮"]
CAUSES = [
    "商业秘密侵权",
    "不正当竞争",
    "违反竞业限制协议",
    "著作权侵权",
    "数据爬取",
    "劳动合同纠纷",
    "专利侵权",
]
OUTLETS = [
    "科技观察",
    "智能前线",
    "硅基时报",
    "算力周刊",
    "数字经济报",
    "极客财经",
    "深度AI",
    "产业新声",
    "未来研究所",
    "创投日报",
    "云端评论",
    "模型工场",
]
EDITORS = ["林晓", "陈默", "王一帆", "赵清", "孙岚", "周舟", "吴桐", "郑雨", "何畅", "韩露"]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建文辉玲萍红鹏飞波宁琳晨昊宇轩浩然博睿哲思远航泽凯瑞嘉欣怡雯婷悦琪佳颖梓涵子墨一诺若溪晓峰俊豪志强宏亮正阳海天书恒"
)
CO_ROOT = list("智源星澜深元启明云图灵思远极光量衡天枢数境象维语墨鲸岩川海峰芯算擎璞曜澄沐观衍序知岭熵格弈昇")
CO_SUFFIX = ["科技", "智能", "数据", "机器人", "信息技术", "人工智能", "网络科技", "智能科技"]
INVESTOR_SUFFIX = ["资本", "创投", "基金", "投资"]
# full-width numerals / spaces appear in scraped text too
MONEY_UNITS = ["亿元", "亿美元", "千万美元", "亿元人民币", "万元"]

# commentary sentence templates: {co} company, {prod} product, {topic}, {field}, {n} number, {y} year
FILLER = [
    "过去一年，{topic}成为各家大模型公司争夺的焦点，{co}也在这一方向上持续投入。",
    "在{field}行业，大模型的落地仍然面临数据孤岛、合规审查和成本控制三重挑战。",
    "一位长期关注{topic}赛道的投资人认为，行业正在从拼参数转向拼场景和拼效率。",
    "据不完全统计，国内已经备案上线的生成式人工智能服务超过{n}款，同质化竞争愈发明显。",
    "{co}此前推出的{prod}在开发者社区中口碑不错，但商业化收入仍然有限。",
    "业内普遍认为，算力成本是压在创业公司身上的一座大山，训练一次千亿参数模型的花费动辄数千万元。",
    "与海外同行相比，国内团队在工程优化上更有耐心，推理成本在一年内下降了一个数量级。",
    "不少企业客户表示，他们更关心模型能否稳定地接入现有业务系统，而不是榜单上的分数。",
    "从{y}年开始，{field}领域的头部企业陆续搭建自己的模型平台，对外部供应商的依赖有所下降。",
    "开源模型的快速迭代正在改变竞争格局，闭源厂商不得不重新思考定价和服务策略。",
    "{topic}被认为是下一阶段最有可能跑出爆款应用的方向之一，但用户留存仍是难题。",
    "有分析人士指出，今年下半年以来，资本对大模型项目的态度明显趋于谨慎，估值回调在所难免。",
    "在{co}内部，{topic}相关团队的规模已经扩大到数百人，覆盖研究、工程和产品三个环节。",
    "多家券商研报显示，{field}行业对智能客服和知识管理类应用的采购预算仍在增长。",
    "业内人士透露，头部公司之间的人才争夺已经延伸到高校实验室，应届博士的薪酬水涨船高。",
    "对于创业公司而言，找到清晰的商业模式比再融一轮钱更加重要。",
    "一位产品经理坦言，用户对{prod}这类助手的新鲜感消退得很快，日活数据的波动说明了一切。",
    "监管层面，生成式人工智能服务管理办法实施后，模型备案和内容安全评估成为上线前的必经流程。",
    "从技术路线上看，混合专家架构和长上下文窗口已经成为新一代模型的标配。",
    "海外市场同样竞争激烈，出海产品需要面对本地化、隐私合规和支付渠道等一系列问题。",
    "有观点认为，大模型行业终将走向集中，只有少数几家能够持续承担训练下一代模型的成本。",
    "在{field}场景中，幻觉问题依然是客户最担心的风险，这也催生了大量评测和审核需求。",
    "{co}方面表示，未来将继续加大在{topic}方向上的研发投入，并与更多合作伙伴共建生态。",
    "算力供应方面，国产芯片的适配进度加快，但在大规模训练场景中仍需时间验证。",
    "行业里流行一句话：模型是引擎，数据是燃料，场景才是方向盘。",
    "数据显示，{y}年第三季度，国内大模型相关的招聘岗位数量环比增长约{n}%。",
    "一些中小开发者选择在开源底座上做垂直微调，以更低的成本满足特定行业的需求。",
    "值得注意的是，智能体应用对模型的规划和工具调用能力提出了更高的要求。",
    "从用户反馈来看，{prod}在长文档总结和多轮对话上的表现有明显提升。",
    "与移动互联网时代不同，这一轮技术浪潮中，基础设施厂商率先获得了可观的收入。",
    "多位从业者表示，团队稳定性正在成为衡量一家大模型公司长期竞争力的重要指标。",
    "{field}客户的付费意愿与项目交付周期密切相关，定制化程度越高，毛利率往往越低。",
    "在价格战的压力下，一些厂商开始通过免费额度和企业套餐吸引开发者迁移。",
    "技术社区里关于{topic}评测方法的争论从未停止，不同榜单之间的结果差异不小。",
    "有接近{co}的人士表示，公司目前现金流健康，短期内没有裁员计划。",
    "在资本市场上，与人工智能相关的概念股在{y}年经历了大起大落。",
    "不少研究者认为，高质量中文语料的稀缺仍然是制约模型能力提升的关键因素。",
    "对大厂来说，大模型更多是现有业务的增强器，而对创业公司而言则关乎生死。",
    "从组织架构上看，越来越多的公司把模型研发和应用产品拆分成独立的事业部。",
    "一位投资机构合伙人直言，今年看过的{topic}项目超过{n}个，真正出手的不到十分之一。",
]
# generic statements with trigger words but no event (人才流动频繁 ...) and negated / planned mentions
NEGATIVE = [
    "今年以来，行业内人才流动频繁，高管离职的消息屡见不鲜。",
    "有消息称{co}正在洽谈新一轮融资，但公司方面并未回应。",
    "{person}随后在社交媒体上否认了离职传闻，称自己仍在{co}工作。",
    "{co}计划在明年推出新的定价方案，具体降价幅度尚未确定。",
    "市场上一度传言{co}有意收购一家{topic}公司，双方均表示没有此事。",
    "对于是否会起诉相关方，{co}表示将保留追究法律责任的权利。",
]
BOILER_TOP = [
    "责任编辑：{editor}",
    "来源：{outlet}",
    "阅读量：{n}",
    "分享到：微信 微博 QQ空间",
    "首页 > 科技 > 人工智能",
    "字号：大 中 小",
    "【图片来源：视觉中国】",
    "作者：{editor} | 来源：{outlet}",
]
BOILER_BOTTOM = [
    "版权声明：本文为{outlet}原创，转载请联系授权。",
    "本文不代表本站观点，仅供参考。",
    "扫码关注公众号，获取更多行业资讯",
    "点赞 | 在看 | 转发",
    "原文链接：https://news.example.com/article/{n}",
    "相关阅读",
    "上一篇：行业观察周报",
    "Copyright © 2024 {outlet} All Rights Reserved",
    "返回搜狐，查看更多",
    "免责声明：本文内容仅供参考，不构成投资建议。",
]
TITLES = [
    "{topic}赛道风起云涌，{co}能否突围",
    "大模型下半场：{field}行业的机会与挑战",
    "{co}的{y}：融资、人事与新产品",
    "一周AI要闻：{co}动作频频",
    "从价格战到人才战，大模型公司进入淘汰赛",
    "{topic}观察：谁在赚钱，谁在烧钱",
    "深度 | {co}背后的商业化难题",
    "AI圈人事地震：又一位技术大牛出走",
]


# ----------------------------------------------------------------------------- entities


@dataclass
class Person:
    name: str
    affiliations: list[str]
    invented: bool = False


@dataclass
class Company:
    name: str
    kind: str  # company | investor | university | ...
    products: list[str] = field(default_factory=list)
    invented: bool = False


@dataclass
class World:
    companies: list[Company]
    investors: list[Company]
    people: list[Person]
    products: list[tuple[str, str]]  # (product, company)


def load_registry(folder: Path) -> tuple[list[dict], list[dict]]:
    def items(name: str) -> list[dict]:
        path = folder / name
        if not path.is_file():
            return []
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []
        return [d for d in data if isinstance(d, dict) and d.get("name")]

    return items("companies.yaml"), items("people.yaml")


def _simplified(s: str) -> bool:
    import opencc

    global _T2S
    if _T2S is None:
        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(s) == s


_T2S = None


def _cjk(s: str) -> bool:
    return bool(re.match(r"[\u4e00-\u9fff]", s))


def invent_company(rng: random.Random, taken: set[str], investor: bool = False) -> str:
    while True:
        root = "".join(rng.sample(CO_ROOT, 2))
        name = root + rng.choice(INVESTOR_SUFFIX if investor else CO_SUFFIX)
        if name not in taken:
            taken.add(name)
            return name


def invent_person(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in taken:
            taken.add(name)
            return name


def build_world(rng: random.Random, registry: Path, extra_companies: int, extra_people: int) -> World:
    cos, ppl = load_registry(registry)
    taken = {d["name"] for d in cos + ppl}
    for d in cos + ppl:
        taken.update(str(a) for a in d.get("aliases") or [])
    companies, investors, products = [], [], []
    for d in cos:
        c = Company(
            str(d["name"]), str(d.get("kind") or "company"), [str(p) for p in d.get("products") or []]
        )
        if c.kind == "investor":
            investors.append(c)
        elif c.kind == "company":  # universities, institutes and labs stay out of the templates
            companies.append(c)
            products += [(p, c.name) for p in c.products if p not in (d.get("weak") or []) and _simplified(p)]
    for i in range(extra_companies):
        investor = i % 5 == 0
        c = Company(
            invent_company(rng, taken, investor), "investor" if investor else "company", invented=True
        )
        if not investor and rng.random() < 0.4:
            c.products = [c.name[:2] + rng.choice(["大模型", "GPT", "助手", "智脑", "Chat"])]
            products.append((c.products[0], c.name))
        (investors if investor else companies).append(c)
    people = [
        Person(str(d["name"]), [str(a) for a in d.get("affiliations") or [] if isinstance(a, str)])
        for d in ppl
    ]
    cjk_companies = [c.name for c in companies if _cjk(c.name)]
    for _ in range(extra_people):
        people.append(
            Person(invent_person(rng, taken), rng.sample(cjk_companies, rng.choice((1, 2, 2, 3))), True)
        )
    return World(companies, investors, people, products)


# ----------------------------------------------------------------------------- dates


def random_published(rng: random.Random) -> dt.date:
    start = dt.date(2023, 1, 1)
    return start + dt.timedelta(days=rng.randrange(0, 912))  # to mid-2025


def event_date(rng: random.Random, pub: dt.date) -> tuple[str, str]:
    """(date text as printed, ISO value) for an event shortly before ``pub``."""
    back = pub - dt.timedelta(days=rng.randrange(0, 300))
    r = rng.random()
    if r < 0.30:
        return f"{back.year}年{back.month}月{back.day}日", back.isoformat()
    if r < 0.45:
        return (
            f"{back.month}月{back.day}日",
            back.isoformat() if back.year == pub.year else f"{pub.year}-{pub.month:02d}",
        )
    if r < 0.60:
        if back.year == pub.year:
            return f"今年{back.month}月", f"{back.year}-{back.month:02d}"
        return f"去年{back.month}月", f"{back.year}-{back.month:02d}"
    if r < 0.72:
        return f"{back.year}年{back.month}月", f"{back.year}-{back.month:02d}"
    if r < 0.80:
        part = rng.choice(["初", "中旬", "下旬", "底"])
        return f"{back.year}年{back.month}月{part}", f"{back.year}-{back.month:02d}"
    if r < 0.92:
        return rng.choice(["近日", "日前", "前不久"]), f"{pub.year}-{pub.month:02d}"
    return "", f"{pub.year}-{pub.month:02d}"  # undated sentence: inherits the narrative date


# ----------------------------------------------------------------------------- event sentences


@dataclass
class EventSpec:
    type: str
    date_text: str
    date: str
    sentence: str
    title: str
    people: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    status: str = "confirmed"


def _money(rng: random.Random) -> str:
    unit = rng.choice(MONEY_UNITS)
    if unit == "万元":
        return f"{rng.randrange(500, 9000, 100)}{unit}"
    n = rng.choice([rng.randint(1, 30), round(rng.uniform(1, 20), 1)])
    return f"{n:g}{unit}"


def _pre(d: str) -> str:
    return f"{d}，" if d else ""


def make_event(rng: random.Random, w: World, pub: dt.date, etype: str | None = None) -> EventSpec:
    etype = (
        etype
        or rng.choices(
            ["departure", "hire", "funding", "lawsuit", "price_cut", "acquisition"], [30, 20, 22, 8, 10, 10]
        )[0]
    )
    date_text, date = event_date(rng, pub)
    d = _pre(date_text)
    co = rng.choice(w.companies).name
    co2 = rng.choice(w.companies).name
    for _ in range(20):
        if co2 != co:
            break
        co2 = rng.choice(w.companies).name
    role, area = rng.choice(ROLES), rng.choice(AREAS)
    if etype in ("departure", "hire"):
        p = rng.choice(w.people)
        if p.affiliations:
            co = rng.choice(p.affiliations)
        name = p.name
        if rng.random() < 0.1:  # an anonymised name found by context
            name = rng.choice(SURNAMES) + "某"
        if etype == "departure":
            sentence = rng.choice(
                [
                    f"{d}{co}{role}{name}已从公司离职，此前他主要负责{area}。",
                    f"{d}{name}宣布卸任{co}{role}一职，{co}方面对其贡献表示感谢。",
                    f"据知情人士透露，{d}{co}{role}{name}离开了{co}，目前尚未确定下一站。",
                    f"{d}{name}从{co}离职，随后转投{co2}，继续负责{area}。",
                ]
            )
            status = "reported" if "知情人士" in sentence else "confirmed"
            title = f"{name}离开{co}"
            details = {"from": co, "role": role}
            if co2 in sentence:
                details["to"] = co2
                title += f"，加入{co2}"
            return EventSpec(
                "departure",
                date_text,
                date,
                sentence,
                title,
                [name],
                [co] + ([co2] if co2 in sentence else []),
                details,
                status,
            )
        sentence = rng.choice(
            [
                f"{d}原{co}{role}{name}正式加入{co2}，负责{area}。",
                f"{co2}{date_text or '近期'}宣布，{name}出任公司{role}，全面负责{area}。",
                f"{d}{name}加盟{co2}，担任{role}。",
            ]
        )
        return EventSpec(
            "hire", date_text, date, sentence, f"{name}加入{co2}", [name], [co2], {"to": co2, "role": role}
        )
    if etype == "funding":
        inv = [c.name for c in rng.sample(w.investors, min(len(w.investors), rng.randint(1, 3)))]
        rnd, money = rng.choice(ROUNDS), _money(rng)
        sentence = rng.choice(
            [
                f"{d}{co}宣布完成{money}{rnd}融资，由{inv[0]}领投"
                + (f"，{'、'.join(inv[1:])}跟投。" if inv[1:] else "。"),
                f"{d}{co}获得{'、'.join(inv)}等机构的{money}投资，本轮为{rnd}融资。",
                f"{d}{co}完成{rnd}融资，融资金额达{money}，{inv[0]}领投。",
            ]
        )
        return EventSpec(
            "funding",
            date_text,
            date,
            sentence,
            f"{co}完成{rnd}融资",
            [],
            [co],
            {"amount": money, "round": rnd, "investors": inv},
        )
    if etype == "lawsuit":
        cause = rng.choice(CAUSES)
        sentence = rng.choice(
            [
                f"{d}{co}以{cause}为由起诉{co2}，索赔{_money(rng)}。",
                f"{d}{co2}被{co}起诉，案由为{cause}，目前案件已被法院受理。",
            ]
        )
        return EventSpec(
            "lawsuit",
            date_text,
            date,
            sentence,
            f"{co}起诉{co2}",
            [],
            [co, co2],
            {"plaintiff": co, "defendant": co2},
        )
    if etype == "price_cut":
        prod, owner = rng.choice(w.products) if w.products else (co + "大模型", co)
        old, new = rng.choice([(12, 0.8), (20, 1), (8, 0.5), (30, 2), (4, 0.3)])
        sentence = rng.choice(
            [
                f"{d}{owner}宣布旗下{prod}大幅降价，输入价格从每百万tokens {old}元降至{new}元。",
                f"{d}{owner}将{prod}的调用价格下调{rng.randint(50, 97)}%，部分版本全面免费。",
            ]
        )
        return EventSpec(
            "price_cut",
            date_text,
            date,
            sentence,
            f"{owner}{prod}降价",
            [],
            [owner],
            {"product": prod, "old_price": f"{old}元", "new_price": f"{new}元"},
        )
    money = _money(rng)
    sentence = rng.choice(
        [
            f"{d}{co}宣布收购{co2}，交易金额约{money}。",
            f"{d}{co2}被{co}收购，双方团队将在三个月内完成整合。",
            f"{d}{co}以{money}全资控股{co2}。",
        ]
    )
    return EventSpec(
        "acquisition",
        date_text,
        date,
        sentence,
        f"{co}收购{co2}",
        [],
        [co, co2],
        {"acquirer": co, "target": co2, "amount": money},
    )


def fill(rng: random.Random, w: World, template: str, pub: dt.date) -> str:
    prod, owner = rng.choice(w.products) if w.products else ("大模型", rng.choice(w.companies).name)
    co = owner if rng.random() < 0.7 else rng.choice(w.companies).name
    return template.format(
        co=co,
        prod=prod,
        topic=rng.choice(TOPICS),
        field=rng.choice(FIELDS),
        n=rng.randint(3, 300),
        y=pub.year - rng.randint(0, 1),
        person=rng.choice(w.people).name,
        editor=rng.choice(EDITORS),
        outlet=rng.choice(OUTLETS),
    )


def filler_paragraph(rng: random.Random, w: World, pub: dt.date) -> str:
    return "".join(fill(rng, w, rng.choice(FILLER), pub) for _ in range(rng.randint(2, 6)))


# ----------------------------------------------------------------------------- text noise

_S2T = None


def to_traditional(text: str) -> str:
    global _S2T
    if _S2T is None:
        import opencc

        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)


_OBF = None


def obfuscate(text: str) -> str:
    """A synonym-swapped repost: the inverse of builder/data/obfuscation.yaml, one pass, longest first."""
    global _OBF
    if _OBF is None:
        data = yaml.load(
            (REPO / "builder" / "data" / "obfuscation.yaml").read_text(encoding="utf-8"), Loader=_LOADER
        )
        inverse: dict[str, str] = {}
        for p in data.get("pairs") or []:
            src, dst = str(p.get("from")), str(p.get("to"))
            if src != dst and dst not in inverse and len(dst) <= len(src) + 2:
                inverse[dst] = src
        alt = re.compile("|".join(re.escape(k) for k in sorted(inverse, key=len, reverse=True)))
        _OBF = (inverse, alt)
    inverse, alt = _OBF
    return alt.sub(lambda m: inverse[m.group(0)], text)


# ----------------------------------------------------------------------------- articles


@dataclass
class GenArticle:
    stem: str
    title: str
    published: dt.date
    source: str
    paragraphs: list[str]
    events: list[EventSpec]
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    front_matter: bool = True
    traditional: bool = False
    obfuscated: bool = False
    encoding: str = "utf-8"


def _target_bytes(rng: random.Random) -> int:
    # log-normal around ~3.5 KB, clipped to the 1-8 KB range
    return int(min(MAX_BYTES, max(MIN_BYTES, rng.lognormvariate(math.log(3500), 0.45))))


def compose_article(rng: random.Random, w: World, index: int) -> GenArticle:
    pub = random_published(rng)
    events = [make_event(rng, w, pub) for _ in range(rng.choices([1, 2, 3, 4, 5], [25, 30, 22, 13, 10])[0])]
    target = _target_bytes(rng)
    title = fill(rng, w, rng.choice(TITLES), pub)
    paragraphs: list[str] = []
    size = len(title.encode())
    while size < target * 0.85 or len(paragraphs) < len(events) + 1:
        p = filler_paragraph(rng, w, pub)
        paragraphs.append(p)
        size += len(p.encode()) + 1
    # event sentences go into random paragraphs (lead sentence or appended), never the first one only
    for ev in events:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] = ev.sentence + paragraphs[i] if rng.random() < 0.5 else paragraphs[i] + ev.sentence
    if rng.random() < NEGATIVE_SHARE:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] += fill(rng, w, rng.choice(NEGATIVE), pub)
    digest = hashlib.sha1(f"{index}-{title}".encode()).hexdigest()[:12]
    art = GenArticle(
        stem=f"{index:06d}_{digest}",
        title=title,
        published=pub,
        source=rng.choice(OUTLETS),
        paragraphs=paragraphs,
        events=events,
    )
    art.front_matter = rng.random() < FRONT_MATTER_SHARE
    art.header = [fill(rng, w, t, pub) for t in rng.sample(BOILER_TOP, rng.randint(1, 3))]
    art.footer = [fill(rng, w, t, pub) for t in rng.sample(BOILER_BOTTOM, rng.randint(1, 4))]
    art.traditional = rng.random() < TRADITIONAL_SHARE
    art.encoding = "gb18030" if rng.random() < GB18030_SHARE else "utf-8"
    return art


def repost_of(rng: random.Random, original: GenArticle, index: int) -> GenArticle:
    digest = hashlib.sha1(f"{index}-repost-{original.stem}".encode()).hexdigest()[:12]
    return GenArticle(
        stem=f"{index:06d}_{digest}",
        title=original.title,
        published=original.published,
        source=rng.choice(OUTLETS),
        paragraphs=list(original.paragraphs),
        events=original.events,
        header=list(original.header),
        footer=list(original.footer),
        front_matter=original.front_matter,
        traditional=False,
        obfuscated=True,
    )


def article_text(a: GenArticle) -> str:
    lines: list[str] = []
    if a.front_matter:
        lines += [
            "---",
            f"title: {a.title}",
            f"published: {a.published.isoformat()}",
            f"source: {a.source}",
            f"url: https://news.example.com/{a.stem}",
            "---",
        ]
    body = [a.title, *a.header]
    if not a.front_matter:
        body.append(
            f"{a.published.year}-{a.published.month:02d}-{a.published.day:02d} 10:{a.published.day:02d} {a.source}"
        )
    body += ["", *[p + "\n" for p in a.paragraphs], *a.footer]
    text = "\n".join(body) + "\n"
    if a.traditional:
        text = to_traditional(text)
    if a.obfuscated:
        text = obfuscate(text)
    return "\n".join(lines) + ("\n" if lines else "") + text


def write_articles(
    out: Path, n: int | None, seed: int, mb: float | None = None, registry: Path = REPO / "registry"
) -> dict:
    """Write the scan corpus; returns a small manifest (counts, bytes, planted events)."""
    rng = random.Random(seed)
    world = build_world(random.Random(seed + 1), registry, extra_companies=150, extra_people=250)
    out.mkdir(parents=True, exist_ok=True)
    written, total, planted, made = 0, 0, 0, []
    limit_bytes = int(mb * 1_000_000) if mb else None
    i = 0
    while (n is None or i < n) and (limit_bytes is None or total < limit_bytes):
        if made and rng.random() < REPOST_SHARE:
            art = repost_of(rng, rng.choice(made[-200:]), i)
        else:
            art = compose_article(rng, world, i)
            made.append(art)
        data = article_text(art).encode(art.encoding)
        (out / f"{art.stem}.txt").write_bytes(data)
        total += len(data)
        planted += len(art.events)
        written += 1
        i += 1
    manifest = {"seed": seed, "articles": written, "bytes": total, "event_sentences": planted}
    (out / ".manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return manifest


# ----------------------------------------------------------------------------- site project (--events)


def _slug(text: str) -> str:
    from builder.slugs import slugify

    return slugify(text, max_len=40)


def write_site_project(
    out: Path,
    n_events: int,
    seed: int,
    entities: int = 3000,
    registry: Path = REPO / "registry",
    n_articles: int | None = None,
) -> dict:
    """events/, articles/ and registry/ for a site of ``n_events`` events and ~``entities`` entities.

    ``n_articles`` source article records (default: one per event, the issue's 10k/10k target).
    """
    from builder import store

    rng = random.Random(seed)
    cos, ppl = load_registry(registry)
    extra = max(0, entities - len(cos) - len(ppl))
    world = build_world(
        random.Random(seed + 1), registry, extra_companies=extra * 2 // 5, extra_people=extra - extra * 2 // 5
    )
    for sub in ("events", "articles", "registry"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    # registry: the real entries plus the invented ones
    inv_cos = [c for c in world.companies + world.investors if c.invented]
    inv_ppl = [p for p in world.people if p.invented]
    co_items = cos + [
        {
            "name": c.name,
            "aliases": [],
            "products": c.products,
            "description": f"虚构的{'投资机构' if c.kind == 'investor' else '人工智能公司'}（基准测试数据）。",
            "kind": c.kind,
        }
        for c in inv_cos
    ]
    pp_items = ppl + [
        {
            "name": p.name,
            "aliases": [],
            "description": "虚构人物（基准测试数据）。",
            "affiliations": p.affiliations,
        }
        for p in inv_ppl
    ]
    for name, items in (("companies.yaml", co_items), ("people.yaml", pp_items)):
        (out / "registry" / name).write_text(
            yaml.dump(items, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    # Zipf-like popularity: a few entities appear in many events, most in a few
    w = World(
        sorted(world.companies, key=lambda c: rng.random()),
        world.investors,
        sorted(world.people, key=lambda p: rng.random()),
        world.products,
    )
    weights_c = [1 / (i + 1) ** 0.8 for i in range(len(w.companies))]
    weights_p = [1 / (i + 1) ** 0.8 for i in range(len(w.people))]

    n_articles = max(1, n_events if n_articles is None else n_articles)
    articles = []
    for i in range(n_articles):
        pub = random_published(rng)
        paras = [filler_paragraph(rng, w, pub) for _ in range(rng.randint(4, 14))]
        title = fill(rng, w, rng.choice(TITLES), pub)
        stem = f"{i:06d}_{hashlib.sha1(f'{seed}-{i}'.encode()).hexdigest()[:12]}"
        articles.append(
            {
                "stem": stem,
                "title": title,
                "url": f"https://news.example.com/{stem}",
                "source": rng.choice(OUTLETS),
                "published": pub.isoformat(),
                "published_inferred": False,
                "file": f"seeds/{stem}.txt",
                "paragraphs": [title, *paras],
                "_pub": pub,
            }
        )
    ids: set[str] = set()
    n_written = 0
    for _ in range(n_events):
        home = articles[rng.randrange(n_articles)]
        # bias parties towards popular entities
        picks = rng.choices(range(len(w.companies)), weights_c, k=4) + [rng.randrange(len(w.companies))]
        ev_world = World(
            [w.companies[i] for i in picks],
            w.investors,
            [w.people[i] for i in rng.choices(range(len(w.people)), weights_p, k=1)],
            w.products,
        )
        ev = make_event(rng, ev_world, home["_pub"])
        sources = []
        cited = [home] + [
            articles[rng.randrange(n_articles)] for _ in range(rng.choices([0, 1, 2], [60, 30, 10])[0])
        ]
        for art in cited:
            j = rng.randrange(1, len(art["paragraphs"]))
            art["paragraphs"][j] += ev.sentence
            src = {"article": art["stem"], "anchor": f"p{j + 1}", "quote": ev.sentence}
            if ev.date_text:
                src["date_text"] = ev.date_text
            sources.append(src)
        base = f"{ev.date[:7] if len(ev.date) > 4 else ev.date}-{ev.type.replace('_', '-')}-" + _slug(
            (ev.people or ev.companies)[0]
        )
        eid, n = base, 2
        while eid in ids:
            eid, n = f"{base}-{n}", n + 1
        ids.add(eid)
        d: dict = {"id": eid, "type": ev.type}
        if ev.status != "confirmed" or rng.random() < 0.01:
            d["status"] = "rejected" if ev.status == "confirmed" else ev.status
        d["date"] = ev.date
        if ev.date_text:
            d["date_text"] = ev.date_text
        if not ev.date_text or ev.date_text in ("近日", "日前", "前不久"):
            d["date_approximate"] = True
        d["title"] = ev.title
        d["people"] = ev.people
        d["companies"] = ev.companies
        d.update(ev.details)
        if rng.random() < 0.03:
            d["note"] = "人工核对：日期以公司公告为准。"
        d["sources"] = sources
        d = {key: d[key] for key in store.KEY_ORDER if key in d}
        (out / "events" / f"{eid}.yaml").write_text(store.dump(d), encoding="utf-8")
        n_written += 1
    total = 0
    for art in articles:
        art.pop("_pub")
        text = yaml.dump(art, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
        (out / "articles" / f"{art['stem']}.yaml").write_text(text, encoding="utf-8")
        total += len(text.encode())
    manifest = {
        "seed": seed,
        "events": n_written,
        "articles": n_articles,
        "article_bytes": total,
        "entities": len(co_items) + len(pp_items),
    }
    (out / ".manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=1)
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--articles", type=int, help="number of article .txt files to write")
    size.add_argument(
        "--mb", type=float, help="write articles until the corpus reaches this many MB (10^6 bytes)"
    )
    size.add_argument("--events", type=int, help="write a site project with this many event YAML files")
    ap.add_argument(
        "--entities", type=int, default=3000, help="--events mode: registry size to reach (default 3000)"
    )
    ap.add_argument(
        "--source-articles",
        type=int,
        default=None,
        help="--events mode: number of source article records (default: one per event)",
    )
    ap.add_argument("--registry", type=Path, default=REPO / "registry", help="registry folder to start from")
    args = ap.parse_args(argv)
    if args.events is not None:
        m = write_site_project(
            args.out, args.events, args.seed, args.entities, args.registry, args.source_articles
        )
    else:
        m = write_articles(args.out, args.articles, args.seed, args.mb, args.registry)
    print(" ".join(f"{k}={v}" for k, v in m.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
