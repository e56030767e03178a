"""What commands, reactions and views need from persistence and messaging; SQL and fakes implement it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from services.hr.domain.delegations import Delegation
from services.hr.domain.discipline import DisciplinaryCase
from services.hr.domain.model import HrEffect, StaffMember
from services.hr.domain.personnel import ConsultationFile, Employment, Evaluation
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import LegalEntity

__all__ = [
    "Consultations",
    "Delegations",
    "DisciplinaryCases",
    "Employments",
    "Evaluations",
    "HrEffects",
    "HrUnitOfWork",
    "Staff",
    "StaffLoad",
]


@dataclass(frozen=True)
class StaffLoad:
    """How a load changed the staff list."""

    inserted: int
    updated: int
    unchanged: int


class HrEffects(Protocol):
    async def add(self, effect: HrEffect) -> bool:
        """Record the effect; False when the decision already has one."""
        ...

    async def exists(self, decision_id: uuid.UUID) -> bool: ...


class Staff(Protocol):
    async def get(self, person_id: str) -> StaffMember | None: ...

    async def save(self, member: StaffMember) -> None: ...

    async def upsert(self, members: Sequence[StaffMember]) -> StaffLoad:
        """Insert new members and bring changed ones in line; identical ones are left alone."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[StaffMember]: ...


class Employments(Protocol):
    async def add(self, employment: Employment) -> None: ...

    async def save(self, employment: Employment, dismissal_decision_id: uuid.UUID | None = None) -> None: ...

    async def of_person(self, person_id: str) -> list[Employment]: ...


class Delegations(Protocol):
    async def add(self, delegation: Delegation) -> None: ...

    async def get(self, delegation_id: uuid.UUID) -> Delegation | None:
        """The delegation, locked for this transaction."""
        ...

    async def save(self, delegation: Delegation) -> None: ...

    async def children(self, delegation_id: uuid.UUID) -> list[Delegation]: ...

    async def all(self) -> list[Delegation]:
        """Every delegation (a few hundred at most), for checks that follow chains."""
        ...


class Consultations(Protocol):
    async def add(self, file: ConsultationFile) -> None: ...

    async def get(self, consultation_id: uuid.UUID) -> ConsultationFile | None: ...

    async def save(self, file: ConsultationFile) -> None: ...


class Evaluations(Protocol):
    async def add(self, evaluation: Evaluation) -> None: ...

    async def get(self, evaluation_id: uuid.UUID) -> Evaluation | None: ...

    async def save(self, evaluation: Evaluation) -> None: ...


class DisciplinaryCases(Protocol):
    async def add(self, case: DisciplinaryCase) -> None: ...

    async def get(self, case_id: uuid.UUID) -> DisciplinaryCase | None: ...

    async def save(self, case: DisciplinaryCase) -> None: ...


class HrUnitOfWork(EmitsEvents, Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def effects(self) -> HrEffects: ...

    @property
    def staff(self) -> Staff: ...

    @property
    def employments(self) -> Employments: ...

    @property
    def delegations(self) -> Delegations: ...

    @property
    def consultations(self) -> Consultations: ...

    @property
    def evaluations(self) -> Evaluations: ...

    @property
    def cases(self) -> DisciplinaryCases: ...
