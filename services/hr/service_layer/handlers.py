"""One handler per event; the messaging wrapper owns commit, inbox and acknowledgement."""

from __future__ import annotations

import datetime as dt

from services.hr.domain.model import effect_of
from services.hr.service_layer.ports import HrUnitOfWork
from shared.contracts.meetings import DecisionAdopted
from shared.logging import get_logger
from shared.messaging.envelope import Envelope

__all__ = ["record_decision_effects"]

log = get_logger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def record_decision_effects(uow: HrUnitOfWork, event: DecisionAdopted, _envelope: Envelope) -> None:
    """Record an adopted appointment as a pending HR effect; other decisions need nothing.

    No event is published yet: there is no contract for HR effects until the HR domain
    (appointments, positions) exists.
    """
    effect = effect_of(event, now=_now())
    if effect is None:
        return
    if not await uow.effects.add(effect):
        log.info("decision already has an HR effect", decision_id=str(event.decision_id))
