"""The comparison tables, as pandas frames: one place decides what each cell holds."""

from __future__ import annotations

import pandas as pd

from .check import Dataset
from .model import LENS_TITLES, Initiative, Lens, Status

CITED = "cited"  # a document quoted for a finding whose per-document status is not recorded


def status_matrix(ds: Dataset) -> pd.DataFrame:
    """Initiatives (rows) by dimensions (columns); a missing finding is ``unknown``, never a "no"."""
    rows = {
        ini.id: {d.id: (f.status if (f := ds.finding(ini, d)) else Status.unknown) for d in ds.dimensions}
        for ini in ds.initiatives
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[d.id for d in ds.dimensions])
    frame.index.name, frame.columns.name = "initiative", "dimension"
    return frame


def lens_counts(ds: Dataset) -> pd.DataFrame:
    """How many findings of each status every initiative has in each lens (the headline table)."""
    lens_of = pd.Series({d.id: d.lens for d in ds.dimensions}, name="lens")
    long = status_matrix(ds).stack().rename("status").reset_index()
    long["lens"] = long["dimension"].map(lens_of)
    counts = pd.crosstab([long["initiative"], long["lens"]], long["status"])
    return counts.reindex(columns=list(Status), fill_value=0)


def status_counts(ds: Dataset) -> pd.DataFrame:
    """How many findings of each status every initiative has, all lenses together."""
    return lens_counts(ds).groupby(level="initiative").sum()


def document_matrix(ds: Dataset, initiative: Initiative) -> pd.DataFrame:
    """An initiative's documents (rows, oldest first) by dimensions: what each document disclosed.

    A cell holds the per-document status the finding records; otherwise ``cited``
    where the document is quoted as evidence, ``not-disclosed`` where it was
    searched for a not-disclosed finding, and is empty where it was not assessed.
    """
    sources = sorted(initiative.sources, key=lambda s: (s.published, s.id))
    cells = {s.id: {d.id: "" for d in ds.dimensions} for s in sources}
    for finding in initiative.findings:
        column = finding.dimension
        if finding.status is Status.not_disclosed:
            for source in finding.searched or ():
                cells[source][column] = Status.not_disclosed
        for evidence in finding.evidence:
            if not cells[evidence.source][column]:
                cells[evidence.source][column] = CITED
        for entry in finding.by_source:
            cells[entry.source][column] = entry.status
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
