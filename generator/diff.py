"""Compare the findings at two revisions: what a pull request changes, and whether history was kept.

A side is a folder, or a git revision whose ``findings/`` is read with ``git archive``.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .check import check_folder
from .dataset import Dataset, finding_id
from .model import Finding, Status


@contextmanager
def findings_at(side: str, findings: Path):
    """The dataset of a folder, or of ``findings/`` at a git revision."""
    if Path(side).is_dir():
        yield check_folder(Path(side), cross_rules=False)
        return
    archive = subprocess.run(["git", "archive", "--format=tar", side, "--", findings.as_posix()], capture_output=True)
    if archive.returncode != 0:
        raise RevisionNotFound(f"{side}: neither a folder nor a git revision with {findings}/")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # The "data" filter refuses links and paths outside the folder (Python 3.10.12+, 3.11.4+).
        tar.extractall(tmp, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        yield check_folder(Path(tmp) / findings, cross_rules=False)


class RevisionNotFound(Exception):
    pass


@dataclass(frozen=True)
class Side:
    """A finding at one revision, with its initiative and its derived readings."""

    name: str  # the initiative's display name, for headings
    finding: Finding
    status: Status  # the latest reading
    best: Status  # the best reading


@dataclass
class Change:
    id: str
    initiative: str  # the initiative's id
    before: Side | None
    after: Side | None
    what: list[str] = field(default_factory=list)


def _findings(ds: Dataset) -> dict[str, Side]:
    return {
        finding_id(i, f): Side(i.name, f, ds.status(i, f), ds.readings(i, f).best.status)
        for i in ds.initiatives
        for f in i.findings
    }


def _describe(old: Side, new: Side) -> list[str]:
    what = []
    before, after = old.finding, new.finding
    if old.status != new.status:
        what.append(f"status {old.status.value} → **{new.status.value}**")
    if old.best != new.best:
        what.append(f"best reading {old.best.value} → **{new.best.value}**")
    if before.by_source != after.by_source:
        what.append("per-document record changed")
    if before.value != after.value:
        what.append(f"answer {', '.join(before.value or ['none'])} → {', '.join(after.value or ['none'])}")
    if before.summary != after.summary:
        what.append("summary changed")
    if before.rationale != after.rationale or before.note != after.note:
        what.append("rationale or note changed")
    old, new = set(before.evidence), set(after.evidence)
    if old != new:
        what.append(f"evidence +{len(new - old)} −{len(old - new)}")
    added = len(after.history) - len(before.history)
    if added > 0:
        what.append(f"{added} history {'entry' if added == 1 else 'entries'} added")
    return what


def compare(base: Dataset, head: Dataset) -> list[Change]:
    """Every finding added, removed or changed, in a stable order."""
    old, new = _findings(base), _findings(head)
    changes = []
    for ident in sorted(old.keys() | new.keys()):
        before, after = old.get(ident), new.get(ident)
        initiative = ident.split("/", 1)[0]
        if before is None or after is None:
            changes.append(Change(ident, initiative, before, after))
        elif before != after:
            changes.append(Change(ident, initiative, before, after, _describe(before, after)))
    return changes


def as_markdown(changes: list[Change]) -> str:
    """The summary a maintainer reads on a pull request."""
    added = sum(c.before is None for c in changes)
    removed = sum(c.after is None for c in changes)
    lines = ["## Changes to the findings", ""]
    if not changes:
        return "\n".join(lines + ["No finding changed.", ""])
    lines += [f"{added} added, {removed} removed, {len(changes) - added - removed} changed.", ""]
    for initiative in sorted({c.initiative for c in changes}):
        group = [c for c in changes if c.initiative == initiative]
        lines += [f"### {(group[0].after or group[0].before).name}", ""]
        for c in group:
            if c.before is None:
                lines.append(f"- `{c.id}` added ({c.after.status.value})")
            elif c.after is None:
                lines.append(f"- `{c.id}` **removed** (was {c.before.status.value})")
            else:
                lines.append(f"- `{c.id}`: {'; '.join(c.what) or 'other fields changed'}")
        lines.append("")
    return "\n".join(lines)


def history_problems(changes: list[Change]) -> list[str]:
    """Corrections that were not recorded, or history that was rewritten."""
    problems = []
    for c in changes:
        if c.before is None or c.after is None:
            continue
        before, after = c.before.finding, c.after.finding
        kept = after.history[: len(before.history)]
        if kept != before.history:
            problems.append(f"{c.id}: history was rewritten; entries may only be added at the end")
            continue
        new_entries = after.history[len(before.history) :]
        added = {h.field.value for h in new_entries}
        if c.before.status != c.after.status and "status" not in added:
            problems.append(
                f"{c.id}: status changed ({c.before.status.value} → {c.after.status.value}) "
                "without a history entry (field: status)"
            )
        # One status entry covers a best reading that moved the same way as the latest.
        best_move = (c.before.best.value, c.after.best.value)
        same_move = any(h.field.value == "status" and (h.before, h.after) == best_move for h in new_entries)
        if c.before.best != c.after.best and "best" not in added and not same_move:
            problems.append(
                f"{c.id}: best reading changed ({c.before.best.value} → {c.after.best.value}) "
                "without a history entry (field: best)"
            )
        if set(before.evidence) != set(after.evidence) and "evidence" not in added and "status" not in added:
            problems.append(f"{c.id}: evidence changed without a history entry (field: evidence)")
    return problems
