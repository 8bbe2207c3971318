"""`timeline new`, `timeline merge` and canonical names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder import checking, editing, store
from builder.cli import main
from builder.entities import Registry

TODAY = "2025-06-30"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for name in ("events", "articles", "registry"):
        (tmp_path / name).mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "articles" / "art1.yaml").write_text(
        yaml.safe_dump(
            {"stem": "art1", "paragraphs": ["开头一段。", "林海已于3月离开甲公司。", "林海随后加入乙公司。"]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    (tmp_path / "registry" / "people.yaml").write_text(
        "- name: 林海\n  aliases: [Lin Hai]\n- name: 王五\n", encoding="utf-8"
    )
    (tmp_path / "registry" / "companies.yaml").write_text(
        "- name: 甲公司\n  aliases: [Jia]\n- name: 乙公司\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(project: Path) -> list[str]:
    return [str(p) for p in checking.check_folder(project / "events", project, TODAY)]


def test_canonical_names_follow_the_registry(project):
    reg = Registry.load(project / "registry")
    assert editing.canonical_names(reg, ["Lin Hai", "林海", "lin hai", "无名氏", "", "Jia"]) == [
        "林海",
        "无名氏",
        "甲公司",
    ]
    assert editing.canonical_names(None, ["a", "a", "b"]) == ["a", "b"]


# ------------------------------------------------------------------ new


def test_new_with_flags_writes_a_complete_file_that_passes_check(project):
    result = CliRunner().invoke(
        main,
        [
            "new",
            "--type",
            "departure",
            "--date",
            "2024-03",
            "--title",
            "林海离开甲公司",
            "--person",
            "Lin Hai",
            "--company",
            "甲公司",
            "--article",
            "art1",
            "--quote",
            "林海已于3月离开甲公司。",
            "--note",
            "人工添加",
        ],
    )
    assert result.exit_code == 0, result.output
    path = project / "events" / "2024-03-departure-lin-hai.yaml"
    assert result.output.startswith(f"new {path}")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../builder/data/event.schema.json\n")
    data = yaml.safe_load(text)
    assert data == {
        "id": "2024-03-departure-lin-hai",
        "type": "departure",
        "status": "confirmed",
        "date": "2024-03",
        "title": "林海离开甲公司",
        "people": ["林海"],
        "companies": ["甲公司"],
        "note": "人工添加",
        "reviewed": True,
        "sources": [{"article": "art1", "anchor": "p2", "quote": "林海已于3月离开甲公司。"}],
    }
    assert "fingerprint" not in text
    assert check(project) == []


def test_new_asks_for_everything_when_given_nothing(project):
    answers = (
        "\n".join(
            [
                "hire",
                "2024-13",
                "2024-04",
                "林海加入乙公司",
                "林海",
                "乙公司",
                "art1",
                "林海随后加入乙公司。",
                "",
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(main, ["new"], input=answers)
    assert result.exit_code == 0, result.output
    assert "month 13 out of range" in result.output  # asked again
    data = yaml.safe_load((project / "events" / "2024-04-hire-lin-hai.yaml").read_text(encoding="utf-8"))
    assert data["sources"] == [{"article": "art1", "anchor": "p3", "quote": "林海随后加入乙公司。"}]
    assert "note" not in data and check(project) == []


def test_new_refuses_a_future_date_and_picks_a_free_id(project):
    store.atomic_write(
        project / "events" / store.LEDGER, "2024-03-departure-lin-hai\n"
    )  # deleted by a person once
    args = ["new", "--type", "departure", "--title", "t", "--person", "林海", "--article", "art1"]
    result = CliRunner().invoke(main, [*args, "--date", "2999-01"], input="2024-03\n")
    assert result.exit_code == 0 and "in the future" in result.output
    assert (project / "events" / "2024-03-departure-lin-hai-2.yaml").is_file()


def test_an_incomplete_new_event_is_reported_until_completed(project):
    result = CliRunner().invoke(
        main,
        [
            "new",
            "--type",
            "funding",
            "--date",
            "2024",
            "--title",
            "丙公司融资",
            "--company",
            "丙公司",
            "--article",
            "no-such-article",
        ],
    )
    assert result.exit_code == 0
    assert "source article 'no-such-article' not found" in result.output
    path = project / "events" / "2024-funding-bing-gong-si.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("no-such-article", "art1"), encoding="utf-8")
    assert [p for p in check(project) if ": error:" in p] == []


# ------------------------------------------------------------------ merge


def _event(project: Path, eid: str, date: str, sources: list[dict], **extra) -> Path:
    d = {
        "id": eid,
        "type": extra.pop("type", "departure"),
        "date": date,
        "title": extra.pop("title", eid),
        "people": extra.pop("people", ["林海"]),
        "companies": extra.pop("companies", ["甲公司"]),
        **extra,
        "sources": sources,
    }
    path = project / "events" / f"{eid}.yaml"
    path.write_text(store.dump(store.ordered(d)), encoding="utf-8")
    return path


S1 = {"article": "art1", "anchor": "p2", "quote": "林海已于3月离开甲公司。"}
S2 = {"article": "art1", "anchor": "p3", "quote": "林海随后加入乙公司。"}


def test_merge_folds_duplicates_into_the_first(project):
    first = _event(project, "2024-departure-lin-hai", "2024", [S1], date_approximate=True)
    text = first.read_text(encoding="utf-8").replace("title:", "# 编辑的注释\ntitle:")
    first.write_text(text, encoding="utf-8")
    second = _event(
        project,
        "2024-03-departure-lin-hai",
        "2024-03",
        [S1, S2],
        people=["Lin Hai", "王五"],
        companies=["乙公司"],
        to="乙公司",
        date_text="3月",
        note="来自第二篇",
    )
    result = CliRunner().invoke(main, ["merge", "2024-departure-lin-hai", "2024-03-departure-lin-hai"])
    assert result.exit_code == 0, result.output
    merged = first.read_text(encoding="utf-8")
    data = yaml.safe_load(merged)
    assert "# 编辑的注释" in merged and "fingerprint" not in merged
    assert data["date"] == "2024-03" and data["date_text"] == "3月" and "date_approximate" not in data
    assert "other_dates" not in data  # 2024 only says less than 2024-03
    assert data["people"] == ["林海", "王五"] and data["companies"] == ["甲公司", "乙公司"]
    assert data["sources"] == [S1, S2] and data["reviewed"] is True and data["to"] == "乙公司"
    assert data["note"] == "来自第二篇"
    stub = yaml.safe_load(second.read_text(encoding="utf-8"))
    assert stub == {
        "id": "2024-03-departure-lin-hai",
        "type": "departure",
        "redirect_to": "2024-departure-lin-hai",
        "date": "2024-03",
        "title": "2024-03-departure-lin-hai",
        "sources": [],
    }
    assert check(project) == []


def test_merge_keeps_conflicting_dates_as_other_dates(project):
    _event(project, "a", "2024-03-05", [S1])
    _event(project, "b", "2024-04", [S2])
    editing.merge_events(project / "events", ["a", "b"])
    data = yaml.safe_load((project / "events" / "a.yaml").read_text(encoding="utf-8"))
    assert data["date"] == "2024-03-05" and data["other_dates"] == ["2024-04"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["a"], "at least two ids"),
        (["a", "a"], "given twice"),
        (["a", "zzz"], "no event with the id 'zzz'"),
        (["a", "stub"], "'stub' was already merged into 'a'"),
    ],
)
def test_merge_refuses_what_it_cannot_do(project, ids, message):
    _event(project, "a", "2024", [S1])
    (project / "events" / "stub.yaml").write_text(
        "id: stub\ntype: hire\nredirect_to: a\ntitle: s\n", encoding="utf-8"
    )
    with pytest.raises(editing.EditError, match=message):
        editing.merge_events(project / "events", ids)
    result = CliRunner().invoke(main, ["merge", *ids])
    assert result.exit_code == 1 and message.split("'")[0] in result.output
