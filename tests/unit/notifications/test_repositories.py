"""The in-memory notifications repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

from tests.repositories.notifications import DeliveriesContract, InboxesContract, SeatsContract, SubscriptionsContract
from tests.unit.notifications.fakes import FakeNotificationsUnitOfWork


@pytest.fixture
def uow() -> FakeNotificationsUnitOfWork:
    return FakeNotificationsUnitOfWork()


class TestFakeInboxes(InboxesContract):
    pass


class TestFakeSeats(SeatsContract):
    pass


class TestFakeSubscriptions(SubscriptionsContract):
    pass


class TestFakeDeliveries(DeliveriesContract):
    pass
