"""Check: validate every file against the model, then the rules that span fields and files.

``check_folder`` returns a ``Dataset`` or raises ``InvalidData`` carrying every
problem at once, each pointing at the offending key or value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .load import Document, load_folder, model_for
from .model import (
    Dimension,
    DimensionsFile,
    Finding,
    Initiative,
    Paper,
    Source,
    Status,
    Synthesis,
)
from .problems import InvalidData, Problem

NEEDS_EVIDENCE = {Status.disclosed, Status.partial, Status.not_disclosed}


@dataclass(frozen=True)
class Dataset:
    """Everything the site is built from, validated."""

    paper: Paper
    dimensions: list[Dimension]
    initiatives: list[Initiative]
    synthesis: Synthesis | None

    @property
    def published(self) -> dt.date:
        """The date of the paper's first version: documents after it are marked."""
        return min(v.date for v in self.paper.versions)

    def sources(self) -> dict[str, tuple[Initiative, Source]]:
        return {s.id: (i, s) for i in self.initiatives for s in i.sources}

    @functools.cached_property
    def _cells(self) -> dict[tuple[str, str], Finding]:
        return {(i.id, f.dimension): f for i in self.initiatives for f in i.findings}

    def finding(self, initiative: Initiative, dimension: Dimension) -> Finding | None:
        """The finding in a cell of the matrix, or None where it has not been assessed."""
        return self._cells.get((initiative.id, dimension.id))


RANK = {Status.not_disclosed: 0, Status.partial: 1, Status.disclosed: 2}


def implied_status(finding: Finding, published: dict[str, dt.date]) -> Status | None:
    """The overall status the per-document statuses imply, when documents differ.

    The status follows the most recent document; where only earlier documents
    answered, it is partial: disclosure that was not kept up is not full disclosure.
    """
    ranked = sorted((published[s.source], s.source, s.status) for s in finding.by_source if s.status in RANK)
    if not ranked:
        return None
    latest = ranked[-1][2]
    if latest is Status.not_disclosed and any(status is not latest for *_, status in ranked):
        return Status.partial
    return latest


def finding_id(initiative: Initiative, finding: Finding) -> str:
    """The stable, public identifier of a finding."""
    return f"{initiative.id}/{finding.dimension}"


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


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()}); quote it if you mean text"
    if isinstance(value, (int, float)):
        return f"a number ({value}); quote it if you mean text"
    if isinstance(value, dt.date):
        return f"a date ({value}); quote it if you mean text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return repr(value)


def _message(error: dict, model: type[BaseModel]) -> tuple[str, bool]:
    """A contributor-facing message for one pydantic error, and whether it points at a key."""
    loc, kind = error["loc"], error["type"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
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
        return f"{name}: expected {wanted}, got {_describe(error['input'])}", False
    if kind == "string_pattern_mismatch":
        return f"{name}: {error['input']!r} does not match the required form {error['ctx']['pattern']}", False
    text = error["msg"].removeprefix("Value error, ")
    return f"{name}: {text}", False


def _validate(doc: Document) -> tuple[BaseModel | None, list[Problem]]:
    model = model_for(doc.relpath)
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), f"expected a mapping of fields at the top, got {_describe(doc.data)}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            message, at_key = _message(error, model)
            problems.append(doc.problem(error["loc"], message, at_key=at_key))
        return None, problems


# --- rules across fields and files


