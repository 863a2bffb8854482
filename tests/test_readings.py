"""The status rule, in both directions: readings derived from per-document records."""

from __future__ import annotations

import datetime as dt

from generator.model import Finding, Initiative, Status
from generator.readings import readings

END = dt.date(2025, 8, 23)


def initiative(*sources, releases=None) -> Initiative:
    releases = releases or [{"id": "old", "name": "Old", "date": "2022-01-01"},
                            {"id": "new", "name": "New", "date": "2025-01-01"}]
    return Initiative.model_validate({
        "id": "x", "name": "X", "organisation": "X", "access": "open-weight", "overview": "x",
        "releases": releases,
        "sources": [
            {"id": sid, "title": sid, "publisher": "X", "kind": "paper", "first_party": True, "published": published,
             "release": release, "audit": audit, "url": "https://example.org/", "accessed": "2026-11-28", **extra}
            for sid, published, release, audit, extra in sources
        ],
        "findings": [],
    })


def finding(**statuses) -> Finding:
    return Finding.model_validate({
        "dimension": "d", "summary": "s", "rationale": "r", "confidence": "high", "as_of": "2026-11-28",
        "evidence": [{"source": next(iter(statuses)), "locator": "p. 1", "quote": "q", "shows": "s"}],
        "by_source": [{"source": sid, "status": status} for sid, status in statuses.items()],
    })


def read(ini, f):
    found = readings(ini, f, END)
    return found.latest.status, found.latest.source and found.latest.source.id, \
        found.best.status, found.best.source and found.best.source.id


def test_earlier_disclosure_and_later_silence():
    ini = initiative(("a", "2022-03-01", "old", "selective", {}), ("b", "2025-02-01", "new", "full", {}))
    assert read(ini, finding(a="disclosed")) == (Status.not_disclosed, "b", Status.disclosed, "a")


def test_earlier_silence_and_later_disclosure():
    ini = initiative(("a", "2022-03-01", "old", "full", {}), ("b", "2025-02-01", "new", "full", {}))
    assert read(ini, finding(b="disclosed")) == (Status.disclosed, "b", Status.disclosed, "b")


def test_a_selective_document_not_recorded_is_not_counted():
    ini = initiative(("a", "2022-03-01", "old", "selective", {}), ("b", "2025-02-01", "new", "selective", {}))
    assert read(ini, finding(a="partial")) == (Status.unknown, None, Status.partial, "a")


def test_initiative_wide_documents_in_force_count_for_latest():
    ini = initiative(
        ("spec-1", "2023-01-01", "initiative-wide", "full", {"superseded_by": "spec-2"}),
        ("spec-2", "2024-01-01", "initiative-wide", "full", {}),
        ("b", "2025-02-01", "new", "full", {}),
    )
    assert read(ini, finding(**{"spec-2": "partial", "spec-1": "disclosed"})) == (
        Status.partial, "spec-2", Status.disclosed, "spec-1")


def test_a_document_superseded_only_after_the_window_stays_in_force():
    ini = initiative(
        ("spec-1", "2023-01-01", "initiative-wide", "full", {"superseded_by": "spec-2"}),
        ("spec-2", "2025-09-01", "initiative-wide", "full", {}),
    )
    assert read(ini, finding(**{"spec-1": "disclosed"}))[:2] == (Status.disclosed, "spec-1")


def test_documents_after_the_window_and_not_audited_never_count():
    ini = initiative(
        ("a", "2024-03-01", "old", "full", {}),
        ("late", "2025-09-01", "new", "full", {}),
        ("skipped", "2025-02-01", "new", "not-audited", {"not_audited": "Not read."}),
    )
    # "new" has no counted document, so the latest release is "old".
    assert read(ini, finding(a="partial", late="disclosed")) == (Status.partial, "a", Status.partial, "a")


def test_the_most_recent_of_equally_strong_documents_is_named():
    ini = initiative(("a", "2022-03-01", "old", "full", {}), ("c", "2022-06-01", "old", "full", {}),
                     ("b", "2025-02-01", "new", "full", {}))
    assert read(ini, finding(a="disclosed", c="disclosed"))[2:] == (Status.disclosed, "c")


def test_not_applicable_is_not_derived():
    ini = initiative(("a", "2022-03-01", "old", "full", {}))
    f = finding(a="disclosed").model_copy(update={"not_applicable": "No such data."})
    assert read(ini, f) == (Status.not_applicable, None, Status.not_applicable, None)
