"""The home page's charts, from the real findings: what they draw is what the data says.

The figures are checked against the data computed another way (the matrix counts, the
readings, the per-document records), and the geometry against what a reader sees: bars
as long as the questions, marks in date order that never overlap, each inside the chart.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import FINDINGS, MINI, edit
from generator.charts import STACK, WIDTH, home_charts
from generator.check import check_folder
from generator.matrix import lens_groups, status_counts
from generator.model import Audit, Lens, Status
from generator.readings import RANK
from generator.render import render_pages


@pytest.fixture(scope="module")
def ds():
    return check_folder(FINDINGS)


@pytest.fixture(scope="module")
def charts(ds):
    return home_charts(ds)


@pytest.fixture(scope="module")
def home(ds) -> str:
    return render_pages(ds, "https://github.com/example/findings", "test")["index.md"]


def _statuses_read(ini, finding, source, window_end):
    """One document's status for one finding, from the record: listed, silent (full audit), or not assessed."""
    listed = {e.source: e.status for e in finding.by_source}
    if source.id in listed:
        return listed[source.id]
    if source.audit is Audit.full and source.published <= window_end:
        return Status.not_disclosed
    return None


def test_each_bar_has_the_matrix_counts_of_its_initiative(ds, charts):
    counts = status_counts(ds)
    bars = charts.bars
    assert sorted(b.initiative.id for b in bars.bars) == sorted(i.id for i in ds.initiatives)
    for bar in bars.bars:
        assert {s.status: s.count for s in bar.segments} == {
            s: int(counts.loc[bar.initiative.id, s]) for s in Status if counts.loc[bar.initiative.id, s]
        }
        assert sum(s.count for s in bar.segments) == len(ds.dimensions) == bars.questions


def test_the_bars_use_the_latest_reading(ds, charts):
    for bar in charts.bars.bars:
        ini = bar.initiative
        latest = [ds.status(ini, ds.finding(ini, d)) for d in ds.dimensions]
        assert bar.counts == {s: latest.count(s) for s in Status}


def test_bars_are_as_long_as_their_counts_and_stay_in_the_chart(charts):
    unit = WIDTH / charts.bars.questions
    for bar in charts.bars.bars:
        segments = bar.segments
        assert [s.status for s in segments] == [s for s in STACK if s in {x.status for x in segments}]
        for seg in segments:
            assert seg.width == pytest.approx(seg.count * unit, abs=2.01)
        for left, right in zip(segments, segments[1:], strict=False):
            assert left.x + left.width < right.x  # side by side, never overlapping
        assert segments[0].x == 0 and segments[-1].x + segments[-1].width <= WIDTH
        assert bar.label_y < bar.y  # the label sits above its bar


def test_bars_are_ranked_by_questions_disclosed(charts):
    ranks = [(b.counts[Status.disclosed], b.counts[Status.partial]) for b in charts.bars.bars]
    assert ranks == sorted(ranks, reverse=True)
    tops = [b.y for b in charts.bars.bars]
    assert tops == sorted(tops) and charts.bars.height > tops[-1]


def test_headline_figures_agree_with_the_data(ds, charts):
    head = charts.headline
    assert head.cells == len(ds.initiatives) * len(ds.dimensions) == sum(head.by_status.values())
    counts = status_counts(ds)
    assert head.by_status == {s: int(counts[s].sum()) for s in Status}
    assert head.audited == sum(s.audit is not Audit.not_audited for i in ds.initiatives for s in i.sources)
    assert head.listed == len(ds.sources())
    declined = [
        (i.id, f.dimension)
        for i in ds.initiatives
        for f in i.findings
        if RANK.get(ds.readings(i, f).latest.status, 9) < RANK.get(ds.readings(i, f).best.status, -1)
    ]
    assert head.declined == len(declined) > 0


