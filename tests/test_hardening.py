"""Hostile or broken input: caught with a clear message, never published, never markup."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FINDINGS, MINI, build_site, edit, run_findings
from generator.links import check_site

QWEN = "initiatives/alibaba-qwen.yaml"


def validate(folder: Path) -> tuple[int, list[str]]:
    result = run_findings("validate", "--findings", folder)
    assert "Traceback" not in result.stderr
    prefix = f"{folder}/"
    return result.returncode, [line.removeprefix(prefix) for line in result.stderr.splitlines() if line.startswith(prefix)]


# --- more bad input -----------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("title: Qwen2 Technical Report", "title: 2024", "17:10: title: expected text, got a number (2024); quote it if you mean text"),
        ("first_party: true\n  published: 2024-07-15", "first_party: maybe\n  published: 2024-07-15",
         "20:16: first_party: expected true or false (unquoted)"),
        ("first_party: true\n  published: 2024-07-15", "first_party: 'no'\n  published: 2024-07-15",
         "20:16: first_party: expected true or false (unquoted)"),
        ("  published: 2024-07-15", "  published: '0'", "21:14: published: expected a date written as YYYY-MM-DD"),
        ("  published: 2024-07-15", "  published: 2024-07-15 10:00:00", "21:14: published: expected a date written as YYYY-MM-DD"),
        ("locator: Section 4 Post-training, p. 6\n    quote: it ensures", "locator: 2024-05-01\n    quote: it ensures",
         "53:14: locator: expected text, got a date (2024-05-01); quote it if you mean text"),
        ("url: https://arxiv.org/abs/2407.10671", "url: 'data:text/html,<script>alert(1)</script>'",
         "24:8: url: must be an http:// or https:// URL"),
        ("name: Alibaba Qwen", "'on': x\nname: Alibaba Qwen", "3:1: unknown field 'on'; allowed: id, name, organisation, access, overview, releases, sources, findings"),
        ("name: Alibaba Qwen", "on: x\nname: Alibaba Qwen", "3:1: key 'on' is not read as text; quote it"),
        ("name: Alibaba Qwen", "name: !!python/object:os.system echo", "3:7: YAML tags such as !!python/object:os.system are not allowed in findings files"),
        # Tags on values they cannot construct, on text, on lists and mappings: all refused, located.
        ("name: Alibaba Qwen", "name: !!bool maybe", "3:7: YAML tags such as !!bool are not allowed in findings files"),
        ("name: Alibaba Qwen", "name: !!timestamp soon", "3:7: YAML tags such as !!timestamp are not allowed in findings files"),
        ("name: Alibaba Qwen", "name: !!int", "3:7: YAML tags such as !!int are not allowed in findings files"),
        ("name: Alibaba Qwen", "name: !!float ''", "3:7: YAML tags such as !!float are not allowed in findings files"),
        ("name: Alibaba Qwen", "name: !!int Some Name", "3:7: YAML tags such as !!int are not allowed in findings files"),
        ("name: Alibaba Qwen", "name: !custom Qwen", "3:7: YAML tags such as !custom are not allowed in findings files"),
        ("releases:\n", "releases: !!set\n", "8:11: YAML tags such as !!set are not allowed in findings files"),
        ("findings:\n", "findings: !!omap\n", "43:11: YAML tags such as !!omap are not allowed in findings files"),
        # Characters that would break front matter, forge lines or reverse text; text that shows nothing.
        ("name: Alibaba Qwen", 'name: "Qwen\\a bell"', "3:7: name: contains the invisible control character U+0007 at position 5; delete it"),
        ("name: Alibaba Qwen", 'name: "Qwen \\u202Eevil"', "3:7: name: contains the invisible control character U+202E at position 6; delete it"),
        ("name: Alibaba Qwen", 'name: "\\u200B\\u3164 \\u2060"', "3:7: name: must not be empty (it holds only blank or invisible characters)"),
        ("url: https://arxiv.org/abs/2407.10671", 'url: "https://arxiv.org/abs/x\\x01y"', "24:8: url: contains the invisible control character U+0001 at position 24; delete it"),
    ],
)
def test_wrong_types_and_yaml_surprises(old, new, expected, mini):
    edit(mini / QWEN, old, new)
    assert validate(mini) == (1, [f"{QWEN}:{expected}"])


def test_duplicate_source_id_across_files(mini):
    other = (mini / QWEN).read_text(encoding="utf-8").replace("id: alibaba-qwen", "id: alibaba-qwen-copy")
    (mini / "initiatives/alibaba-qwen-copy.yaml").write_text(other, encoding="utf-8")
    code, found = validate(mini)
    assert code == 1
    assert found[:2] == [
        f"initiatives/alibaba-qwen.yaml:16:7: duplicate source id 'qwen2-report' (also in {mini}/initiatives/alibaba-qwen-copy.yaml:16)",
        f"initiatives/alibaba-qwen.yaml:28:7: duplicate source id 'qwen2-5-report' (also in {mini}/initiatives/alibaba-qwen-copy.yaml:28)",
    ]


def test_file_names_that_cannot_be_ids(mini):
    (mini / "initiatives/Bad Name.yaml").write_text((mini / QWEN).read_text(encoding="utf-8"), encoding="utf-8")
    (mini / "initiatives/nested").mkdir()
    (mini / "initiatives/nested/x.yaml").write_text("id: x\n", encoding="utf-8")
    (mini / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    code, found = validate(mini)
    assert code == 1
    assert "initiatives/Bad Name.yaml:2:5: id 'alibaba-qwen' must match the file name (Bad Name.yaml)" in found
    assert any(f.startswith("initiatives/nested/x.yaml:1:1: unexpected file") for f in found)
    assert any(f.startswith("notes.yml:1:1: unexpected file") for f in found)


def test_billion_laughs_is_refused_quickly(mini):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (mini / "synthesis.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    code, found = validate(mini)
    assert time.perf_counter() - started < 20  # bounded; without the alias check this would not finish
    assert (code, found) == (1, ["synthesis.yaml:1:5: anchors and aliases (&name, *name) are not allowed in findings files"])


def test_very_large_file_is_refused_before_parsing(mini):
    (mini / "synthesis.yaml").write_text("lenses: []\n" + "# padding\n" * 300_000, encoding="utf-8")
    assert validate(mini) == (1, ["synthesis.yaml:1:1: file is 3000011 bytes; the limit is 2000000"])


def test_the_size_limit_is_exact(mini):
    from generator.load import MAX_BYTES

    # The file's last byte closes the list: a file read short of the limit would not parse.
    padding = "#" * (MAX_BYTES - len("\nlenses: []"))
    (mini / "synthesis.yaml").write_text(padding + "\nlenses: []", encoding="utf-8")
    assert (mini / "synthesis.yaml").stat().st_size == MAX_BYTES
    _, found = validate(mini)
    assert not [line for line in found if "limit" in line or "syntax" in line], found
    (mini / "synthesis.yaml").write_text(padding + "\nlenses: [] ", encoding="utf-8")
    assert validate(mini) == (1, [f"synthesis.yaml:1:1: file is {MAX_BYTES + 1} bytes; the limit is {MAX_BYTES}"])


def test_a_file_gone_before_it_is_read_is_a_located_problem(tmp_path):
    from generator.load import read_regular
    from generator.problems import Problem

    gone = read_regular(tmp_path / "gone.yaml", "findings/gone.yaml")
    assert gone == Problem("findings/gone.yaml", 1, 1, "cannot read the file (No such file or directory)")


def test_the_read_is_bounded_whatever_size_the_file_reports():
    # A file that holds more than its size says (it grows, or it is a kernel file: this one
    # reports 0 bytes and holds gigabytes) is read only to the limit, then refused.
    from generator.load import MAX_BYTES, read_regular
    from generator.problems import Problem

    pagemap = Path("/proc/self/pagemap")
    if not os.access(pagemap, os.R_OK):
        pytest.skip("needs Linux's /proc")
    assert pagemap.stat().st_size == 0
    found = read_regular(pagemap, "findings/grows.yaml")
    assert found == Problem("findings/grows.yaml", 1, 1, f"file is over {MAX_BYTES} bytes; the limit is {MAX_BYTES}")


def test_deep_nesting_is_refused(mini):
    (mini / "synthesis.yaml").write_text("lenses: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    code, found = validate(mini)
    assert code == 1 and found == ["synthesis.yaml:1:49: nesting deeper than 40 levels"]


# --- nothing half-built -----------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_failed_site_build_keeps_the_previous_site_and_docs(tmp_path):
    work = tmp_path / "project"
    assert build_site(MINI, work).returncode == 0
    site, docs = _tree(work / "site"), _tree(work / "docs")
    config = (work / "mkdocs.yml").read_text(encoding="utf-8")
    (work / "mkdocs.yml").write_text(config.replace("- Sources: sources.md", "- Sources: missing.md"), encoding="utf-8")
    result = build_site(FINDINGS, work)  # other data: every generated page would change
    assert result.returncode == 1
    assert "docs/ and the previous site/ are unchanged" in result.stderr and "Traceback" not in result.stderr
    assert _tree(work / "site") == site
    assert _tree(work / "docs") == docs
    assert sorted(p.name for p in work.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]
    assert (work / "site").stat().st_mode & 0o777 == 0o755


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def _alive(pid: int) -> bool:
    try:  # a zombie (state Z) has ended and waits only to be reaped
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _start(work: Path, *args: str) -> tuple[subprocess.Popen, list[int]]:
    """Start ``findings ARGS`` in ``work``; return it once it has started its mkdocs child."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not (children := [c for c in _children(process.pid) if b"mkdocs" in _command(c)]):
        assert time.monotonic() < deadline, "mkdocs never started"
        time.sleep(0.02)
    return process, children


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")


