"""Demo data of records: a few archive records from before the system, so `rw records archive`
shows what retention looks like (one past its term under a rule, one under an expired rule), and
two complaints of last year for the yearly report. Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.adapters.tables import metadata
from services.records.adapters.uow import SqlRecordsUnitOfWork
from services.records.domain.archive import ArchiveRecord
from services.records.domain.complaints import Complaint
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.settings import ServiceSettings
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["seed"]

_NS = uuid.UUID("0b6d3c55-2f8e-4d5e-9a3b-5f7d1c2e8a40")


def _records(today: dt.date) -> list[ArchiveRecord]:
    old = today.replace(year=today.year - 12, month=1, day=15)
    return [
        ArchiveRecord.filed(
            source="demo:correspondence-in",
            series_code="correspondence-in",
            entity=LegalEntity.GEMEENTE,
            title="Ingekomen brieven (papieren map)",
            dated=old,
            confidentiality=Confidentiality.CLOSED,
        ),
        ArchiveRecord.filed(
            source="demo:mail-log",
            series_code="mail-logs",
            entity=LegalEntity.GEMEENTE,
            title="Postregister",
            dated=old,
            confidentiality=Confidentiality.PUBLIC,
        ),
        ArchiveRecord.filed(
            source="demo:council-decisions",
            series_code="decisions-council",
            entity=LegalEntity.GEMEENTE,
            title="Besluiten van de gemeenteraad (gebonden)",
            dated=old,
            confidentiality=Confidentiality.PUBLIC,
        ),
    ]


def _complaints(today: dt.date) -> list[Complaint]:
    year = today.year - 1
    first, second = dt.date(year, 3, 2), dt.date(year, 9, 14)
    return [
        Complaint(
            complaint_id=uuid.uuid5(_NS, f"complaint-{year}-1"),
            entity=LegalEntity.GEMEENTE,
            complainant="Demo-indiener 1",
            subject="Sluikstort niet opgehaald",
            service_concerned="RUIMTE",
            received_on=first,
            channel="mail",
            due_on=first + dt.timedelta(days=45),
            acknowledge_by=first + dt.timedelta(days=10),
            acknowledged_on=first + dt.timedelta(days=2),
            handler_person_id="p-secr",
            handler_unit="SECR",
            outcome="founded",
            answer="Opgehaald en excuses aangeboden.",
            answered_on=first + dt.timedelta(days=20),
        ),
        Complaint(
            complaint_id=uuid.uuid5(_NS, f"complaint-{year}-2"),
            entity=LegalEntity.OCMW,
            complainant="Demo-indiener 2",
            subject="Lange wachttijd aan het loket",
            service_concerned="WELZIJN",
            received_on=second,
            channel="web_form",
            due_on=second + dt.timedelta(days=45),
            acknowledge_by=second + dt.timedelta(days=10),
            acknowledged_on=second + dt.timedelta(days=1),
            handler_person_id="p-secr",
            handler_unit="SECR",
            outcome="unfounded",
            answer="De wachttijd lag binnen de norm.",
            answered_on=second + dt.timedelta(days=50),
            escalated_on=second + dt.timedelta(days=46),
        ),
    ]


async def seed(settings: ServiceSettings) -> str:
    """File the demo archive records and last year's complaints once each."""
    engine = make_engine(settings.database_url, settings.db_schema, password=settings.database_password)
    today = dt.datetime.now(dt.UTC).date()
    filed = registered = 0
    try:
        uow = SqlRecordsUnitOfWork(make_session_factory(engine), messaging_tables(metadata))
        async with uow:
            for record in _records(today):
                filed += await uow.archive.add(record)
            for complaint in _complaints(today):
                registered += await uow.complaints.add(complaint)
            await uow.commit()
    finally:
        await engine.dispose()
    return f"{filed} archive records and {registered} complaints loaded"
