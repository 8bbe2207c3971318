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
from .memo import Memo, digest
from .merging import merge
from .models import Article, Candidate, Event
from .cache import ArticleCache
from .work import Result, process, rules_digest

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


@dataclass
class Scanned:
    """One article of this scan: its result when it was just processed, else what the
    cache knows (the article and its candidates are loaded from the cache on demand)."""

    file: str  # as discovered
    stem: str
    path: str  # as shown and stored (reading.shown)
    key: str | None  # content key, with a cache
    result: Result | None = None
    cache: ArticleCache | None = None
    registry_dir: str = ""

    @property
    def article(self) -> Article:
        if self.result is None:
            art = self.cache.article(self.key, self.file) if self.cache and self.key else None
            found = self.cache.candidates(self.key) if art else None
            self.result = Result(self.file, art, found) if found is not None else None
        if self.result is None:  # the cache lost it: do the work again
            self.result = process(self.file, self.registry_dir)
        return self.result.article

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        if self.result is None:
            found = self.cache.candidates(self.key) if self.cache and self.key else None
            if found is not None:
                return found
            self.result = process(self.file, self.registry_dir)  # the cache lost them: redo
        return self.result.candidates


def read_all(
    paths: list[Path],
    report: ScanReport,
    registry_dir: Path,
    options: ScanOptions,
    cache: ArticleCache | None,
) -> list[Scanned]:
    """Run the per-article work (cached, maybe in parallel); keep input order.

    An article unchanged since an earlier scan is not even loaded here: its
    stem and error come from the cache's index; ``Scanned`` loads the rest
    only when the merge or the article record needs it."""
    problems: list[reading.ReadError] = []  # missing paths, symlink loops: reported, the walk goes on
    files = [str(p) for p in reading.discover(paths, problems)]
    report.skipped += [str(e) for e in problems]
    known = {f: k for f in files if cache and (k := cache.lookup(f))}
    todo = [f for f in files if f not in known]
    fresh: dict[str, Result] = {}
    for res in executors.run(todo, str(registry_dir), options.jobs, options.executor, options.scheduler):
        fresh[res.path] = res
        if cache:
            cache.put(res)
    report.cached = len(files) - len(todo)
    out, stems = [], set()
    for f in files:
        res = fresh.get(f)
        if res is not None:
            error, stem = res.error, res.article.stem if res.article else ""
        else:
            error, stem = known[f].error, known[f].stem
        if error:
            report.skipped.append(error)
        elif stem in stems:
            report.skipped.append(f"{f}: another article has the same name '{stem}'")
        else:
            stems.add(stem)
            key = cache.key(f) if cache else None
            path = res.article.path if res is not None else reading.shown(f)
            out.append(Scanned(f, stem, path, key, res, cache, str(registry_dir)))
    report.read = len(out)
    return out


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
    memo = Memo(cache.folder / "memo.pickle") if cache else None
    scanned = read_all(paths, report, root / "registry", options, cache)
    report.events, report.candidates = _merge(scanned, memo)
    plan = store.plan(
        report.events,
        events_dir,
        {a.stem for a in scanned},
        force=options.force,
        registry=registry,
        memo=memo,
    )
    report.counts = plan.counts
    report.changes = plan.describe()
    if not options.dry_run:
        store.apply(plan, events_dir, memo)
        write_articles(scanned, articles_dir(events_dir), root, memo)
        if cache:
            cache.save()
        if memo:
            memo.save()
    return report


def _merge(scanned: list[Scanned], memo: Memo | None) -> tuple[list[Event], int]:
    """``merge`` of every candidate (and their number), or the last run's result when
    every article is the same as then."""
    key = None
    if memo is not None and all(a.key for a in scanned):
        key = digest(("merge", [(a.stem, a.path, a.key) for a in scanned]))
        if memo.merged is not None and memo.merged[0] == key:
            return memo.merged[1], memo.merged[2]
    candidates = [c for a in scanned for c in a.candidates]
    events = merge(candidates)
    if key is not None:
        memo.set_merged((key, events, len(candidates)))
    return events, len(candidates)


def articles_dir(events_dir: Path) -> Path:
    """Cleaned article records live beside the event folder (events/ -> articles/)."""
    return events_dir.resolve().parent / "articles"


def write_articles(
    articles: list[Scanned] | list[Article],
    folder: Path,
    root: Path,
    memo: Memo | None = None,
) -> None:
    """One record per article (``article_record``). With a memo, a record whose file
    and article are both unchanged since the last scan is left alone without even
    loading the article."""
    store.remove_stale_temps(folder)
    for a in articles:
        path = folder / f"{a.stem}.yaml"
        key = getattr(a, "key", None)
        key = digest(("record", key, a.path, str(root))) if memo is not None and key else None
        known = memo.known(path) if key else None
        if known is not None and known[1] == key:
            continue
        article = a.article if isinstance(a, Scanned) else a
        text = yaml.dump(
            article_record(article, root),
            Dumper=yaml.CSafeDumper,
            allow_unicode=True,
            sort_keys=False,
            width=10_000,
        )
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
            store.atomic_write(path, text, durable=False)
        if key:
            memo.remember(path, "", key)  # the key says what the file holds; its text is not needed
