"""The built site in a real browser (Debian's Chromium driven by Playwright), as a reader uses it.

Every test fails on a console error, a failed request, or any request to a host
other than the local server. Without Chromium the tests skip locally and fail
in CI (CI=true). Screenshots are written to test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import FINDINGS, ROOT, require

AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

# Accessibility findings caused by the theme's own markup, by rule and selector; nothing broader.
# (The search dialog's missing name is supplied by site.js.)
AXE_ALLOWED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    return real_site




def test_reader_opens_a_matrix_cell_in_place_and_follows_it_to_its_finding(page):
    page.goto(page.base + "/")
    page.get_by_role("link", name="Matrix", exact=True).first.click()
    page.wait_for_url("**/matrix/")
    cell = page.locator('.matrix-view--initiatives a[data-detail="detail-meta-llama-annotator-workforce"]')
    cell.click()
    dialog = page.get_by_role("dialog", name="Meta Llama: Annotator workforce")
    assert dialog.is_visible()
    assert dialog.locator(".evidence__quote").count() == 1 and "Why:" in dialog.inner_text()
    dialog.get_by_role("link", name="The full finding and its evidence").click()
    page.wait_for_url("**/initiatives/meta-llama/#annotator-workforce")
    page.wait_for_function(
        "document.getElementById('annotator-workforce').getBoundingClientRect().top < window.innerHeight")
    box = page.locator("#annotator-workforce").bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    assert page.locator("text=meta-llama/annotator-workforce").count() == 1


def test_cell_detail_by_keyboard_returns_focus_and_is_announced(page):
    page.goto(page.base + "/matrix/")
    cell = page.locator('.matrix-view--initiatives a[data-detail="detail-openai-gpt-red-teaming"]')
    cell.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="OpenAI GPT: Red teaming")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('data-detail')") == "detail-openai-gpt-red-teaming"
    assert page.url.endswith("/matrix/")  # the page did not navigate


def test_cell_detail_by_touch_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    phone = context.new_page()
    phone.goto(server + "/matrix/")
    phone.locator('.matrix-view--questions a[data-detail="detail-google-gemma-languages"]').tap()
    dialog = phone.get_by_role("dialog", name="Google Gemma: Languages of alignment data")
    box = dialog.bounding_box()
    assert box is not None and box["width"] <= 390 and box["y"] + box["height"] <= 844 + 1
    context.close()


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
    ["", "matrix/", "matrix/?compare=openai-gpt,google-gemma&view=questions", "summary/", "initiatives/", "initiatives/openai-gpt/", "dimensions/", "dimensions/annotator-workforce/",
     "dimensions/annotators/",
     "sources/", "methodology/", "about/", "contributing/"],
)
def test_accessibility(page, path):
    require(AXE.is_file(), "axe-core is not installed; run `npm ci --prefix tests/browser`")
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


@pytest.mark.parametrize("width, view", [(1366, "initiatives"), (390, "questions")])
def test_every_matrix_cell_is_on_screen(page, width, view):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(page.base + "/matrix/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"matrix-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    cells = page.locator(f".matrix-view--{view} td.cell")
    assert cells.count() == 120
    outside = page.evaluate(
        f"""() => [...document.querySelectorAll('.matrix-view--{view} td.cell')]
        .map(c => c.getBoundingClientRect()).filter(r => r.width === 0 || r.left < 0 || r.right > window.innerWidth).length"""
    )
    assert outside == 0, f"{outside} cells are not on screen at {width}px"


def test_question_headers_give_the_full_question_on_focus(page):
    page.goto(page.base + "/matrix/")
    header = page.locator(".matrix-view--initiatives th.matrix__question").filter(has_text="Annotator pay").first
    tip = header.locator('[role="tooltip"]')
    assert not tip.is_visible()
    header.locator("a").focus()
    assert tip.is_visible() and tip.inner_text() == "Are the annotators' pay rates reported?"


def _visible(page, selector):
    return page.evaluate(f"() => [...document.querySelectorAll('{selector}')].filter(e => e.offsetParent !== null).length")


def test_matrix_views_by_url(page):
    page.goto(page.base + "/matrix/?lens=data&access=open-weight&status=disclosed&sort=disclosed")
    table = ".matrix-view--initiatives"
    data_questions = 12
    assert _visible(page, f"{table} th.matrix__question") == data_questions
    assert _visible(page, f"{table} tbody tr") == 3  # the three open-weight initiatives
    visible_cells = page.locator(f"{table} tbody td.cell:visible")
    dimmed = page.locator(f"{table} tbody td.cell.is-dimmed:visible")
    disclosed = page.locator(f'{table} tbody td.cell[data-status="disclosed"]:visible')
    assert visible_cells.count() == 3 * data_questions == dimmed.count() + disclosed.count()
    counts = [int(r.get_attribute("data-disclosed")) for r in page.locator(f"{table} tbody tr:visible").all()]
    assert counts == sorted(counts, reverse=True)
    assert page.locator("select[name=lens]").input_value() == "data"


def test_matrix_controls_write_the_url(page):
    page.goto(page.base + "/matrix/")
    page.locator("select[name=lens]").select_option("methods")
    page.get_by_label("Anthropic Claude").check()
    page.get_by_label("Google Gemma").check()
    assert "lens=methods" in page.url and "compare=anthropic-claude%2Cgoogle-gemma" in page.url
    shared = page.locator("[data-share]").get_attribute("href")
    page.goto(page.base + shared)
    compare = page.locator("[data-compare] table")
    assert compare.is_visible()
    assert compare.locator("thead th").all_inner_texts() == ["Anthropic Claude", "Google Gemma"]
    assert compare.locator("tbody tr").count() == 2  # the two methods questions
    assert compare.locator(".evidence__quote").count() >= 2


def test_matrix_without_script_is_a_complete_table_of_links(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    plain = context.new_page()
    plain.goto(server + "/matrix/")
    assert not plain.locator("[data-matrix-controls]").is_visible()
    assert plain.locator(".matrix-view--initiatives td.cell a").count() == 120
    plain.locator('.matrix-view--initiatives a[data-detail="detail-alibaba-qwen-techniques"]').click()
    plain.wait_for_url("**/initiatives/alibaba-qwen/#techniques")
    context.close()


@pytest.mark.parametrize("ident, landing", [
    ("meta-llama/annotator-workforce", "/initiatives/meta-llama/"),
    ("openai-gpt/red-teaming", "/initiatives/openai-gpt/"),
])
def test_search_finds_a_finding_by_its_id(page, ident, landing):
    page.goto(page.base + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.fill(ident)
    search.press("End")  # the theme searches on key-up: one key, one query for the whole id
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    sections = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()[:3]]
    anchor = "#" + ident.split("/")[1]
    assert landing in first and any(landing in h and h.endswith(anchor) for h in sections), sections


def _pdf_text(page, path: str) -> str:
    from pypdf import PdfReader

    page.goto(page.base + "/" + path)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{path.strip('/').replace('/', '-') or 'home'}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_printed_matrix_keeps_every_row_and_column(page):
    from generator.check import check_folder

    ds = check_folder(FINDINGS)
    text = _squeeze(_pdf_text(page, "matrix/"))
    for ini in ds.initiatives:
        assert _squeeze(ini.name) in text
    for d in ds.dimensions:
        assert _squeeze(d.title) in text, d.title
    assert "version" in text and "/matrix/" in text  # every sheet says what and where it is from


@pytest.mark.parametrize("initiative", sorted(p.stem for p in (FINDINGS / "initiatives").glob("*.yaml")))
def test_printed_initiative_page_keeps_every_finding_quote_and_link(page, initiative):
    from generator.check import check_folder

    ds = check_folder(FINDINGS)
    ini = next(i for i in ds.initiatives if i.id == initiative)
    text = _squeeze(_pdf_text(page, f"initiatives/{initiative}/"))
    for d in ds.dimensions:
        assert _squeeze(d.title) in text, d.title
    for f in ini.findings:
        for e in f.evidence:
            assert _squeeze(e.quote[:60]) in text, (f.dimension, e.quote[:60])
    from generator.deeplinks import deep_link

    sources = {s.id: s for s in ini.sources}
    missing = [
        link for f in ini.findings for e in f.evidence if _squeeze(link := deep_link(sources[e.source], e)) not in text
    ]
    assert missing == [], "every quote's link into its document is printed"


@pytest.mark.parametrize("path", ["matrix/", "initiatives/google-gemini/"])
def test_status_colours_keep_their_contrast_in_dark_mode(browser, server, path):
    require(AXE.is_file(), "axe-core is not installed; run `npm ci --prefix tests/browser`")
    context = browser.new_context(color_scheme="dark", viewport={"width": 1366, "height": 900})
    dark = context.new_page()
    dark.goto(server + "/" + path)
    assert dark.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    dark.add_script_tag(path=str(AXE))
    found = dark.evaluate(
        "async () => (await axe.run(document, {runOnly: ['color-contrast']})).violations.flatMap(v => v.nodes.map(n => n.target.join(' ')))"
    )
    context.close()
    assert [t for t in found if ".md-copyright" not in t] == []


def test_accessibility_of_the_open_cell_detail(page):
    require(AXE.is_file(), "axe-core is not installed; run `npm ci --prefix tests/browser`")
    page.goto(page.base + "/matrix/")
    page.locator('.matrix-view--initiatives a[data-detail="detail-google-gemini-objectives"]').click()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run('dialog', {resultTypes: ['violations']})).violations")
    assert [v["id"] for v in violations] == []


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["", "matrix/", "matrix/?compare=openai-gpt,anthropic-claude,meta-llama",
                                  "initiatives/openai-gpt/", "initiatives/meta-llama/", "sources/", "methodology/",
                                  "dimensions/annotator-workforce/", "changes/"])
def test_no_page_is_wider_than_the_screen(page, path, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(page.base + "/" + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def teardown_module(module):
    # Keep artifacts only when screenshots were taken.
    if ARTIFACTS.exists() and not any(ARTIFACTS.iterdir()):
        shutil.rmtree(ARTIFACTS)


# --- home page: key findings and charts ---

HOME_CHARTS = ["chart-statuses", "chart-time-value-setting", "chart-time-methods", "chart-time-data"]


def test_home_charts_are_images_named_by_their_title_and_description(page):
    page.goto(page.base + "/")
    charts = page.locator("figure.chart svg")
    assert charts.count() == len(HOME_CHARTS)
    for ident in HOME_CHARTS:
        svg = page.locator(f"#{ident} svg")
        assert svg.get_attribute("role") == "img"
        ids = svg.get_attribute("aria-labelledby").split()
        assert ids == [f"{ident}-title", f"{ident}-desc"]
        texts = [page.locator(f"#{i}").text_content().strip() for i in ids]
        assert all(texts), ident
        # The browser's own accessible name for the image is the title and the description.
        name = svg.evaluate("el => el.getAttribute('aria-labelledby').split(' ')"
                            ".map(id => document.getElementById(id).textContent.trim()).join(' ')")
        assert page.get_by_role("img", name=texts[0]).nth(0).evaluate("el => el.closest('figure').id") == ident
        assert name.startswith(texts[0]) and len(name) > 100
    assert "latest reading" in page.locator("#chart-statuses-desc").text_content()


def test_home_charts_have_their_data_tables(page):
    page.goto(page.base + "/")
    tables = page.locator("details.chart__data table")
    assert tables.count() == 2
    for summary in page.locator("details.chart__data > summary").all():
        summary.click()
    bars = page.locator("#chart-statuses table tbody tr")
    assert bars.count() == 6 and bars.first.is_visible()
    assert page.locator("#chart-statuses table thead").inner_text().count("Disclosed") == 1
    documents = page.locator("table.chart-table--documents tbody tr:not(.chart-table__group)")
    marks = page.locator("#chart-time-data g.mark")
    assert documents.count() == marks.count() > 50
    assert documents.first.is_visible()


def test_home_first_screen_shows_a_key_finding(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base + "/")
    title = page.locator(".key-finding__title").first
    box = title.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] < 900
    assert title.inner_text() == "Whose values?"
    cell = page.locator(".key-finding").first.locator("a[href*='#value-setters']").first
    cell_box = cell.bounding_box()
    assert cell_box is not None and cell_box["y"] + cell_box["height"] < 900, "a supporting cell is on screen too"
    cell.click()
    page.wait_for_url("**/initiatives/*/#value-setters")


@pytest.mark.parametrize("width, name", [(1366, "desktop"), (390, "phone")])
def test_home_with_charts_is_no_wider_than_the_screen(page, width, name):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(page.base + "/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{name}.png"))
    for summary in page.locator("details > summary").all():
        summary.click()  # the tables open: they scroll inside their boxes, not the page
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page scrolls sideways by {overflow}px at {width}px"
    column = page.locator("article.md-content__inner").bounding_box()
    for ident in HOME_CHARTS:
        svg = page.locator(f"#{ident} svg").bounding_box()
        assert svg["x"] >= column["x"] - 1 and svg["x"] + svg["width"] <= column["x"] + column["width"] + 1
        assert svg["width"] > 0.8 * (column["width"] - 40), f"{ident} fills the text column"
    page.locator("#chart-statuses").screenshot(path=str(ARTIFACTS / f"home-chart-statuses-{name}.png"))
    page.locator("#chart-time-data").screenshot(path=str(ARTIFACTS / f"home-chart-time-data-{name}.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_chart_status_colours_keep_their_contrast(page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base + "/")
    expected = "slate" if scheme == "dark" else "default"
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{expected}'")
    ratios = page.evaluate("""() => {
        const rgb = c => { const el = document.createElement('div'); el.style.color = c; document.body.append(el);
            const v = getComputedStyle(el).color.match(/[0-9.]+/g).map(Number); el.remove(); return v; };
        const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        const ground = lum(rgb(getComputedStyle(document.body).getPropertyValue('--md-default-bg-color')));
        const fill = sel => lum(rgb(getComputedStyle(document.querySelector(sel)).stroke));
        const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        return Object.fromEntries(['disclosed', 'partial', 'not-disclosed'].map(
            s => [s, ratio(fill(`#chart-statuses .seg--${s}`), ground)]));
    }""")
    # Non-text contrast (WCAG 1.4.11): each status's colour stands out from the page by 3:1 at least.
    assert all(r >= 3 for r in ratios.values()), ratios


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_charts_and_their_open_tables_pass_axe(page, scheme):
    require(AXE.is_file(), "axe-core is not installed; run `npm ci --prefix tests/browser`")
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base + "/")
    for summary in page.locator("details.chart__data > summary").all():
        summary.click()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document.querySelector('article'), {resultTypes: ['violations']})).violations")
    assert [f"{v['id']}: {node['target']} ({v['help']})" for v in violations for node in v["nodes"]] == []
