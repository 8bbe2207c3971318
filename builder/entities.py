"""Entities stage: the registry of companies and people, and finding them in text.

The registry (``registry/companies.yaml``, ``registry/people.yaml``) is
hand-editable data: canonical names, aliases, products that stand for their
maker. ``EntityFinder`` finds registry names in a normalised sentence with an
Aho-Corasick automaton, then discovers names the registry does not know from
context: a role word before a Chinese name (创始人周某), a company directly
before a name, anonymised names (田某某), Latin-script names next to a person
cue, and organisation names with a telling ending (某某科技, 某某大学).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache
from math import log
from pathlib import Path

import yaml

from .automata import Keywords
from .models import EntityMention
from .normalising import normalise

DATA = Path(__file__).parent / "data"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = re.compile("[A-Z]+")


def ascii_lower(text: str) -> str:
    """``text.translate(_ASCII_LOWER)``: only A-Z change (never 'İ' or 'K')."""
    return _ASCII_UPPER.sub(lambda m: m.group().lower(), text)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_WEAK_CUES = (
    "公司",
    "集团",
    "平台",
    "旗下",
    "创始人",
    "CEO",
    "投资",
    "融资",
    "收购",
    "加入",
    "回到",
    "离开",
    "入职",
    "负责人",
    "大模型",
    "模型",
    "科学家",
    "高管",
    "团队",
    "技术",
    "业务",
    "员工",
    "工程师",
    "发布",
    "加盟",
    "出任",
    "担任",
    "跳槽",
    "起诉",
    "诉讼",
    "降价",
    "实验室",
    "宣布",  # (millet announces nothing: 小米宣布…)
    "公告",
)


class RegistryError(Exception):
    """A registry file that cannot be used; ``str()`` is 'path:line: message'."""


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # 'company' | 'person'
    aliases: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    description: str = ""
    links: tuple[tuple[str, str], ...] = ()
    affiliations: tuple[str, ...] = ()
    category: str = ""  # company | investor | university | institute | lab


@lru_cache(maxsize=65536)
def match_key(s: str) -> str:
    """How a name is compared: simplified characters, ASCII lower case, single spaces."""
    return re.sub(r"\s+", " ", normalise(s).text.translate(_ASCII_LOWER)).strip()


@cache
def name_rules() -> dict:
    rules = yaml.safe_load((DATA / "names.yaml").read_text(encoding="utf-8"))
    rules["roles"] = sorted(set(rules["roles"]), key=len, reverse=True)
    rules["roles_tuple"] = tuple(rules["roles"])  # for one str.endswith call
    rules["surname_set"] = set(rules["surnames"]) | set(rules["compound_surnames"])
    rules["stop_set"] = set(rules["name_stop_chars"])
    rules["translit_set"] = frozenset(rules.get("transliteration_chars", "")) - rules["stop_set"]
    rules["name_stop_words"] = rules["name_stop_words"] + rules["time_words"]
    rules["stop_words_tuple"] = tuple(rules["name_stop_words"])  # for one str.startswith call
    rules["descriptor_re"] = re.compile(
        "(?:" + "|".join(map(re.escape, rules["org_descriptors"])) + ")([\u4e00-\u9fff]{2,6}?)"
        "(?="
        + "|".join([*map(re.escape, rules["org_followers"]), *rules.get("org_follower_patterns", [])])
        + ")"
    )
    # 初创公司“灵镜”, 新创「芯睿智慧」: a quoted name right after a descriptor
    rules["quoted_org_re"] = re.compile(
        "(?:"
        + "|".join(map(re.escape, rules["org_descriptors"]))
        + ")[「“『]([^」”』，。；“「『]{2,12})[」”』]"
    )
    rules["follower_re"] = re.compile(
        "|".join([*map(re.escape, rules["org_followers"]), *rules.get("org_follower_patterns", [])])
    )
    rules["weak_suffixes"] = frozenset(rules.get("weak_org_suffixes", ()))
    rules["weak_suffix_tuple"] = tuple(rules.get("weak_org_suffixes", ()))  # for one str.endswith call
    rules["trigger_adverbs_longest"] = tuple(sorted(rules["trigger_adverbs"], key=len, reverse=True))
    rules["listed_suffixes"] = tuple(rules.get("listed_suffixes", ()))
    rules["boundary_set"] = frozenset(rules["org_boundaries"])
    rules["suffix_re"] = re.compile(
        "|".join(map(re.escape, sorted(rules["org_suffixes"], key=len, reverse=True)))
    )
    rules["clause_org_re"] = re.compile(
        # a date word may stand between the name and the verb (，极光矩阵今天宣布获得…)
        "(?:^|[，。；：、的\\s])([\u4e00-\u9fff]{2,6}?)(?:"
        + "|".join(map(re.escape, rules["time_words"]))
        + ")?(?="
        + "|".join(map(re.escape, rules["org_clause_verbs"]))
        + ")"
    )
    rules["latin_org_re"] = re.compile(
        r"(?<![A-Za-z0-9.])((?:[A-Z][A-Za-z0-9]*[ -]){1,3}(?:"
        + "|".join(map(re.escape, sorted(rules["latin_org_endings"], key=len, reverse=True)))
        + r"))(?![A-Za-z0-9])"
    )
    rules["role_re"] = re.compile("|".join(map(re.escape, rules["roles"] + rules["name_intro_verbs"])))
    rules["suffix_tuple"] = tuple(rules["org_suffixes"])
    rules["suffix_continuations"] = {
        k: tuple(v) for k, v in (rules.get("suffix_continuations") or {}).items()
    }
    rules["descriptor_tuple"] = tuple(rules["org_descriptors"])
    rejects = "|".join(map(re.escape, rules["org_reject"]))
    rules["reject_re"] = re.compile(rejects if rules["org_reject"] else "(?!)")  # any(bad in name)
    rules["clause_verb_re"] = re.compile("|".join(map(re.escape, rules["org_clause_verbs"])))
    # cheap gates: a sentence without any of these holds no discoverable person / organisation
    org_words = rules["org_suffixes"] + rules["org_descriptors"] + rules["org_clause_verbs"]
    rules["org_gate"] = re.compile("|".join(map(re.escape, sorted(set(org_words), key=len, reverse=True))))
    return rules


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # match_key(alias) -> canonical name
    digest: str = ""

    @classmethod
    def load(cls, folder: Path) -> Registry:
        reg = cls()
        h = hashlib.sha256()
        for kind, fname in (("company", "companies.yaml"), ("person", "people.yaml")):
            path = folder / fname
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            h.update(text.encode())
            for item, line in _items(path, text):
                reg._add(_entity(item, kind, path, line), path, line)
        reg.digest = h.hexdigest()[:16]
        return reg

    def _add(self, ent: Entity, path: Path, line: int) -> None:
        for derived in (
            "_affiliations",
            "_investors",
            "_academic",
            "_given",
            "_given_auto",
            "_given_order",
            "_automaton",
            "_garbled",
            "_article_auto",
            "_discovered",
        ):
            self.__dict__.pop(derived, None)  # built from the entities on first use
        if ent.name in self.entities:
            raise RegistryError(f"{path}:{line}: '{ent.name}' is listed twice")
        self.entities[ent.name] = ent
        for alias in (ent.name, *ent.aliases, *ent.products):
            self.keys.setdefault(match_key(alias), ent.name)

    def canonical(self, name: str) -> str | None:
        return self.keys.get(match_key(name))

    @property
    def affiliations(self) -> dict[str, tuple[str, ...]]:
        if not hasattr(self, "_affiliations"):
            self._affiliations = {e.name: e.affiliations for e in self.entities.values() if e.affiliations}
        return self._affiliations

    @property
    def investors(self) -> frozenset[str]:
        """Registry companies whose kind is 'investor'."""
        if not hasattr(self, "_investors"):
            self._investors = frozenset(e.name for e in self.entities.values() if e.category == "investor")
        return self._investors

    @property
    def academic(self) -> frozenset[str]:
        """Registry organisations whose kind is 'university' or 'institute'."""
        if not hasattr(self, "_academic"):
            self._academic = frozenset(
                e.name for e in self.entities.values() if e.category in ("university", "institute")
            )
        return self._academic

    def kind(self, name: str) -> str | None:
        ent = self.entities.get(name)
        return ent.kind if ent else None

    @property
    def given_names(self) -> dict[str, str]:
        """Given names of registry people (文灏 -> 黄文灏) that are unambiguous and
        not themselves a registry name, in registry order."""
        if not hasattr(self, "_given"):
            given: dict[str, list[str]] = {}
            for ent in self.entities.values():
                if ent.kind == "person" and len(ent.name) == 3 and _CJK.match(ent.name):
                    given.setdefault(ent.name[1:], []).append(ent.name)
            self._given = {
                part: names[0] for part, names in given.items() if len(names) == 1 and part not in self.keys
            }
        return self._given

    def given_in(self, text: str) -> list[str]:
        """The given names (``given_names``) that occur in ``text``, in registry order."""
        if not hasattr(self, "_given_auto"):
            self._given_order = {part: i for i, part in enumerate(self.given_names)}
            self._given_auto = Keywords((part, part) for part in self.given_names)
        if not len(self._given_auto):
            return []
        found = {part for _, part in self._given_auto.iter(text)}
        return sorted(found, key=self._given_order.__getitem__) if len(found) > 1 else list(found)

    @property
    def article_automaton(self) -> Keywords:
        """The registry keys, the garbled keys and the given names in one automaton,
        for ``scan_article``, keyed by their ``ascii_lower`` form. A key that is only
        a registry key keeps the registry value (a tuple); any other key has the
        list of its (0, registry value) / (1, garbled value) / (2, given name)."""
        if not hasattr(self, "_article_auto"):
            entries: dict[str, list[tuple[int, object]]] = {}
            for key in self.automaton.keys():
                entries.setdefault(key, []).append((0, self.automaton.get(key)))
            for key in self.garbled_automaton.keys():
                entries.setdefault(ascii_lower(key), []).append((1, self.garbled_automaton.get(key)))
            for part in self.given_names:
                entries.setdefault(ascii_lower(part), []).append((2, part))
            auto = Keywords(
                (key, found[0][1] if len(found) == 1 and found[0][0] == 0 else found)
                for key, found in entries.items()
            )
            if not hasattr(self, "_given_order"):
                self._given_order = {part: i for i, part in enumerate(self.given_names)}
            self._garbled_longest = max(self.garbled_automaton.longest, 1)
            self._article_auto = auto
        return self._article_auto

    def scan_article(self, text: str, upto: int) -> ArticleScan:
        """One pass of ``article_automaton`` over an article's normalised text: what
        the three separate passes find — ``automaton`` over ``ascii_lower(text[:upto])``,
        ``garbled_automaton`` over ``text`` and ``given_in(text[:upto])`` — in their
        order. A key matches the lower-cased text wherever its own form matches
        the text (only A-Z change, never the length); garbled keys and given
        names are checked against the text itself, as their passes are case-sensitive."""
        low = ascii_lower(text[:upto])
        auto = self.article_automaton
        hits = auto.find(low) if low else []  # in order of their last index
        keys: list[tuple[int, tuple]] = hits
        garbled: list[tuple[int, tuple]] = []
        given: set[str] = set()
        if any(h[1].__class__ is list for h in hits):  # not only registry keys
            keys = []
            for end, found in hits:
                if found.__class__ is not list:
                    keys.append((end, found))
                    continue
                for tag, value in found:
                    if tag == 0:
                        keys.append((end, value))
                    elif tag == 1:
                        if text.startswith(value[0], end - len(value[0]) + 1):
                            garbled.append((end, value))
                    elif text.startswith(value, end - len(value) + 1):
                        given.add(value)
        if upto < len(text) and len(self.garbled_automaton):  # garbled keys in the rest of the article
            start = max(0, upto - self._garbled_longest + 1)  # a key ending at upto starts here or after
            garbled += [h for h in self.garbled_automaton.iter(text, start) if h[0] >= upto]
        order = sorted(given, key=self._given_order.__getitem__) if len(given) > 1 else list(given)
        return ArticleScan(low, keys, garbled, order)

    def discoveries(self, text: str) -> tuple[EntityMention, ...]:
        """``discover_people(text, self) + discover_orgs(text, self)``, remembered per
        distinct sentence: both depend only on the sentence, the name rules and this
        registry (``_add`` forgets them), and mentions are immutable, so a sentence
        seen before (news repeats boilerplate and quotes) needs no new search."""
        memo: dict[str, tuple[EntityMention, ...]] | None = self.__dict__.get("_discovered")
        if memo is None:
            memo = self._discovered = {}
        found = memo.get(text)
        if found is None:
            found = tuple(discover_people(text, self) + discover_orgs(text, self))
            if len(memo) >= _DISCOVERED_MAX:
                memo.clear()  # bounded memory; a fresh start costs only the searches
            memo[text] = found
        return found

    @property
    def garbled_automaton(self) -> Keywords:
        if not hasattr(self, "_garbled"):
            self._garbled = _build_garbled(self)
        return self._garbled

    @property
    def automaton(self) -> Keywords:
        if not hasattr(self, "_automaton"):
            self._automaton = _build_automaton(self)
        return self._automaton


_DISCOVERED_MAX = 20000  # sentences whose discoveries a registry remembers


@dataclass(frozen=True)
class ArticleScan:
    """``Registry.scan_article``: the registry's names in one article."""

    low: str  # ascii_lower of the part of the article that is read
    keys: list[tuple[int, tuple]]  # registry keys in that part: (last index, value)
    garbled: list[tuple[int, tuple]]  # garbled keys in the whole article: (last index, value)
    given: list[str]  # given names in that part, in registry order


