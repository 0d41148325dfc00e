"""The JSON Schema of a declaration, generated from the models and committed.

Editors use it through the ``yaml-language-server`` modeline for completion and hover text;
a test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILE = "schema/declaration.schema.json"


def declaration_schema() -> dict[str, Any]:
    from discloser.model.declaration import Declaration

    schema = Declaration.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "declaration.schema.json",
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: sorted keys, two-space indent, trailing newline."""
    return json.dumps(declaration_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
