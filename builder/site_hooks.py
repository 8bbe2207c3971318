"""MkDocs hooks: serve the timeline pages straight from the data files.

Enabled in mkdocs.yml with ``hooks: [builder/site_hooks.py]``. Every build
(and every ``mkdocs serve`` rebuild) reads events/, articles/ and registry/
next to mkdocs.yml and adds, as virtual files (nothing is written into docs/):

- the rendered Markdown pages (``builder.pages``);
- Atom feeds (``feed.xml``, ``companies/<slug>.xml`` ...), ``events.json`` and
  ``events.csv``, which MkDocs copies to the site as static files;
- per page, HTML for ``<head>``: feed links and the events' JSON-LD.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

# mkdocs imports a hook file as a bare module; make `builder` importable.
_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from builder.pages import SiteData, SiteDataError, load_site_data, search_words  # noqa: E402
from builder.sitebuild import build_site  # noqa: E402

log = logging.getLogger("mkdocs.hooks.timeline")

DATA_DIRS = ("events", "articles", "registry")
_HEAD: dict[str, str] = {}  # docs path -> HTML for <head>, filled by on_files


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


def _add(files: Files, config: MkDocsConfig, path: str, content: str) -> None:
    existing = files.get_file_from_path(path)
    if existing is not None:
        log.warning("docs/%s is replaced by the generated file of that name", path)
        files.remove(existing)
    files.append(File.generated(config, path, content=content, inclusion=_inclusion(path)))


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    data = _load(config)
    add_search_words(search_words(data))  # before the search plugin indexes pages
    site_url = config.site_url or ""
    out = build_site(data, site_url, config.use_directory_urls, config.site_name)
    for path, content in {**out.pages, **out.files}.items():
        _add(files, config, path, content)
    _HEAD.clear()
    _HEAD.update(out.head)
    log.info("timeline: %d generated pages, %d generated files", len(out.pages), len(out.files))
    return files


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Put the page's feed link and JSON-LD into its <head>."""
    extra = _HEAD.get(page.file.src_uri)
    if not extra or "</head>" not in output:
        return output
    return output.replace("</head>", f"{extra}\n</head>", 1)


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild on edits to the data (mkdocs.yml `watch:` would fail on a missing dir)."""
    for name in DATA_DIRS:
        path = _root(config) / name
        if path.exists():
            server.watch(str(path))
    return server
