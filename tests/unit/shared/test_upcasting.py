"""A consumer of version 2 reads a message written as version 1, through the upcaster registry."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from shared.contracts.base import Event
from shared.contracts.upcasting import register_upcaster, registered_upcasters, upcast
from shared.messaging.envelope import Envelope
from shared.messaging.subscriber import _decode, _Unreadable


class GrantAwardedV1(Event, register=False):
    """Version 1: the amount as euro cents in an integer."""

    SUBJECT = "test.grant.awarded"
    VERSION = 1

    grant_id: uuid.UUID
    amount_cents: int


class GrantAwardedV2(Event, register=False):
    """Version 2: the amount as a decimal euro string, and the beneficiary."""

    SUBJECT = "test.grant.awarded"
    VERSION = 2

    grant_id: uuid.UUID
    amount: str
    beneficiary: str


class GrantAwardedV3(Event, register=False):
    """Version 3: the beneficiary is optional."""

    SUBJECT = "test.grant.awarded"
    VERSION = 3

    grant_id: uuid.UUID
    amount: str
    beneficiary: str | None


@register_upcaster(GrantAwardedV1.ce_type(), GrantAwardedV2)
def _v1_to_v2(body: dict[str, Any]) -> dict[str, Any]:
    cents = body.pop("amount_cents")
    return {**body, "amount": f"{cents // 100}.{cents % 100:02d}", "beneficiary": "onbekend"}


@register_upcaster(GrantAwardedV2.ce_type(), GrantAwardedV3)
def _v2_to_v3(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "beneficiary": None if body["beneficiary"] == "onbekend" else body["beneficiary"]}


async def _handler(uow: Any, event: Event, envelope: Envelope) -> None:
    raise AssertionError("not called by _decode")


def _message(model: type[Event], body: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=model.ce_type(),
        source="/raderwerk/test",
        time=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        correlation_id="c",
    )
    return envelope.to_headers(), json.dumps(body).encode()


def test_a_v1_message_is_read_by_a_v2_consumer() -> None:
    grant_id = uuid.uuid4()
    headers, data = _message(GrantAwardedV1, {"grant_id": str(grant_id), "amount_cents": 125050})
    by_type = {GrantAwardedV2.ce_type(): (GrantAwardedV2, _handler)}
    envelope, event, handler = _decode("test.grant.awarded", headers, data, by_type, {})
    assert event == GrantAwardedV2(grant_id=grant_id, amount="1250.50", beneficiary="onbekend")
    assert envelope.type == GrantAwardedV1.ce_type(), "the envelope stays as it was sent"
    assert handler is _handler


def test_the_chain_is_followed_as_far_as_the_consumer_reads() -> None:
    body = {"grant_id": str(uuid.uuid4()), "amount_cents": 5}
    assert upcast(GrantAwardedV1.ce_type(), dict(body), {GrantAwardedV3.ce_type()}) == (
        GrantAwardedV3.ce_type(),
        {"grant_id": body["grant_id"], "amount": "0.05", "beneficiary": None},
    )
    assert registered_upcasters()[GrantAwardedV2.ce_type()] == GrantAwardedV3.ce_type()


def test_a_consumer_of_the_current_version_reads_it_unchanged() -> None:
    body = {"grant_id": str(uuid.uuid4()), "amount": "3.00", "beneficiary": "vzw De Brug"}
    assert upcast(GrantAwardedV2.ce_type(), dict(body), {GrantAwardedV2.ce_type()}) == (GrantAwardedV2.ce_type(), body)


def test_a_version_with_no_path_to_what_the_consumer_reads_is_dead_lettered() -> None:
    headers, data = _message(GrantAwardedV3, {"grant_id": str(uuid.uuid4()), "amount": "1.00", "beneficiary": None})
    by_type = {GrantAwardedV1.ce_type(): (GrantAwardedV1, _handler)}
    with pytest.raises(_Unreadable) as refused:
        _decode("test.grant.awarded", headers, data, by_type, {})
    assert refused.value.reason == "unsupported_version"


def test_an_upcaster_must_change_the_version() -> None:
    with pytest.raises(ValueError, match="change the version"):
        register_upcaster(GrantAwardedV2.ce_type(), GrantAwardedV2)
