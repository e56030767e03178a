"""One rejection path: a rule says no once, and the messaging layer decides what the no becomes.

From a command, a `RuleViolation` becomes a rejected reply with the rule's code and nothing is
committed. From an event reaction, a refusal others must learn is an event (finance's credit
exhausted); a message that can never be handled raises the `RuleViolation`, which the consumer
dead-letters with its code.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Self, cast

import pytest

from services.finance.domain.model import Credit, CreditTotal
from shared.contracts.finance import CreditExhausted, GrantVisum, RecordCommitment
from shared.kernel import RuleViolation
from shared.messaging.commands import _handle
from shared.messaging.envelope import Envelope
from shared.vocabulary import BodyKind, FinancialImpact, FollowUpAction, FollowUpKind, LegalEntity
from tests.actors import proven
from tests.factories import adopted_decision
from tests.unit.finance.driver import Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork
from tests.unit.organisation.routes import NOW, Routes


class CommandUnitOfWork(FakeFinanceUnitOfWork):
    """The fake, with the idempotency store `bind_command` uses (no earlier replies)."""

    stored: dict[str, Any]

    async def __aenter__(self) -> Self:
        self.stored = {}
        return self

    async def stored_result(self, consumer: str, message_id: str) -> dict[str, Any] | None:
        return None

    async def record_handled(self, consumer: str, message_id: str, result: dict[str, Any]) -> None:
        self.stored[message_id] = result


def _credit(committed: str) -> Credit:
    return Credit(
        entity=LegalEntity.GEMEENTE,
        financial_year=2026,
        total=CreditTotal.OPERATING,
        economic_account="6140000",
        policy_field="0119",
        action="AC-1.1.1",
        investment_project=None,
        description="Werkingskosten openbaar domein",
        amount=Decimal("10000.00"),
        committed=Decimal(committed),
    )


def _impact(amount: str) -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(amount),
        economic_account="6140000",
        policy_field="0119",
        action="AC-1.1.1",
        financial_year=2026,
    )


async def test_a_rule_violation_from_a_command_is_a_rejected_reply_and_nothing_is_committed() -> None:
    uow = CommandUnitOfWork()
    finance = Finance()
    grant = GrantVisum(command_id="c" * 8, item_id=uuid.uuid4(), conditions=())
    with proven("p-fd"):
        reply = await _handle(GrantVisum, finance.registry.commands[GrantVisum], lambda: cast("Any", uow), grant, True)
    assert (reply.status.value, reply.code) == ("rejected", "no_visum_requested")
    assert reply.command_id == grant.command_id
    assert "no visum request" in reply.message
    assert uow.committed == []
    assert uow.stored == {}, "a rejection is not stored: a retry after the cause is fixed is judged afresh"


async def test_a_rule_violation_names_the_rule_that_refused() -> None:
    uow = CommandUnitOfWork(_credit("0.00"))
    commitment = RecordCommitment(command_id="d" * 8, impact=_impact("10.00"), third_party="X", reason="test")
    route = Finance().registry.commands[RecordCommitment]
    with proven("p-nobody"):
        refused = await _handle(RecordCommitment, route, lambda: cast("Any", uow), commitment, True)
    assert (refused.status.value, refused.code) == ("rejected", "no_valid_delegation")


async def test_a_refusal_in_a_reaction_that_others_must_learn_is_an_event() -> None:
    uow = FakeFinanceUnitOfWork(_credit("9990.00"))
    decision = adopted_decision(
        body=BodyKind.COLLEGE, adopted_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC), financial_impact=_impact("20.00")
    )
    await Finance().tell(uow, decision)
    [exhausted] = uow.events()
    assert isinstance(exhausted, CreditExhausted)
    assert exhausted.reason == "insufficient_credit"
    assert uow.commitments.rows == {}


async def test_a_message_that_can_never_be_handled_raises_its_rule_for_the_consumer_to_dead_letter() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = adopted_decision(
        adopted_at=NOW,
        follow_up_actions=(
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Doen", unit_code="NOPE"),
        ),
    )
    envelope = Envelope(id="m", type=decision.ce_type(), source="/raderwerk/meetings", time=NOW, correlation_id="c")
    with pytest.raises(RuleViolation) as refused:
        await Routes().decision_adopted(uow, decision, envelope)
    assert refused.value.code == "unknown_unit"
    assert uow.events() == []
