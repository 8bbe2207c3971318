"""URL- and file-safe slugs for names (pinyin for Chinese)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

_UNSAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65_536)  # pure, and the same names come back thousands of times
def slugify(name: str, max_len: int = 60) -> str:
    """'周畅' -> 'zhou-chang', 'Moonshot AI' -> 'moonshot-ai'.

    Only [a-z0-9-] ever comes out, so a slug can never traverse paths or carry
    a URL scheme; an empty result becomes 'x'.
    """
    text = unicodedata.normalize("NFKC", name)
    parts = lazy_pinyin(text, errors=lambda s: [s])
    slug = _UNSAFE.sub("-", "-".join(parts).lower()).strip("-")
    slug = re.sub("-{2,}", "-", slug)[:max_len].strip("-")
    return slug or "x"


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Map each name to a slug unique among ``names`` (sorted, deterministic)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(names)):
        base = slugify(name)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[name] = slug
    return out
