"""Addresses on the site: mkdocs' directory URLs, and relative links between pages.

Links are relative, so the site works under any base URL (a project page, a
custom domain, a downloaded copy).
"""

from __future__ import annotations

import functools
import posixpath


def page_url(path: str) -> str:
    """The site URL of a page (mkdocs' directory URLs) or of a plain file."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if stem.endswith("/") or not stem else stem + "/"


def relative_url(from_page: str, to_path: str, anchor: str | None = None) -> str:
    """A relative link from a page (or a plain file, such as a feed) to a page or file.

    Relative, so the site works under any base URL.
    """
    return _relative(from_page, to_path) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relative(from_page: str, to_path: str) -> str:
    # URL paths, not file paths: posixpath.relpath would consult the working directory.
    # A page's links resolve against its directory URL, a plain file's against its folder.
    base = page_url(from_page) if from_page.endswith(".md") else posixpath.dirname(from_page)
    here = [p for p in base.split("/") if p]
    target = page_url(to_path)
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < min(len(here), len(parts)) and here[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + parts[common:])
    if not target or target.endswith("/"):
        rel = rel + "/" if rel else "./"
    return rel
