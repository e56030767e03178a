"""The deadline scan: letters, complaints and access requests past their term, as of a day."""

from __future__ import annotations

from services.records.domain import events
from services.records.domain.commands import ScanDeadlines
from services.records.domain.letters import LetterStatus
from services.records.domain.policy import RecordsPolicy
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["DeadlineCommands"]


class DeadlineCommands:
    def __init__(self, policy: RecordsPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def scan(self, uow: RecordsUnitOfWork, cmd: ScanDeadlines) -> Accepted:
        """Mark what is past its term on `as_of` overdue, once each: a second scan changes nothing.

        A late complaint escalates (to the algemeen directeur by default).
        """
        letters = complaints = requests = 0
        for letter in await uow.letters.past_due(cmd.as_of):
            late = letter.model_copy(update={"status": LetterStatus.OVERDUE})
            await uow.letters.put(late)
            uow.emit(events.LetterOverdue(late))
            letters += 1
        for complaint in await uow.complaints.past_due(cmd.as_of):
            if complaint.escalated_on is not None:
                continue
            late_c = complaint.escalated(cmd.as_of)
            await uow.complaints.put(late_c)
            uow.emit(events.ComplaintOverdue(late_c, self._policy.complaint_escalates_to))
            complaints += 1
        for request in await uow.access_requests.past_due(cmd.as_of):
            if request.overdue_since is not None:
                continue
            late_r = request.model_copy(update={"overdue_since": cmd.as_of})
            await uow.access_requests.put(late_r)
            uow.emit(events.AccessRequestOverdue(late_r))
            requests += 1
        return Accepted(data={"letters": letters, "complaints": complaints, "access_requests": requests})
