"""`findings diff` on real revisions of the data, and the append-only history check."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, edit, run_findings
from generator.check import check_folder
from generator.diff import compare, history_problems

PAY = "- dimension: annotator-pay-rates\n"
PAY_RECORD = "  - source: qwen2-report\n    status: not-disclosed\n  confidence: high\n  as_of: 2026-11-28\n"
# The latest release's report (read in full) now earns partial: the latest reading changes.
PAY_CORRECTED = "  - source: qwen2-report\n    status: not-disclosed\n  - source: qwen2-5-report\n    status: partial\n" \
    "  confidence: high\n  as_of: 2026-11-28\n  note: Pay is described only as fair.\n"


def test_folder_diff_and_a_recorded_correction(mini, tmp_path):
    before = tmp_path / "before"
    shutil.copytree(mini, before)
    edit(mini / "initiatives/alibaba-qwen.yaml", PAY_RECORD, PAY_CORRECTED)
    changes = compare(check_folder(before, cross_rules=False), check_folder(mini, cross_rules=False))
    assert [c.id for c in changes] == ["alibaba-qwen/annotator-pay-rates"]
    assert history_problems(changes) == [
        "alibaba-qwen/annotator-pay-rates: status changed (not-disclosed → partial) without a history entry (field: status)",
        "alibaba-qwen/annotator-pay-rates: best reading changed (not-disclosed → partial) without a history entry (field: best)",
    ]
    text = (mini / "initiatives/alibaba-qwen.yaml").read_text(encoding="utf-8")
    text = text.rstrip("\n") + ("\n  history:\n  - date: 2026-11-28\n    field: status\n    before: not-disclosed\n"
                                "    after: partial\n    reason: Found a statement on pay.\n    ref: '#7'\n")
    (mini / "initiatives/alibaba-qwen.yaml").write_text(text, encoding="utf-8")
    result = run_findings("diff", before, mini, "--check-history")
    assert result.returncode == 0, result.stderr
    # One status entry covers the best reading too, where it moved the same way.
    assert ("- `alibaba-qwen/annotator-pay-rates`: status not-disclosed → **partial**; best reading not-disclosed → "
            "**partial**; per-document record changed; rationale or note changed; 1 history entry added") in result.stdout


def test_a_best_reading_that_changes_alone_needs_its_own_entry(mini, tmp_path):
    before = tmp_path / "before"
    shutil.copytree(mini, before)
    # The older report (not the latest release) now earns partial: only the best reading changes.
    edit(mini / "initiatives/alibaba-qwen.yaml", PAY_RECORD,
         "  - source: qwen2-report\n    status: partial\n  confidence: high\n  as_of: 2026-11-28\n"
         "  note: Pay is described only as fair.\n")
    changes = compare(check_folder(before, cross_rules=False), check_folder(mini, cross_rules=False))
    assert history_problems(changes) == [
        "alibaba-qwen/annotator-pay-rates: best reading changed (not-disclosed → partial) without a history entry (field: best)"
    ]
    text = (mini / "initiatives/alibaba-qwen.yaml").read_text(encoding="utf-8")
    text = text.rstrip("\n") + ("\n  history:\n  - date: 2026-11-28\n    field: best\n    before: not-disclosed\n"
                                "    after: partial\n    reason: The Qwen2 report mentions pay.\n    ref: '#7'\n")
    (mini / "initiatives/alibaba-qwen.yaml").write_text(text, encoding="utf-8")
    assert history_problems(compare(check_folder(before), check_folder(mini))) == []


def test_rewritten_history_is_caught(mini, tmp_path):
    before = tmp_path / "before"
    shutil.copytree(mini, before)
    edit(mini / "initiatives/alibaba-qwen.yaml", "reason: The Qwen2.5 report mentions", "reason: The report mentions")
    changes = compare(check_folder(before), check_folder(mini))
    assert history_problems(changes) == [
        "alibaba-qwen/annotator-workforce: history was rewritten; entries may only be added at the end"
    ]


def test_history_is_kept_since_the_previous_revision():
    """Status and evidence changes since the base revision carry history entries; history is never rewritten."""
    base = os.environ.get("FINDINGS_BASE", "HEAD~1")
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", base], cwd=ROOT, capture_output=True)
    if known.returncode != 0:
        pytest.skip(f"{base} is not in this clone (shallow?); set FINDINGS_BASE to compare against another revision")
    result = run_findings("diff", base, "--check-history")
    if "does not load under the current data model" in result.stderr and run_findings("validate").returncode == 0:
        pytest.skip(f"{base} predates the current data model; its findings cannot be compared with these")
    assert result.returncode == 0, result.stderr
