"""The event store: event YAML files under ``events/``, written so that hand edits win.

Write modes (named, as sqlite-utils names its upserts):
  * ``new``: no file holds this event yet -> write it.
  * ``update``: the file is untouched since the builder wrote it (its
    ``fingerprint`` still matches) -> rewrite it with the new content.
  * ``keep``: a person edited the file (fingerprint differs or is gone, or
    ``reviewed: true``) -> keep every byte; only new sources are appended.
  * ``suppressed``: the builder wrote this id once and a person deleted the
    file -> never bring it back (``events/.ledger`` remembers written ids).
Every write goes to a temporary file that is then renamed over the target.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .merging import dates_agree, family
from .models import Event

SCHEMA_LINE = "# yaml-language-server: $schema={rel}builder/data/event.schema.json\n"
LEDGER = ".ledger"
KEY_ORDER = ("id", "type", "status", "date", "date_text", "date_approximate", "title", "people", "companies",
             "from", "to", "role", "amount", "round", "investors", "plaintiff", "defendant", "acquirer", "target",
             "product", "old_price", "new_price", "other_dates", "note", "reviewed", "sources", "fingerprint")


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
        return self.data.get("fingerprint") != fingerprint(self.text)


@dataclass
class Plan:
    writes: dict[Path, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("new", "updated", "unchanged", "kept", "suppressed", "removed"), 0))
    removals: list[Path] = field(default_factory=list)
    ledger: set[str] = field(default_factory=set)


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
    d["sources"] = [_source_dict(s) for s in e.sources]
    return {k: d[k] for k in KEY_ORDER if k in d}


def _source_dict(s) -> dict:
    out = {"article": s.article, "anchor": s.anchor, "quote": s.quote}
    if s.date_text:
        out["date_text"] = s.date_text
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "'" if value[:4].isdigit() and len(value) in (4, 7, 10) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(d: dict, rel: str = "../") -> str:
    """Deterministic YAML text of one event, with schema line and fingerprint."""
    body = yaml.dump({k: v for k, v in d.items() if k != "fingerprint"}, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=False, width=10_000, indent=2)
    text = SCHEMA_LINE.format(rel=rel) + body
    return text + f"fingerprint: {fingerprint(text)}\n"


def fingerprint(text: str) -> str:
    """Hash of a file's text without its fingerprint line."""
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("fingerprint:")]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------ reading


def load(folder: Path) -> list[Stored]:
    """Every event file under ``folder`` (sorted); raises ``StoreError`` on a broken one."""
    out = []
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            raise StoreError(f"{path}:{mark.line + 1 if mark else 1}: {getattr(e, 'problem', e)}") from e
        if isinstance(data, dict):
            out.append(Stored(path, data, text))
    return out


def read_ledger(folder: Path) -> set[str]:
    path = folder / LEDGER
    return set(path.read_text(encoding="utf-8").split()) if path.is_file() else set()


# ------------------------------------------------------------------ planning


def _parties(d: dict) -> tuple[set[str], set[str]]:
    return set(d.get("people") or []), set(d.get("companies") or [])


def matches(e: Event, s: Stored) -> bool:
    """Is the stored file the same real event as ``e``?"""
    if s.id == e.id:
        return True
    if family(str(s.data.get("type"))) != family(e.type):
        return False
    people, companies = _parties(s.data)
    if e.people or people:
        if not set(e.people) & people:
            return False
    elif not set(e.companies[:1]) & companies:
        return False
    from .dates import parse_iso

    try:
        stored_date = parse_iso(str(s.data["date"])) if s.data.get("date") else None
    except ValueError:
        stored_date = None
    return dates_agree(e.date, stored_date) and bool(_articles(s.data) & {x.article for x in e.sources})


def _articles(d: dict) -> set[str]:
    return {str(x.get("article")) for x in d.get("sources") or [] if isinstance(x, dict)}


def plan(events: list[Event], folder: Path, scanned: set[str], force: bool = False) -> Plan:
    stored = load(folder)
    p = Plan(ledger=read_ledger(folder))
    claimed: set[Path] = set()
    taken = {s.id for s in stored}
    for e in events:
        home = next((s for s in stored if s.path not in claimed and matches(e, s)), None)
        if home is None:
            _plan_new(e, folder, p, taken)
            continue
        claimed.add(home.path)
        _plan_existing(e, home, p, force, folder)
    for s in stored:
        if s.path not in claimed and not s.edited and _articles(s.data) and _articles(s.data) <= scanned:
            p.removals.append(s.path)
            p.counts["removed"] += 1
    return p


def _plan_new(e: Event, folder: Path, p: Plan, taken: set[str]) -> None:
    if e.id in p.ledger:
        p.counts["suppressed"] += 1
        return
    eid, n = e.id, 2
    while eid in taken:
        eid, n = f"{e.id}-{n}", n + 1
    taken.add(eid)
    p.ledger.add(eid)
    d = event_to_dict(e)
    d["id"] = eid
    p.writes[folder / f"{eid}.yaml"] = dump(d)
    p.counts["new"] += 1


def _plan_existing(e: Event, s: Stored, p: Plan, force: bool, folder: Path) -> None:
    p.ledger.add(s.id)
    if s.edited and not force:
        text = _with_new_sources(s, e)
        key = "kept" if text == s.text else "updated"
        if text != s.text:
            p.writes[s.path] = text
        p.counts[key] += 1
        return
    d = event_to_dict(e)
    d["id"] = s.id
    text = dump(d, "../" * len(s.path.relative_to(folder).parts))
    if text == s.text:
        p.counts["unchanged"] += 1
    else:
        p.writes[s.path] = text
        p.counts["updated"] += 1


def _with_new_sources(s: Stored, e: Event) -> str:
    """Append sources the hand-edited file lacks, keeping every other byte (round-trip YAML)."""
    have = {(str(x.get("article")), str(x.get("anchor"))) for x in s.data.get("sources") or [] if isinstance(x, dict)}
    new = [x for x in e.sources if (x.article, x.anchor) not in have]
    if not new:
        return s.text
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 10_000
    doc = rt.load(s.text)
    if not isinstance(doc.get("sources"), list):
        doc["sources"] = []
    for x in new:
        doc["sources"].append(_source_dict(x))
    buf = io.StringIO()
    rt.dump(doc, buf)
    return buf.getvalue()


# ------------------------------------------------------------------ writing


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(p: Plan, folder: Path) -> None:
    for path in sorted(p.writes):
        atomic_write(path, p.writes[path])
    for path in p.removals:
        path.unlink(missing_ok=True)
    gone = {path.stem for path in p.removals}  # removed by the builder, not by a person
    ledger = "".join(f"{i}\n" for i in sorted((p.ledger | read_ledger(folder)) - gone))
    if ledger != ((folder / LEDGER).read_text(encoding="utf-8") if (folder / LEDGER).is_file() else None):
        atomic_write(folder / LEDGER, ledger)
