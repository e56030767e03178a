"""Agenda terms, gating, session, attendance, amendments, postponement, minutes and signatures;
sessions on time, closed treatment, the public part first, lapsed meetings and second convocations."""

from __future__ import annotations

import datetime as dt
import uuid
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain.meeting import EntryOrigin, MeetingStatus, MinutesStatus, TreatmentOutcome, VoteMode
from services.meetings.domain.model import ItemLinks
from services.meetings.domain.votes import Choice, count_open_vote, count_secret_vote
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Candidate, Confidentiality, DecisionKind, VoteTally
from tests.unit.meetings.builders import COUNCIL, NOW, POLICY, in_session, item, planned


def _code(exc: pytest.ExceptionInfo[RuleViolation]) -> str:
    return exc.value.code


# -- scheduling and joint meetings --------------------------------------------------------------


def test_council_and_rmw_meet_jointly_with_separate_agendas_and_entities() -> None:
    council = planned(BodyKind.GEMEENTERAAD)
    rmw = planned(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, joint_with=council)
    assert rmw.joint_group_id == council.meeting_id
    assert (council.entity.value, rmw.entity.value) == ("gemeente", "ocmw")
    assert council.entries == rmw.entries == ()


def test_only_parallel_bodies_meet_jointly() -> None:
    with pytest.raises(RuleViolation) as exc:
        planned(BodyKind.COLLEGE, joint_with=planned(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN))
    assert _code(exc) == "not_joinable"


def test_a_meeting_is_scheduled_in_the_future() -> None:
    with pytest.raises(RuleViolation) as exc:
        planned(days_ahead=-1)
    assert _code(exc) == "meeting_in_past"


# -- agenda terms ---------------------------------------------------------------------------------


def test_a_council_agenda_goes_out_at_least_eight_days_before() -> None:
    with pytest.raises(RuleViolation) as exc:
        planned(days_ahead=7.9).convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "agenda_deadline_passed"
    convened = planned(days_ahead=8).convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    assert convened.status is MeetingStatus.CONVENED
    assert convened.agenda_published == (NOW,)


def test_the_college_has_no_agenda_term() -> None:
    college = planned(BodyKind.COLLEGE, days_ahead=0.5)
    convened = college.convene([item(BodyKind.COLLEGE)], by="p", now=NOW, policy=POLICY, concluded=set())
    assert convened.status is MeetingStatus.CONVENED


def test_members_add_items_up_to_five_days_before_and_the_amended_agenda_is_published() -> None:
    meeting = planned(days_ahead=10).convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    later = NOW + dt.timedelta(days=5)
    amended = meeting.add_item(item(), by="gr3", by_member=True, now=later, policy=POLICY, concluded=set())
    assert amended.entries[-1].origin is EntryOrigin.MEMBER
    assert amended.agenda_published == (NOW, later)
    too_late = NOW + dt.timedelta(days=5, hours=1)
    with pytest.raises(RuleViolation) as exc:
        meeting.add_item(item(), by="gr3", by_member=True, now=too_late, policy=POLICY, concluded=set())
    assert _code(exc) == "agenda_deadline_passed"


def test_an_urgent_item_needs_two_thirds_of_the_members_present() -> None:
    meeting = in_session(item(), present=COUNCIL[:6])
    with pytest.raises(RuleViolation) as exc:
        meeting.add_item(item(), by="gr1", by_member=False, now=NOW, policy=POLICY, concluded=set(), urgency_votes=3)
    assert _code(exc) == "urgency_not_supported"
    urgent = meeting.add_item(
        item(), by="gr1", by_member=False, now=NOW, policy=POLICY, concluded=set(), urgency_votes=4
    )
    assert urgent.entries[-1].origin is EntryOrigin.URGENT


