"""Evaluations: personal records with a result, never announced."""

from __future__ import annotations

import uuid

from services.hr.domain.commands import ConcludeEvaluation, OpenEvaluation
from services.hr.domain.personnel import conclude_evaluation, open_evaluation
from services.hr.service_layer.authority import StaffAuthority
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["PersonnelCommands"]


class PersonnelCommands:
    """Evaluations; who is in service is judged today (the clock)."""

    def __init__(self, clock: Clock, authority: StaffAuthority) -> None:
        self._clock = clock
        self._authority = authority

    async def open_evaluation(self, uow: HrUnitOfWork, cmd: OpenEvaluation) -> Accepted:
        """Start an evaluation (a record; personal data, no event); the hr authority of the entity opens it."""
        await self._authority.require_staff_authority(uow, cmd.by, cmd.entity)
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
        """The evaluator named at the opening, or the hr authority of the entity, records the result."""
        evaluation = await uow.evaluations.get(cmd.evaluation_id)
        if evaluation is None:
            raise RuleViolation("unknown_evaluation", f"no evaluation {cmd.evaluation_id}")
        if cmd.by != evaluation.evaluator_person_id:
            await self._authority.require_staff_authority(uow, cmd.by, evaluation.entity)
        await uow.evaluations.save(conclude_evaluation(evaluation, cmd.result, cmd.note))
        return Accepted(ids={"evaluation_id": str(evaluation.evaluation_id)})
