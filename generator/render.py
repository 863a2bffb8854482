"""Render: the validated dataset as Markdown pages, through the Jinja templates.

Pages are rendered into memory (path -> text); ``write.py`` puts them on disk.
Every value from the data is escaped by default (autoescape); the filters in
``markup.py`` say how each kind of text is shown.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import urlencode

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import markup
from .charts import home_charts
from .dataset import Dataset, corrections, finding_id, last_status_change
from .deeplinks import deep_link
from .export import record_path
from .matrix import dimension_counts, document_matrix, document_order, lens_counts, lens_groups, status_counts
from .model import (
    AUDIT_MEANING,
    INITIATIVE_WIDE,
    LENS_TITLES,
    QUOTE_LIMIT,
    STATUS_LEGEND,
    Audit,
    Finding,
    Initiative,
    Paper,
    Status,
)
from .readings import RULE, silent_sources, strongest_evidence


@functools.cache
def badge(status: Status, hint: bool = True) -> Markup:
    """A status as a glyph and a word (never colour alone), with its meaning as a tooltip."""
    glyph, word, meaning = STATUS_LEGEND[status]
    title = f' title="{escape(meaning)}"' if hint else ""
    return Markup(
        f'<span class="status status--{status.value}"{title}>'
        f'<span class="status__glyph" aria-hidden="true">{glyph}</span> {word}</span>'
    )


@functools.cache
def document_cell(value) -> Markup:
    """A cell of the documents-over-time matrix: a glyph, with the word for screen readers and tooltips."""
    if value:
        glyph, word, _ = STATUS_LEGEND[value]
        title, kind = word, value.value
    else:
        glyph, word, title, kind = "·", "Not assessed", "Not assessed for this document", "none"
    return Markup(
        f'<span class="status status--{kind}" title="{title}"><span class="status__glyph" aria-hidden="true">'
        f'{glyph}</span><span class="visually-hidden"> {word}</span></span>'
    )


def page_url(path: str) -> str:
    """The site URL of a page (mkdocs' directory URLs) or of a plain file."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if stem.endswith("/") or not stem else stem + "/"


def relative_url(from_page: str, to_path: str, anchor: str | None = None) -> str:
    """A relative link from one page to a page or file, so the site works under any base URL."""
    return _relative(from_page, to_path) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relative(from_page: str, to_path: str) -> str:
    # URL paths, not file paths: posixpath.relpath would consult the working directory.
    here = [p for p in page_url(from_page).split("/") if p]
    target = page_url(to_path)
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < min(len(here), len(parts)) and here[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + parts[common:])
    if not target or target.endswith("/"):
        rel = rel + "/" if rel else "./"
    return rel


# The issue form a "Suggest a correction" link opens, and the form fields it fills
# (ids in .github/ISSUE_TEMPLATE/correct-finding.yml; a test keeps them in step).
CORRECTION_FORM = "correct-finding.yml"
CORRECTION_FIELDS = ("finding-id", "current-status")


def correction_url(repository: str, initiative: Initiative, finding: Finding, status: Status) -> str:
    """The correction form, already filled with the finding's id and current status."""
    ident = finding_id(initiative, finding)
    fields = dict(zip(CORRECTION_FIELDS, (ident, status.value), strict=True))
    query = {"template": CORRECTION_FORM, "title": f"Correction: {ident}", **fields}
    return f"{repository}/issues/new?{urlencode(query)}"


def source_file_url(repository: str, initiative: Initiative) -> str:
    """Where a contributor edits the data behind a page (the YAML, not the generated Markdown)."""
    # HEAD: GitHub resolves it to the default branch, whatever it is called.
    return f"{repository}/edit/HEAD/findings/initiatives/{initiative.id}.yaml"


def ref_url(repository: str, ref: str) -> str:
    """A history entry's reference: '#12' is an issue or pull request of the repository."""
    return f"{repository}/issues/{ref[1:]}" if ref.startswith("#") else ref


_BIBTEX_SPECIAL = {c: f"\\{c}" for c in "&%$#_{}"} | {"\\": r"\textbackslash{}", "~": r"\~{}", "^": r"\^{}"}


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, braces balanced by construction."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex(paper: Paper) -> str:
    """The paper's BibTeX entry, from its metadata."""
    surname = paper.authors[0].split()[-1]
    year = min(v.date for v in paper.versions).year
    # The key is ASCII letters and digits only, whatever the title and name hold.
    words = re.findall(r"[a-z]+", paper.title.lower())
    key = re.sub(r"[^a-z0-9]", "", f"{surname.lower()}{year}{words[0] if words else ''}") or f"paper{year}"
    authors = " and ".join(
        bibtex_text(f"{a.split()[-1]}, {' '.join(a.split()[:-1])}" if len(a.split()) > 1 else a) for a in paper.authors
    )
    return "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{bibtex_text(paper.title)}}},",
            f"  author = {{{authors}}},",
            f"  year = {{{year}}},",
            f"  eprint = {{{paper.arxiv}}},",
            "  archivePrefix = {arXiv},",
            f"  url = {{{paper.url}}}",
            "}",
        ]
    )


