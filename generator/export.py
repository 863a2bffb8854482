"""Export: the dataset as open data files, published with the site and on the CLI."""

from __future__ import annotations

import json

from . import markup
from .check import Dataset, finding_id
from .matrix import status_matrix

FORMATS = ("json", "csv")


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
                    {"id": finding_id(i, f), **f.model_dump(mode="json", by_alias=True, exclude_none=True)}
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
            "status": f.status.value,
            "value": ";".join(f.value or ()),
            "summary": markup.strip(f.summary),
            "rationale": markup.strip(f.rationale),
            "note": markup.strip(f.note) if f.note else "",
            "confidence": f.confidence.value,
            "as_of": f.as_of.isoformat(),
            "evidence_sources": ";".join(e.source for e in f.evidence),
            "evidence_locators": " | ".join(e.locator for e in f.evidence),
            "evidence_quotes": " | ".join(e.quote for e in f.evidence),
            "searched": ";".join(f.searched or ()),
        }
        for i in ds.initiatives
        for f in i.findings
    ]
    return pd.DataFrame(rows)


def sources_table(ds: Dataset):
    import pandas as pd

    rows = [
        {"initiative": i.id, **s.model_dump(mode="json", exclude_none=False), "after_paper": s.published > ds.published}
        for i in ds.initiatives
        for s in i.sources
    ]
    return pd.DataFrame(rows)


def _csv(frame, index: bool = False) -> str:
    return frame.to_csv(index=index, lineterminator="\n")


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
