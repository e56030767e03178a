"""Sign-in, sessions and API tokens: who a request acts for.

A browser signs in (OpenID Connect, or a local account in development) and gets a server-side
session: a random cookie whose digest keys the session row, and a CSRF token the page sends back
in a header. A machine client sends an API token. Either way the request acts for one person,
with the way they proved it (`Principal.via`), which the gateway signs into the actor of every
command it forwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.gateway.domain.model import (
    TOKEN_PREFIX,
    Account,
    ApiToken,
    GatewayPolicy,
    Principal,
    Session,
    Via,
    digest,
    new_secret,
    new_token,
)
from services.gateway.service_layer.ports import GatewayUnitOfWork, PasswordHasher
from shared.clock import Clock
from shared.kernel import RuleViolation

__all__ = ["Access", "NewSession", "NewToken"]


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie value (given to the browser once) and its CSRF token."""

    cookie: str
    csrf_token: str
    person_id: str
    via: Via


@dataclass(frozen=True)
class NewToken:
    """An API token just created: the whole token is shown once and never stored."""

    token_id: str
    token: str
    person_id: str
    name: str


class Access:
    """The gateway's use cases, each in its own transaction."""

    def __init__(
        self,
        uow: Callable[[], GatewayUnitOfWork],
        clock: Clock,
        hasher: PasswordHasher,
        policy: GatewayPolicy,
        *,
        local_accounts: bool,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._policy = policy
        self._local_accounts = local_accounts
        # Checked against when the username is unknown, so a wrong name costs as long as a wrong password.
        self._decoy = hasher.hash(new_secret())

    @property
    def local_accounts(self) -> bool:
        """Whether local accounts may sign in (never in production)."""
        return self._local_accounts

    # -- local accounts ---------------------------------------------------------------------

    def _local_only(self) -> None:
        if not self._local_accounts:
            raise RuleViolation(
                "local_accounts_disabled", "local accounts are for development; sign in with the identity provider"
            )

    async def keep_account(self, username: str, person_id: str, display_name: str, password: str) -> Account:
        """Create a local account, or give an existing one a new password."""
        self._local_only()
        account = Account(username, person_id, display_name, self._hasher.hash(password))
        async with self._uow() as uow:
            await uow.accounts.keep(account)
            await uow.commit()
        return account

    async def accounts(self) -> list[Account]:
        """Every local account."""
        async with self._uow() as uow:
            return await uow.accounts.all()

    async def sign_in_local(self, username: str, password: str) -> NewSession:
        """Open a session for a local account whose password matches."""
        self._local_only()
        async with self._uow() as uow:
            account = await uow.accounts.get(username)
        if account is None:
            self._hasher.verify(self._decoy, password)
            raise RuleViolation("sign_in_refused", "unknown username or wrong password")
        if not self._hasher.verify(account.password_hash, password):
            raise RuleViolation("sign_in_refused", "unknown username or wrong password")
        return await self.open_session(account.person_id, Via.LOCAL)

    # -- sessions ---------------------------------------------------------------------------

    async def open_session(self, person_id: str, via: Via) -> NewSession:
        """A new session for a person who just proved who they are."""
        cookie, csrf = new_secret(), new_secret()
        now = self._clock()
        session = Session(digest(cookie), person_id, via, csrf, now, now + self._policy.session_ttl)
        async with self._uow() as uow:
            await uow.sessions.purge(now)
            await uow.sessions.add(session)
            await uow.commit()
        return NewSession(cookie, csrf, person_id, via)

    async def session(self, cookie: str) -> Principal | None:
        """Who a session cookie belongs to; None when unknown or expired."""
        async with self._uow() as uow:
            session = await uow.sessions.get(digest(cookie))
        if session is None or not session.valid_at(self._clock()):
            return None
        return Principal(session.person_id, session.via, session.csrf_token)

    async def sign_out(self, cookie: str) -> None:
        """End a session."""
        async with self._uow() as uow:
            await uow.sessions.end(digest(cookie))
            await uow.commit()

    # -- API tokens -------------------------------------------------------------------------

    async def create_token(self, person_id: str, name: str) -> NewToken:
        """A new API token acting for `person_id`; the token is returned once, only its digest is kept."""
        token_id, token = new_token()
        async with self._uow() as uow:
            await uow.tokens.add(ApiToken(token_id, person_id, name, digest(token), self._clock()))
            await uow.commit()
        return NewToken(token_id, token, person_id, name)

    async def tokens(self) -> list[ApiToken]:
        """Every API token, revoked ones included."""
        async with self._uow() as uow:
            return await uow.tokens.all()

    async def revoke_token(self, token_id: str) -> None:
        """Revoke a token: from now on it is refused."""
        async with self._uow() as uow:
            if not await uow.tokens.revoke(token_id, self._clock()):
                raise RuleViolation("unknown_token", f"no active API token {token_id!r}")
            await uow.commit()

    async def token_holder(self, token: str) -> Principal | None:
        """Who an API token acts for; None when it is unknown or revoked."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        async with self._uow() as uow:
            found = await uow.tokens.by_digest(digest(token))
        if found is None or not found.active:
            return None
        return Principal(found.person_id, Via.TOKEN)
