"""Merging stage: candidate mentions from all articles -> one ``Event`` per real event.

Two mentions are the same event when they are of the same family (departure
and hire are one family), share a party (people when both name people, else
companies), and their dates agree (one contains the other; approximate or
inherited dates only need the same year). The merged event keeps the most
precise well-supported date and records the others; it cites every source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .models import Candidate, DateValue, Event, Source
from .slugs import slugify
from .titles import make_title

FAMILY = {"departure": "personnel", "hire": "personnel"}


def family(t: str) -> str:
    return FAMILY.get(t, t)


@dataclass
class Cluster:
    members: list[Candidate] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # of all members, kept up to date by ``add``

    def __post_init__(self) -> None:
        self.people = {p for c in self.members for p in c.people}

    def add(self, c: Candidate) -> None:
        self.members.append(c)
        self.people.update(c.people)

    @property
    def companies(self) -> set[str]:
        return {x for c in self.members for x in c.companies}


def undated(c: Candidate) -> bool:
    """No date cue at all: the date is only the publication month (a fallback)."""
    return c.date is None or (c.date.inferred and c.date.approximate and not c.date_text)


def dates_agree(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    if a.approximate or a.inferred or b.approximate or b.inferred:
        return a.year == b.year
    return a.compatible(b)


def _details(c: Candidate) -> dict[str, str]:
    return dict(c.details)


def _personnel_clash(c: Candidate, m: Candidate) -> bool:
    """A join of company X is not the same event as leaving X (颜水成 joined, later left)."""
    for hire, dep in ((c, m), (m, c)):
        if hire.type == "hire" and dep.type == "departure":
            if _details(hire).get("to") and _details(hire).get("to") == _details(dep).get("from"):
                return True
    return False


def _round_clash(c: Candidate, cluster: Cluster) -> bool:
    """A company's B round is not its C round, whatever the dates say (今年上半年 vs 11月)."""
    mine = _details(c).get("round")
    return bool(mine) and any(_details(m).get("round", mine) != mine for m in cluster.members)


def _target_clash(c: Candidate, cluster: Cluster) -> bool:
    """A buyer's purchase of one company is not its purchase of another (今年上半年 vs 7月).
    Only mentions with a date of their own and a target other than the buyer count
    (a target found wrongly, or 收购X后 dated by the narrative, must not split an event)."""

    def target(m: Candidate) -> str:
        d = _details(m)
        if undated(m) or m.date.inferred or d.get("target") == d.get("acquirer"):
            return ""
        return d.get("target", "")

    mine = target(c)
    return bool(mine) and any(target(m) not in ("", mine) for m in cluster.members)


def _same_lead(c: Candidate, head: Candidate) -> bool:
    """Without people, the lead company must agree; a list of companies (字节、阿里、百度纷纷降价)
    may join the event of one of them, but one company never joins another's event."""
    if not c.companies or not head.companies:
        return False
    return c.companies[0] == head.companies[0] or (len(c.companies) > 1 and head.companies[0] in c.companies)


def _unnamed_side_of_case(c: Candidate, cluster: Cluster) -> bool:
    """A lawsuit told without the person (a headline's X控告前研发总监) is the case the
    same article tells with the name (X起诉前研发总监张某): no company of it is new."""
    if family(c.type) != "lawsuit" or (c.people and cluster.people):
        return False
    if all(m.article != c.article for m in cluster.members):
        return False
    if c.people:  # the cluster is the unnamed side
        return bool(cluster.companies) and cluster.companies <= set(c.companies)
    return bool(c.companies) and set(c.companies) <= cluster.companies


def same_event(c: Candidate, cluster: Cluster) -> bool:
    head = cluster.members[0]
    fam = family(c.type)
    if fam != family(head.type):
        return False
    if c.people or cluster.people:
        if cluster.people.isdisjoint(c.people) and not _unnamed_side_of_case(c, cluster):
            return False
    elif not _same_lead(c, head):
        return False
    if fam == "personnel" and any(_personnel_clash(c, m) for m in cluster.members):
        return False
    if fam == "funding" and _round_clash(c, cluster):
        return False
    if fam == "acquisition" and _target_clash(c, cluster):
        return False
    if undated(c):
        return True
    return all(undated(m) or dates_agree(c.date, m.date) for m in cluster.members)


