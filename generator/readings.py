"""The status rule: a finding's two readings, derived from its per-document record.

Statuses are never typed by hand. Each document audited for an initiative earns
a status for each question on its own (the finding's ``by_source`` record; a
document read in full and absent from the record is silent, so not disclosed).
From that record two readings follow:

- *latest*: what the documentation of the most recent release, together with the
  initiative-wide documents still in force, discloses;
- *best*: the most any audited document disclosed, with that document.

Where they differ, disclosure was not kept up (or improved). The methodology page
prints ``RULE`` below, so the rule a reader sees is the rule this code applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import INITIATIVE_WIDE, Audit, Evidence, Finding, Initiative, Source, Status

# How much a status discloses; statuses outside it (unknown, not applicable) are not ranked.
RANK = {Status.not_disclosed: 0, Status.partial: 1, Status.disclosed: 2}

RULE = (
    "A document read in full that the record does not list is silent: not disclosed.",
    "A document read selectively counts only where the record lists it; a document in the inventory "
    "but not audited never counts, nor does one published after the audit window.",
    "Latest: the best status among the documents of the most recent release that has an audited "
    "document, and the initiative-wide documents not superseded by a later one.",
    "Best: the best status any counted document earns; where several do, the most recent of them.",
    "Order: disclosed, then partial, then not disclosed. Where no counted document bears on the "
    "question, the reading is unknown.",
)


@dataclass(frozen=True)
class Reading:
    status: Status
    source: Source | None = None  # the document that earns it (None for unknown or not applicable)


@dataclass(frozen=True)
class Readings:
    latest: Reading
    best: Reading

    @property
    def differ(self) -> bool:
        return self.latest.status is not self.best.status


def counted_sources(initiative: Initiative, window_end: dt.date) -> list[Source]:
    """The documents the rule counts: audited, and published by the end of the window."""
    return [s for s in initiative.sources if s.audit is not Audit.not_audited and s.published <= window_end]


def silent_sources(initiative: Initiative, finding: Finding, window_end: dt.date) -> list[Source]:
    """The counted documents read in full that the finding's record does not list: they say nothing."""
    listed = {entry.source for entry in finding.by_source}
    return [s for s in counted_sources(initiative, window_end) if s.audit is Audit.full and s.id not in listed]


def record(initiative: Initiative, finding: Finding, window_end: dt.date) -> dict[str, Status]:
    """Each counted document's status for this finding: as recorded, or not disclosed if silent."""
    counted = {s.id for s in counted_sources(initiative, window_end)}
    statuses = {entry.source: entry.status for entry in finding.by_source if entry.source in counted}
    statuses.update((s.id, Status.not_disclosed) for s in silent_sources(initiative, finding, window_end))
    return statuses


def current_sources(initiative: Initiative, window_end: dt.date) -> list[Source]:
    """The latest release's documents and the initiative-wide documents in force."""
    counted = counted_sources(initiative, window_end)
    counted_ids = {s.id for s in counted}
    release_dates = {r.id: r.date for r in initiative.releases}
    released = {s.release for s in counted if s.release in release_dates}
    latest = max(released, key=lambda r: (release_dates[r], r), default=None)
    return [
        s
        for s in counted
        if s.release == latest
        or (s.release == INITIATIVE_WIDE and (s.superseded_by is None or s.superseded_by not in counted_ids))
    ]


def _strongest(statuses: dict[str, Status], candidates: list[Source]) -> Reading:
    ranked = [(RANK[statuses[s.id]], s.published, s.id, s) for s in candidates if statuses.get(s.id) in RANK]
    if not ranked:
        return Reading(Status.unknown)
    *_, source = max(ranked, key=lambda item: item[:3])
    return Reading(statuses[source.id], source)


def readings(initiative: Initiative, finding: Finding, window_end: dt.date) -> Readings:
    """The latest and best readings of one finding."""
    if finding.not_applicable:
        return Readings(Reading(Status.not_applicable), Reading(Status.not_applicable))
    statuses = record(initiative, finding, window_end)
    return Readings(
        latest=_strongest(statuses, current_sources(initiative, window_end)),
        best=_strongest(statuses, counted_sources(initiative, window_end)),
    )


def strongest_evidence(finding: Finding, found: Readings) -> Evidence | None:
    """The quote a reader sees first: from the document that earns the latest reading, else the best."""
    for reading in (found.latest, found.best):
        if reading.source is not None:
            quoted = [e for e in finding.evidence if e.source == reading.source.id]
            if quoted:
                return quoted[0]
    return finding.evidence[0] if finding.evidence else None
