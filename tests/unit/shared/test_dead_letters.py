"""The dead-letter store keeps any message it is given, garbage headers included."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.dml import Insert

from shared.db.tables import messaging_tables
from shared.messaging.subscriber import DeadLetterStore


class _Session:
    """Records the statements of one transaction, as far as the store uses a session."""

    def __init__(self, executed: list[Insert]) -> None:
        self._executed = executed

    async def __aenter__(self) -> _Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def begin(self) -> _Session:
        return self

    async def execute(self, statement: Insert) -> None:
        self._executed.append(statement)


async def test_headers_and_ids_are_stored_as_postgresql_can_hold_them() -> None:
    executed: list[Insert] = []
    store = DeadLetterStore(lambda: _Session(executed), messaging_tables(MetaData()))  # type: ignore[arg-type]
    raw = SimpleNamespace(
        subject="meetings.decision.adopted",
        headers={"ce-id": "a\x00b" + "x" * 5_000, "X-Garbage\x00": "nul\x00here"},
        data=b"\x00\xff raw bytes stay as they are",
    )
    await store.record(
        consumer="hr_decisions",
        msg=SimpleNamespace(raw_message=raw),  # type: ignore[arg-type]
        reason="invalid_envelope",
        error="ce-id contains a control character: 'a\x00b'",
        deliveries=1,
        stream_seq=7,
    )
    [insert] = executed
    values: dict[str, Any] = insert.compile(dialect=postgresql.dialect()).params  # type: ignore[no-untyped-call]
    assert values["headers"] == {"ce-id": "a\ufffdb" + "x" * 5_000, "X-Garbage\ufffd": "nul\ufffdhere"}
    assert values["message_id"] == ("a\ufffdb" + "x" * 5_000)[:256]
    assert "\x00" not in values["error"]
    assert values["payload"] == raw.data
