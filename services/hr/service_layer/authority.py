"""The proven actor's powers in hr, judged from hr's own data (`domain.authority`)."""

from __future__ import annotations

from services.hr.domain.authority import algemeen_directeur_refusal, staff_authority_refusal
from services.hr.domain.delegations import Delegate, delegate_of
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import refuse
from shared.vocabulary import LegalEntity

__all__ = ["StaffAuthority"]


class StaffAuthority:
    """Checks that the actor of an hr command holds the power to carry it out, today (the clock)."""

    def __init__(self, clock: Clock, *, algemeen_directeur: str) -> None:
        self._clock = clock
        self._algemeen_directeur = algemeen_directeur

    async def require_staff_authority(self, uow: HrUnitOfWork, person_id: str, entity: LegalEntity) -> None:
        """`not_staff_authority` unless the person is the algemeen directeur or holds daily staff management."""
        today = self._clock().date()
        refuse(
            staff_authority_refusal(
                person_id,
                entity=entity,
                on=today,
                algemeen_directeur=self._algemeen_directeur,
                delegate=await self._delegate(uow, person_id, entity),
                delegations=await uow.delegations.all(),
            )
        )

    async def require_algemeen_directeur(self, uow: HrUnitOfWork, person_id: str, entity: LegalEntity) -> None:
        """`not_algemeen_directeur` unless the person is the algemeen directeur of `entity`."""
        refuse(
            algemeen_directeur_refusal(
                person_id,
                algemeen_directeur=self._algemeen_directeur,
                delegate=await self._delegate(uow, person_id, entity),
            )
        )

    async def _delegate(self, uow: HrUnitOfWork, person_id: str, entity: LegalEntity) -> Delegate | None:
        member = await uow.staff.get(person_id)
        if member is None:
            return None
        return delegate_of(member, await uow.employments.of_person(person_id), self._clock().date(), entity)
