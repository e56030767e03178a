"""Composition root of meetings: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from pydantic import Field

from services.meetings.adapters.tables import metadata
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.commands import ScanPublicationTerms
from services.meetings.domain.policy import MeetingPolicy, SeatMethod
from services.meetings.entrypoints.subscriptions import Handlers, registry
from services.meetings.service_layer.commands.agenda import AgendaCommands
from services.meetings.service_layer.commands.committees import CommitteeCommands
from services.meetings.service_layer.commands.items import ItemCommands
from services.meetings.service_layer.commands.minutes import MinutesCommands
from services.meetings.service_layer.commands.publication import PublicationCommands
from services.meetings.service_layer.commands.session import SessionCommands
from services.meetings.service_layer.commands.treatment import TreatmentCommands
from services.meetings.service_layer.reactions import MeetingsReactions
from services.meetings.service_layer.views import MeetingViews
from shared.clock import Clock
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.periodic import periodic_scan
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.vocabulary import DecisionKind
from shared.wiring import clock_of, wire_service

__all__ = ["MeetingsSettings", "build", "handlers_of", "policy_of", "registry_of"]


log = get_logger(__name__)


class MeetingsSettings(ServiceSettings):
    """Settings of meetings (`RW_MEETINGS_*`): the terms of the municipality's rules of order.

    A term left unset keeps the decree's value (`MeetingPolicy`).
    """

    algemeen_directeur_person_id: str = Field(
        min_length=1, description="Person id of the algemeen directeur, who co-signs the minutes."
    )
    secretariat_person_ids: tuple[str, ...] = Field(
        default=(),
        description="Person ids of the secretariat, who record attendance and votes with the algemeen directeur "
        '(JSON list, e.g. ["p-secr"]).',
    )
    social_service_person_ids: tuple[str, ...] = Field(
        default=(),
        description="Person ids of the social service, who read BCSD items with the committee and the algemeen "
        "directeur (JSON list).",
    )
    agenda_days: int | None = Field(default=None, ge=0, description="Council agenda: days before.")
    urgent_agenda_days: int | None = Field(
        default=None, ge=0, description="Council agenda in an urgent case: days before (the decree sets none)."
    )
    member_item_days: int | None = Field(default=None, ge=0, description="Member items: days before.")
    urgency_numerator: int | None = Field(
        default=None, ge=1, description="Urgent items: share of members present (top)."
    )
    urgency_denominator: int | None = Field(
        default=None, ge=1, description="Urgent items: share of members present (bottom)."
    )
    closing_numerator: int | None = Field(
        default=None, ge=1, description="Closed treatment of a public item: share of members present (top)."
    )
    closing_denominator: int | None = Field(
        default=None, ge=1, description="Closed treatment of a public item: share of members present (bottom)."
    )
    committee_seat_method: SeatMethod | None = Field(
        default=None, description="How committee seats are shared over the groups: dhondt or largest_remainder."
    )
    publication_days: int | None = Field(default=None, ge=1, description="Publication term in days.")
    regulation_effective_days: int | None = Field(
        default=None, ge=0, description="Regulations enter into force on this day after publication."
    )
    publication_reminder_days: int | None = Field(
        default=None, ge=0, description="Days before the publication term runs out that its follow-up task is raised."
    )
    legality_advice_kinds: frozenset[DecisionKind] | None = Field(
        default=None,
        description="Kinds of item tabled only with the algemeen directeur's legality advice (the decree names none).",
    )
    term_scan_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between publication-term scans (as of today); 0 = only on command."
    )


def policy_of(settings: MeetingsSettings) -> MeetingPolicy:
    """The decree's terms, with those the municipality's rules of order set differently."""
    policy = MeetingPolicy(
        algemeen_directeur=settings.algemeen_directeur_person_id,
        secretariat=frozenset(settings.secretariat_person_ids),
        social_service=frozenset(settings.social_service_person_ids),
        **overrides(
            settings,
            "agenda_days",
            "urgent_agenda_days",
            "member_item_days",
            "committee_seat_method",
            "publication_days",
            "regulation_effective_days",
            "publication_reminder_days",
            "legality_advice_kinds",
        ),
    )
    return replace(
        policy,
        urgency_fraction=_fraction(policy.urgency_fraction, settings.urgency_numerator, settings.urgency_denominator),
        closing_fraction=_fraction(policy.closing_fraction, settings.closing_numerator, settings.closing_denominator),
    )


def _fraction(legal: Fraction, numerator: int | None, denominator: int | None) -> Fraction:
    """The legal fraction with the top or bottom the rules of order set differently."""
    return Fraction(numerator or legal.numerator, denominator or legal.denominator)


def handlers_of(policy: MeetingPolicy, clock: Clock) -> Handlers:
    """Every handler object of meetings, with one policy and one clock."""
    return Handlers(
        items=ItemCommands(policy, clock),
        agenda=AgendaCommands(policy, clock),
        session=SessionCommands(policy, clock),
        treatment=TreatmentCommands(policy, clock),
        committees=CommitteeCommands(policy, clock),
        minutes=MinutesCommands(policy, clock),
        publication=PublicationCommands(policy, clock),
        reactions=MeetingsReactions(),
        views=MeetingViews(clock, policy),
    )


def registry_of(settings: MeetingsSettings) -> Registry:
    """Every subject of meetings bound to its handler, built with the policy and the clock."""
    return registry(handlers_of(policy_of(settings), clock_of(settings)))


def build(settings: MeetingsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, the registry and the periodic publication-term scan."""
    clock = clock_of(settings)
    handlers = handlers_of(policy_of(settings), clock)
    runtime = wire_service(settings, metadata, SqlMeetingsUnitOfWork, registry(handlers))
    if settings.term_scan_interval_s > 0:
        sessions = make_session_factory(runtime.engine)
        tables = messaging_tables(metadata)

        def transaction() -> SqlMeetingsUnitOfWork:
            return SqlMeetingsUnitOfWork(sessions, tables, runtime.relay.wake)

        runtime.background.append(
            periodic_scan(
                "publication term scan",
                transaction,
                lambda uow, today: handlers.publication.scan_terms(uow, ScanPublicationTerms(as_of=today)),
                clock,
                settings.term_scan_interval_s,
            )
        )
    return runtime
