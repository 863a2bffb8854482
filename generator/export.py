"""Export: the dataset as open data, published with the site (data/) and on the CLI.

- `findings.json`: the whole dataset in one file (its shape is versioned: FORMAT);
- a Frictionless data package (`datapackage.json`) of tidy tables: one row per
  finding, per quote, per document's status for a finding, per source, per
  dimension, each described with a Table Schema from the definitions below;
- a record per finding (`findings/<initiative>/<dimension>.json`) and per
  initiative (`initiatives/<initiative>.json`) at stable addresses.

Every CSV cell is neutralised against spreadsheet formulas (OWASP's rule).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from . import markup
from .dataset import Dataset, finding_id
from .deeplinks import deep_link

# The shape of findings.json and of the per-finding records; raised on any incompatible change.
FORMAT = 1

# A cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection rule).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --- the tables -----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[tuple[str, str, str], ...]  # (name, Table Schema type, description)
    rows: Callable[[Dataset], list[dict]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, other table, other field)


def _finding_rows(ds: Dataset) -> list[dict]:
    lens = {d.id: d.lens.value for d in ds.dimensions}
    rows = []
    for i in ds.initiatives:
        for f in i.findings:
            found = ds.readings(i, f)
            rows.append(
                {
                    "id": finding_id(i, f),
                    "initiative": i.id,
                    "organisation": i.organisation,
                    "access": i.access.value,
                    "lens": lens.get(f.dimension, ""),
                    "dimension": f.dimension,
                    "status": found.latest.status.value,
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
            )
    return rows


def _evidence_rows(ds: Dataset) -> list[dict]:
    sources = ds.sources()
    return [
        {
            "finding": finding_id(i, f),
            "position": k + 1,
            "source": e.source,
            "locator": e.locator,
            "quote": e.quote,
            "shows": e.shows,
            "link": deep_link(sources[e.source][1], e),
        }
        for i in ds.initiatives
        for f in i.findings
        for k, e in enumerate(f.evidence)
    ]


def _record_rows(ds: Dataset) -> list[dict]:
    return [
        {"finding": finding_id(i, f), "source": r.source, "status": r.status.value, "note": r.note or ""}
        for i in ds.initiatives
        for f in i.findings
        for r in f.by_source
    ]


def _source_rows(ds: Dataset) -> list[dict]:
    return [
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


def _dimension_rows(ds: Dataset) -> list[dict]:
    return [
        {
            "id": d.id,
            "lens": d.lens.value,
            "title": d.title,
            "question": d.question,
            "choices": ";".join(d.choices or ()),
            "disclosed": d.rubric.disclosed,
            "partial": d.rubric.partial,
            "not_disclosed": d.rubric.not_disclosed,
            "not_applicable": d.rubric.not_applicable or "",
        }
        for d in ds.dimensions
    ]


_S, _D, _B, _I = "string", "date", "boolean", "integer"
TABLES = (
    Table(
        "findings",
        "One row per finding: an initiative's answer to one question, with its latest and best readings.",
        (
            ("id", _S, "initiative/dimension"),
            ("initiative", _S, ""),
            ("organisation", _S, ""),
            ("access", _S, "proprietary or open-weight"),
            ("lens", _S, ""),
            ("dimension", _S, ""),
            ("status", _S, "the latest reading"),
            ("best", _S, "the best reading of any counted document"),
            ("best_source", _S, "the document that earns the best reading"),
            ("value", _S, "categorical answer, ;-separated"),
            ("summary", _S, ""),
            ("rationale", _S, ""),
            ("note", _S, "what is missing"),
            ("confidence", _S, ""),
            ("as_of", _D, "the day the finding was verified"),
            ("evidence_sources", _S, ";-separated (also in evidence.csv, one row per quote)"),
            ("evidence_locators", _S, "|-separated"),
            ("evidence_quotes", _S, "|-separated"),
            ("by_source", _S, "source=status;... (also in records.csv)"),
        ),
        _finding_rows,
        primary_key=("id",),
    ),
    Table(
        "evidence",
        "One row per quote: the finding, the document, where in it, the verbatim quote, a link into the document.",
        (
            ("finding", _S, ""),
            ("position", _I, "order of the quote within the finding"),
            ("source", _S, ""),
            ("locator", _S, "section, page or table"),
            ("quote", _S, "verbatim"),
            ("shows", _S, "what the quote establishes"),
            ("link", _S, "the page of a PDF, or a text fragment of a web page"),
        ),
        _evidence_rows,
        primary_key=("finding", "position"),
        foreign_keys=(("finding", "findings", "id"), ("source", "sources", "id")),
    ),
    Table(
        "records",
        "One row per document recorded for a finding: the status that document alone earns.",
        (("finding", _S, ""), ("source", _S, ""), ("status", _S, ""), ("note", _S, "")),
        _record_rows,
        primary_key=("finding", "source"),
        foreign_keys=(("finding", "findings", "id"), ("source", "sources", "id")),
    ),
    Table(
        "sources",
        "One row per document in the inventory, audited or not.",
        (
            ("initiative", _S, ""),
            ("id", _S, ""),
            ("title", _S, ""),
            ("publisher", _S, ""),
            ("kind", _S, ""),
            ("first_party", _B, ""),
            ("published", _D, ""),
            ("release", _S, "the release it accompanies, or initiative-wide"),
            ("audit", _S, "full, selective or not-audited"),
            ("superseded_by", _S, ""),
            ("not_audited", _S, "why it was not audited"),
            ("url", _S, ""),
            ("arxiv", _S, ""),
            ("doi", _S, ""),
            ("accessed", _D, ""),
            ("archived_url", _S, ""),
            ("version", _S, "the version quoted"),
            ("version_date", _D, ""),
            ("window", _S, "inside, before or after the audit window"),
        ),
        _source_rows,
        primary_key=("id",),
    ),
    Table(
        "dimensions",
        "One row per question, with its rubric.",
        (
            ("id", _S, ""),
            ("lens", _S, ""),
            ("title", _S, ""),
            ("question", _S, ""),
            ("choices", _S, ";-separated"),
            ("disclosed", _S, "rubric"),
            ("partial", _S, "rubric"),
            ("not_disclosed", _S, "rubric"),
            ("not_applicable", _S, "rubric"),
        ),
        _dimension_rows,
        primary_key=("id",),
    ),
)


def table_csv(table: Table, ds: Dataset) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _, _ in table.fields], lineterminator="\n")
    writer.writeheader()
    for row in table.rows(ds):
        writer.writerow({key: cell("" if value is None else value) for key, value in row.items()})
    return out.getvalue()


def datapackage(ds: Dataset, version: str) -> str:
    """The Frictionless descriptor of the tables: what each column holds and how tables join."""

    def schema(table: Table) -> dict:
        described = {
            "fields": [
                {"name": name, "type": kind, **({"description": text} if text else {})}
                for name, kind, text in table.fields
            ],
            "missingValues": [""],
        }
        if table.primary_key:
            described["primaryKey"] = list(table.primary_key)
        if table.foreign_keys:
            described["foreignKeys"] = [
                {"fields": [field], "reference": {"resource": other, "fields": [key]}}
                for field, other, key in table.foreign_keys
            ]
        return described

    descriptor = {
        "name": "decoding-alignment-findings",
        "title": "Decoding Alignment: the evidence",
        "description": "Evidenced findings on how six LLM initiatives set alignment values and collect alignment data.",
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(table),
            }
            for table in TABLES
        ],
    }
    return json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def _readings_json(ds: Dataset, initiative, finding) -> dict:
    found = ds.readings(initiative, finding)
    return {
        name: {"status": r.status.value, "source": r.source.id if r.source else None}
        for name, r in (("latest", found.latest), ("best", found.best))
    }


def _finding_json(ds: Dataset, initiative, finding) -> dict:
    sources = ds.sources()
    data = {
        "id": finding_id(initiative, finding),
        **_readings_json(ds, initiative, finding),
        **finding.model_dump(mode="json", by_alias=True, exclude_none=True),
    }
    for entry, e in zip(data.get("evidence", []), finding.evidence, strict=True):
        entry["link"] = deep_link(sources[e.source][1], e)
    return data


def _initiative_json(ds: Dataset, initiative) -> dict:
    return {
        **initiative.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"findings"}),
        "findings": [_finding_json(ds, initiative, f) for f in initiative.findings],
    }


def _dump(payload: dict) -> str:
    # Compact: indenting would switch json to its pure-Python encoder, several times slower.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _whole(ds: Dataset, version: str) -> dict:
    """The whole dataset: paper, dimensions, initiatives with their sources and findings."""
    payload = {
        "format": FORMAT,
        "version": version,
        "paper": ds.paper.model_dump(mode="json", by_alias=True, exclude_none=True),
        "dimensions": [d.model_dump(mode="json", by_alias=True, exclude_none=True) for d in ds.dimensions],
        "initiatives": [_initiative_json(ds, i) for i in ds.initiatives],
    }
    if ds.synthesis is not None:
        payload["synthesis"] = ds.synthesis.model_dump(mode="json", by_alias=True, exclude_none=True)
    return payload


def as_json(ds: Dataset, version: str) -> str:
    """The whole dataset as one JSON document (data/findings.json)."""
    return _dump(_whole(ds, version))


def as_csv(ds: Dataset) -> str:
    """The findings table, one row per finding (data/findings.csv)."""
    return table_csv(TABLES[0], ds)


# What `findings export --format` offers: one entry per format, the dataset and its version in, text out.
FORMATS: dict[str, Callable[[Dataset, str], str]] = {
    "json": as_json,
    "csv": lambda ds, version: as_csv(ds),
}


def record_path(initiative_id: str, dimension: str | None = None) -> str:
    """Where a finding's (or, without a dimension, an initiative's) record is published."""
    if dimension is None:
        return f"data/initiatives/{initiative_id}.json"
    return f"data/findings/{initiative_id}/{dimension}.json"


def export_files(ds: Dataset, version: str) -> dict[str, str]:
    """The files published under data/ in the site."""
    # pandas writes the matrix: a pivot of the findings, like the page it mirrors. Imported
    # here, not at the top: the CLI reads FORMATS on every start, and pandas takes half a second.
    from .matrix import status_matrix

    matrix = status_matrix(ds).map(lambda status: status.value)
    whole = _whole(ds, version)
    files = {
        "data/findings.json": _dump(whole),
        "data/matrix.csv": matrix.map(cell).to_csv(lineterminator="\n"),
        "data/datapackage.json": datapackage(ds, version),
    }
    files.update({f"data/{table.name}.csv": table_csv(table, ds) for table in TABLES})
    # The records are the parts of the whole, each stamped with the format and version.
    stamp = {"format": FORMAT, "version": version}
    for i, initiative in zip(ds.initiatives, whole["initiatives"], strict=True):
        files[record_path(i.id)] = _dump({**stamp, **initiative})
        for f, finding in zip(i.findings, initiative["findings"], strict=True):
            files[record_path(i.id, f.dimension)] = _dump({**stamp, **finding})
    return files
