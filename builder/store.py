"""The event store: event YAML files under ``events/``, written so that hand edits win.

Write modes (named, as sqlite-utils names its upserts):
  * ``new``: no file holds this event yet -> write it.
  * ``update``: the file is untouched since the builder wrote it (its
    ``fingerprint`` still matches) -> rewrite it with the new content.
  * ``keep``: a person edited the file (fingerprint differs or is gone, or
    ``reviewed: true``) -> keep every byte; only new sources are inserted,
    as text, at the end of its ``sources:`` list.
  * ``suppressed``: the builder wrote this id once and a person deleted the
    file -> never bring it back (``events/.ledger`` remembers written ids).

A file with ``redirect_to: OTHER`` (left by ``timeline merge``) is a stub: an
event found again under the stub's id is routed to OTHER. Names are compared
through the registry, so renaming an entity or adding an alias does not make
a second file for the same event. ``events/.ledger`` also remembers which
sources (``article#anchor``) the builder put into each file: a source a
person deleted is not appended again.

``--force`` (destructive) rewrites hand-edited files from the scan, keeping
only their ``status``, ``note`` and ``reviewed`` values; stubs stay as they are.
Every write goes to a temporary file that is then renamed over the target.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import emit, fastyaml
from .dates import parse_iso
from .memo import Memo, digest
from .merging import dates_agree, family
from .models import DETAIL_KEYS, DateValue, Event, Source

SCHEMA_LINE = "# yaml-language-server: $schema={rel}builder/data/event.schema.json\n"
LEDGER = ".ledger"
KEY_ORDER = (
    "id",
    "type",
    "status",
    "redirect_to",
    "date",
    "date_text",
    "date_approximate",
    "title",
    "people",
    "companies",
    *DETAIL_KEYS,
    "other_dates",
    "note",
    "reviewed",
    "sources",
    "fingerprint",
)
HUMAN_KEYS = ("status", "note", "reviewed")  # what --force keeps of a hand-edited file
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StoreError(Exception):
    """An event file that cannot be read; ``str()`` is 'path:line: message'."""


@dataclass
class Stored:
    path: Path
    data: dict
    text: str

    @property
    def id(self) -> str:
        return str(self.data.get("id") or self.path.stem)

    @property
    def edited(self) -> bool:
        """True when a person changed the file after the builder wrote it."""
        if self.data.get("reviewed") is True:
            return True
        return written_fingerprint(self.text) != fingerprint(self.text)

    @property
    def redirect(self) -> str | None:
        target = self.data.get("redirect_to")
        return str(target) if target else None


@dataclass
class Plan:
    writes: dict[Path, str] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("new", "updated", "unchanged", "kept", "suppressed", "removed"), 0
        )
    )
    removals: list[Path] = field(default_factory=list)
    ledger: set[str] = field(default_factory=set)
    cited: dict[str, set[str]] = field(default_factory=dict)  # id -> {'article#anchor'} the builder wrote
    changes: list[tuple[str, Path, str]] = field(default_factory=list)  # (mode, path, detail), sorted by path

    def describe(self) -> list[str]:
        """One line per file the plan changes: 'new events/x.yaml', 'keep events/y.yaml (+1 source)'."""
        return [f"{mode} {path}{f' ({detail})' if detail else ''}" for mode, path, detail in self.changes]


# ------------------------------------------------------------------ format


def event_to_dict(e: Event) -> dict:
    d: dict = {"id": e.id, "type": e.type}
    if e.status != "confirmed":
        d["status"] = e.status
    d["date"] = e.date.value if e.date else None
    if e.date_text:
        d["date_text"] = e.date_text
    if e.date and e.date.approximate:
        d["date_approximate"] = True
    d["title"] = e.title
    d["people"] = list(e.people)
    d["companies"] = list(e.companies)
    for k, v in e.details:
        d[k] = v.split("、") if k == "investors" else v
    if e.other_dates:
        d["other_dates"] = list(e.other_dates)
    d["sources"] = [source_dict(s) for s in e.sources]
    return ordered(d)


def ordered(d: dict) -> dict:
    """Keys in the documented order (unknown keys last, as they came)."""
    return {**{k: d[k] for k in KEY_ORDER if k in d}, **{k: v for k, v in d.items() if k not in KEY_ORDER}}


def source_dict(s: Source) -> dict:
    out = {"article": s.article, "anchor": s.anchor, "quote": s.quote}
    if s.date_text:
        out["date_text"] = s.date_text
    return out


_source_dict = source_dict  # older name


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml: same bytes, 5x faster
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "'" if value[:4].isdigit() and len(value) in (4, 7, 10) else None
    if "\x85" in value:  # PyYAML writes NEL bare in plain/single-quoted style, reads it back as a space
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


_FAST = getattr(yaml, "__with_libyaml__", False) and issubclass(_Dumper, yaml.CSafeDumper)


def dump_body(d: object) -> str:
    """The builder's YAML style for any value (block style, unicode, no line wrapping).

    ``emit.fast_dump`` writes the same bytes as ``yaml.dump`` below for the documents
    it is sure about (most of them, ~10x faster); anything else goes through PyYAML."""
    if _FAST:
        text = emit.fast_dump(d, _Dumper.yaml_implicit_resolvers, date_quotes=True)
        if text is not None:
            return text
    return yaml.dump(
        d,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )


def dump(d: dict, rel: str = "../", *, with_fingerprint: bool = True) -> str:
    """Deterministic YAML text of one event, with schema line and (by default) fingerprint."""
    text = SCHEMA_LINE.format(rel=rel) + dump_body({k: v for k, v in d.items() if k != "fingerprint"})
    if not with_fingerprint:
        return text
    fp = fingerprint(text)
    return text + f"fingerprint: {repr(fp) if fp.isdigit() else fp}\n"  # all digits: quoted, stays text


def written_fingerprint(text: str) -> str | None:
    """The fingerprint the file's own ``fingerprint:`` line gives (None without one)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("fingerprint:")]
    return lines[-1].split(":", 1)[1].strip().strip("'\"") if lines else None


