"""What the last scan already computed, so an unchanged re-scan does almost nothing.

The per-article cache (``work.ArticleCache``) spares reading and extracting an
unchanged article; this memo spares the central, serial part of a scan:

* ``files``: event and article-record files the builder saw or wrote, keyed by
  path, with their stat stamp, text and parsed data; a file whose stamp is
  unchanged is not read or parsed again;
* ``outputs``: text the builder produced from a given input (an event's YAML
  from the merged event, an article record from the article file), keyed by a
  digest of that input, so unchanged events are not dumped again;
* ``merged``: the events of the last run (which component event, with which
  id) with the digest of the candidate lists they came from;
* ``parts``: the merged events of each component of linked candidates
  (``merging.components``), keyed by a digest of its candidates' articles, and
  ``links``: each article's candidates' link keys, so a scan that adds or changes
  a few articles merges only the components they touch, without loading the
  other articles' candidates.

It is a cache: losing or corrupting it costs time, never a result. It lives in
the per-article cache's folder, whose name is the rules digest (builder code,
rule data, registry), so a new builder version starts from an empty memo.
A stamp is (mtime_ns, ctime_ns, size, inode): ``touch -d`` can forge an mtime
but not a ctime, so a file edited and put back to the same size and mtime is
still noticed.

On disk it is a folder: ``merged.pickle`` and each of the four tables split in
``SHARDS`` files by a hash of the key (``files/07.pickle``), so a run that
changes a few entries rewrites a few small files, not the whole memo. Every
entry stands alone (a stamp-checked file, or keyed by a digest of what it was
made from), so a damaged or missing shard, or a save cut short between two
shard writes, only costs the work of its entries.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from .cache import load_pickle, write_bytes_atomic

Stamp = tuple[int, int, int, int]

SHARDS = 64
TABLES = ("files", "outputs", "parts", "links")


def shard_of(key: str) -> str:
    return f"{zlib.crc32(key.encode('utf-8', 'surrogatepass')) % SHARDS:02d}"


def stamp(path: Path | str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def digest(value: Any) -> str:
    """A digest of a value made of dataclasses, tuples, lists, dicts, strings and numbers.

    Taken over ``repr`` rather than a pickle: a pickle depends on which equal
    objects happen to be shared, so an event loaded back from the memo would
    not digest like the freshly merged one."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Memo:
    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.files: dict[str, tuple[Stamp, str, Any]] = {}
        self.outputs: dict[str, str] = {}
        # (input digest, candidates, [(component key, index, id, digest)] of the events)
        self.merged: tuple[str, int, Any] | None = None
        # component key -> (its merged events (merging.Merged), their digests, their event_id)
        self.parts: dict[str, Any] = {}
        self.links: dict[str, tuple] = {}  # article content key -> its candidates' link keys
        self.made: dict[str, Any] = {}  # this run only: generated text -> what parsing it gives
        self._digests: dict[int, tuple[Any, str]] = {}  # this run only: id -> (object, digest)
        self._used_outputs: set[str] = set()
        self._used_parts: set[str] = set()
        self._used_links: set[str] = set()
        self._loaded: dict[tuple[str, str], int] = {}  # (table, shard) -> entries read from it
        self._dirty: set[tuple[str, str]] = set()  # (table, shard) changed in this run; ("merged", "")
        if folder is not None:
            self._load(folder)

    def _load(self, folder: Path) -> None:
        merged = _read(folder / "merged.pickle")
        self.merged = merged if isinstance(merged, tuple) and len(merged) == 3 else None
        for table in TABLES:
            into = getattr(self, table)
            for path in sorted((folder / table).glob("*.pickle")):
                found = _read(path)
                if isinstance(found, dict) and all(shard_of(k) == path.stem for k in found):
                    into.update(found)
                    self._loaded[(table, path.stem)] = len(found)

    @property
    def dirty(self) -> bool:
        return bool(self._dirty)

    def _touch(self, table: str, key: str) -> None:
        self._dirty.add((table, shard_of(key)))

    # --------------------------------------------------------------- files

    def known(self, path: Path) -> tuple[str, Any] | None:
        """(text, data) of ``path`` if it is unchanged since it was remembered."""
        entry = self.files.get(str(path))
        if entry is not None and entry[0] == stamp(path):
            return entry[1], entry[2]
        return None

    def remember(self, path: Path, text: str, data: Any) -> None:
        st = stamp(path)
        if st is not None:
            self.files[str(path)] = (st, text, data)
            self._touch("files", str(path))

    def forget(self, path: Path) -> None:
        if self.files.pop(str(path), None) is not None:
            self._touch("files", str(path))

    # --------------------------------------------------------------- outputs

    def digest_of(self, value: Any) -> str:
        """``digest(value)``, taken once per object in this run (objects live as long as the run)."""
        found = self._digests.get(id(value))
        if found is None or found[0] is not value:
            found = (value, digest(value))
            self._digests[id(value)] = found
        return found[1]

    def seed_digest(self, value: Any, known: str) -> None:
        """Let ``digest_of(value)`` be ``known``: a key that, like the digest, changes
        whenever the value's content does (taken from what the value was made of)."""
        self._digests[id(value)] = (value, known)

    def output(self, key: str) -> str | None:
        text = self.outputs.get(key)
        if text is not None:
            self._used_outputs.add(key)
        return text

    def put_output(self, key: str, text: str) -> None:
        if self.outputs.get(key) != text:
            self.outputs[key] = text
            self._touch("outputs", key)
        self._used_outputs.add(key)

    def set_merged(self, merged: tuple[str, int, Any]) -> None:
        if merged != self.merged:
            self.merged = merged
            self._dirty.add(("merged", ""))

    # --------------------------------------------------------------- merging by component

    def part(self, key: str) -> Any | None:
        found = self.parts.get(key)
        if found is not None:
            self._used_parts.add(key)
        return found

    def put_part(self, key: str, merged: Any) -> None:
        self.parts[key] = merged
        self._used_parts.add(key)
        self._touch("parts", key)

    def links_of(self, article_key: str) -> tuple | None:
        found = self.links.get(article_key)
        if found is not None:
            self._used_links.add(article_key)
        return found

    def put_links(self, article_key: str, links: tuple) -> None:
        if self.links.get(article_key) != links:
            self.links[article_key] = links
            self._touch("links", article_key)
        self._used_links.add(article_key)

    # --------------------------------------------------------------- saving

    def save(self) -> None:
        """Write the changed shards, each atomically. Outputs not used in this run and
        files gone from disk are dropped; so are the parts and links a merging run did
        not use."""
        if self.folder is None:
            return
        unused = len(self._used_outputs) < len(self.outputs) or (
            (self._used_parts or self._used_links)
            and (len(self._used_parts) < len(self.parts) or len(self._used_links) < len(self.links))
        )
        if not self._dirty and not unused:
            return  # nothing new, nothing to drop (files gone are dropped by the next save)
        self.outputs = {k: v for k, v in self.outputs.items() if k in self._used_outputs}
        self.files = {k: v for k, v in self.files.items() if os.path.lexists(k)}
        if self._used_parts or self._used_links:  # a run that merged: keep what it used
            self.parts = {k: v for k, v in self.parts.items() if k in self._used_parts}
            self.links = {k: v for k, v in self.links.items() if k in self._used_links}
        if ("merged", "") in self._dirty:
            _write(self.folder / "merged.pickle", self.merged)
        for table in TABLES:
            entries = getattr(self, table)
            loaded = sum(n for (t, _), n in self._loaded.items() if t == table)
            if len(entries) == loaded and not any(t == table for t, _ in self._dirty):
                continue  # nothing added, changed or dropped
            shards: dict[str, dict[str, Any]] = {}
            for k, v in entries.items():
                shards.setdefault(shard_of(k), {})[k] = v
            names = {name for t, name in self._loaded if t == table} | set(shards)
            for name in sorted(names):
                found = shards.get(name, {})
                if (table, name) in self._dirty or len(found) != self._loaded.get((table, name)):
                    _write(self.folder / table / f"{name}.pickle", found)  # entries dropped: fewer
                    self._loaded[(table, name)] = len(found)
        self._dirty.clear()


def _read(path: Path) -> Any:
    return load_pickle(path, None)


def _write(path: Path, value: Any) -> None:
    write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
