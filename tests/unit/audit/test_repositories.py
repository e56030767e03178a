"""The in-memory ledger keeps the same contract as the SQL one."""

from __future__ import annotations

import pytest

from tests.repositories.audit import LedgerContract
from tests.unit.audit.fakes import FakeAuditUnitOfWork


@pytest.fixture
def uow() -> FakeAuditUnitOfWork:
    return FakeAuditUnitOfWork()


class TestFakeLedger(LedgerContract):
    pass
