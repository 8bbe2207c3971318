"""The event store: deterministic files, named write modes, hand edits survive."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder import store
from builder.entities import Registry
from builder.models import DateValue, Event, Source


def make_event(
    eid="2024-03-departure-lin-hai", date="2024-03", quote="林海离职。", anchor="p1", article="a1", **kw
):
    base = dict(
        id=eid,
        type="departure",
        date=DateValue(date),
        date_text="今年3月",
        title="林海离开甲公司",
        people=("林海",),
        companies=("甲公司",),
        sources=(Source(article, anchor, quote),),
        details=(("from", "甲公司"),),
    )
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
    edited = path.read_text(encoding="utf-8").replace(
        "title: 林海离开甲公司", "# checked by hand\ntitle: 林海辞职"
    )
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


# ------------------------------------------------------------------ appending sources as text

NEW_SOURCE = {"article": "a2", "anchor": "p4", "quote": "另一篇报道。"}


def _only_inserted(old: str, new: str) -> str:
    """The text ``new`` adds to ``old`` as one insertion (fails if anything else changed)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    assert old[:start] + old[len(old) - end :] == old, "existing bytes changed"
    return new[start : len(new) - end]


@pytest.mark.parametrize(
    "text",
    [
        # the builder's own style
        "id: x\nsources:\n- article: a1\n  anchor: p1\n  quote: 林海离职。\nfingerprint: abc\n",
        # indented items, a comment after the list, a folded last quote
        "id: x\nsources:\n  - article: a1\n    anchor: p1\n    quote: >-\n      林海离职。\n\n# the end\nnote: n\n",
        # a literal block last, the list at the end of a file without a final newline
        "id: x\nsources:\n    -   article: a1\n        quote: |\n          林海\n          离职。\n",
        "id: x\nsources:\n- {article: a1, anchor: p1}\n- article: a1\n  anchor: p2  # second\nreviewed: true",
        # flow lists
        "id: x\nsources: [{article: a1, anchor: p1}]  # flow\nnote: n\n",
        "id: x\nsources: []\n",
        "id: x\nsources: [\n  {article: a1},\n]\n",
        # no list at all
        "id: x\nsources:\nnote: n\n",
        "id: x\nsources:  # to do\nnote: n\n",
        "id: x\ntitle: t\n",
        "id: x\ntitle: t",
        "{id: x, title: t, sources: [{article: a1}]}\n",
    ],
)
def test_new_sources_are_inserted_without_touching_other_bytes(text):
    new = store.append_sources(
        text, [NEW_SOURCE, {**NEW_SOURCE, "anchor": "p5", "quote": "it's: 'quoted' \"x\""}]
    )
    before, after = yaml.safe_load(text), yaml.safe_load(new)
    assert after == {
        **before,
        "sources": (before.get("sources") or [])
        + [NEW_SOURCE, {**NEW_SOURCE, "anchor": "p5", "quote": "it's: 'quoted' \"x\""}],
    }
    _only_inserted(text, new)


def test_sources_null_falls_back_to_round_trip(tmp_path):
    new = store.append_sources("id: x  # keep me\nsources: ~\n", [NEW_SOURCE])
    assert yaml.safe_load(new)["sources"] == [NEW_SOURCE] and "# keep me" in new


def test_hand_edited_file_with_unusual_layout_gains_a_source_and_nothing_else(tmp_path):
    run([make_event()], tmp_path)
    path = tmp_path / "2024-03-departure-lin-hai.yaml"
    edited = (
        '# 人工核对过\nid: 2024-03-departure-lin-hai\ntitle: "林海辞职"   # was generated\n'
        "type: departure\ndate: \"2024-03\"\npeople: [林海]\ncompanies: [ '甲公司' ]\n"
        "sources:\n    - article: a1\n      anchor: p1\n      quote: 林海离职。\n# trailing comment\n"
    )
    path.write_text(edited, encoding="utf-8")
    two = make_event(sources=(Source("a1", "p1", "林海离职。"), Source("a2", "p4", "另一篇报道。")))
    run([two], tmp_path)
    inserted = _only_inserted(edited, path.read_text(encoding="utf-8"))
    assert inserted == "    - article: a2\n      anchor: p4\n      quote: 另一篇报道。\n"


def test_a_source_deleted_by_hand_is_not_appended_again(tmp_path):
    two = make_event(sources=(Source("a1", "p1", "林海离职。"), Source("a2", "p4", "另一篇报道。")))
    run([two], tmp_path)
    path = tmp_path / "2024-03-departure-lin-hai.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("- article: a2\n  anchor: p4\n  quote: 另一篇报道。\n", "")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    three = make_event(sources=(*two.sources, Source("a2", "p9", "第三处。")))
    run([three], tmp_path)
    after = path.read_text(encoding="utf-8")
    assert "另一篇报道" not in after and "第三处。" in after


