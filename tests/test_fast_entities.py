"""Fast paths of the entities and normalising stages against their plain forms."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import normalising
from builder.entities import (
    Entity,
    EntityFinder,
    Registry,
    discover_orgs,
    discover_people,
)

# pieces that make the finders do something: cues, names, suffixes, Latin, width, punctuation
_PIECES = [
    "创始人",
    "CEO",
    "周某",
    "田某某",
    "张伟",
    "王小明",
    "科技",
    "公司",
    "大学",
    "大模型公司",
    "格物深度",
    "完成",
    "宣布",
    "加入",
    "腾讯",
    "騰訊",
    "阿里巴巴",
    "字节跳动",
    "Kimi",
    "ByteDance",
    "Sam Altman",
    "Metaverse",
    "前",
    "原",
    "，",
    "。",
    "、",
    " ",
    "\u3000",
    "ＡＢ１",
    "的",
    "在",
    "北辰",
    "黄文灏",
    "文灏",
    "东谈主",
    "大模子",
    "讯混元",
]
_TEXT = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_discoveries_equal_the_plain_discovery(registry, text):
    plain = tuple(discover_people(text, registry) + discover_orgs(text, registry))
    assert registry.discoveries(text) == plain
    assert registry.discoveries(text) == plain  # remembered: the same again


def test_discoveries_are_forgotten_when_the_registry_changes():
    reg = Registry()
    text = "创始人周某表示，北辰科技完成融资。"
    assert reg.discoveries(text) == tuple(discover_people(text, reg) + discover_orgs(text, reg))
    assert "_discovered" in reg.__dict__
    reg._add(Entity("北辰科技", "company"), None, 1)  # type: ignore[arg-type]
    assert "_discovered" not in reg.__dict__
    assert reg.discoveries(text) == tuple(discover_people(text, reg) + discover_orgs(text, reg))


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_registry_mentions_at_equal_the_plain_pass(registry, sentences):
    article = "".join(sentences)
    fast = EntityFinder(registry, article=article)
    plain = EntityFinder(registry)
    at = 0
    for text in sentences:
        assert fast._registry_mentions_at(text, at) == plain._registry_mentions(text)
        at += len(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_simplified_index_map_is_the_identity_or_the_plain_one(text):
    simple, idx = normalising._simplified(text)
    assert (simple, list(idx)) == normalising.to_simplified(text)
    assert tuple(normalising.normalise(text).to_orig) == tuple(normalising.to_simplified(text)[1]) or (
        normalising.normalise(text).obfuscated
        or normalising.join_spaced(normalising.fold_width(normalising.to_simplified(text)[0])) is not None
    )


def _plain_active(text: str) -> bool:
    hits, distinct, size = normalising._marker_stats(text)
    tab = normalising.table()
    return distinct >= tab.min_distinct and size > 0 and hits * 1000 / size >= tab.min_density


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["东谈主", "大模子", "大模子", " \n"]), max_size=30).map("".join))
def test_obfuscation_decision_equals_the_plain_one(text):
    assert normalising._active(text) == _plain_active(text)


def test_dictionary_path_is_the_file_jieba_opens():
    import subprocess
    import sys

    code = (
        "import sys; from builder import entities; p = entities._dictionary_path(); "
        "assert 'jieba' not in sys.modules; import jieba; f = jieba.get_dict_file(); "
        "print(p == f.name == entities._dictionary_path())"
    )
    from conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
