"""Council committees: seats shared over the groups (the majority holding more), advice that travels
with a council item, and the item's one history across college, committee and council."""

from __future__ import annotations

import uuid
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain.committee import proportional, share_seats
from services.meetings.domain.policy import SeatMethod
from shared.contracts.sessions import (
    AdviseOnItem,
    GetDecision,
    GetDecisionReply,
    GetItemHistory,
    GetItemHistoryReply,
    GetMeeting,
    GetMeetingReply,
    ListCommittees,
    ListCommitteesReply,
    SetUpCommittee,
    VoteOnItem,
)
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, MandateRole, VoteChoice, VoteTally
from tests.unit.meetings.stage import Stage, cid

# A council of 15: two majority groups (8 seats) and two opposition groups (7 seats).
GROUPS = {"Stadslijst": 5, "Samen": 3, "Open": 4, "Links": 3}
COUNCIL = [f"{g[:2].lower()}{i}" for g, n in GROUPS.items() for i in range(n)]
GROUP_OF = {p: g for g, n in GROUPS.items() for p in COUNCIL if p.startswith(g[:2].lower())}
COLLEGE = ["st0", "st1", "sa0"]


@st.composite
def councils(draw: st.DrawFn) -> tuple[dict[str, int], set[str], int]:
    names = ["A", "B", "C", "D", "E", "F"][: draw(st.integers(2, 6))]
    sizes = {g: draw(st.integers(1, 20)) for g in names}
    majority = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names) - 1, unique=True)))
    return sizes, majority, draw(st.integers(1, 21))


@given(councils(), st.sampled_from(list(SeatMethod)))
def test_committee_seats_are_shared_in_proportion_and_the_majority_holds_more(
    setup: tuple[dict[str, int], set[str], int], method: SeatMethod
) -> None:
    sizes, majority, seats = setup
    total = sum(sizes.values())
    plain = proportional(seats, sizes, method)
    assert sum(plain.values()) == seats
    for group, n in plain.items():
        quota = Fraction(sizes[group] * seats, total)
        assert n >= int(quota), "no group gets less than the whole part of its quota"
        if method is SeatMethod.LARGEST_REMAINDER:
            assert n <= int(quota) + 1
    shares = share_seats(seats, sizes, majority, method)
    assert sum(shares.values()) == seats
    assert set(shares) == set(sizes)
    held = sum(n for g, n in shares.items() if g in majority)
    assert held > seats - held, "the groups in the college hold more seats than the others"
    if sum(n for g, n in plain.items() if g in majority) * 2 > seats:
        assert shares == plain, "a proportional share that already gives the majority more stays as it is"
    else:
        # Only as many seats move, from the opposition to the majority, as the rule needs.
        assert held == seats // 2 + 1
        assert all(shares[g] >= plain[g] for g in majority)
        assert all(shares[g] <= plain[g] for g in sizes if g not in majority)


def test_a_committee_of_seven_for_a_council_of_fifteen() -> None:
    majority = {"Stadslijst", "Samen"}
    assert share_seats(7, GROUPS, majority, SeatMethod.DHONDT) == {"Stadslijst": 3, "Samen": 1, "Open": 2, "Links": 1}
    # D'Hondt would give the opposition 3 of 5; the majority must hold more, so a seat moves.
    assert share_seats(5, {"A": 4, "B": 6}, {"A"}, SeatMethod.DHONDT) == {"A": 3, "B": 2}


async def _municipality() -> Stage:
    stage = Stage()
    await stage.seats(
        BodyKind.GEMEENTERAAD, [*COUNCIL, "p-ad"], chair="op0", groups=GROUP_OF, roles={"p-ad": MandateRole.SECRETARY}
    )
    await stage.seats(
        BodyKind.COLLEGE,
        COLLEGE,
        roles={"st0": MandateRole.MAYOR, "st1": MandateRole.ALDERMAN, "sa0": MandateRole.ALDERMAN},
    )
    return stage


async def _committee(stage: Stage) -> uuid.UUID:
    reply = await stage.send(
        SetUpCommittee(
            command_id=cid(),
            name="Commissie grondgebiedszaken",
            seats=7,
            nominations={
                "Stadslijst": ("st2", "st3", "st4"),
                "Samen": ("sa1",),
                "Open": ("op1", "op2"),
                "Links": ("li0",),
            },
            chair_id="st2",
        )
    )
    assert reply.data == {
        "shares": {"Stadslijst": 3, "Samen": 1, "Open": 2, "Links": 1},
        "majority": ["Samen", "Stadslijst"],
    }
    return uuid.UUID(reply.ids["committee_id"])


