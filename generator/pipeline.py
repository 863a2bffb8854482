"""The pipeline, step by step: load and check, render, export, write, build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .check import Dataset, check_folder


def validate(findings: Path) -> Dataset:
    """Load and check the data (raises InvalidData). Imports nothing heavy: hooks stay fast."""
    return check_folder(findings)


def mkdocs_setting(config: Path, *keys: str) -> str:
    """A value from mkdocs.yml, e.g. ``mkdocs_setting(config, "extra", "repository")``.

    mkdocs.yml may use tags (``!ENV``, ``!!python/name:``) that only mkdocs
    resolves: they read as empty here, since only plain settings are looked up.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    if not config.is_file():
        return ""
    try:
        value = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError:
        return ""  # mkdocs itself will report the broken configuration
    for key in keys:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, str) else ""


def dataset_version() -> str:
    """The dataset's version: the project's version (pyproject.toml), also in CITATION.cff."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("decoding-alignment-findings")
    except PackageNotFoundError:
        return "unreleased"


def site_files(ds: Dataset, repository: str) -> dict[str, str]:
    """Every generated file under docs/: pages, data exports and schemas."""
    from .export import export_files
    from .render import render_pages
    from .schema import schemas

    files = render_pages(ds, repository, dataset_version())
    files.update(export_files(ds, dataset_version()))
    files.update({f"schema/{name}": text for name, text in schemas().items()})
    return files


def generate(findings: Path, docs: Path, config: Path) -> list[str]:
    """Check, render and write; return what changed. Bad data leaves docs/ untouched."""
    from .write import sync

    ds = validate(findings)
    return sync(docs, site_files(ds, mkdocs_setting(config, "extra", "repository")))


def mkdocs_build(config: Path, site: Path) -> None:
    """Build with ``mkdocs build --strict`` into a fresh folder, then swap it in whole."""
    site = site.resolve()
    for stale in site.parent.glob(f".{site.name}-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server running as another user must read it
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(config),
        "--site-dir",
        str(staging),
    ]
    result = subprocess.run(command, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed("mkdocs build --strict failed; the previous site/ is unchanged")
    previous = site.with_name(f".{site.name}-previous")
    if site.exists():
        shutil.rmtree(previous, ignore_errors=True)
        site.rename(previous)
    staging.rename(site)
    shutil.rmtree(previous, ignore_errors=True)


class BuildFailed(Exception):
    pass
