"""Property tests over the parts that meet untrusted data (hypothesis).

* reader: any bytes as an article file -> an ``Article`` or ``ReadError``, never anything else;
* dates: ``find_dates`` on any text -> well-formed mentions, never an exception;
* store: ``store.dump`` -> ``yaml.safe_load`` gives back the same dict for any strings;
* pages: ``render_pages`` on random events never raises and never lets a ``<`` from the data through.

In CI each property runs a modest number of examples. Long fuzz sessions use
the same ``check_*`` functions: ``HYPOTHESIS_PROFILE=fuzz`` raises the example
count here, and ``benchmarks/fuzz/run.py`` runs each target for a fixed time
(docs/reliability.md records the sessions).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import dates, pages, reading, segmenting, store
from builder.models import Article, DateValue

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
SETTINGS = settings(
    max_examples=200_000 if FUZZ else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
COUNTS: dict[str, int] = {}  # examples tried per target (read by benchmarks/fuzz/run.py)


def _count(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


# ---------------------------------------------------------------- reader

_WORDS = [
    "---\n",
    "title: ",
    "published: ",
    "url: ",
    "source: ",
    "2024-03-05",
    "2024年3月5日",
    "\n",
    "\r\n",
    "\r",
    "[",
    "{",
    "'",
    '"',
    ":",
    "&",
    "*a",
    "!!str ",
    "<script>",
    "</p>",
    "<p>",
    "<html>",
    "\ufeff",
    "青松智能宣布完成融资。",
    "林海离职。",
    "发布时间：",
    "\x00",
    "\u2028",
    "\x1b[31m",
    "。",
    " ",
]
_ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "big5",
    "utf-16-le",
    "utf-16-be",
    "utf-16",
    "latin-1",
    "shift_jis",
]


@st.composite
def article_bytes(draw) -> bytes:
    """Raw bytes, or text built from front-matter/HTML/date pieces in some encoding, maybe cut short."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    pieces = draw(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=40)), max_size=60))
    text = "".join(pieces)
    data = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


_WORKDIR = Path(tempfile.mkdtemp(prefix="timeline-fuzz-"))
atexit.register(shutil.rmtree, _WORKDIR, ignore_errors=True)


def check_reader(data: bytes, suffix: str, sidecar: bytes | None) -> None:
    _count("reader")
    folder = Path(tempfile.mkdtemp(dir=_WORKDIR))
    path = folder / f"a{suffix}"
    path.write_bytes(data)
    if sidecar is not None:
        (folder / "a.meta.yaml").write_bytes(sidecar)
    try:
        art = reading.read_article(path)
    except reading.ReadError as e:
        assert str(e).startswith(str(folder)), str(e)
        str(e).encode("utf-8")
        return
    finally:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    assert isinstance(art, Article)
    assert art.text.strip() and art.stem == "a"
    assert "\n" not in art.title and "\r" not in art.title and len(art.title) <= reading.MAX_TITLE_CHARS
    assert not re.search("[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]", art.text)
    for value in (art.text, art.title, art.url, art.source, art.path):
        value.encode("utf-8")  # storable: no lone surrogates
    record = {"title": art.title, "source": art.source, "paragraphs": segmenting.paragraph_texts(art.text)}
    dumped = yaml.safe_dump(
        record, allow_unicode=True, sort_keys=False, width=10_000
    )  # as pipeline.write_articles
    assert yaml.safe_load(dumped) == record
    if art.published is not None:
        dates.parse_iso(art.published.value)


@SETTINGS
@given(
    data=article_bytes(),
    suffix=st.sampled_from([".txt", ".md", ".html", ".htm"]),
    sidecar=st.none() | article_bytes(),
)
def test_reader_returns_an_article_or_read_error(data, suffix, sidecar):
    check_reader(data, suffix, sidecar)


# ---------------------------------------------------------------- dates

_DATE_BITS = [
    "2024",
    "2023",
    "1999",
    "0000",
    "9999",
    "12",
    "13",
    "31",
    "32",
    "年",
    "月",
    "日",
    "号",
    "-",
    "/",
    ".",
    "今年",
    "去年",
    "明年",
    "前年",
    "上半年",
    "下半年",
    "年底",
    "年初",
    "中旬",
    "下旬",
    "上旬",
    "月初",
    "月底",
    "近日",
    "日前",
    "前不久",
    "本月",
    "上月",
    "同年",
    "次年",
    "当月",
    "二〇二四",
    "十一",
    "三十",
    "一",
    "Q1",
    "第三季度",
    "至",
    "到",
    "~",
    "—",
    "预计",
    "成立",
    "，",
    "。",
    " ",
    "\n",
    "Dec 6, 2024",
    "May",
]


@st.composite
def date_text(draw) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(_DATE_BITS), st.text(max_size=6)), max_size=40))
    return "".join(parts)


@st.composite
def reference(draw) -> DateValue | None:
    kind = draw(st.sampled_from(["none", "year", "month", "day"]))
    if kind == "none":
        return None
    day = draw(st.dates(min_value=__import__("datetime").date(1, 1, 1)))
    value = day.isoformat()[: {"year": 4, "month": 7, "day": 10}[kind]]
    return DateValue(value, approximate=draw(st.booleans()))


def check_dates(text: str, ref: DateValue | None) -> None:
    _count("dates")
    found = dates.find_dates(text, ref)
    last = -1
    for m in found:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text
        assert m.start >= last  # sorted by start
        last = m.start
        dates.parse_iso(m.date.value)


@SETTINGS
@given(text=date_text(), ref=reference())
def test_find_dates_never_fails(text, ref):
    check_dates(text, ref)


# ---------------------------------------------------------------- store round trip

