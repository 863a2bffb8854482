"""Shared fixtures: the small real-data fixture, the real findings, and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
FINDINGS = ROOT / "findings"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the small fixture (four real Qwen findings)."""
    target = tmp_path / "findings"
    shutil.copytree(MINI, target)
    return target


def run_findings(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `findings` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
    )


def build_site(findings: Path, work: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the site from ``findings`` in a scratch copy of the project at ``work`` (site in work/site)."""
    from generator.write import GENERATED

    work.mkdir(parents=True, exist_ok=True)
    if not (work / "mkdocs.yml").exists():
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    if not (work / "docs").exists():
        shutil.copytree(ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns(*GENERATED))
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--findings", str(findings)],
        capture_output=True,
        text=True,
        cwd=work,
        env={**os.environ, **(env or {})},
    )


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact occurrence of ``old`` in a data file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
