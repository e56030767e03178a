"""Forged, expired, replayed and missing actor tokens, and deadlines already passed, sent straight
over NATS to every service.

Each request has a body the service would carry out; only its `rw-actor` or `rw-deadline` header is
wrong. Every one is `rejected` with the code that says why, no table of any service changes, and
the same request with a valid actor in time is carried out afterwards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.actor import ACTOR_HEADER, ActorSigner
from shared.contracts.base import Command
from shared.messaging.commands import command_headers
from shared.topology import SERVICES
from tests.actors import KEY_ID, acting_for, signer
from tests.integration.bad_input.good_commands import carry_out_a_valid_request, valid_request
from tests.integration.bad_input.snapshot import changed_tables, fingerprint
from tests.integration.bad_input.system import System

pytestmark = pytest.mark.timeout(300)

SOURCE = "/raderwerk/actor-token-test"
PERSON = "p-ad"


def _forged(command: Command) -> str | None:
    """Signed under the trusted key id, with a key nobody trusts."""
    forger = ActorSigner(Ed25519PrivateKey.generate(), KEY_ID, issuer="raderwerk-tests")
    return forger.token(PERSON, subject=command.subject(), command_id=command.command_id)


def _expired(command: Command) -> str | None:
    """Signed by the trusted key ten minutes ago, for a minute."""
    late = ActorSigner(signer().private_key, KEY_ID, issuer="raderwerk-tests", now=lambda: time.time() - 600)
    return late.token(PERSON, subject=command.subject(), command_id=command.command_id)


def _replayed(command: Command) -> str | None:
    """A valid token lifted from another command to the same subject."""
    return signer().token(PERSON, subject=command.subject(), command_id=f"{command.command_id[:-4]}beef")


def _other_subject(command: Command) -> str | None:
    """A valid token of this command id, signed for another subject."""
    return signer().token(PERSON, subject="cmd.finance.grant_visum", command_id=command.command_id)


def _missing(_command: Command) -> str | None:
    return None


TOKENS: dict[str, tuple[Callable[[Command], str | None], str]] = {
    "forged": (_forged, "actor_invalid"),
    "expired": (_expired, "actor_expired"),
    "replayed": (_replayed, "actor_replayed"),
    "for another subject": (_other_subject, "actor_invalid"),
    "missing": (_missing, "actor_missing"),
}


#: Every service that serves commands and queries (the gateway only sends them).
SERVING = tuple(s.name for s in SERVICES if s.serves_commands)


def _with_token(token_of: Callable[[Command], str | None]) -> Callable[[Command], dict[str, str]]:
    def headers(request: Command) -> dict[str, str]:
        headers = command_headers(request, source=SOURCE)
        token = token_of(request)
        if token is not None:
            headers[ACTOR_HEADER] = token
        return headers

    return headers


def _late(request: Command) -> dict[str, str]:
    """A valid actor, but the sender gave up a second before it sent: taken after its deadline."""
    return command_headers(request, source=SOURCE, actor=acting_for(request, PERSON), timeout=-1)


#: How the headers are wrong, and the code each is rejected with.
WRONG: dict[str, tuple[Callable[[Command], dict[str, str]], str]] = {
    **{f"{name} token": (_with_token(token_of), code) for name, (token_of, code) in TOKENS.items()},
    "deadline passed": (_late, "deadline_passed"),
}


@pytest.mark.parametrize("service", SERVING)
async def test_a_request_without_a_valid_actor_or_in_time_is_rejected_with_its_code_and_changes_nothing(
    system: System, service: str
) -> None:
    schemas = {name: system.schema(name) for name in system.services}
    await system.wait_quiet()
    before = await fingerprint(system.engines, schemas)
    for name, (headers_of, code) in WRONG.items():
        request = valid_request(service)
        reply = await system.operator.request(
            request.subject(), request.model_dump_json().encode(), headers=headers_of(request), timeout=15
        )
        answer = json.loads(reply.data)
        assert (answer.get("status"), answer.get("code")) == ("rejected", code), f"{name}: {answer}"
        assert answer.get("command_id") == request.command_id
    await system.wait_quiet()
    assert changed_tables(before, await fingerprint(system.engines, schemas)) == []
    await carry_out_a_valid_request(system, service)
