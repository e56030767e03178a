"""An outbox full of events and what JetStream stored of them: for the relay's tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.meetings.adapters.tables import tables
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.events import AgendaItemProposed
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.db.engine import make_engine, make_session_factory
from shared.vocabulary import DecisionKind

__all__ = ["fill_outbox", "last_seq", "proposed_event", "stored_ids"]


def proposed_event() -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Test item",
        kind=DecisionKind.DECISION,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=None,
        proposed_at=dt.datetime.now(dt.UTC),
    )


async def fill_outbox(dsn: str, schema: str, count: int) -> set[str]:
    engine = make_engine(dsn, schema)
    ids: set[str] = set()
    try:
        async with SqlMeetingsUnitOfWork(make_session_factory(engine), tables) as uow:
            for _ in range(count):
                ids.add(uow.emit(proposed_event()).id)
            await uow.commit()
    finally:
        await engine.dispose()
    return ids


async def stored_ids(js: Any, since_seq: int) -> list[str]:
    """Message ids stored in MEETINGS after `since_seq`, read with an ephemeral consumer."""
    from nats.js.api import ConsumerConfig, DeliverPolicy

    sub = await js.pull_subscribe(
        "meetings.agenda_item.proposed",
        stream="MEETINGS",
        config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=since_seq + 1),
    )
    ids: list[str] = []
    try:
        while True:
            try:
                batch = await sub.fetch(500, timeout=1)
            except TimeoutError:
                return ids
            ids += [m.headers["Nats-Msg-Id"] for m in batch if m.headers]
            for m in batch:
                await m.ack()
    finally:
        await sub.unsubscribe()


async def last_seq(js: Any) -> int:
    return int((await js.stream_info("MEETINGS")).state.last_seq)
