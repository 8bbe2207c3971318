"""The Python API: ``scan()`` reads articles and updates the event store; ``build_site()`` runs MkDocs.

    report = scan(["seeds"], events_dir=Path("events"))
    print(report.summary())

Stages: reading -> normalising/segmenting -> dates/entities -> extraction ->
merging (across all articles) -> store (plan, then write). Nothing is written
until every article has been read and every event merged.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import executors, reading, store, work
from .background import Background, available
from .cache import ArticleCache
from .memo import Memo, digest
from .merging import components, event_id, link_keys, merge, merge_component, ordered_ids, with_id
from .models import Candidate, Event
from .records import Done, process_with_record, write_articles
from .rules import load_rules
from .work import rules_digest, warm_up

ROOT_MARKER = "mkdocs.yml"
CACHE_DIR = ".cache/timeline"  # per-article results keyed by content and rules (gitignored)
# Fresh articles from which their records and cache are saved in a background process
# (with --jobs > 1): below it, forking costs more than it saves (≈ 0.07 ms an article).
BACKGROUND_FROM = 2000


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
    """One article of this scan: what was just made of it, or else what the cache
    knows (its candidates are loaded from the cache on demand; its record, needed
    only when the record file is gone or the project moved, is made again)."""

    file: str  # as discovered
    stem: str
    path: str  # as shown and stored (reading.shown)
    key: str | None  # content key, with a cache
    done: Done | None = None
    cache: ArticleCache | None = None
    root: str = ""  # the project folder

    def _redo(self) -> Done:
        """Process the article again (the cache lost what was needed)."""
        self.done = process_with_record(self.file, os.path.join(self.root, "registry"), self.root)
        return self.done

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        if self.done is None:
            found = self.cache.candidates(self.key) if self.cache and self.key else None
            if found is not None:
                return found
            self._redo()
        return self.done.result.candidates

    def record(self, root: Path) -> str:
        if self.done is None or self.done.root != str(root):
            self._redo()
        return self.done.record


def read_all(
    paths: list[Path],
    report: ScanReport,
    root: Path,
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
    known = {f: k for f in files if cache and (k := cache.lookup(f, hash_new=False))}
    todo = [f for f in files if f not in known]
    work = partial(process_with_record, registry_dir=str(root / "registry"), root=str(root))
    fresh: dict[str, Done] = {}
    if options.jobs > 1 and options.executor == "local" and len(todo) >= 4 * options.jobs:
        warm_up(root / "registry")  # loaded once, before the pool forks its workers
    for done in executors.run(todo, work, options.jobs, options.executor, options.scheduler):
        fresh[done.result.path] = done
        if cache:
            cache.put(done)
    report.cached = len(files) - len(todo)
    out, stems = [], set()
    for f in files:
        done = fresh.get(f)
        if done is not None:
            error, stem = done.result.error, done.stem
        else:
            error, stem = known[f].error, known[f].stem
        if error:
            report.skipped.append(error)
        elif stem in stems:
            report.skipped.append(f"{f}: another article has the same name '{stem}'")
        else:
            stems.add(stem)
            key = cache.key(f) if cache else None
            path = done.shown if done is not None else reading.shown(f)
            out.append(Scanned(f, stem, path, key, done, cache, str(root)))
    report.read = len(out)
    return out


@dataclass(frozen=True)
class ScanOptions:
    dry_run: bool = False
    force: bool = False
    jobs: int = 1
    executor: str = "local"  # or 'dask'
    scheduler: str | None = None
    cache: bool = True


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A scan makes millions of small objects (candidates, mentions, events) that live
    until it ends; Python's cycle collector would walk all of them again and again as
    they pile up (≈ 4 % of a 10,000-article scan). Freeze what exists, and collect
    young objects in bigger batches; both are restored afterwards. Process-pool
    workers forked meanwhile inherit the setting."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(before[0], 50_000), before[1], max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def scan(
    paths: list[Path],
    events_dir: Path,
    root: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
    options: ScanOptions | None = None,
) -> ScanReport:
    with _fewer_collections():
        return _scan(paths, events_dir, root, options or ScanOptions(dry_run=dry_run, force=force))


def _scan(paths: list[Path], events_dir: Path, root: Path | None, options: ScanOptions) -> ScanReport:
    root = root or find_root()
    report = ScanReport(dry_run=options.dry_run)
    registry = work.registry(root / "registry")  # loaded once: forked workers inherit it
    load_rules()
    cache = ArticleCache(root / CACHE_DIR, rules_digest(registry)) if options.cache else None
    memo = Memo(cache.folder / "memo" if cache else None)  # without a cache: this run only
    scanned = read_all(paths, report, root, options, cache)
    side = None
    fresh = sum(a.done is not None for a in scanned)
    if (
        fresh >= BACKGROUND_FROM
        and options.jobs > 1
        and options.executor == "local"
        and available()
        and not options.dry_run
    ):
        # the article side (records, cache files) needs nothing of the merge: with more
        # than one core it runs in a forked child beside the merge and the event writes
        side = Background(partial(_save_article_side, scanned, events_dir, root, cache, memo))
    report.events, report.candidates = _merge(scanned, memo if cache else None)
    store.predump(report.events, memo)
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
        if side is None:
            _save_article_side(scanned, events_dir, root, cache, memo)
        else:
            for path, key in side.result():  # what the child put into its copy of the memo
                memo.remember(path, "", key)
            if cache:
                cache.dirty = False  # the child saved it
        memo.save()
    return report


def _save_article_side(
    scanned: list[Scanned], events_dir: Path, root: Path, cache: ArticleCache | None, memo: Memo
) -> list[tuple[Path, str]]:
    """Write the article records and save the per-article cache; returns what the
    records put into ``memo`` (see ``records.write_articles``)."""
    remembered = write_articles(scanned, articles_dir(events_dir), root, memo)
    if cache:
        cache.save()
    return remembered


def _merge(scanned: list[Scanned], memo: Memo | None) -> tuple[list[Event], int]:
    """``merge`` of every candidate (and their number); with a memo, the last run's
    result when every article is the same as then, else a merge of only the
    components of linked candidates that changed (``_merge_by_component``)."""
    if memo is None or not all(a.key for a in scanned):
        candidates = [c for a in scanned for c in a.candidates]
        return merge(candidates), len(candidates)
    key = digest(("merge", [(a.stem, a.path, a.key) for a in scanned]))
    last = _last_merge(memo, key)
    if last is None:
        order, n = _merge_by_component(scanned, memo)
        memo.set_merged((key, n, order))
        last = _last_merge(memo, key)
        assert last is not None  # noqa: S101 - its parts were just put into the memo
    return last


def _last_merge(memo: Memo, key: str) -> tuple[list[Event], int] | None:
    """The merge the memo holds for input ``key``: each event is its component's event
    (``memo.parts``) with its id; the file keys are seeded from the component keys."""
    if memo.merged is None or memo.merged[0] != key:
        return None
    _, n, order = memo.merged
    parts = memo.parts
    if any(part_key not in parts for part_key, _, _, _ in order):
        return None
    events = []
    for part_key, i, eid, known in order:
        e = with_id(parts[part_key][0][i][0], eid)
        memo.seed_digest(e, known)  # the event file's key, without a digest of the event
        events.append(e)
    return events, n


def _merge_by_component(scanned: list[Scanned], memo: Memo) -> tuple[list[tuple[str, int, str, str]], int]:
    """``merge``, reusing the memo's events of every component whose candidates come
    from the same articles as then (an article's candidates are a function of its
    content key and stem within one rules digest, the memo's folder). Only the
    articles of the other components load their candidates. Returns, in the final
    order, (component key, index of the event in it, id, digest) of every event, and
    the number of candidates."""
    refs: list[tuple[int, int]] = []  # (article, candidate in it), in input order
    links: list[tuple] = []
    for ai, a in enumerate(scanned):
        found = memo.links_of(a.key) if a.done is None else None
        if found is None:
            found = tuple(link_keys(c) for c in a.candidates)
        memo.put_links(a.key, found)
        refs += [(ai, ci) for ci in range(len(found))]
        links += found
    found_parts: list[tuple[str, list[int], tuple]] = []
    fresh: list[int] = []
    for group in components(links):
        members = [refs[i] for i in group]
        key = digest(("part", [(scanned[ai].stem, scanned[ai].key, ci) for ai, ci in members]))
        part = memo.part(key)
        if part is None:
            made = merge_component([scanned[ai].candidates[ci] for ai, ci in members])
            # the component's events are a function of its candidates, which the key names
            part = (made, [digest((key, i)) for i in range(len(made))], [event_id(e) for e, _, _ in made])
            fresh.append(len(found_parts))
        found_parts.append((key, group, part))
    _keep_digests(memo, found_parts, fresh)
    merged, origin, bases = [], [], []
    for key, group, part in found_parts:
        merged += [(e, strength, group[head]) for e, strength, head in part[0]]
        origin += [(key, i, d) for i, d in enumerate(part[1])]
        bases += part[2]
    order = []
    for i, eid in ordered_ids(merged, bases):
        key, index, known = origin[i]
        order.append((key, index, eid, digest(("with id", known, eid))))
    return order, len(links)


def _keep_digests(memo: Memo, found: list[tuple[str, list[int], tuple]], fresh: list[int]) -> None:
    """Put the newly merged components into the memo, each event that is the same as
    one of a component the last merge had and this one has not (the component an
    article joined or left) keeping that event's digest: the text of its file is
    remembered under it, so the unchanged events of a grown component are not dumped again."""
    before: dict[str, str] = {}
    if fresh and memo.merged is not None:
        now = {key for key, _, _ in found}
        for old in dict.fromkeys(k for k, _, _, _ in memo.merged[2]):
            part = memo.parts.get(old) if old not in now else None
            if part is not None:
                before.update(zip((repr(e) for e, _, _ in part[0]), part[1], strict=True))
    for n in fresh:
        key, group, (made, digests, bases) = found[n]
        if before:
            digests = [before.get(repr(e), d) for (e, _, _), d in zip(made, digests, strict=True)]
        found[n] = (key, group, (made, digests, bases))
        memo.put_part(key, found[n][2])


def articles_dir(events_dir: Path) -> Path:
    """Cleaned article records live beside the event folder (events/ -> articles/)."""
    return events_dir.resolve().parent / "articles"
