"""Plans and their changes are staged in finance and put in force only by the decision of their body.

A gemeente change by the gemeenteraad; an OCMW change by the RMW and then the gemeenteraad's
approval; a carry-over by the college (vast bureau) before 1 March. A change out of financial
balance is refused; internal adjustments change credits at once inside one total.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.finance.domain.changes import BudgetChangeStatus
from services.finance.domain.model import CreditTotal
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    AdjustCredits,
    BudgetChangeAdopted,
    BudgetChangeApplied,
    BudgetChangeProposed,
    BudgetChangeRefused,
    CarryOverCredit,
    CreditChange,
    CreditsAdjusted,
    InvestmentCreditsCarriedOver,
    ProposeBudgetChange,
    ProposeCarryOver,
)
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.kernel import RuleViolation
from shared.vocabulary import Entity, Flow, LegalEntity
from tests.factories import adopted_decision
from tests.unit.finance.driver import Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import OC, G, at, coding, credit, events, funded

# --- plan changes ---------------------------------------------------------------------------


async def _propose(
    fin: Finance, uow: FakeFinanceUnitOfWork, entity: LegalEntity, change: str, *changes: CreditChange
) -> uuid.UUID:
    reply = await fin.send(
        uow,
        ProposeBudgetChange(
            command_id=uuid.uuid4().hex,
            entity=entity,
            title="Aanpassing 2026/1",
            changes=(CreditChange(credit=coding(entity), change=Decimal(change)), *changes),
        ),
        by="p-fd",
    )
    assert reply.data["status"] == "proposed"
    return uuid.UUID(reply.ids["budget_change_id"])


def _decision(body: BodyKind, change_id: uuid.UUID, kind: DecisionKind = DecisionKind.BUDGET_CHANGE) -> DecisionAdopted:
    return adopted_decision(body=body, kind=kind, budget_change_id=change_id)


async def test_a_proposed_change_is_published_with_its_balance_test() -> None:
    fin, uow = Finance(), funded(credit())
    command = ProposeBudgetChange(
        command_id="c-0000001",
        entity=G,
        title="Aanpassing 2026/1",
        changes=(CreditChange(credit=coding(), change=Decimal("5000.00"), description="Meer onderhoud"),),
    )
    reply = await fin.send(uow, command)
    assert reply.data == {"status": "proposed", "balanced": True, "refusal": None}
    [proposed] = events(uow, BudgetChangeProposed)
    assert str(proposed.budget_change_id) == reply.ids["budget_change_id"]
    assert (proposed.entity, proposed.title, proposed.proposed_by, proposed.kind) == (
        G,
        "Aanpassing 2026/1",
        "p-fd",
        "change",
    )
    assert proposed.changes == command.changes, "the changes are published as they were proposed"
    assert proposed.balanced is True
    [year] = proposed.balance
    # Integrated plan: 2 x 10 000 000 receipts, 100 000 + 5 000 expenses of the gemeente.
    assert (year.financial_year, year.available_result) == (2026, Decimal("19895000.00"))
    [envelope] = uow.envelopes()
    assert (envelope.subject, envelope.entity) == (reply.ids["budget_change_id"], Entity.GEMEENTE)
    stored = uow.budget_changes.rows[proposed.budget_change_id]
    assert (stored.status, stored.proposed_at, stored.balanced) == (BudgetChangeStatus.PROPOSED, fin.clock(), True)


async def test_a_gemeente_change_is_in_force_only_by_the_gemeenteraad() -> None:
    fin, uow = Finance(), funded(credit(G), credit(OC))
    change_id = await _propose(fin, uow, G, "5000.00")
    assert (await uow.credits.of_entity(G))[0].amount == Decimal("100000.00"), "proposed: nothing changes yet"
    await fin.tell(uow, _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, change_id))
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "not_the_council"
    assert uow.budget_changes.rows[change_id].status is BudgetChangeStatus.REFUSED

    change_id = await _propose(fin, uow, G, "5000.00")
    council = _decision(BodyKind.GEMEENTERAAD, change_id)
    await fin.tell(uow, council)
    await fin.tell(uow, council)  # redelivered: applied once
    [applied] = events(uow, BudgetChangeApplied)
    assert applied.changes[0].amount == Decimal("105000.00")
    assert [(t.total, t.amount) for t in applied.totals] == [("operating", Decimal("105000.00"))]
    [gemeente] = await uow.credits.of_entity(G)
    [ocmw] = await uow.credits.of_entity(OC)
    assert (gemeente.amount, ocmw.amount) == (Decimal("105000.00"), Decimal("100000.00"))
    stored = uow.budget_changes.rows[change_id]
    assert (stored.status, stored.decision_id, stored.decided_at) == ("applied", council.decision_id, fin.clock())


async def test_an_ocmw_change_takes_effect_only_after_the_gemeenteraads_approval() -> None:
    fin, uow = Finance(), funded(credit(OC))
    change_id = await _propose(fin, uow, OC, "3000.00")
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id, DecisionKind.BUDGET_APPROVAL))
    assert events(uow, BudgetChangeRefused)[-1].reason == "not_adopted_by_rmw"

    change_id = await _propose(fin, uow, OC, "3000.00")
    rmw = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, change_id)
    await fin.tell(uow, rmw)
    await fin.tell(uow, rmw)  # redelivered: adopted once
    [adopted] = events(uow, BudgetChangeAdopted)
    assert (adopted.budget_change_id, adopted.decision_id, adopted.entity) == (change_id, rmw.decision_id, OC)
    stored = uow.budget_changes.rows[change_id]
    assert (stored.status, stored.adopted_by) == (BudgetChangeStatus.ADOPTED, rmw.decision_id)
    [before] = await uow.credits.of_entity(OC)
    assert before.amount == Decimal("100000.00"), "adopted by the RMW, not yet in force"
    assert events(uow, BudgetChangeApplied) == []

    again = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, change_id)
    await fin.tell(uow, again)
    assert events(uow, BudgetChangeRefused)[-1].reason == "awaiting_approval"


async def test_the_gemeenteraad_approves_the_ocmw_part_the_rmw_adopted() -> None:
    fin, uow = Finance(), funded(credit(OC))
    change_id = await _propose(fin, uow, OC, "3000.00")
    await fin.tell(uow, _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, change_id))
    approval = _decision(BodyKind.GEMEENTERAAD, change_id, DecisionKind.BUDGET_APPROVAL)
    await fin.tell(uow, approval)
    [applied] = events(uow, BudgetChangeApplied)
    assert (applied.entity, applied.decision_id, applied.changes[0].amount) == (
        OC,
        approval.decision_id,
        Decimal("103000.00"),
    )
    [after] = await uow.credits.of_entity(OC)
    assert after.amount == Decimal("103000.00")
    assert uow.budget_changes.rows[change_id].status is BudgetChangeStatus.APPLIED


async def test_the_gemeente_needs_no_approval() -> None:
    fin, uow = Finance(), funded(credit(G))
    change_id = await _propose(fin, uow, G, "1.00")
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id, DecisionKind.BUDGET_APPROVAL))
    assert events(uow, BudgetChangeRefused)[-1].reason == "approval_not_needed"


async def test_a_change_out_of_balance_is_staged_as_such_and_refused_by_the_council() -> None:
    fin, uow = Finance(), funded(credit(G))
    change_id = await _propose(fin, uow, G, "25000000.00")
    [proposed] = events(uow, BudgetChangeProposed)
    assert proposed.balanced is False
    assert proposed.refusal is not None
    assert "available budgetary result of 2026" in proposed.refusal
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id))
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "plan_not_in_balance"
    [unchanged] = await uow.credits.of_entity(G)
    assert unchanged.amount == Decimal("100000.00")


async def test_a_change_cannot_drop_a_credit_below_its_commitments() -> None:
    fin, uow = Finance(), funded(credit(OC, committed="99000.00"))
    change_id = await _propose(fin, uow, OC, "-2000.00")
    await fin.tell(uow, _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, change_id))
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id, DecisionKind.BUDGET_APPROVAL))
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "below_committed"
    assert "below the 99000.00 already committed" in refused.message
    [unchanged] = await uow.credits.of_entity(OC)
    assert unchanged.amount == Decimal("100000.00"), "a refused change changes nothing"
    assert uow.budget_changes.rows[change_id].refusal == refused.message
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, uuid.uuid4()))
    assert events(uow, BudgetChangeRefused)[-1].reason == "unknown_budget_change"


async def test_a_change_of_receipts_is_an_estimate_never_a_credit() -> None:
    fin, uow = Finance(), funded(credit(G))
    receipt = CreditChange(credit=coding(G, account="7400000"), change=Decimal("2500.00"), flow=Flow.RECEIPT)
    change_id = await _propose(fin, uow, G, "1000.00", receipt)
    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id))
    [applied] = events(uow, BudgetChangeApplied)
    assert [(e.key, e.amount) for e in applied.estimates] == [
        ("gemeente/2026/7400000/0119/AC-1/receipt", Decimal("2500.00"))
    ]
    assert [c.credit_key for c in await uow.credits.of_entity(G)] == ["gemeente/2026/6140000/0119/AC-1"]


async def test_a_plan_decision_naming_no_change_is_not_finances_business() -> None:
    fin, uow = Finance(), funded(credit())
    await fin.tell(uow, adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE))
    assert uow.events() == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (CreditChange(credit=coding(OC), change=Decimal(1)), "entity_mismatch"),
        (CreditChange(credit=coding(G, account="7000000"), change=Decimal(1)), "account_not_budgetary"),
        (CreditChange(credit=coding(G, account="6300000"), change=Decimal(1)), "account_not_budgetary"),
    ],
)
async def test_a_change_must_stay_in_its_entity_and_on_accounts_of_the_plan(change: CreditChange, code: str) -> None:
    fin, uow = Finance(), funded(credit())
    with pytest.raises(RuleViolation) as info:
        await fin.send(
            uow, ProposeBudgetChange(command_id="c-0000001", entity=G, title="Aanpassing", changes=(change,)), by="p-fd"
        )
    assert info.value.code == code
    assert uow.budget_changes.rows == {}


async def test_each_credit_appears_once_in_a_change() -> None:
    fin, uow = Finance(), funded(credit())
    twice = (CreditChange(credit=coding(), change=Decimal(1)), CreditChange(credit=coding(), change=Decimal(2)))
    with pytest.raises(RuleViolation) as info:
        await fin.send(
            uow, ProposeBudgetChange(command_id="c-0000003", entity=G, title="Aanpassing", changes=twice), by="p"
        )
    assert info.value.code == "duplicate_credit"


# --- internal adjustments -------------------------------------------------------------------


async def test_an_adjustment_inside_one_total_is_recorded_and_one_across_totals_refused() -> None:
    fin = Finance()
    uow = FakeFinanceUnitOfWork(credit(), credit(account="6130000"), credit(account="2210000"))
    ok = await fin.send(
        uow,
        AdjustCredits(
            command_id="c-0000001",
            entity=G,
            changes=(
                CreditChange(credit=coding(), change=Decimal("-1000.00")),
                CreditChange(credit=coding(account="6130000"), change=Decimal("1000.00")),
            ),
        ),
        by="p-ad",
    )
    assert ok.ids.keys() == {"adjustment_id"}
    [adjusted] = events(uow, CreditsAdjusted)
    assert [c.amount for c in adjusted.changes] == [Decimal("99000.00"), Decimal("101000.00")]
    [adjustment] = uow.budget_changes.adjustments
    assert (str(adjustment.adjustment_id), adjustment.decided_by, adjustment.adjusted_at) == (
        ok.ids["adjustment_id"],
        "p-ad",
        fin.clock(),
    )
    with pytest.raises(RuleViolation) as across:
        await fin.send(
            uow,
            AdjustCredits(
                command_id="c-0000002",
                entity=G,
                changes=(
                    CreditChange(credit=coding(), change=Decimal("-1000.00")),
                    CreditChange(credit=coding(account="2210000"), change=Decimal("1000.00")),
                ),
            ),
            by="p-ad",
        )
    assert across.value.code == "adjustment_changes_total"
    [total] = [t for t in await uow.totals.all(G) if t.total is CreditTotal.OPERATING]
    assert total.amount == Decimal("200000.00")


# --- carry-over -----------------------------------------------------------------------------


def _carry_over(entity: LegalEntity = G, *chosen: CarryOverCredit) -> ProposeCarryOver:
    return ProposeCarryOver(command_id=uuid.uuid4().hex, entity=entity, from_year=2026, credits=chosen)


async def test_nothing_moves_until_the_college_decides_the_carry_over_before_1_march() -> None:
    inv = credit(account="2210000", amount="50000.00", committed="20000.00")
    loans = credit(account="2900000", amount="300.00")
    uow = funded(inv, loans, credit(), credit(OC, account="2210000"))
    fin = Finance(now=at(2027, 2, 28, 23))
    reply = await fin.send(uow, _carry_over())
    assert reply.data["moves"] == [
        {"credit_key": "gemeente/2026/2210000/0119/AC-1", "amount": "30000.00"},
        {"credit_key": "gemeente/2026/2900000/0119/AC-1", "amount": "300.00"},
    ]
    change_id = uuid.UUID(reply.ids["budget_change_id"])
    assert (await uow.credits.get((G, 2027, "2210000", "0119", "AC-1"))) is None, "staged: nothing moved"
    [proposed] = events(uow, BudgetChangeProposed)
    assert (proposed.kind, proposed.balanced) == ("carry_over", None)

    await fin.tell(uow, _decision(BodyKind.GEMEENTERAAD, change_id, DecisionKind.CARRY_OVER))
    assert events(uow, BudgetChangeRefused)[-1].reason == "not_the_executive"
    change_id = uuid.UUID((await fin.send(uow, _carry_over())).ids["budget_change_id"])
    college = _decision(BodyKind.COLLEGE, change_id, DecisionKind.CARRY_OVER)
    await fin.tell(uow, college)
    [event] = events(uow, InvestmentCreditsCarriedOver)
    assert (event.from_year, event.to_year, event.decision_id, event.budget_change_id) == (
        2026,
        2027,
        college.decision_id,
        change_id,
    )
    assert [(c.credit_key, c.change, c.amount) for c in event.changes][:2] == [
        ("gemeente/2026/2210000/0119/AC-1", Decimal("-30000.00"), Decimal("20000.00")),
        ("gemeente/2027/2210000/0119/AC-1", Decimal("30000.00"), Decimal("30000.00")),
    ]
    new = await uow.credits.get((G, 2027, "2900000", "0119", "AC-1"))
    assert new is not None
    assert new.amount == Decimal("300.00"), "financing credits (granted loans) move too"
    ocmw = await uow.credits.get((OC, 2027, "2210000", "0119", "AC-1"))
    assert ocmw is None, "each entity carries over its own credits"


async def test_a_carry_over_decided_on_or_after_1_march_is_too_late() -> None:
    uow = funded(credit(account="2210000"))
    staged = await Finance(now=at(2027, 2, 27)).send(uow, _carry_over())
    change_id = uuid.UUID(staged.ids["budget_change_id"])
    late = Finance(now=at(2027, 3, 1))
    await late.tell(uow, _decision(BodyKind.COLLEGE, change_id, DecisionKind.CARRY_OVER))
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "carry_over_too_late"
    assert "before 2027-03-01" in refused.message
    with pytest.raises(RuleViolation) as info:
        await late.send(uow, _carry_over())
    assert info.value.code == "carry_over_too_late"


async def test_the_vast_bureau_carries_over_a_chosen_part_of_the_ocmws_credit() -> None:
    uow = funded(credit(OC, account="2210000", amount="1000.00"))
    fin = Finance(now=at(2027, 1, 10))
    chosen = CarryOverCredit(credit=coding(OC, account="2210000"), amount=Decimal("400.00"))
    change_id = uuid.UUID((await fin.send(uow, _carry_over(OC, chosen))).ids["budget_change_id"])
    await fin.tell(uow, _decision(BodyKind.VAST_BUREAU, change_id, DecisionKind.CARRY_OVER))
    moved = await uow.credits.get((OC, 2027, "2210000", "0119", "AC-1"))
    kept = await uow.credits.get((OC, 2026, "2210000", "0119", "AC-1"))
    assert (moved and moved.amount, kept and kept.amount) == (Decimal("400.00"), Decimal("600.00"))


async def test_a_change_whose_balance_would_leave_the_range_of_money_is_refused_by_a_rule() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    # Each line fits an amount; their sum in one year's result does not.
    huge = Decimal("-9999999999999.99")
    other = coding(G, account="6150000")
    with pytest.raises(RuleViolation) as refused:
        await fin.send(
            uow,
            ProposeBudgetChange(
                command_id=uuid.uuid4().hex,
                entity=G,
                title="Aanpassing buiten bereik",
                changes=(CreditChange(credit=coding(G), change=-huge), CreditChange(credit=other, change=-huge)),
            ),
            by="p-fd",
        )
    assert refused.value.code == "amount_out_of_range"
    assert not uow.budget_changes.rows
