"""A council's designation of a representative in an external entity names the entity and the seat; the
adopted decision carries them to external with the elected candidate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import VoteOnItem
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, ElectionBallots, MandateRole
from tests.unit.meetings.stage import Stage, cid

COUNCIL = [f"gr{i}" for i in range(1, 10)]
SEAT = {"entity_code": "agb-sport", "role": "raad van bestuur", "term_end": "2030-12-31", "replaces_person_id": "gr2"}
CANDIDATES = ({"person_id": "gr4", "name": "Vier"}, {"person_id": "gr5", "name": "Vijf"})


async def _municipality() -> Stage:
    stage = Stage()
    await stage.seats(BodyKind.GEMEENTERAAD, COUNCIL, chair="gr9")
    await stage.seats(BodyKind.COLLEGE, ["gr1", "gr2", "gr3"], roles={"gr1": MandateRole.MAYOR})
    return stage


async def test_the_adopted_designation_carries_the_entity_the_seat_and_the_elected_candidate() -> None:
    stage = await _municipality()
    item = await stage.propose(
        BodyKind.GEMEENTERAAD,
        "Aanduiding vertegenwoordiger AGB Sport",
        kind=DecisionKind.DESIGNATION,
        candidates=CANDIDATES,
        designation=SEAT,
    )
    assert stage.uow.items.rows[item].links.designation is not None
    meeting = await stage.held(BodyKind.GEMEENTERAAD, [item], COUNCIL)
    await stage.send(
        VoteOnItem(
            command_id=cid(), meeting_id=meeting, item_id=item, election=ElectionBallots(votes={"gr4": 6, "gr5": 3})
        )
    )
    adopted = stage.uow.events()[-1]
    assert isinstance(adopted, DecisionAdopted)
    assert (adopted.kind, adopted.secret_ballot, adopted.confidentiality) == (
        DecisionKind.DESIGNATION,
        True,
        Confidentiality.CLOSED,
    )
    assert adopted.elected is not None
    assert adopted.elected.person_id == "gr4"
    assert adopted.designation is not None
    assert (adopted.designation.entity_code, adopted.designation.term_end, adopted.designation.replaces_person_id) == (
        "agb-sport",
        dt.date(2030, 12, 31),
        "gr2",
    )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": DecisionKind.DECISION, "candidates": ()}, "designation_not_allowed"),
        ({"body": BodyKind.COLLEGE}, "designation_not_council"),
        ({"designation": {**SEAT, "term_start": "2031-01-01"}}, "term_ends_before_start"),
    ],
)
async def test_a_designation_seat_that_breaks_a_rule_is_refused(fields: dict[str, Any], code: str) -> None:
    stage = await _municipality()
    values: dict[str, Any] = {"kind": DecisionKind.DESIGNATION, "candidates": CANDIDATES, "designation": SEAT}
    values.update(fields)
    body = values.pop("body", BodyKind.GEMEENTERAAD)
    with pytest.raises(RuleViolation) as refused:
        await stage.propose(body, "Aanduiding", **values)
    assert refused.value.code == code
    assert not stage.uow.items.rows
