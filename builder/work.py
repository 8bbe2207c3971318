"""The per-article unit of work: one file -> its ``Article`` and candidate events.

``process(path)`` is a pure function of the file's bytes (plus its sidecar),
the rules and the registry, so it can run in any process or on any machine
(see ``executors.py``) and its result can be cached by content
(``cache.ArticleCache``). Everything global — merging, the event store — stays
central in ``pipeline.scan``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import __version__, reading
from .entities import Registry
from .extraction import extract
from .models import Article, Candidate
from .rules import load_rules

DATA = Path(__file__).parent / "data"
MAX_CANDIDATES_PER_ARTICLE = 500  # documented guard (docs/how-it-works.md)


@dataclass(frozen=True)
class Result:
    path: str
    article: Article | None
    candidates: tuple[Candidate, ...] = ()
    error: str = ""  # 'path:line: reason' when the article was skipped


@cache
def _registry_at(folder: str, stamp: tuple) -> Registry:
    return Registry.load(Path(folder))


def registry(folder: str | Path) -> Registry:
    """The registry at ``folder``, shared with the per-article work of this process
    (and, when loaded before a process pool forks, with its workers)."""
    return _registry(str(folder))


def _registry(folder: str) -> Registry:
    """The registry, loaded once per process and again whenever its files change."""
    try:
        with os.scandir(folder) as it:
            files = [(e.name, e.stat()) for e in it if e.name.endswith(".yaml")]
    except OSError:
        files = []
    stamp = tuple((name, st.st_mtime_ns, st.st_size) for name, st in sorted(files, key=lambda f: f[0]))
    return _registry_at(folder, stamp)


def warm_up(registry_dir: str | Path) -> None:
    """Load what the per-article work otherwise loads on first use (the registry, the
    rules, jieba's word table, cn2an): process-pool workers forked afterwards share
    it instead of each loading a copy, and a benchmark measures the steady state."""
    import cn2an  # noqa: F401 - the amounts stage imports it on its first Chinese numeral

    from .entities import word_table

    registry(registry_dir)
    load_rules()
    word_table()


def process(path: str, registry_dir: str) -> Result:
    """Read and extract one article; a bad file gives a Result with ``error`` set."""
    try:
        art = reading.read_article(Path(path))
    except reading.ReadError as e:
        return Result(path, None, (), str(e))
    found = extract(art, _registry(registry_dir), load_rules())
    if len(found) > MAX_CANDIDATES_PER_ARTICLE:
        return Result(
            path,
            None,
            (),
            f"{path}: {len(found)} event mentions, over the limit of "
            f"{MAX_CANDIDATES_PER_ARTICLE} per article (is it a dump of many articles?)",
        )
    return Result(path, art, tuple(found))


def rules_digest(registry: Registry) -> str:
    """Changes whenever the builder's code version, rule data or registry change."""
    h = hashlib.sha256(__version__.encode())
    for f in sorted(DATA.glob("*")) + sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    h.update(registry.digest.encode())
    return h.hexdigest()[:16]
