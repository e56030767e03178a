"""The fake registers keep the contract the SQL ones keep."""

from __future__ import annotations

import pytest

from tests.repositories.records import RegisterContract, SeatsContract
from tests.unit.records.fakes import FakeRecordsUnitOfWork


@pytest.fixture
def uow() -> FakeRecordsUnitOfWork:
    return FakeRecordsUnitOfWork()


class TestFakeRegisters(RegisterContract):
    pass


class TestFakeSeats(SeatsContract):
    pass
