"""What the command classes share: loading aggregates, rosters, history steps, publishing an agenda,
announcing a decision.

Helpers, not commands. A missing meeting or item is a `RuleViolation` like any other refusal.
Social-welfare (BCSD) content stays in meetings: its decision events carry a neutral title, no
motivation and no third party, which is all finance and organisation need to act. Closed-session
decisions go to the back-office services marked `closed`; notifications never passes them on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from services.meetings.domain import events
from services.meetings.domain.committee import Committee
from services.meetings.domain.decision import DecisionOutcome, DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.documents import (
    PublishedDocument,
    RegisterEntry,
    agenda_document,
    district_of,
    register,
)
from services.meetings.domain.meeting import Meeting, Treatment
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem, Step
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, LegalEntity

__all__ = [
    "announce_decision",
    "committee_of",
    "concluded",
    "ensure_recorder",
    "enter_in_register",
    "item_districts",
    "item_of",
    "meeting_of",
    "publish_agenda",
    "roster_of",
    "step_of",
]


def ensure_recorder(policy: MeetingPolicy, person_id: str) -> None:
    """Attendance and votes are recorded by the secretariat or the algemeen directeur, no one else."""
    if not policy.records_sessions(person_id):
        raise RuleViolation(
            "not_secretariat",
            f"{person_id or 'no one'} is not the secretariat or the algemeen directeur: only they record "
            "attendance and votes",
        )


async def meeting_of(uow: MeetingsUnitOfWork, meeting_id: uuid.UUID, *, read_locked: bool = False) -> Meeting:
    """The meeting, locked for this unit of work (so two signatories at once are served one after the other).

    A meeting whose minutes are published never changes again (`meeting_locked`); `read_locked` lets a
    command read one it does not change (publication of what is left, a lineage to an earlier meeting).
    """
    meeting = await uow.meetings.get(meeting_id, for_update=True)
    if meeting is None:
        raise RuleViolation("unknown_meeting", f"no meeting {meeting_id}")
    if not read_locked:
        meeting.ensure_unlocked()
    return meeting


async def item_of(uow: MeetingsUnitOfWork, item_id: uuid.UUID) -> AgendaItem:
    """The agenda item, locked for this unit of work."""
    item = await uow.items.get(item_id, for_update=True)
    if item is None:
        raise RuleViolation("unknown_item", f"no agenda item {item_id}")
    return item


async def committee_of(uow: MeetingsUnitOfWork, committee_id: uuid.UUID) -> Committee:
    committee = await uow.committees.get(committee_id)
    if committee is None:
        raise RuleViolation("unknown_committee", f"no committee {committee_id}")
    return committee


async def roster_of(uow: MeetingsUnitOfWork, meeting: Meeting) -> Roster:
    """Who sits in the meeting's body on the meeting day (a committee: its nominated members)."""
    day = meeting.scheduled_at.date()
    if meeting.committee_id is not None:
        return (await committee_of(uow, meeting.committee_id)).roster(day)
    seats = await uow.seats.of_body(BodyKind.COLLEGE if meeting.body is BodyKind.BURGEMEESTER else meeting.body)
    return Roster.of(seats, meeting.body, day)


async def concluded(uow: MeetingsUnitOfWork, items: Sequence[AgendaItem]) -> set[uuid.UUID]:
    """The union consultations of `items` that have a protocol."""
    return await uow.consultations.concluded([i.links.consultation_id for i in items if i.links.consultation_id])


def step_of(meeting: Meeting, entry: Treatment, outcome: str, decision_id: uuid.UUID | None = None) -> Step:
    """The treatment of an item in this meeting, as a step of the item's history."""
    return Step(
        meeting_id=meeting.meeting_id,
        body=meeting.body,
        on=meeting.scheduled_at.date(),
        role=entry.role,
        outcome=outcome,
        confidentiality=entry.confidentiality,
        tally=entry.tally,
        advice=entry.advice,
        favourable=entry.favourable,
        decision_id=decision_id,
    )


async def publish_agenda(uow: MeetingsUnitOfWork, meeting: Meeting, *, policy: MeetingPolicy, now: dt.datetime) -> None:
    """Announce the (amended) agenda; it is public, so a closed item goes out without its subject.

    A council's agenda (not a BCSD's, nor the college's) is also put online and entered in the
    publication register, before the session.
    """
    document = agenda_document(meeting, policy=policy)
    if document is not None:
        district = district_of(document, await item_districts(uow, meeting), {})
        await enter_in_register(uow, document, entity=meeting.entity, now=now, district=district)
    lines = tuple(
        events.AgendaLine(
            position=e.position,
            item_id=e.item_id,
            title=e.title if e.public else "Besloten punt",
            kind=e.kind,
            public=e.public,
            origin=e.origin.value,
            legality_advice=e.legality_advice.verdict if e.public and e.legality_advice else None,
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
            urgent=meeting.urgent,
            second_convocation=meeting.second_convocation_of is not None,
        )
    )


async def item_districts(uow: MeetingsUnitOfWork, meeting: Meeting) -> dict[uuid.UUID, str | None]:
    """The district each item of the meeting names (None for a municipal item that names none)."""
    found: dict[uuid.UUID, str | None] = {}
    for entry in meeting.entries:
        item = await uow.items.get(entry.item_id)
        found[entry.item_id] = item.links.district if item is not None else None
    return found


async def enter_in_register(
    uow: MeetingsUnitOfWork,
    document: PublishedDocument,
    *,
    entity: LegalEntity,
    now: dt.datetime,
    district: str | None = None,
) -> RegisterEntry:
    """Enter a document in the register after the last entry, and announce it published."""
    await uow.publications.lock()
    entry = register(document, previous=await uow.publications.last_hash(), published_at=now)
    await uow.publications.add(entry)
    uow.emit(
        events.DocumentPublished(
            document_id=document.document_id,
            kind=document.kind.value,
            meeting_id=document.meeting_id,
            decision_id=document.decision_id,
            body=document.body,
            entity=entity,
            title=document.title,
            content=document.content,
            content_hash=entry.content_hash,
            register_hash=entry.register_hash,
            published_at=now,
            due_on=document.due_on,
            on_time=entry.on_time,
            reportable=document.reportable,
            district=district,
        )
    )
    return entry


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
            elected=None if social else record.elected,
            signed_by=record.signed_by,
            reportable=record.reportable,
            discipline=item.links.discipline,
            organogram_version=item.links.organogram_version,
            designation=None if social else item.links.designation,
            district=item.links.district,
            decision_type=record.decision_type.concept,
            relations=record.relations,
            legality_advice=record.legality_advice,
        )
    )
    if record.kind is DecisionKind.VISUM_OVERRULING and item.links.overrules_item_id is not None:
        overruled = await uow.items.get(item.links.overrules_item_id, for_update=True)
        if overruled is not None:
            await uow.items.update(overruled.overruled())
