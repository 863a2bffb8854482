"""The whole site, built from the real data with `mkdocs build --strict`: nothing lost, nothing foreign."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from conftest import FINDINGS, ROOT
from generator.check import check_folder, finding_id
from generator.links import check_site
from generator.matrix import lens_groups
from generator.model import STATUS_LEGEND, Status
from generator.pipeline import mkdocs_setting


@pytest.fixture(scope="module")
def ds():
    return check_folder(FINDINGS)


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    return real_site


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_page_and_export_exists(site, ds):
    pages = ["", "matrix", "summary", "initiatives", "dimensions", "sources", "methodology", "about", "contributing"]
    pages += [f"initiatives/{i.id}" for i in ds.initiatives] + [f"dimensions/{d.id}" for d in ds.dimensions]
    missing = [p for p in pages if not (site / p / "index.html").is_file()]
    assert missing == []
    for export in ("data/findings.json", "data/findings.csv", "data/matrix.csv", "data/sources.csv",
                   "schema/initiative.schema.json", "schema/dimensions.schema.json"):
        assert (site / export).is_file(), export


def test_every_finding_is_on_its_initiative_page_dimension_page_and_matrix(site, ds):
    matrix = page(site, "matrix")
    for ini in ds.initiatives:
        ini_page = page(site, f"initiatives/{ini.id}")
        for f in ini.findings:
            assert f'id="{f.dimension}"' in ini_page
            assert f"<code>{finding_id(ini, f)}</code>" in ini_page
            for e in f.evidence:
                assert str(escape(e.quote)) in ini_page, (finding_id(ini, f), e.quote)
            dim_page = page(site, f"dimensions/{f.dimension}")
            row = dim_page.split(f'<tr id="{ini.id}">', 1)[1].split("</tr>", 1)[0]
            assert f"status--{ds.status(ini, f).value}" in row
            assert f'href="../../initiatives/{ini.id}/#{f.dimension}"' in row
            assert f'href="../initiatives/{ini.id}/#{f.dimension}"' in matrix


def test_exports_agree_with_the_data(site, ds):
    data = json.loads((site / "data/findings.json").read_text(encoding="utf-8"))
    expected = {finding_id(i, f): ds.status(i, f).value for i in ds.initiatives for f in i.findings}
    assert {f["id"]: f["latest"]["status"] for i in data["initiatives"] for f in i["findings"]} == expected
    rows = list(csv.DictReader(io.StringIO((site / "data/findings.csv").read_text(encoding="utf-8"))))
    assert {r["id"]: r["status"] for r in rows} == expected
    matrix = list(csv.DictReader(io.StringIO((site / "data/matrix.csv").read_text(encoding="utf-8"))))
    assert {f"{r['initiative']}/{d}": r[d] for r in matrix for d in r if d != "initiative"} == expected


def test_matrix_cells_show_the_latest_reading_and_the_best_where_it_differs(site, ds):
    matrix = page(site, "matrix")
    by_initiative = matrix.split('<table class="matrix" data-matrix', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="cell cell--([a-z-]+)[^"]*"[^>]*data-initiative="([a-z0-9-]+)"[^>]*>(.*?)</td>',
                       by_initiative, re.S)
    assert len(cells) == len(ds.initiatives) * len(ds.dimensions)
    for status, ident, body in cells:
        dimension = re.search(r'#([a-z0-9-]+)"', body).group(1)
        ini = next(i for i in ds.initiatives if i.id == ident)
        found = ds.readings(ini, next(f for f in ini.findings if f.dimension == dimension))
        assert status == found.latest.status.value, (ident, dimension)
        if found.differ:
            best = re.search(r'cell__best cell__best--([a-z-]+)".*?<small>(\d\d)</small>', body)
            assert best and best.groups() == (found.best.status.value, found.best.source.published.strftime("%y"))
            assert f"best {STATUS_LEGEND[found.best.status][1]} in {found.best.source.published.year}" in body
        else:
            assert "cell__best" not in body, (ident, dimension)
        # the detail a click opens is in the page, with both readings in words
        detail = matrix.split(f'id="detail-{ident}-{dimension}"', 1)[1].split('<div class="cell-detail"', 1)[0]
        assert f"status--{found.latest.status.value}" in detail and "The full finding" in detail


def test_matrix_totals_count_the_latest_readings(site, ds):
    matrix = page(site, "matrix")
    by_initiative = matrix.split('<table class="matrix" data-matrix', 1)[1].split("</table>", 1)[0]
    for ini in ds.initiatives:
        row = by_initiative.split(f'<tr data-initiative="{ini.id}"', 1)[1].split("</tr>", 1)[0]
        totals = dict(re.findall(r'total--([a-z-]+)" title="[^"]*: (\d+)"', row))
        expected = {}
        for f in ini.findings:
            key = ds.readings(ini, f).latest.status.value
            expected[key] = str(int(expected.get(key, "0")) + 1)
        assert totals == expected, ini.id


def test_no_page_loads_anything_from_another_host(site):
    loads = re.compile(r'<(?:script|img|iframe|source|audio|video)\b[^>]*\ssrc="(https?:)?//'
                       r'|<link\b[^>]*\shref="(https?:)?//[^"]*"[^>]*>', re.I)
    offenders = {}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found = [m.group(0) for m in loads.finditer(text) if "canonical" not in m.group(0)]
        if found:
            offenders[str(path.relative_to(site))] = found[:3]
    assert offenders == {}
    for css in site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text(encoding="utf-8")), css


def test_inventory_marks_the_window_and_why_a_document_was_not_audited(site, ds):
    sources = page(site, "sources")
    for ini in ds.initiatives:
        for s in ini.sources:
            item = sources.split(f'<li id="{s.id}">', 1)[1].split("</li>", 1)[0]
            assert ('"after-paper">before the window<' in item) == (s.published < ds.window.start), s.id
            assert ('"after-paper">after the window<' in item) == (s.published > ds.window.end), s.id
            assert f"audit--{s.audit.value}" in item, s.id
            if s.not_audited:
                assert str(escape(s.not_audited)) in item, s.id


def test_no_broken_link_or_anchor_anywhere(site):
    base = urlsplit(mkdocs_setting(ROOT / "mkdocs.yml", "site_url")).path
    broken, outside = check_site(site, base)
    assert [str(b) for b in broken] == []
    assert outside, "evidence links to the documents are outside links"


def test_initiatives_index_counts_agree_with_the_data(site, ds):
    index = page(site, "initiatives")
    for ini in ds.initiatives:
        row = index.split(f'<a href="{ini.id}/">', 1)[1].split("</tr>", 1)[0]
        cells = [int(c) for c in re.findall(r"<td>(\d+)</td>", row)]
        expected = [sum(ds.status(ini, f) is s for f in ini.findings) for s in Status]
        assert cells == [len(ini.sources), *expected], ini.id


def test_home_counts_agree_with_the_data(site, ds):
    home = page(site, "")
    lens_of = {d.id: d.lens for d in ds.dimensions}
    for ini in ds.initiatives:
        row = home.split(f'<a href="initiatives/{ini.id}/">', 1)[1].split("</tr>", 1)[0]
        cells = row.split("<td>")[1:]
        for cell, (lens, _, _) in zip(cells, lens_groups(ds), strict=True):
            shown = {s: int(n) for s, n in re.findall(r'status--([a-z-]+)".*?</span> [A-Za-z ]+</span> (\d+)</span>', cell)}
            expected = {}
            for f in ini.findings:
                if lens_of[f.dimension] is lens:
                    status = ds.status(ini, f).value
                    expected[status] = expected.get(status, 0) + 1
            assert shown == expected, (ini.id, lens)


def test_documents_over_time_show_each_documents_status(site, ds):
    from generator.model import Audit

    columns = [d.id for _, _, dims in lens_groups(ds) for d in dims]
    for ini in ds.initiatives:
        table = page(site, f"initiatives/{ini.id}").split('id="documents"', 1)[1]
        listed = {(f.dimension, e.source): e.status.value for f in ini.findings for e in f.by_source}
        for f in ini.findings:
            for source in ini.sources:
                if source.audit is Audit.not_audited:
                    assert f'<a href="../../sources/#{source.id}">' not in table
                    continue
                row = table.split(f'<a href="../../sources/#{source.id}">', 1)[1].split("</tr>", 1)[0]
                cells = re.findall(r'<td><span class="status status--([a-z-]+)"', row)
                silent = "not-disclosed" if source.audit is Audit.full else "none"
                assert cells[columns.index(f.dimension)] == listed.get((f.dimension, source.id), silent), \
                    (ini.id, f.dimension, source.id)


# --- open data: the data package, the records, links into the documents ---------------------


def test_the_data_package_validates_and_its_tables_agree_with_the_data(site, ds):
    import frictionless

    report = frictionless.validate(str(site / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    tables = {
        name: list(csv.DictReader(io.StringIO((site / f"data/{name}.csv").read_text(encoding="utf-8"))))
        for name in ("findings", "evidence", "records", "sources", "dimensions")
    }
    findings = [(i, f) for i in ds.initiatives for f in i.findings]
    assert [r["id"] for r in tables["findings"]] == [finding_id(i, f) for i, f in findings]
    assert len(tables["evidence"]) == sum(len(f.evidence) for _, f in findings)
    assert len(tables["records"]) == sum(len(f.by_source) for _, f in findings)
    assert len(tables["sources"]) == sum(len(i.sources) for i in ds.initiatives)
    assert [r["id"] for r in tables["dimensions"]] == [d.id for d in ds.dimensions]


def test_every_finding_and_initiative_has_a_record_at_a_stable_address(site, ds):
    for ini in ds.initiatives:
        whole = json.loads((site / f"data/initiatives/{ini.id}.json").read_text(encoding="utf-8"))
        assert whole["id"] == ini.id and len(whole["findings"]) == len(ini.findings)
        page = (site / f"initiatives/{ini.id}/index.html").read_text(encoding="utf-8")
        assert f'href="../../data/initiatives/{ini.id}.json"' in page
        for f in ini.findings:
            record = json.loads((site / f"data/findings/{ini.id}/{f.dimension}.json").read_text(encoding="utf-8"))
            found = ds.readings(ini, f)
            assert record["id"] == finding_id(ini, f) and record["format"] == 1
            assert record["latest"]["status"] == found.latest.status.value
            assert [e["quote"] for e in record["evidence"]] == [e.quote for e in f.evidence]
            assert f'href="../../data/findings/{ini.id}/{f.dimension}.json"' in page


def test_evidence_links_lead_into_the_document(site, ds):
    from generator.deeplinks import page_number

    sources = ds.sources()
    rows = list(csv.DictReader(io.StringIO((site / "data/evidence.csv").read_text(encoding="utf-8"))))
    by_page = [r for r in rows if sources[r["source"]][1].arxiv and page_number(r["locator"])]
    assert by_page, "some quotes in arXiv papers name their page"
    for r in by_page:
        assert r["link"].startswith(f"https://arxiv.org/pdf/{sources[r['source']][1].arxiv}")
        assert r["link"].endswith(f"#page={page_number(r['locator'])}")
    web = [r for r in rows if sources[r["source"]][1].kind.value == "blog"]
    assert web and all("#:~:text=" in r["link"] for r in web)
    page = (site / "initiatives/meta-llama/index.html").read_text(encoding="utf-8")
    assert "#:~:text=" in page or "#page=" in page


def test_each_source_lists_the_findings_that_cite_it(site, ds):
    sources_page = (site / "sources/index.html").read_text(encoding="utf-8")
    for ini in ds.initiatives:
        for source in ini.sources:
            entry = sources_page.split(f'<li id="{source.id}">', 1)[1].split("</li>", 1)[0]
            citing = [f for f in ini.findings if any(e.source == source.id for e in f.evidence)]
            if citing:
                assert "Cited by:" in entry
                for f in citing:
                    assert f'href="../initiatives/{ini.id}/#{f.dimension}"' in entry, (source.id, f.dimension)
            else:
                assert "Cited by:" not in entry


def test_every_page_describes_itself_for_search_engines_and_link_previews(site, ds):
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        for tag in ('name="description"', 'property="og:title"', 'property="og:description"', 'property="og:url"'):
            assert re.search(rf'<meta {tag} content="[^"]+"', html), (path, tag)
    for ini in ds.initiatives:
        html = (site / f"initiatives/{ini.id}/index.html").read_text(encoding="utf-8")
        assert f'<meta property="og:title" content="{ini.name} - ' in html
        assert re.search(rf'<meta name="description" content="What the documents of {ini.name} disclose', html)