def _keys(c: Candidate) -> list[tuple[str, str, str]]:
    """Index keys: a candidate can only join clusters sharing one of these."""
    fam = family(c.type)
    if c.people:
        # (a lawsuit with people may also join the same case told without them)
        return [("p", fam, p) for p in c.people] + (
            [("c", fam, x) for x in c.companies[:1]] if fam == "lawsuit" else []
        )
    return [("c", fam, x) for x in c.companies[:1]]


def cluster(candidates: list[Candidate]) -> list[Cluster]:
    """Greedy clustering, strongest mentions first; an index by party keeps it near-linear.

    The index is also split by year: a dated mention can only join a cluster of
    its own year (``dates_agree`` never matches across years), so clusters of
    other years are not even tried. Undated mentions come last (``_strength``)
    and look at every cluster of their parties."""
    order = sorted(candidates, key=_strength, reverse=True)
    clusters: list[Cluster] = []
    by_year: dict[tuple, dict[int, None]] = {}  # (key, year of the cluster) -> cluster indices
    by_key: dict[tuple, dict[int, None]] = {}  # key -> cluster indices (any year)
    years: list[int | None] = []
    for c in order:
        if undated(c):
            near = sorted({i for k in _keys(c) for i in by_key.get(k, ())})
        else:
            y = c.date.year
            near = sorted({i for k in _keys(c) for b in ((k, y), (k, None)) for i in by_year.get(b, ())})
        home = next((i for i in near if same_event(c, clusters[i])), None)
        if home is None:
            clusters.append(Cluster([c]))
            years.append(None if undated(c) else c.date.year)
            home = len(clusters) - 1
        else:
            clusters[home].add(c)
        k = clusters[home]
        fam = family(c.type)
        keys = [("p", fam, p) for p in c.people] if k.people else [("c", fam, x) for x in c.companies]
        if fam == "lawsuit" and k.people:  # (found by a telling of the case without the person)
            keys += [("c", fam, x) for x in c.companies]
        for key in keys:
            by_key.setdefault(key, {})[home] = None
            by_year.setdefault((key, years[home]), {})[home] = None
    return clusters


def _strength(c: Candidate) -> tuple:
    """Explicit, precise dates first, so they anchor clusters; then a stable order."""
    d = c.date
    explicit = _explicit(c)
    return (
        explicit,
        len(d.value) if d and explicit == 2 else 0,
        len(c.people) + len(c.companies),
        c.article,
        -c.sentence,
    )


def _explicit(c: Candidate) -> int:
    """``_strength(c)[0]``: 2 for a printed precise date, 1 for a vague or inferred one, 0 for none."""
    d = c.date
    return 0 if undated(c) else 1 if (d.inferred or d.approximate) else 2


def best_date(members: list[Candidate]) -> Candidate:
    """The explicit date of finest precision; among vague ones, the earliest
    (an event cannot happen after an article reports it)."""
    if len(members) == 1:
        return members[0]
    explicit = [c for c in members if _explicit(c) == 2]
    if explicit:
        return max(explicit, key=lambda c: (len(c.date.value), c.article, -c.sentence))
    vague = [c for c in members if not undated(c)] or members
    return min(vague, key=lambda c: (c.date.value if c.date else "9999", c.article, c.sentence))


def to_event(k: Cluster) -> Event:
    m = k.members
    lead = best_date(m)
    etype = "departure" if any(c.type == "departure" for c in m) else m[0].type
    people = _ordered(c.people for c in m)
    companies = _ordered(c.companies for c in m)
    details = _merge_details(m)
    status = "confirmed" if any(c.status == "confirmed" for c in m) else "reported"
    date = lead.date
    others = sorted(
        {
            c.date.value
            for c in m
            if c.date
            and date
            and c.date.value != date.value
            and not c.date.inferred
            and not date.contains(c.date)
        }
    )
    sources = sorted(
        {
            Source(c.article, f"p{c.paragraph}", c.quote, c.date.value if c.date else None, c.date_text)
            for c in m
        },
        key=lambda s: (s.article, int(s.anchor[1:]), s.quote),
    )
    title = make_title(etype, people, companies, details)
    return Event(
        id="",
        type=etype,
        date=date,
        date_text=lead.date_text,
        title=title,
        people=tuple(people),
        companies=tuple(companies),
        sources=tuple(_unique_sources(sources)),
        status=status,
        details=tuple(sorted(details.items())),
        other_dates=tuple(others),
    )


