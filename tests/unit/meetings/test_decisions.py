"""Proposing items and deciding them: only by a vote in a session of the body, or by the burgemeester alone."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.meetings.domain import events
from services.meetings.domain.model import BudgetCheck, Role, Step
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed
from shared.contracts.meetings import (
    AgendaItemProposed,
    DecideAsMayor,
    DecisionAdopted,
    DecisionRejected,
    ProposeAgendaItem,
)
from shared.contracts.sessions import ScheduleMeeting, VoteOnItem
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
    MandateRole,
    VoteChoice,
    VoteTally,
)
from tests.unit.meetings.builders import NOW, item
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service
from tests.unit.meetings.stage import Stage, cid

MEETINGS = Service()
COLLEGE = ["c1", "c2", "c3", "c4", "c5"]


def _impact(entity: LegalEntity = LegalEntity.GEMEENTE) -> FinancialImpact:
    return FinancialImpact(
        entity=entity, amount=Decimal("1000.00"), economic_account="6140000", policy_field="0119", financial_year=2026
    )


_PERSON = {
    "person_id": "p-fin",
    "person_name": "Eline Claes",
    "entity": "gemeente",
    "position": "diensthoofd",
    "grade": "A1a",
    "statutory": True,
    "start_date": "2026-04-01",
}
_SANCTION = {"case_id": "5b8f0c1e-2f0e-4d1a-9a53-0d1b2c3d4e5f", "sanction": "blaam"}


def _proposal(**overrides: object) -> ProposeAgendaItem:
    fields: dict[str, object] = {
        "command_id": uuid.uuid4().hex,
        "body": BodyKind.COLLEGE,
        "entity": LegalEntity.GEMEENTE,
        "title": "Onderhoud speelpleinen",
        "legal_basis": "Decreet lokaal bestuur art. 56",
        "follow_up_actions": (
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Bestellen", unit_code="RUIMTE"),
        ),
    }
    fields.update(overrides)
    return ProposeAgendaItem.model_validate(fields)


async def _college() -> Stage:
    stage = Stage()
    await stage.seats(BodyKind.COLLEGE, COLLEGE, roles={"c1": MandateRole.MAYOR})
    return stage


async def test_a_proposal_is_stored_and_announced() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal())
    [event] = uow.events()
    assert isinstance(event, AgendaItemProposed)
    assert str(event.item_id) == reply.ids["item_id"]
    assert event.proposed_at == NOW, "the injected clock"
    assert reply.data == {"budget_check": "not_required", "confidentiality": "public", "advice_required": False}
    [domain_event] = uow.domain_events()
    assert isinstance(domain_event, events.AgendaItemProposed)


def test_there_is_no_command_that_decides_from_a_bare_tally() -> None:
    names = {contract.NAME for contract in MEETINGS.registry.commands}
    assert "decide_agenda_item" not in names
    deciding = {n for n in names if "decide" in n or "vote" in n}
    assert deciding == {"vote_on_item", "decide_as_mayor"}, "a vote in session, or the burgemeester alone"


async def test_a_financial_impact_waits_for_the_budget_check_before_the_item_is_tabled() -> None:
    stage = await _college()
    reply = await stage.send(_proposal(financial_impact=_impact()))
    assert reply.data["budget_check"] == "pending"
    meeting = await stage.schedule(BodyKind.COLLEGE, days=1)
    with pytest.raises(RuleViolation) as info:
        await stage.convene(meeting, uuid.UUID(reply.ids["item_id"]))
    assert info.value.code == "budget_check_missing"


async def test_a_passed_budget_check_lets_the_session_decide_with_everything_downstream_needs() -> None:
    stage = await _college()
    reply = await stage.send(_proposal(financial_impact=_impact()))
    item_id = uuid.UUID(reply.ids["item_id"])
    check = BudgetCheckPassed(
        item_id=item_id, entity=LegalEntity.GEMEENTE, amount=Decimal(1000), available=Decimal(5000), credit_key="k"
    )
    await stage.meetings.tell(stage.uow, check)
    meeting = await stage.held(BodyKind.COLLEGE, [item_id], COLLEGE, days=1)
    decided = await stage.vote_open(meeting, item_id, COLLEGE, against=1)
    assert decided.data["outcome"] == "adopted"
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.financial_impact == _impact()
    assert [a.action_id for a in adopted.follow_up_actions] == ["a"]
    assert adopted.entity is LegalEntity.GEMEENTE
    assert adopted.meeting_id == meeting, "a decision is the outcome of a vote in a session"
    assert adopted.votes == VoteTally(in_favour=4, against=1, abstentions=0)
    assert adopted.adopted_at == stage.times[meeting], "decided in the session, on the session's time"
    assert adopted.reportable is False, "a college decision is not reported on its own"


async def test_a_failed_budget_check_keeps_the_item_off_the_agenda() -> None:
    stage = await _college()
    reply = await stage.send(_proposal(financial_impact=_impact()))
    item_id = uuid.UUID(reply.ids["item_id"])
    failed = BudgetCheckFailed(
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(1000),
        available=Decimal(10),
        credit_key="k",
        reason="insufficient_credit",
    )
    await stage.meetings.tell(stage.uow, failed)
    meeting = await stage.schedule(BodyKind.COLLEGE, days=1)
    with pytest.raises(RuleViolation, match="insufficient") as info:
        await stage.convene(meeting, item_id)
    assert info.value.code == "budget_check_failed"


async def test_a_tie_rejects_and_the_item_cannot_be_voted_twice() -> None:
    stage = await _college()
    item_id = uuid.UUID((await stage.send(_proposal())).ids["item_id"])
    meeting = await stage.held(BodyKind.COLLEGE, [item_id], COLLEGE[:4], days=1)
    decided = await stage.vote_open(meeting, item_id, COLLEGE[:4], against=2)
    assert decided.data["outcome"] == "rejected"
    assert isinstance(stage.uow.events()[-1], DecisionRejected)
    with pytest.raises(RuleViolation) as info:
        await stage.vote_open(meeting, item_id, COLLEGE[:4])
    assert info.value.code == "already_treated"


async def test_a_vote_in_which_everyone_abstains_is_recorded_as_not_adopted() -> None:
    stage = await _college()
    item_id = uuid.UUID((await stage.send(_proposal())).ids["item_id"])
    meeting = await stage.held(BodyKind.COLLEGE, [item_id], COLLEGE, days=1)
    votes = dict.fromkeys(COLLEGE, VoteChoice.ABSTAIN)
    decided = await stage.send(VoteOnItem(command_id=cid(), meeting_id=meeting, item_id=item_id, open_votes=votes))
    assert decided.data == {
        "outcome": "rejected",
        "votes": {"in_favour": 0, "against": 0, "abstentions": 5, "invalid": 0},
    }
    rejected = stage.uow.events()[-1]
    assert isinstance(rejected, DecisionRejected)
    assert rejected.votes.abstentions == 5
    assert stage.uow.items.rows[item_id].status.value == "rejected"


async def test_an_unknown_item_is_rejected() -> None:
    stage = await _college()
    meeting = await stage.schedule(BodyKind.COLLEGE, days=1)
    with pytest.raises(RuleViolation) as info:
        await stage.convene(meeting, uuid.uuid4())
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
        ({"kind": DecisionKind.ELECTION}, "candidates_missing"),
        ({"candidates": ({"person_id": "p1", "name": "Een"},)}, "candidates_not_allowed"),
        ({"body": BodyKind.BURGEMEESTER, "kind": DecisionKind.DELEGATION}, "not_for_the_mayor"),
        (
            {"kind": DecisionKind.DISCIPLINE, "appointment": _PERSON, "motivation": "Redenen"},
            "discipline_details_missing",
        ),
        ({"kind": DecisionKind.DISCIPLINE, "appointment": _PERSON, "discipline": _SANCTION}, "motivation_required"),
        ({"kind": DecisionKind.ORGANOGRAM, "body": BodyKind.GEMEENTERAAD}, "organogram_version_missing"),
        ({"kind": DecisionKind.ORGANOGRAM, "organogram_version": 2}, "organogram_not_council"),
    ],
)
async def test_proposals_that_break_a_rule_change_nothing(overrides: dict[str, object], code: str) -> None:
    uow = FakeMeetingsUnitOfWork()
    with pytest.raises(RuleViolation) as info:
        await MEETINGS.send(uow, _proposal(**overrides))
    assert info.value.code == code
    assert not uow.items.rows
    assert not uow.events()


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        (DecisionKind.DECISION, BodyKind.COLLEGE, "public"),
        (DecisionKind.DISCIPLINE, BodyKind.COLLEGE, "closed"),
        (DecisionKind.DESIGNATION, BodyKind.GEMEENTERAAD, "closed"),
        (DecisionKind.DECISION, BodyKind.BCSD, "social"),
    ],
)
async def test_items_about_persons_are_closed_by_default(kind: DecisionKind, body: BodyKind, expected: str) -> None:
    extra: dict[str, object] = {"body": body, "entity": "ocmw" if body is BodyKind.BCSD else "gemeente", "kind": kind}
    if kind is DecisionKind.DISCIPLINE:
        extra["discipline"] = {"case_id": str(uuid.uuid4()), "sanction": "blaam"}
        extra["motivation"] = "Herhaalde laattijdigheid, na het verhoor."
        extra["appointment"] = {
            "person_id": "p-x",
            "person_name": "X",
            "entity": "gemeente",
            "position": "deskundige",
            "grade": "B1",
            "statutory": True,
            "start_date": "2026-04-01",
        }
    if kind is DecisionKind.DESIGNATION:
        extra["candidates"] = ({"person_id": "p-y", "name": "Y"},)
    reply = await MEETINGS.send(FakeMeetingsUnitOfWork(), _proposal(follow_up_actions=(), **extra))
    assert reply.data["confidentiality"] == expected


async def test_events_carry_entity_and_confidentiality_in_the_envelope() -> None:
    uow = FakeMeetingsUnitOfWork()
    reply = await MEETINGS.send(uow, _proposal(body=BodyKind.BCSD, entity=LegalEntity.OCMW))
    [(event, envelope)] = uow.pending
    assert envelope.entity is Entity.OCMW
    assert envelope.confidentiality is Confidentiality.SOCIAL
    assert envelope.subject == reply.ids["item_id"]
    assert isinstance(event, AgendaItemProposed)
    assert event.title == f"BCSD-beslissing {reply.ids['item_id'][:8]}", "a social item leaves with a neutral title"


def test_a_late_budget_check_does_not_reopen_a_decided_item() -> None:
    step = Step(
        meeting_id=None,
        body=BodyKind.GEMEENTERAAD,
        on=NOW.date(),
        role=Role.DECISION,
        outcome="adopted",
        confidentiality=Confidentiality.PUBLIC,
    )
    decided = item().decided(adopted=True, decision_id=uuid.uuid4(), step=step)
    assert decided.with_budget_check(False) is decided
    assert decided.budget_check is BudgetCheck.NOT_REQUIRED


# -- the burgemeester, a body of one person ------------------------------------------------------


async def test_the_burgemeester_decides_alone_and_signs_no_vote() -> None:
    stage = await _college()
    ordinance = await stage.propose(
        BodyKind.BURGEMEESTER, "Politieverordening Kermis Heidebeek", kind=DecisionKind.REGULATION
    )
    with pytest.raises(RuleViolation) as info:
        await stage.send(DecideAsMayor(command_id=cid(), item_id=ordinance), by="c2")
    assert info.value.code == "not_the_mayor", "an alderman is not the burgemeester"
    signed = await stage.send(DecideAsMayor(command_id=cid(), item_id=ordinance), by="c1")
    assert signed.data == {"outcome": "adopted", "signed_by": "c1", "reportable": True}
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert (adopted.body, adopted.meeting_id, adopted.signed_by) == (BodyKind.BURGEMEESTER, None, "c1")
    assert adopted.votes == VoteTally(in_favour=0, against=0, abstentions=0), "no vote"
    assert adopted.reportable, "a police ordinance is reported to the supervisory authority"
    with pytest.raises(RuleViolation) as info:
        await stage.send(DecideAsMayor(command_id=cid(), item_id=ordinance), by="c1")
    assert info.value.code == "already_decided"


async def test_the_burgemeester_holds_no_meetings_and_decides_nothing_of_another_body() -> None:
    stage = await _college()
    college_item = await stage.propose(BodyKind.COLLEGE, "Evenementenvergunning")
    with pytest.raises(RuleViolation) as info:
        await stage.send(DecideAsMayor(command_id=cid(), item_id=college_item), by="c1")
    assert info.value.code == "decide_in_session"
    with pytest.raises(RuleViolation) as info:
        await stage.send(
            ScheduleMeeting(
                command_id=cid(),
                body=BodyKind.BURGEMEESTER,
                scheduled_at=NOW + dt.timedelta(days=1),
                location="Kabinet",
            )
        )
    assert info.value.code == "mayor_holds_no_meetings"


async def test_a_disciplinary_decision_carries_the_case_the_sanction_and_its_reasons_secretly() -> None:
    stage = await _college()
    proposal = _proposal(
        kind=DecisionKind.DISCIPLINE,
        title="Tuchtstraf",
        appointment=_PERSON,
        discipline=_SANCTION,
        motivation="De feiten zijn bewezen; het verweer overtuigt niet.",
        follow_up_actions=(),
    )
    item_id = uuid.UUID((await stage.send(proposal)).ids["item_id"])
    meeting = await stage.held(BodyKind.COLLEGE, [item_id], COLLEGE, days=1)
    await stage.vote_secret(meeting, item_id, VoteTally(in_favour=4, against=1, abstentions=0))
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.discipline is not None
    assert (str(adopted.discipline.case_id), adopted.discipline.sanction) == (_SANCTION["case_id"], "blaam")
    assert (adopted.secret_ballot, adopted.confidentiality) == (True, Confidentiality.CLOSED)
    assert adopted.motivation == "De feiten zijn bewezen; het verweer overtuigt niet."
    assert adopted.appointment is not None
    assert adopted.appointment.person_id == "p-fin"


async def test_an_organogram_decision_names_the_version_it_adopts() -> None:
    stage = Stage()
    council = [f"gr{i}" for i in range(1, 6)]
    await stage.seats(BodyKind.GEMEENTERAAD, council)
    proposal = _proposal(
        body=BodyKind.GEMEENTERAAD,
        kind=DecisionKind.ORGANOGRAM,
        title="Organogram 2027",
        organogram_version=3,
        follow_up_actions=(),
    )
    item_id = uuid.UUID((await stage.send(proposal)).ids["item_id"])
    stored = stage.uow.items.rows[item_id]
    assert stored.links.organogram_version == 3
    meeting = await stage.held(BodyKind.GEMEENTERAAD, [item_id], council)
    await stage.vote_open(meeting, item_id, council)
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert (adopted.kind, adopted.organogram_version) == (DecisionKind.ORGANOGRAM, 3)
