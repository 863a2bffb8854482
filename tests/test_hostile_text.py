"""Every text field of the model, filled with every class of hostile payload, in a real browser.

The list of text fields is derived from the model, so a new field is covered as
soon as it exists (the coverage assertion names any field the fixture does not
reach). The site built from that data must validate and build, and in Chromium,
with every element hovered and focused and the search run over the payloads, no
dialog may open, no script from the data may run and no request may leave the
local server.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from conftest import MINI, build_site
from generator import model

# One payload per class of attack found so far; each is kept short so a quote can hold several.
PAYLOADS = {
    "html": "<img src=x onerror=alert(1)>",
    "attribute": "\"' ><svg onload=alert(2)>",
    "attr-list": "![x](data:,){: onerror=alert(3) }",
    "javascript-link": "[y](javascript:alert(4))",
    "script": "<script>alert(5)</script>",
    "link-title": '[t](https://example.invalid/ "<img src=x onerror=alert(6)>")',
    "remote-image": "![p](https://tracker.invalid/p.gif)",
    "style": "<style>*{background:url(https://tracker.invalid/s)}</style>",
    "entity": "&lt;img src=x onerror=alert(7)&gt;",
    "code-span": "`<b onclick=alert(8)>b</b>`",
    "template": "{{ 7*7 }}{% include 'x' %}",
    "front-matter": "\n---\ntitle: '<img src=x onerror=alert(9)>'\n---\n",
    "block-html": "\n\n<div onclick=alert(10)>d</div>\n\n",
    "formula": '=HYPERLINK("https://tracker.invalid","x")',
    "iframe": '<iframe src="https://tracker.invalid/"></iframe>',
}
TEXT_TYPES = (model.Text, model.Markdown, model.Quote)
# History before/after hold statuses (or dimension ids) for these fields, so no payload goes there.
STRUCTURED_HISTORY = {"status", "best", "dimension"}


def _unwrap(hint):
    """The type inside Optional[...], list[...] and Annotated[list[...], ...]; and whether it was a list."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else (hint, False)
    if origin is typing.Annotated and typing.get_origin(typing.get_args(hint)[0]) is list:
        return _unwrap(typing.get_args(hint)[0])
    if origin is list:
        return _unwrap(typing.get_args(hint)[0])[0], True
    return hint, False


def _fields(cls):
    hints = typing.get_type_hints(cls, include_extras=True)
    for name, info in cls.model_fields.items():
        hint, many = _unwrap(hints[name])
        yield name, info.alias or name, hint, many


def text_fields(cls) -> set[str]:
    """Every free-text field reachable from ``cls``, as 'Model.field'."""
    found = set()
    for name, _, hint, _ in _fields(cls):
        if hint in TEXT_TYPES:
            found.add(f"{cls.__name__}.{name}")
        elif isinstance(hint, type) and issubclass(hint, BaseModel):
            found |= text_fields(hint)
    return found


def inject(cls, data, reached: set[tuple[str, str]], counter: list[int]) -> None:
    """Replace every free-text value in ``data`` (raw YAML of a ``cls``) with payloads, in place."""
    if not isinstance(data, dict):
        return
    for name, key, hint, many in _fields(cls):
        if key not in data or data[key] is None:
            continue
        where = f"{cls.__name__}.{name}"
        if cls is model.HistoryEntry and name in ("before", "after") and data.get("field") in STRUCTURED_HISTORY:
            continue
        if hint in TEXT_TYPES:
            values = []
            for _ in data[key] if many else [None]:
                classes = _classes_for(hint, counter)
                reached.update((where, c) for c in classes)
                text = " ".join(PAYLOADS[c] for c in classes)
                values.append(text if hint is model.Markdown else " ".join(text.split()))
            data[key] = values if many else values[0]
        elif isinstance(hint, type) and issubclass(hint, BaseModel):
            for item in data[key] if many else [data[key]]:
                inject(hint, item, reached, counter)