def _build_garbled(reg: Registry) -> Keywords:
    """Keys 'alias minus its first character + product' (讯混元), for garbled_aliases()."""
    auto: dict[str, tuple[str, str, str, str]] = {}
    for ent in sorted(reg.entities.values(), key=lambda e: e.name):
        if ent.kind != "company":
            continue
        for alias in (ent.name, *ent.aliases):
            if len(alias) < 2 or not _CJK.match(alias):
                continue
            for product in ent.products:
                key = alias[1:] + product
                auto.setdefault(key, (key, alias[1:], alias[0], ent.name))
    return Keywords(auto.items())


def _items(path: Path, text: str):
    loader = yaml.CSafeLoader(text)  # libyaml: parse once, keep the nodes' line numbers
    try:
        nodes = loader.get_single_node()
        data = loader.construct_document(nodes) if nodes is not None else []
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise RegistryError(f"{path}:{(mark.line + 1) if mark else 1}: {getattr(e, 'problem', e)}") from e
    finally:
        loader.dispose()
    if not isinstance(data, list):
        raise RegistryError(f"{path}:1: the registry must be a list of entries")
    for node, item in zip(nodes.value, data, strict=True):
        yield item, node.start_mark.line + 1


def _entity(item: object, kind: str, path: Path, line: int) -> Entity:
    if not isinstance(item, dict) or not str(item.get("name") or "").strip():
        raise RegistryError(f"{path}:{line}: every entry needs a 'name'")

    def strs(key: str) -> tuple[str, ...]:
        v = item.get(key) or []
        if not isinstance(v, list):
            raise RegistryError(f"{path}:{line}: '{key}' must be a list")
        return tuple(str(x).strip() for x in v if str(x).strip())

    links = item.get("links") or {}
    return Entity(
        name=str(item["name"]).strip(),
        kind=kind,
        aliases=strs("aliases"),
        products=strs("products"),
        weak=strs("weak"),
        description=str(item.get("description") or ""),
        links=tuple(sorted((str(k), str(v)) for k, v in links.items())) if isinstance(links, dict) else (),
        affiliations=strs("affiliations"),
        category=str(item.get("kind") or kind),
    )


