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

from . import reading, segmenting, store
from .entities import Registry
from .extraction import extract
from .merging import merge
from .models import Article, Candidate, Event
from .rules import load_rules

ROOT_MARKER = "mkdocs.yml"


@dataclass
class ScanReport:
    read: int = 0
    skipped: list[str] = field(default_factory=list)  # 'path: reason'
    candidates: int = 0
    events: list[Event] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def summary(self) -> str:
        c = self.counts
        verb = "would be" if self.dry_run else ""
        parts = [f"{c.get(k, 0)} {k}" for k in ("new", "updated", "unchanged", "kept", "removed", "suppressed")
                 if c.get(k) or k in ("new", "updated", "unchanged")]
        return (f"articles: {self.read} read, {len(self.skipped)} skipped; "
                f"events{' (' + verb.strip() + ')' if verb else ''}: {', '.join(parts)}")


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder upwards holding mkdocs.yml (else the start)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOT_MARKER).is_file():
            return folder
    return here


def read_all(paths: list[Path], report: ScanReport) -> list[Article]:
    articles, stems = [], set()
    try:
        files = list(reading.discover(paths))
    except reading.ReadError as e:
        report.skipped.append(str(e))
        files = []
    for path in files:
        try:
            art = reading.read_article(path)
        except reading.ReadError as e:
            report.skipped.append(str(e))
            continue
        if art.stem in stems:
            report.skipped.append(f"{path}: another article has the same name '{art.stem}'")
            continue
        stems.add(art.stem)
        articles.append(art)
    report.read = len(articles)
    return articles


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


def scan(paths: list[Path], events_dir: Path, root: Path | None = None, dry_run: bool = False,
         force: bool = False) -> ScanReport:
    root = root or find_root()
    report = ScanReport(dry_run=dry_run)
    registry = Registry.load(root / "registry")
    rules = load_rules()
    articles = read_all(paths, report)
    candidates: list[Candidate] = []
    for art in articles:
        candidates += extract(art, registry, rules)
    report.candidates = len(candidates)
    report.events = merge(candidates)
    plan = store.plan(report.events, events_dir, {a.stem for a in articles}, force=force)
    report.counts = plan.counts
    if not dry_run:
        store.apply(plan, events_dir)
        write_articles(articles, articles_dir(events_dir), root)
    return report


def articles_dir(events_dir: Path) -> Path:
    """Cleaned article records live beside the event folder (events/ -> articles/)."""
    return events_dir.resolve().parent / "articles"


def write_articles(articles: list[Article], folder: Path, root: Path) -> None:
    for a in articles:
        text = yaml.safe_dump(article_record(a, root), allow_unicode=True, sort_keys=False, width=10_000)
        path = folder / f"{a.stem}.yaml"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            store.atomic_write(path, text)
