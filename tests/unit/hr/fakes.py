"""In-memory fakes of hr's ports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.hr.domain.delegations import Delegation
from services.hr.domain.model import HrEffect, StaffMember
from services.hr.domain.personnel import ConsultationFile, DisciplinaryCase, Employment, Evaluation
from shared.contracts.base import LegalEntity
from tests.unit.recording import RecordingOutbox


class FakeHrEffects:
    """`HrEffects` in a dict, unique by decision like the table."""

    def __init__(self) -> None:
        self.by_decision: dict[uuid.UUID, HrEffect] = {}

    async def add(self, effect: HrEffect) -> bool:
        if effect.decision_id in self.by_decision:
            return False
        self.by_decision[effect.decision_id] = effect
        return True

    async def exists(self, decision_id: uuid.UUID) -> bool:
        return decision_id in self.by_decision


class FakeStaff:
    def __init__(self) -> None:
        self.rows: dict[str, StaffMember] = {}

    async def get(self, person_id: str) -> StaffMember | None:
        return self.rows.get(person_id)

    async def save(self, member: StaffMember) -> None:
        self.rows[member.person_id] = member

    async def upsert(self, members: Sequence[StaffMember]) -> None:
        for m in members:
            self.rows[m.person_id] = m

    async def all(self, entity: LegalEntity | None = None) -> list[StaffMember]:
        return sorted((m for m in self.rows.values() if entity is None or m.entity is entity), key=lambda m: m.name)


class FakeEmployments:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Employment] = {}
        self.dismissals: dict[uuid.UUID, uuid.UUID | None] = {}

    async def add(self, employment: Employment) -> None:
        self.rows.setdefault(employment.employment_id, employment)

    async def save(self, employment: Employment, dismissal_decision_id: uuid.UUID | None = None) -> None:
        self.rows[employment.employment_id] = employment
        self.dismissals[employment.employment_id] = dismissal_decision_id

    async def of_person(self, person_id: str) -> list[Employment]:
        return [e for e in self.rows.values() if e.person_id == person_id]


class FakeDelegations:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Delegation] = {}

    async def add(self, delegation: Delegation) -> None:
        self.rows[delegation.delegation_id] = delegation

    async def get(self, delegation_id: uuid.UUID) -> Delegation | None:
        return self.rows.get(delegation_id)

    async def save(self, delegation: Delegation) -> None:
        self.rows[delegation.delegation_id] = delegation

    async def children(self, delegation_id: uuid.UUID) -> list[Delegation]:
        return [d for d in self.rows.values() if d.parent_delegation_id == delegation_id]

    async def all(self) -> list[Delegation]:
        return list(self.rows.values())


class FakeConsultations:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, ConsultationFile] = {}

    async def add(self, file: ConsultationFile) -> None:
        self.rows[file.consultation_id] = file

    async def get(self, consultation_id: uuid.UUID) -> ConsultationFile | None:
        return self.rows.get(consultation_id)

    async def save(self, file: ConsultationFile) -> None:
        self.rows[file.consultation_id] = file


class FakeEvaluations:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Evaluation] = {}

    async def add(self, evaluation: Evaluation) -> None:
        self.rows[evaluation.evaluation_id] = evaluation

    async def get(self, evaluation_id: uuid.UUID) -> Evaluation | None:
        return self.rows.get(evaluation_id)

    async def save(self, evaluation: Evaluation) -> None:
        self.rows[evaluation.evaluation_id] = evaluation


class FakeCases:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, DisciplinaryCase] = {}

    async def add(self, case: DisciplinaryCase) -> None:
        self.rows[case.case_id] = case

    async def get(self, case_id: uuid.UUID) -> DisciplinaryCase | None:
        return self.rows.get(case_id)

    async def save(self, case: DisciplinaryCase) -> None:
        self.rows[case.case_id] = case


class FakeHrUnitOfWork(RecordingOutbox):
    """Every hr repository in memory; events recorded by `RecordingOutbox`."""

    def __init__(self) -> None:
        super().__init__("hr")
        self.effects = FakeHrEffects()
        self.staff = FakeStaff()
        self.employments = FakeEmployments()
        self.delegations = FakeDelegations()
        self.consultations = FakeConsultations()
        self.evaluations = FakeEvaluations()
        self.cases = FakeCases()
