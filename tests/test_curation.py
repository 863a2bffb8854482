"""The published data is complete: every initiative assessed on every dimension, from enough documents."""

from __future__ import annotations

import pytest

from conftest import FINDINGS
from generator.check import check_folder
from generator.matrix import status_matrix
from generator.model import Status

INITIATIVES = {"openai-gpt", "anthropic-claude", "google-gemini", "meta-llama", "google-gemma", "alibaba-qwen"}


@pytest.fixture(scope="module")
def ds():
    return check_folder(FINDINGS)


def test_six_initiatives_every_dimension_assessed(ds):
    assert {i.id for i in ds.initiatives} == INITIATIVES
    matrix = status_matrix(ds)
    assert not (matrix == Status.unknown).any().any()


def test_enough_documents_and_evidence(ds):
    assert sum(len(i.sources) for i in ds.initiatives) >= 30
    assert all(len(i.sources) >= 5 for i in ds.initiatives)
    for ini in ds.initiatives:
        for f in ini.findings:
            assert f.evidence and all(e.locator and e.quote for e in f.evidence), f"{ini.id}/{f.dimension}"


def test_every_concern_rests_on_findings(ds):
    assert ds.synthesis is not None
    assert {s.lens.value for s in ds.synthesis.lenses} == {"value-setting", "methods", "data"}
    assert all(len(c.findings) >= 3 for c in ds.synthesis.concerns)
