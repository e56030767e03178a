"""What an adopted decision's financial impact becomes: a commitment, a receipt, or nothing.

* An expense on a credit is committed under the one lock order, or reported as
  `finance.credit.exhausted` when it no longer fits.
* An expense that needs no credit (a debt repayment) is committed without one.
* A receipt is recorded as a receipt; a loan taken up (17x) uses the limitative loan-receipts
  total, and is reported as exhausted when it exceeds what the council authorised.
* An amount without a cash flow (63x depreciation, provisions) needs nothing.
"""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.accounts import Category, classify
from services.finance.domain.model import ReceiptRecord, commitment_on, credit_key, key_of
from services.finance.service_layer.locks import locked_for_commitment, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.vocabulary import Confidentiality, FinancialImpact, Flow

__all__ = ["record_impact"]


async def record_impact(
    uow: FinanceUnitOfWork,
    clock: Clock,
    *,
    decision_id: uuid.UUID,
    item_id: uuid.UUID,
    impact: FinancialImpact,
    confidentiality: Confidentiality,
) -> None:
    """Commit (or record as a receipt) an adopted decision's financial impact, once per decision."""
    rule = classify(impact.economic_account, impact.flow)
    if rule is None or rule.category is Category.NOT_BUDGETARY:
        return  # no cash flow: nothing to commit, no credit needed
    budget = await locked_for_commitment(uow, impact)
    if impact.flow is Flow.RECEIPT:
        if await uow.receipts.for_decision(decision_id) is not None:
            return  # recorded before (a redelivery under another message id)
    elif await uow.commitments.for_decision(decision_id) is not None:
        return  # committed before
    key = key_of(impact)
    credit = None
    if rule.total is not None:
        exhausted = budget.commitment_refusal(key, impact.amount)
        if exhausted is not None:
            uow.emit(
                events.CreditExhausted(
                    decision_id=decision_id,
                    entity=impact.entity,
                    amount=impact.amount,
                    available=budget.available(key),
                    credit_key=credit_key(*key),
                    reason=exhausted.code,
                    confidentiality=confidentiality,
                )
            )
            return
        credit = budget.commit(key, impact.amount)
        await save(uow, budget)
    remaining = budget.available(key) if credit is not None else None
    if impact.flow is Flow.RECEIPT:
        receipt = ReceiptRecord(
            receipt_id=uuid.uuid4(),
            decision_id=decision_id,
            entity=impact.entity,
            economic_account=impact.economic_account,
            policy_field=impact.policy_field,
            action=impact.action,
            financial_year=impact.financial_year,
            amount=impact.amount,
            third_party=impact.third_party,
            credit_key=credit.credit_key if credit is not None else None,
            recorded_at=clock(),
        )
        await uow.receipts.add(receipt)
        uow.emit(
            events.ReceiptRecorded(
                receipt_id=receipt.receipt_id,
                decision_id=decision_id,
                entity=receipt.entity,
                economic_account=receipt.economic_account,
                policy_field=receipt.policy_field,
                action=receipt.action,
                financial_year=receipt.financial_year,
                amount=receipt.amount,
                third_party=receipt.third_party,
                credit_key=receipt.credit_key,
                remaining=remaining,
                confidentiality=confidentiality,
            )
        )
        return
    commitment = commitment_on(
        credit,
        impact,
        commitment_id=uuid.uuid4(),
        created_at=clock(),
        third_party=impact.third_party,
        decision_id=decision_id,
        item_id=item_id,
    )
    await uow.commitments.add(commitment)
    uow.emit(
        events.CommitmentRecorded(
            commitment_id=commitment.commitment_id,
            decision_id=decision_id,
            entity=commitment.entity,
            economic_account=commitment.economic_account,
            policy_field=commitment.policy_field,
            action=commitment.action,
            financial_year=commitment.financial_year,
            amount=commitment.amount,
            third_party=commitment.third_party,
            credit_key=commitment.credit_key,
            remaining=remaining if remaining is not None else budget.available(key),
            confidentiality=confidentiality,
            credit_required=credit is not None,
        )
    )
