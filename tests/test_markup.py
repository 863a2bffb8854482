"""Text from contributors is shown as typed: never markup, script, or a request to another host."""

import pytest

from generator.markup import _markdown, first_sentence, inline, rich, rich_inline, strip


def test_raw_html_in_markdown_fields_is_shown_literally():
    html = str(rich('Hello <script>alert(1)</script> <img src=x onerror="alert(2)">'))
    assert html == '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror="alert(2)"&gt;</p>'


def test_markdown_formatting_is_kept():
    assert str(rich("Over **350** people")) == "<p>Over <strong>350</strong> people</p>"
    assert str(rich_inline("a *b*")) == "a <em>b</em>"


def test_links_are_limited_to_http_and_mailto():
    assert 'href="https://arxiv.org/abs/2307.09288"' in str(rich("[paper](https://arxiv.org/abs/2307.09288)"))
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "JaVaScRiPt:alert(1)"):
        assert "href" not in str(rich(f"[click]({url})")), url


def test_images_are_dropped_to_their_description():
    html = str(rich("![a chart](https://tracker.example/pixel.png)"))
    assert "<img" not in html and "tracker.example" not in html and "a chart" in html


def test_blank_lines_cannot_end_the_surrounding_html_block():
    assert "\n\n" not in str(rich("one\n\n\n\ntwo"))


def test_plain_text_cannot_become_markdown():
    assert str(inline("a | b *c* [d](e) {#id} <i>")) == (
        r"a \| b \*c\* \[d\]\(e\) \{\#id\} &lt;i&gt;"
    )
    assert "\n" not in str(inline("line one\n\n# heading"))


def test_jinja_syntax_is_just_text():
    assert str(rich("{{ 7*7 }} {% if x %}")) == "<p>{{ 7*7 }} {% if x %}</p>"


def test_one_line_summaries_for_tooltips():
    assert strip("**Bold** and <b>tags</b>") == "Bold and <b>tags</b>"
    assert first_sentence("Llama 2 used 27,540 annotations. Llama 3 did not say.") == (
        "Llama 2 used 27,540 annotations."
    )
    assert first_sentence("x" * 300).endswith("…") and len(first_sentence("x" * 300)) == 200


TRICKY = [
    "Plain prose, with commas; colons: and (parentheses).",
    "1. a list", "1) a list", "- a list", "+ a list", "> a quote", "# heading", "= underline", "    code",
    "a  b   double spaces", "quote \"marks\" and 'apostrophes'", "50% of 1,418,091 comparisons",
    "ends with two spaces  ", "under_score", "a ~ tilde", "x | y", "http://example.org/a_b",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_path_renders_like_markdown(text):
    assert rich(text) == _markdown(text)


def test_fast_path_renders_every_real_text_like_markdown():
    from conftest import FINDINGS
    from generator.check import check_folder

    ds = check_folder(FINDINGS)
    texts = [t for i in ds.initiatives for f in i.findings for t in (f.summary, f.rationale, f.note, f.not_applicable) if t]
    texts += [i.overview for i in ds.initiatives] + [ds.paper.abstract]
    assert len(texts) > 200
    assert [t for t in texts if rich(t) != _markdown(t)] == []


def test_block_html_at_the_start_of_a_field_is_shown_literally():
    html = str(rich("<div onclick=alert(1)>x</div>\n\nnext paragraph"))
    assert "<div" not in html and "&lt;div onclick=alert(1)&gt;x&lt;/div&gt;" in html


def test_page_titles_survive_yaml_and_html_whatever_they_hold():
    import yaml

    from generator.markup import page_title

    for title in ['He said "hi" & <b>left</b>', "line\u2028separator", "para\u2029graph", "tab\there", "é ü 中"]:
        parsed = yaml.safe_load(f"title: {page_title(title)}\n")["title"]
        assert parsed == html_escape(" ".join(title.split()))
        assert str(page_title(title)).isascii()  # no character YAML could read as a line break


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_one_fields_link_definitions_do_not_leak_into_the_next():
    rich("[paper][1]\n\n[1]: https://example.org/defined-in-the-first-field")
    assert "href" not in str(_markdown("a [reference][1] in another field, and more text"))


def test_one_line_form_keeps_several_paragraphs():
    assert str(rich_inline("first\n\nsecond")) == "<p>first</p>\n<p>second</p>"


def test_first_sentence_is_cut_only_beyond_the_limit():
    exact = "x" * 199 + "."
    assert first_sentence(exact) == exact
    assert first_sentence(exact + "x") == "x" * 199 + "…"
