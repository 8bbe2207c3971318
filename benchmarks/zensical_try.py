"""Try Zensical on a timeline project (docs/performance.md, "Zensical").

Zensical reads mkdocs.yml but does not run MkDocs hooks, so our generated pages
(builder/site_hooks.py) never appear. This script measures the way around that:
render the pages to Markdown files with ``builder.pages`` first, then let
Zensical build the plain docs folder.

    python3 -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zensical
    .venv/bin/python benchmarks/zensical_try.py PROJECT --zensical /tmp/zvenv/bin/zensical [--work DIR]

PROJECT is a folder with mkdocs.yml, docs/, events/, articles/, registry/ (the
repo itself, or one made by ``benchmarks/corpus.py --events N``). Nothing is
written into PROJECT: the pre-rendered copy goes to --work (a temporary folder
by default). Prints one JSON line: render seconds, zensical seconds, peak RSS,
pages written, HTML pages produced, the tail of Zensical's output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(os.environ.get("BENCH_CODE", str(REPO)))))

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--zensical", default="/tmp/zvenv/bin/zensical")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)

    from builder.pages import load_site_data, render_pages

    try:  # newer hooks: pages + feeds/exports (builder/sitebuild.py)
        from builder.sitebuild import build_site
    except ImportError:
        build_site = None

    tmp = None
    if args.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="zensical-try-")
        work = Path(tmp.name)
    else:
        work = args.work
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    try:
        t0 = time.perf_counter()
        data = load_site_data(args.project)
        if build_site is not None:
            built = build_site(data)
            pages, files = built.pages, built.files
        else:
            pages, files = render_pages(data), {}
        render_s = time.perf_counter() - t0
        shutil.copytree(args.project / "docs", work / "docs")
        for rel, text in {**pages, **files}.items():
            path = work / "docs" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        cfg = (args.project / "mkdocs.yml").read_text(encoding="utf-8")
        cfg = re.sub(r"(?m)^hooks:\n(?:[ \t]+-.*\n)+", "", cfg)  # nothing left to hook
        (work / "mkdocs.yml").write_text(cfg, encoding="utf-8")
        t1 = time.perf_counter()
        proc = subprocess.Popen(
            [args.zensical, "build", "--clean"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
        _pid, status, ru = os.wait4(proc.pid, 0)
        build_s = time.perf_counter() - t1
        site = work / "site"
        text = _ANSI.sub("", out)
        print(
            json.dumps(
                {
                    "render_s": render_s,
                    "pages_written": len(pages),
                    "zensical_s": build_s,
                    "zensical_cpu_s": ru.ru_utime + ru.ru_stime,
                    "zensical_rss_mb": ru.ru_maxrss / 1024,
                    "exit": os.waitstatus_to_exitcode(status),
                    "html_pages": sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0,
                    "search_json_bytes": sum(f.stat().st_size for f in site.glob("search*.json"))
                    if site.is_dir()
                    else 0,
                    "issues": len(re.findall(r"(?m)^(?:Warning|Error)", text)),
                    "output_tail": text.strip().splitlines()[-3:],
                },
                ensure_ascii=False,
            )
        )
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
