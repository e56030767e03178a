"""Budget holders commit under a delegation from hr; payments are ordered and paid."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from shared.contracts.finance import (
    CommitmentRecordedUnderDelegation,
    MarkPaid,
    OrderPayment,
    PaymentMade,
    PaymentOrdered,
    RecordCommitment,
)
from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower, DelegationRevoked
from shared.kernel import RuleViolation
from tests.unit.finance.driver import NOW, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import G, adopted, at, credit, events, impact

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


def _revoked(delegation_id: uuid.UUID, at: dt.datetime, power: DelegationPower) -> DelegationRevoked:
    return DelegationRevoked(
        delegation_id=delegation_id, to_person_id="p-dh", power=power, revoked_at=at, reason="Andere functie"
    )


def _record(amount: str) -> RecordCommitment:
    return RecordCommitment(
        command_id=uuid.uuid4().hex, impact=impact(amount), third_party="Drukkerij", reason="Folders"
    )


async def test_a_budget_holder_commits_under_a_valid_delegation() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    granted = _granted()
    await fin.tell(uow, granted)
    await fin.tell(uow, _granted(power=DelegationPower.SIGN, to_person_id="p-other"))
    assert len(uow.delegations.rows) == 1, "only budget-holder delegations matter to finance"
    reply = await fin.send(uow, _record("4999.99"), by="p-dh")
    assert reply.ids["delegation_id"] == str(granted.delegation_id)
    assert reply.data == {"remaining": "95000.01"}
    [event] = events(uow, CommitmentRecordedUnderDelegation)
    assert (event.delegation_id, event.person_id, event.amount) == (granted.delegation_id, "p-dh", Decimal("4999.99"))
    assert str(event.commitment_id) == reply.ids["commitment_id"]
    [stored] = uow.commitments.rows.values()
    assert (stored.delegation_id, stored.decision_id, stored.third_party) == (granted.delegation_id, None, "Drukkerij")
    assert (stored.recorded_by, stored.reason, stored.created_at) == ("p-dh", "Folders", NOW)
    [held] = await uow.credits.of_entity(G)
    assert held.committed == Decimal("4999.99")


async def test_no_valid_delegation_rejects_with_a_clear_message() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    with pytest.raises(RuleViolation) as none:
        await fin.send(uow, _record("10.00"), by="p-dh")
    assert none.value.code == "no_valid_delegation"
    assert "p-dh" in none.value.message
    await fin.tell(uow, _granted())
    with pytest.raises(RuleViolation) as too_much:
        await fin.send(uow, _record("5000.01"), by="p-dh")
    assert "at most 5000.00" in too_much.value.message
    fin.clock.at = at(2027, 1, 1)
    with pytest.raises(RuleViolation) as expired:
        await fin.send(uow, _record("10.00"), by="p-dh")
    assert "expired on 2026-12-31" in expired.value.message
    fin.clock.at = NOW
    [delegation_id] = uow.delegations.rows
    await fin.tell(uow, _revoked(delegation_id, NOW - dt.timedelta(hours=1), DelegationPower.SIGN))
    assert uow.delegations.rows[delegation_id].revoked_at is None, "another power's revocation is not finance's"
    await fin.tell(uow, _revoked(delegation_id, NOW - dt.timedelta(hours=1), DelegationPower.BUDGET_HOLDER))
    with pytest.raises(RuleViolation) as revoked:
        await fin.send(uow, _record("10.00"), by="p-dh")
    assert "was revoked" in revoked.value.message
    assert uow.commitments.rows == {}


async def test_a_revocation_that_arrives_before_the_grant_still_counts() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    granted = _granted()
    await fin.tell(uow, _revoked(granted.delegation_id, NOW - dt.timedelta(days=1), DelegationPower.BUDGET_HOLDER))
    await fin.tell(uow, granted)
    with pytest.raises(RuleViolation) as info:
        await fin.send(uow, _record("10.00"), by="p-dh")
    assert info.value.code == "no_valid_delegation"


async def test_a_budget_holder_cannot_overspend() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit(amount="100.00"))
    await fin.tell(uow, _granted())
    await fin.send(uow, _record("99.99"), by="p-dh")
    with pytest.raises(RuleViolation) as info:
        await fin.send(uow, _record("0.02"), by="p-dh")
    assert info.value.code == "insufficient_credit"
    assert "available on gemeente/2026/6140000/0119/AC-1: 0.01" in info.value.message


# --- payments -------------------------------------------------------------------------------


async def test_payment_orders_and_payments() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, adopted(uuid.uuid4(), "1000.00"))
    [commitment] = uow.commitments.rows.values()
    with pytest.raises(RuleViolation) as unknown:
        await fin.send(
            uow, OrderPayment(command_id="c-0000001", commitment_id=uuid.uuid4(), amount=Decimal(1)), by="p-fd"
        )
    assert unknown.value.code == "unknown_commitment"
    first = await fin.send(
        uow,
        OrderPayment(command_id="c-0000002", commitment_id=commitment.commitment_id, amount=Decimal("600.00")),
        by="p-fd",
    )
    with pytest.raises(RuleViolation) as exceeds:
        await fin.send(
            uow,
            OrderPayment(
                command_id="c-0000003",
                commitment_id=commitment.commitment_id,
                amount=Decimal("400.01"),
            ),
            by="p-fd",
        )
    assert exceeds.value.code == "payment_exceeds_commitment"
    [ordered] = events(uow, PaymentOrdered)
    assert ordered.remaining_to_order == Decimal("400.00")
    order_id = uuid.UUID(first.ids["payment_order_id"])
    assert uow.payments.rows[order_id].ordered_at == NOW
    paid_reply = await fin.send(uow, MarkPaid(command_id="c-0000004", payment_order_id=order_id))
    assert paid_reply.data == {"status": "paid"}
    [paid] = events(uow, PaymentMade)
    assert (paid.amount, paid.paid_on) == (Decimal("600.00"), NOW.date())
    with pytest.raises(RuleViolation) as twice:
        await fin.send(uow, MarkPaid(command_id="c-0000005", payment_order_id=order_id))
    assert twice.value.code == "already_paid"
    with pytest.raises(RuleViolation) as missing:
        await fin.send(uow, MarkPaid(command_id="c-0000006", payment_order_id=uuid.uuid4()))
    assert missing.value.code == "unknown_payment_order"
    stored = uow.commitments.rows[commitment.commitment_id]
    assert (stored.ordered, stored.paid) == (Decimal("600.00"), Decimal("600.00"))


async def test_a_payment_is_recorded_on_the_day_given() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    await fin.tell(uow, adopted(uuid.uuid4(), "1000.00"))
    [commitment] = uow.commitments.rows.values()
    order = await fin.send(
        uow,
        OrderPayment(command_id="c-0000001", commitment_id=commitment.commitment_id, amount=Decimal("10.00")),
        by="p-fd",
    )
    day = dt.date(2026, 6, 1)
    await fin.send(
        uow, MarkPaid(command_id="c-0000002", payment_order_id=uuid.UUID(order.ids["payment_order_id"]), paid_on=day)
    )
    [paid] = events(uow, PaymentMade)
    assert paid.paid_on == day
