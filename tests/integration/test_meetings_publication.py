"""Publication as the decree has it, on the real stack and the test clock.

The agenda is published (and registered) before its session; the publication term raises its follow-up
task two days before it runs out and its missed event after, as the shared clock file is moved; an
acting director's signature is recorded as such; two signatories at once keep both signatures; a
signature is revoked before publication; published minutes lock their meeting.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client

from shared.clock import advance_clock_file
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionKind, DecisionRelation, RelationKind
from shared.contracts.organisation import MandateRole, MandateStarted, MandateStatus
from shared.contracts.sessions import (
    ApproveMinutes,
    GetMinutes,
    GetMinutesReply,
    GetTextInForce,
    GetTextInForceReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    RevokeSignature,
    ScanPublicationTerms,
    SignMinutes,
    VerifyPublications,
    VerifyPublicationsReply,
)
from shared.db.engine import make_engine
from shared.messaging.envelope import Envelope
from tests.integration.meeting_driver import MeetingDriver, majority, meetings_process, publish_mandates

ACTING = "p-adjunct"


async def _seat_acting_director(nc: Client) -> None:
    """The adjunct-algemeen directeur holds the director's seat in the council as acting (waarnemend)."""
    event = MandateStarted(
        mandate_id=uuid.uuid4(),
        person_id=ACTING,
        person_name="Adjunct Directeur",
        body=BodyKind.GEMEENTERAAD,
        entity="gemeente",  # type: ignore[arg-type]
        role=MandateRole.SECRETARY,
        status=MandateStatus.ACTING,
        voting=False,
        start=dt.date(2025, 1, 1),
    )
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=event.ce_type(),
        source="/raderwerk/organisation",
        time=dt.datetime.now(dt.UTC),
        correlation_id=str(uuid.uuid4()),
    )
    await nc.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())