def _ordered(groups) -> list[str]:
    """Every name once, in the order of first appearance."""
    return list(dict.fromkeys(x for g in groups for x in g))


def _merge_details(members: list[Candidate]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in sorted(members, key=_strength, reverse=True):
        for k, v in c.details:
            out.setdefault(k, v)
    return out


def _unique_sources(sources: list[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if (s.article, s.anchor, s.quote) not in seen:
            seen.add((s.article, s.anchor, s.quote))
            out.append(s)
    return out


def event_id(e: Event) -> str:
    when = e.date.value[:7] if e.date else "undated"
    party = (e.people or e.companies or ("event",))[0]
    return f"{when}-{e.type.replace('_', '-')}-{slugify(party, 40)}"


# ------------------------------------------------------------------ by component
#
# Clusters never cross a *component*: the candidates linked, directly or through
# others, by a party key. A candidate naming people only ever meets clusters through
# its people (``_keys`` looks them up, ``cluster`` indexes them); one without people
# through its companies. So ``merge`` clusters each component on its own, and a
# re-scan (pipeline._merge) keeps the result of every component no article of
# which changed. Sorting by the head's strength and input position at the end
# reproduces the order in which one global ``cluster`` pass creates the clusters.

LinkKey = tuple[str, str, str]
Merged = tuple[
    Event, tuple, int
]  # (event without id, its head's _strength, the head's index in the component)


def link_keys(c: Candidate) -> tuple[LinkKey, ...]:
    """Every key through which ``c`` can meet another candidate's cluster."""
    fam = family(c.type)
    if c.people:
        people = tuple(("p", fam, p) for p in c.people)
        return people + tuple(("c", fam, x) for x in c.companies) if fam == "lawsuit" else people
    return tuple(("c", fam, x) for x in c.companies)


def components(links: list[tuple[LinkKey, ...]]) -> list[list[int]]:
    """Indices of the candidates (given by their link keys) grouped by component; each
    group ascending, groups ordered by their first index."""
    parent = list(range(len(links)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[LinkKey, int] = {}
    for i, keys in enumerate(links):
        for k in keys:
            j = owner.setdefault(k, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(links)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def merge_component(candidates: list[Candidate]) -> list[Merged]:
    """The events (without ids) of one component's candidates, given in input order."""
    first: dict[int, int] = {}
    for i, c in enumerate(candidates):
        first.setdefault(id(c), i)
    out = []
    for k in cluster(candidates):
        e = to_event(k)
        if e.people or e.companies:
            head = k.members[0]
            out.append((e, _strength(head), first[id(head)]))
    return out


def ordered_ids(
    merged: list[tuple[Event, tuple, int]], bases: list[str] | None = None
) -> list[tuple[int, str]]:
    """(event, head strength, head's input position) of every component -> (index into
    ``merged``, id) of each event in the final order (a second event of the same month,
    type and party gets '-2'). ``bases``: ``event_id`` of each event, when known."""
    # the order of creation in one global pass: strongest head first (``cluster`` sorts
    # with reverse=True, which keeps input order among equals), then by event
    created = sorted(
        sorted(range(len(merged)), key=lambda i: merged[i][2]), key=lambda i: merged[i][1], reverse=True
    )
    ids: Counter[str] = Counter()
    out = []
    for i in sorted(created, key=lambda i: _event_order(merged[i][0])):
        base = event_id(merged[i][0]) if bases is None else bases[i]
        ids[base] += 1
        out.append((i, base if ids[base] == 1 else f"{base}-{ids[base]}"))
    return out


def _event_order(e: Event) -> tuple:
    return (e.date.value if e.date else "", e.type, e.title, e.sources[0].article)


def with_id(e: Event, eid: str) -> Event:
    return Event(**{**e.__dict__, "id": eid})


def merge(candidates: list[Candidate]) -> list[Event]:
    merged = []
    for group in components([link_keys(c) for c in candidates]):
        for e, strength, head in merge_component([candidates[i] for i in group]):
            merged.append((e, strength, group[head]))
    return [with_id(merged[i][0], eid) for i, eid in ordered_ids(merged)]