async def test_each_group_nominates_exactly_its_share_from_its_own_members() -> None:
    stage = await _municipality()
    wrong = {"Stadslijst": ("st2", "st3"), "Samen": ("sa1",), "Open": ("op1", "op2"), "Links": ("li0",)}
    with pytest.raises(RuleViolation) as exc:
        await stage.send(SetUpCommittee(command_id=cid(), name="Commissie", seats=7, nominations=wrong, chair_id="st2"))
    assert exc.value.code == "nominations_mismatch"
    stolen = {**wrong, "Stadslijst": ("st2", "st3", "op0")}
    with pytest.raises(RuleViolation) as exc:
        await stage.send(
            SetUpCommittee(command_id=cid(), name="Commissie", seats=7, nominations=stolen, chair_id="st2")
        )
    assert exc.value.code == "not_a_member", "a group nominates its own council members"
    committee = await _committee(stage)
    listed = await stage.meetings.ask(stage.uow, ListCommittees(command_id=cid()), ListCommitteesReply)
    [line] = listed.committees
    assert (line.committee_id, line.seats, line.chair_id, len(line.members)) == (committee, 7, "st2", 7)


async def test_a_council_item_prepared_by_the_college_and_advised_by_a_committee_has_one_history() -> None:
    stage = await _municipality()
    committee = await _committee(stage)
    item = await stage.propose(BodyKind.GEMEENTERAAD, "Ruimtelijk uitvoeringsplan Stationsbuurt")

    # The college prepares the council item and puts it before the council.
    college = await stage.held(BodyKind.COLLEGE, [item], COLLEGE, days=1)
    prepared = await stage.vote_open(college, item, COLLEGE)
    assert prepared.data["outcome"] == "prepared"
    assert "decision_id" not in prepared.ids, "the college does not decide a council item"
    await stage.close(college)

    # The committee advises; the advice travels with the item.
    members = ["st2", "st3", "st4", "sa1", "op1", "op2", "li0"]
    hearing = await stage.schedule(BodyKind.GEMEENTERAADSCOMMISSIE, days=3, committee_id=committee)
    await stage.convene(hearing, item)
    with pytest.raises(RuleViolation) as exc:
        await stage.open(hearing, ["st2", "st3", "op0", "op1"])
    assert exc.value.code == "not_a_member", "a committee sits with its nominated members only"
    await stage.open(hearing, members)
    with pytest.raises(RuleViolation) as exc:
        await stage.vote_open(hearing, item, members)
    assert exc.value.code == "advice_not_vote"
    votes = {p: VoteChoice.AGAINST if p.startswith("op") else VoteChoice.IN_FAVOUR for p in members}
    advised = await stage.send(
        AdviseOnItem(
            command_id=cid(),
            meeting_id=hearing,
            item_id=item,
            advice="Gunstig advies, mits extra fietsparking",
            open_votes=votes,
        )
    )
    assert advised.data["favourable"] is True
    await stage.close(hearing)

    # The council decides; its treatment shows the earlier steps.
    council = await stage.held(BodyKind.GEMEENTERAAD, [item], COUNCIL[:10], days=12)
    decided = await stage.vote_open(council, item, COUNCIL[:10], against=2)
    shown = await stage.meetings.ask(stage.uow, GetMeeting(command_id=cid(), meeting_id=council), GetMeetingReply)
    earlier = shown.meeting.entries[0].earlier
    assert [(s.body, s.role, s.outcome) for s in earlier] == [
        (BodyKind.COLLEGE, "preparation", "prepared"),
        (BodyKind.GEMEENTERAADSCOMMISSIE, "advice", "advised"),
    ]
    assert earlier[1].advice == "Gunstig advies, mits extra fietsparking"
    assert earlier[1].tally == VoteTally(in_favour=5, against=2, abstentions=0)

    # Any of its documents shows the same history: the decision, and the item itself.
    decision_id = uuid.UUID(decided.ids["decision_id"])
    decision = await stage.meetings.ask(
        stage.uow, GetDecision(command_id=cid(), decision_id=decision_id), GetDecisionReply
    )
    by_decision = await stage.meetings.ask(
        stage.uow, GetItemHistory(command_id=cid(), decision_id=decision_id), GetItemHistoryReply
    )
    by_item = await stage.meetings.ask(stage.uow, GetItemHistory(command_id=cid(), item_id=item), GetItemHistoryReply)
    steps = [(s.meeting_id, s.role, s.outcome) for s in by_item.steps]
    assert steps == [
        (college, "preparation", "prepared"),
        (hearing, "advice", "advised"),
        (council, "decision", "adopted"),
    ]
    assert [(s.meeting_id, s.role, s.outcome) for s in by_decision.steps] == steps
    assert [(s.meeting_id, s.role, s.outcome) for s in decision.decision.history] == steps
    assert by_item.item_status == "adopted"


