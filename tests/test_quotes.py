"""`findings quotes`: every quote looked for in its document, offline, on documents made here.

The documents are written by the tests: a one-page PDF (written by hand, byte by
byte) for the Qwen2 report and a web page for the Qwen2.5 report, holding the
fixture's quotes as a reader would meet them: split across lines, with a word
hyphenated at a line end, with typographic quotes where the data has plain ones
(and the other way round), inside inline markup. No test fetches anything from
the network: the command runs with --offline, and the one test of fetching asks
a server of its own on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import textwrap
import threading
from pathlib import Path

import pytest

from conftest import edit, run_findings
from generator.check import check_folder
from generator.model import Source
from generator.quotes import contains, document_text, document_urls, fetcher, read_document, searchable

YAML = "initiatives/alibaba-qwen.yaml"


def pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing ``lines``, one per line (Helvetica, WinAnsi encoding)."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    stream = b"BT /F1 9 Tf 12 TL 40 800 Td " + b" ".join(literal(line) + b" Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def quotes(findings: Path) -> dict[tuple[str, int], str]:
    """The fixture's quotes, by (dimension, index)."""
    (ini,) = check_folder(findings).initiatives
    return {(f.dimension, k): e.quote for f in ini.findings for k, e in enumerate(f.evidence)}


def line_of(path: Path, text: str) -> int:
    (number,) = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return number


@pytest.fixture
def data(mini) -> Path:
    # A quote with plain double quotes, which the web page prints as typographic ones.
    edit(
        mini / YAML, "quote: To further enhance the reliability and", 'quote: To further enhance the "reliability" and'
    )
    return mini


def qwen2_pdf(findings: Path) -> bytes:
    q = quotes(findings)
    hyphenated = q[("objectives", 0)]
    assert "in harmony with" in hyphenated
    before, after = hyphenated.split("harmony", 1)
    lines = [
        "4 POST-TRAINING",
        "Following extensive large-scale pre-training, we engage in a post-training phase.",
        "Moreover, " + before + "har-",
        "mony" + after,
        *textwrap.wrap(q[("annotator-workforce", 0)], 70),
        *textwrap.wrap(q[("techniques", 0)], 70),
    ]
    assert all(len(line) < 100 for line in lines)
    return pdf(lines)


