"""The in-memory hr repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

from tests.repositories.hr import (
    ConsultationsContract,
    DelegationsContract,
    DisciplinaryCasesContract,
    EmploymentsContract,
    EvaluationsContract,
    HrEffectsContract,
    StaffContract,
)
from tests.unit.hr.fakes import FakeHrUnitOfWork


@pytest.fixture
def uow() -> FakeHrUnitOfWork:
    return FakeHrUnitOfWork()


class TestFakeHrEffects(HrEffectsContract):
    pass


class TestFakeStaff(StaffContract):
    pass


class TestFakeEmployments(EmploymentsContract):
    pass


class TestFakeDelegations(DelegationsContract):
    pass


class TestFakeConsultations(ConsultationsContract):
    pass


class TestFakeEvaluations(EvaluationsContract):
    pass


class TestFakeDisciplinaryCases(DisciplinaryCasesContract):
    pass
