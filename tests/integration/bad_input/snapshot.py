"""A fingerprint of every table of every service: row count and a hash of the rows' content.

Bad input may write exactly these things: dead letters (the reason a message was refused), the
audit ledger (which records every message as sent, good or bad) and its signed checkpoints, and
consume records (what a consumer did with each delivery, in the consuming service's outbox).
Everything else must be the same before and after, down to the content of each row.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.topology import SERVICE_NAMES

__all__ = ["LEGITIMATE_WRITES", "Fingerprint", "changed_tables", "fingerprint"]

#: (service, table) that bad input legitimately writes.
LEGITIMATE_WRITES = frozenset(
    {
        ("audit", "ledger"),
        ("audit", "checkpoints"),
        *((s, "dead_letters") for s in SERVICE_NAMES),
    }
)

#: Outbox rows that record, rather than change, something: consume records and checkpoints.
RECORDS = ("audit.consume.recorded", "audit.checkpoint.recorded")

#: service -> table -> (rows, content hash)
Fingerprint = dict[str, dict[str, tuple[int, str]]]


async def fingerprint(engines: Mapping[str, AsyncEngine], schemas: Mapping[str, str]) -> Fingerprint:
    """Every table of every service schema, except the ones bad input may write."""
    result: Fingerprint = {}
    for service, engine in engines.items():
        schema = schemas[service]
        async with engine.connect() as conn:
            tables = (
                await conn.scalars(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"), {"s": schema}
                )
            ).all()
            wanted = [t for t in tables if (service, t) not in LEGITIMATE_WRITES]
            # One statement per service: the hash is over the sorted hashes of the rows, so the
            # physical order of rows (which an UPDATE changes) does not count, their content does.
            parts = [
                f"SELECT '{table}' AS t, count(*) AS n,"
                f" coalesce(md5(string_agg(md5(r::text), '' ORDER BY md5(r::text))), '') AS h"
                f' FROM "{schema}"."{table}" AS r'
                + (f" WHERE r.subject NOT IN {RECORDS!r}" if table == "outbox" else "")
                for table in wanted
            ]
            rows = (await conn.execute(text(" UNION ALL ".join(parts)))).all() if parts else []
        result[service] = {table: (rows_, digest) for table, rows_, digest in rows}
    return result


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    """`service.table: before -> after` for every table that differs."""
    changes: list[str] = []
    for service in sorted(before.keys() | after.keys()):
        old, new = before.get(service, {}), after.get(service, {})
        changes += [
            f"{service}.{table}: {old.get(table)} -> {new.get(table)}"
            for table in sorted(old.keys() | new.keys())
            if old.get(table) != new.get(table)
        ]
    return changes
