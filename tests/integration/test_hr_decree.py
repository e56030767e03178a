"""HR and organisation as the decree has them, across meetings, hr and organisation on the real stack.

The college disciplines a staff member in session, by secret ballot, after the hearing recorded in
hr; a repealed sanction is refused and announced. A dismissal ends one employment only: organisation
keeps the person in service while another runs, and takes them out from the day after the last one
ends. The council adopts the organogram draft its decision names, while another draft waits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.base import Command, LegalEntity
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.hr import OpenDisciplinaryCase, RecordHearing
from shared.contracts.meetings import AppointmentDetails, DecisionKind, DisciplineDetails
from shared.contracts.organisation import DraftOrganogram, GetOrganogram, GetOrganogramReply, OrganogramUnit
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from tests.actors import acting_for, as_person
from tests.factories import utc_today
from tests.integration.meeting_driver import MeetingDriver, majority, meetings_process, publish_mandates, seats_settled
from tests.integration.processes import ServiceProcess
from tests.integration.test_tasks_lifecycle import rw
from tests.integration.waiting import eventually

REASONS = "De feiten zijn bewezen en het verweer weerlegt ze niet."


@dataclass
class Stack:
    nc: Client
    meetings: MeetingDriver
    engines: dict[str, AsyncEngine]
    tag: str

    async def ok(self, command: Command) -> CommandReply:
        reply = await send_command(
            self.nc, command, actor=acting_for(command, "p-ad"), source="/raderwerk/test", timeout=10
        )
        assert reply.accepted, f"{type(command).__name__}: {reply.code}: {reply.message}"
        return reply

    async def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        async with self.engines[service].connect() as conn:
            return list(await conn.execute(text(sql), params))

    async def published(self, subject: str, needle: str) -> list[dict[str, Any]]:
        """hr's events on `subject` that mention `needle`, once the relay published them."""
        rows = await self.rows(
            "hr",
            "SELECT payload FROM outbox WHERE subject = :s AND published_at IS NOT NULL ORDER BY seq",
            s=subject,
        )
        return [json.loads(r.payload) for r in rows if needle in r.payload.decode()]


