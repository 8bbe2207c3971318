"""The command line: exact summaries, exit codes, messages, help with examples."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from conftest import ROOT


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A throw-away project: seeds, registry and config copied, no events yet."""
    for name in ("seeds", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_scan_into_missing_folder_prints_one_summary_line(project):
    result = run("scan", "seeds", "--events", "out/events")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"articles: 5 read, 0 skipped; events: \d+ new, 0 updated, 0 unchanged\n", result.output
    )
    assert len(list((project / "out" / "events").glob("*.yaml"))) >= 20
    assert (project / "out" / "articles").is_dir()


def test_scan_defaults_to_seeds_and_events(project):
    assert run("scan").exit_code == 0
    again = run("scan")
    assert re.search(r"events: 0 new, 0 updated, \d+ unchanged", again.output)


def test_dry_run_writes_nothing(project):
    result = run("scan", "--dry-run")
    assert "would be" in result.output and not (project / "events").exists()


def test_skipped_input_is_reported_with_exit_code_3(project):
    (project / "seeds" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 3
    assert "broken.txt" in result.output and "articles: 5 read, 1 skipped" in result.output


def test_check_passes_on_a_fresh_scan(project):
    run("scan")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("id: bad\ntype: merger\ndate: '2024'\ntitle: x\nsources: []\n", 2, "type"),
        ("id: bad\ntype: hire\ndate: '2024-13'\ntitle: x\nsources: []\n", 3, "date"),
        ("id: bad\ntype: hire\ndate: '2024'\ntitle: [unclosed\nsources: []\n", 5, ""),
    ],
)
def test_check_reports_path_line_message(project, content, line, message):
    (project / "events").mkdir()
    (project / "events" / "bad.yaml").write_text(content, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert re.match(rf".*events/bad\.yaml:{line}:\d+: error: .*{message}", first), result.output


@pytest.mark.parametrize("command", ["scan", "check", "build", "eval"])
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "timeline " in result.output


def test_eval_prints_the_score(project):
    run("scan")
    gold = ROOT / "tests" / "data" / "seeds-gold.yaml"
    result = run("eval", "--gold", str(gold), "--events", "events")
    assert result.exit_code == 0
    assert re.search(r"score: F1=0\.9\d+|score: F1=1\.0", result.output), result.output


def test_python_dash_m_works(project):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "builder", "--help"], capture_output=True, text=True, check=True
    )
    assert "scan" in out.stdout and "check" in out.stdout
