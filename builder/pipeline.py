"""The Python API: ``scan()`` reads articles and updates the event store; ``build_site()`` runs MkDocs.

    report = scan(["seeds"], events_dir=Path("events"))
    print(report.summary())

Stages: reading -> normalising/segmenting -> dates/entities -> extraction ->
merging (across all articles) -> store (plan, then write). Nothing is written
until every article has been read and every event merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import executors, reading, segmenting, store
from .entities import Registry
from .merging import merge
from .models import Article, Candidate, Event
from .work import ArticleCache, rules_digest

ROOT_MARKER = "mkdocs.yml"
CACHE_DIR = ".cache/timeline"  # per-article results keyed by content and rules (gitignored)


@dataclass
class ScanReport:
    read: int = 0
    skipped: list[str] = field(default_factory=list)  # 'path: reason'
    candidates: int = 0
    cached: int = 0
    events: list[Event] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # 'new events/x.yaml', ... (store.Plan.describe)
    dry_run: bool = False

    def summary(self) -> str:
        c = self.counts
        verb = "would be" if self.dry_run else ""
        parts = [
            f"{c.get(k, 0)} {k}"
            for k in ("new", "updated", "unchanged", "kept", "removed", "suppressed")
            if c.get(k) or k in ("new", "updated", "unchanged")
        ]
        return (
            f"articles: {self.read} read, {len(self.skipped)} skipped; "
            f"events{' (' + verb.strip() + ')' if verb else ''}: {', '.join(parts)}"
        )


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder upwards holding mkdocs.yml (else the start)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOT_MARKER).is_file():
            return folder
    return here


def read_all(
    paths: list[Path],
    report: ScanReport,
    registry_dir: Path,
    options: ScanOptions,
    cache: ArticleCache | None,
) -> tuple[list[Article], list[Candidate]]:
    """Run the per-article work (cached, maybe in parallel); keep input order."""
    problems: list[reading.ReadError] = []  # missing paths, symlink loops: reported, the walk goes on
    files = [str(p) for p in reading.discover(paths, problems)]
    report.skipped += [str(e) for e in problems]
    done = {f: r for f in files if cache and (r := cache.get(f))}
    todo = [f for f in files if f not in done]
    for res in executors.run(todo, str(registry_dir), options.jobs, options.executor, options.scheduler):
        done[res.path] = res
        if cache:
            cache.put(res)
    report.cached = len(files) - len(todo)
    articles, candidates, stems = [], [], set()
    for f in files:
        res = done[f]
        if res.error:
            report.skipped.append(res.error)
        elif res.article.stem in stems:
            report.skipped.append(f"{f}: another article has the same name '{res.article.stem}'")
        else:
            stems.add(res.article.stem)
            articles.append(res.article)
            candidates += res.candidates
    report.read = len(articles)
    return articles, candidates


def _shown_path(path: str, root: Path) -> str:
    """The article's path relative to the project (stable across checkouts)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.name


def article_record(a: Article, root: Path) -> dict:
    """What the site needs of an article: metadata and its cleaned paragraphs."""
    return {
        "stem": a.stem,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "published": a.published.value if a.published else None,
        "published_inferred": bool(a.published and a.published.inferred),
        "file": _shown_path(a.path, root),
        "paragraphs": segmenting.paragraph_texts(a.text),
    }


@dataclass(frozen=True)
class ScanOptions:
    dry_run: bool = False
    force: bool = False
    jobs: int = 1
    executor: str = "local"  # or 'dask'
    scheduler: str | None = None
    cache: bool = True


def scan(
    paths: list[Path],
    events_dir: Path,
    root: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
    options: ScanOptions | None = None,
) -> ScanReport:
    root = root or find_root()
    options = options or ScanOptions(dry_run=dry_run, force=force)
    report = ScanReport(dry_run=options.dry_run)
    registry = Registry.load(root / "registry")
    cache = ArticleCache(root / CACHE_DIR, rules_digest(registry)) if options.cache else None
    articles, candidates = read_all(paths, report, root / "registry", options, cache)
    report.candidates = len(candidates)
    report.events = merge(candidates)
    plan = store.plan(
        report.events, events_dir, {a.stem for a in articles}, force=options.force, registry=registry
    )
    report.counts = plan.counts
    report.changes = plan.describe()
    if not options.dry_run:
        store.apply(plan, events_dir)
        write_articles(articles, articles_dir(events_dir), root)
        if cache:
            cache.save()
    return report


def articles_dir(events_dir: Path) -> Path:
    """Cleaned article records live beside the event folder (events/ -> articles/)."""
    return events_dir.resolve().parent / "articles"


def write_articles(articles: list[Article], folder: Path, root: Path) -> None:
    store.remove_stale_temps(folder)
    for a in articles:
        text = yaml.dump(
            article_record(a, root),
            Dumper=yaml.CSafeDumper,
            allow_unicode=True,
            sort_keys=False,
            width=10_000,
        )
        path = folder / f"{a.stem}.yaml"
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
            store.atomic_write(path, text, durable=False)
