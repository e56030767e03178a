"""Engines bound to one service's schema."""

from __future__ import annotations

import re

from pydantic import SecretStr
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

__all__ = ["connection_dropped", "make_engine", "make_session_factory", "sqlalchemy_url"]

_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def sqlalchemy_url(dsn: str) -> str:
    """Accept a libpq URI (`postgresql://...`) or an SQLAlchemy URL; answer the asyncpg one."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if dsn.startswith(prefix):
            return "postgresql+asyncpg://" + dsn[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {dsn.rsplit('@', maxsplit=1)[-1]!r}")


def make_engine(
    dsn: str, schema: str, *, pool_size: int = 10, password: SecretStr | None = None, recycle_s: float = 900.0
) -> AsyncEngine:
    """An engine whose connections see only `schema` (and `public` for extensions).

    `password` is the login's (a service's `database_password`); it wins over one in `dsn`. The
    connections name the schema as their `application_name`, so `pg_stat_activity` tells whose
    they are.

    No pre-ping: a round trip on every checkout costs more than it saves. Connections are recycled
    after `recycle_s` instead, and a unit of work that meets a dropped connection (a restarted
    server) is tried once more at once by its caller (`connection_dropped`): the pool has thrown the
    dead connections away by then.
    """
    if not _SCHEMA.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    server_settings = {"search_path": f"{schema},public", "application_name": schema}
    connect_args: dict[str, object] = {"server_settings": server_settings}
    if password is not None:
        connect_args["password"] = password.get_secret_value()
    return create_async_engine(
        sqlalchemy_url(dsn),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        pool_recycle=recycle_s,
        connect_args=connect_args,
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (handlers read ids after committing)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def connection_dropped(exc: BaseException) -> bool:
    """The database connection was lost under the work (the pool invalidated it): worth one more try."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated
