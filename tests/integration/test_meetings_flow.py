"""Meetings on the real stack: a council meeting, a joint college / vast bureau meeting, a BCSD.

Each runs through convening, votes, decisions, minutes approval and publication; the test then
reads what left the service (the outbox, the publication register) and looks for protected content.
The service runs on a clock file the driver moves: sessions open at their time, not before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats.errors
import pytest
from nats.aio.client import Client

from cli.meeting_walk import walk_council_meeting
from shared.clock import advance_clock_file
from shared.contracts.base import Confidentiality
from shared.contracts.common import BodyKind
from shared.contracts.meetings import AppointmentDetails, DecideAsMayor, DecisionKind, ElectionBallots, VoteTally
from shared.contracts.organisation import MandateRole
from shared.contracts.sessions import (
    AdviseOnItem,
    ApproveMinutes,
    ConveneMeeting,
    GetDecision,
    GetDecisionReply,
    GetItemHistory,
    GetItemHistoryReply,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    MinutesText,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    SetUpCommittee,
    SignMinutes,
    TreatInClosedSession,
    VerifyPublications,
    VerifyPublicationsReply,
    VoteOnItem,
)
from shared.db.engine import make_engine
from shared.vocabulary import VoteChoice
from tests.actors import signer
from tests.integration.meeting_driver import (
    ALGEMEEN_DIRECTEUR,
    SECRETARIAT,
    MeetingDriver,
    majority,
    mandates_taken,
    meetings_process,
    publish_mandates,
)

CLOSED_TITLE = "Benoeming van Jan Geheimhouder tot diensthoofd"
#: The demo's social service (`RW_MEETINGS_SOCIAL_SERVICE_PERSON_IDS`), who reads the BCSD's items.
SOCIAL_SERVICE = "p-welzijn"
SOCIAL_TITLE = "Leefloon voor Marie Vertrouwelijk"
SOCIAL_MOTIVATION = "Dossier 2026/117: Marie Vertrouwelijk, Kerkstraat 9, alleenstaande met twee kinderen"
SECRETS = ("Geheimhouder", "Vertrouwelijk", "Kerkstraat 9", "Onderhandelaar", "Kandidaat Verborgen")


@pytest.fixture
async def driver(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[MeetingDriver]:
    schema = f"t_meet_{uuid.uuid4().hex[:8]}"
    clock_file = tmp_path / "clock.json"
    service = meetings_process(nats_server, pg_dsn, schema, clock_file)
    await asyncio.to_thread(service.migrate)
    engine = make_engine(pg_dsn, schema)
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    try:
        suffix = uuid.uuid4().hex[:6]
        cast: dict[BodyKind, list[str]] = {}
        for body, size in (
            (BodyKind.GEMEENTERAAD, 9),
            (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, 9),
            (BodyKind.COLLEGE, 5),
            (BodyKind.VAST_BUREAU, 5),
            (BodyKind.BCSD, 3),
        ):
            people = [f"{body.value[:4]}-{suffix}-{i}" for i in range(size)]
            if body is BodyKind.COLLEGE:
                # The burgemeester and the schepenen sit in the council; their groups are the majority.
                people = [f"{BodyKind.GEMEENTERAAD.value[:4]}-{suffix}-{i}" for i in range(size)]
            groups = {p: "Meerderheid" if i < 5 else "Oppositie" for i, p in enumerate(people)}
            first = MandateRole.MAYOR if body is BodyKind.COLLEGE else MandateRole.CHAIR
            await publish_mandates(org, body, people, first=first, groups=groups)
            cast[body] = people
        service.start()
        drv = MeetingDriver(nc, engine, clock_file, cast=cast)
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
    assert {d["kind"] for d in published} == {"decision_list", "minutes", "regulation", "extract"}
    assert await driver.publish(first) == [], "publishing again adds nothing"

    secret = await driver.ask(
        GetDecision(command_id=uuid.uuid4().hex, decision_id=uuid.UUID(appointed.ids["decision_id"])),
        GetDecisionReply,
        by=present[1],
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
    assert {r[0] for r in register} == {"agenda", "decision_list", "minutes", "regulation", "extract"}
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
    await driver.voters(BodyKind.BCSD, at_least=3)
    await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    bcsd, council = driver.cast[BodyKind.BCSD], driver.cast[BodyKind.GEMEENTERAAD]
    social = await driver.propose(BodyKind.BCSD, SOCIAL_TITLE, motivation=SOCIAL_MOTIVATION)
    closed = await driver.propose(
        BodyKind.GEMEENTERAAD,
        CLOSED_TITLE,
        kind=DecisionKind.APPOINTMENT,
        motivation="Jan Geheimhouder scoorde het best",
        **_appointment(),
    )
    election = await driver.propose(
        BodyKind.GEMEENTERAAD,
        "Aanduiding vertegenwoordiger in de woonmaatschappij",
        kind=DecisionKind.DESIGNATION,
        candidates=({"person_id": council[6], "name": "Kandidaat Verborgen"}, {"person_id": council[7], "name": "B"}),
    )
    negotiation = await driver.propose(
        BodyKind.GEMEENTERAAD, "Aankoop grond Zuid", motivation="Prijs van de Onderhandelaar: 1,2 miljoen"
    )
    public = await driver.propose(BodyKind.GEMEENTERAAD, "Subsidiereglement jeugdwerk", kind=DecisionKind.REGULATION)
    b_meeting = await driver.schedule(BodyKind.BCSD, days=1)
    await driver.convene(b_meeting, social)
    await driver.open(b_meeting, bcsd)
    social_decision = await driver.vote_open(b_meeting, social, bcsd)
    await driver.close(b_meeting)
    refused = await driver.send(PublishDocuments(command_id=uuid.uuid4().hex, meeting_id=b_meeting))
    assert refused.code == "bcsd_never_published"

    g_meeting = await driver.schedule(BodyKind.GEMEENTERAAD, days=9)
    await driver.convene(g_meeting, public, negotiation, closed, election)
    present = majority(council, extra=2)
    await driver.open(g_meeting, present)
    await driver.vote_open(g_meeting, public, present)
    # A public item goes closed by a reasoned decision of 2/3 of the members present.
    await driver.ok(
        TreatInClosedSession(
            command_id=uuid.uuid4().hex,
            meeting_id=g_meeting,
            item_id=negotiation,
            reason="de onderhandelingspositie van de gemeente",
            open_votes=dict.fromkeys(present, VoteChoice.IN_FAVOUR),
        )
    )
    await driver.vote_open(g_meeting, negotiation, present)
    closed_decision = await driver.vote_secret(g_meeting, closed, VoteTally(in_favour=4, against=1, abstentions=1))
    await driver.ok(
        VoteOnItem(
            command_id=uuid.uuid4().hex,
            meeting_id=g_meeting,
            item_id=election,
            election=ElectionBallots(votes={council[6]: 5, council[7]: 1}, blank=1),
        )
    )
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
        assert str(social) not in body, "a BCSD item never appears in a public event, not even by its id"
    # The back office gets the closed decisions (marked closed); the BCSD case never leaves meetings.
    protected = [json.loads(body) for s, headers, body in events if headers["ce-confidentiality"] != "public"]
    assert any(p.get("title") == CLOSED_TITLE for p in protected)
    assert any((p.get("elected") or {}).get("name") == "Kandidaat Verborgen" for p in protected)
    for _, _, body in events:
        assert "Vertrouwelijk" not in body
        assert "Kerkstraat 9" not in body

    # Asked for on behalf of someone outside the body, a closed item shows only that it exists.
    outsiders = (None, bcsd[0], "p-burger")
    for person in outsiders:
        seen = await driver.ask(
            GetMeeting(command_id=uuid.uuid4().hex, meeting_id=g_meeting), GetMeetingReply, by=person
        )
        assert [(e.position, e.restricted) for e in seen.meeting.entries] == [
            (1, False),
            (2, True),
            (3, True),
            (4, True),
        ]
        decision = await driver.ask(
            GetDecision(
                command_id=uuid.uuid4().hex,
                decision_id=uuid.UUID(closed_decision.ids["decision_id"]),
            ),
            GetDecisionReply,
            by=person,
        )
        assert decision.decision.restricted
        for answer in (seen.model_dump_json(), decision.model_dump_json()):
            assert not any(s in answer for s in SECRETS)
    member = await driver.ask(
        GetMeeting(command_id=uuid.uuid4().hex, meeting_id=g_meeting), GetMeetingReply, by=council[-1]
    )
    assert [e.title for e in member.meeting.entries][2] == CLOSED_TITLE, "a council member (absent that day) sees it"
    # The BCSD's own members see its case in full; council members and everyone else do not.
    # The BCSD's own members, the algemeen directeur and the social service see its case in full; council
    # members, the secretariat and everyone else do not: whoever the signed actor is, not whom a body names.
    readers = ((bcsd[1], False), (ALGEMEEN_DIRECTEUR, False), (SOCIAL_SERVICE, False))
    for person, restricted in (*readers, (council[0], True), (SECRETARIAT, True), (None, True)):
        history = await driver.ask(
            GetItemHistory(
                command_id=uuid.uuid4().hex,
                decision_id=uuid.UUID(social_decision.ids["decision_id"]),
            ),
            GetItemHistoryReply,
            by=person,
        )
        assert history.restricted is restricted
        minutes = await driver.ask(
            GetMinutes(command_id=uuid.uuid4().hex, meeting_id=b_meeting), GetMinutesReply, by=person
        )
        for text in (history.model_dump_json(), minutes.model_dump_json()):
            assert ("Vertrouwelijk" in text) is not restricted


async def test_a_malformed_or_refused_command_changes_nothing(driver: MeetingDriver) -> None:
    # Each mandate meetings takes writes a consume record to its outbox: count once they are all in.
    await mandates_taken(driver.nc)
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
    late = await driver.send(ConveneMeeting(command_id=uuid.uuid4().hex, meeting_id=soon, item_ids=(item,)), by="p")
    assert late.code == "agenda_deadline_passed"
    assert await driver.rows("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM outbox)") == after_setup
    assert tuple(after_setup[0]) == (before[0][0] + 1, before[0][1] + 2), "only the item and the meeting were made"
    status = await driver.rows("SELECT status FROM meetings WHERE meeting_id = :m", m=soon)
    assert status[0][0] == "planned", "a refused convening leaves the meeting as it was"


async def test_rw_meeting_walk_drives_a_real_meeting(driver: MeetingDriver) -> None:
    await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    steps: list[str] = []
    result = await walk_council_meeting(driver.nc, signer(), driver.clock_file, steps.append)
    assert len(steps) > len(result.steps) > 20, "every step, and the clock moving on to each meeting"
    assert result.decision_list is not None
    outcomes = ["closed" if line.closed else line.outcome for line in result.decision_list.items]
    assert outcomes == ["adopted", "postponed", "closed"], "the closed part follows the public part"
    assert {d["kind"] for d in result.published} == {"decision_list", "minutes", "regulation", "extract"}
    assert result.register is not None
    assert result.register.broken is None
    assert result.history == [
        ("college", "prepared"),
        ("gemeenteraadscommissie", "advised"),
        ("gemeenteraad", "adopted"),
    ], "the regulation's one history: the college prepared it, a committee advised, the council decided"


async def test_the_old_bare_tally_command_has_no_responder_and_no_decision_exists(driver: MeetingDriver) -> None:
    item = await driver.propose(BodyKind.COLLEGE, "Goedkeuring zonder zitting")
    body = {
        "command_id": uuid.uuid4().hex,
        "item_id": str(item),
        "votes": {"in_favour": 7, "against": 0, "abstentions": 0},
    }
    try:
        answer = await driver.nc.request("cmd.meetings.decide_agenda_item", json.dumps(body).encode(), timeout=3)
        reply = json.loads(answer.data)
    except (nats.errors.NoRespondersError, nats.errors.TimeoutError):
        reply = None  # nobody serves the subject any more
    assert reply is None or reply["status"] == "rejected", reply
    await driver.settle()
    assert await driver.rows("SELECT decision_id FROM decisions WHERE item_id = :i", i=item) == []
    assert await driver.rows("SELECT status FROM agenda_items WHERE item_id = :i", i=item) == [("proposed",)]
    assert await driver.rows("SELECT subject FROM outbox WHERE subject LIKE 'meetings.decision.%'") == []


async def test_a_session_opens_on_the_clock_of_the_run_not_before(driver: MeetingDriver) -> None:
    await driver.voters(BodyKind.COLLEGE, at_least=5)
    college = driver.cast[BodyKind.COLLEGE]
    item = await driver.propose(BodyKind.COLLEGE, "Verkeersbesluit Marktplein")
    meeting = await driver.schedule(BodyKind.COLLEGE, days=2)
    await driver.convene(meeting, item)
    early = await driver.send(
        OpenSession(command_id=uuid.uuid4().hex, meeting_id=meeting, present=tuple(college), chair_id=college[0])
    )
    assert (early.accepted, early.code) == (False, "session_not_due")
    advance_clock_file(driver.clock_file, driver.times[meeting] - dt.timedelta(minutes=1))
    almost = await driver.send(
        OpenSession(command_id=uuid.uuid4().hex, meeting_id=meeting, present=tuple(college), chair_id=college[0])
    )
    assert almost.code == "session_not_due", "a minute early is early"
    await driver.open(meeting, college)
    [row] = await driver.rows("SELECT document->>'opened_at' FROM meetings WHERE meeting_id = :m", m=meeting)
    assert dt.datetime.fromisoformat(row[0]) >= driver.times[meeting]


async def test_a_council_item_through_college_committee_and_council_is_one_history(driver: MeetingDriver) -> None:
    await driver.voters(BodyKind.GEMEENTERAAD, at_least=9)
    await driver.voters(BodyKind.COLLEGE, at_least=5)
    council, college = driver.cast[BodyKind.GEMEENTERAAD], driver.cast[BodyKind.COLLEGE]
    committee = await driver.ok(
        SetUpCommittee(
            command_id=uuid.uuid4().hex,
            name="Commissie grondgebiedszaken",
            seats=5,
            nominations={"Meerderheid": tuple(council[1:4]), "Oppositie": tuple(council[5:7])},
            chair_id=council[1],
        )
    )
    assert committee.data["shares"] == {"Meerderheid": 3, "Oppositie": 2}
    item = await driver.propose(BodyKind.GEMEENTERAAD, "Rooilijnplan Stationsstraat")
    prepared = await driver.decide(BodyKind.COLLEGE, item, college)
    assert prepared.data["outcome"] == "prepared"
    hearing = await driver.schedule(
        BodyKind.GEMEENTERAADSCOMMISSIE, days=1, committee_id=uuid.UUID(committee.ids["committee_id"])
    )
    await driver.convene(hearing, item)
    members = [*council[1:4], *council[5:7]]
    await driver.open(hearing, members)
    await driver.ok(
        AdviseOnItem(
            command_id=uuid.uuid4().hex,
            meeting_id=hearing,
            item_id=item,
            advice="Gunstig, met aandacht voor de fietsers",
            open_votes=dict.fromkeys(members, VoteChoice.IN_FAVOUR),
        )
    )
    await driver.close(hearing)
    decided = await driver.decide(BodyKind.GEMEENTERAAD, item, majority(council, extra=1))
    history = await driver.ask(
        GetItemHistory(command_id=uuid.uuid4().hex, decision_id=uuid.UUID(decided.ids["decision_id"])),
        GetItemHistoryReply,
    )
    assert [(s.body, s.outcome) for s in history.steps] == [
        (BodyKind.COLLEGE, "prepared"),
        (BodyKind.GEMEENTERAADSCOMMISSIE, "advised"),
        (BodyKind.GEMEENTERAAD, "adopted"),
    ]
    assert history.steps[1].advice == "Gunstig, met aandacht voor de fietsers"

    # The burgemeester decides alone: no session, no vote, signed.
    ordinance = await driver.propose(
        BodyKind.BURGEMEESTER, "Politieverordening jaarmarkt", kind=DecisionKind.REGULATION
    )
    signed = await driver.ok(DecideAsMayor(command_id=uuid.uuid4().hex, item_id=ordinance), by=college[0])
    assert signed.data == {"outcome": "adopted", "signed_by": college[0], "reportable": True}


async def test_the_signed_actor_holds_the_powers_the_secretariat_records_chair_and_director_sign(
    driver: MeetingDriver,
) -> None:
    """Attendance and votes are recorded by the secretariat or the algemeen directeur; the minutes are signed
    by the chair and the algemeen directeur, each as the signed actor, and by nobody else on anyone's behalf."""
    college = await driver.voters(BodyKind.COLLEGE, at_least=5)
    present = majority(college)
    chair = present[0]
    item = await driver.propose(BodyKind.COLLEGE, "Onderhoud speelpleinen")
    first = await driver.schedule(BodyKind.COLLEGE, days=0.01)
    await driver.convene(first, item)
    driver.until(first)
    opening = OpenSession(command_id=uuid.uuid4().hex, meeting_id=first, present=tuple(present), chair_id=chair)
    for someone in (chair, SOCIAL_SERVICE, "p-burger"):
        refused = await driver.send(opening, by=someone)
        assert (refused.accepted, refused.code) == (False, "not_secretariat"), someone
    await driver.ok(opening, by=SECRETARIAT)
    votes = dict.fromkeys(present, VoteChoice.IN_FAVOUR)
    vote = VoteOnItem(command_id=uuid.uuid4().hex, meeting_id=first, item_id=item, open_votes=votes)
    refused = await driver.send(vote, by=present[1])
    assert (refused.accepted, refused.code) == (False, "not_secretariat")
    assert (await driver.ok(vote, by=ALGEMEEN_DIRECTEUR)).data["outcome"] == "adopted"
    await driver.close(first)

    second = await driver.schedule(BodyKind.COLLEGE, days=0.02)
    await driver.convene(second, await driver.propose(BodyKind.COLLEGE, "Kennisname verslag"))
    await driver.open(second, present)
    await driver.ok(ApproveMinutes(command_id=uuid.uuid4().hex, meeting_id=second, minutes_of=first))
    sign = SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first)
    for someone in (SECRETARIAT, present[1], SOCIAL_SERVICE):
        refused = await driver.send(sign, by=someone)
        assert (refused.accepted, refused.code) == (False, "not_a_signatory"), someone
    for_chair = SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first, on_behalf_of=chair)
    refused = await driver.send(for_chair, by=SECRETARIAT)
    assert (refused.accepted, refused.code) == (False, "not_a_signatory"), "only a member signs for the chair"
    assert (await driver.ok(sign, by=chair)).data["role"] == "chair"
    signed = await driver.ok(SignMinutes(command_id=uuid.uuid4().hex, meeting_id=first), by=ALGEMEEN_DIRECTEUR)
    assert signed.data["minutes"] == "signed"
    [(document,)] = await driver.rows("SELECT document FROM meetings WHERE meeting_id = :m", m=first)
    signers = sorted(s["person_id"] for s in document["minutes"]["signatures"])
    assert signers == sorted([chair, ALGEMEEN_DIRECTEUR]), "the refused signatures left no trace"
