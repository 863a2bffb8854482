"""JSON Schemas for the data files, generated from the model for editors and for re-use."""

from __future__ import annotations

import functools
import json

from .model import FILE_MODELS

SCHEMA_DIR = "schema"  # under the findings folder, committed; also published at /schema/


def schema_name(pattern: str) -> str:
    """paper.yaml -> paper.schema.json; initiatives/*.yaml -> initiative.schema.json."""
    stem = pattern.split("/")[0].removesuffix(".yaml")
    return ("initiative" if stem == "initiatives" else stem) + ".schema.json"


@functools.cache  # the model's alone: the same for every dataset a process renders
def schemas() -> dict[str, str]:
    """Every schema file, by name, as formatted JSON text."""
    out = {}
    for pattern, model in FILE_MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": schema_name(pattern),
            **schema,
        }
        out[schema_name(pattern)] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out