def fingerprint(text: str) -> str:
    """Hash of a file's text without its fingerprint line."""
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("fingerprint:")]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:16]


def schema_rel(path: Path, folder: Path) -> str:
    """'../' per folder level between an event file and the project root."""
    inner, top = os.fspath(path), os.path.join(os.fspath(folder), "")
    if not inner.startswith(top):  # not below the folder (or not spelled the same way)
        try:
            return "../" * len(path.relative_to(folder).parts)
        except ValueError:
            return "../"
    return "../" * (inner[len(top) :].count(os.sep) + 1)


# ------------------------------------------------------------------ reading


def load(folder: Path, memo: Memo | None = None) -> list[Stored]:
    """Every event file under ``folder`` (sorted); raises ``StoreError`` on a broken one.

    With a ``memo``, a file unchanged since the last scan is not read or parsed again."""
    out = []
    found = folder.rglob("*.yaml") if folder.is_dir() else []
    for path in sorted(found, key=lambda p: str(p).split(os.sep)):  # = Path order, without its cost
        known = memo.known(path) if memo else None
        if known is not None:
            if isinstance(known[1], dict):
                out.append(Stored(path, known[1], known[0]))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            why = getattr(e, "strerror", None) or e
            raise StoreError(f"{path}:1: cannot read as UTF-8 text: {why}") from e
        try:
            data = fastyaml.load(text)  # the builder's own style; None: anything else
            if data is None:
                data = yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            raise StoreError(f"{path}:{mark.line + 1 if mark else 1}: {getattr(e, 'problem', e)}") from e
        if memo:
            memo.remember(path, text, data)
        if isinstance(data, dict):
            out.append(Stored(path, data, text))
    return out


