"""One handler per command and event; the messaging wrapper owns commit and rollback."""

from __future__ import annotations

import datetime as dt
import uuid

from services.finance.domain.model import ZERO, Commitment, CreditRuleError, Verdict, check_budget, commit, credit_key
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.finance import (
    BudgetCheckFailed,
    BudgetCheckPassed,
    CommitmentRecorded,
    CreditExhausted,
    GetCreditUse,
)
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted
from shared.messaging.envelope import Envelope

__all__ = ["check_budget_of_item", "get_credit_use", "record_commitment"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _money(amount: object) -> str:
    return f"{amount:.2f}"


async def check_budget_of_item(uow: FinanceUnitOfWork, event: AgendaItemProposed, _envelope: Envelope) -> None:
    """Answer a proposed item with a financial impact: is its credit sufficient?"""
    impact = event.financial_impact
    if impact is None:
        return
    action = impact.action or ""
    credit = await uow.credits.get(
        impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action
    )
    verdict = check_budget(credit, impact.amount)
    key = credit_key(impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action)
    result: BudgetCheckPassed | BudgetCheckFailed
    if verdict.passed:
        result = BudgetCheckPassed(
            item_id=event.item_id,
            entity=impact.entity,
            amount=impact.amount,
            available=verdict.available,
            credit_key=key,
        )
    else:
        result = BudgetCheckFailed(
            item_id=event.item_id,
            entity=impact.entity,
            amount=impact.amount,
            available=verdict.available,
            credit_key=key,
            reason=verdict.reason.value,
        )
    uow.emit(
        result,
        subject_id=str(event.item_id),
        entity=Entity(impact.entity.value),
        confidentiality=event.confidentiality,
    )


async def record_commitment(uow: FinanceUnitOfWork, event: DecisionAdopted, _envelope: Envelope) -> None:
    """Commit the credit of an adopted decision, or report that it no longer fits.

    The credit row is locked first, so concurrent commitments on it are serialised and can
    never overspend; the check for an earlier commitment of the same decision happens under
    that lock too (and `decision_id` is UNIQUE as a last line of defence).
    """
    impact = event.financial_impact
    if impact is None:
        return
    action = impact.action or ""
    credit = await uow.credits.get(
        impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action, for_update=True
    )
    if await uow.commitments.for_decision(event.decision_id) is not None:
        return  # already committed (a redelivery under another message id): nothing to do
    key = credit_key(impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action)
    if credit is None:
        uow.emit(
            CreditExhausted(
                decision_id=event.decision_id,
                entity=impact.entity,
                amount=impact.amount,
                available=ZERO,
                credit_key=key,
                reason=Verdict.NO_CREDIT.value,
            ),
            subject_id=str(event.decision_id),
            entity=Entity(impact.entity.value),
            confidentiality=event.confidentiality,
        )
        return
    try:
        committed = commit(credit, impact.amount)
    except CreditRuleError as exc:
        uow.emit(
            CreditExhausted(
                decision_id=event.decision_id,
                entity=impact.entity,
                amount=impact.amount,
                available=credit.available,
                credit_key=key,
                reason=exc.reason,
            ),
            subject_id=str(event.decision_id),
            entity=Entity(impact.entity.value),
            confidentiality=event.confidentiality,
        )
        return
    commitment = Commitment(
        commitment_id=uuid.uuid4(),
        decision_id=event.decision_id,
        entity=impact.entity,
        economic_account=impact.economic_account,
        policy_field=impact.policy_field,
        action=impact.action,
        financial_year=impact.financial_year,
        amount=impact.amount,
        third_party=impact.third_party,
        credit_key=key,
        created_at=_now(),
    )
    await uow.commitments.add(commitment)
    await uow.credits.update(committed)
    uow.emit(
        CommitmentRecorded(
            commitment_id=commitment.commitment_id,
            decision_id=commitment.decision_id,
            entity=commitment.entity,
            economic_account=commitment.economic_account,
            policy_field=commitment.policy_field,
            action=commitment.action,
            financial_year=commitment.financial_year,
            amount=commitment.amount,
            third_party=commitment.third_party,
            credit_key=key,
            remaining=committed.available,
        ),
        subject_id=str(event.decision_id),
        entity=Entity(impact.entity.value),
        confidentiality=event.confidentiality,
    )


async def get_credit_use(uow: FinanceUnitOfWork, cmd: GetCreditUse, _envelope: Envelope) -> CommandReply:
    """Credits with amount, committed and available (amounts as strings), by credit key."""
    found = sorted(await uow.credits.of_entity(cmd.entity), key=lambda c: c.credit_key)
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        data={
            "credits": [
                {
                    "credit_key": c.credit_key,
                    "entity": c.entity.value,
                    "total": c.total.value,
                    "financial_year": c.financial_year,
                    "amount": _money(c.amount),
                    "committed": _money(c.committed),
                    "available": _money(c.available),
                    "description": c.description,
                }
                for c in found
            ]
        },
    )