# ------------------------------------------------------------------ dry run, force, registry, stubs


def test_dry_run_plan_describes_changes_and_writes_nothing(tmp_path):
    run([make_event(), make_event(eid="2024-05-departure-wang", people=("王五",), date="2024-05")], tmp_path)
    (tmp_path / "2024-05-departure-wang.yaml").unlink()
    edited = tmp_path / "2024-03-departure-lin-hai.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "note: 人工\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    events = [
        make_event(sources=(Source("a1", "p1", "林海离职。"), Source("a2", "p2", "又一篇。"))),
        make_event(eid="2024-05-departure-wang", people=("王五",), date="2024-05"),
        make_event(eid="2024-06-hire-zhao", type="hire", people=("赵六",), date="2024-06"),
    ]
    p = store.plan(events, tmp_path, {"a1", "a2"})
    assert p.describe() == [
        f"keep {edited} (+1 source)",
        f"suppressed {tmp_path / '2024-05-departure-wang.yaml'} (deleted by hand)",
        f"new {tmp_path / '2024-06-hire-zhao.yaml'}",
    ]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_force_rewrites_but_keeps_status_note_and_reviewed(tmp_path):
    run([make_event()], tmp_path)
    path = tmp_path / "2024-03-departure-lin-hai.yaml"
    text = path.read_text(encoding="utf-8").replace("title: 林海离开甲公司", "# mine\ntitle: 我的标题")
    text = text.replace(
        "type: departure\n", "type: departure\nstatus: rejected\nnote: 不是真的\nreviewed: true\n"
    )
    path.write_text(text, encoding="utf-8")
    assert run([make_event()], tmp_path, force=True)["updated"] == 1
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"] == "林海离开甲公司" and "# mine" not in path.read_text(encoding="utf-8")
    assert (data["status"], data["note"], data["reviewed"]) == ("rejected", "不是真的", True)
    assert list(data) == [k for k in store.KEY_ORDER if k in data]


def test_names_are_matched_through_the_registry(tmp_path):
    """A file naming 林海 matches an event naming 林海洋 once the registry says they are one person."""
    reg = tmp_path / "registry"
    reg.mkdir()
    (reg / "people.yaml").write_text("- name: 林海洋\n  aliases: [林海]\n", encoding="utf-8")
    events = tmp_path / "events"
    run([make_event()], events)
    path = events / "2024-03-departure-lin-hai.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "note: 手工\n", encoding="utf-8")
    renamed = make_event(
        eid="2024-03-departure-lin-hai-yang",
        people=("林海洋",),
        sources=(Source("a1", "p1", "林海离职。"), Source("a2", "p3", "林海洋离职。")),
    )
    without = store.plan([renamed], events, {"a1", "a2"})
    assert without.counts["new"] == 1  # raw names: a second file for the same event
    with_registry = store.plan([renamed], events, {"a1", "a2"}, registry=Registry.load(reg))
    assert with_registry.counts["new"] == 0 and list(with_registry.writes) == [path]


def test_a_redirect_stub_sends_new_sources_to_the_event_it_was_merged_into(tmp_path):
    run(
        [
            make_event(),
            make_event(
                eid="2024-departure-lin-hai",
                date="2024",
                title="林海离职",
                sources=(Source("a2", "p1", "林海走了。"),),
            ),
        ],
        tmp_path,
    )
    stub = tmp_path / "2024-departure-lin-hai.yaml"
    stub_text = (
        "id: 2024-departure-lin-hai\ntype: departure\nredirect_to: 2024-03-departure-lin-hai\n"
        "title: 林海离职\ndate: '2024'\nsources: []\n"
    )
    stub.write_text(stub_text, encoding="utf-8")
    target = tmp_path / "2024-03-departure-lin-hai.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("type: departure", "type: departure\nreviewed: true"),
        encoding="utf-8",
    )
    later = make_event(eid="2024-departure-lin-hai", date="2024", sources=(Source("a2", "p1", "林海走了。"),))
    counts = run([make_event(), later], tmp_path)
    assert stub.read_text(encoding="utf-8") == stub_text
    assert "林海走了。" in target.read_text(encoding="utf-8") and counts["new"] == 0
    assert len(list(tmp_path.glob("*.yaml"))) == 2


