"""Benchmarks for the scan and the site build; prints ONE table, writes benchmarks/results.json.

    make bench                                     # defaults: 20 MB corpus, sites of 1k and 3k events
    .venv/bin/python benchmarks/bench.py --corpus-mb 50 --site-sizes 1000,3000,10000
    .venv/bin/python benchmarks/bench.py --profile # also cProfile the scan -> benchmarks/profile.txt

What is measured (docs/performance.md explains the figures):

* scan: ``builder.pipeline.scan`` end to end (read, extract, merge, plan, write)
  on a seeded synthetic corpus (benchmarks/corpus.py) into a fresh temporary
  project, in a child process; wall and CPU seconds, MB/s (MB = 10^6 bytes of
  article files), peak RSS; and ``jieba.cut`` (HMM on) over the same decoded
  text in the same run, for the ratio;
* parallel: ``scan(..., jobs=2)`` vs ``jobs=1`` when ``scan`` has a ``jobs``
  parameter, else 'n/a';
* re-scan of the unchanged corpus into the same project (labelled 'cached'
  when a cache shows up in the project, else 'uncached');
* site: ``mkdocs build`` of a generated project (corpus.py --events N) in a
  child process: wall/CPU seconds, peak RSS, the hooks' share (the time of
  ``load_site_data`` + ``render_pages``, measured separately), the size of
  site/search/search_index.json;
* browser: when playwright and /usr/bin/chromium are there, the home page's
  first contentful paint and ``load`` time, and the time to apply a filter
  through ``#filter`` (if the page has one), from a loopback HTTP server.

The machine is shared and usually busy, so CPU seconds are the steadier
measure; wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.server
import importlib.util
import inspect
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# The benchmarks run a frozen copy of builder/ (made at start, see snapshot_code) so that
# edits landing in the work tree during a run cannot change the code or the cache key
# between two measurements. Children find it through BENCH_CODE / PYTHONPATH.
CODE = Path(os.environ.get("BENCH_CODE", str(REPO)))
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
TARGETS = {
    "scan_mb_s_per_core": 2.0,
    "scan_vs_jieba": 3.0,
    "rescan_10k_s": 5.0,
    "site_10k_s": 120.0,
    "site_10k_rss_mb": 2048.0,
}


# ----------------------------------------------------------------------------- child processes


def run_child(args: list[str], cwd: Path | None = None, timeout: float = 3600) -> dict:
    """Run a child; return wall/cpu seconds, peak RSS (MB) of that child alone, exit code, output."""
    t0 = time.perf_counter()
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    env = {**os.environ, "BENCH_CODE": str(CODE), "PYTHONPATH": str(CODE)}
    proc = subprocess.Popen(args, cwd=cwd, stdout=out_f, stderr=err_f, env=env)
    deadline = t0 + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    err_f.seek(0)
    return {
        "wall_s": wall,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "rss_mb": ru.ru_maxrss / 1024,  # KiB on Linux
        "rc": proc.returncode,
        "stdout": out_f.read().decode("utf-8", "replace"),
        "stderr": err_f.read().decode("utf-8", "replace"),
    }


def child_json(res: dict) -> dict:
    for line in reversed(res["stdout"].splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"child failed (exit {res['rc']}):\n{res['stderr'][-3000:]}")


def _cpu() -> float:
    return time.process_time()


def scan_api() -> dict:
    """What this checkout's ``scan`` offers: a jobs knob and a cache (either as keyword or in ScanOptions)."""
    import dataclasses

    from builder import pipeline

    params = list(inspect.signature(pipeline.scan).parameters)
    opts = getattr(pipeline, "ScanOptions", None)
    fields = [f.name for f in dataclasses.fields(opts)] if opts and "options" in params else []
    return {
        "params": params,
        "option_fields": fields,
        "jobs": "jobs" in params or "jobs" in fields,
        "cache": any("cache" in p for p in params + fields),
    }