def read_ledger(folder: Path) -> set[str]:
    """Ids the builder has written (first word of each ledger line)."""
    return set(_read_ledger(folder))


def _read_ledger(folder: Path) -> dict[str, set[str]]:
    path = folder / LEDGER
    out: dict[str, set[str]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words:
                out.setdefault(words[0], set()).update(words[1:])
    return out


def source_key(article: object, anchor: object) -> str:
    return f"{article}#{anchor}"


# ------------------------------------------------------------------ planning


Canon = Callable[[str], str]


def _identity(name: str) -> str:
    return name


def canonicaliser(registry) -> Canon:
    """name -> the registry's canonical name (unknown names stay as they are)."""
    if registry is None:
        return _identity
    return lambda name: registry.canonical(str(name)) or str(name)


def _parties(d: dict, canon: Canon) -> tuple[set[str], set[str]]:
    def names(key: str) -> list[str]:
        v = d.get(key) or []
        return [canon(str(x)) for x in (v if isinstance(v, list) else [v])]

    return set(names("people")), set(names("companies"))


def stored_date(d: dict) -> DateValue | None:
    try:
        value = parse_iso(str(d["date"])) if d.get("date") else None
    except ValueError:
        return None
    return DateValue(value.value, approximate=d.get("date_approximate") is True) if value else None


def matches(e: Event, s: Stored, canon: Canon = _identity) -> bool:
    """Is the stored file the same real event as ``e``? (names compared through ``canon``)"""
    if s.id == e.id:
        return True
    if s.redirect or family(str(s.data.get("type"))) != family(e.type):
        return False
    people, companies = _parties(s.data, canon)
    if e.people or people:
        if not {canon(x) for x in e.people} & people:
            return False
    elif not {canon(x) for x in e.companies[:1]} & companies:
        return False
    return dates_agree(e.date, stored_date(s.data)) and bool(
        _articles(s.data) & {x.article for x in e.sources}
    )


def _articles(d: dict) -> set[str]:
    return {str(x.get("article")) for x in _source_list(d) if isinstance(x, dict)}


def _source_list(d: dict) -> list:
    v = d.get("sources")
    return v if isinstance(v, list) else []


def plan(
    events: list[Event],
    folder: Path,
    scanned: set[str],
    force: bool = False,
    registry=None,
    memo: Memo | None = None,
) -> Plan:
    """Decide every write; nothing touches the disk until ``apply``.

    ``memo`` (optional) spares re-reading unchanged files and re-dumping unchanged events."""
    stored = load(folder, memo)
    past = _read_ledger(folder)
    p = Plan(ledger=set(past))
    canon = canonicaliser(registry)
    by_id: dict[str, Stored] = {}
    for s in stored:
        by_id.setdefault(s.id, s)
    homes = _match(events, stored, by_id, canon)
    taken = set(by_id) | set(past)
    texts: dict[Path, str] = {}
    files: dict[Path, Stored] = {}
    regenerated: set[Path] = set()
    routed: list[tuple[Stored, Event]] = []  # sources of these events go into these kept files
    for i, e in enumerate(events):
        s = homes.get(i)
        if s is None:
            _plan_new(e, folder, p, taken, memo)
            continue
        p.ledger.add(s.id)
        target = _resolve(s, by_id)
        if target is None:  # a stub pointing nowhere: the person's decision stands
            continue
        files[target.path] = target
        if target is s and (force or not s.edited):
            texts[s.path] = _regenerate(e, s, folder, force, memo)
            regenerated.add(s.path)
            p.cited.setdefault(s.id, set()).update(source_key(x.article, x.anchor) for x in e.sources)
        else:
            routed.append((target, e))
    appended: dict[Path, int] = {}
    for target, e in routed:
        base = texts.get(target.path, target.text)
        data = yaml.load(base, Loader=Loader) or {}  # noqa: S506 - a safe loader
        have = {
            source_key(x.get("article"), x.get("anchor")) for x in _source_list(data) if isinstance(x, dict)
        }
        skip = have | past.get(target.id, set())  # present, or put there once and deleted by a person
        new = list(
            {
                source_key(x.article, x.anchor): x
                for x in e.sources
                if source_key(x.article, x.anchor) not in skip
            }.values()
        )
        texts[target.path] = append_sources(base, [source_dict(x) for x in new])
        appended[target.path] = appended.get(target.path, 0) + len(new)
        p.cited.setdefault(target.id, set()).update(source_key(x.article, x.anchor) for x in e.sources)
    for path in sorted(texts):
        if texts[path] == files[path].text:
            p.counts["unchanged" if path in regenerated else "kept"] += 1
            continue
        p.writes[path] = texts[path]
        p.counts["updated"] += 1
        if path in regenerated:
            p.changes.append(("update", path, "forced" if files[path].edited else ""))
        else:
            n = appended.get(path, 0)
            p.changes.append(("keep", path, f"+{n} source{'s' if n != 1 else ''}"))
    used = {path for path in files} | {s.path for s in homes.values()}
    for s in stored:
        if s.path not in used and not s.edited and _articles(s.data) and _articles(s.data) <= scanned:
            p.removals.append(s.path)
            p.counts["removed"] += 1
            p.changes.append(("remove", s.path, ""))
    p.changes.sort(key=lambda c: (str(c[1]), c[0]))
    return p


def _match(
    events: list[Event], stored: list[Stored], by_id: dict[str, Stored], canon: Canon
) -> dict[int, Stored]:
    """Event index -> its file: same id first, then the same real event (each file once;
    a file other files were merged into may take several events)."""
    homes: dict[int, Stored] = {}
    claimed: set[Path] = set()
    for i, e in enumerate(events):
        s = by_id.get(e.id)
        if s is not None and s.path not in claimed:
            homes[i] = s
            claimed.add(s.path)
    merged_into = {s.redirect for s in stored if s.redirect}
    for i, e in enumerate(events):
        if i in homes:
            continue
        s = next((s for s in stored if s.path not in claimed and matches(e, s, canon)), None)
        if s is None:
            s = next((s for s in stored if s.id in merged_into and matches(e, s, canon)), None)
        if s is not None:
            homes[i] = s
            claimed.add(s.path)
    return homes


def _resolve(s: Stored, by_id: dict[str, Stored]) -> Stored | None:
    """Follow ``redirect_to`` to the file that holds the event (None: broken or circular)."""
    seen = set()
    while s.redirect:
        if s.id in seen:
            return None
        seen.add(s.id)
        nxt = by_id.get(s.redirect)
        if nxt is None:
            return None
        s = nxt
    return s


def _event_key(e: Event, eid: str, rel: str, memo: Memo) -> str:
    """Key of the text made from ``e`` under id ``eid`` (digest of the event taken once per run)."""
    return digest(("event", memo.digest_of(e), eid, rel))


def _regenerate(e: Event, s: Stored, folder: Path, force: bool, memo: Memo | None = None) -> str:
    if memo is not None and not (force and s.edited):
        key = _event_key(e, s.id, schema_rel(s.path, folder), memo)
        text = memo.output(key)
        if text is None:
            text = _regenerate(e, s, folder, force)
            memo.put_output(key, text)
        return text
    d = event_to_dict(e)
    d["id"] = s.id
    if force and s.edited:
        d.pop("status", None)
        for key in HUMAN_KEYS:
            if key in s.data and s.data[key] is not None:
                d[key] = s.data[key]
        d = ordered(d)
    return dump(d, schema_rel(s.path, folder))


def predump(events: list[Event], memo: Memo) -> None:
    """Put the text of every event not yet in ``memo`` there (as a new top-level file
    under its own id), with what loading that text gives back (the dict and its
    fingerprint: the YAML round trip is exact, tests/test_fuzz.py), so ``plan`` only
    looks texts up and ``apply`` never parses what it wrote."""
    for e in events:
        key = _event_key(e, e.id, "../", memo)
        if memo.output(key) is None:
            d = event_to_dict(e)
            text = dump(d)
            memo.put_output(key, text)
            memo.made[text] = {**d, "fingerprint": written_fingerprint(text)}


def _plan_new(e: Event, folder: Path, p: Plan, taken: set[str], memo: Memo | None = None) -> None:
    if e.id in p.ledger:
        p.counts["suppressed"] += 1
        p.changes.append(("suppressed", folder / f"{e.id}.yaml", "deleted by hand"))
        return
    eid, n = e.id, 2
    while eid in taken:
        eid, n = f"{e.id}-{n}", n + 1
    taken.add(eid)
    p.ledger.add(eid)
    p.cited.setdefault(eid, set()).update(source_key(x.article, x.anchor) for x in e.sources)
    path = folder / f"{eid}.yaml"
    key = _event_key(e, eid, "../", memo) if memo is not None else ""
    text = memo.output(key) if memo is not None else None
    if text is None:
        d = event_to_dict(e)
        d["id"] = eid
        text = dump(d)
        if memo is not None:
            memo.put_output(key, text)  # the next scan finds it unchanged without dumping
    p.writes[path] = text
    p.counts["new"] += 1
    p.changes.append(("new", path, ""))


# ------------------------------------------------------------------ appending sources


def append_sources(text: str, sources: list[dict]) -> str:
    """``text`` with ``sources`` added at the end of its ``sources:`` list.

    Every existing byte stays where it was: the new items are inserted as text
    in the list's own style (block items at its indentation, or flow items).
    Only when the file is too unusual for that (``sources: ~``) does it fall
    back to a round-trip YAML edit.
    """
    if not sources:
        return text
    try:
        out = _insert_sources(text, sources)
    except (yaml.YAMLError, ValueError):
        out = None
    if out is None or not _appended_ok(text, out, sources):
        out = _roundtrip_append(text, sources)
    return out


def _insert_sources(text: str, sources: list[dict]) -> str | None:
    node = yaml.compose(text, Loader=Loader)
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "sources"), None)
    key = next((k for k, v in node.value if v is value), None)
    if value is None:
        if node.flow_style:
            return None
        return _after_line(text, len(text), "sources:\n" + dump_body(sources))
    if isinstance(value, yaml.ScalarNode):
        if value.tag != "tag:yaml.org,2002:null" or value.start_mark.index != value.end_mark.index:
            return None  # 'sources: ~' or 'sources: null': the text would have to change
        return _after_line(text, key.end_mark.index, _indent(dump_body(sources), key.start_mark.column))
    if not isinstance(value, yaml.SequenceNode):
        return None
    if value.flow_style:
        close = value.end_mark.index - 1
        if text[close] != "]":
            return None
        before = text[value.start_mark.index + 1 : close].rstrip()
        items = ", ".join(_flow(x) for x in sources)
        sep = "" if not before or before.endswith(",") else ", "
        return text[:close] + sep + items + text[close:]
    end = _node_end(value.value[-1]) if value.value else value.end_mark
    block = _indent(dump_body(sources), value.start_mark.column)
    if end.column == 0:  # a block scalar ended the list: its end is the start of a line
        return text[: end.index] + block + text[end.index :]
    return _after_line(text, end.index, block)


