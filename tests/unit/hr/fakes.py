"""In-memory fakes of hr's ports."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from services.hr.adapters.translation import outgoing
from services.hr.domain.delegations import Delegation
from services.hr.domain.discipline import DisciplinaryCase
from services.hr.domain.model import HrEffect, StaffMember
from services.hr.domain.personnel import ConsultationFile, Employment, Evaluation
from services.hr.service_layer.ports import StaffLoad
from shared.vocabulary import LegalEntity
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

    async def upsert(self, members: Sequence[StaffMember]) -> StaffLoad:
        inserted = updated = 0
        for m in members:
            before = self.rows.get(m.person_id)
            inserted += before is None
            updated += before is not None and before != m
            self.rows[m.person_id] = m
        return StaffLoad(inserted, updated, len(members) - inserted - updated)

    async def all(self, entity: LegalEntity | None = None) -> list[StaffMember]:
        return sorted((m for m in self.rows.values() if entity is None or m.entity is entity), key=lambda m: m.name)


class FakeEmployments:
    """Added once by id; a save records only the end, like the SQL update."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Employment] = {}
        self.dismissals: dict[uuid.UUID, uuid.UUID | None] = {}

    async def add(self, employment: Employment) -> None:
        self.rows.setdefault(employment.employment_id, employment)

    async def save(self, employment: Employment, dismissal_decision_id: uuid.UUID | None = None) -> None:
        stored = self.rows.get(employment.employment_id)
        if stored is not None:
            self.rows[employment.employment_id] = dataclasses.replace(stored, end_date=employment.end_date)
            self.dismissals[employment.employment_id] = dismissal_decision_id

    async def of_person(self, person_id: str) -> list[Employment]:
        return sorted((e for e in self.rows.values() if e.person_id == person_id), key=lambda e: e.start_date)


class FakeDelegations:
    """By id; a save records only the revocation, like the SQL update; listed by start, then id."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Delegation] = {}

    async def add(self, delegation: Delegation) -> None:
        self.rows[delegation.delegation_id] = delegation

    async def get(self, delegation_id: uuid.UUID) -> Delegation | None:
        return self.rows.get(delegation_id)

    async def save(self, delegation: Delegation) -> None:
        stored = self.rows.get(delegation.delegation_id)
        if stored is not None:
            self.rows[delegation.delegation_id] = dataclasses.replace(
                stored, revoked_at=delegation.revoked_at, revoke_reason=delegation.revoke_reason
            )

    async def children(self, delegation_id: uuid.UUID) -> list[Delegation]:
        return [d for d in self.rows.values() if d.parent_delegation_id == delegation_id]

    async def all(self) -> list[Delegation]:
        return sorted(self.rows.values(), key=lambda d: (d.valid_from, d.delegation_id))


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
        super().__init__("hr", outgoing)
        self.effects = FakeHrEffects()
        self.staff = FakeStaff()
        self.employments = FakeEmployments()
        self.delegations = FakeDelegations()
        self.consultations = FakeConsultations()
        self.evaluations = FakeEvaluations()
        self.cases = FakeCases()