def test_an_item_with_money_needs_a_passed_budget_check_and_visum() -> None:
    pending = item(amount="20000.00")
    with pytest.raises(RuleViolation) as exc:
        planned().convene([pending], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "budget_check_missing"
    failed = pending.with_budget_check(False)
    with pytest.raises(RuleViolation) as exc:
        planned().convene([failed], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "budget_check_failed"
    needs_visum = pending.with_budget_check(True, visum_required=True)
    with pytest.raises(RuleViolation) as exc:
        planned().convene([needs_visum], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "visum_missing"
    refused = needs_visum.with_visum(False)
    with pytest.raises(RuleViolation) as exc:
        planned().convene([refused], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "visum_refused"
    for ready in (needs_visum.with_visum(True), refused.overruled(), pending.with_budget_check(True)):
        assert planned().convene([ready], by="p", now=NOW, policy=POLICY, concluded=set()).entries


def test_staff_rules_need_a_concluded_union_consultation() -> None:
    consultation = uuid.uuid4()
    rules = item(kind=DecisionKind.STAFF_RULES, links=ItemLinks(consultation_id=consultation))
    with pytest.raises(RuleViolation) as exc:
        planned().convene([rules], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "consultation_not_concluded"
    assert planned().convene([rules], by="p", now=NOW, policy=POLICY, concluded={consultation}).entries


def test_an_item_goes_only_on_a_meeting_of_its_own_body() -> None:
    with pytest.raises(RuleViolation) as exc:
        planned().convene([item(BodyKind.COLLEGE)], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "item_of_other_body"


# -- session ----------------------------------------------------------------------------------


def test_the_session_opens_only_with_a_quorum() -> None:
    meeting = planned().convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    at = meeting.scheduled_at
    with pytest.raises(RuleViolation) as exc:
        meeting.open_session(present=COUNCIL[:4], sitting=COUNCIL, chair_id="gr1", now=at)
    assert _code(exc) == "quorum_not_reached"
    with pytest.raises(RuleViolation) as exc:
        meeting.open_session(present=[*COUNCIL[:5], "stranger"], sitting=COUNCIL, chair_id="gr1", now=at)
    assert _code(exc) == "not_a_member"
    assert meeting.open_session(present=COUNCIL[:5], sitting=COUNCIL, chair_id="gr1", now=at).present


@given(st.integers(min_value=-3 * 24 * 3600, max_value=3 * 24 * 3600))
def test_a_session_opens_on_time_not_before(seconds: int) -> None:
    meeting = planned().convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    now = meeting.scheduled_at + dt.timedelta(seconds=seconds)
    if seconds < 0:
        with pytest.raises(RuleViolation) as exc:
            meeting.open_session(present=COUNCIL[:5], sitting=COUNCIL, chair_id="gr1", now=now)
        assert _code(exc) == "session_not_due"
        return
    opened = meeting.open_session(present=COUNCIL[:5], sitting=COUNCIL, chair_id="gr1", now=now)
    assert (opened.status, opened.opened_at) == (MeetingStatus.IN_SESSION, now)


def test_a_member_who_leaves_for_an_item_does_not_vote_on_it() -> None:
    agenda_item = item()
    meeting = in_session(agenda_item).leave_item(agenda_item.item_id, "gr2", "belangenconflict")
    present = meeting.present_for(agenda_item.item_id)
    assert "gr2" not in present
    with pytest.raises(RuleViolation) as exc:
        count_open_vote(dict.fromkeys(meeting.present, Choice.IN_FAVOUR), present=present, sitting=9)
    assert _code(exc) == "voter_not_present"


def test_leaving_can_break_the_quorum_for_one_item() -> None:
    agenda_item = item()
    meeting = in_session(agenda_item, present=COUNCIL[:5]).leave_item(agenda_item.item_id, "gr2", "familie")
    with pytest.raises(RuleViolation) as exc:
        count_open_vote({}, present=meeting.present_for(agenda_item.item_id), sitting=9)
    assert _code(exc) == "quorum_not_reached"


def test_persons_are_voted_on_secretly_and_everything_else_openly() -> None:
    appointment = item(kind=DecisionKind.APPOINTMENT)
    regulation = item()
    meeting = in_session(appointment, regulation)
    with pytest.raises(RuleViolation) as exc:
        meeting.check_vote_mode(regulation.item_id, VoteMode.BALLOT)
    assert _code(exc) == "open_vote_required"
    meeting = meeting.record_vote(
        regulation.item_id,
        count_open_vote(dict.fromkeys(COUNCIL[:7], Choice.IN_FAVOUR), present=COUNCIL[:7], sitting=9),
        uuid.uuid4(),
    )
    with pytest.raises(RuleViolation) as exc:
        meeting.check_vote_mode(appointment.item_id, VoteMode.OPEN)
    assert _code(exc) == "secret_ballot_required"
    meeting.check_vote_mode(appointment.item_id, VoteMode.BALLOT)


@pytest.mark.parametrize(
    "kind", [DecisionKind.APPOINTMENT, DecisionKind.DISMISSAL, DecisionKind.DISCIPLINE, DecisionKind.DESIGNATION]
)
def test_every_decision_about_persons_is_closed_by_default_and_voted_secretly(kind: DecisionKind) -> None:
    links = ItemLinks(candidates=(Candidate(person_id="p-x", name="X"),)) if kind is DecisionKind.DESIGNATION else None
    about = item(kind=kind, links=links)
    assert about.confidentiality is Confidentiality.CLOSED, "closed by default (DLB art. 28)"
    meeting = in_session(about)
    with pytest.raises(RuleViolation) as exc:
        meeting.check_vote_mode(about.item_id, VoteMode.OPEN)
    assert _code(exc) == "secret_ballot_required"
    meeting.check_vote_mode(about.item_id, VoteMode.BALLOT)


def test_an_election_is_held_between_its_candidates_by_ballots() -> None:
    candidates = (Candidate(person_id="c1", name="Een"), Candidate(person_id="c2", name="Twee"))
    election = item(kind=DecisionKind.ELECTION, links=ItemLinks(candidates=candidates), title="Verkiezing voorzitter")
    assert election.confidentiality is Confidentiality.CLOSED
    public = item(
        kind=DecisionKind.ELECTION, links=ItemLinks(candidates=candidates), confidentiality=Confidentiality.PUBLIC
    )
    assert public.confidentiality is Confidentiality.PUBLIC, "an election may be held in public, still secretly"
    meeting = in_session(election)
    with pytest.raises(RuleViolation) as exc:
        meeting.check_vote_mode(election.item_id, VoteMode.BALLOT)
    assert _code(exc) == "election_ballots_required"
    meeting.check_vote_mode(election.item_id, VoteMode.ELECTION)
    assert meeting.entry(election.item_id).standing == ("c1", "c2")
    with pytest.raises(RuleViolation) as exc:
        item(kind=DecisionKind.ELECTION, links=ItemLinks())
    assert _code(exc) == "candidates_missing"


# -- closed treatment and the public part first ----------------------------------------------


@given(st.integers(3, 31), st.data())
def test_closing_a_public_item_needs_two_thirds_of_the_members_present(present: int, data: st.DataObject) -> None:
    members = [f"m{i}" for i in range(present)]
    public = item()
    meeting = planned().convene([public], by="p", now=NOW, policy=POLICY, concluded=set())
    meeting = meeting.open_session(present=members, sitting=members, chair_id="m0", now=meeting.scheduled_at)
    in_favour = data.draw(st.integers(0, present))
    choices = {m: Choice.IN_FAVOUR if i < in_favour else Choice.AGAINST for i, m in enumerate(members)}
    result = count_open_vote(choices, present=members, sitting=present)
    if Fraction(in_favour, present) < Fraction(2, 3):
        with pytest.raises(RuleViolation) as exc:
            meeting.hold_closed(public.item_id, reason="openbare orde", result=result, policy=POLICY)
        assert _code(exc) == "closing_not_supported"
        return
    closed = meeting.hold_closed(public.item_id, reason="openbare orde", result=result, policy=POLICY)
    entry = closed.entry(public.item_id)
    assert (entry.confidentiality, entry.closed_reason) == (Confidentiality.CLOSED, "openbare orde")
    assert in_favour * 3 >= present * 2


def test_closing_a_public_item_states_its_reasons() -> None:
    public = item()
    meeting = in_session(public)
    everyone = count_open_vote(dict.fromkeys(meeting.present, Choice.IN_FAVOUR), present=meeting.present, sitting=9)
    with pytest.raises(RuleViolation) as exc:
        meeting.hold_closed(public.item_id, reason=" ", result=everyone, policy=POLICY)
    assert _code(exc) == "reason_required"


def test_the_closed_part_comes_after_the_public_part() -> None:
    closed, public = item(kind=DecisionKind.APPOINTMENT), item(title="Reglement")
    meeting = in_session(closed, public)
    assert [e.public for e in meeting.entries] == [True, False], "the agenda puts the public items first"
    with pytest.raises(RuleViolation) as exc:
        meeting.check_vote_mode(closed.item_id, VoteMode.BALLOT)
    assert _code(exc) == "public_part_first"
    meeting = meeting.postpone(public.item_id, "later")
    meeting.check_vote_mode(closed.item_id, VoteMode.BALLOT)


# -- convocation: urgency and the second convocation -------------------------------------------


def test_an_urgent_council_convocation_may_come_late_with_its_reason() -> None:
    soon = planned(days_ahead=2)
    with pytest.raises(RuleViolation) as exc:
        soon.convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    assert _code(exc) == "agenda_deadline_passed"
    with pytest.raises(RuleViolation) as exc:
        soon.convene([item()], by="p", now=NOW, policy=POLICY, concluded=set(), urgent=True)
    assert _code(exc) == "reason_required"
    urgent = soon.convene(
        [item()], by="p", now=NOW, policy=POLICY, concluded=set(), urgent=True, urgency_reason="stormschade"
    )
    assert (urgent.status, urgent.urgent) == (MeetingStatus.CONVENED, True)
    strict = POLICY.__class__(algemeen_directeur=POLICY.algemeen_directeur, urgent_agenda_days=3)
    with pytest.raises(RuleViolation) as exc:
        soon.convene([item()], by="p", now=NOW, policy=strict, concluded=set(), urgent=True, urgency_reason="storm")
    assert _code(exc) == "agenda_deadline_passed", "the rules of order may set a shorter term for urgent cases"


def test_a_council_without_a_quorum_lapses_and_its_second_convocation_decides_whatever_the_number() -> None:
    agenda_item, extra = item(), item(title="Nieuw punt")
    first = planned().convene([agenda_item], by="p", now=NOW, policy=POLICY, concluded=set())
    with pytest.raises(RuleViolation) as exc:
        first.lapse(present=COUNCIL[:3], sitting=COUNCIL, now=NOW)
    assert _code(exc) == "session_not_due"
    with pytest.raises(RuleViolation) as exc:
        first.lapse(present=COUNCIL[:5], sitting=COUNCIL, now=first.scheduled_at)
    assert _code(exc) == "quorum_reached"
    lapsed = first.lapse(present=COUNCIL[:3], sitting=COUNCIL, now=first.scheduled_at)
    assert lapsed.status is MeetingStatus.LAPSED
    with pytest.raises(RuleViolation) as exc:
        planned(BodyKind.COLLEGE, second_of=lapsed)
    assert _code(exc) == "second_convocation_council_only"
    with pytest.raises(RuleViolation) as exc:
        planned(second_of=first)
    assert _code(exc) == "not_lapsed"
    second = planned(days_ahead=20, second_of=lapsed).convene(
        [agenda_item, extra], by="p", now=NOW, policy=POLICY, concluded=set()
    )
    assert second.retabled == (agenda_item.item_id,)
    opened = second.open_session(present=COUNCIL[:2], sitting=COUNCIL, chair_id="gr1", now=second.scheduled_at)
    assert opened.quorum_waived(agenda_item.item_id)
    assert not opened.quorum_waived(extra.item_id), "only the items on the agenda a second time"
    with pytest.raises(RuleViolation) as exc:
        count_open_vote({}, present=opened.present_for(extra.item_id), sitting=9)
    assert _code(exc) == "quorum_not_reached"


def test_votes_amendments_and_closing() -> None:
    a, b = item(), item()
    meeting = in_session(a, b)
    present = meeting.present_for(a.item_id)
    amendment = count_open_vote(dict.fromkeys(present, Choice.IN_FAVOUR), present=present, sitting=9)
    meeting = meeting.amend(a.item_id, text="Artikel 3 schrappen", proposed_by="gr4", result=amendment)
    assert meeting.entry(a.item_id).amendments[0].adopted
    vote = count_secret_vote(VoteTally(in_favour=3, against=3, abstentions=1), present=present, sitting=9)
    meeting = meeting.record_vote(a.item_id, vote, uuid.uuid4())
    assert meeting.entry(a.item_id).outcome is TreatmentOutcome.REJECTED, "a tie rejects"
    with pytest.raises(RuleViolation) as exc:
        meeting.close(NOW)
    assert _code(exc) == "items_pending"
    meeting = meeting.postpone(b.item_id, "bijkomend advies nodig")
    closed = meeting.close(NOW)
    assert closed.status is MeetingStatus.CLOSED
    assert closed.minutes is not None
    assert closed.minutes.status is MinutesStatus.DRAFT


def test_a_postponed_item_keeps_its_lineage_at_the_next_meeting() -> None:
    agenda_item = item()
    first = in_session(agenda_item).postpone(agenda_item.item_id, "verdaagd").close(NOW)
    second = planned(days_ahead=30).add_item(
        agenda_item, by="p", by_member=False, now=NOW, policy=POLICY, concluded=set(), postponed_from=first.meeting_id
    )
    assert second.entries[0].postponed_from == first.meeting_id


# -- minutes ----------------------------------------------------------------------------------


def _closed_with_minutes() -> tuple:  # type: ignore[type-arg]
    agenda_item = item()
    first = in_session(agenda_item).postpone(agenda_item.item_id, "verdaagd").close(NOW)
    nxt = planned(days_ahead=30).convene([item()], by="p", now=NOW, policy=POLICY, concluded=set())
    nxt = nxt.open_session(present=COUNCIL[:6], sitting=COUNCIL, chair_id="gr1", now=nxt.scheduled_at)
    return first, nxt


def test_minutes_are_approved_at_the_next_meeting_of_the_same_body() -> None:
    first, nxt = _closed_with_minutes()
    approved = nxt.approve_minutes_of(first, comments=("Typfout in punt 1",), now=NOW)
    assert approved.minutes is not None
    assert approved.minutes.status is MinutesStatus.APPROVED
    assert approved.minutes.approved_in == nxt.meeting_id
    with pytest.raises(RuleViolation) as exc:
        nxt.approve_minutes_of(approved, comments=(), now=NOW)
    assert _code(exc) == "minutes_not_draft"
    with pytest.raises(RuleViolation) as exc:
        first.approve_minutes_of(nxt, comments=(), now=NOW)
    assert _code(exc) in {"not_in_session", "minutes_not_next_meeting"}


def test_the_chair_and_the_algemeen_directeur_sign_and_the_directeur_never_by_delegation() -> None:
    first, nxt = _closed_with_minutes()
    with pytest.raises(RuleViolation) as exc:
        first.sign_minutes(person_id="gr1", on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW)
    assert _code(exc) == "minutes_not_approved"
    approved = nxt.approve_minutes_of(first, comments=(), now=NOW)
    with pytest.raises(RuleViolation) as exc:
        approved.sign_minutes(person_id="p-secr", on_behalf_of="p-ad", chairs={"gr1"}, policy=POLICY, now=NOW)
    assert _code(exc) == "signature_not_delegable"
    with pytest.raises(RuleViolation) as exc:
        approved.sign_minutes(person_id="gr5", on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW)
    assert _code(exc) == "not_a_signatory"
    half = approved.sign_minutes(person_id="gr1", on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW)
    assert half.minutes is not None
    assert half.minutes.status is MinutesStatus.APPROVED
    with pytest.raises(RuleViolation) as exc:
        half.sign_minutes(person_id="gr1", on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW)
    assert _code(exc) == "already_signed"
    signed = half.sign_minutes(person_id="p-ad", on_behalf_of=None, chairs={"gr1"}, policy=POLICY, now=NOW)
    assert signed.minutes is not None
    assert signed.minutes.status is MinutesStatus.SIGNED


def test_the_chair_may_delegate_the_signature_in_writing() -> None:
    first, nxt = _closed_with_minutes()
    approved = nxt.approve_minutes_of(first, comments=(), now=NOW)
    signed = approved.sign_minutes(person_id="gr2", on_behalf_of="gr1", chairs={"gr1"}, policy=POLICY, now=NOW)
    assert signed.minutes is not None
    assert signed.minutes.signatures[0].on_behalf_of == "gr1"
