"""What organisation does when other services tell it something; the messaging wrapper commits.

meetings' adopted decisions become follow-up tasks (and an adopted organogram applies); finance's
exhausted credits become a task for the financial service; hr's delegations and staff decide who
can own tasks.
"""

from __future__ import annotations

import datetime as dt
import uuid

from services.organisation.domain import events
from services.organisation.domain.commands import (
    FollowUpDecision,
    FollowUpExhaustedCredit,
    FollowUpExternalDeadline,
    FollowUpLetter,
    FollowUpPublication,
    RecordDelegate,
    RecordStaffAppointed,
    RecordStaffDismissed,
    RevokeDelegate,
)
from services.organisation.domain.model import ORGANOGRAM_BODIES, Delegate, Organogram, Person, plan_tasks
from services.organisation.domain.policy import TaskPolicy
from services.organisation.service_layer.commands.organogram import adoptable_draft
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.clock import Clock
from shared.logging import get_logger
from shared.vocabulary import Confidentiality, DecisionKind, FollowUpAction, FollowUpKind, LegalEntity

__all__ = ["OrganisationReactions"]

log = get_logger(__name__)


class OrganisationReactions:
    """Tasks from decisions and credits, once each however often the news arrives; hr's read model."""

    def __init__(self, policy: TaskPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def follow_up_decision(self, uow: OrganisationUnitOfWork, cmd: FollowUpDecision) -> None:
        """One task per follow-up action, owned by the unit's head or its delegate; never doubled.

        An organogram decision of a council also applies the draft it names from its effective date
        (refused, and dead-lettered, when that is no draft). An action naming an unknown unit
        dead-letters the decision (`unknown_unit`).
        """
        if cmd.kind is DecisionKind.ORGANOGRAM:
            await _apply_adopted_organogram(uow, cmd)
        await self._create_tasks(
            uow,
            decision_id=cmd.decision_id,
            entity=cmd.entity,
            actions=cmd.actions,
            decided_at=cmd.decided_at,
            confidentiality=cmd.confidentiality,
            district=cmd.district,
        )

    async def follow_up_publication(self, uow: OrganisationUnitOfWork, cmd: FollowUpPublication) -> None:
        """The secretariat gets a task to publish a meeting's document before its term runs out; once per
        document and term, however often the news arrives."""
        action = cmd.action.model_copy(update={"unit_code": self._policy.publication_follow_up_unit})
        await self._create_tasks(
            uow,
            decision_id=uuid.uuid5(cmd.meeting_id, f"publication:{cmd.document_kind}"),
            entity=cmd.entity,
            actions=(action,),
            decided_at=self._clock(),
            confidentiality=Confidentiality.PUBLIC,
        )

    async def follow_up_exhausted_credit(self, uow: OrganisationUnitOfWork, cmd: FollowUpExhaustedCredit) -> None:
        """A decision that no longer fits its credit gets a task for the financial service."""
        now = self._clock()
        action = self._policy.credit_follow_up(
            credit_key=cmd.credit_key, amount=cmd.amount, available=cmd.available, on=now.date()
        )
        await self._create_tasks(
            uow,
            decision_id=cmd.decision_id,
            entity=cmd.entity,
            actions=(action,),
            decided_at=now,
            confidentiality=cmd.confidentiality,
        )

    async def follow_up_letter(self, uow: OrganisationUnitOfWork, cmd: FollowUpLetter) -> None:
        """A letter registered in records becomes a task for the unit that handles it, due by its term.

        The task hangs off the letter's id where a decision's tasks hang off the decision's, so news
        of the same letter twice makes one task.
        """
        action = FollowUpAction(
            action_id="answer-letter",
            kind=FollowUpKind.EXECUTE,
            description=f"Brief beantwoorden van {cmd.sender}: {cmd.subject}"[:500],
            unit_code=cmd.unit_code,
            due_date=cmd.due_on,
        )
        await self._create_tasks(
            uow,
            decision_id=cmd.letter_id,
            entity=cmd.entity,
            actions=(action,),
            decided_at=dt.datetime.combine(cmd.received_on, dt.time(), tzinfo=dt.UTC),
            confidentiality=cmd.confidentiality,
        )

    async def follow_up_external_deadline(self, uow: OrganisationUnitOfWork, cmd: FollowUpExternalDeadline) -> None:
        """A term on an external entity's document gives the unit that follows it up a task: to bring the
        document before the council in time, or to tell the entity what silence decided."""
        await self._create_tasks(
            uow,
            decision_id=cmd.deadline_id,
            entity=cmd.entity,
            actions=(cmd.action,),
            decided_at=cmd.at,
            confidentiality=cmd.confidentiality,
        )

    async def record_delegation_granted(self, uow: OrganisationUnitOfWork, cmd: RecordDelegate) -> None:
        """A person-to-person delegation may make the delegate the owner of the grantor's tasks."""
        await uow.delegates.upsert(
            Delegate(
                delegation_id=cmd.delegation_id,
                from_person_id=cmd.from_person_id,
                to_person_id=cmd.to_person_id,
                power=cmd.power,
                entity=cmd.entity,
                valid_from=cmd.valid_from,
                valid_until=cmd.valid_until,
            )
        )

    async def record_delegation_revoked(self, uow: OrganisationUnitOfWork, cmd: RevokeDelegate) -> None:
        """Revoked delegations no longer give tasks to the delegate."""
        await uow.delegates.revoke(cmd.delegation_id, cmd.on)

    async def record_staff_appointed(self, uow: OrganisationUnitOfWork, cmd: RecordStaffAppointed) -> None:
        """A new colleague (or one appointed again) can own tasks."""
        await uow.persons.upsert(Person(cmd.person_id, cmd.name, active=True))

    async def record_staff_dismissed(self, uow: OrganisationUnitOfWork, cmd: RecordStaffDismissed) -> None:
        """An employment ended: the person leaves the service only when no employment runs, from the day after
        the last one ends.

        That day may have passed when the news arrives, or lie ahead: who owns tasks is judged against
        it on each day (`Person.active_on`), so a future end takes effect when its day comes. From
        then on their units' tasks go to the next level.
        """
        await uow.persons.set_inactive_from(cmd.person_id, cmd.inactive_from)

    async def _create_tasks(
        self,
        uow: OrganisationUnitOfWork,
        *,
        decision_id: uuid.UUID,
        entity: LegalEntity,
        actions: tuple[FollowUpAction, ...],
        decided_at: dt.datetime,
        confidentiality: Confidentiality,
        district: str | None = None,
    ) -> None:
        if not actions:
            return
        organogram = await uow.organogram.at(decided_at.date())
        tasks = plan_tasks(
            decision_id=decision_id,
            entity=entity,
            actions=actions,
            decided_at=decided_at,
            organogram=organogram,
            policy=self._policy,
            now=self._clock(),
            delegates=await _delegates_of(uow, organogram),
            confidentiality=confidentiality,
            district=district,
        )
        for task in tasks:
            if await uow.tasks.add_if_new(task):
                uow.emit(events.TaskCreated.of(task))


async def _delegates_of(uow: OrganisationUnitOfWork, organogram: Organogram) -> list[Delegate]:
    heads = sorted({u.head for u in organogram.units.values() if u.head})
    return await uow.delegates.of_persons(heads) if heads else []


async def _apply_adopted_organogram(uow: OrganisationUnitOfWork, cmd: FollowUpDecision) -> None:
    """The draft the council's decision names applies from the decision's effective date (once).

    The organogram is one for both entities: when the other council adopted the same version
    already, this decision concurs and changes nothing.
    """
    if cmd.body not in ORGANOGRAM_BODIES:
        log.warning("organogram decision of a body that cannot adopt one", body=cmd.body.value)
        return
    if await uow.organogram.applied_by(cmd.decision_id) is not None:
        return
    if cmd.organogram_version is not None:
        named = await uow.organogram.version(cmd.organogram_version)
        if named is not None and not named.draft:
            log.info("organogram adopted already", version=cmd.organogram_version, body=cmd.body.value)
            return
    version = await adoptable_draft(uow, cmd.organogram_version)
    await uow.organogram.apply_draft(version, cmd.effective_date, cmd.decision_id)
    draft = await uow.organogram.at(cmd.effective_date)
    uow.emit(
        events.OrganogramApplied(
            version=version, valid_from=cmd.effective_date, unit_count=len(draft.units), decision_id=cmd.decision_id
        )
    )
