"""The SQL unit of work of the gateway."""

from __future__ import annotations

from typing import Self

from services.gateway.adapters.repository import SqlAccounts, SqlApiTokens, SqlSessions
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlGatewayUnitOfWork"]


class SqlGatewayUnitOfWork(SqlUnitOfWork):
    """The gateway's repositories bound to one transaction (it emits no events)."""

    SOURCE = "gateway"

    accounts: SqlAccounts
    tokens: SqlApiTokens
    sessions: SqlSessions

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.accounts = SqlAccounts(self.session)
        self.tokens = SqlApiTokens(self.session)
        self.sessions = SqlSessions(self.session)
        return self
