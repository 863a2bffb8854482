"""The built site in a real browser (Debian's Chromium driven by Playwright), as a reader uses it.

Every test fails on a console error, a failed request, or any request to a host
other than the local server. Without Chromium the tests skip locally and fail
in CI (CI=true). Screenshots are written to test-artifacts/.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FINDINGS, ROOT, build_site

# The one browser setting: the Chromium binary to drive (default: Debian's), or empty for
# Playwright's own (`python -m playwright install chromium`), as on GitHub's runners.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Accessibility findings caused by the theme's own markup, by rule and selector; nothing broader.
AXE_ALLOWED = {
    # Material's search dialog has no accessible name.
    ("aria-dialog-name", ".md-search"),
}


def _require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (browser tests cannot be skipped in CI)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("browser")
    result = build_site(FINDINGS, work)
    assert result.returncode == 0, result.stderr
    return work / "site"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM:
        _require(
            Path(CHROMIUM).exists(),
            f"Chromium not found at {CHROMIUM}; install it with `apt-get install chromium`, "
            "or set CHROMIUM empty to use Playwright's own",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "Playwright is not installed; run `make test` to set up .venv")
    with sync_playwright() as playwright:
        if not CHROMIUM:
            _require(
                Path(playwright.chromium.executable_path).exists(),
                "CHROMIUM is empty but Playwright's Chromium is not installed; "
                "run `.venv/bin/python -m playwright install chromium`",
            )
        browser = playwright.chromium.launch(executable_path=CHROMIUM or None, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every problem a reader's browser would hit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    host = urlsplit(server).netloc
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"foreign request: {r.url}") if urlsplit(r.url).netloc != host else None)
    page.base = server
    yield page
    context.close()
    assert problems == []


def test_reader_follows_a_matrix_cell_to_its_finding(page):
    page.goto(page.base + "/")
    page.get_by_role("link", name="Matrix", exact=True).first.click()
    page.wait_for_url("**/matrix/")
    cell = page.locator('table.matrix a[href="../initiatives/meta-llama/#annotator-workforce"]')
    assert cell.get_attribute("title")  # the one-line summary tooltip
    cell.click()
    page.wait_for_url("**/initiatives/meta-llama/#annotator-workforce")
    heading = page.locator("#annotator-workforce")
    page.wait_for_function(
        "document.getElementById('annotator-workforce').getBoundingClientRect().top < window.innerHeight")
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    assert page.locator("text=meta-llama/annotator-workforce").count() == 1


def test_a_retired_dimensions_old_permalink_lands_on_its_successor(page):
    page.goto(page.base + "/initiatives/meta-llama/#annotators")
    page.wait_for_function("document.getElementById('annotators').getBoundingClientRect().top < window.innerHeight")
    successor = page.locator("#annotator-workforce").bounding_box()
    assert successor is not None and 0 <= successor["y"] < 900
    page.goto(page.base + "/dimensions/annotators/")
    links = page.locator("article a").all_inner_texts()
    assert "Annotator workforce" in links and "Number of annotators" in links


def test_search_finds_a_finding_by_a_distinctive_word(page):
    page.goto(page.base + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.press_sequentially("Upwork", delay=50)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15_000)
    assert "Upwork" in page.locator(".md-search-result").inner_text()


def test_dimension_page_compares_every_initiative(page):
    page.goto(page.base + "/dimensions/annotator-pay-rates/")
    assert page.title().startswith("Annotator pay")
    rows = page.locator("tbody tr[id]")
    assert rows.count() == 6


def test_exports_download_and_parse(page):
    page.goto(page.base + "/")
    json_href = page.get_by_role("link", name="JSON").first.get_attribute("href")
    csv_href = page.get_by_role("link", name="CSV").first.get_attribute("href")
    data = json.loads(page.request.get(page.base + "/" + json_href).text())
    rows = list(csv.DictReader(io.StringIO(page.request.get(page.base + "/" + csv_href).text())))
    ids = [f["id"] for i in data["initiatives"] for f in i["findings"]]
    assert [r["id"] for r in rows] == ids and len(ids) == 120


@pytest.mark.parametrize(
    "path",
    ["", "matrix/", "summary/", "initiatives/", "initiatives/openai-gpt/", "dimensions/", "dimensions/annotator-workforce/",
     "dimensions/annotators/",
     "sources/", "methodology/", "about/", "contributing/"],
)
def test_accessibility(page, path):
    _require(AXE.is_file(), "axe-core is not installed; run `npm ci --prefix tests/browser`")
    page.goto(page.base + "/" + path)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    found = [
        f"{v['id']}: {node['target']} ({v['help']})"
        for v in violations
        for node in v["nodes"]
        if not any(v["id"] == rule and selector in " ".join(map(str, node["target"])) for rule, selector in AXE_ALLOWED)
    ]
    assert found == []


@pytest.mark.parametrize("width, name", [(1280, "desktop"), (390, "phone")])
def test_matrix_is_usable_at_desktop_and_phone_width(page, width, name):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(page.base + "/matrix/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"matrix-{name}.png"), full_page=False)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    box = page.locator(".matrix-scroll").first
    scrollable = box.evaluate("el => el.scrollWidth > el.clientWidth")
    if name == "phone":
        assert scrollable, "the matrix must scroll inside its box at phone width"
        box.evaluate("el => el.scrollLeft = 400")
        first_column = page.locator("table.matrix tbody th").first.bounding_box()
        assert first_column is not None and first_column["x"] < 50, "the initiative column stays in view"


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["initiatives/openai-gpt/", "initiatives/meta-llama/", "sources/", "methodology/",
                                  "dimensions/annotator-workforce/"])
def test_no_page_is_wider_than_the_screen(page, path, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(page.base + "/" + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def teardown_module(module):
    # Keep artifacts only when screenshots were taken.
    if ARTIFACTS.exists() and not any(ARTIFACTS.iterdir()):
        shutil.rmtree(ARTIFACTS)
