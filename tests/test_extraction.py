"""Extraction on sentences written for this project: the phenomena, not the seeds."""

from __future__ import annotations

import pytest
import yaml

from conftest import DATA

CASES = yaml.safe_load((DATA / "extraction_cases.yaml").read_text(encoding="utf-8"))


def _matches(event, want) -> bool:
    if event.type != want["type"]:
        return False
    if want.get("date") and (event.date is None or event.date.value != want["date"]):
        return False
    if not set(want.get("people", [])) <= set(event.people):
        return False
    if want.get("status") and event.status != want["status"]:
        return False
    if want.get("companies_exact"):
        return set(want.get("companies", [])) == set(event.companies)
    return set(want.get("companies", [])) <= set(event.companies)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extraction_case(case, extract_events):
    events = extract_events(case["text"], case["published"])
    shown = [(e.type, e.date.value if e.date else None, e.people, e.companies, e.status) for e in events]
    if case.get("none"):
        assert events == [], shown
        return
    for want in case["events"]:
        assert any(_matches(e, want) for e in events), f"missing {want} in {shown}"
    assert len(events) == len(case["events"]), f"extra events: {shown}"


# ---------------------------------------------------------------- the candidate gate


def _article(text: str, published: str | None = "2025-06-10"):
    from builder.dates import parse_iso
    from builder.models import Article

    return Article(
        stem="gate", path="gate.txt", text=text, published=parse_iso(published) if published else None
    )


def test_a_sentence_without_any_trigger_has_no_hits_and_is_not_read_after_the_last_trigger(
    registry, monkeypatch
):
    from builder import extraction
    from builder.entities import EntityFinder
    from builder.rules import load_rules

    rules = load_rules()
    plain = "今天的发布会上大家讨论了模型能力。"
    assert rules.any_trigger.search(plain) is None
    assert extraction.find_hits(plain, rules) == []
    seen: list[str] = []
    find = EntityFinder.find
    monkeypatch.setattr(
        EntityFinder, "find", lambda self, text, at=None: seen.append(text) or find(self, text, at)
    )
    text = "智谱创始人张鹏表示行业在变。2024年3月，周某某离开智谱。之后的讨论与此无关。更多评论见后文。"
    found = extraction.extract(_article(text), registry, rules)
    assert [c.type for c in found] == ["departure"]
    assert not any("无关" in s or "后文" in s for s in seen)  # after the last trigger: never read
    assert any("张鹏" in s for s in seen)  # before it: read (it may teach names and companies)


def test_an_article_without_triggers_gives_nothing(registry):
    from builder import extraction
    from builder.rules import load_rules

    assert extraction.extract(_article("大模型行业很热闹。大家都在讨论。"), registry, load_rules()) == []


def test_a_date_of_a_context_sentence_is_still_inherited(extract_events):
    text = "2023年5月，行业里发生了很多事。大家议论纷纷。周某某宣布离职，加入智谱。"
    events = extract_events(text, "2025-06-10")
    assert [(e.type, e.date.value) for e in events] == [("departure", "2023-05")]


def test_a_date_more_than_three_sentences_back_is_not_inherited(extract_events):
    text = "2023年5月，行业里发生了很多事。大家议论纷纷。有人看好。有人不看好。周某某宣布离职，加入智谱。"
    events = extract_events(text, "2025-06-10")
    assert [(e.type, e.date.value, e.date.approximate) for e in events] == [("departure", "2025-06", True)]


def test_dates_needed_only_reads_trigger_sentences_and_their_context():
    from builder import extraction
    from builder.dates import parse_iso
    from builder.rules import load_rules

    rules = load_rules()
    texts = [
        "2021年1月无关。",
        "2022年2月也无关。",
        "2023年3月平静。",
        "无日期。",
        "无日期。",
        "张三离职。",
        "2024年4月张三加入智谱。",
    ]
    hits = [tuple(extraction.find_hits(t, rules)) for t in texts]
    found = extraction.dates_needed(texts, hits, parse_iso("2025-06-10"), rules)
    # sentence 5 has no date of its own: sentences 2-4 give the context; sentence 6 has its own
    assert sorted(found) == [2, 3, 4, 5, 6]
    assert [d.date.value for d in found[6]] == ["2024-04"]


