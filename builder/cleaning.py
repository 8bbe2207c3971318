"""Cleaning stage: bytes -> text, HTML -> text, and boilerplate line removal.

* ``decode(data)``      bytes of a saved article -> (text, encoding name)
* ``html_to_text(html)`` a saved web page -> (main text, metadata dict)
* ``clean(text)``       drop scraped boilerplate lines (rules in data/boilerplate.yaml)

``clean`` works line by line and keeps the line structure of the kept lines, so a
later stage can still count paragraphs.  Every dropped line is reported with its
1-based line number in the input and the id of the rule that dropped it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from re import _parser  # noqa: PLC2701 - the parsed form of a regex
from typing import Any

import yaml

from .literals import _first_seq, any_literal, required_literals, starts_anchored, with_first_chars

DATA_FILE = Path(__file__).parent / "data" / "boilerplate.yaml"

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_READABLE = re.compile(rf"[0-9A-Za-z{CJK}]")
_INLINE_BEFORE = rf"(?:^|(?<=[{CJK}，。、；：！？,.;:!?（(“「『【\s]))"
_INLINE_AFTER = rf"(?=$|\s|[{CJK}]|[，。、；：！？,.;:!?）)”」』】])"


class BoilerplateError(ValueError):
    """The boilerplate data file is malformed (the message names the rule id)."""


@dataclass(frozen=True)
class Cleaned:
    """Cleaned text plus what was taken out.

    ``removed``: one (line number in the input, rule id, line) per dropped line.
    ``trimmed``: one (line number, rule id, cut text) per piece cut out of a kept line.
    """

    text: str
    removed: tuple[tuple[int, str, str], ...]
    trimmed: tuple[tuple[int, str, str], ...] = ()


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # 'drop' | 'trim' | 'builtin'
    patterns: tuple[re.Pattern[str], ...] = ()
    max_len: int | None = None
    handler: str = ""
    after: tuple[str, ...] = ()  # related_block: the rules whose lines open a block


@dataclass(frozen=True)
class Config:
    rules: tuple[Rule, ...]
    short_line: int
    spam_any: re.Pattern[str]  # any spam word, for whole short lines
    spam_lead: re.Pattern[str]  # inline-safe spam words at the line start
    spam_inline: re.Pattern[str]  # inline-safe spam words glued to CJK text
    common_chars: frozenset[str]
    max_repeats: int = 3  # repeated-line: more occurrences than this keep only the first


_BUILTINS = ("spam_line", "crumb_echo", "spam_lead", "spam_inline", "repeat_line", "related_block")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _fail(rule_id: str, msg: str) -> BoilerplateError:
    return BoilerplateError(f"{DATA_FILE.name}: rule {rule_id!r}: {msg}")


def _parse_rule(raw: Any, seen: set[str]) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise BoilerplateError(f"{DATA_FILE.name}: every rule needs a string id, got {raw!r}")
    rid = raw["id"]
    if not _ID.match(rid) or rid in seen:
        raise _fail(rid, "id must be unique kebab-case")
    seen.add(rid)
    kind = raw.get("kind")
    if kind == "builtin":
        if raw.get("handler") not in _BUILTINS:
            raise _fail(rid, f"unknown handler {raw.get('handler')!r}")
        if raw["handler"] != "related_block":
            return Rule(rid, kind, handler=raw["handler"])
        after, max_len = raw.get("after"), raw.get("max_len")
        if not isinstance(after, list) or not after or not all(isinstance(a, str) for a in after):
            raise _fail(rid, "related_block needs 'after': a list of rule ids")
        if not isinstance(max_len, int) or max_len <= 0:
            raise _fail(rid, "related_block needs 'max_len': a positive integer")
        return Rule(rid, kind, max_len=max_len, handler="related_block", after=tuple(after))
    if kind not in ("drop", "trim"):
        raise _fail(rid, f"kind must be drop, trim or builtin, not {kind!r}")
    pats = raw.get("patterns")
    if not isinstance(pats, list) or not pats:
        raise _fail(rid, "needs a non-empty list of patterns")
    max_len = raw.get("max_len")
    if max_len is not None and (not isinstance(max_len, int) or max_len <= 0):
        raise _fail(rid, "max_len must be a positive integer")
    flags = re.IGNORECASE if raw.get("ignorecase") else 0
    try:
        compiled = tuple(re.compile(p, flags) for p in pats)
    except (re.error, TypeError) as exc:
        raise _fail(rid, f"bad pattern: {exc}") from exc
    return Rule(rid, kind, compiled, max_len)


def _word_list(data: dict[str, Any], key: str) -> list[str]:
    words = data.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise _fail(key, "must be a list of non-empty strings")
    return [w.strip() for w in words]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _common_chars(text: Any) -> frozenset[str]:
    if not isinstance(text, str) or len(text) < 300:
        raise _fail("common_chars", "must be a string of at least 300 characters")
    simplified = "".join(c for c in text if not c.isspace())
    return frozenset(simplified) | frozenset(_s2t(simplified))


def parse_config(data: Any) -> Config:
    """Validate the parsed YAML and compile it (errors name the rule id)."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise BoilerplateError(f"{DATA_FILE.name}: top level must be a mapping with a 'rules' list")
    seen: set[str] = set()
    rules = tuple(_parse_rule(r, seen) for r in data["rules"])
    for r in rules:
        unknown = [a for a in r.after if a not in seen]
        if unknown:
            raise _fail(r.id, f"'after' names no rule: {', '.join(unknown)}")
    spam = _word_list(data, "spam_words")
    inline = _word_list(data, "spam_words_inline")
    if missing := sorted(set(inline) - set(spam)):
        raise _fail("spam_words_inline", f"not in spam_words: {missing}")
    short = data.get("short_line", 12)
    if not isinstance(short, int) or short <= 0:
        raise _fail("short_line", "must be a positive integer")
    repeats = data.get("max_repeats", 3)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats <= 0:
        raise _fail("max_repeats", "must be a positive integer")
    safe = _alternation(inline)
    return Config(
        rules=rules,
        short_line=short,
        spam_any=re.compile(_alternation(spam), re.IGNORECASE),
        spam_lead=re.compile(rf"^(?:(?:{safe})\d*\s+)+(?=\S)", re.IGNORECASE),
        spam_inline=re.compile(rf"{_INLINE_BEFORE}(?:{safe})\d*{_INLINE_AFTER}", re.IGNORECASE),
        common_chars=_common_chars(data.get("common_chars")),
        max_repeats=repeats,
    )


