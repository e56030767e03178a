"""Queries of hr, answered from its tables with their typed replies."""

from __future__ import annotations

import datetime as dt

from services.hr.domain.delegations import Delegation, check_delegation
from services.hr.domain.personnel import Employment
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.contracts.hr import (
    CheckDelegation,
    CheckDelegationReply,
    DelegationLine,
    EmploymentLine,
    ListStaff,
    ListStaffReply,
    StaffLine,
)

__all__ = ["HrViews"]


class HrViews:
    """Staff and delegations; a staff list without a date shows the delegations' states today."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def check_delegation(self, uow: HrUnitOfWork, query: CheckDelegation) -> CheckDelegationReply:
        """A valid delegation for this use (`delegation_id`), or the `reason` why there is none."""
        found, reason = check_delegation(
            await uow.delegations.all(),
            person_id=query.person_id,
            power=query.power,
            entity=query.entity,
            on=query.on,
            amount=query.amount,
            policy_field=query.policy_field,
            economic_account=query.economic_account,
            action=query.action,
        )
        return CheckDelegationReply(
            command_id=query.command_id,
            valid=found is not None,
            delegation_id=found.delegation_id if found else None,
            reason=reason,
        )

    async def list_staff(self, uow: HrUnitOfWork, query: ListStaff) -> ListStaffReply:
        """Staff with their employments and the delegations they hold or granted."""
        on = query.on or self._clock().date()
        members = await uow.staff.all(query.entity)
        if query.person_id is not None:
            members = [m for m in members if m.person_id == query.person_id]
        everything = await uow.delegations.all()
        staff = [
            StaffLine(
                person_id=m.person_id,
                name=m.name,
                role=m.role,
                grade=m.grade,
                entity=m.entity,
                statute=m.statute.value,
                employments=tuple(_employment_line(e) for e in await uow.employments.of_person(m.person_id)),
                delegations=tuple(_delegation_line(d, on) for d in everything if d.to_person_id == m.person_id),
                granted=tuple(_delegation_line(d, on) for d in everything if d.from_person_id == m.person_id),
            )
            for m in members
        ]
        return ListStaffReply(
            command_id=query.command_id,
            staff=tuple(staff),
            body_delegations=tuple(_delegation_line(d, on) for d in everything if d.to_body is not None),
            on=on,
        )


def _delegation_line(d: Delegation, on: dt.date) -> DelegationLine:
    return DelegationLine(
        delegation_id=d.delegation_id,
        from_body=d.from_body,
        from_person_id=d.from_person_id,
        to_person_id=d.to_person_id,
        to_body=d.to_body,
        power=d.power,
        entity=d.entity,
        valid_from=d.valid_from,
        valid_until=d.valid_until,
        state=d.state_on(on),
        budget_scope=d.budget_scope,
        scope=dict(d.scope),
        parent_delegation_id=d.parent_delegation_id,
    )


def _employment_line(e: Employment) -> EmploymentLine:
    return EmploymentLine(
        employment_id=e.employment_id,
        entity=e.entity,
        position=e.position,
        unit_code=e.unit_code,
        grade=e.grade,
        statutory=e.statutory,
        start_date=e.start_date,
        end_date=e.end_date,
        works_for=e.works_for,
    )
