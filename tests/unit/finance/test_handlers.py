"""Handlers of finance with in-memory fakes: visum, overruling, budget changes, adjustments,
budget holders, payments, carry-over, plan import and reports."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.finance.domain.control import FinancePolicy, VisumStatus
from services.finance.domain.model import Credit, CreditTotal, total_of_account
from services.finance.service_layer import handlers
from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact
from shared.contracts.finance import (
    AdjustCredits,
    BudgetChangeApplied,
    BudgetChangeRefused,
    BudgetCheckFailed,
    BudgetCheckPassed,
    CarryOverInvestmentCredits,
    CommitmentBlocked,
    CommitmentRecorded,
    CommitmentRecordedUnderDelegation,
    CreditChange,
    CreditCoding,
    CreditsAdjusted,
    ExportReport,
    GetCommitments,
    GetPolicyFieldUse,
    GetTotals,
    GetVisumReport,
    GrantVisum,
    ImportPlan,
    InvestmentCreditsCarriedOver,
    MarkPaid,
    OrderPayment,
    PaymentMade,
    PaymentOrdered,
    PlanImported,
    ProposeBudgetChange,
    RecordCommitment,
    RefuseVisum,
    VisumGranted,
    VisumOverruled,
    VisumRefused,
)
from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower, DelegationRevoked
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted, DecisionKind
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected
from tests.factories import adopted_decision
from tests.unit.finance.fakes import FakeFinanceUnitOfWork

ENV = Envelope(id="e", type="t", source="/test", time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), correlation_id="c")
NOW = dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC)
POLICY = FinancePolicy(clock=lambda: NOW)
G, OC = LegalEntity.GEMEENTE, LegalEntity.OCMW


def _credit(
    entity: LegalEntity = G, account: str = "6140000", amount: str = "100000.00", year: int = 2026, committed: str = "0"
) -> Credit:
    total = total_of_account(account)
    assert total is not None
    return Credit(
        entity=entity,
        financial_year=year,
        total=total,
        economic_account=account,
        policy_field="0119",
        action="AC-1",
        investment_project="IP-1" if total is CreditTotal.INVESTMENT else None,
        description=f"{account}",
        amount=Decimal(amount),
        committed=Decimal(committed),
    )


def _coding(entity: LegalEntity = G, account: str = "6140000", year: int = 2026) -> CreditCoding:
    return CreditCoding(
        entity=entity, financial_year=year, economic_account=account, policy_field="0119", action="AC-1"
    )


def _impact(amount: str, entity: LegalEntity = G, account: str = "6140000") -> FinancialImpact:
    return FinancialImpact(
        entity=entity,
        amount=Decimal(amount),
        economic_account=account,
        policy_field="0119",
        action="AC-1",
        financial_year=2026,
        third_party="Aannemer NV",
    )


def _proposed(amount: str, kind: DecisionKind = DecisionKind.DECISION) -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=G,
        title="Aankoop",
        kind=kind,
        confidentiality="public",  # type: ignore[arg-type]
        financial_impact=_impact(amount),
        proposed_at=NOW,
    )


def _adopted(item_id: uuid.UUID, amount: str = "20000.00", **overrides: object) -> DecisionAdopted:
    return adopted_decision(item_id=item_id, financial_impact=_impact(amount), **overrides)


def _events(uow: FakeFinanceUnitOfWork, kind: type) -> list:  # type: ignore[type-arg]
    return [e for e in uow.events() if isinstance(e, kind)]


# --- budget check and visum -----------------------------------------------------------------


async def test_a_passed_check_requires_a_visum_from_15000_and_records_the_request() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    big, small = _proposed("15000.00"), _proposed("14999.99")
    await handlers.check_budget_of_item(uow, big, ENV, policy=POLICY)
    await handlers.check_budget_of_item(uow, small, ENV, policy=POLICY)
    passed = _events(uow, BudgetCheckPassed)
    assert [p.visum_required for p in passed] == [True, False]
    visum = await uow.visums.for_item(big.item_id)
    assert visum is not None
    assert visum.status is VisumStatus.REQUESTED
    assert await uow.visums.for_item(small.item_id) is None


async def test_the_visum_threshold_is_policy() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    policy = FinancePolicy(visum_exempt_below=Decimal("30000.00"), clock=lambda: NOW)
    await handlers.check_budget_of_item(uow, _proposed("20000.00"), ENV, policy=policy)
    [passed] = _events(uow, BudgetCheckPassed)
    assert not passed.visum_required


async def test_the_check_takes_commitments_into_account() -> None:
    uow = FakeFinanceUnitOfWork(_credit(committed="90000.00"))
    await handlers.check_budget_of_item(uow, _proposed("10000.01"), ENV, policy=POLICY)
    [failed] = _events(uow, BudgetCheckFailed)
    assert (failed.reason, failed.available, failed.amount) == (
        "insufficient_credit",
        Decimal("10000.00"),
        Decimal("10000.01"),
    )


async def test_grant_and_refuse_visum_commands() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    a, b = _proposed("20000.00"), _proposed("30000.00")
    await handlers.check_budget_of_item(uow, a, ENV, policy=POLICY)
    await handlers.check_budget_of_item(uow, b, ENV, policy=POLICY)
    with pytest.raises(CommandRejected) as not_fd:
        await handlers.grant_visum(uow, GrantVisum(command_id="c-0000001", item_id=a.item_id, person_id="p-x"), ENV)
    assert not_fd.value.code == "not_financial_director"
    reply = await handlers.grant_visum(
        uow,
        GrantVisum(command_id="c-0000002", item_id=a.item_id, person_id="p-fd", conditions=("Na gunning",)),
        ENV,
        policy=POLICY,
    )
    assert reply.accepted
    [granted] = _events(uow, VisumGranted)
    assert (granted.item_id, granted.conditions, granted.granted_by) == (a.item_id, ("Na gunning",), "p-fd")
    await handlers.refuse_visum(
        uow,
        RefuseVisum(command_id="c-0000003", item_id=b.item_id, person_id="p-fd", reasons=("Geen raamcontract",)),
        ENV,
        policy=POLICY,
    )
    [refused] = _events(uow, VisumRefused)
    assert refused.reasons == ("Geen raamcontract",)
    with pytest.raises(CommandRejected) as twice:
        await handlers.refuse_visum(
            uow, RefuseVisum(command_id="c-0000004", item_id=a.item_id, person_id="p-fd", reasons=("x",)), ENV
        )
    assert twice.value.code == "visum_already_given"
    with pytest.raises(CommandRejected) as unknown:
        await handlers.grant_visum(uow, GrantVisum(command_id="c-0000005", item_id=uuid.uuid4(), person_id="p-fd"), ENV)
    assert unknown.value.code == "no_visum_requested"


async def test_a_refused_visum_blocks_the_commitment_until_the_college_overrules_it() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    item = _proposed("20000.00")
    await handlers.check_budget_of_item(uow, item, ENV, policy=POLICY)
    await handlers.refuse_visum(
        uow, RefuseVisum(command_id="c-0000001", item_id=item.item_id, person_id="p-fd", reasons=("Onwettig",)), ENV
    )
    decision = _adopted(item.item_id)
    await handlers.on_decision_adopted(uow, decision, ENV, policy=POLICY)
    [blocked] = _events(uow, CommitmentBlocked)
    assert (blocked.reason, blocked.decision_id) == ("visum_refused", decision.decision_id)
    assert uow.commitments.rows == {}

    # The council cannot overrule; the vast bureau cannot overrule a gemeente visum.
    for body in (BodyKind.GEMEENTERAAD, BodyKind.VAST_BUREAU):
        wrong = adopted_decision(
            body=body,
            entity=G,
            kind=DecisionKind.VISUM_OVERRULING,
            overrules_item_id=item.item_id,
        )
        await handlers.on_decision_adopted(uow, wrong, ENV, policy=POLICY)
    assert _events(uow, VisumOverruled) == []

    overruling = adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id)
    await handlers.on_decision_adopted(uow, overruling, ENV, policy=POLICY)
    [overruled] = _events(uow, VisumOverruled)
    assert (overruled.decision_id, overruled.body, overruled.refusal_reasons) == (
        overruling.decision_id,
        BodyKind.COLLEGE,
        ("Onwettig",),
    )
    assert len(uow.visums.overrulings) == 1, "the overruling is its own record"
    [recorded] = _events(uow, CommitmentRecorded)
    assert recorded.decision_id == decision.decision_id, "the blocked decision is committed now"
    report = await handlers.get_visum_report(uow, GetVisumReport(command_id="q-0000001"), ENV)
    rows = report.data["visums"]
    assert isinstance(rows, list)
    [row] = rows
    assert row["status"] == "overruled"
    assert row["overruled_by"] == "college"
    # A second overruling changes nothing.
    await handlers.on_decision_adopted(uow, overruling, ENV, policy=POLICY)
    assert len(_events(uow, VisumOverruled)) == 1


async def test_a_decision_adopted_after_the_overruling_is_committed() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    item = _proposed("20000.00")
    await handlers.check_budget_of_item(uow, item, ENV, policy=POLICY)
    await handlers.refuse_visum(
        uow, RefuseVisum(command_id="c-0000001", item_id=item.item_id, person_id="p-fd", reasons=("Nee",)), ENV
    )
    overruling = adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=item.item_id)
    await handlers.on_decision_adopted(uow, overruling, ENV, policy=POLICY)
    await handlers.on_decision_adopted(uow, _adopted(item.item_id), ENV, policy=POLICY)
    assert len(_events(uow, CommitmentRecorded)) == 1


# --- budget changes -------------------------------------------------------------------------


async def _propose(uow: FakeFinanceUnitOfWork, entity: LegalEntity, change: str) -> uuid.UUID:
    reply = await handlers.propose_budget_change(
        uow,
        ProposeBudgetChange(
            command_id=uuid.uuid4().hex,
            entity=entity,
            title="Aanpassing 2026/1",
            changes=(CreditChange(credit=_coding(entity), change=Decimal(change)),),
            proposed_by="p-fd",
        ),
        ENV,
        policy=POLICY,
    )
    assert reply.data == {"status": "proposed"}
    return uuid.UUID(reply.ids["budget_change_id"])


async def test_a_budget_change_is_applied_only_by_the_council_of_its_entity() -> None:
    uow = FakeFinanceUnitOfWork(_credit(G), _credit(OC))
    change_id = await _propose(uow, G, "5000.00")
    assert (await uow.credits.of_entity(G))[0].amount == Decimal("100000.00"), "proposed: nothing changes yet"
    wrong = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id
    )
    await handlers.on_decision_adopted(uow, wrong, ENV, policy=POLICY)
    [refused] = _events(uow, BudgetChangeRefused)
    assert refused.reason == "not_the_council"

    change_id = await _propose(uow, G, "5000.00")
    council = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id)
    await handlers.on_decision_adopted(uow, council, ENV, policy=POLICY)
    await handlers.on_decision_adopted(uow, council, ENV, policy=POLICY)  # redelivered: applied once
    [applied] = _events(uow, BudgetChangeApplied)
    assert applied.changes[0].amount == Decimal("105000.00")
    assert [(t.total, t.amount) for t in applied.totals] == [("operating", Decimal("105000.00"))]
    [gemeente] = await uow.credits.of_entity(G)
    [ocmw] = await uow.credits.of_entity(OC)
    assert (gemeente.amount, ocmw.amount) == (Decimal("105000.00"), Decimal("100000.00"))
    stored = uow.budget_changes.rows[change_id]
    assert (stored.status, stored.decision_id) == ("applied", council.decision_id)


async def test_an_ocmw_budget_change_needs_the_rmw_and_cannot_drop_below_commitments() -> None:
    uow = FakeFinanceUnitOfWork(_credit(OC, committed="99000.00"))
    change_id = await _propose(uow, OC, "-2000.00")
    rmw = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=change_id
    )
    await handlers.on_decision_adopted(uow, rmw, ENV, policy=POLICY)
    [refused] = _events(uow, BudgetChangeRefused)
    assert refused.reason == "below_committed"
    unknown = adopted_decision(
        body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=uuid.uuid4()
    )
    await handlers.on_decision_adopted(uow, unknown, ENV, policy=POLICY)
    assert _events(uow, BudgetChangeRefused)[-1].reason == "unknown_budget_change"


async def test_a_budget_change_must_stay_in_its_entity_and_in_limitative_accounts() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    with pytest.raises(CommandRejected) as mismatch:
        await handlers.propose_budget_change(
            uow,
            ProposeBudgetChange(
                command_id="c-0000001",
                entity=G,
                title="Aanpassing",
                changes=(CreditChange(credit=_coding(OC), change=Decimal(1)),),
                proposed_by="p-fd",
            ),
            ENV,
        )
    assert mismatch.value.code == "entity_mismatch"
    with pytest.raises(CommandRejected) as receipt:
        await handlers.propose_budget_change(
            uow,
            ProposeBudgetChange(
                command_id="c-0000002",
                entity=G,
                title="Aanpassing",
                changes=(CreditChange(credit=_coding(G, account="7000000"), change=Decimal(1)),),
                proposed_by="p-fd",
            ),
            ENV,
        )
    assert receipt.value.code == "account_not_limitative"


# --- internal adjustments -------------------------------------------------------------------


async def test_an_adjustment_inside_one_total_is_recorded_and_one_across_totals_refused() -> None:
    uow = FakeFinanceUnitOfWork(_credit(), _credit(account="6130000"), _credit(account="2210000"))
    ok = await handlers.adjust_credits(
        uow,
        AdjustCredits(
            command_id="c-0000001",
            entity=G,
            changes=(
                CreditChange(credit=_coding(), change=Decimal("-1000.00")),
                CreditChange(credit=_coding(account="6130000"), change=Decimal("1000.00")),
            ),
            decided_by="p-ad",
        ),
        ENV,
        policy=POLICY,
    )
    assert ok.accepted
    [adjusted] = _events(uow, CreditsAdjusted)
    assert [c.amount for c in adjusted.changes] == [Decimal("99000.00"), Decimal("101000.00")]
    assert len(uow.budget_changes.adjustments) == 1
    with pytest.raises(CommandRejected) as across:
        await handlers.adjust_credits(
            uow,
            AdjustCredits(
                command_id="c-0000002",
                entity=G,
                changes=(
                    CreditChange(credit=_coding(), change=Decimal("-1000.00")),
                    CreditChange(credit=_coding(account="2210000"), change=Decimal("1000.00")),
                ),
                decided_by="p-ad",
            ),
            ENV,
        )
    assert across.value.code == "adjustment_changes_total"
    [total] = [t for t in await uow.totals.all(G) if t.total is CreditTotal.OPERATING]
    assert total.amount == Decimal("200000.00")


# --- budget holders -------------------------------------------------------------------------


def _granted(**overrides: object) -> DelegationGranted:
    fields: dict[str, object] = {
        "delegation_id": uuid.uuid4(),
        "from_body": None,
        "from_person_id": "p-ad",
        "to_person_id": "p-dh",
        "power": DelegationPower.BUDGET_HOLDER,
        "entity": G,
        "budget_scope": BudgetHolderScope(entity=G, policy_field="0119", max_amount=Decimal("5000.00")),
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
    }
    fields.update(overrides)
    return DelegationGranted.model_validate(fields)


def _record(amount: str, person: str = "p-dh") -> RecordCommitment:
    return RecordCommitment(
        command_id=uuid.uuid4().hex, person_id=person, impact=_impact(amount), third_party="Drukkerij", reason="Folders"
    )


async def test_a_budget_holder_commits_under_a_valid_delegation() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    granted = _granted()
    await handlers.delegation_granted(uow, granted, ENV)
    await handlers.delegation_granted(uow, _granted(power=DelegationPower.SIGN, to_person_id="p-other"), ENV)
    assert len(uow.delegations.rows) == 1, "only budget-holder delegations matter to finance"
    reply = await handlers.record_commitment(uow, _record("4999.99"), ENV, policy=POLICY)
    assert reply.ids["delegation_id"] == str(granted.delegation_id)
    [event] = _events(uow, CommitmentRecordedUnderDelegation)
    assert (event.delegation_id, event.person_id, event.amount) == (granted.delegation_id, "p-dh", Decimal("4999.99"))
    [stored] = uow.commitments.rows.values()
    assert (stored.delegation_id, stored.decision_id, stored.third_party) == (granted.delegation_id, None, "Drukkerij")
    [credit] = await uow.credits.of_entity(G)
    assert credit.committed == Decimal("4999.99")


async def test_no_valid_delegation_rejects_with_a_clear_message() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    with pytest.raises(CommandRejected) as none:
        await handlers.record_commitment(uow, _record("10.00"), ENV, policy=POLICY)
    assert none.value.code == "no_valid_delegation"
    assert "p-dh" in none.value.message
    await handlers.delegation_granted(uow, _granted(), ENV)
    with pytest.raises(CommandRejected) as too_much:
        await handlers.record_commitment(uow, _record("5000.01"), ENV, policy=POLICY)
    assert "at most 5000.00" in too_much.value.message
    later = FinancePolicy(clock=lambda: dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(CommandRejected) as expired:
        await handlers.record_commitment(uow, _record("10.00"), ENV, policy=later)
    assert "expired on 2026-12-31" in expired.value.message
    [delegation_id] = uow.delegations.rows
    await handlers.delegation_revoked(
        uow,
        DelegationRevoked(
            delegation_id=delegation_id,
            to_person_id="p-dh",
            power=DelegationPower.BUDGET_HOLDER,
            revoked_at=NOW - dt.timedelta(hours=1),
            reason="Andere functie",
        ),
        ENV,
    )
    with pytest.raises(CommandRejected) as revoked:
        await handlers.record_commitment(uow, _record("10.00"), ENV, policy=POLICY)
    assert "was revoked" in revoked.value.message
    assert uow.commitments.rows == {}


async def test_a_revocation_that_arrives_before_the_grant_still_counts() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    granted = _granted()
    await handlers.delegation_revoked(
        uow,
        DelegationRevoked(
            delegation_id=granted.delegation_id,
            to_person_id="p-dh",
            power=DelegationPower.BUDGET_HOLDER,
            revoked_at=NOW - dt.timedelta(days=1),
            reason="x",
        ),
        ENV,
    )
    await handlers.delegation_granted(uow, granted, ENV)
    with pytest.raises(CommandRejected):
        await handlers.record_commitment(uow, _record("10.00"), ENV, policy=POLICY)


async def test_a_budget_holder_cannot_overspend() -> None:
    uow = FakeFinanceUnitOfWork(_credit(amount="100.00"))
    await handlers.delegation_granted(uow, _granted(), ENV)
    await handlers.record_commitment(uow, _record("99.99"), ENV, policy=POLICY)
    with pytest.raises(CommandRejected) as info:
        await handlers.record_commitment(uow, _record("0.02"), ENV, policy=POLICY)
    assert info.value.code == "insufficient_credit"
    assert "available on gemeente/2026/6140000/0119/AC-1: 0.01" in info.value.message


# --- payments -------------------------------------------------------------------------------


async def test_payment_orders_and_payments() -> None:
    uow = FakeFinanceUnitOfWork(_credit())
    decision = _adopted(uuid.uuid4(), "1000.00")
    await handlers.on_decision_adopted(uow, decision, ENV, policy=POLICY)
    [commitment] = uow.commitments.rows.values()
    with pytest.raises(CommandRejected) as unknown:
        await handlers.order_payment(
            uow,
            OrderPayment(command_id="c-0000001", commitment_id=uuid.uuid4(), amount=Decimal(1), ordered_by="p-fd"),
            ENV,
        )
    assert unknown.value.code == "unknown_commitment"
    first = await handlers.order_payment(
        uow,
        OrderPayment(
            command_id="c-0000002", commitment_id=commitment.commitment_id, amount=Decimal("600.00"), ordered_by="p-fd"
        ),
        ENV,
        policy=POLICY,
    )
    with pytest.raises(CommandRejected) as exceeds:
        await handlers.order_payment(
            uow,
            OrderPayment(
                command_id="c-0000003",
                commitment_id=commitment.commitment_id,
                amount=Decimal("400.01"),
                ordered_by="p-fd",
            ),
            ENV,
        )
    assert exceeds.value.code == "payment_exceeds_commitment"
    [ordered] = _events(uow, PaymentOrdered)
    assert ordered.remaining_to_order == Decimal("400.00")
    order_id = uuid.UUID(first.ids["payment_order_id"])
    await handlers.mark_paid(uow, MarkPaid(command_id="c-0000004", payment_order_id=order_id), ENV, policy=POLICY)
    [paid] = _events(uow, PaymentMade)
    assert (paid.amount, paid.paid_on) == (Decimal("600.00"), NOW.date())
    with pytest.raises(CommandRejected) as twice:
        await handlers.mark_paid(uow, MarkPaid(command_id="c-0000005", payment_order_id=order_id), ENV)
    assert twice.value.code == "already_paid"
    with pytest.raises(CommandRejected) as missing:
        await handlers.mark_paid(uow, MarkPaid(command_id="c-0000006", payment_order_id=uuid.uuid4()), ENV)
    assert missing.value.code == "unknown_payment_order"
    stored = uow.commitments.rows[commitment.commitment_id]
    assert (stored.ordered, stored.paid) == (Decimal("600.00"), Decimal("600.00"))


# --- carry-over -----------------------------------------------------------------------------


async def test_carry_over_before_1_march_moves_unused_investment_credit() -> None:
    inv = _credit(account="2210000", amount="50000.00", committed="20000.00")
    uow = FakeFinanceUnitOfWork(inv, _credit(), _credit(OC, account="2210000"))
    feb = FinancePolicy(clock=lambda: dt.datetime(2027, 2, 28, 23, tzinfo=dt.UTC))
    reply = await handlers.carry_over_investment_credits(
        uow, CarryOverInvestmentCredits(command_id="c-0000001", entity=G, from_year=2026), ENV, policy=feb
    )
    assert reply.data["moved"] == [{"credit_key": "gemeente/2026/2210000/0119/AC-1", "amount": "30000.00"}]
    [event] = _events(uow, InvestmentCreditsCarriedOver)
    assert (event.from_year, event.to_year) == (2026, 2027)
    new = await uow.credits.get(G, 2027, "2210000", "0119", "AC-1")
    assert new is not None
    assert new.amount == Decimal("30000.00")
    old = await uow.credits.get(G, 2026, "2210000", "0119", "AC-1")
    assert old is not None
    assert old.amount == Decimal("20000.00")
    ocmw = await uow.credits.get(OC, 2027, "2210000", "0119", "AC-1")
    assert ocmw is None, "each entity carries over its own credits"


async def test_carry_over_on_or_after_1_march_is_too_late() -> None:
    uow = FakeFinanceUnitOfWork(_credit(account="2210000"))
    march = FinancePolicy(clock=lambda: dt.datetime(2027, 3, 1, 0, 0, tzinfo=dt.UTC))
    with pytest.raises(CommandRejected) as info:
        await handlers.carry_over_investment_credits(
            uow, CarryOverInvestmentCredits(command_id="c-0000001", entity=G, from_year=2026), ENV, policy=march
        )
    assert info.value.code == "carry_over_too_late"
    assert "before 2027-03-01" in info.value.message


# --- plan import ----------------------------------------------------------------------------

HEADER = "entity,financial_year,economic_account,policy_field,policy_objective,action_plan,action,amount,description\n"


async def test_import_adds_new_credits_keeps_equal_ones_and_builds_the_tree() -> None:
    uow = FakeFinanceUnitOfWork()
    csv = HEADER + "gemeente,2026,6140000,0119,BD-1,AP-1.1,AC-1.1.1,1000.10,Werking\n"
    csv += "gemeente,2026,6130000,0119,BD-1,AP-1.1,AC-1.1.2,2000.20,Studies\n"
    reply = await handlers.import_plan(uow, ImportPlan(command_id="c-0000001", csv=csv), ENV)
    assert reply.data == {"credits_added": 2, "credits_unchanged": 0}
    [total] = await uow.totals.all()
    assert (total.total, total.amount) == (CreditTotal.OPERATING, Decimal("3000.30"))
    assert uow.plan.tree.actions == {"AC-1.1.1": ("AP-1.1", ""), "AC-1.1.2": ("AP-1.1", "")}
    again = await handlers.import_plan(uow, ImportPlan(command_id="c-0000002", csv=csv), ENV)
    assert again.data == {"credits_added": 0, "credits_unchanged": 2}
    assert [e.credits_added for e in _events(uow, PlanImported)] == [2, 0]
    changed = csv.replace("1000.10", "1000.11")
    with pytest.raises(CommandRejected) as conflict:
        await handlers.import_plan(uow, ImportPlan(command_id="c-0000003", csv=changed), ENV)
    assert conflict.value.code == "plan_conflicts"
    assert conflict.value.message.startswith("line 2:")


async def test_import_errors_name_the_line_and_column() -> None:
    uow = FakeFinanceUnitOfWork()
    csv = HEADER + "gemeente,2026,6140000,0119,BD-1,AP-1.1,AC-1,10.00,a\ngemeente,2026,7000000,0119,,,,5.00,b\n"
    with pytest.raises(CommandRejected) as info:
        await handlers.import_plan(uow, ImportPlan(command_id="c-0000001", csv=csv), ENV)
    assert info.value.code == "invalid_plan"
    assert info.value.message.startswith("line 3, column economic_account:")
    assert uow.credits.rows == {}


# --- reports --------------------------------------------------------------------------------


async def test_reports_per_total_policy_field_and_commitment_and_csv_export() -> None:
    uow = FakeFinanceUnitOfWork(_credit(), _credit(account="6130000", amount="0.30"), _credit(OC))
    await handlers.on_decision_adopted(uow, _adopted(uuid.uuid4(), "0.10"), ENV, policy=POLICY)
    await handlers.on_decision_adopted(uow, _adopted(uuid.uuid4(), "0.20"), ENV, policy=POLICY)
    totals = await handlers.get_totals(uow, GetTotals(command_id="q-0000001", entity=G), ENV)
    assert totals.data["totals"] == [
        {
            "entity": "gemeente",
            "financial_year": 2026,
            "total": "operating",
            "amount": "100000.30",
            "committed": "0.30",
            "available": "100000.00",
        }
    ]
    fields = await handlers.get_policy_field_use(uow, GetPolicyFieldUse(command_id="q-0000002"), ENV)
    field_rows = fields.data["policy_fields"]
    assert isinstance(field_rows, list)
    assert [(r["entity"], r["policy_field"], r["committed"]) for r in field_rows] == [
        ("gemeente", "0119", "0.30"),
        ("ocmw", "0119", "0.00"),
    ]
    commitments = await handlers.get_commitments(uow, GetCommitments(command_id="q-0000003", entity=OC), ENV)
    assert commitments.data["commitments"] == []
    export = await handlers.export_report(uow, ExportReport(command_id="q-0000004", report="totals"), ENV)
    lines = str(export.data["csv"]).splitlines()
    assert lines[0] == "entity,financial_year,total,amount,committed,available"
    assert "gemeente,2026,operating,100000.30,0.30,100000.00" in lines
    for report in ("credits", "policy_fields", "visums", "commitments"):
        reply = await handlers.export_report(
            uow, ExportReport.model_validate({"command_id": "q-0000005", "report": report}), ENV
        )
        assert reply.accepted


async def test_a_commitment_carries_the_art_83_coding_with_the_investment_project() -> None:
    uow = FakeFinanceUnitOfWork(_credit(account="2210000"))
    decision = adopted_decision(financial_impact=_impact("10.00", account="2210000"))
    await handlers.on_decision_adopted(uow, decision, ENV, policy=POLICY)
    [c] = uow.commitments.rows.values()
    assert (c.entity, c.economic_account, c.policy_field, c.action, c.financial_year) == (
        G,
        "2210000",
        "0119",
        "AC-1",
        2026,
    )
    assert (c.amount, c.third_party, c.decision_id, c.investment_project) == (
        Decimal("10.00"),
        "Aannemer NV",
        decision.decision_id,
        "IP-1",
    )
