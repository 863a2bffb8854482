"""Export: the dataset as open data files, published with the site and on the CLI."""

from __future__ import annotations

import json

from . import markup
from .dataset import Dataset, finding_id
from .matrix import status_matrix

FORMATS = ("json", "csv")

# A cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection rule).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def as_json(ds: Dataset, version: str) -> str:
    """The whole dataset: paper, dimensions, initiatives with their sources and findings."""
    payload = {
        "version": version,
        "paper": ds.paper.model_dump(mode="json", by_alias=True, exclude_none=True),
        "dimensions": [d.model_dump(mode="json", by_alias=True, exclude_none=True) for d in ds.dimensions],
        "initiatives": [
            {
                **i.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"findings"}),
                "findings": [
                    {
                        "id": finding_id(i, f),
                        **_readings_json(ds, i, f),
                        **f.model_dump(mode="json", by_alias=True, exclude_none=True),
                    }
                    for f in i.findings
                ],
            }
            for i in ds.initiatives
        ],
    }
    if ds.synthesis is not None:
        payload["synthesis"] = ds.synthesis.model_dump(mode="json", by_alias=True, exclude_none=True)
    # Compact: indenting would switch json to its pure-Python encoder, several times slower.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _readings_json(ds: Dataset, initiative, finding) -> dict:
    found = ds.readings(initiative, finding)
    return {
        name: {"status": r.status.value, "source": r.source.id if r.source else None}
        for name, r in (("latest", found.latest), ("best", found.best))
    }


def findings_table(ds: Dataset):
    """One row per finding, flat, for spreadsheets."""
    import pandas as pd

    lens = {d.id: d.lens.value for d in ds.dimensions}
    rows = [
        {
            "id": finding_id(i, f),
            "initiative": i.id,
            "organisation": i.organisation,
            "access": i.access.value,
            "lens": lens.get(f.dimension, ""),
            "dimension": f.dimension,
            "status": (found := ds.readings(i, f)).latest.status.value,
            "best": found.best.status.value,
            "best_source": found.best.source.id if found.best.source else "",
            "value": ";".join(f.value or ()),
            "summary": markup.strip(f.summary),
            "rationale": markup.strip(f.rationale),
            "note": markup.strip(f.note) if f.note else "",
            "confidence": f.confidence.value,
            "as_of": f.as_of.isoformat(),
            "evidence_sources": ";".join(e.source for e in f.evidence),
            "evidence_locators": " | ".join(e.locator for e in f.evidence),
            "evidence_quotes": " | ".join(e.quote for e in f.evidence),
            "by_source": ";".join(f"{r.source}={r.status.value}" for r in f.by_source),
        }
        for i in ds.initiatives
        for f in i.findings
    ]
    return pd.DataFrame(rows)


def sources_table(ds: Dataset):
    import pandas as pd

    rows = [
        {
            "initiative": i.id,
            **s.model_dump(mode="json", exclude_none=False, exclude={"version"}),
            "version": s.version.label if s.version else None,
            "version_date": s.version.date.isoformat() if s.version else None,
            "window": ds.window_mark(s) or "inside",
        }
        for i in ds.initiatives
        for s in i.sources
    ]
    return pd.DataFrame(rows)


def _csv(frame, index: bool = False) -> str:
    return frame.map(cell).to_csv(index=index, lineterminator="\n")


def as_csv(ds: Dataset) -> str:
    return _csv(findings_table(ds))


def export_files(ds: Dataset, version: str) -> dict[str, str]:
    """The files published under data/ in the site."""
    matrix = status_matrix(ds).map(lambda status: status.value)
    return {
        "data/findings.json": as_json(ds, version),
        "data/findings.csv": as_csv(ds),
        "data/matrix.csv": _csv(matrix, index=True),
        "data/sources.csv": _csv(sources_table(ds)),
    }
