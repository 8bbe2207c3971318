"""MkDocs hooks: serve the timeline pages straight from the data files.

Enabled in mkdocs.yml with ``hooks: [builder/site_hooks.py]``. Every build
(and every ``mkdocs serve`` rebuild) reads events/, articles/ and registry/
next to mkdocs.yml and adds, as virtual files (nothing is written into docs/):

- the rendered Markdown pages (``builder.pages``);
- Atom feeds (``feed.xml``, ``companies/<slug>.xml`` ...), ``events.json``,
  ``events.csv``, the JSON files timeline.js loads (``timeline/data/``) and
  the ``events/<id>/`` redirect files, which MkDocs copies to the site;
- per page, HTML for ``<head>``: feed links and the events' JSON-LD.

Speed: the part of a generated page after ``htmlparts.RAW_MARK`` is raw HTML
that Python-Markdown would pass through unchanged; ``on_page_markdown`` takes
it out and ``on_page_content`` puts it back, so it is never re-parsed. The
search index is rewritten as UTF-8 (not ``\\uXXXX`` escapes) after the build.

``timeline serve`` runs ``mkdocs serve --dirty``; after the first build the
hook then re-renders only what an edit touches and hands MkDocs only the
files that changed (``builder.serving``, ``builder.incremental``).
This file is re-executed on every config load; state that must survive a
rebuild lives in ``builder.serving`` (the package stays in ``sys.modules``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
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

from builder import searchindex, serving  # noqa: E402
from builder.htmlparts import RAW_MARK  # noqa: E402
from builder.pages import SiteDataError, search_words  # noqa: E402

log = logging.getLogger("mkdocs.hooks.timeline")

DATA_DIRS = serving.DATA_DIRS
_HEAD: dict[str, str] = {}  # docs path -> HTML for <head>, filled by on_files
_BODIES: dict[str, str] = {}  # docs path -> raw HTML body, between on_page_markdown and on_page_content


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


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


def on_startup(*, command: str, dirty: bool) -> None:
    serving.start(command, dirty)


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    root = _root(config)
    try:
        out, words_changed = serving.site_output(
            root, config.site_url or "", config.use_directory_urls, config.site_name
        )
    except SiteDataError as exc:  # one clear line, no traceback
        raise PluginError(f"timeline data: {exc}") from None
    if words_changed:
        add_search_words(search_words(out.data))  # before the search plugin indexes pages
    generated = {**out.site.pages, **out.site.files}
    for path in generated:
        existing = files.get_file_from_path(path)
        if existing is not None:
            log.warning("docs/%s is replaced by the generated file of that name", path)
            files.remove(existing)
    changed = serving.changed_paths(generated) if serving.is_serving() else None
    for path, content in generated.items():
        if changed is None or path in changed or _inclusion(path) is InclusionLevel.UNDEFINED:
            files.append(File.generated(config, path, content=content, inclusion=_inclusion(path)))
    _HEAD.clear()
    _HEAD.update(out.site.head)
    _BODIES.clear()
    log.info("timeline: %d generated pages, %d generated files", len(out.site.pages), len(out.site.files))
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Hold back a generated page's raw HTML body: Markdown would only copy it."""
    head, mark, body = markdown.partition(f"\n{RAW_MARK}\n")
    if not mark:
        return markdown
    _BODIES[page.file.src_uri] = body
    return head


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    body = _BODIES.pop(page.file.src_uri, None)
    return html if body is None else f"{html}\n{body}"


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Put the page's feed link and JSON-LD into its <head>."""
    extra = _HEAD.get(page.file.src_uri)
    if not extra or "</head>" not in output:
        return output
    return output.replace("</head>", f"{extra}\n</head>", 1)


def on_post_build(*, config: MkDocsConfig) -> None:
    """Rewrite the search index as UTF-8 (half the bytes of its \\uXXXX escapes),
    trimmed (``builder.searchindex``: no empty sections, no redundant word cuts).

    In serve mode the entries of pages a dirty rebuild skipped are kept from
    the previous builds (the search plugin is re-created on every rebuild).
    """
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    gone = _remove_gone(config) if serving.is_serving() else set()
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    if serving.is_serving():
        index["docs"] = serving.merge_search_entries(index.get("docs", []), gone)
    index = searchindex.trim(index)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # '<', '>' and '&' stay as they are: the theme escapes snippets; U+2028/9 break old JS parsers
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _remove_gone(config: MkDocsConfig) -> set[str]:
    """Delete from the site folder what the generated files this build no longer has
    became in earlier builds (a dirty build never cleans the folder); returns the URLs
    of all generated files gone since the first build."""
    site = Path(config.site_dir).resolve()
    for path in sorted(serving.STATE.gone):
        target = (site / File.generated(config, path, content="").dest_uri).resolve()
        if target.is_relative_to(site) and target.is_file():
            target.unlink()
            with contextlib.suppress(OSError):  # an event's own folder (events/<id>/) goes too when empty
                target.parent.rmdir()
    return {File.generated(config, path, content="").url for path in serving.STATE.removed}


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild on edits to the data (mkdocs.yml `watch:` would fail on a missing dir)."""
    for name in DATA_DIRS:
        path = _root(config) / name
        if path.exists():
            server.watch(str(path))
    return server
