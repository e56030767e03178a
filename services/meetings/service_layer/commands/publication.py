"""Publication: decision lists, adopted regulations and signed council minutes, each entered in the register."""

from __future__ import annotations

import datetime as dt

from services.meetings.domain import events
from services.meetings.domain.commands import PublishDocuments, ScanPublicationTerms
from services.meetings.domain.decision import DecisionOutcome, DecisionRecord, effective_date
from services.meetings.domain.documents import DocumentKind, district_of, publishable_documents
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.terms import term_notices
from services.meetings.service_layer.commands.common import enter_in_register, item_districts, meeting_of, roster_of
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["PublicationCommands"]


class PublicationCommands:
    """Publish what a closed meeting may publish, within the policy's terms, on the clock's day."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def publish(self, uow: MeetingsUnitOfWork, cmd: PublishDocuments) -> Accepted:
        """Publish what may be published and is not yet, each entered in the register."""
        meeting = await meeting_of(uow, cmd.meeting_id, read_locked=True)
        decisions = list(await uow.decisions.of_meeting(meeting.meeting_id))
        roster = await roster_of(uow, meeting)
        names = {s.person_id: s.person_name for s in roster.seats}
        await uow.publications.lock()
        already = {
            (e.document.kind, e.document.decision_id) for e in await uow.publications.of_meeting(meeting.meeting_id)
        }
        now = self._clock()
        docs = publishable_documents(
            meeting, decisions, names=names, already=already, today=now.date(), policy=self.policy
        )
        districts = await item_districts(uow, meeting)
        decision_items = {d.decision_id: d.item_id for d in decisions}
        for doc in docs:
            district = district_of(doc, districts, decision_items)
            await enter_in_register(uow, doc, entity=meeting.entity, now=now, district=district)
            if doc.kind is DocumentKind.DECISION_LIST:
                await self._mark_published(uow, [d for d in decisions if d.publishable], now)
            if doc.kind is DocumentKind.MINUTES:
                # Published minutes and their meeting never change again: corrections by a new decision.
                await uow.meetings.update(meeting.locked(now))
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id)},
            data={
                "published": [{"kind": d.kind.value, "document_id": str(d.document_id), "title": d.title} for d in docs]
            },
        )

    async def scan_terms(self, uow: MeetingsUnitOfWork, cmd: ScanPublicationTerms) -> Accepted:
        """Raise the follow-up task of each document still owed two days before its term runs out, and announce
        each term missed the day after; every notice once (the meeting keeps which it gave)."""
        as_of = cmd.as_of or self._clock().date()
        nearing = missed = 0
        for found in await uow.meetings.closed_unlocked():
            published = {e.document.kind for e in await uow.publications.of_meeting(found.meeting_id)}
            notices = term_notices(found, published, as_of=as_of, policy=self.policy)
            if not notices:
                continue
            meeting = await meeting_of(uow, found.meeting_id)
            notices = term_notices(meeting, published, as_of=as_of, policy=self.policy)
            for notice in notices:
                if notice.notice == "nearing":
                    nearing += 1
                    uow.emit(
                        events.PublicationTermNearing(
                            meeting_id=meeting.meeting_id,
                            body=meeting.body,
                            entity=meeting.entity,
                            document_kind=notice.document_kind,
                            due_on=notice.due_on,
                        )
                    )
                else:
                    missed += 1
                    uow.emit(
                        events.PublicationTermMissed(
                            meeting_id=meeting.meeting_id,
                            body=meeting.body,
                            entity=meeting.entity,
                            document_kind=notice.document_kind,
                            due_on=notice.due_on,
                            missed_on=as_of,
                        )
                    )
            given = (*meeting.term_notices, *(n.key for n in notices))
            await uow.meetings.update(meeting.model_copy(update={"term_notices": given}))
        return Accepted(data={"as_of": as_of.isoformat(), "nearing": nearing, "missed": missed})

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
