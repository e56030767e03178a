"""The registry of finance: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faststream.nats import NatsBroker

from services.finance.adapters import translation
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.service_layer import views
from services.finance.service_layer.commands.budget_changes import BudgetChangeCommands
from services.finance.service_layer.commands.commitments import CommitmentCommands
from services.finance.service_layer.commands.payments import PaymentCommands
from services.finance.service_layer.commands.plan import PlanCommands
from services.finance.service_layer.commands.visums import VisumCommands
from services.finance.service_layer.reactions import FinanceReactions
from shared.contracts.finance import (
    AdjustCredits,
    CarryOverInvestmentCredits,
    ExportReport,
    GetCommitments,
    GetCreditUse,
    GetPolicyFieldUse,
    GetTotals,
    GetVisumReport,
    GrantVisum,
    ImportPlan,
    MarkPaid,
    OrderPayment,
    ProposeBudgetChange,
    RecordCommitment,
    RefuseVisum,
)
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.routes import command, reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["FinanceHandlers", "register"]


@dataclass(frozen=True)
class FinanceHandlers:
    """The handler objects `bootstrap.py` built with the council's policy and the clock."""

    visums: VisumCommands
    budget_changes: BudgetChangeCommands
    plan: PlanCommands
    commitments: CommitmentCommands
    payments: PaymentCommands
    reactions: FinanceReactions


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlFinanceUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    handlers: FinanceHandlers,
) -> None:
    """Bind every command, query and consumer of finance."""
    h = handlers
    bind_command(broker, ImportPlan, command(translation.import_plan, h.plan.import_plan), uow_factory=uow_factory)
    bind_command(
        broker,
        ProposeBudgetChange,
        command(translation.propose_budget_change, h.budget_changes.propose),
        uow_factory=uow_factory,
    )
    bind_command(
        broker, AdjustCredits, command(translation.adjust_credits, h.budget_changes.adjust), uow_factory=uow_factory
    )
    bind_command(
        broker,
        CarryOverInvestmentCredits,
        command(translation.carry_over_investment_credits, h.budget_changes.carry_over),
        uow_factory=uow_factory,
    )
    bind_command(broker, GrantVisum, command(translation.grant_visum, h.visums.grant), uow_factory=uow_factory)
    bind_command(broker, RefuseVisum, command(translation.refuse_visum, h.visums.refuse), uow_factory=uow_factory)
    bind_command(
        broker,
        RecordCommitment,
        command(translation.record_commitment, h.commitments.record),
        uow_factory=uow_factory,
    )
    bind_command(broker, OrderPayment, command(translation.order_payment, h.payments.order), uow_factory=uow_factory)
    bind_command(broker, MarkPaid, command(translation.mark_paid, h.payments.mark_paid), uow_factory=uow_factory)

    bind_query(broker, GetCreditUse, views.get_credit_use, uow_factory=uow_factory)
    bind_query(broker, GetTotals, views.get_totals, uow_factory=uow_factory)
    bind_query(broker, GetPolicyFieldUse, views.get_policy_field_use, uow_factory=uow_factory)
    bind_query(broker, GetVisumReport, views.get_visum_report, uow_factory=uow_factory)
    bind_query(broker, GetCommitments, views.get_commitments, uow_factory=uow_factory)
    bind_query(broker, ExportReport, views.export_report, uow_factory=uow_factory)

    bind_consumer(
        broker,
        consumer("finance_agenda_items"),
        {AgendaItemProposed: reaction(translation.check_budget, h.reactions.check_budget)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("finance_decisions"),
        {DecisionAdopted: reaction(translation.decision_adopted, h.reactions.carry_out)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("finance_delegations"),
        {
            DelegationGranted: reaction(translation.keep_delegation, h.reactions.keep_delegation),
            DelegationRevoked: reaction(translation.revoke_delegation, h.reactions.revoke_delegation),
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
