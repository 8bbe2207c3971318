"""The per-article unit of work: one file -> its ``Article`` and candidate events.

``process(path)`` is a pure function of the file's bytes (plus its sidecar),
the rules and the registry, so it can run in any process or on any machine
(see ``executors.py``) and its result can be cached by content
(``ArticleCache``). Everything global — merging, the event store — stays
central in ``pipeline.scan``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from dataclasses import dataclass, replace
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


def _registry(folder: str) -> Registry:
    """The registry, loaded once per process and again whenever its files change."""
    stamp = tuple(
        (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(Path(folder).glob("*.yaml"))
    )
    return _registry_at(folder, stamp)


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


class ArticleCache:
    """Results keyed by the article's bytes (and sidecar) and the rules digest.

    A stat index (path -> mtime, size, key) avoids even reading unchanged files.
    """

    def __init__(self, folder: Path, digest: str):
        self.folder = folder / digest
        self.index_path = self.folder / "index.pickle"
        self.index: dict[str, tuple[int, int, str]] = {}
        if self.index_path.is_file():
            try:
                self.index = pickle.loads(self.index_path.read_bytes())
            except (pickle.UnpicklingError, EOFError, ValueError):
                self.index = {}
        self.dirty = False

    def key(self, path: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > reading.MAX_ARTICLE_BYTES:
            return None  # never read here: reading reports it (a pipe would block, a huge file fill memory)
        side = Path(path).with_name(Path(path).name.rsplit(".", 1)[0] + reading.SIDECAR_SUFFIX)
        try:
            side_st = side.stat()
            side_stamp = (side_st.st_mtime_ns, side_st.st_size)
        except OSError:
            side_stamp = None
        stamp = (st.st_mtime_ns, st.st_size, side_stamp)  # an edited sidecar changes the key too
        known = self.index.get(path)
        if known and known[:-1] == stamp:
            return known[-1]
        try:
            h = hashlib.sha256(Path(path).read_bytes())
            if side.is_file() and side.stat().st_size <= reading.MAX_SIDECAR_BYTES:
                h.update(side.read_bytes())
        except OSError:
            return None
        h.update(os.fsencode(Path(path).name))
        key = h.hexdigest()[:32]
        self.index[path] = (*stamp, key)
        self.dirty = True
        return key

    def get(self, path: str) -> Result | None:
        key = self.key(path)
        file = self.folder / f"{key}.pickle" if key else None
        if file is None or not file.is_file():
            return None
        try:
            res = pickle.loads(file.read_bytes())
        except (pickle.UnpicklingError, EOFError, ValueError, AttributeError):
            return None
        article = replace(res.article, path=reading.shown(path)) if res.article else None  # may have moved
        return Result(path, article, res.candidates, res.error.replace(res.path, path) if res.error else "")

    def put(self, res: Result) -> None:
        key = self.key(res.path)
        if key:
            _write_bytes(self.folder / f"{key}.pickle", pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        if self.dirty:
            _write_bytes(self.index_path, pickle.dumps(self.index, protocol=pickle.HIGHEST_PROTOCOL))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
