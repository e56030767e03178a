"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.service_layer import handlers
from shared.contracts import hr as c
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(broker: NatsBroker, uow_factory: Callable[[], SqlHrUnitOfWork], dead_letters: DeadLetterStore) -> None:
    """Bind every consumer and command of hr."""
    bind_consumer(
        broker,
        consumer("hr_decisions"),
        {DecisionAdopted: handlers.record_decision_effects},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_command(broker, c.GrantDelegation, handlers.grant_delegation, uow_factory=uow_factory)
    bind_command(broker, c.RevokeDelegation, handlers.revoke_delegation, uow_factory=uow_factory)
    bind_command(broker, c.CheckDelegation, handlers.check_delegation_query, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, c.ListStaff, handlers.list_staff, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, c.OpenConsultation, handlers.open_consultation_cmd, uow_factory=uow_factory)
    bind_command(broker, c.ConcludeConsultation, handlers.conclude_consultation_cmd, uow_factory=uow_factory)
    bind_command(broker, c.OpenEvaluation, handlers.open_evaluation, uow_factory=uow_factory)
    bind_command(broker, c.ConcludeEvaluation, handlers.conclude_evaluation_cmd, uow_factory=uow_factory)
    bind_command(broker, c.OpenDisciplinaryCase, handlers.open_disciplinary_case, uow_factory=uow_factory)
    bind_command(broker, c.AdvanceDisciplinaryCase, handlers.advance_disciplinary_case, uow_factory=uow_factory)
