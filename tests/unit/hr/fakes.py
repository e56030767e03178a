"""In-memory fakes of hr's ports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from services.hr.domain.model import HrEffect


class FakeHrEffects:
    """`HrEffects` in a dict, unique by decision like the table."""

    def __init__(self) -> None:
        self.by_decision: dict[uuid.UUID, HrEffect] = {}

    async def add(self, effect: HrEffect) -> bool:
        if effect.decision_id in self.by_decision:
            return False
        self.by_decision[effect.decision_id] = effect
        return True


@dataclass
class FakeHrUnitOfWork:
    effects: FakeHrEffects = field(default_factory=FakeHrEffects)
