"""Budget checks and commitments against credits that are limitative per entity."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.finance.domain.budget import Budget
from services.finance.domain.model import Credit, CreditTotal
from services.finance.service_layer import views
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact
from shared.contracts.finance import (
    BudgetCheckFailed,
    BudgetCheckPassed,
    CommitmentRecorded,
    CreditExhausted,
    GetCreditUse,
)
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted, DecisionKind
from shared.kernel import RuleViolation
from tests.factories import adopted_decision
from tests.unit.finance.driver import Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork, totals_of

NOW = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
KEY = (LegalEntity.GEMEENTE, 2026, "6140000", "0119", "AC-1.1.1")


def _credit(entity: LegalEntity = LegalEntity.GEMEENTE, amount: str = "10000.00", committed: str = "0.00") -> Credit:
    return Credit(
        entity=entity,
        financial_year=2026,
        total=CreditTotal.OPERATING,
        economic_account="6140000",
        policy_field="0119",
        action="AC-1.1.1",
        investment_project=None,
        description="Werkingskosten openbaar domein",
        amount=Decimal(amount),
        committed=Decimal(committed),
    )


def _impact(
    amount: str = "1000.00", entity: LegalEntity = LegalEntity.GEMEENTE, action: str | None = "AC-1.1.1"
) -> FinancialImpact:
    return FinancialImpact(
        entity=entity,
        amount=Decimal(amount),
        economic_account="6140000",
        policy_field="0119",
        action=action,
        financial_year=2026,
        third_party="Aannemer NV",
    )


def _proposed(
    impact: FinancialImpact | None, confidentiality: Confidentiality = Confidentiality.PUBLIC
) -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Onderhoud speelpleinen",
        kind=DecisionKind.DECISION,
        confidentiality=confidentiality,
        financial_impact=impact,
        proposed_at=NOW,
    )


def _adopted(impact: FinancialImpact | None, decision_id: uuid.UUID | None = None) -> DecisionAdopted:
    entity = impact.entity if impact else LegalEntity.GEMEENTE
    return adopted_decision(
        decision_id=decision_id or uuid.uuid4(),
        body=BodyKind.COLLEGE if entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU,
        motivation="Nodig",
        adopted_at=NOW,
        financial_impact=impact,
    )


# --- domain ---------------------------------------------------------------------------------


def _budget(*plan: Credit) -> Budget:
    return Budget(plan, totals_of(*plan))


def test_credit_key_and_available() -> None:
    credit = _credit(committed="2500.50")
    assert credit.available == Decimal("7499.50")
    assert credit.credit_key == "gemeente/2026/6140000/0119/AC-1.1.1"
    assert Credit(**{**credit.__dict__, "action": ""}).credit_key == "gemeente/2026/6140000/0119/-"


def test_the_commitment_question_names_no_credit_and_insufficient_credit() -> None:
    no_credit = _budget().commitment_refusal(KEY, Decimal(1))
    assert no_credit is not None
    assert no_credit.code == "no_credit"
    assert _budget(_credit()).commitment_refusal(KEY, Decimal("10000.00")) is None
    budget = _budget(_credit(committed="9000.00"))
    failed = budget.commitment_refusal(KEY, Decimal("1000.01"))
    assert failed is not None
    assert failed.code == "insufficient_credit"
    assert budget.available(KEY) == Decimal("1000.00")


def test_commit_refuses_to_overspend() -> None:
    budget = _budget(_credit())
    credit = budget.commit(KEY, Decimal("10000.00"))
    assert credit.available == 0
    with pytest.raises(RuleViolation) as info:
        budget.commit(KEY, Decimal("0.01"))
    assert info.value.code == "insufficient_credit"
    with pytest.raises(RuleViolation) as zero:
        _budget(_credit()).commit(KEY, Decimal(0))
    assert zero.value.code == "invalid_amount"


_cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))


@given(amount=_cents, requests=st.lists(_cents, max_size=40))
def test_no_sequence_of_commitments_overspends(amount: Decimal, requests: list[Decimal]) -> None:
    budget = _budget(_credit(amount=str(amount)))
    accepted = Decimal(0)
    for request in requests:
        refusal = budget.commitment_refusal(KEY, request)
        if refusal is None:
            budget.commit(KEY, request)
            accepted += request
        else:
            assert request > budget.available(KEY)
            with pytest.raises(RuleViolation):
                budget.commit(KEY, request)
        assert budget.available(KEY) >= 0
    credit = budget.credit(KEY)
    assert credit is not None
    assert accepted == credit.committed
    assert accepted <= amount


# --- budget check ---------------------------------------------------------------------------


async def test_budget_check_passes_when_the_credit_suffices() -> None:
    uow = FakeFinanceUnitOfWork(_credit(committed="4000.00"))
    event = _proposed(_impact("6000.00"), Confidentiality.CLOSED)
    await Finance().tell(uow, event)
    [passed] = uow.events()
    assert isinstance(passed, BudgetCheckPassed)
    assert passed.item_id == event.item_id
    assert passed.available == Decimal("6000.00")
    assert passed.credit_key == "gemeente/2026/6140000/0119/AC-1.1.1"
    [envelope] = uow.envelopes()
    assert envelope.subject == str(event.item_id)
    assert envelope.entity is Entity.GEMEENTE
    assert envelope.confidentiality is Confidentiality.CLOSED


async def test_budget_check_fails_on_insufficient_credit() -> None:
    uow = FakeFinanceUnitOfWork(_credit(committed="9500.00"))
    await Finance().tell(uow, _proposed(_impact("500.01")))
    [failed] = uow.events()
    assert isinstance(failed, BudgetCheckFailed)
    assert failed.reason == "insufficient_credit"
    assert failed.available == Decimal("500.00")


async def test_budget_check_fails_without_credit() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    await Finance().tell(uow, _proposed(_impact(action=None)))
    [failed] = uow.events()
    assert isinstance(failed, BudgetCheckFailed)
    assert failed.reason == "no_credit"
    assert failed.credit_key == "gemeente/2026/6140000/0119/-"
    assert failed.available == 0


async def test_an_item_without_financial_impact_is_not_checked() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    await Finance().tell(uow, _proposed(None))
    await Finance().tell(uow, _adopted(None))
    assert uow.events() == []


# --- commitments ----------------------------------------------------------------------------


async def test_a_commitment_is_recorded_with_what_remains() -> None:
    uow = FakeFinanceUnitOfWork(_credit(committed="1000.00"))
    event = _adopted(_impact("2500.25"))
    await Finance().tell(uow, event)
    [recorded] = uow.events()
    assert isinstance(recorded, CommitmentRecorded)
    assert recorded.decision_id == event.decision_id
    assert recorded.remaining == Decimal("6499.75")
    assert recorded.third_party == "Aannemer NV"
    assert recorded.credit_key == "gemeente/2026/6140000/0119/AC-1.1.1"
    credit = await uow.credits.get(KEY)
    assert credit is not None
    assert credit.committed == Decimal("3500.25")
    stored = await uow.commitments.for_decision(event.decision_id)
    assert stored is not None
    assert stored.commitment_id == recorded.commitment_id
    assert stored.amount == Decimal("2500.25")


async def test_an_exhausted_credit_changes_nothing() -> None:
    uow = FakeFinanceUnitOfWork(_credit(committed="9000.00"))
    await Finance().tell(uow, _adopted(_impact("1000.01")))
    [exhausted] = uow.events()
    assert isinstance(exhausted, CreditExhausted)
    assert exhausted.reason == "insufficient_credit"
    assert exhausted.available == Decimal("1000.00")
    assert uow.commitments.rows == {}
    [credit] = await uow.credits.of_entity()
    assert credit.committed == Decimal("9000.00")


async def test_a_decision_without_credit_reports_no_credit() -> None:
    uow = FakeFinanceUnitOfWork()
    await Finance().tell(uow, _adopted(_impact()))
    [exhausted] = uow.events()
    assert isinstance(exhausted, CreditExhausted)
    assert exhausted.reason == "no_credit"


async def test_a_gemeente_decision_leaves_the_ocmw_credit_untouched() -> None:
    uow = FakeFinanceUnitOfWork(_credit(LegalEntity.GEMEENTE), _credit(LegalEntity.OCMW))
    await Finance().tell(uow, _adopted(_impact("3000.00")))
    [ocmw] = await uow.credits.of_entity(LegalEntity.OCMW)
    [gemeente] = await uow.credits.of_entity(LegalEntity.GEMEENTE)
    assert ocmw.committed == 0
    assert gemeente.committed == Decimal("3000.00")
    [recorded] = uow.events()
    assert isinstance(recorded, CommitmentRecorded)
    assert recorded.entity is LegalEntity.GEMEENTE
    assert uow.envelopes()[0].entity is Entity.GEMEENTE


async def test_a_second_commitment_for_the_same_decision_is_ignored() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    decision_id = uuid.uuid4()
    await Finance().tell(uow, _adopted(_impact("1000.00"), decision_id))
    await Finance().tell(uow, _adopted(_impact("1000.00"), decision_id))
    assert len(uow.events()) == 1
    [credit] = await uow.credits.of_entity()
    assert credit.committed == Decimal("1000.00")
    assert len(uow.commitments.rows) == 1


# --- credit use -----------------------------------------------------------------------------


async def test_credit_use_lists_credits_by_key_with_amounts_as_strings() -> None:
    uow = FakeFinanceUnitOfWork(_credit(LegalEntity.OCMW), _credit(LegalEntity.GEMEENTE, committed="123.40"))
    reply = await views.get_credit_use(uow, GetCreditUse(command_id="query-0001"))
    assert [r.credit_key for r in reply.credits] == [
        "gemeente/2026/6140000/0119/AC-1.1.1",
        "ocmw/2026/6140000/0119/AC-1.1.1",
    ]
    assert reply.credits[0].model_dump(mode="json") == {
        "credit_key": "gemeente/2026/6140000/0119/AC-1.1.1",
        "entity": "gemeente",
        "total": "operating",
        "financial_year": 2026,
        "amount": "10000.00",
        "committed": "123.40",
        "available": "9876.60",
        "description": "Werkingskosten openbaar domein",
    }
    only_ocmw = await views.get_credit_use(uow, GetCreditUse(command_id="query-0002", entity=LegalEntity.OCMW))
    assert len(only_ocmw.credits) == 1


async def test_a_commitment_carries_the_art_83_coding_with_the_investment_project() -> None:
    investment = Credit(
        **{
            **_credit().__dict__,
            "economic_account": "2210000",
            "total": CreditTotal.INVESTMENT,
            "investment_project": "IP-1",
        }
    )
    uow = FakeFinanceUnitOfWork(investment)
    impact = FinancialImpact(**{**_impact("10.00").model_dump(), "economic_account": "2210000"})
    decision = adopted_decision(financial_impact=impact)
    await Finance(now=NOW).tell(uow, decision)
    [c] = uow.commitments.rows.values()
    assert (c.entity, c.economic_account, c.policy_field, c.action, c.financial_year) == (
        LegalEntity.GEMEENTE,
        "2210000",
        "0119",
        "AC-1.1.1",
        2026,
    )
    assert (c.amount, c.third_party, c.decision_id, c.investment_project, c.item_id, c.created_at) == (
        Decimal("10.00"),
        "Aannemer NV",
        decision.decision_id,
        "IP-1",
        decision.item_id,
        NOW,
    )
