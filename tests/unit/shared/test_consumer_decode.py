"""How a consumer reads a message before any handler runs, and the reason it gives when it cannot.

Each refusal here is dead-lettered at the first delivery: none of them can ever be handled.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from shared.contracts.base import Event, event_types
from shared.contracts.finance import BudgetCheckPassed, VisumGranted
from shared.contracts.upcasting import register_upcaster
from shared.messaging.envelope import Envelope
from shared.messaging.subscriber import _decode, _Unreadable


class ThingCountedV1(Event, register=False):
    """A stand-in whose upcaster needs a field an old body may lack."""

    SUBJECT = "test.bad_input.thing_counted"
    VERSION = 1

    cents: int


class ThingCountedV2(Event, register=False):
    SUBJECT = "test.bad_input.thing_counted"
    VERSION = 2

    euro: str


@register_upcaster(ThingCountedV1.ce_type(), ThingCountedV2)
def _cents_to_euro(body: dict[str, Any]) -> dict[str, Any]:
    return {"euro": f"{body['cents'] / 100:.2f}"}


async def _handler(uow: Any, event: Event, envelope: Envelope) -> None:
    raise AssertionError("not called by _decode")


_BUDGET_CHECKS = {m.ce_type(): (m, _handler) for m in (BudgetCheckPassed, VisumGranted)}


def _headers(ce_type: str) -> dict[str, str]:
    return Envelope(
        id=str(uuid.uuid4()),
        type=ce_type,
        source="/raderwerk/finance",
        time=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        correlation_id="c",
    ).to_headers()


def _visum_body() -> dict[str, Any]:
    return {
        "visum_id": str(uuid.uuid4()),
        "item_id": str(uuid.uuid4()),
        "entity": "gemeente",
        "amount": "10.00",
        "granted_by": "p-fd",
        "granted_at": "2026-12-01T10:00:00Z",
    }


def _reason(subject: str, ce_type: str, data: bytes, by_type: Any = _BUDGET_CHECKS) -> str:
    with pytest.raises(_Unreadable) as refused:
        _decode(subject, _headers(ce_type), data, by_type, event_types())
    return refused.value.reason


def test_an_event_under_the_name_of_another_event_is_refused() -> None:
    # A visum granted, sent on the budget-check subject: the consumer reads both types.
    data = json.dumps(_visum_body()).encode()
    assert _reason(BudgetCheckPassed.SUBJECT, VisumGranted.ce_type(), data) == "invalid_envelope"
    _, event, _ = _decode(VisumGranted.SUBJECT, _headers(VisumGranted.ce_type()), data, _BUDGET_CHECKS, {})
    assert isinstance(event, VisumGranted)


@pytest.mark.parametrize("ce_type", ["com.example.thing.v1", "be.raderwerk.finance.visum.granted", "be.raderwerk..v1"])
def test_a_type_that_is_no_raderwerk_event_type_is_an_invalid_envelope(ce_type: str) -> None:
    assert _reason(VisumGranted.SUBJECT, ce_type, b"{}") == "invalid_envelope"


def test_an_unknown_version_of_a_handled_event_is_unsupported_whatever_its_body() -> None:
    assert _reason(VisumGranted.SUBJECT, "be.raderwerk.finance.visum.granted.v7", b"\xff not json") == (
        "unsupported_version"
    )


def test_a_known_type_this_consumer_does_not_read_has_no_handler_whatever_its_body() -> None:
    only_passed = {BudgetCheckPassed.ce_type(): (BudgetCheckPassed, _handler)}
    assert _reason(VisumGranted.SUBJECT, VisumGranted.ce_type(), b"[[[", only_passed) == "no_handler"


@pytest.mark.parametrize(
    "data",
    [b"[" * 100_000 + b"]" * 100_000, b'{"visum_id": "\\u0000"}', b"[]", b"NaN", b'{"entity": "ocmw"}'],
)
def test_a_body_that_is_not_the_contract_is_an_invalid_body(data: bytes) -> None:
    assert _reason(VisumGranted.SUBJECT, VisumGranted.ce_type(), data) == "invalid_body"


def test_an_old_body_its_upcaster_cannot_read_is_an_invalid_body() -> None:
    v2 = {ThingCountedV2.ce_type(): (ThingCountedV2, _handler)}
    assert _reason(ThingCountedV1.SUBJECT, ThingCountedV1.ce_type(), b'{"euro": "1.00"}', v2) == "invalid_body"
    _, event, _ = _decode(ThingCountedV1.SUBJECT, _headers(ThingCountedV1.ce_type()), b'{"cents": 250}', v2, {})
    assert event == ThingCountedV2(euro="2.50")
