"""The committed JSON Schema matches the models, and every field explains itself."""

from __future__ import annotations

from typing import Any

from conftest import ROOT

from discloser.schema import declaration_schema, schema_text


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "declaration.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: discloser schema > schema/declaration.schema.json"


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [("Declaration." + k, v) for k, v in schema["properties"].items()]
    for name, sub in schema.get("$defs", {}).items():
        out += [(f"{name}.{k}", v) for k, v in sub.get("properties", {}).items()]
    return out


def test_every_field_has_a_description() -> None:
    missing = [
        name for name, prop in _properties(declaration_schema()) if not prop.get("description")
    ]
    assert missing == []


def test_unknown_keys_are_forbidden_everywhere() -> None:
    schema = declaration_schema()
    models = [schema, *schema["$defs"].values()]
    assert all(m.get("additionalProperties") is False for m in models if "properties" in m)


def test_examples_carry_the_schema_modeline() -> None:
    for path in sorted((ROOT / "declarations").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/declaration.schema.json", path
