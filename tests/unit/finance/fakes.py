"""In-memory implementations of the finance ports, for fast handler tests."""

from __future__ import annotations

import uuid

from services.finance.domain.model import Commitment, Credit
from shared.contracts.base import LegalEntity
from tests.unit.recording import RecordingOutbox


class FakeCredits:
    """Credits by key, enforcing the UNIQUE key and the CHECK on `committed` like the table."""

    def __init__(self, *plan: Credit) -> None:
        self.rows: dict[tuple[LegalEntity, int, str, str, str], Credit] = {}
        for credit in plan:
            self.rows[self._key(credit)] = credit

    @staticmethod
    def _key(credit: Credit) -> tuple[LegalEntity, int, str, str, str]:
        return (credit.entity, credit.financial_year, credit.economic_account, credit.policy_field, credit.action)

    async def add(self, credit: Credit) -> None:
        assert self._key(credit) not in self.rows, "duplicate credit key"
        self.rows[self._key(credit)] = credit

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
        return self.rows.get((entity, financial_year, economic_account, policy_field, action))

    async def update(self, credit: Credit) -> None:
        key = self._key(credit)
        assert key in self.rows
        assert 0 <= credit.committed <= credit.amount, "CHECK (committed >= 0 AND committed <= amount)"
        self.rows[key] = credit

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]:
        return [c for c in self.rows.values() if entity is None or c.entity is entity]


class FakeCommitments:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Commitment] = {}

    async def add(self, commitment: Commitment) -> None:
        assert commitment.decision_id not in self.rows, "UNIQUE (decision_id)"
        self.rows[commitment.decision_id] = commitment

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None:
        return self.rows.get(decision_id)


class FakeFinanceUnitOfWork(RecordingOutbox):
    """Credits and commitments in dicts; events recorded by `RecordingOutbox`."""

    def __init__(self, *plan: Credit) -> None:
        super().__init__("finance")
        self.credits = FakeCredits(*plan)
        self.commitments = FakeCommitments()
