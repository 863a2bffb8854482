"""The data model, defined once.

Every file under ``findings/`` is validated against these models; the JSON
Schemas editors use (``findings/schema/``) are generated from them, and the
site's legend and methodology are rendered from the same tables.
Rules that need more than one field or more than one file live in ``check.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

QUOTE_LIMIT = 300

# --- vocabularies -----------------------------------------------------------


class Status(StrEnum):
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


class Lens(StrEnum):
    value_setting = "value-setting"
    methods = "methods"
    data = "data"


LENS_TITLES = {
    Lens.value_setting: "Value-setting",
    Lens.methods: "Methods",
    Lens.data: "Data",
}


class Access(StrEnum):
    proprietary = "proprietary"
    open_weight = "open-weight"


class SourceKind(StrEnum):
    technical_report = "technical-report"
    system_card = "system-card"
    model_card = "model-card"
    paper = "paper"
    blog = "blog"
    policy = "policy"
    dataset = "dataset"
    documentation = "documentation"


class Audit(StrEnum):
    """How far a document was read: what its silence means for the status rule."""

    full = "full"  # read for every dimension: where a finding has no record for it, it is silent
    selective = "selective"  # counted only where a finding records a status for it
    not_audited = "not-audited"  # listed in the inventory with the reason; never counted


AUDIT_MEANING = {
    Audit.full: "Read in full: where a finding records nothing for it, it counts as not disclosed.",
    Audit.selective: "Read for some questions: counted only where a finding records its status.",
    Audit.not_audited: "Listed in the inventory, not audited (the reason is given), its date and address as listed, "
    "not yet checked against the document; never counted.",
}

# The release value of a document that applies to the initiative as a whole
# (a model spec, a constitution, a usage policy, a method used across releases).
INITIATIVE_WIDE = "initiative-wide"


class HistoryField(StrEnum):
    status = "status"  # the latest reading
    best = "best"  # the best reading
    evidence = "evidence"
    summary = "summary"
    value = "value"
    dimension = "dimension"  # the finding moved to a successor of a retired dimension
    record = "record"  # the per-document record


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


# --- scalar types -----------------------------------------------------------

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# Ids the site uses for its own pages and anchors (and every id starting with
# "lens-"): a dimension, initiative or source with one of them would replace a
# section's index page or duplicate an anchor.
def is_reserved(ident: str) -> bool:
    return ident in RESERVED_IDS or ident.startswith("lens-")


RESERVED_IDS = frozenset(
    {
        "index",
        "documents",
        "evidence",
        "statuses",
        "dimensions",
        "rule",
        "retired",
        "rubric",
        "answers",
        "releases",
        "overview",
    }
)


# Characters no text value may hold: controls (they break the front matter of
# pages and forge lines in terminals), bidirectional overrides (they reverse the
# text around them), and noncharacters. Tabs and line breaks are whitespace.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")
# Characters that show nothing: text made only of these and whitespace is empty.
_INVISIBLE = re.compile(
    "[\\s\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064"
    "\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]+"
)


def _characters(value: str) -> str:
    """Refuse control, direction-override and noncharacter code points anywhere in text."""
    found = _FORBIDDEN.search(value)
    if found:
        raise ValueError(
            f"contains the invisible control character U+{ord(found.group()):04X} "
            f"at position {found.start() + 1}; delete it"
        )
    return value


def _not_future(value: dt.date) -> dt.date:
    # UTC, so that the same data is valid on every machine on the same day.
    if value > dt.datetime.now(dt.UTC).date():
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
    if not _INVISIBLE.sub("", value):
        raise ValueError("must not be empty (it holds only blank or invisible characters)")
    return value.strip()


def _one_line(value: str) -> str:
    # Plain fields are shown inline: a line break in the YAML is just a space.
    return " ".join(value.split())


def describe_value(value) -> str:
    """What YAML made of a value, in a contributor's words."""
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


def _strict_text(value):
    # A number, date or yes/no value is not text: say so instead of converting it.
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {describe_value(value)}")
    return value


def _strict_date(value):
    # Only a real YAML date or a YYYY-MM-DD string: not a number, not '0', not a timestamp.
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        raise ValueError("expected a date written as YYYY-MM-DD")
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("expected a date written as YYYY-MM-DD")
    return value


def _strict_bool(value):
    # `first_party: 'no'` must not quietly become false.
    if not isinstance(value, bool):
        raise ValueError("expected true or false (unquoted)")
    return value


