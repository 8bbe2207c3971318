"""Nothing lost: ``timeline scan`` killed with SIGKILL at random points, again and again.

A project holds the seed articles plus ~50 synthetic ones and three hand-edited
event files. Each round changes some articles (so the scan has real writes to
do), works out in-process what a complete scan would write ("new"), snapshots
the files ("old"), starts ``timeline scan`` in a subprocess and SIGKILLs it after
a seeded random delay, either at a random moment of the run or just after its
first write. Then every event and article file must parse and be byte-for-byte
the old or the new version (never a mix inside one file), the hand edits must
still be there, and temporary files a kill leaves must be gone after the next
complete run.

KILL_LOOP_RUNS (default 50) and KILL_LOOP_SEED change the loop; the figures
are printed (run with -s) and recorded in docs/reliability.md.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import synthetic
import yaml

from builder import pipeline
from conftest import ROOT

RUNS = int(os.environ.get("KILL_LOOP_RUNS", "50"))
SEED = int(os.environ.get("KILL_LOOP_SEED", "20240601"))
ARTICLES = 50
WATCHED = ("events", "articles")
EDITS = {  # how a person edits three generated files; each marker must survive every kill
    "title": ("title: ", "# 人工核对：标题改写\ntitle: 人工改写的标题 "),
    "note": ("sources:", "note: 人工备注，勿删\nsources:"),
    "reviewed": ("sources:", "reviewed: true\nsources:"),
}
MARKERS = {"title": "人工改写的标题", "note": "人工备注，勿删", "reviewed": "reviewed: true"}


def _snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for name in WATCHED:
        folder = root / name
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and not path.name.endswith(".tmp"):
                out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def _temps(root: Path) -> list[Path]:
    return sorted(p for name in WATCHED if (root / name).is_dir() for p in (root / name).rglob("*.tmp"))


def _reference(root: Path, scratch: Path) -> dict[str, bytes]:
    """What a complete scan from the current state writes (computed on a copy)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, symlinks=True)
    pipeline.scan([scratch / "seeds"], scratch / "events", root=scratch, options=pipeline.ScanOptions(jobs=1))
    return _snapshot(scratch)


def _write_corpus(root: Path, variants: list[int]) -> None:
    for i, v in enumerate(variants):
        path = root / "seeds" / f"syn_{i:03d}.txt"
        text = synthetic.article(i, v)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _run_and_kill(root: Path, rng: random.Random, typical: float) -> tuple[str, float]:
    """Start a scan, kill it; returns (how the kill was timed, seconds it ran)."""
    cmd = [sys.executable, "-m", "builder", "scan", "--jobs", "2"]
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if rng.random() < 0.4:  # anywhere in the run
            how = "random"
            deadline = start + rng.uniform(0.05, 1.1) * typical
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
        else:  # inside the write phase: right after the first temporary file appears
            how = "write"
            delay = 10 ** rng.uniform(-4, -0.8)  # 0.1 ms to 160 ms, log-uniform: short and long write phases
            while proc.poll() is None and not _temps(root) and time.monotonic() - start < 30:
                time.sleep(0.0005)
            time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        else:
            how += "-too-late"
        proc.wait(timeout=30)
    finally:
        try:  # worker processes of the killed scan (its own session): end them too
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return how, time.monotonic() - start


def _check(root: Path, old: dict[str, bytes], new: dict[str, bytes], edited: dict[str, str]) -> str:
    now = _snapshot(root)
    for rel, data in now.items():
        assert data in (old.get(rel), new.get(rel)), f"{rel} is neither the old nor the new version"
        if rel.endswith(".yaml"):
            assert isinstance(yaml.safe_load(data.decode("utf-8")), dict), rel
    for rel in set(old) & set(new):
        assert rel in now, f"{rel} vanished"
    for rel, kind in edited.items():
        assert MARKERS[kind] in now[rel].decode("utf-8"), f"hand edit lost in {rel}"
    if now == old:
        return "before-writes"
    if now == new:
        return "complete"
    return "mid-write"


@pytest.mark.slow
def test_scan_killed_at_random_points_loses_nothing(tmp_path):
    rng = random.Random(SEED)
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    shutil.copytree(ROOT / "registry", root / "registry")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for path in sorted((ROOT / "seeds").iterdir()):
        shutil.copy(path, root / "seeds" / path.name)
    variants = [0] * ARTICLES
    _write_corpus(root, variants)

    started = time.monotonic()
    first = subprocess.run(
        [sys.executable, "-m", "builder", "scan", "--jobs", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    typical = time.monotonic() - started
    assert first.returncode == 0, first.stderr

    edited: dict[str, str] = {}  # rel path -> kind of edit
    generated = sorted((root / "events").glob("*.yaml"))
    for kind, path in zip(EDITS, rng.sample(generated, len(EDITS)), strict=True):
        old, new = EDITS[kind]
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        edited[path.relative_to(root).as_posix()] = kind

    outcomes: dict[str, int] = {}
    timings: dict[str, int] = {}
    most_temps = 0
    for _ in range(RUNS):
        for i in rng.sample(range(ARTICLES), 8):  # some articles change every round
            variants[i] = (variants[i] + 1) % 3
        _write_corpus(root, variants)
        old = _snapshot(root)
        new = _reference(root, tmp_path / "reference")
        how, took = _run_and_kill(root, rng, typical)
        if how.endswith("too-late"):  # the run finished first: later runs (cached) are shorter than the first
            typical = (typical + took) / 2
        outcome = _check(root, old, new, edited)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        timings[how] = timings.get(how, 0) + 1
        most_temps = max(most_temps, len(_temps(root)))

    final = subprocess.run(
        [sys.executable, "-m", "builder", "scan", "--jobs", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert final.returncode == 0, final.stderr
    assert _snapshot(root) == _reference(root, tmp_path / "reference")  # converged: a re-scan changes nothing
    assert _temps(root) == [], "temporary files left after a complete run"
    cache_temps = sorted((root / ".cache").rglob("*.tmp")) if (root / ".cache").exists() else []
    for rel, kind in edited.items():
        assert MARKERS[kind] in (root / rel).read_text(encoding="utf-8")
    print(
        f"\nkill loop: {RUNS} runs, seed {SEED}, outcomes {outcomes}, kill timing {timings}, "
        f"most temp files after a kill {most_temps}, cache temp files left {len(cache_temps)}, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert outcomes.get("mid-write", 0) + outcomes.get("before-writes", 0) > 0
