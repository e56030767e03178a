"""A service serves a command only for a proven actor, and names that actor to its handler."""

from __future__ import annotations

import json
from typing import Any

from faststream.nats import NatsBroker, TestNatsBroker

from shared.contracts.hr import OpenConsultation
from shared.kernel import Accepted
from shared.messaging.commands import bind_command, command_headers
from shared.messaging.context import current_actor
from shared.messaging.handled import handled_counts
from tests.actors import as_person, verifier

_BODY = {
    "command_id": "c0ffee00-0000-4000-8000-000000000002",
    "topic": "Arbeidsreglement",
    "entity": "gemeente",
    "invitation_sent_on": "2026-11-02",
    "meeting_on": "2026-12-01",
}


class _Uow:
    async def __aenter__(self) -> _Uow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        return None


def _uow() -> Any:
    return _Uow()


async def _serve(headers: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    seen: list[str] = []

    async def handler(uow: Any, command: OpenConsultation) -> Accepted:
        actor = current_actor()
        assert actor is not None
        seen.append(actor.person_id)
        return Accepted()

    broker = NatsBroker()
    bind_command(broker, OpenConsultation, handler, uow_factory=_uow, verifier=verifier(), idempotent=False)
    async with TestNatsBroker(broker) as test_broker:
        reply = await test_broker.request(
            json.dumps(_BODY).encode(), OpenConsultation.subject(), headers=headers, timeout=5
        )
    return json.loads(reply.body), seen


async def test_the_handler_sees_the_proven_actor() -> None:
    command = OpenConsultation.model_validate(_BODY)
    headers = command_headers(command, source="/raderwerk/test", actor=as_person("p-secr"))
    answer, seen = await _serve(headers)
    assert answer["status"] == "accepted", answer
    assert seen == ["p-secr"]
    assert current_actor() is None, "the actor is bound only while the command is handled"


async def test_a_command_without_an_actor_never_reaches_its_handler() -> None:
    command = OpenConsultation.model_validate(_BODY)
    answer, seen = await _serve(command_headers(command, source="/raderwerk/test"))
    assert (answer["status"], answer["code"], seen) == ("rejected", "actor_missing", [])


async def test_a_token_for_another_command_never_reaches_its_handler() -> None:
    command = OpenConsultation.model_validate(_BODY)
    other = command.model_copy(update={"command_id": "c0ffee00-0000-4000-8000-000000000003"})
    headers = command_headers(command, source="/raderwerk/test")
    headers["rw-actor"] = as_person("p-secr")(other.subject(), other.command_id)
    answer, seen = await _serve(headers)
    assert (answer["status"], answer["code"], seen) == ("rejected", "actor_replayed", [])


async def test_a_command_taken_after_its_deadline_never_reaches_the_handler_and_is_counted() -> None:
    command = OpenConsultation.model_validate(_BODY)
    headers = command_headers(command, source="/raderwerk/test", actor=as_person("p-secr"), timeout=-0.001)
    before = handled_counts()
    answer, seen = await _serve(headers)
    after = handled_counts()
    assert (answer["code"], seen) == ("deadline_passed", [])
    assert after["deadline_passed"] - before["deadline_passed"] == 1
    assert after["command"] == before["command"]
