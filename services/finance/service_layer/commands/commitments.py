"""A budget holder's commitment (vastlegging under a delegation, without a decision of a body)."""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.commands import RecordCommitment
from services.finance.domain.control import find_delegation
from services.finance.domain.model import commitment_on, key_of
from services.finance.service_layer.locks import locked_for_commitment, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["CommitmentCommands"]


class CommitmentCommands:
    """Commitments people make themselves; those of adopted decisions are reactions."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def record(self, uow: FinanceUnitOfWork, cmd: RecordCommitment) -> Accepted:
        """A budget holder commits a credit: a valid delegation must cover it, and the credit must suffice."""
        impact = cmd.impact
        now = self._clock()
        delegation = find_delegation(
            await uow.delegations.of_person(cmd.person_id),
            person_id=cmd.person_id,
            entity=impact.entity,
            policy_field=impact.policy_field,
            economic_account=impact.economic_account,
            action=impact.action,
            amount=impact.amount,
            now=now,
        )
        budget = await locked_for_commitment(uow, impact)
        key = key_of(impact)
        credit = budget.commit(key, impact.amount)
        commitment = commitment_on(
            credit,
            impact,
            commitment_id=uuid.uuid4(),
            created_at=now,
            third_party=cmd.third_party,
            delegation_id=delegation.delegation_id,
            recorded_by=cmd.person_id,
            reason=cmd.reason,
        )
        await save(uow, budget)
        await uow.commitments.add(commitment)
        remaining = budget.available(key)
        uow.emit(
            events.CommitmentRecordedUnderDelegation(
                commitment_id=commitment.commitment_id,
                delegation_id=delegation.delegation_id,
                person_id=cmd.person_id,
                entity=impact.entity,
                economic_account=impact.economic_account,
                policy_field=impact.policy_field,
                action=impact.action,
                financial_year=impact.financial_year,
                amount=impact.amount,
                third_party=cmd.third_party,
                credit_key=credit.credit_key,
                remaining=remaining,
                reason=cmd.reason,
            )
        )
        return Accepted(
            ids={"commitment_id": str(commitment.commitment_id), "delegation_id": str(delegation.delegation_id)},
            data={"remaining": f"{remaining:.2f}"},
        )
