"""Writing the generated files: only what changed, only inside the generated area, stale files removed."""

from __future__ import annotations

import os

import pytest

from generator.write import sync, write_atomic

OWNED = ("index.md", "pages", "data")


def test_new_files_land_in_new_nested_folders_readable_by_everyone(tmp_path):
    changed = sync(tmp_path, {"data/feeds/all.xml": "<feed/>", "index.md": "# Home"}, owned=OWNED)
    assert changed == ["data/feeds/all.xml", "index.md"]
    assert (tmp_path / "data/feeds/all.xml").read_text(encoding="utf-8") == "<feed/>"
    assert (tmp_path / "index.md").stat().st_mode & 0o777 == 0o644


def test_unchanged_files_are_not_rewritten(tmp_path):
    sync(tmp_path, {"pages/a.md": "A", "pages/b.md": "B"}, owned=OWNED)
    stamp = (tmp_path / "pages/a.md").stat().st_mtime_ns
    assert sync(tmp_path, {"pages/a.md": "A", "pages/b.md": "B, corrected"}, owned=OWNED) == ["pages/b.md"]
    assert (tmp_path / "pages/a.md").stat().st_mtime_ns == stamp


def test_files_no_longer_generated_are_removed_and_hand_written_ones_kept(tmp_path):
    (tmp_path / "about.md").write_text("hand-written", encoding="utf-8")
    sync(tmp_path, {"index.md": "# Home", "pages/old.md": "old", "pages/kept.md": "kept"}, owned=OWNED)
    changed = sync(tmp_path, {"pages/kept.md": "kept"}, owned=OWNED)
    assert sorted(changed) == ["index.md", "pages/old.md"]
    assert not (tmp_path / "index.md").exists() and not (tmp_path / "pages/old.md").exists()
    assert (tmp_path / "pages/kept.md").exists() and (tmp_path / "about.md").read_text(encoding="utf-8") == "hand-written"


@pytest.mark.parametrize("path", ["about.md", "../outside.md", "assets/extra.css", "pages/../../outside.md", "/etc/x"])
def test_nothing_is_written_outside_the_generated_area(tmp_path, path):
    with pytest.raises(ValueError, match="outside the generated area"):
        sync(tmp_path / "docs", {"index.md": "# Home", path: "x"}, owned=OWNED)
    assert not (tmp_path / "docs").exists()  # refused before anything was written


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "index.md"
    target.write_text("before", encoding="utf-8")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"after")
    assert target.read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]
