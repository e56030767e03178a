"""Receipts are recorded as receipts, repayments consume no limitative credit, depreciation needs none."""

from __future__ import annotations

from decimal import Decimal

from services.finance.domain.model import Credit, CreditTotal
from shared.contracts.finance import (
    BudgetCheckFailed,
    BudgetCheckPassed,
    CommitmentRecorded,
    CreditExhausted,
    ReceiptRecorded,
)
from shared.contracts.meetings import AgendaItemProposed
from shared.vocabulary import FinancialImpact, Flow
from tests.factories import adopted_decision
from tests.unit.finance.driver import NOW, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import G, credit, events, proposed


def _impact(account: str, amount: str, flow: Flow = Flow.EXPENSE) -> FinancialImpact:
    return FinancialImpact(
        entity=G,
        amount=Decimal(amount),
        economic_account=account,
        policy_field="0119",
        action="AC-1",
        financial_year=2026,
        third_party="Belfius Bank",
        flow=flow,
    )


def _loans(amount: str = "500000.00") -> Credit:
    return Credit(
        G, 2026, CreditTotal.LOAN_RECEIPTS, "1710000", "0119", "AC-1", None, "Op te nemen leningen", Decimal(amount)
    )


async def test_a_loan_taken_up_uses_the_loan_receipts_total_and_is_recorded_as_a_receipt() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(_loans())
    decision = adopted_decision(financial_impact=_impact("1710000", "300000.00", Flow.RECEIPT))
    await fin.tell(uow, decision)
    await fin.tell(uow, decision)  # redelivered: recorded once
    [receipt] = events(uow, ReceiptRecorded)
    assert (receipt.decision_id, receipt.credit_key, receipt.remaining) == (
        decision.decision_id,
        "gemeente/2026/1710000/0119/AC-1",
        Decimal("200000.00"),
    )
    assert events(uow, CommitmentRecorded) == [], "no commitment: a receipt"
    [stored] = uow.receipts.rows.values()
    assert (stored.amount, stored.recorded_at) == (Decimal("300000.00"), NOW)
    beyond = adopted_decision(financial_impact=_impact("1710000", "200000.01", Flow.RECEIPT))
    await fin.tell(uow, beyond)
    [exhausted] = events(uow, CreditExhausted)
    assert (exhausted.reason, exhausted.available) == ("insufficient_credit", Decimal("200000.00"))


async def test_a_repayment_never_consumes_the_loan_receipts_total() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(_loans())
    for account in ("4200000", "1710000"):
        await fin.tell(uow, adopted_decision(financial_impact=_impact(account, "400000.00")))
    recorded = events(uow, CommitmentRecorded)
    assert [(c.economic_account, c.credit_required) for c in recorded] == [("4200000", False), ("1710000", False)]
    [loans] = await uow.credits.of_entity(G)
    assert loans.committed == 0, "the loan-receipts total is untouched"
    assert all(not c.credit_required for c in uow.commitments.rows.values())


async def test_an_operating_receipt_needs_no_credit_and_depreciation_nothing_at_all() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, adopted_decision(financial_impact=_impact("7000000", "1250.00", Flow.RECEIPT)))
    [receipt] = events(uow, ReceiptRecorded)
    assert (receipt.credit_key, receipt.remaining) == (None, None)
    before = len(uow.events())
    await fin.tell(uow, adopted_decision(financial_impact=_impact("6300000", "90000.00")))
    assert len(uow.events()) == before, "depreciation: nothing to commit"
    [operating] = await uow.credits.of_entity(G)
    assert operating.committed == 0


async def test_items_without_a_credit_pass_the_budget_check_and_need_no_visum_when_no_cash_leaves() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    for account, flow, visum in (
        ("7000000", Flow.RECEIPT, False),
        ("6300000", Flow.EXPENSE, False),
        ("4200000", Flow.EXPENSE, True),
    ):
        item = proposed("90000.00")
        item = AgendaItemProposed.model_validate(
            {**item.model_dump(), "financial_impact": _impact(account, "90000.00", flow).model_dump()}
        )
        await fin.tell(uow, item)
        passed = events(uow, BudgetCheckPassed)[-1]
        assert (passed.item_id, passed.visum_required) == (item.item_id, visum), account
    assert events(uow, BudgetCheckFailed) == []
    item = proposed("90000.00")
    loan = AgendaItemProposed.model_validate(
        {**item.model_dump(), "financial_impact": _impact("1710000", "90000.00", Flow.RECEIPT).model_dump()}
    )
    await fin.tell(uow, loan)
    assert events(uow, BudgetCheckFailed)[-1].reason == "no_credit", "a loan needs the council's loan-receipts total"
