"""The registers in PostgreSQL: one repository class over any register table."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Generic, TypeVar

from sqlalchemy import Table, extract, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.records.domain.documents import Document

__all__ = ["SqlRegister"]

D = TypeVar("D", bound=Document)


class SqlRegister(Generic[D]):
    """A register over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession, table: Table, model: type[D]) -> None:
        self._session = session
        self._table = table
        self._model = model

    def _row(self, doc: D) -> dict[str, object]:
        return {
            "key": doc.key(),
            "opened_on": doc.opened(),
            "due_on": doc.deadline(),
            "pending": doc.pending(),
            "doc": doc.model_dump(mode="json"),
        }

    async def add(self, doc: D) -> bool:
        stmt = (
            pg_insert(self._table)
            .values(**self._row(doc))
            .on_conflict_do_nothing(index_elements=[self._table.c.key])
            .returning(self._table.c.key)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, key: uuid.UUID) -> D | None:
        stmt = select(self._table.c.doc).where(self._table.c.key == key).with_for_update()
        doc = (await self._session.execute(stmt)).scalar_one_or_none()
        return None if doc is None else self._model.model_validate(doc)

    async def put(self, doc: D) -> None:
        row = self._row(doc)
        stmt = pg_insert(self._table).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=[self._table.c.key], set_={k: v for k, v in row.items() if k != "key"}
        )
        await self._session.execute(stmt)

    async def listing(self, year: int | None = None) -> list[D]:
        stmt = select(self._table.c.doc).order_by(self._table.c.opened_on.desc(), self._table.c.key)
        if year is not None:
            stmt = stmt.where(extract("year", self._table.c.opened_on) == year)
        return [self._model.model_validate(d) for d in (await self._session.execute(stmt)).scalars()]

    async def past_due(self, as_of: dt.date) -> list[D]:
        stmt = (
            select(self._table.c.doc)
            .where(self._table.c.pending, self._table.c.due_on < as_of)
            .order_by(self._table.c.due_on, self._table.c.key)
            .with_for_update()
        )
        return [self._model.model_validate(d) for d in (await self._session.execute(stmt)).scalars()]
