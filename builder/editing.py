"""Editing events by hand: ``timeline new``, ``timeline merge`` and name canonicalising.

``new_event`` writes an event file a person then completes: ``status:
confirmed``, ``reviewed: true`` (the builder never rewrites it) and no
fingerprint. ``merge_events`` folds duplicate events into the first one and
leaves the others as redirect stubs (``redirect_to: FIRST``) so their old
links keep working. ``canonical_names`` maps names through the registry, so a
renamed entity (old name kept as an alias) shows under its new name everywhere
without editing any event file. See docs/editing.md.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from . import store
from .checking import articles_folder, check_folder
from .dates import parse_iso
from .entities import Registry, RegistryError
from .models import DETAIL_KEYS, EVENT_TYPES

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EditError(Exception):
    """A request that cannot be carried out; the message says why."""


def canonical_names(registry: Registry | None, names) -> list[str]:
    """Names as the registry calls them now (aliases and old names -> canonical), each once, in order."""
    out: dict[str, None] = {}
    for name in names or ():
        name = str(name).strip()
        if name:
            out.setdefault((registry.canonical(name) if registry else None) or name, None)
    return list(out)


# ---------------------------------------------------------------- timeline new


@dataclass
class NewEvent:
    type: str
    date: str | None
    title: str
    people: list[str]
    companies: list[str]
    article: str = ""
    anchor: str = ""
    quote: str = ""
    note: str = ""
    id: str = ""


def valid_date(value: str | None, today: str | None = None) -> str | None:
    """'' / None -> None; else a real, not future 'YYYY[-MM[-DD]]' (ValueError otherwise)."""
    value = (value or "").strip()
    if not value or value.lower() in ("null", "none", "~"):
        return None
    parsed = parse_iso(value).value
    today = today or dt.date.today().isoformat()
    if parsed[: len(today)] > today[: len(parsed)]:
        raise ValueError(f"{parsed} is in the future")
    return parsed


def find_anchor(articles: Path, article: str, quote: str) -> str:
    """The paragraph anchor (p3) of ``quote`` in the article record, or ''."""
    path = articles / f"{article}.yaml"
    if not quote or not path.is_file():
        return ""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    for i, para in enumerate((data or {}).get("paragraphs") or [], 1):
        if para and quote in str(para):
            return f"p{i}"
    return ""


def new_id(ev: NewEvent, folder: Path) -> str:
    from .slugs import slugify

    when = ev.date[:7] if ev.date else "undated"
    party = (ev.people or ev.companies or [ev.title])[0]
    base = f"{when}-{ev.type.replace('_', '-')}-{slugify(party, 40) or 'event'}"
    taken = {p.stem for p in folder.rglob("*.yaml")} if folder.is_dir() else set()
    taken |= store.read_ledger(folder)
    eid, n = base, 2
    while eid in taken:
        eid, n = f"{base}-{n}", n + 1
    return eid


def new_event(ev: NewEvent, folder: Path, registry: Registry | None = None) -> Path:
    """Write a hand-made event file; returns its path."""
    if ev.type not in EVENT_TYPES:
        raise EditError(f"unknown event type '{ev.type}'; use one of: {', '.join(EVENT_TYPES)}")
    if not ev.title.strip():
        raise EditError("an event needs a title")
    eid = ev.id or new_id(ev, folder)
    path = folder / f"{eid}.yaml"
    if path.exists():
        raise EditError(f"{path} already exists")
    d: dict = {
        "id": eid,
        "type": ev.type,
        "status": "confirmed",
        "date": ev.date,
        "title": ev.title.strip(),
        "people": canonical_names(registry, ev.people),
        "companies": canonical_names(registry, ev.companies),
    }
    if ev.note:
        d["note"] = ev.note
    d["reviewed"] = True
    source = {"article": ev.article} if ev.article else None
    if source is not None:
        if ev.anchor:
            source["anchor"] = ev.anchor
        if ev.quote:
            source["quote"] = ev.quote
    d["sources"] = [source] if source else []
    text = store.dump(store.ordered(d), store.schema_rel(path, folder), with_fingerprint=False)
    store.atomic_write(path, text)
    return path


def _split_names(value: str) -> list[str]:
    for sep in ("、", "，", ";", "；"):
        value = value.replace(sep, ",")
    return [x.strip() for x in value.split(",") if x.strip()]


def _prompt_date(value: str | None) -> str | None:
    while True:
        try:
            return valid_date(value)
        except ValueError as e:
            click.echo(f"Error: {e}", err=True)
            value = click.prompt("date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _registry(root: Path) -> Registry | None:
    try:
        return Registry.load(root / "registry")
    except RegistryError as e:
        click.echo(f"warning: registry not used: {e}", err=True)
        return None


@click.command("new")
@click.option("--type", "etype", type=click.Choice(EVENT_TYPES), help="Event type.")
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (the finest precision you know).")
@click.option("--title", help="One-line title shown on the timeline.")
@click.option("--person", "people", multiple=True, help="A person involved (repeat for more).")
@click.option("--company", "companies", multiple=True, help="A company involved (repeat for more).")
@click.option("--article", help="Source article: its file name under articles/ without .yaml.")
@click.option("--anchor", help="Paragraph of the quote (p3); found from --quote when left out.")
@click.option("--quote", help="The exact sentence of the article that reports the event.")
@click.option("--note", help="A note for readers and editors.")
@click.option("--id", "eid", help="The id / file name (default: date-type-party, like the builder's).")
@click.option("--events", "events", type=click.Path(file_okay=False), help="Event folder (default: events/).")
def new_command(etype, date, title, people, companies, article, anchor, quote, note, eid, events) -> None:
    """Write a new event file by hand (asks for what the options do not give).

    The file gets status: confirmed and reviewed: true, so re-scans never
    rewrite it. Complete it in an editor, then run `timeline check`.

    \b
    Example:
      timeline new        # asks question by question
      timeline new --type departure --date 2024-03 --title 林海离开甲公司 \\
        --person 林海 --company 甲公司 --article 001_x --quote 林海已离职。
    """
    from .pipeline import find_root

    root = find_root()
    folder = Path(events) if events else root / "events"
    interactive = not any((etype, date, title, people, companies, article, quote, note))
    if not etype:
        etype = click.prompt("type", type=click.Choice(EVENT_TYPES))
    if date is None:
        date = click.prompt("date (YYYY, YYYY-MM or YYYY-MM-DD)")
    date = _prompt_date(date)
    if not title:
        title = click.prompt("title")
    if interactive:
        people = _split_names(click.prompt("people (comma-separated)", default="", show_default=False))
        companies = _split_names(click.prompt("companies (comma-separated)", default="", show_default=False))
    if not article:
        article = click.prompt("source article (file name under articles/, without .yaml)")
    if interactive:
        quote = click.prompt("quote (exact sentence from the article)", default="", show_default=False)
        note = click.prompt("note", default="", show_default=False)
    registry = _registry(root)
    anchor = anchor or find_anchor(articles_folder(folder, root), article, quote or "")
    ev = NewEvent(
        etype, date, title, list(people), list(companies), article, anchor, quote or "", note or "", eid or ""
    )
    try:
        path = new_event(ev, folder, registry)
    except EditError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"new {path}")
    _report(path, folder, root, registry)


def _report(path: Path, folder: Path, root: Path, registry: Registry | None) -> None:
    """Print what `timeline check` says about one file."""
    for p in check_folder(folder, root, dt.date.today().isoformat(), registry=registry):
        if Path(p.path) == path:
            click.echo(str(p))


# ---------------------------------------------------------------- timeline merge


def _rt():
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 10_000
    rt.indent(mapping=2, sequence=2, offset=0)
    return rt


def _date_rank(d: dict) -> tuple[int, int]:
    value = d.get("date")
    return (0 if d.get("date_approximate") is True else 1, len(value) if isinstance(value, str) else 0)


def _insert(doc, key: str, value) -> None:
    """Set ``key`` in a round-trip mapping at its place in the documented key order."""
    if key in doc:
        doc[key] = value
        return
    order = store.KEY_ORDER
    rank = order.index(key) if key in order else len(order)
    pos = next((i for i, k in enumerate(doc) if k in order and order.index(k) > rank), len(doc))
    doc.insert(pos, key, value)


def _drop_keys(text: str, keys: list[str], rt, doc) -> str:
    """``text`` without the one-line top-level ``keys`` (comments around them stay where they
    were); a key whose value spans lines is removed through the round-trip document instead."""
    import re

    for key in keys:
        m = re.search(rf"^{re.escape(key)}:[^\n]*\n", text, re.MULTILINE)
        after = text[m.end() :] if m else ""
        if m and not after.startswith((" ", "\t", "- ")):
            candidate = text[: m.start()] + after
            data = yaml.load(candidate, Loader=_LOADER)  # noqa: S506 - a safe loader
            if isinstance(data, dict) and key not in data:
                text = candidate
                continue
        doc = rt.load(text)
        _delete(doc, key)
        buf = io.StringIO()
        rt.dump(doc, buf)
        text = buf.getvalue()
    return text


def _delete(doc, key: str) -> None:
    """Remove ``key`` from a round-trip mapping, handing the comments that follow it to the key before."""
    keys = list(doc)
    i = keys.index(key)
    comment = doc.ca.items.pop(key, None)
    del doc[key]
    tokens = [t for t in (comment or [])[2:3] if t is not None]
    if not tokens or i == 0:
        return
    prev = keys[i - 1]
    have = doc.ca.items.setdefault(prev, [None, None, None, None])
    if have[2] is None:
        have[2] = tokens[0]
    else:
        have[2].value += tokens[0].value


def _quoted(value: str):
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    return SingleQuotedScalarString(value)


def merge_events(folder: Path, ids: list[str], registry: Registry | None = None) -> list[Path]:
    """Fold the events ``ids[1:]`` into ``ids[0]``; returns the paths written."""
    if len(ids) < 2:
        raise EditError("merge needs at least two ids: the event to keep first, then its duplicates")
    if len(set(ids)) != len(ids):
        raise EditError("the same id is given twice")
    files = {s.id: s for s in store.load(folder)}
    for eid in ids:
        if eid not in files:
            raise EditError(f"no event with the id '{eid}' in {folder}")
        if files[eid].redirect:
            raise EditError(f"'{eid}' was already merged into '{files[eid].redirect}'")
    first, others = files[ids[0]], [files[i] for i in ids[1:]]
    everyone = [first, *others]
    rt = _rt()
    doc = rt.load(first.text)
    for key in ("people", "companies"):
        names = canonical_names(registry, [n for s in everyone for n in s.data.get(key) or []])
        have = list(doc.get(key) or [])
        known = set(canonical_names(registry, have))
        extra = [n for n in names if n not in known]
        if extra:
            if isinstance(doc.get(key), list):
                doc[key].extend(extra)
            else:
                _insert(doc, key, have + extra)
    drop: list[str] = []  # keys to remove once the file is written out
    best = max(everyone, key=lambda s: (_date_rank(s.data), s is first))
    dates = [str(s.data["date"]) for s in everyone if isinstance(s.data.get("date"), str)]
    dates += [str(x) for s in everyone for x in s.data.get("other_dates") or []]
    if best is not first:
        _insert(doc, "date", _quoted(best.data["date"]))
        for key in ("date_text", "date_approximate"):
            if key in best.data:
                _insert(doc, key, best.data[key])
            elif key in doc:
                drop.append(key)
    chosen = str(doc.get("date") or "")
    others_dates = sorted({d for d in dates if d != chosen and not chosen.startswith(d)})
    old_other = [str(x) for x in doc.get("other_dates") or []]
    if others_dates and others_dates != old_other:
        _insert(doc, "other_dates", [_quoted(x) for x in others_dates])
    for key in DETAIL_KEYS:
        if key not in doc:
            value = next((s.data[key] for s in others if s.data.get(key)), None)
            if value is not None:
                _insert(doc, key, value)
    notes = [str(s.data["note"]).strip() for s in everyone if s.data.get("note")]
    notes = list(dict.fromkeys(n for n in notes if n))
    if notes and "\n\n".join(notes) != str(doc.get("note") or "").strip():
        _insert(doc, "note", "\n\n".join(notes))
    _insert(doc, "reviewed", True)
    if "fingerprint" in doc:
        drop.append("fingerprint")
    buf = io.StringIO()
    rt.dump(doc, buf)
    text = _drop_keys(buf.getvalue(), drop, rt, doc)
    seen = {
        (str(x.get("article")), str(x.get("anchor")), str(x.get("quote")))
        for x in first.data.get("sources") or []
        if isinstance(x, dict)
    }
    extra_sources = []
    for s in others:
        for x in s.data.get("sources") or []:
            if (
                isinstance(x, dict)
                and (k := (str(x.get("article")), str(x.get("anchor")), str(x.get("quote")))) not in seen
            ):
                seen.add(k)
                extra_sources.append(
                    {k2: x[k2] for k2 in ("article", "anchor", "quote", "date_text") if k2 in x}
                )
    text = store.append_sources(text, extra_sources)
    writes = {first.path: text}
    for s in others:
        stub = {
            "id": s.id,
            "type": s.data.get("type"),
            "redirect_to": first.id,
            "date": s.data.get("date"),
            "title": s.data.get("title") or s.id,
            "sources": [],
        }
        body = store.dump(stub, store.schema_rel(s.path, folder), with_fingerprint=False)
        head, rest = body.split("\n", 1)
        writes[s.path] = (
            f"{head}\n# merged into {first.id} by `timeline merge`: this stub keeps old links working\n{rest}"
        )
    for path in sorted(writes):
        store.atomic_write(path, writes[path])
    return sorted(writes)


@click.command("merge")
@click.argument("ids", nargs=-1, required=True)
@click.option("--events", "events", type=click.Path(file_okay=False), help="Event folder (default: events/).")
def merge_command(ids: tuple[str, ...], events: str | None) -> None:
    """Fold duplicate events into the first ID; the others become redirect stubs.

    Sources, people and companies are united, the most precise date is kept
    (the others go to other_dates), and the merged event gets reviewed: true.
    The other files keep only id, type, redirect_to, date and title, so old
    links lead to the merged event.

    \b
    Example:
      timeline merge 2024-03-departure-lin-hai 2024-departure-lin-hai
    """
    from .pipeline import find_root

    root = find_root()
    folder = Path(events) if events else root / "events"
    registry = _registry(root)
    try:
        paths = merge_events(folder, list(ids), registry)
    except (EditError, store.StoreError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"merged {', '.join(ids[1:])} into {ids[0]}")
    for path in paths:
        click.echo(f"wrote {path}")
    for path in paths:
        _report(path, folder, root, registry)
