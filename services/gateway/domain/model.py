"""Local accounts, API tokens and browser sessions, and how their secrets are kept.

A secret the gateway hands out (a session cookie, an API token) is random and long, so it is
stored as its SHA-256 digest: a copy of the table gives nobody a working credential, and a lookup
by digest needs no slow hash. Passwords are chosen by people and get a slow hash instead
(`PasswordHasher` in the service layer's ports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "TOKEN_PREFIX",
    "Account",
    "ApiToken",
    "GatewayPolicy",
    "Principal",
    "Session",
    "Via",
    "digest",
    "new_secret",
    "new_token",
]

#: Every API token starts with this, so a leaked one is easy to recognise (and to scan for).
TOKEN_PREFIX = "rwt_"  # noqa: S105 - a marker, not a secret


class Via(StrEnum):
    """How a person proved who they are: the actor token names it as `gateway:<via>`."""

    OIDC = "oidc"
    LOCAL = "local"
    TOKEN = "token"  # noqa: S105 - a kind of sign-in, not a secret

    @property
    def actor_via(self) -> str:
        """`gateway:oidc`, `gateway:local` or `gateway:token`."""
        return f"gateway:{self.value}"


@dataclass(frozen=True)
class Principal:
    """The person a request acts for, and how they signed in."""

    person_id: str
    via: Via
    #: The session's CSRF token (None for an API token, which is not sent by a browser by itself).
    csrf_token: str | None = None


@dataclass(frozen=True)
class Account:
    """A local account (development only): a person and the slow hash of their password."""

    username: str
    person_id: str
    display_name: str
    password_hash: str


@dataclass(frozen=True)
class ApiToken:
    """A machine client's credential: only its digest is kept; revoked tokens are kept as such."""

    token_id: str
    person_id: str
    name: str
    secret_digest: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


@dataclass(frozen=True)
class Session:
    """A signed-in browser (or API) session, kept server-side under the digest of its cookie."""

    secret_digest: str
    person_id: str
    via: Via
    csrf_token: str
    created_at: dt.datetime
    expires_at: dt.datetime

    def valid_at(self, now: dt.datetime) -> bool:
        """Not yet expired at `now`."""
        return now < self.expires_at


@dataclass(frozen=True)
class GatewayPolicy:
    """How long a session lasts; a deployment may shorten or lengthen it (settings)."""

    #: A working day: a session is not meant to outlive the person's day at the desk.
    session_ttl: dt.timedelta = dt.timedelta(hours=8)


def digest(secret: str) -> str:
    """SHA-256 of a random secret, hex: how sessions and tokens are stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """256 random bits, URL-safe: a session cookie or a CSRF token."""
    return secrets.token_urlsafe(32)


def new_token() -> tuple[str, str]:
    """A new API token: its public id (to list and revoke it) and the whole token (shown once)."""
    token_id = secrets.token_hex(6)
    return token_id, f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