def _node_end(node: yaml.Node) -> yaml.Mark:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node.end_mark


def _after_line(text: str, index: int, block: str) -> str:
    """Insert ``block`` (whole lines) after the line holding ``index``."""
    nl = text.find("\n", index)
    if nl < 0:
        return text + ("\n" if text else "") + block
    return text[: nl + 1] + block + text[nl + 1 :]


def _indent(block: str, n: int) -> str:
    return "".join(" " * n + line if line.strip() else line for line in block.splitlines(keepends=True))


def _flow(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in d.items()) + "}"


def _appended_ok(old: str, new: str, sources: list[dict]) -> bool:
    try:
        before = yaml.load(old, Loader=Loader) or {}  # noqa: S506
        after = yaml.load(new, Loader=Loader)  # noqa: S506
    except yaml.YAMLError:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    want = {**before, "sources": _source_list(before) + sources}
    return after == want


def _roundtrip_append(text: str, sources: list[dict]) -> str:
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 10_000
    doc = rt.load(text)
    if not isinstance(doc.get("sources"), list):
        doc["sources"] = []
    for x in sources:
        doc["sources"].append(x)
    buf = io.StringIO()
    rt.dump(doc, buf)
    return buf.getvalue()


def _with_new_sources(s: Stored, e: Event) -> str:
    """Older entry point: ``s``'s text with the sources of ``e`` it lacks."""
    have = {
        source_key(x.get("article"), x.get("anchor")) for x in _source_list(s.data) if isinstance(x, dict)
    }
    return append_sources(
        s.text, [source_dict(x) for x in e.sources if source_key(x.article, x.anchor) not in have]
    )


