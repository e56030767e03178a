"""Quorum and majority: the vote rules of the local-government decree (DOMAIN §3).

- Quorum: a majority of the sitting (voting) members is present.
- Majority: more than half of the votes cast; abstentions and blank votes are not cast.
- A tie rejects.
- Decisions about persons are voted by secret ballot: only the tally exists, never who voted what.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

from shared.kernel import RuleViolation
from shared.vocabulary import VoteChoice as Choice
from shared.vocabulary import VoteTally

__all__ = ["Choice", "VoteResult", "count_open_vote", "count_secret_vote", "quorum", "reaches"]


def quorum(sitting: int) -> int:
    """The least number present for a valid deliberation: a majority of the sitting members."""
    return sitting // 2 + 1


def reaches(count: int, of: int, fraction: Fraction) -> bool:
    """Whether `count` is at least `fraction` of `of` (exact, no rounding surprises)."""
    return Fraction(count) >= fraction * of


@dataclass(frozen=True)
class VoteResult:
    """A counted vote; `by_member` is empty for a secret ballot."""

    tally: VoteTally
    secret: bool
    by_member: Mapping[str, Choice]

    @property
    def adopted(self) -> bool:
        """More votes in favour than against, i.e. more than half of the votes cast; a tie rejects."""
        return self.tally.in_favour > self.tally.against


def _check_quorum(present: Collection[str], sitting: int) -> None:
    if len(present) < quorum(sitting):
        raise RuleViolation(
            "quorum_not_reached",
            f"{len(present)} of {sitting} sitting members present; at least {quorum(sitting)} are needed",
        )


def count_open_vote(choices: Mapping[str, Choice], *, present: Collection[str], sitting: int) -> VoteResult:
    """An open vote: each present voting member's choice is recorded; everyone present must vote or abstain."""
    _check_quorum(present, sitting)
    strangers = sorted(set(choices) - set(present))
    if strangers:
        raise RuleViolation("voter_not_present", f"not present for this item, cannot vote: {', '.join(strangers)}")
    missing = sorted(set(present) - set(choices))
    if missing:
        raise RuleViolation("vote_missing", f"no choice recorded for present members: {', '.join(missing)}")
    tally = VoteTally(
        in_favour=sum(c is Choice.IN_FAVOUR for c in choices.values()),
        against=sum(c is Choice.AGAINST for c in choices.values()),
        abstentions=sum(c is Choice.ABSTAIN for c in choices.values()),
    )
    _check_cast(tally)
    return VoteResult(tally=tally, secret=False, by_member=dict(choices))


def count_secret_vote(tally: VoteTally, *, present: Collection[str], sitting: int) -> VoteResult:
    """A secret ballot: the tally only; it cannot hold more ballots than members present."""
    _check_quorum(present, sitting)
    ballots = tally.in_favour + tally.against + tally.abstentions
    if ballots > len(present):
        raise RuleViolation("too_many_ballots", f"{ballots} ballots for {len(present)} members present")
    _check_cast(tally)
    return VoteResult(tally=tally, secret=True, by_member={})


def _check_cast(tally: VoteTally) -> None:
    if tally.in_favour + tally.against == 0:
        raise RuleViolation("no_votes_cast", "no votes were cast (abstentions and blank votes are not votes cast)")
