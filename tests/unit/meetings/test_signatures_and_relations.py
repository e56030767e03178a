"""Signatures under the minutes (revoked before publication, an acting director), the lock
after publication, and a regulation's text in force before and after an amendment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.meetings.domain.decision import DecisionOutcome, DecisionRecord
from services.meetings.domain.meeting import Meeting, MinutesStatus
from services.meetings.domain.members import Roster, Seat
from services.meetings.domain.relations import InForce, check_relation, text_in_force
from services.meetings.domain.votes import Choice, count_open_vote
from shared.kernel import RuleViolation
from shared.vocabulary import (
    BodyKind,
    DecisionKind,
    DecisionRelation,
    LegalEntity,
    MandateRole,
    MandateStatus,
    RelationKind,
    VoteTally,
)
from tests.unit.meetings.builders import AD, COUNCIL, NOW, POLICY, in_session, item

ACTING = "p-adjunct"


def _approved() -> Meeting:
    """A council meeting, closed, its minutes approved at the next meeting."""
    agenda_item = item()
    meeting = in_session(agenda_item)
    present = meeting.present_for(agenda_item.item_id)
    result = count_open_vote(dict.fromkeys(present, Choice.IN_FAVOUR), present=present, sitting=len(COUNCIL))
    meeting = meeting.record_vote(agenda_item.item_id, result, uuid.uuid4()).close(meeting.scheduled_at)
    later = in_session(item(title="Volgende"))
    later = later.model_copy(update={"scheduled_at": meeting.scheduled_at + dt.timedelta(days=30)})
    return later.approve_minutes_of(meeting, comments=(), now=later.scheduled_at)


def _sign(meeting: Meeting, person: str, *, acting: frozenset[str] = frozenset()) -> Meeting:
    return meeting.sign_minutes(
        person_id=person, on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW, acting_directors=acting
    )


def test_a_signature_is_revoked_before_publication_and_the_minutes_wait_for_it_again() -> None:
    signed = _sign(_sign(_approved(), "gr1"), AD)
    assert signed.minutes is not None
    assert signed.minutes.status is MinutesStatus.SIGNED
    revoked = signed.revoke_signature(person_id=AD, reason="Verkeerde bijlage", now=NOW)
    assert revoked.minutes is not None
    assert revoked.minutes.status is MinutesStatus.APPROVED
    assert [s.person_id for s in revoked.minutes.signatures] == ["gr1"]
    assert [(r.signature.person_id, r.reason) for r in revoked.minutes.revoked] == [(AD, "Verkeerde bijlage")]
    again = _sign(revoked, AD)
    assert again.minutes is not None
    assert again.minutes.status is MinutesStatus.SIGNED
    with pytest.raises(RuleViolation) as unsigned:
        _approved().revoke_signature(person_id="gr1", reason="x", now=NOW)
    assert unsigned.value.code == "not_signed"
    with pytest.raises(RuleViolation) as reasonless:
        signed.revoke_signature(person_id="gr1", reason="  ", now=NOW)
    assert reasonless.value.code == "reason_required"


def test_an_acting_director_signs_in_the_directors_place_recorded_as_such() -> None:
    seats = [
        Seat(uuid.uuid4(), ACTING, "Adjunct", BodyKind.GEMEENTERAAD, MandateRole.SECRETARY, MandateStatus.ACTING,
             voting=False, start=dt.date(2025, 1, 1), end=None),
        Seat(uuid.uuid4(), "p-other", "Ander", BodyKind.GEMEENTERAAD, MandateRole.SECRETARY, MandateStatus.EFFECTIVE,
             voting=False, start=dt.date(2025, 1, 1), end=None),
    ]  # fmt: skip
    roster = Roster.of(seats, BodyKind.GEMEENTERAAD, NOW.date())
    assert roster.acting_directors == {ACTING}
    signed = _sign(_sign(_approved(), "gr1"), ACTING, acting=roster.acting_directors)
    assert signed.minutes is not None
    [_, director] = signed.minutes.signatures
    assert (director.role, director.acting, director.in_place_of) == ("algemeen_directeur", True, AD)
    assert signed.minutes.status is MinutesStatus.SIGNED
    with pytest.raises(RuleViolation) as refused:
        _sign(_approved(), "p-other", acting=roster.acting_directors)
    assert refused.value.code == "not_a_signatory"


def test_published_minutes_lock_their_meeting() -> None:
    signed = _sign(_sign(_approved(), "gr1"), AD)
    locked = signed.locked(NOW)
    assert locked.locked(NOW + dt.timedelta(days=1)).locked_at == NOW
    for change in (
        lambda m: m.revoke_signature(person_id=AD, reason="te laat", now=NOW),
        lambda m: _sign(m, "gr2"),
        lambda m: m.ensure_unlocked(),
    ):
        with pytest.raises(RuleViolation) as refused:
            change(locked)
        assert refused.value.code == "meeting_locked"


def _regulation(text: str, *, days: int, published: bool = True, **changes: object) -> DecisionRecord:
    decided = NOW + dt.timedelta(days=days)
    record = DecisionRecord(
        decision_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        meeting_id=uuid.uuid4(),
        body=BodyKind.GEMEENTERAAD,
        entity=LegalEntity.GEMEENTE,
        kind=DecisionKind.REGULATION,
        title="Retributiereglement parkeren",
        motivation="",
        legal_basis="art. 40",
        confidentiality="public",  # type: ignore[arg-type]
        outcome=DecisionOutcome.ADOPTED,
        tally=VoteTally(in_favour=5, against=0, abstentions=0),
        secret=False,
        decided_at=decided,
        published_on=(decided + dt.timedelta(days=2)).date() if published else None,
        effective_date=(decided + dt.timedelta(days=7)).date(),
        text=text,
    )
    return record.model_copy(update=changes)


def test_the_text_in_force_before_and_after_an_amendment_and_a_repeal() -> None:
    original = _regulation("Artikel 1. Eén euro per uur.", days=0)
    amendment = _regulation(
        "Artikel 1. Twee euro per uur.",
        days=30,
        relations=(DecisionRelation(relation=RelationKind.AMENDS, decision_id=original.decision_id),),
    )
    repeal = _regulation(
        "",
        days=90,
        relations=(DecisionRelation(relation=RelationKind.REPEALS, decision_id=amendment.decision_id),),
    )
    unpublished = _regulation(
        "Artikel 1. Drie euro.",
        days=60,
        published=False,
        relations=(DecisionRelation(relation=RelationKind.AMENDS, decision_id=original.decision_id),),
    )
    later = [amendment, repeal, unpublished]
    assert original.effective_date is not None
    assert amendment.effective_date is not None
    assert repeal.effective_date is not None
    before = text_in_force(original, later, original.effective_date - dt.timedelta(days=1))
    assert (before.state, before.text) == (InForce.NOT_YET, "")
    first = text_in_force(original, later, amendment.effective_date - dt.timedelta(days=1))
    assert (first.state, first.text, first.decision_id) == (InForce.IN_FORCE, original.text, original.decision_id)
    amended = text_in_force(original, later, amendment.effective_date)
    assert (amended.state, amended.text, amended.since) == (InForce.IN_FORCE, amendment.text, amendment.effective_date)
    assert text_in_force(original, later, repeal.effective_date - dt.timedelta(days=1)).text == amendment.text
    gone = text_in_force(original, later, repeal.effective_date)
    assert (gone.state, gone.decision_id, gone.text) == (InForce.REPEALED, repeal.decision_id, "")


def test_a_decision_changes_only_an_adopted_decision_of_its_own_entity() -> None:
    regulation = _regulation("Artikel 1.", days=0)
    amends = DecisionRelation(relation=RelationKind.AMENDS, decision_id=regulation.decision_id)
    proposal = item(kind=DecisionKind.REGULATION)
    check_relation(proposal, amends, regulation)
    cases = [
        (proposal, None, "unknown_decision"),
        (proposal, regulation.model_copy(update={"outcome": DecisionOutcome.REJECTED}), "relation_to_rejected"),
        (proposal, regulation.model_copy(update={"entity": LegalEntity.OCMW}), "relation_to_other_entity"),
        (item(kind=DecisionKind.DECISION), regulation, "regulation_changed_by_regulation"),
    ]
    for agenda_item, earlier, code in cases:
        with pytest.raises(RuleViolation) as refused:
            check_relation(agenda_item, amends, earlier)
        assert refused.value.code == code
    repeal = DecisionRelation(relation=RelationKind.REPEALS, decision_id=regulation.decision_id)
    check_relation(item(kind=DecisionKind.DECISION), repeal, regulation)
