"""Convocation and session by commands: urgency, the second convocation, files from the convocation
on, who may add items, elections between candidates, and closing a public item's treatment."""

from __future__ import annotations

import uuid

import pytest

from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import (
    AddAgendaItem,
    AgendaPublished,
    GetDecision,
    GetDecisionReply,
    GetItemFiles,
    GetItemFilesReply,
    GetMeeting,
    GetMeetingReply,
    RecordLapse,
    TreatInClosedSession,
    VoteOnItem,
)
from shared.kernel import RuleViolation
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DecisionKind,
    ElectionBallots,
    MandateRole,
    VoteChoice,
)
from tests.unit.meetings.stage import Stage, cid

COUNCIL = [f"gr{i}" for i in range(1, 10)]
COLLEGE = ["gr1", "gr2", "gr3"]
"""The burgemeester and two schepenen sit in the council too."""


async def _municipality() -> Stage:
    stage = Stage()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL, chair="gr9")
    await stage.seats(BodyKind.COLLEGE, COLLEGE, roles={"gr1": MandateRole.MAYOR})
    await stage.seats(BodyKind.GEMEENTERAAD, ["p-ad"], chair="", roles={"p-ad": MandateRole.SECRETARY}, voting=False)
    return stage


async def test_an_urgent_council_convocation_comes_late_with_its_reason() -> None:
    stage = await _municipality()
    item = await stage.propose(BodyKind.GEMEENTERAAD, "Herstel dijk na storm")
    meeting = await stage.schedule(BodyKind.GEMEENTERAAD, days=2)
    with pytest.raises(RuleViolation) as exc:
        await stage.convene(meeting, item)
    assert exc.value.code == "agenda_deadline_passed"
    reply = await stage.convene(meeting, item, urgent=True, urgency_reason="stormschade aan de dijk")
    assert reply.data == {"items": 1, "retabled": 0}
    published = [e for e in stage.uow.events() if isinstance(e, AgendaPublished)]
    assert published[-1].urgent


async def test_a_second_convocation_decides_the_items_of_a_lapsed_council_meeting_whatever_the_number() -> None:
    stage = await _municipality()
    item = await stage.propose(BodyKind.GEMEENTERAAD, "Reglement markten")
    newcomer = await stage.propose(BodyKind.GEMEENTERAAD, "Nieuw punt")
    first = await stage.schedule(BodyKind.GEMEENTERAAD)
    await stage.convene(first, item)
    stage.until(first)
    with pytest.raises(RuleViolation) as exc:
        await stage.open(first, COUNCIL[:3])
    assert exc.value.code == "quorum_not_reached"
    lapsed = await stage.send(RecordLapse(command_id=cid(), meeting_id=first, present=(*COUNCIL[:3], "p-ad")))
    assert lapsed.data == {"present": 3, "sitting": 9, "items": 1}
    second = await stage.schedule(BodyKind.GEMEENTERAAD, days=9, second_convocation_of=first)
    convened = await stage.convene(second, item, newcomer)
    assert convened.data == {"items": 2, "retabled": 1}
    assert [e.second_convocation for e in stage.uow.events() if isinstance(e, AgendaPublished)][-1]
    await stage.open(second, COUNCIL[:2])
    decided = await stage.vote_open(second, item, COUNCIL[:2])
    assert decided.data["outcome"] == "adopted", "two members decide an item on the agenda a second time"
    with pytest.raises(RuleViolation) as exc:
        await stage.vote_open(second, newcomer, COUNCIL[:2])
    assert exc.value.code == "quorum_not_reached", "a new item still needs the quorum"
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    history = stage.uow.items.rows[item].history
    assert [(s.meeting_id, s.outcome) for s in history] == [(first, "lapsed"), (second, "adopted")]


async def test_college_members_may_not_add_items_to_the_council_agenda_other_members_may() -> None:
    stage = await _municipality()
    meeting = await stage.schedule(BodyKind.GEMEENTERAAD)
    await stage.convene(meeting, await stage.propose(BodyKind.GEMEENTERAAD, "Agenda"))
    for person, code in (("gr2", "college_member_cannot_add"), ("p-stranger", "not_a_member")):
        with pytest.raises(RuleViolation) as exc:
            await stage.send(
                AddAgendaItem(
                    command_id=cid(),
                    meeting_id=meeting,
                    item_id=await stage.propose(BodyKind.GEMEENTERAAD, f"Punt van {person}"),
                    by_member=True,
                ),
                by=person,
            )
        assert exc.value.code == code
    added = await stage.send(
        AddAgendaItem(
            command_id=cid(),
            meeting_id=meeting,
            item_id=await stage.propose(BodyKind.GEMEENTERAAD, "Punt van de oppositie"),
            by_member=True,
        ),
        by="gr7",
    )
    assert added.data == {"position": 2}


