"""The registry of finance: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.finance.adapters import translation
from services.finance.service_layer import views
from services.finance.service_layer.commands.budget_changes import BudgetChangeCommands
from services.finance.service_layer.commands.commitments import CommitmentCommands
from services.finance.service_layer.commands.payments import PaymentCommands
from services.finance.service_layer.commands.plan import PlanCommands
from services.finance.service_layer.commands.visums import VisumCommands
from services.finance.service_layer.reactions import FinanceReactions
from services.finance.service_layer.views import PlanViews
from shared.contracts.finance import (
    AdjustCredits,
    ExportReport,
    GetBudgetChanges,
    GetBudgetHolderReport,
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
    ProposeCarryOver,
    RecordCommitment,
    RefuseVisum,
    RequestVisum,
)
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted
from shared.messaging.routes import Registry, command, reaction

__all__ = ["FinanceHandlers", "registry"]


@dataclass(frozen=True)
class FinanceHandlers:
    """The handler objects `bootstrap.py` built with the council's policy and the clock."""

    visums: VisumCommands
    budget_changes: BudgetChangeCommands
    plan: PlanCommands
    commitments: CommitmentCommands
    payments: PaymentCommands
    reactions: FinanceReactions
    plan_views: PlanViews


def registry(handlers: FinanceHandlers) -> Registry:
    """Every command, query and consumer of finance."""
    h = handlers
    return Registry(
        commands={
            ImportPlan: command(translation.import_plan, h.plan.import_plan),
            ProposeBudgetChange: command(translation.propose_budget_change, h.budget_changes.propose),
            AdjustCredits: command(translation.adjust_credits, h.budget_changes.adjust),
            ProposeCarryOver: command(translation.propose_carry_over, h.budget_changes.propose_carry_over),
            GrantVisum: command(translation.grant_visum, h.visums.grant),
            RefuseVisum: command(translation.refuse_visum, h.visums.refuse),
            RequestVisum: command(translation.request_visum, h.commitments.request_visum),
            RecordCommitment: command(translation.record_commitment, h.commitments.record),
            OrderPayment: command(translation.order_payment, h.payments.order),
            MarkPaid: command(translation.mark_paid, h.payments.mark_paid),
        },
        queries={
            GetCreditUse: views.get_credit_use,
            GetTotals: views.get_totals,
            GetPolicyFieldUse: views.get_policy_field_use,
            GetVisumReport: views.get_visum_report,
            GetCommitments: views.get_commitments,
            ExportReport: views.export_report,
            GetBudgetHolderReport: views.get_budget_holder_report,
            GetBudgetChanges: h.plan_views.get_budget_changes,
        },
        consumers={
            "finance_agenda_items": {AgendaItemProposed: reaction(translation.check_item, h.reactions.check_item)},
            "finance_decisions": {DecisionAdopted: reaction(translation.decision_adopted, h.reactions.carry_out)},
            "finance_delegations": {
                DelegationGranted: reaction(translation.keep_delegation, h.reactions.keep_delegation),
                DelegationRevoked: reaction(translation.revoke_delegation, h.reactions.revoke_delegation),
            },
        },
    )
