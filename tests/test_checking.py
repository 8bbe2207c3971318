"""`timeline check`: every problem with its line and column, fast enough for pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import checking, store
from builder.cli import main
from conftest import ROOT

TODAY = "2025-06-30"

GOOD = """id: {id}
type: departure
date: '2024-03'
title: 林海离开甲公司
people:
- 林海
companies:
- 甲公司
sources:
- article: art1
  anchor: p1
  quote: 林海离职。
"""


def good(eid: str, **replace: str) -> str:
    text = GOOD.format(id=eid)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "events").mkdir()
    (tmp_path / "articles").mkdir()
    (tmp_path / "registry").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "articles" / "art1.yaml").write_text(
        yaml.safe_dump(
            {"stem": "art1", "paragraphs": ["林海离职。他将加入乙公司。", "王五的公司完成融资。"]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    (tmp_path / "registry" / "people.yaml").write_text(
        "- name: 林海\n  aliases: [Lin Hai]\n- name: 王五\n", encoding="utf-8"
    )
    (tmp_path / "registry" / "companies.yaml").write_text(
        "- name: 甲公司\n- name: 乙公司\n", encoding="utf-8"
    )
    return tmp_path


def write(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "events" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(project: Path) -> list[checking.Problem]:
    return checking.check_folder(project / "events", project, TODAY)


BOMB = (
    "id: bomb\ntype: funding\ndate: '2024'\ntitle: t\nsources: [{article: art1}]\nnote: &a [x, x, x]\n"
    + "".join(f"n{i}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
)

# name -> (text, line, column, level, part of the message)
BROKEN = {
    "no-title.yaml": (
        good("no-title", **{"title: 林海离开甲公司\n": ""}),
        1,
        1,
        "error",
        "missing key 'title'",
    ),
    "bad-type.yaml": (
        good("bad-type", **{"type: departure": "type: resignation"}),
        2,
        7,
        "error",
        'unknown event type "resignation"',
    ),
    "feb-30.yaml": (good("feb-30", **{"'2024-03'": "'2024-02-30'"}), 3, 7, "error", "day 30 does not exist"),
    "month-13.yaml": (good("month-13", **{"'2024-03'": "'2024-13'"}), 3, 7, "error", "month 13 out of range"),
    "future.yaml": (good("future", **{"'2024-03'": "'2099-01'"}), 3, 7, "error", "is in the future"),
    "approx-day.yaml": (
        good("approx-day", **{"date: '2024-03'\n": "date: '2024-03-05'\ndate_approximate: true\n"}),
        4,
        19,
        "error",
        "date_approximate: true but the date '2024-03-05' names a day",
    ),
    "unquoted-date.yaml": (
        good("unquoted-date", **{"'2024-03'": "2024-03-05"}),
        3,
        7,
        "error",
        "put the date in quotes",
    ),
    "mismatch.yaml": (good("other-name"), 1, 5, "error", "does not match the file name 'mismatch.yaml'"),
    "dup.yaml": (good("dup", **{"林海": "王五", "甲公司": "乙公司"}), 1, 5, "error", "duplicate id 'dup'"),
    "unknown-person.yaml": (
        good("unknown-person", **{"- 林海\n": "- 林海X\n"}),
        6,
        3,
        "warning",
        "'林海X' is not in the entity registry (closest known name: '林海')",
    ),
    "missing-article.yaml": (
        good("missing-article", **{"article: art1": "article: art9"}),
        10,
        12,
        "error",
        "source article 'art9' not found",
    ),
    "stale-quote.yaml": (
        good("stale-quote", **{"quote: 林海离职。": "quote: 这句话不在文章里。"}),
        12,
        10,
        "warning",
        "quote is no longer found in the article",
    ),
    "tabs.yaml": (good("tabs", **{"- 林海\n": "\t- 林海\n"}), 6, 1, "error", "tab used for indentation"),
    "dup-key.yaml": (
        good("dup-key", **{"people:": "title: 又一个标题\npeople:"}),
        5,
        1,
        "error",
        "duplicate key 'title'",
    ),
    "alias.yaml": (
        good(
            "alias",
            **{"people:\n- 林海\n": "people: &p\n- 林海\n", "companies:\n- 甲公司\n": "companies: *p\n"},
        ),
        7,
        12,
        "error",
        "anchors and aliases",
    ),
    "bomb.yaml": (BOMB, 7, 9, "error", "anchors and aliases"),
    "huge.yaml": (
        good("huge", **{"林海离开甲公司": "长" * (10 * 1024 * 1024 // 3)}),
        1,
        1,
        "error",
        "larger than 2 MB",
    ),
    "traversal.yaml": (good("../../etc/passwd"), 1, 5, "error", "may only use a-z, 0-9 and '-'"),
    "slash.yaml": (good("events/slash"), 1, 5, "error", "may only use a-z, 0-9 and '-'"),
    "typo-key.yaml": (
        good("typo-key", **{"title:": "titel:"}),
        4,
        1,
        "error",
        "unknown key 'titel' (did you mean 'title'?)",
    ),
    "syntax.yaml": (
        good("syntax", **{"title: 林海离开甲公司": 'title: "林海离开甲公司'}),
        4,
        8,
        "error",
        "YAML:",
    ),
    "redirect-nowhere.yaml": (
        "id: redirect-nowhere\ntype: hire\nredirect_to: no-such-event\ntitle: t\n",
        3,
        14,
        "error",
        "no event has the id 'no-such-event'",
    ),
    "article-path.yaml": (
        good("article-path", **{"article: art1": "article: ../secret"}),
        10,
        12,
        "error",
        "sources.0.article",
    ),
    "gbk.yaml": (good("gbk").encode("gb18030"), 1, 1, "error", "not UTF-8"),
    "dupe-b.yaml": (
        good("dupe-b", **{"'2024-03'": "'2024'", "林海离开甲公司": "林海离职"}),
        1,
        5,
        "warning",
        "looks like the same event as 'dupe-a'",
    ),
}


def test_each_broken_file_is_reported_at_its_line(project):
    write(project, "dupe-a.yaml", good("dupe-a"))
    write(project, "2024/dup.yaml", good("dup", **{"- 林海\n": "- 王五\n", "'2024-03'": "'2023'"}))
    for name, (text, *_) in BROKEN.items():
        write(project, name, text)
    found = problems(project)
    for name, (_, line, col, level, message) in BROKEN.items():
        mine = [p for p in found if Path(p.path).name == name and not p.path.endswith("2024/dup.yaml")]
        assert any(
            (p.line, p.column, p.level) == (line, col, level) and message in p.message for p in mine
        ), (name, [str(p) for p in mine])
    assert not [p for p in found if Path(p.path).name in ("dupe-a.yaml",) or "2024/dup.yaml" in p.path]
    assert len(BROKEN) >= 20


def test_a_good_file_a_minimal_file_and_a_stub_pass(project):
    write(project, "ok.yaml", good("ok"))
    write(
        project,
        "minimal.yaml",
        "id: minimal\ntype: funding\ndate: null\ntitle: 乙公司完成融资\nsources:\n- article: art1\n",
    )
    write(
        project,
        "stub.yaml",
        "id: stub\ntype: departure\nredirect_to: ok\ndate: '2024'\ntitle: 旧条目\nsources: []\n",
    )
    assert problems(project) == []


def test_an_alias_name_and_an_anonymised_name_are_fine(project):
    write(project, "alias-name.yaml", good("alias-name", **{"- 林海\n": "- Lin Hai\n- 张某某\n"}))
    assert problems(project) == []


def test_distinct_from_silences_the_duplicate_warning(project):
    write(project, "dupe-a.yaml", good("dupe-a"))
    write(
        project,
        "dupe-b.yaml",
        good("dupe-b", **{"'2024-03'": "'2024'", "sources:": "distinct_from: [dupe-a]\nsources:"}),
    )
    assert problems(project) == []


def test_a_hire_at_x_is_not_a_duplicate_of_leaving_x(project):
    write(project, "join.yaml", good("join", **{"type: departure": "type: hire\nto: 甲公司"}))
    write(project, "leave.yaml", good("leave", **{"type: departure": "type: departure\nfrom: 甲公司"}))
    assert problems(project) == []


def test_redirects_in_a_circle_are_errors(project):
    write(project, "ring-a.yaml", "id: ring-a\ntype: hire\nredirect_to: ring-b\ntitle: a\n")
    write(project, "ring-b.yaml", "id: ring-b\ntype: hire\nredirect_to: ring-a\ntitle: b\n")
    assert {p.message for p in problems(project)} == {
        "redirect_to goes round in a circle via 'ring-a'",
        "redirect_to goes round in a circle via 'ring-b'",
    }


def test_an_alias_bomb_is_refused_quickly(project):
    write(project, "bomb.yaml", BOMB)
    start = time.perf_counter()
    assert any("aliases" in p.message for p in problems(project))
    assert time.perf_counter() - start < 1


def test_the_quick_validator_agrees_with_jsonschema():
    assert checking.fast_validator() is not None


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(
        ["", "x", "2024", "2024-03", "24-3", "funding", "confirmed", "p3", "p0", "../a", "a" * 301, "UPPER"]
    ),
    st.lists(st.sampled_from(["x", "", "2024", 3]), max_size=3),
    st.lists(
        st.fixed_dictionaries(
            {"article": st.sampled_from(["a", "", "../a", 1])},
            optional={"anchor": st.sampled_from(["p1", "x"]), "extra": st.just(1)},
        ),
        max_size=2,
    ),
    st.dictionaries(st.sampled_from(["a", "article"]), st.just("x"), max_size=2),
)
KEYS = st.sampled_from(
    [
        "id",
        "type",
        "status",
        "date",
        "title",
        "people",
        "sources",
        "redirect_to",
        "reviewed",
        "date_approximate",
        "other_dates",
        "note",
        "bogus",
        "distinct_from",
        "fingerprint",
    ]
)


@settings(max_examples=300, deadline=None)
@given(changes=st.dictionaries(KEYS, VALUES, max_size=4), drop=st.lists(KEYS, max_size=2))
def test_property_quick_validator_equals_jsonschema(changes, drop):
    data = {**yaml.safe_load(GOOD.format(id="x")), **changes}
    for key in drop:
        data.pop(key, None)
    assert checking.fast_validator()(data) == checking.validator().is_valid(data)


# ------------------------------------------------------------------ the command


def test_exit_codes_and_strict(project, monkeypatch):
    monkeypatch.chdir(project)
    write(project, "ok.yaml", good("ok"))
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    write(project, "warn.yaml", good("warn", **{"- 林海\n": "- 林海X\n"}))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "0 error(s), 1 warning(s)" in result.output
    assert CliRunner().invoke(main, ["check", "--strict"]).exit_code == 1
    write(project, "bad.yaml", good("bad", **{"type: departure": "type: nope"}))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and f"{project / 'events' / 'bad.yaml'}:2:7: error:" in result.output
    assert checking.main([str(project / "events")]) == 1


def test_the_committed_events_pass(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------ speed


def _many_events(project: Path, n: int) -> None:
    paras = [f"第{i}段：公司{i % 40}完成融资，创始人{i % 97}号离职。" for i in range(60)]
    (project / "articles" / "big.yaml").write_text(
        yaml.safe_dump({"paragraphs": paras}, allow_unicode=True), encoding="utf-8"
    )
    types = ("funding", "departure", "hire", "lawsuit", "price_cut", "acquisition")
    for i in range(n):
        d = {
            "id": f"2024-{i % 12 + 1:02d}-event-{i}",
            "type": types[i % 6],
            "date": f"20{10 + i % 14}-{i % 12 + 1:02d}",
            "date_text": "今年",
            "title": f"第{i}个事件",
            "people": [f"人物{i}"],
            "companies": ["甲公司", f"公司{i % 40}"],
            "amount": "1亿元",
            "sources": [
                {"article": "big", "anchor": f"p{i % 60 + 1}", "quote": paras[i % 60][:8]},
                {"article": "big", "anchor": "p1", "quote": paras[0][:6]},
            ],
        }
        (project / "events" / f"{d['id']}.yaml").write_text(store.dump(d), encoding="utf-8")


@pytest.mark.slow
def test_two_thousand_files_are_checked_in_under_two_seconds(project):
    _many_events(project, 2000)
    registry = checking.Registry.load(ROOT / "registry")
    times = []
    for _ in range(2):  # CPU time: other processes on a busy machine do not count
        start = time.process_time()
        found = checking.check_folder(project / "events", project, TODAY, registry=registry)
        times.append(time.process_time() - start)
    assert not [p for p in found if p.level == "error"], found[:3]
    print(f"check of 2,000 files: {min(times):.2f} s CPU")
    assert min(times) < 2.0


# ------------------------------------------------------------------ pre-commit


@pytest.mark.slow
def test_pre_commit_runs_the_check(project, tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".venv" / "bin" / "pre-commit").exists():
        pytest.skip("git or pre-commit not installed")
    shutil.copy(ROOT / ".pre-commit-config.yaml", project / ".pre-commit-config.yaml")
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / ".gitignore").write_text(".venv\n", encoding="utf-8")
    write(project, "ok.yaml", good("ok"))
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "pre-commit"), "run", "--all-files"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    git("init", "-q")
    git("add", "-A")
    done = pre_commit()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "timeline check" in done.stdout and "Passed" in done.stdout
    write(project, "bad.yaml", good("bad", **{"'2024-03'": "'2024-02-30'"}))
    git("add", "-A")
    done = pre_commit()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.yaml:3:7: error: date '2024-02-30' does not exist" in done.stdout
