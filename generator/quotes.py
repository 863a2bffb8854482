"""Quotes: is every quote still in the document it cites, verbatim?

For each document the evidence quotes, its text is read from a cache folder (a
file named by the source's id: ``<id>.pdf``, ``<id>.html``, ``<id>.md``,
``<id>.txt``) or fetched from its address, then every quote is looked for in it.
PDFs are read with pdfminer.six; of a web page, the text is what a reader sees,
without scripts and styles (the standard library's HTML parser); a Markdown
file is read as rendered, so that its escapes and emphasis marks do not count.

Both sides are normalised first, so that only the words count: Unicode
compatibility forms (ligatures, non-breaking spaces), typographic quotes,
apostrophes and dashes as their plain forms, soft hyphens and zero-width
characters removed, a word split at a line end ("exam-" then "ple") joined, and
every run of whitespace as one space. A hyphen at a line end may also belong to
the word ("state-of-the-" then "art"): a quote matches either reading.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .dataset import Dataset, finding_id
from .deeplinks import arxiv_pdf_url
from .load import load_folder
from .model import Source
from .problems import printable

MAX_BYTES = 200_000_000  # the longest technical reports are tens of megabytes
CACHE_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
SAME_HOST_DELAY = 3.0  # seconds between two requests to one host (arXiv asks robots for 3)

# --- normalisation --------------------------------------------------------------------------

_PLAIN = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)
# A hyphen at the end of a line, between two word characters: "exam-\nple".
_LINE_END_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011][ \t]*\r?\n\s*(?=\w)")


def normalise(text: str) -> str:
    """Text as the comparison sees it: plain quotes and dashes, one space for any whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_PLAIN).split())


def searchable(text: str) -> tuple[str, str]:
    """A document's text normalised twice: a hyphen at a line end dropped ("example"), and kept ("state-of-the-art")."""
    # A soft hyphen shows only where a line breaks, and the word goes on after it.
    text = re.sub("\u00ad\\s*", "", unicodedata.normalize("NFKC", text))
    return normalise(_LINE_END_HYPHEN.sub("", text)), normalise(_LINE_END_HYPHEN.sub("-", text))


def contains(document: tuple[str, str], quote: str) -> bool:
    """Whether a quote stands in a document (its two readings), after normalisation."""
    wanted = normalise(quote)
    return any(wanted in reading for reading in document)


# --- text extraction ------------------------------------------------------------------------

# Elements that end a line of text where they open or close: without a break, the last word
# of one paragraph would run into the first of the next.
_BLOCKS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_HIDDEN = frozenset({"script", "style", "template"})


class _PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The text of a web page as a reader sees it: no scripts, styles or templates."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, line by line (pdfminer.six)."""
    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd fonts are not ours
    return extract_text(io.BytesIO(data))


def _charset(content_type: str, data: bytes) -> str:
    found = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I) or re.search(
        rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:4096], re.I
    )
    name = found.group(1) if found else "utf-8"
    return name.decode("ascii") if isinstance(name, bytes) else name


