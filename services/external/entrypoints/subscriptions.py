"""The registry of external: every subject it consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.external.adapters import translation
from services.external.adapters.uow import SqlExternalUnitOfWork
from services.external.service_layer.reactions import ExternalReactions
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.messaging.routes import reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlExternalUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    reactions: ExternalReactions,
) -> None:
    """Bind every consumer of external (it serves no commands or queries yet)."""
    bind_consumer(
        broker,
        consumer("external_decisions"),
        {DecisionAdopted: reaction(translation.queue_supervision_report, reactions.queue_supervision_report)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("external_publications"),
        {DocumentPublished: reaction(translation.submit_with_publication, reactions.submit_with_publication)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
