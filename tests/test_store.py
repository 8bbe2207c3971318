"""The event store: deterministic files, named write modes, hand edits survive."""

from __future__ import annotations

from pathlib import Path

import yaml

from builder import store
from builder.models import DateValue, Event, Source


def make_event(eid="2024-03-departure-lin-hai", date="2024-03", quote="林海离职。", anchor="p1", article="a1", **kw):
    base = dict(id=eid, type="departure", date=DateValue(date), date_text="今年3月", title="林海离开甲公司",
                people=("林海",), companies=("甲公司",), sources=(Source(article, anchor, quote),),
                details=(("from", "甲公司"),))
    base.update(kw)
    return Event(**base)


def run(events, folder: Path, scanned=frozenset({"a1", "a2"}), force=False):
    p = store.plan(events, folder, set(scanned), force=force)
    store.apply(p, folder)
    return p.counts


def test_new_file_is_valid_yaml_with_schema_line_and_fingerprint(tmp_path):
    counts = run([make_event()], tmp_path)
    assert counts["new"] == 1
    text = (tmp_path / "2024-03-departure-lin-hai.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert data["date"] == "2024-03" and data["people"] == ["林海"] and data["from"] == "甲公司"
    assert data["fingerprint"] == store.fingerprint(text)
    assert "date: '2024-03'" in text


def test_rerun_is_byte_identical(tmp_path):
    run([make_event()], tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    counts = run([make_event()], tmp_path)
    assert counts["unchanged"] == 1 and counts["new"] == 0
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_untouched_file_is_updated_in_place(tmp_path):
    run([make_event()], tmp_path)
    counts = run([make_event(date="2024-03-05", eid="2024-03-departure-lin-hai-x")], tmp_path)
    assert counts["updated"] == 1
    files = [p for p in tmp_path.glob("*.yaml")]
    assert len(files) == 1 and yaml.safe_load(files[0].read_text())["date"] == "2024-03-05"


def test_hand_edit_is_kept_and_only_gains_sources(tmp_path):
    run([make_event()], tmp_path)
    path = tmp_path / "2024-03-departure-lin-hai.yaml"
    edited = path.read_text(encoding="utf-8").replace("title: 林海离开甲公司", "# checked by hand\ntitle: 林海辞职")
    path.write_text(edited, encoding="utf-8")
    two = make_event(sources=(Source("a1", "p1", "林海离职。"), Source("a2", "p4", "另一篇报道。")))
    counts = run([two], tmp_path)
    assert counts["updated"] == 1
    text = path.read_text(encoding="utf-8")
    assert text.startswith(edited.rstrip("\n").rsplit("fingerprint:", 1)[0][:200])
    assert "# checked by hand\ntitle: 林海辞职" in text and "另一篇报道。" in text
    assert run([two], tmp_path)["kept"] == 1  # nothing new: not touched again


def test_reviewed_file_is_never_rewritten(tmp_path):
    run([make_event()], tmp_path)
    path = tmp_path / "2024-03-departure-lin-hai.yaml"
    text = path.read_text(encoding="utf-8").replace("type: departure", "type: departure\nreviewed: true")
    path.write_text(text, encoding="utf-8")
    run([make_event(date="2024-03-09")], tmp_path)
    assert path.read_text(encoding="utf-8") == text


def test_deleted_file_is_not_brought_back(tmp_path):
    run([make_event()], tmp_path)
    (tmp_path / "2024-03-departure-lin-hai.yaml").unlink()
    counts = run([make_event()], tmp_path)
    assert counts["suppressed"] == 1 and not list(tmp_path.glob("*.yaml"))


def test_stale_generated_event_is_removed_but_edited_one_stays(tmp_path):
    run([make_event(), make_event(eid="2024-05-departure-wang", people=("王五",), date="2024-05")], tmp_path)
    edited = tmp_path / "2024-05-departure-wang.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "note: 人工确认\n", encoding="utf-8")
    counts = run([], tmp_path)
    assert counts["removed"] == 1
    assert edited.exists() and not (tmp_path / "2024-03-departure-lin-hai.yaml").exists()


def test_events_of_articles_not_scanned_stay(tmp_path):
    run([make_event()], tmp_path)
    assert run([], tmp_path, scanned={"other"})["removed"] == 0


def test_atomic_write_leaves_no_temp_files(tmp_path):
    store.atomic_write(tmp_path / "x" / "a.yaml", "a: 1\n")
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["a.yaml"]