def _build_automaton(reg: Registry) -> Keywords:
    auto: dict[str, tuple[str, str, str, bool]] = {}
    for ent in sorted(reg.entities.values(), key=lambda e: e.name):
        weak = {match_key(w) for w in ent.weak}
        for alias in (ent.name, *ent.aliases, *ent.products):
            key = match_key(alias)
            if len(key) < 2 or key in auto:
                continue
            auto[key] = (key, ent.name, ent.kind, key in weak)
    return Keywords(auto.items())


# ---------------------------------------------------------------- finding


@dataclass
class EntityFinder:
    """Finds entity mentions in normalised sentences of one article.

    ``article`` (optional) is the article's whole normalised text: partial names
    that never occur in it are then not looked for in its sentences, and the
    registry automaton runs once over it (``find(text, at=offset)`` then takes
    the names that lie inside the sentence).
    """

    registry: Registry
    local: dict[str, tuple[str, str]] = field(default_factory=dict)  # partial surface -> (name, kind)
    known: dict[str, str] = field(default_factory=dict)  # full names learned in this article
    article: str | None = None
    scan: ArticleScan | None = None  # registry.scan_article(..., len(article)), when already made
    shadowed: set[str] = field(default_factory=set)  # weak registry keys that name a local company here

    def __post_init__(self) -> None:
        """Given names of registry people (文灏 for 黄文灏) count after a role word."""
        given = self.registry.given_names
        if self.article is None:
            for part, name in given.items():
                self.local.setdefault(part, (name, "person"))
        else:  # only those in the article, in registry order (as iterating ``given`` gives)
            present = self.registry.given_in(self.article) if self.scan is None else self.scan.given
            for part in present:
                self.local.setdefault(part, (given[part], "person"))
        self._surfaces: list[str] | None = None  # the local surfaces that occur in the article
        self._keys: list[tuple[int, tuple]] = []  # registry keys in the article: (last index, value)
        if self.article is not None:
            if self.scan is not None:
                self._low, self._keys = self.scan.low, self.scan.keys
            else:
                self._low = ascii_lower(self.article)
                self._keys = list(self.registry.automaton.iter(self._low))  # in order of their last index
            self._key_ends = [k[0] for k in self._keys]

    def find(self, text: str, at: int | None = None) -> list[EntityMention]:
        """Mentions in ``text``; ``at``: where ``text`` starts in the finder's article."""
        if at is None or self.article is None:
            registry = self._registry_mentions(text)
        else:
            registry = self._registry_mentions_at(text, at)
        found = registry + self._local_mentions(text)
        found += self.registry.discoveries(text)
        if not found:
            return found
        return _mark_former(text, _resolve_overlaps(found) if len(found) > 1 else found)

    def learn(self, mentions: list[EntityMention]) -> None:
        """Remember names found from context, so later sentences find them without a
        cue, and given names so 文灏 finds 黄文灏 after a role word."""
        for m in mentions:
            if m.kind == "company":
                self._learn_short_name(m)
                if (
                    m.rule in ("descriptor", "latin-org")
                    or (m.rule == "org-suffix" and m.name.endswith(name_rules()["weak_suffix_tuple"]))
                ) and m.name not in self.local:
                    # 公司格物深度完成… names it for the rest of the article (格物深度1月16日宣布…),
                    # and so does 云杉数据向法院… (…赔偿云杉数据860万元: 数据 alone is too weak)
                    self.local[m.name] = (m.name, "company")
                    self._surfaces = None
            if m.kind != "person" or not _CJK.match(m.name):
                continue
            if m.rule not in ("registry", "local"):
                self.known.setdefault(m.name, m.name)
            if len(m.name) == 3 and not self._has_local(m.name[1:]):
                self.local[m.name[1:]] = (m.name, "person")
                self._surfaces = None

    def _has_local(self, surface: str) -> bool:
        """Is ``surface`` a partial name already? (Given names absent from the article
        were never added, but count as there.)"""
        return surface in self.local or (self.article is not None and surface in self.registry.given_names)

    def _learn_short_name(self, m: EntityMention) -> None:
        """北辰科技 is called 北辰 later in the same article."""
        rules = name_rules()
        if not m.name.endswith(rules["suffix_tuple"]):
            return  # no organisation ending: nothing to shorten
        for suffix in rules["org_suffixes"]:
            short = m.name[: -len(suffix)]
            if (
                m.name.endswith(suffix)
                and len(short) >= 2
                and _CJK.match(short)
                and not self._has_local(short)
            ):
                key = match_key(short)
                if key in self.registry.keys and self._weak_key(key):
                    self.shadowed.add(key)  # 云雀智能 is called 云雀 here, not 字节跳动's model
                elif key in self.registry.keys or _word_freq(short) >= _COMMON_WORD_FREQ:
                    return
                self.local[short] = (m.name, "company")
                self._surfaces = None
                return

    def _weak_key(self, key: str) -> bool:
        ent = self.registry.entities.get(self.registry.keys[key])
        return ent is not None and any(match_key(w) == key for w in ent.weak)

    def _registry_mentions(self, text: str) -> list[EntityMention]:
        low = text.translate(_ASCII_LOWER)
        out = []
        for end, (key, name, kind, weak) in self.registry.automaton.iter(low):
            start = end - len(key) + 1
            if not _boundaries_ok(low, start, end + 1, key):
                continue
            if weak and (
                key in self.shadowed
                or not _near_cue(text, start, end + 1)
                or _in_blocker(text, start, end + 1)
            ):
                continue
            out.append(EntityMention(name, kind, start, end + 1, text[start : end + 1], "registry"))
        return out

    def _registry_mentions_at(self, text: str, at: int) -> list[EntityMention]:
        """_registry_mentions from the article's one automaton pass: the keys that
        lie wholly inside ``text`` (the same keys, in the same order)."""
        ends = self._key_ends
        lo = bisect_left(ends, at)
        if lo == len(ends) or ends[lo] >= at + len(text):
            return []  # no key ends inside the sentence (the usual case): one bisect, not two
        hi = bisect_left(ends, at + len(text), lo)
        low = self._low[at : at + len(text)]  # == ascii_lower(text): it is a slice of the article
        out = []
        for last, (key, name, kind, weak) in self._keys[lo:hi]:
            end = last + 1 - at
            start = end - len(key)
            if start < 0:
                continue  # begins in an earlier sentence
            if not _boundaries_ok(low, start, end, key):
                continue
            if weak and (
                key in self.shadowed or not _near_cue(text, start, end) or _in_blocker(text, start, end)
            ):
                continue
            out.append(EntityMention(name, kind, start, end, text[start:end], "registry"))
        return out

    def _local_surfaces(self) -> list[str]:
        if self._surfaces is None:
            art = self.article
            self._surfaces = [s for s in self.local if art is None or s in art]
        return self._surfaces

    def _local_mentions(self, text: str) -> list[EntityMention]:
        if not self.known and not self._local_surfaces():
            return []  # nothing learned or partial in this article yet
        out = [
            EntityMention(name, "person", m.start(), m.end(), name, "learned")
            for name in self.known
            if name in text
            for m in re.finditer(re.escape(name), text)
        ]
        for surface in self._local_surfaces():
            if surface not in text:
                continue
            name, kind = self.local[surface]
            for start in _occurrences(surface, text):
                end = start + len(surface)
                # (a whole name learned from the article needs no boundary: 赔偿云杉数据)
                if (kind == "company" and surface == name and len(name) >= 4) or _local_context_ok(
                    text, start, end, kind
                ):
                    out.append(EntityMention(name, kind, start, end, surface, "local"))
        return out


