"""The SQL unit of work of notifications."""

from __future__ import annotations

from typing import Self

from services.notifications.adapters.repository import SqlDeliveries, SqlInboxes, SqlSeats, SqlSubscriptions
from services.notifications.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlNotificationsUnitOfWork"]


class SqlNotificationsUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "notifications"
    outgoing = staticmethod(outgoing)

    inboxes: SqlInboxes
    seats: SqlSeats
    subscriptions: SqlSubscriptions
    deliveries: SqlDeliveries

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.inboxes = SqlInboxes(self.session)
        self.seats = SqlSeats(self.session)
        self.subscriptions = SqlSubscriptions(self.session)
        self.deliveries = SqlDeliveries(self.session)
        return self
