"""Thin bindings of audit's query subjects to handlers (the ledger writer is in `adapters`)."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.service_layer import handlers
from shared.contracts.audit import GetTrail, VerifyLedger
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore

__all__ = ["register"]


def register(broker: NatsBroker, uow_factory: Callable[[], SqlAuditUnitOfWork], _dead_letters: DeadLetterStore) -> None:
    """Bind audit's queries; they change nothing, so a repeat is simply answered again."""
    bind_command(broker, GetTrail, handlers.get_trail, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, VerifyLedger, handlers.verify_ledger, uow_factory=uow_factory, idempotent=False)