def _occurrences(word: str, text: str) -> list[int]:
    """Starts of the non-overlapping occurrences of ``word`` (as re.finditer finds them)."""
    out, pos = [], text.find(word)
    while pos >= 0:
        out.append(pos)
        pos = text.find(word, pos + len(word))
    return out


def _boundaries_ok(low: str, start: int, end: int, key: str) -> bool:
    """Latin aliases must not sit inside a longer Latin word (Meta in Metaverse)."""
    if (
        key[:1].isascii()
        and key[:1].isalnum()
        and start > 0
        and low[start - 1].isascii()
        and low[start - 1].isalnum()
    ):
        return False
    if (
        key[-1:].isascii()
        and key[-1:].isalnum()
        and end < len(low)
        and low[end].isascii()
        and low[end].isalpha()
    ):
        return False
    return True


def _near_cue(text: str, start: int, end: int, window: int = 6) -> bool:
    around = text[max(0, start - window) : end + window]
    return any(cue in around for cue in _WEAK_CUES)


def _in_blocker(text: str, start: int, end: int) -> bool:
    """A weak alias inside a longer word that is no company (金山 in 旧金山)."""
    for word in name_rules()["weak_blockers"]:
        at = text.find(word, max(0, end - len(word)), start + len(word))
        if 0 <= at <= start and end <= at + len(word):
            return True
    return False


def _local_context_ok(text: str, start: int, end: int, kind: str) -> bool:
    """Partial names (讯 for 腾讯, 文灏 for 黄文灏) count only at a clear boundary."""
    before = text[start - 1] if start else "，"
    if kind == "person":
        return text.endswith(name_rules()["roles_tuple"], 0, start)
    return not _CJK.match(before) or before in "从在的是与和及、为被由对向给"