@dataclass(frozen=True)
class _Plan:
    """Faster equivalents of a Config's rules (built once per set of rules)."""

    drop_any: tuple[re.Pattern[str], ...] | None  # one matches wherever a drop rule's pattern does
    joined: dict[str, tuple[re.Pattern[str], ...]]  # drop rule id -> its patterns joined (_any_of)
    trims: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]  # (rule id, pattern, literal gate)
    # lines longer (visible characters) than every drop rule's max_len can only be
    # dropped by the rules without one: their patterns alone make the gate of such lines
    long_from: int | None = None
    drop_any_long: tuple[re.Pattern[str], ...] | None = None
    # the rules _drop_reason tries, in order: (id, max_len, patterns (joined), None) for
    # drop rules, (id, None, (), line test) for the builtin line tests
    checks: tuple[tuple[str, int | None, tuple[re.Pattern[str], ...], Callable | None], ...] = ()
    line_tests: tuple[tuple[str, Callable], ...] = ()  # the line tests alone, in order
    # finer gates by length: (limit, gates) by rising limit; a line of at most ``limit``
    # visible characters (and over the limit before) can only be dropped by the rules
    # whose max_len is None or at least ``limit``, so their patterns alone make its gate
    by_len: tuple[tuple[int, tuple[re.Pattern[str], ...] | None], ...] = ()
    trim_any: re.Pattern[str] | None = None  # matches when one of the trims' literal gates does


_PLANS: dict[tuple, _Plan] = {}
_PLAN_OF: dict[int, tuple[Config, _Plan]] = {}  # id(cfg) -> (cfg, plan): hashing a Config is slow


def _plan(cfg: Config) -> _Plan:
    """The plan of ``cfg``'s rules, built on first use."""
    known = _PLAN_OF.get(id(cfg))
    if known is not None and known[0] is cfg:  # the very same (frozen) Config: the same plan
        return known[1]
    plan = _plan_of(cfg)
    _PLAN_OF[id(cfg)] = (cfg, plan)  # the Config is kept alive, so its id is not reused
    return plan


