"""The home page's charts as data and coordinates; the SVG markup is written by ``templates/_charts.j2``.

Two charts, both drawn in a viewBox ``WIDTH`` units wide that scales to the page:

- ``status_bars``: one stacked bar per initiative, the *latest* reading of every
  question (the counts of ``matrix.status_counts``);
- ``timelines``: for each lens, one row per initiative with a small stacked mark
  per audited document at its publication date, the status each document alone
  earns (``matrix.document_matrix``: a document read in full that a finding does
  not list counts as not disclosed; a blank is a question the document was not read for).

Nothing here is markup: every text shown comes from the data and is escaped by the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dataset import Dataset
from .matrix import document_matrix, lens_groups, status_counts
from .model import Initiative, Lens, Source, Status
from .readings import RANK

WIDTH = 640  # viewBox width; the SVG is drawn at 100% of the text column

# Stacked bars: a label line above each bar.
BAR_LABEL = 26  # from a row's top to the bar (the label's baseline sits just above it)
BAR_HEIGHT = 22
BAR_GAP = 14
SEGMENT_GAP = 2  # space between two segments of a bar, so that hollow and filled parts stay apart

# Timelines: a label line above each initiative's row of document marks.
ROW_LABEL = 24
MARK_HEIGHT = 34
MARK_WIDTH = 8
MARK_GAP = 2  # the least space between two marks; marks of the same date are set side by side
ROW_GAP = 10
TOP = 22  # room above the rows for the audit window's label
AXIS = 28  # room below the rows for the year labels
MARGIN = 6  # a mark's half width and a little more, so that no mark touches the edge

# A mark's segments, bottom up: the most disclosing first; None is "not read for this question".
STACK: tuple[Status | None, ...] = (*Status, None)


@dataclass(frozen=True)
class Segment:
    status: Status | None
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Bar:
    initiative: Initiative
    counts: dict[Status, int]  # every status, zeros included
    y: float  # the bar's top
    label_y: float  # the baseline of the initiative's name and counts, above the bar
    segments: tuple[Segment, ...]  # statuses with a count only, in the order of STACK


@dataclass(frozen=True)
class StatusBars:
    width: float
    height: float
    questions: int  # the length of every bar
    statuses: tuple[Status, ...]  # the statuses any bar shows: the legend and the table's columns
    bars: tuple[Bar, ...]
    totals: dict[Status, int]  # all initiatives together: the headline figures


@dataclass(frozen=True)
class Document:
    """One audited document and how many questions of each lens it discloses on its own."""

    initiative: Initiative
    source: Source
    window: str  # '', 'before the window' or 'after the window'
    counts: dict[Lens, dict[Status | None, int]]  # per lens, every entry of STACK


@dataclass(frozen=True)
class Mark:
    document: Document
    x: float  # left edge
    y: float  # top
    width: float
    height: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Row:
    initiative: Initiative
    y: float  # the top of the marks
    label_y: float  # the baseline of the initiative's name, above the marks
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    lens: Lens
    title: str
    questions: int
    width: float
    height: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    window: tuple[float, float]  # the audit window's left edge and width (a band from the top to plot_bottom)
    window_label: tuple[float, float]  # where its label's baseline starts
    grid: tuple[float, float]  # the year lines' top and bottom
    plot_bottom: float
    axis_y: float  # the baseline of the year labels
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Headline:
    cells: int  # initiatives by questions: every cell of the matrix
    initiatives: int
    questions: int
    by_status: dict[Status, int]  # the cells' latest readings
    declined: int  # findings whose latest reading discloses less than their best
    audited: int  # documents audited (read in full or selectively): the marks of each timeline
    listed: int  # documents in the inventory, audited or not


@dataclass(frozen=True)
class HomeCharts:
    headline: Headline
    bars: StatusBars
    timelines: tuple[Timeline, ...]
    documents: tuple[Document, ...]  # every mark of the timelines, as a table: initiative by initiative, by date
    document_statuses: tuple[Status, ...]  # the statuses any document earns: the timelines' legend


def ranked(ds: Dataset) -> list[Initiative]:
    """The initiatives by how many questions their latest readings disclose, then partly disclose; then by name."""
    counts = status_counts(ds)
    return sorted(
        ds.initiatives,
        key=lambda i: (-counts.loc[i.id, Status.disclosed], -counts.loc[i.id, Status.partial], i.name, i.id),
    )


def status_bars(ds: Dataset, order: list[Initiative]) -> StatusBars:
    """A bar per initiative in ``order``: a unit per question, one segment per status of the latest readings."""
    counts = status_counts(ds)
    questions = len(ds.dimensions)
    unit = WIDTH / questions if questions else 0
    shown = tuple(s for s in Status if any(counts.loc[i.id, s] for i in order))
    bars = []
    for n, ini in enumerate(order):
        row = {s: int(counts.loc[ini.id, s]) for s in Status}
        y = n * (BAR_LABEL + BAR_HEIGHT + BAR_GAP) + BAR_LABEL
        segments, x = [], 0.0
        for status in Status:
            if row[status]:
                width = row[status] * unit - SEGMENT_GAP
                segments.append(Segment(status, row[status], round(x, 2), y, round(width, 2), BAR_HEIGHT))
                x += row[status] * unit
        bars.append(Bar(ini, row, y, y - 8, tuple(segments)))
    height = len(order) * (BAR_LABEL + BAR_HEIGHT + BAR_GAP) - BAR_GAP + 2
    totals = {s: sum(b.counts[s] for b in bars) for s in Status}
    return StatusBars(WIDTH, height, questions, shown, tuple(bars), totals)


def documents(ds: Dataset, order: list[Initiative]) -> list[Document]:
    """Every audited document with its per-lens counts, initiative by initiative in ``order``, oldest first."""
    lens_of = {d.id: d.lens for d in ds.dimensions}
    found = []
    for ini in order:
        frame = document_matrix(ds, ini)
        by_id = {s.id: s for s in ini.sources}
        for source_id, cells in frame.iterrows():
            source = by_id[source_id]
            counts = {lens: dict.fromkeys(STACK, 0) for lens in lens_of.values()}
            for dimension, value in cells.items():
                counts[lens_of[dimension]][Status(value) if value else None] += 1
            found.append(Document(ini, source, ds.window_mark(source), counts))
    rank = {ini.id: n for n, ini in enumerate(order)}
    return sorted(found, key=lambda d: (rank[d.initiative.id], d.source.published, d.source.id))


def _spread(centres: list[float], step: float, low: float, high: float) -> list[float]:
    """Centres at least ``step`` apart and within [low, high], each as near its date as that allows."""
    placed: list[float] = []
    for c in centres:  # left to right: push right what would overlap
        placed.append(max(c, placed[-1] + step) if placed else max(c, low))
    limit = high
    for i in range(len(placed) - 1, -1, -1):  # right to left: pull back what went past the edge
        placed[i] = min(placed[i], limit)
        limit = placed[i] - step
    return placed


def _mark(doc: Document, lens: Lens, questions: int, centre: float, top: float) -> Mark:
    """A document's column: one unit per question of the lens, the most disclosing at the bottom."""
    left = round(centre - MARK_WIDTH / 2, 2)
    unit = MARK_HEIGHT / questions
    segments, bottom = [], top + MARK_HEIGHT
    for status in STACK:
        count = doc.counts[lens][status]
        if count:
            segments.append(
                Segment(status, count, left, round(bottom - count * unit, 2), MARK_WIDTH, round(count * unit, 2))
            )
            bottom -= count * unit
    return Mark(doc, left, top, MARK_WIDTH, MARK_HEIGHT, tuple(segments))


