"""``timeline eval``: measure event files against hand-checked gold events.

Matching (the same rules as the project's seed judge): a gold event and a
predicted event match when their type families agree (departure and hire are
one family), the prediction cites one of the gold event's articles, their
parties overlap (people when the gold names people, else companies; names are
compared through the gold file's alias table, longer names may contain the
shorter one) and, when both have dates, the years agree. Each gold event takes
at most one prediction, best first; further matches are duplicates. Gold
events marked ``required: false`` neither reward nor penalise.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .merging import family


def _norm(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(name)).lower().split())


class NameTable:
    def __init__(self, aliases: dict | None):
        self.key: dict[str, str] = {}
        for canon, alts in (aliases or {}).items():
            for a in [canon, *(alts or [])]:
                self.key.setdefault(_norm(a), _norm(canon))

    def same(self, a: str, b: str) -> bool:
        x, y = self.key.get(_norm(a), _norm(a)), self.key.get(_norm(b), _norm(b))
        short, long_ = sorted((x, y), key=len)
        return x == y or (len(short) >= 2 and short in long_)

    def hits(self, xs: list[str], ys: list[str]) -> int:
        return sum(any(self.same(x, y) for y in ys) for x in xs)


@dataclass
class Prediction:
    file: str
    type: str
    date: str | None
    people: list[str]
    companies: list[str]
    articles: set[str]


@dataclass
class Result:
    figures: dict[str, float | int | None] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_dates: list[str] = field(default_factory=list)


def _article_id(a: object) -> str:
    s = str(a).strip().replace("\\", "/").rsplit("/", 1)[-1]
    for ext in (".txt", ".md", ".html", ".htm"):
        if s.lower().endswith(ext):
            return s[: -len(ext)]
    return s


def _names(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str | int | float):
        return [str(v)]
    return [str(x.get("name") if isinstance(x, dict) else x) for x in v if str(x).strip()]


def _date(v: object) -> str | None:
    if v in (None, ""):
        return None
    return v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v).strip() or None


def load_predictions(folder: Path) -> list[Prediction]:
    out = []
    for f in sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")):
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(doc, dict) or "type" not in doc:
            continue
        srcs = doc.get("sources") or []
        arts = {
            _article_id(s["article"] if isinstance(s, dict) else s)
            for s in (srcs if isinstance(srcs, list) else [srcs])
            if (isinstance(s, dict) and s.get("article")) or isinstance(s, str)
        }
        out.append(
            Prediction(
                str(f.relative_to(folder)),
                str(doc.get("type", "")).strip(),
                _date(doc.get("date")),
                _names(doc.get("people")),
                _names(doc.get("companies")),
                arts,
            )
        )
    return out


def _goodness(g: dict, p: Prediction, names: NameTable):
    if family(g["type"]) != family(p.type) or not set(g["articles"]) & p.articles:
        return None
    gp, gc = g.get("people") or [], g.get("companies") or []
    po, co = names.hits(gp, p.people), names.hits(gc, p.companies)
    if (gp and not po) or (not gp and gc and not co):
        return None
    gd = _date(g.get("date"))
    if gd and p.date and gd[:4] != p.date[:4]:
        return None
    return (po, co, bool(gd and p.date and p.date.startswith(gd)), g["type"] == p.type)


def evaluate(gold_file: Path, events: Path) -> Result:
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    return score(gold, load_predictions(events))


def score(gold: dict, preds: list[Prediction]) -> Result:
    names, gev = NameTable(gold.get("aliases")), gold["events"]
    scope = set(gold.get("articles") or {}) or {a for g in gev for a in g["articles"]}
    preds = [p for p in preds if p.articles & scope]
    pairs = sorted(
        (
            (s, g.get("required", True), pi, gi)
            for pi, p in enumerate(preds)
            for gi, g in enumerate(gev)
            if (s := _goodness(g, p, names)) is not None
        ),
        key=lambda x: (x[1], x[0]),
        reverse=True,
    )
    gold_of, pred_of = {}, {}
    for _, _, pi, gi in pairs:
        if pi not in gold_of and gi not in pred_of:
            gold_of[pi], pred_of[gi] = gi, pi
    also: dict[int, list[int]] = {}
    dups, fps = 0, []
    for pi in range(len(preds)):
        if pi in gold_of:
            continue
        cands = [gi for _, _, qi, gi in pairs if qi == pi]
        if cands:
            dups += 1
            also.setdefault(cands[0], []).append(pi)
        else:
            fps.append(pi)
    return _figures(gev, preds, pred_of, also, dups, fps, names)


def _figures(gev, preds, pred_of, also, dups, fps, names) -> Result:
    req = [gi for gi, g in enumerate(gev) if g.get("required", True)]
    tp = [gi for gi in req if gi in pred_of]
    prec = len(tp) / (len(tp) + len(fps)) if tp or fps else 0.0
    rec = len(tp) / len(req) if req else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    r = Result()
    date_ok = party_hit = party_all = src_hit = src_all = 0
    for gi in tp:
        g, p = gev[gi], preds[pred_of[gi]]
        gd = _date(g.get("date"))
        ok = gd is None or bool(p.date and p.date.startswith(gd))
        date_ok += ok
        if not ok:
            r.wrong_dates.append(f"{g['id']} gold {gd} got {p.date}")
        group = [p] + [preds[q] for q in also.get(gi, [])]
        for key in ("people", "companies"):
            pool = [x for q in group for x in getattr(q, key)]
            for name in g.get(key) or []:
                party_all += 1
                party_hit += names.hits([name], pool) > 0
        arts = set().union(*(q.articles for q in group))
        src_all += len(g["articles"])
        src_hit += len(set(g["articles"]) & arts)
    ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    r.figures = {
        "gold_required": len(req),
        "predicted": len(preds),
        "true_pos": len(tp),
        "false_pos": len(fps),
        "duplicates": dups,
        "precision": round(prec, 3),
        "recall": round(rec, 3),
        "f1": round(f1, 3),
        "date_exact": ratio(date_ok, len(tp)),
        "party_recall": ratio(party_hit, party_all),
        "source_recall": ratio(src_hit, src_all),
    }
    r.missed = [
        f"{gev[gi]['id']} {gev[gi]['type']} {gev[gi].get('date')} "
        f"{'/'.join(gev[gi].get('people') or gev[gi].get('companies') or [])}"
        for gi in req
        if gi not in pred_of
    ]
    r.false_positives = [
        f"{preds[pi].file} {preds[pi].type} {preds[pi].date} "
        f"{'/'.join(preds[pi].people or preds[pi].companies)}"
        for pi in fps
    ]
    return r


def format_report(r: Result, verbose: bool = False) -> str:
    lines = []
    if verbose:
        lines += [f"missed: {x}" for x in r.missed] + [f"false_positive: {x}" for x in r.false_positives]
        lines += [f"wrong_date: {x}" for x in r.wrong_dates]
    f = r.figures
    lines.append(
        f"duplicates={f['duplicates']} date_exact={f['date_exact']} party_recall={f['party_recall']} "
        f"source_recall={f['source_recall']}"
    )
    lines.append(
        f"score: F1={f['f1']} P={f['precision']} R={f['recall']} "
        f"(tp={f['true_pos']} fp={f['false_pos']} gold={f['gold_required']})"
    )
    return "\n".join(lines)
