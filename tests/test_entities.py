"""Entities stage: the registry, finding names in text, discovering unknown names."""

from __future__ import annotations

import pytest

from builder.entities import EntityFinder, Registry, RegistryError, match_key
from conftest import ROOT


def names(finder: EntityFinder, text: str) -> list[tuple[str, str]]:
    return [(m.name, m.kind) for m in finder.find(text)]


def test_registry_is_large_and_consistent(registry):
    kinds = [e.kind for e in registry.entities.values()]
    assert kinds.count("company") >= 150 and kinds.count("person") >= 150
    people = {e.name for e in registry.entities.values() if e.kind == "person"}
    companies = {e.name for e in registry.entities.values() if e.kind == "company"}
    for ent in registry.entities.values():
        assert all(a in companies for a in ent.affiliations), ent.name
    assert not people & companies


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("通义千问", "阿里巴巴"),
        ("豆包", "字节跳动"),
        ("Kimi", "月之暗面"),
        ("騰訊", "腾讯"),
        ("ByteDance", "字节跳动"),
        ("moonshot ai", "月之暗面"),
        ("深度求索", "DeepSeek"),
        ("智譜AI", "智谱"),
    ],
)
def test_aliases_products_and_traditional_forms_resolve(registry, alias, canonical):
    assert registry.canonical(alias) == canonical


@pytest.mark.parametrize(
    "text, expected",
    [
        ("据悉，腾讯混元负责人宣布调整。", [("腾讯", "company")]),
        ("Moonshot AI发布了新模型。", [("月之暗面", "company")]),
        ("Metaverse一词很流行。", []),  # a Latin alias inside a longer word is not a match
        ("星河智能创始人陈牧远宣布离职。", [("星河智能", "company"), ("陈牧远", "person")]),
        ("法院判决前员工赵某某赔偿。", [("赵某某", "person")]),
        ("谷歌研究员Jane Holloway宣布离开。", [("谷歌", "company"), ("Jane Holloway", "person")]),
        ("他入职了香港科技大学。", [("香港科技大学", "company")]),
        ("多位创始人高度评价此事。", []),  # 高度 is a word, not a name
        # an adverb before the verb is not part of a listed company's name
        ("月之暗面、澜舟星图相继完成融资。", [("月之暗面", "company"), ("澜舟星图", "company")]),
        ("机器人公司岱山动力3月2日发布新品。", [("岱山动力", "company")]),  # a date follows the name
        ("Fablesoft CEO Tomas Reyes宣布离开。", [("Tomas Reyes", "person")]),  # title, space, name
        ("公司技术长郑以衡离职。", [("郑以衡", "person")]),  # Taiwanese title for CTO
        ("研究员周远提起诉讼。", [("周远", "person")]),  # 提 ends the name
        ("这家人形机器人公司尚未盈利。", []),  # a kind of product, not an organisation
        # 数据 ends names (青岚数据) and phrases (训练数据): a name needs a verb after it
        ("专注语音标注的青岚数据也在3月获得融资。", [("青岚数据", "company")]),
        ("模型用AI训练数据完成了升级。", []),
        ("青岚数据的客户很多。", []),
        ("仲裁委裁定灵犀科技支付补偿。", [("灵犀科技", "company")]),  # 裁定 is not part of it
        # a transliterated foreign name: runs of transliteration characters around a middle dot
        ("创始人杰西卡·贝尔蒙特表示将加入。", [("杰西卡·贝尔蒙特", "person")]),
        ("CTO罗兰·德·维尔纳夫与莉娜·索托会面。", [("罗兰·德·维尔纳夫", "person"), ("莉娜·索托", "person")]),
        ("本·拉", []),  # too short to be a name
        ("该公司前研究员柯姓工程师提起诉讼。", [("柯姓工程师", "person")]),  # known by surname and post
        ("老百姓工程师们", []),  # 百 is no surname
        # 智能驾驶 is a field: the ending 智能 starts a longer word, no 蔚来汽车智能
        ("蔚来汽车智能驾驶负责人宣布。", [("蔚来", "company")]),
        ("图库公司Getty Images宣布起诉。", [("Getty Images", "company")]),  # Images names a company
        ("公司起诉前研究员韩立违反竞业协议。", [("韩立", "person")]),  # 违 ends the name
    ],
)
def test_find_and_discover(registry, text, expected):
    assert names(EntityFinder(registry), text) == expected


def test_weak_alias_needs_an_industry_cue(registry):
    finder = EntityFinder(registry)
    assert ("小米", "company") not in names(finder, "早餐喝了一碗小米粥。")
    assert ("小米", "company") in names(finder, "小米大模型负责人宣布调整。")


def test_partial_names_resolve_within_an_article(registry):
    finder = EntityFinder(registry)
    finder.learn(finder.find("北辰科技创始人许嘉言宣布融资。"))
    later = names(finder, "北辰完成融资后，联创嘉言表示满意。")
    assert ("北辰科技", "company") in later and ("许嘉言", "person") in later


def test_company_found_by_its_descriptor_is_known_later_in_the_article(registry):
    finder = EntityFinder(registry)
    finder.learn(finder.find("大模型公司玄穹算力完成融资。"))
    assert ("玄穹算力", "company") in names(finder, "玄穹算力发布了新品。")
    assert ("玄穹算力", "company") not in names(EntityFinder(registry), "玄穹算力发布了新品。")


def test_former_employer_is_marked(registry):
    mentions = EntityFinder(registry).find("前京东高管周某某加入新公司。")
    assert [m.former for m in mentions if m.name == "京东"] == [True]


def test_match_key_folds_script_case_and_spaces():
    assert match_key("Moonshot  AI") == match_key("moonshot ai")
    assert match_key("騰訊") == "腾讯"


