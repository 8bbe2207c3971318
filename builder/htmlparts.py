"""Raw-HTML building blocks for the generated pages.

The big generated parts of a page (timeline lists, event blocks, passages,
tables) are emitted as raw HTML blocks, not Markdown: any Markdown engine
passes them through unchanged, and the MkDocs hook can skip parsing them at
all (see ``RAW_MARK`` and ``site_hooks``). Every data string goes through
``esc`` (text and attribute values); the only URLs built from data are
``http(s)`` ones checked by ``markup.safe_url``. Icons are Material's SVG
files, inlined as ``pymdownx.emoji`` would (``<span class="twemoji">``).
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from builder.markup import OTHER_ICON, TYPE_ICONS, clean_text, type_label, type_slug

# Everything after this line of a generated page is one raw HTML body; the hook
# hands it to the page untouched instead of letting Python-Markdown re-parse it.
RAW_MARK = "<!-- tl:raw-html -->"


_ESCAPED: dict[str, str] = {}  # the same names and labels come back hundreds of thousands of times


def _esc_text(s: str) -> str:
    return html.escape(clean_text(s), quote=True)


def esc(s: object) -> str:
    """Text (or an attribute value in double quotes) for HTML: one line, inert."""
    try:
        return _ESCAPED[s]  # type: ignore[index]
    except (KeyError, TypeError):
        pass
    text = s if isinstance(s, str) else str(s)
    out = _esc_text(text)
    if len(_ESCAPED) < 1 << 17 and isinstance(s, str):
        _ESCAPED[s] = out
    return out


def esc_long(s: object) -> str:
    """``esc`` without the cache, for long one-off text (article paragraphs)."""
    return html.escape(clean_text(s), quote=True)


@functools.cache
def icon(name: str) -> str:
    """Inline SVG of a Material icon ('material-rss'); '' when the theme is not installed."""
    try:
        import material
    except ImportError:  # pragma: no cover - the site needs the theme anyway
        return ""
    folder, _, rest = name.partition("-")
    path = Path(material.__file__).parent / "templates" / ".icons" / folder / f"{rest}.svg"
    try:
        svg = path.read_text(encoding="utf-8").strip()
    except OSError:  # pragma: no cover
        return ""
    return f'<span class="twemoji">{svg}</span>'


@functools.cache
def badge(event_type: str) -> str:
    """Coloured type badge: icon + label (colour alone never carries the meaning)."""
    slug = type_slug(event_type)
    svg = icon(TYPE_ICONS.get(event_type, OTHER_ICON))
    return f'<span class="tl-badge tl-badge--{esc(slug)}">{svg} {esc(type_label(event_type))}</span>'


def link(url: str, text: str, cls: str = "") -> str:
    """<a> to a URL we built (relative site URL); ``text`` is escaped here."""
    c = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(url)}"{c}>{esc(text)}</a>'


def feed_link(url: str, text: str = "Atom 订阅") -> str:
    return f'<a class="tl-feed" href="{esc(url)}">{icon("material-rss")} {esc(text)}</a>'
