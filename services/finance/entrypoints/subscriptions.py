"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.service_layer import handlers
from shared.contracts.finance import GetCreditUse
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker, uow_factory: Callable[[], SqlFinanceUnitOfWork], dead_letters: DeadLetterStore
) -> None:
    """Bind every command and consumer of finance."""
    # A query: answering a repeated command_id from the stored reply would show stale figures.
    bind_command(broker, GetCreditUse, handlers.get_credit_use, uow_factory=uow_factory, idempotent=False)
    bind_consumer(
        broker,
        consumer("finance_agenda_items"),
        {AgendaItemProposed: handlers.check_budget_of_item},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("finance_decisions"),
        {DecisionAdopted: handlers.record_commitment},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