async def test_the_file_of_an_item_is_available_to_the_members_from_the_convocation_on() -> None:
    stage = await _municipality()
    item = await stage.propose(
        BodyKind.GEMEENTERAAD,
        "Aankoop gebouw Kerkstraat",
        files=({"title": "Schattingsverslag", "reference": "dms://2026/88"},),
    )
    meeting = await stage.schedule(BodyKind.GEMEENTERAAD)

    async def files(person: str) -> GetItemFilesReply:
        query = GetItemFiles(command_id=cid(), item_id=item)
        return await stage.meetings.ask(stage.uow, query, GetItemFilesReply, by=person)

    with pytest.raises(RuleViolation) as exc:
        await files("gr4")
    assert exc.value.code == "files_not_yet_available"
    await stage.convene(meeting, item)
    reply = await files("gr4")
    assert [(f.title, f.reference) for f in reply.files] == [("Schattingsverslag", "dms://2026/88")]
    assert reply.available_since == stage.meetings.now()
    assert (await files("p-ad")).files, "the algemeen directeur holds a seat without a vote"
    with pytest.raises(RuleViolation) as exc:
        await files("p-burger")
    assert exc.value.code == "files_for_members"


async def test_an_election_between_candidates_with_blank_and_invalid_ballots_and_a_runoff() -> None:
    stage = await _municipality()
    candidates = (
        {"person_id": "gr4", "name": "Vier"},
        {"person_id": "gr5", "name": "Vijf"},
        {"person_id": "gr6", "name": "Zes"},
    )
    item = await stage.propose(
        BodyKind.GEMEENTERAAD,
        "Verkiezing van de voorzitter van de gemeenteraad",
        kind=DecisionKind.ELECTION,
        confidentiality="public",
        candidates=candidates,
    )
    meeting = await stage.held(BodyKind.GEMEENTERAAD, [item], COUNCIL)
    with pytest.raises(RuleViolation) as exc:
        await stage.vote_open(meeting, item, COUNCIL)
    assert exc.value.code == "secret_ballot_required"

    async def ballots(votes: dict[str, int], blank: int = 0, invalid: int = 0) -> dict[str, object]:
        reply = await stage.send(
            VoteOnItem(
                command_id=cid(),
                meeting_id=meeting,
                item_id=item,
                election=ElectionBallots(votes=votes, blank=blank, invalid=invalid),
            )
        )
        return {**reply.data, **reply.ids}

    first = await ballots({"gr4": 3, "gr5": 3, "gr6": 1}, blank=1, invalid=1)
    assert (first["outcome"], first["runoff"]) == ("runoff", ["gr4", "gr5"]), "3 of 7 votes cast is no majority"
    with pytest.raises(RuleViolation) as exc:
        await ballots({"gr6": 5})
    assert exc.value.code == "unknown_candidate", "the runoff is between the two leading candidates"
    second = await ballots({"gr4": 5, "gr5": 3}, blank=1)
    assert (second["outcome"], second["elected"]) == ("adopted", "gr4")
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.secret_ballot
    assert adopted.elected is not None
    assert (adopted.elected.person_id, adopted.confidentiality) == ("gr4", Confidentiality.PUBLIC)
    record = await stage.meetings.ask(
        stage.uow, GetDecision(command_id=cid(), decision_id=uuid.UUID(str(second["decision_id"]))), GetDecisionReply
    )
    assert [(r.votes, r.blank, r.invalid) for r in record.decision.election] == [
        ({"gr4": 3, "gr5": 3, "gr6": 1}, 1, 1),
        ({"gr4": 5, "gr5": 3}, 1, 0),
    ]
    assert record.decision.by_member == {}, "a secret ballot records no one's vote"


async def test_a_public_item_is_treated_closed_by_a_reasoned_two_thirds_decision() -> None:
    stage = await _municipality()
    item = await stage.propose(BodyKind.GEMEENTERAAD, "Onderhandeling aankoop grond Zuid")
    meeting = await stage.held(BodyKind.GEMEENTERAAD, [item], COUNCIL)

    def votes(in_favour: int) -> dict[str, VoteChoice]:
        return {p: VoteChoice.IN_FAVOUR if i < in_favour else VoteChoice.AGAINST for i, p in enumerate(COUNCIL)}

    with pytest.raises(RuleViolation) as exc:
        await stage.send(
            TreatInClosedSession(
                command_id=cid(), meeting_id=meeting, item_id=item, reason="onderhandelingspositie", open_votes=votes(5)
            )
        )
    assert exc.value.code == "closing_not_supported", "5 of 9 is less than 2/3"
    closed = await stage.send(
        TreatInClosedSession(
            command_id=cid(), meeting_id=meeting, item_id=item, reason="onderhandelingspositie", open_votes=votes(6)
        )
    )
    assert closed.data["confidentiality"] == "closed"
    decided = await stage.vote_open(meeting, item, COUNCIL)
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.confidentiality is Confidentiality.CLOSED
    for person, restricted in ((None, True), ("p-burger", True), ("gr8", False), ("p-ad", False)):
        shown = await stage.meetings.ask(
            stage.uow, GetMeeting(command_id=cid(), meeting_id=meeting), GetMeetingReply, by=person
        )
        entry = shown.meeting.entries[0]
        assert entry.restricted is restricted, person
        assert (entry.closed_reason == "onderhandelingspositie") is not restricted
        decision = await stage.meetings.ask(
            stage.uow,
            GetDecision(command_id=cid(), decision_id=uuid.UUID(decided.ids["decision_id"])),
            GetDecisionReply,
            by=person,
        )
        assert decision.decision.restricted is restricted
        assert ("Onderhandeling" in decision.model_dump_json()) is not restricted