def test_a_fingerprint_of_digits_only_stays_text(tmp_path):
    for n in range(4000):  # find an event whose fingerprint happens to be all digits
        text = store.dump({"id": "x", "type": "funding", "title": f"t{n}", "sources": []})
        if text.rsplit("fingerprint: ", 1)[1].strip().strip("'").isdigit():
            break
    else:
        pytest.skip("no all-digit fingerprint found")
    data = yaml.safe_load(text)
    assert isinstance(data["fingerprint"], str)
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert not store.Stored(path, data, text).edited


# ------------------------------------------------------------------ atomic writes


def test_a_crash_mid_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("old: 1\n", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises((OSError, store.StoreError), match="disk gone"):
        store.atomic_write(path, "new: 2\n")
    assert path.read_text(encoding="utf-8") == "old: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_crash_while_applying_a_plan_keeps_every_old_file(tmp_path, monkeypatch):
    run([make_event()], tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    p = store.plan([make_event(date="2024-03-07")], tmp_path, {"a1"})
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.apply(p, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# ------------------------------------------------------------------ property: edits survive


_BASE_EVENT = make_event(sources=(Source("a1", "p1", "林海离职。"), Source("a1", "p2", "他去了乙公司。")))
_MORE = make_event(sources=(*_BASE_EVENT.sources, Source("a2", "p7", "第二篇文章也说林海离职。")))


def _edits():
    scalar = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
    ).filter(lambda s: s.strip() == s and s[0] not in "&*!|>'\"%@`#-?:[]{},")
    comment = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
    )
    return st.lists(
        st.one_of(
            st.tuples(st.just("title"), scalar),
            st.tuples(st.just("comment"), comment, st.integers(0, 30)),
            st.tuples(st.just("note"), scalar),
            st.tuples(st.just("swap"), st.integers(1, 6)),
            st.tuples(st.just("quote"), st.sampled_from(["'", '"'])),
            st.tuples(st.just("reviewed"), st.booleans()),
        ),
        min_size=1,
        max_size=5,
    )


def _apply_edit(text: str, edit) -> str:
    lines = text.splitlines(keepends=True)
    kind = edit[0]
    if kind == "title":
        return "".join(
            f"title: {json.dumps(edit[1], ensure_ascii=False)}\n" if ln.startswith("title:") else ln
            for ln in lines
        )
    if kind == "comment":
        at = edit[2] % (len(lines) + 1)
        return "".join(lines[:at] + [f"# {edit[1]}\n"] + lines[at:])
    if kind == "note":
        return text.replace("sources:\n", f"note: {json.dumps(edit[1], ensure_ascii=False)}\nsources:\n", 1)
    if kind == "reviewed":
        return text.replace("sources:\n", f"reviewed: {str(edit[1]).lower()}\nsources:\n", 1)
    if kind == "quote":
        q = edit[1]
        return "".join(
            f"date: {q}{ln.split(':', 1)[1].strip().strip(chr(39) + chr(34))}{q}\n"
            if ln.startswith("date:")
            else ln
            for ln in lines
        )
    # swap two neighbouring top-level one-line keys
    tops = [
        i for i, ln in enumerate(lines) if ln[:1].isalpha() and ": " in ln and not ln.startswith("sources")
    ]
    i = edit[1] % max(1, len(tops) - 1)
    if len(tops) > 1:
        a, b = tops[i], tops[i + 1]
        if b == a + 1:
            lines[a], lines[b] = lines[b], lines[a]
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_edits())
def test_property_hand_edits_survive_a_rescan_byte_for_byte(tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("prop")
    run([_BASE_EVENT], folder)
    path = folder / "2024-03-departure-lin-hai.yaml"
    text = path.read_text(encoding="utf-8")
    for edit in edits:
        text = _apply_edit(text, edit)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        assume(False)
    assume(isinstance(data, dict) and data.get("sources"))
    path.write_text(text, encoding="utf-8")
    stored = store.Stored(path, data, text)
    run([_MORE], folder)
    after = path.read_text(encoding="utf-8")
    if not stored.edited:  # the edits happened to change nothing the builder wrote
        return
    inserted = _only_inserted(text, after)
    assert yaml.safe_load(inserted.replace("\n  ", "\n  ").lstrip()) == [
        {"article": "a2", "anchor": "p7", "quote": "第二篇文章也说林海离职。"}
    ]
    assert yaml.safe_load(after) == {
        **data,
        "sources": data["sources"] + [{"article": "a2", "anchor": "p7", "quote": "第二篇文章也说林海离职。"}],
    }
    run([_MORE], folder)
    assert path.read_text(encoding="utf-8") == after  # and then it stays as it is
