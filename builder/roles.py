"""Placing the parties of one trigger hit by role, per event type.

personnel: who moved, from which company (从X / 离开X / the company in the
person's title), to which (加入Y / 回到Y); funding: which company raised, who
invested; lawsuit: who sued whom; price_cut: who cut; acquisition: who bought
whom. Each function returns finished ``Candidate`` values.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .extraction import (
    _ANAPHOR_PERSON,
    _COMPANY_ANAPHOR,
    Discourse,
    Hit,
    SentenceView,
    amount_details,
    clauses,
    leaver_at,
    pick_date,
)
from .models import Article, Candidate, EntityMention
from .rules import Rules

_COMPARED = re.compile(r"(?:对标|相比|比肩|超越|媲美|仅为|不及|低于|高于)[^，。；]{0,2}$")
_JOINER = re.compile(r"^\s*(?:、|和|与|及|以及|跟|同)\s*$")
_TITLE_GAP = 14  # max characters between a company and the person in 'X公司技术负责人某某'


def build_candidates(
    hit: Hit, view: SentenceView, article: Article, rules: Rules, state: Discourse, status: str
) -> list[Candidate]:
    builder = {
        "departure": _personnel,
        "hire": _personnel,
        "funding": _funding,
        "lawsuit": _lawsuit,
        "price_cut": _price_cut,
        "acquisition": _acquisition,
    }[hit.trigger.type]
    date, date_text = pick_date(view, hit, rules, state, article)
    out = []
    for etype, people, companies, details in builder(hit, view, rules, state):
        out.append(
            Candidate(
                type=etype,
                article=article.stem,
                sentence=view.index,
                paragraph=view.paragraph,
                quote=view.quote,
                people=tuple(people),
                companies=tuple(_dedupe(companies)),
                date=date,
                date_text=date_text,
                trigger=view.text[hit.start : hit.end],
                rule=hit.trigger.id,
                status=status,
                details=tuple(details),
            )
        )
    return out


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def _in(span: tuple[int, int], m: EntityMention) -> bool:
    return span[0] <= m.start < span[1]


def _companies(view: SentenceView) -> list[EntityMention]:
    """Companies that can be parties: not former employers (前京东), not a parent
    named only to introduce its subsidiary (X旗下Y)."""
    comps = [
        m
        for m in view.mentions
        if m.kind == "company"
        and not m.former
        and not _COMPARED.search(view.text, max(0, m.start - 4), m.start)
    ]
    return [
        m
        for m in comps
        if not (
            view.text.startswith("旗下", m.end)
            and any(c.start > m.end and c.start - m.end < 16 for c in comps)
        )
    ]


def _family(etype: str) -> str:
    return "personnel" if etype in ("departure", "hire") else etype


def _other_events_clause(hit: Hit, view: SentenceView, span: tuple[int, int]) -> bool:
    """Does ``span`` tell an event of another kind and none of the hit's own (智谱下调API价格，
    具身智能再获大额融资: 智谱 is the subject of the price cut, not of the round)?"""
    kinds = {_family(h.trigger.type) for h in view.hits if span[0] <= h.start < span[1]}
    return bool(kinds) and _family(hit.trigger.type) not in kinds


def _nearest_clause(hit: Hit, view: SentenceView, mentions: list[EntityMention]) -> list[EntityMention]:
    """The mentions of the trigger's clause, else of the nearest earlier clause that has any
    (not past a clause that tells an event of another kind)."""
    spans = clauses(view.text)
    idx = spans.index(hit.clause) if hit.clause in spans else 0
    for i in range(idx, -1, -1):
        if i < idx and _other_events_clause(hit, view, spans[i]):
            return []
        found = [m for m in mentions if _in(spans[i], m)]
        if found:
            # A（…）和B（…）先后跳槽: a list whose names each carry a bracketed aside
            while i >= 2 and _LIST_AFTER_ASIDE.match(view.text, spans[i][0] - 1):
                i -= 2
                found = [m for m in mentions if _in(spans[i], m)] + found
            return found
    return []


# what may stand between two people of one list (、联合创始人B; ）和B)
_LISTED_AFTER = re.compile(
    r"[（(][^，。；（）()]{0,16}[）)]$|[）)]?(?:、|和|与|及|以及)[^，。；、和与及]{0,8}$"
)
_LIST_AFTER_ASIDE = re.compile(r"[）)](?:和|与|及|以及|、)")


_SUCCEEDED = re.compile(r"(?:接替|接任|取代|顶替)$")
_FOUNDING = r"(?:联合)?(?:创办|创立|创建|成立|领导|执掌|掌舵|带领)的"
# a clause that lists those a trigger's clause speaks of (其中包括X、Y)
_LISTED_NEXT = re.compile(r"\s*(?:其中)?(?:包括|包含|分别是|分别为|即)")
# a person who describes a company (由X创办的Y, X执掌的Y) is not the one who moves
_FOUNDER_OF = re.compile(_FOUNDING)
_FOUNDED_BY = re.compile(r"由[^，。；]{1,24}?" + _FOUNDING)  # 加入由X创办的Y


def _scope_people(hit: Hit, view: SentenceView, state: Discourse) -> list[EntityMention]:
    """People of the trigger's clause, else of the nearest earlier clause, else an anaphor."""
    people = [
        m
        for m in view.mentions
        if m.kind == "person"
        and not _FOUNDER_OF.match(view.text, m.end)
        and not _SUCCEEDED.search(view.text, max(0, m.start - 3), m.start)  # 接替Y: Y is not the one hired
    ]
    found = _nearest_clause(hit, view, people)
    if found:
        return found
    spans = clauses(view.text)  # …挖角多名研究员，其中包括X、Y: the people listed next
    at = spans.index(hit.clause) if hit.clause in spans else -1
    leaver = leaver_at(hit, view.text)
    if leaver is not None:  # 2019年离开百度后，邱栩创办了…: the subject of the next clause left
        subject = [m for m in people if m.start == leaver]
        if subject:
            return subject[:1]
    if 0 <= at < len(spans) - 1 and (
        _LISTED_NEXT.match(view.text, spans[at + 1][0]) or view.text[spans[at + 1][0] - 1] in "：:"
    ):  # (三位核心成员先后出走：A、B和C…: the colon lists them too)
        a, b = spans[at + 1]
        listed = [m for m in people if a <= m.start < b]
        if listed:
            return listed
    m = _ANAPHOR_PERSON.search(view.text)
    if m and m.group(1) in state.roles:
        name = state.roles[m.group(1)]
        return [EntityMention(name, "person", m.start(), m.end(), m.group(0), "anaphora")]
    # 他从X离职: the one person the last sentences named (not when they named several)
    at, named = state.last_people
    if len(named) == 1 and view.index - at <= PRONOUN_REACH:
        m = _PRONOUN.search(view.text, hit.clause[0], hit.start)
        if m:
            return [EntityMention(named[0], "person", m.start(), m.end(), m.group(0), "pronoun")]
    return []


