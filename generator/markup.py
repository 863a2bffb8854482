"""Turn contributor text into page text that can never become markup.

Plain fields (titles, quotes, locators) are escaped for the context they land in.
Markdown fields (summaries, rationales) are rendered to HTML here, with raw HTML
shown literally, links limited to http(s) and mailto, and images dropped, so
nothing in the data can inject markup, script or a request to another host.
"""

from __future__ import annotations

import functools
import html
import json
import re
from urllib.parse import urlsplit

from markupsafe import Markup

SAFE_SCHEMES = {"http", "https", "mailto"}
# Characters Python-Markdown (with the tables extension) treats as syntax.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def plain(text: str) -> str:
    """Collapse whitespace, so that text from the data cannot start a new block."""
    return " ".join(str(text).split())


def inline(text: str) -> Markup:
    """Plain text for a Markdown context (a heading, a paragraph): shown as typed."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(plain(text), quote=True)))


def page_title(text: str) -> Markup:
    """A page title for the front matter, as a YAML string that always parses.

    mkdocs puts titles into <title> and the search index without escaping, and a
    title taken from the page's heading would be unescaped first; so every page
    with a title from the data sets it here, HTML-escaped. JSON's string syntax
    is valid YAML and escapes every control character: should the front matter
    fail to parse, mkdocs would quietly render it as Markdown.
    """
    return Markup(json.dumps(html.escape(plain(text), quote=True), ensure_ascii=True))


class _Sanitise:
    """A Markdown tree step: links only to safe schemes, images reduced to their description."""

    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and urlsplit(element.get("href", "")).scheme not in SAFE_SCHEMES:
                element.attrib.pop("href", None)
            if element.tag == "img":
                # Images would load from another host: keep only their description.
                element.tag, element.text = "span", element.get("alt", "")
                element.attrib.clear()


@functools.cache
def _renderer():
    # Made on first use: the CLI imports this module's plain-text helpers on every start.
    import markdown

    md = markdown.Markdown(output_format="html")
    # Raw HTML is not recognised at all, so the serializer escapes it as text
    # (escaping it beforehand would escape code spans twice).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_Sanitise(), "sanitise", 0)
    return md


# Text with none of Markdown's syntax renders as one paragraph of itself; most
# findings are such prose, and Python-Markdown is the slowest step of a build.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&#!~|\n\r\t]|^\s|^[-+=>]|^\d+[.)]")


@functools.lru_cache(maxsize=65536)
def rich(text: str) -> Markup:
    """A Markdown field as HTML for a raw HTML block: formatting kept, markup from the data escaped.

    Cached: the same summary is shown on several pages and in the exports.
    """
    if not _MARKDOWN_SYNTAX.search(text):
        return Markup(f"<p>{text}</p>")
    return _markdown(text)


def _markdown(text: str) -> Markup:
    renderer = _renderer()
    renderer.reset()
    rendered = renderer.convert(text)
    # A blank line would end the surrounding raw HTML block in the page's Markdown.
    return Markup("\n".join(line for line in rendered.splitlines() if line.strip()))


def rich_inline(text: str) -> Markup:
    """Like ``rich`` but without the wrapping paragraph, for table cells and one-liners."""
    rendered = str(rich(text))
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)


@functools.lru_cache(maxsize=65536)
def strip(text: str) -> str:
    """A Markdown field as one line of plain text, for tooltips and CSV."""
    return plain(html.unescape(re.sub(r"<[^>]+>", "", str(rich(text)))))


@functools.lru_cache(maxsize=65536)
def first_sentence(text: str, limit: int = 200) -> str:
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", strip(text), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
