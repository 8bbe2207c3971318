"""The edit loop: ``mkdocs serve --dirty`` (``timeline serve``) rebuilds one edit in seconds.

MkDocs re-runs the hook file on every rebuild, but this module stays in
``sys.modules``, so it keeps, between rebuilds:

- the parsed data files (``sitedata.FILE_CACHE``, by mtime and size): a
  rebuild re-reads only the edited YAML files;
- the last ``SiteData`` and ``SiteOutput``: when only a few events changed
  (and no article, registry entry, entity page, month or year appeared or
  went away) only the pages, feeds and data files those events touch are
  rendered again — their month pages (old and new date), their parties'
  pages and feeds, their type and year pages, the source pages they cite,
  the home page and the index pages; the rest is reused;
- the text of every generated file: after the first build the hook hands
  MkDocs only the files whose text changed (and the list pages of the nav).
  With ``--dirty`` MkDocs does not clean the site folder, so everything else
  stays served from the earlier builds, and MkDocs renders just those pages;
- the search index entries: the search plugin is re-created per rebuild and
  in dirty mode indexes only the pages it rebuilt, so the hook merges them
  into the entries kept here;
- what went away: a generated file the new build no longer has (the page of an
  event marked rejected, a month left empty) is deleted from the site folder,
  and the search entries of every page gone since the first build are dropped
  from each index (mkdocs-material's search plugin keeps the entries of earlier
  dirty builds, gone pages included), so a dirty rebuild serves no stale page.

A plain ``mkdocs build`` goes through the same functions with nothing cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import sitedata
from builder.sitebuild import SiteOutput, build_site

DATA_DIRS = ("events", "articles", "registry")
MAX_INCREMENTAL = 50  # more changed events than this: render everything


@dataclass
class Output:
    data: sitedata.SiteData
    site: SiteOutput


@dataclass
class _State:
    serving: bool = False
    dirty: bool = False
    key: tuple[Any, ...] = ()
    last: Output | None = None
    written: dict[str, str] | None = None  # generated path -> text of the last build
    search: dict[str, list[dict[str, Any]]] | None = None  # page location -> entries
    last_mode: str = ""  # 'full' | 'incremental' | 'unchanged' (for tests and logs)
    gone: set[str] = field(default_factory=set)  # generated paths the previous build had and this one has not
    removed: set[str] = field(default_factory=set)  # generated paths gone since the first build (not back)


STATE = _State()


def start(command: str, dirty: bool) -> None:
    """Called from the hook's on_startup: remember serve mode, turn the file cache on."""
    STATE.serving = command == "serve"
    STATE.dirty = dirty
    if STATE.serving:
        sitedata.FILE_CACHE = {} if sitedata.FILE_CACHE is None else sitedata.FILE_CACHE


def is_serving() -> bool:
    return STATE.serving and STATE.dirty


def site_output(root: Path, site_url: str, directory_urls: bool, site_name: str) -> tuple[Output, bool]:
    """(data and generated output, whether the jieba words may have changed)."""
    data = sitedata.load_site_data(root)
    key = (str(root), site_url, directory_urls, site_name)
    last = STATE.last if STATE.serving and STATE.key == key else None
    if last is not None and last.data == data and _raw(last.data) == _raw(data):
        STATE.last_mode = "unchanged"
        return last, False
    site = None
    if last is not None:
        from builder.incremental import rebuild

        site = rebuild(last.data, last.site, data, site_url, directory_urls, site_name, MAX_INCREMENTAL)
    STATE.last_mode = "incremental" if site is not None else "full"
    if site is None:
        site = build_site(data, site_url, directory_urls, site_name)
    out = Output(data, site)
    words_changed = last is None or _words(last.data) != _words(data)
    if STATE.serving:
        STATE.key, STATE.last = key, out
    return out, words_changed


def _raw(data: sitedata.SiteData) -> list[str]:
    return [ev.raw for ev in data.events]


def _words(data: sitedata.SiteData) -> tuple[Any, ...]:
    return (data.companies, data.people, tuple((e.people, e.companies) for e in data.events))


def changed_paths(generated: dict[str, str]) -> set[str] | None:
    """Generated files whose text changed since the previous build (None: the first build, all).

    In a dirty rebuild the hook registers only these (plus the nav's list pages): every other
    generated file is already in the site folder from an earlier build and stays there, so
    MkDocs does not even create its File and Page objects again.
    """
    first = STATE.written is None
    if STATE.written is None:
        STATE.written = {}
    changed = {path for path, text in generated.items() if STATE.written.get(path) != text}
    STATE.gone = set(STATE.written) - set(generated)
    STATE.removed = (STATE.removed | STATE.gone) - set(generated)
    STATE.written = dict(generated)
    return None if first else changed


def merge_search_entries(docs: list[dict[str, Any]], gone: set[str] = frozenset()) -> list[dict[str, Any]]:
    """Search entries of this (dirty) build merged into those of earlier builds, by page;
    the entries of the pages at the URLs ``gone`` (pages gone since the first build) dropped."""
    if STATE.search is None:
        STATE.search = {}
    fresh: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        fresh.setdefault(str(doc.get("location", "")).split("#", 1)[0], []).append(doc)
    STATE.search.update(fresh)
    for url in gone:  # the search plugin hands back earlier builds' entries, gone pages' too
        STATE.search.pop(url, None)
    return [doc for entries in STATE.search.values() for doc in entries]
