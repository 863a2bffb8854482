"""Links into a document, to the passage a quote stands in, where the document allows it.

- A PDF (an arXiv paper, a URL ending in .pdf) opens at the page the locator names
  (`p. 12`, `pp. 12-13`): `#page=12`, which PDF viewers follow.
- A web page opens at the quote itself: a text fragment (`#:~:text=first%20words`),
  which browsers scroll to and highlight, and ignore where the text is not found.
- Otherwise the document's own address.
"""

from __future__ import annotations

import re
from urllib.parse import quote as percent

from .model import Evidence, Source, SourceKind

_PAGE = re.compile(r"\bpp?\.\s*(\d+)")
_ARXIV_ABS = re.compile(r"https?://(?:www\.)?arxiv\.org/abs/")
_ARXIV_VERSION = re.compile(r"v[0-9]+")
# Words of the quote a text fragment starts with: enough to be unique on a page, short
# enough to survive small differences later in the sentence.
_FRAGMENT_WORDS = 8


def page_number(locator: str) -> int | None:
    """The first page a locator names, or None."""
    found = _PAGE.search(locator)
    return int(found.group(1)) if found else None


def _is_pdf(source: Source) -> bool:
    path = str(source.url).split("?")[0].split("#")[0].lower()
    return path.endswith(".pdf") or bool(source.arxiv)


def arxiv_pdf_url(source: Source) -> str | None:
    """The PDF behind an arXiv abstract page, of the version quoted where one is recorded
    (pages and text move between versions); None for any other address."""
    if not (source.arxiv and _ARXIV_ABS.match(str(source.url))):
        return None
    label = source.version.label if source.version else ""
    return f"https://arxiv.org/pdf/{source.arxiv}{label if _ARXIV_VERSION.fullmatch(label) else ''}"


def _pdf_url(source: Source) -> str:
    return arxiv_pdf_url(source) or str(source.url).split("#")[0]


def deep_link(source: Source, evidence: Evidence) -> str:
    """Where a reader checking ``evidence`` should land in ``source``."""
    if _is_pdf(source):
        page = page_number(evidence.locator)
        return f"{_pdf_url(source)}#page={page}" if page else str(source.url)
    if source.kind is SourceKind.dataset:
        return str(source.url)  # a repository or a data file: no passage to scroll to
    words = evidence.quote.split()[:_FRAGMENT_WORDS]
    # Text fragments must escape the characters that delimit their own syntax (- , &).
    start = percent(" ".join(words), safe="").replace("-", "%2D")
    return f"{str(source.url).split('#')[0]}#:~:text={start}"