@pytest.fixture
async def stack(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[Stack]:
    tag = uuid.uuid4().hex[:6]
    clock_file = tmp_path / "clock.json"
    services = {
        name: ServiceProcess(name, nats_server.url, nats_server.passwords[name], pg_dsn, f"t_{name[:4]}_{tag}")
        for name in ("hr", "organisation")
    }
    services["meetings"] = meetings_process(nats_server, pg_dsn, f"t_meet_{tag}", clock_file)
    for name, service in services.items():
        await asyncio.to_thread(service.migrate)
        if name != "meetings":
            await asyncio.to_thread(service.seed)
    engines = {name: make_engine(pg_dsn, s.schema) for name, s in services.items()}
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    try:
        for body in (BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.GEMEENTERAAD):
            await publish_mandates(org, body, [f"{body.value[:3]}-{tag}-{i}" for i in range(5)])
        for service in services.values():
            service.start()
        stack = Stack(nc, MeetingDriver(nc, engines["meetings"], clock_file), engines, tag)
        await stack.meetings.wait_ready()
        await seats_settled(nc, engines["organisation"])
        yield stack
        for service in services.values():
            assert service.stop() == 0, service.log_tail()
    finally:
        for service in services.values():
            if service.process and service.process.poll() is None:
                service.kill()
        await nc.close()
        await org.close()
        for engine in engines.values():
            await engine.dispose()


def _person(
    person_id: str, name: str, entity: LegalEntity, position: str, *, on: dt.date, statutory: bool = True
) -> Any:
    return AppointmentDetails(
        person_id=person_id,
        person_name=name,
        entity=entity,
        position=position,
        grade="A1a",
        statutory=statutory,
        start_date=on,
    )


async def _heard_case(stack: Stack, person: str) -> uuid.UUID:
    """A case against `person` in hr, in which they were heard today."""
    opened = await eventually(
        lambda: send_command(
            stack.nc,
            OpenDisciplinaryCase(
                command_id=uuid.uuid4().hex,
                person_id=person,
                entity=LegalEntity.GEMEENTE,
                facts="Herhaaldelijk ongewettigd afwezig",
            ),
            actor=as_person("p-ad"),
            source="/raderwerk/test",
            timeout=10,
        ),
        lambda r: r.accepted,
        timeout=60,
        what="hr to open the case",
    )
    case_id = uuid.UUID(opened.ids["case_id"])
    await stack.ok(
        RecordHearing(
            command_id=uuid.uuid4().hex,
            case_id=case_id,
            heard_on=utc_today(),
            defence="Ik was ziek maar meldde het niet.",
        )
    )
    return case_id


async def test_the_college_disciplines_in_session_after_the_hearing_and_a_repealed_sanction_is_refused(
    stack: Stack, nats_server: Any
) -> None:
    college = await stack.meetings.voters(BodyKind.COLLEGE, at_least=5)
    present = majority(college, extra=1)
    case_id = await _heard_case(stack, "p-fin")
    item = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Tuchtstraf diensthoofd financiën",
        kind=DecisionKind.DISCIPLINE,
        motivation=REASONS,
        appointment=_person(
            "p-fin", "Eline Claes", LegalEntity.GEMEENTE, "diensthoofd", on=utc_today() + dt.timedelta(days=1)
        ),
        discipline=DisciplineDetails(case_id=case_id, sanction="schorsing"),
    )
    decided = await stack.meetings.decide(BodyKind.COLLEGE, item, present, secret=True)
    assert decided.data["outcome"] == "adopted"

    async def case() -> list[Any]:
        return await stack.rows(
            "hr",
            "SELECT state, sanction, authority, decision_id, reasons FROM disciplinary_cases WHERE case_id = :c",
            c=case_id,
        )

    [sanctioned] = await eventually(
        case, lambda r: bool(r) and r[0].state == "sanctioned", timeout=90, what="the sanction"
    )
    assert (sanctioned.sanction, sanctioned.authority, str(sanctioned.decision_id), sanctioned.reasons) == (
        "schorsing",
        "college",
        decided.ids["decision_id"],
        REASONS,
    )
    [imposed] = await eventually(
        lambda: stack.published("hr.discipline.imposed", str(case_id)), bool, what="discipline.imposed"
    )
    assert (imposed["authority"], imposed["ends_employment"]) == ("college", False)

    # An ontslag is no disciplinary sanction since October 2023: hr refuses it and says so.
    second = await _heard_case(stack, "p-ruimte")
    ontslag = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Tuchtstraf diensthoofd omgeving",
        kind=DecisionKind.DISCIPLINE,
        motivation=REASONS,
        appointment=_person(
            "p-ruimte", "Chloë Janssens", LegalEntity.GEMEENTE, "diensthoofd", on=utc_today() + dt.timedelta(days=1)
        ),
        discipline=DisciplineDetails(case_id=second, sanction="ontslag"),
    )
    refused_decision = await stack.meetings.decide(BodyKind.COLLEGE, ontslag, present, secret=True)
    [refused] = await eventually(
        lambda: stack.published("hr.discipline.refused", refused_decision.ids["decision_id"]), bool, what="refused"
    )
    assert (refused["reason"], refused["case_id"]) == ("sanction_repealed", str(second))
    ends = await stack.rows("hr", "SELECT end_date FROM employments WHERE person_id = 'p-ruimte'")
    assert [r.end_date for r in ends] == [None]

    # The algemeen directeur, from the command line: a case, the hearing, a blaam within their competence.
    opened = await asyncio.to_thread(
        rw, nats_server, "staff", "open-case", "p-fin", "gemeente", "Herhaaldelijk te laat"
    )
    assert opened.exit_code == 0, opened.output
    [third] = re.findall(r"case opened (\S+)", opened.output)
    refused_early = await asyncio.to_thread(rw, nats_server, "staff", "sanction", third, "blaam", REASONS)
    assert (refused_early.exit_code, "not_heard" in refused_early.output) == (1, True)
    heard = await asyncio.to_thread(
        rw, nats_server, "staff", "hearing", third, "Verkeersproblemen", "--on", utc_today().isoformat()
    )
    assert heard.exit_code == 0, heard.output
    blaam = await asyncio.to_thread(rw, nats_server, "staff", "sanction", third, "blaam", REASONS)
    assert blaam.exit_code == 0, blaam.output
    [by_ad] = await eventually(lambda: stack.published("hr.discipline.imposed", third), bool, what="the blaam")
    assert (by_ad["authority"], by_ad["sanction"]) == ("algemeen_directeur", "blaam")


