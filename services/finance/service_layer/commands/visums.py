"""The financial director's answer to a requested visum."""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.commands import GrantVisum, RefuseVisum
from services.finance.domain.control import Visum
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["VisumCommands"]


class VisumCommands:
    """Grant or refuse the visum on a proposed item; only the policy's financial director may."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def grant(self, uow: FinanceUnitOfWork, cmd: GrantVisum) -> Accepted:
        """The financial director grants the visum, possibly with conditions."""
        visum = await _requested(uow, cmd.item_id)
        granted = visum.grant(cmd.person_id, cmd.conditions, self._policy, self._clock())
        await uow.visums.update(granted)
        assert granted.decided_at is not None
        uow.emit(
            events.VisumGranted(
                visum_id=granted.visum_id,
                item_id=granted.item_id,
                entity=granted.entity,
                amount=granted.amount,
                conditions=granted.conditions,
                granted_by=cmd.person_id,
                granted_at=granted.decided_at,
            )
        )
        return Accepted(ids={"visum_id": str(granted.visum_id)})

    async def refuse(self, uow: FinanceUnitOfWork, cmd: RefuseVisum) -> Accepted:
        """The financial director refuses the visum, with reasons."""
        visum = await _requested(uow, cmd.item_id)
        refused = visum.refuse(cmd.person_id, cmd.reasons, self._policy, self._clock())
        await uow.visums.update(refused)
        assert refused.decided_at is not None
        uow.emit(
            events.VisumRefused(
                visum_id=refused.visum_id,
                item_id=refused.item_id,
                entity=refused.entity,
                amount=refused.amount,
                reasons=refused.reasons,
                refused_by=cmd.person_id,
                refused_at=refused.decided_at,
            )
        )
        return Accepted(ids={"visum_id": str(refused.visum_id)})


async def _requested(uow: FinanceUnitOfWork, item_id: uuid.UUID) -> Visum:
    visum = await uow.visums.for_item(item_id, for_update=True)
    if visum is None:
        raise RuleViolation("no_visum_requested", f"item {item_id} has no visum request (no budget check needing one)")
    return visum
