"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.service_layer import handlers
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed
from shared.contracts.meetings import DecideAgendaItem, ProposeAgendaItem
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker, uow_factory: Callable[[], SqlMeetingsUnitOfWork], dead_letters: DeadLetterStore
) -> None:
    """Bind every command and consumer of meetings."""
    bind_command(broker, ProposeAgendaItem, handlers.propose_agenda_item, uow_factory=uow_factory)
    bind_command(broker, DecideAgendaItem, handlers.decide_agenda_item, uow_factory=uow_factory)
    bind_consumer(
        broker,
        consumer("meetings_budget_checks"),
        {BudgetCheckPassed: handlers.record_budget_check, BudgetCheckFailed: handlers.record_budget_check},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
