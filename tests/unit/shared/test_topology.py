"""The declared topology is consistent with itself and grants least privilege."""

from __future__ import annotations

from typing import Any

from shared.topology import (
    CAPTURE_STREAM,
    CONSUME_SUBJECT,
    CONSUMERS,
    SERVICE_NAMES,
    SERVICES,
    STREAMS,
    operator_permissions,
    service_permissions,
    stream_of_subject,
)

STREAM_NAMES = {s.name for s in STREAMS}


def _covers(pattern: str, subject: str) -> bool:
    p, s = pattern.split("."), subject.split(".")
    for i, token in enumerate(p):
        if token == ">":
            return len(s) > i
        if i >= len(s) or (token != "*" and token != s[i]):
            return False
    return len(p) == len(s)


def test_every_consumer_reads_an_existing_stream_and_subjects_it_holds() -> None:
    for c in CONSUMERS:
        assert c.stream in STREAM_NAMES, c
        stream = next(s for s in STREAMS if s.name == c.stream)
        for f in c.filter_subjects:
            assert any(_covers(p, f) for p in stream.subjects), (c.durable, f)
        assert c.service in SERVICE_NAMES
        # Bounded retries everywhere, except the ledger, which may never skip a message.
        assert c.max_deliver > 1 or (c.durable == "audit_ledger" and c.max_deliver == -1)
        assert c.ack_wait_s > 0
        assert c.retry_delays_s


def test_durable_names_are_unique() -> None:
    names = [c.durable for c in CONSUMERS]
    assert len(names) == len(set(names))


def test_the_capture_stream_sources_every_other_stream() -> None:
    capture = next(s for s in STREAMS if s.name == CAPTURE_STREAM)
    assert set(capture.sources) == STREAM_NAMES - {CAPTURE_STREAM}
    assert not capture.subjects
    assert capture.deny_delete
    assert capture.deny_purge


def test_commands_are_captured_without_acknowledgement() -> None:
    commands = next(s for s in STREAMS if "cmd.>" in s.subjects)
    assert commands.no_ack


def test_a_service_publishes_only_its_own_events() -> None:
    for spec in SERVICES:
        perms: Any = service_permissions(spec.name)
        for subject in perms["publish"]["allow"]:
            head = subject.split(".")[0]
            # its consumers' records, and the commands it may send (the gateway's)
            allowed = subject in (*spec.extra_publish, *spec.sends_commands) or subject == CONSUME_SUBJECT
            assert head in {spec.name, "$JS"} or allowed, (spec.name, subject)
        assert perms["subscribe"]["allow"][0] == f"_INBOX_{spec.name}.>"


def test_the_operator_cannot_publish_events() -> None:
    perms: Any = operator_permissions()
    for subject in perms["publish"]["allow"]:
        # `$JS.FC.DISTRICTS.>`: flow-control answers of `rw district feed`'s ordered consumer, no event.
        assert subject.startswith(("cmd.", "$JS.API.", "$JS.FC.DISTRICTS.")), subject
        assert "DELETE" not in subject
        assert "PURGE" not in subject


def test_stream_of_subject() -> None:
    assert stream_of_subject("finance.commitment.recorded") == "FINANCE"
    assert stream_of_subject("district.noord.meetings.decision.published") == "DISTRICTS"
