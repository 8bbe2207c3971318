"""Small typed values passed between the pipeline stages.

reading -> Article            (raw text + metadata)
normalising -> NormText       (matching copy of the text with an offset map)
segmenting -> Sentence        (offsets into the original text)
dates -> DateValue / DateMention
entities -> EntityMention
extraction -> Candidate       (one event mention in one sentence)
merging -> Event              (one real-world event, all its sources)
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVENT_TYPES = ("funding", "departure", "hire", "lawsuit", "price_cut", "acquisition")
PRECISIONS = ("year", "month", "day")
# Optional detail keys of an event file, in file order (from/to of a move, amount of a round, ...).
DETAIL_KEYS = (
    "from",
    "to",
    "role",
    "amount",
    "round",
    "investors",
    "plaintiff",
    "defendant",
    "acquirer",
    "target",
    "product",
    "old_price",
    "new_price",
)


@dataclass(frozen=True)
class DateValue:
    """A calendar date known to some precision.

    ``value`` is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (its length says the
    precision). ``approximate`` marks 近日/日前-style dates that only say
    "around then"; ``inferred`` marks dates the text does not print at all.
    """

    value: str
    approximate: bool = False
    inferred: bool = False

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int | None:
        return int(self.value[5:7]) if len(self.value) >= 7 else None

    @property
    def day(self) -> int | None:
        return int(self.value[8:10]) if len(self.value) == 10 else None

    def contains(self, other: DateValue) -> bool:
        """True when ``other`` lies inside this date's span (2024 ⊇ 2024-08)."""
        return other.value.startswith(self.value)

    def compatible(self, other: DateValue) -> bool:
        return self.contains(other) or other.contains(self)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text, resolved against a reference date."""

    start: int  # offsets into the text that was searched
    end: int
    text: str
    date: DateValue
    rule: str  # id of the rule that matched (see data/dates.yaml)


@dataclass(frozen=True)
class Article:
    """One input article as read from disk (before normalising)."""

    stem: str  # file name without extension: the article's id
    path: str  # path as given / found, for messages
    text: str  # cleaned original text (quotes are taken from here)
    title: str = ""
    url: str = ""
    source: str = ""
    published: DateValue | None = None
    published_text: str = ""  # how the date was found: printed text, 'front matter', ...


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article; offsets into ``Article.text``."""

    index: int  # running number in the article
    paragraph: int  # paragraph number (anchors are per paragraph: p3)
    start: int
    end: int
    text: str  # original text of the sentence
    norm: str  # normalised text (same length as ``text``? no: see offsets)
    offsets: tuple[int, ...] = ()  # norm index -> original index within sentence


@dataclass(frozen=True)
class EntityMention:
    name: str  # canonical display name
    kind: str  # 'company' | 'person'
    start: int  # offsets into the normalised sentence text
    end: int
    surface: str
    rule: str  # 'registry', 'title', 'latin', 'anaphora', ...
    former: bool = False  # 前京东高管: a former affiliation


@dataclass(frozen=True)
class Candidate:
    """An event mention found in one sentence of one article."""

    type: str
    article: str
    sentence: int
    paragraph: int
    quote: str
    people: tuple[str, ...]
    companies: tuple[str, ...]
    date: DateValue | None
    date_text: str = ""
    trigger: str = ""
    rule: str = ""
    status: str = "confirmed"  # or 'reported' (rumour, 据传/被曝)
    details: tuple[tuple[str, str], ...] = ()  # from/to/role/amount/round/...


@dataclass(frozen=True)
class Source:
    article: str
    anchor: str
    quote: str
    date: str | None = None
    date_text: str = ""


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    date: DateValue | None
    date_text: str
    title: str
    people: tuple[str, ...]
    companies: tuple[str, ...]
    sources: tuple[Source, ...]
    status: str = "confirmed"
    details: tuple[tuple[str, str], ...] = ()
    other_dates: tuple[str, ...] = field(default=())
