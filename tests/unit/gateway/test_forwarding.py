"""The gateway signs the signed-in person into the actor of every request it forwards."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import cast

import pytest
from nats.aio.client import Client

from services.gateway.adapters.forwarding import NatsForwarder
from services.gateway.bootstrap import GatewaySettings, signer_of
from services.gateway.domain.model import Principal, Via
from shared.actor import ACTOR_HEADER, ActorKeyError
from shared.contracts.finance import MarkPaid
from shared.contracts.hr import ListStaff
from tests.actors import GATEWAY_KEY_ID, gateway_env, verifier


@dataclass
class _Reply:
    data: bytes


@dataclass
class RecordingConnection:
    """Answers every request with `answer` and keeps the headers each carried."""

    answer: bytes
    max_payload: int = 1024 * 1024
    sent: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    async def request(self, subject: str, payload: bytes, timeout: float, headers: dict[str, str]) -> _Reply:
        del payload, timeout
        self.sent.append((subject, headers))
        return _Reply(self.answer)


def _forwarder(connection: RecordingConnection) -> NatsForwarder:
    env = gateway_env()
    settings = GatewaySettings.model_validate(
        {
            "service_name": "gateway",
            "database_url": "postgresql://gateway_app@db/raderwerk",
            "nats_url": "nats://nats:4222",
            "nats_password": "dev-gw",
            "actor_key_file": env["RW_GATEWAY_ACTOR_KEY_FILE"],
            "actor_key_id": GATEWAY_KEY_ID,
        }
    )
    return NatsForwarder(lambda: cast("Client", connection), signer_of(settings), timeout=1)


async def test_a_command_carries_the_signed_in_person_as_its_actor() -> None:
    command = MarkPaid(command_id=uuid.uuid4().hex, payment_order_id=uuid.uuid4())
    answer = f'{{"command_id": "{command.command_id}", "status": "accepted", "code": "ok"}}'
    connection = RecordingConnection(answer.encode())
    reply = await _forwarder(connection).command(command, Principal("p-fin", Via.TOKEN))
    assert reply.accepted
    ((subject, headers),) = connection.sent
    actor = verifier().verify(headers[ACTOR_HEADER], subject=subject, command_id=command.command_id)
    assert (actor.person_id, actor.via, actor.issuer) == ("p-fin", "gateway:token", "raderwerk-gateway")


async def test_a_query_carries_it_too() -> None:
    query = ListStaff(command_id=uuid.uuid4().hex)
    reply = {"command_id": query.command_id, "staff": [], "body_delegations": [], "on": "2026-12-01"}
    connection = RecordingConnection(json.dumps(reply).encode())
    await _forwarder(connection).query(query, Principal("p-fd", Via.OIDC))
    ((subject, headers),) = connection.sent
    actor = verifier().verify(headers[ACTOR_HEADER], subject=subject, command_id=query.command_id)
    assert (actor.person_id, actor.via) == ("p-fd", "gateway:oidc")


def test_without_its_signing_key_the_gateway_does_not_start() -> None:
    settings = GatewaySettings.model_validate(
        {"service_name": "gateway", "database_url": "postgresql://x@db/r", "nats_url": "nats://n", "nats_password": "p"}
    )
    with pytest.raises(ActorKeyError, match="RW_GATEWAY_ACTOR_KEY_FILE"):
        signer_of(settings)