def timelines(ds: Dataset, docs: list[Document], order: list[Initiative]) -> list[Timeline]:
    """For each lens, a row per initiative (in ``order``) of its documents' marks, on one date axis."""
    if not docs:
        return []
    dates = [d.source.published for d in docs]
    first, last = min(dates), max(dates)
    start = min(first, ds.window.start) - dt.timedelta(days=30)
    end = max(last, ds.window.end) + dt.timedelta(days=30)

    def x_of(day: dt.date) -> float:
        return MARGIN + (day - start).days / (end - start).days * (WIDTH - 2 * MARGIN)

    ticks = tuple(Tick(round(x_of(dt.date(year, 1, 1)), 2), str(year)) for year in range(start.year + 1, end.year + 1))
    pitch = ROW_LABEL + MARK_HEIGHT + ROW_GAP
    plot_bottom = TOP + len(order) * pitch - ROW_GAP + 2
    left = round(x_of(ds.window.start), 2)
    window = (left, round(x_of(ds.window.end) - left, 2))
    # Marks of the same date, or of dates too close to tell apart, are set side by side.
    tops = {ini.id: TOP + n * pitch + ROW_LABEL for n, ini in enumerate(order)}
    mine = {ini.id: [d for d in docs if d.initiative.id == ini.id] for ini in order}
    centres = {
        ini.id: _spread([x_of(d.source.published) for d in mine[ini.id]], MARK_WIDTH + MARK_GAP, MARGIN, WIDTH - MARGIN)
        for ini in order
    }
    charts = []
    for lens, title, dims in lens_groups(ds):
        rows = tuple(
            Row(
                ini,
                y=tops[ini.id],
                label_y=tops[ini.id] - 7,
                marks=tuple(
                    _mark(doc, lens, len(dims), centre, tops[ini.id])
                    for doc, centre in zip(mine[ini.id], centres[ini.id], strict=True)
                ),
            )
            for ini in order
        )
        charts.append(
            Timeline(
                lens=lens,
                title=title,
                questions=len(dims),
                width=WIDTH,
                height=plot_bottom + AXIS,
                rows=rows,
                ticks=ticks,
                window=window,
                window_label=(round(left + 4, 2), TOP - 8),
                grid=(TOP - 4, plot_bottom),
                plot_bottom=plot_bottom,
                axis_y=plot_bottom + AXIS - 10,
                first=first,
                last=last,
            )
        )
    return charts


def _declined(ds: Dataset) -> int:
    worse = 0
    for ini in ds.initiatives:
        for finding in ini.findings:
            found = ds.readings(ini, finding)
            if found.latest.status in RANK and RANK[found.latest.status] < RANK.get(found.best.status, -1):
                worse += 1
    return worse


def home_charts(ds: Dataset) -> HomeCharts:
    """Everything the home page's figures show."""
    order = ranked(ds)
    bars = status_bars(ds, order)
    docs = documents(ds, order)
    headline = Headline(
        cells=len(ds.initiatives) * len(ds.dimensions),
        initiatives=len(ds.initiatives),
        questions=len(ds.dimensions),
        by_status=bars.totals,
        declined=_declined(ds),
        audited=len(docs),
        listed=sum(len(i.sources) for i in ds.initiatives),
    )
    earned = tuple(s for s in Status if any(d.counts[lens][s] for d in docs for lens in d.counts))
    return HomeCharts(headline, bars, tuple(timelines(ds, docs, order)), tuple(docs), earned)
