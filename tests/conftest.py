"""Shared fixtures: the small real-data fixture, the real findings, the CLI, and the browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
FINDINGS = ROOT / "findings"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the small fixture (four real Qwen findings)."""
    target = tmp_path / "findings"
    shutil.copytree(MINI, target)
    return target


def run_findings(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `findings` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
    )


def build_site(findings: Path, work: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the site from ``findings`` in a scratch copy of the project at ``work`` (site in work/site)."""
    from generator.pipeline import generated_area

    work.mkdir(parents=True, exist_ok=True)
    if not (work / "mkdocs.yml").exists():
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    if not (work / "docs").exists():
        shutil.copytree(ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns(*generated_area()))
    if not (work / "overrides").exists():  # the theme additions mkdocs.yml names (custom_dir)
        shutil.copytree(ROOT / "overrides", work / "overrides")
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--findings", str(findings)],
        capture_output=True,
        text=True,
        cwd=work,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real findings built once per test run, in a scratch copy of the project (docs/ and site/ untouched)."""
    work = tmp_path_factory.mktemp("real-site")
    result = build_site(FINDINGS, work)
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "site"


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact occurrence of ``old`` in a data file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the browser: the built site in Chromium, for the browser tests ---------------------------

# The one browser setting: the Chromium binary to drive (default: Debian's), or empty for
# Playwright's own (`python -m playwright install chromium`), as on GitHub's runners.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (browser tests cannot be skipped in CI)")
    pytest.skip(message)


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
        require(
            Path(CHROMIUM).exists(),
            f"Chromium not found at {CHROMIUM}; install it with `apt-get install chromium`, "
            "or set CHROMIUM empty to use Playwright's own",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright is not installed; run `make test` to set up .venv")
    with sync_playwright() as playwright:
        if not CHROMIUM:
            require(
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