PRONOUN_REACH = 2  # sentences back that 他/她 may refer to
_PRONOUN = re.compile(r"(?<![其吉])[他她](?![们人乡日])")


def _former_title(view: SentenceView, person: EntityMention) -> str:
    """前OpenAI研究员某某离职: the former employer in the title of the person who leaves."""
    for m in reversed(view.mentions):
        if m.kind == "company" and m.former and m.end <= person.start:
            gap = view.text[m.end : person.start]
            if len(gap) <= _TITLE_GAP and not re.search("[，。；]", gap):
                return m.name
            break
    return ""


def _affiliation(view: SentenceView, person: EntityMention, floor: int, announced: bool = True) -> str:
    """The company named in the person's title: 'X公司技术负责人某某' -> X; with
    ``announced``, also X of 'X宣布某某不再担任…' (not for a join: X宣布Y出任… hires Y)."""
    best = ""
    for m in _companies(view):
        gap = view.text[m.end : person.start]
        if (
            floor <= m.start
            and m.end <= person.start
            and len(gap) <= _TITLE_GAP
            and not re.search("[，。；]", gap)
            and (announced or not _ANNOUNCES.search(gap))
        ):
            best = m.name
    if not best and view.text.startswith(("（", "("), person.end):
        # 某某（Fidji Simo，X公司首席执行官）: the title in an aside right after the name
        close = _ASIDE_END.search(view.text, person.end, person.end + 40)
        if close:
            inside = [m for m in _companies(view) if person.end < m.start and m.end <= close.start()]
            titled = [m for m in inside if _title_after().match(view.text, m.end)]
            best = titled[0].name if titled else ""
    return best


_ASIDE_END = re.compile(r"[）)]")


@cache
def _joined_org() -> re.Pattern[str]:
    """The name after a joining verb: 加盟知微动力，; also behind a descriptor
    (加盟一家具身智能创业公司灵犀动力: org_descriptors of names.yaml)."""
    from .entities import name_rules

    descriptors = "|".join(map(re.escape, sorted(name_rules()["org_descriptors"], key=len, reverse=True)))
    return re.compile(
        rf"(?:(?:一家|这家)?[\u4e00-\u9fffA-Za-z0-9]{{0,8}}?(?:{descriptors}))?"
        r"([\u4e00-\u9fff]{2,6}?|[A-Z][A-Za-z0-9.\-]*(?: [A-Z][A-Za-z0-9.\-]*)?)"
        r"(?=出任|担任|任职|任|负责|，|。|；|$)"
    )


