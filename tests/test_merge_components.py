"""Merging component by component gives exactly what one global clustering pass gives."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import merging
from builder.models import Candidate, DateValue, Event

PEOPLE = ["甲一", "乙二", "丙三", "丁四"]
COMPANIES = ["星河", "北辰", "云帆", "海川", "青禾"]
TYPES = ["departure", "hire", "funding", "lawsuit", "price_cut", "acquisition"]


def global_merge(candidates: list[Candidate]) -> list[Event]:
    """The merge as one greedy pass over all candidates (the definition)."""
    events = [merging.to_event(k) for k in merging.cluster(candidates)]
    events = [e for e in events if e.people or e.companies]
    ids: Counter[str] = Counter()
    out = []
    for e in sorted(
        events, key=lambda e: (e.date.value if e.date else "", e.type, e.title, e.sources[0].article)
    ):
        base = merging.event_id(e)
        ids[base] += 1
        eid = base if ids[base] == 1 else f"{base}-{ids[base]}"
        out.append(Event(**{**e.__dict__, "id": eid}))
    return out


dates = st.one_of(
    st.none(),
    st.builds(
        DateValue,
        st.sampled_from(["2024", "2024-03", "2024-03-05", "2024-03-09", "2025-01", "2025"]),
        st.booleans(),
        st.booleans(),
    ),
)
candidates = st.builds(
    Candidate,
    type=st.sampled_from(TYPES),
    article=st.sampled_from(["a1", "a2", "a3"]),
    sentence=st.integers(0, 3),
    paragraph=st.integers(1, 3),
    quote=st.sampled_from(["q1", "q2"]),
    people=st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True).map(tuple),
    companies=st.lists(st.sampled_from(COMPANIES), max_size=3, unique=True).map(tuple),
    date=dates,
    date_text=st.sampled_from(["", "3月"]),
    details=st.sampled_from([(), (("to", "星河"),), (("from", "星河"),), (("amount", "1亿元"),)]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(candidates, max_size=14))
def test_merge_by_component_equals_the_global_pass(cands):
    assert merging.merge(cands) == global_merge(cands)


def test_components_group_linked_candidates():
    links = [
        (("p", "x", "A"),),
        (("c", "x", "B"),),
        (("p", "x", "A"), ("p", "x", "C")),
        (),
        (("p", "x", "C"),),
    ]
    assert merging.components(links) == [[0, 2, 4], [1], [3]]


def test_people_and_company_keys_do_not_mix():
    hire = Candidate("hire", "a", 0, 1, "q", ("甲一",), ("星河",), DateValue("2024-03"))
    funding = Candidate("funding", "a", 1, 1, "q", (), ("星河",), DateValue("2024-03"))
    assert merging.link_keys(hire) == (("p", "personnel", "甲一"),)
    assert merging.link_keys(funding) == (("c", "funding", "星河"),)