async def test_a_committee_meeting_is_public_unless_the_law_closes_an_item() -> None:
    stage = await _municipality()
    committee = await _committee(stage)
    public = await stage.propose(BodyKind.GEMEENTERAAD, "Mobiliteitsplan")
    person = await stage.propose(
        BodyKind.GEMEENTERAAD,
        "Voordracht vertegenwoordiger in de politieraad",
        kind=DecisionKind.DESIGNATION,
        candidates=({"person_id": "li1", "name": "Lien"},),
    )
    hearing = await stage.schedule(BodyKind.GEMEENTERAADSCOMMISSIE, days=3, committee_id=committee)
    await stage.convene(hearing, person, public)
    members = ["st2", "st3", "st4", "sa1", "op1", "op2", "li0"]
    await stage.open(hearing, members)
    outsider = await stage.meetings.ask(stage.uow, GetMeeting(command_id=cid(), meeting_id=hearing), GetMeetingReply)
    assert [(e.confidentiality, e.restricted) for e in outsider.meeting.entries] == [
        (Confidentiality.PUBLIC, False),
        (Confidentiality.CLOSED, True),
    ], "the public item first and in full; the item about a person closed"
    with pytest.raises(RuleViolation) as exc:
        await stage.send(
            AdviseOnItem(
                command_id=cid(),
                meeting_id=hearing,
                item_id=person,
                advice="Gunstig",
                open_votes=dict.fromkeys(members, VoteChoice.IN_FAVOUR),
            )
        )
    assert exc.value.code == "secret_ballot_required"
    with pytest.raises(RuleViolation) as exc:
        await stage.send(
            AdviseOnItem(
                command_id=cid(),
                meeting_id=hearing,
                item_id=person,
                advice="Gunstig",
                secret_tally=VoteTally(in_favour=6, against=1, abstentions=0),
            )
        )
    assert exc.value.code == "public_part_first"
    await stage.send(
        AdviseOnItem(
            command_id=cid(),
            meeting_id=hearing,
            item_id=public,
            advice="Gunstig",
            open_votes=dict.fromkeys(members, VoteChoice.IN_FAVOUR),
        )
    )
    await stage.send(
        AdviseOnItem(
            command_id=cid(),
            meeting_id=hearing,
            item_id=person,
            advice="Gunstig",
            secret_tally=VoteTally(in_favour=6, against=1, abstentions=0),
        )
    )
    history = await stage.meetings.ask(stage.uow, GetItemHistory(command_id=cid(), item_id=person), GetItemHistoryReply)
    assert (history.restricted, history.title) == (True, None), "a closed item's title is the members' only"
    assert [(s.role, s.outcome, s.restricted, s.advice) for s in history.steps] == [("advice", "closed", True, "")]
    member = await stage.meetings.ask(
        stage.uow, GetItemHistory(command_id=cid(), item_id=person), GetItemHistoryReply, by="op1"
    )
    assert member.title == "Voordracht vertegenwoordiger in de politieraad"
    assert [(s.outcome, s.advice) for s in member.steps] == [("advised", "Gunstig")]


async def test_an_election_in_committee_is_not_a_vote_on_its_advice() -> None:
    stage = await _municipality()
    item = await stage.propose(BodyKind.GEMEENTERAAD, "Kennisname jaarverslag")
    college = await stage.held(BodyKind.COLLEGE, [item], COLLEGE, days=1)
    with pytest.raises(RuleViolation) as exc:
        await stage.send(
            AdviseOnItem(
                command_id=cid(),
                meeting_id=college,
                item_id=item,
                advice="Gunstig",
                open_votes=dict.fromkeys(COLLEGE, VoteChoice.IN_FAVOUR),
            )
        )
    assert exc.value.code == "not_for_advice", "the college prepares, a committee advises"
    rejected = await stage.send(
        VoteOnItem(
            command_id=cid(), meeting_id=college, item_id=item, open_votes=dict.fromkeys(COLLEGE, VoteChoice.AGAINST)
        )
    )
    assert rejected.data["outcome"] == "rejected"
    assert stage.uow.items.rows[item].status.value == "proposed", "the council item waits for another preparation"
