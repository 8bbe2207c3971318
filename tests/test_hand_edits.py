"""Every hand edit survives a re-scan of all seeds, byte for byte, and shows on the site.

A throw-away copy of the project is scanned, edited the ways editors edit
(a field, a comment, key order, reviewed, a deleted file, a rejected event, a
manual event, a merge, a renamed entity), scanned again, and rendered.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder import checking, pipeline, work
from builder.cli import main
from builder.pages import load_site_data, render_pages
from builder.sitectx import event_path
from conftest import ROOT

pytestmark = pytest.mark.slow


def _scan(root: Path) -> pipeline.ScanReport:
    # builder/work.py caches the registry per folder for the life of the process; a
    # command-line scan is a fresh process, this test is not: start from the files.
    if hasattr(work, "_registry") and hasattr(work._registry, "cache_clear"):
        work._registry.cache_clear()
    report = pipeline.scan([root / "seeds"], root / "events", root=root)
    assert not report.skipped
    return report


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _pick(events: dict[str, dict], used: set[str], test) -> str:
    eid = next(i for i, d in sorted(events.items()) if i not in used and test(d))
    used.add(eid)
    return eid


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for name in ("seeds", "registry", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_hand_edit_survives_a_rescan_and_reaches_the_site(project):
    root, ev = project, project / "events"
    _scan(root)
    events = {p.stem: _load(p) for p in ev.glob("*.yaml")}
    used: set[str] = set()
    people_file = (root / "registry" / "people.yaml").read_text(encoding="utf-8")

    def files_of(name: str) -> int:
        return sum(name in (d.get("people") or []) for d in events.values())

    def renamable(d: dict) -> bool:  # a person with other events, listed with aliases in the registry
        return (
            d["type"] == "departure"
            and len(d["sources"]) >= 2
            and bool(d["people"])
            and files_of(d["people"][0]) >= 2
            and re.search(rf"^- name: {re.escape(d['people'][0])}\n  aliases: \[", people_file, re.M)
            is not None
        )

    titled = _pick(events, used, renamable)
    old_name = events[titled]["people"][0]
    used |= {i for i, d in events.items() if old_name in (d.get("people") or [])}  # left untouched
    commented = _pick(events, used, lambda d: d["type"] == "price_cut")
    reordered = _pick(events, used, lambda d: d["type"] == "funding")
    reviewed = _pick(events, used, lambda d: d["type"] == "hire")
    deleted = _pick(events, used, lambda d: d["type"] == "acquisition")
    rejected = _pick(events, used, lambda d: d["type"] == "lawsuit")
    keep = _pick(events, used, lambda d: d["type"] == "departure")
    folded = _pick(events, used, lambda d: d["type"] == "departure")

    # 1. edit a field (the title), 2. add a comment
    path = ev / f"{titled}.yaml"
    path.write_text(
        re.sub(
            r"^title: .*$", "title: 人工修订的标题（编辑部）", path.read_text(encoding="utf-8"), flags=re.M
        ),
        encoding="utf-8",
    )
    path = ev / f"{commented}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join([lines[0], "# 价格已与官网核对 — checked by hand\n", *lines[1:]]), encoding="utf-8"
    )
    # 3. reorder keys: title first, sources before people, quoting changed
    path = ev / f"{reordered}.yaml"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: .*\n", text, re.M).group()
    text = text.replace(title, "").replace("id: ", title + "id: ", 1).replace("date: '", 'date: "', 1)
    text = re.sub(r'(date: "\d{4}(-\d\d)?(-\d\d)?)\'', r'\1"', text, count=1)
    path.write_text(text, encoding="utf-8")
    # 4. reviewed: true, 5. delete a file, 6. reject an event
    path = ev / f"{reviewed}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nsources:", "\nreviewed: true\nsources:", 1),
        encoding="utf-8",
    )
    (ev / f"{deleted}.yaml").unlink()
    path = ev / f"{rejected}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^status: .*\n", "", text, flags=re.M).replace(
        "\ndate:", "\nstatus: rejected\nnote: 报道有误\ndate:", 1
    )
    path.write_text(text, encoding="utf-8")
    # 7. a manual event, with flags
    art = events[keep]["sources"][0]
    result = CliRunner().invoke(
        main,
        [
            "new",
            "--type",
            "hire",
            "--date",
            "2024-02",
            "--title",
            "手工添加的事件：某人加入某公司",
            "--person",
            "手工人物",
            "--company",
            "手工公司",
            "--article",
            art["article"],
            "--quote",
            art["quote"],
            "--note",
            "由编辑手工添加",
        ],
    )
    assert result.exit_code == 0, result.output
    manual = result.output.split()[1]
    # 8. merge two events
    result = CliRunner().invoke(main, ["merge", keep, folded])
    assert result.exit_code == 0, result.output
    # 9. rename an entity in the registry: the old name becomes an alias
    new_name = f"{old_name}博士"
    people_file = re.sub(
        rf"^- name: {re.escape(old_name)}\n  aliases: \[",
        f"- name: {new_name}\n  aliases: [{old_name}, ",
        people_file,
        flags=re.M,
    )
    (root / "registry" / "people.yaml").write_text(people_file, encoding="utf-8")

    hand = [titled, commented, reordered, reviewed, rejected, keep, folded]
    snapshot = {i: (ev / f"{i}.yaml").read_bytes() for i in hand}
    snapshot[Path(manual).stem] = Path(manual).read_bytes()
    names_before = set(_tree(ev))

    report = _scan(root)
    assert report.counts["new"] == 0, report.changes
    for eid, data in snapshot.items():
        assert (ev / f"{eid}.yaml").read_bytes() == data, eid  # byte for byte
    assert not (ev / f"{deleted}.yaml").exists()
    assert set(_tree(ev)) == names_before  # nothing came back, no duplicate for the renamed person
    renamed = [
        i for i, d in ((p.stem, _load(p)) for p in ev.glob("*.yaml")) if new_name in (d.get("people") or [])
    ]
    assert renamed and all(i not in hand for i in renamed)  # untouched files follow the registry
    after = _tree(ev)
    _scan(root)
    assert _tree(ev) == after  # and a second scan changes nothing

    errors = [p for p in checking.check_folder(ev, root, "2100-01-01") if p.level == "error"]
    assert errors == []

    data = load_site_data(root)
    pages = render_pages(data)
    everything = "\n".join(pages.values())
    by_id = {e.id: e for e in data.events}

    def page(eid: str) -> str:  # the month page that holds the event
        return pages[event_path(by_id[eid])]

    assert "人工修订的标题（编辑部）" in page(titled)
    assert new_name in page(titled)  # the edited file still says the old name
    assert rejected not in by_id and events[rejected]["title"] not in everything
    assert deleted not in by_id and f'id="{deleted}"' not in everything
    assert "手工添加的事件：某人加入某公司" in page(Path(manual).stem)
    assert f'id="{by_id[folded].slug}"' in page(folded) and f"#{by_id[keep].slug}" in page(
        folded
    )  # stub -> merged
    assert f'id="{by_id[reviewed].slug}"' in page(reviewed) and f'id="{by_id[reordered].slug}"' in page(
        reordered
    )


def test_scanning_twice_changes_no_byte(project):
    _scan(project)
    first = _tree(project / "events")
    report = _scan(project)
    assert _tree(project / "events") == first
    assert report.counts["new"] == report.counts["updated"] == 0


def test_dry_run_lists_each_change_and_writes_nothing(project):
    _scan(project)
    ev = project / "events"
    victim = sorted(ev.glob("*.yaml"))[0]
    victim.unlink()
    path = sorted(ev.glob("*.yaml"))[0]
    path.write_text(
        path.read_text(encoding="utf-8").replace("sources:", "note: x\nsources:"), encoding="utf-8"
    )
    before = _tree(ev)
    result = CliRunner().invoke(main, ["scan", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"suppressed {victim} (deleted by hand)" in result.output
    assert "(would be)" in result.output and _tree(ev) == before


def test_a_hand_written_file_with_only_the_required_keys_is_checked_and_shown(project):
    _scan(project)
    ev = project / "events"
    some = _load(sorted(ev.glob("*.yaml"))[0])["sources"][0]
    (ev / "2024-hand-written.yaml").write_text(
        f"id: 2024-hand-written\ntype: funding\ndate: '2024'\ntitle: 手写的最小事件\n"
        f"sources:\n- article: {some['article']}\n",
        encoding="utf-8",
    )
    found = [p for p in checking.check_folder(ev, project, "2100-01-01") if "hand-written" in p.path]
    assert found == []
    data = load_site_data(project)
    pages = render_pages(data)
    (hand,) = [e for e in data.events if e.id == "2024-hand-written"]
    assert "手写的最小事件" in pages[event_path(hand)]  # its month (year-only date: the year's page)
    assert "手写的最小事件" in pages["index.md"]
    _scan(project)
    assert (ev / "2024-hand-written.yaml").read_text(encoding="utf-8").startswith("id: 2024-hand-written\n")
