"""Article records: what the site needs of each article, one YAML file per article
under ``articles/`` (beside the event folder).

The record's text is made where the article is processed (``process_with_record``
runs in the worker processes or on the cluster), so the central, serial part of
a scan only compares and writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from . import emit, segmenting, store
from .cache import content_key, file_stamp
from .memo import Memo, digest
from .models import Article
from .work import Result, process


@dataclass(frozen=True)
class Done:
    """A processed article and its record's YAML text ('' when the article was skipped)."""

    result: Result  # its ``article`` is dropped (None): the record holds what is needed of it
    record: str = ""
    root: str = ""  # the project folder the record's 'file' is relative to
    stem: str = ""  # the article's stem ('' when skipped)
    shown: str = ""  # the article's path as shown and stored
    key: str | None = None  # content key (cache.content_key), taken before reading
    stamp: tuple | None = None  # the file's stat stamp when it was hashed


def _shown_path(path: str, root: Path) -> str:
    """The article's path relative to the project (stable across checkouts); its
    name alone when it lies outside the project (symbolic links resolved)."""
    p, r = os.path.realpath(path), _real_root(str(root))
    if p == r or p.startswith(r.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(p, r)).as_posix()
    return os.path.basename(p)


@lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    """The project folder with symbolic links resolved (once per process and folder)."""
    return os.path.realpath(root)


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


def record_text(a: Article, root: Path) -> str:
    """The record's YAML: ``emit.fast_dump`` gives the bytes of the ``yaml.dump`` below, faster."""
    record = article_record(a, root)
    text = emit.fast_dump(record, yaml.CSafeDumper.yaml_implicit_resolvers)
    if text is not None:
        return text
    return yaml.dump(
        record,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
    )


def process_with_record(path: str, registry_dir: str, root: str) -> Done:
    """``work.process`` plus the record text: the whole per-article unit of a scan."""
    stamp = file_stamp(path)
    key = content_key(path, stamp) if stamp else None
    res = process(path, registry_dir)
    art = res.article
    return Done(
        Result(res.path, None, res.candidates, res.error),  # the article stays here: less to send back
        record_text(art, Path(root)) if art else "",
        root,
        art.stem if art else "",
        art.path if art else "",
        key,
        stamp,
    )


class Recorded(Protocol):
    """What ``write_articles`` needs of an article of this scan (``pipeline.Scanned``)."""

    stem: str
    path: str
    key: str | None

    def record(self, root: Path) -> str: ...


def write_articles(
    articles: list[Recorded], folder: Path, root: Path, memo: Memo | None = None
) -> list[tuple[Path, str]]:
    """One record per article. With a memo, a record whose file and article are both
    unchanged since the last scan is left alone without even loading the article.

    Returns the (record file, key) pairs put into the memo: run in a background
    process, the parent puts them into its own memo (``Memo.remember``)."""
    store.remove_stale_temps(folder)
    remembered = []
    for a in articles:
        path = folder / f"{a.stem}.yaml"
        key = digest(("record", a.key, a.path, str(root))) if memo is not None and a.key else None
        known = memo.known(path) if key else None
        if known is not None and known[1] == key:
            continue
        text = a.record(root)
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
            store.atomic_write(path, text, durable=False)
        if key:
            memo.remember(path, "", key)  # the key says what the file holds; its text is not needed
            remembered.append((path, key))
    return remembered
