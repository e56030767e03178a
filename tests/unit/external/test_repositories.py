"""The in-memory external repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

from tests.repositories.external import (
    DeadlinesContract,
    ExternalEntitiesContract,
    ManagementAgreementsContract,
    OverrulingReportsContract,
    RepresentationsContract,
    SupervisionReportsContract,
)
from tests.unit.external.fakes import FakeExternalUnitOfWork


@pytest.fixture
def uow() -> FakeExternalUnitOfWork:
    return FakeExternalUnitOfWork()


class TestFakeSupervisionReports(SupervisionReportsContract):
    pass


class TestFakeOverrulingReports(OverrulingReportsContract):
    pass


class TestFakeExternalEntities(ExternalEntitiesContract):
    pass


class TestFakeRepresentations(RepresentationsContract):
    pass


class TestFakeManagementAgreements(ManagementAgreementsContract):
    pass


class TestFakeDeadlines(DeadlinesContract):
    pass
