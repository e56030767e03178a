"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from faststream.nats import NatsBroker

from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.domain.control import FinancePolicy
from services.finance.service_layer import handlers
from shared.contracts.common import CommandReply
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
from shared.messaging.commands import bind_command
from shared.messaging.envelope import Envelope
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]

_Handler = Callable[[Any, Any, Envelope], Awaitable[Any]]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlFinanceUnitOfWork],
    dead_letters: DeadLetterStore,
    policy: FinancePolicy | None = None,
) -> None:
    """Bind every command and consumer of finance; `policy` carries the council's rules."""
    policy = policy or FinancePolicy()

    def ruled(handler: Callable[..., Awaitable[Any]]) -> _Handler:
        return partial(handler, policy=policy)

    commands: list[tuple[Any, Callable[..., Awaitable[CommandReply]]]] = [
        (ImportPlan, ruled(handlers.import_plan)),
        (ProposeBudgetChange, ruled(handlers.propose_budget_change)),
        (AdjustCredits, ruled(handlers.adjust_credits)),
        (GrantVisum, ruled(handlers.grant_visum)),
        (RefuseVisum, ruled(handlers.refuse_visum)),
        (RecordCommitment, ruled(handlers.record_commitment)),
        (OrderPayment, ruled(handlers.order_payment)),
        (MarkPaid, ruled(handlers.mark_paid)),
        (CarryOverInvestmentCredits, ruled(handlers.carry_over_investment_credits)),
    ]
    for model, handler in commands:
        bind_command(broker, model, handler, uow_factory=uow_factory)
    # Queries: answering a repeated command_id from the stored reply would show stale figures.
    queries: list[tuple[Any, Callable[..., Awaitable[CommandReply]]]] = [
        (GetCreditUse, handlers.get_credit_use),
        (GetTotals, handlers.get_totals),
        (GetPolicyFieldUse, handlers.get_policy_field_use),
        (GetVisumReport, handlers.get_visum_report),
        (GetCommitments, handlers.get_commitments),
        (ExportReport, handlers.export_report),
    ]
    for model, handler in queries:
        bind_command(broker, model, handler, uow_factory=uow_factory, idempotent=False)
    bind_consumer(
        broker,
        consumer("finance_agenda_items"),
        {AgendaItemProposed: ruled(handlers.check_budget_of_item)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("finance_decisions"),
        {DecisionAdopted: ruled(handlers.on_decision_adopted)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("finance_delegations"),
        {DelegationGranted: handlers.delegation_granted, DelegationRevoked: handlers.delegation_revoked},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
