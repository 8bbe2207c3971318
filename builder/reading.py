"""Reading stage: files on disk -> ``Article`` values.

Finds article files (.txt, .md, .html/.htm) under the given paths, decodes
them, reads optional front matter or a ``NAME.meta.yaml`` sidecar, turns
saved web pages into text, drops boilerplate lines and settles the
publication date (printed, given, or inferred from the text).

Every problem with one file raises ``ReadError`` naming the file (and the
line, when there is one) and saying what is wrong; nothing else escapes
``read_article``. Limits (docs/reliability.md): an article over
``MAX_ARTICLE_BYTES`` is refused from its size alone, before any byte of it is
read; front matter over ``MAX_FRONT_MATTER_BYTES`` and sidecars over
``MAX_SIDECAR_BYTES`` are refused too. Only regular files are read (a named
pipe called ``x.txt`` would otherwise block the scan forever).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from . import cleaning, dates, fastyaml
from .models import Article, DateValue

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
SIDECAR_SUFFIX = ".meta.yaml"
MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # documented limit (docs/how-it-works.md, docs/reliability.md)
MAX_SIDECAR_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_TITLE_CHARS = 200
MAX_STEM_BYTES = 150  # articles/<stem>.yaml and its temporary file stay far below NAME_MAX (255)
META_KEYS = ("title", "url", "published", "source")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\n\s*[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)", re.M)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNPRINTABLE_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_STEM = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f-\x9f\u2028\u2029\ufffd]|\.\.")
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # all that str.splitlines() splits on
_BREAK_CHARS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # one is in every _LINE_BREAKS match
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def _plain(text: str) -> str:
    """Every line break as '\\n' (YAML would turn a NEL into a space), other control characters removed."""
    if _BREAK_CHARS.search(text):  # a single class is found much faster than the alternation
        text = _LINE_BREAKS.sub("\n", text)
    return _CONTROLS.sub("", text)


def shown(path: str | os.PathLike[str] | bytes) -> str:
    """A path as text that is safe to print and to store in YAML: bytes that are
    not UTF-8 become U+FFFD, control characters are written as \\xNN."""
    text = os.fsdecode(path)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNPRINTABLE_PATH.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class ReadError(Exception):
    """An article that cannot be read; ``str()`` is 'path:line: reason'."""

    def __init__(self, path: str | os.PathLike[str], reason: str, line: int | None = None):
        self.path, self.reason, self.line = shown(path), reason, line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


# --------------------------------------------------------------------------- finding files


def discover(paths: Iterable[str | Path], problems: list[ReadError] | None = None) -> Iterator[Path]:
    """Article files under ``paths``, sorted within each path, each file once.

    Symlinked folders are followed, but a link back to a folder already being
    walked (a loop) is reported and not followed, and a folder reached twice is
    walked once. A path that does not exist, a loop or an unreadable folder
    raises ``ReadError``, or, when ``problems`` is given, is appended to it and
    the walk goes on.
    """

    def report(error: ReadError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    files_seen: set[tuple[int, int]] = set()
    dirs_seen: set[tuple[int, int]] = set()
    for root in paths:
        root = Path(root)
        try:
            st = root.stat()
        except OSError as e:
            missing = e.errno in (errno.ENOENT, errno.ENOTDIR)
            report(ReadError(root, "no such file or folder" if missing else f"cannot open: {_why(e)}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            found = _walk(root, dirs_seen, report)
        else:  # a file given by name is read even without an article suffix
            found = [(root, (st.st_dev, st.st_ino))]
        for path, key in sorted(found):
            if key not in files_seen:
                files_seen.add(key)
                yield path


def _walk(root: Path, dirs_seen: set[tuple[int, int]], report) -> list[tuple[Path, tuple[int, int]]]:
    """Iterative walk (deep trees cannot hit the recursion limit)."""
    out: list[tuple[Path, tuple[int, int]]] = []
    st = root.stat()
    if (st.st_dev, st.st_ino) in dirs_seen:
        return out
    dirs_seen.add((st.st_dev, st.st_ino))
    # each folder with its chain of ancestors: {(device, inode): path} from the root down
    stack: list[tuple[Path, dict[tuple[int, int], Path]]] = [(root, {(st.st_dev, st.st_ino): root})]
    while stack:
        folder, chain = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            report(ReadError(folder, f"cannot read folder: {_why(e)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(folder) / entry.name
            try:
                est = entry.stat()  # follows symlinks
            except OSError as e:
                if entry.name.lower().endswith(ARTICLE_SUFFIXES):  # a dangling link, a link loop, ...
                    report(ReadError(path, f"cannot open: {_why(e)}"))
                continue
            key = (est.st_dev, est.st_ino)
            if stat.S_ISDIR(est.st_mode):
                if key in chain:
                    report(
                        ReadError(path, f"symlink loop: it leads back to {shown(chain[key])}; not followed")
                    )
                elif key not in dirs_seen:
                    dirs_seen.add(key)
                    stack.append((path, {**chain, key: path}))
            elif entry.name.lower().endswith(ARTICLE_SUFFIXES):
                out.append((path, key))
    return out


def _why(e: OSError) -> str:
    return e.strerror or type(e).__name__


def article_stem(path: Path) -> str:
    """The article id: the file name without its extension, made path-safe.

    No separators, no '..', no control characters, no undecodable bytes, not
    starting or ending with a dot or space, at most ``MAX_STEM_BYTES`` bytes.
    """
    name = os.fsdecode(path.name).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = _UNSAFE_STEM.sub("_", stem).strip(" .")
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem.strip(" .") or "article"


# --------------------------------------------------------------------------- reading


def read_article(path: Path) -> Article:
    """Read one article file; raises ``ReadError`` (and nothing else) when it cannot be used."""
    path = Path(path)
    name = shown(path)
    data = _read_bytes(path, name, MAX_ARTICLE_BYTES, "an article")
    if not data:
        raise ReadError(name, "empty file")
    try:
        raw, _encoding = cleaning.decode(data)
    except ValueError as e:
        raise ReadError(name, str(e)) from e
    del data
    raw = _plain(raw)
    if not raw.strip():
        raise ReadError(name, "only whitespace, no text")
    meta, body, body_line = _front_matter(raw, name)
    meta = {**_sidecar(path), **meta}
    printed_meta = {}
    if path.suffix.lower() in HTML_SUFFIXES:
        try:
            body, html_meta = cleaning.html_to_text(body)
        except (ValueError, RecursionError) as e:  # the parsers' own fallbacks failed too
            raise ReadError(name, f"cannot parse the web page: {e}") from e
        if not body.strip():
            raise ReadError(name, "no readable text in the web page (only scripts, styles or markup)")
        printed_meta = html_meta
        meta = {**{k: v for k, v in html_meta.items() if k in ("title", "url") and v}, **meta}
    text = cleaning.clean(body).text
    if not text.strip():
        where = "after the front matter" if body_line > 1 else "in the file"
        raise ReadError(name, f"no article text {where}: every line is boilerplate or blank", body_line)
    published, how = _published(meta, printed_meta, body, text, name)
    return Article(
        stem=article_stem(path),
        path=name,
        text=text,
        title=_title(meta.get("title")) or _original_title(body) or _title_from_text(text),
        url=_one_line(meta.get("url")),
        source=_one_line(meta.get("source")),
        published=published,
        published_text=how,
    )


def _read_bytes(path: Path, name: str, limit: int, what: str) -> bytes:
    """At most ``limit`` bytes of a regular file; the size is checked before reading."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ReadError(name, f"cannot read: {_why(e)}") from e
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(name, "is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(name, "not a regular file (a pipe, socket or device); not read")
        if st.st_size > limit:
            raise ReadError(name, _too_big(st.st_size, limit, what))
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(st.st_size + 1)  # not read(limit + 1): that allocates the whole limit first
            if len(data) > st.st_size:  # the file grew after fstat: read on, up to the limit
                data += f.read(limit + 1 - len(data))
        if len(data) > limit:  # the file grew after fstat
            raise ReadError(name, _too_big(len(data), limit, what))
        return data
    except OSError as e:
        raise ReadError(name, f"cannot read: {_why(e)}") from e
    finally:
        os.close(fd)


def _too_big(size: int, limit: int, what: str) -> str:
    mb = 1024 * 1024
    if limit >= mb:
        return f"file is {size / mb:.1f} MB, over the {limit // mb} MB limit for {what}; not read"
    return f"file is {size:,} bytes, over the {limit:,}-byte limit for {what}; not read"


def _front_matter(raw: str, name: str) -> tuple[dict, str, int]:
    """Split an optional YAML front matter block off the text."""
    m = _FRONT_MATTER.match(raw)
    if not m:
        if _OPENING.match(raw):
            raise ReadError(name, "front matter opened with '---' is never closed by a '---' line", 1)
        return {}, raw, 1
    block = m.group(1) or ""
    if len(block.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ReadError(name, f"front matter is over {MAX_FRONT_MATTER_BYTES // 1024} KB", 1)
    meta = _load_yaml(block, name, first_line=2, what="front matter")
    return _known_keys(meta, block, name, 2), raw[m.end() :], raw[: m.end()].count("\n") + 1


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml: same values, ~15x faster


def _parse_yaml(text: str) -> object:
    """yaml.safe_load, through libyaml when it can parse the text; anything it
    refuses is parsed again by PyYAML, whose errors (and line marks) are reported."""
    fast = fastyaml.load(text if text.endswith("\n") else text + "\n")  # title/published/url lines
    if fast is not None:
        return fast
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - CSafeLoader is the safe loader
        except Exception:  # noqa: BLE001 - the pure loader below says what is wrong
            pass
    return yaml.safe_load(text)


def _load_yaml(text: str, name: str, first_line: int, what: str) -> dict:
    try:
        meta = _parse_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(e, "problem", None) or str(e).split("\n")[0]
        context, cmark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and cmark is not None and cmark is not mark:
            problem += f" ({context} started on line {first_line + cmark.line})"
        raise ReadError(name, f"{what} is not valid YAML: {problem}", line) from e
    except (ValueError, TypeError, OverflowError) as e:  # 'published: 2024-02-30': PyYAML's date fails
        line = _key_line(text, "published", first_line) or first_line
        raise ReadError(name, f"{what} holds an impossible date: {e}", line) from e
    except RecursionError as e:  # absurdly nested flow collections
        raise ReadError(name, f"{what} is nested too deeply", first_line) from e
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ReadError(name, f"{what} must be a mapping of keys (title, url, published, source)", first_line)
    return meta


def _sidecar(path: Path) -> dict:
    folder, name = os.path.split(os.fspath(path))
    side_name = os.path.join(folder, name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    try:
        if not stat.S_ISREG(os.stat(side_name).st_mode):  # one stat, no pathlib objects
            return {}
    except (OSError, ValueError):
        return {}
    side = Path(side_name)
    name = shown(side)
    data = _read_bytes(side, name, MAX_SIDECAR_BYTES, "a sidecar")
    try:
        text, _ = cleaning.decode(data)
    except ValueError as e:
        raise ReadError(name, f"sidecar is not text: {e}") from e
    text = _plain(text.lstrip("\ufeff"))
    return _known_keys(_load_yaml(text, name, first_line=1, what="sidecar"), text, name, 1)


def _key_line(text: str, key: str, first_line: int) -> int | None:
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return first_line + text.count("\n", 0, m.start()) if m else None


def _known_keys(meta: dict, text: str, name: str, first_line: int) -> dict:
    out = {}
    for k in META_KEYS:
        value = meta.get(k)
        if value is None or value == "":
            continue
        if k == "published":
            out[k] = _given_date(value, name, _key_line(text, k, first_line))
        elif isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
            out[k] = str(value)
        else:
            raise ReadError(name, f"'{k}' must be text, not {_kind(value)}", _key_line(text, k, first_line))
    return out


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def _given_date(value: object, name: str, line: int | None) -> DateValue:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DateValue(value.isoformat())
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ReadError(
            name, f"'published' is not a date but {_kind(value)} (write YYYY-MM-DD, YYYY-MM or YYYY)", line
        )
    text = str(value).strip()
    try:
        return dates.parse_iso(text[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", text) else text)
    except ValueError:
        pass
    found = dates.find_dates(text[:200], None)
    if len(found) == 1 and found[0].text.strip() == text:  # 2024年3月5日, 2024/03/05
        return found[0].date
    shown_value = text if len(text) <= 60 else text[:60] + "…"
    raise ReadError(
        name, f"'published' is not a date: {shown_value!r} (write YYYY-MM-DD, YYYY-MM or YYYY)", line
    )


def _published(
    meta: dict, printed_meta: dict, raw: str, text: str, name: str
) -> tuple[DateValue | None, str]:
    given = meta.get("published")
    if given is not None:
        return given, "given"
    page_date = printed_meta.get("date")
    if page_date:
        try:
            return dates.parse_iso(str(page_date)[:10]), "page metadata"
        except ValueError:
            pass
    printed = dates.find_published(raw)
    if printed:
        return printed[0], printed[1]
    inferred = dates.infer_published(_distinct_lines(text))
    return inferred, "inferred" if inferred else ""


def _distinct_lines(text: str) -> str:
    """The text with repeated lines dropped (the inferred date only depends on which
    dates occur, and a 100,000-line dump of one sentence then costs one line)."""
    return "\n".join(dict.fromkeys(text.split("\n")))


def _one_line(value: object) -> str:
    if value is None:
        return ""
    return _SPACES.sub(" ", _UNPRINTABLE.sub(" ", str(value))).strip()


def _title(value: object) -> str:
    title = _one_line(value)
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "…"


_ORIGINAL_TITLE = re.compile(r"^\s*原标题\s*[:：]\s*(\S.{1,80}?)\s*$", re.M)


def _original_title(body: str) -> str:
    """A repost's 原标题：X line (dropped as boilerplate) names the article."""
    if "原标题" not in body:
        return ""
    m = _ORIGINAL_TITLE.search(body)
    return _title(m.group(1)) if m else ""


def _title_from_text(text: str) -> str:
    first = _one_line(next((line for line in text.split("\n") if line.strip()), ""))
    if len(first) <= 40 and not re.search(r"[。！？]$", first):
        return first
    return first if len(first) <= 30 else first[:30] + "…"
