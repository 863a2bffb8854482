"""The code follows the project's lint rules (pyproject.toml, [tool.ruff])."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "generator", "tests", "benchmarks"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
