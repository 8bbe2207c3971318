"""The ``timeline`` command line: a thin veneer over ``builder.pipeline``.

Exit codes: 0 success; 1 problems found (check/eval) or the build failed;
2 usage error; 3 the scan finished but some input was skipped (see its list).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import click

from . import pipeline
from .checking import check_folder
from .entities import RegistryError
from .executors import EXECUTORS, ExecutorError, default_jobs
from .store import StoreError

EXIT_SKIPPED = 3


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ai-timeline-builder")
def main() -> None:
    """Turn news articles about the AI industry into a cited timeline site."""


def _scan(paths: tuple[str, ...], events: str | None, options: pipeline.ScanOptions) -> pipeline.ScanReport:
    root = pipeline.find_root()
    targets = [Path(p) for p in paths] or [root / "seeds"]
    events_dir = Path(events) if events else root / "events"
    try:
        report = pipeline.scan(targets, events_dir, root=root, options=options)
    except (RegistryError, StoreError, ExecutorError) as e:
        _fail(str(e))
    for line in report.skipped:
        click.echo(f"skipped: {line}", err=True)
    if options.dry_run:
        for line in report.changes:
            click.echo(line)
    click.echo(report.summary())
    return report


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--events", "events", type=click.Path(file_okay=False), help="Event folder (default: events/).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="DESTRUCTIVE: rewrite hand-edited files from the scan "
    "(their status, note and reviewed values are kept; comments and other edits are lost).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for reading and extraction (default: all cores).",
)
@click.option(
    "--executor", type=click.Choice(EXECUTORS), default="local", help="Where the per-article work runs."
)
@click.option("--scheduler", help="Dask scheduler address for --executor dask (e.g. tcp://10.0.0.5:8786).")
@click.option("--no-cache", is_flag=True, help="Ignore the per-article cache in .cache/timeline.")
def scan(
    paths: tuple[str, ...],
    events: str | None,
    dry_run: bool,
    force: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    no_cache: bool,
) -> None:
    """Read articles, extract events, merge them into the event YAML files.

    PATHS are article files or folders (.txt, .md, .html); default: seeds/.
    Hand-edited event files keep every change; exit code 3 means some input
    was skipped (each skipped file is listed with its reason).

    \b
    Example:
      timeline scan                       # seeds/ -> events/
      timeline scan ~/news --events /tmp/e --jobs 2
      timeline scan ~/news --executor dask --scheduler tcp://10.0.0.5:8786
    """
    options = pipeline.ScanOptions(
        dry_run=dry_run,
        force=force,
        jobs=jobs or default_jobs(),
        executor=executor,
        scheduler=scheduler,
        cache=not no_cache,
    )
    report = _scan(paths, events, options)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.option("--events", "events", type=click.Path(file_okay=False), help="Event folder (default: events/).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(events: str | None, strict: bool) -> None:
    """Validate every event file; print problems as path:line:column: message.

    Exit 1 when there is an error (or a warning with --strict).

    \b
    Example:
      timeline check
      timeline check --events /tmp/e --strict
    """
    root = pipeline.find_root()
    folder = Path(events) if events else root / "events"
    problems = check_folder(folder, root, dt.date.today().isoformat())
    for p in problems:
        click.echo(str(p))
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s) in {folder}")
    if errors or (strict and warnings):
        sys.exit(1)


def _rejected(path: str) -> bool:
    """A file marked ``status: rejected`` never reaches the site, so its errors do not block it."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("status") == "rejected"


@main.command()
@click.option("--skip-scan", is_flag=True, help="Build from the committed events/ without scanning.")
@click.option("--strict/--no-strict", default=True, help="Fail on MkDocs warnings (default: on).")
def build(skip_scan: bool, strict: bool) -> None:
    """Scan seeds/, check the events, then build the site into site/.

    \b
    Example:
      timeline build
      timeline build --skip-scan
    """
    root = pipeline.find_root()
    if not skip_scan:
        _scan((), None, pipeline.ScanOptions(jobs=default_jobs()))
    problems = check_folder(root / "events", root, dt.date.today().isoformat())
    errors = [p for p in problems if p.level == "error" and not _rejected(p.path)]
    for p in errors:
        click.echo(str(p), err=True)
    if errors:
        _fail(f"{len(errors)} event file error(s); fix the files above, then build again")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean"] + (["--strict"] if strict else [])
    done = subprocess.run(cmd, cwd=root)
    if done.returncode:
        _fail("mkdocs build failed")
    click.echo(f"site built in {root / 'site'}")


@main.command()
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--full", is_flag=True, help="Rebuild every page on each change (plain `mkdocs serve`).")
def serve(dev_addr: str, full: bool) -> None:
    """Preview the site with live reload; an edit to an event shows in seconds.

    Runs `mkdocs serve --dirty`: the timeline hook then re-reads only the
    edited data files and re-renders only the pages they touch (see
    docs/how-it-works.md). Stop with Ctrl+C.

    \b
    Example:
      timeline serve
      timeline serve -a 0.0.0.0:8000
    """
    root = pipeline.find_root()
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr] + ([] if full else ["--dirty"])
    if os.name == "posix":  # become mkdocs: a signal that stops `timeline serve` stops the server
        os.chdir(root)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, cmd)
    try:
        code = subprocess.call(cmd, cwd=root)
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)


@main.command(name="eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold YAML file.")
@click.option("--events", "events", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("-v", "--verbose", is_flag=True, help="List misses, false positives and wrong dates.")
def eval_cmd(gold: str, events: str, verbose: bool) -> None:
    """Score event files against hand-checked gold events (same rules as score.py).

    \b
    Example:
      timeline eval --gold tests/data/seeds-gold.yaml --events events -v
    """
    from .evaluation import evaluate, format_report

    result = evaluate(Path(gold), Path(events))
    click.echo(format_report(result, verbose))


# Editing commands (builder/editing.py): timeline new, timeline merge.
from .editing import merge_command, new_command  # noqa: E402

main.add_command(new_command)
main.add_command(merge_command)
