"""Normalising stage: a matching copy of an article's text with an offset map.

``normalise(text)`` returns a ``NormText`` whose ``text`` is what the matchers search:

1. traditional -> simplified Chinese (OpenCC ``t2s``);
2. width folding: full-width ASCII letters/digits, ``％＋－．／`` and the ideographic
   space become ASCII (Chinese punctuation such as 。，、；：？！（） is kept);
3. stray spaces between Chinese characters removed where one side is a lone character
   (陆 嘉禾, 濮 青 山: a padded or spaced-out name);
4. repost de-obfuscation (data/obfuscation.yaml): only for an article that shows
   the marks of a synonym-swapping repost (东谈主 = 人, 大模子 = 大模型 ...).

``to_orig[i]`` is the index in the original text of normalised character i, with one
extra entry (== len(original)) so that ``orig[to_orig[a]:to_orig[b]]`` is the original
of ``norm.text[a:b]``.  A replacement of another length maps every output character
to the start of the replaced span (same-length replacements map char by char).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .automata import Keywords

DATA_FILE = Path(__file__).parent / "data" / "obfuscation.yaml"

_FOLD_EXTRA = "％＋－．／"


class ObfuscationDataError(ValueError):
    """The obfuscation data file is malformed (the message names the entry)."""


@dataclass(frozen=True)
class NormText:
    text: str
    to_orig: Sequence[int]  # a range when normalising changed no length (most articles)
    obfuscated: bool = False

    def orig_span(self, a: int, b: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [a, b)."""
        if not 0 <= a <= b <= len(self.text):
            raise IndexError(f"span ({a}, {b}) outside 0..{len(self.text)}")
        return self.to_orig[a], self.to_orig[b]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Table:
    pairs: dict[str, str]  # obfuscated form -> plain form
    pattern: re.Pattern[str]  # all forms, longest first
    markers: re.Pattern[str] | None  # marker forms, longest first
    marker_words: Keywords[str]  # the same forms: which occur anywhere (overlaps included)
    min_distinct: int
    min_density: float  # marker hits per 1,000 non-space characters


def _fail(entry: str, msg: str) -> ObfuscationDataError:
    return ObfuscationDataError(f"{DATA_FILE.name}: entry {entry!r}: {msg}")


