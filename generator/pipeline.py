"""The pipeline, step by step: load and check, render, export, write, build."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .check import check_folder
from .dataset import Dataset


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


# Besides the pages (pages.PAGES), the generator owns these under docs/: the open
# data and feeds, the JSON Schemas, and the .gitignore that keeps all of it out of git.
_FOLDERS = ("data", "schema")
_IGNORE_FILE = ".gitignore"


def generated_area() -> tuple[str, ...]:
    """The top-level names under docs/ that the generator owns; everything else there is hand-written."""
    from .pages import PAGES

    return tuple(dict.fromkeys([*(page.root for page in PAGES), *_FOLDERS, _IGNORE_FILE]))


def _ignore_file() -> str:
    from .pages import PAGES

    folders = {page.root for page in PAGES if "/" in page.path} | set(_FOLDERS)
    patterns = [f"/{name}/" if name in folders else f"/{name}" for name in generated_area()]
    header = "# Written by `findings generate`: what it generates in docs/, this file included."
    return "\n".join([header, *patterns]) + "\n"


def site_files(ds: Dataset, repository: str) -> dict[str, str]:
    """Every generated file under docs/: pages, data exports, feeds, schemas and their .gitignore."""
    from .export import export_files
    from .feeds import feed_files
    from .render import render_pages
    from .schema import schemas

    files = render_pages(ds, repository, dataset_version())
    files.update(export_files(ds, dataset_version()))
    files.update(feed_files(ds, repository, dataset_version()))
    files.update({f"schema/{name}": text for name, text in schemas().items()})
    files[_IGNORE_FILE] = _ignore_file()
    return files


def generated_files(findings: Path, config: Path) -> dict[str, str]:
    """Check the data and render every generated file (raises InvalidData)."""
    return site_files(validate(findings), mkdocs_setting(config, "extra", "repository"))


def generate(findings: Path, docs: Path, config: Path) -> list[str]:
    """Check, render and write into docs/; return what changed. Bad data leaves docs/ untouched."""
    from .write import sync

    return sync(docs, generated_files(findings, config), generated_area())


def build(findings: Path, docs: Path, config: Path, site: Path) -> list[str]:
    """Check, render and build; docs/ and site/ change only if the whole build succeeds."""
    return mkdocs_build(config, site, docs, generated_files(findings, config))


def mkdocs_build(config: Path, site: Path, docs: Path, files: dict[str, str]) -> list[str]:
    """Build ``files`` with ``mkdocs build --strict`` in a staging folder, then put them in place.

    The pages are written into a copy of docs/ and built from there, so a failed
    (or killed) build leaves both docs/ and site/ as they were. Only after a
    successful build are docs/ brought up to date and the new site swapped in.
    Returns the docs/ files written or removed.
    """
    from .write import sync

    config, site, docs = config.resolve(), site.resolve(), docs.resolve()
    for stale in [*site.parent.glob(f".{site.name}-*"), *config.parent.glob(f".{config.stem}-*{config.suffix}")]:
        # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    # mkdocs has no option for the docs folder: a configuration beside the real one
    # (so its relative paths mean the same) inherits everything and overrides it.
    staged_config = config.with_name(f".{config.stem}-{staging.name.rsplit('-', 1)[-1]}{config.suffix}")
    try:
        shutil.copytree(docs, staging / "docs", symlinks=True)
        sync(staging / "docs", files, generated_area())
        staged_config.write_text(
            f"INHERIT: {json.dumps(config.name)}\ndocs_dir: {json.dumps(str(staging / 'docs'))}\n", encoding="utf-8"
        )
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(staged_config)]
        if run_child([*command, "--site-dir", str(staging / "site")]) != 0:
            raise BuildFailed("mkdocs build --strict failed; docs/ and the previous site/ are unchanged")
        changed = sync(docs, files, generated_area())
        built = staging / "site"
        os.chmod(built, 0o755)  # a web server running as another user must read it
        previous = staging / "previous"
        if site.exists():
            site.rename(previous)
        built.rename(site)
        return changed
    finally:
        staged_config.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)


def run_child(command: list[str]) -> int:
    """Run a command that ends with this process, however this process ends."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DATASET_VERSION": dataset_version()}
    end_with_parent = functools.partial(_end_with_parent, os.getpid()) if sys.platform == "linux" else None
    return subprocess.call(command, env=env, preexec_fn=end_with_parent)


def _end_with_parent(parent: int) -> None:
    """In the child, before it starts: ask Linux for SIGTERM when the parent dies, even by SIGKILL."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


class BuildFailed(Exception):
    pass
