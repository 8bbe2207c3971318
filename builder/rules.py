"""Rule tables: trigger patterns and cue lists, loaded from data/triggers.yaml once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .literals import LiteralIndex, any_literal, required_literals
from .models import EVENT_TYPES

TRIGGERS_FILE = Path(__file__).parent / "data" / "triggers.yaml"
CUE_KEYS = (
    "negation",
    "denial",
    "collapsed",
    "collapsed_next",
    "forecast_lead",
    "answered",
    "answered_later",
    "future",
    "before_time",
    "before_time_lead",
    "after_time",
    "long_ago",
    "modality",
    "announced",
    "announced_lead",
    "rumour",
    "generic",
    "to_cues",
    "from_cues",
    "investor_cues",
    "forecast_cues",
    "founding_cues",
    "baseline_cues",
    "background_after",
    "stative_dates",
    "funding_history",
    "background_lead",
)


class RuleError(Exception):
    """A rule that cannot be used; names the rule id."""


@dataclass(frozen=True)
class Trigger:
    id: str
    type: str
    pattern: re.Pattern
    requires: re.Pattern | None = None  # must occur somewhere in the sentence
    near: re.Pattern | None = None  # must occur in the trigger's clause


@dataclass(frozen=True)
class Rules:
    triggers: tuple[Trigger, ...]
    cues: dict[str, re.Pattern]
    digest: str
    any_trigger: re.Pattern | None = None  # matches wherever some trigger pattern matches
    index: LiteralIndex | None = None  # which triggers can match a text (their literals)


def any_of(patterns: list[re.Pattern]) -> re.Pattern | None:
    """A regex that finds a match in a text whenever one of ``patterns`` does (a
    cheap gate before running them one by one): the literals every match of them
    contains (see literals.py), else the patterns joined; None when neither works."""
    needed = [required_literals(p) for p in patterns]
    if patterns and all(needed):
        return any_literal(frozenset().union(*needed))
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns)) if patterns else None
    except re.error:  # e.g. repeated group names
        return None


def _compile(rule_id: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise RuleError(f"{TRIGGERS_FILE.name}: rule '{rule_id}': bad pattern: {e}") from e


def parse_rules(text: str) -> Rules:
    data = yaml.safe_load(text)
    triggers, seen = [], set()
    for etype, items in (data.get("types") or {}).items():
        if etype not in EVENT_TYPES:
            raise RuleError(f"{TRIGGERS_FILE.name}: unknown event type '{etype}'")
        for item in items:
            rid = item.get("id")
            if not rid or rid in seen:
                raise RuleError(f"{TRIGGERS_FILE.name}: rule id missing or repeated: {rid!r}")
            seen.add(rid)
            req, near = item.get("requires"), item.get("near")
            triggers.append(
                Trigger(
                    rid,
                    etype,
                    _compile(rid, item["pattern"]),
                    _compile(rid, req) if req else None,
                    _compile(rid, near) if near else None,
                )
            )
    missing = [k for k in CUE_KEYS if not data.get(k)]
    if missing:
        raise RuleError(f"{TRIGGERS_FILE.name}: missing cue lists: {', '.join(missing)}")
    cues = {k: _compile(k, data[k]) for k in CUE_KEYS}
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    patterns = [t.pattern for t in triggers]
    index = LiteralIndex([required_literals(p) for p in patterns])
    return Rules(tuple(triggers), cues, digest, any_of(patterns), index)


@cache
def load_rules() -> Rules:
    return parse_rules(TRIGGERS_FILE.read_text(encoding="utf-8"))
