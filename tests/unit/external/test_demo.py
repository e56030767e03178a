"""The demo municipality has a few external entities, each with a representative from the council's designation."""

from __future__ import annotations

import datetime as dt

from services.external.adapters.demo import demo_entities, load_demo
from services.external.bootstrap import _DEMO_FILE
from shared.contracts.external import ExternalEntityRegistered, RepresentativeDesignated
from shared.vocabulary import CHURCH_COUNCILS, LegalEntity, LegalForm
from tests.unit.external.fakes import FakeExternalUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


async def test_every_demo_entity_passes_the_registry_rules_and_has_a_representative_once() -> None:
    demo = demo_entities(_DEMO_FILE, now=NOW)
    forms = {d.entity.legal_form for d in demo}
    assert {LegalForm.AGB, LegalForm.POLITIEZONE, LegalForm.OCMW_VERENIGING} <= forms
    assert forms & CHURCH_COUNCILS, "a church council, whose documents run on legal terms"
    assert all(len(d.representatives) >= 1 for d in demo)
    [association] = [d for d in demo if d.entity.legal_form is LegalForm.OCMW_VERENIGING]
    assert association.entity.municipal_entity is LegalEntity.OCMW

    uow = FakeExternalUnitOfWork()
    assert await load_demo(uow, demo) == (len(demo), sum(len(d.representatives) for d in demo))
    assert await load_demo(uow, demo_entities(_DEMO_FILE, now=NOW)) == (0, 0), "a second seed adds nothing"
    assert len([e for e in uow.events() if isinstance(e, ExternalEntityRegistered)]) == len(demo)
    designated = [e for e in uow.events() if isinstance(e, RepresentativeDesignated)]
    assert {e.person_id for e in designated} <= {f"m-{i:02d}" for i in range(1, 48)}
