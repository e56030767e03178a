"""What the command classes share: loading aggregates, publishing an agenda, announcing a decision.

Helpers, not commands. A missing meeting or item is a `RuleViolation` like any other refusal.
Social-welfare (BCSD) content stays in meetings: its decision events carry a neutral title, no
motivation and no third party, which is all finance and organisation need to act. Closed-session
decisions go to the back-office services marked `closed`; notifications never passes them on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.meetings.domain import events
from services.meetings.domain.decision import DecisionOutcome, DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.kernel import RuleViolation
from shared.vocabulary import Confidentiality, DecisionKind

__all__ = ["announce_decision", "concluded", "item_of", "meeting_of", "publish_agenda", "roster_of"]


async def meeting_of(uow: MeetingsUnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    """The meeting, locked for this unit of work."""
    meeting = await uow.meetings.get(meeting_id, for_update=True)
    if meeting is None:
        raise RuleViolation("unknown_meeting", f"no meeting {meeting_id}")
    return meeting


async def item_of(uow: MeetingsUnitOfWork, item_id: uuid.UUID) -> AgendaItem:
    """The agenda item, locked for this unit of work."""
    item = await uow.items.get(item_id, for_update=True)
    if item is None:
        raise RuleViolation("unknown_item", f"no agenda item {item_id}")
    return item


async def roster_of(uow: MeetingsUnitOfWork, meeting: Meeting) -> Roster:
    """Who sits in the meeting's body on the meeting day."""
    return Roster.of(await uow.seats.of_body(meeting.body), meeting.body, meeting.scheduled_at.date())


async def concluded(uow: MeetingsUnitOfWork, items: Sequence[AgendaItem]) -> set[uuid.UUID]:
    """The union consultations of `items` that have a protocol."""
    return await uow.consultations.concluded([i.links.consultation_id for i in items if i.links.consultation_id])


def publish_agenda(uow: MeetingsUnitOfWork, meeting: Meeting) -> None:
    """Announce the (amended) agenda; it is public, so a closed item goes out without its subject."""
    lines = tuple(
        events.AgendaLine(
            position=e.position,
            item_id=e.item_id,
            title=e.title if e.public else "Besloten punt",
            kind=e.kind,
            public=e.public,
            origin=e.origin.value,
        )
        for e in meeting.entries
    )
    uow.emit(
        events.AgendaPublished(
            meeting_id=meeting.meeting_id,
            body=meeting.body,
            entity=meeting.entity,
            scheduled_at=meeting.scheduled_at,
            version=len(meeting.agenda_published),
            items=lines,
        )
    )


async def announce_decision(uow: MeetingsUnitOfWork, item: AgendaItem, record: DecisionRecord) -> None:
    """Store the decision, announce it adopted or rejected, and apply its effects within meetings."""
    await uow.decisions.add(record)
    social = record.confidentiality is Confidentiality.SOCIAL
    title = outgoing_title(item.item_id, record.title, record.confidentiality)
    if record.outcome is DecisionOutcome.REJECTED:
        uow.emit(
            events.DecisionRejected(
                decision_id=record.decision_id,
                item_id=record.item_id,
                body=record.body,
                entity=record.entity,
                title=title,
                confidentiality=record.confidentiality,
                votes=record.tally,
                rejected_at=record.decided_at,
            )
        )
        return
    assert record.effective_date is not None
    uow.emit(
        events.DecisionAdopted(
            decision_id=record.decision_id,
            item_id=record.item_id,
            body=record.body,
            entity=record.entity,
            kind=record.kind,
            title=title,
            motivation="" if social else record.motivation,
            legal_basis=record.legal_basis,
            confidentiality=record.confidentiality,
            votes=record.tally,
            adopted_at=record.decided_at,
            effective_date=record.effective_date,
            financial_impact=outgoing_impact(record.financial_impact, record.confidentiality),
            follow_up_actions=record.follow_up_actions,
            meeting_id=record.meeting_id,
            secret_ballot=record.secret,
            appointment=item.links.appointment,
            delegation=item.links.delegation,
            budget_change_id=item.links.budget_change_id,
            consultation_id=item.links.consultation_id,
            overrules_item_id=item.links.overrules_item_id,
        )
    )
    if record.kind is DecisionKind.VISUM_OVERRULING and item.links.overrules_item_id is not None:
        overruled = await uow.items.get(item.links.overrules_item_id, for_update=True)
        if overruled is not None:
            await uow.items.update(overruled.overruled())
