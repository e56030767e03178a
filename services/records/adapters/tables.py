"""Tables of the `records` schema: one table per register, each entry a JSON document with the
columns the scans and listings select on."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, MetaData, Table, Uuid
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = ["REGISTERS", "metadata", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)


def _register(name: str, comment: str) -> Table:
    table = Table(
        name,
        metadata,
        Column("key", Uuid, primary_key=True),
        Column("opened_on", Date, nullable=False, index=True),
        Column("due_on", Date),
        Column("pending", Boolean, nullable=False),
        Column("doc", JSONB, nullable=False),
        comment=comment,
    )
    Index(f"{name}_past_due", table.c.due_on, postgresql_where=table.c.pending)
    return table


REGISTERS: dict[str, Table] = {
    "letters": _register("letters", "The correspondence register: incoming and outgoing letters, with signatures."),
    "complaints": _register("complaints", "Complaints under the council's reglement, with handler and answer."),
    "access_requests": _register("access_requests", "Requests for access to documents (openbaarheid van bestuur)."),
    "archive_records": _register("archive_records", "Archive records by series of the selection list, with retention."),
    "destruction_statements": _register("destruction_statements", "Dated destruction statements, kept for ever."),
    "seats": _register("seats", "Mandates read from organisation: who signs for which body."),
    "delegations": _register("delegations", "Delegations read from hr: signature and access decisions."),
}