# ------------------------------------------------------------------ writing


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: Path, text: str, durable: bool = True) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``:
    a crash leaves either the old file or the new one, never half of one (a killed run
    may leave the temporary file: ``remove_stale_temps`` clears it on the next run).
    A failed write (full disk, no permission) raises ``StoreError`` naming ``path``."""
    tmp = None
    try:
        fd, tmp = _temp_beside(path)
        try:
            _write_all(fd, text.encode("utf-8"))
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        why = e.strerror or e
        raise StoreError(f"{path}: cannot write: {why} (the old file, if any, is unchanged)") from e
    except BaseException:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new file '.NAME.XXXXXXXX.tmp' beside ``path`` (mode 0666 less the umask).

    The first try is named after this process (one open, no random names); if that
    name is taken (a temp left by an earlier process with the same id), mkstemp."""
    folder = os.path.dirname(path) or "."
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid() & 0xFFFFFFFF:08x}.tmp")
    for attempt in range(2):
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            break
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    os.fchmod(fd, 0o666 & ~_UMASK)
    return fd, tmp


_STALE_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # atomic_write's '.NAME.XXXXXXXX.tmp'


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files that a killed run of ``atomic_write`` left under ``folder``."""
    gone = []
    for path in sorted(folder.rglob(".*.tmp")) if folder.is_dir() else []:
        if _STALE_TEMP.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def ledger_text(ids: Iterable[str], cited: dict[str, set[str]]) -> str:
    return "".join(" ".join([i, *sorted(cited.get(i, ()))]) + "\n" for i in sorted(ids))


def apply(p: Plan, folder: Path, memo: Memo | None = None) -> None:
    remove_stale_temps(folder)
    for path in sorted(p.writes):  # each rename is atomic; one sync below makes them all durable
        atomic_write(path, p.writes[path], durable=False)
        if memo:
            text = p.writes[path]
            data = memo.made.get(text)
            memo.remember(path, text, data if data is not None else yaml.load(text, Loader=Loader))  # noqa: S506
    for path in p.removals:
        path.unlink(missing_ok=True)
        if memo:
            memo.forget(path)
    if p.writes or p.removals:
        os.sync()
    gone = {path.stem for path in p.removals}  # removed by the builder, not by a person
    past = _read_ledger(folder)
    cited = {i: past.get(i, set()) | p.cited.get(i, set()) for i in set(past) | set(p.cited)}
    ledger = ledger_text((p.ledger | set(past)) - gone, cited)
    if ledger != ((folder / LEDGER).read_text(encoding="utf-8") if (folder / LEDGER).is_file() else None):
        atomic_write(folder / LEDGER, ledger)
