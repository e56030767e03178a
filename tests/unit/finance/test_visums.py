"""The budget check's visum request, the financial director's answer, and the overruling."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.finance.domain.control import VisumStatus
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer import views
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    BudgetCheckFailed,
    BudgetCheckPassed,
    CommitmentBlocked,
    CommitmentRecorded,
    GetVisumReport,
    GrantVisum,
    RefuseVisum,
    VisumCounts,
    VisumGranted,
    VisumOverruled,
    VisumRefused,
)
from shared.contracts.meetings import DecisionKind
from shared.kernel import RuleViolation
from shared.vocabulary import LegalEntity
from tests.factories import adopted_decision
from tests.unit.finance.driver import FD, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import G, adopted, credit, events, proposed


async def test_a_passed_check_requires_a_visum_from_15000_and_records_the_request() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    big, small = proposed("15000.00"), proposed("14999.99")
    await fin.tell(uow, big)
    await fin.tell(uow, small)
    passed = events(uow, BudgetCheckPassed)
    assert [p.visum_required for p in passed] == [True, False]
    visum = await uow.visums.for_item(big.item_id)
    assert visum is not None
    assert visum.status is VisumStatus.REQUESTED
    assert visum.requested_at == fin.clock(), "requested at the injected clock's time"
    assert await uow.visums.for_item(small.item_id) is None


async def test_the_visum_threshold_is_policy() -> None:
    fin = Finance(policy=FinancePolicy(financial_director=FD, visum_exempt_below=Decimal("30000.00")))
    uow = FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, proposed("20000.00"))
    [passed] = events(uow, BudgetCheckPassed)
    assert not passed.visum_required


async def test_the_check_takes_commitments_into_account() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit(committed="90000.00"))
    await fin.tell(uow, proposed("10000.01"))
    [failed] = events(uow, BudgetCheckFailed)
    assert (failed.reason, failed.available, failed.amount) == (
        "insufficient_credit",
        Decimal("10000.00"),
        Decimal("10000.01"),
    )


async def test_grant_and_refuse_visum_commands() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    a, b = proposed("20000.00"), proposed("30000.00")
    await fin.tell(uow, a)
    await fin.tell(uow, b)
    with pytest.raises(RuleViolation) as not_fd:
        await fin.send(uow, GrantVisum(command_id="c-0000001", item_id=a.item_id), by="p-x")
    assert not_fd.value.code == "not_financial_director"
    reply = await fin.send(
        uow, GrantVisum(command_id="c-0000002", item_id=a.item_id, conditions=("Na gunning",)), by=FD
    )
    assert reply.ids.keys() == {"visum_id"}
    [granted] = events(uow, VisumGranted)
    assert (granted.item_id, granted.conditions, granted.granted_by) == (a.item_id, ("Na gunning",), FD)
    assert granted.granted_at == fin.clock()
    assert str(granted.visum_id) == reply.ids["visum_id"]
    await fin.send(uow, RefuseVisum(command_id="c-0000003", item_id=b.item_id, reasons=("Geen raamcontract",)), by=FD)
    [refused] = events(uow, VisumRefused)
    assert refused.reasons == ("Geen raamcontract",)
    with pytest.raises(RuleViolation) as twice:
        await fin.send(uow, RefuseVisum(command_id="c-0000004", item_id=a.item_id, reasons=("x",)), by=FD)
    assert twice.value.code == "visum_already_given"
    with pytest.raises(RuleViolation) as unknown:
        await fin.send(uow, GrantVisum(command_id="c-0000005", item_id=uuid.uuid4()), by=FD)
    assert unknown.value.code == "no_visum_requested"
    c = proposed("40000.00")
    await fin.tell(uow, c)
    with pytest.raises(RuleViolation) as blank:
        await fin.send(uow, RefuseVisum(command_id="c-0000006", item_id=c.item_id, reasons=(" ",)), by=FD)
    assert blank.value.code == "reasons_required"


async def test_the_financial_director_is_who_the_policy_names() -> None:
    fin = Finance(policy=FinancePolicy(financial_director="p-123"))
    uow = FakeFinanceUnitOfWork(credit())
    item = proposed("20000.00")
    await fin.tell(uow, item)
    with pytest.raises(RuleViolation) as demo:
        await fin.send(uow, GrantVisum(command_id="c-0000001", item_id=item.item_id), by=FD)
    assert demo.value.code == "not_financial_director"
    await fin.send(uow, GrantVisum(command_id="c-0000002", item_id=item.item_id), by="p-123")
    assert len(events(uow, VisumGranted)) == 1


async def test_a_refused_visum_blocks_the_commitment_until_the_college_overrules_it() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    item = proposed("20000.00")
    await fin.tell(uow, item)
    await fin.send(uow, RefuseVisum(command_id="c-0000001", item_id=item.item_id, reasons=("Onwettig",)), by=FD)
    decision = adopted(item.item_id)
    await fin.tell(uow, decision)
    [blocked] = events(uow, CommitmentBlocked)
    assert (blocked.reason, blocked.decision_id) == ("visum_refused", decision.decision_id)
    assert uow.commitments.rows == {}
    stored = await uow.visums.for_item(item.item_id)
    assert stored is not None
    assert stored.blocked_decision_id == decision.decision_id
    assert stored.blocked_impact == decision.financial_impact, "the blocked impact is kept as a value"

    # The council cannot overrule; the vast bureau cannot overrule a gemeente visum.
    for body in (BodyKind.GEMEENTERAAD, BodyKind.VAST_BUREAU):
        wrong = adopted_decision(
            body=body,
            entity=G,
            kind=DecisionKind.VISUM_OVERRULING,
            overrules_item_id=item.item_id,
        )
        await fin.tell(uow, wrong)
    assert events(uow, VisumOverruled) == []

    overruling = adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id)
    await fin.tell(uow, overruling)
    [overruled] = events(uow, VisumOverruled)
    assert (overruled.decision_id, overruled.body, overruled.refusal_reasons) == (
        overruling.decision_id,
        BodyKind.COLLEGE,
        ("Onwettig",),
    )
    assert len(uow.visums.overrulings) == 1, "the overruling is its own record"
    [recorded] = events(uow, CommitmentRecorded)
    assert recorded.decision_id == decision.decision_id, "the blocked decision is committed now"
    report = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000001"))
    [row] = report.visums
    assert row.status == "overruled"
    assert row.overruled_by is BodyKind.COLLEGE
    assert row.overruling_decision_id == overruling.decision_id
    assert report.summary == VisumCounts(requested=0, granted=0, refused=0, overruled=1)
    # A second overruling changes nothing.
    await fin.tell(uow, overruling)
    assert len(events(uow, VisumOverruled)) == 1


async def test_a_decision_adopted_after_the_overruling_is_committed() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    item = proposed("20000.00")
    await fin.tell(uow, item)
    await fin.send(uow, RefuseVisum(command_id="c-0000001", item_id=item.item_id, reasons=("Nee",)), by=FD)
    overruling = adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id)
    await fin.tell(uow, overruling)
    await fin.tell(uow, adopted(item.item_id))
    assert len(events(uow, CommitmentRecorded)) == 1


async def test_an_overruling_of_an_item_without_a_visum_or_of_a_granted_one_has_no_effect() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    item = proposed("20000.00")
    await fin.tell(uow, item)
    await fin.send(uow, GrantVisum(command_id="c-0000001", item_id=item.item_id), by=FD)
    for overrules in (item.item_id, uuid.uuid4()):
        await fin.tell(uow, adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=overrules))
    assert events(uow, VisumOverruled) == []
    assert uow.visums.overrulings == {}
    granted = await uow.visums.for_item(item.item_id)
    assert granted is not None
    assert granted.status is VisumStatus.GRANTED


async def test_an_ocmw_visum_is_overruled_by_the_vast_bureau() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit(LegalEntity.OCMW))
    item = proposed("20000.00", entity=LegalEntity.OCMW)
    await fin.tell(uow, item)
    await fin.send(uow, RefuseVisum(command_id="c-0000001", item_id=item.item_id, reasons=("Nee",)), by=FD)
    await fin.tell(
        uow,
        adopted_decision(body=BodyKind.COLLEGE, kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id),
    )
    assert events(uow, VisumOverruled) == []
    await fin.tell(
        uow,
        adopted_decision(body=BodyKind.VAST_BUREAU, kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id),
    )
    [overruled] = events(uow, VisumOverruled)
    assert (overruled.body, overruled.entity) == (BodyKind.VAST_BUREAU, LegalEntity.OCMW)
