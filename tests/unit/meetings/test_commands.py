"""The meeting commands and queries end to end against in-memory repositories, through the translation."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from services.meetings.domain.policy import MeetingPolicy
from shared.contracts.base import Command
from shared.contracts.meetings import (
    AgendaItemProposed,
    DecisionAdopted,
    ProposeAgendaItem,
)
from shared.contracts.organisation import MandateStarted
from shared.contracts.sessions import (
    AgendaPublished,
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    DocumentPublished,
    GetDecision,
    GetDecisionReply,
    MeetingClosed,
    MinutesApproved,
    MinutesSigned,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VerifyPublications,
    VerifyPublicationsReply,
    VoteOnItem,
)
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    Entity,
    LegalEntity,
    MandateRole,
    MandateStatus,
    VoteChoice,
    VoteTally,
)
from tests.unit.meetings.builders import NOW
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

CASE = "Leefloon voor Marie Peeters, Kerkstraat 1"


def _cid() -> str:
    return uuid.uuid4().hex


async def _seat(meetings: Service, uow: FakeMeetingsUnitOfWork, body: BodyKind, person: str, role: MandateRole) -> None:
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
    await meetings.tell(uow, event)


async def _propose(meetings: Service, uow: FakeMeetingsUnitOfWork, title: str) -> uuid.UUID:
    reply = await meetings.send(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.BCSD,
            entity=LegalEntity.OCMW,
            title=title,
            confidentiality=Confidentiality.SOCIAL,
            legal_basis="OCMW-wet art. 1; wet 26 mei 2002 leefloon",
            motivation=f"Aanvraag van {CASE}",
        ),
        by="p-welzijn",
    )
    return uuid.UUID(reply.ids["item_id"])


async def test_a_bcsd_decision_never_leaves_meetings_with_its_content() -> None:
    uow = FakeMeetingsUnitOfWork()
    meetings = Service()
    for i, person in enumerate(("b1", "b2", "b3")):
        await _seat(meetings, uow, BodyKind.BCSD, person, MandateRole.CHAIR if i == 0 else MandateRole.MEMBER)
    item_id = await _propose(meetings, uow, CASE)

    async def run(cmd: Command, by: str | None = None) -> Accepted:
        return await meetings.send(uow, cmd, by=by)

    meeting = uuid.UUID(
        (
            await run(
                ScheduleMeeting(
                    command_id=_cid(), body=BodyKind.BCSD, scheduled_at=NOW + dt.timedelta(days=1), location="Zaal"
                )
            )
        ).ids["meeting_id"]
    )
    await run(ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(item_id,)), by="b1")
    meetings.clock.advance(days=1)
    await run(OpenSession(command_id=_cid(), meeting_id=meeting, present=("b1", "b2", "b3"), chair_id="b1"))
    votes = {"b1": VoteChoice.IN_FAVOUR, "b2": VoteChoice.IN_FAVOUR, "b3": VoteChoice.ABSTAIN}
    decided = await run(VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item_id, open_votes=votes))
    assert decided.data["outcome"] == "adopted"
    await run(CloseMeeting(command_id=_cid(), meeting_id=meeting))
    with pytest.raises(RuleViolation) as exc:
        await run(PublishDocuments(command_id=_cid(), meeting_id=meeting))
    assert exc.value.code == "bcsd_never_published"

    for event, envelope in uow.emitted:
        body = event.model_dump_json()
        assert "Marie Peeters" not in body, type(event).__name__
        if isinstance(event, (AgendaItemProposed, DecisionAdopted)):
            assert envelope.confidentiality is Confidentiality.SOCIAL
    adopted = next(e for e in uow.events() if isinstance(e, DecisionAdopted))
    assert adopted.motivation == ""
    assert adopted.adopted_at == NOW + dt.timedelta(days=1), "the injected clock"
    # Meetings itself keeps the full record for the committee's members; anyone else learns it exists.
    decision_id = uuid.UUID(decided.ids["decision_id"])
    answer = await meetings.ask(uow, GetDecision(command_id=_cid(), decision_id=decision_id), GetDecisionReply, by="b2")
    assert json.dumps(answer.model_dump(mode="json")).count("Marie Peeters") >= 1
    for outsider in (None, "p-college"):
        hidden = await meetings.ask(
            uow, GetDecision(command_id=_cid(), decision_id=decision_id), GetDecisionReply, by=outsider
        )
        assert hidden.decision.restricted
        assert "Marie Peeters" not in hidden.model_dump_json()
        assert (hidden.decision.title, hidden.decision.tally) == (None, None)
    assert answer.decision.tally == VoteTally(in_favour=2, against=0, abstentions=1)
    assert answer.decision.by_member == votes


async def test_publishing_writes_the_register_and_emits_public_documents() -> None:
    uow = FakeMeetingsUnitOfWork()
    meetings = Service()
    for i, person in enumerate(("c1", "c2", "c3")):
        await _seat(meetings, uow, BodyKind.COLLEGE, person, MandateRole.MAYOR if i == 0 else MandateRole.ALDERMAN)
    reply = await meetings.send(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Goedkeuring evenement Zomerfeest",
            legal_basis="Decreet lokaal bestuur art. 56",
        ),
        by="p-secr",
    )
    item_id = uuid.UUID(reply.ids["item_id"])
    scheduled = ScheduleMeeting(
        command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(hours=2), location="Kabinet"
    )
    meeting = uuid.UUID((await meetings.send(uow, scheduled)).ids["meeting_id"])
    await meetings.send(uow, ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(item_id,)), by="c1")
    meetings.clock.advance(hours=2)
    await meetings.send(uow, OpenSession(command_id=_cid(), meeting_id=meeting, present=("c1", "c2"), chair_id="c1"))
    votes = {"c1": VoteChoice.IN_FAVOUR, "c2": VoteChoice.AGAINST}
    tie = await meetings.send(uow, VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item_id, open_votes=votes))
    assert tie.data["outcome"] == "rejected"
    await meetings.send(uow, CloseMeeting(command_id=_cid(), meeting_id=meeting))
    published = await meetings.send(uow, PublishDocuments(command_id=_cid(), meeting_id=meeting))
    documents = [e for e in uow.events() if isinstance(e, DocumentPublished)]
    assert published.data["published"] == [
        {"kind": "decision_list", "document_id": str(documents[0].document_id), "title": documents[0].title}
    ]
    assert len(documents) == 1
    assert not documents[0].reportable, "college decision lists are not reported"
    assert documents[0].published_at == NOW + dt.timedelta(hours=2)
    assert any(isinstance(e, AgendaPublished) for e in uow.events())
    again = await meetings.send(uow, PublishDocuments(command_id=_cid(), meeting_id=meeting))
    assert again.data["published"] == []
    verified = await meetings.ask(uow, VerifyPublications(command_id=_cid()), VerifyPublicationsReply)
    assert (verified.entries, verified.intact, verified.broken) == (1, 1, None)


async def test_an_item_sits_on_one_agenda_at_a_time() -> None:
    uow = FakeMeetingsUnitOfWork()
    meetings = Service()
    reply = await meetings.send(
        uow,
        ProposeAgendaItem(
            command_id=_cid(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Verkeersbesluit Marktplein",
            legal_basis="Decreet lokaal bestuur art. 56",
        ),
        by="p-secr",
    )
    item_id = uuid.UUID(reply.ids["item_id"])
    scheduled = []
    for hours in (2, 30):
        cmd = ScheduleMeeting(
            command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(hours=hours), location="Kabinet"
        )
        scheduled.append(uuid.UUID((await meetings.send(uow, cmd)).ids["meeting_id"]))
    await meetings.send(uow, ConveneMeeting(command_id=_cid(), meeting_id=scheduled[0], item_ids=(item_id,)), by="c1")
    with pytest.raises(RuleViolation) as exc:
        await meetings.send(
            uow, ConveneMeeting(command_id=_cid(), meeting_id=scheduled[1], item_ids=(item_id,)), by="c1"
        )
    assert exc.value.code == "item_on_other_agenda"


async def test_minutes_are_approved_at_the_next_meeting_and_signed_by_the_chair_and_the_policys_directeur() -> None:
    uow = FakeMeetingsUnitOfWork()
    meetings = Service(MeetingPolicy(algemeen_directeur="p-ad-gent"))
    for i, person in enumerate(("c1", "c2", "c3")):
        await _seat(meetings, uow, BodyKind.COLLEGE, person, MandateRole.MAYOR if i == 0 else MandateRole.ALDERMAN)
    held = []
    for hours in (2, 30):
        reply = await meetings.send(
            uow,
            ProposeAgendaItem(
                command_id=_cid(),
                body=BodyKind.COLLEGE,
                entity=LegalEntity.GEMEENTE,
                title=f"Varia {hours}",
                legal_basis="Decreet lokaal bestuur art. 56",
            ),
            by="p-secr",
        )
        item_id = uuid.UUID(reply.ids["item_id"])
        scheduled = ScheduleMeeting(
            command_id=_cid(), body=BodyKind.COLLEGE, scheduled_at=NOW + dt.timedelta(hours=hours), location="Kabinet"
        )
        meeting = uuid.UUID((await meetings.send(uow, scheduled)).ids["meeting_id"])
        await meetings.send(uow, ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=(item_id,)), by="c1")
        held.append((meeting, item_id))
    for (meeting, _), hours in zip(held, (2, 30), strict=True):
        meetings.clock.at = NOW + dt.timedelta(hours=hours)
        await meetings.send(
            uow, OpenSession(command_id=_cid(), meeting_id=meeting, present=("c1", "c2"), chair_id="c1")
        )
    (first, item), (second, _) = held
    votes = dict.fromkeys(("c1", "c2"), VoteChoice.IN_FAVOUR)
    await meetings.send(uow, VoteOnItem(command_id=_cid(), meeting_id=first, item_id=item, open_votes=votes))
    closed = await meetings.send(uow, CloseMeeting(command_id=_cid(), meeting_id=first))
    assert closed.data == {"minutes": "draft"}
    approved = await meetings.send(
        uow, ApproveMinutes(command_id=_cid(), meeting_id=second, minutes_of=first, comments=("typo",))
    )
    assert (approved.ids, approved.data) == ({"meeting_id": str(first)}, {"minutes": "approved"})
    with pytest.raises(RuleViolation) as exc:
        await meetings.send(uow, SignMinutes(command_id=_cid(), meeting_id=first), by="p-ad")
    assert exc.value.code == "not_a_signatory", "the directeur is the policy's, not the demo's"
    half = await meetings.send(uow, SignMinutes(command_id=_cid(), meeting_id=first), by="c1")
    assert half.data == {"minutes": "approved", "role": "chair", "acting": False}
    signed = await meetings.send(uow, SignMinutes(command_id=_cid(), meeting_id=first), by="p-ad-gent")
    assert signed.data == {"minutes": "signed", "role": "algemeen_directeur", "acting": False}
    closing = next(e for e in uow.events() if isinstance(e, MeetingClosed))
    assert (closing.adopted, closing.rejected, closing.postponed) == (1, 0, 0)
    approval = next(e for e in uow.events() if isinstance(e, MinutesApproved))
    assert (approval.meeting_id, approval.approved_in, approval.comments) == (first, second, 1)
    [signing] = [(e, env) for e, env in uow.emitted if isinstance(e, MinutesSigned)]
    assert signing[0].meeting_id == first
    assert (signing[1].subject, signing[1].entity, signing[1].confidentiality) == (
        str(first),
        Entity.GEMEENTE,
        Confidentiality.PUBLIC,
    )
    with pytest.raises(RuleViolation) as exc:
        await meetings.send(uow, SignMinutes(command_id=_cid(), meeting_id=uuid.uuid4()), by="c1")
    assert exc.value.code == "unknown_meeting"
