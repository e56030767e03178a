"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

import functools
from collections.abc import Callable

from faststream.nats import NatsBroker

from services.external.adapters.uow import SqlExternalUnitOfWork
from services.external.domain.model import ReportingPolicy
from services.external.service_layer import handlers
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlExternalUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    policy: ReportingPolicy,
) -> None:
    """Bind every consumer of external."""
    bind_consumer(
        broker,
        consumer("external_decisions"),
        {DecisionAdopted: functools.partial(handlers.queue_supervision_report, policy=policy)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("external_publications"),
        {DocumentPublished: handlers.submit_with_publication},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
