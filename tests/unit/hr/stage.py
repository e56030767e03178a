"""hr with the demo staff, reached through its registry as the broker reaches it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.hr.adapters.demo import demo_hr
from services.hr.bootstrap import HrSettings, handlers_of, load_demo
from services.hr.domain.model import EffectStatus
from services.hr.entrypoints.subscriptions import HrHandlers, registry
from shared.clock import FixedClock
from shared.contracts.base import LegalEntity
from shared.contracts.hr import OpenDisciplinaryCase, RecordHearing
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.envelope import Envelope
from tests.actors import proven
from tests.unit.hr.fakes import FakeHrUnitOfWork

__all__ = ["NOW", "Hr"]

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
DEMO_FILE = HrSettings.model_fields["demo_file"].default


def _handlers(now: dt.datetime = NOW, **policy: object) -> HrHandlers:
    settings = HrSettings.model_validate(
        {
            "service_name": "hr",
            "database_url": "postgresql://unused",
            "nats_url": "nats://unused",
            "nats_password": "dev-unused",
            "algemeen_directeur_person_id": "p-ad",
            **policy,
        }
    )
    return handlers_of(settings, FixedClock(now))


class Hr:
    """hr with the demo staff, reached through its registry as the broker reaches it."""

    def __init__(self, handlers: HrHandlers, now: dt.datetime) -> None:
        self.handlers = handlers
        self.now = now
        self.registry = registry(handlers)
        self.uow = FakeHrUnitOfWork()

    @classmethod
    async def demo(cls, now: dt.datetime = NOW, **policy: object) -> Hr:
        hr = cls(_handlers(now, **policy), now)
        await load_demo(hr.uow, demo_hr(DEMO_FILE), hr.handlers.delegations)
        hr.uow.pending.clear()
        return hr

    async def send(self, command: Any, *, by: str = "p-ad") -> Any:
        """A command as the broker hands it over, with `by` proven (the algemeen directeur unless named)."""
        with proven(by):
            return await self.registry.send(self.uow, command)

    async def decide(self, decision: DecisionAdopted) -> None:
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=DecisionAdopted.ce_type(),
            source="/raderwerk/meetings",
            time=NOW,
            correlation_id="c",
        )
        await self.registry.consumers["hr_decisions"][DecisionAdopted](self.uow, decision, envelope)

    async def heard_case(
        self, person: str = "p-fin", entity: LegalEntity = LegalEntity.GEMEENTE, **hearing: Any
    ) -> uuid.UUID:
        """A case opened against `person` in which they were heard (on `heard_on`, default yesterday)."""
        opened = await self.send(
            OpenDisciplinaryCase(
                command_id=uuid.uuid4().hex,
                person_id=person,
                entity=entity,
                facts="Herhaalde afwezigheid",
            )
        )
        case_id = uuid.UUID(opened.ids["case_id"])
        heard_on = hearing.get("heard_on", self.today() - dt.timedelta(days=1))
        defence = hearing.get("defence", "Ik was ziek maar heb dat niet gemeld.")
        await self.send(RecordHearing(command_id=uuid.uuid4().hex, case_id=case_id, heard_on=heard_on, defence=defence))
        return case_id

    def today(self) -> dt.date:
        return self.now.date()

    def events(self) -> list[Any]:
        return self.uow.events()

    def effect(self, decision: DecisionAdopted) -> tuple[EffectStatus, str | None]:
        effect = self.uow.effects.by_decision[decision.decision_id]
        return effect.status, effect.reason
