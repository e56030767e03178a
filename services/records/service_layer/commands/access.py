"""Access to documents: register, extend with a reason, decide on the closed list of grounds."""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.domain import events
from services.records.domain.access import AccessRequest, deciding_delegation
from services.records.domain.archive import ArchiveRecord
from services.records.domain.commands import DecideAccessRequest, ExtendAccessRequest, RegisterAccessRequest
from services.records.domain.policy import RecordsPolicy
from services.records.service_layer.filing import file_record
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import Confidentiality

__all__ = ["AccessCommands"]


async def _request(uow: RecordsUnitOfWork, request_id: uuid.UUID) -> AccessRequest:
    found = await uow.access_requests.get(request_id)
    if found is None:
        raise RuleViolation("unknown_access_request", f"no access request {request_id}")
    return found


class AccessCommands:
    def __init__(self, policy: RecordsPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def register(self, uow: RecordsUnitOfWork, cmd: RegisterAccessRequest) -> Accepted:
        """Register the request today: the 20 days run from tomorrow (II.30)."""
        confidentiality = None
        if cmd.record_id is not None:
            record = await uow.archive.get(cmd.record_id)
            if record is None:
                raise RuleViolation("unknown_record", f"no archive record {cmd.record_id}")
            confidentiality = record.confidentiality
        today = self._clock().date()
        request = AccessRequest(
            request_id=uuid.uuid4(),
            entity=cmd.entity,
            applicant=cmd.applicant,
            address=cmd.address,
            document=cmd.document,
            record_id=cmd.record_id,
            record_confidentiality=confidentiality,
            form=cmd.form,
            channel=cmd.channel,
            registered_on=today,
            due_on=today + dt.timedelta(days=self._policy.access_decision_days),
        )
        await uow.access_requests.add(request)
        uow.emit(events.AccessRequestRegistered(request))
        return Accepted(ids={"request_id": str(request.request_id)}, data={"due_on": str(request.due_on)})

    async def extend(self, uow: RecordsUnitOfWork, cmd: ExtendAccessRequest) -> Accepted:
        """Extend the term to 40 days, with the reason, by the AD or a delegate, within the first term."""
        request = await _request(uow, cmd.request_id)
        now = self._clock()
        deciding_delegation(cmd.person_id, request.entity, now, await uow.delegations.listing(), self._policy)
        done = request.extended(cmd.reason, now.date(), self._policy)
        await uow.access_requests.put(done)
        uow.emit(events.AccessRequestExtended(done))
        return Accepted(ids={"request_id": str(done.request_id)}, data={"due_on": str(done.due_on)})

    async def decide(self, uow: RecordsUnitOfWork, cmd: DecideAccessRequest) -> Accepted:
        """Decide by the AD or a delegate; the applicant is told the outcome, the appeal route and its term."""
        request = await _request(uow, cmd.request_id)
        now = self._clock()
        deciding_delegation(cmd.person_id, request.entity, now, await uow.delegations.listing(), self._policy)
        done = request.decided(
            person_id=cmd.person_id,
            outcome=cmd.outcome,
            grounds=cmd.grounds,
            redactions=cmd.redactions,
            today=now.date(),
            policy=self._policy,
        )
        await uow.access_requests.put(done)
        on_time = now.date() <= request.due_on
        uow.emit(events.AccessRequestDecided(done, on_time, self._policy.access_appeal_body))
        await file_record(
            uow,
            ArchiveRecord.filed(
                source=f"access:{done.request_id}",
                series_code="access-requests",
                entity=done.entity,
                title=f"Openbaarheid: {done.outcome} ({done.registered_on})",
                dated=now.date(),
                confidentiality=Confidentiality.CLOSED,
            ),
        )
        return Accepted(
            ids={"request_id": str(done.request_id)},
            data={"outcome": cmd.outcome, "appeal_until": str(done.appeal_until), "on_time": on_time},
        )
