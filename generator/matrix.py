"""The comparison tables, as pandas frames: one place decides what each cell holds.

pandas earns its place here: the matrices are pivots and cross-tabulations of
findings, and the counts below are checked against the data by the tests.
"""

from __future__ import annotations

import functools

import pandas as pd

from .dataset import Dataset
from .model import INITIATIVE_WIDE, LENS_TITLES, Audit, Initiative, Lens, Status
from .readings import silent_sources


def status_matrix(ds: Dataset) -> pd.DataFrame:
    """Initiatives (rows) by dimensions (columns): the latest reading; a missing finding is ``unknown``."""
    rows = {ini.id: {d.id: ds.status(ini, ds.finding(ini, d)) for d in ds.dimensions} for ini in ds.initiatives}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[d.id for d in ds.dimensions])
    frame.index.name, frame.columns.name = "initiative", "dimension"
    return frame


@functools.lru_cache(maxsize=2)  # the home page, the matrix, the initiatives' index and the charts count one dataset
def lens_counts(ds: Dataset) -> pd.DataFrame:
    """How many findings of each status every initiative has in each lens (the headline table). Read-only."""
    lens_of = pd.Series({d.id: d.lens for d in ds.dimensions}, name="lens")
    long = status_matrix(ds).stack().rename("status").reset_index()
    long["lens"] = long["dimension"].map(lens_of)
    counts = pd.crosstab([long["initiative"], long["lens"]], long["status"])
    return counts.reindex(columns=list(Status), fill_value=0)


def dimension_counts(ds: Dataset) -> pd.DataFrame:
    """How many initiatives have each status for every dimension (the matrix's column totals)."""
    long = status_matrix(ds).stack().rename("status").reset_index()
    counts = pd.crosstab(long["dimension"], long["status"])
    return counts.reindex(index=[d.id for d in ds.dimensions], columns=list(Status), fill_value=0)


def status_counts(ds: Dataset) -> pd.DataFrame:
    """How many findings of each status every initiative has, all lenses together."""
    return lens_counts(ds).groupby(level="initiative").sum()


def document_order(ds: Dataset, initiative: Initiative) -> list:
    """The initiative's documents grouped by release (oldest release first), initiative-wide last."""
    release_dates = {r.id: r.date for r in initiative.releases}
    last = max(release_dates.values(), default=None)

    def key(source):
        if source.release == INITIATIVE_WIDE:
            return (1, last or source.published, source.published, source.id)
        return (0, release_dates[source.release], source.published, source.id)

    return sorted(initiative.sources, key=key)


def document_matrix(ds: Dataset, initiative: Initiative) -> pd.DataFrame:
    """An initiative's audited documents (rows) by dimensions: the status each document alone earns.

    A cell holds the recorded status, ``not-disclosed`` for a document read in full
    that the finding does not list, and is empty where the document was not read
    for that question.
    """
    sources = [s for s in document_order(ds, initiative) if s.audit is not Audit.not_audited]
    cells = {s.id: {d.id: "" for d in ds.dimensions} for s in sources}
    for finding in initiative.findings:
        # Every recorded status is shown, a document after the window included (though it is not counted).
        for entry in finding.by_source:
            cells[entry.source][finding.dimension] = entry.status
        for source in silent_sources(initiative, finding, ds.window.end):
            cells[source.id][finding.dimension] = Status.not_disclosed
    frame = pd.DataFrame.from_dict(cells, orient="index", columns=[d.id for d in ds.dimensions])
    frame.index.name = "source"
    return frame


def lens_groups(ds: Dataset) -> list[tuple[Lens, str, list]]:
    """The dimensions grouped by lens, in registry order: the matrices' column groups."""
    return [
        (lens, LENS_TITLES[lens], [d for d in ds.dimensions if d.lens is lens])
        for lens in Lens
        if any(d.lens is lens for d in ds.dimensions)
    ]