def qwen25_page(findings: Path, *, absent_in_body: bool = True) -> str:
    q = quotes(findings)
    online = q[("objectives", 1)]
    assert "model’s" in online and online.startswith("Online RL: ")
    review = q[("annotator-workforce", 1)]
    assert '"reliability"' in review
    abstract = q[("techniques", 1)]
    online = online.removeprefix("Online RL: ").replace("model’s", "model's").replace("ss and", "ss&nbsp;and")
    curly = review.replace('"reliability"', "“reliability”").replace(" and accuracy", "\n   and accuracy")
    body = "" if absent_in_body else f"<p>{abstract}</p>"
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Qwen2.5 Technical Report</title>
<style>p::before {{ content: "{review}"; }}</style>
<script>const abstract = {abstract!r};</script>
</head><body>
<h1>Qwen2.5 Technical Report</h1>
<p><strong>Online RL:</strong> {online}</p>
<p>{curly}</p>
{body}
</body></html>
"""


@pytest.fixture
def cache(tmp_path, data) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "qwen2-report.pdf").write_bytes(qwen2_pdf(data))
    (folder / "qwen2-5-report.html").write_text(qwen25_page(data), encoding="utf-8")
    return folder


def test_a_quote_missing_from_its_document_is_reported_at_its_line(data, cache):
    """Hyphenated across a line, typographic quotes either way, inline markup: all found; the quote
    that stands only inside a <script> is not."""
    result = run_findings("quotes", "--findings", data, "--cache", cache, "--offline")
    line = line_of(data / YAML, "quote: In terms of post-training")
    assert result.stderr.splitlines() == [
        f"{data}/{YAML}:{line}: alibaba-qwen/techniques: quote not found in qwen2-5-report (Abstract)"
    ]
    assert result.stdout.splitlines() == [
        "7 quote(s) checked in 2 document(s): 1 not found; 0 document(s) not read (0 quote(s) not checked)"
    ]
    assert result.returncode == 1


def test_every_quote_found_passes(data, cache):
    (cache / "qwen2-5-report.html").write_text(qwen25_page(data, absent_in_body=False), encoding="utf-8")
    result = run_findings("quotes", "--findings", data, "--cache", cache, "--offline")
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "7 quote(s) checked in 2 document(s): 0 not found; 0 document(s) not read (0 quote(s) not checked)"
    ]
    assert result.returncode == 0


def test_a_word_split_without_its_hyphen_is_not_the_quote(data, cache):
    """Joining a split word is the only liberty: the same text without the hyphen is two words."""
    text = qwen2_pdf(data).replace(b"(mony", b"(xmony")
    (cache / "qwen2-report.pdf").write_bytes(text)
    result = run_findings("quotes", "--findings", data, "--cache", cache, "--offline", "--source", "qwen2-report")
    line = line_of(data / YAML, "quote: it ensures that the generation")
    assert result.stderr.splitlines() == [
        f"{data}/{YAML}:{line}: alibaba-qwen/objectives: quote not found in qwen2-report (Section 4 Post-training, p. 6)"
    ]
    assert result.stdout.splitlines() == [
        "4 quote(s) checked in 1 document(s): 1 not found; 0 document(s) not read (0 quote(s) not checked)"
    ]
    assert result.returncode == 1


def test_a_document_not_read_is_reported_apart_and_fails_only_on_request(data, cache):
    (cache / "qwen2-5-report.html").unlink()
    line = line_of(data / YAML, "url: https://arxiv.org/abs/2412.15115")
    expected = [
        f"{data}/{YAML}:{line}: qwen2-5-report: document not read (not in the cache folder, and --offline fetches "
        "nothing); 3 quote(s) not checked"
    ]
    summary = ["4 quote(s) checked in 1 document(s): 0 not found; 1 document(s) not read (3 quote(s) not checked)"]
    result = run_findings("quotes", "--findings", data, "--cache", cache, "--offline")
    assert (result.stderr.splitlines(), result.stdout.splitlines(), result.returncode) == (expected, summary, 0)
    strict = run_findings("quotes", "--findings", data, "--cache", cache, "--offline", "--fail-unreadable")
    assert (strict.stderr.splitlines(), strict.stdout.splitlines(), strict.returncode) == (expected, summary, 1)


def test_a_pdf_whose_text_cannot_be_read_is_a_document_not_read(data, cache):
    (cache / "qwen2-report.pdf").write_bytes(b"%PDF-1.4\nnot a PDF at all\n")
    result = run_findings("quotes", "--findings", data, "--cache", cache, "--offline", "--source", "qwen2-report")
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{data}/{YAML}:{line_of(data / YAML, 'url: https://arxiv.org/abs/2407.10671')}: ")
    assert f"qwen2-report: document not read ({cache / 'qwen2-report.pdf'}: " in line
    assert line.endswith("; 4 quote(s) not checked")
    assert result.returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--offline"], "findings: --offline reads documents only from a cache folder; give --cache DIR"),
        (["--cache", "missing-folder"], "findings: missing-folder is not a folder"),
        (["--source", "no-such-report", "--offline", "--cache", "."], "findings: no such source: no-such-report"),
        (["--timeout", "0"], "findings: --timeout must be a positive number of seconds"),
    ],
)
def test_usage_errors_exit_2(data, tmp_path, args, message):
    result = run_findings("quotes", "--findings", data, *args, cwd=tmp_path)
    assert (result.stderr.splitlines(), result.returncode) == ([message], 2)


@pytest.mark.parametrize(
    "document, quote",
    [
        ("an exam-\nple of it", "an example of it"),
        ("the state-of-the-\n  art model", "the state-of-the-art model"),
        ("the model\u2019s \u201cvalues\u201d \u2013 all", 'the model\'s "values" - all'),
        ('the model\'s "values"', "the model\u2019s \u201cvalues\u201d"),
        ("a \ufb01ne-tuned model", "a fine-tuned model"),
        ("soft\u00ad\nhyphen and non\u00a0breaking", "softhyphen and non breaking"),
    ],
)
def test_normalisation(document, quote):
    assert contains(searchable(document), quote)


@pytest.mark.parametrize(
    "document, quote",
    [("an exam ple", "an example"), ("helpful, harmless", "helpful, honest"), ("Model", "model")],
)
def test_normalisation_keeps_the_words(document, quote):
    assert not contains(searchable(document), quote)


def test_a_markdown_file_is_read_as_rendered():
    """A model card on GitHub: its escapes, emphasis and link syntax are not part of the text."""
    card = b"**Refusals**  \nWe cut refusals for Llama 4\\. Anchored on [freedom](https://example.org/) \\- of *expression*.\n"
    text = document_text(card, "markdown")
    assert contains(searchable(text), "Refusals We cut refusals for Llama 4. Anchored on freedom - of expression.")
    assert not contains(searchable(card.decode()), "We cut refusals for Llama 4.")


def _source(**fields) -> Source:
    base = dict(
        id="a-report",
        title="A report",
        publisher="A lab",
        kind="technical-report",
        first_party=True,
        published="2024-01-01",
        release="initiative-wide",
        audit="full",
        accessed="2024-02-01",
    )
    return Source.model_validate(base | fields)


def test_the_document_read_is_the_one_quoted():
    arxiv = _source(
        url="https://arxiv.org/abs/2407.10671", arxiv="2407.10671", version={"label": "v4", "date": "2024-09-10"}
    )
    assert document_urls(arxiv) == ["https://arxiv.org/pdf/2407.10671v4"]
    github = _source(
        url="https://github.com/org/models/blob/main/models/v3/MODEL_CARD.md",
        version={"label": "models GitHub revision e2e67cd", "date": "2024-05-01"},
        archived_url="https://web.archive.org/web/2024/https://github.com/org/models",
    )
    assert document_urls(github) == [
        "https://github.com/org/models/raw/e2e67cd/models/v3/MODEL_CARD.md",
        "https://web.archive.org/web/2024/https://github.com/org/models",
    ]
    assert document_urls(_source(url="https://example.org/card/")) == ["https://example.org/card/"]


def test_fetching_names_itself_and_fills_the_cache(tmp_path):
    """urllib with a User-Agent that says who asks; a fetched document is saved for the next offline run."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("User-Agent")))
            body = b"<html><body><p>The whole card.</p><script>not text</script></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        source = _source(url=f"http://127.0.0.1:{httpd.server_address[1]}/card")
        text, where = read_document(source, tmp_path, fetcher("findings-test/1 (a test)", timeout=5))
    finally:
        httpd.shutdown()
    assert seen == [("/card", "findings-test/1 (a test)")]
    assert where == source.url and " ".join(text.split()) == "The whole card."
    assert (tmp_path / "a-report.html").is_file()
    again, where = read_document(source, tmp_path, None)  # offline: from the cache
    assert (again, where) == (text, str(tmp_path / "a-report.html"))
