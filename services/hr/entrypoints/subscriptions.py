"""The registry of hr: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faststream.nats import NatsBroker

from services.hr.adapters import translation
from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.service_layer.commands.consultations import ConsultationCommands
from services.hr.service_layer.commands.delegations import DelegationCommands
from services.hr.service_layer.commands.personnel import PersonnelCommands
from services.hr.service_layer.reactions import HrReactions
from services.hr.service_layer.views import HrViews
from shared.contracts import hr as c
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.routes import command, reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["HrHandlers", "register"]


@dataclass(frozen=True)
class HrHandlers:
    """The handler objects `bootstrap.py` built with their policies and the clock."""

    delegations: DelegationCommands
    consultations: ConsultationCommands
    personnel: PersonnelCommands
    reactions: HrReactions
    views: HrViews


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlHrUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    handlers: HrHandlers,
) -> None:
    """Bind every consumer, command and query of hr."""
    h = handlers
    bind_consumer(
        broker,
        consumer("hr_decisions"),
        {DecisionAdopted: reaction(translation.decision_effect, h.reactions.record_decision)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_command(
        broker, c.GrantDelegation, command(translation.grant_delegation, h.delegations.grant), uow_factory=uow_factory
    )
    bind_command(
        broker,
        c.RevokeDelegation,
        command(translation.revoke_delegation, h.delegations.revoke),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.OpenConsultation,
        command(translation.open_consultation, h.consultations.open),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.ConcludeConsultation,
        command(translation.conclude_consultation, h.consultations.conclude),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.OpenEvaluation,
        command(translation.open_evaluation, h.personnel.open_evaluation),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.ConcludeEvaluation,
        command(translation.conclude_evaluation, h.personnel.conclude_evaluation),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.OpenDisciplinaryCase,
        command(translation.open_disciplinary_case, h.personnel.open_case),
        uow_factory=uow_factory,
    )
    bind_command(
        broker,
        c.AdvanceDisciplinaryCase,
        command(translation.advance_disciplinary_case, h.personnel.advance_case),
        uow_factory=uow_factory,
    )
    bind_query(broker, c.CheckDelegation, h.views.check_delegation, uow_factory=uow_factory)
    bind_query(broker, c.ListStaff, h.views.list_staff, uow_factory=uow_factory)