def dataset_bibtex(ds: Dataset, version: str, repository: str) -> str:
    """The dataset's own BibTeX entry: this version, dated by its most recent verification."""
    checked = max((f.as_of for i in ds.initiatives for f in i.findings), default=None)
    lines = [
        f"@misc{{decoding_alignment_evidence_{re.sub(r'[^0-9a-z]', '_', version.lower())},",
        "  title = {Decoding Alignment: the evidence},",
        "  author = {{Decoding Alignment findings contributors}},",
        f"  version = {{{bibtex_text(version)}}},",
    ]
    if checked:
        lines += [f"  year = {{{checked.year}}},", f"  note = {{Dataset, version {bibtex_text(version)}, "
                  f"findings verified up to {checked.isoformat()}}},"]
    if repository:
        lines.append(f"  url = {{{repository}}}")
    return "\n".join(lines + ["}"])


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
        badge=badge,
        document_cell=document_cell,
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
    )
    sources = ds.sources()
    env.globals.update(
        silent_sources=lambda ini, f: silent_sources(ini, f, ds.window.end),
        document_order=lambda ini: document_order(ds, ini),
    )
    common = dict(
        ds=ds,
        groups=lens_groups(ds),
        sources=sources,
        initiatives={i.id: i for i in ds.initiatives},
        dimension_titles={d.id: d.title for d in ds.dimensions},
        # An old anchor (a retired dimension's id) lands on its first successor.
        retired_into=_retired_into(ds),
    )

    def render(template: str, path: str, **context) -> tuple[str, str]:
        def url(target: str, anchor: str | None = None) -> str:
            return relative_url(path, target, anchor)

        def link(target: str) -> str:
            # Markdown links name the source file: mkdocs checks them and rewrites them.
            return posixpath.relpath(target, posixpath.dirname(path) or ".")

        template_ = env.get_template(template)
        return path, template_.render(url=url, link=link, **common, **context)

    pages = [
        render(
            "home.md.j2",
            "index.md",
            counts=lens_counts(ds),
            bibtex=bibtex(ds.paper),
            dataset_bibtex=dataset_bibtex(ds, version, repository),
            charts=home_charts(ds),
        ),
        render("matrix.md.j2", "matrix.md", counts=status_counts(ds), column_counts=dimension_counts(ds)),
        render("initiatives.md.j2", "initiatives/index.md", counts=status_counts(ds)),
        render("dimensions.md.j2", "dimensions/index.md"),
        render("sources.md.j2", "sources.md"),
        render("methodology.md.j2", "methodology.md"),
        render("summary.md.j2", "summary.md"),
        render("changes.md.j2", "changes.md", changes=corrections(ds)),
    ]
    for ini in ds.initiatives:
        pages.append(
            render(
                "initiative.md.j2",
                f"initiatives/{ini.id}.md",
                ini=ini,
                documents=document_matrix(ds, ini),
                release_names={r.id: r.name for r in ini.releases} | {INITIATIVE_WIDE: "initiative-wide"},
            )
        )
    for dim in ds.dimensions:
        pages.append(render("dimension.md.j2", f"dimensions/{dim.id}.md", dim=dim))
    for old in ds.retired:  # permalinks of retired dimensions lead to their successors
        pages.append(render("retired.md.j2", f"dimensions/{old.id}.md", old=old))
    return dict(pages)
