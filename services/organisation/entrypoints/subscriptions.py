"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.service_layer import handlers
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import ListTasks
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker, uow_factory: Callable[[], SqlOrganisationUnitOfWork], dead_letters: DeadLetterStore
) -> None:
    """Bind every command and consumer of organisation."""
    bind_consumer(
        broker,
        consumer("organisation_decisions"),
        {DecisionAdopted: handlers.create_follow_up_tasks},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_command(broker, ListTasks, handlers.list_tasks, uow_factory=uow_factory, idempotent=False)
