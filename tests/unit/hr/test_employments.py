"""Employments, not persons: a dismissal ends one employment; the gemeente's directors serve the OCMW by right."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.hr.domain.personnel import Employment, service_after
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.hr import (
    AppointmentRefused,
    DecisionFlagged,
    DelegationGranted,
    ListStaff,
    StaffAppointed,
    StaffDismissed,
)
from shared.contracts.meetings import AppointmentDetails, DecisionAdopted, DecisionKind, DelegationDetails
from tests.factories import adopted_decision
from tests.unit.hr.stage import NOW, Hr

TODAY = NOW.date()


def _about_person(
    kind: DecisionKind,
    body: BodyKind,
    person: str,
    *,
    entity: LegalEntity,
    position: str = "deskundige",
    on: dt.date = TODAY,
) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=kind,
        confidentiality=Confidentiality.CLOSED,
        secret_ballot=True,
        adopted_at=NOW,
        appointment=AppointmentDetails(
            person_id=person,
            person_name="Betrokkene",
            entity=entity,
            position=position,
            grade="A4a" if position in {"algemeen_directeur", "financieel_directeur"} else "B1",
            statutory=True,
            start_date=on,
        ),
    )


def _of(hr: Hr, kind: type[Any]) -> list[Any]:
    return [e for e in hr.events() if isinstance(e, kind)]


async def test_a_dismissal_ends_that_employment_only_and_the_person_stays_in_service() -> None:
    hr = await Hr.demo()
    second = _about_person(DecisionKind.APPOINTMENT, BodyKind.COLLEGE, "p-secr", entity=LegalEntity.GEMEENTE)
    await hr.decide(second)
    assert len(_of(hr, StaffAppointed)) == 1
    last_day = TODAY + dt.timedelta(days=20)
    ocmw = _about_person(DecisionKind.DISMISSAL, BodyKind.VAST_BUREAU, "p-secr", entity=LegalEntity.OCMW, on=last_day)
    await hr.decide(ocmw)
    [dismissed] = _of(hr, StaffDismissed)
    assert (dismissed.entity, dismissed.end_date, dismissed.cause) == (LegalEntity.OCMW, last_day, "dismissal")
    assert (dismissed.remains_employed, dismissed.in_service_until) == (True, None)
    by_entity = {e.entity: e.end_date for e in await hr.uow.employments.of_person("p-secr")}
    assert by_entity == {LegalEntity.OCMW: last_day, LegalEntity.GEMEENTE: None}
    later = last_day + dt.timedelta(days=40)
    gemeente = _about_person(DecisionKind.DISMISSAL, BodyKind.COLLEGE, "p-secr", entity=LegalEntity.GEMEENTE, on=later)
    await hr.decide(gemeente)
    last = _of(hr, StaffDismissed)[-1]
    assert (last.entity, last.remains_employed, last.in_service_until) == (LegalEntity.GEMEENTE, False, later)


def _employment(start: dt.date, end: dt.date | None) -> Employment:
    return Employment(
        employment_id=uuid.uuid4(),
        person_id="p",
        person_name="P",
        entity=LegalEntity.GEMEENTE,
        position="deskundige",
        unit_code=None,
        grade="B1",
        statutory=True,
        start_date=start,
        end_date=end,
    )


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ((dt.date(2026, 1, 31), None), (True, None)),
        ((dt.date(2026, 1, 31), dt.date(2026, 6, 30)), (False, dt.date(2026, 6, 30))),
        ((dt.date(2026, 1, 31),), (False, dt.date(2026, 1, 31))),
    ],
)
def test_service_lasts_until_the_last_employment_ends(
    ends: tuple[dt.date | None, ...], expected: tuple[bool, dt.date | None]
) -> None:
    assert service_after([_employment(dt.date(2020, 1, 1), end) for end in ends]) == expected


@given(st.lists(st.one_of(st.none(), st.dates(dt.date(2020, 1, 2), dt.date(2030, 12, 31))), min_size=1, max_size=5))
def test_the_last_day_in_service_is_the_last_day_an_employment_runs(ends: list[dt.date | None]) -> None:
    employments = [_employment(dt.date(2020, 1, 1), end) for end in ends]
    remains, until = service_after(employments)
    assert remains == (None in ends)
    if not remains:
        assert until is not None
        assert any(e.runs_on(until) for e in employments)
        assert not any(e.runs_on(until + dt.timedelta(days=1)) for e in employments)


# -- the OCMW's algemeen directeur and financieel directeur --------------------------------------------


async def test_the_gemeentes_directors_serve_the_ocmw_by_right() -> None:
    hr = await Hr.demo()
    listed = await hr.handlers.views.list_staff(hr.uow, ListStaff(command_id="l" * 8))
    works_for = {s.person_id: s.employments[0].works_for for s in listed.staff}
    assert works_for["p-ad"] == works_for["p-fd"] == (LegalEntity.GEMEENTE, LegalEntity.OCMW)
    assert works_for["p-fin"] == (LegalEntity.GEMEENTE,)
    new_fd = _about_person(
        DecisionKind.APPOINTMENT,
        BodyKind.GEMEENTERAAD,
        "p-fd2",
        entity=LegalEntity.GEMEENTE,
        position="financieel_directeur",
    )
    await hr.decide(new_fd)
    [appointed] = _of(hr, StaffAppointed)
    assert (appointed.person_id, appointed.entity) == ("p-fd2", LegalEntity.GEMEENTE)
    [employment] = await hr.uow.employments.of_person("p-fd2")
    assert employment.works_for == (LegalEntity.GEMEENTE, LegalEntity.OCMW)


@pytest.mark.parametrize(
    ("kind", "body", "person", "entity", "position"),
    [
        (
            DecisionKind.APPOINTMENT,
            BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
            "p-x",
            LegalEntity.OCMW,
            "algemeen_directeur",
        ),
        (
            DecisionKind.APPOINTMENT,
            BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
            "p-x",
            LegalEntity.OCMW,
            "financieel_directeur",
        ),
        (DecisionKind.APPOINTMENT, BodyKind.GEMEENTERAAD, "p-x", LegalEntity.OCMW, "algemeen_directeur"),
        (
            DecisionKind.DISMISSAL,
            BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
            "p-fd",
            LegalEntity.OCMW,
            "financieel_directeur",
        ),
        (
            DecisionKind.DISMISSAL,
            BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
            "p-ad",
            LegalEntity.GEMEENTE,
            "algemeen_directeur",
        ),
    ],
)
async def test_the_rmw_does_not_appoint_or_dismiss_them(
    kind: DecisionKind, body: BodyKind, person: str, entity: LegalEntity, position: str
) -> None:
    hr = await Hr.demo()
    decision = _about_person(kind, body, person, entity=entity, position=position)
    await hr.decide(decision)
    [refused] = _of(hr, AppointmentRefused)
    assert refused.reason == "post_held_by_right"
    assert not _of(hr, StaffAppointed)
    assert not _of(hr, StaffDismissed)
    assert [e.end_date for e in await hr.uow.employments.of_person("p-fd")] == [None]


async def test_the_vast_bureau_delegates_to_the_ocmws_algemeen_directeur_who_is_the_gemeentes() -> None:
    hr = await Hr.demo()

    def delegation(to: str) -> DecisionAdopted:
        return adopted_decision(
            body=BodyKind.VAST_BUREAU,
            kind=DecisionKind.DELEGATION,
            adopted_at=NOW,
            delegation=DelegationDetails(
                delegate_person_id=to, power="decide", scope={"subject": "overheidsopdrachten"}, valid_from=TODAY
            ),
        )

    await hr.decide(delegation("p-ad"))
    [granted] = _of(hr, DelegationGranted)
    assert (granted.to_person_id, granted.entity, granted.from_body) == ("p-ad", LegalEntity.OCMW, BodyKind.VAST_BUREAU)
    await hr.decide(delegation("p-fd"))
    [flagged] = _of(hr, DecisionFlagged)
    assert flagged.reason == "executive_to_algemeen_directeur_only"