class _Rules:
    """Cross-field and cross-file rules; each problem is positioned in its file."""

    def __init__(self, initiative_ids: set[str]):
        self.problems: list[Problem] = []
        self.initiative_ids = initiative_ids

    def report(self, doc: Document, loc: tuple, message: str, at_key: bool = False):
        self.problems.append(doc.problem(loc, message, at_key=at_key))

    def dimensions(self, doc: Document, dims: DimensionsFile):
        self.unique(doc, [(("dimensions", i, "id"), d.id) for i, d in enumerate(dims.dimensions)], "dimension")

    def unique(self, doc: Document, items: list[tuple[tuple, str]], what: str, seen=None):
        seen = {} if seen is None else seen
        for loc, ident in items:
            if ident in seen:
                self.report(doc, loc, f"duplicate {what} id {ident!r} (also in {seen[ident]})")
            else:
                seen[ident] = f"{doc.path}:{doc.problem(loc, '').line}"
                if what == "source" and ident in self.initiative_ids:
                    # Both are anchors on the sources page.
                    self.report(doc, loc, f"source id {ident!r} is also an initiative's id; choose another")

    def initiative(self, doc: Document, ini: Initiative, dims: dict[str, Dimension] | None, source_ids: dict):
        stem = doc.relpath.rsplit("/", 1)[-1].removesuffix(".yaml")
        if ini.id != stem:
            self.report(doc, ("id",), f"id {ini.id!r} must match the file name ({stem}.yaml)")
        self.unique(doc, [(("sources", i, "id"), s.id) for i, s in enumerate(ini.sources)], "source", source_ids)
        own = {s.id: s.published for s in ini.sources}
        for i, source in enumerate(ini.sources):
            if source.accessed < source.published:
                self.report(doc, ("sources", i, "accessed"), "accessed: earlier than the publication date")
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
                if dim is None:
                    self.unknown_ref(doc, at + ("dimension",), "dimension", finding.dimension, dims)
            self.finding(doc, at, finding, dim, own)
            cited |= {e.source for e in finding.evidence} | set(finding.searched or ())
        for i, source in enumerate(ini.sources):
            if source.id not in cited:
                self.report(
                    doc,
                    ("sources", i, "id"),
                    f"source {source.id!r} is never cited by a finding (as evidence or as searched)",
                )

    def unknown_ref(self, doc, loc, what, ident, known):
        hint = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.6)
        suffix = f"; did you mean {hint[0]!r}?" if hint else ""
        self.report(doc, loc, f"unknown {what} {ident!r}{suffix}")

    def finding(self, doc: Document, at: tuple, f: Finding, dim: Dimension | None, published: dict):
        status = f.status
        if status is Status.partial and not f.note:
            self.report(doc, at + ("status",), "a partial finding needs a 'note' saying what is missing")
        if status is Status.not_applicable and not f.reason:
            self.report(doc, at + ("status",), "a not-applicable finding needs a 'reason'")
        if status is Status.not_disclosed and not f.searched:
            self.report(doc, at + ("status",), "a not-disclosed finding needs 'searched': the sources searched")
        if status in NEEDS_EVIDENCE and not f.evidence:
            self.report(doc, at + ("status",), f"a {status.value} finding needs at least one 'evidence' entry")
        if dim is not None:
            if status is Status.not_applicable and dim.rubric.not_applicable is None:
                self.report(doc, at + ("status",), f"dimension {dim.id!r} has no rubric for not-applicable")
            if f.value is not None:
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
        for k, e in enumerate(f.evidence):
            if e.source not in published:
                self.unknown_ref(doc, at + ("evidence", k, "source"), "source", e.source, published)
        for k, s in enumerate(f.by_source):
            if s.source not in published:
                self.unknown_ref(doc, at + ("by_source", k, "source"), "source", s.source, published)
        for k, s in enumerate(f.searched or ()):
            if s not in published:
                self.unknown_ref(doc, at + ("searched", k), "source", s, published)
        if all(s.source in published for s in f.by_source):
            implied = implied_status(f, published)
            if implied is not None and implied != f.status:
                self.report(
                    doc,
                    at + ("status",),
                    f"status {f.status.value!r} does not follow from by_source, "
                    f"which implies {implied.value!r} (the most recent document decides; see the methodology)",
                )
        self.history(doc, at, f)

    def history(self, doc: Document, at: tuple, f: Finding):
        previous_date, previous_status = None, None
        for k, entry in enumerate(f.history):
            loc = at + ("history", k)
            if previous_date and entry.date < previous_date:
                self.report(
                    doc,
                    loc + ("date",),
                    f"history is append-only: {entry.date} is earlier than the entry before it ({previous_date})",
                )
            previous_date = entry.date
            if entry.field == "status":
                for key in ("before", "after"):
                    if getattr(entry, key) not in {s.value for s in Status}:
                        self.report(doc, loc + (key,), f"{key}: {getattr(entry, key)!r} is not a status")
                if previous_status and entry.before != previous_status:
                    self.report(
                        doc,
                        loc + ("before",),
                        f"before: {entry.before!r} does not match the "
                        f"previous status change, which ended at {previous_status!r}",
                    )
                previous_status = entry.after
        if previous_status and previous_status != f.status.value:
            self.report(
                doc,
                at + ("status",),
                f"status {f.status.value!r} does not match the last history "
                f"entry, which changed it to {previous_status!r}",
            )

    def synthesis(self, doc: Document, syn: Synthesis, findings: set[str] | None):
        self.unique(doc, [(("lenses", i, "lens"), s.lens.value) for i, s in enumerate(syn.lenses)], "lens")
        self.unique(doc, [(("concerns", i, "id"), c.id) for i, c in enumerate(syn.concerns)], "concern")
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
    dims = None
    if "dimensions.yaml" in valid:
        rules.dimensions(*valid["dimensions.yaml"])
        dims = {d.id: d for d in valid["dimensions.yaml"][1].dimensions}
    initiatives, source_ids = [], {}
    for relpath in sorted(valid):
        if relpath.startswith("initiatives/"):
            doc, ini = valid[relpath]
            rules.initiative(doc, ini, dims, source_ids)
            initiatives.append(ini)
    all_files_valid = not problems  # else a missing finding may only be a broken file
    if "synthesis.yaml" in valid:
        findings = {finding_id(i, f) for i in initiatives for f in i.findings} if all_files_valid else None
        rules.synthesis(*valid["synthesis.yaml"], findings)

    if cross_rules:
        problems += rules.problems
    if problems:
        raise InvalidData(problems)
    return Dataset(
        paper=valid["paper.yaml"][1],
        dimensions=list(dims.values()),
        initiatives=initiatives,
        synthesis=valid["synthesis.yaml"][1] if "synthesis.yaml" in valid else None,
    )
