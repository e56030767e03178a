"""Proposing and deciding agenda items: rules and the events they produce."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain import events
from services.meetings.domain.model import AgendaItem, BudgetCheck, ItemStatus, decide
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed
from shared.contracts.meetings import (
    AgendaItemProposed,
    DecideAgendaItem,
    DecisionAdopted,
    DecisionRejected,
    ProposeAgendaItem,
)
from shared.kernel import RuleViolation
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DecisionKind,
    Entity,
    FinancialImpact,
    FollowUpAction,
    FollowUpKind,
    LegalEntity,
    VoteTally,
)
from tests.unit.meetings.builders import NOW
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

MEETINGS = Service()


def _impact(entity: LegalEntity = LegalEntity.GEMEENTE) -> FinancialImpact:
    return FinancialImpact(
        entity=entity, amount=Decimal("1000.00"), economic_account="6140000", policy_field="0119", financial_year=2026
    )


def _proposal(**overrides: object) -> ProposeAgendaItem:
    fields: dict[str, object] = {
        "command_id": uuid.uuid4().hex,
        "body": BodyKind.COLLEGE,
        "entity": LegalEntity.GEMEENTE,
        "title": "Onderhoud speelpleinen",
        "legal_basis": "Decreet lokaal bestuur art. 56",
        "proposed_by": "p-ruimte",
        "follow_up_actions": (
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Bestellen", unit_code="RUIMTE"),
        ),
    }
    fields.update(overrides)
    return ProposeAgendaItem.model_validate(fields)


def _decide(item_id: str, in_favour: int, against: int, abstentions: int = 0) -> DecideAgendaItem:
    return DecideAgendaItem(
        command_id=uuid.uuid4().hex,
        item_id=uuid.UUID(item_id),
        votes=VoteTally(in_favour=in_favour, against=against, abstentions=abstentions),
    )


async def test_a_proposal_is_stored_and_announced() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal())
    [event] = uow.events()
    assert isinstance(event, AgendaItemProposed)
    assert str(event.item_id) == reply.ids["item_id"]
    assert event.proposed_at == NOW, "the injected clock"
    assert reply.data == {"budget_check": "not_required"}
    [domain_event] = uow.domain_events()
    assert isinstance(domain_event, events.AgendaItemProposed)


async def test_a_financial_impact_waits_for_the_budget_check() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal(financial_impact=_impact()))
    assert reply.data == {"budget_check": "pending"}
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(uow, _decide(reply.ids["item_id"], 5, 1))
    assert info.value.code == "budget_check_missing"


async def test_a_passed_budget_check_lets_the_decision_through_with_everything_downstream_needs() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal(financial_impact=_impact()))
    item_id = uuid.UUID(reply.ids["item_id"])
    check = BudgetCheckPassed(
        item_id=item_id, entity=LegalEntity.GEMEENTE, amount=Decimal(1000), available=Decimal(5000), credit_key="k"
    )
    await MEETINGS.tell(uow, check)
    decided = await MEETINGS.send(uow, _decide(str(item_id), 5, 1, 1))
    assert decided.data == {"outcome": "adopted"}
    adopted = uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.financial_impact == _impact()
    assert [a.action_id for a in adopted.follow_up_actions] == ["a"]
    assert adopted.entity is LegalEntity.GEMEENTE


async def test_a_failed_budget_check_blocks_the_decision() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal(financial_impact=_impact()))
    item_id = uuid.UUID(reply.ids["item_id"])
    failed = BudgetCheckFailed(
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(1000),
        available=Decimal(10),
        credit_key="k",
        reason="insufficient_credit",
    )
    await MEETINGS.tell(uow, failed)
    with pytest.raises(RuleViolation, match="insufficient") as info:
        await MEETINGS.send(uow, _decide(str(item_id), 5, 0))
    assert info.value.code == "budget_check_failed"


async def test_a_tie_rejects_and_the_item_cannot_be_decided_twice() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal())
    decided = await MEETINGS.send(uow, _decide(reply.ids["item_id"], 3, 3, 4))
    assert decided.data == {"outcome": "rejected"}
    assert isinstance(uow.events()[-1], DecisionRejected)
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(uow, _decide(reply.ids["item_id"], 5, 0))
    assert info.value.code == "already_decided"


async def test_an_unknown_item_is_rejected() -> None:
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(FakeMeetingsUnitOfWork(), _decide(str(uuid.uuid4()), 1, 0))
    assert info.value.code == "unknown_item"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"body": BodyKind.VAST_BUREAU}, "body_not_of_entity"),
        ({"financial_impact": _impact(LegalEntity.OCMW)}, "entity_mismatch"),
        (
            {"body": BodyKind.BCSD, "entity": LegalEntity.OCMW, "confidentiality": Confidentiality.PUBLIC},
            "bcsd_is_social",
        ),
        (
            {
                "follow_up_actions": (
                    FollowUpAction(action_id="x", kind=FollowUpKind.NOTIFY, description="a"),
                    FollowUpAction(action_id="x", kind=FollowUpKind.NOTIFY, description="b"),
                )
            },
            "duplicate_action",
        ),
    ],
)
async def test_proposals_that_break_a_rule_change_nothing(overrides: dict[str, object], code: str) -> None:
    uow = FakeMeetingsUnitOfWork()
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(uow, _proposal(**overrides))
    assert info.value.code == code
    assert not uow.items.rows
    assert not uow.events()


async def test_events_carry_entity_and_confidentiality_in_the_envelope() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(
        uow, _proposal(body=BodyKind.BCSD, entity=LegalEntity.OCMW, confidentiality=Confidentiality.SOCIAL)
    )
    [(event, envelope)] = uow.pending
    assert envelope.entity is Entity.OCMW
    assert envelope.confidentiality is Confidentiality.SOCIAL
    assert envelope.subject == reply.ids["item_id"]
    assert isinstance(event, AgendaItemProposed)
    assert event.title == f"BCSD-beslissing {reply.ids['item_id'][:8]}", "a social item leaves with a neutral title"


def _item() -> AgendaItem:
    return AgendaItem.propose(
        body=BodyKind.GEMEENTERAAD,
        entity=LegalEntity.GEMEENTE,
        title="Reglement",
        kind=DecisionKind.REGULATION,
        confidentiality=Confidentiality.PUBLIC,
        legal_basis="art. 40",
        motivation="",
        financial_impact=None,
        follow_up_actions=(),
        proposed_by="p",
        now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_majority_of_votes_cast_abstentions_do_not_count(in_favour: int, against: int, abstentions: int) -> None:
    votes = VoteTally(in_favour=in_favour, against=against, abstentions=abstentions)
    if in_favour + against == 0:
        with pytest.raises(RuleViolation):
            decide(_item(), votes, uuid.uuid4())
        return
    outcome = decide(_item(), votes, uuid.uuid4())
    assert outcome.adopted is (in_favour > against)
    assert outcome.item.status is (ItemStatus.ADOPTED if in_favour > against else ItemStatus.REJECTED)
    # Adding abstentions never changes the outcome.
    more = VoteTally(in_favour=in_favour, against=against, abstentions=abstentions + 7)
    assert decide(_item(), more, uuid.uuid4()).adopted is outcome.adopted


def test_a_late_budget_check_does_not_reopen_a_decided_item() -> None:
    decided = decide(_item(), VoteTally(in_favour=1, against=0, abstentions=0), uuid.uuid4()).item
    assert decided.with_budget_check(False) is decided
    assert decided.budget_check is BudgetCheck.NOT_REQUIRED
