"""Check: validate every file against the model, then the rules that span fields and files.

``check_folder`` returns a ``Dataset`` or raises ``InvalidData`` carrying every
problem at once, each pointing at the offending key or value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .dataset import Dataset, finding_id
from .load import Document, load_folder, model_for
from .model import (
    INITIATIVE_WIDE,
    Audit,
    DimensionsFile,
    Finding,
    HistoryField,
    Initiative,
    Paper,
    Status,
    Synthesis,
    describe_value,
    is_reserved,
)
from .problems import InvalidData, Problem
from .readings import RANK, readings

MAX_PROBLEMS_PER_FILE = 200  # beyond this, hostile input would only cost time: the rest is counted


# --- model validation: pydantic errors as positioned, plain-language problems


def _unwrap(tp):
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names (as written in YAML) accepted at ``loc``."""
    tp = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            tp = typing.get_args(tp)[0]
        else:
            fields = {f.alias or name: f for name, f in tp.model_fields.items()}
            tp = fields[part].annotation
    tp = _unwrap(tp)
    return [f.alias or name for name, f in tp.model_fields.items()]


# Fields an earlier data model had on a finding, and what replaced them.
_DERIVED_FIELDS = {
    "status": "'status' is derived from the per-document record (by_source) and cannot be typed; "
    "see the methodology's status rule",
    "searched": "'searched' is gone: list each document searched in by_source (not-disclosed), "
    "or mark a document read in full with audit: full",
    "reason": "'reason' was renamed 'not_applicable'",
}


def _message(error: dict, model: type[BaseModel]) -> tuple[str, bool]:
    """A contributor-facing message for one pydantic error, and whether it points at a key."""
    loc, kind = error["loc"], error["type"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == "extra_forbidden" and loc[-1] in _DERIVED_FIELDS and len(loc) == 3 and loc[0] == "findings":
        return _DERIVED_FIELDS[loc[-1]], True
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        hint = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; allowed: {', '.join(known)}"
        return f"unknown field {loc[-1]!r}{suggestion}", True
    if kind == "missing":
        return f"missing required field {loc[-1]!r}", False
    if kind == "enum":
        return f"{name}: {error['input']!r} is not allowed; expected {error['ctx']['expected']}", False
    if kind in ("string_type", "bool_type", "list_type", "model_type", "dict_type", "date_type"):
        wanted = {
            "string_type": "text",
            "bool_type": "true or false",
            "list_type": "a list",
            "model_type": "a mapping",
            "dict_type": "a mapping",
            "date_type": "a date (YYYY-MM-DD)",
        }[kind]
        return f"{name}: expected {wanted}, got {describe_value(error['input'])}", False
    if kind == "string_pattern_mismatch":
        return f"{name}: {error['input']!r} does not match the required form {error['ctx']['pattern']}", False
    text = error["msg"].removeprefix("Value error, ")
    return f"{name}: {text}", False


def _validate(doc: Document) -> tuple[BaseModel | None, list[Problem]]:
    model = model_for(doc.relpath)
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), f"expected a mapping of fields at the top, got {describe_value(doc.data)}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        for error in errors[:MAX_PROBLEMS_PER_FILE]:
            message, at_key = _message(error, model)
            problems.append(doc.problem(error["loc"], message, at_key=at_key))
        if len(errors) > MAX_PROBLEMS_PER_FILE:
            more = len(errors) - MAX_PROBLEMS_PER_FILE
            problems.append(doc.problem((), f"{more} more problem(s) in this file are not listed"))
        return None, problems


# --- rules across fields and files


