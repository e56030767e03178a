"""No commitment without its visum: above the council's threshold a budget holder needs the financial
director's visum on the very commitment, and a refused visum yields only to the college or vast bureau."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.finance.domain.control import VisumStatus
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    CommitmentRecordedUnderDelegation,
    GrantVisum,
    RecordCommitment,
    RefuseVisum,
    RequestVisum,
    VisumOverruled,
    VisumRequested,
)
from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower
from shared.contracts.meetings import DecisionKind
from shared.kernel import RuleViolation
from shared.vocabulary import FinancialImpact, Flow
from tests.factories import adopted_decision
from tests.unit.finance.driver import FD, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import OC, G, credit, events, impact

AMOUNT = "25000.00"  # above the default threshold of 15000.00


def _delegation(entity: str = "gemeente") -> DelegationGranted:
    return DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id="p-dh",
        power=DelegationPower.BUDGET_HOLDER,
        entity=G if entity == "gemeente" else OC,
        budget_scope=BudgetHolderScope(entity=G, max_amount=Decimal("50000.00")),
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
    )


async def _ready() -> tuple[Finance, FakeFinanceUnitOfWork]:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, _delegation())
    return fin, uow


def _record(
    request_id: uuid.UUID | None = None, amount: str = AMOUNT, third_party: str = "Drukkerij"
) -> RecordCommitment:
    return RecordCommitment(
        command_id=uuid.uuid4().hex,
        impact=impact(amount),
        third_party=third_party,
        reason="Folders",
        visum_request_id=request_id,
    )


async def _request(fin: Finance, uow: FakeFinanceUnitOfWork, amount: str = AMOUNT) -> uuid.UUID:
    reply = await fin.send(
        uow, RequestVisum(command_id=uuid.uuid4().hex, impact=impact(amount), third_party="Drukkerij"), by="p-dh"
    )
    return uuid.UUID(reply.ids["request_id"])


async def test_above_the_threshold_a_commitment_without_a_visum_is_refused() -> None:
    fin, uow = await _ready()
    with pytest.raises(RuleViolation) as info:
        await fin.send(uow, _record(), by="p-dh")
    assert info.value.code == "visum_missing"
    assert "request_visum" in info.value.message
    with pytest.raises(RuleViolation) as unknown:
        await fin.send(uow, _record(uuid.uuid4()), by="p-dh")
    assert unknown.value.code == "visum_missing"
    assert uow.commitments.rows == {}
    [held] = await uow.credits.of_entity(G)
    assert held.committed == 0
    below = await fin.send(uow, _record(amount="14999.99"), by="p-dh")
    assert "visum_id" not in below.ids, "below the threshold no visum is needed"


async def test_a_granted_visum_allows_that_commitment_once() -> None:
    fin, uow = await _ready()
    request = await _request(fin, uow)
    [asked] = events(uow, VisumRequested)
    assert (asked.request_id, asked.person_id, asked.amount) == (request, "p-dh", Decimal(AMOUNT))
    with pytest.raises(RuleViolation) as pending:
        await fin.send(uow, _record(request), by="p-dh")
    assert pending.value.code == "visum_missing"
    await fin.send(uow, GrantVisum(command_id="c-0000001", item_id=request), by=FD)
    with pytest.raises(RuleViolation) as other:
        await fin.send(uow, _record(request, third_party="Andere drukkerij"), by="p-dh")
    assert other.value.code == "visum_mismatch"
    reply = await fin.send(uow, _record(request), by="p-dh")
    [made] = events(uow, CommitmentRecordedUnderDelegation)
    assert str(made.commitment_id) == reply.ids["commitment_id"]
    visum = await uow.visums.for_item(request)
    assert visum is not None
    assert (visum.status, str(visum.commitment_id)) == (VisumStatus.GRANTED, reply.ids["commitment_id"])
    with pytest.raises(RuleViolation) as used:
        await fin.send(uow, _record(request), by="p-dh")
    assert used.value.code == "visum_used"


async def test_a_refused_visum_blocks_the_commitment_until_the_college_overrules_it() -> None:
    fin, uow = await _ready()
    request = await _request(fin, uow)
    await fin.send(uow, RefuseVisum(command_id="c-0000001", item_id=request, reasons=("Geen raamcontract",)), by=FD)
    with pytest.raises(RuleViolation) as refused:
        await fin.send(uow, _record(request), by="p-dh")
    assert refused.value.code == "visum_refused"
    # Another body than the entity's executive cannot overrule.
    council = adopted_decision(
        body=BodyKind.GEMEENTERAAD, kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=request
    )
    await fin.tell(uow, council)
    assert events(uow, VisumOverruled) == []
    college = adopted_decision(body=BodyKind.COLLEGE, kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=request)
    await fin.tell(uow, college)
    [overruled] = events(uow, VisumOverruled)
    assert (overruled.item_id, overruled.decision_id, overruled.body) == (
        request,
        college.decision_id,
        BodyKind.COLLEGE,
    )
    assert overruled.refusal_reasons == ("Geen raamcontract",)
    reply = await fin.send(uow, _record(request), by="p-dh")
    assert reply.ids["visum_id"] == str(overruled.visum_id)


async def test_a_visum_is_asked_only_where_it_is_needed_and_covered() -> None:
    fin, uow = await _ready()
    with pytest.raises(RuleViolation) as below:
        await _request(fin, uow, "100.00")
    assert below.value.code == "visum_not_required"
    with pytest.raises(RuleViolation) as too_much:
        await _request(fin, uow, "100000.01")
    assert too_much.value.code == "no_valid_delegation"
    receipt = FinancialImpact(**{**impact(AMOUNT).model_dump(), "economic_account": "7000000", "flow": Flow.RECEIPT})
    with pytest.raises(RuleViolation) as not_credit:
        await fin.send(uow, RequestVisum(command_id="c-0000002", impact=receipt, third_party="Koper"), by="p-dh")
    assert not_credit.value.code == "not_a_credit"
    assert uow.visums.rows == {}
