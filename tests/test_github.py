"""The repository's GitHub files: valid workflows and forms, safe actions, and links that fill the forms."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import MINI, ROOT
from generator.check import check_folder
from generator.pipeline import dataset_version, mkdocs_setting
from generator.render import CORRECTION_FIELDS, CORRECTION_FORM, correction_url

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
REPOSITORY = mkdocs_setting(ROOT / "mkdocs.yml", "extra", "repository")


def tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed; run `make test` to set up .venv"
    return found


def run(*command) -> subprocess.CompletedProcess:
    return subprocess.run([*map(str, command)], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize(
    "schema, path",
    [("vendor.github-workflows", p) for p in WORKFLOWS]
    + [("vendor.github-issue-forms", p) for p in FORMS]
    + [("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE/config.yml")],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_github_files_match_githubs_schemas(schema, path):
    result = run(tool("check-jsonschema"), "--builtin-schema", schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint():
    result = run(tool("actionlint"), *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_the_security_audit():
    result = run(tool("zizmor"), "--offline", "--no-progress", GITHUB / "workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_correction_links_fill_the_forms_fields():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / CORRECTION_FORM).read_text(encoding="utf-8"))
    ids = {item.get("id") for item in form["body"]}
    assert set(CORRECTION_FIELDS) <= ids
    required = {i["id"] for i in form["body"] if i.get("validations", {}).get("required")}
    assert required == {"finding-id", "problem", "evidence-url", "evidence-locator", "evidence-quote"}
    ds = check_folder(MINI)
    ini = ds.initiatives[0]
    query = parse_qs(urlsplit(correction_url(REPOSITORY, ini, ini.findings[0], ds.status(ini, ini.findings[0]))).query)
    assert query == {
        "template": [CORRECTION_FORM],
        "title": ["Correction: alibaba-qwen/objectives"],
        "finding-id": ["alibaba-qwen/objectives"],
        "current-status": ["disclosed"],
    }


def test_repository_url_and_version_agree_everywhere():
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8"))
    assert all(link["url"].startswith(REPOSITORY + "/") for link in config["contact_links"])
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["repository-code"] == REPOSITORY
    assert citation["url"] == mkdocs_setting(ROOT / "mkdocs.yml", "site_url")
    assert citation["version"] == dataset_version()
