"""The vote rules, checked for every combination hypothesis can think of."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain.votes import Choice, count_open_vote, count_secret_vote, quorum
from shared.kernel import RuleViolation
from shared.vocabulary import VoteTally


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
    expected = None
    if len(present) < quorum(sitting):
        expected = "quorum_not_reached"
    elif in_favour + against == 0:
        expected = "no_votes_cast"
    if expected:
        with pytest.raises(RuleViolation) as exc:
            count_open_vote(choices, present=present, sitting=sitting)
        assert exc.value.code == expected
        return
    result = count_open_vote(choices, present=present, sitting=sitting)
    tally = result.tally
    cast = tally.in_favour + tally.against
    assert len(present) >= quorum(sitting)
    assert tally.in_favour + tally.against + tally.abstentions == len(present)
    # Abstentions never count as cast: the decision depends on in favour and against alone.
    assert result.adopted == (tally.in_favour * 2 > cast)
    if tally.in_favour == tally.against:
        assert not result.adopted, "a tie rejects"
    assert dict(result.by_member) == choices
    assert not result.secret


@given(sittings(), st.integers(0, 45), st.integers(0, 45), st.integers(0, 45))
def test_a_secret_ballot_keeps_only_the_tally(setup: tuple[int, list[str]], yes: int, no: int, blank: int) -> None:
    sitting, present = setup
    tally = VoteTally(in_favour=yes, against=no, abstentions=blank)
    expected = None
    if len(present) < quorum(sitting):
        expected = "quorum_not_reached"
    elif yes + no + blank > len(present):
        expected = "too_many_ballots"
    elif yes + no == 0:
        expected = "no_votes_cast"
    if expected:
        with pytest.raises(RuleViolation) as exc:
            count_secret_vote(tally, present=present, sitting=sitting)
        assert exc.value.code == expected
        return
    result = count_secret_vote(tally, present=present, sitting=sitting)
    assert result.secret
    assert result.by_member == {}
    assert result.adopted == (yes > no)
    assert yes + no + blank <= len(present)


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
