"""Where a scan's time goes, phase by phase (not part of ``make bench``).

    .venv/bin/python benchmarks/phases.py CORPUS JOBS first,again,add [EXTRA_ARTICLE_DIR]

Runs ``pipeline.scan`` of CORPUS into a fresh temporary project (the repo's
registry) once per label: ``first`` (empty project), ``again`` (nothing changed),
``add`` (CORPUS plus EXTRA_ARTICLE_DIR, e.g. one article made by
``benchmarks/corpus.py --articles 1 --seed 9999``), and prints wall and CPU
seconds of the main process for each phase. Corpora: ``benchmarks/corpus.py``.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder import cache as cachemod  # noqa: E402
from builder import memo as memomod  # noqa: E402
from builder import pipeline, store  # noqa: E402

TIMES: dict[str, tuple[float, float]] = {}


def _timed(owner, name: str, label: str) -> None:
    f = getattr(owner, name)

    @functools.wraps(f)
    def timed(*a, **k):
        t, c = time.perf_counter(), time.process_time()
        try:
            return f(*a, **k)
        finally:
            w0, c0 = TIMES.get(label, (0.0, 0.0))
            TIMES[label] = (w0 + time.perf_counter() - t, c0 + time.process_time() - c)

    setattr(owner, name, timed)


def _children() -> float:
    """CPU seconds of the finished child processes (pool workers, the record writer)."""
    t = os.times()
    return t.children_user + t.children_system


def main() -> None:
    corpus, jobs, labels = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
    extra = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    for owner, name, label in [
        (pipeline, "read_all", "per-article work"),
        (pipeline, "_merge", "merge"),
        (store, "predump", "event texts"),
        (store, "plan", "plan"),
        (store, "apply", "write events"),
        (pipeline, "write_articles", "write records"),
        (cachemod.ArticleCache, "save", "cache save"),
        (memomod.Memo, "save", "memo save"),
    ]:
        _timed(owner, name, label)
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    project = Path(tempfile.mkdtemp(prefix="phases-"))
    try:
        (project / "registry").symlink_to(ROOT / "registry")
        shutil.copy(ROOT / "mkdocs.yml", project)
        for label in labels:
            TIMES.clear()
            inputs = [corpus] + ([extra] if label == "add" and extra else [])
            t, c, kids = time.perf_counter(), time.process_time(), _children()
            report = pipeline.scan(
                inputs, project / "events", root=project, options=pipeline.ScanOptions(jobs=jobs)
            )
            wall, cpu, kids = time.perf_counter() - t, time.process_time() - c, _children() - kids
            print(f"{label}: {report.summary()}")
            print(
                f"  total             wall {wall:6.2f} s  cpu(main) {cpu:6.2f} s  {size / 1e6 / wall:.2f} MB/s"
                f"  cpu(workers) {kids:6.2f} s"
            )
            for name, (w, cp) in TIMES.items():
                print(f"  {name:17s} wall {w:6.2f} s  cpu(main) {cp:6.2f} s")
    finally:
        shutil.rmtree(project)


if __name__ == "__main__":
    main()
