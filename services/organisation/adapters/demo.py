"""Demo data: the legal entities, bodies, mandates, people and organogram of the demo municipality."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from services.organisation.adapters.tables import (
    bodies,
    legal_entities,
    metadata,
    organogram_units,
    organogram_versions,
    persons,
)
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.domain.composition import CompositionPolicy
from services.organisation.domain.events import MandateStarted
from services.organisation.domain.mandates import BODY_ENTITY, PARALLEL_BODY, Mandate, mandate_id_for, parallel_role
from services.organisation.domain.model import kbo_check_digits_valid, valid_kbo_format
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.settings import ServiceSettings
from shared.vocabulary import BodyKind, MandateRole, MandateStatus

__all__ = ["check_composition", "demo_mandates", "seed"]

DEMO = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "municipality.yaml"


def _seat(
    legislature: str,
    start: dt.date,
    body: BodyKind,
    person: str,
    *,
    name: str,
    role: MandateRole,
    group: str | None = None,
    advisory: bool = False,
) -> Mandate:
    return Mandate(
        mandate_id=mandate_id_for(legislature, body, person, role),
        person_id=person,
        person_name=name,
        body=body,
        entity=BODY_ENTITY[body],
        role=role,
        status=MandateStatus.EFFECTIVE,
        voting=role is not MandateRole.SECRETARY and not advisory,
        start=start,
        status_since=start,
        group=group,
    )


def check_composition(data: Mapping[str, Any], policy: CompositionPolicy | None = None) -> list[str]:
    """What in the demo municipality does not fit the decree for its population (empty: all fits).

    The council and RMW, the college and vast bureau (burgemeester and schepenen) and the BCSD (its
    chair and members) have the sizes the population gives; districts need more than 100,000
    inhabitants; every council member belongs to one of the declared groups.
    """
    law = (policy or CompositionPolicy()).of(int(data["municipality"]["population"]))
    seats = {b["code"]: int(b["seats"]) for b in data.get("bodies", [])}
    expected = {
        "gemeenteraad": law.council,
        "raad_maatschappelijk_welzijn": law.council,
        "college": law.college,
        "vast_bureau": law.college,
        "bcsd": 1 + law.bcsd,
    }
    found = [
        f"{code}: {seats.get(code)} seats, the decree gives {n}" for code, n in expected.items() if seats.get(code) != n
    ]
    council, college, bcsd = data["council"], data["college"], data["bcsd"]
    if len(set(council["members"])) != law.council:
        found.append(f"council: {len(set(council['members']))} members, the decree gives {law.council}")
    if len(set(college["aldermen"])) != law.schepenen:
        found.append(f"college: {len(set(college['aldermen']))} schepenen, the decree gives {law.schepenen}")
    if len(set(bcsd["members"]) - {bcsd["chair"]}) != law.bcsd:
        found.append(f"bcsd: {len(set(bcsd['members']))} members besides the chair, the decree gives {law.bcsd}")
    if data.get("districts") and not law.districts_allowed:
        found.append("districts exist only in a municipality above 100,000 inhabitants")
    groups = set(data.get("groups", []))
    by_id = {p["id"]: p for p in data.get("politicians", [])}
    strays = sorted(m for m in council["members"] if by_id.get(m, {}).get("group") not in groups)
    if groups and strays:
        found.append(f"council members without a declared group: {', '.join(strays)}")
    return found


def demo_mandates(data: Mapping[str, Any]) -> list[Mandate]:
    """Every seat of the demo legislature, parallel seats linked, with stable ids."""
    leg = data["legislature"]
    legislature, start = str(leg["name"]), dt.date.fromisoformat(str(leg["start"]))
    names = {p["id"]: p["name"] for p in [*data.get("politicians", []), *data.get("persons", [])]}
    groups = {p["id"]: p.get("group") for p in data.get("politicians", [])}
    council, college, bcsd = data["council"], data["college"], data["bcsd"]
    seats: list[tuple[BodyKind, str, MandateRole]] = [
        (BodyKind.GEMEENTERAAD, member, MandateRole.CHAIR if member == council["chair"] else MandateRole.MEMBER)
        for member in council["members"]
    ]
    seats.append((BodyKind.COLLEGE, college["mayor"], MandateRole.MAYOR))
    seats += [(BodyKind.COLLEGE, alderman, MandateRole.ALDERMAN) for alderman in college["aldermen"]]
    made: list[Mandate] = []
    for body, person, role in seats:
        group = groups.get(person) if body is BodyKind.GEMEENTERAAD else None
        first = _seat(legislature, start, body, person, name=names[person], role=role, group=group)
        parallel_body = PARALLEL_BODY[body]
        second = _seat(
            legislature,
            start,
            parallel_body,
            person,
            name=names[person],
            role=parallel_role(role, parallel_body),
            group=group,
        )
        made += [
            dataclasses.replace(first, linked_mandate_id=second.mandate_id),
            dataclasses.replace(second, linked_mandate_id=first.mandate_id),
        ]
    made.append(
        _seat(legislature, start, BodyKind.BCSD, bcsd["chair"], name=names[bcsd["chair"]], role=MandateRole.CHAIR)
    )
    made += [
        _seat(legislature, start, BodyKind.BCSD, m, name=names[m], role=MandateRole.MEMBER) for m in bcsd["members"]
    ]
    made += management_team_seats(data, legislature, start, names)
    secretary = data.get("secretary")
    if secretary:
        for first_body, second_body in PARALLEL_BODY.items():
            first = _seat(legislature, start, first_body, secretary, name=names[secretary], role=MandateRole.SECRETARY)
            second = _seat(
                legislature, start, second_body, secretary, name=names[secretary], role=MandateRole.SECRETARY
            )
            made += [
                dataclasses.replace(first, linked_mandate_id=second.mandate_id),
                dataclasses.replace(second, linked_mandate_id=first.mandate_id),
            ]
    return made


def management_team_seats(
    data: Mapping[str, Any], legislature: str, start: dt.date, names: Mapping[str, str]
) -> list[Mandate]:
    """The management team (reference §8a.1): the algemeen directeur chairs; the adjunct where there is
    one, the financieel directeur and the heads of the units the organogram names sit as members; the
    burgemeester (or the schepen he designates) attends with an advisory vote."""
    team = data.get("management_team")
    if not team:
        return []
    members = [team.get("adjunct"), team["financial_director"]]
    members += [u["head"] for u in data["units"] if u.get("management_team") and u.get("head")]
    seen = {team["chair"]}
    made = [
        _seat(
            legislature,
            start,
            BodyKind.MANAGEMENTTEAM,
            team["chair"],
            name=names[team["chair"]],
            role=MandateRole.CHAIR,
        )
    ]
    for person in members:
        if person and person not in seen:
            seen.add(person)
            made.append(
                _seat(legislature, start, BodyKind.MANAGEMENTTEAM, person, name=names[person], role=MandateRole.MEMBER)
            )
    advisory = team.get("advisory")
    if advisory:
        made.append(
            _seat(
                legislature,
                start,
                BodyKind.MANAGEMENTTEAM,
                advisory,
                name=names[advisory],
                role=MandateRole.MEMBER,
                advisory=True,
            )
        )
    return made


async def seed(settings: ServiceSettings) -> str:
    """Upsert entities, persons, bodies and the first organogram; start each mandate once.

    A mandate seeded for the first time queues `organisation.mandate.started` in the outbox, so
    `meetings` learns the sitting members when the service runs; a second run changes nothing.
    """
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text())
    misfits = check_composition(data)
    if misfits:
        raise ValueError(f"the demo municipality does not fit the decree: {'; '.join(misfits)}")
    for entity in data["entities"]:
        if not (valid_kbo_format(entity["kbo"]) and kbo_check_digits_valid(entity["kbo"])):
            raise ValueError(f"demo entity {entity['code']} has an invalid KBO number {entity['kbo']!r}")
    engine = make_engine(settings.database_url, settings.db_schema, password=settings.database_password)
    started = 0
    try:
        uow = SqlOrganisationUnitOfWork(make_session_factory(engine), messaging_tables(metadata))
        async with uow:
            conn = uow.session
            for e in data["entities"]:
                await conn.execute(
                    insert(legal_entities)
                    .values(code=e["code"], name=e["name"], kbo=e["kbo"])
                    .on_conflict_do_update(index_elements=["code"], set_={"name": e["name"], "kbo": e["kbo"]})
                )
            for p in [*data["persons"], *data.get("politicians", [])]:
                await conn.execute(
                    insert(persons)
                    .values(person_id=p["id"], name=p["name"])
                    .on_conflict_do_update(index_elements=["person_id"], set_={"name": p["name"]})
                )
            legislature = str(data.get("legislature", {}).get("name", ""))
            for b in data.get("bodies", []):
                values = {"entity": b["entity"], "name": b["name"], "legislature": legislature, "seats": b.get("seats")}
                await conn.execute(
                    insert(bodies)
                    .values(code=b["code"], **values)
                    .on_conflict_do_update(index_elements=["code"], set_=values)
                )
            await _seed_organogram(conn, data)
            if "legislature" in data:
                for mandate in demo_mandates(data):
                    if await uow.mandates.add_if_new(mandate):
                        started += 1
                        uow.emit(MandateStarted.of(mandate))
            await uow.commit()
    finally:
        await engine.dispose()
    return (
        f"{len(data['entities'])} legal entities, {len(data['units'])} units, {len(data['persons'])} people, "
        f"{started} mandates started"
    )


async def _seed_organogram(conn: Any, data: Mapping[str, Any]) -> None:
    """Version 1 of the organogram, from the demo units (kept in line on a second run)."""
    valid_from = dt.date.fromisoformat(str(data.get("organogram_valid_from", "2025-01-02")))
    exists = await conn.scalar(select(organogram_versions.c.version).where(organogram_versions.c.version == 1))
    if exists is None:
        await conn.execute(insert(organogram_versions).values(version=1, status="applied", valid_from=valid_from))
    for u in data["units"]:
        values = {
            "name": u["name"],
            "parent": u.get("parent"),
            "head_person_id": u.get("head"),
            "management_team": bool(u.get("management_team", False)),
        }
        await conn.execute(
            insert(organogram_units)
            .values(version=1, code=u["code"], **values)
            .on_conflict_do_update(index_elements=["version", "code"], set_=values)
        )
