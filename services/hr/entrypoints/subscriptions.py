"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.service_layer import handlers
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(broker: NatsBroker, uow_factory: Callable[[], SqlHrUnitOfWork], dead_letters: DeadLetterStore) -> None:
    """Bind every consumer of hr."""
    bind_consumer(
        broker,
        consumer("hr_decisions"),
        {DecisionAdopted: handlers.record_decision_effects},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
