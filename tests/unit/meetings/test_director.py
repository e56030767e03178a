"""The algemeen directeur's office in meetings: the management team as a body, and legality advice."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from cli.reports import report_document
from shared.contracts.meetings import (
    DecisionAdopted,
    GetManagementTeamReport,
    GetManagementTeamReportReply,
    GiveLegalityAdvice,
)
from shared.contracts.sessions import (
    AgendaPublished,
    GetMinutes,
    GetMinutesReply,
    PostponeItem,
    PublishDocuments,
)
from shared.kernel import RuleViolation
from shared.vocabulary import (
    AdviceVerdict,
    BodyKind,
    Confidentiality,
    DecisionKind,
    MandateRole,
    MandateStatus,
)
from tests.unit.meetings.builders import AD, POLICY
from tests.unit.meetings.service import Service
from tests.unit.meetings.stage import Stage, cid

TEAM = ["p-ad", "p-fd", "p-fin", "p-ruimte", "p-welzijn"]
COUNCIL = [f"gr{i}" for i in range(1, 10)]
ACTION = {"action_id": "a", "kind": "execute", "description": "Werkgroep samenstellen", "unit_code": "RUIMTE"}


async def _team(stage: Stage) -> None:
    await stage.seats(BodyKind.MANAGEMENTTEAM, TEAM, chair="p-ad")
    await stage.seats(BodyKind.MANAGEMENTTEAM, ["m-01"], chair="", voting=False)


async def test_the_management_team_decides_for_either_entity_in_closed_session_and_publishes_nothing() -> None:
    stage = Stage()
    await _team(stage)
    coordination = await stage.propose(
        BodyKind.MANAGEMENTTEAM, "Afstemming dienstverlening sociaal huis", entity="ocmw", follow_up_actions=[ACTION]
    )
    meeting = await stage.held(BodyKind.MANAGEMENTTEAM, [coordination], TEAM[:3], days=1)
    vote = await stage.vote_open(meeting, coordination, TEAM[:3])
    assert vote.data["outcome"] == "adopted"
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert (adopted.body, adopted.entity, adopted.confidentiality) == (
        BodyKind.MANAGEMENTTEAM,
        "ocmw",
        Confidentiality.CLOSED,
    ), "one team for both entities, never in public"
    assert adopted.reportable is False
    assert [a.action_id for a in adopted.follow_up_actions] == ["a"]
    await stage.close(meeting)
    with pytest.raises(RuleViolation) as refused:
        await stage.send(PublishDocuments(command_id=cid(), meeting_id=meeting))
    assert refused.value.code == "management_team_never_published"


async def test_the_burgemeester_attends_the_management_team_without_a_vote() -> None:
    stage = Stage()
    await _team(stage)
    item = await stage.propose(BodyKind.MANAGEMENTTEAM, "Voorstel aan het college: dienstreglement")
    meeting = await stage.schedule(BodyKind.MANAGEMENTTEAM, days=1)
    await stage.convene(meeting, item)
    with pytest.raises(RuleViolation) as refused:
        await stage.open(meeting, ["m-01", "p-ad"])  # an advisory member does not make the quorum
    assert refused.value.code == "quorum_not_reached"
    await stage.open(meeting, ["p-ad", "p-fd", "p-fin"])


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "regulation"}, "not_for_the_management_team"),
        (
            {
                "financial_impact": {
                    "entity": "gemeente",
                    "amount": "100.00",
                    "economic_account": "6140000",
                    "policy_field": "0200",
                    "financial_year": 2026,
                }
            },
            "management_team_commits_nothing",
        ),
    ],
)
async def test_the_management_team_neither_regulates_nor_commits(fields: dict[str, Any], code: str) -> None:
    stage = Stage()
    with pytest.raises(RuleViolation) as refused:
        await stage.propose(BodyKind.MANAGEMENTTEAM, "Iets dat het college beslist", **fields)
    assert refused.value.code == code


def _advising() -> Stage:
    return Stage(meetings=Service(replace(POLICY, legality_advice_kinds=frozenset({DecisionKind.REGULATION}))))


async def _advise(stage: Stage, item: uuid.UUID, verdict: AdviceVerdict, by: str = AD) -> None:
    await stage.send(
        GiveLegalityAdvice(
            command_id=cid(),
            item_id=item,
            verdict=verdict,
            reasoning="Het reglement regelt een bevoegdheid van de burgemeester (art. 135 NGW).",
        ),
        by=by,
    )


async def test_an_item_of_a_kind_that_needs_advice_is_not_tabled_without_it() -> None:
    stage = _advising()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL)
    regulation = await stage.propose(BodyKind.GEMEENTERAAD, "Politiereglement op de markten", kind="regulation")
    plain = await stage.propose(BodyKind.GEMEENTERAAD, "Kennisname jaarverslag", kind="decision")
    meeting = await stage.schedule(BodyKind.GEMEENTERAAD, days=10)
    with pytest.raises(RuleViolation) as refused:
        await stage.convene(meeting, regulation, plain)
    assert refused.value.code == "legality_advice_missing"
    await stage.convene(meeting, plain)  # a kind the policy does not name needs none


async def test_only_the_director_advises_and_only_before_the_item_is_tabled() -> None:
    stage = _advising()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL)
    regulation = await stage.propose(BodyKind.GEMEENTERAAD, "Politiereglement op de markten", kind="regulation")
    with pytest.raises(RuleViolation) as stranger:
        await _advise(stage, regulation, AdviceVerdict.FAVOURABLE, by="gr1")
    assert stranger.value.code == "not_the_director"
    await _advise(stage, regulation, AdviceVerdict.FAVOURABLE)
    meeting = await stage.schedule(BodyKind.GEMEENTERAAD, days=10)
    await stage.convene(meeting, regulation)
    with pytest.raises(RuleViolation) as late:
        await _advise(stage, regulation, AdviceVerdict.UNFAVOURABLE)
    assert late.value.code == "item_already_tabled"


async def test_an_acting_director_advises_in_the_directors_place() -> None:
    stage = _advising()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL)
    await stage.seats(
        BodyKind.GEMEENTERAAD, ["p-secr"], chair="", roles={"p-secr": MandateRole.SECRETARY}, voting=False
    )
    acting = next(s for s in await stage.uow.seats.of_body(BodyKind.GEMEENTERAAD) if s.person_id == "p-secr")
    await stage.uow.seats.upsert(replace(acting, status=MandateStatus.ACTING))
    regulation = await stage.propose(BodyKind.GEMEENTERAAD, "Politiereglement op de markten", kind="regulation")
    await _advise(stage, regulation, AdviceVerdict.FAVOURABLE_WITH_REMARKS, by="p-secr")


async def test_unfavourable_advice_shows_on_the_agenda_in_the_minutes_and_in_the_decision_event() -> None:
    stage = _advising()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL)
    regulation = await stage.propose(BodyKind.GEMEENTERAAD, "Politiereglement op de markten", kind="regulation")
    await _advise(stage, regulation, AdviceVerdict.UNFAVOURABLE)
    meeting = await stage.held(BodyKind.GEMEENTERAAD, [regulation], COUNCIL)

    [agenda] = [e for e in stage.uow.events() if isinstance(e, AgendaPublished)]
    assert [line.legality_advice for line in agenda.items] == [AdviceVerdict.UNFAVOURABLE]
    [document] = [e.document for e in stage.uow.publications.entries if e.document.kind.value == "agenda"]
    assert document.content["items"][0]["legality_advice"] == {
        "verdict": "unfavourable",
        "reasoning": "Het reglement regelt een bevoegdheid van de burgemeester (art. 135 NGW).",
    }

    await stage.vote_open(meeting, regulation, COUNCIL)
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert adopted.legality_advice is not None
    assert (adopted.legality_advice.verdict, adopted.legality_advice.given_by) == (AdviceVerdict.UNFAVOURABLE, AD)

    await stage.close(meeting)
    minutes = await stage.meetings.ask(
        stage.uow, GetMinutes(command_id=cid(), meeting_id=meeting), GetMinutesReply, by="gr1"
    )
    [line] = minutes.minutes.items
    assert line.legality_advice is not None
    assert line.legality_advice.verdict is AdviceVerdict.UNFAVOURABLE


async def test_the_management_teams_yearly_report_counts_its_meetings_and_decisions() -> None:
    """Hand count for 2026: two meetings held; four items treated: adopted for the OCMW with one
    follow-up action, voted down, adopted for the gemeente with two actions, postponed; the meeting of
    2027 is next year's."""
    stage = Stage()
    await _team(stage)
    action = {**ACTION, "action_id": "b"}
    first_items = [
        await stage.propose(
            BodyKind.MANAGEMENTTEAM, "Afstemming sociaal huis", entity="ocmw", follow_up_actions=[ACTION]
        ),
        await stage.propose(BodyKind.MANAGEMENTTEAM, "Advies aan het college: nieuwe huisstijl"),
    ]
    first = await stage.held(BodyKind.MANAGEMENTTEAM, first_items, TEAM, days=1)
    await stage.vote_open(first, first_items[0], TEAM)
    await stage.vote_open(first, first_items[1], TEAM, against=3)
    await stage.close(first)
    second_items = [
        await stage.propose(
            BodyKind.MANAGEMENTTEAM, "Voorstel aan het college: telewerk", follow_up_actions=[ACTION, action]
        ),
        await stage.propose(BodyKind.MANAGEMENTTEAM, "Planning jaarrekening"),
    ]
    second = await stage.held(BodyKind.MANAGEMENTTEAM, second_items, TEAM[:3], days=30)
    await stage.vote_open(second, second_items[0], TEAM[:3])
    await stage.send(
        PostponeItem(command_id=cid(), meeting_id=second, item_id=second_items[1], reason="Cijfers ontbreken")
    )
    await stage.close(second)
    next_year = await stage.held(BodyKind.MANAGEMENTTEAM, [second_items[1]], TEAM, days=320)
    await stage.vote_open(next_year, second_items[1], TEAM)
    await stage.close(next_year)

    report = await stage.meetings.ask(
        stage.uow, GetManagementTeamReport(command_id=cid(), year=2026), GetManagementTeamReportReply
    )
    assert (
        report.meetings_held,
        report.meetings_lapsed,
        report.items_treated,
        report.adopted,
        report.rejected,
        report.postponed,
        report.follow_up_actions,
    ) == (2, 0, 4, 2, 1, 1, 3)
    assert report.adopted_by_entity == {"gemeente": 1, "ocmw": 1}
    assert [(line.present, line.items, line.adopted) for line in report.meetings] == [(5, 2, 1), (3, 2, 1)]
    later = await stage.meetings.ask(
        stage.uow, GetManagementTeamReport(command_id=cid(), year=2027), GetManagementTeamReportReply
    )
    assert (later.meetings_held, later.adopted) == (1, 1)


def test_a_yearly_report_is_a_document_the_councils_can_put_on_their_agenda() -> None:
    document = report_document(
        "Activiteiten van het managementteam 2026",
        {"meetings_held": 2, "adopted_by_entity gemeente": 1},
        [{"held_on": "2026-03-03", "adopted": 1}],
    )
    assert document.splitlines() == [
        "# Activiteiten van het managementteam 2026",
        "",
        "| | |",
        "|---|---|",
        "| meetings held | 2 |",
        "| adopted by entity gemeente | 1 |",
        "",
        "| held_on | adopted |",
        "|---|---|",
        "| 2026-03-03 | 1 |",
    ]