Str = Annotated[str, BeforeValidator(_strict_text), AfterValidator(_characters)]
Id = Annotated[Str, Field(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[Str, AfterValidator(_non_blank), AfterValidator(_one_line)]
Markdown = Annotated[Str, AfterValidator(_non_blank), Field(description="Markdown text")]
Day = Annotated[dt.date, BeforeValidator(_strict_date), AfterValidator(_not_future), Field(description="YYYY-MM-DD")]
Url = Annotated[Str, AfterValidator(_http_url), Field(description="http(s) URL")]
Quote = Annotated[Str, AfterValidator(_non_blank), AfterValidator(_one_line), AfterValidator(_short_quote)]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
ArxivId = Annotated[Str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")]


class Strict(BaseModel):
    # Unknown keys are errors (with a "did you mean" from check.py).
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- entities ---------------------------------------------------------------


class PaperVersion(Strict):
    version: Annotated[Str, Field(pattern=r"^v[0-9]+$")]
    date: Day


class Window(Strict):
    """The audit window: documents after its end are not counted; those before its start are marked."""

    start: Day
    end: Day


class Paper(Strict):
    """The survey this site accompanies."""

    id: Id
    title: Text
    authors: Annotated[list[Text], Field(min_length=1)]
    arxiv: ArxivId
    url: Url
    versions: Annotated[list[PaperVersion], Field(min_length=1)]
    window: Window
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
    decisions: list[Text] = Field(default=[], description="Edge cases settled, so that two curators agree")


class RetiredDimension(Strict):
    """A dimension id no longer used: its permalinks lead to its successors."""

    id: Id
    successors: Annotated[list[Id], Field(min_length=1)]
    note: Text


class DimensionsFile(Strict):
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    retired: list[RetiredDimension] = []


class Release(Strict):
    """A model release: the documents that accompany it are read together."""

    id: Id
    name: Text
    date: Day = Field(description="The model's public release date")


class SourceVersion(Strict):
    """The version of a document that was quoted, where it has versions (an arXiv vN)."""

    label: Text
    date: Day


class Source(Strict):
    """An audited document."""

    id: Id
    title: Text
    publisher: Text
    kind: SourceKind
    first_party: Flag
    published: Day
    release: Id = Field(description=f"A release id of the initiative, or {INITIATIVE_WIDE}")
    audit: Audit
    version: SourceVersion | None = None
    superseded_by: Id | None = Field(default=None, description="A later document that replaces this one")
    not_audited: Text | None = Field(default=None, description="Required for not-audited: why")
    url: Url
    arxiv: ArxivId | None = None
    doi: Annotated[Str, Field(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    accessed: Day
    archived_url: Url | None = None


class Evidence(Strict):
    source: Id
    locator: Text = Field(description="Section, page or table where the quote stands")
    quote: Quote = Field(description=f"Verbatim, at most {QUOTE_LIMIT} characters")
    shows: Text = Field(description="What the quote establishes")


class SourceStatus(Strict):
    """The status one document alone earns: the per-document record the readings derive from."""

    source: Id
    status: Status
    note: Text | None = None


class PaperReading(Strict):
    """What the survey itself printed for this cell, once someone has verified it."""

    section: Text
    status: Status


class HistoryEntry(Strict):
    date: Day
    field: HistoryField
    before: Text
    after: Text
    reason: Text
    ref: Annotated[Str, Field(pattern=r"^(#[0-9]+|https?://\S+)$")] = Field(
        description="The issue or pull request: #123 or a URL"
    )


class Finding(Strict):
    """One initiative's answer to one dimension."""

    dimension: Id
    value: list[Id] | None = None
    summary: Markdown
    rationale: Markdown
    note: Markdown | None = Field(default=None, description="Required where a reading is partial: what is missing")
    not_applicable: Markdown | None = Field(
        default=None, description="Why the question does not apply (only where the rubric allows it)"
    )
    evidence: list[Evidence] = []
    by_source: list[SourceStatus] = Field(
        default=[], description="The per-document record: the status each document alone earns"
    )
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
    releases: list[Release] = Field(default=[], description="The model releases, oldest first")
    sources: Annotated[list[Source], Field(min_length=1)]
    findings: list[Finding]


class LensSummary(Strict):
    lens: Lens
    summary: Markdown


class Concern(Strict):
    id: Id
    title: Text
    text: Markdown
    findings: Annotated[list[Annotated[Str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]], Field(min_length=1)] = Field(
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
