"""The SQL notifications repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.notifications import DeliveriesContract, InboxesContract, SeatsContract, SubscriptionsContract


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlNotificationsUnitOfWork]:
    async with rolled_back(pg_dsn, "notifications", SqlNotificationsUnitOfWork) as uow:
        yield uow


class TestSqlInboxes(InboxesContract):
    pass


class TestSqlSeats(SeatsContract):
    pass


class TestSqlSubscriptions(SubscriptionsContract):
    pass


class TestSqlDeliveries(DeliveriesContract):
    pass
