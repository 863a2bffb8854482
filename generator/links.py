"""Check the links of the built site: every internal link and anchor, raw HTML included.

mkdocs checks the links written in Markdown; the matrices and finding cards are
raw HTML, so the built pages are read here as a browser would. Outside links are
listed for a separate, scheduled check (they need the network).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"href", "src"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in LINK_ATTRIBUTES and value is not None and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append((value, self.getpos()[0]))


@dataclass(frozen=True)
class BrokenLink:
    page: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.target}: {self.reason}"


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _resolve(site: Path, page_rel: str, url_path: str, base_path: str) -> Path | None:
    """The file a URL points to, as a static server hosting the site at ``base_path`` would serve it."""
    if url_path.startswith("/"):  # absolute paths (the 404 page) include the site's base path
        if not url_path.startswith(base_path):
            return None
        target = posixpath.normpath(unquote(url_path[len(base_path) :]))  # "" becomes "."
    elif url_path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), unquote(url_path)))
    else:
        target = page_rel
    if target.startswith(".."):
        return None
    candidate = site / target
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path, base_path: str = "/") -> tuple[list[BrokenLink], set[str]]:
    """Every broken internal link or anchor, and the set of outside URLs linked to.

    ``base_path`` is the path the site is served under (the path of mkdocs' site_url).
    """
    base_path = base_path.rstrip("/") + "/"
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {rel: _parse(path) for rel, path in pages.items()}
    broken, outside = [], set()
    for rel, page in parsed.items():
        for url, line in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                outside.add(url)
                continue
            if parts.scheme or parts.netloc:  # mailto:, data:, protocol-relative: not ours to check
                continue
            target = _resolve(site, rel, parts.path, base_path)
            if target is None:
                broken.append(BrokenLink(rel, line, url, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html":
                target_rel = target.relative_to(site).as_posix()
                # A page behind a symlinked folder is not among those parsed above.
                ids = parsed[target_rel].ids if target_rel in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(BrokenLink(rel, line, url, "no such anchor"))
    return broken, outside


def check_outside(urls: set[str], timeout: float = 20.0) -> list[tuple[str, str]]:
    """Ask every outside URL once (needs the network); return the dead ones with the reason."""
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def probe(url: str) -> tuple[str, str] | None:
        request = urllib.request.Request(url, headers={"User-Agent": "findings-link-check"})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            # Many publishers refuse robots (403, 429): only "gone" (404, 410) or a server error is dead.
            return (url, f"HTTP {error.code}") if error.code in (404, 410) or error.code >= 500 else None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            return url, str(getattr(error, "reason", error))

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sorted(r for r in pool.map(probe, sorted(urls)) if r)
