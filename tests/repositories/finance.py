"""The contract of finance's repositories: what the in-memory fakes and PostgreSQL both keep.

A row that breaks a constraint of its table (UNIQUE, CHECK, FOREIGN KEY) is refused: the fake
asserts, PostgreSQL raises an `IntegrityError`. Such a refusal ends a test (it aborts the SQL
transaction), so each test checks at most one, last.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from services.finance.domain.budget import Adjustment, ChangeLine
from services.finance.domain.changes import BudgetChange, BudgetChangeStatus, ChangeKind
from services.finance.domain.control import (
    BudgetHolderDelegation,
    IntendedCommitment,
    PaymentOrder,
    PaymentStatus,
    Visum,
    VisumStatus,
)
from services.finance.domain.model import (
    Commitment,
    Credit,
    CreditKey,
    CreditTotal,
    Estimate,
    LimitativeTotal,
    OpeningResult,
    ReceiptRecord,
)
from services.finance.domain.plan import PlanTree
from shared.vocabulary import BodyKind, FinancialImpact, Flow, LegalEntity

T0 = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
G, OC = LegalEntity.GEMEENTE, LegalEntity.OCMW
#: What a store does with a row that breaks a constraint.
REFUSED = (AssertionError, IntegrityError)


def _credit(
    entity: LegalEntity = G,
    account: str = "6140000",
    action: str = "AC-1",
    *,
    year: int = 2026,
    amount: str = "1000.00",
    committed: str = "0.00",
) -> Credit:
    total = CreditTotal.INVESTMENT if account.startswith("2") else CreditTotal.OPERATING
    return Credit(
        entity=entity,
        financial_year=year,
        total=total,
        economic_account=account,
        policy_field="0119",
        action=action,
        investment_project="IP-7" if total is CreditTotal.INVESTMENT else None,
        description=f"Krediet {account} {action or '-'}",
        amount=Decimal(amount),
        committed=Decimal(committed),
    )


def _commitment(credit: Credit, *, minutes: int = 0, decision: bool = True, amount: str = "100.00") -> Commitment:
    return Commitment(
        commitment_id=uuid.uuid4(),
        decision_id=uuid.uuid4() if decision else None,
        entity=credit.entity,
        economic_account=credit.economic_account,
        policy_field=credit.policy_field,
        action=credit.action or None,
        financial_year=credit.financial_year,
        amount=Decimal(amount),
        third_party="Aannemer NV",
        credit_key=credit.credit_key,
        created_at=T0 + dt.timedelta(minutes=minutes),
        item_id=uuid.uuid4() if decision else None,
        investment_project=credit.investment_project,
        delegation_id=None if decision else uuid.uuid4(),
        recorded_by=None if decision else "p-dh",
        reason="" if decision else "Folders",
    )


def _impact(amount: str = "20000.00") -> FinancialImpact:
    return FinancialImpact(
        entity=G,
        amount=Decimal(amount),
        economic_account="6140000",
        policy_field="0119",
        action="AC-1",
        financial_year=2026,
        third_party="Aannemer NV",
    )


def _visum(entity: LegalEntity = G, *, minutes: int = 0) -> Visum:
    return Visum(
        visum_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        entity=entity,
        amount=Decimal("20000.00"),
        credit_key=f"{entity.value}/2026/6140000/0119/AC-1",
        requested_at=T0 + dt.timedelta(minutes=minutes),
    )


def _line(account: str, change: str, **extra: Any) -> ChangeLine:
    return ChangeLine(G, 2026, account, "0119", "AC-1", Decimal(change), **extra)


class CreditsContract:
    """Credits by key; `lock` answers the existing ones in key order; only estimates change."""

    async def test_a_credit_round_trips_every_field(self, uow: Any) -> None:
        credit = _credit(account="2210000", committed="250.50")
        await uow.credits.add(credit)
        assert await uow.credits.get(credit.key) == credit
        assert await uow.credits.get((G, 2026, "2210000", "0119", "")) is None, "'' is no action, another key"
        assert await uow.credits.get((OC, 2026, "2210000", "0119", "AC-1")) is None

    async def test_lock_answers_the_existing_credits_among_the_keys_in_key_order(self, uow: Any) -> None:
        b, a, c = _credit(account="6150000"), _credit(account="6130000"), _credit(OC, account="6130000")
        for credit in (b, a, c):
            await uow.credits.add(credit)
        missing: CreditKey = (G, 2026, "6140000", "0119", "AC-1")
        assert await uow.credits.lock([c.key, missing, b.key, a.key, b.key]) == [a, b, c]
        assert await uow.credits.lock([]) == []

    async def test_update_stores_the_estimate_and_what_is_committed_only(self, uow: Any) -> None:
        credit = _credit()
        await uow.credits.add(credit)
        await uow.credits.update(
            replace(credit, amount=Decimal("1500.00"), committed=Decimal("99.99"), description="x")
        )
        assert await uow.credits.get(credit.key) == replace(
            credit, amount=Decimal("1500.00"), committed=Decimal("99.99")
        )

    async def test_of_entity_filters_on_the_entity(self, uow: Any) -> None:
        gemeente, ocmw = _credit(G), _credit(OC)
        await uow.credits.add(gemeente)
        await uow.credits.add(ocmw)
        assert await uow.credits.of_entity(G) == [gemeente]
        assert await uow.credits.of_entity(OC) == [ocmw]
        assert sorted(await uow.credits.of_entity(), key=lambda c: c.entity.value) == [gemeente, ocmw]

    async def test_a_key_is_held_by_one_credit(self, uow: Any) -> None:
        await uow.credits.add(_credit())
        with pytest.raises(REFUSED):
            await uow.credits.add(_credit(amount="5.00"))

    async def test_nothing_is_committed_beyond_the_estimate(self, uow: Any) -> None:
        credit = _credit(amount="10.00")
        await uow.credits.add(credit)
        with pytest.raises(REFUSED):
            await uow.credits.update(replace(credit, committed=Decimal("10.01")))


class TotalsContract:
    """One row per entity, year and total; locked (and created at zero) before any credit."""

    async def test_lock_creates_missing_totals_at_zero_and_answers_them_in_key_order(self, uow: Any) -> None:
        keys = [(OC, 2026, CreditTotal.OPERATING), (G, 2027, CreditTotal.INVESTMENT), (G, 2026, CreditTotal.OPERATING)]
        locked = await uow.totals.lock([*keys, keys[0]])
        assert [t.key for t in locked] == [keys[2], keys[1], keys[0]]
        assert all(t.amount == 0 and t.committed == 0 for t in locked)
        assert await uow.totals.get(keys[1]) == LimitativeTotal(G, 2027, CreditTotal.INVESTMENT, Decimal(0))

    async def test_lock_without_create_answers_only_existing_totals(self, uow: Any) -> None:
        known, unknown = (G, 2026, CreditTotal.OPERATING), (G, 2026, CreditTotal.FINANCING)
        await uow.totals.lock([known])
        assert [t.key for t in await uow.totals.lock([unknown, known], create=False)] == [known]
        assert await uow.totals.get(unknown) is None
        assert await uow.totals.lock([], create=False) == []

    async def test_update_round_trips_amount_and_committed(self, uow: Any) -> None:
        key = (G, 2026, CreditTotal.OPERATING)
        [total] = await uow.totals.lock([key])
        await uow.totals.update(replace(total, amount=Decimal("410000.00"), committed=Decimal("0.30")))
        assert await uow.totals.get(key) == LimitativeTotal(
            G, 2026, CreditTotal.OPERATING, Decimal("410000.00"), Decimal("0.30")
        )
        [again] = await uow.totals.lock([key])
        assert again.amount == Decimal("410000.00"), "locking an existing total keeps its figures"

    async def test_all_filters_on_the_entity(self, uow: Any) -> None:
        await uow.totals.lock([(G, 2026, CreditTotal.OPERATING), (OC, 2026, CreditTotal.OPERATING)])
        assert [t.entity for t in await uow.totals.all(OC)] == [OC]
        assert {t.entity for t in await uow.totals.all()} == {G, OC}

    async def test_nothing_is_committed_beyond_the_total(self, uow: Any) -> None:
        [total] = await uow.totals.lock([(G, 2026, CreditTotal.OPERATING)])
        with pytest.raises(REFUSED):
            await uow.totals.update(replace(total, amount=Decimal("1.00"), committed=Decimal("1.01")))


class CommitmentsContract:
    """Commitments against existing credits, one per decision; only `ordered` and `paid` change."""

    async def test_a_commitment_round_trips_every_field(self, uow: Any) -> None:
        credit = _credit(account="2210000")
        await uow.credits.add(credit)
        by_decision, by_holder = _commitment(credit), _commitment(credit, decision=False, minutes=1)
        await uow.commitments.add(by_decision)
        await uow.commitments.add(by_holder)
        assert await uow.commitments.get(by_decision.commitment_id) == by_decision
        assert await uow.commitments.get(by_holder.commitment_id, for_update=True) == by_holder
        assert by_decision.decision_id is not None
        assert await uow.commitments.for_decision(by_decision.decision_id) == by_decision
        assert await uow.commitments.for_decision(uuid.uuid4()) is None
        assert await uow.commitments.get(uuid.uuid4()) is None

    async def test_a_commitment_without_an_action_is_on_the_credit_without_one(self, uow: Any) -> None:
        credit = _credit(action="")
        await uow.credits.add(credit)
        commitment = _commitment(credit)
        assert commitment.action is None
        await uow.commitments.add(commitment)
        assert await uow.commitments.get(commitment.commitment_id) == commitment

    async def test_update_stores_what_is_ordered_and_paid(self, uow: Any) -> None:
        credit = _credit()
        await uow.credits.add(credit)
        commitment = _commitment(credit)
        await uow.commitments.add(commitment)
        await uow.commitments.update(replace(commitment, ordered=Decimal("60.00"), paid=Decimal("40.00")))
        stored = await uow.commitments.get(commitment.commitment_id)
        assert stored == replace(commitment, ordered=Decimal("60.00"), paid=Decimal("40.00"))

    async def test_all_is_oldest_first_and_filters_on_the_entity(self, uow: Any) -> None:
        gemeente, ocmw = _credit(G), _credit(OC)
        await uow.credits.add(gemeente)
        await uow.credits.add(ocmw)
        late, early, other = (
            _commitment(gemeente, minutes=10),
            _commitment(gemeente, minutes=1),
            _commitment(ocmw, minutes=5),
        )
        for commitment in (late, early, other):
            await uow.commitments.add(commitment)
        assert await uow.commitments.all(G) == [early, late]
        assert await uow.commitments.all() == [early, other, late]

    async def test_a_decision_is_committed_once(self, uow: Any) -> None:
        credit = _credit()
        await uow.credits.add(credit)
        first = _commitment(credit)
        await uow.commitments.add(first)
        with pytest.raises(REFUSED):
            await uow.commitments.add(replace(_commitment(credit), decision_id=first.decision_id))

    async def test_an_expense_without_credit_is_committed_without_one(self, uow: Any) -> None:
        repayment = replace(
            _commitment(_credit(account="4200000")),
            credit_required=False,
            credit_key="gemeente/2026/4200000/0119/AC-1",
            investment_project=None,
        )
        await uow.commitments.add(repayment)
        assert await uow.commitments.get(repayment.commitment_id) == repayment

    async def test_a_commitment_needs_its_credit(self, uow: Any) -> None:
        with pytest.raises(REFUSED):
            await uow.commitments.add(_commitment(_credit(account="6990000")))

    async def test_never_more_paid_than_ordered(self, uow: Any) -> None:
        credit = _credit()
        await uow.credits.add(credit)
        commitment = _commitment(credit)
        await uow.commitments.add(commitment)
        with pytest.raises(REFUSED):
            await uow.commitments.update(replace(commitment, ordered=Decimal("10.00"), paid=Decimal("10.01")))


class PaymentOrdersContract:
    """Orders against existing commitments; only the status and the day of payment change."""

    async def _order(self, uow: Any) -> PaymentOrder:
        credit = _credit()
        await uow.credits.add(credit)
        commitment = _commitment(credit)
        await uow.commitments.add(commitment)
        return PaymentOrder(
            payment_order_id=uuid.uuid4(),
            commitment_id=commitment.commitment_id,
            entity=G,
            amount=Decimal("60.00"),
            ordered_by="p-fd",
            reference="F-2026-0042",
            ordered_at=T0,
        )

    async def test_an_order_round_trips_and_is_paid_once_stored(self, uow: Any) -> None:
        order = await self._order(uow)
        await uow.payments.add(order)
        assert await uow.payments.get(order.payment_order_id) == order
        paid = replace(order, status=PaymentStatus.PAID, paid_on=dt.date(2026, 6, 16))
        await uow.payments.update(paid)
        assert await uow.payments.get(order.payment_order_id, for_update=True) == paid
        assert await uow.payments.get(uuid.uuid4()) is None

    async def test_an_order_needs_its_commitment(self, uow: Any) -> None:
        order = await self._order(uow)
        with pytest.raises(REFUSED):
            await uow.payments.add(replace(order, commitment_id=uuid.uuid4()))


class VisumsContract:
    """One visum per item; the overruling is its own row, read back with the visum."""

    async def test_a_visum_round_trips_and_an_item_keeps_its_first_request(self, uow: Any) -> None:
        visum = _visum()
        await uow.visums.add(visum)
        await uow.visums.add(replace(_visum(), item_id=visum.item_id))
        assert await uow.visums.for_item(visum.item_id) == visum
        assert await uow.visums.for_item(uuid.uuid4()) is None

    async def test_update_stores_the_decision_and_the_blocked_decision(self, uow: Any) -> None:
        visum = _visum()
        await uow.visums.add(visum)
        refused = replace(
            visum,
            status=VisumStatus.REFUSED,
            reasons=("Geen raamcontract", "Onwettig"),
            conditions=("Na gunning",),
            decided_by="p-fd",
            decided_at=T0 + dt.timedelta(hours=1),
            blocked_decision_id=uuid.uuid4(),
            blocked_impact=_impact(),
        )
        await uow.visums.update(refused)
        assert await uow.visums.for_item(visum.item_id, for_update=True) == refused

    async def test_an_overruling_is_its_own_record(self, uow: Any) -> None:
        visum = _visum()
        await uow.visums.add(visum)
        overruled = replace(
            visum,
            status=VisumStatus.OVERRULED,
            overruling_decision_id=uuid.uuid4(),
            overruled_by_body=BodyKind.COLLEGE,
            overruled_at=T0 + dt.timedelta(days=1),
        )
        await uow.visums.update(overruled)
        stored = await uow.visums.for_item(visum.item_id)
        assert stored == replace(overruled, overruling_decision_id=None, overruled_by_body=None, overruled_at=None)
        await uow.visums.add_overruling(uuid.uuid4(), overruled)
        assert await uow.visums.for_item(visum.item_id) == overruled

    async def test_a_budget_holders_visum_keeps_the_intended_commitment_and_the_one_made(self, uow: Any) -> None:
        intended = IntendedCommitment("p-dh", _impact("25000.00"), "Drukkerij NV", "Folders", uuid.uuid4())
        visum = replace(_visum(), intended=intended)
        await uow.visums.add(visum)
        assert await uow.visums.for_item(visum.item_id) == visum
        used = replace(visum, status=VisumStatus.GRANTED, decided_by="p-fd", decided_at=T0, commitment_id=uuid.uuid4())
        await uow.visums.update(used)
        assert await uow.visums.for_item(visum.item_id) == used

    async def test_all_filters_on_the_entity_with_the_overrulings(self, uow: Any) -> None:
        gemeente, ocmw = _visum(G), _visum(OC, minutes=1)
        await uow.visums.add(gemeente)
        await uow.visums.add(ocmw)
        overruled = replace(
            ocmw,
            status=VisumStatus.OVERRULED,
            overruling_decision_id=uuid.uuid4(),
            overruled_by_body=BodyKind.VAST_BUREAU,
            overruled_at=T0,
        )
        await uow.visums.update(overruled)
        await uow.visums.add_overruling(uuid.uuid4(), overruled)
        assert await uow.visums.all(OC) == [overruled]
        assert sorted(await uow.visums.all(), key=lambda v: v.requested_at) == [gemeente, overruled]

    async def test_a_visum_is_overruled_once(self, uow: Any) -> None:
        visum = _visum()
        await uow.visums.add(visum)
        overruled = replace(
            visum,
            status=VisumStatus.OVERRULED,
            overruling_decision_id=uuid.uuid4(),
            overruled_by_body=BodyKind.COLLEGE,
            overruled_at=T0,
        )
        await uow.visums.add_overruling(uuid.uuid4(), overruled)
        with pytest.raises(REFUSED):
            await uow.visums.add_overruling(uuid.uuid4(), replace(overruled, overruling_decision_id=uuid.uuid4()))


class BudgetChangesContract:
    """Budget changes keep their lines exactly; only the outcome changes. Adjustments are records."""

    async def test_a_budget_change_round_trips_its_lines_and_its_outcome(self, uow: Any) -> None:
        change = BudgetChange(
            budget_change_id=uuid.uuid4(),
            entity=G,
            title="Aanpassing 2026/1",
            lines=(
                _line("6140000", "75000.00", description="Meer onderhoud"),
                _line("2210000", "-0.01", investment_project="IP-7"),
            ),
            proposed_by="p-fd",
            proposed_at=T0,
        )
        await uow.budget_changes.add(change)
        assert await uow.budget_changes.get(change.budget_change_id) == change
        applied = change.applied(uuid.uuid4(), T0 + dt.timedelta(days=30))
        await uow.budget_changes.update(applied)
        assert await uow.budget_changes.get(change.budget_change_id, for_update=True) == applied
        assert applied.status is BudgetChangeStatus.APPLIED
        assert await uow.budget_changes.get(uuid.uuid4()) is None

    async def test_a_staged_plan_keeps_its_kind_opening_and_receipts_and_waits_for_approval(self, uow: Any) -> None:
        plan = BudgetChange(
            budget_change_id=uuid.uuid4(),
            entity=OC,
            title="Meerjarenplan 2026–2031 (ocmw)",
            lines=(_line("7400000", "24000000.00", flow=Flow.RECEIPT), _line("6140000", "1800000.00")),
            proposed_by="p-fd",
            proposed_at=T0,
            kind=ChangeKind.PLAN,
            opening=OpeningResult(OC, 2026, Decimal("-4000000.50")),
            balanced=False,
        )
        await uow.budget_changes.add(plan)
        assert await uow.budget_changes.get(plan.budget_change_id) == plan
        adopted = plan.adopted(uuid.uuid4())
        await uow.budget_changes.update(adopted)
        assert await uow.budget_changes.get(plan.budget_change_id) == adopted
        assert adopted.status is BudgetChangeStatus.ADOPTED

    async def test_all_is_newest_first_and_filters_on_the_entity(self, uow: Any) -> None:
        older = BudgetChange(uuid.uuid4(), G, "Aanpassing 1", (_line("6140000", "1.00"),), "p-fd", T0)
        newer = replace(
            older, budget_change_id=uuid.uuid4(), title="Aanpassing 2", proposed_at=T0 + dt.timedelta(days=1)
        )
        ocmw = replace(older, budget_change_id=uuid.uuid4(), entity=OC, proposed_at=T0 + dt.timedelta(hours=1))
        for change in (older, newer, ocmw):
            await uow.budget_changes.add(change)
        assert await uow.budget_changes.all(G) == [newer, older]
        assert await uow.budget_changes.all() == [newer, ocmw, older]

    async def test_a_refused_change_keeps_why(self, uow: Any) -> None:
        change = BudgetChange(uuid.uuid4(), OC, "Aanpassing", (_line("6140000", "-5.00"),), "p-fd", T0)
        await uow.budget_changes.add(change)
        refused = replace(
            change, status=BudgetChangeStatus.REFUSED, decision_id=uuid.uuid4(), refusal="only the rmw adopts this"
        )
        await uow.budget_changes.update(refused)
        assert await uow.budget_changes.get(change.budget_change_id) == refused

    async def test_an_adjustment_is_recorded_once(self, uow: Any) -> None:
        adjustment = Adjustment(
            adjustment_id=uuid.uuid4(),
            entity=G,
            lines=(_line("6140000", "-10.00"), _line("6130000", "10.00")),
            decided_by="p-ad",
            reason="Verschuiving",
            adjusted_at=T0,
        )
        await uow.budget_changes.add_adjustment(adjustment)
        await uow.budget_changes.add_adjustment(replace(adjustment, adjustment_id=uuid.uuid4()))
        with pytest.raises(REFUSED):
            await uow.budget_changes.add_adjustment(adjustment)


class DelegationsContract:
    """Budget-holder delegations by person; a revocation may arrive before the grant and still counts."""

    def _delegation(self, person: str = "p-dh") -> BudgetHolderDelegation:
        return BudgetHolderDelegation(
            delegation_id=uuid.uuid4(),
            to_person_id=person,
            entity=G,
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
            policy_field="0119",
            economic_account="6140000",
            action="AC-1",
            max_amount=Decimal("5000.00"),
        )

    async def test_a_grant_round_trips_and_belongs_to_its_person(self, uow: Any) -> None:
        mine, theirs = self._delegation(), self._delegation("p-other")
        await uow.delegations.grant(mine)
        await uow.delegations.grant(theirs)
        assert await uow.delegations.of_person("p-dh") == [mine]
        assert await uow.delegations.of_person("p-nobody") == []

    async def test_a_revocation_is_kept_whatever_arrives_first(self, uow: Any) -> None:
        early, late = self._delegation(), self._delegation()
        await uow.delegations.revoke(early.delegation_id, "p-dh", T0)
        [only_revoked] = await uow.delegations.of_person("p-dh")
        assert only_revoked == BudgetHolderDelegation(early.delegation_id, "p-dh", None, revoked_at=T0)
        await uow.delegations.grant(early)
        await uow.delegations.grant(late)
        await uow.delegations.revoke(late.delegation_id, "p-dh", T0 + dt.timedelta(days=1))
        by_id = {d.delegation_id: d for d in await uow.delegations.of_person("p-dh")}
        assert by_id == {
            early.delegation_id: replace(early, revoked_at=T0),
            late.delegation_id: replace(late, revoked_at=T0 + dt.timedelta(days=1)),
        }

    async def test_a_grant_received_again_replaces_its_scope(self, uow: Any) -> None:
        delegation = self._delegation()
        await uow.delegations.grant(delegation)
        wider = replace(delegation, policy_field=None, economic_account=None, action=None, max_amount=None)
        await uow.delegations.grant(wider)
        assert await uow.delegations.of_person("p-dh") == [wider]


class PlanContract:
    """The strategic tree: codes already known are kept, new ones added; a branch needs its parent."""

    async def test_a_tree_is_saved_again_and_extended_without_harm(self, uow: Any) -> None:
        tree = PlanTree(
            objectives={"BD-1": "Een veilige gemeente"},
            action_plans={"AP-1.1": ("BD-1", "Openbaar domein")},
            actions={"AC-1.1.1": ("AP-1.1", "Speelpleinen")},
        )
        await uow.plan.save_tree(tree)
        await uow.plan.save_tree(tree)
        extended = PlanTree(
            objectives={"BD-1": "", "BD-2": "Zorg"},
            action_plans={"AP-1.1": ("BD-1", ""), "AP-2.1": ("BD-2", "")},
            actions={"AC-2.1.1": ("AP-2.1", "")},
        )
        await uow.plan.save_tree(extended)
        await uow.plan.save_tree(PlanTree(actions={"AC-1.1.2": ("AP-1.1", "")}))

    async def test_an_action_plan_needs_its_objective(self, uow: Any) -> None:
        with pytest.raises(REFUSED):
            await uow.plan.save_tree(PlanTree(action_plans={"AP-9.1": ("BD-9", "")}))


def _estimate(
    entity: LegalEntity = G, account: str = "7300000", *, flow: Flow = Flow.RECEIPT, amount: str = "10.00"
) -> Estimate:
    return Estimate(entity, 2026, account, "0020", "", flow, Decimal(amount), f"Raming {account}")


class EstimatesContract:
    """Estimates by key (flow included); `lock` answers the existing ones in key order; opening results per entity."""

    async def test_an_estimate_round_trips_and_is_locked_in_key_order(self, uow: Any) -> None:
        tax, repayment, ocmw = _estimate(), _estimate(account="4200000", flow=Flow.EXPENSE), _estimate(OC)
        for estimate in (tax, repayment, ocmw):
            await uow.estimates.add(estimate)
        missing = (G, 2026, "7300000", "0020", "", Flow.EXPENSE)
        assert await uow.estimates.lock([ocmw.key, missing, tax.key, repayment.key, tax.key]) == [
            repayment,
            tax,
            ocmw,
        ]
        assert await uow.estimates.lock([]) == []

    async def test_update_stores_the_amount_and_all_filters_on_the_entity(self, uow: Any) -> None:
        tax, ocmw = _estimate(), _estimate(OC)
        await uow.estimates.add(tax)
        await uow.estimates.add(ocmw)
        await uow.estimates.update(replace(tax, amount=Decimal("99.99"), description="x"))
        assert await uow.estimates.all(G) == [replace(tax, amount=Decimal("99.99"))]
        assert sorted(await uow.estimates.all(), key=lambda e: e.entity.value) == [
            replace(tax, amount=Decimal("99.99")),
            ocmw,
        ]

    async def test_the_same_account_as_a_receipt_and_as_an_expense_are_two_estimates(self, uow: Any) -> None:
        taken, repaid = _estimate(account="1710000"), _estimate(account="1710000", flow=Flow.EXPENSE)
        await uow.estimates.add(taken)
        await uow.estimates.add(repaid)
        assert len(await uow.estimates.all(G)) == 2
        with pytest.raises(REFUSED):
            await uow.estimates.add(replace(taken, amount=Decimal("1.00")))

    async def test_an_opening_result_is_set_and_replaced_per_entity(self, uow: Any) -> None:
        assert await uow.estimates.openings() == []
        await uow.estimates.set_opening(OpeningResult(G, 2026, Decimal("25000000.00")))
        await uow.estimates.set_opening(OpeningResult(OC, 2026, Decimal("-1.50")))
        await uow.estimates.set_opening(OpeningResult(G, 2026, Decimal("24000000.00")))
        assert sorted(await uow.estimates.openings(), key=lambda o: o.entity.value) == [
            OpeningResult(G, 2026, Decimal("24000000.00")),
            OpeningResult(OC, 2026, Decimal("-1.50")),
        ]

    async def test_an_estimate_is_never_negative(self, uow: Any) -> None:
        with pytest.raises(REFUSED):
            await uow.estimates.add(_estimate(amount="-0.01"))


class ReceiptsContract:
    """A decision's receipt, recorded once."""

    def _receipt(self, credit_key: str | None = None) -> ReceiptRecord:
        return ReceiptRecord(
            receipt_id=uuid.uuid4(),
            decision_id=uuid.uuid4(),
            entity=G,
            economic_account="1710000",
            policy_field="0090",
            action=None,
            financial_year=2026,
            amount=Decimal("500000.00"),
            third_party="Belfius Bank",
            credit_key=credit_key,
            recorded_at=T0,
        )

    async def test_a_receipt_round_trips_and_is_found_by_its_decision(self, uow: Any) -> None:
        loan, grant = self._receipt("gemeente/2026/1710000/0090/-"), self._receipt()
        await uow.receipts.add(loan)
        await uow.receipts.add(grant)
        assert await uow.receipts.for_decision(loan.decision_id) == loan
        assert await uow.receipts.for_decision(grant.decision_id) == grant
        assert await uow.receipts.for_decision(uuid.uuid4()) is None

    async def test_a_decision_has_one_receipt(self, uow: Any) -> None:
        first = self._receipt()
        await uow.receipts.add(first)
        with pytest.raises(REFUSED):
            await uow.receipts.add(replace(self._receipt(), decision_id=first.decision_id))
