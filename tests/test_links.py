"""The link checker on small sites made here: what it reports, where, and what it leaves alone."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import run_findings
from generator.links import BrokenLink, check_outside, check_site


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, body in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(body, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path) -> Path:
    # Files beside the site: one a link climbs out to, and a folder the site links in by a symlink.
    _site(tmp_path, {"outside.html": "<p>not part of the site</p>", "shared/b.html": '<p id="x">b</p>'})
    (tmp_path / "site").mkdir()
    (tmp_path / "site/shared").symlink_to(tmp_path / "shared")
    return _site(
        tmp_path / "site",
        {
            "index.html": (
                '<a href="a/">a</a>\n'
                '<a href="a/#top">anchor by id</a>\n'
                '<a href="a/#old">anchor by name</a>\n'
                '<a href="#here">same page</a><h2 id="here">x</h2>\n'
                '<a href="my%20file.html">escaped path</a>\n'
                '<a href="a/#missing">missing anchor</a>\n'
                '<a href="gone/">missing page</a>\n'
                '<img src="img/none.png">\n'
                '<a href="../outside.html">outside the site</a>\n'
                '<a href="https://example.org/x">outside</a> <a href="mailto:a@b.c">mail</a> <a href="data:,x">data</a>\n'
                '<link rel="canonical" href="/nowhere/">\n'
                '<a href="doc.pdf#page=3">a PDF page</a>\n'
                '<a href="/base/a/">absolute</a> <a href="/elsewhere/a/">absolute, outside the base</a>\n'
                '<a href="/base/">the base itself</a> <a href="/a/">absolute, written for a site at /</a>\n'
                '<link rel="stylesheet" href="gone.css">\n'
                '<a href="shared/b.html#x">through a symlink</a> <a href="shared/b.html#y">missing there</a>\n'
            ),
            # "missing" is a class here, not an id: a link to #missing is still broken.
            "a/index.html": '<h1 id="top" class="missing">A</h1><a name="old"></a>',
            "my file.html": "<p>x</p>",
            "doc.pdf": "%PDF-1.4",
        },
    )


def test_every_broken_link_is_reported_with_its_page_and_line(site):
    broken, outside = check_site(site, "/base/")
    assert broken == [
        BrokenLink("index.html", 6, "a/#missing", "no such anchor"),
        BrokenLink("index.html", 7, "gone/", "no such file"),
        BrokenLink("index.html", 8, "img/none.png", "no such file"),
        BrokenLink("index.html", 9, "../outside.html", "no such file"),
        BrokenLink("index.html", 13, "/elsewhere/a/", "no such file"),
        BrokenLink("index.html", 14, "/a/", "no such file"),
        BrokenLink("index.html", 15, "gone.css", "no such file"),
        BrokenLink("index.html", 16, "shared/b.html#y", "no such anchor"),
    ]
    assert outside == {"https://example.org/x"}
    assert str(broken[0]) == "index.html:6: a/#missing: no such anchor"
    assert check_site(site, "/base") == (broken, outside)  # the base path with or without its final slash


def test_a_clean_site_has_no_broken_link(tmp_path):
    clean = _site(tmp_path / "clean", {"index.html": '<a href="b/#x">b</a>', "b/index.html": '<p id="x">b</p>'})
    assert check_site(clean) == ([], set())


def test_the_command_fails_on_a_broken_link_and_says_where(site, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_url: https://example.org/base/\n", encoding="utf-8")
    result = run_findings("links", "--site", site, "--config", tmp_path / "mkdocs.yml")
    assert result.returncode == 1
    assert "index.html:7: gone/: no such file" in result.stderr.splitlines()
    assert "8 broken internal link(s)" in result.stdout


class _Statuses(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(int(self.path.strip("/")))
        self.end_headers()

    def log_message(self, *args):
        pass


def test_outside_links_are_dead_only_when_gone_or_failing():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Statuses))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        dead = check_outside({f"{base}/{code}" for code in (200, 403, 404, 410, 429, 500)} | {"http://127.0.0.1:9/"}, 5)
    finally:
        server.shutdown()
    assert [url for url, _ in dead] == sorted(["http://127.0.0.1:9/", f"{base}/404", f"{base}/410", f"{base}/500"])
    assert dict(dead)[f"{base}/404"] == "HTTP 404"
