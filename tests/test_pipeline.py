"""The whole pipeline on seeds/: golden output, determinism, and the quality gate."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml

from builder import pipeline
from builder.evaluation import evaluate
from conftest import DATA, ROOT

ACCEPTANCE = {"f1": 0.90, "date_exact": 0.90, "party_recall": 0.90, "source_recall": 0.90}
MAX_DUPLICATES_ACCEPTED = 2


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A scan of seeds/ into an empty folder."""
    out = tmp_path_factory.mktemp("fresh")
    report = pipeline.scan([ROOT / "seeds"], out / "events", root=ROOT)
    assert report.read == 5 and not report.skipped
    return out


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_committed_events_equal_a_fresh_scan(fresh):
    """Golden output: regenerate with `make scan` when a change is intended.
    (.ledger is history: it also remembers ids written and deleted earlier.)"""
    new, committed = _tree(fresh / "events"), _tree(ROOT / "events")
    assert set(new.pop(".ledger").split()) <= set(committed.pop(".ledger").split())
    assert new == committed
    assert _tree(fresh / "articles") == _tree(ROOT / "articles")


def test_second_scan_changes_no_byte(fresh):
    before = _tree(fresh / "events")
    report = pipeline.scan([ROOT / "seeds"], fresh / "events", root=ROOT)
    assert report.counts["new"] == report.counts["updated"] == 0
    assert _tree(fresh / "events") == before


def test_every_event_file_follows_the_contract(fresh):
    for path in (fresh / "events").glob("*.yaml"):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert d["id"] == path.stem
        assert d["type"] in ("funding", "departure", "hire", "lawsuit", "price_cut", "acquisition")
        assert d["date"] is None or len(d["date"]) in (4, 7, 10)
        assert d["title"] and "\n" not in d["title"]
        assert d["people"] or d["companies"]
        for src in d["sources"]:
            art = yaml.safe_load((fresh / "articles" / f"{src['article']}.yaml").read_text(encoding="utf-8"))
            para = art["paragraphs"][int(src["anchor"][1:]) - 1]
            assert src["quote"] in para, (path.name, src)


def test_quality_gate(fresh):
    floors = yaml.safe_load((DATA / "quality_floors.yaml").read_text(encoding="utf-8"))
    for key, line in ACCEPTANCE.items():
        assert floors[key] >= line, f"floor {key} lowered below the acceptance line {line}"
    assert floors["max_duplicates"] <= MAX_DUPLICATES_ACCEPTED
    got = evaluate(DATA / "seeds-gold.yaml", fresh / "events").figures
    for key in ("f1", "precision", "recall", "date_exact", "party_recall", "source_recall"):
        assert got[key] >= floors[key], f"{key} fell to {got[key]} (floor {floors[key]}): {got}"
    assert got["duplicates"] <= floors["max_duplicates"]


def test_eval_agrees_with_hand_count(tmp_path):
    """The evaluator on a tiny gold file counted by hand."""
    gold = {
        "articles": {"a": {}},
        "aliases": {"甲公司": ["甲"]},
        "events": [
            {
                "id": "g1",
                "articles": ["a"],
                "type": "departure",
                "date": "2024-05",
                "people": ["林海"],
                "companies": ["甲公司"],
            },
            {
                "id": "g2",
                "articles": ["a"],
                "type": "funding",
                "date": "2024",
                "people": [],
                "companies": ["乙公司"],
            },
            {
                "id": "g3",
                "articles": ["a"],
                "type": "lawsuit",
                "date": None,
                "people": [],
                "companies": ["丙"],
                "required": False,
            },
        ],
    }
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    ev = tmp_path / "ev"
    ev.mkdir()
    preds = [
        {
            "type": "hire",
            "date": "2024-05-02",
            "people": ["林海"],
            "companies": ["甲"],
            "sources": [{"article": "a"}],
        },
        {
            "type": "departure",
            "date": "2024-05",
            "people": ["林海"],
            "companies": [],
            "sources": [{"article": "a.txt"}],
        },
        {
            "type": "funding",
            "date": "2023",
            "people": [],
            "companies": ["乙公司"],
            "sources": [{"article": "a"}],
        },
        {"type": "lawsuit", "date": None, "people": [], "companies": ["丙"], "sources": [{"article": "a"}]},
    ]
    for i, p in enumerate(preds):
        (ev / f"{i}.yaml").write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
    f = evaluate(tmp_path / "gold.yaml", ev).figures
    assert (f["true_pos"], f["false_pos"], f["duplicates"]) == (1, 1, 1)
    assert f["recall"] == 0.5 and f["precision"] == 0.5 and f["date_exact"] == 1.0
    assert filecmp.cmp(tmp_path / "gold.yaml", tmp_path / "gold.yaml")


DEV_ACCEPTANCE_F1 = 0.75  # lowering the dev floor below this needs a deliberate edit here


@pytest.mark.parametrize(
    "corpus",
    [
        "dev",
        "probe",
        "probe2",
        "probe3",
        "probe4",
        "probe5",
        "probe6",
        "probe7",
        "probe8",
        "probe9",
        "probe10",
    ],
)
def test_held_out_set_quality_gate(tmp_path, corpus):
    """Articles nobody tuned the seeds on (dev: 40 articles; probe: 18 later ones with
    new phrasings, companies and people; probe2: 20 more, with noise and trap articles;
    probe3: 18 round-ups, price-war, merger and regulatory articles with relative days;
    probe4: long features full of traps, and the same story from three outlets; probe5:
    noisy web text, traditional-character copies and synonym-swapped reposts; probe6:
    new genres (大事记, lists, interview, rulings, filings, prospectus) and date forms; probe7:
    Chinese reporting on global companies, lists of people, asides and 花名 after names; probe8:
    chains of events across long reports, narrative dates 次年/同年/半年后/次月; probe9: sectors next
    to large models with unknown names and varied wording; probe10: scraped page formats,
    wrapped lines, dates in footers, URLs and wire datelines):
    the generalisation floors (max_duplicates: a ceiling)."""
    floors = yaml.safe_load((DATA / "quality_floors.yaml").read_text(encoding="utf-8"))[corpus]
    assert floors["f1"] >= DEV_ACCEPTANCE_F1
    pipeline.scan(
        [DATA / corpus / "articles"],
        tmp_path / "events",
        root=ROOT,
        options=pipeline.ScanOptions(cache=False),
    )
    got = evaluate(DATA / corpus / "gold.yaml", tmp_path / "events").figures
    ceiling = floors.pop("max_duplicates", None)
    for key, floor in floors.items():
        assert got[key] >= floor, f"{corpus} {key} fell to {got[key]} (floor {floor}): {got}"
    if ceiling is not None:
        assert got["duplicates"] <= ceiling, f"{corpus} duplicates rose to {got['duplicates']}: {got}"