def kind_of(data: bytes, content_type: str = "", name: str = "") -> str:
    """'pdf', 'html', 'markdown' or 'text': by the bytes, the declared type, then the name's suffix."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if "html" in content_type:
        return "html"
    if name.endswith((".md", ".markdown")):  # a file on GitHub comes as text/plain
        return "markdown"
    if name.endswith((".html", ".htm")) or (not content_type and data.lstrip()[:1] == b"<"):
        return "html"
    return "text"


def document_text(data: bytes, kind: str, content_type: str = "") -> str:
    """What a reader of the document sees: a Markdown file is read as GitHub shows it, rendered."""
    if kind == "pdf":
        return pdf_text(data)
    try:
        text = data.decode(_charset(content_type, data), errors="replace")
    except LookupError:  # an unknown charset name
        text = data.decode("utf-8", errors="replace")
    if kind == "markdown":
        import markdown

        return html_text(markdown.markdown(text, extensions=["tables"]))
    return html_text(text) if kind == "html" else text


# --- where a document is read from ----------------------------------------------------------

_GITHUB_BLOB = re.compile(r"https://github\.com/([^/]+)/([^/]+)/blob/([^/]+)/(.+)")
_REVISION = re.compile(r"\brevision ([0-9a-f]{7,40})\b")


def document_urls(source: Source) -> list[str]:
    """Where the quoted text itself is: the addresses to try, in order.

    An arXiv abstract page holds only the abstract: the PDF of the version quoted
    is read instead. A file on GitHub is read raw, at the revision quoted where
    the version names one. The archived copy, if any, is tried last.
    """
    url = arxiv_pdf_url(source) or source.url
    if blob := _GITHUB_BLOB.fullmatch(url):
        owner, repo, ref, path = blob.groups()
        pinned = _REVISION.search(source.version.label if source.version else "")
        url = f"https://github.com/{owner}/{repo}/raw/{pinned.group(1) if pinned else ref}/{path}"
    return [url] + ([source.archived_url] if source.archived_url else [])


class Unreadable(Exception):
    """A document that could not be read: its quotes are not checked."""


Fetch = Callable[[str], tuple[bytes, str]]


def fetcher(user_agent: str, timeout: float) -> Fetch:
    """Fetch a URL with urllib: (body, content type). Requests to one host are spaced out."""
    last: dict[str, float] = {}

    def fetch(url: str) -> tuple[bytes, str]:
        host = urlsplit(url).netloc
        wait = last.get(host, 0.0) + SAME_HOST_DELAY - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(MAX_BYTES + 1)
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise Unreadable(f"{url}: HTTP {error.code}") from None
        except (urllib.error.URLError, http.client.HTTPException, ValueError, OSError) as error:
            # unreachable, timed out, cut short, or an address urllib cannot ask
            raise Unreadable(f"{url}: {getattr(error, 'reason', None) or error or type(error).__name__}") from None
        finally:
            last[host] = time.monotonic()
        if len(body) > MAX_BYTES:
            raise Unreadable(f"{url}: over {MAX_BYTES} bytes")
        return body, content_type

    return fetch


def cached(cache: Path, source_id: str) -> Path | None:
    """The cached copy of a document: the file named by its id (source ids are safe file names)."""
    for suffix in CACHE_SUFFIXES:
        path = cache / f"{source_id}{suffix}"
        if path.is_file():
            return path
    return None


_SUFFIX = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}


def read_document(source: Source, cache: Path | None, fetch: Fetch | None) -> tuple[str, str]:
    """The text of a document and where it was read from; raises Unreadable.

    From the cache folder if it holds the document; otherwise fetched (unless
    ``fetch`` is None) and, with a cache folder, saved there for the next run.
    """
    path = cached(cache, source.id) if cache else None
    if path is not None:
        data = path.read_bytes()
        where, kind, content_type = str(path), kind_of(data, name=path.name), ""
    elif fetch is None:
        raise Unreadable("not in the cache folder, and --offline fetches nothing")
    else:
        reasons = []
        for url in document_urls(source):
            try:
                data, content_type = fetch(url)
                break
            except Unreadable as error:
                reasons.append(str(error))
        else:
            raise Unreadable("; ".join(reasons))
        where, kind = url, kind_of(data, content_type, urlsplit(url).path)
        if cache:
            _save(cache / f"{source.id}{_SUFFIX[kind]}", data)
    try:
        text = document_text(data, kind, content_type)
    except Exception as error:  # a broken or encrypted PDF: any failure of the parser
        raise Unreadable(f"{where}: cannot extract its text ({type(error).__name__})") from None
    if not text.strip():
        raise Unreadable(f"{where}: no text could be extracted (an image-only PDF?)")
    return text, where


def _save(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# --- the check ------------------------------------------------------------------------------


@dataclass
class Report:
    missing: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, message) per quote not found
    unread: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, message) per document not read
    checked: int = 0  # quotes looked for
    documents: int = 0  # documents read
    unchecked: int = 0  # quotes in documents not read

    def lines(self, which: list[tuple[str, int, str]]) -> list[str]:
        """``path:line: message``, in the order of the files and their lines."""
        return [printable(f"{path}:{line}: {message}") for path, line, message in sorted(which)]

    def summary(self) -> str:
        return (
            f"{self.checked} quote(s) checked in {self.documents} document(s): {len(self.missing)} not found; "
            f"{len(self.unread)} document(s) not read ({self.unchecked} quote(s) not checked)"
        )


def _positions(findings: Path) -> dict[tuple, tuple[str, int]]:
    """Where each quote and each source's address stand: (initiative, ...) -> (path, line)."""
    documents, _ = load_folder(findings)  # the data is valid: check_folder loaded it already
    where = {}
    for doc in documents:
        if not doc.relpath.startswith("initiatives/"):
            continue
        ini = doc.relpath.rsplit("/", 1)[-1].removesuffix(".yaml")
        for loc, (line, _col) in doc.values.items():
            if len(loc) == 5 and loc[0] == "findings" and loc[2] == "evidence" and loc[4] == "quote":
                where[(ini, loc[1], loc[3])] = (doc.path, line)
            elif len(loc) == 3 and loc[0] == "sources" and loc[2] == "url":
                where[(ini, doc.data["sources"][loc[1]]["id"])] = (doc.path, line)
    return where


def check_quotes(
    ds: Dataset, findings: Path, cache: Path | None, fetch: Fetch | None, only: set[str] | None = None
) -> Report:
    """Look for every quote in its document; documents in the order the data lists them."""
    where = _positions(findings)
    report = Report()
    for ini in ds.initiatives:
        quotes = {}  # source id -> [(finding index, evidence index, finding, evidence)]
        for j, f in enumerate(ini.findings):
            for k, e in enumerate(f.evidence):
                quotes.setdefault(e.source, []).append((j, k, f, e))
        for source in ini.sources:
            if source.id not in quotes or (only is not None and source.id not in only):
                continue
            try:
                text, _ = read_document(source, cache, fetch)
            except Unreadable as error:
                path, line = where[(ini.id, source.id)]
                count = len(quotes[source.id])
                report.unread.append(
                    (path, line, f"{source.id}: document not read ({error}); {count} quote(s) not checked")
                )
                report.unchecked += count
                continue
            report.documents += 1
            document = searchable(text)
            for j, k, f, e in quotes[source.id]:
                report.checked += 1
                if not contains(document, e.quote):
                    path, line = where[(ini.id, j, k)]
                    message = f"{finding_id(ini, f)}: quote not found in {source.id} ({e.locator})"
                    report.missing.append((path, line, message))
    return report
