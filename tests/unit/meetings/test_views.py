"""Every query of meetings answers its typed reply, and refuses with the documented codes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateStarted
from shared.contracts.sessions import (
    CloseMeeting,
    ConveneMeeting,
    ExportLblod,
    ExportLblodReply,
    GetDecision,
    GetDecisionList,
    GetDecisionListReply,
    GetDecisionReply,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    LeaveItem,
    ListMeetings,
    ListMeetingsReply,
    ListMembers,
    ListMembersReply,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    VerifyPublications,
    VerifyPublicationsReply,
    VoteOnItem,
)
from shared.kernel import RuleViolation
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DecisionKind,
    LegalEntity,
    MandateRole,
    MandateStatus,
    VoteChoice,
    VoteTally,
)
from tests.unit.meetings.builders import NOW
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

COUNCIL = ["gr1", "gr2", "gr3", "gr4", "gr5"]
SECRET = "Aanstelling van Jan Geheim"
HELD = NOW + dt.timedelta(days=10)
"""When the council meeting of `_held_meeting` sits (and the clock stands after it)."""


def _cid() -> str:
    return uuid.uuid4().hex


async def _held_meeting(meetings: Service, uow: FakeMeetingsUnitOfWork) -> tuple[uuid.UUID, uuid.UUID]:
    """A council meeting, closed, with a public regulation adopted and a closed appointment voted."""
    for i, person in enumerate([*COUNCIL, "p-ad"]):
        await meetings.tell(
            uow,
            MandateStarted(
                mandate_id=uuid.uuid4(),
                person_id=person,
                person_name=f"Naam {person}",
                body=BodyKind.GEMEENTERAAD,
                entity=LegalEntity.GEMEENTE,
                role=MandateRole.CHAIR if i == 0 else MandateRole.SECRETARY if person == "p-ad" else MandateRole.MEMBER,
                status=MandateStatus.EFFECTIVE,
                voting=person != "p-ad",
                start=dt.date(2025, 1, 1),
            ),
        )
    ids = []
    for title, kind, confidentiality in (
        ("Reglement parkeren", DecisionKind.REGULATION, Confidentiality.PUBLIC),
        (SECRET, DecisionKind.DECISION, Confidentiality.CLOSED),
    ):
        reply = await meetings.send(
            uow,
            ProposeAgendaItem(
                command_id=_cid(),
                body=BodyKind.GEMEENTERAAD,
                entity=LegalEntity.GEMEENTE,
                title=title,
                kind=kind,
                confidentiality=confidentiality,
                legal_basis="Decreet lokaal bestuur art. 40",
            ),
            by="p-secr",
        )
        ids.append(uuid.UUID(reply.ids["item_id"]))
    public, closed = ids
    scheduled = ScheduleMeeting(
        command_id=_cid(), body=BodyKind.GEMEENTERAAD, scheduled_at=NOW + dt.timedelta(days=10), location="Raadzaal"
    )
    meeting = uuid.UUID((await meetings.send(uow, scheduled)).ids["meeting_id"])
    await meetings.send(uow, ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(public, closed)), by="gr1")
    present = tuple(COUNCIL[:4])
    meetings.clock.at = HELD
    await meetings.send(
        uow, OpenSession(command_id=_cid(), meeting_id=meeting, present=(*present, "p-ad"), chair_id="gr1")
    )
    await meetings.send(
        uow, LeaveItem(command_id=_cid(), meeting_id=meeting, item_id=public, person_id="gr4", reason="eigenaar")
    )
    votes = {"gr1": VoteChoice.IN_FAVOUR, "gr2": VoteChoice.IN_FAVOUR, "gr3": VoteChoice.AGAINST}
    decided = await meetings.send(
        uow, VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=public, open_votes=votes)
    )
    all_votes = dict.fromkeys(present, VoteChoice.IN_FAVOUR)
    await meetings.send(uow, VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=closed, open_votes=all_votes))
    await meetings.send(uow, CloseMeeting(command_id=_cid(), meeting_id=meeting))
    return meeting, uuid.UUID(decided.ids["decision_id"])


async def test_a_meeting_is_shown_with_its_treatments_and_the_names_of_its_members() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    meeting_id, _ = await _held_meeting(meetings, uow)
    reply = await meetings.ask(uow, GetMeeting(command_id=_cid(), meeting_id=meeting_id), GetMeetingReply, by="gr5")
    meeting = reply.meeting
    assert (meeting.status, meeting.body, meeting.scheduled_at) == (
        "closed",
        BodyKind.GEMEENTERAAD,
        NOW + dt.timedelta(days=10),
    )
    assert meeting.present == ("gr1", "gr2", "gr3", "gr4"), "the algemeen directeur attends without counting"
    assert [e.outcome for e in meeting.entries] == ["adopted", "adopted"]
    assert meeting.entries[0].absent == {"gr4": "eigenaar"}
    assert meeting.entries[0].by_member["gr3"] is VoteChoice.AGAINST
    assert meeting.minutes is not None
    assert meeting.minutes.status == "draft"
    assert reply.names["gr1"] == "Naam gr1"
    assert reply.model_dump(mode="json")["status"] == "accepted"
    assert meeting.entries[1].title == SECRET, "a member of the council (absent that day) sees the closed item"
    for outsider in (None, "p-burger"):
        seen = await meetings.ask(
            uow, GetMeeting(command_id=_cid(), meeting_id=meeting_id), GetMeetingReply, by=outsider
        )
        closed = seen.meeting.entries[1]
        assert (closed.position, closed.restricted, closed.confidentiality) == (2, True, Confidentiality.CLOSED)
        assert (closed.title, closed.outcome, closed.item_id, closed.tally) == (None, None, None, None)
        assert SECRET not in seen.model_dump_json()
        assert seen.meeting.entries[0].title == "Reglement parkeren", "the public item in full"


async def test_meetings_are_listed_newest_first_with_their_minutes() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    meeting_id, _ = await _held_meeting(meetings, uow)
    later = ScheduleMeeting(
        command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(days=20), location="Kabinet"
    )
    await meetings.send(uow, later)
    listed = await meetings.ask(uow, ListMeetings(command_id=_cid()), ListMeetingsReply)
    assert [(m.body, m.status, m.items, m.minutes) for m in listed.meetings] == [
        (BodyKind.COLLEGE, "planned", 0, None),
        (BodyKind.GEMEENTERAAD, "closed", 2, "draft"),
    ]
    council = await meetings.ask(uow, ListMeetings(command_id=_cid(), body=BodyKind.GEMEENTERAAD), ListMeetingsReply)
    assert [m.meeting_id for m in council.meetings] == [meeting_id]


async def test_the_members_of_a_body_are_those_sitting_today_by_the_clock_chairs_first() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    await _held_meeting(meetings, uow)
    await meetings.tell(
        uow,
        MandateStarted(
            mandate_id=uuid.uuid4(),
            person_id="gr9",
            person_name="Aa Later",
            body=BodyKind.GEMEENTERAAD,
            entity=LegalEntity.GEMEENTE,
            role=MandateRole.MEMBER,
            status=MandateStatus.EFFECTIVE,
            start=HELD.date() + dt.timedelta(days=1),
        ),
    )
    today = await meetings.ask(uow, ListMembers(command_id=_cid(), body=BodyKind.GEMEENTERAAD), ListMembersReply)
    assert today.on == HELD.date()
    assert today.members[0].person_id == "gr1", "chairs first"
    assert "gr9" not in {m.person_id for m in today.members}
    assert {m.person_id: m.voting for m in today.members}["p-ad"] is False
    meetings.clock.advance(days=1)
    tomorrow = await meetings.ask(uow, ListMembers(command_id=_cid(), body=BodyKind.GEMEENTERAAD), ListMembersReply)
    assert "gr9" in {m.person_id for m in tomorrow.members}
    asked = ListMembers(command_id=_cid(), body=BodyKind.GEMEENTERAAD, on=HELD.date())
    assert (await meetings.ask(uow, asked, ListMembersReply)).members == today.members


async def test_a_decision_carries_its_votes_and_its_execution() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    _, decision_id = await _held_meeting(meetings, uow)
    await meetings.tell(
        uow, DecisionExecuted(decision_id=decision_id, entity=LegalEntity.GEMEENTE, task_count=2, executed_at=NOW)
    )
    reply = await meetings.ask(uow, GetDecision(command_id=_cid(), decision_id=decision_id), GetDecisionReply)
    decision = reply.decision
    assert decision.tally == VoteTally(in_favour=2, against=1, abstentions=0)
    assert decision.outcome == "adopted"
    assert decision.kind is DecisionKind.REGULATION
    assert decision.effective_date == HELD.date() + dt.timedelta(days=5)
    assert decision.reportable, "a council decision reaches the supervisory authority with its list"
    assert [(s.body, s.outcome, s.decision_id) for s in decision.history] == [
        (BodyKind.GEMEENTERAAD, "adopted", decision_id)
    ], "the decision is the last step of its item's history"
    assert decision.executed_at == NOW
    with pytest.raises(RuleViolation) as exc:
        await meetings.ask(uow, GetDecision(command_id=_cid(), decision_id=uuid.uuid4()), GetDecisionReply)
    assert exc.value.code == "unknown_decision"


async def test_the_decision_list_shows_a_closed_item_by_number_only() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    meeting_id, decision_id = await _held_meeting(meetings, uow)
    reply = await meetings.ask(uow, GetDecisionList(command_id=_cid(), meeting_id=meeting_id), GetDecisionListReply)
    listing = reply.decision_list
    assert listing.held_on == (NOW + dt.timedelta(days=10)).date()
    public, closed = listing.items
    assert (public.title, public.outcome, public.decision_id) == ("Reglement parkeren", "adopted", decision_id)
    assert public.votes == VoteTally(in_favour=2, against=1, abstentions=0)
    assert closed.closed
    assert (closed.position, closed.title, closed.votes) == (2, None, None)
    assert SECRET not in reply.model_dump_json()


async def test_the_minutes_name_the_members_and_where_the_minutes_stand() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    meeting_id, _ = await _held_meeting(meetings, uow)
    reply = await meetings.ask(uow, GetMinutes(command_id=_cid(), meeting_id=meeting_id), GetMinutesReply, by="p-ad")
    assert reply.state.status == "draft"
    assert reply.state.drafted_at == HELD
    assert reply.minutes.chair == "Naam gr1"
    assert reply.minutes.absent == ("Naam gr5",)
    assert reply.minutes.items[0].left_the_room == {"Naam gr4": "eigenaar"}
    assert reply.minutes.items[0].by_member["Naam gr3"] is VoteChoice.AGAINST
    assert reply.minutes.items[1].title == SECRET, "the full minutes are for the members (and the directeur)"
    outsider = await meetings.ask(uow, GetMinutes(command_id=_cid(), meeting_id=meeting_id), GetMinutesReply)
    closed = outsider.minutes.items[1]
    assert (closed.position, closed.restricted, closed.title) == (2, True, None)
    assert SECRET not in outsider.model_dump_json()
    planned = ScheduleMeeting(
        command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=HELD + dt.timedelta(days=2), location="Kabinet"
    )
    not_held = uuid.UUID((await meetings.send(uow, planned)).ids["meeting_id"])
    with pytest.raises(RuleViolation) as exc:
        await meetings.ask(uow, GetMinutes(command_id=_cid(), meeting_id=not_held), GetMinutesReply)
    assert exc.value.code == "no_minutes_yet"


async def test_the_lblod_export_leaves_closed_items_out_and_refuses_unknown_meetings() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    meeting_id, _ = await _held_meeting(meetings, uow)
    reply = await meetings.ask(uow, ExportLblod(command_id=_cid(), meeting_id=meeting_id), ExportLblodReply)
    assert "@graph" in reply.jsonld
    assert SECRET not in reply.model_dump_json()
    for query in (
        GetMeeting(command_id=_cid(), meeting_id=uuid.uuid4()),
        GetDecisionList(command_id=_cid(), meeting_id=uuid.uuid4()),
        ExportLblod(command_id=_cid(), meeting_id=uuid.uuid4()),
    ):
        with pytest.raises(RuleViolation) as exc:
            await meetings.ask(uow, query, type(query).Reply)
        assert exc.value.code == "unknown_meeting"


async def test_a_changed_register_entry_is_named() -> None:
    uow, meetings = FakeMeetingsUnitOfWork(), Service()
    empty = await meetings.ask(uow, VerifyPublications(command_id=_cid()), VerifyPublicationsReply)
    assert (empty.entries, empty.intact, empty.broken) == (0, 0, None)
    meeting_id, _ = await _held_meeting(meetings, uow)
    await meetings.send(uow, PublishDocuments(command_id=_cid(), meeting_id=meeting_id))
    entries = uow.publications.entries
    assert [e.document.kind.value for e in entries] == ["agenda", "decision_list", "regulation"]
    tampered = entries[2].document.model_copy(update={"title": "Iets anders"})
    uow.publications.entries[2] = entries[2].model_copy(update={"document": tampered})
    verified = await meetings.ask(uow, VerifyPublications(command_id=_cid()), VerifyPublicationsReply)
    assert (verified.entries, verified.intact) == (3, 2)
    assert verified.broken is not None
    assert (verified.broken.seq, verified.broken.document_id) == (3, tampered.document_id)
