"""Citations: BibTeX entries for the paper and for the dataset."""

from __future__ import annotations

import re

from .dataset import Dataset
from .model import Paper

_BIBTEX_SPECIAL = {c: f"\\{c}" for c in "&%$#_{}"} | {"\\": r"\textbackslash{}", "~": r"\~{}", "^": r"\^{}"}


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, braces balanced by construction."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex(paper: Paper) -> str:
    """The paper's BibTeX entry, from its metadata."""
    surname = paper.authors[0].split()[-1]
    year = min(v.date for v in paper.versions).year
    # The key is ASCII letters and digits only, whatever the title and name hold.
    words = re.findall(r"[a-z]+", paper.title.lower())
    key = re.sub(r"[^a-z0-9]", "", f"{surname.lower()}{year}{words[0] if words else ''}") or f"paper{year}"
    authors = " and ".join(
        bibtex_text(f"{a.split()[-1]}, {' '.join(a.split()[:-1])}" if len(a.split()) > 1 else a) for a in paper.authors
    )
    return "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{bibtex_text(paper.title)}}},",
            f"  author = {{{authors}}},",
            f"  year = {{{year}}},",
            f"  eprint = {{{paper.arxiv}}},",
            "  archivePrefix = {arXiv},",
            f"  url = {{{paper.url}}}",
            "}",
        ]
    )


def dataset_bibtex(ds: Dataset, version: str, repository: str) -> str:
    """The dataset's own BibTeX entry: this version, dated by its most recent verification."""
    checked = max((f.as_of for i in ds.initiatives for f in i.findings), default=None)
    lines = [
        f"@misc{{decoding_alignment_evidence_{re.sub(r'[^0-9a-z]', '_', version.lower())},",
        "  title = {Decoding Alignment: the evidence},",
        "  author = {{Decoding Alignment findings contributors}},",
        f"  version = {{{bibtex_text(version)}}},",
    ]
    if checked:
        lines += [f"  year = {{{checked.year}}},", f"  note = {{Dataset, version {bibtex_text(version)}, "
                  f"findings verified up to {checked.isoformat()}}},"]
    if repository:
        lines.append(f"  url = {{{repository}}}")
    return "\n".join(lines + ["}"])
