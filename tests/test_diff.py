"""`findings diff` on real revisions of the data, and the append-only history check."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, edit, run_findings
from generator.check import check_folder
from generator.diff import compare, history_problems

# Two real revisions: the first curation of all six initiatives, and the commit that
# applied one rule to findings whose documents differ (18 statuses became partial).
CURATED, RULE_APPLIED = "0d86fe9", "0c545e1"


@pytest.fixture
def history():
    for rev in (CURATED, RULE_APPLIED):
        if subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True).returncode:
            pytest.skip(f"commit {rev} is not in this clone (a shallow clone?); fetch the full history to run this test")


def test_diff_of_two_real_revisions(history):
    result = run_findings("diff", CURATED, RULE_APPLIED)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## Changes to the findings\n\n0 added, 0 removed, 18 changed.\n")
    assert "### Meta Llama" in out
    assert "- `meta-llama/preference-data-size`: status disclosed → **partial**; rationale or note changed" in out


def test_status_change_without_history_is_caught(history):
    result = run_findings("diff", CURATED, RULE_APPLIED, "--check-history")
    assert result.returncode == 1
    assert result.stderr.count("without a history entry (field: status)") == 18


def test_folder_diff_and_a_recorded_correction(mini, tmp_path):
    before = tmp_path / "before"
    shutil.copytree(mini, before)
    edit(mini / "initiatives/alibaba-qwen.yaml", "- dimension: annotator-pay\n  status: not-disclosed",
         "- dimension: annotator-pay\n  status: partial\n  note: Pay is described only as fair.")
    changes = compare(check_folder(before, cross_rules=False), check_folder(mini, cross_rules=False))
    assert [c.id for c in changes] == ["alibaba-qwen/annotator-pay"]
    assert history_problems(changes) == [
        "alibaba-qwen/annotator-pay: status changed (not-disclosed → partial) without a history entry (field: status)"
    ]
    text = (mini / "initiatives/alibaba-qwen.yaml").read_text(encoding="utf-8")
    text = text.rstrip("\n") + ("\n  history:\n  - date: 2026-11-28\n    field: status\n    before: not-disclosed\n"
                                "    after: partial\n    reason: Found a statement on pay.\n    ref: '#7'\n")
    (mini / "initiatives/alibaba-qwen.yaml").write_text(text, encoding="utf-8")
    result = run_findings("diff", before, mini, "--check-history")
    assert result.returncode == 0, result.stderr
    assert "- `alibaba-qwen/annotator-pay`: status not-disclosed → **partial**; rationale or note changed; 1 history entry added" in result.stdout


def test_rewritten_history_is_caught(mini, tmp_path):
    before = tmp_path / "before"
    shutil.copytree(mini, before)
    edit(mini / "initiatives/alibaba-qwen.yaml", "reason: The Qwen2.5 report mentions", "reason: The report mentions")
    changes = compare(check_folder(before), check_folder(mini))
    assert history_problems(changes) == [
        "alibaba-qwen/annotators: history was rewritten; entries may only be added at the end"
    ]


def test_history_is_kept_since_the_previous_revision():
    """Status and evidence changes since the base revision carry history entries; history is never rewritten."""
    base = os.environ.get("FINDINGS_BASE", "HEAD~1")
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", base], cwd=ROOT, capture_output=True)
    if known.returncode != 0:
        pytest.skip(f"{base} is not in this clone (shallow?); set FINDINGS_BASE to compare against another revision")
    result = run_findings("diff", base, "--check-history")
    assert result.returncode == 0, result.stderr
