"""What the gateway's use cases need from persistence and from a password hash."""

from __future__ import annotations

import datetime as dt
from types import TracebackType
from typing import Protocol, Self

from services.gateway.domain.model import Account, ApiToken, Session

__all__ = ["Accounts", "ApiTokens", "GatewayUnitOfWork", "PasswordHasher", "Sessions"]


class Accounts(Protocol):
    """Local accounts (development only)."""

    async def keep(self, account: Account) -> None:
        """Store an account, or replace the one with the same username (a new password)."""
        ...

    async def get(self, username: str) -> Account | None: ...

    async def all(self) -> list[Account]:
        """Every account, by username."""
        ...


class ApiTokens(Protocol):
    """API tokens by digest; revoked ones stay, marked."""

    async def add(self, token: ApiToken) -> None: ...

    async def by_digest(self, secret_digest: str) -> ApiToken | None:
        """The token with this digest, revoked or not; None when unknown."""
        ...

    async def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """Revoke an active token; False when it is unknown or already revoked."""
        ...

    async def all(self) -> list[ApiToken]:
        """Every token, oldest first."""
        ...


class Sessions(Protocol):
    """Server-side sessions by the digest of their cookie."""

    async def add(self, session: Session) -> None: ...

    async def get(self, secret_digest: str) -> Session | None: ...

    async def end(self, secret_digest: str) -> None:
        """Forget a session (sign-out); an unknown one is ignored."""
        ...

    async def purge(self, now: dt.datetime) -> int:
        """Forget every session expired at `now`; how many."""
        ...


class GatewayUnitOfWork(Protocol):
    """One transaction over the gateway's tables."""

    @property
    def accounts(self) -> Accounts: ...

    @property
    def tokens(self) -> ApiTokens: ...

    @property
    def sessions(self) -> Sessions: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...


class PasswordHasher(Protocol):
    """A slow, salted password hash (argon2id in production code)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True when `password` is the one hashed; never raises for a wrong one."""
        ...