def _after_cue(
    view: SentenceView,
    cue: re.Pattern,
    start: int,
    end: int,
    unknown: bool = False,
    stop: re.Pattern | None = None,
) -> list[str]:
    """Companies that directly follow a cue (加入X, 从X) between ``start`` and ``end``;
    with ``unknown``, also a name the registry does not know (加盟知微动力出任CTO);
    ``stop``: a cue that, standing between, makes the company another's (离职加盟X)."""
    from .entities import name_rules, plausible_name

    names = []
    for c in cue.finditer(view.text, start, end):
        by = _FOUNDED_BY.match(view.text, c.end())  # 加入由X创办的Y: Y follows the relative clause
        base = by.end() if by else c.end()
        known = [
            m
            for m in _companies(view)
            if base <= m.start <= base + 8
            and not re.search("[，。；]", view.text[c.end() : m.start])
            and not (stop and stop.search(view.text, c.end(), m.start))
        ]
        if known:
            names.append(known[0].name)
            continue
        new = _joined_org().match(view.text, c.end()) if unknown else None
        if (
            new
            and plausible_name(new.group(1))
            and new.group(1) not in name_rules()["roles"]  # 担任CEO: a post, not a company
            and not any(m.start <= c.end() < m.end for m in view.mentions)
        ):
            if not any(p.kind == "person" and p.start == c.end() for p in view.mentions):
                names.append(new.group(1))
    return names


def _anaphoric_company(view: SentenceView, state: Discourse) -> list[str]:
    if _COMPANY_ANAPHOR.search(view.text):
        # (nor an investor: 公司原CFO after 由深创投领投 is the funded company's)
        last = next(
            (
                c.name
                for c in reversed(state.companies)
                if not _is_academic(c.name, state) and not _is_investor(c.name, state)
            ),
            "",
        )
        return [last] if last else []
    return []


_ACADEMIC_ENDINGS = ("大学", "学院", "研究院", "研究所")


def _is_academic(name: str, state: Discourse) -> bool:
    """A university or an institute: 公司 never refers to one (香港科技大学的团队创立…，公司去年…)."""
    return name in state.academic or name.endswith(_ACADEMIC_ENDINGS)


def _move_span(hit: Hit, view: SentenceView, person: EntityMention) -> tuple[int, int]:
    """Where the person's move is told: the trigger's clause and the clauses after
    it, up to the first clause that names somebody else."""
    spans = clauses(view.text)
    idx = spans.index(hit.clause) if hit.clause in spans else 0
    end = spans[idx][1]
    for a, b in spans[idx + 1 :]:
        if any(
            m.kind == "person"
            and m.name != person.name
            and a <= m.start < b
            and not _FOUNDER_OF.match(view.text, m.end)
            for m in view.mentions
        ):
            break
        end = b
    return min(spans[idx][0], person.start), end


def _earlier_clause_company_is_news(hit: Hit, view: SentenceView) -> bool:
    """The company of an earlier clause is the subject of that clause's own event
    (X完成B轮融资，前Y研究员P加盟): it is not the company P leaves."""
    before = [c for c in _companies(view) if c.end <= hit.clause[0]]
    if not before:
        return False
    last = before[-1]
    clause = next((c for c in clauses(view.text) if c[0] <= last.start < c[1]), None)
    return clause is not None and any(h is not hit and clause[0] <= h.start < clause[1] for h in view.hits)


def _leavers_company(hit: Hit, view: SentenceView, person: EntityMention) -> str:
    """X三位核心成员先后出走：A、B… (the people listed outside the trigger's clause): X, named
    before a departure trigger in its own clause, is the company they leave."""
    if hit.trigger.type != "departure" or hit.clause[0] <= person.start < hit.clause[1]:
        return ""
    before = [c for c in _companies(view) if hit.clause[0] <= c.start and c.end <= hit.start]
    return before[0].name if before else ""


def _earlier_company(hit: Hit, view: SentenceView) -> str:
    before = [c for c in _companies(view) if c.end <= hit.clause[0]]
    return before[-1].name if before else ""


def _known_affiliation(
    person: str, state: Discourse, registry_affiliations: dict[str, tuple[str, ...]]
) -> str:
    """The person's latest registry affiliation that this article also names."""
    named = {c.name for c in state.companies}
    return next((c for c in reversed(registry_affiliations.get(person, ())) if c in named), "")


