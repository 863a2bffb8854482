"""The data model, defined once.

Every file under ``findings/`` is validated against these models; the JSON
Schemas editors use (``findings/schema/``) are generated from them, and the
site's legend and methodology are rendered from the same tables.
Rules that need more than one field or more than one file live in ``check.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

QUOTE_LIMIT = 300

# --- vocabularies -----------------------------------------------------------


class Status(str, Enum):
    disclosed = "disclosed"
    partial = "partial"
    not_disclosed = "not-disclosed"
    not_applicable = "not-applicable"
    unknown = "unknown"


# glyph, word, meaning: shown together so that no cell relies on colour alone.
STATUS_LEGEND: dict[Status, tuple[str, str, str]] = {
    Status.disclosed: ("●", "Disclosed", "The documents answer the question."),
    Status.partial: ("◐", "Partial", "The documents answer part of it; a note says what is missing."),
    Status.not_disclosed: (
        "○",
        "Not disclosed",
        "The documents searched (listed with the finding) do not answer it.",
    ),
    Status.not_applicable: ("–", "Not applicable", "The question does not apply; a reason is given."),
    Status.unknown: ("?", "Unknown", "Not assessed yet. Never counted as “not disclosed”."),
}


class Lens(str, Enum):
    value_setting = "value-setting"
    methods = "methods"
    data = "data"


LENS_TITLES = {
    Lens.value_setting: "Value-setting",
    Lens.methods: "Methods",
    Lens.data: "Data",
}


class Access(str, Enum):
    proprietary = "proprietary"
    open_weight = "open-weight"


class SourceKind(str, Enum):
    technical_report = "technical-report"
    system_card = "system-card"
    model_card = "model-card"
    paper = "paper"
    blog = "blog"
    policy = "policy"
    dataset = "dataset"
    documentation = "documentation"


class Confidence(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


# --- scalar types -----------------------------------------------------------

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _no_numbers(value):
    # YAML reads `2024` as an int, which pydantic would take as a Unix time.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("expected a date written as YYYY-MM-DD")
    return value


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"{value} is in the future")
    return value


def _http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _short_quote(value: str) -> str:
    if len(value) > QUOTE_LIMIT:
        raise ValueError(f"quote is {len(value)} characters; the limit is {QUOTE_LIMIT}")
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _one_line(value: str) -> str:
    # Plain fields are shown inline: a line break in the YAML is just a space.
    return " ".join(value.split())


Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, AfterValidator(_non_blank), AfterValidator(_one_line)]
Markdown = Annotated[str, AfterValidator(_non_blank), Field(description="Markdown text")]
Day = Annotated[dt.date, BeforeValidator(_no_numbers), AfterValidator(_not_future), Field(description="YYYY-MM-DD")]
Url = Annotated[str, AfterValidator(_http_url), Field(description="http(s) URL")]
Quote = Annotated[str, AfterValidator(_non_blank), AfterValidator(_one_line), AfterValidator(_short_quote)]


class Strict(BaseModel):
    # Unknown keys are errors (with a "did you mean" from check.py).
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- entities ---------------------------------------------------------------


class PaperVersion(Strict):
    version: Annotated[str, Field(pattern=r"^v[0-9]+$")]
    date: Day


class Paper(Strict):
    """The survey this site accompanies."""

    id: Id
    title: Text
    authors: Annotated[list[Text], Field(min_length=1)]
    arxiv: Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")]
    url: Url
    versions: Annotated[list[PaperVersion], Field(min_length=1)]
    note: Markdown | None = None
    abstract: Markdown


class Rubric(Strict):
    """One sentence per status: what it means for this dimension."""

    disclosed: Text
    partial: Text
    not_disclosed: Text = Field(alias="not-disclosed")
    not_applicable: Text | None = Field(default=None, alias="not-applicable")


class Dimension(Strict):
    """A row of the audit: one question asked of every initiative."""

    id: Id
    lens: Lens
    title: Text
    question: Text
    choices: list[Id] | None = Field(
        default=None, description="Allowed categorical values for findings of this dimension"
    )
    rubric: Rubric


class DimensionsFile(Strict):
    dimensions: Annotated[list[Dimension], Field(min_length=1)]


class Source(Strict):
    """An audited document."""

    id: Id
    title: Text
    publisher: Text
    kind: SourceKind
    first_party: bool
    published: Day
    url: Url
    arxiv: Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")] | None = None
    doi: Annotated[str, Field(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    accessed: Day
    archived_url: Url | None = None


class Evidence(Strict):
    source: Id
    locator: Text = Field(description="Section, page or table where the quote stands")
    quote: Quote = Field(description=f"Verbatim, at most {QUOTE_LIMIT} characters")
    shows: Text = Field(description="What the quote establishes")


class SourceStatus(Strict):
    """The status one document alone earns, to show disclosure over time."""

    source: Id
    status: Status
    note: Text | None = None


class PaperReading(Strict):
    """What the survey itself printed for this cell, once someone has verified it."""

    section: Text
    status: Status


class HistoryEntry(Strict):
    date: Day
    field: Annotated[str, Field(pattern=r"^(status|evidence|summary|value)$")]
    before: Text
    after: Text
    reason: Text
    ref: Annotated[str, Field(pattern=r"^(#[0-9]+|https?://\S+)$")] = Field(
        description="The issue or pull request: #123 or a URL"
    )


class Finding(Strict):
    """One initiative's answer to one dimension."""

    dimension: Id
    status: Status
    value: list[Id] | None = None
    summary: Markdown
    rationale: Markdown
    note: Markdown | None = Field(default=None, description="Required for partial: what is missing")
    reason: Markdown | None = Field(default=None, description="Required for not-applicable")
    searched: list[Id] | None = Field(default=None, description="Required for not-disclosed: the sources searched")
    evidence: list[Evidence] = []
    by_source: list[SourceStatus] = []
    confidence: Confidence
    as_of: Day
    paper: PaperReading | None = None
    history: list[HistoryEntry] = []


class Initiative(Strict):
    """One file under findings/initiatives/: the initiative, its documents, its findings."""

    id: Id
    name: Text
    organisation: Text
    access: Access
    overview: Markdown
    sources: Annotated[list[Source], Field(min_length=1)]
    findings: list[Finding]


class LensSummary(Strict):
    lens: Lens
    summary: Markdown


class Concern(Strict):
    id: Id
    title: Text
    text: Markdown
    findings: Annotated[list[Annotated[str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]], Field(min_length=1)] = Field(
        description="Supporting findings, as initiative/dimension"
    )


class Synthesis(Strict):
    """Cross-initiative summaries and the broader concerns they raise."""

    lenses: list[LensSummary]
    concerns: list[Concern]


# The top-level model of each kind of file, by path relative to findings/.
FILE_MODELS: dict[str, type[Strict]] = {
    "paper.yaml": Paper,
    "dimensions.yaml": DimensionsFile,
    "synthesis.yaml": Synthesis,
    "initiatives/*.yaml": Initiative,
}
