"""The `findings` command on real data: generation, idempotence, exports, fast validation."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

from conftest import FINDINGS, MINI, ROOT, edit, run_findings


def test_generate_writes_nothing_the_second_time(tmp_path):
    docs = tmp_path / "docs"
    first = run_findings("generate", "--findings", MINI, "--docs", docs)
    assert first.returncode == 0, first.stderr
    stamps = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    second = run_findings("generate", "--findings", MINI, "--docs", docs)
    assert second.stdout.strip() == f"generated into {docs}: 0 file(s) changed"
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == stamps


def test_one_changed_finding_rewrites_only_the_files_that_show_it(mini, tmp_path):
    docs = tmp_path / "docs"
    run_findings("generate", "--findings", mini, "--docs", docs)
    edit(mini / "initiatives/alibaba-qwen.yaml", "every generation states one.", "every generation names one.")
    result = run_findings("generate", "--findings", mini, "--docs", docs)
    assert result.stdout.strip() == f"generated into {docs}: 6 file(s) changed"
    # The rationale is shown on the initiative page, in the matrix's cell detail, in both full exports
    # and in the finding's and the initiative's records.


def test_invalid_data_leaves_generated_files_untouched(mini, tmp_path):
    docs = tmp_path / "docs"
    run_findings("generate", "--findings", mini, "--docs", docs)
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    edit(mini / "initiatives/alibaba-qwen.yaml", "name: Alibaba Qwen", "name: [broken")
    result = run_findings("generate", "--findings", mini, "--docs", docs)
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before


def test_hand_written_pages_are_never_touched(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns(*_generated()))
    hand = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    run_findings("generate", "--findings", MINI, "--docs", docs)
    assert {p: p.read_bytes() for p in hand} == hand


def _generated():
    from generator.pipeline import generated_area

    return generated_area()


def test_generated_files_are_git_ignored_and_hand_written_pages_are_not(tmp_path):
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns(*_generated()))
    hand = {p.relative_to(tmp_path).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert run_findings("generate", "--findings", MINI, "--docs", docs).returncode == 0
    generated = {p.relative_to(tmp_path).as_posix() for p in docs.rglob("*") if p.is_file()} - hand
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    untracked = {line[3:] for line in status.splitlines()}
    assert {path.split("/")[1] for path in generated} == set(_generated())  # something in every owned name
    assert untracked == hand  # every generated file ignored (docs/.gitignore lists them), no hand-written one


def test_export_json_and_csv_hold_every_finding():
    as_json = json.loads(run_findings("export", "--format", "json").stdout)
    ids = [f["id"] for i in as_json["initiatives"] for f in i["findings"]]
    rows = list(csv.DictReader(io.StringIO(run_findings("export", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ids
    assert len(ids) == len(set(ids)) == 6 * len(as_json["dimensions"])


def test_export_to_a_file(tmp_path):
    out = tmp_path / "findings.csv"
    assert run_findings("export", "--format", "csv", "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("id,initiative,organisation,access,lens,dimension,status")


def test_validate_does_not_import_the_rendering_stack():
    code = (
        f"import sys; from generator.cli import main; code = main(['validate', '--findings', {str(FINDINGS)!r}]); "
        "heavy = sorted(m for m in ('pandas', 'jinja2', 'mkdocs', 'markdown') if m in sys.modules); "
        "print(heavy); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_schema_check_fails_when_a_schema_drifts(tmp_path):
    shutil.copytree(FINDINGS, tmp_path / "findings")
    assert run_findings("schema", "--check", "--findings", tmp_path / "findings").returncode == 0
    (tmp_path / "findings/schema/paper.schema.json").write_text("{}\n")
    result = run_findings("schema", "--check", "--findings", tmp_path / "findings")
    assert result.returncode == 1 and "paper.schema.json: out of date" in result.stderr
