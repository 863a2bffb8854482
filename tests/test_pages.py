"""The page registry: every page template is registered, and each entry makes the pages it names."""

from __future__ import annotations

import subprocess

from conftest import MINI, ROOT
from generator.check import check_folder
from generator.pages import PAGES
from generator.pipeline import generated_area

TEMPLATES = ROOT / "generator" / "templates"


def test_every_page_template_is_registered_once():
    # Templates starting with "_" are macros and partials, included by the pages.
    pages = sorted(p.name for p in TEMPLATES.glob("*.j2") if not p.name.startswith("_"))
    assert sorted(page.template for page in PAGES) == pages


def test_each_entry_makes_its_pages_and_no_two_make_the_same_path():
    ds = check_folder(MINI)
    made = [path for page in PAGES for path, _ in page.instances(ds)]
    assert len(made) == len(set(made))
    expected = {f"initiatives/{i.id}.md" for i in ds.initiatives} | {f"dimensions/{d.id}.md" for d in ds.dimensions}
    assert expected <= set(made)
    assert {"index.md", "matrix.md", "initiatives/index.md", "dimensions/index.md"} <= set(made)


def test_no_hand_written_file_lies_in_the_generated_area():
    # generate would overwrite or remove it.
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True)
    tops = {path.split("/")[1] for path in tracked.stdout.split()}
    assert "about.md" in tops and "assets" in tops
    assert not tops & set(generated_area())
