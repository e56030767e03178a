"""Union consultation files, evaluations and disciplinary cases in PostgreSQL; never commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.hr.adapters.tables import consultations, disciplinary_cases, evaluations
from services.hr.domain.discipline import CaseState, DisciplinaryCase
from services.hr.domain.personnel import ConsultationFile, Evaluation
from shared.vocabulary import LegalEntity

__all__ = ["SqlConsultations", "SqlDisciplinaryCases", "SqlEvaluations"]


class SqlConsultations:
    """Union consultation files; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, file: ConsultationFile) -> None:
        await self._session.execute(pg_insert(consultations).values(**_consultation_values(file)))

    async def get(self, consultation_id: uuid.UUID) -> ConsultationFile | None:
        stmt = select(consultations).where(consultations.c.consultation_id == consultation_id).with_for_update()
        r = (await self._session.execute(stmt)).first()
        if r is None:
            return None
        return ConsultationFile(
            r.consultation_id,
            r.topic,
            LegalEntity(r.entity),
            r.invitation_sent_on,
            r.meeting_on,
            r.protocol_reference,
            r.concluded_on,
        )

    async def save(self, file: ConsultationFile) -> None:
        values = _consultation_values(file)
        await self._session.execute(
            update(consultations).where(consultations.c.consultation_id == file.consultation_id).values(values)
        )


def _consultation_values(f: ConsultationFile) -> dict[str, Any]:
    return {
        "consultation_id": f.consultation_id,
        "topic": f.topic,
        "entity": f.entity.value,
        "invitation_sent_on": f.invitation_sent_on,
        "meeting_on": f.meeting_on,
        "protocol_reference": f.protocol_reference,
        "concluded_on": f.concluded_on,
    }


class SqlEvaluations:
    """Evaluations; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, evaluation: Evaluation) -> None:
        await self._session.execute(pg_insert(evaluations).values(**_evaluation_values(evaluation)))

    async def get(self, evaluation_id: uuid.UUID) -> Evaluation | None:
        stmt = select(evaluations).where(evaluations.c.evaluation_id == evaluation_id).with_for_update()
        r = (await self._session.execute(stmt)).first()
        if r is None:
            return None
        return Evaluation(
            r.evaluation_id,
            r.person_id,
            LegalEntity(r.entity),
            r.evaluator_person_id,
            r.period,
            r.state,
            r.result,
            r.note,
        )

    async def save(self, evaluation: Evaluation) -> None:
        await self._session.execute(
            update(evaluations)
            .where(evaluations.c.evaluation_id == evaluation.evaluation_id)
            .values(_evaluation_values(evaluation))
        )


def _evaluation_values(e: Evaluation) -> dict[str, Any]:
    return {
        "evaluation_id": e.evaluation_id,
        "person_id": e.person_id,
        "entity": e.entity.value,
        "evaluator_person_id": e.evaluator_person_id,
        "period": e.period,
        "state": e.state,
        "result": e.result,
        "note": e.note,
    }


class SqlDisciplinaryCases:
    """Disciplinary cases; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, case: DisciplinaryCase) -> None:
        await self._session.execute(pg_insert(disciplinary_cases).values(**_case_values(case)))

    async def get(self, case_id: uuid.UUID) -> DisciplinaryCase | None:
        stmt = select(disciplinary_cases).where(disciplinary_cases.c.case_id == case_id).with_for_update()
        r = (await self._session.execute(stmt)).first()
        if r is None:
            return None
        return DisciplinaryCase(
            case_id=r.case_id,
            person_id=r.person_id,
            entity=LegalEntity(r.entity),
            facts=r.facts,
            opened_by=r.opened_by,
            state=CaseState(r.state),
            sanction=r.sanction,
            history=tuple((str(s), str(n)) for s, n in r.history),
            employment_id=r.employment_id,
            heard_on=r.heard_on,
            defence=r.defence,
            decision_id=r.decision_id,
            authority=r.authority,
            reasons=r.reasons,
            decided_on=r.decided_on,
        )

    async def save(self, case: DisciplinaryCase) -> None:
        await self._session.execute(
            update(disciplinary_cases).where(disciplinary_cases.c.case_id == case.case_id).values(_case_values(case))
        )


def _case_values(c: DisciplinaryCase) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "person_id": c.person_id,
        "entity": c.entity.value,
        "facts": c.facts,
        "opened_by": c.opened_by,
        "state": c.state.value,
        "sanction": c.sanction,
        "history": [list(h) for h in c.history],
        "employment_id": c.employment_id,
        "heard_on": c.heard_on,
        "defence": c.defence,
        "decision_id": c.decision_id,
        "authority": c.authority,
        "reasons": c.reasons,
        "decided_on": c.decided_on,
    }