def test_bad_registry_names_file_and_line(tmp_path):
    (tmp_path / "companies.yaml").write_text("- name: 甲\n- aliases: [乙]\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"companies\.yaml:2: every entry needs a 'name'"):
        Registry.load(tmp_path)
    (tmp_path / "companies.yaml").write_text("- name: 甲\n- name: 甲\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"companies\.yaml:2: '甲' is listed twice"):
        Registry.load(tmp_path)


def test_registry_file_in_repo_loads():
    assert Registry.load(ROOT / "registry").digest


def test_finding_in_an_article_equals_finding_sentence_by_sentence(registry):
    from bisect import bisect_left

    from builder import segmenting
    from builder.normalising import normalise

    text = (
        "据悉，OpenAI与Meta的研究员李某某加入月之暗面。北辰科技CEO王小明表示，北辰将继续投资。讯混元发布了。"
    )
    norm = normalise(text)
    whole, alone = EntityFinder(registry, article=norm.text), EntityFinder(registry)
    for span in segmenting.sentences(text):
        a, b = bisect_left(norm.to_orig, span.start), bisect_left(norm.to_orig, span.end)
        sentence = norm.text[a:b]
        got, want = whole.find(sentence, at=a), alone.find(sentence)
        assert got == want
        whole.learn(got)
        alone.learn(want)


def test_org_start_depends_only_on_the_window_before_the_suffix():
    from builder import entities

    rules = entities.name_rules()
    for text in [
        "公司衔远科技",
        "如今主攻北辰科技",
        "老股东红杉资本",
        "这是一家位于北京的很长名字的某某科技",
    ]:
        for m in rules["suffix_re"].finditer(text):
            start = m.start()
            window = text[max(0, start - entities._ORG_WINDOW) : start]
            assert entities._org_start(text, start, rules) == start - len(window) + entities._org_start_in(
                window
            )
            assert entities._org_start("无关的很长的前文。" + text, start + 9, rules) >= start + 9 - 6


# ---------------------------------------------------------------- jieba's words


def test_word_table_equals_jiebas_dictionary():
    """The compact table answers as jieba's own tokenizer does: frequencies, name
    tags and segmentation (words of every length, rare characters, mixed text)."""
    import random

    import jieba

    from builder import entities

    table, tok = entities.word_table(), entities._tokenizer()
    with jieba.get_dict_file() as f:
        names = frozenset(entities._NAME_LINE.findall(f.read().decode("utf-8")))
    rng = random.Random(7)
    words = list(tok.FREQ)
    sample = rng.sample(words, 20000) + ["", "高度", "成为", "王明", "张鹏", "如今", "xyz", "龥"]
    for w in sample:
        assert table.freq(w) == (tok.FREQ.get(w) or 0), w
        assert table.is_name(w) == (w in names), w
    assert table.total == tok.total
    chars = [chr(c) for c in range(0x4E00, 0x9FFF)]
    for _ in range(5000):
        parts = [
            rng.choice(words) if rng.random() < 0.7 else rng.choice(chars) for _ in range(rng.randint(1, 4))
        ]
        text = "".join(parts)[: rng.randint(1, 10)]
        assert table.cut(text) == tok.lcut(text, HMM=False), text
    for text in ("", "北辰科技", "如今主攻", "ab中文", "中\u9fe0文", "老股东"):
        assert table.cut(text) == tok.lcut(text, HMM=False), text


def test_word_table_is_cached_and_reread(tmp_path, monkeypatch):
    import tempfile

    from builder import entities

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    entities.word_table.cache_clear()
    try:
        first = entities.word_table()
        assert list(tmp_path.glob("builder-words-*.marshal"))
        entities.word_table.cache_clear()
        again = entities.word_table()
        assert again.total == first.total and again.freq("高度") == first.freq("高度") > 0
    finally:
        entities.word_table.cache_clear()


def test_given_names_in_an_article_come_in_registry_order(registry):
    given = list(registry.given_names)
    assert len(given) >= 3
    text = "，".join(reversed(given[:3]))
    assert registry.given_in(text) == [g for g in given if g in text]


def _separate_passes(registry, text: str, upto: int):
    from builder.entities import ascii_lower

    low = ascii_lower(text[:upto])
    return (
        low,
        list(registry.automaton.iter(low)),
        list(registry.garbled_automaton.iter(text)),
        registry.given_in(text[:upto]),
    )


def test_one_article_scan_equals_the_separate_automaton_passes(registry):
    """Registry keys, garbled names (case-sensitive: 壁MiniCPM, not 壁minicpm) and
    given names from one automaton, in the order of their own passes."""
    from builder import reading
    from builder.normalising import normalise

    given = list(registry.given_names)[:4]
    texts = [
        "据悉，OpenAI与Meta的研究员李某某加入月之暗面。讯混元发布了。壁MiniCPM与壁minicpm，",
        "一万物Yi-34B和一万物yi-34b，" + "，".join(given) + "。DeepSeek、deepseek、DEEPSEEK、豆包。",
        "",
        "没有任何名字的句子。",
    ]
    texts += [
        normalise(reading.read_article(p).text).text
        for p in sorted((ROOT / "tests" / "data" / "dev" / "articles").glob("*.txt"))[:40]
    ]
    for n, text in enumerate(texts):
        for upto in range(len(text) + 1) if n < 2 else {0, len(text) // 3, len(text)}:
            scan = registry.scan_article(text, upto)
            low, keys, garbled, present = _separate_passes(registry, text, upto)
            assert (scan.low, scan.keys, scan.garbled, scan.given) == (low, keys, garbled, present), text[:40]
