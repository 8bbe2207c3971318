"""builder/fastyaml.py reads the builder's plain block YAML exactly as PyYAML does, or declines."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import fastyaml, store
from builder.records import record_text  # noqa: F401 - the other writer whose output it reads

TRICKY = [
    "",
    " ",
    "a",
    "周畅",
    "null",
    "Null",
    "~",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "0",
    "7",
    "012",
    "0x1f",
    "1_000",
    "1:30",
    "1.5",
    ".inf",
    "-1",
    "+1",
    "2024",
    "2024-08",
    "2024-08-01",
    "2024-08-01 10:00:00",
    "<<",
    "=",
    "- x",
    "? x",
    ": x",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#x",
    "'q'",
    '"q"',
    "it's",
    "x'",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%p",
    "@x",
    "`x",
    "[x]",
    "{x}",
    "a,b",
    "x ",
    " x",
    "a\tb",
    "a\nb",
    "a\x85b",
    "a\u2028b",
    "\ufeffx",
    "x\x00",
    "http://example.com/a?b=1#frag",
    "1e3",
    "0o17",
    "0b101",
    "12:30:00",
]
scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.text(alphabet="ab :#'-\"0123456789年月\n\t", max_size=10),
    st.integers(-10, 10_000),
    st.booleans(),
    st.none(),
)
keys = st.sampled_from(
    ["id", "type", "title", "date", "people", "sources", "note", "quote", "yes", "null", "x1"]
)
items = st.one_of(scalars, st.dictionaries(keys, scalars, min_size=1, max_size=4))
docs = st.dictionaries(keys, st.one_of(scalars, st.lists(items, max_size=4)), max_size=6)


def _agrees(text: str) -> None:
    fast = fastyaml.load(text)
    if fast is None:
        return
    assert fast == yaml.safe_load(text), text


@settings(max_examples=400, deadline=None)
@given(docs)
def test_whatever_the_builder_dumps_is_read_as_pyyaml_reads_it(d):
    for text in (
        store.dump(d),
        yaml.dump(d, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000),
    ):
        _agrees(text)


@settings(max_examples=400, deadline=None)
@given(docs, st.integers(0, 10_000), st.text(alphabet=" :#'\"-\n\t[]{}&*!|>%@`~\\x", min_size=1, max_size=3))
def test_a_hand_edit_is_read_as_pyyaml_reads_it_or_declined(d, at, insert):
    text = store.dump(d)
    at %= len(text) + 1
    edited = text[:at] + insert + text[at:]
    try:
        expected = yaml.safe_load(edited)
    except yaml.YAMLError:
        assert fastyaml.load(edited) is None
        return
    fast = fastyaml.load(edited)
    assert fast is None or fast == expected, edited


def test_the_common_case_is_read_fast_not_declined():
    d = {
        "id": "2024-08-hire-x",
        "type": "hire",
        "date": "2024-08",
        "title": "某人加入某公司",
        "people": ["周畅"],
        "companies": [],
        "sources": [{"article": "a1", "anchor": "p3", "quote": "他于8月加入。"}],
    }
    text = store.dump(d)
    assert fastyaml.load(text) == yaml.safe_load(text)
    assert fastyaml.load("a: 1\n  b: 2\n") is None  # not our shape: declined


DATE_LIKE = [
    "2025-03-14",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-1-05",
    "2024-01-05 09:30",
    "20240105",
    "2024-01-05x",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DATE_LIKE + TRICKY[:20]), min_size=1, max_size=4))
def test_a_front_matter_of_plain_lines_is_read_as_pyyaml_reads_it(values):
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):
        assert fastyaml.load(text) is None  # PyYAML reports what is wrong
        return
    fast = fastyaml.load(text)
    assert fast is None or fast == expected, text


def test_a_date_alone_is_read_as_a_date():
    import datetime

    text = "title: 某公司完成融资\npublished: 2025-03-14\nurl: https://example.com/a\n"
    assert fastyaml.load(text) == yaml.safe_load(text)
    assert fastyaml.load(text)["published"] == datetime.date(2025, 3, 14)
    assert fastyaml.load("published: 2023-02-29\n") is None  # no such day: PyYAML raises
