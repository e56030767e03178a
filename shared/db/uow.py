"""The unit of work: one transaction holding a state change, its events and its inbox row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Self

from sqlalchemy import ARRAY, Text, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.base import Event
from shared.db.tables import MessagingTables
from shared.kernel import DomainEvent
from shared.messaging.context import envelope_for
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing

__all__ = ["OutboxMessage", "SqlUnitOfWork"]


class OutboxMessage:
    """An event waiting in the unit of work until commit."""

    __slots__ = ("envelope", "event", "subject")

    def __init__(self, event: Event, envelope: Envelope, subject: str | None = None) -> None:
        self.event = event
        self.envelope = envelope
        self.subject = subject or event.SUBJECT


class SqlUnitOfWork:
    """Base unit of work over an `AsyncSession`; services subclass it to add repositories.

    Repositories never commit: `commit()` writes the collected events to the outbox in the same
    transaction as the state change, then wakes the relay.
    """

    #: The service name: `ce-source` of every event this unit of work emits.
    SOURCE: ClassVar[str] = ""

    @staticmethod
    def outgoing(event: DomainEvent) -> Outgoing:
        """The service's translation of a domain event into its contract (services override it)."""
        raise TypeError(f"no translation for {type(event).__name__}")

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        on_commit: Callable[[], None] | None = None,
        *,
        source: str | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._tables = tables
        self._source = source or self.SOURCE
        if not self._source:
            raise ValueError(f"{type(self).__name__} needs a SOURCE (the service name)")
        self._on_commit = on_commit
        self._pending: list[OutboxMessage] = []
        self._rows: list[Mapping[str, Any]] = []
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """The open session; only valid inside `async with`."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    def reading(self) -> Self:
        """For a query: statements run without a transaction (no `BEGIN`/`ROLLBACK` round trips).

        Under READ COMMITTED each statement sees what was committed when it started, in a
        transaction or not, so a view reads the same; nothing it wrote would be kept.
        """
        self._autocommit = True
        return self

    _autocommit = False

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        if self._autocommit:
            await self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:
            await self._session.begin()
        self._pending = []
        self._rows = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()
            self._session = None
            self._pending = []
            self._rows = []

    def emit(self, event: DomainEvent) -> Envelope:
        """Queue a domain event for the outbox; it is written at commit and published after it.

        It is translated into its contract here, so a missing translation fails the handler that
        emits it rather than the relay.
        """
        out = self.outgoing(event)
        envelope = envelope_for(
            type=out.event.ce_type(),
            source=f"/raderwerk/{self._source}",
            subject=out.subject_id,
            entity=out.entity,
            confidentiality=out.confidentiality,
            dataschema=f"urn:raderwerk:schema:{out.event.ce_type()}",
        )
        self._pending.append(OutboxMessage(out.event, envelope, out.subject))
        return envelope

    @property
    def emitted(self) -> tuple[OutboxMessage, ...]:
        """Events queued so far in this transaction."""
        return tuple(self._pending)

    async def already_handled(self, consumer: str, message_id: str) -> bool:
        """Claim `(consumer, message_id)` in the inbox; True when it was handled before.

        A concurrent duplicate waits on the primary key until the first transaction ends.
        """
        stmt = (
            pg_insert(self._tables.inbox)
            .values(consumer=consumer, message_id=message_id)
            .on_conflict_do_nothing()
            .returning(self._tables.inbox.c.message_id)
        )
        claimed = (await self.session.execute(stmt)).scalar_one_or_none()
        return claimed is None

    async def claim(self, consumer: str, message_ids: Sequence[str]) -> set[str]:
        """Claim many messages in the inbox with one statement; answers the ids claimed now.

        An id missing from the answer was handled before (or twice in `message_ids`: claimed once).
        """
        inbox = self._tables.inbox
        ids = list(dict.fromkeys(message_ids))
        stmt = (
            pg_insert(inbox)
            .from_select(
                ["consumer", "message_id"],
                select(literal(consumer, Text), func.unnest(bindparam("ids", type_=ARRAY(Text)))),
            )
            .on_conflict_do_nothing()
            .returning(inbox.c.message_id)
        )
        return set((await self.session.execute(stmt, {"ids": ids})).scalars())

    def add_outbox_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Queue ready outbox rows (`id`, `subject`, `headers`, `payload`), written with the events at commit."""
        self._rows.extend(rows)

    async def stored_result(self, consumer: str, message_id: str) -> dict[str, Any] | None:
        """The reply recorded for an idempotent command, if it was handled before."""
        inbox = self._tables.inbox
        row = await self.session.execute(
            select(inbox.c.result).where(inbox.c.consumer == consumer, inbox.c.message_id == message_id)
        )
        result: dict[str, Any] | None = row.scalar_one_or_none()
        return result

    async def record_handled(self, consumer: str, message_id: str, result: dict[str, Any]) -> None:
        """Record a handled command with its reply, in this transaction."""
        await self.session.execute(
            insert(self._tables.inbox).values(consumer=consumer, message_id=message_id, result=result)
        )

    async def commit(self) -> None:
        """Write queued events (and queued rows) to the outbox in one statement and commit everything."""
        rows = [
            *(
                {
                    "id": m.envelope.id,
                    "subject": m.subject,
                    "headers": m.envelope.to_headers(),
                    "payload": m.event.model_dump_json().encode(),
                }
                for m in self._pending
            ),
            *self._rows,
        ]
        if rows:
            await self.session.execute(insert(self._tables.outbox), rows)
        await self.session.commit()
        had_events = bool(rows)
        self._pending = []
        self._rows = []
        if had_events and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        """Abandon the state change and the queued events."""
        self._pending = []
        self._rows = []
        await self.session.rollback()
