"""Evaluations and disciplinary cases: personal records with procedure states, never announced."""

from __future__ import annotations

import uuid

from services.hr.domain.commands import (
    AdvanceDisciplinaryCase,
    ConcludeEvaluation,
    OpenDisciplinaryCase,
    OpenEvaluation,
)
from services.hr.domain.personnel import (
    DisciplinePolicy,
    advance_case,
    conclude_evaluation,
    open_case,
    open_evaluation,
)
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["PersonnelCommands"]


class PersonnelCommands:
    """Evaluations and discipline (`DisciplinePolicy`'s sanctions); who is in service is judged today."""

    def __init__(self, policy: DisciplinePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def open_evaluation(self, uow: HrUnitOfWork, cmd: OpenEvaluation) -> Accepted:
        """Start an evaluation (a record; personal data, no event)."""
        evaluation = open_evaluation(
            evaluation_id=uuid.uuid4(),
            person_id=cmd.person_id,
            entity=cmd.entity,
            evaluator_person_id=cmd.evaluator_person_id,
            period=cmd.period,
            employments=await uow.employments.of_person(cmd.person_id),
            on=self._clock().date(),
        )
        await uow.evaluations.add(evaluation)
        return Accepted(ids={"evaluation_id": str(evaluation.evaluation_id)})

    async def conclude_evaluation(self, uow: HrUnitOfWork, cmd: ConcludeEvaluation) -> Accepted:
        """Record the result of an evaluation."""
        evaluation = await uow.evaluations.get(cmd.evaluation_id)
        if evaluation is None:
            raise RuleViolation("unknown_evaluation", f"no evaluation {cmd.evaluation_id}")
        await uow.evaluations.save(conclude_evaluation(evaluation, cmd.result, cmd.note))
        return Accepted(ids={"evaluation_id": str(evaluation.evaluation_id)})

    async def open_case(self, uow: HrUnitOfWork, cmd: OpenDisciplinaryCase) -> Accepted:
        """Open a case; refused for contractual staff (`discipline_statutory_only`)."""
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
        return Accepted(ids={"case_id": str(case.case_id)})

    async def advance_case(self, uow: HrUnitOfWork, cmd: AdvanceDisciplinaryCase) -> Accepted:
        """Move a case on to its next procedural state."""
        case = await uow.cases.get(cmd.case_id)
        if case is None:
            raise RuleViolation("unknown_case", f"no disciplinary case {cmd.case_id}")
        updated = advance_case(case, cmd.to_state, cmd.sanction, cmd.note, self._policy)
        await uow.cases.save(updated)
        return Accepted(ids={"case_id": str(case.case_id)}, data={"state": updated.state.value})
