"""The meeting commands end to end against in-memory repositories."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from services.meetings.service_layer import handlers, queries
from services.meetings.service_layer.sessions import SessionHandlers
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.meetings import (
    AgendaItemProposed,
    DecideAgendaItem,
    DecisionAdopted,
    ProposeAgendaItem,
    VoteChoice,
    VoteTally,
)
from shared.contracts.organisation import MandateRole, MandateStarted, MandateStatus
from shared.contracts.sessions import (
    AgendaPublished,
    CloseMeeting,
    ConveneMeeting,
    DocumentPublished,
    GetDecision,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    VerifyPublications,
    VoteOnItem,
)
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ENVELOPE = Envelope(id="cmd", type="t", source="/test", time=NOW, correlation_id="corr")
CASE = "Leefloon voor Marie Peeters, Kerkstraat 1"


def _cid() -> str:
    return uuid.uuid4().hex


async def _seat(uow: FakeMeetingsUnitOfWork, body: BodyKind, person: str, role: MandateRole) -> None:
    event = MandateStarted(
        mandate_id=uuid.uuid4(),
        person_id=person,
        person_name=person.upper(),
        body=body,
        entity=LegalEntity.OCMW,
        role=role,
        status=MandateStatus.EFFECTIVE,
        start=dt.date(2025, 1, 1),
    )
    await handlers.record_mandate(uow, event, ENVELOPE)


async def _propose(uow: FakeMeetingsUnitOfWork, title: str) -> uuid.UUID:
    reply = await handlers.propose_agenda_item(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.BCSD,
            entity=LegalEntity.OCMW,
            title=title,
            confidentiality=Confidentiality.SOCIAL,
            legal_basis="OCMW-wet art. 1; wet 26 mei 2002 leefloon",
            motivation=f"Aanvraag van {CASE}",
            proposed_by="p-welzijn",
        ),
        ENVELOPE,
    )
    return uuid.UUID(reply.ids["item_id"])


async def test_a_bcsd_decision_never_leaves_meetings_with_its_content() -> None:
    uow = FakeMeetingsUnitOfWork()
    sessions = SessionHandlers(clock=lambda: NOW)
    for i, person in enumerate(("b1", "b2", "b3")):
        await _seat(uow, BodyKind.BCSD, person, MandateRole.CHAIR if i == 0 else MandateRole.MEMBER)
    item_id = await _propose(uow, CASE)

    async def run(cmd: object) -> CommandReply:
        name = type(cmd).__name__
        handler = {
            "ScheduleMeeting": sessions.schedule_meeting,
            "ConveneMeeting": sessions.convene_meeting,
            "OpenSession": sessions.open_session,
            "VoteOnItem": sessions.vote_on_item,
            "CloseMeeting": sessions.close_meeting,
            "PublishDocuments": sessions.publish_documents,
        }[name]
        reply: CommandReply = await handler(uow, cmd, ENVELOPE)  # type: ignore[operator]
        return reply

    meeting = uuid.UUID(
        (
            await run(
                ScheduleMeeting(
                    command_id=_cid(), body=BodyKind.BCSD, scheduled_at=NOW + dt.timedelta(days=1), location="Zaal"
                )
            )
        ).ids["meeting_id"]
    )
    await run(ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(item_id,), convened_by="b1"))
    await run(OpenSession(command_id=_cid(), meeting_id=meeting, present=("b1", "b2", "b3"), chair_id="b1"))
    votes = {"b1": VoteChoice.IN_FAVOUR, "b2": VoteChoice.IN_FAVOUR, "b3": VoteChoice.ABSTAIN}
    decided = await run(VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item_id, open_votes=votes))
    assert decided.data["outcome"] == "adopted"
    await run(CloseMeeting(command_id=_cid(), meeting_id=meeting))
    with pytest.raises(CommandRejected) as exc:
        await run(PublishDocuments(command_id=_cid(), meeting_id=meeting))
    assert exc.value.code == "bcsd_never_published"

    for event, envelope in uow.emitted:
        body = event.model_dump_json()
        assert "Marie Peeters" not in body, type(event).__name__
        if isinstance(event, (AgendaItemProposed, DecisionAdopted)):
            assert envelope.confidentiality is Confidentiality.SOCIAL
    adopted = next(e for e in uow.events() if isinstance(e, DecisionAdopted))
    assert adopted.motivation == ""
    # Meetings itself keeps the full record for the committee.
    answer = await queries.get_decision(
        uow, GetDecision(command_id=_cid(), decision_id=uuid.UUID(decided.ids["decision_id"])), ENVELOPE
    )
    assert json.dumps(answer.data).count("Marie Peeters") >= 1
    decision = answer.data["decision"]
    assert isinstance(decision, dict)
    assert decision["tally"] == VoteTally(in_favour=2, against=0, abstentions=1).model_dump()


async def test_publishing_writes_the_register_and_emits_public_documents() -> None:
    uow = FakeMeetingsUnitOfWork()
    sessions = SessionHandlers(clock=lambda: NOW)
    for i, person in enumerate(("c1", "c2", "c3")):
        await _seat(uow, BodyKind.COLLEGE, person, MandateRole.MAYOR if i == 0 else MandateRole.ALDERMAN)
    reply = await handlers.propose_agenda_item(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Goedkeuring evenement Zomerfeest",
            legal_basis="Decreet lokaal bestuur art. 56",
            proposed_by="p-secr",
        ),
        ENVELOPE,
    )
    item_id = uuid.UUID(reply.ids["item_id"])
    scheduled = ScheduleMeeting(
        command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(hours=2), location="Kabinet"
    )
    meeting = uuid.UUID((await sessions.schedule_meeting(uow, scheduled, ENVELOPE)).ids["meeting_id"])
    await sessions.convene_meeting(
        uow, ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(item_id,), convened_by="c1"), ENVELOPE
    )
    await sessions.open_session(
        uow, OpenSession(command_id=_cid(), meeting_id=meeting, present=("c1", "c2"), chair_id="c1"), ENVELOPE
    )
    votes = {"c1": VoteChoice.IN_FAVOUR, "c2": VoteChoice.AGAINST}
    tie = await sessions.vote_on_item(
        uow, VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item_id, open_votes=votes), ENVELOPE
    )
    assert tie.data["outcome"] == "rejected"
    await sessions.close_meeting(uow, CloseMeeting(command_id=_cid(), meeting_id=meeting), ENVELOPE)
    published = await sessions.publish_documents(uow, PublishDocuments(command_id=_cid(), meeting_id=meeting), ENVELOPE)
    documents = [e for e in uow.events() if isinstance(e, DocumentPublished)]
    assert published.data["published"] == [
        {"kind": "decision_list", "document_id": str(documents[0].document_id), "title": documents[0].title}
    ]
    assert len(documents) == 1
    assert not documents[0].reportable, "college decision lists are not reported"
    assert any(isinstance(e, AgendaPublished) for e in uow.events())
    again = await sessions.publish_documents(uow, PublishDocuments(command_id=_cid(), meeting_id=meeting), ENVELOPE)
    assert again.data["published"] == []
    verified = await queries.verify_publications(uow, VerifyPublications(command_id=_cid()), ENVELOPE)
    assert verified.data == {"entries": 1, "intact": 1, "broken": None}


async def test_an_item_on_an_agenda_is_decided_only_in_its_session() -> None:
    uow = FakeMeetingsUnitOfWork()
    sessions = SessionHandlers(clock=lambda: NOW)
    reply = await handlers.propose_agenda_item(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Verkeersbesluit Marktplein",
            legal_basis="Decreet lokaal bestuur art. 56",
            proposed_by="p-secr",
        ),
        ENVELOPE,
    )
    item_id = uuid.UUID(reply.ids["item_id"])
    meetings = []
    for hours in (2, 30):
        cmd = ScheduleMeeting(
            command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(hours=hours), location="Kabinet"
        )
        meetings.append(uuid.UUID((await sessions.schedule_meeting(uow, cmd, ENVELOPE)).ids["meeting_id"]))
    await sessions.convene_meeting(
        uow, ConveneMeeting(command_id=_cid(), meeting_id=meetings[0], item_ids=(item_id,), convened_by="c1"), ENVELOPE
    )
    with pytest.raises(CommandRejected) as exc:
        await handlers.decide_agenda_item(
            uow,
            DecideAgendaItem(
                command_id=_cid(), item_id=item_id, votes=VoteTally(in_favour=3, against=0, abstentions=0)
            ),
            ENVELOPE,
        )
    assert exc.value.code == "decide_in_session"
    with pytest.raises(CommandRejected) as exc:
        await sessions.convene_meeting(
            uow,
            ConveneMeeting(command_id=_cid(), meeting_id=meetings[1], item_ids=(item_id,), convened_by="c1"),
            ENVELOPE,
        )
    assert exc.value.code == "item_on_other_agenda"
