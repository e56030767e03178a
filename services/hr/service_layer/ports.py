"""What the handlers need from persistence; SQL and in-memory fakes implement it."""

from __future__ import annotations

from typing import Protocol

from services.hr.domain.model import HrEffect

__all__ = ["HrEffects", "HrUnitOfWork"]


class HrEffects(Protocol):
    async def add(self, effect: HrEffect) -> bool:
        """Record the effect; False when the decision already has one."""
        ...


class HrUnitOfWork(Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def effects(self) -> HrEffects: ...
