"""Quorum and majority: the vote rules of the local-government decree (DOMAIN §3).

- Quorum: a majority of the sitting (voting) members is present; a council that met without a
  quorum may, at a second convocation, decide the re-tabled items whatever the number present.
- Majority: more than half of the votes cast; abstentions, blank and invalid ballots are not cast.
- A tie rejects; a vote in which nobody casts a vote (everyone abstains) is not adopted.
- Decisions about persons are voted by secret ballot: only the tally exists, never who voted what.
- An election between candidates: a candidate with more than half of the votes cast is elected;
  otherwise the two candidates with the most votes (all tied for second place included) go to a
  runoff, in which a tie elects nobody.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from shared.kernel import RuleViolation
from shared.vocabulary import ElectionBallots, VoteTally
from shared.vocabulary import VoteChoice as Choice

__all__ = [
    "Choice",
    "ElectionRound",
    "VoteResult",
    "count_election",
    "count_open_vote",
    "count_secret_vote",
    "majority_of_cast",
    "quorum",
    "reaches",
]


def quorum(sitting: int) -> int:
    """The least number present for a valid deliberation: a majority of the sitting members."""
    return sitting // 2 + 1


def reaches(count: int, of: int, fraction: Fraction) -> bool:
    """Whether `count` is at least `fraction` of `of` (exact, no rounding surprises)."""
    return Fraction(count) >= fraction * of


def majority_of_cast(votes: int, cast: int) -> bool:
    """More than half of the votes cast (volstrekte meerderheid); nothing cast is no majority."""
    return cast > 0 and votes * 2 > cast


@dataclass(frozen=True)
class VoteResult:
    """A counted vote; `by_member` is empty for a secret ballot."""

    tally: VoteTally
    secret: bool
    by_member: Mapping[str, Choice]

    @property
    def adopted(self) -> bool:
        """More votes in favour than against, i.e. more than half of the votes cast; a tie rejects."""
        return majority_of_cast(self.tally.in_favour, self.tally.in_favour + self.tally.against)


class ElectionRound(BaseModel):
    """One counted round of an election: an elected candidate, a runoff, or nobody (a tie, nothing cast)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    votes: dict[str, int]
    blank: int
    invalid: int
    elected: str | None = None
    runoff: tuple[str, ...] = ()
    """The candidates of the next round when nobody had a majority and more than two stood."""

    @property
    def cast(self) -> int:
        """Votes for a candidate; blank and invalid ballots are not cast."""
        return sum(self.votes.values())

    @property
    def decided(self) -> bool:
        """Elected, or over without anyone elected (no next round)."""
        return self.elected is not None or not self.runoff

    def tally(self) -> VoteTally:
        """The round as a tally: the elected candidate's votes in favour, every other vote cast against."""
        won = self.votes.get(self.elected, 0) if self.elected else 0
        return VoteTally(in_favour=won, against=self.cast - won, abstentions=self.blank, invalid=self.invalid)


def _check_quorum(present: Collection[str], sitting: int, *, waived: bool) -> None:
    if not waived and len(present) < quorum(sitting):
        raise RuleViolation(
            "quorum_not_reached",
            f"{len(present)} of {sitting} sitting members present; at least {quorum(sitting)} are needed",
        )


def count_open_vote(
    choices: Mapping[str, Choice], *, present: Collection[str], sitting: int, quorum_waived: bool = False
) -> VoteResult:
    """An open vote: each present voting member's choice is recorded; everyone present must vote or abstain."""
    _check_quorum(present, sitting, waived=quorum_waived)
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
    return VoteResult(tally=tally, secret=False, by_member=dict(choices))


def _check_ballots(ballots: int, present: Collection[str]) -> None:
    if ballots > len(present):
        raise RuleViolation("too_many_ballots", f"{ballots} ballots for {len(present)} members present")


def count_secret_vote(
    tally: VoteTally, *, present: Collection[str], sitting: int, quorum_waived: bool = False
) -> VoteResult:
    """A secret ballot: the tally only; it cannot hold more ballots than members present."""
    _check_quorum(present, sitting, waived=quorum_waived)
    _check_ballots(tally.in_favour + tally.against + tally.abstentions + tally.invalid, present)
    return VoteResult(tally=tally, secret=True, by_member={})


def count_election(
    ballots: ElectionBallots,
    *,
    candidates: Collection[str],
    present: Collection[str],
    sitting: int,
    quorum_waived: bool = False,
) -> ElectionRound:
    """Count one round between `candidates` (the item's, or the runoff's).

    A candidate with more than half of the votes cast is elected. Otherwise, with more than two
    candidates, the two with the most votes go to a runoff (everyone tied for second place too);
    with two or fewer, nobody is elected: a tie rejects, and blank or invalid ballots alone elect
    nobody.
    """
    _check_quorum(present, sitting, waived=quorum_waived)
    strangers = sorted(set(ballots.votes) - set(candidates))
    if strangers:
        raise RuleViolation("unknown_candidate", f"not a candidate in this round: {', '.join(strangers)}")
    _check_ballots(sum(ballots.votes.values()) + ballots.blank + ballots.invalid, present)
    votes = {c: ballots.votes.get(c, 0) for c in candidates}
    cast = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
    if ranked and majority_of_cast(ranked[0][1], cast):
        return ElectionRound(votes=votes, blank=ballots.blank, invalid=ballots.invalid, elected=ranked[0][0])
    runoff: tuple[str, ...] = ()
    if len(ranked) > 2 and cast > 0:
        second = ranked[1][1]
        runoff = tuple(c for c, n in ranked if n >= second)
        if len(runoff) == len(ranked):
            runoff = ()  # everyone tied: a runoff would be the same round again
    return ElectionRound(votes=votes, blank=ballots.blank, invalid=ballots.invalid, runoff=runoff)
