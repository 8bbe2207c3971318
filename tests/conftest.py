"""Shared fixtures: the project's registry and rules, and a one-call extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.dates import parse_iso
from builder.entities import Registry
from builder.extraction import extract
from builder.merging import merge
from builder.models import Article, Event
from builder.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load(ROOT / "registry")


@pytest.fixture(scope="session")
def extract_events(registry):
    rules = load_rules()

    def run(text: str, published: str | None = "2025-06-10", stem: str = "case") -> list[Event]:
        art = Article(
            stem=stem, path=f"{stem}.txt", text=text, published=parse_iso(published) if published else None
        )
        return merge(extract(art, registry, rules))

    return run
