"""Internal control's records in SQL: one JSON document per record, by key."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.organisation.adapters.tables import control_register
from services.organisation.domain.control import Agreement, AuditReport, ControlRecord, ControlSystem, Risk

__all__ = ["SqlControlRegister"]

_KINDS: dict[str, type[ControlRecord]] = {c.KIND: c for c in (ControlSystem, Risk, AuditReport, Agreement)}


def _record(kind: str, document: object) -> ControlRecord:
    return _KINDS[kind].model_validate(document)


class SqlControlRegister:
    """`ControlRegister` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: uuid.UUID, *, for_update: bool = False) -> ControlRecord | None:
        query = select(control_register).where(control_register.c.key == key)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _record(row.kind, row.document) if row else None

    async def save(self, record: ControlRecord) -> None:
        values = {"kind": record.KIND, "document": record.model_dump(mode="json")}
        await self._session.execute(
            insert(control_register)
            .values(key=record.key, **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )

    async def of_kind(self, kind: str) -> list[ControlRecord]:
        rows = await self._session.execute(
            select(control_register).where(control_register.c.kind == kind).order_by(control_register.c.key)
        )
        return [_record(r.kind, r.document) for r in rows]