def _plan_of(cfg: Config) -> _Plan:
    key = (cfg.rules, cfg.spam_lead, cfg.spam_inline)
    if key not in _PLANS:
        drop_pats = [p for r in cfg.rules if r.kind == "drop" for p in r.patterns]
        trims = tuple(
            (rule.id, with_first_chars(pat), any_literal(required_literals(pat)))
            for rule in cfg.rules
            for pat in _trim_pattern(rule, cfg)
        )
        joined = {
            r.id: j for r in cfg.rules if r.kind == "drop" and (j := _any_of(list(r.patterns))) is not None
        }
        limits = [r.max_len for r in cfg.rules if r.kind == "drop" and r.max_len is not None]
        long_from = max(limits) if limits else None
        unbounded = [p for r in cfg.rules if r.kind == "drop" and r.max_len is None for p in r.patterns]
        checks = tuple(
            (r.id, r.max_len, joined.get(r.id, r.patterns), None)
            if r.kind == "drop"
            else (r.id, None, (), _LINE_TESTS[r.handler])
            for r in cfg.rules
            if r.kind == "drop" or r.handler in _LINE_TESTS
        )
        line_tests = tuple((rid, test) for rid, _, _, test in checks if test is not None)
        by_len = tuple(
            (limit, _any_of([p for r in cfg.rules if _admits(r, limit) for p in r.patterns]))
            for limit in sorted(set(limits))
        )
        _PLANS[key] = _Plan(
            _any_of(drop_pats),
            joined,
            trims,
            long_from,
            _any_of(unbounded),
            checks,
            line_tests,
            by_len,
            _either([required_literals(pat) for rule in cfg.rules for pat in _trim_pattern(rule, cfg)]),
        )
    return _PLANS[key]


def _either(literals: list[frozenset[str] | None]) -> re.Pattern[str] | None:
    """One literal gate for all the trims: it finds a literal of any of them, so it
    matches exactly when one of their gates (any_literal of each) does; None when one
    of them has no gate (that trim always runs) or there are none."""
    if not literals or any(found is None for found in literals):
        return None
    return any_literal(frozenset().union(*literals))


def _admits(rule: Rule, limit: int) -> bool:
    """Can drop rule ``rule`` fire on a line of ``limit`` visible characters?"""
    return rule.kind == "drop" and (rule.max_len is None or rule.max_len >= limit)


def _gates(plan: _Plan, visible: int) -> tuple[re.Pattern[str], ...] | None:
    """The gate for a line of ``visible`` visible characters: that of the smallest limit
    at least ``visible`` (the rules admitting ``visible`` are exactly those admitting that
    limit, as no limit lies between); past every limit only the rules without one."""
    for limit, gates in plan.by_len:
        if visible <= limit:
            return gates
    return plan.drop_any_long if plan.long_from is not None and visible > plan.long_from else plan.drop_any


def _any_of(patterns: list[re.Pattern[str]]) -> tuple[re.Pattern[str], ...] | None:
    """Regexes of which one matches a text whenever one of ``patterns`` does (a
    cheap gate: most lines match no drop rule); None when they cannot be joined.
    Patterns anchored at the line start are joined under one '^', so the joined
    regex is tried at the start only.
    Anchored patterns whose matches all start with a known character are joined behind
    one lookahead for those characters, which rejects most prose lines at once."""
    led, anchored, anywhere = [], [], []
    lead_chars = ""
    for p in patterns:
        scoped = "(?i:{})" if p.flags & re.IGNORECASE else "(?:{})"
        if p.pattern.startswith("^") and starts_anchored(p):
            chars = _lead_chars(p)
            (led if chars else anchored).append(scoped.format(p.pattern[1:]))
            lead_chars += chars or ""
        else:
            anywhere.append(scoped.format(p.pattern))
    try:
        gates = [re.compile(f"^(?=[{lead_chars}])(?:" + "|".join(led) + ")")] if led else []
        gates += [re.compile("^(?:" + "|".join(anchored) + ")")] if anchored else []
        gates += [with_first_chars(re.compile("|".join(anywhere)))] if anywhere else []
    except re.error:
        return None
    return tuple(gates)


def _lead_chars(pattern: re.Pattern[str]) -> str:
    """Character class text (no brackets, every character listed in every case it
    matches) holding the first character of every match of ``pattern``; '' when unknown
    or when a match can be empty (a lookahead for a first character would miss it)."""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
        chars, nullable = _first_seq(items, bool(pattern.flags & re.IGNORECASE))
    except (re.error, RecursionError):
        return ""
    return "".join(sorted(chars)) if chars and not nullable else ""


