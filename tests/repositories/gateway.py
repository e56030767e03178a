"""The contract of the gateway's repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.gateway.domain.model import Account, ApiToken, Session, Via, digest

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class AccountsContract:
    """Local accounts by username; keeping one again replaces it."""

    async def test_an_account_round_trips_and_is_replaced_by_username(self, uow: Any) -> None:
        first = Account("p-ad", "p-ad", "An De Smet", "hash-1")
        await uow.accounts.keep(first)
        await uow.accounts.keep(Account("m-01", "m-01", "Hilde Vermeulen", "hash-2"))
        assert await uow.accounts.get("p-ad") == first
        renewed = Account("p-ad", "p-ad", "An De Smet", "hash-3")
        await uow.accounts.keep(renewed)
        assert await uow.accounts.get("p-ad") == renewed
        assert await uow.accounts.get("nobody") is None
        assert [a.username for a in await uow.accounts.all()] == ["m-01", "p-ad"]


def _token(person: str, minutes: int = 0) -> ApiToken:
    token_id = uuid.uuid4().hex[:12]
    return ApiToken(token_id, person, f"client {token_id}", digest(token_id), T0 + dt.timedelta(minutes=minutes))


class ApiTokensContract:
    """Tokens found by digest; a revoked one stays, marked, and is revoked only once."""

    async def test_a_token_is_found_by_its_digest(self, uow: Any) -> None:
        token = _token("p-fd")
        await uow.tokens.add(token)
        assert await uow.tokens.by_digest(token.secret_digest) == token
        assert await uow.tokens.by_digest(digest("another")) is None

    async def test_a_token_is_revoked_once_and_kept(self, uow: Any) -> None:
        older, newer = _token("p-fd"), _token("p-ad", minutes=5)
        await uow.tokens.add(newer)
        await uow.tokens.add(older)
        at = T0 + dt.timedelta(hours=1)
        assert await uow.tokens.revoke(older.token_id, at)
        assert not await uow.tokens.revoke(older.token_id, at)
        assert not await uow.tokens.revoke("unknown", at)
        revoked = await uow.tokens.by_digest(older.secret_digest)
        assert revoked is not None
        assert revoked.revoked_at == at
        assert not revoked.active
        assert [t.token_id for t in await uow.tokens.all()] == [older.token_id, newer.token_id]


def _session(person: str, hours: int) -> Session:
    secret = uuid.uuid4().hex
    return Session(digest(secret), person, Via.LOCAL, f"csrf-{secret}", T0, T0 + dt.timedelta(hours=hours))


class SessionsContract:
    """Sessions by digest; sign-out forgets one, a purge the expired ones."""

    async def test_a_session_round_trips_and_ends(self, uow: Any) -> None:
        session = _session("p-ad", 8)
        await uow.sessions.add(session)
        assert await uow.sessions.get(session.secret_digest) == session
        await uow.sessions.end(session.secret_digest)
        await uow.sessions.end(session.secret_digest)
        assert await uow.sessions.get(session.secret_digest) is None

    async def test_a_purge_forgets_only_expired_sessions(self, uow: Any) -> None:
        short, long = _session("p-ad", 1), _session("p-fd", 8)
        await uow.sessions.add(short)
        await uow.sessions.add(long)
        assert await uow.sessions.purge(T0 + dt.timedelta(hours=2)) == 1
        assert await uow.sessions.get(short.secret_digest) is None
        assert await uow.sessions.get(long.secret_digest) == long
