"""Composition root of records: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import dataclasses

from pydantic import Field

from services.records.adapters.tables import metadata
from services.records.adapters.uow import SqlRecordsUnitOfWork
from services.records.domain.commands import ScanDeadlines
from services.records.domain.policy import RecordsPolicy
from services.records.entrypoints.subscriptions import RecordsHandlers, registry
from services.records.service_layer.commands.access import AccessCommands
from services.records.service_layer.commands.archive import ArchiveCommands
from services.records.service_layer.commands.complaints import ComplaintCommands
from services.records.service_layer.commands.deadlines import DeadlineCommands
from services.records.service_layer.commands.letters import LetterCommands
from services.records.service_layer.reactions import RecordsReactions
from services.records.service_layer.views import RecordsViews
from shared.clock import Clock
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.periodic import periodic_scan
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.wiring import clock_of, wire_service

__all__ = ["RecordsSettings", "build", "handlers_of", "records_policy", "registry_of"]

log = get_logger(__name__)


class RecordsSettings(ServiceSettings):
    """Settings of records (`RW_RECORDS_*`); the terms default to `RecordsPolicy`."""

    algemeen_directeur_person_id: str = Field(
        min_length=1, description="Person id of the algemeen directeur: co-signs letters, decides access requests."
    )
    deadline_scan_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between deadline scans (as of today); 0 = only on command."
    )
    letter_answer_days: int | None = Field(default=None, gt=0, le=365, description="Days to answer a letter.")
    complaint_answer_days: int | None = Field(
        default=None, gt=0, le=365, description="The complaints reglement's term to answer."
    )
    complaint_acknowledge_days: int | None = Field(default=None, gt=0, le=365, description="Term to acknowledge.")
    complaint_escalates_to: str | None = Field(default=None, min_length=1, description="Who hears of a late complaint.")
    access_decision_days: int | None = Field(default=None, gt=0, le=20, description="At most the decree's 20 days.")
    access_extended_days: int | None = Field(default=None, gt=0, le=40, description="At most the decree's 40 days.")
    access_appeal_days: int | None = Field(default=None, gt=0, description="Appeal term the applicant is told.")
    access_appeal_body: str | None = Field(default=None, min_length=1, description="Where the appeal goes.")
    destruction_needs_director_approval: bool | None = Field(
        default=None, description="Whether the algemeen directeur approves every destruction (default yes)."
    )
    selection_rule_valid_years: int | None = Field(default=None, gt=0, le=5, description="Validity of a rule.")


def records_policy(settings: RecordsSettings) -> RecordsPolicy:
    """The legal defaults, with what the deployment set."""
    names = [f.name for f in dataclasses.fields(RecordsPolicy) if f.name != "algemeen_directeur"]
    return RecordsPolicy(algemeen_directeur=settings.algemeen_directeur_person_id, **overrides(settings, *names))


def handlers_of(policy: RecordsPolicy, clock: Clock) -> RecordsHandlers:
    """Every handler of records, with the policy and clock it needs."""
    return RecordsHandlers(
        letters=LetterCommands(policy, clock),
        complaints=ComplaintCommands(policy, clock),
        access=AccessCommands(policy, clock),
        archive=ArchiveCommands(policy, clock),
        deadlines=DeadlineCommands(policy, clock),
        reactions=RecordsReactions(),
        views=RecordsViews(policy),
    )


def registry_of(settings: RecordsSettings) -> Registry:
    """Every subject of records bound to its handler, built with the policy and the clock."""
    return registry(handlers_of(records_policy(settings), clock_of(settings)))


def build(settings: RecordsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, subscribers and the periodic deadline scan."""
    clock = clock_of(settings)
    handlers = handlers_of(records_policy(settings), clock)
    runtime = wire_service(settings, metadata, SqlRecordsUnitOfWork, registry(handlers))
    if settings.deadline_scan_interval_s > 0:
        sessions = make_session_factory(runtime.engine)
        tables = messaging_tables(metadata)

        def transaction() -> SqlRecordsUnitOfWork:
            return SqlRecordsUnitOfWork(sessions, tables, runtime.relay.wake)

        runtime.background.append(
            periodic_scan(
                "deadline scan",
                transaction,
                lambda uow, today: handlers.deadlines.scan(uow, ScanDeadlines(as_of=today)),
                clock,
                settings.deadline_scan_interval_s,
            )
        )
    return runtime
