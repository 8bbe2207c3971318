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