def test_each_audited_document_is_a_row_with_its_own_record(ds, charts):
    lens_of = {d.id: d.lens for d in ds.dimensions}
    audited = {(i.id, s.id) for i in ds.initiatives for s in i.sources if s.audit is not Audit.not_audited}
    assert {(d.initiative.id, d.source.id) for d in charts.documents} == audited
    for doc in charts.documents:
        ini = doc.initiative
        expected = {lens: dict.fromkeys(STACK, 0) for lens in lens_of.values()}
        for dim in ds.dimensions:
            finding = ds.finding(ini, dim)
            status = _statuses_read(ini, finding, doc.source, ds.window.end) if finding else None
            expected[lens_of[dim.id]][status] += 1
        assert doc.counts == expected, (ini.id, doc.source.id)


def test_a_silent_document_read_in_full_counts_as_not_disclosed(charts):
    spec = next(d for d in charts.documents if d.source.id == "openai-model-spec-2025")
    assert spec.source.audit is Audit.full
    data = spec.counts[Lens.data]
    # The Model Spec says nothing of annotators, data sizes or data release: every Data question is silent.
    assert data[Status.not_disclosed] == sum(data.values()) and data[None] == 0


def test_documents_outside_the_window_are_marked(ds, charts):
    marks = {d.source.id: d.window for d in charts.documents}
    assert marks["openai-instructgpt"] == "before the window"  # March 2022, before the window opens
    for doc in charts.documents:
        inside = ds.window.start <= doc.source.published <= ds.window.end
        assert (doc.window == "") == inside, doc.source.id


def test_one_timeline_per_lens_one_row_per_initiative(ds, charts):
    assert [(t.lens, t.questions) for t in charts.timelines] == [(lens, len(dims)) for lens, _, dims in lens_groups(ds)]
    order = [b.initiative.id for b in charts.bars.bars]
    for t in charts.timelines:
        assert [r.initiative.id for r in t.rows] == order  # the same order as the bars
        assert sum(len(r.marks) for r in t.rows) == charts.headline.audited


def test_marks_are_in_date_order_never_overlap_and_stay_in_the_chart(charts):
    for t in charts.timelines:
        for row in t.rows:
            dates = [m.document.source.published for m in row.marks]
            assert dates == sorted(dates)
            for left, right in zip(row.marks, row.marks[1:], strict=False):
                assert left.x + left.width < right.x, (row.initiative.id, left.document.source.id)
            for mark in row.marks:
                assert 0 <= mark.x and mark.x + mark.width <= t.width
                assert row.label_y < mark.y and mark.y + mark.height <= t.plot_bottom < t.axis_y <= t.height


def test_a_mark_stacks_its_lens_questions_most_disclosing_at_the_bottom(charts):
    for t in charts.timelines:
        for row in t.rows:
            for mark in row.marks:
                counts = mark.document.counts[t.lens]
                assert {s.status: s.count for s in mark.segments} == {s: n for s, n in counts.items() if n}
                assert sum(s.count for s in mark.segments) == t.questions
                assert sum(s.height for s in mark.segments) == pytest.approx(mark.height, abs=0.05)
                bottoms = [s.y + s.height for s in mark.segments]
                assert bottoms == sorted(bottoms, reverse=True)  # STACK order, from the bottom up
                assert bottoms[0] == pytest.approx(mark.y + mark.height, abs=0.01)


def test_marks_sit_at_their_dates_inside_or_outside_the_window(ds, charts):
    for t in charts.timelines:
        left, width = t.window
        years = [int(tick.label) for tick in t.ticks]
        assert years == list(range(years[0], years[-1] + 1))
        assert [tick.x for tick in t.ticks] == sorted(tick.x for tick in t.ticks)
        for row in t.rows:
            for mark in row.marks:
                centre = mark.x + mark.width / 2
                if mark.document.window == "before the window":
                    assert centre < left
                elif mark.document.window == "after the window":
                    assert centre > left + width
        # A mark lies within one mark's width of the year it was published in.
        for row in t.rows:
            for mark in row.marks:
                year = mark.document.source.published.year
                after = [tick.x for tick in t.ticks if int(tick.label) <= year]
                before = [tick.x for tick in t.ticks if int(tick.label) > year]
                centre = mark.x + mark.width / 2
                assert not after or centre >= after[-1] - mark.width
                assert not before or centre <= before[0] + 3 * mark.width


