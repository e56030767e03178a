"""Items that put a plan, plan change or carry-over staged in finance before a body wait for finance's
check, like items with a financial impact: a plan out of balance never reaches an agenda."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.meetings.domain.model import BudgetCheck
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed
from shared.contracts.meetings import AgendaItemProposed, DecisionKind, ProposeAgendaItem
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, LegalEntity
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

MEETINGS = Service()
ENTITY = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
}


def _proposal(kind: DecisionKind, body: BodyKind, change: uuid.UUID | None) -> ProposeAgendaItem:
    return ProposeAgendaItem(
        command_id=uuid.uuid4().hex,
        body=body,
        entity=ENTITY[body],
        title="Meerjarenplan 2026-2031",
        kind=kind,
        legal_basis="Decreet lokaal bestuur art. 41, 249",
        budget_change_id=change,
    )


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        (DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD),
        (DecisionKind.BUDGET_CHANGE, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN),
        (DecisionKind.BUDGET_APPROVAL, BodyKind.GEMEENTERAAD),
        (DecisionKind.CARRY_OVER, BodyKind.COLLEGE),
        (DecisionKind.CARRY_OVER, BodyKind.VAST_BUREAU),
    ],
)
async def test_a_plan_item_waits_for_finances_check_and_names_what_finance_staged(
    kind: DecisionKind, body: BodyKind
) -> None:
    uow = FakeMeetingsUnitOfWork()
    change = uuid.uuid4()
    reply = await MEETINGS.send(uow, _proposal(kind, body, change))
    assert reply.data["budget_check"] == "pending"
    [proposed] = [e for e in uow.events() if isinstance(e, AgendaItemProposed)]
    assert (proposed.kind, proposed.budget_change_id) == (kind, change)
    item = uow.items.rows[uuid.UUID(reply.ids["item_id"])]
    with pytest.raises(RuleViolation) as missing:
        item.check_ready(consultation_concluded=False)
    assert missing.value.code == "budget_check_missing"


@pytest.mark.parametrize(
    ("kind", "body", "code"),
    [
        (DecisionKind.BUDGET_CHANGE, BodyKind.COLLEGE, "budget_change_not_council"),
        (DecisionKind.BUDGET_APPROVAL, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, "budget_approval_not_council"),
        (DecisionKind.CARRY_OVER, BodyKind.GEMEENTERAAD, "carry_over_not_executive"),
    ],
)
async def test_each_plan_kind_goes_before_its_own_body(kind: DecisionKind, body: BodyKind, code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(FakeMeetingsUnitOfWork(), _proposal(kind, body, uuid.uuid4()))
    assert info.value.code == code
    with pytest.raises(RuleViolation) as unnamed:
        await MEETINGS.send(FakeMeetingsUnitOfWork(), _proposal(kind, body, None))
    assert unnamed.value.code == "budget_change_missing"


async def test_finances_refusal_keeps_the_plan_off_the_agenda_and_its_pass_lets_it_on() -> None:
    uow = FakeMeetingsUnitOfWork()
    refused = uuid.UUID(
        (await MEETINGS.send(uow, _proposal(DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, uuid.uuid4()))).ids[
            "item_id"
        ]
    )
    passed = uuid.UUID(
        (await MEETINGS.send(uow, _proposal(DecisionKind.BUDGET_CHANGE, BodyKind.GEMEENTERAAD, uuid.uuid4()))).ids[
            "item_id"
        ]
    )
    g, zero = LegalEntity.GEMEENTE, Decimal(0)
    await MEETINGS.tell(
        uow,
        BudgetCheckFailed(
            item_id=refused, entity=g, amount=zero, available=zero, credit_key="k", reason="plan_not_in_balance"
        ),
    )
    await MEETINGS.tell(uow, BudgetCheckPassed(item_id=passed, entity=g, amount=zero, available=zero, credit_key="k"))
    with pytest.raises(RuleViolation) as info:
        uow.items.rows[refused].check_ready(consultation_concluded=False)
    assert info.value.code == "budget_check_failed"
    assert "financial balance" in info.value.message
    assert uow.items.rows[passed].budget_check is BudgetCheck.PASSED
    uow.items.rows[passed].check_ready(consultation_concluded=False)
