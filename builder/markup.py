"""Labels, escaping and date wording shared by every generated page, feed and file.

Every string that comes from the data passes through ``md_escape`` (Markdown
text and raw HTML), ``attr_escape`` (attribute values), ``safe_title`` (page titles
and descriptions, which the theme prints unescaped) or ``xml_text`` (feeds)
before it reaches output. The only links built from data URLs are ``http(s)``
ones via ``safe_url`` / ``external_link``.
"""

from __future__ import annotations

import json
import re

from builder.sitedata import clean_text, date_parts
from builder.slugs import slugify

TYPE_LABELS = {
    "funding": "融资",
    "departure": "离职",
    "hire": "加入",
    "lawsuit": "诉讼",
    "price_cut": "降价",
    "acquisition": "收购",
}
TYPE_DESCRIPTIONS = {
    "funding": "公司获得融资、完成新一轮融资。",
    "departure": "人物离开所在公司或岗位。",
    "hire": "人物加入公司或出任新职位。",
    "lawsuit": "起诉、仲裁等法律纠纷。",
    "price_cut": "模型或服务降价。",
    "acquisition": "收购、并购与控股。",
}
# material icons (pymdownx.emoji with material's index), one per type
TYPE_ICONS = {
    "funding": "material-cash-multiple",
    "departure": "material-exit-run",
    "hire": "material-account-plus",
    "lawsuit": "material-scale-balance",
    "price_cut": "material-tag-arrow-down",
    "acquisition": "material-handshake",
}
OTHER_ICON = "material-circle-medium"
DETAIL_LABELS = {
    "from": "原单位",
    "to": "去向",
    "role": "职位",
    "amount": "金额",
    "currency": "币种",
    "round": "轮次",
    "investors": "投资方",
    "plaintiff": "原告",
    "defendant": "被告",
    "acquirer": "收购方",
    "target": "收购标的",
    "product": "产品",
    "old_price": "原价",
    "new_price": "现价",
}
# detail keys whose values may name a company or person with a page
ENTITY_DETAILS = {"from", "to", "investors", "plaintiff", "defendant", "acquirer", "target"}
LINK_LABELS = {"homepage": "主页", "wikidata": "Wikidata", "wikipedia": "维基百科"}
KIND_DIRS = {"company": "companies", "person": "people"}
KIND_LABELS = {"company": "公司", "person": "人物"}
# the registry's own 'kind' of a company entry
CATEGORY_LABELS = {
    "company": "公司",
    "investor": "投资机构",
    "university": "大学",
    "institute": "研究机构",
    "lab": "实验室",
}

_URL_RE = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    **{c: f"&#{ord(c)};" for c in "\\`*_[](){}#+-!|~=^$:"},
}
_MD_TABLE = str.maketrans(_MD_ESCAPES)
_TITLE_TABLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


# ---------------------------------------------------------------- escaping


def md_escape(s: object) -> str:
    """Text -> Markdown that renders as exactly that text (one line, inert)."""
    out = clean_text(s).translate(_MD_TABLE)
    return re.sub(r"^(\d+)\.", r"\1&#46;", out)  # '1. x' would start a list


def safe_title(s: object) -> str:
    """Text for a page title: the theme prints titles raw, so no HTML chars."""
    return clean_text(s).translate(_TITLE_TABLE)


def attr_escape(s: object) -> str:
    """Text for an attribute value in double quotes.

    Attributes of inline HTML inside Markdown are seen by Markdown's inline
    patterns before the tag is stashed (a ``[x](y)`` or ``:icon:`` inside a
    quoted value would still turn into markup), so the value gets the same
    treatment as text: every Markdown and HTML special as a character reference.
    """
    return md_escape(s)


def xml_text(s: object) -> str:
    """Text for XML: control and non-characters removed (XML 1.0 has no escape for them)."""
    return _XML_BAD.sub("", clean_text(s))


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) URL, else None."""
    text = str(url or "").strip()
    return text if _URL_RE.match(text) else None


def external_link(url: str, text: str) -> str:
    """Inline HTML link to an http(s) URL (call only with ``safe_url`` output)."""
    return f'<a href="{attr_escape(url)}" rel="nofollow noopener noreferrer">{md_escape(text)}</a>'


# ---------------------------------------------------------------- labels


def date_label(value: str | None, approximate: bool = False) -> str:
    """'2024-11-13' -> '2024年11月13日'; approximate -> '约2024年11月'."""
    parts = date_parts(value)
    if parts is None:
        return "日期不详"
    year, month, day = parts
    text = f"{year}年"
    if month is not None:
        text += f"{month}月"
    if day is not None:
        text += f"{day}日"
    return f"约{text}" if approximate else text


def type_slug(event_type: str) -> str:
    if event_type in TYPE_LABELS:
        return event_type
    slug = slugify(event_type)
    return "index-type" if slug == "index" else slug


def type_label(event_type: str) -> str:
    return TYPE_LABELS.get(event_type, event_type)


def type_icon(event_type: str) -> str:
    """Markdown emoji shortcode of the type's icon (pymdownx.emoji renders inline SVG)."""
    return f":{TYPE_ICONS.get(event_type, OTHER_ICON)}:"


def type_badge(event_type: str) -> str:
    """Coloured badge: icon + label (colour alone never carries the meaning)."""
    slug = type_slug(event_type)
    label = md_escape(type_label(event_type))
    return f'<span class="tl-badge tl-badge--{slug}">{type_icon(event_type)} {label}</span>'


def front(title: str, description: str, *, exclude_search: bool = False) -> list[str]:
    """YAML front matter lines; the theme prints title and description raw."""
    lines = ["---", f"title: {json.dumps(safe_title(title), ensure_ascii=False)}"]
    lines.append(f"description: {json.dumps(safe_title(description)[:300], ensure_ascii=False)}")
    if exclude_search:
        lines += ["search:", "  exclude: true"]
    return [*lines, "---", ""]