def _resolve_overlaps(found: list[EntityMention]) -> list[EntityMention]:
    """Keep the longest of overlapping mentions; registry beats discovery on ties.
    An organisation found by its ending that starts inside a registry name
    (积电创投 in 台积电创投) lost its first characters: it starts where that name does."""
    rank = {"registry": 0, "local": 1}
    registry = [m for m in found if m.rule == "registry"]
    if registry and len(registry) < len(found):
        found = [_extended(m, registry) if m.rule == "org-suffix" else m for m in found]
    order = sorted(found, key=lambda m: (-(m.end - m.start), rank.get(m.rule, 2), m.start))
    kept: list[EntityMention] = []
    for m in order:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _extended(m: EntityMention, registry: list[EntityMention]) -> EntityMention:
    for r in registry:
        if r.start < m.start < r.end < m.end:
            surface = r.surface[: m.start - r.start] + m.surface
            return EntityMention(surface, m.kind, r.start, m.end, surface, m.rule, m.former)
    return m


# a past post right before a company (此前是X的架构师, 曾任职于X): a former employer
_FORMER_POST = re.compile(r"(?:曾|此前|之前|早年|先前|早前)(?:是|为|在|任|任职于|就职于|供职于|效力于)$")


def _mark_former(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    out = []
    for m in mentions:
        before = text[max(0, m.start - 2) : m.start]
        former = m.kind == "company" and (
            (before[-1:] in ("前", "原") and before[:1] not in "此之日年月以不")
            or _FORMER_POST.search(text, max(0, m.start - 6), m.start) is not None
        )
        out.append(EntityMention(m.name, m.kind, m.start, m.end, m.surface, m.rule, former) if former else m)
    return out


# ---------------------------------------------------------------- discovery


def _given_name(text: str, pos: int) -> int:
    """End of a Chinese name starting at ``pos`` (surname included), or -1."""
    rules = name_rules()
    sur = 2 if text[pos : pos + 2] in rules["compound_surnames"] else 1
    if text[pos : pos + sur] not in rules["surname_set"]:
        return -1
    if text[pos + sur : pos + sur + 2] == "某某":
        return pos + sur + 2
    if text[pos + sur : pos + sur + 1] == "某":  # 李某支付…: an anonymised name is complete
        return pos + sur + 1
    end = pos + sur
    while end < len(text) and end - pos < sur + 2 and _CJK.match(text[end]):
        if text[end] in rules["stop_set"] and end > pos + sur:
            break
        if end > pos + sur and text.startswith(rules["stop_words_tuple"], end):
            break
        end += 1
    if end - pos == sur + 1 and text[end - 1] in rules["stop_set"]:
        return -1  # 员工时会…: a surname and one stop character make no name
    return end if end - pos > sur else -1


def discover_people(text: str, registry: Registry) -> list[EntityMention]:
    rules = name_rules()
    dotted = any(dot in text for dot in _DOTS) and _NAME_DOT.search(text) is not None
    if (
        "某" not in text
        and "姓" not in text
        and not dotted
        and not rules["role_re"].search(text)
        and not _LATIN_START.search(text)
    ):
        return []  # no role word, no 某, no Latin name, no 埃隆·马斯克: nothing to discover
    out = []
    for m in rules["role_re"].finditer(text):
        out += person_at(text, m.end(), registry, "title")
    for m in _ANONYMISED.finditer(text):
        if text[m.start()] in rules["surname_set"]:
            out.append(EntityMention(m.group(), "person", m.start(), m.end(), m.group(), "anonymised"))
    if "姓" in text:  # 林姓工程师: known only by surname and post
        for m in _SURNAME_ONLY.finditer(text):
            if m.group(1) in rules["surname_set"]:
                out.append(EntityMention(m.group(), "person", m.start(), m.end(), m.group(), "anonymised"))
    out += _latin_people(text, registry)
    if dotted:
        out += _dotted_people(text, registry, rules)
    return out


_DOTS = "·•・‧"
_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff])[·•・‧](?=[\u4e00-\u9fff])")


def _dotted_people(text: str, registry: Registry, rules: dict) -> list[EntityMention]:
    """A transliterated foreign name: two runs of transliteration characters joined by
    a middle dot (埃隆·马斯克); each run ends where another character begins."""
    chars = rules["translit_set"]
    out = []
    for m in _NAME_DOT.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] in chars:
            start -= 1
        end = m.end()
        while True:  # over further dots too: 马丁·路德·金
            while end < len(text) and text[end] in chars:
                end += 1
            if end + 1 < len(text) and _NAME_DOT.match(text, end) and text[end + 1] in chars:
                end += 1
                continue
            break
        if end == m.end() and end < len(text) and text[end] in rules["surname_set"]:
            end += 1  # 马克·李, 凯文·陈: a Chinese surname after a transliterated given name
        if start == m.start() or end == m.end() or end - start < 4:
            continue
        if any(x.start < end and start < x.end for x in out):
            continue  # the second half of a name of three parts (…·…·…) found already
        name = text[start:end]
        if not registry.canonical(name):  # the registry's own names are found by it
            out.append(EntityMention(name, "person", start, end, name, "transliterated"))
    return out


_LATIN_START = re.compile(r"[A-Z][a-z]")  # every _LATIN_NAME starts so
_ANONYMISED = re.compile(r"[\u4e00-\u9fff]某某?")
_SURNAME_ONLY = re.compile(
    r"([\u4e00-\u9fff])姓(?:前)?(?:资深|高级)?"
    r"(?:工程师|研究员|员工|男子|女子|高管|主管|经理|负责人|人士|技术人员|设计师|实习生|创始人)"
)
_COMMON_WORD_FREQ = 300  # jieba dictionary frequency above which 高度/成为 are words, not names


