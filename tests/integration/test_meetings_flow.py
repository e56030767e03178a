"""Meetings on the real stack: a council meeting, a joint college / vast bureau meeting, a BCSD.

Each runs through convening, votes, decisions, minutes approval and publication; the test then
reads what left the service (the outbox, the publication register) and looks for protected content.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from nats.aio.client import Client

from cli.meeting_walk import walk_council_meeting
from shared.contracts.base import Confidentiality
from shared.contracts.common import BodyKind
from shared.contracts.meetings import AppointmentDetails, DecisionKind, VoteTally
from shared.contracts.sessions import (
    ConveneMeeting,
    GetDecision,
    GetDecisionReply,
    GetMinutes,
    GetMinutesReply,
    MinutesText,
    PublishDocuments,
    ScheduleMeeting,
    VerifyPublications,
    VerifyPublicationsReply,
    VoteOnItem,
)
from shared.db.engine import make_engine
from tests.integration.meeting_driver import MeetingDriver, majority, publish_mandates
from tests.integration.processes import ServiceProcess

CLOSED_TITLE = "Benoeming van Jan Geheimhouder tot diensthoofd"
SOCIAL_TITLE = "Leefloon voor Marie Vertrouwelijk"
SOCIAL_MOTIVATION = "Dossier 2026/117: Marie Vertrouwelijk, Kerkstraat 9, alleenstaande met twee kinderen"
SECRETS = ("Geheimhouder", "Vertrouwelijk", "Kerkstraat 9")


@pytest.fixture
async def driver(nats_server: Any, pg_dsn: str) -> AsyncIterator[MeetingDriver]:
    schema = f"t_meet_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("meetings", nats_server.url, nats_server.passwords["meetings"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    engine = make_engine(pg_dsn, schema)
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    try:
        suffix = uuid.uuid4().hex[:6]
        for body, size in (
            (BodyKind.GEMEENTERAAD, 9),
            (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, 9),
            (BodyKind.COLLEGE, 5),
            (BodyKind.VAST_BUREAU, 5),
            (BodyKind.BCSD, 3),
        ):
            await publish_mandates(org, body, [f"{body.value[:4]}-{suffix}-{i}" for i in range(size)])
        service.start()
        drv = MeetingDriver(nc, engine)
        await drv.wait_ready()
        yield drv
        assert service.stop() == 0, service.log_tail()
    finally:
        if service.process and service.process.poll() is None:
            service.kill()
        await nc.close()
        await org.close()
        await engine.dispose()


def _appointment() -> dict[str, Any]:
    return {
        "appointment": AppointmentDetails(
            person_id="p-geheim",
            person_name="Jan Geheimhouder",
            entity="gemeente",  # type: ignore[arg-type]
            position="diensthoofd",
            grade="A1a",
            statutory=True,
            start_date=dt.date.today() + dt.timedelta(days=30),
        )
    }


async def test_a_council_meeting_from_agenda_to_signed_and_published_minutes(driver: MeetingDriver) -> None:
    council = await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    regulation = await driver.propose(
        BodyKind.GEMEENTERAAD, "Retributiereglement parkeren", kind=DecisionKind.REGULATION
    )
    closed = await driver.propose(
        BodyKind.GEMEENTERAAD,
        CLOSED_TITLE,
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        **_appointment(),
    )
    first = await driver.schedule(BodyKind.GEMEENTERAAD, days=9)
    await driver.convene(first, regulation, closed)
    present = majority(council, extra=1)
    await driver.open(first, present)
    adopted = await driver.vote_open(first, regulation, present, against=2)
    assert adopted.data["outcome"] == "adopted"
    # Open votes are not allowed for a person; the secret ballot is.
    wrong_mode = await driver.send(
        VoteOnItem(
            command_id=uuid.uuid4().hex,
            meeting_id=first,
            item_id=closed,
            open_votes=dict.fromkeys(present, "in_favour"),  # type: ignore[arg-type]
        )
    )
    assert (wrong_mode.code, wrong_mode.accepted) == ("secret_ballot_required", False)
    appointed = await driver.vote_secret(first, closed, VoteTally(in_favour=4, against=1, abstentions=1))
    await driver.close(first)

    # The next meeting approves the minutes; chair and algemeen directeur sign.
    follow_up = await driver.propose(BodyKind.GEMEENTERAAD, "Kennisname verslag adviesraad")
    second = await driver.schedule(BodyKind.GEMEENTERAAD, days=40)
    await driver.convene(second, follow_up)
    await driver.open(second, majority(council))
    await driver.approve_and_sign(second, first, chair=present[0])

    published = await driver.publish(first)
    assert sorted(d["kind"] for d in published) == ["decision_list", "minutes", "regulation"]
    assert await driver.publish(first) == [], "publishing again adds nothing"

    secret = await driver.ask(
        GetDecision(command_id=uuid.uuid4().hex, decision_id=uuid.UUID(appointed.ids["decision_id"])),
        GetDecisionReply,
    )
    assert secret.decision.secret is True
    assert secret.decision.by_member == {}
    opened = await driver.ask(
        GetDecision(command_id=uuid.uuid4().hex, decision_id=uuid.UUID(adopted.ids["decision_id"])),
        GetDecisionReply,
    )
    assert len(opened.decision.by_member) == len(present)

    await driver.settle()
    register = await driver.rows(
        "SELECT kind, content::text, reportable FROM publications WHERE meeting_id = :m", m=first
    )
    assert {r[0] for r in register} == {"decision_list", "minutes", "regulation"}
    assert {r[0] for r in register if r[2]} == {"decision_list", "regulation"}, "what the supervisor must receive"
    for _, content, _ in register:
        assert not any(s in content for s in SECRETS), content
    verified = await driver.ask(VerifyPublications(command_id=uuid.uuid4().hex), VerifyPublicationsReply)
    assert verified.broken is None


async def test_a_joint_college_and_vast_bureau_keep_separate_decisions_and_minutes(driver: MeetingDriver) -> None:
    college = await driver.voters(BodyKind.COLLEGE, at_least=5)
    bureau = await driver.voters(BodyKind.VAST_BUREAU, at_least=5)
    c_item = await driver.propose(BodyKind.COLLEGE, "Goedkeuring evenement Zomerfeest")
    v_item = await driver.propose(BodyKind.VAST_BUREAU, "Aankoop rolstoelen woonzorgcentrum")
    c_meeting = await driver.schedule(BodyKind.COLLEGE, days=1)
    v_meeting = await driver.schedule(BodyKind.VAST_BUREAU, days=1, joint_with=c_meeting)
    await driver.convene(c_meeting, c_item)
    await driver.convene(v_meeting, v_item)
    wrong_body = await driver.send(
        ScheduleMeeting(
            command_id=uuid.uuid4().hex,
            body=BodyKind.BCSD,
            scheduled_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            location="Zaal",
            joint_with=c_meeting,
        )
    )
    assert wrong_body.code == "not_joinable"
    for meeting, item, members in ((c_meeting, c_item, college), (v_meeting, v_item, bureau)):
        await driver.open(meeting, majority(members, extra=1))
        await driver.vote_open(meeting, item, majority(members, extra=1))
        await driver.close(meeting)
    # The next college and vast bureau approve their own minutes only.
    for body, earlier, members in (
        (BodyKind.COLLEGE, c_meeting, college),
        (BodyKind.VAST_BUREAU, v_meeting, bureau),
    ):
        item = await driver.propose(body, "Varia en mededelingen")
        nxt = await driver.schedule(body, days=8)
        await driver.convene(nxt, item)
        await driver.open(nxt, majority(members))
        await driver.approve_and_sign(nxt, earlier, chair=members[0])

    minutes: dict[str, MinutesText] = {}
    for meeting in (c_meeting, v_meeting):
        reply = await driver.ask(GetMinutes(command_id=uuid.uuid4().hex, meeting_id=meeting), GetMinutesReply)
        assert reply.state.status == "signed"
        minutes[reply.minutes.entity] = reply.minutes
        published = await driver.publish(meeting)
        assert [d["kind"] for d in published] == ["decision_list"], "college and vast bureau publish decision lists"
    assert [i.title for i in minutes["gemeente"].items] == ["Goedkeuring evenement Zomerfeest"]
    assert [i.title for i in minutes["ocmw"].items] == ["Aankoop rolstoelen woonzorgcentrum"]

    await driver.settle()
    decisions = await driver.rows(
        "SELECT meeting_id, entity FROM decisions WHERE meeting_id IN (:c, :v)", c=c_meeting, v=v_meeting
    )
    assert sorted((str(m), e) for m, e in decisions) == sorted([(str(c_meeting), "gemeente"), (str(v_meeting), "ocmw")])
    register = await driver.rows(
        "SELECT meeting_id, reportable FROM publications WHERE meeting_id IN (:c, :v)", c=c_meeting, v=v_meeting
    )
    assert len(register) == 2
    assert not any(r[1] for r in register), "college and vast bureau decision lists are not reportable"


async def test_closed_and_bcsd_content_reaches_no_public_event_and_no_published_document(driver: MeetingDriver) -> None:
    bcsd = await driver.voters(BodyKind.BCSD, at_least=3)
    council = await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    social = await driver.propose(
        BodyKind.BCSD, SOCIAL_TITLE, confidentiality=Confidentiality.SOCIAL, motivation=SOCIAL_MOTIVATION
    )
    closed = await driver.propose(
        BodyKind.GEMEENTERAAD,
        CLOSED_TITLE,
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        motivation="Jan Geheimhouder scoorde het best",
        **_appointment(),
    )
    public = await driver.propose(BodyKind.GEMEENTERAAD, "Subsidiereglement jeugdwerk", kind=DecisionKind.REGULATION)
    b_meeting = await driver.schedule(BodyKind.BCSD, days=1)
    await driver.convene(b_meeting, social)
    await driver.open(b_meeting, bcsd)
    await driver.vote_open(b_meeting, social, bcsd)
    await driver.close(b_meeting)
    refused = await driver.send(PublishDocuments(command_id=uuid.uuid4().hex, meeting_id=b_meeting))
    assert refused.code == "bcsd_never_published"

    g_meeting = await driver.schedule(BodyKind.GEMEENTERAAD, days=9)
    await driver.convene(g_meeting, public, closed)
    await driver.open(g_meeting, majority(council))
    await driver.vote_open(g_meeting, public, majority(council))
    await driver.vote_secret(g_meeting, closed, VoteTally(in_favour=4, against=1, abstentions=0))
    await driver.close(g_meeting)
    await driver.publish(g_meeting)
    await driver.settle()

    documents = await driver.rows("SELECT content::text FROM publications")
    assert documents, "something was published"
    for (content,) in documents:
        assert not any(s in content for s in SECRETS), content
    events = await driver.rows("SELECT subject, headers, convert_from(payload, 'UTF8') FROM outbox")
    public_events = [(s, body) for s, headers, body in events if headers["ce-confidentiality"] == "public"]
    assert any(s == "meetings.document.published" for s, _ in public_events)
    assert any(s == "meetings.agenda.published" for s, _ in public_events)
    for subject, body in public_events:
        assert not any(s in body for s in SECRETS), (subject, body)
    # The back office gets the closed decision (marked closed); the BCSD case never leaves meetings.
    protected = [json.loads(body) for s, headers, body in events if headers["ce-confidentiality"] != "public"]
    assert any(p.get("title") == CLOSED_TITLE for p in protected)
    for _, _, body in events:
        assert "Vertrouwelijk" not in body
        assert "Kerkstraat 9" not in body


async def test_a_malformed_or_refused_command_changes_nothing(driver: MeetingDriver) -> None:
    before = await driver.rows("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM outbox)")
    for subject, body in (
        ("cmd.meetings.schedule_meeting", b"{not json"),
        ("cmd.meetings.schedule_meeting", json.dumps({"command_id": uuid.uuid4().hex, "body": "senate"}).encode()),
        (
            "cmd.meetings.vote_on_item",
            json.dumps(
                {"command_id": uuid.uuid4().hex, "meeting_id": str(uuid.uuid4()), "item_id": str(uuid.uuid4())}
            ).encode(),
        ),
    ):
        reply = json.loads((await driver.nc.request(subject, body, timeout=10)).data)
        assert reply["status"] == "rejected"
        assert reply["code"] == "invalid_command"
        assert reply["message"]
    too_late = await driver.send(
        ScheduleMeeting(
            command_id=uuid.uuid4().hex,
            body=BodyKind.GEMEENTERAAD,
            scheduled_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
            location="Raadzaal",
        )
    )
    assert (too_late.code, too_late.accepted) == ("meeting_in_past", False)
    assert too_late.message
    item = await driver.propose(BodyKind.GEMEENTERAAD, "Aanpassing politiereglement")
    soon = await driver.schedule(BodyKind.GEMEENTERAAD, days=3)
    after_setup = await driver.rows("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM outbox)")
    late = await driver.send(
        ConveneMeeting(command_id=uuid.uuid4().hex, meeting_id=soon, item_ids=(item,), convened_by="p")
    )
    assert late.code == "agenda_deadline_passed"
    assert await driver.rows("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM outbox)") == after_setup
    assert tuple(after_setup[0]) == (before[0][0] + 1, before[0][1] + 2), "only the item and the meeting were made"
    status = await driver.rows("SELECT status FROM meetings WHERE meeting_id = :m", m=soon)
    assert status[0][0] == "planned", "a refused convening leaves the meeting as it was"


async def test_rw_meeting_walk_drives_a_real_meeting(driver: MeetingDriver) -> None:
    await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    steps: list[str] = []
    result = await walk_council_meeting(driver.nc, steps.append)
    assert len(steps) == len(result.steps) > 20
    assert result.decision_list is not None
    outcomes = ["closed" if line.closed else line.outcome for line in result.decision_list.items]
    assert outcomes == ["adopted", "closed", "postponed"]
    assert sorted(d["kind"] for d in result.published) == ["decision_list", "minutes", "regulation"]
    assert result.register is not None
    assert result.register.broken is None
