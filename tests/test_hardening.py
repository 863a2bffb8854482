"""Hostile or broken input: caught with a clear message, never published, never markup."""

from __future__ import annotations

import filecmp
import re
import shutil
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
        ("title: Qwen2 Technical Report", "title: 2024", "10:10: title: expected text, got a number (2024); quote it if you mean text"),
        ("first_party: true\n  published: 2024-07-15", "first_party: maybe\n  published: 2024-07-15",
         "13:16: first_party: Input should be a valid boolean, unable to interpret input"),
        ("locator: Section 4 Post-training, p. 6\n    quote: it ensures", "locator: 2024-05-01\n    quote: it ensures",
         "40:14: locator: expected text, got a date (2024-05-01); quote it if you mean text"),
        ("url: https://arxiv.org/abs/2407.10671", "url: 'data:text/html,<script>alert(1)</script>'",
         "15:8: url: must be an http:// or https:// URL"),
        ("name: Alibaba Qwen", "'on': x\nname: Alibaba Qwen", "3:1: unknown field 'on'; allowed: id, name, organisation, access, overview, sources, findings"),
        ("name: Alibaba Qwen", "on: x\nname: Alibaba Qwen", "3:1: key 'on' is not read as text; quote it"),
        ("name: Alibaba Qwen", "name: !!python/object:os.system echo", "3:7: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'"),
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
        f"initiatives/alibaba-qwen.yaml:9:7: duplicate source id 'qwen2-report' (also in {mini}/initiatives/alibaba-qwen-copy.yaml:9)",
        f"initiatives/alibaba-qwen.yaml:19:7: duplicate source id 'qwen2-5-report' (also in {mini}/initiatives/alibaba-qwen-copy.yaml:19)",
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


def test_deep_nesting_is_refused(mini):
    (mini / "synthesis.yaml").write_text("lenses: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    code, found = validate(mini)
    assert code == 1 and found == ["synthesis.yaml:1:49: nesting deeper than 40 levels"]


# --- nothing half-built -----------------------------------------------------------


def test_failed_site_build_keeps_the_previous_site(tmp_path):
    work = tmp_path / "project"
    assert build_site(FINDINGS, work).returncode == 0
    before = sorted(p.relative_to(work / "site") for p in (work / "site").rglob("*"))
    config = (work / "mkdocs.yml").read_text(encoding="utf-8")
    (work / "mkdocs.yml").write_text(config.replace("- Sources: sources.md", "- Sources: missing.md"), encoding="utf-8")
    result = build_site(FINDINGS, work)
    assert result.returncode == 1
    assert "the previous site/ is unchanged" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(work / "site") for p in (work / "site").rglob("*")) == before
    assert not list(work.glob(".site-*"))


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


def test_source_id_cannot_shadow_an_initiative_id(mini):
    edit(mini / QWEN, "findings:\n", "- id: alibaba-qwen\n  title: Clash\n  publisher: Alibaba\n  kind: blog\n"
         "  first_party: true\n  published: 2024-01-01\n  url: https://qwenlm.github.io/\n  accessed: 2026-11-28\nfindings:\n")
    assert validate(mini) == (1, [
        f"{QWEN}:29:7: source 'alibaba-qwen' is never cited by a finding (as evidence or as searched)",
        f"{QWEN}:29:7: source id 'alibaba-qwen' is also an initiative's id; choose another",
    ])
