"""200 concurrent commitments against one nearly exhausted credit never overspend it.

Two finance replicas share the durable consumer and the command queue group, so the
commitments really run in parallel transactions; only the row locks on the limitative total
and on the credit keep them apart.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any

from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact
from shared.contracts.finance import AdjustCredits, CreditChange, CreditCoding, RecordCommitment
from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.integration.test_finance_flow import FinanceStack, command_id, credit, start_stack, stop_stack
from tests.integration.waiting import eventually

#: The demo plan is seeded for the current year (and the five after it).
YEAR = dt.datetime.now(dt.UTC).year
# Werking sociale dienst of the OCMW in the demo plan.
CREDIT = ("ocmw", YEAR, "6140000", "0900", "AC-3.1.1")
# Leefloon en steun: same entity, year and total (operating).
OTHER = ("ocmw", YEAR, "6490000", "0900", "AC-3.2.1")
COUNT = 200


def _impact(amount: Decimal) -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity.OCMW,
        amount=amount,
        economic_account=CREDIT[2],
        policy_field=CREDIT[3],
        action=CREDIT[4],
        financial_year=CREDIT[1],
        third_party="Leverancier",
    )


def _coding(key: tuple[str, int, str, str, str]) -> CreditCoding:
    return CreditCoding(
        entity=LegalEntity(key[0]),
        financial_year=key[1],
        economic_account=key[2],
        policy_field=key[3],
        action=key[4],
    )


async def _publish(nats_server: Any, user: str, events: list[Any]) -> None:
    nc = await nats_server.connect(user)
    js = nc.jetstream()
    try:
        acks = []
        for event in events:
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=event.ce_type(),
                source=f"/raderwerk/{user}",
                time=dt.datetime.now(dt.UTC),
                correlation_id=str(uuid.uuid4()),
            )
            acks.append(js.publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers()))
        await asyncio.gather(*acks)
    finally:
        await nc.close()


async def _nearly_exhaust(stack: FinanceStack, leave: Decimal) -> None:
    """Move all but `leave` of the credit to its neighbour in the same total (an internal adjustment)."""
    amount, _ = await credit(stack, CREDIT)
    reply = await stack.send(
        AdjustCredits(
            command_id=command_id(),
            entity=LegalEntity.OCMW,
            changes=(
                CreditChange(credit=_coding(CREDIT), change=-(amount - leave)),
                CreditChange(credit=_coding(OTHER), change=amount - leave),
            ),
            reason="Verschuiving naar leefloon",
        )
    )
    assert reply.accepted, reply
    assert await credit(stack, CREDIT) == (leave, Decimal(0))


def _amounts(seed: int) -> list[Decimal]:
    rng = random.Random(seed)
    return [Decimal(rng.randint(1, 20_000)).scaleb(-2) for _ in range(COUNT)]  # 0.01 .. 200.00


async def test_200_adopted_decisions_at_once_never_overspend(nats_server: Any, pg_dsn: str) -> None:
    stack, _ = await start_stack(nats_server, pg_dsn, meetings=False, finance_replicas=2)
    try:
        leave = Decimal("5000.00")
        await _nearly_exhaust(stack, leave)
        amounts = _amounts(1)
        decisions: list[DecisionAdopted] = [
            adopted_decision(body=BodyKind.VAST_BUREAU, financial_impact=_impact(a)) for a in amounts
        ]
        assert sum(amounts) > leave, "the test must ask for more than is left"
        await _publish(nats_server, "meetings", decisions)

        async def answered() -> int:
            return await stack.events("finance.commitment.recorded") + await stack.events("finance.credit.exhausted")

        await eventually(answered, lambda n: n >= COUNT, timeout=90, what="an answer to every decision")
        recorded = await stack.rows(
            "SELECT decision_id, amount FROM commitments WHERE entity = 'ocmw' AND credit_key = :k",
            k=f"ocmw/{YEAR}/6140000/0900/AC-3.1.1",
        )
        exhausted = await stack.rows(
            "SELECT convert_from(payload, 'UTF8')::jsonb AS body FROM outbox WHERE subject = 'finance.credit.exhausted'"
        )
        amount, committed = await credit(stack, CREDIT)
        assert amount == leave
        assert committed <= leave, "never more committed than the credit"
        assert committed == sum(r.amount for r in recorded), "the credit's committed is the sum of its commitments"
        assert len(recorded) + len(exhausted) == COUNT, "every decision is either committed or refused"
        ids = {r.decision_id for r in recorded} | {uuid.UUID(e.body["decision_id"]) for e in exhausted}
        assert ids == {d.decision_id for d in decisions}, "nothing lost, nothing doubled"
        assert await stack.events("finance.commitment.recorded") == len(recorded)
        assert all(e.body["reason"] == "insufficient_credit" for e in exhausted)
        assert all(Decimal(e.body["amount"]) > Decimal(e.body["available"]) for e in exhausted)
        assert len(recorded) > 0
        assert len(exhausted) > 0
        # Exhausted: what is left is less than the smallest refused amount.
        assert leave - committed < min(Decimal(e.body["amount"]) for e in exhausted)
        [total] = await stack.rows(
            f"SELECT amount, committed FROM limitative_totals WHERE entity = 'ocmw' AND financial_year = {YEAR}"
            " AND total = 'operating'"
        )
        assert total.committed == committed, "the total's commitments equal its credits' (nothing else committed)"
        assert total.committed <= total.amount
    finally:
        await stop_stack(stack)


async def test_200_concurrent_budget_holder_commitments_never_overspend(nats_server: Any, pg_dsn: str) -> None:
    stack, _ = await start_stack(nats_server, pg_dsn, meetings=False, finance_replicas=2)
    try:
        leave = Decimal("3000.00")
        await _nearly_exhaust(stack, leave)
        delegation = DelegationGranted(
            delegation_id=uuid.uuid4(),
            from_body=None,
            from_person_id="p-ad",
            to_person_id="p-diensthoofd",
            power=DelegationPower.BUDGET_HOLDER,
            entity=LegalEntity.OCMW,
            budget_scope=BudgetHolderScope(entity=LegalEntity.OCMW, policy_field="0900", max_amount=Decimal(500)),
            valid_from=dt.date(2020, 1, 1),
            valid_until=None,
        )
        await _publish(nats_server, "hr", [delegation])

        async def delegations() -> int:
            sql = "SELECT count(*) FROM budget_holder_delegations WHERE delegation_id = :d"
            return int(await stack.scalar(sql, d=delegation.delegation_id) or 0)

        await eventually(delegations, lambda n: n == 1, timeout=30, what="the delegation")
        amounts = _amounts(2)
        commands = [
            RecordCommitment(command_id=command_id(), impact=_impact(a), third_party="Leverancier") for a in amounts
        ]
        replies = await asyncio.gather(*(stack.send(c, timeout=30, by="p-diensthoofd") for c in commands))
        accepted = [r for r in replies if r.accepted]
        refused = [r for r in replies if not r.accepted]
        assert {r.code for r in refused} <= {"insufficient_credit"}, {r.code for r in refused}
        assert all(f"available on ocmw/{YEAR}/6140000/0900/AC-3.1.1" in r.message for r in refused)
        rows = await stack.rows("SELECT commitment_id, amount, delegation_id FROM commitments")
        amount, committed = await credit(stack, CREDIT)
        assert committed <= amount == leave
        assert len(rows) == len(accepted), "one row per accepted command, none for a refused one"
        assert {str(r.commitment_id) for r in rows} == {r.ids["commitment_id"] for r in accepted}
        assert committed == sum(r.amount for r in rows)
        assert {r.delegation_id for r in rows} == {delegation.delegation_id}
        assert await stack.events("finance.commitment.recorded_under_delegation") == len(accepted)
        assert accepted
        assert refused
    finally:
        await stop_stack(stack)