def _hiring_company(
    hit: Hit, view: SentenceView, state: Discourse, person: EntityMention, affiliation: str
) -> str:
    """X任命Y为CTO / X宣布Y加入公司 / X宣布由Y出任CTO: the company that hires is the
    clause's subject."""
    by = (  # 由(原X教授)某某出任, in the trigger's own clause
        hit.clause[0] <= person.start < hit.clause[1]
        and _BY_PERSON.search(view.text, max(hit.clause[0], person.start - 16), person.start) is not None
    )
    if hit.trigger.id in _APPOINTS or by or "公司" in view.text[hit.end : hit.end + 3]:
        appoint = hit.trigger.id in _APPOINTS or by
        # X将/把Y公司的某某招致麾下: the subject before 将/把 hires, the company after it is left
        ba = max(
            view.text.rfind("将", hit.clause[0], person.start),
            view.text.rfind("把", hit.clause[0], person.start),
        )
        limit = ba if ba >= 0 else hit.start
        before = [
            c.name
            for c in _companies(view)
            if c.end <= limit
            and (appoint or c.name != affiliation)
            and c.end <= person.start
            and not _FROM_BEFORE.search(view.text, 0, c.start)  # 从X挖来: X is left, not hiring
        ]
        if before:
            return before[-1]
        # X宣布Y加入公司; 公司原CFO某某辞职，由Y接任: the company of the post Y takes
        anaphor = "公司" in view.text[hit.end : hit.end + 3] or (
            appoint and _COMPANY_ANAPHOR.search(view.text, 0, hit.start) is not None
        )
        return (_anaphoric_company(view, state) or [""])[0] if anaphor else ""
    post = view.text[hit.start : hit.end] in ("出任", "担任", "就任", "上任", "履新")  # its object is a post
    if post or _NO_OBJECT.match(view.text, hit.end):  # X宣布，Y正式加盟: the company that announces it
        announcers = [
            c.name
            for c in _companies(view)
            if c.end <= person.start and c.name != affiliation and _ANNOUNCES.match(view.text, c.end)
        ]
        return announcers[-1] if announcers else ""
    return ""


_BY_PERSON = re.compile(r"由[^，。；由]{0,15}$")  # 由(原X教授)某某出任: the subject appoints
_APPOINTS = (
    "hire-appoint",
    "hire-welcome",
    "hire-promote-object",
)  # triggers whose subject is the hiring company
_FROM_BEFORE = re.compile(r"(?:从|自)$")
_NO_OBJECT = re.compile(r"了?(?:[，。；]|$|出任|担任)")
_ANNOUNCES = re.compile(r"(?:正式|今日|近日)?(?:宣布|官宣|透露|表示)")


def _personnel(hit: Hit, view: SentenceView, rules: Rules, state: Discourse):
    out, floor, shared = [], 0, ""
    people = _scope_people(hit, view, state)
    each = _respective(view, hit.clause[0]) if len(people) > 1 and "分别" in view.text else []
    for i, person in enumerate(people):
        a, b = _move_span(hit, view, person)
        froms = _after_cue(view, rules.cues["from_cues"], a, b, stop=rules.cues["to_cues"])
        tos = _after_cue(view, rules.cues["to_cues"], a, b, unknown=True)
        if len(each) == len(people):
            tos = [each[i]]  # A、B和C分别加入了X、Y和Z: one company each, in order
        affiliation = _affiliation(view, person, floor, announced=hit.trigger.type != "hire")
        if not affiliation and floor and _LISTED_AFTER.match(view.text, floor, person.start):
            affiliation = shared  # X的A、B和C: the company before a list is each one's
        shared = affiliation
        floor = person.end
        origin = froms[0] if froms else affiliation
        target = next((t for t in tos if t != origin), tos[0] if tos else "")
        if hit.trigger.type == "hire" and not target:
            target = _hiring_company(hit, view, state, person, affiliation)
        if hit.trigger.type == "hire" and not target and not _former_title(view, person):
            continue  # a join that names no company (原X高管某某出任一家初创公司CEO: X is left)
        left = any(h.trigger.type == "departure" and a <= h.start < b for h in view.hits)
        if target and (origin == target or (not origin and not left)):
            etype, origin = "hire", ""  # joins (or returns to) a company, no departure stated
        else:
            etype = "departure"
            origin = (
                origin
                or (_former_title(view, person) if _earlier_clause_company_is_news(hit, view) else "")
                or _earlier_company(hit, view)
                or _leavers_company(hit, view, person)
                or (_anaphoric_company(view, state) or [""])[0]  # 公司创始人、前X高管某某 leaves 公司
                or _former_title(view, person)
            )
            origin = origin or _known_affiliation(person.name, state, state.affiliations)
        details = ([("from", origin)] if origin else []) + ([("to", target)] if target else [])
        out.append((etype, [person.name], [origin, target], details))
    return out


_RESPECTIVE = re.compile(r"分别(?:加入|加盟|入职|转投|投奔|进入|回到|跳槽(?:至|到|去)?)了?")


def _respective(view: SentenceView, start: int) -> list[str]:
    """X、Y和Z after 分别加入 (from ``start`` on): the companies a list of people joined, in order."""
    m = _RESPECTIVE.search(view.text, start)
    if m is None:
        return []
    comps = [c for c in _companies(view) if c.start >= m.end()]
    if not comps or comps[0].start != m.end():
        return []
    listed = [comps[0]]
    for c in comps[1:]:
        if not _LIST_JOIN.fullmatch(view.text, listed[-1].end, c.start):
            break
        listed.append(c)
    return [c.name for c in listed]


def _nearest_companies(hit: Hit, view: SentenceView) -> list[EntityMention]:
    """Companies of the trigger's clause, else of the nearest earlier clause that names one."""
    return _nearest_clause(hit, view, _companies(view))


