"""The registry of audit: its query subjects (the ledger writer reads CAPTURE in `adapters`)."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.service_layer import views
from shared.contracts.audit import GetTrail, VerifyLedger
from shared.messaging.commands import bind_query
from shared.messaging.subscriber import DeadLetterStore

__all__ = ["register"]


def register(broker: NatsBroker, uow_factory: Callable[[], SqlAuditUnitOfWork], _dead_letters: DeadLetterStore) -> None:
    """Bind audit's queries; they change nothing, so a repeat is simply answered again."""
    bind_query(broker, GetTrail, views.get_trail, uow_factory=uow_factory)
    bind_query(broker, VerifyLedger, views.verify_ledger, uow_factory=uow_factory)
