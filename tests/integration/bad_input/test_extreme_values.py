"""Requests and events their contracts accept, with values at the edges of what the contracts allow.

The ends of the calendar, integers past 32 and 64 bits, money with every digit it may have, text
at its maximum length in multi-byte characters or very long where no maximum is set, unusual but
valid Unicode. Such input is bad in a subtler way: it passes the door, so whatever the service
cannot do with it must still end cleanly.

- A request is accepted, or rejected with a documented code, never `internal_error`.
- An event is handled, or dead-lettered after exactly one delivery with a rule's code: never
  retried in a loop (a database that cannot store a value will not store it on the next try).

These may change state (an odd meeting may well be scheduled), so they run after the tests that
check that nothing changed.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import text

from shared.actor import ACTOR_HEADER
from shared.contracts.base import command_types
from shared.messaging.payload import UnreadableBody, read_json
from shared.topology import ConsumerSpec
from tests.actors import as_person
from tests.integration.bad_input.bodies import HEADER_ROOM
from tests.integration.bad_input.driving import EXAMPLES, drive
from tests.integration.bad_input.headers import envelope_headers
from tests.integration.bad_input.schema_values import contract_body
from tests.integration.bad_input.system import System
from tests.integration.bad_input.test_consumers import DURABLE, readers, reads
from tests.integration.waiting import eventually

pytestmark = pytest.mark.timeout(300)

#: Fewer than the malformed ones: every example here runs a handler, not only a parser.
ODD_EXAMPLES = max(20, EXAMPLES // 2)

#: 1 MiB, the test server's `max_payload`, less room for the headers.
MAX_BODY = 1024 * 1024 - HEADER_ROOM

#: Dead-letter reasons that are no rule: for an event its contract accepts, each is a gap in it.
NOT_A_RULE = frozenset({"invalid_envelope", "unsupported_version", "no_handler", "invalid_body", "unprocessable"})
#: How a command's rejection starts when the service could not process a value the contract let in.
PROCESSING_FAILED = "cannot process a value"

DOCUMENTED = frozenset(
    re.findall(
        r"^\| `([a-z_]+)` \|",
        (Path(__file__).resolve().parents[3] / "docs" / "rejection-codes.md").read_text(),
        flags=re.MULTILINE,
    )
)


def _fits(model: type[BaseModel]) -> Callable[[dict[str, Any]], bool]:
    """Whether a body is one the contract accepts, and small enough to send with its headers."""

    def fits(body: dict[str, Any]) -> bool:
        data = json.dumps(body).encode()
        if len(data) > MAX_BODY:
            return False
        try:
            model.model_validate(read_json(data))
        except (ValueError, UnreadableBody):
            return False
        return True

    return fits


def _shown(body: dict[str, Any]) -> str:
    shown = json.dumps(body, ensure_ascii=False)
    return shown if len(shown) < 600 else f"{shown[:600]}... ({len(shown)} characters)"


@pytest.mark.parametrize("subject", sorted(command_types()))
async def test_an_extreme_but_valid_request_is_answered_by_a_rule_never_by_a_failure(
    system: System, subject: str
) -> None:
    model = command_types()[subject]
    nc = system.operator

    async def answered(body: dict[str, Any]) -> None:
        actor = as_person("p-ad")(subject, str(body["command_id"]))
        reply = await nc.request(subject, json.dumps(body).encode(), headers={ACTOR_HEADER: actor}, timeout=30)
        answer = json.loads(reply.data)
        if answer.get("status") == "rejected":
            code = answer.get("code")
            assert code != "internal_error", f"{_shown(body)}: {answer}"
            assert code in DOCUMENTED, f"{_shown(body)}: undocumented code {answer}"
            # The contract accepted it, so only a rule may refuse it: anything else is a gap in the contract.
            assert not answer.get("message", "").startswith(PROCESSING_FAILED), f"{_shown(body)}: {answer}"
        else:
            assert answer.get("status") == "accepted", f"{_shown(body)}: {answer}"

    strategy = contract_body(model, odd=True).filter(_fits(model))
    assert await drive(strategy, answered, examples=ODD_EXAMPLES) >= ODD_EXAMPLES
    await system.assert_running(model.SERVICE)


async def _outcomes(system: System, reader: ConsumerSpec, ids: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Message id -> `handled` (its inbox row) or the dead letter's (reason, deliveries)."""
    async with system.engines[reader.service].connect() as conn:
        handled = await conn.scalars(
            text("SELECT message_id FROM inbox WHERE consumer = :c AND message_id = ANY(:ids)"),
            {"c": reader.durable, "ids": list(ids)},
        )
        found: dict[str, tuple[str, int]] = dict.fromkeys(handled, ("handled", 1))
        dead = await conn.execute(
            text(
                "SELECT message_id, reason, deliveries FROM dead_letters WHERE consumer = :c AND message_id = ANY(:ids)"
            ),
            {"c": reader.durable, "ids": list(ids)},
        )
        for message_id, reason, deliveries in dead:
            if message_id in found:
                found[message_id] = ("handled and dead-lettered", deliveries)
            else:
                found[message_id] = (reason, deliveries)
    return found


@pytest.mark.parametrize("spec", DURABLE, ids=lambda c: c.durable)
async def test_an_extreme_but_valid_event_is_handled_or_refused_once(system: System, spec: ConsumerSpec) -> None:
    sent: dict[str, tuple[str, dict[str, Any]]] = {}
    models = sorted(reads(spec).values(), key=lambda m: m.ce_type())
    bodies = {model: contract_body(model, odd=True).filter(_fits(model)) for model in models}

    @st.composite
    def events(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
        model = draw(st.sampled_from(models))
        return model, draw(bodies[model])

    async def publish(event: tuple[Any, dict[str, Any]]) -> None:
        model, body = event
        ce_id = str(uuid.uuid4())
        producer = await system.connection(model.SUBJECT.split(".", 1)[0])
        data = json.dumps(body).encode()
        await producer.jetstream().publish(model.SUBJECT, data, headers=envelope_headers(model.ce_type(), ce_id))
        sent[ce_id] = (model.SUBJECT, body)

    assert await drive(events(), publish, examples=ODD_EXAMPLES) >= ODD_EXAMPLES

    for reader in {r.durable: r for subject, _b in sent.values() for r in readers(subject)}.values():
        mine = [ce_id for ce_id, (subject, _b) in sent.items() if reader in readers(subject)]
        outcomes = await eventually(
            lambda reader=reader, mine=mine: _outcomes(system, reader, mine),  # type: ignore[misc]
            lambda found, mine=mine: len(found) >= len(mine),  # type: ignore[misc]
            timeout=90,
            what=f"{reader.durable} to handle or refuse every extreme event",
        )
        wrong = [
            f"{outcome[0]} after {outcome[1]} deliveries: {_shown(sent[ce_id][1])[:300]}"
            for ce_id, outcome in outcomes.items()
            if outcome[0] != "handled" and (outcome[1] != 1 or outcome[0] not in DOCUMENTED or outcome[0] in NOT_A_RULE)
        ]
        assert not wrong, f"{reader.durable}:\n" + "\n".join(wrong)
        await system.assert_running(reader.service)
