"""In-memory implementations of the gateway's ports, for fast tests of sign-in and the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import replace
from types import TracebackType
from typing import Self

from services.gateway.domain.model import Account, ApiToken, Session


class FakeAccounts:
    """Accounts by username, like the table's primary key."""

    def __init__(self) -> None:
        self.rows: dict[str, Account] = {}

    async def keep(self, account: Account) -> None:
        self.rows[account.username] = account

    async def get(self, username: str) -> Account | None:
        return self.rows.get(username)

    async def all(self) -> list[Account]:
        return [self.rows[k] for k in sorted(self.rows)]


class FakeApiTokens:
    """Tokens by id; the digest is unique like the table's constraint."""

    def __init__(self) -> None:
        self.rows: dict[str, ApiToken] = {}

    async def add(self, token: ApiToken) -> None:
        if token.token_id in self.rows or any(t.secret_digest == token.secret_digest for t in self.rows.values()):
            raise ValueError("duplicate token")
        self.rows[token.token_id] = token

    async def by_digest(self, secret_digest: str) -> ApiToken | None:
        return next((t for t in self.rows.values() if t.secret_digest == secret_digest), None)

    async def revoke(self, token_id: str, at: dt.datetime) -> bool:
        token = self.rows.get(token_id)
        if token is None or token.revoked_at is not None:
            return False
        self.rows[token_id] = replace(token, revoked_at=at)
        return True

    async def all(self) -> list[ApiToken]:
        return sorted(self.rows.values(), key=lambda t: (t.created_at, t.token_id))


class FakeSessions:
    """Sessions by digest."""

    def __init__(self) -> None:
        self.rows: dict[str, Session] = {}

    async def add(self, session: Session) -> None:
        if session.secret_digest in self.rows:
            raise ValueError("duplicate session")
        self.rows[session.secret_digest] = session

    async def get(self, secret_digest: str) -> Session | None:
        return self.rows.get(secret_digest)

    async def end(self, secret_digest: str) -> None:
        self.rows.pop(secret_digest, None)

    async def purge(self, now: dt.datetime) -> int:
        gone = [k for k, s in self.rows.items() if s.expires_at <= now]
        for key in gone:
            del self.rows[key]
        return len(gone)


class FakeGatewayStore:
    """The state every unit of work of one test shares (the database, in memory)."""

    def __init__(self) -> None:
        self.accounts = FakeAccounts()
        self.tokens = FakeApiTokens()
        self.sessions = FakeSessions()


class FakeGatewayUnitOfWork:
    """A unit of work over a shared in-memory store; changes are kept only when committed.

    The fakes are small, so a transaction is a deep copy taken on entry and put back on commit.
    """

    def __init__(self, store: FakeGatewayStore | None = None) -> None:
        self.store = store or FakeGatewayStore()
        self.commits = 0

    @property
    def accounts(self) -> FakeAccounts:
        return self._work.accounts

    @property
    def tokens(self) -> FakeApiTokens:
        return self._work.tokens

    @property
    def sessions(self) -> FakeSessions:
        return self._work.sessions

    async def __aenter__(self) -> Self:
        self._work = FakeGatewayStore()
        self._work.accounts.rows = dict(self.store.accounts.rows)
        self._work.tokens.rows = dict(self.store.tokens.rows)
        self._work.sessions.rows = dict(self.store.sessions.rows)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        del self._work

    async def commit(self) -> None:
        self.store.accounts.rows = dict(self._work.accounts.rows)
        self.store.tokens.rows = dict(self._work.tokens.rows)
        self.store.sessions.rows = dict(self._work.sessions.rows)
        self.commits += 1


class FakeHasher:
    """A fast stand-in for argon2 in unit tests: salted HMAC, so equal passwords hash differently."""

    def __init__(self) -> None:
        self._salt = 0

    def hash(self, password: str) -> str:
        self._salt += 1
        salt = str(self._salt)
        return f"{salt}${hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()}"

    def verify(self, password_hash: str, password: str) -> bool:
        salt, _, mac = password_hash.partition("$")
        return hmac.compare_digest(mac, hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest())
