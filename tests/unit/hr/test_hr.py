"""hr: appointments become pending HR effects; the demo staff loads from the municipality file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services.hr.adapters.demo import load_demo_staff
from services.hr.bootstrap import HrSettings
from services.hr.domain.model import EffectStatus, Statute, effect_of, staff_from_demo
from services.hr.service_layer.handlers import record_decision_effects
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionAdopted, DecisionKind, VoteTally
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.unit.hr.fakes import FakeHrUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


def _decision(kind: DecisionKind = DecisionKind.APPOINTMENT, body: BodyKind = BodyKind.COLLEGE) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=kind,
        title="Aanstelling diensthoofd ICT",
        legal_basis="Decreet lokaal bestuur, art. 56",
        confidentiality=Confidentiality.CLOSED,
        votes=VoteTally(in_favour=5, against=1, abstentions=1),
        adopted_at=NOW,
    )


def _envelope() -> Envelope:
    return Envelope(
        id="e-1", type=DecisionAdopted.ce_type(), source="/raderwerk/meetings", time=NOW, correlation_id="c"
    )


def test_an_appointment_becomes_a_pending_effect() -> None:
    decision = _decision()
    effect = effect_of(decision, now=NOW)
    assert effect is not None
    assert (effect.decision_id, effect.kind, effect.entity) == (
        decision.decision_id,
        DecisionKind.APPOINTMENT,
        "gemeente",
    )
    assert effect.title == decision.title
    assert effect.status is EffectStatus.PENDING_DETAILS
    assert effect.recorded_at == NOW


@pytest.mark.parametrize("kind", [k for k in DecisionKind if k is not DecisionKind.APPOINTMENT])
def test_other_decisions_ask_nothing_of_hr(kind: DecisionKind) -> None:
    assert effect_of(_decision(kind), now=NOW) is None


async def test_the_handler_records_an_appointment_once() -> None:
    uow = FakeHrUnitOfWork()
    decision = _decision(body=BodyKind.VAST_BUREAU)
    await record_decision_effects(uow, decision, _envelope())
    await record_decision_effects(uow, decision, _envelope())
    assert list(uow.effects.by_decision) == [decision.decision_id]
    assert uow.effects.by_decision[decision.decision_id].entity is LegalEntity.OCMW


async def test_the_handler_ignores_other_decisions() -> None:
    uow = FakeHrUnitOfWork()
    await record_decision_effects(uow, _decision(DecisionKind.REGULATION), _envelope())
    assert uow.effects.by_decision == {}


def test_the_demo_staff_loads_from_the_municipality_file() -> None:
    default = HrSettings.model_fields["demo_file"].default
    assert isinstance(default, Path)
    staff = load_demo_staff(default)
    assert len(staff) == 7
    by_id = {s.person_id: s for s in staff}
    welzijn = by_id["p-welzijn"]
    assert (welzijn.name, welzijn.grade, welzijn.entity, welzijn.statute, welzijn.role) == (
        "Dries Maes",
        "A1a",
        LegalEntity.OCMW,
        Statute.CONTRACTUAL,
        "diensthoofd",
    )
    assert by_id["p-ruimte"].name == "Chloë Janssens"


def test_a_bad_person_is_named() -> None:
    data = {"persons": [{"id": "p-x", "name": "X", "role": "r", "grade": "B1", "entity": "gemeente", "statute": "x"}]}
    with pytest.raises(ValueError, match=r"persons\[0\] \(p-x\)"):
        staff_from_demo(data)
    with pytest.raises(ValueError, match="`grade` is missing"):
        staff_from_demo(
            {"persons": [{"id": "p-y", "name": "Y", "role": "r", "entity": "ocmw", "statute": "statutory"}]}
        )
    with pytest.raises(ValueError, match="no `persons`"):
        staff_from_demo({})


def test_duplicate_person_ids_are_refused() -> None:
    person = {"id": "p-1", "name": "A", "role": "r", "grade": "B1", "entity": "gemeente", "statute": "statutory"}
    with pytest.raises(ValueError, match="unique"):
        staff_from_demo({"persons": [person, person]})
