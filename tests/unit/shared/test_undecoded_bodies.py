"""A body that says it is JSON but is not still reaches our reader: FastStream must not decode it first."""

from __future__ import annotations

import json
from typing import Any

from faststream.nats import NatsBroker, TestNatsBroker

from shared.contracts.hr import OpenConsultation
from shared.kernel import Accepted
from shared.messaging.commands import bind_command
from tests.actors import verifier


def _no_unit_of_work() -> Any:
    raise AssertionError("a refused request never opens a unit of work")


async def _handler(uow: Any, command: OpenConsultation) -> Accepted:
    raise AssertionError("a refused request never reaches its handler")


async def test_a_non_json_body_labelled_json_is_answered_invalid_command() -> None:
    broker = NatsBroker()
    bind_command(broker, OpenConsultation, _handler, uow_factory=_no_unit_of_work, verifier=verifier())
    async with TestNatsBroker(broker) as test_broker:
        for body in (b"not json at all", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe"):
            reply = await test_broker.request(
                body, OpenConsultation.subject(), headers={"content-type": "application/json"}, timeout=5
            )
            answer = json.loads(reply.body)
            assert (answer["status"], answer["code"]) == ("rejected", "invalid_command"), answer