_ROUND_ANAPHOR = re.compile(r"^(?:本轮|此轮|该轮|这轮|本次|此次)|(?<![\u4e00-\u9fff])(?:该|其)?公司")
_THIS_COMPANY = re.compile(
    r"(?:这家|该)[^，。；]{0,16}(?:公司|企业)，"
)  # 这家成立于2022年的AI公司，…完成融资


@cache
def _title_after() -> re.Pattern[str]:
    """A title (names.yaml's roles) right after a company: it makes the company the
    affiliation of the person named next (小度科技CEO景鲲)."""
    from .entities import name_rules

    roles = sorted(name_rules()["roles"], key=len, reverse=True)
    return re.compile(r"\s*(?:前|" + "|".join(map(re.escape, roles)) + ")")


# a company brought in without a name (创办了一家AI视频公司): what follows is about it
_UNNAMED_COMPANY = re.compile(
    r"(?:创办|创立|成立|创建|组建|另起炉灶|自立门户)了?(?:一家|一个|新)[^，。；]{0,12}(?:公司|企业|团队|工作室)"
)
_BACKED_BY = re.compile(
    r"(?:由|获得?|获|拿到|得到|接受)([^，。；]{1,30}?)(?:的)?(?:领投|投资|注资|战略投资|参投)"
)
# 投资方包括X和Y / 参投方为X、Y: every company of the list backs the round
_BACKERS_LISTED = re.compile(
    r"(?:(?:投资方|投资人|投资机构|参投方|出资方|跟投方|领投方|新股东)(?:包括|为|是|有|\s*[：:])|新增(?:了)?(?:机构)?股东(?:包括|为|是|有)?)([^。；]{1,40})"
)


def _round_span(hit: Hit, view: SentenceView) -> tuple[int, int]:
    """The part of the sentence that tells the hit's round: up to the clauses of other
    funding triggers with dates of their own (今年1月完成A轮融资，5月又拿到Y的战略投资:
    Y backs the second round only)."""
    lo, hi = 0, len(view.text)
    for h in view.hits:
        c = h.clause
        if (
            h.trigger.type != "funding"
            or c == hit.clause
            or not any(c[0] <= d.start < c[1] for d in view.dates)
        ):
            continue
        if c[1] <= hit.clause[0]:
            lo = max(lo, c[1])
        elif c[0] >= hit.clause[1]:
            hi = min(hi, c[0])
    return lo, hi


def _investors(view: SentenceView, rules: Rules, scope: list[EntityMention], hit: Hit) -> set[str]:
    """X领投/跟投 anywhere in the round's part of the sentence, 由X领投, 获X投资, and
    X对Y的N美元 within the scope."""
    lo, hi = _round_span(hit, view)
    comps = [c for c in _companies(view) if lo <= c.start < hi]
    names = set()
    for m in comps:
        cue = rules.cues["investor_cues"].match(view.text, m.end)
        if cue and not any(m.end <= c.start < cue.end() for c in comps):
            # (X完成Y领投的B轮融资: the cue belongs to Y, named between)
            to = _RECEIVES.search(view.text, 0, m.start)
            if to is None:
                names.add(m.name)
            else:  # A向B投资: A invests
                names.update([c.name for c in comps if c.end <= to.start()][-1:])
    for b in (*_BACKED_BY.finditer(view.text), *_BACKERS_LISTED.finditer(view.text)):
        names |= {c.name for c in comps if b.start(1) <= c.start < b.end(1)}
    pairs = list(zip(comps, comps[1:], strict=False))
    for a, b in reversed(pairs):  # 微软、英伟达、软银参投: the whole list backs it
        if b.name in names and _LIST_JOIN.fullmatch(view.text, a.end, b.start):
            names.add(a.name)
    for m in re.finditer(r"对", view.text):  # X对Y的…投资: X invests
        names |= {c.name for c in scope if c.end == m.start()}
    return names


_LIST_JOIN = re.compile(r"\s*(?:、|和|及|与|以及)\s*")

# 向/对 (a descriptor of up to 12 characters may follow) before a company that is
# followed by 投资: A向初创公司B投资… — B receives the money.
_RECEIVES = re.compile(r"(?:向|对)[^，。；向对]{0,12}$")

_INVESTOR_ENDINGS = ("资本", "创投", "基金", "投资", "产投")
_BACKERS_VERBS = ("fund-lead", "fund-invest-more")  # triggers whose subject backs a round


def _is_investor(name: str, state: Discourse) -> bool:
    return name in state.investors or name.endswith(_INVESTOR_ENDINGS)


_RECEIVED = re.compile(r"获|被|接受|迎来")  # Y获X入股: Y received
_CONTROL = re.compile(r"控股股东|控股权|控制权|全资|绝对控股")


