"""The registry of external entities: register, record management agreements, file church documents,
decide within the terms, and let silence decide past them."""

from __future__ import annotations

import uuid

from services.external.domain import events
from services.external.domain.commands import (
    CloseDeadline,
    FileChurchDocument,
    RecordManagementAgreement,
    RegisterEntity,
    ScanDeadlines,
)
from services.external.domain.deadlines import Deadline, EntityTerms
from services.external.domain.registry import ExternalEntity, management_agreement, register
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import CHURCH_COUNCILS

__all__ = ["RegistryCommands", "entity_named"]


async def entity_named(uow: ExternalUnitOfWork, code: str) -> ExternalEntity:
    """The registered entity with `code`, or `unknown_external_entity`."""
    entity = await uow.entities.by_code(code)
    if entity is None:
        raise RuleViolation("unknown_external_entity", f"no external entity {code!r} in the registry")
    return entity


class RegistryCommands:
    """The registry and the terms on its entities' documents, judged on the injected clock."""

    def __init__(self, terms: EntityTerms, clock: Clock) -> None:
        self._terms = terms
        self._clock = clock

    async def register(self, uow: ExternalUnitOfWork, cmd: RegisterEntity) -> Accepted:
        """Enter an entity with its legal form, KBO number and how the municipality is involved."""
        entity = register(
            entity_id=uuid.uuid4(),
            code=cmd.code,
            name=cmd.name,
            legal_form=cmd.legal_form,
            kbo=cmd.kbo,
            involvements=cmd.involvements,
            municipal_entity=cmd.municipal_entity,
            now=self._clock(),
        )
        if not await uow.entities.add(entity):
            raise RuleViolation(
                "external_entity_exists", f"an entity with code {entity.code} or KBO number {entity.kbo} is registered"
            )
        uow.emit(events.EntityRegistered(entity))
        return Accepted(ids={"entity_id": str(entity.entity_id)}, data={"code": entity.code})

    async def record_agreement(self, uow: ExternalUnitOfWork, cmd: RecordManagementAgreement) -> Accepted:
        """Record a management agreement the council approved; each report it asks for becomes a deadline."""
        entity = await entity_named(uow, cmd.entity_code)
        agreement = management_agreement(
            agreement_id=uuid.uuid4(),
            entity=entity,
            title=cmd.title,
            decision_id=cmd.decision_id,
            valid_from=cmd.valid_from,
            valid_until=cmd.valid_until,
            report_due_dates=cmd.report_due_dates,
        )
        if not await uow.agreements.add(agreement):
            raise RuleViolation(
                "agreement_exists", f"{entity.code} has the agreement of decision {cmd.decision_id} already"
            )
        uow.emit(events.ManagementAgreementRecorded(agreement, entity))
        today = self._clock().date()
        deadline_ids = []
        for due in agreement.report_due_dates:
            deadline = self._terms.management_report(
                deadline_id=uuid.uuid4(),
                entity_id=entity.entity_id,
                agreement_id=agreement.agreement_id,
                title=f"{agreement.title}: rapport {due}",
                opened_on=min(today, due),
                due_on=due,
            )
            await self._open(uow, deadline, entity)
            deadline_ids.append(str(deadline.deadline_id))
        return Accepted(ids={"agreement_id": str(agreement.agreement_id)}, data={"report_deadlines": deadline_ids})

    async def file_church_document(self, uow: ExternalUnitOfWork, cmd: FileChurchDocument) -> Accepted:
        """A church council's multi-year plan, budget or accounts came in: the council's term starts."""
        entity = await entity_named(uow, cmd.entity_code)
        if entity.legal_form not in CHURCH_COUNCILS:
            raise RuleViolation("not_a_church_council", f"{entity.code} is a {entity.legal_form.value}")
        if cmd.received_on > self._clock().date():
            raise RuleViolation("received_in_the_future", f"{cmd.received_on} has not come yet")
        deadline = self._terms.church_document(
            deadline_id=uuid.uuid4(),
            entity_id=entity.entity_id,
            kind=cmd.kind,
            title=cmd.title,
            received_on=cmd.received_on,
            advised_on=cmd.advised_on,
        )
        await self._open(uow, deadline, entity)
        return Accepted(
            ids={"deadline_id": str(deadline.deadline_id)},
            data={"due_on": deadline.due_on.isoformat(), "silence": deadline.silence.value},
        )

    async def close_deadline(self, uow: ExternalUnitOfWork, cmd: CloseDeadline) -> Accepted:
        """The council decided within the term (or the report came in): the deadline is met."""
        deadline = await uow.deadlines.get(cmd.deadline_id)
        if deadline is None:
            raise RuleViolation("unknown_deadline", f"no deadline {cmd.deadline_id}")
        on = cmd.on or self._clock().date()
        if on > self._clock().date():
            raise RuleViolation("closed_in_the_future", f"{on} has not come yet")
        met = deadline.close(cmd.outcome, on, cmd.decision_id)
        await uow.deadlines.save(met)
        entity = await uow.entities.by_id(met.entity_id)
        assert entity is not None, "a deadline's entity is registered"
        uow.emit(events.DeadlineMet(met, entity))
        return Accepted(ids={"deadline_id": str(met.deadline_id)}, data={"outcome": str(met.outcome)})

    async def scan_deadlines(self, uow: ExternalUnitOfWork, cmd: ScanDeadlines) -> Accepted:
        """Every open term whose last day is before `as_of` lapses: silence decides, and a task follows.

        Idempotent for a given day: a lapsed deadline never lapses again.
        """
        lapsed = []
        for deadline in await uow.deadlines.open_due_before(cmd.as_of):
            done = deadline.lapse(cmd.as_of)
            if done is None:
                continue
            await uow.deadlines.save(done)
            entity = await uow.entities.by_id(done.entity_id)
            assert entity is not None, "a deadline's entity is registered"
            assert done.closed_on is not None
            uow.emit(events.DeadlineLapsed(done, entity, self._terms.to_follow_up(done, entity.name, done.closed_on)))
            lapsed.append(str(done.deadline_id))
        return Accepted(data={"as_of": cmd.as_of.isoformat(), "lapsed": len(lapsed), "deadlines": lapsed})

    async def _open(self, uow: ExternalUnitOfWork, deadline: Deadline, entity: ExternalEntity) -> None:
        await uow.deadlines.add(deadline)
        uow.emit(events.DeadlineOpened(deadline, entity, self._terms.to_prepare(deadline, entity.name)))
