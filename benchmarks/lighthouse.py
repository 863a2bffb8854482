"""Benchmark: what readers' browsers make of the built site, as Lighthouse scores it.

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--site site]

It serves the built site (`make site` first) compressed, as GitHub Pages does
(gzip for text, with caching headers), runs Lighthouse (installed from npm into
benchmarks/lighthouse/ on first use, driving the same Chromium as the browser
tests: the CHROMIUM setting) on the home page, the matrix and an initiative page,
and prints, as the median of several runs, the performance, accessibility,
best-practice and SEO scores and the page weight (bytes transferred). Scores vary
with the machine's load: read the median, not a single run. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "benchmarks" / "lighthouse"
PAGES = {"home": "", "matrix": "matrix/", "initiative (Meta Llama)": "initiatives/meta-llama/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt", ".map"}


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip and a cache lifetime, like GitHub Pages; silent."""

    def log_message(self, *args):
        pass

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir() and self.path.split("?")[0].endswith("/"):
            target = target / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not target.is_file() or target.suffix not in COMPRESSED or not accepts:
            return super().send_head()  # other files, and the redirect from /matrix to /matrix/
        body = gzip.compress(target.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what Pages sends
        self.end_headers()
        return io.BytesIO(body)


def _lighthouse() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund", "--silent"], check=True)
    return binary


def _chromium() -> str:
    configured = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if configured:
        return configured
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def _run(binary: Path, url: str, chromium: str, scratch: Path) -> dict:
    report = scratch / "report.json"
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run"
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={flags}",
            "--only-categories=" + ",".join(CATEGORIES),
        ],  # Lighthouse's defaults: a phone on a slow network
        check=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    scores["weight_kib"] = round(data["audits"]["total-byte-weight"]["numericValue"] / 1024)
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"{args.site} is not a built site: run `make site` first")
        return 2
    if not shutil.which("npm"):
        print("npm is needed to install Lighthouse")
        return 2
    binary, chromium = _lighthouse(), _chromium()
    handler = functools.partial(_CompressingHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"Lighthouse (its default: a mid-range phone, throttled), median of {args.runs} runs, served compressed\n")
    print(f"| page | {' | '.join(CATEGORIES)} | weight (KiB) |")
    print("|---|" + "---:|" * (len(CATEGORIES) + 1))
    with tempfile.TemporaryDirectory() as scratch:
        for name, path in PAGES.items():
            runs = [_run(binary, base + path, chromium, Path(scratch)) for _ in range(args.runs)]
            median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            cells = " | ".join(f"{median[c]:.0f}" for c in CATEGORIES)
            print(f"| {name} | {cells} | {median['weight_kib']:.0f} |", flush=True)
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
