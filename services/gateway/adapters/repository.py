"""SQL repositories of the gateway; they never commit (the unit of work does)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.adapters.tables import accounts, api_tokens, sessions
from services.gateway.domain.model import Account, ApiToken, Session, Via

__all__ = ["SqlAccounts", "SqlApiTokens", "SqlSessions"]


class SqlAccounts:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def keep(self, account: Account) -> None:
        values = {
            "username": account.username,
            "person_id": account.person_id,
            "display_name": account.display_name,
            "password_hash": account.password_hash,
        }
        stmt = insert(accounts).values(values)
        await self._s.execute(stmt.on_conflict_do_update(index_elements=[accounts.c.username], set_=values))

    async def get(self, username: str) -> Account | None:
        row = (await self._s.execute(select(accounts).where(accounts.c.username == username))).mappings().first()
        return _account(row) if row else None

    async def all(self) -> list[Account]:
        rows = (await self._s.execute(select(accounts).order_by(accounts.c.username))).mappings()
        return [_account(r) for r in rows]


def _account(row: RowMapping) -> Account:
    return Account(row["username"], row["person_id"], row["display_name"], row["password_hash"])


class SqlApiTokens:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, token: ApiToken) -> None:
        await self._s.execute(
            insert(api_tokens).values(
                token_id=token.token_id,
                secret_digest=token.secret_digest,
                person_id=token.person_id,
                name=token.name,
                created_at=token.created_at,
                revoked_at=token.revoked_at,
            )
        )

    async def by_digest(self, secret_digest: str) -> ApiToken | None:
        query = select(api_tokens).where(api_tokens.c.secret_digest == secret_digest)
        row = (await self._s.execute(query)).mappings().first()
        return _token(row) if row else None

    async def revoke(self, token_id: str, at: dt.datetime) -> bool:
        stmt = (
            update(api_tokens)
            .where(api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(api_tokens.c.token_id)
        )
        return (await self._s.execute(stmt)).first() is not None

    async def all(self) -> list[ApiToken]:
        query = select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.token_id)
        return [_token(r) for r in (await self._s.execute(query)).mappings()]


def _token(row: RowMapping) -> ApiToken:
    return ApiToken(
        row["token_id"], row["person_id"], row["name"], row["secret_digest"], row["created_at"], row["revoked_at"]
    )


class SqlSessions:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, session: Session) -> None:
        await self._s.execute(
            insert(sessions).values(
                secret_digest=session.secret_digest,
                person_id=session.person_id,
                via=session.via.value,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )

    async def get(self, secret_digest: str) -> Session | None:
        query = select(sessions).where(sessions.c.secret_digest == secret_digest)
        row = (await self._s.execute(query)).mappings().first()
        if row is None:
            return None
        return Session(
            row["secret_digest"],
            row["person_id"],
            Via(row["via"]),
            row["csrf_token"],
            row["created_at"],
            row["expires_at"],
        )

    async def end(self, secret_digest: str) -> None:
        await self._s.execute(delete(sessions).where(sessions.c.secret_digest == secret_digest))

    async def purge(self, now: dt.datetime) -> int:
        result = await self._s.execute(
            delete(sessions).where(sessions.c.expires_at <= now).returning(sessions.c.secret_digest)
        )
        return len(result.all())