def _svgs(page: str) -> list[ET.Element]:
    """The charts of a page, parsed as XML (so each is well-formed); inline SVG in HTML needs no namespace."""
    return [ET.fromstring(block) for block in re.findall(r"<svg class=\"chart__svg\".*?</svg>", page, re.S)]


def test_each_chart_is_an_image_named_by_its_title_and_description(charts, home):
    svgs = _svgs(home)
    assert len(svgs) == 1 + len(charts.timelines)
    for svg in svgs:
        assert svg.get("role") == "img" and svg.get("viewBox").startswith("0 0 640 ")
        ids = svg.get("aria-labelledby").split()
        found = {el.get("id"): el for el in svg.iter() if el.get("id") in ids}
        assert [found[i].tag for i in ids] == ["title", "desc"]
        assert all(found[i].text.strip() for i in ids)
    assert "latest reading" in svgs[0].find("desc").text
    # Every drawn segment is a rect of the chart; the timelines draw no rect for "not assessed".
    drawn = [r for r in svgs[0].iter("rect") if "seg" in r.get("class", "").split()]
    assert len(drawn) == sum(len(b.segments) for b in charts.bars.bars)
    for svg, t in zip(svgs[1:], charts.timelines, strict=True):
        drawn = [r for r in svg.iter("rect") if "seg" in r.get("class", "").split()]
        assert len(drawn) == sum(1 for row in t.rows for m in row.marks for s in m.segments if s.status)


def test_each_chart_has_its_table(charts, home):
    tables = re.findall(r"<table class=\"chart-table.*?</table>", home, re.S)
    assert len(tables) == 2
    bars_table, documents_table = tables
    for bar in charts.bars.bars:
        row = bars_table.split(f'<th scope="row">{bar.initiative.name}</th>', 1)[1].split("</tr>", 1)[0]
        assert re.findall(r"<td>(\d+)</td>", row) == [str(bar.counts[s]) for s in charts.bars.statuses] + [
            str(charts.bars.questions)
        ]
    assert documents_table.count('<tr><th scope="row">') == len(charts.documents)


def test_key_findings_link_to_their_supporting_cells(ds, home):
    key = home.split("## Key findings", 1)[1].split("## In figures", 1)[0]
    for concern in ds.synthesis.concerns:
        card = key.split(f'id="key-{concern.id}"', 1)[1].split("</article>", 1)[0]
        links = ["/".join(link) for link in re.findall(r'<a href="initiatives/([a-z0-9-]+)/#([a-z0-9-]+)">', card)]
        # Grouped by question, in the order the concern lists them.
        questions = list(dict.fromkeys(ref.split("/")[1] for ref in concern.findings))
        assert links == [ref for q in questions for ref in concern.findings if ref.split("/")[1] == q]
    assert home.index("## Key findings") < home.index("## In figures") < home.index("## Disclosure over time")
    assert home.index("## Disclosure over time") < home.index("## The paper")


def test_text_from_the_data_is_escaped_in_the_charts(mini):
    edit(mini / "initiatives/alibaba-qwen.yaml", "name: Alibaba Qwen", 'name: "<script>alert(1)</script> & Qwen"')
    page = render_pages(check_folder(mini), "https://github.com/example/findings", "test")["index.md"]
    assert "<script>" not in page
    svgs = _svgs(page)  # still well-formed XML
    labels = [el.text for svg in svgs for el in svg.iter("text") if el.get("class") == "chart__label"]
    assert labels and all(label == "<script>alert(1)</script> & Qwen" for label in labels)


def test_the_mini_fixture_charts_too():
    charts = home_charts(check_folder(MINI))
    assert len(charts.bars.bars) == 1 and charts.headline.cells == charts.bars.questions
    assert all(len(t.rows) == 1 for t in charts.timelines)
