"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.service_layer import handlers
from shared.contracts import organisation as c
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted
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
    bind_consumer(
        broker,
        consumer("organisation_credit"),
        {CreditExhausted: handlers.follow_up_exhausted_credit},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("organisation_delegations"),
        {
            DelegationGranted: handlers.record_delegation_granted,
            DelegationRevoked: handlers.record_delegation_revoked,
            StaffAppointed: handlers.record_staff_appointed,
            StaffDismissed: handlers.record_staff_dismissed,
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_command(broker, c.ListTasks, handlers.list_tasks, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, c.ListMandates, handlers.list_mandates, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, c.GetOrganogram, handlers.get_organogram, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, c.ClaimTask, handlers.claim_task, uow_factory=uow_factory)
    bind_command(broker, c.CompleteTask, handlers.complete_task, uow_factory=uow_factory)
    bind_command(broker, c.ReassignTask, handlers.reassign_task, uow_factory=uow_factory)
    bind_command(broker, c.CommentTask, handlers.comment_task, uow_factory=uow_factory)
    bind_command(broker, c.CancelTask, handlers.cancel_task, uow_factory=uow_factory)
    bind_command(broker, c.ScanOverdue, handlers.scan_overdue, uow_factory=uow_factory)
    bind_command(broker, c.StartMandate, handlers.start_mandate, uow_factory=uow_factory)
    bind_command(broker, c.EndMandate, handlers.end_mandate, uow_factory=uow_factory)
    bind_command(broker, c.ChangeMandateStatus, handlers.change_mandate_status, uow_factory=uow_factory)
    bind_command(broker, c.DraftOrganogram, handlers.draft_organogram, uow_factory=uow_factory)
    bind_command(broker, c.ApplyOrganogram, handlers.apply_organogram, uow_factory=uow_factory)
