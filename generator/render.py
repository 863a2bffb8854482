"""Render: the validated dataset as Markdown pages, through the Jinja templates.

The pages are the entries of ``pages.PAGES``; they are rendered into memory
(path -> text), and ``write.py`` puts them on disk.
Every value from the data is escaped by default (autoescape); the filters in
``markup.py`` say how each kind of text is shown.
"""

from __future__ import annotations

import posixpath

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import markup
from .citation import dataset_bibtex
from .dataset import Dataset, finding_id, last_status_change
from .deeplinks import deep_link
from .export import record_path
from .github import correction_url, ref_url, source_file_url
from .matrix import document_order, lens_groups
from .model import (
    AUDIT_MEANING,
    INITIATIVE_WIDE,
    LENS_TITLES,
    QUOTE_LIMIT,
    STATUS_LEGEND,
    Audit,
    Status,
)
from .pages import PAGES
from .readings import RULE, silent_sources, strongest_evidence
from .urls import relative_url


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum.

    Every render builds a fresh Environment (its globals hold one dataset);
    compiling the templates again was most of a render's time.
    """

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        inline=markup.inline,
        page_title=markup.page_title,
        rich=markup.rich,
        rich_inline=markup.rich_inline,
        first_sentence=markup.first_sentence,
    )
    env.globals.update(
        legend=STATUS_LEGEND,
        audit_meaning=AUDIT_MEANING,
        INITIATIVE_WIDE=INITIATIVE_WIDE,
        RULE=RULE,
        Status=Status,
        LENS_TITLES=LENS_TITLES,
        QUOTE_LIMIT=QUOTE_LIMIT,
        finding_id=finding_id,
        strongest_evidence=strongest_evidence,
        deep_link=deep_link,
        record_path=record_path,
        Audit=Audit,
        # Heading ids (attr_list); written by a function because "{#" opens a Jinja comment.
        anchor=lambda ident: Markup("{#" + ident + "}"),
    )
    return env


def _retired_into(ds: Dataset) -> dict[str, list[str]]:
    into: dict[str, list[str]] = {}
    for old in ds.retired:
        into.setdefault(old.successors[0], []).append(old.id)
    return into


def render_pages(ds: Dataset, repository: str, version: str) -> dict[str, str]:
    """Every generated page, by its path under docs/; ``repository`` is the project's GitHub URL."""
    env = _environment()
    env.globals.update(
        repository=repository,
        version=version,
        correction_url=lambda ini, f: correction_url(repository, ini, f, ds.status(ini, f)),
        source_file_url=lambda ini: source_file_url(repository, ini),
        ref_url=lambda ref: ref_url(repository, ref),
        last_status_change=last_status_change,
        dataset_bibtex=dataset_bibtex(ds, version, repository),
        silent_sources=lambda ini, f: silent_sources(ini, f, ds.window.end),
        document_order=lambda ini: document_order(ds, ini),
    )
    common = dict(
        ds=ds,
        groups=lens_groups(ds),
        sources=ds.sources(),
        initiatives={i.id: i for i in ds.initiatives},
        dimension_titles={d.id: d.title for d in ds.dimensions},
        # An old anchor (a retired dimension's id) lands on its first successor.
        retired_into=_retired_into(ds),
    )

    def render(template: str, path: str, context: dict) -> str:
        def url(target: str, anchor: str | None = None) -> str:
            return relative_url(path, target, anchor)

        def link(target: str) -> str:
            # Markdown links name the source file: mkdocs checks them and rewrites them.
            return posixpath.relpath(target, posixpath.dirname(path) or ".")

        return env.get_template(template).render(url=url, link=link, **common, **context)

    return {path: render(page.template, path, context) for page in PAGES for path, context in page.instances(ds)}