@cache
def _tokenizer():
    """A private jieba tokenizer: words the site adds to jieba's default one
    (registry names for search) must not make names look like common words.
    Only needed for text the word table's own segmentation does not cover."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


_NAME_LINE = re.compile(r"^(\S+)[ \t]+\S+[ \t]+nr\S*[ \t\r]*$", re.M)
_WORDS_FORMAT = 1  # bump when the cached table's layout changes


class WordTable:
    """jieba's default dictionary as the scan needs it, without loading all of it.

    Derived from jieba's ``dict.txt`` exactly as jieba derives its ``FREQ``
    (``Tokenizer.gen_pfdict``: the last line of a word wins, ``total`` sums every
    line), keeping the words of positive frequency (jieba's other entries are
    prefixes of frequency 0, which ``FREQ.get(w) or 0`` and its segmentation treat
    as absent) and whether a line tags the word as a person name (``nr``). The words
    are grouped by first character, each group one string, so loading the table is
    one small ``marshal.load``; a group becomes a dict only when a word starting
    with its character is looked up. The table is cached in the temporary folder
    (as jieba caches its own), keyed by the dictionary file's path, size and time.
    """

    def __init__(self, groups: dict[str, tuple[str, str, str]], total: int):
        self.total = total
        self._groups = groups
        self._freq: dict[str, dict[str, int]] = {}
        self._names: dict[str, frozenset[str]] = {}

    @classmethod
    def from_dictionary(cls, data: bytes) -> WordTable:
        import io

        import jieba

        freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(data))
        names = set(_NAME_LINE.findall(data.decode("utf-8")))
        grouped: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for word, f in freq.items():
            if f and "\n" not in word:
                g = grouped.setdefault(word[0], ([], [], []))
                g[0].append(word)
                g[1].append(str(f))
        for word in names:
            grouped.setdefault(word[0], ([], [], []))[2].append(word)
        groups = {ch: tuple("\n".join(part) for part in g) for ch, g in grouped.items()}
        return cls(groups, total)  # type: ignore[arg-type]

    def _group(self, ch: str) -> dict[str, int]:
        group = self._freq.get(ch)
        if group is None:
            words, freqs, names = self._groups.get(ch, ("", "", ""))
            group = dict(zip(words.split("\n"), map(int, freqs.split("\n")), strict=True)) if words else {}
            self._freq[ch] = group
            self._names[ch] = frozenset(names.split("\n")) if names else frozenset()
        return group

    def freq(self, word: str) -> int:
        """``jieba``'s ``FREQ.get(word) or 0``."""
        return self._group(word[0]).get(word, 0) if word else 0

    def is_name(self, word: str) -> bool:
        """Does a line of the dictionary tag ``word`` as a person name (nr)?"""
        if not word:
            return False
        self._group(word[0])
        return word in self._names[word[0]]

    def cut(self, text: str) -> list[str]:
        """``jieba.Tokenizer().lcut(text, HMM=False)`` for text of jieba's Chinese
        characters only (U+4E00..U+9FD5; others go to jieba itself): the same
        word graph (every dictionary word of positive frequency starting at each
        position, else the character) and the same best route."""
        if not _JIEBA_HAN.fullmatch(text):
            return _tokenizer().lcut(text, HMM=False) if text else []
        n = len(text)
        logtotal = log(self.total)
        route: dict[int, tuple[float, int]] = {n: (0, 0)}
        for idx in range(n - 1, -1, -1):
            freq = self._group(text[idx])
            ends = [x for x in range(idx, n) if freq.get(text[idx : x + 1])] or [idx]
            route[idx] = max(
                (log(freq.get(text[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in ends
            )
        out, x = [], 0
        while x < n:
            y = route[x][1] + 1
            out.append(text[x:y])
            x = y
        return out


_JIEBA_HAN = re.compile("[\u4e00-\u9fd5]+")


def _dictionary_path() -> str:
    """The path of the file ``jieba.get_dict_file()`` opens.

    Until jieba is imported nothing can have changed its default dictionary, which
    is then its package's ``dict.txt`` (what ``get_dict_file`` opens): found here
    without importing jieba, whose import (with pkg_resources) costs more than
    loading the whole word table. Once imported, jieba itself is asked."""
    import os
    import sys

    if "jieba" not in sys.modules:
        from importlib.util import find_spec

        spec = find_spec("jieba")
        if spec is not None and spec.origin:
            path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
            if os.path.isfile(path):
                return path
    import jieba

    with jieba.get_dict_file() as f:
        return getattr(f, "name", "") or ""


@cache
def word_table() -> WordTable:
    """The ``WordTable`` of jieba's default dictionary, from its cache when fresh."""
    import marshal
    import os
    import tempfile

    path = _dictionary_path()
    try:
        st = os.stat(path)
        stamp = f"{_WORDS_FORMAT}:{path}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = ""
    cached = ""
    if stamp:
        key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
        cached = os.path.join(tempfile.gettempdir(), f"builder-words-{key}.marshal")
        try:
            with open(cached, "rb") as fh:
                stored = marshal.load(fh)
            if (
                isinstance(stored, dict)
                and stored.get("stamp") == stamp
                and isinstance(stored.get("groups"), dict)
                and isinstance(stored.get("total"), int)
            ):
                return WordTable(stored["groups"], stored["total"])
        except (OSError, EOFError, ValueError, TypeError, AttributeError, KeyError):
            pass
    import jieba

    with jieba.get_dict_file() as f:
        data = f.read()
    table = WordTable.from_dictionary(data)
    if cached:
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cached), prefix=".builder-words-")
            with os.fdopen(fd, "wb") as fh:
                marshal.dump({"stamp": stamp, "groups": table._groups, "total": table.total}, fh)
            os.replace(tmp, cached)
        except OSError:  # no cache: the next process builds the table again
            if tmp:
                with contextlib.suppress(OSError):
                    os.remove(tmp)
    return table


@cache
def _word_freq(word: str) -> int:
    return word_table().freq(word)


def _common_word(word: str) -> bool:
    return _word_freq(word) >= _COMMON_WORD_FREQ and not word_table().is_name(word)


_RARE_WORD_FREQ = 1000  # a word below this is no everyday word (开元, 光年): a name may start with it


def plausible_name(surface: str) -> bool:
    """A discovered Chinese name must not start with a common word (高度评…, 成为…),
    unless the word is a rare one and the name two words (开元智语, not 公司顺利)."""
    if not _CJK.match(surface):
        return True
    if not _common_word(surface[:2]):
        return not _common_word(surface)
    return _word_freq(surface[:2]) < _RARE_WORD_FREQ and _two_words_name(surface)


def _two_words_name(surface: str) -> bool:
    """Four characters or more whose last part is no word, and no word as a whole: after a
    descriptor (药物发现公司分子跃迁宣布…) such a name may start with any word."""
    return len(surface) >= 4 and not _common_word(surface[2:4]) and not _common_word(surface)


def _name_after_title(text: str, start: int, end: int) -> bool:
    """A three-character name right after a title whose first two characters make a word
    (联合创始人严谨之加入…): taken when the name itself is no word and a stop word or
    punctuation follows it (高度评价 is not: 价 continues the word)."""
    if end - start != 3 or _common_word(text[start:end]):
        return False
    rules = name_rules()
    return (
        end == len(text)
        or text[end] in rules["stop_set"]
        or not _CJK.match(text[end])
        or (text.startswith(rules["stop_words_tuple"], end))
    )


def person_at(text: str, pos: int, registry: Registry, rule: str) -> list[EntityMention]:
    for lead in ("之一的", "之一"):  # 负责人之一的李某
        if text.startswith(lead, pos):
            pos += len(lead)
            break
    if rule == "title" and text.startswith(" ", pos):  # 研究员 傅砚秋 近日加入…: a name set off by spaces
        pos = len(text) - len(text[pos:].lstrip(" "))
    end = _given_name(text, pos)
    if end < 0:
        return []
    surface = text[pos:end]
    if (
        not registry.canonical(surface)
        and not plausible_name(surface)
        and not _name_after_title(text, pos, end)
    ):
        return []
    if registry.canonical(surface) and registry.kind(registry.canonical(surface)) == "company":
        return []
    name = registry.canonical(surface) or surface
    return [EntityMention(name, "person", pos, end, surface, rule)]


_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9])([A-Z][a-z]+(?:[ -](?:de|De|van|von|der|da|di|le|La|Le|[A-Z][a-z]+)){1,3})(?![A-Za-z0-9])"
)
_PERSON_CUES_AFTER = (
    "在",
    "宣布",
    "表示",
    "称",
    "离开",
    "加入",
    "回到",
    "透露",
    "已",
    "将",
    "也",
    "于",
    "等",
    "和",
    "与",
    "、",
    "以及",
    "及",
    "跳槽",
    "转投",
    "离职",
    "辞去",
    "卸任",
    "加盟",
    "入职",
    "出任",
    "担任",
    "（",
    "(",
)


