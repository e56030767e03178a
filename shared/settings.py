"""Typed, fail-fast settings: one class per service, read from the environment.

Every service reads `RW_<SERVICE>_<FIELD>`; the connection settings fall back to the shared
`RW_DATABASE_URL` and `RW_NATS_URL` so one pair of variables points the whole system at external
servers. The database login is each service's own (`RW_<SERVICE>_DATABASE_URL` and
`_DATABASE_PASSWORD`): every service connects as its own runtime role (ADR 0006). Required values
have no default: a missing one stops the service at start with a clear message instead of a
half-working process.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Environment", "ServiceSettings", "load_settings", "overrides"]

_DEV_ONLY_SECRET_PREFIX = "dev-"  # noqa: S105 - a marker refused in prod, not a secret


class Environment(StrEnum):
    """Where the service runs; `prod` refuses development secrets."""

    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class ServiceSettings(BaseSettings):
    """Settings every service shares; a service subclasses it to add its own."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str
    environment: Environment = Field(default=Environment.DEV, validation_alias=AliasChoices("environment", "RW_ENV"))
    database_url: str = Field(
        description="PostgreSQL DSN of the service's own runtime role (postgresql://<schema>_app@host/db?host=...)."
    )
    database_password: SecretStr | None = Field(
        default=None, description="Password of the runtime role; wins over a password in database_url."
    )
    migration_database_url: SecretStr | None = Field(
        default=None,
        description="DSN for `migrate`: a superuser (creates the roles) or a member of <schema>_owner; "
        "defaults to database_url.",
    )
    db_schema: str = Field(default="", description="Schema of this service; defaults to its name.")
    nats_url: str = Field(description="NATS server URL, e.g. nats://127.0.0.1:4222.")
    nats_user: str = Field(default="", description="NATS user; defaults to the service name.")
    nats_password: SecretStr = Field(description="NATS password of this service's user.")
    http_port: int = Field(default=0, ge=0, le=65535, description="Health/metrics port; 0 = off.")
    http_host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_json: bool | None = Field(default=None, description="JSON logs; default: when not a TTY.")
    relay_poll_s: float = Field(default=0.5, gt=0, description="Outbox relay idle poll interval.")
    relay_batch: int = Field(default=200, gt=0)
    actor_public_keys: Path | None = Field(
        default=None,
        description="JSON file {key id: Ed25519 public key (PEM or base64)} of the signers of actor tokens "
        "(the gateway and the operator CLI); every command and query is verified against it. Required to run.",
    )
    clock_file: Path | None = Field(
        default=None,
        description="Read the time from this shared clock file (`rw clock`); dev and test only, refused in prod.",
    )

    @model_validator(mode="after")
    def _defaults_and_secrets(self) -> ServiceSettings:
        if not self.db_schema:
            object.__setattr__(self, "db_schema", self.service_name)
        if not self.nats_user:
            object.__setattr__(self, "nats_user", self.service_name)
        secret = self.nats_password.get_secret_value()
        if self.environment is Environment.PROD and secret.startswith(_DEV_ONLY_SECRET_PREFIX):
            raise ValueError("a development NATS password cannot be used in prod")
        database_secrets = [urlsplit(self.database_url).password or ""]
        if self.migration_database_url is not None:
            database_secrets.append(urlsplit(self.migration_database_url.get_secret_value()).password or "")
        if self.database_password is not None:
            database_secrets.append(self.database_password.get_secret_value())
        development = any(s.startswith(_DEV_ONLY_SECRET_PREFIX) for s in database_secrets)
        if self.environment is Environment.PROD and development:
            raise ValueError("a development database password cannot be used in prod")
        if self.environment is Environment.PROD and self.clock_file is not None:
            raise ValueError("a controlled clock (clock_file) cannot be used in prod")
        return self


S = TypeVar("S", bound=ServiceSettings)

# Connections, logging and the clock are the same for every service of one deployment; so are the
# people the decree names in several services' rules.
_SHARED_FALLBACKS = (
    "database_url",
    "migration_database_url",
    "nats_url",
    "log_level",
    "log_json",
    "clock_file",
    "actor_public_keys",
    "algemeen_directeur_person_id",
    "financial_director_person_id",
)


def load_settings(cls: type[S], service: str, **overrides: Any) -> S:
    """Read `cls` for `service` from `RW_<SERVICE>_*`, falling back to `RW_*` for connections.

    Fails fast with pydantic's message naming every missing or invalid variable.
    """
    prefix = f"RW_{service.upper()}_"
    init: dict[str, Any] = {}
    for name in _SHARED_FALLBACKS:
        own, shared = f"{prefix}{name.upper()}", f"RW_{name.upper()}"
        if own not in os.environ and shared in os.environ:
            init[name] = os.environ[shared]
    init.update(overrides)
    return cls(_env_prefix=prefix, service_name=service, **init)


def overrides(settings: BaseSettings, *fields: str) -> dict[str, Any]:
    """The `fields` a deployment set (not None), to override a policy's legal defaults.

    A policy dataclass in a service's domain holds the defaults the law gives, once; its settings
    declare the same fields as `X | None = None`, so an unset variable keeps the law's value.
    """
    values = {name: getattr(settings, name) for name in fields}
    return {name: value for name, value in values.items() if value is not None}