def _stake(hit: Hit, view: SentenceView, scope: list[EntityMention]) -> tuple[list[str], set[str]] | None:
    """X(以N亿元战略)入股(了)Y: Y raised, X backs it — ([] when Y is not named); None for
    the passive Y获X入股, which the general roles read."""
    if _RECEIVED.search(view.text, hit.clause[0], hit.start):
        return None
    if _CONTROL.search(view.text):
        return [], set()  # 入股…成为控股股东: a takeover, which the acquisition triggers tell
    from .entities import plausible_name

    funded = [c.name for c in scope if c.start >= hit.end]
    if not funded:
        new = _joined_org().match(view.text, hit.end + (view.text.startswith("了", hit.end)))
        funded = [new.group(1)] if new and plausible_name(new.group(1)) else []
    return funded[:1], {c.name for c in scope if c.end <= hit.start}


def _invested_in(hit: Hit, view: SentenceView):
    """X对Y进行了战略投资 (the trigger spans 对…投资): Y, named inside it, raised; the last
    company before it invests."""
    comps = _companies(view)
    funded = _dedupe([c.name for c in comps if hit.start < c.start and c.end <= hit.end])
    backers = [c.name for c in comps if c.end <= hit.start and c.name not in funded][-1:]
    if not funded:
        return []
    details = amount_details(view.text) + ([("investors", backers[0])] if backers else [])
    return [("funding", [], [name, *backers], details) for name in funded]


def _funding(hit: Hit, view: SentenceView, rules: Rules, state: Discourse):
    if hit.trigger.id == "fund-invest-made":
        return _invested_in(hit, view)
    scope = _nearest_companies(hit, view)
    stake = _stake(hit, view, scope) if hit.trigger.id == "fund-stake" else None
    funded, investors = stake if stake is not None else _raised(hit, view, rules, state, scope)
    if not funded:
        return []
    details = amount_details(view.text[hit.clause[0] : hit.clause[1]]) or amount_details(view.text)
    inv = sorted(investors)
    return [
        ("funding", [], [name, *inv], details + ([("investors", "、".join(inv))] if inv else []))
        for name in funded
    ]


def _raised(
    hit: Hit, view: SentenceView, rules: Rules, state: Discourse, scope: list[EntityMention]
) -> tuple[list[str], set[str]]:
    """The companies that raised the hit's round, and its backers."""
    investors = _investors(view, rules, scope, hit)
    funded = _dedupe([c.name for c in scope if c.name not in investors])
    titled = {c.name for c in scope if _title_after().match(view.text, c.end)}
    if any(n not in titled for n in funded):  # 小度科技CEO景鲲的公司Genspark完成…: 小度科技 is his title
        funded = [n for n in funded if n not in titled]
    if any(not _is_investor(n, state) for n in funded):  # 红杉中国 is named as a backer, not as the raised
        investors |= {n for n in funded if _is_investor(n, state)}
        funded = [n for n in funded if not _is_investor(n, state)]
    if (
        funded
        and all(_is_investor(n, state) for n in funded)
        and any(h.trigger.id in _BACKERS_VERBS and h.clause == hit.clause for h in view.hits)
    ):
        # ，X资本、Y跟投 / 老股东X追加投资 (of the A+轮): a clause of backers; the company that
        # raised is named before it, or is the one the story is about (…完成A轮。此后，X又追加…)
        investors |= set(funded)
        earlier = [
            c.name
            for c in _companies(view)
            if c.end <= hit.clause[0] and c.name not in investors and not _is_investor(c.name, state)
        ] or [
            c.name
            for c in state.companies
            if c.name not in investors and not _is_investor(c.name, state) and not _is_academic(c.name, state)
        ]
        funded = earlier[-1:]
    if not funded and hit.clause[0] > 0:
        # X成立于2020年，去年完成由Y参与的B轮融资: the sentence's topic raised — unless an
        # unnamed company came in between (X前员工P创办了一家公司，近日获得…融资); not the
        # subject of a clause with an event of another kind (智谱降价，某某再获融资)
        intro = max((m.end() for m in _UNNAMED_COMPANY.finditer(view.text, 0, hit.start)), default=0)
        spans = clauses(view.text)
        topics = [
            c
            for c in _companies(view)
            if intro <= c.start
            and c.end <= hit.clause[0]
            and c.name not in investors
            and not _is_investor(c.name, state)
            and not any(_in(s, c) and _other_events_clause(hit, view, s) for s in spans)
        ]
        # (由X联合创始人Y创办的Z…: X names a founder's title, not the topic)
        untitled = [c for c in topics if not _title_after().match(view.text, c.end)]
        funded = [c.name for c in (untitled or topics)[:1]]
    if not funded and (
        _ROUND_ANAPHOR.search(view.text[hit.clause[0] : hit.end]) or _THIS_COMPANY.match(view.text)
    ):
        # 本轮由X领投 / 公司完成A轮融资: the round of the company just written about
        earlier = [
            c.name
            for c in reversed(state.companies)
            if c.name not in investors and not _is_investor(c.name, state) and not _is_academic(c.name, state)
        ]
        funded = earlier[:1]
    return funded, investors