@lru_cache(maxsize=1)
def config() -> Config:
    """The boilerplate rules, loaded and validated once."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return parse_config(yaml.safe_load(fh))


@lru_cache(maxsize=2)
def _converter(name: str) -> Any:
    import opencc

    return opencc.OpenCC(name)


def _s2t(text: str) -> str:
    return _converter("s2t").convert(text)


# Frequent characters whose NFKC form is their full compatibility decomposition (，-> ,):
# replacing them first leaves the NFKC of a text unchanged, and often makes it normal
# already, which unicodedata checks far faster than it normalises.
_NFKC_COMMON = tuple(
    (ch, unicodedata.normalize("NFKC", ch))
    for ch in "，：；！？（）％＋－．／　…～＞＜＝＠＃＆＊［］｛｝｜"
    if unicodedata.normalize("NFKC", ch) == unicodedata.normalize("NFKD", ch) != ch
)


def _nfkc(text: str) -> str:
    """unicodedata.normalize('NFKC', text), faster on Chinese text."""
    for ch, plain in _NFKC_COMMON:
        if ch in text:
            text = text.replace(ch, plain)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8192)
def _match_form(line: str) -> str:
    """Simplified, width-folded form of a line, so rules are written once."""
    return _nfkc(_converter("t2s").convert(line))


# --------------------------------------------------------------------------- clean


@dataclass(frozen=True)
class _Context:
    cfg: Config
    crumbs: frozenset[str]
    forms: dict[str, str] = field(default_factory=dict)  # stripped line -> _match_form(line)
    plan: _Plan | None = None
    gated: dict[str, bool] = field(default_factory=dict)  # stripped line -> _gate_hit(...), when known


def _line_forms(lines: list[str]) -> dict[str, str]:
    """_match_form of every distinct stripped line, converted in one call: OpenCC's
    phrases and NFKC never reach across a line break, so this is the same as line
    by line (and it is checked: a count that does not add up gives {})."""
    keys = list(dict.fromkeys(s for s in (line.strip() for line in lines) if s))
    if not keys:
        return {}
    forms = _nfkc(_converter("t2s").convert("\n".join(keys))).split("\n")
    return dict(zip(keys, forms, strict=True)) if len(forms) == len(keys) else {}


def _form(stripped: str, ctx: _Context) -> str:
    form = ctx.forms.get(stripped)
    return _match_form(stripped) if form is None else form


def _visible_len(line: str) -> int:
    """Characters that are not whitespace (str.isspace())."""
    if " " not in line and line.isprintable():  # every isspace() character but ' ' is unprintable
        return len(line)
    return len("".join(line.split()))  # str.split() splits on exactly the isspace() characters


def _drop_rule_hits(rule: Rule, forms: tuple[str, ...]) -> bool:
    if rule.max_len is not None and _visible_len(forms[0]) > rule.max_len:
        return False
    return any(p.search(f) for p in rule.patterns for f in forms)


def _is_spam_line(line: str, ctx: _Context) -> bool:
    if _visible_len(line) > ctx.cfg.short_line:
        return False
    rest, hits = ctx.cfg.spam_any.subn("", line)
    return hits > 0 and not re.search(rf"[A-Za-z{CJK}]", rest)


def _is_crumb_echo(line: str, ctx: _Context) -> bool:
    return _visible_len(line) <= ctx.cfg.short_line and line.strip() in ctx.crumbs


_LINE_TESTS: dict[str, Callable[[str, _Context], bool]] = {
    "spam_line": _is_spam_line,
    "crumb_echo": _is_crumb_echo,
}


def _drop_reason(line: str, ctx: _Context) -> str | None:
    stripped = line.strip()
    plan = ctx.plan or _plan(ctx.cfg)
    hit = ctx.gated.get(stripped)
    if hit is not False:  # not known to pass no gate: the forms and length are needed
        form = _form(stripped, ctx)
        forms = (stripped,) if form == stripped else (stripped, form)
        visible = _visible_len(stripped)
        if hit is None:
            hit = _gate_hit(forms, visible, plan)
    if not hit:
        for rule_id, test in plan.line_tests:  # no drop rule can fire: only the line tests, in order
            if test(stripped, ctx):
                return rule_id
        return None
    for rule_id, max_len, patterns, test in plan.checks:
        if test is not None:
            if test(stripped, ctx):
                return rule_id
        elif max_len is not None and visible > max_len:  # as _drop_rule_hits
            continue
        else:
            for p in patterns:  # plain loops: this runs for every line the gate lets through
                for f in forms:
                    if p.search(f):
                        return rule_id
    return None


def _gate_hit(forms: tuple[str, ...], visible: int, plan: _Plan) -> bool:
    """Can a drop rule fire on a line with these forms (stripped line first)? False
    only when none can; True also when there is no gate."""
    gates = _gates(plan, visible)  # only the rules whose max_len admits the line
    if gates is None:
        return True
    for g in gates:
        for f in forms:
            if g.search(f):
                return True
    return False


def _trim_pattern(rule: Rule, cfg: Config) -> tuple[re.Pattern[str], ...]:
    if rule.handler == "spam_lead":
        return (cfg.spam_lead,)
    if rule.handler == "spam_inline":
        return (cfg.spam_inline,)
    return rule.patterns if rule.kind == "trim" else ()


def _trim(line: str, cfg: Config, plan: _Plan | None = None) -> tuple[str, list[tuple[str, str]]]:
    """Cut trim-rule matches out of a line; returns (new line, [(rule id, cut)])."""
    plan = plan or _plan(cfg)
    if plan.trim_any is not None and not plan.trim_any.search(line):
        return line.rstrip(), []  # no trim's gate matches: the loop below would cut nothing
    cuts: list[tuple[str, str]] = []
    for rule_id, pat, gate in plan.trims:
        if gate is not None and not gate.search(line):
            continue  # none of the literals every match contains
        found = [m.group(0) for m in pat.finditer(line)]
        if not found:
            continue  # nothing to cut: sub would change nothing
        cuts.extend((rule_id, cut) for cut in found if cut)
        line = pat.sub("", line)
    return line.rstrip(), cuts


def _crumb_segments(lines: list[str], cfg: Config, forms: dict[str, str] | None = None) -> frozenset[str]:
    """Non-last segments of breadcrumb lines (site / section names)."""
    crumb = next((r for r in cfg.rules if r.id == "nav-crumb"), None)
    found: set[str] = set()
    forms = forms or {}
    if crumb is None:
        return frozenset()
    # the rule's patterns joined (_any_of: a match exactly when one of them matches)
    crumb = Rule(crumb.id, crumb.kind, _plan(cfg).joined.get(crumb.id, crumb.patterns), crumb.max_len)
    for s in dict.fromkeys(line.strip() for line in lines):  # each distinct line once: same set
        if not s or not _drop_rule_hits(crumb, (s, forms.get(s) or _match_form(s))):
            continue
        s = re.sub(r"^[^:：]{0,12}[:：]", "", s)
        parts = [p.strip() for p in re.split(r"\s*(?:>|›|»|＞|&gt;)\s*", s)]
        found.update(p for p in parts[:-1] if p and _visible_len(p) <= cfg.short_line)
    return frozenset(found)


def _split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [line.rstrip() for line in text.split("\n")]


def _join_kept(kept: list[str]) -> str:
    out: list[str] = []
    for line in kept:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


_SENTENCE_END = re.compile(r"[。！？!?…][”」』\"）)]?$")  # how the article's own sentences end


def clean(text: str) -> Cleaned:
    """Drop boilerplate lines and cut injected junk out of kept lines.

    A line that occurs more than ``max_repeats`` times keeps only its first
    occurrence (rule ``repeated-line``, applied after all other rules). Each
    distinct line is judged once, so a long article of repeated lines is cheap.
    """
    cfg = config()
    lines = _split_lines(text)
    forms = _line_forms(lines)
    plan = _plan(cfg)
    gated = _gated(lines, forms, plan)
    # a breadcrumb line is dropped by a rule (nav-crumb), so it passed the gate
    crumbs = _crumb_segments([s for s, hit in gated.items() if hit], cfg, forms)
    ctx = _Context(cfg, crumbs, forms, plan, gated)
    repeat_id = next((r.id for r in cfg.rules if r.handler == "repeat_line"), None)
    block = next((r for r in cfg.rules if r.handler == "related_block"), None)
    in_block = False  # after a 相关阅读 / 热门评论 header, until a long line
    counts = Counter(line.strip() for line in lines) if repeat_id else Counter()
    judged: dict[str, tuple[str, list[tuple[str, str]], str | None]] = {}
    seen: set[str] = set()
    kept: list[str] = []
    removed: list[tuple[int, str, str]] = []
    trimmed: list[tuple[int, str, str]] = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            kept.append("")
            continue
        if line not in judged:
            judged[line] = _judge(line, ctx)
        new, cuts, reason = judged[line]
        key = line.strip()
        if block is not None:
            if reason in block.after:
                in_block = True
            elif in_block and reason is None:
                if _visible_len(key) <= (block.max_len or 0) and not _SENTENCE_END.search(key):
                    reason = block.id  # a headline or comment of the list (no full stop)
                else:
                    in_block = False  # a sentence again: the block is over
        if reason is None and repeat_id and counts[key] > cfg.max_repeats:
            reason = repeat_id if key in seen else None
            seen.add(key)
        if reason is not None:
            removed.append((no, reason, line))
            continue
        trimmed.extend((no, rid, cut) for rid, cut in cuts)
        kept.append(new)
    return Cleaned(_join_kept(kept), tuple(removed), tuple(trimmed))


def _gated(lines: list[str], forms: dict[str, str], plan: _Plan) -> dict[str, bool]:
    """_gate_hit of every distinct non-blank stripped line (as _drop_reason computes it)."""
    out: dict[str, bool] = {}
    for line in lines:
        s = line.strip()
        if s and s not in out:
            form = forms.get(s)
            form = _match_form(s) if form is None else form
            out[s] = _gate_hit((s,) if form == s else (s, form), _visible_len(s), plan)
    return out


def _judge(line: str, ctx: _Context) -> tuple[str, list[tuple[str, str]], str | None]:
    """(the line after trimming, the cuts, the id of the rule that drops it or None)."""
    new, cuts = _trim(line, ctx.cfg, ctx.plan)
    reason = _drop_reason(line, ctx) or (_drop_reason(new, ctx) if cuts and new.strip() else None)
    if reason is None and cuts and not _READABLE.search(new):
        reason = cuts[0][0]
    return new, cuts, reason


# --------------------------------------------------------------------------- decode

_MAGIC = (  # signatures that never start a text file -> what the file is
    (b"\x89PNG\r\n", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b\x08", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"OggS\x00", "an Ogg media file"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27} | {127}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
BINARY = "binary data, not text"
MIN_COMMON_SHARE = 0.3  # below this a GB18030/Big5 decoding is mojibake (real text: ~0.85)


def _bom(data: bytes) -> tuple[str, str] | None:
    for mark, name in _BOMS:
        if data.startswith(mark):
            body = data if name == "utf-8-sig" else data[len(mark) :]
            try:
                return body.decode(name), name
            except UnicodeDecodeError as exc:
                raise ValueError(f"undecodable {name} text after its byte order mark") from exc
    return None


def _utf16_parity(data: bytes) -> str:
    """'utf-16-le'/'utf-16-be' when NULs pile up at odd/even offsets (ASCII-heavy text)."""
    pairs = len(data) // 2
    even, odd = data[0::2].count(0) / pairs, data[1::2].count(0) / pairs
    if odd >= 0.2 and even < 0.02:
        return "utf-16-le"
    if even >= 0.2 and odd < 0.02:
        return "utf-16-be"
    return ""


def _plain_text(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Guess BOM-less UTF-16: NUL parity, or (CJK-heavy text) a clearly Chinese decoding."""
    if len(data) < 4 or len(data) % 2:
        return None
    guess = _utf16_parity(data)
    names = [guess] if guess else ["utf-16-le", "utf-16-be"] if b"\x00" in data else []
    for name in names:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plain_text(text) and (guess or common_share(text) >= 0.5):
            return text, name
    return None


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is binary ('binary data, not text (...)'), or None for text-like bytes."""
    for mark, kind in _MAGIC:
        if data.startswith(mark):
            return f"{BINARY} ({kind})"
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"{BINARY} (NUL byte at offset {nul})"
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > 0.10 * len(data):
        return f"{BINARY} ({100 * controls // len(data)}% control bytes)"
    return None


def common_share(text: str) -> float:
    """Share of the non-ASCII, non-space characters that are common CJK characters."""
    common = config().common_chars
    wide = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not wide:
        return 0.0
    return sum(1 for c in wide if c in common) / len(wide)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken sequences (a truncated scrape): at most 1 per 1,000 chars."""
    text = data.decode("utf-8", errors="replace")
    bad = len(re.findall("\ufffd+", text)) - data.count(b"\xef\xbf\xbd")  # one run per break
    return text if bad <= max(1, len(text) // 1000) else None


def _candidates(data: bytes) -> Iterator[tuple[str, str]]:
    """(name, text) for every encoding that decodes ``data`` (UTF-16 only if clearly Chinese)."""
    names = ["gb18030", "big5", "cp950"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    for name in names:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not name.startswith("utf-16") or (_plain_text(text) and common_share(text) >= 0.5):
            yield name, text
    lenient = _mostly_utf8(data)
    if lenient is not None:
        yield "utf-8", lenient


def _best_cjk(data: bytes) -> tuple[str, str] | None:
    """The decoding with the highest share of common CJK characters (earlier name wins ties);
    None when even the best one is mojibake (few common characters among many wide ones)."""
    scored = [(common_share(text), -rank, text, name) for rank, (name, text) in enumerate(_candidates(data))]
    if not scored:
        return None
    share, _, text, name = max(scored)
    if share < MIN_COMMON_SHARE and _wide_count(text) >= 20:
        return None
    return text, name


def _wide_count(text: str) -> int:
    return sum(1 for c in text if ord(c) > 127 and not c.isspace())


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes: BOM, UTF-16 guess, UTF-8, GB18030/Big5 (scored), charset-normalizer.

    Raises ValueError('binary data, not text (what it looks like)') for binary input and
    ValueError('undecodable ...') when no encoding fits.
    """
    if not data:
        return "", "utf-8"
    for mark, kind in _MAGIC:
        if data.startswith(mark):
            raise ValueError(f"{BINARY} ({kind})")
    found = _bom(data) or _utf16_without_bom(data)
    if found:
        return found
    reason = _binary_reason(data)
    if reason:
        raise ValueError(reason)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = _best_cjk(data) or _charset_normalizer(data)
    if found is None:
        raise ValueError(
            "undecodable bytes: not UTF-8, and no known encoding (GB18030, Big5, UTF-16 ...) fits"
        )
    return found


# --------------------------------------------------------------------------- html

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
)
_TEXT_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")


def _metadata(html: str) -> dict[str, str]:
    import trafilatura

    try:
        doc = trafilatura.extract_metadata(html)
    except Exception:  # metadata is best effort
        doc = None
    if doc is None:
        return {}
    out = {key: getattr(doc, key, None) for key in ("title", "date", "url", "author", "sitename")}
    return {k: str(v).strip() for k, v in out.items() if v and str(v).strip()}


def _fallback_text(html: str) -> str:
    """Plain dump of <p>/<h1-6> text, scripts and styles removed."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except Exception:  # broken markup: use the regex dump
        return _regex_text(html)
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    parts = (el.text_content() for el in root.iter(*_TEXT_TAGS))
    return "\n".join(p for p in (re.sub(r"\s+", " ", x).strip() for x in parts) if p)


def _regex_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", html)
    html = re.sub(r"(?i)</?(?:p|h[1-6]|br|div|li)\b[^>]*>", "\n", html)
    text = re.sub(r"<[^>]+>", " ", html)
    lines = (re.sub(r"[ \t\u3000]+", " ", x).strip() for x in text.split("\n"))
    return "\n".join(x for x in lines if x)


def _fallback_meta(html: str) -> dict[str, str]:
    m = re.search(r"(?is)<title[^>]*>(.*?)</title>", html)
    return {"title": re.sub(r"\s+", " ", m.group(1)).strip()} if m and m.group(1).strip() else {}


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text of a saved web page (paragraphs on their own lines) and its metadata.

    Metadata keys (only those found): title, date, url, author, sitename.
    """
    import trafilatura

    try:
        text = trafilatura.extract(html, output_format="txt", include_comments=False, favor_recall=True)
    except Exception:  # trafilatura chokes on some markup; fall back
        text = None
    if not text or not text.strip():
        text = _fallback_text(html)
    meta = _metadata(html) or _fallback_meta(html)
    return text.strip(), meta