class _Rules:
    """Cross-field and cross-file rules; each problem is positioned in its file."""

    def __init__(self, initiative_ids: set[str]):
        self.problems: list[Problem] = []
        self.initiative_ids = initiative_ids
        self.counts: dict[str, int] = {}

    def report(self, doc: Document, loc: tuple, message: str, at_key: bool = False):
        self.counts[doc.path] = self.counts.get(doc.path, 0) + 1
        if self.counts[doc.path] <= MAX_PROBLEMS_PER_FILE:
            self.problems.append(doc.problem(loc, message, at_key=at_key))

    def close(self, docs: list[Document]):
        for doc in docs:
            more = self.counts.get(doc.path, 0) - MAX_PROBLEMS_PER_FILE
            if more > 0:
                self.problems.append(doc.problem((), f"{more} more problem(s) in this file are not listed"))

    def unique(self, doc: Document, items: list[tuple[tuple, str]], what: str, seen=None):
        seen = {} if seen is None else seen
        for loc, ident in items:
            if ident in seen:
                self.report(doc, loc, f"duplicate {what} {ident!r} (also in {seen[ident]})")
            else:
                seen[ident] = f"{doc.path}:{doc.problem(loc, '').line}"

    def reserved(self, doc: Document, loc: tuple, ident: str, what: str):
        if is_reserved(ident):
            self.report(
                doc, loc, f"{what} id {ident!r} is reserved for the site's own pages or anchors; choose another"
            )

    def unknown_ref(self, doc, loc, what, ident, known):
        hint = []
        if self.counts.get(doc.path, 0) < MAX_PROBLEMS_PER_FILE:  # hints cost time: only for listed problems
            hint = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.6)
        suffix = f"; did you mean {hint[0]!r}?" if hint else ""
        self.report(doc, loc, f"unknown {what} {ident!r}{suffix}")

    def paper(self, doc: Document, paper: Paper):
        self.unique(doc, [(("versions", i, "version"), v.version) for i, v in enumerate(paper.versions)], "version")
        if paper.window.end <= paper.window.start:
            self.report(doc, ("window", "end"), "window: the end must be after the start")

    def dimensions(self, doc: Document, dims: DimensionsFile):
        seen: dict[str, str] = {}
        self.unique(doc, [(("dimensions", i, "id"), d.id) for i, d in enumerate(dims.dimensions)], "dimension id", seen)
        self.unique(doc, [(("retired", i, "id"), r.id) for i, r in enumerate(dims.retired)], "dimension id", seen)
        for i, d in enumerate(dims.dimensions):
            self.reserved(doc, ("dimensions", i, "id"), d.id, "dimension")
        live = {d.id for d in dims.dimensions}
        for i, r in enumerate(dims.retired):
            for k, successor in enumerate(r.successors):
                if successor not in live:
                    self.unknown_ref(doc, ("retired", i, "successors", k), "successor dimension", successor, live)

    def initiative(self, doc: Document, ini: Initiative, dims, retired, source_ids: dict, window_end: dt.date):
        stem = doc.relpath.rsplit("/", 1)[-1].removesuffix(".yaml")
        if ini.id != stem:
            self.report(doc, ("id",), f"id {ini.id!r} must match the file name ({stem}.yaml)")
        self.reserved(doc, ("id",), ini.id, "initiative")
        self.unique(doc, [(("releases", i, "id"), r.id) for i, r in enumerate(ini.releases)], "release id")
        releases = {r.id for r in ini.releases}
        for i, release in enumerate(ini.releases):
            if release.id == INITIATIVE_WIDE:
                self.report(
                    doc, ("releases", i, "id"), f"{INITIATIVE_WIDE!r} is reserved for documents of no one release"
                )
        self.unique(doc, [(("sources", i, "id"), s.id) for i, s in enumerate(ini.sources)], "source id", source_ids)
        own = {s.id: s for s in ini.sources}
        for i, source in enumerate(ini.sources):
            self.source(doc, ("sources", i), source, releases, own)
        seen_dims: dict[str, int] = {}
        cited: set[str] = set()
        for j, finding in enumerate(ini.findings):
            at = ("findings", j)
            if finding.dimension in seen_dims:
                self.report(
                    doc,
                    at + ("dimension",),
                    f"a second finding for dimension {finding.dimension!r} "
                    f"(the first is findings[{seen_dims[finding.dimension]}])",
                )
            seen_dims.setdefault(finding.dimension, j)
            dim = None
            if dims is not None:
                dim = dims.get(finding.dimension)
                if finding.dimension in retired:
                    successors = " or ".join(retired[finding.dimension].successors)
                    self.report(
                        doc, at + ("dimension",), f"dimension {finding.dimension!r} was retired; use {successors}"
                    )
                elif dim is None:
                    self.unknown_ref(doc, at + ("dimension",), "dimension", finding.dimension, dims)
            self.finding(doc, at, ini, finding, dim, own, window_end)
            cited |= {e.source for e in finding.evidence} | {r.source for r in finding.by_source}
        for i, source in enumerate(ini.sources):
            if source.audit is Audit.selective and source.id not in cited:
                self.report(
                    doc,
                    ("sources", i, "id"),
                    f"source {source.id!r} is read selectively but no finding records it (in by_source)",
                )

    def source(self, doc: Document, at: tuple, source, releases: set[str], own: dict):
        if source.id in self.initiative_ids:  # both are anchors on the sources page
            self.report(doc, at + ("id",), f"source id {source.id!r} is also an initiative's id; choose another")
        self.reserved(doc, at + ("id",), source.id, "source")
        if source.accessed < source.published:
            self.report(doc, at + ("accessed",), "accessed: earlier than the publication date")
        if source.version and source.version.date < source.published:
            self.report(doc, at + ("version", "date"), "version date: earlier than the publication date")
        if source.release != INITIATIVE_WIDE and source.release not in releases:
            known = releases | {INITIATIVE_WIDE}
            self.unknown_ref(doc, at + ("release",), "release", source.release, known)
        if (source.audit is Audit.not_audited) != (source.not_audited is not None):
            if source.not_audited is None:
                self.report(doc, at + ("audit",), "a not-audited source needs 'not_audited': why it was not audited")
            else:
                self.report(
                    doc, at + ("not_audited",), "'not_audited' is only for sources with audit: not-audited", at_key=True
                )
        if source.superseded_by is not None:
            if source.release != INITIATIVE_WIDE:
                self.report(
                    doc, at + ("superseded_by",), "only an initiative-wide document can be superseded", at_key=True
                )
            if source.superseded_by == source.id:
                self.report(doc, at + ("superseded_by",), "a document cannot supersede itself")
            elif source.superseded_by not in own:
                self.unknown_ref(doc, at + ("superseded_by",), "source", source.superseded_by, own)

    def finding(self, doc: Document, at: tuple, ini: Initiative, f: Finding, dim, own: dict, window_end: dt.date):
        applicable = f.not_applicable is None
        if not applicable and dim is not None and dim.rubric.not_applicable is None:
            self.report(
                doc, at + ("not_applicable",), f"dimension {dim.id!r} has no rubric for not-applicable", at_key=True
            )
        if applicable and not f.evidence:
            self.report(doc, at + ("dimension",), "a finding needs at least one 'evidence' entry")
        if applicable and not f.by_source:
            self.report(doc, at + ("dimension",), "a finding needs 'by_source': the status each document alone earns")
        if dim is not None and f.value is not None:
            if dim.choices is None:
                self.report(doc, at + ("value",), f"dimension {dim.id!r} takes no 'value'", at_key=True)
            else:
                for k, v in enumerate(f.value):
                    if v not in dim.choices:
                        self.report(
                            doc,
                            at + ("value", k),
                            f"value: {v!r} is not allowed; expected one of {', '.join(dim.choices)}",
                        )
        recorded: dict[str, int] = {}
        for k, entry in enumerate(f.by_source):
            loc = at + ("by_source", k)
            if entry.source in recorded:
                self.report(
                    doc,
                    loc + ("source",),
                    f"document {entry.source!r} is recorded twice (also by_source[{recorded[entry.source]}])",
                )
            recorded.setdefault(entry.source, k)
            if entry.status not in RANK:
                self.report(
                    doc,
                    loc + ("status",),
                    f"status: a document's status is disclosed, partial or not-disclosed, not {entry.status.value!r}",
                )
            self.citable(doc, loc + ("source",), entry.source, own)
        for k, e in enumerate(f.evidence):
            loc = at + ("evidence", k, "source")
            if self.citable(doc, loc, e.source, own) and e.source not in recorded:
                self.report(doc, loc, f"document {e.source!r} is quoted but has no 'by_source' entry in this finding")
        if all(entry.source in own and entry.status in RANK for entry in f.by_source):
            found = readings(ini, f, window_end)
            partial = [name for name in ("latest", "best") if getattr(found, name).status is Status.partial]
            if partial and not f.note:
                self.report(
                    doc,
                    at + ("dimension",),
                    f"the {' and '.join(partial)} reading{'s are' if len(partial) > 1 else ' is'} partial: "
                    "add a 'note' saying what is missing",
                )
            self.history(doc, at, f, found)

    def citable(self, doc: Document, loc: tuple, ident: str, own: dict) -> bool:
        if ident not in own:
            self.unknown_ref(doc, loc, "source", ident, own)
            return False
        if own[ident].audit is Audit.not_audited:
            self.report(doc, loc, f"source {ident!r} is not audited (audit: not-audited); it cannot be cited")
            return False
        return True

    def history(self, doc: Document, at: tuple, f: Finding, found):
        previous_date = None
        last = {HistoryField.status: None, HistoryField.best: None}
        statuses = {s.value for s in Status}
        for k, entry in enumerate(f.history):
            loc = at + ("history", k)
            if previous_date and entry.date < previous_date:
                self.report(
                    doc,
                    loc + ("date",),
                    f"history is append-only: {entry.date} is earlier than the entry before it ({previous_date})",
                )
            previous_date = entry.date
            if entry.field in last:
                for key in ("before", "after"):
                    if getattr(entry, key) not in statuses:
                        self.report(doc, loc + (key,), f"{key}: {getattr(entry, key)!r} is not a status")
                previous = last[entry.field]
                if previous and entry.before != previous:
                    self.report(
                        doc,
                        loc + ("before",),
                        f"before: {entry.before!r} does not match the previous {entry.field.value} change, "
                        f"which ended at {previous!r}",
                    )
                last[entry.field] = entry.after
            if entry.field is HistoryField.dimension and entry.after != f.dimension:
                self.report(
                    doc,
                    loc + ("after",),
                    f"after: a dimension change must end at this finding's dimension ({f.dimension!r})",
                )
        for field, reading in ((HistoryField.status, found.latest), (HistoryField.best, found.best)):
            if last[field] and last[field] != reading.status.value:
                self.report(
                    doc,
                    at + ("history",),
                    f"the last {field.value} change in the history ends at {last[field]!r}, but the record now "
                    f"gives {reading.status.value!r}: append a history entry",
                )

    def synthesis(self, doc: Document, syn: Synthesis, findings: set[str] | None):
        self.unique(doc, [(("lenses", i, "lens"), s.lens.value) for i, s in enumerate(syn.lenses)], "lens")
        self.unique(doc, [(("concerns", i, "id"), c.id) for i, c in enumerate(syn.concerns)], "concern id")
        if findings is None:
            return
        for i, concern in enumerate(syn.concerns):
            for k, ref in enumerate(concern.findings):
                if ref not in findings:
                    self.unknown_ref(doc, ("concerns", i, "findings", k), "finding", ref, findings)