def _lawsuit(hit: Hit, view: SentenceView, rules: Rules, state: Discourse):
    # (when the trigger's clause names its own company, not the parties of a clause that
    # tells an event of another kind about other companies: P从X转投Y，Z起诉前工程师;
    # but 前X的P离职，X随后起诉 is one story)
    own = {m.name for m in view.mentions if m.kind == "company" and _in(hit.clause, m)}
    apart = [
        c
        for c in clauses(view.text)
        if own
        and c != hit.clause
        and _other_events_clause(hit, view, c)
        and not any(m.name in own for m in view.mentions if _in(c, m))
    ]
    if apart:
        view = replace(view, mentions=tuple(m for m in view.mentions if not any(_in(c, m) for c in apart)))
    people = [m.name for m in view.mentions if m.kind == "person"]
    anaphor = _ANAPHOR_PERSON.search(view.text)
    if anaphor and anaphor.group(1) in state.roles:
        people.append(state.roles[anaphor.group(1)])
    comps = _companies(view)
    if not people and not comps:
        return []
    if people:
        for c in comps:
            state.cases[c.name] = tuple(_dedupe(people))
    else:  # 墨言智能随后提起诉讼: the case of the person named before with this company
        people = list(next((state.cases[c.name] for c in comps if c.name in state.cases), ()))
    before = [m.name for m in view.mentions if m.end <= hit.start and not m.former]
    after = [m.name for m in view.mentions if m.start >= hit.end and not m.former]
    plaintiff = before[-1] if before else ""
    others = [x for x in before[:-1] if x != plaintiff]
    defendant = (
        after[0]
        if after
        else (state.roles.get(anaphor.group(1)) if anaphor else "") or (others[0] if others else "")
    )
    if hit.trigger.id == "law-case":  # A诉B…案: B is named inside the trigger's own text
        inside = [m.name for m in view.mentions if hit.start < m.start < hit.end and not m.former]
        defendant = inside[0] if inside else defendant
    pair = _CASE_PAIR.search(view.text, hit.clause[0], hit.start)
    if pair:  # 对A与B…纠纷一案作出判决: A, listed first, against B
        named = [m.name for m in view.mentions if pair.start() <= m.start < pair.end() and not m.former]
        if len(named) >= 2:
            plaintiff, defendant = named[0], named[1]
    passive = _last_passive(view.text, hit)
    if passive >= 0:  # X被Y起诉: Y sues X
        agents = [m.name for m in view.mentions if passive < m.start and m.end <= hit.start and not m.former]
        sued = [m.name for m in view.mentions if m.end <= passive and not m.former]
        plaintiff = agents[-1] if agents else ""
        defendant = sued[-1] if sued else defendant
    details = [] if hit.trigger.id == "law-settle" else [("plaintiff", plaintiff)] if plaintiff else []
    if defendant and defendant != plaintiff and hit.trigger.id != "law-settle":  # a settlement has no sides
        details.append(("defendant", defendant))
    details += amount_details(view.text)
    return [("lawsuit", _dedupe(people), [c.name for c in comps], details)]


def _price_cut(hit: Hit, view: SentenceView, rules: Rules, state: Discourse):
    comps = _companies(view)
    scope = [c for c in comps if _in(hit.clause, c)] or [c for c in comps if c.end <= hit.start]
    if not scope:
        return []
    details = amount_details(view.text[hit.clause[0] : hit.clause[1]])
    return [
        ("price_cut", [], [c.name for c in scope], [("new_price", v) for k, v in details if k == "amount"])
    ]


_QUOTED = re.compile(r"[“\"「『]([\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .-]{1,11})[”\"」』]")
_DESCRIBED_OBJECT = re.compile(
    r"(?:了)?(?:一家)?[\u4e00-\u9fffA-Za-z]{0,8}?(?:初创公司|创业公司|初创企业|公司|企业|厂商|平台)(?![，。；的])"
)
_OBJECT = re.compile(
    r"(?:了)?([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z.]{1,7}?)(?=的|\d|股权|全部|后|之后|以后|[，。；]|$)"
)


_TIME_NOT_NAME = frozenset({"之后", "以后", "之前", "以前", "此后", "当时", "随后", "之际"})
_LATIN_OBJECT = re.compile(r"(?:了)?\s*([A-Z][A-Za-z0-9.\-]*(?: [A-Z][A-Za-z0-9.\-]*)?)")


_NOUN_USE = re.compile(
    r"(?:将|会|能|可|也|已|还|完成|后|之后|以后|带来|有助|帮助|使|让|交易|事项|金额|价格|对价)"
)