@pytest.fixture
async def driver(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[MeetingDriver]:
    schema = f"t_pub_{uuid.uuid4().hex[:8]}"
    clock_file = tmp_path / "clock.json"
    service = meetings_process(nats_server, pg_dsn, schema, clock_file)
    await asyncio.to_thread(service.migrate)
    engine = make_engine(pg_dsn, schema)
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    try:
        suffix = uuid.uuid4().hex[:6]
        people = [f"gem-{suffix}-{i}" for i in range(9)]
        await publish_mandates(org, BodyKind.GEMEENTERAAD, people)
        await _seat_acting_director(org)
        service.start()
        drv = MeetingDriver(nc, engine, clock_file, cast={BodyKind.GEMEENTERAAD: people})
        await drv.wait_ready()
        yield drv
        assert service.stop() == 0, service.log_tail()
    finally:
        if service.process and service.process.poll() is None:
            service.kill()
        await nc.close()
        await org.close()
        await engine.dispose()


async def _outbox(driver: MeetingDriver, subject: str) -> list[dict[str, Any]]:
    rows = await driver.rows("SELECT payload FROM outbox WHERE subject = :s ORDER BY seq", s=subject)
    return [json.loads(bytes(r[0])) for r in rows]


async def _held(driver: MeetingDriver, council: list[str], *titles: str, **fields: Any) -> tuple[uuid.UUID, list[str]]:
    """A council meeting convened, held and closed; answers it and its decision ids."""
    items = [await driver.propose(BodyKind.GEMEENTERAAD, t, kind=DecisionKind.REGULATION, **fields) for t in titles]
    meeting = await driver.schedule(BodyKind.GEMEENTERAAD, days=9)
    await driver.convene(meeting, *items)
    present = majority(council, extra=1)
    await driver.open(meeting, present)
    decisions = [(await driver.vote_open(meeting, i, present)).ids["decision_id"] for i in items]
    await driver.close(meeting)
    return meeting, decisions


async def test_the_agenda_is_published_and_registered_before_its_session(driver: MeetingDriver) -> None:
    item = await driver.propose(BodyKind.GEMEENTERAAD, "Reglement op de markten", kind=DecisionKind.REGULATION)
    meeting = await driver.schedule(BodyKind.GEMEENTERAAD, days=9)
    await driver.convene(meeting, item)
    [(kind, published_at, content)] = await driver.rows(
        "SELECT kind, published_at, content FROM publications WHERE meeting_id = :m", m=meeting
    )
    assert kind == "agenda"
    assert published_at < driver.times[meeting], "published before the session"
    assert published_at <= driver.times[meeting] - dt.timedelta(days=8), "within the agenda term"
    html = content["content"]["html"]
    assert 'typeof="besluit:Zitting"' in html
    assert "Reglement op de markten" in html
    [announced] = await _outbox(driver, "meetings.document.published")
    assert (announced["kind"], announced["reportable"]) == ("agenda", False)


async def test_the_publication_term_raises_its_task_before_and_its_missed_event_after(
    driver: MeetingDriver,
) -> None:
    council = await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    meeting, _ = await _held(driver, council, "Retributiereglement parkeren")
    closed_on = driver.now().date()
    last_day = closed_on + dt.timedelta(days=10)

    async def scan() -> dict[str, Any]:
        reply = await driver.ok(ScanPublicationTerms(command_id=uuid.uuid4().hex))
        return dict(reply.data)

    advance_clock_file(driver.clock_file, driver.now() + dt.timedelta(days=7))
    assert (await scan())["nearing"] == 0, "three days before: nothing yet"
    advance_clock_file(driver.clock_file, driver.now() + dt.timedelta(days=1))
    assert (await scan())["nearing"] == 1, "two days before the last day: the task"
    assert (await scan())["nearing"] == 0, "once"
    [nearing] = await _outbox(driver, "meetings.publication.term_nearing")
    assert (nearing["meeting_id"], nearing["document_kind"]) == (str(meeting), "decision_list")
    assert nearing["due_on"] == last_day.isoformat()
    assert (nearing["action"]["kind"], nearing["action"]["due_date"]) == ("publish", last_day.isoformat())
    assert await _outbox(driver, "meetings.publication.term_missed") == []

    advance_clock_file(driver.clock_file, driver.now() + dt.timedelta(days=3))
    assert (await scan())["missed"] == 1, "the day after the last day: missed"
    [missed] = await _outbox(driver, "meetings.publication.term_missed")
    assert (missed["due_on"], missed["missed_on"]) == (last_day.isoformat(), driver.now().date().isoformat())
    published = await driver.publish(meeting)
    decision_list = next(d for d in published if d["kind"] == "decision_list")
    [(on_time,)] = await driver.rows(
        "SELECT published_at::date <= due_on FROM publications WHERE document_id = :d",
        d=uuid.UUID(decision_list["document_id"]),
    )
    assert on_time is False


async def test_signatures_acting_director_at_once_revoked_and_the_lock_after_publication(
    driver: MeetingDriver,
) -> None:
    council = await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    first, [regulation] = await _held(
        driver, council, "Retributiereglement parkeren", text="Artikel 1. Eén euro per uur."
    )
    follow_up = await driver.propose(BodyKind.GEMEENTERAAD, "Kennisname verslag")
    second = await driver.schedule(BodyKind.GEMEENTERAAD, days=40)
    await driver.convene(second, follow_up)
    await driver.open(second, majority(council))
    await driver.ok(ApproveMinutes(command_id=uuid.uuid4().hex, meeting_id=second, minutes_of=first))

    # The chair and the acting director sign at the same moment: both signatures hold.
    chair = council[0]
    both = await asyncio.gather(
        driver.send(SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first), by=chair),
        driver.send(SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first), by=ACTING),
    )
    assert all(r.accepted for r in both), [(r.code, r.message) for r in both]
    minutes = await driver.ask(GetMinutes(command_id=uuid.uuid4().hex, meeting_id=first), GetMinutesReply)
    assert minutes.state.status == "signed"
    director = next(s for s in minutes.state.signatures if s.role == "algemeen_directeur")
    assert (director.person_id, director.acting, director.in_place_of) == (ACTING, True, "p-ad")

    # The chair withdraws and signs again before publication.
    revoked = await driver.ok(
        RevokeSignature(command_id=uuid.uuid4().hex, meeting_id=first, reason="Verkeerde datum"), by=chair
    )
    assert revoked.data == {"minutes": "approved"}
    await driver.ok(SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first), by=chair)
    published = await driver.publish(first)
    assert {d["kind"] for d in published} >= {"decision_list", "regulation", "minutes", "extract"}

    # Published minutes are locked: a correction is a new decision, never an edit.
    for command in (
        RevokeSignature(command_id=uuid.uuid4().hex, meeting_id=first, reason="Te laat"),
        SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first),
    ):
        refused = await driver.send(command, by=chair)
        assert (refused.accepted, refused.code) == (False, "meeting_locked")
    signed = await driver.rows("SELECT content FROM publications WHERE meeting_id = :m AND kind = 'minutes'", m=first)
    assert [s["acting"] for s in signed[0][0]["content"]["signatures"] if s["role"] == "algemeen_directeur"] == [True]
    verified = await driver.ask(VerifyPublications(command_id=uuid.uuid4().hex), VerifyPublicationsReply)
    assert verified.broken is None
    listed = await driver.ask(
        ListPublishedDocuments(command_id=uuid.uuid4().hex, meeting_id=first), ListPublishedDocumentsReply
    )
    assert [d.kind for d in listed.documents][:1] == ["agenda"]
    assert {d.kind for d in listed.documents} == {"agenda", "decision_list", "regulation", "minutes", "extract"}
    assert all('prefix="besluit: http://data.vlaanderen.be/ns/besluit#' in d.html for d in listed.documents)

    # The correction: a new regulation amends the published one; the text in force follows it.
    amendment = await driver.propose(
        BodyKind.GEMEENTERAAD,
        "Wijziging retributiereglement parkeren",
        kind=DecisionKind.REGULATION,
        text="Artikel 1. Twee euro per uur.",
        relations=(DecisionRelation(relation=RelationKind.AMENDS, decision_id=uuid.UUID(regulation)),),
    )
    third = await driver.schedule(BodyKind.GEMEENTERAAD, days=60)
    await driver.convene(third, amendment)
    present = majority(council, extra=1)
    await driver.open(third, present)
    await driver.vote_open(third, amendment, present)
    await driver.close(third)
    await driver.publish(third)
    in_force_on = driver.now().date() + dt.timedelta(days=5)

    async def text_on(day: dt.date) -> GetTextInForceReply:
        query = GetTextInForce(command_id=uuid.uuid4().hex, decision_id=uuid.UUID(regulation), on=day)
        return await driver.ask(query, GetTextInForceReply)

    before = await text_on(in_force_on - dt.timedelta(days=1))
    after = await text_on(in_force_on)
    assert (before.state, before.text) == ("in_force", "Artikel 1. Eén euro per uur.")
    assert (after.state, after.text) == ("in_force", "Artikel 1. Twee euro per uur.")