async def test_a_dismissal_ends_one_employment_and_organisation_keeps_the_person_until_the_last_ends(
    stack: Stack,
) -> None:
    college = majority(await stack.meetings.voters(BodyKind.COLLEGE, at_least=5), extra=1)
    vast_bureau = majority(await stack.meetings.voters(BodyKind.VAST_BUREAU, at_least=5), extra=1)
    # p-secr works for the OCMW; the college appoints her to the gemeente too.
    appointment = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Aanstelling deskundige secretariaat",
        kind=DecisionKind.APPOINTMENT,
        appointment=_person(
            "p-secr", "Fien Wouters", LegalEntity.GEMEENTE, "deskundige", on=utc_today(), statutory=False
        ),
    )
    assert (await stack.meetings.decide(BodyKind.COLLEGE, appointment, college, secret=True)).data[
        "outcome"
    ] == "adopted"
    await eventually(
        lambda: stack.published("hr.staff.appointed", "p-secr"), bool, timeout=90, what="the gemeente employment"
    )
    # The vast bureau ends her OCMW employment: she stays in service with the gemeente.
    ocmw_end = await stack.meetings.propose(
        BodyKind.VAST_BUREAU,
        "Ontslag deskundige secretariaat OCMW",
        kind=DecisionKind.DISMISSAL,
        appointment=_person("p-secr", "Fien Wouters", LegalEntity.OCMW, "deskundige", on=utc_today(), statutory=False),
    )
    first = await stack.meetings.decide(BodyKind.VAST_BUREAU, ocmw_end, vast_bureau, secret=True)
    [dismissed] = await eventually(
        lambda: stack.published("hr.staff.dismissed", first.ids["decision_id"]), bool, timeout=90, what="dismissed"
    )
    assert (dismissed["entity"], dismissed["remains_employed"]) == ("ocmw", True)

    async def handled(decision_id: str) -> Any:
        """organisation's person row once its consumer took in hr's dismissal of that decision."""
        ids = [
            r.id
            for r in await stack.rows("hr", "SELECT id, payload FROM outbox WHERE subject = 'hr.staff.dismissed'")
            if decision_id in r.payload.decode()
        ]
        if not ids:
            return None
        seen = await stack.rows("organisation", "SELECT 1 FROM inbox WHERE message_id = :m", m=ids[0])
        rows = await stack.rows("organisation", "SELECT inactive_from FROM persons WHERE person_id = 'p-secr'")
        return rows[0] if seen else None

    person = await eventually(lambda: handled(first.ids["decision_id"]), bool, timeout=60, what="organisation")
    assert person.inactive_from is None, "another employment runs: still in service"
    # The college ends the gemeente employment ten days from now: out of service from the day after.
    last_day = utc_today() + dt.timedelta(days=10)
    gemeente_end = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Ontslag deskundige secretariaat gemeente",
        kind=DecisionKind.DISMISSAL,
        appointment=_person("p-secr", "Fien Wouters", LegalEntity.GEMEENTE, "deskundige", on=last_day, statutory=False),
    )
    second = await stack.meetings.decide(BodyKind.COLLEGE, gemeente_end, college, secret=True)
    person = await eventually(lambda: handled(second.ids["decision_id"]), bool, timeout=90, what="organisation")
    assert person.inactive_from == last_day + dt.timedelta(days=1)


async def test_the_council_adopts_the_organogram_draft_its_decision_names(stack: Stack) -> None:
    council = majority(await stack.meetings.voters(BodyKind.GEMEENTERAAD, at_least=5), extra=1)

    def units(extra: str) -> tuple[OrganogramUnit, ...]:
        return (
            OrganogramUnit(code="MT", name="Managementteam", head_person_id="p-ad", management_team=True),
            OrganogramUnit(code="FIN", name="Financiële dienst", parent="MT", head_person_id="p-fin"),
            OrganogramUnit(code=extra, name=f"Dienst {extra}", parent="MT", head_person_id="p-ruimte"),
        )

    def draft(plan: str) -> DraftOrganogram:
        return DraftOrganogram(command_id=uuid.uuid4().hex, units=units(plan))

    first = await eventually(
        lambda: send_command(stack.nc, draft("PLAN_A"), actor=as_person("p-ad"), source="/raderwerk/test", timeout=10),
        lambda r: r.accepted,
        timeout=60,
        what="organisation to draft",
    )
    plan_a, plan_b = int(first.ids["version"]), int((await stack.ok(draft("PLAN_B"))).ids["version"])
    item = await stack.meetings.propose(
        BodyKind.GEMEENTERAAD, "Organogram: variant B", kind=DecisionKind.ORGANOGRAM, organogram_version=plan_b
    )
    decided = await stack.meetings.decide(BodyKind.GEMEENTERAAD, item, council)
    assert decided.data["outcome"] == "adopted"

    async def applied() -> list[Any]:
        return await stack.rows(
            "organisation",
            "SELECT version, status, decision_id FROM organogram_versions WHERE version IN (:a, :b) ORDER BY version",
            a=plan_a,
            b=plan_b,
        )

    rows = await eventually(applied, lambda r: any(x.status == "applied" for x in r), timeout=90, what="the adoption")
    assert [(r.version, r.status, str(r.decision_id) if r.decision_id else None) for r in rows] == [
        (plan_a, "draft", None),
        (plan_b, "applied", decided.ids["decision_id"]),
    ]
    shown = await send_query(
        stack.nc,
        GetOrganogram(command_id=uuid.uuid4().hex, version=plan_b),
        GetOrganogramReply,
        actor=as_person("p-ad"),
        source="/raderwerk/test",
        timeout=10,
    )
    assert ([u.code for u in shown.units], shown.draft, shown.drafts) == (["MT", "FIN", "PLAN_B"], False, (plan_a,))
