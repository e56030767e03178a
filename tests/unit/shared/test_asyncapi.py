"""The checked-in AsyncAPI document is the one the code generates (a schema-change gate)."""

from __future__ import annotations

from pathlib import Path

from shared.asyncapi import build_document, render

DOC = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.json"


def test_the_document_is_up_to_date() -> None:
    assert DOC.read_text() == render(), "contracts changed: run `make asyncapi` and review the diff"


def test_every_event_has_a_payload_schema_and_the_envelope_headers() -> None:
    doc = build_document()
    for key, message in doc["components"]["messages"].items():
        assert "payload" in message, key
        if message["name"].startswith("be.raderwerk.") and ".cmd." not in message["name"]:
            assert "ce-correlationid" in message["headers"]["properties"], key


def test_commands_document_their_reply() -> None:
    doc = build_document()
    serves = [op for name, op in doc["operations"].items() if "_serves_" in name]
    assert serves
    assert all("reply" in op for op in serves)


def test_commands_and_queries_document_their_actor_and_deadline_headers() -> None:
    doc = build_document()
    headers = doc["components"]["schemas"]["CommandHeaders"]
    assert headers["required"] == ["rw-actor"]
    assert {"rw-actor", "rw-deadline", "ce-id", "ce-type"} <= set(headers["properties"])
    messages = doc["components"]["messages"].values()
    commands = [m for m in messages if ".cmd." in m["name"] and ".reply." not in m["name"]]
    assert commands
    assert all(m["headers"] == {"$ref": "#/components/schemas/CommandHeaders"} for m in commands)
