"""Golden files: the pages and exports rendered from the small fixture, byte for byte.

After an intended change to a template, refresh them with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py` and review the diff.
"""

from __future__ import annotations

import os

import pytest

from conftest import MINI, ROOT
from generator.check import check_folder
from generator.pipeline import site_files

GOLDEN = ROOT / "tests" / "golden"
REPOSITORY = "https://github.com/example/findings"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    files = site_files(check_folder(MINI), REPOSITORY)
    # Not kept here: a .gitignore among the golden files would hide them from git
    # (tests/test_cli.py checks what it ignores).
    del files[".gitignore"]
    return files


def golden_paths() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


def test_golden_files_cover_every_rendered_file(rendered):
    if os.environ.get("UPDATE_GOLDEN"):
        for stale in set(golden_paths()) - set(rendered):
            (GOLDEN / stale).unlink()
        for path, text in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    assert golden_paths() == sorted(rendered)


@pytest.mark.parametrize("path", golden_paths())
def test_rendered_file_matches_golden(path, rendered):
    assert rendered[path] == (GOLDEN / path).read_text(encoding="utf-8")


def test_rendering_twice_gives_identical_output():
    assert site_files(check_folder(MINI), REPOSITORY) == site_files(check_folder(MINI), REPOSITORY)


def test_no_page_shows_a_python_name_for_a_vocabulary_word():
    """Vocabularies are shown by their value ('status'), never as 'HistoryField.status'."""
    import re
    from enum import Enum

    from generator import model

    vocabularies = [n for n, v in vars(model).items() if isinstance(v, type) and issubclass(v, Enum)]
    leak = re.compile(rf"\b(?:{'|'.join(vocabularies)})\.\w")
    for path, text in site_files(check_folder(ROOT / "findings"), REPOSITORY).items():
        assert not leak.search(text), f"{path}: {leak.search(text).group()}"