def check_folder(root: Path, cross_rules: bool = True) -> Dataset:
    """Load and check a findings folder; raise InvalidData with every problem found.

    With ``cross_rules=False`` only the files' shape is checked, not the rules across
    fields and files: enough to compare an old revision written under older rules.
    """
    documents, problems = load_folder(root)
    valid: dict[str, tuple[Document, BaseModel]] = {}
    for doc in documents:
        obj, found = _validate(doc)
        problems += found
        if obj is not None:
            valid[doc.relpath] = (doc, obj)

    for required in ("paper.yaml", "dimensions.yaml"):
        if required not in valid and not any(p.path.endswith(required) for p in problems):
            problems.append(Problem(str(root / required), 1, 1, "missing file"))

    rules = _Rules({obj.id for rel, (_, obj) in valid.items() if rel.startswith("initiatives/")})
    paper = valid.get("paper.yaml", (None, None))[1]
    if paper is not None:
        rules.paper(*valid["paper.yaml"])
    dims, retired = None, {}
    if "dimensions.yaml" in valid:
        rules.dimensions(*valid["dimensions.yaml"])
        dims = {d.id: d for d in valid["dimensions.yaml"][1].dimensions}
        retired = {r.id: r for r in valid["dimensions.yaml"][1].retired}
    initiatives, source_ids = [], {}
    window_end = paper.window.end if paper is not None else dt.date.max
    for relpath in sorted(valid):
        if relpath.startswith("initiatives/"):
            doc, ini = valid[relpath]
            rules.initiative(doc, ini, dims, retired, source_ids, window_end)
            initiatives.append(ini)
    all_files_valid = not problems  # else a missing finding may only be a broken file
    if "synthesis.yaml" in valid:
        findings = {finding_id(i, f) for i in initiatives for f in i.findings} if all_files_valid else None
        rules.synthesis(*valid["synthesis.yaml"], findings)
    rules.close([doc for doc, _ in valid.values()])

    if cross_rules:
        problems += rules.problems
    if problems:
        raise InvalidData(problems)
    return Dataset(
        paper=paper,
        dimensions=list(dims.values()),
        initiatives=initiatives,
        synthesis=valid["synthesis.yaml"][1] if "synthesis.yaml" in valid else None,
        retired=tuple(retired.values()),
    )
