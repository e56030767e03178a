"""A unit of work of one service on the test PostgreSQL, in a transaction that is never committed."""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from shared.db.tables import messaging_tables
from shared.db.uow import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[3]
U = TypeVar("U", bound=SqlUnitOfWork)

_SCHEMAS: dict[tuple[str, str], str] = {}
_LOCK = asyncio.Lock()


async def migrated_schema(dsn: str, service: str) -> str:
    """A schema of its own for the suites of `service`, migrated once per test session."""
    async with _LOCK:
        key = (dsn, service)
        if key not in _SCHEMAS:
            schema = f"repo_{service}_{uuid.uuid4().hex[:8]}"
            # `upgrade` runs its own event loop, as the launcher calls it.
            await asyncio.to_thread(upgrade, ROOT / "services" / service / "migrations", dsn, schema)
            _SCHEMAS[key] = schema
        return _SCHEMAS[key]


@asynccontextmanager
async def rolled_back(dsn: str, service: str, uow_class: type[U]) -> AsyncIterator[U]:
    """An entered unit of work whose changes vanish when the test ends."""
    schema = await migrated_schema(dsn, service)
    tables: Any = importlib.import_module(f"services.{service}.adapters.tables")
    engine = make_engine(dsn, schema, pool_size=1)
    try:
        async with uow_class(make_session_factory(engine), messaging_tables(tables.metadata)) as uow:
            yield uow
    finally:
        await engine.dispose()