def _latin_people(text: str, registry: Registry) -> list[EntityMention]:
    out = []
    rules = name_rules()
    for m in _LATIN_NAME.finditer(text):
        words = m.group(1).replace("-", " ").split()
        if words[-1] in rules["latin_org_words"] or registry.canonical(m.group(1)):
            continue
        before = text[max(0, m.start() - 7) : m.start()].rstrip()  # CEO Jane Doe
        after = text[m.end() : m.end() + 2]
        if any(before.endswith(r) for r in rules["roles"]) or after.startswith(_PERSON_CUES_AFTER):
            out.append(EntityMention(m.group(1), "person", m.start(), m.end(), m.group(1), "latin"))
    return out


def discover_orgs(text: str, registry: Registry) -> list[EntityMention]:
    rules = name_rules()
    if not rules["org_gate"].search(text):
        # no organisation ending, descriptor or clause verb: only 《纽约时报》起诉 and
        # Instacart首席执行官 are left
        out = _titled_suers(text, registry, []) if "《" in text else []
        return out + _latin_orgs(text, registry, rules) if _CAPITAL.search(text) and _has_post(text) else out
    out = []
    continuations = rules["suffix_continuations"]
    for m in rules["suffix_re"].finditer(text):
        after = continuations.get(m.group())
        if after and text.startswith(after, m.end()):
            continue  # 智能驾驶, 数据中心: the ending starts a longer word
        start = _org_start(text, m.start(), rules)
        name = text[start : m.end()]
        if m.start() - start < 2 or rules["reject_re"].search(name):
            continue
        if (
            m.group() in rules["weak_suffixes"]
            and not text.endswith(rules["descriptor_tuple"], 0, start)  # 服务商知语数据: a name
            and (_common_word(name[:2]) or not rules["follower_re"].match(text, m.end()))
        ):
            continue  # 训练数据, 用户数据: a phrase, not a name
        canon = registry.canonical(name)
        out.append(EntityMention(canon or name, "company", start, m.end(), name, "org-suffix"))
    # 文档智能公司墨简科技: a field before a descriptor and the company's own name is no company
    if len(out) > 1:
        out = [
            o
            for o in out
            if not (
                text.startswith(rules["descriptor_tuple"], o.end)  # one C call for the usual no
                and any(
                    text.startswith(d, o.end) and any(p.start == o.end + len(d) for p in out)
                    for d in rules["descriptor_tuple"]
                )
            )
        ]
    found = list(rules["descriptor_re"].finditer(text))
    described = len(found)  # (the first ones follow a descriptor: 公司分子跃迁宣布… is a name)
    if rules["clause_verb_re"].search(text):  # every clause_org_re match ends before one
        found += rules["clause_org_re"].finditer(text)
    for i, m in enumerate(found):  # 大模型公司格物深度完成…, ，天枢智算完成…
        name = m.group(1)
        adverb = next((a for a in rules["trigger_adverbs"] if name.endswith(a)), "")
        if adverb:  # 、阶跃星辰相继完成…: the adverb is not part of the name
            name = name[: -len(adverb)]
        if (
            len(name) >= 2
            and (plausible_name(name) or (i < described and _two_words_name(name)))
            and not registry.canonical(name)
            and not (set(name) & rules["stop_set"])
            and not rules["reject_re"].search(_listed_core(name, rules))
        ):
            out.append(EntityMention(name, "company", m.start(1), m.start(1) + len(name), name, "descriptor"))
    if "《" in text:
        out += _titled_suers(text, registry, out)
    if "「" in text or "“" in text or "『" in text:
        out += [
            EntityMention(m.group(1), "company", m.start(1), m.end(1), m.group(1), "descriptor")
            for m in rules["quoted_org_re"].finditer(text)
            if not registry.canonical(m.group(1))
            and not any(o.start < m.end(1) and m.start(1) < o.end for o in out)
        ]
    return out + _latin_orgs(text, registry, rules)


def _titled_suers(text: str, registry: Registry, out: list[EntityMention]) -> list[EntityMention]:
    """被《纽约时报》起诉, 《华尔街日报》状告…: a publication that sues."""
    found: list[EntityMention] = []
    for m in _TITLED_SUER.finditer(text):
        name = m.group(1) or m.group(2)
        if not registry.canonical(name) and not any(o.start <= m.start() < o.end for o in out):
            start = text.index(name, m.start())
            found.append(EntityMention(name, "company", start, start + len(name), name, "titled"))
    return found


def _listed_core(name: str, rules: dict) -> str:
    """汉仪股份 -> 汉仪: what org_reject is checked against (a listed company's ending is no
    reason to reject its name, but 全部股份 stays rejected by 全部)."""
    for suffix in rules["listed_suffixes"]:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_TITLED_SUER = re.compile(
    r"被《([^》《]{2,16})》(?:起诉|告上法庭|状告|控告)"
    r"|《([^》《]{2,16})》(?:(?!报道|称|援引|消息|获悉)[^，。；《》]){0,24}?"
    r"(?:起诉|状告|控告|提起[^，。；]{0,4}诉讼|将[^，。；]{1,8}告上法庭)"
)


