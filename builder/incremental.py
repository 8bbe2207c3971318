"""Re-render only what a few changed events touch (``mkdocs serve``; see ``builder.serving``).

``rebuild(old_data, old_site, new_data, ...)`` returns the new ``SiteOutput``
or None when a full render is needed: articles or the registry changed, too
many events changed, or the set of entity pages, months, years or types is
not the same (every page's navigation and menus could change). Otherwise the
pages, feeds and files an event appears in are rendered again for its old
and its new version — the result equals a full ``build_site`` (the serve
test checks this).
"""

from __future__ import annotations

from builder import pages as P
from builder.entity_pages import entity_index, entity_page
from builder.exports import events_csv, events_json
from builder.feeds import feeds_for
from builder.lazydata import year_files, year_key
from builder.markup import KIND_DIRS
from builder.months import month_keys, month_pages
from builder.sitebuild import SiteOutput, _head, _redirect_file
from builder.sitectx import Ctx, build_ctx, month_key, month_path, stub_path, type_path
from builder.sitedata import SiteData, SiteEvent, year_of


def _structure(ctx: Ctx) -> tuple[object, ...]:
    types = [t for t in ctx.types() if any(e.type == t for e in ctx.visible)]
    return (ctx.slugs, month_keys(ctx), ctx.years(), types)


def _changed(old: SiteData, new: SiteData) -> list[tuple[SiteEvent | None, SiteEvent | None]]:
    before = {e.id: e for e in old.events}
    after = {e.id: e for e in new.events}
    out = []
    for ident in sorted(before.keys() | after.keys()):
        a, b = before.get(ident), after.get(ident)
        if a is None or b is None or a != b or a.raw != b.raw:
            out.append((a, b))
    return out


def rebuild(
    old: SiteData,
    old_site: SiteOutput,
    new: SiteData,
    site_url: str,
    directory_urls: bool,
    site_name: str,
    limit: int,
) -> SiteOutput | None:
    if old_site.ctx is None or (old.articles, old.companies, old.people) != (
        new.articles,
        new.companies,
        new.people,
    ):
        return None
    changed = _changed(old, new)
    if len(changed) > limit:
        return None
    ctx = build_ctx(new, site_url, directory_urls, site_name)
    if _structure(ctx) != _structure(old_site.ctx):
        return None
    versions = [ev for pair in changed for ev in pair if ev is not None]
    ids = {ev.id for ev in versions}
    months = {month_key(ev) for ev in versions}
    months |= {month_key(ev) for ev in new.events if ev.redirect_to in ids}
    stubs = [ev for ev in new.events if ev.id in ids or ev.redirect_to in ids]

    todo: dict[str, str] = {
        "index.md": P._home_page(ctx),
        "types/index.md": P._types_index(ctx),
        "years/index.md": P._years_index(ctx),
        "sources/index.md": P._sources_index(ctx),
    }
    todo |= month_pages(ctx, only=months)
    feed_pages = {"index.md"}
    for kind, folder in KIND_DIRS.items():
        todo[f"{folder}/index.md"] = entity_index(kind, ctx)
        names = {
            ctx.canon(kind, n) for ev in versions for n in (ev.people if kind == "person" else ev.companies)
        }
        for name in sorted(n for n in names if n in ctx.slugs[kind]):
            path = f"{folder}/{ctx.slugs[kind][name]}.md"
            todo[path] = entity_page(kind, name, ctx)
            feed_pages.add(path)
    for t in {ev.type for ev in versions}:
        if t in ctx.types():
            todo[type_path(t)] = P._type_page(t, ctx)
            feed_pages.add(type_path(t))
    for year in {y for ev in versions if (y := year_of(ev)) is not None}:
        todo[f"years/{year}.md"] = P._year_page(year, ctx)
    for stem in {ref.article for ev in versions for ref in ev.sources}:
        article = ctx.articles.get(stem)
        if article is not None:
            todo[f"sources/{article.slug}.md"] = P._article_page(article, ctx)

    files = dict(old_site.files)
    files |= feeds_for(feed_pages, ctx)
    files |= {"events.json": events_json(new), "events.csv": events_csv(new, ctx)}
    stale = {f"timeline/data/{year_key(ev)}.json" for ev in versions}
    for path in stale:
        files.pop(path, None)
    files |= year_files(ctx, only={year_key(ev) for ev in versions})
    for ev in changed:
        if ev[0] is not None and ev[1] is None:
            files.pop(stub_path(ev[0], directory_urls), None)
    files |= {stub_path(ev, directory_urls): _redirect_file(ev, ctx) for ev in stubs}
    head = dict(old_site.head)
    for key in months:
        head.pop(month_path(key), None)
    head |= _head(ctx, months)
    pages = {**old_site.pages, **todo}
    return SiteOutput(
        pages=dict(sorted(pages.items())),
        files=dict(sorted(files.items())),
        head=dict(sorted(head.items())),
        ctx=ctx,
    )
