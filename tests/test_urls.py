"""Addresses on the site: pages under mkdocs' directory URLs, and relative links between them."""

from __future__ import annotations

import pytest

from generator.deeplinks import page_number
from generator.urls import page_url, relative_url


@pytest.mark.parametrize(
    "path, url",
    [
        ("index.md", ""),
        ("matrix.md", "matrix/"),
        ("initiatives/index.md", "initiatives/"),
        ("initiatives/meta-llama.md", "initiatives/meta-llama/"),
        ("data/findings.csv", "data/findings.csv"),
    ],
)
def test_page_urls_follow_directory_urls(path, url):
    assert page_url(path) == url


@pytest.mark.parametrize(
    "here, there, anchor, link",
    [
        ("index.md", "matrix.md", None, "matrix/"),
        ("matrix.md", "index.md", None, "../"),
        ("matrix.md", "matrix.md", "rule", "./#rule"),
        ("matrix.md", "initiatives/meta-llama.md", "annotator-count", "../initiatives/meta-llama/#annotator-count"),
        ("initiatives/meta-llama.md", "initiatives/openai-gpt.md", None, "../openai-gpt/"),
        ("initiatives/meta-llama.md", "data/findings/meta-llama/languages.json", None,
         "../../data/findings/meta-llama/languages.json"),
        ("initiatives/index.md", "initiatives/meta-llama.md", None, "meta-llama/"),
        ("dimensions/index.md", "index.md", None, "../"),
        # From a plain file (a feed): relative to its folder.
        ("data/feeds/corrections.xml", "changes.md", None, "../../changes/"),
        ("data/feeds/initiatives/meta-llama.xml", "initiatives/meta-llama.md", "languages",
         "../../../initiatives/meta-llama/#languages"),
        ("data/feeds/corrections.xml", "index.md", None, "../../"),
    ],
)
def test_relative_links_work_under_any_base_url(here, there, anchor, link):
    assert relative_url(here, there, anchor) == link


@pytest.mark.parametrize(
    "locator, page",
    [("Section 4, p. 6", 6), ("Appendix A.3.1, pp. 61-62", 61), ("Table 6", None), ("p.12", 12), ("Step 3. Review", None)],
)
def test_the_page_a_locator_names(locator, page):
    assert page_number(locator) == page
