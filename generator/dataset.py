"""The validated dataset: what every page and export is built from, and its lookups."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .model import (
    Dimension,
    Finding,
    HistoryField,
    Initiative,
    Paper,
    RetiredDimension,
    Source,
    Status,
    Synthesis,
    Window,
)
from .readings import Readings, readings


def finding_id(initiative: Initiative, finding: Finding) -> str:
    """The stable, public identifier of a finding."""
    return f"{initiative.id}/{finding.dimension}"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Everything the site is built from, validated."""

    paper: Paper
    dimensions: list[Dimension]
    initiatives: list[Initiative]
    synthesis: Synthesis | None
    retired: tuple[RetiredDimension, ...] = ()

    @property
    def window(self) -> Window:
        """The audit window: documents outside it are marked, and only those up to its end are counted."""
        return self.paper.window

    def sources(self) -> dict[str, tuple[Initiative, Source]]:
        """Every document by id, with its initiative. Built once: the exports look one up per quote."""
        return self._sources

    @functools.cached_property
    def _sources(self) -> dict[str, tuple[Initiative, Source]]:
        return {s.id: (i, s) for i in self.initiatives for s in i.sources}

    @functools.cached_property
    def cited_by(self) -> dict[str, list[Finding]]:
        """The findings that quote each source, in the order of the findings."""
        cited: dict[str, list[Finding]] = {}
        for i in self.initiatives:
            for f in i.findings:
                for source in dict.fromkeys(e.source for e in f.evidence):
                    cited.setdefault(source, []).append(f)
        return cited

    @functools.cached_property
    def _cells(self) -> dict[tuple[str, str], Finding]:
        return {(i.id, f.dimension): f for i in self.initiatives for f in i.findings}

    def finding(self, initiative: Initiative, dimension: Dimension) -> Finding | None:
        """The finding in a cell of the matrix, or None where it has not been assessed."""
        return self._cells.get((initiative.id, dimension.id))

    @functools.cached_property
    def _readings(self) -> dict[tuple[str, str], Readings]:
        end = self.window.end
        return {(i.id, f.dimension): readings(i, f, end) for i in self.initiatives for f in i.findings}

    def readings(self, initiative: Initiative, finding: Finding) -> Readings:
        """The finding's latest and best readings (see ``readings.py``)."""
        return self._readings[(initiative.id, finding.dimension)]

    def status(self, initiative: Initiative, finding: Finding | None) -> Status:
        """A cell's headline status: the latest reading; unknown where there is no finding."""
        return self.readings(initiative, finding).latest.status if finding else Status.unknown

    def window_mark(self, source: Source) -> str:
        """'before the window', 'after the window' or '' for a document inside the audit window."""
        if source.published < self.window.start:
            return "before the window"
        if source.published > self.window.end:
            return "after the window"
        return ""


def corrections(ds: Dataset) -> list:
    """Every history entry of every finding, newest first: the public corrections log."""
    entries = [(h, ini, f) for ini in ds.initiatives for f in ini.findings for h in f.history]
    return sorted(entries, key=lambda e: (-e[0].date.toordinal(), finding_id(e[1], e[2])))


def last_status_change(finding: Finding):
    """The most recent history entry that changed the latest reading, if any."""
    return next((h for h in reversed(finding.history) if h.field is HistoryField.status), None)