@linux_only
def test_mkdocs_ends_with_a_killed_parent(tmp_path):
    work = tmp_path / "project"
    assert build_site(MINI, work).returncode == 0
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    serve, children = _start(work, "serve", "--findings", str(MINI), "--addr", f"127.0.0.1:{port}")
    serve.kill()  # SIGKILL: the parent gets no chance to clean up; mkdocs serve would run for ever
    serve.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, children)), "mkdocs outlived its parent"


@linux_only
def test_a_killed_build_changes_nothing_and_the_next_build_cleans_up(tmp_path):
    work = tmp_path / "project"
    assert build_site(MINI, work).returncode == 0
    site, docs = _tree(work / "site"), _tree(work / "docs")
    build, _ = _start(work, "build", "--findings", str(FINDINGS))
    build.kill()
    build.wait()
    assert (_tree(work / "site"), _tree(work / "docs")) == (site, docs)
    assert build_site(MINI, work).returncode == 0
    assert sorted(p.name for p in work.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]


def test_builds_are_reproducible(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    sites = []
    for name in ("one", "two"):
        assert build_site(FINDINGS, tmp_path / name, env).returncode == 0
        sites.append(tmp_path / name / "site")
    files = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(sites[0], sites[1], [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])


# --- untrusted text stays text --------------------------------------------------------

HOSTILE = {
    "name: Alibaba Qwen": "name: 'Qwen <script>alert(1)</script> {{ 7*7 }}'",
    "title: Qwen2 Technical Report": "title: '\"><img src=x onerror=alert(2)> | pipe {% if true %}yes{% endif %}'",
    "locator: Section 4 Post-training, p. 6\n    quote: it ensures":
        "locator: \"cell | with pipe\\n## not a heading\"\n    quote: it ensures",
}


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.handlers, self.scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(MINI, work / "findings")
    for old, new in HOSTILE.items():
        edit(work / "findings" / QWEN, old, new)
    edit(work / "findings" / QWEN,
         "  rationale: Each technical report names what post-training optimises for. The list changes across generations,\n"
         "    but every generation states one.",
         '  rationale: "<b onclick=alert(3)>x</b> [link](javascript:alert(4)) ![px](https://tracker.example/p.png)"')
    edit(work / "findings/dimensions.yaml", "title: Alignment objectives",
         "title: 'Objectives </title><script>alert(5)</script> *x*'")
    result = build_site(work / "findings", work / "project")
    assert result.returncode == 0, result.stderr
    return work / "project" / "site"


def test_hostile_text_is_shown_literally_and_never_runs(hostile_site):
    pages = [hostile_site / p / "index.html" for p in ("initiatives/alibaba-qwen", "matrix", "sources", "dimensions/objectives", "")]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        parsed = _Attributes()
        parsed.feed(text)
        assert parsed.handlers == [], path
        assert "alert(1)</script>" not in text and "alert(5)</script>" not in text, path
        assert "<img src=x" not in text, path
        assert all(not i.get("src", "").startswith("http") for i in parsed.images), path
        assert "javascript:" not in text, path
    page = (hostile_site / "initiatives/alibaba-qwen/index.html").read_text(encoding="utf-8")
    assert "Qwen &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page
    assert "&lt;b onclick=alert(3)&gt;x&lt;/b&gt;" in page
    assert "cell | with pipe ## not a heading" in page
    assert "{% if true %}yes{% endif %}" in page
    assert "Objectives &lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt; *x*" in page
    assert re.search(r"<h2[^>]*>not a heading", page) is None
    broken, _ = check_site(hostile_site, "/findings/")
    assert broken == []


def test_inline_scripts_are_only_the_themes(hostile_site):
    page = (hostile_site / "initiatives/alibaba-qwen/index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.S)
    assert inline and all("alert(" not in body for body in inline)


NEW_SOURCE = ("- id: {id}\n  title: Clash\n  publisher: Alibaba\n  kind: blog\n  first_party: true\n"
              "  published: 2024-01-01\n  release: qwen2\n  audit: full\n  url: https://qwenlm.github.io/\n"
              "  accessed: 2026-11-28\nfindings:\n")


def test_source_id_cannot_shadow_an_initiative_id(mini):
    edit(mini / QWEN, "findings:\n", NEW_SOURCE.format(id="alibaba-qwen"))
    assert validate(mini) == (1, [f"{QWEN}:43:7: source id 'alibaba-qwen' is also an initiative's id; choose another"])


@pytest.mark.parametrize("ident", ["index", "documents", "lens-data", "rule"])
def test_reserved_ids_are_refused(ident, mini):
    edit(mini / QWEN, "findings:\n", NEW_SOURCE.format(id=ident))
    edit(mini / "dimensions.yaml", "- id: objectives", f"- id: {ident}")
    code, found = validate(mini)
    assert code == 1
    assert f"dimensions.yaml:3:7: dimension id {ident!r} is reserved for the site's own pages or anchors; choose another" in found
    assert f"{QWEN}:43:7: source id {ident!r} is reserved for the site's own pages or anchors; choose another" in found


def test_initiative_id_index_is_refused(mini):
    text = (mini / QWEN).read_text(encoding="utf-8").replace("id: alibaba-qwen\n", "id: index\n", 1)
    (mini / "initiatives/index.yaml").write_text(text, encoding="utf-8")
    (mini / QWEN).unlink()
    code, found = validate(mini)
    assert "initiatives/index.yaml:2:5: initiative id 'index' is reserved for the site's own pages or anchors; choose another" in found


def test_duplicated_paper_version_is_refused(mini):
    edit(mini / "paper.yaml", "  - version: v1\n    date: 2025-08-23\n",
         "  - version: v1\n    date: 2025-08-23\n  - version: v1\n    date: 2025-09-01\n")
    assert validate(mini) == (1, [f"paper.yaml:14:14: duplicate version 'v1' (also in {mini}/paper.yaml:12)"])


# --- files that are not what they seem ----------------------------------------------------


def test_raw_control_characters_are_located(mini):
    text = (mini / QWEN).read_text(encoding="utf-8")
    (mini / QWEN).write_text(text.replace("name: Alibaba Qwen", "name: Alibaba\x00Qwen\x07"), encoding="utf-8")
    assert validate(mini) == (1, [f"{QWEN}:3:14: the file holds the control character U+0000; delete it"])


def test_file_names_cannot_forge_output_lines(mini):
    (mini / "initiatives/evil\nx.yaml:1:1: all good\x1b[2J.yaml").write_text("id: x\n", encoding="utf-8")
    result = run_findings("validate", "--findings", mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    assert all(line.startswith(f"{mini}/") for line in result.stderr.splitlines()[:-1])
    assert f"{mini}/initiatives/evil\\x0ax.yaml:1:1: all good\\x1b[2J.yaml:1:1: missing required field 'sources'" in result.stderr


@pytest.mark.parametrize("kind", ["device", "fifo", "outside"])
def test_special_files_and_symlinks_are_refused_before_reading(kind, mini, tmp_path):
    target = mini / "synthesis.yaml"
    target.unlink()
    if kind == "device":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        secret = tmp_path / "secret.txt"
        secret.write_text("password: hunter2\n", encoding="utf-8")
        target.symlink_to(secret)
    # A hang guard, not a timing assertion: before the fix this never returned.
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--findings", str(mini)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "hunter2" not in result.stderr and "Traceback" not in result.stderr
    message = "not a regular file" if kind == "fifo" else "symbolic links are not allowed in the findings folder"
    assert f"{mini}/synthesis.yaml:1:1: {message}" in result.stderr


def test_a_flood_of_empty_entries_is_answered_with_a_bounded_report(mini):
    (mini / "synthesis.yaml").write_text("lenses:\n" + "- {}\n" * 350_000, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--findings", str(mini)],
                            capture_output=True, text=True, timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(lines) < 250
    assert lines[0].startswith(f"{mini}/synthesis.yaml:200001:3: the file holds over 200000 values")


def test_many_unknown_references_are_reported_with_a_limit(mini):
    refs = "".join(f"      - nowhere/ref-{i}\n" for i in range(5000))
    edit(mini / "synthesis.yaml", "      - alibaba-qwen/annotator-workforce\n", refs)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--findings", str(mini)],
                            capture_output=True, text=True, timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 202
    assert lines[0] == f"{mini}/synthesis.yaml:2:1: 4800 more problem(s) in this file are not listed"


# --- valid data that used to break the build ------------------------------------------


def test_bibtex_of_any_title(mini):
    from generator.check import check_folder
    from generator.citation import bibtex

    title = 'title: "Decoding Alignment: A Critical Survey of LLM Development Initiatives through ' \
        'Value-setting and Data-centric Lens"'
    edit(mini / "paper.yaml", title, 'title: "GPT-4 2025 & 100% {open}"')
    entry = bibtex(check_folder(mini).paper)
    assert entry.startswith("@misc{chalkidis2025gpt,\n")
    assert r"title = {GPT-4 2025 \& 100\% \{open\}}," in entry
    edit(mini / "paper.yaml", 'title: "GPT-4 2025 & 100% {open}"', 'title: "2025 4"')
    assert bibtex(check_folder(mini).paper).startswith("@misc{chalkidis2025,\n")


def test_generate_reads_mkdocs_yml_with_tags_and_without_a_repository(mini, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: !ENV [SITE_NAME, x]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n", encoding="utf-8")
    docs = tmp_path / "docs"
    result = run_findings("generate", "--findings", mini, "--docs", docs, "--config", config)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    page = (docs / "initiatives/alibaba-qwen.md").read_text(encoding="utf-8")
    assert "suggest a correction" not in page and "edit the source" not in page and "/blob/" not in page


def test_csv_cells_cannot_be_formulas(mini):
    from generator.check import check_folder
    from generator.export import as_csv

    edit(mini / QWEN, "  rationale: Pay rates are not mentioned", "  rationale: =HYPERLINK(\"http://x\") Pay rates are not mentioned")
    edit(mini / QWEN, "organisation: Alibaba (Qwen Team, Alibaba Group)", "organisation: '@SUM(1+1)'")
    text = as_csv(check_folder(mini))
    assert "'=HYPERLINK" in text and ",'@SUM(1+1)," in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text and ",@SUM" not in text


def test_code_spans_are_escaped_once(mini):
    from generator.check import check_folder
    from generator.export import as_csv
    from generator.render import render_pages

    edit(mini / QWEN, "  rationale: Pay rates are not mentioned, which is not-disclosed under the rubric.",
         "  rationale: '`a < b` & Pay rates are not mentioned.'")
    ds = check_folder(mini)
    page = render_pages(ds, "", "test")["initiatives/alibaba-qwen.md"]
    assert "<code>a &lt; b</code> &amp; Pay" in page and "&amp;lt;" not in page
    assert "a < b & Pay rates" in as_csv(ds)


@pytest.mark.parametrize("title", ["a\x07b", "x: y", "'\"", "\\", "#", "---", "é\u2028", "{{ x }}", "a\nb", "\ufeff"])
def test_page_titles_always_make_valid_front_matter(title):
    import yaml

    from generator.markup import page_title

    front = yaml.safe_load(f"title: {page_title(title)}\n")
    assert isinstance(front["title"], str)


@pytest.mark.parametrize("count, more", [(200, None), (201, 1)])
def test_the_problem_limit_lists_200_and_counts_the_rest(mini, count, more):
    refs = "".join(f"      - nowhere/ref-{i}\n" for i in range(count))
    edit(mini / "synthesis.yaml", "      - alibaba-qwen/annotator-workforce\n", refs)
    code, found = validate(mini)
    unknown = [line for line in found if "unknown finding" in line]
    assert code == 1 and len(unknown) == 200
    assert [line for line in found if "more problem(s)" in line] == (
        [] if more is None else [f"synthesis.yaml:2:1: {more} more problem(s) in this file are not listed"]
    )


@pytest.mark.parametrize("concerns, more", [(50, None), (60, 40)])
def test_the_problem_limit_holds_for_schema_errors_too(mini, concerns, more):
    empty = "".join("  - {}\n" for _ in range(concerns))  # four missing fields each: 200 or 240 problems
    edit(mini / "synthesis.yaml", "concerns:\n", "concerns:\n" + empty)
    code, found = validate(mini)
    assert code == 1 and len([line for line in found if "missing required field" in line]) == 200
    assert [line for line in found if "more problem(s)" in line] == (
        [] if more is None else [f"synthesis.yaml:2:1: {more} more problem(s) in this file are not listed"]
    )


def test_every_unreadable_file_is_reported_not_only_the_first(mini):
    (mini / "initiatives/aa.yaml").symlink_to(mini / "paper.yaml")
    (mini / "initiatives/ab.yaml").write_bytes(b"id: \xff\n")
    code, found = validate(mini)
    assert code == 1 and found == [
        "initiatives/aa.yaml:1:1: symbolic links are not allowed in the findings folder; use a regular file",
        "initiatives/ab.yaml:1:5: not valid UTF-8 (byte 0xff); save the file as UTF-8",
    ]
