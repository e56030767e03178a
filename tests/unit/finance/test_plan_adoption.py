"""A plan read from a CSV is staged, checked when an item puts it before a council, and in force only
once adopted: nothing can be committed on it before."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.finance.domain.changes import BudgetChangeStatus
from services.finance.domain.model import CreditTotal
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    BudgetChangeApplied,
    BudgetCheckFailed,
    BudgetCheckPassed,
    CommitmentRecorded,
    CreditExhausted,
    GetBudgetChanges,
    GetBudgetChangesReply,
    ImportPlan,
    PlanImported,
    ProposeCarryOver,
)
from shared.contracts.meetings import AgendaItemProposed, DecisionKind
from shared.kernel import RuleViolation
from shared.vocabulary import Confidentiality, LegalEntity
from tests.factories import adopted_decision
from tests.unit.finance.driver import NOW, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import OC, G, at, credit, events, funded, impact

HEADER = (
    "entity,financial_year,kind,economic_account,policy_field,policy_objective,action_plan,action,amount,description\n"
)
PLAN = (
    HEADER
    + "gemeente,2026,opening_result,,,,,,1000.00,Resultaat vorig boekjaar\n"
    + "gemeente,2026,receipt,7300000,0020,,,,900000.00,Belastingen\n"
    + "gemeente,2026,expense,6140000,0119,BD-1,AP-1,AC-1,100000.00,Werking\n"
    + "gemeente,2026,expense,4200000,0090,,,,50000.00,Aflossingen\n"
    + "ocmw,2026,opening_result,,,,,,10.00,Resultaat vorig boekjaar\n"
    + "ocmw,2026,receipt,7400000,0900,,,,200000.00,Bijdrage gemeente\n"
    + "ocmw,2026,expense,6140000,0119,BD-1,AP-1,AC-1,100000.00,Werking\n"
)
UNBALANCED = HEADER + "gemeente,2026,expense,6140000,0119,,,AC-1,100000.00,Werking zonder ontvangsten\n"


async def _import(fin: Finance, uow: FakeFinanceUnitOfWork, csv: str = PLAN) -> dict[str, str]:
    reply = await fin.send(uow, ImportPlan(command_id=uuid.uuid4().hex, csv=csv), by="p-fd")
    return dict(reply.ids)


def _item(change_id: uuid.UUID, kind: DecisionKind, body: BodyKind, entity: LegalEntity) -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=body,
        entity=entity,
        title="Meerjarenplan",
        kind=kind,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=None,
        proposed_at=NOW,
        budget_change_id=change_id,
    )


async def test_an_imported_plan_is_staged_and_nothing_can_be_committed_before_its_adoption() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    reply = await fin.send(uow, ImportPlan(command_id="c-0000001", csv=PLAN), by="p-fd")
    assert set(reply.ids) == {"gemeente", "ocmw"}
    assert reply.data["gemeente"] == {
        "staged": True,
        "kind": "plan",
        "balanced": True,
        "refusal": None,
        "added": 3,
        "changed": 0,
        "unchanged": 0,
        "adopted_by": "gemeenteraad",
    }
    assert uow.credits.rows == {}, "staged: no credit in force"
    assert uow.estimates.rows == {}
    [imported] = events(uow, PlanImported)
    assert {str(i) for i in imported.budget_change_ids} == set(reply.ids.values())

    # A decision on the staged coding finds no credit.
    await fin.tell(uow, adopted_decision(financial_impact=impact("100.00")))
    assert events(uow, CreditExhausted)[-1].reason == "no_credit"

    gemeente = uuid.UUID(reply.ids["gemeente"])
    council = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=gemeente)
    await fin.tell(uow, council)
    [applied] = events(uow, BudgetChangeApplied)
    assert (applied.kind, applied.entity) == ("plan", G)
    assert [(e.key, e.amount) for e in applied.estimates] == [
        ("gemeente/2026/7300000/0020/-/receipt", Decimal("900000.00")),
        ("gemeente/2026/4200000/0090/-/expense", Decimal("50000.00")),
    ]
    assert [o.amount for o in await uow.estimates.openings()] == [Decimal("1000.00")]
    [total] = await uow.totals.all(G)
    assert (total.total, total.amount) == (CreditTotal.OPERATING, Decimal("100000.00"))

    await fin.tell(uow, adopted_decision(financial_impact=impact("100.00")))
    assert len(events(uow, CommitmentRecorded)) == 1, "in force: the credit can be committed"
    assert (await uow.credits.get((OC, 2026, "6140000", "0119", "AC-1"))) is None, "the OCMW part waits"


async def test_importing_the_plan_in_force_again_stages_nothing_and_a_new_amount_stages_a_change() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    ids = await _import(fin, uow)
    for body, entity, kind, change in (
        (BodyKind.GEMEENTERAAD, G, DecisionKind.BUDGET_CHANGE, ids["gemeente"]),
        (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, OC, DecisionKind.BUDGET_CHANGE, ids["ocmw"]),
        (BodyKind.GEMEENTERAAD, G, DecisionKind.BUDGET_APPROVAL, ids["ocmw"]),
    ):
        await fin.tell(uow, adopted_decision(body=body, entity=entity, kind=kind, budget_change_id=uuid.UUID(change)))
    again = await fin.send(uow, ImportPlan(command_id="c-0000002", csv=PLAN))
    assert again.ids == {}
    assert again.data["gemeente"] == {"staged": False, "unchanged": 3}
    changed = await fin.send(
        uow,
        ImportPlan(
            command_id="c-0000003",
            csv=PLAN.replace(
                "gemeente,2026,expense,6140000,0119,BD-1,AP-1,AC-1,100000.00",
                "gemeente,2026,expense,6140000,0119,BD-1,AP-1,AC-1,90000.00",
            ),
        ),
    )
    outcome = changed.data["gemeente"]
    assert isinstance(outcome, dict)
    assert (outcome["kind"], outcome["changed"], outcome["unchanged"]) == ("change", 1, 2)
    staged = uow.budget_changes.rows[uuid.UUID(changed.ids["gemeente"])]
    assert [(line.credit_key, line.change) for line in staged.lines] == [
        ("gemeente/2026/6140000/0119/AC-1", Decimal("-10000.00"))
    ]


async def test_an_unbalanced_plan_is_staged_as_such_and_kept_off_the_agenda() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    reply = await fin.send(uow, ImportPlan(command_id="c-0000001", csv=UNBALANCED))
    outcome = reply.data["gemeente"]
    assert isinstance(outcome, dict)
    assert outcome["balanced"] is False
    assert "available budgetary result of 2026 is -100000.00" in outcome["refusal"]
    item = _item(uuid.UUID(reply.ids["gemeente"]), DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, G)
    await fin.tell(uow, item)
    [failed] = events(uow, BudgetCheckFailed)
    assert (failed.item_id, failed.reason) == (item.item_id, "plan_not_in_balance")
    assert failed.credit_key == f"budget_change/{reply.ids['gemeente']}"


async def test_a_balanced_plan_may_go_before_its_council_and_only_there() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    ids = await _import(fin, uow)
    gemeente, ocmw = uuid.UUID(ids["gemeente"]), uuid.UUID(ids["ocmw"])
    await fin.tell(uow, _item(gemeente, DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, G))
    [passed] = events(uow, BudgetCheckPassed)
    assert (passed.entity, passed.visum_required) == (G, False)
    for kind, body, entity, reason in (
        (DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, G, "not_the_council"),
        (DecisionKind.BUDGET_APPROVAL, BodyKind.GEMEENTERAAD, G, "not_adopted_by_rmw"),
        (DecisionKind.CARRY_OVER, BodyKind.VAST_BUREAU, OC, "wrong_decision_kind"),
    ):
        await fin.tell(uow, _item(ocmw, kind, body, entity))
        assert events(uow, BudgetCheckFailed)[-1].reason == reason
    await fin.tell(uow, _item(ocmw, DecisionKind.BUDGET_CHANGE, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, OC))
    assert len(events(uow, BudgetCheckPassed)) == 2
    await fin.tell(uow, _item(uuid.uuid4(), DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, G))
    assert events(uow, BudgetCheckFailed)[-1].reason == "unknown_budget_change"


async def test_the_approval_item_may_go_before_the_gemeenteraad_once_the_rmw_adopted() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    ocmw = uuid.UUID((await _import(fin, uow))["ocmw"])
    rmw = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=ocmw
    )
    await fin.tell(uow, rmw)
    assert uow.budget_changes.rows[ocmw].status is BudgetChangeStatus.ADOPTED
    await fin.tell(uow, _item(ocmw, DecisionKind.BUDGET_APPROVAL, BodyKind.GEMEENTERAAD, G))
    assert len(events(uow, BudgetCheckPassed)) == 1
    assert events(uow, BudgetCheckFailed) == []


async def test_a_carry_over_item_after_1_march_is_kept_off_the_agenda() -> None:
    uow = funded(credit(account="2210000"))
    staged = await Finance(now=at(2027, 2, 20)).send(
        uow, ProposeCarryOver(command_id="c-0000001", entity=G, from_year=2026), by="p-fd"
    )
    change = uuid.UUID(staged.ids["budget_change_id"])
    await Finance(now=at(2027, 2, 27)).tell(uow, _item(change, DecisionKind.CARRY_OVER, BodyKind.COLLEGE, G))
    [passed] = events(uow, BudgetCheckPassed)
    assert passed.amount == Decimal("100000.00"), "what the carry-over moves"
    await Finance(now=at(2027, 3, 1)).tell(uow, _item(change, DecisionKind.CARRY_OVER, BodyKind.COLLEGE, G))
    assert events(uow, BudgetCheckFailed)[-1].reason == "carry_over_too_late"


async def test_the_staged_changes_and_the_balance_in_force_are_listed() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    ids = await _import(fin, uow)
    await fin.tell(
        uow,
        adopted_decision(
            body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=uuid.UUID(ids["gemeente"])
        ),
    )
    reply = await fin.registry.ask(uow, GetBudgetChanges(command_id="q-0000001"))
    assert isinstance(reply, GetBudgetChangesReply)
    assert {(c.entity, c.kind, c.status, c.balanced) for c in reply.changes} == {
        (G, "plan", "applied", True),
        (OC, "plan", "proposed", True),
    }
    [year] = reply.balance
    assert (year.financial_year, year.available_result) == (2026, Decimal("751000.00"))  # 1000 + 900000 - 150000
    assert year.self_financing_margin == Decimal("750000.00")  # 900000 - 100000 - 50000


async def test_an_opening_result_for_another_year_than_the_plans_first_is_refused() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork()
    ids = await _import(fin, uow)
    await fin.tell(
        uow,
        adopted_decision(
            body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=uuid.UUID(ids["gemeente"])
        ),
    )
    with pytest.raises(RuleViolation) as info:
        await fin.send(
            uow, ImportPlan(command_id="c-0000009", csv=HEADER + "gemeente,2027,opening_result,,,,,,5.00,x\n")
        )
    assert info.value.code == "invalid_plan"
    assert "belongs to its plan's first year, 2026" in info.value.message
