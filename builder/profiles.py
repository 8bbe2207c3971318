"""Facts for company and person pages, derived from their events.

- ``funding_rounds``: a company's funding events where it raised the money
  (not where it invested), with ``amount`` read by ``amounts.amount_value``;
- ``funding_totals``: disclosed funding summed per currency;
- ``moves``: departures and hires as 'person, from A to B, when';
- ``related``: other companies and people that share events with an entity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from builder.amounts import amount_value
from builder.sitectx import Ctx
from builder.sitedata import SiteEvent, oldest_first

CURRENCY_UNITS = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元"}
MOVE_TYPES = ("departure", "hire")


@dataclass(frozen=True)
class FundingRound:
    event: SiteEvent
    amount: str  # as written, '' when not disclosed
    round: str
    value: float | None = None
    currency: str = ""


@dataclass(frozen=True)
class Move:
    event: SiteEvent
    person: str  # canonical names; '' when unknown
    source: str
    dest: str
    role: str = ""


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values else ""


def _funding_round(ev: SiteEvent) -> FundingRound:
    amount = _first(ev.detail("amount"))
    parsed = amount_value(amount) if amount else None
    value, currency = parsed if parsed else (None, "")
    return FundingRound(ev, amount, _first(ev.detail("round")), value, currency)


def funding_rounds(name: str, ctx: Ctx) -> list[FundingRound]:
    """Funding events in which ``name`` raised money, oldest first."""
    out = []
    for ev in oldest_first(ctx.events_of("company", name)):
        investors = {ctx.canon("company", i) for i in ev.detail("investors")}
        if ev.type == "funding" and name not in investors:
            out.append(_funding_round(ev))
    return out


def funding_totals(rounds: list[FundingRound]) -> list[tuple[str, float, int]]:
    """(currency, sum, number of rounds) for every currency with a readable amount."""
    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for r in rounds:
        if r.value is not None:
            sums[r.currency] = sums.get(r.currency, 0.0) + r.value
            counts[r.currency] += 1
    return [(c, sums[c], counts[c]) for c in sorted(sums)]


def format_money(value: float, currency: str) -> str:
    """(1.3e9, 'USD') -> '13亿美元'; (8e6, 'CNY') -> '800万元'."""
    unit = CURRENCY_UNITS.get(currency, currency)
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if value >= size:
            return f"{round(value / size, 2):g}{word}{unit}"
    return f"{value:g}{unit}"


def _move(ev: SiteEvent, person: str, ctx: Ctx) -> Move | None:
    source = ctx.canon("company", _first(ev.detail("from")))
    dest = ctx.canon("company", _first(ev.detail("to")))
    companies = [c for c in ctx.parties(ev, "company") if c not in (source, dest)]
    if not dest and ev.type == "hire" and companies:
        dest = companies[0]
    elif not source and ev.type == "departure" and companies:
        source = companies[0]
    if not source and not dest:
        return None
    return Move(ev, person, source, dest, _first(ev.detail("role")))


def moves(kind: str, name: str, ctx: Ctx) -> list[Move]:
    """Departures and hires of a person, or into and out of a company; oldest first."""
    out = []
    for ev in oldest_first(ctx.events_of(kind, name)):
        if ev.type not in MOVE_TYPES:
            continue
        people = [name] if kind == "person" else ctx.parties(ev, "person")
        for person in people:
            move = _move(ev, person, ctx)
            if move and (kind == "person" or name in (move.source, move.dest)):
                out.append(move)
    return out


def related(kind: str, name: str, ctx: Ctx) -> dict[str, list[tuple[str, int]]]:
    """Other entities sharing events with this one: kind -> [(name, shared events)]."""
    out: dict[str, list[tuple[str, int]]] = {}
    for other in ("person", "company"):
        counts: Counter[str] = Counter()
        for ev in ctx.events_of(kind, name):
            counts.update(n for n in ctx.parties(ev, other) if (other, n) != (kind, name))
        out[other] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return out