def _named_object(text: str, pos: int) -> str:
    """收购青禾数据100%股权: an unknown name right after the trigger is the target."""
    from .entities import name_rules, plausible_name

    if _NOUN_USE.match(text, pos):
        return ""  # 收购将帮助公司…, 收购完成后: the deal as a noun, no object follows
    latin = _LATIN_OBJECT.match(text, pos)
    if latin and latin.group(1) not in name_rules()["latin_org_words"]:  # not a bare 'AI'
        return latin.group(1)
    described = _DESCRIBED_OBJECT.match(text, pos)  # 收购AI硬件初创公司光年视界
    quoted = _QUOTED.match(text, described.end()) if described else None  # 收购一家公司“X”
    if quoted:
        return quoted.group(1)
    m = _OBJECT.match(text, described.end() if described else pos)
    if (
        not m
        or not (described or plausible_name(m.group(1)))
        or m.group(1)[0] in "该其这此一的了是在和与及等被将"
        or m.group(1) in name_rules()["org_reject"]  # 收购一家公司全部股权: a share, not a name
        or m.group(1) in _TIME_NOT_NAME  # 收购某公司之后
    ):
        return ""
    return m.group(1)


# 被/遭 of a passive (T被A收购, X遭Y起诉), not 被曝/被传/被指 ("reportedly": A被曝收购T, A buys)
_PASSIVE = re.compile("被(?![曝爆传指判])|遭到?|遭受")  # 被判 (was ordered): the subject lost, not was sued
_CONTROL = re.compile("控股|控制权")
_CASE_PAIR = re.compile(r"[^，。；]{1,16}与[^，。；]{1,24}?(?:纠纷|争议)(?:一案|案)")


def _last_passive(text: str, hit: Hit) -> int:
    """Start of the last passive 被/遭 of the trigger's clause before the trigger, or -1
    (searched past the trigger's start: 被判 must see its 判)."""
    return max(
        (m.start() for m in _PASSIVE.finditer(text, hit.clause[0]) if m.start() < hit.start), default=-1
    )


# 通过收购补足…: acquiring as a means (a verb phrase follows, not the name of a target)
_MEANS = ("通过", "借助", "依靠", "借由", "经由", "靠")


# around an acquisition trigger without a named target: the deal just told (此次收购) or
# the buyer's role (收购方)
_NO_DEAL_OF_ITS_OWN = re.compile(
    r"(?:此次|这次|本次|该笔|这笔|此项|该项|该起|这起)(?:收购|并购)|(?:收购|并购)(?:方|(?:完成|交割)?后)"
)


def _acquisition(hit: Hit, view: SentenceView, rules: Rules, state: Discourse):
    comps = _companies(view)
    before = [c for c in comps if c.end <= hit.start]
    if hit.trigger.id == "acq-merge":  # A与B宣布合并: the companies of the clause, no buyer
        merged = _dedupe([c.name for c in before if _in(hit.clause, c)])
        if len(merged) < 2:
            return []
        return [("acquisition", [], merged, amount_details(view.text))]
    after = (
        [c for c in comps if c.start >= hit.end and _in(hit.clause, c)]
        or [
            c  # 收购了一家公司“X”: quotes end the clause, not the object
            for c in comps
            if c.start >= hit.end and not re.search("[，。；;,]", view.text[hit.end : c.start])
        ][:1]
        or [c for c in comps if hit.start < c.start and c.end <= hit.end]  # 取得「X」100%股权
    )
    passive = _last_passive(view.text, hit)
    obj = re.search(r"对([^，。；]{1,20})的[^，。；]{0,8}$", view.text[: hit.start])
    if obj:
        after = [c for c in comps if obj.start(1) <= c.start < obj.end(1)] + after
        before = [c for c in before if c.start < obj.start()]
    if passive >= 0:  # T被A收购: A between 被 and the trigger buys T
        agents = [c for c in before if c.start > passive]
        before, after = agents, [c for c in before if c.end <= passive][-1:]
    if not after and len(before) > 1 and _CONTROL.search(view.text, hit.start, hit.end):
        # A入股T，成为其控股股东: the buyer opens the sentence, the target comes before the trigger
        before, after = before[:1], before[-1:]
    acquirer = before[-1].name if before else ""
    target = (
        after[0].name
        if after
        else (
            _named_object(view.text, hit.end)
            if view.text[hit.start : hit.end] == "收购" and not view.text.endswith(_MEANS, 0, hit.start)
            else ""
        )
    )
    if acquirer and acquirer == target:
        # A与T的股东签订协议，以…收购T全部股份: T named before the trigger too; A is the buyer
        acquirer = next((c.name for c in reversed(before) if c.name != target), "")
    if not target and not acquirer:
        return []
    if not target and (
        _NO_DEAL_OF_ITS_OWN.search(view.text[max(0, hit.start - 3) : hit.end + 3])
        or (before and "：" in view.text[before[-1].end : hit.start])
    ):
        # 此次收购有助于…, 收购方: a deal told before, a role; X…提醒了收购方：买下一家创业公司…:
        # a maxim after a colon, not X's deal (X收购一家…公司 is one)
        return []
    details = [("acquirer", acquirer)] if acquirer else []
    details += [("target", target)] if target else []
    details += amount_details(view.text)
    return [("acquisition", [], [acquirer, target], details)]