def worker_scan(root: str, events: str, corpus: str, jobs: int | None) -> None:
    sys.path.insert(0, str(CODE))
    t_imp = time.perf_counter()
    from builder import pipeline

    imported = time.perf_counter() - t_imp
    api = scan_api()
    kwargs: dict = {}
    if jobs is not None and "jobs" in api["option_fields"]:
        kwargs["options"] = pipeline.ScanOptions(jobs=jobs)
    elif jobs is not None and "jobs" in api["params"]:
        kwargs["jobs"] = jobs
    t0, c0 = time.perf_counter(), _cpu()
    report = pipeline.scan(
        [Path(c) for c in corpus.split(os.pathsep)], Path(events), root=Path(root), **kwargs
    )
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    print(
        json.dumps(
            {
                "wall_s": wall,
                "cpu_s": cpu,
                "import_s": imported,
                "summary": report.summary(),
                "read": report.read,
                "skipped": len(report.skipped),
                "candidates": report.candidates,
                "cached": getattr(report, "cached", None),
                "events": len(report.events),
                "counts": report.counts,
                "kwargs": {k: repr(v) for k, v in kwargs.items()},
            }
        )
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def worker_jieba(corpus: str) -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # dictionary load is not part of the per-byte cost
    files = sorted(p for p in Path(corpus).iterdir() if p.suffix == ".txt")
    texts = [_decode(p.read_bytes()) for p in files]
    nbytes = sum(p.stat().st_size for p in files)
    t0, c0 = time.perf_counter(), _cpu()
    tokens = 0
    for t in texts:
        tokens += sum(1 for _ in jieba.cut(t, HMM=True))
    print(
        json.dumps(
            {"wall_s": time.perf_counter() - t0, "cpu_s": _cpu() - c0, "bytes": nbytes, "tokens": tokens}
        )
    )


REAL_ARTICLES = tuple(REPO / "tests" / "data" / d / "articles" for d in ("dev", "probe", "probe2")) + (
    REPO / "seeds",
)
REAL_WARMUP = 100  # synthetic articles processed first: imports and compiled rules, as in a long scan
REAL_COPIES = 25


def worker_real(out: str, warm: str | None = None) -> None:
    """Per-article work (read, clean, extract, record text) on the real articles in the
    repository (the dev set and the seeds), each copied ``REAL_COPIES`` times with one
    line of its own added (so no cache or memo can serve a copy), and ``jieba.cut`` over
    the same text in the same process. No merge: copies of one article would all merge.
    ``warm``: a folder of synthetic articles, ``REAL_WARMUP`` of which are processed
    first (lazy imports, compiled rules: the start-up a long scan spreads thin);
    their sentences are not those of the real articles, so no memo serves them."""
    import logging

    import jieba

    sys.path.insert(0, str(CODE))
    from builder import records, work
    from builder.rules import load_rules

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    originals = sorted(
        p for d in REAL_ARTICLES for p in d.iterdir() if p.is_file() and not p.name.startswith(".")
    )
    for n in range(REAL_COPIES):
        for p in originals:
            data = p.read_bytes().rstrip(b"\n") + f"\n\n副本 {n}\n".encode()
            (folder / f"{n:02d}-{p.stem}.txt").write_bytes(data)
    files = sorted(str(p) for p in folder.iterdir())
    nbytes = sum(os.path.getsize(f) for f in files)
    registry = str(REPO / "registry")
    work.registry(registry)
    load_rules()
    warmup = sorted(str(p) for p in Path(warm).glob("*.txt"))[:REAL_WARMUP] if warm else files[:1]
    if hasattr(work, "warm_up"):
        work.warm_up(registry)
    for f in warmup:
        records.process_with_record(f, registry, str(folder))  # lazy imports and tables
    t0, c0 = time.perf_counter(), _cpu()
    for f in files:
        records.process_with_record(f, registry, str(folder))
    scan_wall, scan_cpu = time.perf_counter() - t0, _cpu() - c0
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    texts = [_decode(Path(f).read_bytes()) for f in files]
    t0, c0 = time.perf_counter(), _cpu()
    for text in texts:
        for _ in jieba.cut(text, HMM=True):
            pass
    jieba_wall, jieba_cpu = time.perf_counter() - t0, _cpu() - c0
    print(
        json.dumps(
            {
                "articles": len(originals),
                "warmup": len(warmup),
                "copies": REAL_COPIES,
                "files": len(files),
                "bytes": nbytes,
                "wall_s": scan_wall,
                "cpu_s": scan_cpu,
                "mb_s_cpu": nbytes / 1e6 / scan_cpu,
                "jieba_cpu_s": jieba_cpu,
                "jieba_wall_s": jieba_wall,
                "jieba_mb_s_cpu": nbytes / 1e6 / jieba_cpu,
                "vs_jieba": jieba_cpu / scan_cpu,
            }
        )
    )


def worker_hooks(root: str) -> None:
    """Time what the MkDocs hook (builder/site_hooks.py on_files) does, stage by stage, outside MkDocs."""
    sys.path.insert(0, str(CODE))
    from builder import pages

    t0, c0 = time.perf_counter(), _cpu()
    data = pages.load_site_data(Path(root))
    t1, c1 = time.perf_counter(), _cpu()
    words = pages.search_words(data)
    spec = importlib.util.spec_from_file_location("site_hooks_bench", CODE / "builder" / "site_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    jieba_init = 0.0
    try:  # loading jieba's dictionary is the search plugin's cost (it segments every page), not ours
        import jieba

        ji = _cpu()
        jieba.initialize()
        jieba_init = _cpu() - ji
    except ImportError:
        pass
    t1b, c1b = time.perf_counter(), _cpu()
    hooks.add_search_words(words)
    t2, c2 = time.perf_counter(), _cpu()
    rendered = pages.render_pages(data)
    t3, c3 = time.perf_counter(), _cpu()
    out = {
        "load_wall_s": t1 - t0,
        "load_cpu_s": c1 - c0,
        "words_wall_s": t2 - t1b,
        "words_cpu_s": c2 - c1b,
        "jieba_init_cpu_s": jieba_init,
        "render_wall_s": t3 - t2,
        "render_cpu_s": c3 - c2,
        "pages": len(rendered),
        "markdown_bytes": sum(len(v.encode()) for v in rendered.values()),
        "events": len(data.events),
        "articles": len(data.articles),
    }
    # Newer hooks call sitebuild.build_site (pages + feeds + exports + <head> extras): time that too.
    if importlib.util.find_spec("builder.sitebuild") is not None:
        from builder.sitebuild import build_site

        t4, c4 = time.perf_counter(), _cpu()
        site = build_site(data)
        out.update(
            build_site_wall_s=time.perf_counter() - t4,
            build_site_cpu_s=_cpu() - c4,
            generated_files=len(site.files),
        )
    hook_render = max(out["render_cpu_s"], out.get("build_site_cpu_s", 0.0))
    out["hook_cpu_s"] = out["load_cpu_s"] + out["words_cpu_s"] + hook_render
    print(json.dumps(out))


def _profile_rows(stats_file: str, code: Path) -> dict:
    import pstats

    st = pstats.Stats(stats_file)
    rows = []
    for (file, line, name), (_cc, nc, tt, ct, _callers) in st.stats.items():
        rows.append({"file": file, "line": line, "func": name, "calls": nc, "tottime": tt, "cumtime": ct})
    builder_dir = str(code / "builder")
    ours = sorted((r for r in rows if r["file"].startswith(builder_dir)), key=lambda r: -r["cumtime"])
    return {
        "total_s": st.total_tt,
        "builder_cumulative": ours[:40],
        "self_time": sorted(rows, key=lambda r: -r["tottime"])[:40],
        "cumulative": sorted(rows, key=lambda r: -r["cumtime"])[:60],
    }


def worker_profile(root: str, events: str, corpus: str, out: str) -> None:
    """cProfile a first scan (empty project), then a re-scan of the unchanged corpus (cache warm)."""
    import cProfile

    sys.path.insert(0, str(CODE))
    from builder.pipeline import scan

    result = {}
    for label in ("first", "rescan"):
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        scan([Path(corpus)], Path(events), root=Path(root))
        prof.disable()
        wall = time.perf_counter() - t0
        prof.dump_stats(f"{out}-{label}.prof")
        result[label] = {"wall_s": wall, **_profile_rows(f"{out}-{label}.prof", CODE)}
    print(json.dumps(result))


# ----------------------------------------------------------------------------- projects


def make_project(folder: Path) -> Path:
    """A project folder that uses this repo's builder, mkdocs.yml, docs/ and (by default) registry/."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.rmtree(folder / "docs", ignore_errors=True)
    shutil.copytree(REPO / "docs", folder / "docs")
    link = folder / "builder"  # mkdocs.yml: hooks: [builder/site_hooks.py]
    if link.is_symlink() and link.resolve() != (CODE / "builder").resolve():
        link.unlink()
    elif link.exists() and not link.is_symlink():  # a copy left by an older run: stale code
        shutil.rmtree(link) if link.is_dir() else link.unlink()
    if not link.exists():
        link.symlink_to(CODE / "builder")
    return folder


def _short(file: str) -> str:
    for marker in ("site-packages/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def snapshot_code(work: Path) -> dict:
    """Copy builder/ to WORK/code/builder and point CODE at it; returns its digest and git state."""
    global CODE
    import hashlib

    dest = work / "code"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO / "builder", dest / "builder", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    h = hashlib.sha256()
    for f in sorted((dest / "builder").rglob("*")):
        if f.is_file():
            h.update(f.relative_to(dest).as_posix().encode())
            h.update(f.read_bytes())
    CODE = dest
    os.environ["BENCH_CODE"] = str(dest)
    return {"snapshot": str(dest), "builder_digest": h.hexdigest()[:16]}


def cache_paths(folder: Path) -> list[str]:
    found = []
    for dirpath, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d not in ("builder", "registry", "docs", "site")]
        for name in dirs + files:
            if "cache" in name.lower():
                found.append(os.path.relpath(os.path.join(dirpath, name), folder))
    return found


def corpus(work: Path, mb: float, seed: int, articles: int | None = None) -> tuple[Path, dict]:
    """A seeded corpus of ``articles`` articles (or of ``mb`` MB when articles is None)."""
    size = ["--articles", str(articles)] if articles else ["--mb", str(mb)]
    out = work / (f"corpus-{articles}a-seed{seed}" if articles else f"corpus-{mb:g}mb-seed{seed}")
    manifest = out / ".manifest.yaml"
    if not manifest.is_file():
        shutil.rmtree(out, ignore_errors=True)
        res = run_child([PY, str(HERE / "corpus.py"), "--out", str(out), *size, "--seed", str(seed)])
        if res["rc"]:
            raise RuntimeError(res["stderr"])
    import yaml

    return out, yaml.safe_load(manifest.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- benchmarks


def bench_scan(work: Path, mb: float, seed: int, log, articles: int | None = None) -> dict:
    corp, man = corpus(work, mb, seed, articles)
    nbytes, narticles = man["bytes"], man["articles"]
    log(f"corpus: {narticles} articles, {nbytes / 1e6:.1f} MB ({corp})")
    sys.path.insert(0, str(CODE))
    api = scan_api()
    has_jobs = api["jobs"]
    out: dict = {"corpus": {"path": str(corp), **man}, "scan_api": api}

    proj = make_project(work / "scan-project")
    for sub in ("events", "articles"):
        shutil.rmtree(proj / sub, ignore_errors=True)
    if not (proj / "registry").exists():
        (proj / "registry").symlink_to(REPO / "registry")
    for c in cache_paths(proj):
        p = proj / c
        shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)

    def scan_child(events: Path, jobs: int | None, project: Path = proj, inputs: str = str(corp)) -> dict:
        args = [PY, str(HERE / "bench.py"), "_scan", str(project), str(events), inputs]
        if jobs is not None:
            args += ["--jobs", str(jobs)]
        res = run_child(args, cwd=project)
        inner = child_json(res)
        inner.update(rss_mb=res["rss_mb"], process_wall_s=res["wall_s"], process_cpu_s=res["cpu_s"])
        inner["mb_s_wall"] = nbytes / 1e6 / inner["wall_s"]
        # with a process pool the workers' CPU is only in the child's rusage (waited-for grandchildren)
        inner["mb_s_cpu"] = nbytes / 1e6 / (inner["process_cpu_s"] if (jobs or 1) > 1 else inner["cpu_s"])
        return inner

    log("scan (first, into an empty project) ...")
    first = scan_child(proj / "events", 1 if has_jobs else None)
    log(f"  {first['summary']}  wall {first['wall_s']:.1f}s cpu {first['cpu_s']:.1f}s")
    out["scan"] = first

    log("jieba.cut (HMM) over the same text ...")
    jb = child_json(run_child([PY, str(HERE / "bench.py"), "_jieba", str(corp)]))
    jb["mb_s_wall"] = jb["bytes"] / 1e6 / jb["wall_s"]
    jb["mb_s_cpu"] = jb["bytes"] / 1e6 / jb["cpu_s"]
    out["jieba"] = jb
    out["scan_vs_jieba_cpu"] = first["mb_s_cpu"] / jb["mb_s_cpu"]
    out["scan_vs_jieba_wall"] = first["mb_s_wall"] / jb["mb_s_wall"]
    log(f"  jieba {jb['mb_s_cpu']:.2f} MB/s cpu; scan/jieba = {out['scan_vs_jieba_cpu']:.2f}x")

    log("per-article work and jieba.cut on the repository's real articles ...")
    real_dir = work / "real-articles"
    shutil.rmtree(real_dir, ignore_errors=True)
    real = child_json(run_child([PY, str(HERE / "bench.py"), "_real", str(real_dir), str(corp)]))
    out["real"] = real
    log(
        f"  {real['mb_s_cpu']:.2f} MB/s cpu; jieba {real['jieba_mb_s_cpu']:.2f}; ratio {real['vs_jieba']:.2f}x"
    )

    log("re-scan of the unchanged corpus ...")
    again = scan_child(proj / "events", 1 if has_jobs else None)
    caches = cache_paths(proj)
    n_cached = again.get("cached")  # ScanReport.cached: articles served from the cache
    again["cached_articles"] = n_cached if isinstance(n_cached, int) else None
    again["cached"] = bool(n_cached) if isinstance(n_cached, int) else bool(caches)
    again["cache_paths"] = caches
    again["per_10k_articles_s"] = again["wall_s"] * 10_000 / max(1, narticles)
    again["per_10k_articles_cpu_s"] = again["cpu_s"] * 10_000 / max(1, narticles)
    log(f"  {again['summary']}  wall {again['wall_s']:.1f}s ({'cached' if again['cached'] else 'uncached'})")
    out["rescan"] = again

    log("re-scan with one new article ...")
    extra = work / f"extra-article-seed{seed}"
    if not extra.is_dir():
        made = run_child(
            [PY, str(HERE / "corpus.py"), "--out", str(extra), "--articles", "1", "--seed", "9999"]
        )
        if made["rc"]:
            raise RuntimeError(made["stderr"])
    plus = scan_child(proj / "events", 1 if has_jobs else None, inputs=f"{corp}{os.pathsep}{extra}")
    plus["one_article_first_scan_s"] = first["wall_s"] / max(1, narticles)
    log(f"  {plus['summary']}  wall {plus['wall_s']:.2f}s")
    out["add_one"] = plus

    if has_jobs:
        log("scan --jobs 2 (fresh events folder) ...")
        ev2 = work / "scan-project-jobs2" / "events"
        shutil.rmtree(ev2.parent, ignore_errors=True)
        make_project(ev2.parent)
        (ev2.parent / "registry").symlink_to(REPO / "registry")
        two = scan_child(ev2, 2, ev2.parent)
        out["jobs2"] = two
        out["jobs_speedup"] = first["wall_s"] / two["wall_s"]
        log(f"  jobs 2: wall {two['wall_s']:.1f}s; speed-up {out['jobs_speedup']:.2f}x")
    else:
        out["jobs2"] = None
        out["jobs_speedup"] = None
    return out


def _profile_lines(title: str, data: dict, limit: int = 30) -> list[str]:
    lines = [
        title,
        "",
        "Top builder/ functions by cumulative time:",
        f"{'cumtime':>9} {'tottime':>9} {'calls':>10}  function",
    ]
    for r in data["builder_cumulative"][:limit]:
        rel = os.path.relpath(r["file"], CODE)
        lines.append(
            f"{r['cumtime']:9.2f} {r['tottime']:9.2f} {r['calls']:10d}  {rel}:{r['line']}({r['func']})"
        )
    lines += [
        "",
        "Top functions by self time (any module):",
        f"{'tottime':>9} {'cumtime':>9} {'calls':>10}  function",
    ]
    for r in data["self_time"][:limit]:
        rel = os.path.relpath(r["file"], CODE) if r["file"].startswith(str(CODE)) else _short(r["file"])
        lines.append(
            f"{r['tottime']:9.2f} {r['cumtime']:9.2f} {r['calls']:10d}  {rel}:{r['line']}({r['func']})"
        )
    return lines + [""]


def bench_profile(work: Path, mb: float, seed: int, log) -> dict:
    corp, man = corpus(work, mb, seed)
    proj = make_project(work / "profile-project")
    for sub in ("events", "articles", ".cache"):
        shutil.rmtree(proj / sub, ignore_errors=True)
    if not (proj / "registry").exists():
        (proj / "registry").symlink_to(REPO / "registry")
    log(
        f"cProfile of scan (first + cached re-scan) on {man['articles']} articles, {man['bytes'] / 1e6:.1f} MB ..."
    )
    prof_base = str(work / "scan")
    res = run_child(
        [PY, str(HERE / "bench.py"), "_profile", str(proj), str(proj / "events"), str(corp), prof_base],
        cwd=proj,
    )
    data = child_json(res)
    data["corpus"] = man
    head = f"{man['articles']} articles, {man['bytes'] / 1e6:.1f} MB, seed {seed}"
    lines = _profile_lines(
        f"== cProfile of builder.pipeline.scan, first scan: {head}; "
        f"{data['first']['wall_s']:.1f} s wall under the profiler",
        data["first"],
    )
    lines += _profile_lines(
        f"== cProfile of builder.pipeline.scan, re-scan of the unchanged corpus (cache warm): "
        f"{head}; {data['rescan']['wall_s']:.1f} s wall under the profiler",
        data["rescan"],
    )
    (HERE / "profile.txt").write_text("\n".join(lines), encoding="utf-8")
    log(f"  wrote {HERE / 'profile.txt'}")
    return data


def site_project(work: Path, n: int, seed: int, entities: int, log) -> Path:
    """The generated site project of ``n`` events (made once per work folder), ready to build."""
    proj = work / f"site-{n}-seed{seed}"
    if not (proj / ".manifest.yaml").is_file():
        shutil.rmtree(proj, ignore_errors=True)
        log(f"generating a project with {n} events ...")
        args = ["--out", str(proj), "--events", str(n), "--seed", str(seed), "--entities", str(entities)]
        res = run_child([PY, str(HERE / "corpus.py"), *args])
        if res["rc"]:
            raise RuntimeError(res["stderr"])
    make_project(proj)
    return proj


def bench_profile_site(work: Path, n: int, seed: int, entities: int, log) -> dict:
    """cProfile of `mkdocs build` on the generated project of ``n`` events (appends to profile.txt)."""
    proj = site_project(work, n, seed, entities, log)
    log(f"cProfile of mkdocs build, {n} events ...")
    stats = str(work / f"site-{n}.prof")
    res = run_child([PY, "-m", "cProfile", "-o", stats, "-m", "mkdocs", "build", "--clean"], cwd=proj)
    if res["rc"]:
        raise RuntimeError(f"mkdocs build failed under cProfile:\n{res['stderr'][-3000:]}")
    data = _profile_rows(stats, CODE)
    lines = [
        f"== cProfile of `mkdocs build`, {n} events: {res['wall_s']:.1f} s wall under the profiler",
        "",
        "Top functions by cumulative time (any module):",
        f"{'cumtime':>9} {'tottime':>9} {'calls':>10}  function",
    ]
    for r in data["cumulative"][:60]:
        rel = os.path.relpath(r["file"], CODE) if r["file"].startswith(str(CODE)) else _short(r["file"])
        lines.append(
            f"{r['cumtime']:9.2f} {r['tottime']:9.2f} {r['calls']:10d}  {rel}:{r['line']}({r['func']})"
        )
    lines += [
        "",
        "Top functions by self time (any module):",
        f"{'tottime':>9} {'cumtime':>9} {'calls':>10}  function",
    ]
    for r in data["self_time"][:30]:
        rel = os.path.relpath(r["file"], CODE) if r["file"].startswith(str(CODE)) else _short(r["file"])
        lines.append(
            f"{r['tottime']:9.2f} {r['cumtime']:9.2f} {r['calls']:10d}  {rel}:{r['line']}({r['func']})"
        )
    with open(HERE / "profile.txt", "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return {"events": n, "wall_s": res["wall_s"], **data}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - silence
        pass


@contextlib.contextmanager
def serve(folder: Path):
    handler = partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and importlib.util.find_spec("playwright") is not None


_FILTER_JS = """async ([name, value]) => {
  // the timeline's filter form (#tl-filters): set one field, time until the results are painted
  const form = document.querySelector('#tl-filters');
  if (!form) return null;
  const field = form.elements.namedItem(name);
  if (!field) return null;
  if (!value && field.tagName === 'SELECT') value = field.options[Math.min(1, field.options.length - 1)].value;
  const t0 = performance.now();
  field.value = value;
  field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
  const handled = performance.now() - t0;           // the synchronous filter + render pass
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const painted = performance.now() - t0;
  const shown = document.querySelectorAll('#tl-results .tl-entry').length;
  const status = (form.querySelector('.tl-filter-status') || {}).textContent || '';
  field.value = '';
  field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return {field: name, value: value, handler_ms: handled, to_paint_ms: painted, rendered: shown, status: status};
}"""

_TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const data = performance.getEntriesByType('resource').filter(r => r.name.includes('/timeline/data/'));
  return {load_ms: nav ? nav.loadEventEnd : null, dcl_ms: nav ? nav.domContentLoadedEventEnd : null,
          fp_ms: paint['first-paint'] ?? null, fcp_ms: paint['first-contentful-paint'] ?? null,
          html_bytes: nav ? (nav.transferSize || nav.encodedBodySize) : null,
          dom_nodes: document.getElementsByTagName('*').length,
          data_files: data.length, data_bytes: data.reduce((a, r) => a + (r.transferSize || r.encodedBodySize || 0), 0)};
}"""


def bench_browser(site: Path, term: str, company: str = "") -> dict:
    """Home page: first screen (FCP, `load`), then the lazily loaded data; filters until painted."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            t0 = time.perf_counter()
            page.goto(url, wait_until="load", timeout=120_000)
            out["goto_load_s"] = time.perf_counter() - t0
            out.update(page.evaluate(_TIMING_JS))
            out["has_filter"] = page.query_selector("#tl-filters") is not None
            if out["has_filter"]:
                page.wait_for_selector("#tl-filters[data-ready='1']", timeout=120_000)
                out["data_ready_ms"] = page.evaluate("performance.now()")
                out.update({k: v for k, v in page.evaluate(_TIMING_JS).items() if k.startswith("data_")})
                runs = [
                    page.evaluate(_FILTER_JS, ["type", ""]),
                    page.evaluate(_FILTER_JS, ["company", company]),
                    page.evaluate(_FILTER_JS, ["from", ""]),
                    page.evaluate(_FILTER_JS, ["q", term]),
                ]
                out["filters"] = [r for r in runs if r]
                out["filter_ms"] = max(r["to_paint_ms"] for r in out["filters"]) if out["filters"] else None
                # a filtered view opened from its URL: until the results are painted
                t1 = time.perf_counter()
                page.goto(url + "?type=funding", wait_until="load")
                page.wait_for_selector("#tl-results .tl-entry", timeout=120_000)
                out["filtered_url_s"] = time.perf_counter() - t1
            else:
                out["filter_ms"] = None
        finally:
            browser.close()
    return out


def bench_site(
    work: Path, n: int, seed: int, entities: int, browser: bool, log, serve_edit: bool = False
) -> dict:
    proj = site_project(work, n, seed, entities, log)
    manifest = proj / ".manifest.yaml"
    import yaml

    man = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    shutil.rmtree(proj / "site", ignore_errors=True)
    log(f"mkdocs build: {n} events, {man['articles']} articles, {man['entities']} entities ...")
    res = run_child([PY, "-m", "mkdocs", "build", "--clean"], cwd=proj)
    if res["rc"]:
        raise RuntimeError(f"mkdocs build failed:\n{res['stderr'][-3000:]}")
    warnings = sum(1 for line in res["stderr"].splitlines() if line.startswith("WARNING"))
    index = proj / "site" / "search" / "search_index.json"
    site_bytes = sum(f.stat().st_size for f in (proj / "site").rglob("*") if f.is_file())
    html_pages = sum(1 for _ in (proj / "site").rglob("*.html"))
    hooks = child_json(run_child([PY, str(HERE / "bench.py"), "_hooks", str(proj)], cwd=proj))
    builder_cpu = hooks["hook_cpu_s"]
    builder_wall = (
        hooks["load_wall_s"]
        + hooks["words_wall_s"]
        + max(hooks["render_wall_s"], hooks.get("build_site_wall_s", 0.0))
    )
    home = proj / "site" / "index.html"
    data_dir = proj / "site" / "timeline" / "data"
    out = {
        "events": n,
        "home_bytes": home.stat().st_size if home.is_file() else None,
        "data_bytes": sum(f.stat().st_size for f in data_dir.glob("*.json")) if data_dir.is_dir() else None,
        **{f"gen_{k}": v for k, v in man.items()},
        "wall_s": res["wall_s"],
        "cpu_s": res["cpu_s"],
        "rss_mb": res["rss_mb"],
        "warnings": warnings,
        "search_index_bytes": index.stat().st_size if index.is_file() else None,
        "site_bytes": site_bytes,
        "html_pages": html_pages,
        "hooks": hooks,
        "builder_share_cpu": builder_cpu / res["cpu_s"],
        "builder_share_wall": builder_wall / res["wall_s"],
    }
    log(
        f"  wall {res['wall_s']:.1f}s cpu {res['cpu_s']:.1f}s rss {res['rss_mb']:.0f} MB; "
        f"builder {out['builder_share_cpu']:.0%}; index {out['search_index_bytes'] or 0:,} B"
    )
    if browser:
        try:
            term = _some_company(proj)
            out["browser"] = bench_browser(proj / "site", term, _popular_company(proj))
            log(f"  browser: {out['browser']}")
        except Exception as e:  # a browser problem must not lose the other figures
            out["browser"] = {"error": f"{type(e).__name__}: {e}"}
            log(f"  browser failed: {e}")
    else:
        out["browser"] = None
    if serve_edit:
        try:
            out["serve"] = bench_serve(proj, log)
        except Exception as e:  # keep the other figures
            out["serve"] = {"error": f"{type(e).__name__}: {e}"}
            log(f"  serve failed: {e}")
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def bench_serve(proj: Path, log, edits: int = 2, dirty: bool = True) -> dict:
    """The edit loop: `mkdocs serve --dirty` (what `timeline serve` runs) on the project; edit one
    event's title, poll the served month page until the new title shows. Seconds per edit."""
    import yaml

    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    env = {**os.environ, "BENCH_CODE": str(CODE), "PYTHONPATH": str(CODE), "NO_MKDOCS_2_WARNING": "1"}
    log_file = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=proj, stdout=log_file, stderr=log_file, env=env)
    out: dict = {"dirty": dirty}
    try:
        while _fetch(base) is None:
            if proc.poll() is not None or time.perf_counter() - t0 > 900:
                log_file.seek(0)
                raise RuntimeError("serve did not come up:\n" + log_file.read().decode()[-3000:])
            time.sleep(0.5)
        out["first_build_s"] = time.perf_counter() - t0
        time.sleep(2.0)  # let the watcher settle
        files = sorted((proj / "events").glob("*.yaml"))
        victim = next(
            f for f in files[len(files) // 2 :] if "status: rejected" not in f.read_text(encoding="utf-8")
        )
        original = victim.read_text(encoding="utf-8")
        data = yaml.safe_load(original)
        date = str(data.get("date") or "")
        month = (
            f"timeline/{date[:4]}/{date[5:7] if len(date) >= 7 else '00'}/" if date else "timeline/undated/"
        )
        seconds = []
        for i in range(edits):
            marker = f"（已编辑{i + 1}）"
            lines = [
                (ln + marker if ln.startswith("title:") and not ln.endswith(("'", '"')) else ln)
                for ln in original.splitlines()
            ]
            t1 = time.perf_counter()
            victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
            while True:
                page = _fetch(base + month)
                if page and marker in page:
                    break
                if time.perf_counter() - t1 > 600:
                    raise RuntimeError("the edit never showed up")
                time.sleep(0.1)
            seconds.append(time.perf_counter() - t1)
            time.sleep(1.5)
        victim.write_text(original, encoding="utf-8")
        out.update(edit_s=seconds, edit_max_s=max(seconds), page=month, event=victim.name)
        log(
            f"  serve: first build {out['first_build_s']:.1f} s; edit shown after {', '.join(f'{x:.2f}' for x in seconds)} s"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def _popular_company(proj: Path) -> str:
    """Slug of the company with the most events (the heaviest company filter)."""
    data = json.loads((proj / "site" / "timeline" / "data" / "entities.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for f in (proj / "site" / "timeline" / "data").glob("[0-9]*.json"):
        for r in json.loads(f.read_text(encoding="utf-8")):
            for slug in r[7]:
                counts[slug] = counts.get(slug, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else next(iter(data.get("company", {})), "")


def _some_company(proj: Path) -> str:
    import yaml

    items = yaml.safe_load((proj / "registry" / "companies.yaml").read_text(encoding="utf-8")) or []
    return str(items[0]["name"]) if items else "AI"


# ----------------------------------------------------------------------------- report


def fmt_s(x: float | None) -> str:
    return "n/a" if x is None else (f"{x:.2f} s" if x < 10 else f"{x:.1f} s")


def table(r: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []  # benchmark, input, result, target
    s = r.get("scan")
    if s:
        sc, jb, man = s["scan"], s["jieba"], s["corpus"]
        inp = f"{man['bytes'] / 1e6:.1f} MB, {man['articles']:,} articles"
        rows.append(
            (
                "scan throughput (end to end)",
                inp,
                f"{sc['mb_s_cpu']:.2f} MB/s per CPU-s; {sc['mb_s_wall']:.2f} MB/s wall "
                f"({fmt_s(sc['wall_s'])} wall, {fmt_s(sc['cpu_s'])} CPU, peak RSS {sc['rss_mb']:.0f} MB; "
                f"{sc['candidates']:,} mentions -> {sc['events']:,} events)",
                f">= {TARGETS['scan_mb_s_per_core']} MB/s per core",
            )
        )
        rows.append(
            (
                "scan / jieba.cut (HMM) ratio",
                "same text",
                f"{s['scan_vs_jieba_cpu']:.2f}x (jieba {jb['mb_s_cpu']:.2f} MB/s CPU, {jb['mb_s_wall']:.2f} wall)",
                f">= {TARGETS['scan_vs_jieba']:g}x",
            )
        )
        if s.get("real"):
            rl = s["real"]
            rows.append(
                (
                    "per-article work, real articles",
                    f"{rl['bytes'] / 1e6:.1f} MB: {rl['articles']} dev/seed articles x {rl['copies']}",
                    f"{rl['mb_s_cpu']:.2f} MB/s per CPU-s; {rl['vs_jieba']:.2f}x jieba.cut "
                    f"({rl['jieba_mb_s_cpu']:.2f} MB/s) on the same text (no merge or writes)",
                    f">= {TARGETS['scan_mb_s_per_core']} MB/s, >= {TARGETS['scan_vs_jieba']:g}x",
                )
            )
        if s["jobs_speedup"] is None:
            rows.append(
                ("scan --jobs 2 vs --jobs 1", inp, "n/a (scan() has no jobs parameter)", "~2x on 2 cores")
            )
        else:
            rows.append(
                (
                    "scan --jobs 2 vs --jobs 1",
                    inp,
                    f"{s['jobs_speedup']:.2f}x ({fmt_s(s['jobs2']['wall_s'])} vs {fmt_s(sc['wall_s'])} wall)",
                    ">= 1.7x on 2 cores",
                )
            )
        rs = s["rescan"]
        label = "cached" if rs["cached"] else "uncached"
        rows.append(
            (
                f"re-scan unchanged corpus ({label})",
                inp,
                f"{fmt_s(rs['wall_s'])} wall in scan(), {fmt_s(rs['process_wall_s'])} for the whole process, "
                f"{fmt_s(rs['cpu_s'])} CPU (= {rs['per_10k_articles_s']:.1f} s "
                f"per 10k articles); {rs['summary'].split('; ')[-1]}",
                f"<= {TARGETS['rescan_10k_s']:g} s per 10k articles",
            )
        )
        if s.get("add_one"):
            ad = s["add_one"]
            rows.append(
                (
                    "re-scan with one new article",
                    inp + " + 1",
                    f"{fmt_s(ad['wall_s'])} wall ({fmt_s(ad['process_wall_s'])} process); one article's share "
                    f"of the first scan: {ad['one_article_first_scan_s'] * 1000:.0f} ms; {ad['summary'].split('; ')[-1]}",
                    "about that article's own work",
                )
            )
    for site in r.get("sites", []):
        h = site["hooks"]
        b = site.get("browser")
        if b is None:
            btxt = "browser n/a"
        elif "error" in b:
            btxt = f"browser error ({b['error'][:60]})"
        else:
            f = b.get("filter_ms")
            btxt = (
                f"home FCP {b['fcp_ms'] or 0:.0f} ms, load {b['load_ms'] or 0:.0f} ms "
                f"({(b.get('html_bytes') or 0) / 1e6:.2f} MB, {b.get('dom_nodes') or 0:,} DOM nodes), "
                f"data ready {b.get('data_ready_ms') or 0:.0f} ms ({(b.get('data_bytes') or 0) / 1e6:.1f} MB), "
                f"filter {'n/a (no filter UI)' if f is None else f'{f:.0f} ms'} (slowest of type/company/year/text)"
            )
        sv = site.get("serve")
        if sv and "error" not in sv:
            btxt += f"; serve --dirty edit shown after {sv['edit_max_s']:.1f} s"
        elif sv:
            btxt += f"; serve error ({sv['error'][:60]})"
        target = (
            (f"<= {TARGETS['site_10k_s']:g} s, <= 2 GB at 10k")
            if site["events"] >= 10_000
            else "(10k: <= 120 s, <= 2 GB)"
        )
        rows.append(
            (
                f"site build (mkdocs build) {site['events']:,} events",
                f"{site['gen_articles']:,} articles, {site['gen_entities']:,} entities",
                f"{fmt_s(site['wall_s'])} wall, {fmt_s(site['cpu_s'])} CPU, peak RSS {site['rss_mb']:.0f} MB; "
                f"builder share {site['builder_share_cpu']:.0%} (load {h['load_cpu_s']:.1f} s + render "
                f"{h['render_cpu_s']:.1f} s{_extra(h)} CPU); search index {site['search_index_bytes'] / 1e6:.1f} MB; "
                f"{site['html_pages']:,} pages; {btxt}",
                target,
            )
        )
    w = [max(len(x[i]) for x in rows + [("benchmark", "input", "result", "target")]) for i in range(4)]
    head = ("benchmark", "input", "result", "target")
    lines = [
        "| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |",
        "|" + "|".join("-" * (w[i] + 2) for i in range(4)) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(row)) + " |" for row in rows]
    return "\n".join(lines)


def _extra(h: dict) -> str:
    parts = []
    if h.get("words_cpu_s", 0) >= 0.05:
        parts.append(f"jieba words {h['words_cpu_s']:.1f} s")
    if "build_site_cpu_s" in h:
        parts.append(f"build_site {h['build_site_cpu_s']:.1f} s incl. render")
    return (" + " + " + ".join(parts)) if parts else ""


def machine() -> dict:
    mem = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024

    def git(*a: str) -> str:
        try:
            return subprocess.run(
                ["git", *a], cwd=REPO, capture_output=True, text=True, timeout=20
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "cores": os.cpu_count(),
        "mem_mb": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": os.getloadavg(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty_files": [
            ln[3:] for ln in git("status", "--porcelain").splitlines() if ln[3:].startswith("builder")
        ],
        "date": dt.datetime.now().isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("_"):  # internal child modes
        cmd, rest = argv[0], argv[1:]
        if cmd == "_scan":
            jobs = int(rest[rest.index("--jobs") + 1]) if "--jobs" in rest else None
            worker_scan(*rest[:3], jobs)
        elif cmd == "_jieba":
            worker_jieba(rest[0])
        elif cmd == "_real":
            worker_real(*rest[:2])
        elif cmd == "_hooks":
            worker_hooks(rest[0])
        elif cmd == "_profile":
            worker_profile(*rest[:4])
        return 0
    ap = argparse.ArgumentParser(description="Scan and site benchmarks (one table; benchmarks/results.json).")
    ap.add_argument(
        "--corpus-articles",
        type=int,
        default=10_000,
        help="scan corpus size in articles (default 10000, about 41 MB; 0: use --corpus-mb)",
    )
    ap.add_argument(
        "--corpus-mb", type=float, default=20.0, help="scan corpus size in MB with --corpus-articles 0"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--site-sizes",
        default="1000,3000",
        help="comma-separated event counts for the site build (default 1000,3000; add 10000 for the 10k run)",
    )
    ap.add_argument(
        "--entities", type=int, default=3000, help="registry size of the generated sites (default 3000)"
    )
    ap.add_argument("--skip-scan", action="store_true", help="site benchmarks only")
    ap.add_argument("--skip-site", action="store_true", help="scan benchmarks only")
    ap.add_argument("--only", choices=("scan", "site"), help="run only the scan or only the site benchmarks")
    ap.add_argument(
        "--serve",
        action="store_true",
        help="site: also time the edit loop (mkdocs serve --dirty, one event edited) on the largest site",
    )
    ap.add_argument(
        "--no-browser", action="store_true", help="skip browser timings even when chromium is there"
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile the scan, the cached re-scan and mkdocs build (writes benchmarks/profile.txt)",
    )
    ap.add_argument("--profile-mb", type=float, default=5.0, help="corpus size for --profile (default 5)")
    ap.add_argument(
        "--profile-site", type=int, default=1000, help="site size (events) for --profile (default 1000)"
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where corpora and projects go (default: a temporary folder, removed afterwards)",
    )
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    args = ap.parse_args(argv)
    if args.only == "site":
        args.skip_scan = True
    elif args.only == "scan":
        args.skip_site = True

    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f}s] {msg}", file=sys.stderr, flush=True)

    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="timeline-bench-")
        work = Path(tmp.name)
    else:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": machine(),
        "args": {k: str(v) for k, v in vars(args).items()},
        "targets": TARGETS,
    }
    results["code"] = snapshot_code(work)
    log(f"benchmarking a snapshot of builder/ (digest {results['code']['builder_digest']})")
    try:
        if not args.skip_scan:
            results["scan"] = bench_scan(work, args.corpus_mb, args.seed, log, args.corpus_articles or None)
        if args.profile:
            results["profile"] = bench_profile(work, args.profile_mb, args.seed, log)
            results["profile_site"] = bench_profile_site(
                work, args.profile_site, args.seed, args.entities, log
            )
        browser = not args.no_browser and browser_available()
        if not browser:
            log("browser timings: n/a (needs playwright and /usr/bin/chromium)")
        results["sites"] = []
        if not args.skip_site:
            max_n = max(int(x) for x in args.site_sizes.split(",") if x.strip())
            for n in [int(x) for x in args.site_sizes.split(",") if x.strip()]:
                results["sites"].append(
                    bench_site(work, n, args.seed, args.entities, browser, log, args.serve and n == max_n)
                )
    finally:
        if tmp is not None:
            tmp.cleanup()
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["total_s"] = time.perf_counter() - started
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(results))
    print(
        f"\n{results['machine']['cores']} cores, {results['machine']['mem_mb'] / 1024:.0f} GiB, "
        f"Python {results['machine']['python']}; load average {results['machine']['loadavg_start'][0]:.1f} at start; "
        f"total {results['total_s']:.0f} s; raw figures in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
