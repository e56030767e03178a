"""Budget changes applied by the council, internal adjustments, carry-over and the plan import."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.finance.domain.budget import BudgetChangeStatus
from services.finance.domain.model import CreditTotal
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    AdjustCredits,
    BudgetChangeApplied,
    BudgetChangeProposed,
    BudgetChangeRefused,
    CarryOverInvestmentCredits,
    CreditChange,
    CreditsAdjusted,
    ImportPlan,
    InvestmentCreditsCarriedOver,
    PlanImported,
    ProposeBudgetChange,
)
from shared.contracts.meetings import DecisionKind
from shared.kernel import RuleViolation
from shared.vocabulary import Entity, LegalEntity
from tests.factories import adopted_decision
from tests.unit.finance.driver import Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import OC, G, at, coding, credit, events

# --- budget changes -------------------------------------------------------------------------


async def _propose(fin: Finance, uow: FakeFinanceUnitOfWork, entity: LegalEntity, change: str) -> uuid.UUID:
    reply = await fin.send(
        uow,
        ProposeBudgetChange(
            command_id=uuid.uuid4().hex,
            entity=entity,
            title="Aanpassing 2026/1",
            changes=(CreditChange(credit=coding(entity), change=Decimal(change)),),
            proposed_by="p-fd",
        ),
    )
    assert reply.data == {"status": "proposed"}
    return uuid.UUID(reply.ids["budget_change_id"])


async def test_a_proposed_budget_change_is_published_as_proposed() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    command = ProposeBudgetChange(
        command_id="c-0000001",
        entity=G,
        title="Aanpassing 2026/1",
        changes=(CreditChange(credit=coding(), change=Decimal("5000.00"), description="Meer onderhoud"),),
        proposed_by="p-fd",
    )
    reply = await fin.send(uow, command)
    [proposed] = events(uow, BudgetChangeProposed)
    assert str(proposed.budget_change_id) == reply.ids["budget_change_id"]
    assert (proposed.entity, proposed.title, proposed.proposed_by) == (G, "Aanpassing 2026/1", "p-fd")
    assert proposed.changes == command.changes, "the changes are published as they were proposed"
    [envelope] = uow.envelopes()
    assert (envelope.subject, envelope.entity) == (reply.ids["budget_change_id"], Entity.GEMEENTE)
    stored = uow.budget_changes.rows[proposed.budget_change_id]
    assert (stored.status, stored.proposed_at) == (BudgetChangeStatus.PROPOSED, fin.clock())


async def test_a_budget_change_is_applied_only_by_the_council_of_its_entity() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit(G), credit(OC))
    change_id = await _propose(fin, uow, G, "5000.00")
    assert (await uow.credits.of_entity(G))[0].amount == Decimal("100000.00"), "proposed: nothing changes yet"
    wrong = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id
    )
    await fin.tell(uow, wrong)
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "not_the_council"
    assert uow.budget_changes.rows[change_id].status is BudgetChangeStatus.REFUSED

    change_id = await _propose(fin, uow, G, "5000.00")
    council = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id)
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


async def test_an_ocmw_budget_change_needs_the_rmw_and_cannot_drop_below_commitments() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit(OC, committed="99000.00"))
    change_id = await _propose(fin, uow, OC, "-2000.00")
    rmw = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id
    )
    await fin.tell(uow, rmw)
    [refused] = events(uow, BudgetChangeRefused)
    assert refused.reason == "below_committed"
    assert "below the 99000.00 already committed" in refused.message
    [unchanged] = await uow.credits.of_entity(OC)
    assert unchanged.amount == Decimal("100000.00"), "a refused change changes nothing"
    assert uow.budget_changes.rows[change_id].refusal == refused.message
    unknown = adopted_decision(
        body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=uuid.uuid4()
    )
    await fin.tell(uow, unknown)
    assert events(uow, BudgetChangeRefused)[-1].reason == "unknown_budget_change"


async def test_a_budget_change_decision_naming_no_change_is_not_finances_business() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE))
    assert uow.events() == []


async def test_a_budget_change_must_stay_in_its_entity_and_in_limitative_accounts() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    with pytest.raises(RuleViolation) as mismatch:
        await fin.send(
            uow,
            ProposeBudgetChange(
                command_id="c-0000001",
                entity=G,
                title="Aanpassing",
                changes=(CreditChange(credit=coding(OC), change=Decimal(1)),),
                proposed_by="p-fd",
            ),
        )
    assert mismatch.value.code == "entity_mismatch"
    with pytest.raises(RuleViolation) as receipt:
        await fin.send(
            uow,
            ProposeBudgetChange(
                command_id="c-0000002",
                entity=G,
                title="Aanpassing",
                changes=(CreditChange(credit=coding(G, account="7000000"), change=Decimal(1)),),
                proposed_by="p-fd",
            ),
        )
    assert receipt.value.code == "account_not_limitative"
    with pytest.raises(RuleViolation) as twice:
        await fin.send(
            uow,
            ProposeBudgetChange(
                command_id="c-0000003",
                entity=G,
                title="Aanpassing",
                changes=(
                    CreditChange(credit=coding(), change=Decimal(1)),
                    CreditChange(credit=coding(), change=Decimal(2)),
                ),
                proposed_by="p-fd",
            ),
        )
    assert twice.value.code == "duplicate_credit"
    assert uow.budget_changes.rows == {}


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
            decided_by="p-ad",
        ),
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
                decided_by="p-ad",
            ),
        )
    assert across.value.code == "adjustment_changes_total"
    [total] = [t for t in await uow.totals.all(G) if t.total is CreditTotal.OPERATING]
    assert total.amount == Decimal("200000.00")


# --- carry-over -----------------------------------------------------------------------------


async def test_carry_over_before_1_march_moves_unused_investment_credit() -> None:
    inv = credit(account="2210000", amount="50000.00", committed="20000.00")
    uow = FakeFinanceUnitOfWork(inv, credit(), credit(OC, account="2210000"))
    fin = Finance(now=at(2027, 2, 28, 23))
    reply = await fin.send(uow, CarryOverInvestmentCredits(command_id="c-0000001", entity=G, from_year=2026))
    assert reply.data["moved"] == [{"credit_key": "gemeente/2026/2210000/0119/AC-1", "amount": "30000.00"}]
    [event] = events(uow, InvestmentCreditsCarriedOver)
    assert (event.from_year, event.to_year) == (2026, 2027)
    assert [(c.credit_key, c.change, c.amount) for c in event.changes] == [
        ("gemeente/2026/2210000/0119/AC-1", Decimal("-30000.00"), Decimal("20000.00")),
        ("gemeente/2027/2210000/0119/AC-1", Decimal("30000.00"), Decimal("30000.00")),
    ]
    assert uow.envelopes()[0].subject == "gemeente/2026"
    new = await uow.credits.get((G, 2027, "2210000", "0119", "AC-1"))
    assert new is not None
    assert new.amount == Decimal("30000.00")
    old = await uow.credits.get((G, 2026, "2210000", "0119", "AC-1"))
    assert old is not None
    assert old.amount == Decimal("20000.00")
    ocmw = await uow.credits.get((OC, 2027, "2210000", "0119", "AC-1"))
    assert ocmw is None, "each entity carries over its own credits"


async def test_carry_over_on_or_after_1_march_is_too_late() -> None:
    uow = FakeFinanceUnitOfWork(credit(account="2210000"))
    fin = Finance(now=at(2027, 3, 1))
    with pytest.raises(RuleViolation) as info:
        await fin.send(uow, CarryOverInvestmentCredits(command_id="c-0000001", entity=G, from_year=2026))
    assert info.value.code == "carry_over_too_late"
    assert "before 2027-03-01" in info.value.message


# --- plan import ----------------------------------------------------------------------------

HEADER = "entity,financial_year,economic_account,policy_field,policy_objective,action_plan,action,amount,description\n"


async def test_import_adds_new_credits_keeps_equal_ones_and_builds_the_tree() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    csv = HEADER + "gemeente,2026,6140000,0119,BD-1,AP-1.1,AC-1.1.1,1000.10,Werking\n"
    csv += "gemeente,2026,6130000,0119,BD-1,AP-1.1,AC-1.1.2,2000.20,Studies\n"
    reply = await fin.send(uow, ImportPlan(command_id="c-0000001", csv=csv))
    assert reply.data == {"credits_added": 2, "credits_unchanged": 0}
    [total] = await uow.totals.all()
    assert (total.total, total.amount) == (CreditTotal.OPERATING, Decimal("3000.30"))
    assert uow.plan.tree.actions == {"AC-1.1.1": ("AP-1.1", ""), "AC-1.1.2": ("AP-1.1", "")}
    again = await fin.send(uow, ImportPlan(command_id="c-0000002", csv=csv))
    assert again.data == {"credits_added": 0, "credits_unchanged": 2}
    assert [e.credits_added for e in events(uow, PlanImported)] == [2, 0]
    changed = csv.replace("1000.10", "1000.11")
    with pytest.raises(RuleViolation) as conflict:
        await fin.send(uow, ImportPlan(command_id="c-0000003", csv=changed))
    assert conflict.value.code == "plan_conflicts"
    assert conflict.value.message.startswith("line 2:")


async def test_import_errors_name_the_line_and_column() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    csv = HEADER + "gemeente,2026,6140000,0119,BD-1,AP-1.1,AC-1,10.00,a\ngemeente,2026,7000000,0119,,,,5.00,b\n"
    with pytest.raises(RuleViolation) as info:
        await fin.send(uow, ImportPlan(command_id="c-0000001", csv=csv))
    assert info.value.code == "invalid_plan"
    assert info.value.message.startswith("line 3, column economic_account:")
    assert uow.credits.rows == {}
