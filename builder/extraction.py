"""Extraction stage: one article -> candidate event mentions.

Works sentence by sentence on the normalised text. A trigger (data/triggers.yaml)
marks a possible event; the clause around it must not be negated or a mere plan;
the parties are placed by role (who left which company for which, who raised
money from whom, who sued whom); the date is the nearest date expression of the
sentence, else the narrative date of the previous sentences, else the
publication date (marked approximate).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from . import dates, segmenting
from .amounts import find_amounts, find_round
from .entities import EntityFinder, Registry, name_before, person_at
from .models import Article, Candidate, DateMention, DateValue, EntityMention
from .normalising import normalise
from .rules import Rules, Trigger

_CLAUSE_BREAK = re.compile(r"[，,：:（）()“”\"]")
_ANAPHOR_PERSON = re.compile(
    r"(?:该|这名|这位|此|那名|那位)(实习生|员工|高管|负责人|创始人|科学家|研究员|工程师|员工)"
)
_DATED_LEAD = re.compile(r"\d{4}年|\d{1,2}月|[今去前]年")
_ENDS_AFTER = re.compile(r"[^，。；]{0,16}?(?:之|以)?后\s*$")  # a trigger's clause that ends 离开X后
_COMPANY_ANAPHOR = re.compile(r"(?<![\u4e00-\u9fff])(?:该)?公司(?!们)|其公司|该公司")
_PSEUDONYM = re.compile(r"([\u4e00-\u9fff]{2,3})[（(]化名[）)]")
PERSONNEL = ("departure", "hire")
_FOUNDED_AFTER = re.compile(r"[^，。；]{0,3}(?:成立|创立|创办|诞生)")
_FOUNDED_BEFORE = re.compile(r"(?:成立|创立|创办|诞生|创建)(?:于|在)?$")  # 成立于2021年


@dataclass(frozen=True)
class Hit:
    trigger: Trigger
    start: int
    end: int
    clause: tuple[int, int]


@dataclass
class Discourse:
    """What earlier sentences of the article established."""

    last_dates: list[tuple[int, DateMention]] = field(default_factory=list)  # (sentence, mention)
    companies: list[EntityMention] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # role word -> last person introduced with it
    pseudonyms: set[str] = field(default_factory=set)
    affiliations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # registry: person -> companies
    investors: frozenset[str] = frozenset()  # registry companies whose kind is 'investor'
    academic: frozenset[str] = frozenset()  # registry universities and institutes
    cases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # company -> people of its last lawsuit
    last_people: tuple[int, tuple[str, ...]] = (-99, ())  # the last sentence naming people, and them


@dataclass(frozen=True)
class SentenceView:
    index: int
    paragraph: int
    quote: str  # original text
    text: str  # normalised text
    mentions: tuple[EntityMention, ...]
    dates: tuple[DateMention, ...]
    hits: tuple[Hit, ...] = ()


DATE_CONTEXT = 3  # a sentence without a date takes one from up to this many sentences before
NARRATIVE_CONTEXT = 6  # 同日, 次日, 月中 count from a date up to this many sentences before


def extract(article: Article, registry: Registry, rules: Rules) -> list[Candidate]:
    norm = normalise(article.text)
    state = Discourse(
        pseudonyms=set(_PSEUDONYM.findall(norm.text)) if "化名" in norm.text else set(),
        affiliations=registry.affiliations,
        investors=registry.investors,
        academic=registry.academic,
    )
    spans = segmenting.sentences(article.text)
    bounds = [(bisect_left(norm.to_orig, s.start), bisect_left(norm.to_orig, s.end)) for s in spans]
    texts = [norm.text[a:b] for a, b in bounds]
    maybe = rules.index.candidates_in(norm.text, bounds) if rules.index is not None else [None] * len(texts)
    all_hits = [
        tuple(h for h in find_hits(t, rules, m) if not blocked(h, t, rules))
        for t, m in zip(texts, maybe, strict=True)
    ]
    for i in range(len(texts) - 1):  # a report the next sentence answers with a denial is not an event
        if (
            all_hits[i]
            and rules.cues["answered"].match(texts[i + 1])
            and rules.cues["denial"].search(texts[i + 1])
        ):
            all_hits[i] = ()
        elif all_hits[i] and rules.cues["collapsed_next"].match(texts[i + 1]):
            all_hits[i] = tuple(h for h in all_hits[i] if h.trigger.type not in _DEALS)
    # what a sentence teaches (names, companies, dates) only serves later triggers:
    # the sentences after the last one with a trigger cannot change any candidate
    last = max((i for i, hits in enumerate(all_hits) if hits), default=-1)
    if last < 0:
        return []
    sentence_dates = dates_needed(texts, all_hits, article.published, rules)
    read = norm.text[: bounds[last][1]]  # the part of the article those sentences cover
    scan = registry.scan_article(norm.text, len(read))  # one automaton pass for all registry names
    finder = EntityFinder(
        registry, local=garbled_aliases(norm.text, registry, scan.garbled), article=read, scan=scan
    )
    out: list[Candidate] = []
    for i, span in enumerate(spans[: last + 1]):
        text, hits = texts[i], all_hits[i]
        mentions = finder.find(text, at=bounds[i][0])
        if hits:
            mentions += names_before_triggers(text, hits, mentions, registry)
        found = rebased(sentence_dates.get(i, ()), text, i, rules, state, article.published)
        if not (mentions or hits or found):
            continue  # nothing to learn, remember or extract
        finder.learn(mentions)
        view = SentenceView(
            i,
            span.paragraph,
            article.text[span.start : span.end].strip(),
            text,
            tuple(sorted((m for m in mentions if m.name not in state.pseudonyms), key=lambda m: m.start)),
            found,
            hits,
        )
        out += sentence_events(view, article, rules, state)
        _remember(view, rules, state)
    return _without_unnamed_cases(out, article.title)


def _without_unnamed_cases(out: list[Candidate], title: str = "") -> list[Candidate]:
    """Without the lawsuits that name nobody (a headline's X起诉前CTO) when the article
    tells one of the same year, among the same companies (or any, for the headline's:
    its short name may read as another company's), that names the person sued."""
    named = [c for c in out if c.type == "lawsuit" and c.people]
    if not named:
        return out  # the usual case
    return [
        c
        for c in out
        if c.type != "lawsuit"
        or c.people
        or not c.companies
        or not any(
            (set(c.companies) <= set(n.companies) or (title and c.quote in title))
            and (c.date is None or n.date is None or c.date.inferred or c.date.year == n.date.year)
            for n in named
        )
    ]


def dates_needed(
    texts: list[str], all_hits: list[tuple[Hit, ...]], published: DateValue | None, rules: Rules
) -> dict[int, tuple[DateMention, ...]]:
    """The date mentions of the sentences whose dates can matter: those with a
    trigger, and — when a trigger finds no date of its own sentence — the
    ``DATE_CONTEXT`` sentences before it (the narrative date is inherited from them).

    A date expression never spans two sentences (no rule matches 。！？； or a
    closing quote), so finding them per sentence finds what a whole-article pass
    finds inside that sentence."""
    found: dict[int, tuple[DateMention, ...]] = {}

    def of(i: int) -> tuple[DateMention, ...]:
        if i not in found:
            found[i] = tuple(dates.find_dates(texts[i], published))
        return found[i]

    def context(i: int, window: int) -> None:
        todo = [(i, window)]  # a loop, not recursion: a long chain of 次日 sentences stays flat
        while todo:
            i, window = todo.pop()
            for j in range(max(0, i - window), i):
                if j not in found and any(dates.narrative_offset(d) is not None for d in of(j)):
                    todo.append((j, NARRATIVE_CONTEXT))  # (次日… counts from a date before it)

    for i, hits in enumerate(all_hits):
        owns = [own_date(hit, of(i), texts[i], rules) for hit in hits]
        if any(d is not None and dates.narrative_offset(d) is not None for d in owns):
            context(i, NARRATIVE_CONTEXT)
        elif any(d is None for d in owns):
            context(i, DATE_CONTEXT)
    return found


def rebased(
    found: tuple[DateMention, ...],
    text: str,
    index: int,
    rules: Rules,
    state: Discourse,
    published: DateValue | None = None,
):
    """The sentence's dates with those counted from the narrative (次日, 同日, 两天后,
    月中) resolved against it: the last usable date before them, in the sentence or up
    to ``NARRATIVE_CONTEXT`` sentences before, when it is precise enough (a day for 次日,
    a month for 月中) and not in a month after ``published``. Otherwise they stay as
    found (counted from publication)."""
    if not any(dates.narrative_offset(d) is not None for d in found):
        return found
    before = [d.date for i, d in state.last_dates if index - i <= NARRATIVE_CONTEXT]
    out = []
    for d in found:
        offset = dates.narrative_offset(d)
        in_year = isinstance(offset, tuple) and offset[0] == "in-year"
        base = _narrative_base(before, dates.narrative_precisions(offset)) if offset is not None else None
        if base is not None:  # counted from the narrative's date
            moved = dates.rebase(d, base)
            # a date after the publication is no report of what happened: keep the first reading
            late = published is not None and moved.date.value[:7] > published.value[:7]
            d = d if late else moved
            in_year = in_year and late
        if in_year:
            continue  # 同年9月 with no narrative year to count from: it dates nothing
        if date_usable(d, text, rules):
            before.append(d.date)
        out.append(d)
    return tuple(out)


def _narrative_base(before: list[DateValue], precisions: tuple[str, ...]) -> DateValue | None:
    """The narrative's date to count from: the last one, when precise enough; else an
    earlier precise one inside it (3月上旬…。今年以来…。同一周… counts from 3月上旬)."""
    outer = None
    for b in reversed(before):
        if outer is not None and not outer.contains(b):
            return None
        if b.precision in precisions:
            return b
        outer = b
    return None


def garbled_aliases(
    text: str, registry: Registry, found: list[tuple[int, tuple]] | None = None
) -> dict[str, tuple[str, str]]:
    """Company names that lost their first character (讯混元 for 腾讯混元) in this article;
    ``found``: the garbled keys in it (``registry.scan_article``), when already known."""
    local = {}
    hits = registry.garbled_automaton.iter(text) if found is None else found
    for end, (key, cut, first, name) in hits:
        start = end - len(key) + 1
        if start == 0 or text[start - 1] != first:
            local.setdefault(cut, (name, "company"))
    return local


def names_before_triggers(
    text: str, hits: tuple[Hit, ...], mentions: list[EntityMention], registry: Registry
) -> list[EntityMention]:
    """A name right before a personnel trigger (宣布顾某不再担任…) is a person."""
    out = []
    for h in hits:
        if h.trigger.type not in PERSONNEL:
            continue
        subject = leaver_at(h, text)
        if subject is not None:  # 2019年离开百度后，邱栩创办了…: the name opens the next clause
            m = person_at(text, subject, registry, "after-clause")
            if m and all(m[0].end <= x.start or m[0].start >= x.end for x in mentions + out):
                out.append(m[0])
            continue
        m = name_before(text, h.start, registry)
        if m is None and h.trigger.type == "departure":
            m = _name_before_from(text, h.start, mentions, registry)
        if m and all(m.end <= x.start or m.start >= x.end for x in mentions + out):
            out.append(m)
    return out


# what may stand between a name and 从X离职: 已于6月底, 于2025年11月 (a date of the leaving)
_FROM_DATE = re.compile(
    r"(?:已经?|也)?于(?:\d{4}年|今年|去年)?\d{1,2}月(?:\d{1,2}[日号])?(?:初|中旬|上旬|下旬|底|末)?$"
)


def leaver_at(hit: Hit, text: str) -> int | None:
    """Where the leaver's name stands when the departure's clause is a dated leaving that
    ends 后 (2019年离开百度后，邱栩创办了…: the start of the next clause); None otherwise
    (离开百度后，P… without a date presupposes an older event)."""
    if (
        hit.trigger.type != "departure"
        or hit.clause[1] >= len(text) - 1
        or not _ENDS_AFTER.match(text, hit.end, hit.clause[1])
        or not _DATED_LEAD.search(text, hit.clause[0], hit.start)
    ):
        return None
    return hit.clause[1] + 1


def _name_before_from(
    text: str, pos: int, mentions: list[EntityMention], registry: Registry
) -> EntityMention | None:
    """A name before 从<company> right before a departure (王某已于6月从百度离职)."""
    company = next((m for m in mentions if m.kind == "company" and m.end == pos), None)
    if company is None or company.start < 3 or text[company.start - 1] != "从":
        return None
    end = company.start - 1
    date = _FROM_DATE.search(text, 0, end)
    if date is not None:
        end = date.start()
    return name_before(text, end, registry)


@lru_cache(maxsize=4096)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the clauses of a sentence (split at ，：（）quotes), in order."""
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return tuple(out) or ((0, len(text)),)


def find_hits(text: str, rules: Rules, maybe: frozenset[int] | None = None) -> list[Hit]:
    """Trigger hits in a sentence; ``maybe``: the indices of the triggers whose
    literals it holds (``rules.index.candidates``), when already known."""
    if maybe is None:
        if rules.any_trigger is not None and not rules.any_trigger.search(text):
            return []  # most sentences hold no trigger at all
        maybe = rules.index.candidates(text) if rules.index is not None else None
    elif not maybe:
        return []
    spans: tuple[tuple[int, int], ...] | None = None
    hits = []
    for k, trig in enumerate(rules.triggers):
        if maybe is not None and k not in maybe:
            continue  # none of the literals its every match contains
        if trig.requires and not trig.requires.search(text):
            continue
        for m in trig.pattern.finditer(text):
            if spans is None:
                spans = clauses(text)
            clause = next((c for c in spans if c[0] <= m.start() < c[1]), (0, len(text)))
            if trig.near and not trig.near.search(text, clause[0], clause[1]):
                continue
            hits.append(Hit(trig, m.start(), m.end(), clause))
    return sorted(hits, key=lambda h: (h.start, -h.end))


def blocked(hit: Hit, text: str, rules: Rules) -> bool:
    """Negated (否认离职), only planned (计划收购) unless announced (宣布将离开), or
    the time of something else (离职前) or long ago (多年前加入)."""
    prefix = text[hit.clause[0] : hit.start]
    if rules.cues["negation"].search(prefix) or rules.cues["denial"].search(text):
        return True
    if "回" in text or "对此" in text:  # cheap gate: the answer needs 回应/回复 or 对此
        answer = rules.cues["answered_later"].search(text, hit.end)
        if answer and rules.cues["negation"].search(text, answer.end()):
            return True  # 有媒体报道X将降价，对此X回应称并没有降价安排
    if hit.trigger.type in _DEALS and rules.cues["collapsed"].search(text, hit.end):
        return True  # 同意收购Y，但这笔交易最终告吹
    if hit.trigger.type == "funding" and _history(text[hit.clause[0] : hit.clause[1]], rules):
        return True
    if (
        rules.cues["before_time"].match(text, hit.end)
        or (
            rules.cues["before_time_lead"].search(prefix) and text.startswith(("前", "之前", "以前"), hit.end)
        )
        or rules.cues["long_ago"].search(prefix)
    ):
        return True  # 离职前曾… dates something else; 多年前加入… is background
    planned = (
        rules.cues["modality"].search(prefix)
        or rules.cues["future"].search(prefix)
        or rules.cues["forecast_lead"].search(text, 0, hit.clause[0])
    )
    announced = rules.cues["announced"].search(prefix) or rules.cues["announced_lead"].search(
        text, 0, hit.clause[0]
    )
    return bool(planned) and not announced


_DEALS = ("acquisition", "funding")


def _history(clause: str, rules: Rules) -> bool:
    """A count of rounds (此前已完成两轮融资) without a round named: a company's history."""
    return rules.cues["funding_history"].search(clause) is not None and not find_round(clause)


def sentence_events(view: SentenceView, article: Article, rules: Rules, state: Discourse) -> list[Candidate]:
    from .roles import build_candidates  # roles needs the helpers above

    hits = view.hits
    if not hits:
        return []
    out: dict[tuple, Candidate] = {}
    for hit in hits:
        # a rumour marker up to the end of the hit's clause (据悉，X离职 / X被曝离职), not one
        # of a later clause about something else (X完成融资，Y则被曝正在洽谈…)
        status = "reported" if rules.cues["rumour"].search(view.text, 0, hit.clause[1]) else "confirmed"
        for cand in build_candidates(hit, view, article, rules, state, status):
            key = (
                (cand.type, cand.people, cand.companies) if cand.type not in PERSONNEL else ("p", cand.people)
            )
            known = out.get(key)
            # the same event told twice in a sentence: the first mention, unless only a later
            # one has a date of its own (X起诉Y一案，法院于6月3日作出判决)
            if known is None or (_no_date_of_its_own(known) and not _no_date_of_its_own(cand)):
                out[key] = cand
    return list(out.values())


def _no_date_of_its_own(c: Candidate) -> bool:
    """Without a date of its own sentence (none, the narrative's or the publication's)."""
    return c.date is None or c.date.inferred or not c.date_text


def _remember(view: SentenceView, rules: Rules, state: Discourse) -> None:
    usable = _announced_dates([d for d in view.dates if date_usable(d, view.text, rules)], view.text, rules)
    # (after 此前 the sentence is background: X此前在Y工作六年，去年底离开 does not date the
    # undated news that follows it)
    lead = rules.cues["background_lead"].search(view.text) if "前" in view.text else None
    usable = [
        d
        for d in usable
        if not rules.cues["background_after"].match(view.text, d.end)
        and not rules.cues["stative_dates"].fullmatch(d.text)
        and (lead is None or d.start < lead.start())
    ]
    if usable:
        state.last_dates.append((view.index, usable[-1]))
    state.companies += [m for m in view.mentions if m.kind == "company" and not m.former]
    people = tuple(dict.fromkeys(m.name for m in view.mentions if m.kind == "person"))
    if people:
        state.last_people = (view.index, people)
    for m in view.mentions:
        if m.kind == "person":
            for role in ("实习生", "员工", "高管", "负责人", "创始人", "科学家", "研究员", "工程师"):
                if view.text[max(0, m.start - len(role)) : m.start] == role:
                    state.roles[role] = m.name


def date_usable(d: DateMention, text: str, rules: Rules) -> bool:
    """Dates of forecasts (预计2027年), of foundings (2022年成立的) and the baselines of
    comparisons (较去年) do not date events."""
    clause = next((c for c in clauses(text) if c[0] <= d.start < c[1]), (0, len(text)))
    before = text[max(clause[0], d.start - 8) : d.start]
    after = text[d.end : d.end + 6]
    if rules.cues["forecast_cues"].search(before + d.text + after[:2]):
        return False
    if rules.cues["baseline_cues"].search(before):
        return False  # 较去年提高: the baseline of a comparison
    return not (_FOUNDED_AFTER.match(after) or _FOUNDED_BEFORE.search(before))


_EFFECTIVE_FROM = re.compile(r"\s*(?:\d{1,2}[时点]|零时|零点)?(?:起|开始生效|生效)")


def _announced_dates(usable: list[DateMention], text: str, rules: Rules) -> list[DateMention]:
    """Without the dates a change takes effect from (自4月1日起免费) when the sentence
    tells of its announcement (2月13日，百度宣布…; 百度宣布4月起免费): the event is the
    announcement, dated by the sentence's other date or by the narrative."""
    if not usable or ("起" not in text and "生效" not in text):
        return usable  # the usual case: no effective date at all
    dated = [d for d in usable if not _EFFECTIVE_FROM.match(text, d.end)]
    if dated:
        return dated
    return [] if rules.cues["announced"].search(text, 0, usable[0].start) else usable


def own_date(hit: Hit, found: tuple[DateMention, ...], text: str, rules: Rules) -> DateMention | None:
    """The sentence's own date for a trigger: the last usable one of its clause, else before it."""
    usable = _announced_dates([d for d in found if date_usable(d, text, rules)], text, rules)
    in_clause = [d for d in usable if hit.clause[0] <= d.start < hit.clause[1]]
    before = [d for d in usable if d.end <= hit.start]
    if in_clause or before:
        return (in_clause or before)[-1]
    # a list item labelled with its date after the news (X | 完成天使轮融资 | 日期：11-18)
    labelled = [d for d in usable if d.rule == "md-hyphen-label" or text.endswith(_DATE_LABELS, 0, d.start)]
    return labelled[-1] if labelled else None


_DATE_LABELS = ("日期：", "日期:", "时间：", "时间:")


def pick_date(
    view: SentenceView, hit: Hit, rules: Rules, state: Discourse, article: Article
) -> tuple[DateValue | None, str]:
    chosen = own_date(hit, view.dates, view.text, rules)
    if chosen:
        return chosen.date, chosen.text
    recent = [d for i, d in state.last_dates if view.index - i <= DATE_CONTEXT]
    if recent and (view.dates or not rules.cues["after_time"].match(view.text, hit.end)):
        # (a sentence without any date that says 离职后… presupposes an earlier event)
        return DateValue(recent[-1].date.value, recent[-1].date.approximate, inferred=True), recent[-1].text
    if article.published:
        return DateValue(article.published.value[:7], approximate=True, inferred=True), ""
    return None, ""


def amount_details(text: str) -> list[tuple[str, str]]:
    details = []
    amounts = find_amounts(text)
    if amounts:
        details.append(("amount", amounts[0]))
    rnd = find_round(text)
    if rnd:
        details.append(("round", rnd))
    return details
