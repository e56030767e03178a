"""Commands for meetings: agenda, session, votes, minutes and publication.

Each handler loads the aggregates it changes with a row lock, applies the domain rules, stores
the result and queues its events; the messaging wrapper commits (or rolls back on a rejection).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from services.meetings.domain.decision import DecisionOutcome, DecisionRecord, effective_date
from services.meetings.domain.documents import DocumentKind, publishable_documents, register
from services.meetings.domain.meeting import Meeting, MeetingStatus, MinutesStatus, TreatmentOutcome
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem, Rejection
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.votes import VoteResult, count_open_vote, count_secret_vote
from services.meetings.service_layer.announce import announce_decision
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.base import Confidentiality, Entity, Event
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.sessions import (
    AddAgendaItem,
    AgendaLine,
    AgendaPublished,
    AmendItem,
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    DocumentPublished,
    LeaveItem,
    MeetingClosed,
    MeetingScheduled,
    MinutesApproved,
    MinutesSigned,
    OpenSession,
    PostponeItem,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VoteOnItem,
)
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = ["SessionHandlers"]

Clock = Callable[[], dt.datetime]


H = TypeVar("H")
C = TypeVar("C")


def _rules(
    handler: Callable[[H, MeetingsUnitOfWork, C, Envelope], Awaitable[CommandReply]],
) -> Callable[[H, MeetingsUnitOfWork, C, Envelope], Awaitable[CommandReply]]:
    """Turn a domain `Rejection` into the documented command rejection."""

    @functools.wraps(handler)
    async def wrapped(self: H, uow: MeetingsUnitOfWork, cmd: C, envelope: Envelope) -> CommandReply:
        try:
            return await handler(self, uow, cmd, envelope)
        except Rejection as exc:
            raise CommandRejected(exc.code, exc.message) from exc

    return wrapped


def _accepted(command_id: str, ids: dict[str, str] | None = None, **data: object) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.ACCEPTED, ids=ids or {}, data=data)


def _emit(uow: MeetingsUnitOfWork, meeting: Meeting, event: Event) -> None:
    uow.emit(event, subject_id=str(meeting.meeting_id), entity=Entity(meeting.entity.value))


class SessionHandlers:
    """The meeting commands, with the municipality's terms (`MeetingPolicy`) and a clock."""

    def __init__(self, policy: MeetingPolicy | None = None, clock: Clock | None = None) -> None:
        self.policy = policy or MeetingPolicy()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # -- loading -------------------------------------------------------------------------------

    async def _meeting(self, uow: MeetingsUnitOfWork, meeting_id: uuid.UUID) -> Meeting:
        meeting = await uow.meetings.get(meeting_id, for_update=True)
        if meeting is None:
            raise Rejection("unknown_meeting", f"no meeting {meeting_id}")
        return meeting

    async def _item(self, uow: MeetingsUnitOfWork, item_id: uuid.UUID) -> AgendaItem:
        item = await uow.items.get(item_id, for_update=True)
        if item is None:
            raise Rejection("unknown_item", f"no agenda item {item_id}")
        return item

    async def _roster(self, uow: MeetingsUnitOfWork, meeting: Meeting) -> Roster:
        return Roster.of(await uow.seats.of_body(meeting.body), meeting.body, meeting.scheduled_at.date())

    @staticmethod
    def _free_for(item: AgendaItem, meeting: Meeting, postponed_from: uuid.UUID | None = None) -> None:
        """An item sits on one agenda at a time; a postponed one moves on with its lineage."""
        if item.meeting_id in {None, meeting.meeting_id, postponed_from}:
            return
        raise Rejection(
            "item_on_other_agenda",
            f"the item is on the agenda of meeting {item.meeting_id}; postpone it there and add it with postponed_from",
        )

    async def _concluded(self, uow: MeetingsUnitOfWork, items: Sequence[AgendaItem]) -> set[uuid.UUID]:
        return await uow.consultations.concluded([i.links.consultation_id for i in items if i.links.consultation_id])

    def _agenda_published(self, uow: MeetingsUnitOfWork, meeting: Meeting) -> None:
        lines = tuple(
            AgendaLine(
                position=e.position,
                item_id=e.item_id,
                # The agenda is public: a closed item is announced without its subject.
                title=e.title if e.public else "Besloten punt",
                kind=e.kind,
                public=e.public,
                origin=e.origin.value,
            )
            for e in meeting.entries
        )
        _emit(
            uow,
            meeting,
            AgendaPublished(
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                entity=meeting.entity,
                scheduled_at=meeting.scheduled_at,
                version=len(meeting.agenda_published),
                items=lines,
            ),
        )

    # -- agenda --------------------------------------------------------------------------------

    @_rules
    async def schedule_meeting(self, uow: MeetingsUnitOfWork, cmd: ScheduleMeeting, _e: Envelope) -> CommandReply:
        """Plan a meeting, alone or jointly with the parallel body's meeting."""
        joint = await self._meeting(uow, cmd.joint_with) if cmd.joint_with else None
        meeting = Meeting.schedule(
            body=cmd.body, scheduled_at=cmd.scheduled_at, location=cmd.location, now=self._clock(), joint_with=joint
        )
        if joint is not None and joint.joint_group_id is None:
            await uow.meetings.update(joint.model_copy(update={"joint_group_id": meeting.joint_group_id}))
        await uow.meetings.add(meeting)
        _emit(
            uow,
            meeting,
            MeetingScheduled(
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                entity=meeting.entity,
                scheduled_at=meeting.scheduled_at,
                location=meeting.location,
                joint_group_id=meeting.joint_group_id,
            ),
        )
        ids = {"meeting_id": str(meeting.meeting_id)}
        if meeting.joint_group_id:
            ids["joint_group_id"] = str(meeting.joint_group_id)
        return _accepted(cmd.command_id, ids)

    @_rules
    async def convene_meeting(self, uow: MeetingsUnitOfWork, cmd: ConveneMeeting, _e: Envelope) -> CommandReply:
        """Set the agenda and publish it."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        if len(set(cmd.item_ids)) != len(cmd.item_ids):
            raise Rejection("item_already_on_agenda", "an item appears twice on the agenda")
        items = [await self._item(uow, i) for i in cmd.item_ids]
        for item in items:
            self._free_for(item, meeting)
        convened = meeting.convene(
            items,
            by=cmd.convened_by,
            now=self._clock(),
            policy=self.policy,
            concluded=await self._concluded(uow, items),
        )
        await uow.meetings.update(convened)
        for item in items:
            await uow.items.update(replace(item, meeting_id=meeting.meeting_id))
        self._agenda_published(uow, convened)
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)}, items=len(items))

    @_rules
    async def add_agenda_item(self, uow: MeetingsUnitOfWork, cmd: AddAgendaItem, _e: Envelope) -> CommandReply:
        """Amend the agenda (or treat an urgent item in session); the amended agenda is published at once."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        item = await self._item(uow, cmd.item_id)
        if cmd.by_member and cmd.added_by not in (await self._roster(uow, meeting)).voters:
            raise Rejection("not_a_member", f"{cmd.added_by} is not a sitting member of the {meeting.body.value}")
        if cmd.postponed_from is not None:
            earlier = await self._meeting(uow, cmd.postponed_from)
            if earlier.entry(item.item_id).outcome is not TreatmentOutcome.POSTPONED:
                raise Rejection("not_postponed", "the item was not postponed at that meeting")
        self._free_for(item, meeting, cmd.postponed_from)
        changed = meeting.add_item(
            item,
            by=cmd.added_by,
            by_member=cmd.by_member,
            now=self._clock(),
            policy=self.policy,
            concluded=await self._concluded(uow, [item]),
            urgency_votes=cmd.urgency_votes,
            postponed_from=cmd.postponed_from,
        )
        await uow.meetings.update(changed)
        await uow.items.update(replace(item, meeting_id=meeting.meeting_id))
        if changed.status is not MeetingStatus.PLANNED:
            self._agenda_published(uow, changed)
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)}, position=len(changed.entries))

    # -- session -------------------------------------------------------------------------------

    @_rules
    async def open_session(self, uow: MeetingsUnitOfWork, cmd: OpenSession, _e: Envelope) -> CommandReply:
        """Open the session: the sitting members come from organisation's mandates on the meeting day."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        if cmd.chair_id not in cmd.present:
            raise Rejection("chair_not_present", "the chair must be present to open the session")
        roster = await self._roster(uow, meeting)
        # Seat holders without a vote (the algemeen directeur) attend but do not count; anyone
        # without a seat stays in, so the domain names them as `not_a_member`.
        non_voting = {s.person_id for s in roster.seats} - roster.voters
        opened = meeting.open_session(
            present=set(cmd.present) - non_voting,
            sitting=roster.voters,
            chair_id=cmd.chair_id,
            now=self._clock(),
        )
        await uow.meetings.update(opened)
        return _accepted(
            cmd.command_id,
            {"meeting_id": str(meeting.meeting_id)},
            present=len(opened.present),
            sitting=len(opened.sitting),
        )

    @_rules
    async def leave_item(self, uow: MeetingsUnitOfWork, cmd: LeaveItem, _e: Envelope) -> CommandReply:
        """Record that a member left the room for one item."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        await uow.meetings.update(meeting.leave_item(cmd.item_id, cmd.person_id, cmd.reason))
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)})

    def _count(self, meeting: Meeting, item_id: uuid.UUID, cmd: VoteOnItem | AmendItem) -> VoteResult:
        present = meeting.present_for(item_id)
        if cmd.secret_tally is not None:
            return count_secret_vote(cmd.secret_tally, present=present, sitting=len(meeting.sitting))
        assert cmd.open_votes is not None
        return count_open_vote(cmd.open_votes, present=present, sitting=len(meeting.sitting))

    @_rules
    async def amend_item(self, uow: MeetingsUnitOfWork, cmd: AmendItem, _e: Envelope) -> CommandReply:
        """Vote on an amendment."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        result = self._count(meeting, cmd.item_id, cmd)
        await uow.meetings.update(meeting.amend(cmd.item_id, text=cmd.text, proposed_by=cmd.proposed_by, result=result))
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)}, adopted=result.adopted)

    @_rules
    async def vote_on_item(self, uow: MeetingsUnitOfWork, cmd: VoteOnItem, _e: Envelope) -> CommandReply:
        """Count the vote, record the decision and publish it."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        item = await self._item(uow, cmd.item_id)
        meeting.check_vote_mode(cmd.item_id, secret=cmd.secret_tally is not None)
        item.check_ready(consultation_concluded=bool(await self._concluded(uow, [item])))
        result = self._count(meeting, cmd.item_id, cmd)
        decision_id = uuid.uuid4()
        amendments = tuple(a.text for a in meeting.entry(cmd.item_id).amendments if a.adopted)
        record = DecisionRecord.of(
            item,
            result,
            decision_id=decision_id,
            meeting_id=meeting.meeting_id,
            decided_at=self._clock(),
            amendments=amendments,
        )
        await uow.meetings.update(meeting.record_vote(cmd.item_id, result, decision_id))
        decided = item.decided(adopted=result.adopted, decision_id=decision_id)
        await uow.items.update(decided)
        await announce_decision(uow, decided, record)
        return _accepted(
            cmd.command_id,
            {"decision_id": str(decision_id), "item_id": str(item.item_id)},
            outcome=record.outcome.value,
            votes=result.tally.model_dump(mode="json"),
        )

    @_rules
    async def postpone_item(self, uow: MeetingsUnitOfWork, cmd: PostponeItem, _e: Envelope) -> CommandReply:
        """Postpone an item; a later meeting takes it up with `postponed_from`."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        await uow.meetings.update(meeting.postpone(cmd.item_id, cmd.reason))
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)})

    @_rules
    async def close_meeting(self, uow: MeetingsUnitOfWork, cmd: CloseMeeting, _e: Envelope) -> CommandReply:
        """Close the session; the draft minutes are generated from it."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        closed = meeting.close(self._clock())
        await uow.meetings.update(closed)
        outcomes = [e.outcome for e in closed.entries]
        _emit(
            uow,
            closed,
            MeetingClosed(
                meeting_id=closed.meeting_id,
                body=closed.body,
                entity=closed.entity,
                adopted=outcomes.count(TreatmentOutcome.ADOPTED),
                rejected=outcomes.count(TreatmentOutcome.REJECTED),
                postponed=outcomes.count(TreatmentOutcome.POSTPONED),
            ),
        )
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)}, minutes="draft")

    # -- minutes -------------------------------------------------------------------------------

    @_rules
    async def approve_minutes(self, uow: MeetingsUnitOfWork, cmd: ApproveMinutes, _e: Envelope) -> CommandReply:
        """Approve the previous meeting's minutes during this session."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        earlier = await self._meeting(uow, cmd.minutes_of)
        approved = meeting.approve_minutes_of(earlier, comments=cmd.comments, now=self._clock())
        await uow.meetings.update(approved)
        _emit(
            uow,
            approved,
            MinutesApproved(
                meeting_id=approved.meeting_id,
                approved_in=meeting.meeting_id,
                body=approved.body,
                entity=approved.entity,
                comments=len(cmd.comments),
            ),
        )
        return _accepted(cmd.command_id, {"meeting_id": str(earlier.meeting_id)}, minutes="approved")

    @_rules
    async def sign_minutes(self, uow: MeetingsUnitOfWork, cmd: SignMinutes, _e: Envelope) -> CommandReply:
        """Sign approved minutes as chair or algemeen directeur."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        roster = await self._roster(uow, meeting)
        signed = meeting.sign_minutes(
            person_id=cmd.person_id,
            on_behalf_of=cmd.on_behalf_of,
            chairs=roster.chairs,
            policy=self.policy,
            now=self._clock(),
        )
        await uow.meetings.update(signed)
        assert signed.minutes is not None
        if signed.minutes.status is MinutesStatus.SIGNED:
            _emit(uow, signed, MinutesSigned(meeting_id=signed.meeting_id, body=signed.body, entity=signed.entity))
        return _accepted(cmd.command_id, {"meeting_id": str(meeting.meeting_id)}, minutes=signed.minutes.status.value)

    # -- publication ---------------------------------------------------------------------------

    @_rules
    async def publish_documents(self, uow: MeetingsUnitOfWork, cmd: PublishDocuments, _e: Envelope) -> CommandReply:
        """Publish what may be published and is not yet, each entered in the register."""
        meeting = await self._meeting(uow, cmd.meeting_id)
        decisions = list(await uow.decisions.of_meeting(meeting.meeting_id))
        roster = await self._roster(uow, meeting)
        names = {s.person_id: s.person_name for s in roster.seats}
        await uow.publications.lock()
        already = {
            (e.document.kind, e.document.decision_id) for e in await uow.publications.of_meeting(meeting.meeting_id)
        }
        now = self._clock()
        docs = publishable_documents(
            meeting, decisions, names=names, already=already, today=now.date(), policy=self.policy
        )
        previous = await uow.publications.last_hash()
        for doc in docs:
            entry = register(doc, previous=previous, published_at=now)
            previous = entry.register_hash
            await uow.publications.add(entry)
            uow.emit(
                DocumentPublished(
                    document_id=doc.document_id,
                    kind=doc.kind.value,
                    meeting_id=doc.meeting_id,
                    decision_id=doc.decision_id,
                    body=doc.body,
                    entity=meeting.entity,
                    title=doc.title,
                    content=doc.content,
                    content_hash=entry.content_hash,
                    register_hash=entry.register_hash,
                    published_at=now,
                    due_on=doc.due_on,
                    on_time=entry.on_time,
                    reportable=doc.reportable,
                ),
                subject_id=str(doc.document_id),
                entity=Entity(meeting.entity.value),
                confidentiality=Confidentiality.PUBLIC,
            )
            if doc.kind is DocumentKind.DECISION_LIST:
                await self._mark_published(uow, [d for d in decisions if d.publishable], now)
        return _accepted(
            cmd.command_id,
            {"meeting_id": str(meeting.meeting_id)},
            published=[{"kind": d.kind.value, "document_id": str(d.document_id), "title": d.title} for d in docs],
        )

    async def _mark_published(self, uow: MeetingsUnitOfWork, decisions: list[DecisionRecord], now: dt.datetime) -> None:
        for record in decisions:
            effective = record.effective_date
            if record.outcome is DecisionOutcome.ADOPTED:
                effective = effective_date(
                    record.kind,
                    record.decided_at.date(),
                    published_on=now.date(),
                    days=self.policy.regulation_effective_days,
                )
            await uow.decisions.update(
                record.model_copy(update={"published_on": now.date(), "effective_date": effective})
            )
