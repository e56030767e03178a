"""Who may do what in meetings, decided from the signed actor (DESIGN §5): the secretariat records
attendance and votes, the chair and the algemeen directeur sign minutes, members read closed items,
and the BCSD's items also the algemeen directeur and the social service."""

from __future__ import annotations

import uuid

import pytest

from services.meetings.domain.policy import MeetingPolicy
from shared.contracts.sessions import (
    ApproveMinutes,
    GetDecision,
    GetDecisionReply,
    OpenSession,
    SignMinutes,
    VoteOnItem,
)
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, VoteChoice
from tests.unit.meetings.builders import AD, SECRETARIAT
from tests.unit.meetings.service import Service
from tests.unit.meetings.stage import Stage, cid

COLLEGE = ["c1", "c2", "c3"]
BCSD = ["b1", "b2", "b3"]
SOCIAL_SERVICE = "p-welzijn"
POLICY = MeetingPolicy(
    algemeen_directeur=AD, secretariat=frozenset({SECRETARIAT}), social_service=frozenset({SOCIAL_SERVICE})
)


def _stage() -> Stage:
    return Stage(meetings=Service(policy=POLICY))


async def _refused(stage: Stage, command: object, by: str) -> str:
    with pytest.raises(RuleViolation) as refused:
        await stage.send(command, by=by)
    return refused.value.code


async def test_only_the_secretariat_or_the_algemeen_directeur_record_attendance_and_votes() -> None:
    stage = _stage()
    await stage.seats(BodyKind.COLLEGE, COLLEGE)
    item = await stage.propose(BodyKind.COLLEGE, "Onderhoud speelpleinen")
    meeting = await stage.schedule(BodyKind.COLLEGE)
    await stage.convene(meeting, item)
    stage.until(meeting)
    opening = OpenSession(command_id=cid(), meeting_id=meeting, present=tuple(COLLEGE), chair_id="c1")
    for someone in ("c1", SOCIAL_SERVICE, "p-burger"):
        assert await _refused(stage, opening, by=someone) == "not_secretariat"
    await stage.send(opening, by=AD)
    votes = dict.fromkeys(COLLEGE, VoteChoice.IN_FAVOUR)
    vote = VoteOnItem(command_id=cid(), meeting_id=meeting, item_id=item, open_votes=votes)
    assert await _refused(stage, vote, by="c2") == "not_secretariat"
    assert (await stage.send(vote, by=SECRETARIAT)).data["outcome"] == "adopted"


async def test_only_the_chair_and_the_algemeen_directeur_sign_the_minutes_each_as_the_signed_actor() -> None:
    stage = _stage()
    await stage.seats(BodyKind.COLLEGE, COLLEGE)
    item = await stage.propose(BodyKind.COLLEGE, "Punt")
    first = await stage.held(BodyKind.COLLEGE, [item], COLLEGE, days=1)
    await stage.vote_open(first, item, COLLEGE)
    await stage.close(first)
    second = await stage.held(BodyKind.COLLEGE, [await stage.propose(BodyKind.COLLEGE, "Punt 2")], COLLEGE, days=8)
    await stage.send(ApproveMinutes(command_id=cid(), meeting_id=second, minutes_of=first))
    sign = SignMinutes(command_id=cid(), meeting_id=first)
    for someone in (SECRETARIAT, "c2", "p-burger"):
        assert await _refused(stage, sign, by=someone) == "not_a_signatory"
    # A chair delegates the signature to a member of the body only.
    for_chair = SignMinutes(command_id=cid(), meeting_id=first, on_behalf_of="c1")
    assert await _refused(stage, for_chair, by=SECRETARIAT) == "not_a_signatory"
    assert (await stage.send(sign, by="c1")).data["role"] == "chair"
    signed = await stage.send(SignMinutes(command_id=cid(), meeting_id=first), by=AD)
    assert signed.data == {"minutes": "signed", "role": "algemeen_directeur", "acting": False}


async def test_a_bcsd_decision_is_read_by_the_committee_the_director_and_the_social_service_only() -> None:
    stage = _stage()
    await stage.seats(BodyKind.BCSD, BCSD)
    await stage.seats(BodyKind.COLLEGE, COLLEGE)
    item = await stage.propose(
        BodyKind.BCSD, "Leefloon", by=SOCIAL_SERVICE, confidentiality=Confidentiality.SOCIAL, motivation="Dossier X"
    )
    meeting = await stage.held(BodyKind.BCSD, [item], BCSD)
    decided = await stage.vote_open(meeting, item, BCSD)
    decision_id = uuid.UUID(decided.ids["decision_id"])

    async def restricted(person: str | None) -> bool:
        query = GetDecision(command_id=cid(), decision_id=decision_id)
        return (await stage.meetings.ask(stage.uow, query, GetDecisionReply, by=person)).decision.restricted

    for reader in ("b2", AD, SOCIAL_SERVICE):
        assert not await restricted(reader), reader
    for outsider in ("c1", SECRETARIAT, None):
        assert await restricted(outsider), outsider
