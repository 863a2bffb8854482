"""The JSON Schemas for editors are generated from the model and stay in step with it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import FINDINGS
from generator.load import data_files, model_for
from generator.model import FILE_MODELS
from generator.schema import SCHEMA_DIR, schema_name, schemas


def test_committed_schemas_match_the_model():
    folder = FINDINGS / SCHEMA_DIR
    committed = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.json")}
    assert committed == schemas(), "run `.venv/bin/findings schema` and commit findings/schema/"


@pytest.mark.parametrize("relpath", data_files(FINDINGS))
def test_data_file_declares_and_satisfies_its_schema(relpath):
    path = FINDINGS / relpath
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    pattern = next(p for p, m in FILE_MODELS.items() if m is model_for(relpath))
    declared = first_line.removeprefix("# yaml-language-server: $schema=")
    assert declared != first_line, "the file must start with a yaml-language-server $schema line"
    assert (path.parent / declared).resolve() == (FINDINGS / SCHEMA_DIR / schema_name(pattern)).resolve()
    # What an editor sees: the YAML as JSON, dates as text.
    instance = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    schema = json.loads((FINDINGS / SCHEMA_DIR / schema_name(pattern)).read_text(encoding="utf-8"))
    jsonschema.validate(instance, schema)