def _alternation(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _check_pair(raw: Any, t2s: Any) -> tuple[str, str, bool]:
    if not isinstance(raw, dict) or not isinstance(raw.get("from"), str) or not raw["from"]:
        raise ObfuscationDataError(f"{DATA_FILE.name}: every pair needs a non-empty 'from': {raw!r}")
    src, dst, marker = raw["from"], raw.get("to"), raw.get("marker")
    if not isinstance(dst, str) or not dst:
        raise _fail(src, "'to' must be a non-empty string")
    if not isinstance(marker, bool):
        raise _fail(src, "'marker' must be true or false")
    if marker and src == dst:
        raise _fail(src, "a protected phrase (from == to) cannot be a marker")
    if t2s.convert(src) != src:
        raise _fail(src, "'from' must be simplified Chinese (the table runs after t2s)")
    return src, dst, marker


def _detection(raw: Any) -> tuple[int, float]:
    if not isinstance(raw, dict):
        raise _fail("detection", "must be a mapping")
    distinct, density = raw.get("min_distinct_markers"), raw.get("min_per_1000_chars")
    if not isinstance(distinct, int) or distinct < 1:
        raise _fail("detection", "min_distinct_markers must be a positive integer")
    if not isinstance(density, int | float) or density < 0:
        raise _fail("detection", "min_per_1000_chars must be a number >= 0")
    return distinct, float(density)


def parse_table(data: Any) -> Table:
    """Validate the parsed YAML and compile it."""
    if not isinstance(data, dict) or not isinstance(data.get("pairs"), list):
        raise ObfuscationDataError(f"{DATA_FILE.name}: top level must be a mapping with a 'pairs' list")
    t2s = _opencc("t2s")
    pairs: dict[str, str] = {}
    markers: list[str] = []
    for raw in data["pairs"]:
        src, dst, marker = _check_pair(raw, t2s)
        if src in pairs:
            raise _fail(src, "listed twice")
        pairs[src] = dst
        if marker:
            markers.append(src)
    distinct, density = _detection(data.get("detection"))
    return Table(
        pairs=pairs,
        pattern=_alternation(list(pairs)),
        markers=_alternation(markers) if markers else None,
        marker_words=Keywords((m, m) for m in markers),
        min_distinct=distinct,
        min_density=density,
    )


@lru_cache(maxsize=1)
def table() -> Table:
    """The obfuscation table, loaded and validated once."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return parse_table(yaml.safe_load(fh))


@lru_cache(maxsize=2)
def _opencc(name: str) -> Any:
    import opencc

    return opencc.OpenCC(name)


# --------------------------------------------------------------------------- steps
# Each step returns (new text, idx) with idx[i] = index in its input of output char i,
# and idx[len(new text)] = len(input).


def _t2s_piece(piece: str, base: int, out: list[str], idx: list[int]) -> None:
    conv = _opencc("t2s").convert
    converted = conv(piece)
    if len(converted) == len(piece):
        out.append(converted)
        idx.extend(range(base, base + len(piece)))
        return
    for k, ch in enumerate(piece):  # rare: a phrase changed length; go char by char
        c = conv(ch)
        out.append(c)
        idx.extend([base + k] * len(c))


def to_simplified(text: str) -> tuple[str, list[int]]:
    """Traditional -> simplified, line by line (per character where a line changes length)."""
    simple, idx = _simplified(text)
    return simple, list(idx)


def _simplified(text: str) -> tuple[str, Sequence[int]]:
    """``to_simplified`` with the index map as a ``range`` when no length changed
    (the same numbers, 0..len(text), without building a list of them)."""
    whole = _opencc("t2s").convert(text)
    if len(whole) == len(text):
        return whole, range(len(text) + 1)
    out: list[str] = []
    idx: list[int] = []
    base = 0
    for line in text.splitlines(keepends=True):
        _t2s_piece(line, base, out, idx)
        base += len(line)
    idx.append(len(text))
    return "".join(out), idx


def _fold_char(ch: str) -> str:
    o = ord(ch)
    if ch == "\u3000":
        return " "
    if 0xFF01 <= o <= 0xFF5E and (ch.isalnum() or ch in _FOLD_EXTRA):
        return chr(o - 0xFEE0)
    return ch


# a mark after a Chinese character (not before a digit), or before one; the class comes
# first so the regex engine skips straight to the marks
_ASCII_PUNCT = re.compile(r"[,;:!?](?:(?<=[\u4e00-\u9fff][,;:!?])(?!\d)|(?=[\u4e00-\u9fff]))")
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def cjk_punctuation(text: str) -> str:
    """ASCII , ; : ! ? next to Chinese text -> their Chinese forms (same length)."""
    return _ASCII_PUNCT.sub(lambda m: _FULL_PUNCT[m.group()], text)


_FOLD_TABLE = {
    o: _fold_char(chr(o)) for o in [0x3000, *range(0xFF01, 0xFF5F)] if _fold_char(chr(o)) != chr(o)
}


_FOLDABLE = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_FOLD_TABLE)) + "]")


def fold_width(text: str) -> str:
    """Full-width letters, digits and a few signs -> ASCII (one character each)."""
    for ch in set(_FOLDABLE.findall(text)):  # str.replace per character present: faster than translate
        text = text.replace(ch, _FOLD_TABLE[ord(ch)])
    return text


# every character for which str.isspace() is true (tests/test_normalising.py checks the list)
_SPACE_CHARS = tuple("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") + tuple(
    chr(o) for o in range(0x2000, 0x200B)
)


def _marker_stats(text: str) -> tuple[int, int, int]:
    """(marker hits, distinct marker entries, non-space characters)."""
    tab = table()
    hits = tab.markers.findall(text) if tab.markers else []
    size = len(text) - sum(map(text.count, _SPACE_CHARS))  # one C pass per space character
    return len(hits), len(set(hits)), size


def _active(text: str) -> bool:
    tab = table()
    if len({m for _, m in tab.marker_words.find(text)}) < tab.min_distinct:
        return False  # the usual case; findall's markers are among these, so fewer still
    hits = tab.markers.findall(text) if tab.markers else []
    if len(set(hits)) < tab.min_distinct:
        return False  # no need to count the non-space characters
    hits_n, distinct, size = _marker_stats(text)
    return distinct >= tab.min_distinct and size > 0 and hits_n * 1000 / size >= tab.min_density


def deobfuscation_active(text: str) -> bool:
    """True when ``text`` (a whole article) shows the marks of an obfuscated repost."""
    return _active(fold_width(_simplified(text)[0]))


def deobfuscate(text: str) -> tuple[str, list[int]]:
    """Apply the swap table in one left-to-right longest-match pass (unconditionally)."""
    tab = table()
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for m in tab.pattern.finditer(text):
        out.append(text[pos : m.start()])
        idx.extend(range(pos, m.start()))
        src, dst = m.group(0), tab.pairs[m.group(0)]
        out.append(dst)
        same = len(src) == len(dst)
        idx.extend(range(m.start(), m.end()) if same else [m.start()] * len(dst))
        pos = m.end()
    out.append(text[pos:])
    idx.extend(range(pos, len(text) + 1))
    return "".join(out), idx


# a run of spaces before a Chinese character (the literal first: most spaces are not)
_SPACES_BEFORE_CJK = re.compile("[ \t]+(?=[\u4e00-\u9fff])")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def join_spaced(text: str) -> tuple[str, list[int]] | None:
    """Stray spaces a scraper left between Chinese characters (陆 嘉禾, 濮 青 山, 由 国 家 人 工
    智 能 …) removed, where a character on either side stands alone (a padded or spaced-out
    name); a space between two longer runs (a headline's 请辞 转战…) is kept. None when
    nothing is removed; else the text and, per character, its index in ``text``."""
    cuts = []
    for m in _SPACES_BEFORE_CJK.finditer(text):
        s, e = m.span()
        if s == 0 or not _cjk(text[s - 1]):
            continue
        if s >= 2 and _cjk(text[s - 2]) and e + 1 < len(text) and _cjk(text[e + 1]):
            continue  # two words of two or more characters each
        cuts.append((s, e))
    if not cuts:
        return None
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for s, e in cuts:
        out.append(text[pos:s])
        idx.extend(range(pos, s))
        pos = e
    out.append(text[pos:])
    idx.extend(range(pos, len(text) + 1))
    return "".join(out), idx


def _compose(outer: list[int], inner: list[int]) -> list[int]:
    """Map through two steps: result[i] = inner[outer[i]]."""
    return [inner[i] for i in outer]


def normalise(text: str, obfuscated: bool | None = None) -> NormText:
    """Normalise a whole article (the de-obfuscation decision is per article).

    ``obfuscated`` forces the decision (e.g. True for one sentence of an article
    already known to be an obfuscated repost); None detects it from ``text``.
    """
    simple, idx = _simplified(text)
    folded = cjk_punctuation(fold_width(simple))
    joined = join_spaced(folded) if " " in folded or "\t" in folded else None
    if joined is not None:  # (a range from _simplified maps every index to itself)
        folded, idx = joined[0], joined[1] if isinstance(idx, range) else _compose(joined[1], list(idx))
    if not (_active(folded) if obfuscated is None else obfuscated):
        return NormText(folded, idx if isinstance(idx, range) else tuple(idx), False)
    plain, idx2 = deobfuscate(folded)
    return NormText(plain, tuple(_compose(idx2, idx)), True)