def _classes_for(hint, counter: list[int]) -> list[str]:
    names = list(PAYLOADS)
    if hint is not model.Quote:
        return names
    # A quote holds at most QUOTE_LIMIT characters: successive quotes take successive thirds.
    counter[0] += 1
    third = len(names) // 3 + 1
    start = (counter[0] % 3) * third
    return names[start : start + third]


def _reach_optional_fields(data: dict) -> None:
    """Give the small fixture a value for each optional text field it leaves empty."""
    dims, ini, paper = data["dimensions.yaml"], data["initiatives/alibaba-qwen.yaml"], data["paper.yaml"]
    paper["note"] = "x"
    pay = next(d for d in dims["dimensions"] if d["id"] == "annotator-pay-rates")
    pay["rubric"]["not-applicable"] = "x"
    ini["sources"].append({
        "id": "hostile-unread", "title": "x", "publisher": "x", "kind": "blog", "first_party": True,
        "published": ini["sources"][0]["published"], "release": ini["sources"][0]["release"],
        "audit": "not-audited", "not_audited": "x", "url": "https://example.invalid/", "accessed": ini["sources"][0]["accessed"],
    })
    for finding in ini["findings"]:
        finding.setdefault("note", "x")
        for entry in finding["by_source"]:
            entry["note"] = "x"
    first = ini["findings"][0]
    first["paper"] = {"section": "x", "status": "disclosed"}
    last_date = max((h["date"] for f in ini["findings"] for h in f.get("history", [])), default=first["as_of"])
    first.setdefault("history", []).append(
        {"date": last_date, "field": "record", "before": "x", "after": "x", "reason": "x", "ref": "#1"}
    )
    pay_finding = next(f for f in ini["findings"] if f["dimension"] == "annotator-pay-rates")
    pay_finding["not_applicable"] = "x"


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):  # findings files may not use anchors
        return True


FILES = {
    "paper.yaml": model.Paper,
    "dimensions.yaml": model.DimensionsFile,
    "synthesis.yaml": model.Synthesis,
    "initiatives/alibaba-qwen.yaml": model.Initiative,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Overrides the browser tests' site: the hostile one."""
    root = tmp_path_factory.mktemp("hostile-text")
    data = {name: yaml.safe_load((MINI / name).read_text(encoding="utf-8")) for name in FILES}
    _reach_optional_fields(data)
    reached: set[tuple[str, str]] = set()
    counter = [0]
    for name, cls in FILES.items():
        inject(cls, data[name], reached, counter)
    every_field = set().union(*(text_fields(cls) for cls in FILES.values()))
    missing = {(f, c) for f in every_field for c in PAYLOADS} - reached
    assert not missing, f"text fields the hostile data does not reach (extend _reach_optional_fields): {sorted(missing)}"
    findings = root / "findings"
    for name, content in data.items():
        (findings / name).parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(content, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
        (findings / name).write_text(text, encoding="utf-8")
    result = build_site(findings, root / "project")
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "project" / "site"


TOUCH_EVERYTHING = """() => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove'])
      el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
    el.dispatchEvent(new FocusEvent('focusin', {bubbles: true}));
    if (typeof el.focus === 'function') el.focus();
  }
}"""


def test_no_payload_runs_on_any_page(site, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert len(pages) > 10
    for path in pages:
        page.goto(f"{page.base}/{'' if path == '.' else path + '/'}")
        page.evaluate(TOUCH_EVERYTHING)
        for element in page.locator(".md-content [title]").all()[:40]:  # a real pointer, as a reader's
            if element.is_visible():
                element.hover(force=True, timeout=2000)
        page.wait_for_timeout(50)
        handlers = page.evaluate(
            "() => [...document.querySelectorAll('body *')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], path
    # The search renders results from the index, which holds every payload.
    page.goto(page.base + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("onerror alert", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.evaluate(TOUCH_EVERYTHING)
    page.wait_for_timeout(200)
    assert dialogs == []
