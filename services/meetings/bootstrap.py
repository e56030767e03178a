"""Composition root of meetings: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from faststream.nats import NatsBroker
from pydantic import Field

from services.meetings.adapters.tables import metadata
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.entrypoints.subscriptions import register
from shared.messaging.subscriber import DeadLetterStore
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["MeetingsSettings", "build"]

_DEFAULT = MeetingPolicy()


class MeetingsSettings(ServiceSettings):
    """Settings of meetings (`RW_MEETINGS_*`): the terms of the municipality's rules of order."""

    agenda_days: int = Field(default=_DEFAULT.agenda_days, ge=0, description="Council agenda: days before.")
    member_item_days: int = Field(default=_DEFAULT.member_item_days, ge=0, description="Member items: days before.")
    urgency_numerator: int = Field(default=2, ge=1, description="Urgent items: share of members present (top).")
    urgency_denominator: int = Field(default=3, ge=1, description="Urgent items: share of members present (bottom).")
    publication_days: int = Field(default=_DEFAULT.publication_days, ge=1, description="Publication term in days.")
    regulation_effective_days: int = Field(default=_DEFAULT.regulation_effective_days, ge=0)
    algemeen_directeur: str = Field(default=_DEFAULT.algemeen_directeur, description="Person id of the AD.")

    def policy(self) -> MeetingPolicy:
        return MeetingPolicy(
            agenda_days=self.agenda_days,
            member_item_days=self.member_item_days,
            urgency_fraction=Fraction(self.urgency_numerator, self.urgency_denominator),
            publication_days=self.publication_days,
            regulation_effective_days=self.regulation_effective_days,
            algemeen_directeur=self.algemeen_directeur,
        )


def build(settings: MeetingsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    policy = settings.policy()

    def bind(
        broker: NatsBroker, uow_factory: Callable[[], SqlMeetingsUnitOfWork], dead_letters: DeadLetterStore
    ) -> None:
        register(broker, uow_factory, dead_letters, policy=policy)

    return wire_service(settings, metadata, SqlMeetingsUnitOfWork, bind)
