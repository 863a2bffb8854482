"""The repository's GitHub files: valid workflows and forms, safe actions, and links that fill the forms."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import MINI, ROOT, build_site, run_findings
from generator.check import check_folder
from generator.github import CORRECTION_FIELDS, CORRECTION_FORM, correction_url
from generator.pipeline import dataset_version, mkdocs_setting

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
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert (zenodo["title"], zenodo["license"]) == (citation["title"], citation["license"])


def workflow(name: str) -> dict:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_the_supported_python_versions_agree_everywhere():
    """requires-python (mkdocs-material 9.8 needs 3.11) is what CI tests first, make checks and the README says."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"]).groups()
    version = ".".join(floor)
    tested = workflow("ci.yml")["jobs"]["test"]["strategy"]["matrix"]["python"]
    assert min(tested, key=lambda v: tuple(map(int, v.split(".")))) == version
    assert len(tested) >= 2, "the oldest and the newest supported Python"
    assert f"Programming Language :: Python :: {version}" in project["classifiers"]
    assert f"sys.version_info >= ({floor[0]}, {floor[1]})" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"Python {version}+" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_workflows_drive_playwrights_chromium_not_the_distributions():
    for path in WORKFLOWS:
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            runs = [s.get("run", "") for s in job.get("steps", [])]
            assert not any("apt-get install" in r and "chromium" in r for r in runs), (path.name, name)
            tests = [s for s in job.get("steps", []) if "make test" in s.get("run", "")]
            for step in tests:
                assert any("playwright install --with-deps chromium" in r for r in runs), (path.name, name)
                assert step["env"]["CHROMIUM"] == "", (path.name, name)  # empty: Playwright's own browser


def _site_url_step() -> dict:
    build = workflow("pages.yml")["jobs"]["build"]
    (pages,) = steps_using(build, "actions/configure-pages")
    (step,) = [s for s in build["steps"] if "site_url" in s.get("run", "")]
    assert step["env"]["BASE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    (site,) = [s for s in build["steps"] if "make site" in s.get("run", "")]
    order = build["steps"].index
    assert order(pages) < order(step) < order(site)
    return step


def test_pages_takes_site_url_from_configure_pages():
    _site_url_step()
    # The step rewrites the one site_url line; the default stays in mkdocs.yml (and CITATION.cff).
    assert len(re.findall(r"(?m)^site_url: ", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))) == 1


@pytest.mark.parametrize(
    "base_url, base_path",
    [("https://example.org", "/"), ("https://someone.github.io/findings-fork", "/findings-fork/")],
    ids=["custom-domain-at-root", "project-page-of-a-fork"],
)
def test_site_builds_and_its_links_hold_where_pages_serves_it(tmp_path, base_url, base_path):
    """The Pages workflow's own step sets site_url; the site then builds and `findings links` passes."""
    work = tmp_path / "project"
    work.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    step = subprocess.run(
        ["bash", "-e", "-c", _site_url_step()["run"]],
        cwd=work,
        env={**os.environ, "BASE_URL": base_url},
        capture_output=True,
        text=True,
    )
    assert step.returncode == 0, step.stderr
    assert mkdocs_setting(work / "mkdocs.yml", "site_url") == base_url + "/"
    result = build_site(MINI, work)
    assert result.returncode == 0, result.stderr
    links = run_findings("links", "--site", "site", "--config", "mkdocs.yml", cwd=work)
    assert links.returncode == 0, links.stdout + links.stderr
    site = work / "site"
    assert f'<link rel="canonical" href="{base_url}/">' in (site / "index.html").read_text(encoding="utf-8")
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert f'href="{base_path}assets/extra.css"' in missing  # the 404 page's links are absolute
    assert f"<loc>{base_url}/matrix/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