def _latin_orgs(text: str, registry: Registry, rules: dict) -> list[EntityMention]:
    """A Latin-script name with an organisation's last word (Veridian Labs, Acme Robotics)
    right after a descriptor (初创公司Veridian Labs) or before a follower (…Labs宣布, …Labs联合创始人)."""
    out: list[EntityMention] = []
    if not _CAPITAL.search(text):
        return out  # no capital letter, no Latin name (most sentences: one C scan)
    for m in rules["latin_org_re"].finditer(text):
        name = m.group(1)
        if registry.canonical(name) or registry.canonical(re.split("[ -]", name)[0]):
            continue  # the registry finds it (or its maker: Meta AI is Meta's)
        if text.endswith(rules["descriptor_tuple"], 0, m.start()) or rules["follower_re"].match(
            text, m.end()
        ):
            out.append(EntityMention(name, "company", m.start(), m.end(), name, "latin-org"))
    # any capitalised Latin name right after a descriptor (初创公司Datakalab), but a post (公司CEO)
    for m in _LATIN_RUN.finditer(text):
        name, start = m.group(), m.start()
        if not text.endswith(rules["descriptor_tuple"], 0, start) and not (
            text[start - 1 : start] == " " and text.endswith(rules["descriptor_tuple"], 0, start - 1)
        ):
            # one capitalised word right before a corporate post (Instacart首席执行官): its company
            if " " in name or "-" in name or not text.startswith(_CORPORATE_POSTS, m.end()):
                continue
        first = re.split("[ -]", name)[0]
        if (
            len(name) < 3
            or first in rules["roles"]
            or first in rules["latin_org_words"]
            or registry.canonical(name)
            or registry.canonical(first)
            or any(x.start <= start < x.end for x in out)
        ):
            continue
        out.append(EntityMention(name, "company", start, m.end(), name, "latin-org"))
    return out


_CAPITAL = re.compile("[A-Z]")


def _has_post(text: str) -> bool:
    return any(p in text for p in _CORPORATE_POSTS)


_CORPORATE_POSTS = (
    "首席执行官",
    "首席技术官",
    "首席运营官",
    "首席财务官",
    "联合创始人",
    "创始人",
    "董事长",
    "总裁",
    "CEO",
    "CTO",
    "COO",
    "CFO",
)
# a run of capitalised Latin words (Ampere Computing), not inside a longer Latin word
_LATIN_RUN = re.compile(
    r"[A-Z](?<![A-Za-z0-9.][A-Z])[A-Za-z0-9]*(?:[ -][A-Z][A-Za-z0-9]*){0,3}(?![A-Za-z0-9])"
)

_ORG_WINDOW = 10  # _org_start looks back at most 6 characters, plus a boundary word of up to 4


def _org_start(text: str, suffix_start: int, rules: dict) -> int:
    """Start of the organisation name before a suffix; leading common words
    (如今, 主攻, 老股东) are not part of it."""
    window = text[max(0, suffix_start - _ORG_WINDOW) : suffix_start]
    return suffix_start - len(window) + _org_start_in(window)


@lru_cache(maxsize=16384)
def _org_start_in(window: str) -> int:
    """_org_start within the characters before the suffix (all it depends on)."""
    rules = name_rules()
    text, suffix_start = window, len(window)
    start = suffix_start
    while start > 0 and suffix_start - start < 6 and _CJK.match(text[start - 1]):
        if any(text[start - k : start] in rules["boundary_set"] for k in (1, 2, 3, 4) if k <= start):
            break
        start -= 1
    for token in word_table().cut(text[start:suffix_start]):
        if len(token) > 1 and _word_freq(token) < _COMMON_WORD_FREQ or len(text[start:suffix_start]) <= 2:
            break
        start += len(token)
    return start


_TIME_LAST = frozenset("年月日号初底末旬周前期天")
_FUNCTION_CHARS = set("的了在是和与及已也将被从对为把让由给等并而就都还又他她它我你")  # (和他 is no name)


# the time of the move between a name and its trigger (林某去年底辞去…, 王某已于3月8日离职)
_TIME_TAIL = re.compile(
    r"(?:于|在)?(?:(?:(?:\d{4}\s?|[今去前本])年)(?:\d{1,2}\s?月(?:\d{1,2}\s?[日号])?)?"
    r"|\d{1,2}\s?月(?:\d{1,2}\s?[日号])?"
    r"|上个?月|本月|当月|上周|本周|月初|月中|月底|月末|年初|年中|年底|年末|近日|日前|近期|昨天|今天|昨日|今日"
    r")(?:初|底|末|中旬|上旬|下旬)?$"
)


def _without_adverb(text: str, end: int, rules: dict) -> int:
    """``end`` moved back over the adverbs before it (已正式离开: both)."""
    adverbs = rules["trigger_adverbs_longest"]
    for _ in range(3):  # a loop, not recursion; three adverbs in a row are plenty
        if not text.endswith(adverbs, 0, end):  # one C call for the usual none
            break
        end -= len(next(a for a in adverbs if text.endswith(a, 0, end)))
    return end


def name_before(text: str, pos: int, registry: Registry) -> EntityMention | None:
    """A Chinese name ending at ``pos`` (adverbs like 已/正式 and a time like 去年底 may
    stand between)."""
    rules = name_rules()
    end = _without_adverb(text, pos, rules)  # (三人相继, 也先后, 已正式: all of them)
    if end and text[end - 1] in _TIME_LAST:  # cheap gate: every time phrase ends with one
        time = _TIME_TAIL.search(text, max(0, end - 16), end)
        if time:
            end = _without_adverb(text, time.start(), rules)
    if end and text[end - 1] == "）":  # 某某（X公司副总裁）已离职: the title aside stands between
        opening = text.rfind("（", max(0, end - 40), end)
        if opening > 0 and "）" not in text[opening : end - 1]:
            end = opening
    for size in (3, 2):
        start = end - size
        if start < 0 or not all(_CJK.match(c) for c in text[start:end]):
            continue
        if text[start] not in rules["surname_set"] or any(
            c in _FUNCTION_CHARS for c in text[start + 1 : end]
        ):
            continue
        lead = text[:start]
        if lead and _CJK.match(lead[-1]) and not any(lead.endswith(w) for w in rules["name_lead_words"]):
            continue
        surface = text[start:end]
        if registry.canonical(surface) or not plausible_name(surface):
            return None
        return EntityMention(surface, "person", start, end, surface, "before-trigger")
    return None
