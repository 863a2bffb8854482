"""Feeds: the corrections log as Atom feeds, one for the whole site and one per initiative.

Every entry is a history entry of a finding (``dataset.corrections``). The feeds
are deterministic: an entry's date is the history entry's, a feed's ``updated``
is its newest entry's, and ids are derived from the finding id and the entry's
index in the finding's append-only history, so they never change. Links are
relative to the feed's own address, like every link of the site, so the feeds
hold wherever the site is served. feedgen writes the XML (and escapes it); the
text is sent as ``type="text"``, so a reader never takes it for markup.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from .dataset import Dataset, corrections, finding_id
from .github import ref_url
from .model import Initiative
from .urls import relative_url

SITE_FEED = "data/feeds/corrections.xml"
# Per initiative, in a folder of their own: no initiative id can replace the site's feed.
INITIATIVE_FEEDS = "data/feeds/initiatives"
# Ids are name-based UUIDs in this namespace: the same finding and index, the same id.
# Never change it: every reader would see every correction again as new.
_NAMESPACE = uuid.UUID("46a85cfa-960e-418d-90df-565c328a62d4")
# What XML 1.0 cannot hold; the model already refuses all of it, this keeps the feed valid regardless.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# The theme takes every <link rel="alternate"> in a page's head, the feeds' included, for
# a version of the site in another language, and asks for the sitemap.xml beside it
# (Zensical too: its issue 908). An empty sitemap in each feed folder answers, instead of a 404.
EMPTY_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Empty on purpose: the site's theme asks for a sitemap beside each feed a page links to. -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>
"""


def initiative_feed(initiative: Initiative) -> str:
    return f"{INITIATIVE_FEEDS}/{initiative.id}.xml"


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _day(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)


def _feed(
    ds: Dataset, path: str, title: str, page: str, scope: list[Initiative], entries: list, repository: str, version: str
):
    """The Atom feed at ``path`` of ``entries`` (corrections to the findings of ``scope``), linked to ``page``."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, path)}")
    fg.title(_text(title))
    fg.subtitle("Every correction made to a finding since it was first published, newest first.")
    fg.link(href=relative_url(path, page), rel="alternate", type="text/html")
    fg.link(href=path.rsplit("/", 1)[-1], rel="self", type="application/atom+xml")
    fg.author({"name": "The findings' curators", **({"uri": repository} if repository else {})})
    fg.language("en")
    fg.rights("Data CC BY 4.0")
    fg.generator("findings generate", version=version)
    # The newest correction; a feed with none yet is as new as the newest check of its findings.
    dates = [h.date for h, _, _ in entries] or [f.as_of for i in scope for f in i.findings]
    fg.updated(_day(max(dates, default=max(v.date for v in ds.paper.versions))))
    for h, ini, f in entries:
        ident = finding_id(ini, f)
        number = next(n for n, entry in enumerate(f.history) if entry is h)  # its place in the history
        reference = ref_url(repository, h.ref) if repository or not h.ref.startswith("#") else h.ref
        entry = fg.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{ident}/history/{number}')}")
        entry.title(_text(f"{ident}: {h.field.value} {h.before} → {h.after}"))
        # One link, the finding (Atom's default rel is alternate): feedgen 1.0 writes only the href
        # of an entry's links (python-feedgen issue 135), so a second one would be a second alternate.
        entry.link(href=relative_url(path, f"initiatives/{ini.id}.md", f.dimension))
        entry.published(_day(h.date))
        entry.updated(_day(h.date))
        entry.category(term=h.field.value)
        entry.content(_text(f"{h.reason} ({reference})"), type="text")
    return fg.atom_str(pretty=True, encoding="UTF-8").decode("utf-8")


def feed_files(ds: Dataset, repository: str, version: str) -> dict[str, str]:
    """The Atom feeds, by their path under docs/: the whole site's, one per initiative (and empty sitemaps)."""
    log = corrections(ds)  # newest first
    own: dict[str, list] = {}
    for entry in log:
        own.setdefault(entry[1].id, []).append(entry)
    every = ("Corrections to the findings", "changes.md", ds.initiatives, log)
    files = {SITE_FEED: _feed(ds, SITE_FEED, *every, repository, version)}
    for ini in ds.initiatives:
        one = (f"Corrections: {ini.name}", f"initiatives/{ini.id}.md", [ini], own.get(ini.id, []))
        files[initiative_feed(ini)] = _feed(ds, initiative_feed(ini), *one, repository, version)
    for folder in {path.rsplit("/", 1)[0] for path in files}:
        files[f"{folder}/sitemap.xml"] = EMPTY_SITEMAP
    return files
