"""The generated pages: one entry each, the only place a page is registered.

An entry names the page's path under docs/, its template, and what the template
needs beyond the dataset. A page per item (per initiative, per dimension) names
its items and the context of each. What the generator owns under docs/ (what it
may write and remove, and what docs/.gitignore lists) is derived from here; the
navigation stays in mkdocs.yml, beside the hand-written pages, and the strict
build names a page left out of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .charts import home_charts
from .citation import bibtex
from .dataset import Dataset, corrections
from .matrix import dimension_counts, document_matrix, lens_counts, status_counts
from .model import INITIATIVE_WIDE


@dataclass(frozen=True)
class Page:
    path: str  # under docs/; with "{}" for a page per item, filled with the item's id
    template: str
    context: Callable[[Dataset], dict] = lambda ds: {}
    # For a page per item: the items, each as (id, the template's context for it).
    each: Callable[[Dataset], Iterable[tuple[str, dict]]] | None = None

    def instances(self, ds: Dataset) -> Iterable[tuple[str, dict]]:
        """Every page this entry makes: its path and its template's context."""
        if self.each is None:
            yield self.path, self.context(ds)
        else:
            for ident, context in self.each(ds):
                yield self.path.format(ident), context

    @property
    def root(self) -> str:
        """The top-level name under docs/ that the page lives in."""
        return self.path.split("/")[0]


def _initiatives(ds: Dataset):
    for ini in ds.initiatives:
        names = {r.id: r.name for r in ini.releases} | {INITIATIVE_WIDE: "initiative-wide"}
        yield ini.id, dict(ini=ini, documents=document_matrix(ds, ini), release_names=names)


PAGES = (
    Page(
        "index.md",
        "home.md.j2",
        lambda ds: dict(counts=lens_counts(ds), bibtex=bibtex(ds.paper), charts=home_charts(ds)),
    ),
    Page("matrix.md", "matrix.md.j2", lambda ds: dict(counts=status_counts(ds), column_counts=dimension_counts(ds))),
    Page("summary.md", "summary.md.j2"),
    Page("initiatives/index.md", "initiatives.md.j2", lambda ds: dict(counts=status_counts(ds))),
    Page("initiatives/{}.md", "initiative.md.j2", each=_initiatives),
    Page("dimensions/index.md", "dimensions.md.j2"),
    Page("dimensions/{}.md", "dimension.md.j2", each=lambda ds: ((d.id, dict(dim=d)) for d in ds.dimensions)),
    # Permalinks of retired dimensions lead to their successors.
    Page("dimensions/{}.md", "retired.md.j2", each=lambda ds: ((old.id, dict(old=old)) for old in ds.retired)),
    Page("sources.md", "sources.md.j2"),
    Page("methodology.md", "methodology.md.j2"),
    Page("changes.md", "changes.md.j2", lambda ds: dict(changes=corrections(ds))),
)
