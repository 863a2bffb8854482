"""Render: the validated dataset as Markdown pages, through the Jinja templates.

Pages are rendered into memory (path -> text); ``write.py`` puts them on disk.
Every value from the data is escaped by default (autoescape); the filters in
``markup.py`` say how each kind of text is shown.
"""

from __future__ import annotations

import posixpath

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import markup
from .check import Dataset, finding_id
from .matrix import CITED, document_matrix, lens_counts, lens_groups, status_matrix
from .model import LENS_TITLES, QUOTE_LIMIT, STATUS_LEGEND, Paper, Status


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
    here, target = page_url(from_page), page_url(to_path)
    rel = posixpath.relpath(target or ".", here or ".")
    if not target or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def bibtex(paper: Paper) -> str:
    """The paper's BibTeX entry, from its metadata."""
    surname = paper.authors[0].split()[-1]
    year = min(v.date for v in paper.versions).year
    word = next(w for w in paper.title.lower().split() if w.isalpha())
    authors = " and ".join(f"{a.split()[-1]}, {' '.join(a.split()[:-1])}" for a in paper.authors)
    return "\n".join(
        [
            f"@misc{{{surname.lower()}{year}{word},",
            f"  title = {{{paper.title}}},",
            f"  author = {{{authors}}},",
            f"  year = {{{year}}},",
            f"  eprint = {{{paper.arxiv}}},",
            "  archivePrefix = {arXiv},",
            f"  url = {{{paper.url}}}",
            "}",
        ]
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
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
        plain_text=markup.strip,
        first_sentence=markup.first_sentence,
    )
    env.globals.update(
        legend=STATUS_LEGEND,
        Status=Status,
        CITED=CITED,
        LENS_TITLES=LENS_TITLES,
        QUOTE_LIMIT=QUOTE_LIMIT,
        finding_id=finding_id,
        # Heading ids (attr_list); written by a function because "{#" opens a Jinja comment.
        anchor=lambda ident: Markup("{#" + ident + "}"),
    )
    return env


def render_pages(ds: Dataset, repository: str) -> dict[str, str]:
    """Every generated page, by its path under docs/; ``repository`` is the project's GitHub URL."""
    env = _environment()
    env.globals["repository"] = repository
    sources = ds.sources()
    common = dict(
        ds=ds,
        groups=lens_groups(ds),
        matrix=status_matrix(ds),
        sources=sources,
        initiatives={i.id: i for i in ds.initiatives},
        dimension_titles={d.id: d.title for d in ds.dimensions},
    )

    def render(template: str, path: str, **context) -> tuple[str, str]:
        def url(target: str, anchor: str | None = None) -> str:
            return relative_url(path, target, anchor)

        def link(target: str) -> str:
            # Markdown links name the source file: mkdocs checks them and rewrites them.
            return posixpath.relpath(target, posixpath.dirname(path) or ".")

        template_ = env.get_template(template)
        return path, template_.render(page=path, url=url, link=link, **common, **context)

    pages = [
        render("home.md.j2", "index.md", counts=lens_counts(ds), bibtex=bibtex(ds.paper)),
        render("matrix.md.j2", "matrix.md"),
        render("initiatives.md.j2", "initiatives/index.md"),
        render("dimensions.md.j2", "dimensions/index.md"),
        render("sources.md.j2", "sources.md"),
        render("methodology.md.j2", "methodology.md"),
        render("summary.md.j2", "summary.md"),
    ]
    for ini in ds.initiatives:
        pages.append(
            render(
                "initiative.md.j2",
                f"initiatives/{ini.id}.md",
                ini=ini,
                documents=document_matrix(ds, ini),
            )
        )
    for dim in ds.dimensions:
        pages.append(render("dimension.md.j2", f"dimensions/{dim.id}.md", dim=dim))
    return dict(pages)
