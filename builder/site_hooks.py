"""MkDocs hooks: serve the timeline pages straight from the data files.

Enabled in mkdocs.yml with ``hooks: [builder/site_hooks.py]``. Every build
(and every ``mkdocs serve`` rebuild) reads events/, articles/ and registry/
next to mkdocs.yml and adds the rendered pages as virtual files, so nothing
is written into docs/.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

# mkdocs imports a hook file as a bare module; make `builder` importable.
_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from builder.pages import SiteData, SiteDataError, load_site_data, render_pages, search_words  # noqa: E402

log = logging.getLogger("mkdocs.hooks.timeline")

DATA_DIRS = ("events", "articles", "registry")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _load(config: MkDocsConfig) -> SiteData:
    try:
        return load_site_data(_root(config))
    except SiteDataError as exc:  # one clear line, no traceback
        raise PluginError(f"timeline data: {exc}") from None


def add_search_words(words: list[str]) -> None:
    """Teach jieba the entity names so search segments them as one token."""
    try:
        import jieba
    except ImportError:  # search then falls back to plain separators
        return
    jieba.setLogLevel(logging.WARNING)
    for word in words:
        jieba.add_word(word)


def _inclusion(path: str) -> InclusionLevel:
    """List pages (index.md, x/index.md) are in the nav; the many others are
    reached by links and should not be reported as missing from it."""
    if path == "index.md" or path.endswith("/index.md"):
        return InclusionLevel.UNDEFINED
    return InclusionLevel.NOT_IN_NAV


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    data = _load(config)
    add_search_words(search_words(data))  # before the search plugin indexes pages
    pages = render_pages(data)
    for path, content in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            log.warning("docs/%s is replaced by the generated page of that name", path)
            files.remove(existing)
        files.append(File.generated(config, path, content=content, inclusion=_inclusion(path)))
    log.info("timeline: %d generated pages", len(pages))
    return files


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild on edits to the data (mkdocs.yml `watch:` would fail on a missing dir)."""
    for name in DATA_DIRS:
        path = _root(config) / name
        if path.exists():
            server.watch(str(path))
    return server
