"""Links to the project on GitHub: the correction form, the data behind a page, references."""

from __future__ import annotations

from urllib.parse import urlencode

from .dataset import finding_id
from .model import Finding, Initiative, Status

# The issue form a "Suggest a correction" link opens, and the form fields it fills
# (ids in .github/ISSUE_TEMPLATE/correct-finding.yml; a test keeps them in step).
CORRECTION_FORM = "correct-finding.yml"
CORRECTION_FIELDS = ("finding-id", "current-status")


def correction_url(repository: str, initiative: Initiative, finding: Finding, status: Status) -> str:
    """The correction form, already filled with the finding's id and current status."""
    ident = finding_id(initiative, finding)
    fields = dict(zip(CORRECTION_FIELDS, (ident, status.value), strict=True))
    query = {"template": CORRECTION_FORM, "title": f"Correction: {ident}", **fields}
    return f"{repository}/issues/new?{urlencode(query)}"


def source_file_url(repository: str, initiative: Initiative) -> str:
    """Where a contributor edits the data behind a page (the YAML, not the generated Markdown)."""
    # HEAD: GitHub resolves it to the default branch, whatever it is called.
    return f"{repository}/edit/HEAD/findings/initiatives/{initiative.id}.yaml"


def ref_url(repository: str, ref: str) -> str:
    """A history entry's reference: '#12' is an issue or pull request of the repository."""
    return f"{repository}/issues/{ref[1:]}" if ref.startswith("#") else ref
