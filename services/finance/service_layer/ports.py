"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.finance.domain.model import Commitment, Credit
from shared.contracts.base import LegalEntity
from shared.messaging.ports import EmitsEvents

__all__ = ["Commitments", "Credits", "FinanceUnitOfWork"]


class Credits(Protocol):
    async def add(self, credit: Credit) -> None: ...

    async def get(
        self,
        entity: LegalEntity,
        financial_year: int,
        economic_account: str,
        policy_field: str,
        action: str,
        *,
        for_update: bool = False,
    ) -> Credit | None:
        """The credit on this key (`action` is `''` for none); `for_update` locks its row."""
        ...

    async def update(self, credit: Credit) -> None: ...

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]: ...


class Commitments(Protocol):
    async def add(self, commitment: Commitment) -> None: ...

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None: ...


class FinanceUnitOfWork(EmitsEvents, Protocol):
    # Read-only properties, so an implementation may narrow the types (SQL or in-memory).
    @property
    def credits(self) -> Credits: ...

    @property
    def commitments(self) -> Commitments: ...
