"""The registry of organisation: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.organisation.adapters import translation
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
from shared.contracts import organisation as c
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.routes import command, reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlOrganisationUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    tasks: TaskCommands,
    mandates: MandateCommands,
    organogram: OrganogramCommands,
    reactions: OrganisationReactions,
    views: OrganisationViews,
) -> None:
    """Bind every command, query and consumer of organisation."""
    bind_consumer(
        broker,
        consumer("organisation_decisions"),
        {DecisionAdopted: reaction(translation.follow_up_decision, reactions.follow_up_decision)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("organisation_credit"),
        {CreditExhausted: reaction(translation.follow_up_exhausted_credit, reactions.follow_up_exhausted_credit)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("organisation_delegations"),
        {
            DelegationGranted: reaction(translation.record_delegation_granted, reactions.record_delegation_granted),
            DelegationRevoked: reaction(translation.record_delegation_revoked, reactions.record_delegation_revoked),
            StaffAppointed: reaction(translation.record_staff_appointed, reactions.record_staff_appointed),
            StaffDismissed: reaction(translation.record_staff_dismissed, reactions.record_staff_dismissed),
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_query(broker, c.ListTasks, views.list_tasks, uow_factory=uow_factory)
    bind_query(broker, c.ListMandates, views.list_mandates, uow_factory=uow_factory)
    bind_query(broker, c.GetOrganogram, views.get_organogram, uow_factory=uow_factory)
    bind_command(broker, c.ClaimTask, command(translation.claim_task, tasks.claim), uow_factory=uow_factory)
    bind_command(broker, c.CompleteTask, command(translation.complete_task, tasks.complete), uow_factory=uow_factory)
    bind_command(broker, c.ReassignTask, command(translation.reassign_task, tasks.reassign), uow_factory=uow_factory)
    bind_command(broker, c.CommentTask, command(translation.comment_task, tasks.comment), uow_factory=uow_factory)
    bind_command(broker, c.CancelTask, command(translation.cancel_task, tasks.cancel), uow_factory=uow_factory)
    bind_command(broker, c.ScanOverdue, command(translation.scan_overdue, tasks.scan_overdue), uow_factory=uow_factory)
    bind_command(broker, c.StartMandate, command(translation.start_mandate, mandates.start), uow_factory=uow_factory)
    bind_command(broker, c.EndMandate, command(translation.end_mandate, mandates.end), uow_factory=uow_factory)
    bind_command(
        broker,
        c.ChangeMandateStatus,
        command(translation.change_mandate_status, mandates.change_status),
        uow_factory=uow_factory,
    )
    bind_command(
        broker, c.DraftOrganogram, command(translation.draft_organogram, organogram.draft), uow_factory=uow_factory
    )
    bind_command(
        broker, c.ApplyOrganogram, command(translation.apply_organogram, organogram.apply), uow_factory=uow_factory
    )
