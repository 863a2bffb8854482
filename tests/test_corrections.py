"""A correction made as the contributing guide describes shows on the finding, the matrix and the Changes page."""

from __future__ import annotations

import shutil

from conftest import MINI, build_site, edit, run_findings

QWEN = "initiatives/alibaba-qwen.yaml"


def test_documented_correction_reaches_every_place_a_reader_looks(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(MINI, before)
    shutil.copytree(MINI, after)
    # The steps of docs/contributing.md: change a document's status, say what is missing, append a history entry.
    edit(after / QWEN, "  - source: qwen2-report\n    status: not-disclosed\n  confidence: high\n  as_of: 2026-11-28\n",
         "  - source: qwen2-report\n    status: not-disclosed\n  - source: qwen2-5-report\n    status: partial\n"
         "  confidence: high\n  as_of: 2026-11-28\n  note: No pay rates are given.\n")
    text = (after / QWEN).read_text(encoding="utf-8").rstrip("\n")
    text += ("\n  history:\n  - date: 2026-11-28\n    field: status\n    before: not-disclosed\n    after: partial\n"
             "    reason: A test correction of the fixture.\n    ref: '#42'\n")
    (after / QWEN).write_text(text, encoding="utf-8")

    assert run_findings("validate", "--findings", after).returncode == 0
    diff = run_findings("diff", before, after, "--check-history")
    assert diff.returncode == 0, diff.stderr
    assert "`alibaba-qwen/annotator-pay-rates`: status not-disclosed → **partial**" in diff.stdout

    result = build_site(after, tmp_path / "project")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "project/site"
    changes = (site / "changes/index.html").read_text(encoding="utf-8")
    assert changes.index("alibaba-qwen/annotator-pay-rates") > changes.index("alibaba-qwen/annotator-workforce")  # newer first
    assert "A test correction of the fixture." in changes
    assert 'href="https://github.com/decoding-alignment/findings/issues/42"' in changes
    matrix = (site / "matrix/index.html").read_text(encoding="utf-8")
    cell = matrix.split('href="../initiatives/alibaba-qwen/#annotator-pay-rates"', 1)[0].rsplit("<td", 1)[1]
    assert 'data-status="partial"' in cell
    detail = matrix.split('id="detail-alibaba-qwen-annotator-pay-rates"', 1)[1].split("</div>", 1)[0]
    assert "Changed on 2026-11-28 from <em>not-disclosed</em>" in detail
    page = (site / "initiatives/alibaba-qwen/index.html").read_text(encoding="utf-8")
    card = page.split('id="annotator-pay-rates"', 1)[1].split('class="finding__footer"', 1)[0]
    assert "Corrections (1)" in card and "A test correction of the fixture." in card
