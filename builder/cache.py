"""The per-article cache: an unchanged article is neither read nor extracted again.

Results of ``work.process`` are keyed by the article's bytes (and its sidecar's)
under a folder named by the rules digest (builder code, rule data, registry;
``work.rules_digest``), so any change to the builder starts a fresh cache.

Three kinds of files, so that a re-scan of an unchanged archive loads only
what it needs:

* ``index.pickle`` — path -> (stat stamp, content key), and key -> (stem,
  shown path, error): enough to know every article without opening it;
* ``results/XX.pickle`` — key -> the article's candidate events, in 256
  shards by the key's first two hex digits; a shard is loaded only when the
  merge needs candidates of one of its articles (a component that changed),
  and only changed shards are written back.

Article records (``records.py``) are not kept here: they are written when the
article is processed, and the rare record that must be written again later (a
deleted record file, a moved project) costs processing its article again —
keeping every record's text would make the results seven times bigger.

(Shards rather than one file per article: creating 10,000 small files costs
more than writing a few big ones; rather than one file: adding one article to
a 10,000-article archive rewrites 1/256 of the results, not all of them.)

Losing or damaging any of them costs time, never a result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import reading
from .models import Candidate

if TYPE_CHECKING:
    from .records import Done

_Stamp = tuple[int, int, tuple[int, int] | None]
SHARD_DIGITS = 2  # results are sharded by this many leading hex digits of the content key


@dataclass(frozen=True)
class Known:
    """What the cache knows of one article file without loading it."""

    path: str
    key: str
    stem: str  # '' when the article was skipped
    error: str  # 'path:line: reason' when skipped


def _sidecar(path: str) -> str:
    folder, name = os.path.split(path)
    return os.path.join(folder, name.rsplit(".", 1)[0] + reading.SIDECAR_SUFFIX)


def file_stamp(path: str) -> _Stamp | None:
    """(mtime_ns, size, sidecar stamp) of an article file; None for what is never read here
    (missing, not a regular file, over the size limit: reading reports those)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > reading.MAX_ARTICLE_BYTES:
        return None  # a pipe would block, a huge file fill memory
    try:
        side_st = os.stat(_sidecar(path))
        side_stamp = (side_st.st_mtime_ns, side_st.st_size)
    except OSError:
        side_stamp = None
    return (st.st_mtime_ns, st.st_size, side_stamp)  # an edited sidecar changes the key too


def content_key(path: str, stamp: _Stamp) -> str | None:
    """Hash of the article's bytes, its sidecar's and its file name (pure: runs in workers)."""
    try:
        with open(path, "rb") as f:
            h = hashlib.sha256(f.read())
        if stamp[2] and stamp[2][1] <= reading.MAX_SIDECAR_BYTES:
            with open(_sidecar(path), "rb") as f:
                h.update(f.read())
    except OSError:
        return None
    h.update(os.fsencode(os.path.basename(path)))
    return h.hexdigest()[:32]


def load_pickle(path: Path, default):
    """The object pickled at ``path``, or ``default`` when it is missing or damaged."""
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing or damaged: it is only a cache
        return default


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ArticleCache:
    def __init__(self, folder: Path, digest: str):
        self.folder = folder / digest
        index = load_pickle(self.folder / "index.pickle", {})
        self.stamps: dict[str, tuple[_Stamp, str]] = index.get("stamps", {})
        self.known: dict[str, tuple[str, str, str]] = index.get("known", {})  # key -> (stem, path, error)
        self._shards: dict[str, dict[str, tuple]] = {}  # shard -> key -> candidates
        self._changed: set[str] = set()  # shards to write back
        self.dirty = False

    # ------------------------------------------------------------ keys

    def key(self, path: str, hash_new: bool = True) -> str | None:
        """The content key of the file at ``path``: from the stat index when its stamp is
        unchanged, else by hashing it (for a path never seen before only if ``hash_new``:
        a fresh article is hashed by the worker that processes it)."""
        stamp = file_stamp(path)
        if stamp is None:
            return None
        seen = self.stamps.get(path)
        if seen and seen[0] == stamp:
            return seen[1]
        if seen is None and not hash_new:
            return None
        key = content_key(path, stamp)
        if key:
            self.remember(path, stamp, key)
        return key

    def remember(self, path: str, stamp: _Stamp, key: str) -> None:
        self.stamps[path] = (stamp, key)
        self.dirty = True

    # ------------------------------------------------------------ reading

    def lookup(self, path: str, hash_new: bool = True) -> Known | None:
        key = self.key(path, hash_new)
        entry = self.known.get(key) if key else None
        if entry is None:
            return None
        stem, was, error = entry
        return Known(path, key, stem, error.replace(was, path) if error else "")

    def _shard(self, key: str) -> tuple[str, dict[str, tuple]]:
        name = key[:SHARD_DIGITS]
        found = self._shards.get(name)
        if found is None:
            found = self._shards[name] = load_pickle(self.folder / "results" / f"{name}.pickle", {})
        return name, found

    def candidates(self, key: str) -> tuple[Candidate, ...] | None:
        """The article's candidate events (None if the cache lost them)."""
        return self._shard(key)[1].get(key)

    # ------------------------------------------------------------ writing

    def put(self, done: Done) -> None:
        res = done.result
        if done.key and done.stamp:
            self.remember(res.path, done.stamp, done.key)
        key = done.key or self.key(res.path)
        if not key:
            return
        name, shard = self._shard(key)
        self.known[key] = (done.stem, res.path, res.error)
        shard[key] = res.candidates
        self._changed.add(name)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        self.stamps = {p: v for p, v in self.stamps.items() if os.path.lexists(p)}
        keys = {key for _, key in self.stamps.values()}
        self.known = {k: v for k, v in self.known.items() if k in keys}
        write_bytes_atomic(
            self.folder / "index.pickle",
            pickle.dumps({"stamps": self.stamps, "known": self.known}, protocol=pickle.HIGHEST_PROTOCOL),
        )
        # results of articles gone are dropped with their shard's next write
        for name in sorted(self._changed):
            shard = self._shards[name] = {k: v for k, v in self._shards[name].items() if k in keys}
            write_bytes_atomic(
                self.folder / "results" / f"{name}.pickle",
                pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL),
            )
        self._changed.clear()
        self.dirty = False
        self._prune_older_builders()

    def _prune_older_builders(self) -> None:
        """Caches of other builder versions (other rules digests) will not be read again."""
        for other in self.folder.parent.iterdir():
            if other != self.folder and other.is_dir() and len(other.name) == len(self.folder.name):
                shutil.rmtree(other, ignore_errors=True)
