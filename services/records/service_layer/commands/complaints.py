"""Complaints: register, acknowledge, assign an independent handler, answer; late ones escalate."""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.domain import events
from services.records.domain.archive import ArchiveRecord
from services.records.domain.commands import AcknowledgeComplaint, AnswerComplaint, AssignComplaint, RegisterComplaint
from services.records.domain.complaints import Complaint
from services.records.domain.policy import RecordsPolicy
from services.records.service_layer.filing import file_record
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import Confidentiality

__all__ = ["ComplaintCommands"]


async def _complaint(uow: RecordsUnitOfWork, complaint_id: uuid.UUID) -> Complaint:
    found = await uow.complaints.get(complaint_id)
    if found is None:
        raise RuleViolation("unknown_complaint", f"no complaint {complaint_id}")
    return found


class ComplaintCommands:
    def __init__(self, policy: RecordsPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def register(self, uow: RecordsUnitOfWork, cmd: RegisterComplaint) -> Accepted:
        """Register a complaint; the reglement's term runs from the day it was received."""
        if cmd.received_on > self._clock().date():
            raise RuleViolation("received_in_future", f"a complaint received on {cmd.received_on} is not here yet")
        complaint = Complaint(
            complaint_id=uuid.uuid4(),
            entity=cmd.entity,
            complainant=cmd.complainant,
            subject=cmd.subject,
            service_concerned=cmd.service_concerned,
            received_on=cmd.received_on,
            channel=cmd.channel,
            due_on=cmd.received_on + dt.timedelta(days=self._policy.complaint_answer_days),
            acknowledge_by=cmd.received_on + dt.timedelta(days=self._policy.complaint_acknowledge_days),
        )
        await uow.complaints.add(complaint)
        uow.emit(events.ComplaintRegistered(complaint))
        return Accepted(ids={"complaint_id": str(complaint.complaint_id)}, data={"due_on": str(complaint.due_on)})

    async def acknowledge(self, uow: RecordsUnitOfWork, cmd: AcknowledgeComplaint) -> Accepted:
        """Confirm receipt to the complainant (today)."""
        done = (await _complaint(uow, cmd.complaint_id)).acknowledged(self._clock().date())
        await uow.complaints.put(done)
        uow.emit(events.ComplaintAcknowledged(done))
        return Accepted(ids={"complaint_id": str(done.complaint_id)})

    async def assign(self, uow: RecordsUnitOfWork, cmd: AssignComplaint) -> Accepted:
        """Give the complaint to a handler outside the service concerned."""
        done = (await _complaint(uow, cmd.complaint_id)).assigned(cmd.handler_person_id, cmd.handler_unit)
        await uow.complaints.put(done)
        return Accepted(ids={"complaint_id": str(done.complaint_id)})

    async def answer(self, uow: RecordsUnitOfWork, cmd: AnswerComplaint) -> Accepted:
        """The handler answers; an answer after the term escalates the complaint if it was not yet.

        The answered file goes into the archive (complaints series).
        """
        today = self._clock().date()
        done = (await _complaint(uow, cmd.complaint_id)).answered_by(cmd.person_id, cmd.outcome, cmd.answer, today)
        if done.late(today) and done.escalated_on is None:
            done = done.escalated(today)
            uow.emit(events.ComplaintOverdue(done, self._policy.complaint_escalates_to))
        await uow.complaints.put(done)
        uow.emit(events.ComplaintAnswered(done))
        await file_record(
            uow,
            ArchiveRecord.filed(
                source=f"complaint:{done.complaint_id}",
                series_code="complaints",
                entity=done.entity,
                title=f"Klacht over {done.service_concerned} ({done.received_on})",
                dated=today,
                confidentiality=Confidentiality.CLOSED,
            ),
        )
        return Accepted(ids={"complaint_id": str(done.complaint_id)}, data={"on_time": not done.late(today)})
