"""`docs/asyncapi.json` resolves every `$ref` and validates against the official AsyncAPI 3.0 JSON Schema."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource

DOCS = Path(__file__).resolve().parents[3] / "docs"
SCHEMA: dict[str, Any] = json.loads((DOCS / "schemas" / "asyncapi-3.0.0.json").read_text())
DOCUMENT: dict[str, Any] = json.loads((DOCS / "asyncapi.json").read_text())


def _validator() -> Draft7Validator:
    registry: Registry[Any] = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
    return Draft7Validator(SCHEMA, registry=registry)


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> object:
    assert ref.startswith("#/"), f"{ref} points outside the document"
    node: object = document
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"{ref}: {key} is not inside an object"
        assert key in node, f"{ref} does not resolve ({key} is missing)"
        node = node[key]
    return node


def test_the_vendored_schema_is_the_official_asyncapi_3_0_0_schema() -> None:
    assert SCHEMA["$id"] == "http://asyncapi.com/definitions/3.0.0/asyncapi.json"
    assert SCHEMA["properties"]["asyncapi"]["const"] == "3.0.0"
    Draft7Validator.check_schema(SCHEMA)


def test_every_ref_in_the_document_resolves() -> None:
    refs = set(_refs(DOCUMENT))
    assert refs, "the document uses references"
    for ref in sorted(refs):
        _resolve(DOCUMENT, ref)


def test_the_document_validates_against_the_asyncapi_3_schema() -> None:
    errors = sorted(_validator().iter_errors(DOCUMENT), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:20])


def test_the_validation_finds_a_broken_document() -> None:
    broken = copy.deepcopy(DOCUMENT)
    del broken["info"]
    channel = next(iter(broken["channels"].values()))
    channel["address"] = 42
    messages = [e.message for e in _validator().iter_errors(broken)]
    assert any("'info' is a required property" in m for m in messages)
    assert len(messages) >= 2
    bad_ref = copy.deepcopy(DOCUMENT)
    bad_ref["channels"]["nowhere"] = {"$ref": "#/components/channels/missing"}
    missing = [r for r in _refs(bad_ref) if r == "#/components/channels/missing"]
    try:
        _resolve(bad_ref, missing[0])
    except AssertionError as exc:
        assert "does not resolve" in str(exc)  # noqa: PT017 - the helper's own message is what is checked
    else:
        raise AssertionError("a dangling $ref went unnoticed")
