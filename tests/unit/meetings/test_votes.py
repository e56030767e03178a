"""The vote rules, checked for every combination hypothesis can think of: quorum, majority of the
votes cast, ties, all-abstention, secret ballots with blank and invalid ballots, elections between
candidates with runoffs, and the quorum a second convocation does without."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain.votes import (
    Choice,
    count_election,
    count_open_vote,
    count_secret_vote,
    majority_of_cast,
    quorum,
)
from shared.kernel import RuleViolation
from shared.vocabulary import ElectionBallots, VoteTally


@st.composite
def sittings(draw: st.DrawFn) -> tuple[int, list[str]]:
    sitting = draw(st.integers(min_value=1, max_value=45))
    present = draw(st.integers(min_value=0, max_value=sitting))
    return sitting, [f"m{i}" for i in range(present)]


@given(st.integers(min_value=1, max_value=200))
def test_the_quorum_is_a_majority_of_the_sitting_members(sitting: int) -> None:
    assert quorum(sitting) > sitting / 2
    assert quorum(sitting) - 1 <= sitting / 2


def test_twenty_three_members_need_twelve_present() -> None:
    assert quorum(23) == 12


@given(sittings(), st.data())
def test_an_open_vote_is_adopted_by_more_than_half_of_the_votes_cast(
    setup: tuple[int, list[str]], data: st.DataObject
) -> None:
    sitting, present = setup
    choices = {p: data.draw(st.sampled_from(list(Choice))) for p in present}
    in_favour = sum(c is Choice.IN_FAVOUR for c in choices.values())
    against = sum(c is Choice.AGAINST for c in choices.values())
    if len(present) < quorum(sitting):
        with pytest.raises(RuleViolation) as exc:
            count_open_vote(choices, present=present, sitting=sitting)
        assert exc.value.code == "quorum_not_reached"
        return
    result = count_open_vote(choices, present=present, sitting=sitting)
    tally = result.tally
    cast = tally.in_favour + tally.against
    assert (tally.in_favour, tally.against) == (in_favour, against)
    assert tally.in_favour + tally.against + tally.abstentions == len(present)
    # Abstentions never count as cast: the decision depends on in favour and against alone.
    assert result.adopted == (tally.in_favour * 2 > cast)
    if tally.in_favour == tally.against:
        assert not result.adopted, "a tie rejects, and so does a vote where everyone abstains"
    assert dict(result.by_member) == choices
    assert not result.secret


@given(sittings(), st.integers(0, 45), st.integers(0, 45), st.integers(0, 45), st.integers(0, 5))
def test_a_secret_ballot_keeps_only_the_tally(
    setup: tuple[int, list[str]], yes: int, no: int, blank: int, invalid: int
) -> None:
    sitting, present = setup
    tally = VoteTally(in_favour=yes, against=no, abstentions=blank, invalid=invalid)
    expected = None
    if len(present) < quorum(sitting):
        expected = "quorum_not_reached"
    elif yes + no + blank + invalid > len(present):
        expected = "too_many_ballots"
    if expected:
        with pytest.raises(RuleViolation) as exc:
            count_secret_vote(tally, present=present, sitting=sitting)
        assert exc.value.code == expected
        return
    result = count_secret_vote(tally, present=present, sitting=sitting)
    assert result.secret
    assert result.by_member == {}
    # Blank and invalid ballots are not cast: only in favour against against decides.
    assert result.adopted == (yes > no)
    assert yes + no + blank + invalid <= len(present)


def test_a_vote_in_which_everyone_abstains_is_recorded_as_not_adopted() -> None:
    present = ["a", "b", "c"]
    result = count_open_vote(dict.fromkeys(present, Choice.ABSTAIN), present=present, sitting=5)
    assert result.tally == VoteTally(in_favour=0, against=0, abstentions=3)
    assert not result.adopted
    blank = count_secret_vote(VoteTally(in_favour=0, against=0, abstentions=2, invalid=1), present=present, sitting=5)
    assert not blank.adopted


@given(st.integers(1, 45), st.integers(0, 45))
def test_a_second_convocation_decides_whatever_the_number_present(sitting: int, came: int) -> None:
    present = [f"m{i}" for i in range(min(came, sitting))]
    choices = dict.fromkeys(present, Choice.IN_FAVOUR)
    result = count_open_vote(choices, present=present, sitting=sitting, quorum_waived=True)
    assert result.adopted is bool(present)
    if len(present) < quorum(sitting):
        with pytest.raises(RuleViolation) as exc:
            count_open_vote(choices, present=present, sitting=sitting)
        assert exc.value.code == "quorum_not_reached"


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[str], list[str], ElectionBallots]:
    candidates = [f"c{i}" for i in range(draw(st.integers(1, 5)))]
    votes = {c: draw(st.integers(0, 12)) for c in candidates}
    blank, invalid = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    ballots = sum(votes.values()) + blank + invalid
    present = [f"m{i}" for i in range(ballots + draw(st.integers(1, 3)))]
    return candidates, present, ElectionBallots(votes=votes, blank=blank, invalid=invalid)


@given(elections())
def test_an_election_elects_a_candidate_with_more_than_half_of_the_votes_cast(
    setup: tuple[list[str], list[str], ElectionBallots],
) -> None:
    candidates, present, ballots = setup
    counted = count_election(ballots, candidates=candidates, present=present, sitting=len(present))
    cast = sum(ballots.votes.values())
    assert counted.cast == cast, "blank and invalid ballots are not cast"
    winners = [c for c, n in ballots.votes.items() if majority_of_cast(n, cast)]
    assert counted.elected == (winners[0] if winners else None)
    if counted.elected is not None:
        assert counted.runoff == ()
        assert counted.tally().in_favour * 2 > cast
        return
    if counted.runoff:
        # Nobody had a majority among more than two: the two with most votes (ties included) go on.
        assert len(candidates) > 2
        assert 2 <= len(counted.runoff) < len(candidates)
        second = sorted(ballots.votes.values(), reverse=True)[1]
        assert set(counted.runoff) == {c for c, n in ballots.votes.items() if n >= second}
        assert not counted.decided
    else:
        # Nobody elected and no runoff: a tie, nothing cast (only blank or invalid ballots), or a
        # runoff that would hold every candidate again.
        assert counted.decided
        second = sorted(ballots.votes.values(), reverse=True)[1] if len(candidates) > 1 else 0
        assert cast == 0 or len(candidates) <= 2 or all(n >= second for n in ballots.votes.values())


def test_an_election_with_blank_and_invalid_ballots_goes_to_a_runoff_and_then_elects() -> None:
    present = [f"m{i}" for i in range(11)]
    first = count_election(
        ElectionBallots(votes={"an": 4, "bert": 3, "chris": 2}, blank=1, invalid=1),
        candidates=["an", "bert", "chris"],
        present=present,
        sitting=13,
    )
    assert (first.elected, first.runoff, first.cast) == (None, ("an", "bert"), 9), "4 of 9 cast is no majority"
    second = count_election(
        ElectionBallots(votes={"an": 5, "bert": 4}, blank=2), candidates=first.runoff, present=present, sitting=13
    )
    assert second.elected == "an"
    assert second.tally() == VoteTally(in_favour=5, against=4, abstentions=2, invalid=0)
    with pytest.raises(RuleViolation) as exc:
        count_election(ElectionBallots(votes={"chris": 6}), candidates=first.runoff, present=present, sitting=13)
    assert exc.value.code == "unknown_candidate", "only the runoff's candidates stand in the second round"
    tie = count_election(
        ElectionBallots(votes={"an": 5, "bert": 5}), candidates=first.runoff, present=present, sitting=13
    )
    assert (tie.elected, tie.runoff, tie.decided) == (None, (), True), "a tie elects nobody"
    too_many = ElectionBallots(votes={"an": 6, "bert": 5}, invalid=1)
    with pytest.raises(RuleViolation) as exc:
        count_election(too_many, candidates=first.runoff, present=present, sitting=13)
    assert exc.value.code == "too_many_ballots"


def test_a_member_who_is_not_present_cannot_vote() -> None:
    with pytest.raises(RuleViolation) as exc:
        count_open_vote({"a": Choice.IN_FAVOUR, "x": Choice.AGAINST}, present=["a", "b"], sitting=3)
    assert exc.value.code == "voter_not_present"


def test_every_member_present_votes_or_abstains() -> None:
    with pytest.raises(RuleViolation) as exc:
        count_open_vote({"a": Choice.IN_FAVOUR}, present=["a", "b"], sitting=3)
    assert exc.value.code == "vote_missing"


def test_twenty_present_one_abstains_ten_in_favour_suffice() -> None:
    choices = {f"m{i}": Choice.IN_FAVOUR for i in range(10)}
    choices |= {f"m{i}": Choice.AGAINST for i in range(10, 19)}
    choices["m19"] = Choice.ABSTAIN
    result = count_open_vote(choices, present=list(choices), sitting=23)
    assert result.adopted
    assert result.tally == VoteTally(in_favour=10, against=9, abstentions=1)