_TRICKY = st.sampled_from(
    [
        "'",
        '"',
        ":",
        ": ",
        "#",
        " #",
        "- ",
        "\n",
        "\r\n",
        "\t",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&",
        "*",
        "!",
        "|",
        ">",
        "%",
        "@",
        "`",
        "~",
        "null",
        "yes",
        "no",
        "true",
        "1e3",
        "0x10",
        "2024",
        "2024-03",
        "2024-03-05",
        "12:30",
        "\ufeff",
        "\x85",
        "\u2028",
        "\x00",
        "fingerprint: ",
        "---",
        "...",
        " ",
        "  ",
    ]
)
_STRINGS = st.lists(st.one_of(_TRICKY, st.text(max_size=12)), max_size=12).map("".join)


@st.composite
def event_dict(draw) -> dict:
    d = {
        "id": draw(_STRINGS),
        "type": draw(_STRINGS),
        "date": draw(st.none() | _STRINGS),
        "title": draw(_STRINGS),
        "people": draw(st.lists(_STRINGS, max_size=4)),
        "companies": draw(st.lists(_STRINGS, max_size=4)),
    }
    extra = draw(st.dictionaries(_STRINGS.filter(lambda k: k != "fingerprint"), _STRINGS, max_size=4))
    d.update({k: v for k, v in extra.items() if k not in d})
    d["sources"] = draw(
        st.lists(
            st.fixed_dictionaries({"article": _STRINGS, "anchor": _STRINGS, "quote": _STRINGS}), max_size=3
        )
    )
    if draw(st.booleans()):
        d["reviewed"] = draw(st.booleans())
    return d


def check_store(d: dict) -> None:
    _count("store")
    text = store.dump(d)
    loaded = yaml.safe_load(text)
    fp = loaded.pop("fingerprint")
    assert loaded == d
    assert str(fp) == store.fingerprint(text) == store.written_fingerprint(text)


@SETTINGS
@given(d=event_dict())
def test_store_dump_round_trips(d):
    check_store(d)


# ---------------------------------------------------------------- pages

# Data strings never contain letters that could start an HTML tag the generator uses
# (only j, z, J, Z), so any '<' in a page that is not followed by a tag-starting letter,
# '/'+letter or '!--' came from the data unescaped.
_PAGE_ALPHABET = "<>&\"'`:#[](){}*_\\|!=-+~^$%@;,./? \n\tjzJZ0123456789青松智能林海融资收购\u3000"
_DATA = st.text(alphabet=_PAGE_ALPHABET, max_size=30)
_NAME = st.text(alphabet=_PAGE_ALPHABET.replace("\n", "").replace("\t", ""), min_size=1, max_size=12).filter(
    str.strip
)
_LEAK = re.compile(r"<(?![a-ik-yA-IK-Y]|/[a-ik-yA-IK-Y]|!--)")
TYPES = ["funding", "departure", "hire", "lawsuit", "price_cut", "acquisition"]


@st.composite
def site_files(draw) -> tuple[list[dict], list[dict]]:
    articles = []
    for n in range(draw(st.integers(1, 2))):
        paragraphs = draw(st.lists(_DATA, min_size=1, max_size=4))
        articles.append(
            {
                "stem": f"art{n}",
                "title": draw(_DATA),
                "url": draw(st.sampled_from(["", "https://e.com/a?b=<c>", "javascript:alert(1)"]) | _DATA),
                "source": draw(_DATA),
                "published": draw(st.sampled_from([None, "2024", "2024-03", "2024-03-05"])),
                "published_inferred": draw(st.booleans()),
                "file": draw(_DATA),
                "paragraphs": paragraphs,
            }
        )
    events = []
    for n in range(draw(st.integers(1, 4))):
        art = draw(st.sampled_from(articles))
        anchor = f"p{draw(st.integers(1, len(art['paragraphs'])))}"
        ev = {
            "id": f"ev{n}",
            "type": draw(st.sampled_from(TYPES)),
            "date": draw(st.sampled_from([None, "2023", "2024-02", "2024-02-29"])),
            "title": draw(_NAME),
            "people": draw(st.lists(_NAME, max_size=3)),
            "companies": draw(st.lists(_NAME, max_size=3)),
            "sources": [{"article": art["stem"], "anchor": anchor, "quote": draw(_DATA)}],
        }
        for key in draw(
            st.lists(
                st.sampled_from(["note", "date_text", "from", "to", "amount", "round", "role", "investors"]),
                max_size=4,
                unique=True,
            )
        ):
            ev[key] = draw(_DATA)
        if draw(st.booleans()):
            ev["status"] = draw(st.sampled_from(["confirmed", "reported"]))
        if n and draw(st.integers(0, 5)) == 0:
            ev["redirect_to"] = "ev0"
        events.append(ev)
    return events, articles


def check_pages(events: list[dict], articles: list[dict]) -> None:
    _count("pages")
    with tempfile.TemporaryDirectory(dir=_WORKDIR) as tmp:
        root = Path(tmp)
        (root / "events").mkdir()
        (root / "articles").mkdir()
        for ev in events:
            (root / "events" / f"{ev['id']}.yaml").write_text(
                yaml.safe_dump(ev, allow_unicode=True), encoding="utf-8"
            )
        for art in articles:
            (root / "articles" / f"{art['stem']}.yaml").write_text(
                yaml.safe_dump(art, allow_unicode=True), encoding="utf-8"
            )
        rendered = pages.render_pages(pages.load_site_data(root))
    assert rendered
    for path, text in rendered.items():
        leak = _LEAK.search(text)
        assert leak is None, (path, text[max(0, leak.start() - 60) : leak.end() + 60])


@SETTINGS
@given(files=site_files())
def test_pages_never_fail_and_never_leak_markup(files):
    check_pages(*files)
