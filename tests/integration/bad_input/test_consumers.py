"""Every durable consumer, sent generated messages that can never be handled, on its own subjects.

Each is published as the producing service (the only NATS user allowed to publish there) and must
end as exactly one dead letter per consumer that reads its subject, with the reason for what is
wrong with it, after exactly one delivery: never redelivered, never in the way of what follows.
Afterwards no table changed but the dead letters, the services are ready, and a valid event
still has its effect.

The audit ledger is no durable consumer of this kind: it reads CAPTURE at broker level and records
every message as sent, good or bad (it has no dead letters by design: a refused message would be a
hole in the chain). It is covered by what it must do with all of this: after each test its ledger
holds every captured message, in order, and the chain verifies (`good_commands`, audit).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import strategies as st
from sqlalchemy import text

from shared.contracts.base import CE_TYPE_PREFIX, Event, event_types
from shared.topology import CONSUMERS, ConsumerSpec, subject_matches
from tests.integration.bad_input.bodies import BadBody, bad_bodies, near_limit_body
from tests.integration.bad_input.driving import EXAMPLES, drive
from tests.integration.bad_input.good_commands import verify_the_ledger
from tests.integration.bad_input.good_events import good_event
from tests.integration.bad_input.headers import bad_envelope, envelope_headers, extra_headers
from tests.integration.bad_input.schema_values import contract_body
from tests.integration.bad_input.snapshot import changed_tables, fingerprint
from tests.integration.bad_input.system import System
from tests.integration.waiting import eventually

# Generous: seven services share two cores with whatever else runs; a passing test takes seconds.
pytestmark = pytest.mark.timeout(300)

DURABLE = [c for c in CONSUMERS if c.durable != "audit_ledger"]


def reads(spec: ConsumerSpec) -> dict[str, type[Event]]:
    """The registered event types published on the subjects `spec` consumes."""
    return {
        ce_type: model
        for ce_type, model in event_types().items()
        if any(subject_matches(f, model.SUBJECT) for f in spec.filter_subjects)
    }


def readers(subject: str) -> list[ConsumerSpec]:
    """Every durable consumer (the ledger aside) that gets a message published on `subject`."""
    return [c for c in DURABLE if any(subject_matches(f, subject) for f in c.filter_subjects)]


class Message:
    """A message to publish, what is wrong with it, and the reason each reader must give."""

    __slots__ = ("data", "fault", "headers", "model", "why")

    def __init__(self, model: type[Event], headers: dict[str, str], data: bytes, fault: str, why: str) -> None:
        self.model = model
        self.headers = headers
        self.data = data
        self.fault = fault
        self.why = why

    def reason_of(self, reader: ConsumerSpec) -> str:
        if self.fault in ("invalid_envelope", "unsupported_version"):
            return self.fault
        return "invalid_body" if self.model.ce_type() in reads(reader) else "no_handler"

    def __repr__(self) -> str:
        return f"Message({self.model.SUBJECT}, {self.fault}: {self.why[:160]!r}, {len(self.data)} bytes)"


def _unknown_versions(model: type[Event]) -> st.SearchStrategy[str]:
    known = set(event_types())
    return st.integers(2, 9999).map(lambda v: f"{CE_TYPE_PREFIX}.{model.SUBJECT}.v{v}").filter(lambda t: t not in known)


def _messages(spec: ConsumerSpec, max_payload: int) -> st.SearchStrategy[Message]:
    models = sorted(reads(spec).values(), key=lambda m: m.ce_type())

    @st.composite
    def message(draw: st.DrawFn) -> Message:
        model = draw(st.sampled_from(models))
        ce_id = str(uuid.uuid4())
        others = sorted(t for t, m in event_types().items() if m.SUBJECT != model.SUBJECT)
        fault = draw(st.sampled_from(["invalid_envelope", "unsupported_version", "invalid_body", "invalid_body"]))
        fitting = BadBody(json.dumps(draw(contract_body(model))).encode(), "fits")
        if fault == "invalid_envelope":
            kind = draw(st.sampled_from(["fault", "fault", "fault", "none", "noise"]))
            if kind == "none":
                return Message(model, {}, fitting.data, fault, "no headers at all")
            if kind == "noise":
                noise = draw(extra_headers())
                return Message(model, noise, fitting.data, fault, f"only headers of no envelope: {sorted(noise)}")
            bad = draw(bad_envelope(model.ce_type(), ce_id, others))
            # A unique Nats-Msg-Id: JetStream would drop a second message with the same one.
            return Message(model, {**bad.headers, "Nats-Msg-Id": ce_id}, fitting.data, fault, bad.why)
        if fault == "unsupported_version":
            version = draw(_unknown_versions(model))
            headers = {**envelope_headers(version, ce_id), **draw(extra_headers())}
            return Message(model, headers, fitting.data, fault, version)
        body: BadBody = draw(bad_bodies(model, max_payload))
        return Message(model, envelope_headers(model.ce_type(), ce_id), body.data, fault, body.why)

    return message()


@dataclass(frozen=True)
class Sent:
    message: Message
    stream_seq: int


async def _dead_letters(system: System, spec: ConsumerSpec, seqs: Sequence[int]) -> list[tuple[int, str, int]]:
    async with system.engines[spec.service].connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT stream_seq, reason, deliveries FROM dead_letters"
                " WHERE consumer = :c AND stream_seq = ANY(:s) ORDER BY id"
            ),
            {"c": spec.durable, "s": list(seqs)},
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def _each_dead_lettered_once(system: System, reader: ConsumerSpec, sent: Sequence[Sent]) -> None:
    expected = {s.stream_seq: (s.message.reason_of(reader), s.message) for s in sent}
    rows = await eventually(
        lambda: _dead_letters(system, reader, list(expected)),
        lambda rows: len(rows) >= len(expected),
        timeout=60,
        what=f"{len(expected)} dead letters of {reader.durable}",
    )
    wrong = [
        f"{expected[seq][1]!r}: {reason} after {deliveries} deliveries, expected {expected[seq][0]}"
        for seq, reason, deliveries in rows
        if (reason, deliveries) != (expected[seq][0], 1)
    ]
    assert not wrong, f"{reader.durable}:\n" + "\n".join(wrong)
    assert sorted(seq for seq, _r, _d in rows) == sorted(expected), f"{reader.durable}: a message twice"


async def _quiet_fingerprint(system: System) -> dict[str, dict[str, tuple[int, str]]]:
    await system.wait_quiet()
    return await fingerprint(system.engines, {name: system.schema(name) for name in system.services})


@pytest.mark.parametrize("spec", DURABLE, ids=lambda c: c.durable)
async def test_every_unreadable_message_is_dead_lettered_once_and_changes_nothing(
    system: System, spec: ConsumerSpec
) -> None:
    before = await _quiet_fingerprint(system)
    # A consumer's sequence counts deliveries, redeliveries included.
    deliveries_before = {c.durable: await system.deliveries(c.durable) for c in DURABLE}
    sent: list[Sent] = []

    async def publish(message: Message) -> None:
        producer = await system.connection(message.model.SUBJECT.split(".", 1)[0])
        ack = await producer.jetstream().publish(
            message.model.SUBJECT, message.data, headers=message.headers or None, timeout=15
        )
        assert not ack.duplicate, f"{message!r} was taken for a duplicate"
        sent.append(Sent(message, ack.seq))

    model = sorted(reads(spec).values(), key=lambda m: m.ce_type())[0]
    limit = near_limit_body(system.operator.max_payload)
    huge = Message(model, envelope_headers(model.ce_type(), str(uuid.uuid4())), limit.data, "invalid_body", limit.why)
    ran = await drive(_messages(spec, system.operator.max_payload), publish, explicit=[huge])
    assert ran >= EXAMPLES

    # Every reader of every subject dead-letters each message once, with the reason for its fault.
    for reader in {r.durable: r for s in sent for r in readers(s.message.model.SUBJECT)}.values():
        await _each_dead_lettered_once(system, reader, [s for s in sent if reader in readers(s.message.model.SUBJECT)])

    after = await _quiet_fingerprint(system)
    assert changed_tables(before, after) == []
    for reader in DURABLE:
        delivered = await system.deliveries(reader.durable) - deliveries_before[reader.durable]
        published = sum(1 for s in sent if reader in readers(s.message.model.SUBJECT))
        assert delivered == published, f"{reader.durable}: {delivered} deliveries of {published} messages"
    for service in {spec.service, *(r.service for r in readers(model.SUBJECT))}:
        await system.assert_running(service)

    # What follows the bad messages is still handled, with its effect.
    await _a_valid_event_has_its_effect(system, spec)
    await verify_the_ledger(system)


async def _a_valid_event_has_its_effect(system: System, spec: ConsumerSpec) -> None:
    good = good_event(spec.durable)
    envelope = envelope_headers(good.event.ce_type(), str(uuid.uuid4()))
    producer = await system.connection(good.event.SUBJECT.split(".", 1)[0])
    data = good.event.model_dump_json().encode()
    ack = await producer.jetstream().publish(good.event.SUBJECT, data, headers=envelope)
    engine = system.engines[spec.service]

    async def handled() -> tuple[int, int, int]:
        async with engine.connect() as conn:
            inbox = await conn.scalar(
                text("SELECT count(*) FROM inbox WHERE consumer = :c AND message_id = :m"),
                {"c": spec.durable, "m": envelope["ce-id"]},
            )
            dead = await conn.scalar(
                text("SELECT count(*) FROM dead_letters WHERE consumer = :c AND stream_seq = :s"),
                {"c": spec.durable, "s": ack.seq},
            )
            effect = await conn.scalar(text(good.effect_sql)) if good.effect_sql else 1
        return int(inbox or 0), int(dead or 0), int(effect or 0)

    state = await eventually(
        handled, lambda s: s[0] > 0 or s[1] > 0, timeout=60, what=f"{spec.durable} to handle a valid event"
    )
    assert state[1] == 0, f"{spec.durable} dead-lettered a valid {good.event.SUBJECT}"
    await eventually(handled, lambda s: s[2] > 0, timeout=30, what=f"the effect of a valid event on {spec.durable}")
