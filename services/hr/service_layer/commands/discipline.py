"""Disciplinary cases: opened, investigated, the hearing, and a sanction by its competent authority.

A body's sanction comes from its adopted decision (`reactions`); the algemeen directeur's is
`impose_sanction`. Both pass `discipline_refusal` and are applied by `apply`: no bare command
imposes anything.
"""

from __future__ import annotations

import dataclasses
import uuid

from services.hr.domain import events
from services.hr.domain.commands import AdvanceDisciplinaryCase, ImposeSanction, OpenDisciplinaryCase, RecordHearing
from services.hr.domain.discipline import (
    ALGEMEEN_DIRECTEUR,
    DisciplinaryCase,
    DisciplinePolicy,
    Sanctioning,
    advance_case,
    discipline_refusal,
    employment_of,
    impose,
    open_case,
    record_hearing,
)
from services.hr.domain.personnel import service_after
from services.hr.service_layer.authority import StaffAuthority
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, Refusal, RuleViolation, refuse
from shared.vocabulary import Confidentiality

__all__ = ["DisciplineCommands"]


class DisciplineCommands:
    """Cases under `DisciplinePolicy`, carried out by the hr authority (`StaffAuthority`) of the case's entity."""

    def __init__(
        self, policy: DisciplinePolicy, clock: Clock, authority: StaffAuthority, *, require_secret_ballot: bool
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._authority = authority
        self._require_secret_ballot = require_secret_ballot

    async def open_case(self, uow: HrUnitOfWork, cmd: OpenDisciplinaryCase) -> Accepted:
        """Open a case about the person's statutory employment; refused for contractual staff."""
        await self._authority.require_staff_authority(uow, cmd.opened_by, cmd.entity)
        case = open_case(
            case_id=uuid.uuid4(),
            person_id=cmd.person_id,
            entity=cmd.entity,
            facts=cmd.facts,
            opened_by=cmd.opened_by,
            employments=await uow.employments.of_person(cmd.person_id),
            on=self._clock().date(),
        )
        await uow.cases.add(case)
        return Accepted(ids={"case_id": str(case.case_id), "employment_id": str(case.employment_id)})

    async def advance_case(self, uow: HrUnitOfWork, cmd: AdvanceDisciplinaryCase) -> Accepted:
        """On to the investigation, or closed without a sanction."""
        case = await _case(uow, cmd.case_id)
        await self._authority.require_staff_authority(uow, cmd.by, case.entity)
        updated = advance_case(case, cmd.to_state, cmd.sanction, cmd.note)
        await uow.cases.save(updated)
        return Accepted(ids={"case_id": str(case.case_id)}, data={"state": updated.state.value})

    async def record_hearing(self, uow: HrUnitOfWork, cmd: RecordHearing) -> Accepted:
        """The staff member was heard, with their defence: now a decision may follow."""
        case = await _case(uow, cmd.case_id)
        await self._authority.require_staff_authority(uow, cmd.by, case.entity)
        heard = record_hearing(case, cmd.heard_on, cmd.defence, self._clock().date())
        await uow.cases.save(heard)
        return Accepted(ids={"case_id": str(case.case_id)}, data={"state": heard.state.value})

    async def impose_sanction(self, uow: HrUnitOfWork, cmd: ImposeSanction) -> Accepted:
        """The algemeen directeur's own decision: the same hearing, reasons and competence rules as a body's."""
        case = await _case(uow, cmd.case_id)
        await self._authority.require_algemeen_directeur(uow, cmd.decided_by, case.entity)
        today = self._clock().date()
        decision = Sanctioning(
            case_id=cmd.case_id,
            sanction=cmd.sanction,
            reasons=cmd.reasons,
            authority=ALGEMEEN_DIRECTEUR,
            decided_on=today,
            takes_effect_on=cmd.takes_effect_on or today,
            decision_id=uuid.uuid4(),
        )
        refuse(await self.refusal(uow, decision))
        case = await self.apply(uow, decision, Confidentiality.CLOSED)
        return Accepted(
            ids={"case_id": str(case.case_id), "decision_id": str(decision.decision_id)},
            data={"state": case.state.value, "sanction": decision.sanction},
        )

    async def refusal(self, uow: HrUnitOfWork, decision: Sanctioning) -> Refusal | None:
        """Why `apply` cannot impose this decision's sanction, or None when it can."""
        case = await uow.cases.get(decision.case_id)
        employments = await uow.employments.of_person(case.person_id) if case is not None else []
        return discipline_refusal(
            case,
            decision,
            employments,
            policy=self._policy,
            require_secret_ballot=self._require_secret_ballot,
        )

    async def apply(
        self, uow: HrUnitOfWork, decision: Sanctioning, confidentiality: Confidentiality
    ) -> DisciplinaryCase:
        """Impose the sanction `refusal` let pass; one that ends the employment ends that employment only."""
        case = await _case(uow, decision.case_id)
        employments = await uow.employments.of_person(case.person_id)
        employment = employment_of(case, employments, decision.decided_on)
        assert employment is not None, "discipline_refusal refuses a case without its employment"
        sanctioned = dataclasses.replace(impose(case, decision), employment_id=employment.employment_id)
        await uow.cases.save(sanctioned)
        ends = decision.sanction in self._policy.ending_sanctions
        if ends:
            ended = dataclasses.replace(employment, end_date=decision.takes_effect_on)
            await uow.employments.save(ended, decision.decision_id)
            remains, until = service_after(ended if e.employment_id == ended.employment_id else e for e in employments)
            uow.emit(
                events.StaffDismissed(
                    employment_id=ended.employment_id,
                    person_id=ended.person_id,
                    entity=ended.entity,
                    end_date=decision.takes_effect_on,
                    decision_id=decision.decision_id,
                    confidentiality=confidentiality,
                    remains_employed=remains,
                    in_service_until=until,
                    cause=decision.sanction,
                )
            )
        uow.emit(
            events.DisciplineImposed(
                case_id=case.case_id,
                person_id=case.person_id,
                entity=case.entity,
                employment_id=employment.employment_id,
                sanction=decision.sanction,
                authority=decision.authority,
                decision_id=decision.decision_id,
                decided_on=decision.decided_on,
                takes_effect_on=decision.takes_effect_on,
                ends_employment=ends,
                confidentiality=confidentiality,
            )
        )
        return sanctioned


async def _case(uow: HrUnitOfWork, case_id: uuid.UUID) -> DisciplinaryCase:
    case = await uow.cases.get(case_id)
    if case is None:
        raise RuleViolation("unknown_case", f"no disciplinary case {case_id}")
    return case