def test_a_generic_latin_word_after_the_trigger_is_no_target(extract_events):
    (event,) = extract_events("5月，百度以2亿美元收购了AI翻译工具LinguaPad。", "2025-06-30")
    assert event.companies == ("百度",)
    assert ("target", "AI") not in event.details


@pytest.mark.parametrize(
    ("text", "published", "sides"),
    [
        # X被Y起诉: Y sues X
        (
            "8月，前员工周某因泄露代码被百度起诉至法院。",
            "2025-08-20",
            {"plaintiff": "百度", "defendant": "周某"},
        ),
        # a settlement names no sides
        ("今年6月，腾讯与一名前高管就竞业纠纷达成和解。", "2025-08-20", {}),
        # 遭 marks the one sued; the ones who sue are not named
        ("3月，腾讯及其高管魏知远遭多名投资人提起仲裁。", "2025-04-03", {"defendant": "魏知远"}),
        # a case named 'A与B…纠纷一案' puts A first
        (
            "11月18日，法院对百度与其前工程师周某某竞业纠纷一案作出判决。",
            "2025-11-20",
            {"plaintiff": "百度", "defendant": "周某某"},
        ),
        # 被判 (ordered to pay) is not a passive of suing
        ("违反竞业协议，腾讯前员工被判赔偿50万元。", "2025-11-20", {"plaintiff": "腾讯"}),
        # a case name 'A诉B…案' gives both sides
        (
            "11月，腾讯诉前员工钱某泄露商业秘密案一审宣判。",
            "2025-11-20",
            {"plaintiff": "腾讯", "defendant": "钱某"},
        ),
    ],
)
def test_lawsuit_sides(extract_events, text, published, sides):
    (event,) = extract_events(text, published)
    assert event.type == "lawsuit"
    assert {k: v for k, v in event.details if k in ("plaintiff", "defendant")} == sides


def test_a_headline_lawsuit_does_not_take_the_person_of_another_item(extract_events):
    """海外速递：…，P转投Y，Z起诉前员工: P is the news of the move, not the one Z sues."""
    text = "海外速递：Cohere完成5亿美元融资，谷歌研究员Daniel Park转投OpenAI，Anthropic起诉前员工"
    (suit,) = [e for e in extract_events(text, "2025-07-12") if e.type == "lawsuit"]
    assert suit.people == () and suit.companies == ("Anthropic",)


def test_a_long_chain_of_next_days_neither_recurses_nor_dates_past_the_publication(registry):
    from builder import extraction
    from builder.rules import load_rules

    text = "2025年3月1日，星海智能宣布完成融资。" + "次日，公司继续发布新品。" * 3000 + "次日，林海宣布离职。"
    found = extraction.extract(_article(text, "2025-06-01"), registry, load_rules())
    assert [c.type for c in found] == ["funding", "departure"]
    assert all(c.date.value[:7] <= "2025-06" for c in found)


def test_a_headline_case_that_names_nobody_is_the_body_case_even_when_its_short_name_reads_as_another(
    registry,
):
    """智源 (a registry alias of another company) opens the headline of an article about
    智源芯图: the headline's unnamed case is the one the body tells with its defendant."""
    from builder.dates import parse_iso
    from builder.extraction import extract
    from builder.merging import merge
    from builder.models import Article
    from builder.rules import load_rules

    title = "智源芯图起诉前算法总监，索赔三千万元"
    body = "AI新创公司智源芯图于本月初向法院提起诉讼，起诉前算法总监周某泄露训练代码。"
    art = Article(
        stem="t", path="t.txt", text=f"{title}\n\n{body}", title=title, published=parse_iso("2025-04-08")
    )
    events = merge(extract(art, registry, load_rules()))
    assert [(e.type, e.people, e.companies) for e in events] == [("lawsuit", ("周某",), ("智源芯图",))]
