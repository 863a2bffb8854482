"""The Atom feeds of corrections: one entry per history entry, stable, valid XML whatever the data says."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import MINI, build_site, edit, run_findings
from generator.check import check_folder
from generator.dataset import Dataset, finding_id
from generator.feeds import EMPTY_SITEMAP, SITE_FEED, feed_files, initiative_feed
from generator.problems import InvalidData

ATOM = "{http://www.w3.org/2005/Atom}"
REPOSITORY = "https://github.com/example/findings"
BASE = "https://example.org/findings/"  # wherever the site is served: the feeds' links are relative
YAML = "initiatives/alibaba-qwen.yaml"


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def history(ds: Dataset, initiatives=None) -> list[tuple[str, int]]:
    return [
        (finding_id(i, f), n)
        for i in ds.initiatives
        if initiatives is None or i.id in initiatives
        for f in i.findings
        for n in range(len(f.history))
    ]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return check_folder(MINI)


@pytest.fixture(scope="module")
def feeds(ds) -> dict[str, str]:
    return feed_files(ds, REPOSITORY, "0.1.0")


def test_one_feed_for_the_site_and_one_per_initiative(ds, feeds):
    paths = [SITE_FEED] + [initiative_feed(i) for i in ds.initiatives]
    # With an empty sitemap in each feed folder: the theme asks for one beside every feed a page links to.
    sitemaps = sorted({p.rsplit("/", 1)[0] + "/sitemap.xml" for p in paths})
    assert sorted(feeds) == sorted(paths + sitemaps)
    assert all(path.startswith("data/") for path in feeds)  # inside the generated data area
    for sitemap in sitemaps:
        assert ET.fromstring(feeds[sitemap].encode()).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        assert feeds[sitemap] == EMPTY_SITEMAP


def test_one_entry_per_history_entry_linking_to_its_finding(ds, feeds):
    for path, scope in [(SITE_FEED, None)] + [(initiative_feed(i), {i.id}) for i in ds.initiatives]:
        root = parse(feeds[path])
        expected = history(ds, scope)
        found = entries(root)
        assert len(found) == len(expected) > 0, path
        by_id = {}
        for i in ds.initiatives:
            for f in i.findings:
                for h in f.history:
                    by_id.setdefault(finding_id(i, f), []).append(h)
        for entry in found:
            ident = entry.findtext(f"{ATOM}title").split(":", 1)[0]
            (link,) = entry.findall(f"{ATOM}link")  # the one link: rel defaults to alternate
            assert link.get("rel") in (None, "alternate")
            initiative, dimension = ident.split("/")
            assert urljoin(BASE + path, link.get("href")) == f"{BASE}initiatives/{initiative}/#{dimension}"
            day = entry.findtext(f"{ATOM}updated")[:10]
            assert day == entry.findtext(f"{ATOM}published")[:10]
            assert day in {h.date.isoformat() for h in by_id[ident]}
        dates = [e.findtext(f"{ATOM}updated") for e in found]
        assert root.findtext(f"{ATOM}updated") == max(dates), "the feed is as new as its newest entry"
        assert dates == sorted(dates, reverse=True), "newest first"
        (alternate,) = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
        page = "changes/" if path == SITE_FEED else f"initiatives/{path.rsplit('/', 1)[-1][:-4]}/"
        assert urljoin(BASE + path, alternate.get("href")) == BASE + page
        (self_link,) = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
        assert urljoin(BASE + path, self_link.get("href")) == BASE + path


def test_ids_are_stable_and_a_new_correction_changes_no_other(mini, feeds):
    def ids(text):
        return [e.findtext(f"{ATOM}id") for e in entries(parse(text))]

    before = ids(feeds[SITE_FEED])
    assert len(set(before)) == len(before)
    assert all(i.startswith("urn:uuid:") for i in before)
    assert feed_files(check_folder(MINI), REPOSITORY, "0.1.0") == feeds  # deterministic
    # A correction appended to the last finding's history: one new entry, the others keep their ids.
    text = (mini / YAML).read_text(encoding="utf-8")
    assert text.endswith("  as_of: 2026-11-28\n") and "history" not in text.rsplit("- dimension:", 1)[1]
    text += (
        "  history:\n  - date: 2026-12-01\n    field: summary\n    before: mentions\n    after: mention\n"
        "    reason: Grammar.\n    ref: '#3'\n"
    )
    (mini / YAML).write_text(text, encoding="utf-8")
    after = ids(feed_files(check_folder(mini), REPOSITORY, "0.1.0")[SITE_FEED])
    assert len(after) == len(before) + 1 and set(before) < set(after)


def test_text_from_the_data_is_text_in_the_feed(mini):
    """A reason holding markup, an entity and a CDATA end is escaped by feedgen and sent as type="text"."""
    hostile = "<script>alert(1)</script> & &amp; ]]> \"'"
    edit(
        mini / YAML,
        "reason: The Qwen2.5 report mentions human review of preference data (test fixture).",
        f"reason: '{hostile.replace(chr(39), chr(39) * 2)}'",
    )
    feeds = feed_files(check_folder(mini), REPOSITORY, "0.1.0")
    for path in (SITE_FEED, initiative_feed(check_folder(mini).initiatives[0])):
        assert "<script>" not in feeds[path]
        contents = [e.find(f"{ATOM}content") for e in entries(parse(feeds[path]))]
        assert {c.get("type") for c in contents} == {"text"}
        assert f"{hostile} ({REPOSITORY}/issues/1)" in [c.text for c in contents]


def test_a_control_character_never_reaches_the_feed(mini, ds):
    # The model refuses it in the data...
    edit(
        mini / YAML,
        "reason: The Qwen2.5 report mentions human review of preference data (test fixture).",
        'reason: "The Qwen2.5 report\\x01 mentions human review."',
    )
    with pytest.raises(InvalidData) as refused:
        check_folder(mini)
    assert "control character U+0001" in refused.value.report()
    # ...and were one to get past it, the feed would still be well-formed XML.
    (ini,) = ds.initiatives
    findings = []
    for f in ini.findings:
        entries_ = [h.model_copy(update={"reason": h.reason + "\x01\x0b\ufffe"}) for h in f.history]
        findings.append(f.model_copy(update={"history": entries_}))
    forged = Dataset(ds.paper, ds.dimensions, [ini.model_copy(update={"findings": findings})], ds.synthesis)
    root = parse(feed_files(forged, REPOSITORY, "0.1.0")[SITE_FEED])
    assert all(e.find(f"{ATOM}content").text.count("\ufffd") == 3 for e in entries(root))


# --- the built site links to the feeds ---------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("project")
    result = build_site(MINI, work)
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "site"


FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')


def _target(site: Path, page: Path, href: str) -> Path:
    return Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), href)))


def test_every_page_links_to_the_site_feed_in_its_head(site, ds):
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 5
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        links = FEED_LINK.findall(head)
        assert ("Corrections to the findings", links[0][1]) == links[0], page
        assert _target(site, page, links[0][1]) == site / SITE_FEED, page
        initiative = page.parent.name if page.parent.parent.name == "initiatives" else None
        if initiative in {i.id for i in ds.initiatives}:
            name = next(i.name for i in ds.initiatives if i.id == initiative)
            assert links[1][0] == f"Corrections: {name}"
            assert _target(site, page, links[1][1]) == site / f"data/feeds/initiatives/{initiative}.xml"
        else:
            assert len(links) == 1, page


def test_the_built_feeds_parse_and_their_links_land_on_the_findings(site, ds):
    for path in [SITE_FEED] + [initiative_feed(i) for i in ds.initiatives]:
        feed = site / path
        root = parse(feed.read_text(encoding="utf-8"))
        assert len(entries(root)) == len(history(ds, None if path == SITE_FEED else {path.rsplit("/", 1)[1][:-4]}))
        for entry in entries(root):
            href = entry.find(f"{ATOM}link").get("href")
            parts = urlsplit(href)
            page = _target(site, feed, parts.path) / "index.html"
            assert page.is_file(), href
            assert f'id="{parts.fragment}"' in page.read_text(encoding="utf-8"), href


def test_the_changes_page_links_to_every_feed(site, ds):
    changes = site / "changes" / "index.html"
    html = changes.read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]+\.xml)" type="application/atom\+xml">', html)
    targets = [_target(site, changes, h) for h in hrefs]
    assert targets == [site / SITE_FEED] + [site / initiative_feed(i) for i in ds.initiatives]


def test_the_links_check_stays_clean(site):
    result = run_findings("links", "--site", site)
    assert result.returncode == 0, result.stdout + result.stderr
